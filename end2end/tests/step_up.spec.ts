// The CIBA step-up password reset (issue 5): the chat's approval card and
// the Guardian stand-in on a phone, in two separate browser contexts.
import { type Browser, type Locator, type Page, type TestInfo, devices } from '@playwright/test';
import { expect, test } from './test';

import {
  ADMIN,
  HELPDESK,
  PHONE_DEVICE,
  SANDBOX_URL,
  ask,
  cibaRequestWithCode,
  guardianRequest,
  openGuardian,
  resetCount,
  sandboxPost,
  setGuardianEnrolment,
  signIn,
  uniqueMessage,
} from './support';

/** The sandbox asks for a poll every 5 s: a state change shows within one
 * interval plus the request; this bound only stops a broken run. */
const STATE_CHANGE = { timeout: 20_000 };
const CODE = /^[A-Z0-9]{3}-[A-Z0-9]{3}$/;

function resetRequest(target: string, label: string, testInfo: TestInfo): string {
  return `Reset the password for ${target} (${uniqueMessage(label, testInfo)})`;
}

/** The administrator's phone: a separate Pixel-sized browser context. */
async function phone(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    ...devices[PHONE_DEVICE],
    baseURL: testInfo.project.use.baseURL,
  });
  return context.newPage();
}

/** Asks for a reset and returns the turn's pending card and its code. */
async function askReset(page: Page, target: string, label: string, testInfo: TestInfo) {
  const turn = await ask(page, resetRequest(target, label, testInfo));
  await expect(turn.cards).toHaveCount(1);
  const card = turn.cards.first();
  await expect(card).toHaveAttribute('data-state', 'pending');
  await expect(card).toContainText(target);
  const code = ((await card.getByTestId('binding-code').textContent()) ?? '').trim();
  expect(code).toMatch(CODE);
  return { turn, card, code };
}

/** The code the phone shows, read from the request's binding message. */
async function codeOnPhone(request: Locator): Promise<string> {
  const text = (await request.textContent()) ?? '';
  const match = /Custodian password reset, code ([A-Z0-9]{3}-[A-Z0-9]{3})/.exec(text);
  expect(match, `binding message in: ${text}`).not.toBeNull();
  return match![1];
}

/** The value the phone shows for a named detail (`<dt>name</dt><dd>value</dd>`). */
function detailOnPhone(request: Locator, name: string): Locator {
  return request.locator('dt', { hasText: name }).locator('xpath=following-sibling::dd[1]');
}

