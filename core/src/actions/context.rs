//! The clients the actions share, built once per process: per Lambda cold
//! start, per BFF, or per sandbox.

use crate::audit::AuditLog;
use crate::auth0::{CibaClient, ManagementApi, TokenVault};
use crate::fga::FgaClient;
use crate::limits::Limits;
use crate::okta::OktaClient;
use crate::outbound::CallCounter;
use crate::session::Sessions;
use crate::settings::{DualControlSettings, ElevationSettings, Settings};
use crate::startup::Backend;
use crate::turn_capability::Turns;

pub struct ActionContext {
    pub sessions: Sessions,
    /// Every decision the actions make is recorded here.
    pub audit: AuditLog,
    /// Chat turns and their capabilities: the Lambdas admit calls by them.
    pub turns: Turns,
    pub fga: FgaClient,
    pub vault: TokenVault,
    pub okta: OktaClient,
    pub ciba: CibaClient,
    /// Finds an approver's Auth0 user id, to send them a request.
    pub management: ManagementApi,
    /// How long a denied user may ask an approver to grant access for.
    pub elevation: ElevationSettings,
    /// Which accounts' resets need a second administrator's approval.
    pub dual_control: DualControlSettings,
    /// Seconds the administrator has to approve a push.
    pub ciba_expiry_seconds: u32,
    /// How many pushes a user may start, and have waiting at once.
    pub limits: Limits,
    /// Requests made to outside services, for benchmarks.
    pub calls: CallCounter,
}

impl ActionContext {
    pub fn new(settings: &Settings, backend: &Backend) -> Self {
        let calls = CallCounter::default();
        let audit = backend.audit.clone();
        Self {
            turns: Turns::new(
                backend.sessions.clone(),
                settings.app.turn_deadline_seconds,
                audit.clone(),
            ),
            sessions: backend.sessions.clone(),
            fga: FgaClient::new(&settings.fga, calls.clone()),
            vault: TokenVault::new(&settings.auth0, calls.clone()),
            okta: OktaClient::new(&settings.okta.domain, calls.clone()),
            ciba: CibaClient::new(&settings.auth0, calls.clone()),
            management: ManagementApi::new(&settings.auth0, calls.clone()),
            elevation: settings.elevation.clone(),
            dual_control: settings.dual_control.clone(),
            ciba_expiry_seconds: settings.auth0.ciba_expiry_seconds,
            limits: Limits::new(&settings.limits, audit.clone()),
            audit,
            calls,
        }
    }
}
