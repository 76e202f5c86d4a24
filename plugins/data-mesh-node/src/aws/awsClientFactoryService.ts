import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  RootConfigService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { AwsClientFactory } from './AwsClientFactory';

function createFromRootConfig(deps: {
  config: RootConfigService;
  lifecycle: RootLifecycleService;
}): AwsClientFactory {
  const factory = AwsClientFactory.fromConfig(deps.config);
  deps.lifecycle.addShutdownHook(() => factory.destroy());
  return factory;
}

const rootDeps = {
  config: coreServices.rootConfig,
  lifecycle: coreServices.rootLifecycle,
};

/**
 * The backend's shared {@link AwsClientFactory}. Root scoped, so the catalog
 * module, the scaffolder module and the data-mesh backend plugin use one
 * instance (one client and connection pool per service, account and region).
 * Its default factory reads root config (`aws.*`) and `AWS_ENDPOINT_URL`, and
 * closes the clients on shutdown.
 *
 * @public
 */
export const awsClientFactoryServiceRef = createServiceRef<AwsClientFactory>({
  id: 'data-mesh.aws-client-factory',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: rootDeps,
      factory: createFromRootConfig,
    }),
});

/**
 * The same factory as the default of {@link awsClientFactoryServiceRef}, for
 * tests and for backends that register it explicitly.
 *
 * @public
 */
export const awsClientFactoryServiceFactory = createServiceFactory({
  service: awsClientFactoryServiceRef,
  deps: rootDeps,
  factory: createFromRootConfig,
});
