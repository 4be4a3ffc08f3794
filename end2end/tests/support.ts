// Shared steps for the browser tests, written against the UI contract:
// roles, accessible names and a few data attributes, never CSS classes.
import AxeBuilder from '@axe-core/playwright';
import {
  type Browser,
  type BrowserContextOptions,
  type Locator,
  type Page,
  type TestInfo,
  devices,
  expect,
} from '@playwright/test';

import { DEVICES, type ProjectName } from '../devices';

export const ADMIN = {
  email: 'admin@example.com',
  password: 'admin-demo',
  name: 'Alex Admin',
  initials: 'AA',
};

export const SANDBOX_URL = process.env.SANDBOX_URL ?? 'http://localhost:3201';

/** A message no other test (or earlier run on the same data) has sent. */
export function uniqueMessage(prefix: string, testInfo: TestInfo): string {
  return `${prefix} ${testInfo.project.name} ${Date.now().toString(36)}`;
}

/** Signs in from the signed-out page through the sandbox's login form. */
export async function signIn(page: Page, user = ADMIN): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Continue with Okta-OIDC' }).click();
  await expect(messageBox(page)).toBeVisible();
}

export function messageBox(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Message' });
}

export function sendButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Send', exact: true });
}

export function messages(page: Page): Locator {
  return page.getByRole('list', { name: 'Messages' });
}

export function lastAssistantMessage(page: Page): Locator {
  return messages(page).locator('li[data-role="assistant"]').last();
}

/** Waits until the page is live: hydrated, with its handlers attached. */
export async function untilLive(page: Page): Promise<void> {
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
}

/**
 * Types into the composer once the page is live, so Enter sends and the
 * reply streams (before that the composer is a plain form: see the tests
 * of sending before the page is live).
 */
export async function typeMessage(page: Page, text: string): Promise<void> {
  await untilLive(page);
  await messageBox(page).fill(text);
  await expect(sendButton(page)).toBeEnabled();
}

/**
 * The conversation list; on a phone it lives in a drawer that is opened
 * first (through its link before the page is live, its button after).
 */
export async function conversations(page: Page): Promise<Locator> {
  const toggle = page.getByRole('button', { name: 'Open conversations' });
  const nav = page.getByRole('navigation', { name: 'Conversations' });
  if (await toggle.isVisible()) {
    await expect(async () => {
      if (!(await nav.isVisible())) await toggle.click();
      await expect(nav).toBeVisible({ timeout: 1_000 });
    }).toPass();
  }
  await expect(nav).toBeVisible();
  return nav;
}

export async function signOut(page: Page): Promise<void> {
  const nav = await conversations(page);
  await nav.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

/** WCAG 2 A and AA violations that would block or seriously hinder someone. */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/** A separate browser (own cookies and storage) emulating this project's device. */
export async function newBrowser(browser: Browser, testInfo: TestInfo, options: BrowserContextOptions = {}) {
  const device = devices[DEVICES[testInfo.project.name as ProjectName]];
  return browser.newContext({ ...device, baseURL: testInfo.project.use.baseURL, ...options });
}

/** What a MutationObserver saw while a reply streamed in. */
export interface ReplyObservation {
  /** Distinct texts of the last assistant message, in order. */
  texts: string[];
  typingSeen: boolean;
  composerDisabledSeen: boolean;
}

/**
 * Records every DOM update of the conversation from now on, so a test can
 * tell a streamed reply (many updates) from one that arrived whole.
 */
export async function observeReply(page: Page): Promise<() => Promise<ReplyObservation>> {
  await page.evaluate(() => {
    const seen = { texts: [] as string[], typingSeen: false, composerDisabledSeen: false };
    (window as unknown as { __reply: typeof seen }).__reply = seen;
    const record = () => {
      const replies = document.querySelectorAll('ol[aria-label="Messages"] li[data-role="assistant"]');
      const text = replies[replies.length - 1]?.textContent?.trim() ?? '';
      if (text && seen.texts[seen.texts.length - 1] !== text) seen.texts.push(text);
      if (document.querySelector('[data-testid="typing"]')) seen.typingSeen = true;
      const box = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]');
      const send = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Send');
      if (box?.disabled && send?.disabled) seen.composerDisabledSeen = true;
    };
    new MutationObserver(record).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
  });
  return () => page.evaluate(() => (window as unknown as { __reply: ReplyObservation }).__reply);
}

/**
 * Makes the sandbox's agent (Classic or harness, whichever the BFF uses)
 * throttle the next message: a 429 ThrottlingException for each of the
 * AWS SDK's three attempts, so the BFF gives up and says so.
 */
