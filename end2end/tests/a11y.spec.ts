import AxeBuilder from '@axe-core/playwright';
import { type Page, expect, test } from '@playwright/test';

import { conversations, lastAssistantMessage, messageBox, signIn, typeMessage, uniqueMessage } from './support';

/** WCAG 2 A and AA violations that would block or seriously hinder someone. */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

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
