import { defineConfig } from '@playwright/test';

const chromium = process.env.DMP_CHROMIUM ?? '/usr/bin/chromium';
// Separate output folders let two runs on one machine not clean each other's artifacts.
const output = process.env.DMP_E2E_OUTPUT_DIR ?? '../node_modules/.cache';

export default defineConfig({
  testDir: './tests',
  globalSetup: require.resolve('./global-setup'),
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: `${output}/e2e-results.json` }]],
  outputDir: `${output}/e2e-test-results`,
  use: {
    baseURL: process.env.DMP_E2E_APP_URL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
