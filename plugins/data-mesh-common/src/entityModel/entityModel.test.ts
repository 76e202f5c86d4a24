import { Entity } from '@backstage/catalog-model';
import * as annotations from './annotations';
import {
  isDataProductEntity,
  isDatasetEntity,
  isDataTeamEntity,
} from './types';

function entity(kind: string, type?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'x' },
    spec: type ? { type } : {},
  };
}

describe('annotations', () => {
  it('all live under the data-mesh-portal.io/ prefix, except the AWS ARN', () => {
    const values = Object.entries(annotations)
      .filter(([key]) => key.startsWith('ANNOTATION_'))
      .map(([, value]) => value);
    expect(values.length).toBeGreaterThanOrEqual(18);
    expect(new Set(values).size).toBe(values.length);
    expect(
      values.filter(
        value => !value.startsWith(annotations.DATA_MESH_ANNOTATION_PREFIX),
      ),
    ).toEqual(['amazonaws.com/arn']);
    for (const value of values) {
      // Backstage annotation keys: optional DNS prefix, then a name of ≤ 63 chars.
      expect(value.split('/')[1]).toMatch(
        /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/,
      );
    }
    expect(annotations.ANNOTATION_DATAZONE_DOMAIN_ID).toBe(
      'data-mesh-portal.io/datazone-domain-id',
    );
  });
});

describe('entity type helpers', () => {
  it('recognise data products, datasets and data teams by kind and spec.type', () => {
    expect(isDataProductEntity(entity('System', 'data-product'))).toBe(true);
    expect(isDataProductEntity(entity('system', 'data-product'))).toBe(true);
    expect(isDataProductEntity(entity('System', 'service'))).toBe(false);
    expect(isDataProductEntity(entity('Component', 'data-product'))).toBe(
      false,
    );

    expect(isDatasetEntity(entity('API', 'dataset'))).toBe(true);
    expect(isDatasetEntity(entity('API', 'openapi'))).toBe(false);
    expect(isDatasetEntity(entity('System', 'dataset'))).toBe(false);
    expect(isDatasetEntity(entity('API'))).toBe(false);

    expect(isDataTeamEntity(entity('Group', 'data-team'))).toBe(true);
    expect(isDataTeamEntity(entity('Group', 'team'))).toBe(false);
  });
});
