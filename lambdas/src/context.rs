//! The clients the action groups share, built once per Lambda cold start
//! (or once per sandbox).

use custodian_core::auth0::{CibaClient, TokenVault};
use custodian_core::fga::FgaClient;
use custodian_core::http::CallCounter;
use custodian_core::okta::OktaClient;
use custodian_core::session::Sessions;
use custodian_core::settings::Settings;

pub struct ActionContext {
    pub sessions: Sessions,
    pub fga: FgaClient,
    pub vault: TokenVault,
    pub okta: OktaClient,
    pub ciba: CibaClient,
    /// Seconds the administrator has to approve a push.
    pub ciba_expiry_seconds: u32,
    /// Requests made to outside services, for benchmarks.
    pub calls: CallCounter,
}

impl ActionContext {
    pub fn new(settings: &Settings, sessions: Sessions) -> Self {
        let calls = CallCounter::default();
        Self {
            sessions,
            fga: FgaClient::new(&settings.fga, calls.clone()),
            vault: TokenVault::new(&settings.auth0, calls.clone()),
            okta: OktaClient::new(&settings.okta.domain, calls.clone()),
            ciba: CibaClient::new(&settings.auth0, calls.clone()),
            ciba_expiry_seconds: settings.auth0.ciba_expiry_seconds,
            calls,
        }
    }
}
