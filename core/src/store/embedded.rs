//! The local store: one SQLite file under the data directory, shared by the
//! BFF and the sandbox's action-group handlers in other processes. WAL lets
//! readers and a writer overlap; the busy timeout makes writers queue
//! instead of failing.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use serde::de::DeserializeOwned;

use super::{
    AuditEntry, AuditPage, AuditQuery, Conversation, ConversationList, ConversationPage,
    ConversationSummary, LimitDecision, LoginAttempt, Message, Role, SessionRecord, SlotClaim,
    SlotDecision, StepUpRecord, Store, StoreError, StoreResult, TurnRecord, WindowHit,
};
use super::{embedded_audit as audit, embedded_counters as counters, schema};

/// How long a write waits for another process's write before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A read only waits in WAL recovery after a crash; it runs on an async
/// worker, so it gives up sooner than a write.
const READ_BUSY_TIMEOUT: Duration = Duration::from_millis(250);

/// Room for every statement prepared through the cache (all the reads),
/// so none of them is parsed twice; the rarer writes parse each time.
const STATEMENT_CACHE: usize = 64;

#[derive(Clone)]
pub struct EmbeddedStore {
    path: Arc<PathBuf>,
    /// Writes: they may wait up to `BUSY_TIMEOUT` for another process's
    /// write, so they run on one thread of their own, in the order they
    /// came. On the blocking pool each queued write held a thread (and its
    /// allocator heap) while it waited for the connection.
    writer: tokio_rusqlite::Connection,
    /// Reads: under WAL a reader never waits for a writer, and a read of a
    /// few rows takes microseconds, so they run inline on the calling task.
    /// Handing each one to another thread cost more than the read (two
    /// context switches per query under load).
    reader: Arc<Mutex<Connection>>,
}

impl fmt::Debug for EmbeddedStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmbeddedStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl EmbeddedStore {
    /// Opens (creating if needed) the file, its directory and its tables.
    pub fn open(path: &Path) -> StoreResult<EmbeddedStore> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Unavailable(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        make_private(path)?;
        let mut conn = connect(path, BUSY_TIMEOUT)?;
        schema::migrate(&mut conn)?;
        let reader = connect(path, READ_BUSY_TIMEOUT)?;
        Ok(EmbeddedStore {
            path: Arc::new(path.to_owned()),
            writer: tokio_rusqlite::Connection::from(conn),
            reader: Arc::new(Mutex::new(reader)),
        })
    }

    /// Deletes expired records every `every` for as long as the process
    /// runs. DynamoDB's TTL does this in AWS; locally nothing else would,
    /// and expired sessions and attempts would pile up in the file.
    pub fn sweep_every(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let store = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match store.purge_expired(crate::time::now_unix()).await {
                    Ok(0) => {}
                    Ok(removed) => tracing::info!(removed, "expired store records purged"),
                    Err(error) => tracing::warn!(%error, "purging expired store records failed"),
                }
            }
        })
    }

    /// Runs blocking SQLite work on the writer thread.
    async fn with_conn<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        self.writer
            .call(move |conn| {
                // A panic mid-call rolls its transaction back on unwind, so
                // the connection is still good; the thread must live on.
                catch_unwind(AssertUnwindSafe(|| work(conn))).unwrap_or_else(|_| {
                    Err(StoreError::Unavailable(
                        "a store write stopped unexpectedly".into(),
                    ))
                })
            })
            .await
            .map_err(|error| match error {
                tokio_rusqlite::Error::Error(error) => error,
                _ => StoreError::Unavailable("the store's writer has stopped".into()),
            })
    }

    /// Runs a read on the reader connection, inline.
    fn read<T>(&self, work: impl FnOnce(&mut Connection) -> StoreResult<T>) -> StoreResult<T> {
        let mut reader = self.reader.lock().unwrap_or_else(PoisonError::into_inner);
        work(&mut reader)
    }

    /// The JSON `record` of `table`'s row `id` while its `ttl` is after
    /// `now` (sessions and turns).
    async fn live_record<T: DeserializeOwned>(
        &self,
        table: &'static str,
        id: &str,
        now: i64,
    ) -> StoreResult<Option<T>> {
        let json = self.read(|conn| {
            record_row(
                conn,
                &format!("SELECT record FROM {table} WHERE id = ?1 AND ttl > ?2"),
                params![id, now],
            )
        })?;
        // serde_json's message could quote the record; keep it out.
        json.map(|json| {
            serde_json::from_str(&json)
                .map_err(|_| StoreError::Corrupt(format!("a record in {table} does not decode")))
        })
        .transpose()
    }
}

