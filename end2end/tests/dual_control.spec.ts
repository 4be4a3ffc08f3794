// Dual control: resetting the password of a member of a privileged Okta
// group (IT Admins in the local settings) waits for the requester's own
// approval and a second administrator's, each on their own phone. The
// auditor then finds every step on the Audit page and in its CSV.
import { readFile } from 'node:fs/promises';

import { type Browser, type Locator, type Page, type TestInfo, devices } from '@playwright/test';
import { expect, test } from './test';

import { ADMIN, PHONE_DEVICE, ask, guardianRequest, openGuardian, resetCount, signIn, uniqueMessage } from './support';

const SECOND_ADMIN = {
  email: 'second.admin@example.com',
  password: 'second-demo',
  name: 'Sam Second',
  initials: 'SS',
};
const TARGET = 'ops.admin@example.com';
const STATE_CHANGE = { timeout: 20_000 };
const CODE = /[A-Z0-9]{3}-[A-Z0-9]{3}/;

async function phone(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    ...devices[PHONE_DEVICE],
    baseURL: testInfo.project.use.baseURL,
  });
  return context.newPage();
}

/** Asks for the privileged reset; its card, both codes and both parts. */
async function askPrivilegedReset(page: Page, testInfo: TestInfo, label: string) {
  const turn = await ask(page, `Reset the password for ${TARGET} (${uniqueMessage(label, testInfo)})`);
  await expect(turn.cards).toHaveCount(1);
  const card = turn.cards.first();
  const parts = card.getByTestId('approval-part');
  await expect(parts).toHaveCount(2);
  await expect(parts.nth(0)).toHaveText('Yours: Waiting');
  await expect(parts.nth(1)).toContainText(`Second administrator, ${SECOND_ADMIN.email}`);
  await expect(parts.nth(1)).toContainText('Waiting');
  const own = ((await card.getByTestId('binding-code').textContent()) ?? '').trim();
  const second = CODE.exec((await parts.nth(1).textContent()) ?? '')![0];
  expect(own).toMatch(CODE);
  expect(second).not.toBe(own);
  return { card, parts, own, second };
}

/** Answers the request with `code` on `user`'s phone, after reading it. */
async function answerOnPhone(
  browser: Browser,
  testInfo: TestInfo,
  user: typeof ADMIN,
  code: string,
  answer: 'Approve' | 'Deny',
) {
  const handset = await phone(browser, testInfo);
  try {
    await openGuardian(handset, user);
    const request: Locator = guardianRequest(handset, code);
    await expect(request).toHaveCount(1);
    await expect(request.locator('.instruction')).toHaveText(
      `Approve resetting the Okta password of ${TARGET}, requested by ${ADMIN.email} in Custodian.`,
    );
    await request.getByRole('button', { name: answer }).click();
    await expect(guardianRequest(handset, code)).toHaveCount(0);
  } finally {
    await handset.context().close();
  }
}

test('a reset of an administrator waits for the second administrator, then runs once', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(90_000);
  await signIn(page, ADMIN);
  const before = await resetCount(TARGET);
  const { card, parts, own, second } = await askPrivilegedReset(page, testInfo, 'both');

  await answerOnPhone(browser, testInfo, ADMIN, own, 'Approve');
  await expect(parts.nth(0)).toHaveText('Yours: Approved', STATE_CHANGE);
  await expect(card).toHaveAttribute('data-state', 'pending');
  await expect(card.getByRole('status')).toHaveText('Waiting for the second approval');
  expect(await resetCount(TARGET)).toBe(before);

  await answerOnPhone(browser, testInfo, SECOND_ADMIN, second, 'Approve');
  await expect(card).toHaveAttribute('data-state', 'completed', STATE_CHANGE);
  await expect(parts.nth(1)).toContainText('Approved');
  expect(await resetCount(TARGET)).toBe(before + 1);

  // The auditor finds each step, filtered to this account, and downloads it.
  await page.goto(`/audit?action=step_up&target=${encodeURIComponent(TARGET)}`);
  const rows = page.locator('#audit-rows tr[id^="entry-"]');
  for (const [action, actor] of [
    ['step_up.requested', ADMIN.email],
    ['step_up.second_requested', SECOND_ADMIN.email],
    ['step_up.second_approved', SECOND_ADMIN.email],
    ['step_up.approved', ADMIN.email],
  ]) {
    await expect(
      rows
        .filter({ has: page.getByRole('cell', { name: action, exact: true }) })
        .filter({ has: page.getByRole('cell', { name: actor, exact: true }) })
        .first(),
    ).toBeVisible();
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv).toContain(`,step_up.second_approved,${SECOND_ADMIN.email},${TARGET},approved,`);
});

test('a refusal by the second administrator stops the reset cleanly', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  await signIn(page, ADMIN);
  const before = await resetCount(TARGET);
  const { card, own, second } = await askPrivilegedReset(page, testInfo, 'refused');

  await answerOnPhone(browser, testInfo, SECOND_ADMIN, second, 'Deny');
  await expect(card).toHaveAttribute('data-state', 'denied', STATE_CHANGE);
  await expect(card).toContainText(
    `${SECOND_ADMIN.email} denied the second approval, so the password of ${TARGET} was not reset.`,
  );
  // The requester's own approval, given late, changes nothing.
  await answerOnPhone(browser, testInfo, ADMIN, own, 'Approve');
  await expect(card).toHaveAttribute('data-state', 'denied');
  expect(await resetCount(TARGET)).toBe(before);
});
