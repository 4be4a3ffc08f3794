// Until the WebAssembly has loaded (a slow phone) or when scripts are off,
// the chat is plain HTML forms: nothing typed or tapped early is lost.
// The turns are Uma's, so they count against her per-minute limit rather
// than the administrator's.
import { type Page } from '@playwright/test';
import { expect, test } from './test';

import {
  NO_RIGHTS_USER,
  lastAssistantMessage,
  messageBox,
  messages,
  newBrowser,
  sendButton,
  signIn,
  signOut,
  uniqueMessage,
  untilLive,
} from './support';

const GREETING_REPLY = 'not a language model';
const GROUPS_SUGGESTION = 'What are the Okta groups for user bob@example.com?';

// The loader's fetch of the blocked WebAssembly fails, uncaught.
test.use({ expectedErrors: [/^Failed to fetch$/] });

/** Keeps the page from ever going live. */
async function neverLive(page: Page): Promise<void> {
  await page.route('**/*.wasm', (route) => route.abort());
}

test('a message sent before the page is live gets its reply', async ({ page }, testInfo) => {
  await neverLive(page);
  await signIn(page, NO_RIGHTS_USER);
  const text = uniqueMessage('hello', testInfo);
  await messageBox(page).fill(text);
  await sendButton(page).click();

  await expect(page).toHaveURL(/\/c\/[^/]+$/);
  await expect(messages(page).locator('li[data-role="user"]')).toContainText([text]);
  await expect(lastAssistantMessage(page)).toContainText(GREETING_REPLY);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);

  // The next one goes to the same conversation.
  const second = uniqueMessage('hello again', testInfo);
  await messageBox(page).fill(second);
  await sendButton(page).click();
  await expect(messages(page).locator('li[data-role="user"]')).toContainText([text, second]);
});

test('Enter sends a message before the page is live, and Shift+Enter adds a line', async ({ page }, testInfo) => {
  await neverLive(page);
  await signIn(page, NO_RIGHTS_USER);
  const text = uniqueMessage('enter', testInfo);
  await messageBox(page).fill(text);
  await messageBox(page).press('Shift+Enter');
  await expect(messageBox(page)).toHaveValue(`${text}\n`);
  await messageBox(page).press('Enter');

  await expect(page).toHaveURL(/\/c\/[^/]+$/);
  await expect(messages(page).locator('li[data-role="user"]')).toContainText([text]);
  await expect(lastAssistantMessage(page)).toContainText(GREETING_REPLY);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);
});

test('a suggestion tapped before the page is live is sent', async ({ page }) => {
  await neverLive(page);
  await signIn(page, NO_RIGHTS_USER);
  await page.getByRole('button', { name: GROUPS_SUGGESTION, exact: true }).click();
  await expect(page).toHaveURL(/\/c\/[^/]+$/);
  await expect(messages(page).locator('li[data-role="user"]')).toContainText([GROUPS_SUGGESTION]);
  await expect(messages(page).locator('li[data-role="assistant"], li[data-role="notice"]').first()).toBeVisible();
});

test('what is typed before the page is live is still there once it is', async ({ page }, testInfo) => {
  let goLive!: () => void;
  const live = new Promise<void>((resolve) => (goLive = resolve));
  await page.route('**/*.wasm', async (route) => {
    await live;
    await route.continue();
  });
  await signIn(page, NO_RIGHTS_USER);
  const text = uniqueMessage('hello', testInfo);
  await messageBox(page).fill(text);
  goLive();
  await untilLive(page);
  await expect(messageBox(page)).toHaveValue(text);
  await messageBox(page).press('Enter');
  await expect(messages(page).locator('li[data-role="user"]')).toContainText([text]);
  await expect(lastAssistantMessage(page)).toContainText(GREETING_REPLY);
});

test('signing in, chatting and signing out work without JavaScript', async ({ browser }, testInfo) => {
  const context = await newBrowser(browser, testInfo, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signIn(page, NO_RIGHTS_USER);
    const text = uniqueMessage('hello', testInfo);
    await messageBox(page).fill(text);
    await sendButton(page).click();
    await expect(lastAssistantMessage(page)).toContainText(GREETING_REPLY);
    await signOut(page);
  } finally {
    await context.close();
  }
});

test('the suggestions work from the keyboard once the page is live', async ({ page }) => {
  await signIn(page, NO_RIGHTS_USER);
  await untilLive(page);
  const suggestion = page.getByRole('button', { name: GROUPS_SUGGESTION, exact: true });
  await suggestion.focus();
  await page.keyboard.press('Enter');
  await expect(messages(page).locator('li[data-role="user"]')).toContainText([GROUPS_SUGGESTION]);
  await expect(messages(page).locator('li[data-role="assistant"], li[data-role="notice"]').first()).toBeVisible();
  // Streamed in place: no page load.
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
});
