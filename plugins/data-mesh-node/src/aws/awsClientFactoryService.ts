import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { AwsClientFactory } from './AwsClientFactory';

/**
 * The backend's shared {@link AwsClientFactory}. Root scoped, so the catalog
 * module, the scaffolder module and the data-mesh backend plugin use one
 * instance (one client and connection pool per service, account and region).
 * Its default factory is {@link awsClientFactoryServiceFactory}.
 *
 * @public
 */
export const awsClientFactoryServiceRef = createServiceRef<AwsClientFactory>({
  id: 'data-mesh.aws-client-factory',
  scope: 'root',
  // Called lazily, after this module has defined the factory below.
  defaultFactory: async () => awsClientFactoryServiceFactory,
});

function createFromRootConfig(deps: {
  config: typeof coreServices.rootConfig.T;
  lifecycle: typeof coreServices.rootLifecycle.T;
}): AwsClientFactory {
  const factory = AwsClientFactory.fromConfig(deps.config);
  deps.lifecycle.addShutdownHook(() => factory.destroy());
  return factory;
}

/**
 * The default factory of {@link awsClientFactoryServiceRef}: reads root config
 * (`aws.*`) and `AWS_ENDPOINT_URL`, and closes the clients on shutdown.
 * Exported for tests and for backends that register it explicitly.
 *
 * @public
 */
export const awsClientFactoryServiceFactory = createServiceFactory({
  service: awsClientFactoryServiceRef,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.rootLifecycle,
  },
  factory: createFromRootConfig,
});
