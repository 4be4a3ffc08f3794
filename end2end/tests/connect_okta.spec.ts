// Connecting the administrator's Okta account for Token Vault: the groups
// question stops at "not connected", the chat offers to connect, the
// sandbox's Connected Accounts flow runs, and the same question is asked
// again by itself; disconnecting from the session panel brings the offer back.
import { type Page } from '@playwright/test';
import { expect, test } from './test';

import { conversations, messages, signIn, typeMessage, messageBox, uniqueMessage } from './support';

/** The demo user whose Okta account starts unconnected. */
const NEWCOMER = {
  email: 'newcomer@example.com',
  password: 'newcomer-demo',
  name: 'Nia Newcomer',
  initials: 'NN',
};

/** Opens the session panel (in the drawer on a phone); returns its Okta line. */
async function oktaStatus(page: Page) {
  const nav = await conversations(page);
  const status = page.getByTestId('okta-status');
  if (!(await status.isVisible())) await nav.getByText('Session details').click();
  await expect(status).toBeVisible();
  await expect(status).not.toContainText('Checking');
  return status;
}

/** Leaves the newcomer unconnected, whatever an earlier run left behind. */
async function disconnectIfConnected(page: Page) {
  const status = await oktaStatus(page);
  const disconnect = status.getByRole('button', { name: 'Disconnect Okta' });
  if (await disconnect.isVisible()) {
    await disconnect.click();
    await expect(messageBox(page)).toBeVisible();
  }
  await expect(await oktaStatus(page)).toContainText('Not connected');
}

function userMessages(page: Page, text: string) {
  return messages(page).locator('li[data-role="user"]', { hasText: text });
}

async function send(page: Page, text: string) {
  await typeMessage(page, text);
  await messageBox(page).press('Enter');
  await expect(userMessages(page, text)).toHaveCount(1);
}

test('a user without a connected Okta account connects it from the chat and the answer appears without retyping', async ({
  page,
}, testInfo) => {
  await signIn(page, NEWCOMER);
  await disconnectIfConnected(page);
  // A fresh page: on a phone the panel's drawer is closed again.
  await page.goto('/');

  const question = `What are the Okta groups for user bob@example.com? (${uniqueMessage('connect', testInfo)})`;
  await send(page, question);
  const notice = messages(page).locator(
    `li[data-role="user"]:has-text(${JSON.stringify(question)}) ~ li[data-role="notice"]`,
  );
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText('Okta not connected:');
  await expect(messages(page).locator('li[data-role="assistant"]', { hasText: 'Engineering' })).toHaveCount(0);

  // The sandbox's stand-in for Okta's consent in Auth0's Connected Accounts flow.
  await notice.getByRole('button', { name: 'Connect your Okta account' }).click();
  await expect(page.getByRole('heading', { name: 'Connect your Okta account' })).toBeVisible();
  await expect(page.getByText(NEWCOMER.email)).toBeVisible();
  await page.getByRole('button', { name: 'Allow' }).click();

  // Back in the same conversation: the question is asked again by itself.
  await expect(page).toHaveURL(/\/c\/[^?]+$/);
  await expect(userMessages(page, question)).toHaveCount(2);
  const answer = messages(page).locator(
    `li[data-role="user"]:has-text(${JSON.stringify(question)}) ~ li[data-role="assistant"]`,
    { hasText: 'Engineering' },
  );
  await expect(answer).toHaveCount(1);
  await expect(messageBox(page)).toHaveValue('');

  // Disconnecting from the session panel brings the offer back.
  const status = await oktaStatus(page);
  await expect(status).toContainText('Connected');
  await status.getByRole('button', { name: 'Disconnect Okta' }).click();
  await expect(await oktaStatus(page)).toContainText('Not connected');
  await page.reload();
  const again = `What are the Okta groups for user bob@example.com? (${uniqueMessage('disconnected', testInfo)})`;
  await send(page, again);
  const offer = messages(page).locator(
    `li[data-role="user"]:has-text(${JSON.stringify(again)}) ~ li[data-role="notice"]`,
  );
  await expect(offer).toHaveCount(1);
  await expect(offer.getByRole('button', { name: 'Connect your Okta account' })).toBeVisible();
});