/// The first column (a JSON record) of the one row `sql` selects, if any.
fn record_row(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Option<String>> {
    conn.prepare_cached(sql)
        .and_then(|mut statement| statement.query_row(params, |row| row.get(0)))
        .optional()
        .map_err(unavailable)
}

/// The first column (a JSON record) of every row `sql` selects.
fn record_column(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<String>> {
    let mut statement = conn.prepare_cached(sql).map_err(unavailable)?;
    let rows = statement
        .query_map(params, |row| row.get(0))
        .map_err(unavailable)?;
    rows.collect::<Result<_, _>>().map_err(unavailable)
}

/// One connection to the file, set up the same way for writing and reading.
fn connect(path: &Path, busy_timeout: Duration) -> StoreResult<Connection> {
    let conn = Connection::open(path).map_err(unavailable)?;
    conn.busy_timeout(busy_timeout).map_err(unavailable)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(unavailable)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Unavailable(format!(
            "{} cannot use write-ahead logging (journal mode {mode})",
            path.display()
        )));
    }
    // NORMAL is durable across application crashes in WAL mode.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(unavailable)?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(unavailable)?;
    // The same plan whatever the bound values: without this, SQLite (built
    // with STAT4) re-plans a cached statement each time it is rebound.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .map_err(unavailable)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// The file holds sealed tokens and who asked for what: only its owner
/// may read it. A new file is created 0600 (SQLite gives its WAL and shared
/// memory files the same mode); an existing wider one is narrowed.
fn make_private(path: &Path) -> StoreResult<()> {
    #[cfg(unix)]
    {
        use std::fs::{OpenOptions, Permissions};
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let cannot = |e: std::io::Error| {
            StoreError::Unavailable(format!("cannot make {} private: {e}", path.display()))
        };
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(cannot)?;
        let mode = std::fs::metadata(path)
            .map_err(cannot)?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, Permissions::from_mode(0o600)).map_err(cannot)?;
            tracing::warn!(path = %path.display(), "the store file was readable by others; narrowed to 0600");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[async_trait::async_trait]
impl Store for EmbeddedStore {
    async fn put_session(&self, session: &SessionRecord) -> StoreResult<()> {
        let id = session.id.clone();
        let ttl = session.expires_at();
        let json = serde_json::to_string(session)
            .map_err(|_| StoreError::Corrupt("a session record does not encode".into()))?;
        self.with_conn(move |conn| {
            conn.execute(
                "INSERT INTO sessions (id, record, ttl) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET record = excluded.record, ttl = excluded.ttl",
                params![id, json, ttl],
            )
            .map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    async fn get_session(&self, id: &str, now: i64) -> StoreResult<Option<SessionRecord>> {
        let record: Option<SessionRecord> = self.live_record("sessions", id, now).await?;
        Ok(record.filter(|record| now < record.expires_at()))
    }

    async fn delete_session(&self, id: &str) -> StoreResult<()> {
        let id = id.to_owned();
        self.with_conn(move |conn| {
            conn.execute("DELETE FROM sessions WHERE id = ?1", params![id])
                .map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    async fn list_sessions(&self, owner: &str, now: i64) -> StoreResult<Vec<SessionRecord>> {
        let rows = self.read(|conn| {
            record_column(
                conn,
                "SELECT record FROM sessions
                 WHERE json_extract(record, '$.user.sub') = ?1 AND ttl > ?2",
                params![owner, now],
            )
        })?;
        let records = rows
            .iter()
            .map(|json| serde_json::from_str(json))
            .collect::<Result<Vec<SessionRecord>, _>>()
            .map_err(|_| StoreError::Corrupt("a session record does not decode".into()))?;
        Ok(super::sessions_seen_last_first(records, now))
    }

    async fn touch_session(&self, session: &SessionRecord) -> StoreResult<bool> {
        let id = session.id.clone();
        let ttl = session.expires_at();
        let json = serde_json::to_string(session)
            .map_err(|_| StoreError::Corrupt("a session record does not encode".into()))?;
        self.with_conn(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE sessions SET record = ?2, ttl = ?3 WHERE id = ?1",
                    params![id, json, ttl],
                )
                .map_err(unavailable)?;
            Ok(changed == 1)
        })
        .await
    }

    async fn put_login_attempt(&self, attempt: &LoginAttempt) -> StoreResult<()> {
        let attempt = attempt.clone();
        self.with_conn(move |conn| {
            conn.execute(
                "INSERT INTO login_attempts (id, sealed, ttl) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed, ttl = excluded.ttl",
                params![attempt.id, attempt.sealed, attempt.expires_at],
            )
            .map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    async fn take_login_attempt(&self, id: &str, now: i64) -> StoreResult<Option<LoginAttempt>> {
        let id = id.to_owned();
        self.with_conn(move |conn| {
            // One statement removes and reads, so only one taker can see the row.
            let taken = conn
                .query_row(
                    "DELETE FROM login_attempts WHERE id = ?1 RETURNING sealed, ttl",
                    params![id],
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)),
                )
                .optional()
                .map_err(unavailable)?;
            Ok(taken
                .filter(|&(_, expires_at)| now < expires_at)
                .map(|(sealed, expires_at)| LoginAttempt {
                    id,
                    sealed,
                    expires_at,
                }))
        })
        .await
    }

    async fn create_conversation(&self, conversation: &Conversation) -> StoreResult<()> {
        let conversation = conversation.clone();
        self.with_conn(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(unavailable)?;
            tx.execute(
                "INSERT INTO conversations (id, owner, title, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    conversation.id,
                    conversation.owner,
                    conversation.title,
                    conversation.created_at,
                    conversation.updated_at
                ],
            )
            .map_err(|e| inserting(e, "a conversation with this id exists"))?;
            for message in &conversation.messages {
                insert_message(&tx, &conversation.id, message)?;
            }
            tx.commit().map_err(unavailable)
        })
        .await
    }

    async fn get_conversation(&self, owner: &str, id: &str) -> StoreResult<Option<Conversation>> {
        let (owner, id) = (owner.to_owned(), id.to_owned());
        self.read(move |conn| {
            // One read transaction, so the header and messages agree.
            let tx = conn.transaction().map_err(unavailable)?;
            let header = tx
                .prepare_cached(
                    "SELECT title, created_at, updated_at FROM conversations
                     WHERE id = ?1 AND owner = ?2",
                )
                .and_then(|mut statement| {
                    statement.query_row(params![id, owner], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    })
                })
                .optional()
                .map_err(unavailable)?;
            let Some((title, created_at, updated_at)) = header else {
                return Ok(None);
            };
            let mut statement = tx
                .prepare_cached(
                    "SELECT role, text, at FROM messages WHERE conversation_id = ?1 ORDER BY seq",
                )
                .map_err(unavailable)?;
            let rows = statement
                .query_map(params![id], |row| {
                    Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
                })
                .map_err(unavailable)?;
            let mut messages = Vec::new();
            for row in rows {
                let (role, text, at) = row.map_err(unavailable)?;
                messages.push(Message {
                    role: Role::parse(&role).ok_or_else(|| {
                        StoreError::Corrupt("a message has an unknown role".into())
                    })?,
                    text,
                    at,
                });
            }
            Ok(Some(Conversation {
                id,
                owner,
                title,
                created_at,
                updated_at,
                messages,
            }))
        })
    }

    async fn list_conversations(
        &self,
        owner: &str,
        page: &ConversationPage,
    ) -> StoreResult<ConversationList> {
        self.read(|conn| {
            let rows = conversation_rows(conn, owner, page)?;
            Ok(page.finish(rows, false))
        })
    }

    async fn rename_conversation(&self, owner: &str, id: &str, title: &str) -> StoreResult<bool> {
        let (owner, id, title) = (owner.to_owned(), id.to_owned(), title.to_owned());
        self.with_conn(move |conn| {
            conn.execute(
                "UPDATE conversations SET title = ?3 WHERE id = ?1 AND owner = ?2",
                params![id, owner, title],
            )
            .map(|renamed| renamed == 1)
            .map_err(unavailable)
        })
        .await
    }

    async fn delete_conversation(&self, owner: &str, id: &str) -> StoreResult<bool> {
        let (owner, id) = (owner.to_owned(), id.to_owned());
        self.with_conn(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(unavailable)?;
            // Its messages go with it (foreign key, ON DELETE CASCADE).
            let deleted = tx
                .execute(
                    "DELETE FROM conversations WHERE id = ?1 AND owner = ?2",
                    params![id, owner],
                )
                .map_err(unavailable)?;
            if deleted == 0 {
                return Ok(false);
            }
            tx.execute(
                "DELETE FROM step_ups WHERE owner = ?1 AND conversation_id = ?2",
                params![owner, id],
            )
            .map_err(unavailable)?;
            tx.commit().map_err(unavailable)?;
            Ok(true)
        })
        .await
    }

    async fn append_message(&self, owner: &str, id: &str, message: &Message) -> StoreResult<()> {
        let (owner, id, message) = (owner.to_owned(), id.to_owned(), message.clone());
        self.with_conn(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(unavailable)?;
            // max(): a message stamped earlier than the last must not move
            // the conversation down the list.
            let updated = tx
                .execute(
                    "UPDATE conversations SET updated_at = max(updated_at, ?3)
                     WHERE id = ?1 AND owner = ?2",
                    params![id, owner, message.at],
                )
                .map_err(unavailable)?;
            if updated == 0 {
                return Err(StoreError::Conflict(
                    "no such conversation for this user".into(),
                ));
            }
            insert_message(&tx, &id, &message)?;
            tx.commit().map_err(unavailable)
        })
        .await
    }

    async fn create_step_up(&self, record: &StepUpRecord) -> StoreResult<()> {
        let record = record.clone();
        let json = encode_step_up(&record)?;
        self.with_conn(move |conn| {
            conn.execute(
                "INSERT INTO step_ups (id, owner, conversation_id, created_at, version, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    record.id,
                    record.owner,
                    record.conversation_id,
                    record.created_at,
                    record.version,
                    json
                ],
            )
            .map_err(|e| inserting(e, "a step-up with this id exists"))?;
            Ok(())
        })
        .await
    }

    async fn get_step_up(&self, owner: &str, id: &str) -> StoreResult<Option<StepUpRecord>> {
        let json = self.read(|conn| {
            record_row(
                conn,
                "SELECT record FROM step_ups WHERE id = ?1 AND owner = ?2",
                params![id, owner],
            )
        })?;
        json.as_deref().map(decode_step_up).transpose()
    }

    async fn list_step_ups(
        &self,
        owner: &str,
        conversation_id: &str,
    ) -> StoreResult<Vec<StepUpRecord>> {
        let rows = self.read(|conn| {
            record_column(
                conn,
                "SELECT record FROM step_ups WHERE owner = ?1 AND conversation_id = ?2
                 ORDER BY created_at, id",
                params![owner, conversation_id],
            )
        })?;
        rows.iter().map(|json| decode_step_up(json)).collect()
    }

    async fn update_step_up(
        &self,
        record: &StepUpRecord,
        expected_version: i64,
    ) -> StoreResult<bool> {
        let record = record.as_update_of(expected_version);
        let json = encode_step_up(&record)?;
        self.with_conn(move |conn| {
            // One statement checks and writes: of concurrent updates from the
            // same version, only the first to run finds it.
            let updated = conn
                .execute(
                    "UPDATE step_ups SET version = ?1, record = ?2
                     WHERE id = ?3 AND owner = ?4 AND conversation_id = ?5
                       AND created_at = ?6 AND version = ?7",
                    params![
                        record.version,
                        json,
                        record.id,
                        record.owner,
                        record.conversation_id,
                        record.created_at,
                        expected_version
                    ],
                )
                .map_err(unavailable)?;
            Ok(updated == 1)
        })
        .await
    }

    async fn hit_limit(&self, hit: &WindowHit) -> StoreResult<LimitDecision> {
        let hit = hit.clone();
        self.with_conn(move |conn| counters::hit(conn, &hit)).await
    }

    async fn claim_slot(&self, claim: &SlotClaim) -> StoreResult<SlotDecision> {
        let claim = claim.clone();
        self.with_conn(move |conn| counters::claim(conn, &claim))
            .await
    }

    async fn release_slot(&self, key: &str, _slots: u32, holder: &str) -> StoreResult<()> {
        let (key, holder) = (key.to_owned(), holder.to_owned());
        self.with_conn(move |conn| counters::release(conn, &key, &holder))
            .await
    }

    async fn open_turn(&self, turn: &TurnRecord) -> StoreResult<()> {
        let (id, ttl) = (turn.id.clone(), turn.expires_at);
        let json = serde_json::to_string(turn)
            .map_err(|_| StoreError::Corrupt("a turn record does not encode".into()))?;
        self.with_conn(move |conn| {
            conn.execute(
                "INSERT INTO turns (id, record, ttl) VALUES (?1, ?2, ?3)",
                params![id, json, ttl],
            )
            .map_err(|e| inserting(e, "a turn with this id exists"))?;
            Ok(())
        })
        .await
    }

    async fn get_open_turn(&self, id: &str, now: i64) -> StoreResult<Option<TurnRecord>> {
        self.live_record("turns", id, now).await
    }

    async fn close_turn(&self, id: &str) -> StoreResult<()> {
        let id = id.to_owned();
        self.with_conn(move |conn| {
            conn.execute("DELETE FROM turns WHERE id = ?1", params![id])
                .map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        let entry = entry.clone();
        self.with_conn(move |conn| audit::append(conn, &entry))
            .await
    }

    async fn list_audit(&self, query: &AuditQuery) -> StoreResult<AuditPage> {
        self.read(|conn| audit::page(conn, query))
    }

    async fn purge_expired(&self, now: i64) -> StoreResult<u64> {
        self.with_conn(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(unavailable)?;
            let mut removed = 0;
            for sql in [
                "DELETE FROM sessions WHERE ttl <= ?1",
                "DELETE FROM login_attempts WHERE ttl <= ?1",
                "DELETE FROM turns WHERE ttl <= ?1",
                "DELETE FROM conversations WHERE ttl IS NOT NULL AND ttl <= ?1",
                "DELETE FROM step_ups WHERE ttl IS NOT NULL AND ttl <= ?1",
                "DELETE FROM limit_windows WHERE ttl <= ?1",
                "DELETE FROM limit_slots WHERE ttl <= ?1",
                "DELETE FROM audit_entries WHERE ttl <= ?1",
            ] {
                removed += tx.execute(sql, params![now]).map_err(unavailable)?;
            }
            tx.commit().map_err(unavailable)?;
            Ok(removed as u64)
        })
        .await
    }
}

fn insert_message(conn: &Connection, conversation_id: &str, message: &Message) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO messages (conversation_id, role, text, at) VALUES (?1, ?2, ?3, ?4)",
        params![
            conversation_id,
            message.role.as_str(),
            message.text,
            message.at
        ],
    )
    .map_err(unavailable)?;
    Ok(())
}