test('approving on the phone completes the card and resets the password exactly once', async ({
  page,
  browser,
}, testInfo) => {
  const target = 'alice@example.com';
  await signIn(page, ADMIN);
  const before = await resetCount(target);
  const { turn, card, code } = await askReset(page, target, 'approve', testInfo);

  const approver = await phone(browser, testInfo);
  try {
    await openGuardian(approver, ADMIN);
    const request = guardianRequest(approver, code);
    await expect(request).toHaveCount(1);
    expect(await codeOnPhone(request)).toBe(code);
    // What is approved, from the request's Rich Authorization Request details.
    await expect(request.locator('.instruction')).toHaveText(
      `Approve resetting the Okta password of ${target}, requested by ${ADMIN.email} in Custodian.`,
    );
    await expect(detailOnPhone(request, 'User:')).toHaveText(target);
    await expect(detailOnPhone(request, 'Requested by:')).toHaveText(ADMIN.email);
    await expect(detailOnPhone(request, 'Code:')).toHaveText(code);
    await request.getByRole('button', { name: 'Approve' }).click();
    await expect(approver.getByRole('status')).toHaveText('Approved. Custodian will carry on.');
    await expect(guardianRequest(approver, code)).toHaveCount(0);
  } finally {
    await approver.context().close();
  }

  // The chat notices by itself: nobody types.
  await expect(card).toHaveAttribute('data-state', 'completed', STATE_CHANGE);
  const outcome = turn.replies.filter({ hasText: `The password of ${target} was reset` });
  await expect(outcome).toHaveCount(1);
  // Rendered as every reply is, so a reload shows it the same way.
  await expect(outcome.locator('.markdown p')).toContainText(`The password of ${target}`);
  expect(await resetCount(target)).toBe(before + 1);

  // The one-time link is shown once, to the approver.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await card.getByRole('button', { name: 'Show the reset link (once)' }).click();
  await expect(card.getByText('One-time reset link:')).toBeVisible();
  await expect(card.getByText('It works once')).toBeVisible();
  await expect(card.getByRole('button', { name: 'Show the reset link (once)' })).toHaveCount(0);
  const link = (await card.locator('code').textContent()) ?? '';
  expect(link).toMatch(/^https?:\/\//);
  await card.getByRole('button', { name: 'Copy link' }).click();
  await expect(card.getByText('Copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  expect(await resetCount(target)).toBe(before + 1);
});

test('denying on the phone denies the card and resets nothing', async ({ page, browser }, testInfo) => {
  const target = 'bob@example.com';
  await signIn(page, ADMIN);
  const before = await resetCount(target);
  const { turn, card, code } = await askReset(page, target, 'deny', testInfo);

  const approver = await phone(browser, testInfo);
  try {
    await openGuardian(approver, ADMIN);
    const request = guardianRequest(approver, code);
    expect(await codeOnPhone(request)).toBe(code);
    await request.getByRole('button', { name: 'Deny' }).click();
    await expect(approver.getByRole('status')).toHaveText('Denied. Nothing will be done.');
  } finally {
    await approver.context().close();
  }

  await expect(card).toHaveAttribute('data-state', 'denied', STATE_CHANGE);
  await expect(turn.notices.filter({ hasText: 'You denied the request on your phone' })).toHaveCount(1);
  await expect(card.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  expect(await resetCount(target)).toBe(before);
});

test('a request that expires unanswered expires the card and resets nothing', async ({ page, browser }, testInfo) => {
  const target = 'bob@example.com';
  await signIn(page, ADMIN);
  const before = await resetCount(target);
  const { turn, card, code } = await askReset(page, target, 'expire', testInfo);

  // The sandbox ends the request's life now, as if its expiry had passed.
  const { handle } = await cibaRequestWithCode(code);
  expect(await sandboxPost(`ciba/requests/${handle}/expire`)).toBe(200);

  await expect(card).toHaveAttribute('data-state', 'expired', STATE_CHANGE);
  await expect(turn.notices.filter({ hasText: 'expired before it was answered' })).toHaveCount(1);
  expect(await resetCount(target)).toBe(before);

  // Nothing is left to approve on the phone.
  const approver = await phone(browser, testInfo);
  try {
    await openGuardian(approver, ADMIN);
    await expect(guardianRequest(approver, code)).toHaveCount(0);
  } finally {
    await approver.context().close();
  }
});

test('an administrator without reset_password is denied and nothing reaches the phone', async ({
  page,
  browser,
}, testInfo) => {
  const target = 'bob@example.com';
  await signIn(page, HELPDESK);
  const before = await resetCount(target);
  const turn = await ask(page, resetRequest(target, 'helpdesk', testInfo));
  await expect(turn.notices).toHaveCount(1);
  await expect(turn.notices.first()).toContainText('Permission denied:');
  await expect(turn.notices.first()).toContainText('reset_password');
  await expect(turn.cards).toHaveCount(0);

  const approver = await phone(browser, testInfo);
  try {
    await openGuardian(approver, HELPDESK);
    await expect(approver.getByRole('heading', { name: 'No approval requests' })).toBeVisible();
    await expect(approver.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  } finally {
    await approver.context().close();
  }
  expect(await resetCount(target)).toBe(before);
});

test('a pending card comes back after a reload with the same code, and can be cancelled', async ({
  page,
}, testInfo) => {
  const target = 'bob@example.com';
  await signIn(page, ADMIN);
  const before = await resetCount(target);
  const { card, code } = await askReset(page, target, 'reload', testInfo);
  const { handle } = await cibaRequestWithCode(code);
  try {
    await page.reload();
    // Same locator, re-resolved on the reloaded page.
    await expect(card).toHaveAttribute('data-state', 'pending');
    await expect(card.getByTestId('binding-code')).toHaveText(code);
    await expect(page.locator('body[data-hydrated]')).toHaveCount(1);

    await card.getByRole('button', { name: 'Cancel' }).click();
    await expect(card).toHaveAttribute('data-state', 'cancelled', STATE_CHANGE);
    expect(await resetCount(target)).toBe(before);
  } finally {
    // Leave nothing pending on the shared sandbox's phone page.
    await sandboxPost(`ciba/requests/${handle}/expire`);
  }
});

test('an approver without an enrolled phone is told how to enrol, and after enrolling the request goes out', async ({
  page,
  browser,
}, testInfo) => {
  const target = 'carol@example.com';
  const enrolmentPage = `${SANDBOX_URL}/guardian`;
  await setGuardianEnrolment(ADMIN.email, false);
  const approver = await phone(browser, testInfo);
  try {
    await signIn(page, ADMIN);
    const before = await resetCount(target);
    const turn = await ask(page, resetRequest(target, 'not enrolled', testInfo));
    await expect(turn.cards).toHaveCount(0);
    const notice = turn.notices.filter({ hasText: 'Phone not enrolled for approvals:' });
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText('no phone enrolled for Auth0 Guardian push notifications');
    await expect(notice).toContainText(`open ${enrolmentPage} and follow it`);
    await expect(notice).toContainText('the password was not reset');

    // The page the notice names enrols the phone.
    await openGuardian(approver, ADMIN);
    expect(approver.url()).toBe(enrolmentPage);
    await expect(approver.getByRole('heading', { name: 'No phone enrolled' })).toBeVisible();
    await approver.getByRole('button', { name: 'Enrol this phone' }).click();
    await expect(approver.getByRole('status')).toHaveText('Enrolled. Approval requests will appear here.');

    // Asking again now reaches the phone.
    const { card, code } = await askReset(page, target, 'enrolled', testInfo);
    await expect(guardianRequest(approver, code)).toHaveCount(1, STATE_CHANGE);
    await card.getByRole('button', { name: 'Cancel' }).click();
    await expect(card).toHaveAttribute('data-state', 'cancelled', STATE_CHANGE);
    expect(await resetCount(target)).toBe(before);
  } finally {
    await approver.context().close();
    await setGuardianEnrolment(ADMIN.email, true);
  }
});
