// Just-in-time access: helpdesk is denied a reset, sees who may grant it
// and asks for a while; the approver approves on their own phone after
// reading what is asked; the reset then proceeds with helpdesk's own
// approval, and once the grant lapses the same request is denied again.
// The browser suite's settings offer a 20-second grant for this.
import { type Browser, type Page, type TestInfo, devices } from '@playwright/test';
import { expect, test } from './test';

import {
  ADMIN,
  HELPDESK,
  PHONE_DEVICE,
  ask,
  conversations,
  guardianRequest,
  messages,
  newBrowser,
  openGuardian,
  signIn,
  uniqueMessage,
} from './support';

/** A poll every 5 s: a state change shows within one interval and the request. */
const STATE_CHANGE = { timeout: 20_000 };
const SHORT = 'Request access for 20 seconds';

async function phone(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    ...devices[PHONE_DEVICE],
    baseURL: testInfo.project.use.baseURL,
  });
  return context.newPage();
}

/** Helpdesk asks for a reset and is denied; the denial offers the request. */
async function deniedReset(page: Page, testInfo: TestInfo, label: string) {
  const turn = await ask(page, `Reset the password for bob@example.com (${uniqueMessage(label, testInfo)})`);
  const denial = turn.notices.filter({ hasText: 'Permission denied' });
  await expect(denial).toHaveCount(1);
  await expect(denial).toContainText('Ask admin@example.com or second.admin@example.com to grant it.');
  await expect(denial.getByRole('button', { name: 'Request access for 1 hour' })).toBeVisible();
  return { turn, denial };
}

/** Requests the short grant; the request's card, once the page is back. */
async function requestShortAccess(page: Page, testInfo: TestInfo, label: string) {
  const { denial } = await deniedReset(page, testInfo, label);
  await denial.getByRole('button', { name: SHORT }).click();
  const card = page.getByTestId('step-up').filter({ hasText: 'Access to' }).last();
  await expect(card).toHaveAttribute('data-state', 'pending');
  await expect(card).toContainText('Access to reset passwords for 20 seconds, asked of admin@example.com');
  await expect(card).toContainText("Code on the approver's phone");
  const code = ((await card.getByTestId('binding-code').textContent()) ?? '').trim();
  expect(code).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
  return { card, code };
}

/** Answers the request with `code` on `user`'s phone. */
async function answerOnPhone(browser: Browser, testInfo: TestInfo, user: typeof ADMIN, code: string, answer: 'Approve' | 'Deny') {
  const handset = await phone(browser, testInfo);
  try {
    await openGuardian(handset, user);
    const request = guardianRequest(handset, code);
    await expect(request).toHaveCount(1);
    if (answer === 'Approve') {
      await expect(request.locator('.instruction')).toHaveText(
        `Approve giving ${HELPDESK.email} access to reset passwords for 20 seconds in Custodian.`,
      );
    }
    await request.getByRole('button', { name: answer }).click();
    await expect(guardianRequest(handset, code)).toHaveCount(0);
  } finally {
    await handset.context().close();
  }
}

test('an approved grant lets helpdesk reset until it lapses', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, HELPDESK);
  const { card, code } = await requestShortAccess(page, testInfo, 'grant');

  // The request is on the approver's phone, never on the requester's own.
  const own = await phone(browser, testInfo);
  try {
    await openGuardian(own, HELPDESK);
    await expect(guardianRequest(own, code)).toHaveCount(0);
  } finally {
    await own.context().close();
  }
  await answerOnPhone(browser, testInfo, ADMIN, code, 'Approve');

  await expect(card).toHaveAttribute('data-state', 'completed', STATE_CHANGE);
  await expect(card).toContainText('Granted');
  const until = card.getByText(/^Active until \d\d:\d\d:\d\d UTC$/);
  await expect(until).toBeVisible();
  const activeUntil = (await until.textContent()) ?? '';
  await expect(
    messages(page).locator('li[data-role="assistant"]', {
      hasText: 'admin@example.com approved your request: you may reset passwords until',
    }),
  ).toHaveCount(1);

  // The reset now proceeds, with helpdesk's own approval on their phone.
  const turn = await ask(page, `Reset the password for bob@example.com (${uniqueMessage('granted', testInfo)})`);
  await expect(turn.notices).toHaveCount(0);
  const reset = turn.cards.first();
  await expect(reset).toContainText('Code on your phone');
  const resetCode = ((await reset.getByTestId('binding-code').textContent()) ?? '').trim();
  const handset = await phone(browser, testInfo);
  try {
    await openGuardian(handset, HELPDESK);
    await guardianRequest(handset, resetCode).getByRole('button', { name: 'Approve' }).click();
  } finally {
    await handset.context().close();
  }
  await expect(reset).toHaveAttribute('data-state', 'completed', STATE_CHANGE);

  // Once the grant's time is up, FGA denies the same request again.
  const [, hh, mm, ss] = /(\d\d):(\d\d):(\d\d)/.exec(activeUntil)!;
  const lapse = new Date();
  lapse.setUTCHours(Number(hh), Number(mm), Number(ss) + 1, 0);
  await page.waitForTimeout(Math.max(0, lapse.getTime() - Date.now()));
  await deniedReset(page, testInfo, 'lapsed');
});

test('a denied request grants nothing and can be asked again', async ({ page, browser }, testInfo) => {
  await signIn(page, HELPDESK);
  const { card, code } = await requestShortAccess(page, testInfo, 'refused');
  await answerOnPhone(browser, testInfo, ADMIN, code, 'Deny');
  await expect(card).toHaveAttribute('data-state', 'denied', STATE_CHANGE);
  await expect(
    messages(page).locator('li[data-role="notice"]', {
      hasText: 'admin@example.com denied your request, so no access was granted.',
    }),
  ).toHaveCount(1);
  await deniedReset(page, testInfo, 'still denied');
});

test('granted access can be ended early', async ({ page, browser }, testInfo) => {
  await signIn(page, HELPDESK);
  const { card, code } = await requestShortAccess(page, testInfo, 'end early');
  await answerOnPhone(browser, testInfo, ADMIN, code, 'Approve');
  await expect(card).toHaveAttribute('data-state', 'completed', STATE_CHANGE);

  // The session panel lists it, read from FGA.
  const nav = await conversations(page);
  const held = nav.getByRole('region', { name: 'Temporary access' });
  await expect(async () => {
    if (!(await held.isVisible())) await nav.getByText('Session details').click();
    await expect(held.getByText(/^You may reset passwords until \d\d:\d\d:\d\d UTC$/)).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await page.reload();

  await card.getByRole('button', { name: 'End access now' }).click();
  await expect(
    messages(page).locator('li[data-role="notice"]', { hasText: 'You ended your access to reset passwords early.' }),
  ).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'End access now' })).toHaveCount(0);
  await deniedReset(page, testInfo, 'ended');

  // The auditor finds the request, its approval, the grant and its end.
  const auditor = await (await newBrowser(browser, testInfo)).newPage();
  try {
    await signIn(auditor, ADMIN);
    await auditor.goto(`/audit?action=elevation&actor=${encodeURIComponent(HELPDESK.email)}`);
    const rows = auditor.locator('#audit-rows tr[id^="entry-"]');
    for (const action of ['elevation.requested', 'elevation.approved', 'elevation.granted', 'elevation.dropped']) {
      await expect(rows.filter({ has: auditor.getByRole('cell', { name: action, exact: true }) }).first()).toBeVisible();
    }
  } finally {
    await auditor.context().close();
  }
});
