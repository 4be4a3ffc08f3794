import { expect, test } from './test';

import {
  ADMIN,
  conversations,
  injectAgentFault,
  lastAssistantMessage,
  messageBox,
  messages,
  newBrowser,
  observeReply,
  sendButton,
  signIn,
  signOut,
  typeMessage,
  uniqueMessage,
} from './support';

/** The sandbox agent says what it is when greeted. */
const GREETING_REPLY = 'not a language model';

test('the signed-out page offers to sign in', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Custodian' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
});

test('the sign-in page has labelled fields', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email')).toBeVisible();
  await expect(page.getByLabel('Password')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continue with Okta-OIDC' })).toBeVisible();
});

test('the chat page shows who is signed in and their conversations', async ({ page, isMobile }) => {
  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'Conversations' });
  const toggle = page.getByRole('button', { name: 'Open conversations' });
  if (isMobile) {
    // A drawer on phones, closed until asked for.
    await expect(nav).toBeHidden();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  } else {
    await expect(toggle).toBeHidden();
    await expect(nav).toBeVisible();
  }
  await conversations(page);
  await expect(nav.getByRole('button', { name: 'New chat' })).toBeVisible();
  await expect(nav.getByText(ADMIN.name)).toBeVisible();
  await expect(nav.getByText(ADMIN.initials, { exact: true })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
});

test('a reply streams in, survives a reload, and signing out ends the session', async ({ page }, testInfo) => {
  await signIn(page);
  const text = uniqueMessage('hello', testInfo);
  await typeMessage(page, text);
  const observation = await observeReply(page);
  await messageBox(page).press('Enter');

  await expect(messages(page).locator('li[data-role="user"]').last()).toContainText(text);
  await expect(lastAssistantMessage(page)).toContainText(GREETING_REPLY);
  // The composer comes back once the reply is complete.
  await expect(messageBox(page)).toBeEnabled();
  await expect(messageBox(page)).toHaveValue('');

  const seen = await observation();
  const final = (await lastAssistantMessage(page).textContent())?.trim() ?? '';
  expect(seen.texts.at(-1)).toBe(final);
  // Streamed: the reply grew over several DOM updates, each a prefix of the
  // last (line breaks aside: a finished line is laid out as formatted text).
  expect(seen.texts.length, `reply arrived in one piece: ${JSON.stringify(seen.texts)}`).toBeGreaterThanOrEqual(3);
  const words = (text: string) => text.replace(/\s+/g, '');
  for (const partial of seen.texts) expect(words(final).startsWith(words(partial)), partial).toBe(true);
  expect(seen.typingSeen, 'typing indicator shown while waiting').toBe(true);
  expect(seen.composerDisabledSeen, 'composer disabled while streaming').toBe(true);

  await page.reload();
  await expect(messages(page).locator('li[data-role="user"]')).toContainText([text]);
  await expect(lastAssistantMessage(page)).toContainText(GREETING_REPLY);
  const nav = await conversations(page);
  await expect(nav.getByRole('link', { name: text })).toBeVisible();

  await signOut(page);
  await page.goBack();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(messages(page)).toHaveCount(0);
  await expect(messageBox(page)).toHaveCount(0);
});

test('Shift+Enter adds a line and Enter sends', async ({ page }, testInfo) => {
  await signIn(page);
  const first = uniqueMessage('hello', testInfo);
  await typeMessage(page, first);
  await messageBox(page).press('Shift+Enter');
  await messageBox(page).pressSequentially('second line');
  await expect(messageBox(page)).toHaveValue(`${first}\nsecond line`);
  await expect(messages(page).locator('li')).toHaveCount(0);

  await messageBox(page).press('Enter');
  const sent = messages(page).locator('li[data-role="user"]');
  await expect(sent).toHaveCount(1);
  await expect(sent).toContainText(first);
  await expect(sent).toContainText('second line');
  await expect(lastAssistantMessage(page)).toContainText(GREETING_REPLY);
});

test('a failed reply shows inline, keeps the message and can be retried', async ({ page }, testInfo) => {
  await signIn(page);
  const text = uniqueMessage('hello', testInfo);
  await typeMessage(page, text);
  await injectAgentFault('throttle');
  await sendButton(page).click();

  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).not.toBeEmpty();
  await expect(messageBox(page)).toHaveValue(text);

  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(lastAssistantMessage(page)).toContainText(GREETING_REPLY);
  await expect(alert).toBeHidden();
  await expect(messages(page).locator('li[data-role="user"]')).toHaveCount(1);
});

test('another browser signed in as the same user sees the conversation', async ({ page, browser }, testInfo) => {
  await signIn(page);
  const text = uniqueMessage('hello', testInfo);
  await typeMessage(page, text);
  await messageBox(page).press('Enter');
  await expect(lastAssistantMessage(page)).toContainText(GREETING_REPLY);

  const other = await newBrowser(browser, testInfo);
  try {
    const otherPage = await other.newPage();
    await signIn(otherPage);
    const nav = await conversations(otherPage);
    await expect(nav.getByRole('link', { name: text })).toBeVisible();
  } finally {
    await other.close();
  }
});
