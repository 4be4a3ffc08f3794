// Okta groups through FGA and Token Vault, and the live "delete the tuple
// and ask again" demo on the sandbox FGA admin page (issue 4).
import { expect, test } from './test';

import {
  ADMIN,
  ADMIN_READS_OKTA,
  HELPDESK,
  NO_RIGHTS_USER,
  SANDBOX_URL,
  ask,
  ensureTuple,
  signIn,
  uniqueMessage,
} from './support';

/** Bob's groups in the sandbox Okta include this one. */
const BOBS_GROUP = 'Engineering';

function groupsQuestion(label: string, testInfo: Parameters<typeof uniqueMessage>[1]): string {
  // The router reads the email introduced by "user"; the tail makes the
  // message unique, so each turn's reply can be found after it.
  return `What are the Okta groups for user bob@example.com? (${uniqueMessage(label, testInfo)})`;
}

// Both projects share one sandbox: whatever a test did to the store, the
// admin may read Okta again afterwards.
test.afterEach(async () => {
  await ensureTuple(ADMIN_READS_OKTA);
});

test('deleting the FGA tuple denies the same question live, and adding it back allows it again', async ({
  page,
  context,
}, testInfo) => {
  await signIn(page, ADMIN);

  const first = await ask(page, groupsQuestion('allowed', testInfo));
  await expect(first.replies.first()).toContainText(BOBS_GROUP);
  await expect(first.notices).toHaveCount(0);

  // The sandbox FGA admin page, in another tab of the same browser.
  const admin = await context.newPage();
  await admin.goto(`${SANDBOX_URL}/fga/admin`);
  const { user, relation, object } = ADMIN_READS_OKTA;
  await admin.getByRole('button', { name: `Delete ${user} ${relation} ${object}` }).click();
  await expect(admin.getByRole('status')).toHaveText('Tuple deleted.');
  await expect(admin.getByRole('button', { name: `Delete ${user} ${relation} ${object}` })).toHaveCount(0);

  // Same chat, same session, no restart: now denied, naming the permission.
  const denied = await ask(page, groupsQuestion('denied', testInfo));
  await expect(denied.notices).toHaveCount(1);
  await expect(denied.notices.first()).toContainText(/^\s*(Notice: )?Permission denied:/);
  await expect(denied.notices.first()).toContainText('read_okta');
  await expect(denied.replies.filter({ hasText: BOBS_GROUP })).toHaveCount(0);

  // Back through the page's form.
  await admin.getByLabel('User', { exact: true }).fill(user);
  await admin.getByLabel('Relation', { exact: true }).fill(relation);
  await admin.getByLabel('Object', { exact: true }).fill(object);
  await admin.getByRole('button', { name: 'Add tuple' }).click();
  await expect(admin.getByRole('status')).toHaveText('Tuple added.');
  await expect(admin.getByRole('button', { name: `Delete ${user} ${relation} ${object}` })).toHaveCount(1);

  const again = await ask(page, groupsQuestion('allowed-again', testInfo));
  await expect(again.replies.first()).toContainText(BOBS_GROUP);
  await expect(again.notices).toHaveCount(0);
});

test('the helpdesk user reads groups through their group membership', async ({ page }, testInfo) => {
  await signIn(page, HELPDESK);
  const turn = await ask(page, groupsQuestion('helpdesk', testInfo));
  await expect(turn.replies.first()).toContainText(BOBS_GROUP);
  await expect(turn.notices).toHaveCount(0);
});

test('a user without read_okta is denied and sees no groups', async ({ page }, testInfo) => {
  await signIn(page, NO_RIGHTS_USER);
  const turn = await ask(page, groupsQuestion('no-rights', testInfo));
  await expect(turn.notices).toHaveCount(1);
  await expect(turn.notices.first()).toContainText('Permission denied:');
  await expect(turn.notices.first()).toContainText('read_okta');
  await expect(turn.replies.filter({ hasText: BOBS_GROUP })).toHaveCount(0);
});
