import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsClientFactory } from '@data-mesh-portal/plugin-data-mesh-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { AwsSignalReader } from './signalReaders';

// A stub DataZone speaking just ListTimeSeriesDataPoints (the local AWS
// stand-in does not have the time-series operations yet).
describe('AwsSignalReader data quality', () => {
  let server: http.Server;
  let endpoint: string;
  const requests: string[] = [];
  let mode: 'ok' | 'unknown-operation' | 'outage' = 'ok';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      if (mode === 'unknown-operation') {
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'UnknownOperationException',
        });
        res.end(JSON.stringify({ message: 'unknown operation' }));
        return;
      }
      if (mode === 'outage') {
        res.writeHead(503, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ServiceUnavailableException',
        });
        res.end(JSON.stringify({ message: 'down' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          items: [
            {
              formName: 'DataQualityResultForm',
              typeIdentifier: 'amazon.datazone.DataQualityResultFormType',
              timestamp: 1_763_600_000,
              id: 'p1',
              contentSummary: JSON.stringify({
                passingPercentage: 50,
                evaluationsCount: 2,
                evaluations: [
                  {
                    types: ['RowCount'],
                    description: 'RowCount > 0',
                    applicableFields: [],
                    status: 'PASS',
                  },
                  {
                    types: ['IsComplete'],
                    description: 'IsComplete "id"',
                    applicableFields: ['id'],
                    status: 'FAIL',
                  },
                ],
              }),
            },
          ],
        }),
      );
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  function reader() {
    return new AwsSignalReader({
      clientFactory: AwsClientFactory.create({
        credentialsManager: DefaultAwsCredentialsManager.fromConfig(
          new ConfigReader({
            aws: {
              mainAccount: { accessKeyId: 'AKIATEST', secretAccessKey: 'x' },
            },
          }),
        ),
        endpoint,
        maxAttempts: 1,
      }),
      logger: mockServices.logger.mock(),
      dataZoneDomains: { dzd_1: { region: 'eu-west-1' } },
    });
  }
  const location = { dataZone: { domainId: 'dzd_1', assetId: 'asset1' } };

  it('reads data-quality runs with formName, once per cache period', async () => {
    mode = 'ok';
    const r = reader();
    const signals = await r.read(location);
    await r.read(location);
    expect(
      requests.filter(u => u.includes('time-series-data-points')),
    ).toHaveLength(1);
    expect(requests[0]).toContain(
      '/v2/domains/dzd_1/entities/ASSET/asset1/time-series-data-points',
    );
    expect(requests[0]).toContain('formName=DataQualityResultForm');
    expect(signals.quality).toMatchObject({
      ok: true,
      data: {
        runs: [
          {
            timestamp: new Date(1_763_600_000_000),
            passingPercentage: 50,
            evaluations: [
              { types: ['RowCount'], status: 'PASS', applicableFields: [] },
              {
                types: ['IsComplete'],
                status: 'FAIL',
                applicableFields: ['id'],
              },
            ],
          },
        ],
      },
    });
  });

  it('says "not available" where DataZone has no time-series operation', async () => {
    mode = 'unknown-operation';
    const signals = await reader().read(location);
    expect(signals.quality).toMatchObject({
      ok: false,
      kind: 'not-configured',
    });
    expect(signals.quality?.ok === false && signals.quality.reason).toMatch(
      /^not available/,
    );
  });

  it('reports an outage as unavailable, not as missing data', async () => {
    mode = 'outage';
    const signals = await reader().read(location);
    expect(signals.quality).toMatchObject({ ok: false, kind: 'unavailable' });
  });
});
