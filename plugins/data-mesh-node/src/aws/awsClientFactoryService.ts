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
 * The default factory reads root config (`aws.*`) and `AWS_ENDPOINT_URL`.
 *
 * @public
 */
export const awsClientFactoryServiceRef = createServiceRef<AwsClientFactory>({
  id: 'data-mesh.aws-client-factory',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        lifecycle: coreServices.rootLifecycle,
      },
      factory({ config, lifecycle }) {
        const factory = AwsClientFactory.fromConfig(config);
        lifecycle.addShutdownHook(() => factory.destroy());
        return factory;
      },
    }),
});
