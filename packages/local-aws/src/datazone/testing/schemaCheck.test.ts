import * as dz from '@aws-sdk/client-datazone';
import { checkWireShape } from './schemaCheck';
import { toWire } from '../wire/serialize';

describe('checkWireShape', () => {
  it('flags a skeletal response the SDK itself would accept', () => {
    const problems = checkWireShape(dz.GetAssetOutput$, { id: 'x' });
    expect(problems).toEqual(
      expect.arrayContaining([
        '$: required member name missing',
        '$: required member formsOutput missing',
      ]),
    );
  });

  it('flags timestamps in the wrong format for the member', () => {
    const asset = checkWireShape(dz.DomainSummary$, {
      id: 'dzd_1',
      name: 'n',
      arn: 'a',
      managedAccountId: '1',
      status: 'AVAILABLE',
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(asset).toEqual([
      '$.createdAt: expected epoch seconds (a JSON number), got "2026-01-01T00:00:00Z"',
    ]);
    const project = checkWireShape(dz.ProjectSummary$, {
      domainId: 'd',
      id: 'p',
      name: 'n',
      createdBy: 'u',
      createdAt: 1767225600,
    });
    expect(project).toEqual([
      '$.createdAt: expected an RFC 3339 date-time string, got 1767225600',
    ]);
  });

  it('flags unknown members, wrong types and unions with two members', () => {
    expect(
      checkWireShape(dz.DomainUnitSummary$, { id: 'u', name: 3, extra: true }),
    ).toEqual([
      '$.name: expected string, got number',
      '$: unknown member extra',
    ]);
    expect(
      checkWireShape(dz.MemberDetails$, {
        user: { userId: 'a' },
        group: { groupId: 'b' },
      }),
    ).toEqual(['$: union must have exactly one member set']);
  });

  it('accepts what the serializer writes for a complete output', () => {
    const wire = toWire(dz.GetProjectOutput$, {
      domainId: 'dzd_1',
      id: 'p',
      name: 'Project',
      createdBy: 'u',
      createdAt: new Date(0),
      lastUpdatedAt: new Date(1000),
    });
    expect(wire).toMatchObject({ createdAt: '1970-01-01T00:00:00.000Z' });
    expect(checkWireShape(dz.GetProjectOutput$, wire)).toEqual([]);
    const domain = toWire(dz.GetDomainOutput$, {
      id: 'dzd_1',
      domainExecutionRole: 'r',
      status: 'AVAILABLE',
      createdAt: new Date(1500),
    });
    expect(domain).toMatchObject({ createdAt: 1.5 });
  });
});
