import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/** The variable the test command sets to its own PostgreSQL 15 server. */
export const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The PostgreSQL connection string for tests. Missing PostgreSQL is a failure, not a
 * skip: TestDatabases would otherwise quietly test SQLite only.
 */
export function postgresConnectionString(): string {
  const value = process.env[POSTGRES_ENV];
  if (!value) {
    throw new Error(
      `${POSTGRES_ENV} is not set: run the tests with the README's test command (scripts/test.sh), which starts PostgreSQL 15`,
    );
  }
  return value;
}

/** The database engines every store and backend test runs on. */
export const DATABASE_IDS: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15'];

/** TestDatabases over in-memory SQLite and PostgreSQL 15 (required). */
export function createTestDatabases(): TestDatabases {
  postgresConnectionString();
  return TestDatabases.create({ ids: DATABASE_IDS, disableDocker: true });
}

/**
 * `backend.database` config for a whole test backend on the given engine, isolated by a
 * unique prefix so parallel tests never share databases.
 */
export function backendDatabaseConfig(id: 'SQLITE_3' | 'POSTGRES_15') {
  if (id === 'SQLITE_3') {
    return { client: 'better-sqlite3', connection: ':memory:' };
  }
  const unique = `dmp${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}_`;
  return {
    client: 'pg',
    connection: postgresConnectionString(),
    prefix: unique,
  };
}
