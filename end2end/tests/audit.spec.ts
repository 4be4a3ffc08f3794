// The Audit page: an auditor finds what another administrator was refused,
// sees new entries arrive while the page is open, filters and downloads
// them; an administrator without the auditor relation is told so.
import { readFile } from 'node:fs/promises';

import { type Page } from '@playwright/test';
import { expect, test } from './test';

import { ADMIN, HELPDESK, ask, newBrowser, seriousViolations, signIn, uniqueMessage } from './support';

function rows(page: Page) {
  return page.locator('#audit-rows tr[id^="entry-"]');
}

function row(page: Page, cells: string[]) {
  let found = rows(page);
  for (const cell of cells) found = found.filter({ has: page.getByRole('cell', { name: cell, exact: true }) });
  return found;
}

test('an auditor finds a refused reset, watches new entries arrive, filters and downloads them', async ({
  page,
  browser,
}, testInfo) => {
  const helpdesk = await (await newBrowser(browser, testInfo)).newPage();
  try {
    await signIn(helpdesk, HELPDESK);
    const refused = await ask(helpdesk, `Reset the password for bob@example.com (${uniqueMessage('audit', testInfo)})`);
    await expect(refused.notices.first()).toContainText('Permission denied:');

    await signIn(page, ADMIN);
    await expect(page.getByRole('link', { name: 'Audit log', includeHidden: true })).toHaveAttribute('href', '/audit');
    await page.goto('/audit?actor=helpdesk%40example.com');
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(row(page, ['step_up.refused', HELPDESK.email, 'bob@example.com', 'permission-denied']).first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    // Open on the first page, the table takes in what happens meanwhile.
    await ask(helpdesk, `What are the Okta groups for user bob@example.com? (${uniqueMessage('live', testInfo)})`);
    await expect(page.locator('#audit-rows tr.fresh', { hasText: 'okta.groups' }).first()).toBeVisible({ timeout: 15_000 });
    await expect(page.locator('#audit-announce')).toContainText('new');
  } finally {
    await helpdesk.context().close();
  }

  await page.getByLabel('Action').fill('step_up');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=step_up/);
  await expect(rows(page).first()).toBeVisible();
  for (const action of await rows(page).locator('td:nth-child(2)').allTextContents()) {
    expect(action).toMatch(/^step_up\./);
  }

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^custodian-audit-.*\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  const [header, ...lines] = csv.trim().split('\n');
  expect(header).toBe('time,action,actor,target,outcome,id');
  expect(lines).toContainEqual(expect.stringContaining(',step_up.refused,helpdesk@example.com,bob@example.com,permission-denied,'));
  expect(lines.every((line) => line.includes(',helpdesk@example.com,') && line.includes(',step_up.'))).toBe(true);
});

test('an administrator who is not an auditor is told which relation is missing', async ({ page }) => {
  await signIn(page, HELPDESK);
  const response = await page.goto('/audit');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText('You are not permitted to read the audit log');
  await expect(page.getByRole('alert')).toContainText('`auditor` relation on `audit_log:custodian`');
  await expect(rows(page)).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});
