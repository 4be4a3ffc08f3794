// The `test` every browser test uses: Playwright's, failing the test when
// a page it opened threw an uncaught error — a WebAssembly panic leaves the
// page frozen, however green the assertions before it were.
import { type Browser, type BrowserContext, test as base } from '@playwright/test';

export { expect } from '@playwright/test';

function watch(context: BrowserContext, errors: string[]): void {
  context.on('weberror', (error) => errors.push(error.error().message));
}

export const test = base.extend<{ uncaughtErrors: void; expectedErrors: RegExp[] }>({
  // Errors a test causes on purpose (`test.use` in its file), such as the
  // loader's when the test blocks the WebAssembly.
  expectedErrors: [[], { option: true }],
  uncaughtErrors: [
    async ({ browser, context, expectedErrors }, use) => {
      const errors: string[] = [];
      watch(context, errors);
      // Second devices (an approver's phone, another session) too.
      const newContext = browser.newContext.bind(browser);
      const patched = browser as Browser & { newContext: Browser['newContext'] };
      patched.newContext = async (options) => {
        const opened = await newContext(options);
        watch(opened, errors);
        return opened;
      };
      try {
        await use();
      } finally {
        patched.newContext = newContext;
      }
      const unexpected = errors.filter((error) => !expectedErrors.some((expected) => expected.test(error)));
      base.expect(unexpected, 'uncaught errors in the pages').toEqual([]);
    },
    { auto: true },
  ],
});
