import { expect, test } from './test';

import {
  conversations,
  lastAssistantMessage,
  messageBox,
  seriousViolations,
  signIn,
  typeMessage,
  uniqueMessage,
} from './support';

test('the signed-out page has no serious accessibility violations', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the chat page has no serious accessibility violations', async ({ page, isMobile }, testInfo) => {
  await signIn(page);
  await typeMessage(page, uniqueMessage('hello', testInfo));
  await messageBox(page).press('Enter');
  await expect(lastAssistantMessage(page)).not.toBeEmpty();
  await expect(messageBox(page)).toBeEnabled();
  expect(await seriousViolations(page)).toEqual([]);

  if (isMobile) {
    // The drawer, once open, is part of the page too.
    await conversations(page);
    expect(await seriousViolations(page)).toEqual([]);
  }
});
