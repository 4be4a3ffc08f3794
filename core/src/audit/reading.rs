//! Reading the audit log back: only for users FGA names `auditor` of it.
//! A refused read is itself audited; so is every export, since it takes
//! the entries out of Custodian.

use crate::fga::{Decision, FgaClient, Permission};
use crate::store::{AuditEntry, AuditFilter, AuditPage, AuditQuery, MAX_AUDIT_PAGE, StoreError};

use super::AuditLog;

/// The most entries one export holds; a larger one asks for a narrower
/// filter instead of cutting the file short without saying so.
pub const MAX_EXPORT_ENTRIES: usize = 10_000;

/// Why the audit log was not read. The texts are for the reader.
#[derive(Debug, thiserror::Error)]
pub enum AuditReadError {
    #[error(
        "You are not permitted to read the audit log: Auth0 FGA does not give you the `{}` relation on `{}`. Ask an FGA administrator to grant it.",
        Permission::ReadAuditLog.relation(),
        Permission::ReadAuditLog.object()
    )]
    NotPermitted,
    #[error(
        "Custodian could not confirm your permission with Auth0 FGA (it did not answer), so the audit log is not shown. Try again shortly."
    )]
    PermissionUnavailable,
    #[error(
        "More than {MAX_EXPORT_ENTRIES} entries match, more than one export holds. Narrow the time range or the filters."
    )]
    TooMany,
    #[error(
        "Custodian's storage is unavailable right now, so the audit log could not be read. Try again in a moment."
    )]
    Store(#[source] StoreError),
}

impl AuditLog {
    /// One page for `reader`, if they are an auditor.
    pub async fn read(
        &self,
        fga: &FgaClient,
        reader: &str,
        query: &AuditQuery,
    ) -> Result<AuditPage, AuditReadError> {
        self.permit(fga, reader, "audit.read").await?;
        self.store
            .list_audit(query)
            .await
            .map_err(AuditReadError::Store)
    }

    /// Every entry matching `filter`, newest first, for `reader`, if they
    /// are an auditor; the export is audited with its filter's size.
    pub async fn export(
        &self,
        fga: &FgaClient,
        reader: &str,
        filter: &AuditFilter,
        now: i64,
    ) -> Result<Vec<AuditEntry>, AuditReadError> {
        self.permit(fga, reader, "audit.exported").await?;
        let mut query = AuditQuery {
            filter: filter.clone(),
            limit: MAX_AUDIT_PAGE,
            before: None,
            now,
        };
        let mut entries = Vec::new();
        loop {
            let page = self
                .store
                .list_audit(&query)
                .await
                .map_err(AuditReadError::Store)?;
            entries.extend(page.entries);
            if entries.len() > MAX_EXPORT_ENTRIES {
                return Err(AuditReadError::TooMany);
            }
            match page.next {
                Some(next) => query.before = Some(next),
                None => break,
            }
        }
        let outcome = format!("{} exported", entries.len());
        self.record("audit.exported", reader, "audit_log", &outcome)
            .await;
        Ok(entries)
    }

    async fn permit(
        &self,
        fga: &FgaClient,
        reader: &str,
        action: &str,
    ) -> Result<(), AuditReadError> {
        match fga.check(reader, Permission::ReadAuditLog).await {
            Decision::Allowed => Ok(()),
            Decision::Denied => {
                self.record(action, reader, "audit_log", "denied").await;
                Err(AuditReadError::NotPermitted)
            }
            Decision::Unavailable => Err(AuditReadError::PermissionUnavailable),
        }
    }
}
