import { defineConfig, devices } from '@playwright/test';

import { DEVICES } from './devices';

// `cargo xtask test` starts Custodian and the sandbox on test ports and
// passes their addresses here.
const baseURL = process.env.CUSTODIAN_URL ?? 'http://localhost:3200';

export default defineConfig({
  testDir: './tests',
  // Two cores run the BFF, the sandbox and the browser: one test at a time.
  workers: 1,
  retries: 0,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      // The distribution's Chromium; Playwright downloads no browser.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: Object.entries(DEVICES).map(([name, device]) => ({
    name,
    use: { ...devices[device] },
  })),
});
