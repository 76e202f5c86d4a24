import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  ServiceFactoryTester,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AwsClientFactory } from './aws/AwsClientFactory';
import {
  awsClientFactoryServiceFactory,
  awsClientFactoryServiceRef,
} from './aws/awsClientFactoryService';
import {
  DataMeshCatalogSyncService,
  dataMeshCatalogSyncServiceRef,
} from './services/DataMeshCatalogSyncService';

// A plugin that records the instance it was given.
function recordingPlugin<T>(
  pluginId: string,
  ref: typeof awsClientFactoryServiceRef | typeof dataMeshCatalogSyncServiceRef,
  seen: T[],
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { service: ref, logger: coreServices.logger },
        async init({ service }) {
          seen.push(service as T);
        },
      });
    },
  });
}

describe('awsClientFactoryServiceRef', () => {
  it('builds the factory from root config', async () => {
    const tester = ServiceFactoryTester.from(awsClientFactoryServiceFactory, {
      dependencies: [
        mockServices.rootConfig.factory({
          data: {
            aws: {
              mainAccount: {
                accessKeyId: 'AKIDTEST',
                secretAccessKey: 'secret',
              },
            },
          },
        }),
      ],
    });
    const factory = await tester.getSubject();
    expect(factory).toBeInstanceOf(AwsClientFactory);
    expect(await tester.getSubject()).toBe(factory);
  });

  it('gives every plugin of a backend the same instance, without being registered', async () => {
    const seen: AwsClientFactory[] = [];
    const backend = await startTestBackend({
      features: [
        recordingPlugin('catalog', awsClientFactoryServiceRef, seen),
        recordingPlugin('scaffolder', awsClientFactoryServiceRef, seen),
        recordingPlugin('data-mesh', awsClientFactoryServiceRef, seen),
      ],
    });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBeInstanceOf(AwsClientFactory);
    expect(new Set(seen).size).toBe(1);
    await backend.stop();
  });
});

describe('dataMeshCatalogSyncServiceRef', () => {
  it('has no default: a backend that needs it without the catalog module fails to start', async () => {
    await expect(
      startTestBackend({
        features: [
          recordingPlugin('scaffolder', dataMeshCatalogSyncServiceRef, []),
        ],
      }),
    ).rejects.toThrow(/data-mesh\.catalog-sync/);
  });

  it('is shared by every plugin once an implementation is registered', async () => {
    const implementation: DataMeshCatalogSyncService = {
      syncDataProduct: async ({ dataProductId }) => ({
        entityRefs: [`system:default/${dataProductId}`],
      }),
    };
    const seen: DataMeshCatalogSyncService[] = [];
    const backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: dataMeshCatalogSyncServiceRef,
          deps: {},
          factory: () => implementation,
        }),
        recordingPlugin('scaffolder', dataMeshCatalogSyncServiceRef, seen),
        recordingPlugin('data-mesh', dataMeshCatalogSyncServiceRef, seen),
      ],
    });
    expect(seen).toEqual([implementation, implementation]);
    await expect(
      seen[0].syncDataProduct({ domainId: 'dzd_1', dataProductId: 'dp_1' }),
    ).resolves.toEqual({ entityRefs: ['system:default/dp_1'] });
    await backend.stop();
  });
});