export async function injectAgentFault(fault: 'throttle'): Promise<void> {
  const exception = { throttle: 'throttlingException' }[fault];
  const response = await fetch(`${SANDBOX_URL}/__sandbox/faults/agent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault: 'http_error', exception, times: 3 }),
  });
  expect(response.ok, `sandbox refused the fault: HTTP ${response.status}`).toBe(true);
}

// --- Okta groups, FGA tuples and the step-up reset -------------------------

export const HELPDESK = {
  email: 'helpdesk@example.com',
  password: 'helpdesk-demo',
  name: 'Harper Helpdesk',
  initials: 'HH',
};

export const NO_RIGHTS_USER = {
  email: 'user@example.com',
  password: 'user-demo',
  name: 'Uma User',
  initials: 'UU',
};

/** The device that stands in for the administrator's phone. */
export const PHONE_DEVICE = 'Pixel 7';

/** An FGA relationship tuple as the sandbox admin page lists it. */
export interface Tuple {
  user: string;
  relation: string;
  object: string;
}

export const ADMIN_READS_OKTA: Tuple = {
  user: 'user:admin@example.com',
  relation: 'read_okta',
  object: 'okta:groups',
};

/** A CIBA request as the sandbox admin API lists it. */
export interface CibaRequest {
  handle: string;
  sub: string;
  binding_message: string;
  state: 'pending' | 'approved' | 'denied' | 'expired';
  collected: boolean;
}

/** GET on the sandbox's test admin API (`/__sandbox/<path>`). */
export async function sandboxGet<T>(path: string): Promise<T> {
  const response = await fetch(`${SANDBOX_URL}/__sandbox/${path}`);
  expect(response.ok, `GET /__sandbox/${path}: HTTP ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

/** POST on the sandbox's test admin API; returns the HTTP status. */
export async function sandboxPost(path: string): Promise<number> {
  const response = await fetch(`${SANDBOX_URL}/__sandbox/${path}`, { method: 'POST' });
  return response.status;
}

/** How many password resets the sandbox Okta has run for `login`. */
export async function resetCount(login: string): Promise<number> {
  const resets = await sandboxGet<{ login: string }[]>('okta/resets');
  return resets.filter((r) => r.login === login).length;
}

/** The sandbox's CIBA request whose binding message carries `code`. */
export async function cibaRequestWithCode(code: string): Promise<CibaRequest> {
  const requests = await sandboxGet<CibaRequest[]>('ciba/requests');
  const found = requests.filter((r) => r.binding_message.endsWith(`code ${code}`));
  expect(found, `one CIBA request with code ${code}`).toHaveLength(1);
  return found[0];
}

/**
 * Puts a tuple back in the sandbox FGA store without a browser, for test
 * clean-up; a tuple that is already there is left as it is.
 */
export async function ensureTuple(tuple: Tuple): Promise<void> {
  const response = await fetch(`${SANDBOX_URL}/fga/admin/add`, {
    method: 'POST',
    body: new URLSearchParams({ ...tuple }),
    redirect: 'manual',
  });
  if (response.status === 303) return;
  const page = await response.text();
  expect(page, `could not restore ${tuple.user} ${tuple.relation} ${tuple.object}`).toMatch(/already/i);
}

/**
 * Sends a message and waits until its turn is over (the composer is free
 * again). Returns the turn's messages after the user's own, by role.
 */
export async function ask(page: Page, text: string) {
  await typeMessage(page, text);
  await messageBox(page).press('Enter');
  const asked = messages(page).locator('li[data-role="user"]', { hasText: text });
  await expect(asked).toHaveCount(1);
  await expect(messageBox(page)).toBeEnabled();
  await expect(messageBox(page)).toHaveValue('');
  return {
    replies: messages(page).locator(`li[data-role="user"]:has-text(${JSON.stringify(text)}) ~ li[data-role="assistant"]`),
    notices: messages(page).locator(`li[data-role="user"]:has-text(${JSON.stringify(text)}) ~ li[data-role="notice"]`),
    cards: messages(page).locator(
      `li[data-role="user"]:has-text(${JSON.stringify(text)}) ~ li[data-role="stepup"] [data-testid="step-up"]`,
    ),
  };
}

/** Opens the Guardian stand-in in `page` and signs in as `user`. */
export async function openGuardian(page: Page, user = ADMIN): Promise<void> {
  await page.goto(`${SANDBOX_URL}/guardian`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Continue with Okta-OIDC' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Approval requests' })).toBeVisible();
  // Requests name their requester too: the signed-in line is the one to read.
  await expect(page.getByText('Signed in as')).toContainText(`(${user.email})`);
}

/** The Guardian page's request whose binding message carries `code`. */
export function guardianRequest(page: Page, code: string): Locator {
  return page.getByRole('article').filter({ hasText: `code ${code}` });
}

/** Gives the demo user's Guardian device back, or takes it away. */
export async function setGuardianEnrolment(email: string, enrolled: boolean): Promise<void> {
  const response = await fetch(`${SANDBOX_URL}/__sandbox/guardian/enrolments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, enrolled }),
  });
  expect(response.status, `Guardian enrolment of ${email}`).toBe(200);
}
