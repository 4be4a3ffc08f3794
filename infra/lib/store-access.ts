// What each Lambda calls on each table, and nothing more (infra/README.md,
// "Data model"). No table administration and no Scan: expired items go by
// DynamoDB's TTL in AWS. A transaction needs the item actions it carries.

import { WEB_FUNCTION } from './names';

export interface TableAccess {
  readonly sessions: readonly string[];
  readonly conversations: readonly string[];
  /** On the sessions table's index of a user's sessions. */
  readonly sessionsByOwner: readonly string[];
}

/** The sessions table's index by owner (core/src/store/dynamodb/mod.rs). */
export const SESSIONS_BY_OWNER_INDEX = 'sessions_by_owner';

export const STORE_ACCESS: Readonly<Record<string, TableAccess>> = {
  // Sessions, login attempts, limit windows and slots, open turns and
  // step-up records; conversations with their messages and listings (a
  // message moves its listing entry: delete and put), step-up listings;
  // the list of where a user is signed in; audit entries, written and
  // read for the Audit page.
  [WEB_FUNCTION]: {
    sessions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    conversations: ['PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
    sessionsByOwner: ['Query'],
  },
  // Reads the session and the open turn its capability names; writes the
  // audit entry of each decision.
  'okta-operations': {
    sessions: ['GetItem'],
    conversations: ['PutItem'],
    sessionsByOwner: [],
  },
  // Also counts pushes, holds and frees a pending slot, and creates the
  // step-up record with its listing entry and the audit entries.
  'ciba-authentication': {
    sessions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    conversations: ['PutItem'],
    sessionsByOwner: [],
  },
};

/** The access of a function the stack creates; an unknown one stops synthesis. */
export function storeAccess(functionName: string): TableAccess {
  const access = STORE_ACCESS[functionName];
  if (!access) {
    throw new Error(`no store access is defined for the Lambda ${functionName} (infra/lib/store-access.ts)`);
  }
  return access;
}
