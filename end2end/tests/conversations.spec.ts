// Managing conversations from the sidebar, with the keyboard only.
import { type Page } from '@playwright/test';
import { expect, test } from './test';

import {
  HELPDESK,
  conversations,
  lastAssistantMessage,
  messageBox,
  messages,
  seriousViolations,
  signIn,
  typeMessage,
  uniqueMessage,
  untilLive,
} from './support';

async function startConversation(page: Page, text: string): Promise<void> {
  await typeMessage(page, text);
  await messageBox(page).press('Enter');
  await expect(lastAssistantMessage(page)).not.toBeEmpty();
  await expect(messageBox(page)).toBeEnabled();
}

test('a conversation is renamed in place from the keyboard', async ({ page }, testInfo) => {
  await signIn(page, HELPDESK);
  const first = uniqueMessage('hello rename', testInfo);
  await startConversation(page, first);
  const renamed = uniqueMessage('Okta audit', testInfo);

  const nav = await conversations(page);
  await nav.getByRole('button', { name: `Rename ${first}` }).focus();
  await page.keyboard.press('Enter');
  const field = nav.getByRole('textbox', { name: 'New title' });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(first);
  expect(await seriousViolations(page)).toEqual([]);
  // Escape leaves it as it was.
  await page.keyboard.press('Escape');
  await expect(nav.getByRole('link', { name: first })).toBeVisible();

  await nav.getByRole('button', { name: `Rename ${first}` }).focus();
  await page.keyboard.press('Enter');
  await expect(field).toBeFocused();
  await page.keyboard.type(renamed);
  await page.keyboard.press('Enter');
  await expect(nav.getByRole('link', { name: renamed })).toBeVisible();
  await expect(nav.getByRole('link', { name: first })).toHaveCount(0);

  await page.reload();
  await expect((await conversations(page)).getByRole('link', { name: renamed })).toBeVisible();
});

test('deleting a conversation asks first, then removes it and what it held', async ({ page }, testInfo) => {
  await signIn(page, HELPDESK);
  const kept = uniqueMessage('hello kept', testInfo);
  await startConversation(page, kept);
  await page.keyboard.press('Alt+Shift+N');
  await expect(messages(page).locator('li')).toHaveCount(0);
  const doomed = uniqueMessage('hello doomed', testInfo);
  await startConversation(page, doomed);
  const address = page.url();

  const nav = await conversations(page);
  await nav.getByRole('button', { name: `Delete ${doomed}` }).focus();
  await page.keyboard.press('Enter');
  const confirm = nav.getByRole('group', { name: 'Confirm deletion' });
  await expect(confirm).toContainText('Its messages and approvals go too.');
  expect(await seriousViolations(page)).toEqual([]);
  // "Keep" changes nothing.
  await confirm.getByRole('button', { name: 'Keep' }).focus();
  await page.keyboard.press('Enter');
  await expect(nav.getByRole('link', { name: doomed })).toBeVisible();

  await nav.getByRole('button', { name: `Delete ${doomed}` }).focus();
  await page.keyboard.press('Enter');
  await confirm.getByRole('button', { name: 'Delete' }).focus();
  await page.keyboard.press('Enter');
  // It was open: the chat is a new one now.
  await expect(messages(page).locator('li')).toHaveCount(0);
  await expect(page).toHaveURL(/\/$/);
  const after = await conversations(page);
  await expect(after.getByRole('link', { name: doomed })).toHaveCount(0);
  await expect(after.getByRole('link', { name: kept })).toBeVisible();

  await page.goto(address);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('shortcuts start a new chat and reach the message box, and are listed', async ({ page }, testInfo) => {
  await signIn(page, HELPDESK);
  await startConversation(page, uniqueMessage('hello shortcuts', testInfo));
  await untilLive(page);

  // Nothing focused: the key is not typed into a field.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('/');
  await expect(messageBox(page)).toBeFocused();
  await expect(messageBox(page)).toHaveValue('');

  await page.keyboard.press('Alt+Shift+N');
  await expect(messages(page).locator('li')).toHaveCount(0);
  await expect(page).toHaveURL(/\/$/);
  await expect(messageBox(page)).toBeFocused();

  const nav = await conversations(page);
  await nav.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Start a new chat');
  await expect(help).toContainText('Go to the message box');
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('conversations are found by title and by what was said, from the keyboard', async ({ page }, testInfo) => {
  await signIn(page, HELPDESK);
  const marker = uniqueMessage('quarterly', testInfo).replaceAll(' ', '-');
  const titled = `Repeat after me: ${marker} Okta review`;
  await startConversation(page, titled);
  await page.keyboard.press('Alt+Shift+N');
  const greeting = uniqueMessage('hello search', testInfo);
  await startConversation(page, greeting);

  const nav = await conversations(page);
  const search = nav.getByRole('searchbox', { name: 'Search conversations' });
  await search.focus();
  await page.keyboard.type(marker.toUpperCase());
  await expect(nav.getByRole('link', { name: titled })).toBeVisible();
  // Conversation links only: the sidebar also links to the Audit page.
  await expect(nav.locator('a[href*="/c/"]')).toHaveCount(1);

  // The greeting's reply says "not a language model".
  await search.fill('');
  await page.keyboard.type('Language Model');
  await expect(nav.getByRole('link', { name: greeting })).toBeVisible();
  await expect(nav.getByRole('link', { name: titled })).toHaveCount(0);

  await search.fill('');
  await page.keyboard.type(`${marker}-nowhere`);
  await expect(nav.getByRole('status')).toContainText('No conversation mentions');

  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(nav.getByRole('link', { name: titled })).toBeVisible();
  await expect(nav.getByRole('link', { name: greeting })).toBeVisible();
});
