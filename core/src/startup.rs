//! What every Custodian process does at start: read the settings, then open
//! the store and the sealing key they name. Shared by the BFF, every Lambda
//! and the sandbox, so all of them start the same way.

use std::sync::Arc;

use crate::audit::AuditLog;
use crate::sealing::{Sealer, secrets_manager};
use crate::session::{SessionLifetimes, Sessions};
use crate::settings::{Settings, StoreSettings};
use crate::store::{DynamoStore, DynamoTables, Store};

/// Why a process cannot start; the message names the setting or resource.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StartupError(String);

impl StartupError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// The settings, with the client secrets from Secrets Manager when
/// `CUSTODIAN_CREDENTIALS_SECRET` names a secret (AWS), layered between
/// the settings file and the environment.
pub async fn load_settings(sdk_config: &aws_config::SdkConfig) -> Result<Settings, StartupError> {
    let mut pairs = Vec::new();
    if let Some(secret_id) = std::env::var(crate::credentials::CREDENTIALS_SECRET_ENV)
        .ok()
        .filter(|id| !id.is_empty())
    {
        let client = aws_sdk_secretsmanager::Client::new(sdk_config);
        pairs.extend(crate::credentials::from_secret(&client, &secret_id).await?);
    }
    Settings::load_with(pairs).map_err(|error| StartupError(error.to_string()))
}

/// How often a process on the local store deletes its expired records.
#[cfg(feature = "embedded-store")]
const SWEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(600);

/// The session store the settings name; a local one is swept of expired
/// records for as long as the process runs.
pub async fn open_store(
    settings: &Settings,
    sdk_config: &aws_config::SdkConfig,
) -> Result<Arc<dyn Store>, StartupError> {
    match &settings.store {
        StoreSettings::Embedded { path } => open_embedded(path.as_deref()),
        // No request is made here: a missing table shows up, named, in the
        // first store error.
        StoreSettings::Dynamodb {
            table,
            conversations_table,
            endpoint,
        } => Ok(Arc::new(DynamoStore::new(
            sdk_config,
            DynamoTables {
                sessions: table.clone(),
                conversations: conversations_table.clone(),
            },
            endpoint.as_ref(),
        ))),
    }
}

#[cfg(feature = "embedded-store")]
fn open_embedded(path: Option<&std::path::Path>) -> Result<Arc<dyn Store>, StartupError> {
    let path = path.ok_or_else(|| StartupError("store.path is not set".into()))?;
    let store = crate::store::EmbeddedStore::open(path).map_err(|error| {
        StartupError(format!("opening the store at {}: {error}", path.display()))
    })?;
    store.sweep_every(SWEEP_INTERVAL);
    Ok(Arc::new(store))
}

/// The Lambda builds carry no SQLite: their store is DynamoDB.
#[cfg(not(feature = "embedded-store"))]
fn open_embedded(_path: Option<&std::path::Path>) -> Result<Arc<dyn Store>, StartupError> {
    Err(StartupError(
        "store.kind is \"embedded\", but this build has no embedded store \
         (the Lambda packages leave it out); set store.kind to \"dynamodb\""
            .into(),
    ))
}

/// The sealing key the settings name: a local key file, or a Secrets
/// Manager secret.
pub async fn open_sealer(
    settings: &Settings,
    sdk_config: &aws_config::SdkConfig,
) -> Result<Arc<Sealer>, StartupError> {
    match (&settings.sealing.key_file, &settings.sealing.secret_id) {
        (Some(path), _) => Sealer::load_or_create_key_file(path)
            .map(Arc::new)
            .map_err(|error| StartupError(format!("loading the sealing key: {error}"))),
        (None, Some(secret_id)) => {
            let client = aws_sdk_secretsmanager::Client::new(sdk_config);
            secrets_manager::load_sealer(&client, secret_id)
                .await
                .map(Arc::new)
                .map_err(|error| StartupError(format!("loading the sealing key: {error}")))
        }
        (None, None) => Err(StartupError("sealing.keyFile is not set".into())),
    }
}

pub fn session_lifetimes(settings: &Settings) -> SessionLifetimes {
    SessionLifetimes {
        idle_seconds: i64::from(settings.app.session_idle_minutes) * 60,
        absolute_seconds: i64::from(settings.app.session_absolute_hours) * 3600,
    }
}

/// The store, the sealing key, and the sessions and audit log kept with
/// them.
#[derive(Clone)]
pub struct Backend {
    pub store: Arc<dyn Store>,
    pub sealer: Arc<Sealer>,
    pub sessions: Sessions,
    pub audit: AuditLog,
}

impl Backend {
    /// Opens what the settings name; the one way every process does it.
    pub async fn open(
        settings: &Settings,
        sdk_config: &aws_config::SdkConfig,
    ) -> Result<Self, StartupError> {
        let store = open_store(settings, sdk_config).await?;
        let sealer = open_sealer(settings, sdk_config).await?;
        let sessions = Sessions::new(store.clone(), sealer.clone(), session_lifetimes(settings));
        let audit = AuditLog::new(store.clone(), &settings.audit);
        Ok(Self {
            store,
            sealer,
            sessions,
            audit,
        })
    }

    /// The same backend reached through another handle on its store, such
    /// as a wrapper that records or injects faults.
    pub fn on_store(self, store: Arc<dyn Store>) -> Self {
        let sessions = Sessions::new(
            store.clone(),
            self.sealer.clone(),
            self.sessions.lifetimes(),
        );
        Self {
            audit: self.audit.on_store(store.clone()),
            store,
            sealer: self.sealer,
            sessions,
        }
    }
}
