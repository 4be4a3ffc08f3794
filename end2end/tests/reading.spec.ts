import { type Page } from '@playwright/test';
import { expect, test } from './test';

import {
  NO_RIGHTS_USER,
  lastAssistantMessage,
  messageBox,
  messages,
  signIn,
  typeMessage,
  uniqueMessage,
} from './support';

// These turns are Uma's (who may do nothing else), so that they count
// against her per-minute limit rather than the administrator's.
//
// The sandbox agent answers "Repeat after me: …" with the words after the
// colon, as a model answers in Markdown of its own choosing.
const MARKDOWN_REPLY = [
  'Groups for **bob**:',
  '',
  '- `Engineering`',
  '- *Everyone*',
  '',
  '```',
  'okta groups list --user bob',
  '```',
  '',
  '| group | members |',
  '|---|---|',
  '| Engineering | 4 |',
  '',
  'See [the docs](https://example.com/docs).',
].join('\n');

async function send(page: Page, text: string): Promise<void> {
  await typeMessage(page, text);
  await messageBox(page).press('Enter');
  await expect(messageBox(page)).toBeEnabled();
  await expect(messageBox(page)).toHaveValue('');
}

/** Starts recording the page's Content-Security-Policy violations. */
async function recordBlocked(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const blocked: string[] = [];
    (window as unknown as { __blocked: string[] }).__blocked = blocked;
    document.addEventListener('securitypolicyviolation', (event) =>
      blocked.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __blocked: string[] }).__blocked);
}

function conversationScroll(page: Page) {
  return messages(page).evaluate((list) => {
    const scroller = list.closest('section')!;
    return { top: scroller.scrollTop, end: scroller.scrollHeight - scroller.clientHeight };
  });
}

test('a Markdown reply renders as emphasis, lists, code, a table and a safe link', async ({ page }) => {
  await signIn(page, NO_RIGHTS_USER);
  await send(page, `Repeat after me:\n${MARKDOWN_REPLY}`);

  const reply = lastAssistantMessage(page);
  await expect(reply.locator('strong')).toHaveText('bob');
  await expect(reply.getByRole('listitem')).toHaveText(['Engineering', 'Everyone']);
  await expect(reply.locator('li code')).toHaveText('Engineering');
  await expect(reply.locator('pre code')).toHaveText('okta groups list --user bob');
  const table = reply.getByRole('table');
  await expect(table.getByRole('columnheader')).toHaveText(['group', 'members']);
  await expect(table.getByRole('cell')).toHaveText(['Engineering', '4']);
  const link = reply.getByRole('link', { name: 'the docs' });
  await expect(link).toHaveAttribute('href', 'https://example.com/docs');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(reply).not.toContainText('**');

  // The stored conversation renders the same on the server.
  await page.reload();
  await expect(lastAssistantMessage(page).getByRole('table').getByRole('cell')).toHaveText(['Engineering', '4']);
  await expect(lastAssistantMessage(page).getByRole('listitem')).toHaveText(['Engineering', 'Everyone']);
});

test('markup in a reply shows as text: nothing runs, loads or is blocked', async ({ page }, testInfo) => {
  await signIn(page, NO_RIGHTS_USER);
  const blocked = await recordBlocked(page);
  const markup =
    '<script>window.__ran = "script"</script>\n\n' +
    `Look <img src="/favicon.svg?${testInfo.project.name}" onerror="window.__ran = 'img'"> ` +
    '<b>bold</b> [click](javascript:window.__ran="link")';
  const loaded: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('favicon.svg?')) loaded.push(request.url());
  });
  await send(page, `Repeat after me: ${markup}`);

  const reply = lastAssistantMessage(page);
  await expect(reply).toContainText('<script>window.__ran = "script"</script>');
  await expect(reply).toContainText('<img src=');
  await expect(reply).toContainText('<b>bold</b>');
  await expect(reply.locator('script, img, b, a')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __ran?: string }).__ran)).toBeUndefined();
  expect(loaded).toEqual([]);
  expect(await blocked()).toEqual([]);
});

test('the newest reply stays in view turn after turn, unless the user scrolls up to read', async ({ page }, testInfo) => {
  test.slow();
  await signIn(page, NO_RIGHTS_USER);
  for (let turn = 1; turn <= 10; turn++) {
    await send(page, uniqueMessage(`hello ${turn}`, testInfo));
    await expect(messages(page).locator('li[data-role="assistant"]')).toHaveCount(turn);
    await expect(lastAssistantMessage(page)).toBeInViewport({ ratio: 1 });
  }
  const live = page.locator('p[aria-live="polite"]');
  await expect(live).toContainText('not a language model');

  // A long reply; once it has started, the user scrolls up to read.
  const words = Array.from({ length: 150 }, (_, i) => `word${i}`).join(' ');
  await typeMessage(page, `Repeat after me: ${words}`);
  await messageBox(page).press('Enter');
  await expect(lastAssistantMessage(page)).toContainText('word3');
  await messages(page).evaluate((list) => {
    list.closest('section')!.scrollTop = 0;
  });
  await expect(lastAssistantMessage(page)).toContainText('word149');
  await expect(messageBox(page)).toBeEnabled();
  expect((await conversationScroll(page)).top).toBe(0);
  const jump = page.getByRole('button', { name: 'Jump to latest' });
  await expect(jump).toBeVisible();

  await jump.click();
  await expect(lastAssistantMessage(page)).toBeInViewport();
  const { top, end } = await conversationScroll(page);
  expect(end - top).toBeLessThanOrEqual(1);
  await expect(jump).toHaveCount(0);
});
