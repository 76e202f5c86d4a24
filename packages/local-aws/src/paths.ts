import { dirname, join } from 'node:path';

/**
 * The package's own directory, found through module resolution rather than `__dirname`
 * (which points elsewhere once bundled): seed data and the CLI's default data dir are
 * located from here.
 */
export function packageRoot(): string {
  return dirname(require.resolve('@data-mesh-portal/local-aws/package.json'));
}

/** Files shipped with the seed (`src/seed/data/…`). */
export const seedDataFile = (name: string) =>
  join(packageRoot(), 'src', 'seed', 'data', name);