fn encode_step_up(record: &StepUpRecord) -> StoreResult<String> {
    serde_json::to_string(record)
        .map_err(|_| StoreError::Corrupt("a step-up record does not encode".into()))
}

/// serde_json's message could quote the record; keep it out.
fn decode_step_up(json: &str) -> StoreResult<StepUpRecord> {
    serde_json::from_str(json)
        .map_err(|_| StoreError::Corrupt("a step-up record does not decode".into()))
}

/// An insert's failure: `Conflict` (saying `taken`) when the id is in use.
pub(super) fn inserting(error: rusqlite::Error, taken: &str) -> StoreError {
    match error.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) => StoreError::Conflict(taken.to_owned()),
        _ => unavailable(error),
    }
}

/// SQLite's messages name tables and constraints, never values.
pub(super) fn unavailable(error: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(error.to_string())
}

/// Keyset pagination: the rows after the cursor's place in the listing
/// order, so a page costs the same however deep it is.
fn conversation_rows(
    conn: &Connection,
    owner: &str,
    page: &ConversationPage,
) -> StoreResult<Vec<ConversationSummary>> {
    let after = page.after.as_ref();
    let mut statement = conn
        .prepare_cached(
            "SELECT id, title, created_at, updated_at FROM conversations
             WHERE owner = ?1
               AND (?2 IS NULL OR (updated_at, created_at, id) < (?2, ?3, ?4))
             ORDER BY updated_at DESC, created_at DESC, id DESC
             LIMIT ?5",
        )
        .map_err(unavailable)?;
    let rows = statement
        .query_map(
            params![
                owner,
                after.map(|c| c.updated_at),
                after.map(|c| c.created_at),
                after.map(|c| c.id.as_str()),
                page.rows_to_read() as i64
            ],
            |row| {
                Ok(ConversationSummary {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    created_at: row.get(2)?,
                    updated_at: row.get(3)?,
                })
            },
        )
        .map_err(unavailable)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(unavailable)
}
