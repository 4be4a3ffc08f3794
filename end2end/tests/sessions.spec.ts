// The session panel: where the administrator is signed in, and signing
// out one other session or all of them from here.
import { type Page } from '@playwright/test';
import { expect, test } from './test';

import { conversations, messageBox, newBrowser, seriousViolations, signIn } from './support';

/** Opens the session panel (in the drawer on a phone); returns its list. */
async function signedInOn(page: Page) {
  const nav = await conversations(page);
  const section = nav.getByRole('region', { name: 'Signed in on' });
  // A tap before hydration opens the panel but loads nothing: tap again.
  await expect(async () => {
    if (!(await section.isVisible())) await nav.getByText('Session details').click();
    await expect(section.getByTestId('session-row').first()).toBeVisible({ timeout: 1_000 });
  }).toPass();
  return section;
}

test('the session panel lists this browser first and signs out the others', async ({ page, browser }, testInfo) => {
  const others = [await newBrowser(browser, testInfo), await newBrowser(browser, testInfo)];
  const otherPages = await Promise.all(others.map((context) => context.newPage()));
  for (const other of otherPages) await signIn(other);
  await signIn(page);

  const section = await signedInOn(page);
  const rows = section.getByTestId('session-row');
  await expect(rows.first()).toHaveAttribute('data-current', 'true');
  await expect(rows.first()).toContainText(/^Chrome on \w/);
  await expect(rows.first()).toContainText('This browser');
  await expect(rows.first()).toContainText(/Signed in \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  // Sessions of earlier tests may still be live: at least these three.
  const before = await rows.count();
  expect(before).toBeGreaterThanOrEqual(3);
  expect(await seriousViolations(page)).toEqual([]);

  // One other session, by its own button.
  await rows.nth(1).getByRole('button', { name: /^Sign out Chrome on/ }).click();
  await expect(section.getByTestId('sessions-outcome')).toContainText(/Signed out Chrome on/);
  await expect(rows).toHaveCount(before - 1);

  // Then all the others.
  await section.getByRole('button', { name: 'Sign out other sessions' }).click();
  await expect(section.getByTestId('sessions-outcome')).toContainText(/Signed out \d+ other sessions?\./);
  await expect(rows).toHaveCount(1);
  await expect(section.getByRole('button', { name: 'Sign out other sessions' })).toHaveCount(0);

  for (const other of otherPages) {
    await other.reload();
    await expect(other.getByRole('link', { name: 'Sign in' })).toBeVisible();
  }
  await page.reload();
  await expect(messageBox(page)).toBeVisible();
  for (const context of others) await context.close();
});
