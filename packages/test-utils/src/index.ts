export {
  POSTGRES_ENV,
  DATABASE_IDS,
  backendDatabaseConfig,
  createTestDatabases,
  postgresConnectionString,
} from './databases';
