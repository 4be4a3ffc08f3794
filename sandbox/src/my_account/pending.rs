//! Connect requests between `/connect` and `/complete`: the request, then
//! the ticket the browser carries to the consent page, then the
//! `connect_code` it brings back to the client.

use std::time::Duration;

use crate::auth0::users::DemoUser;
use crate::shared::ttl_map::TtlMap;

/// `expires_in` of a connect request (nextjs-auth0's fixtures show 300).
pub const CONNECT_TTL: Duration = Duration::from_secs(300);

#[derive(Clone)]
pub struct PendingConnect {
    pub user: &'static DemoUser,
    pub connection: String,
    pub scopes: Vec<String>,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub code_challenge: String,
    /// Set once the user allowed the connection on the consent page.
    pub connect_code: Option<String>,
}

#[derive(Default)]
pub struct PendingConnects {
    /// By `auth_session`.
    sessions: TtlMap<PendingConnect>,
    /// Ticket → `auth_session`; a ticket is used once.
    tickets: TtlMap<String>,
}

impl PendingConnects {
    /// Stores the request; returns its `auth_session` and ticket.
    pub fn open(&self, request: PendingConnect) -> (String, String) {
        let auth_session = self.sessions.insert(request, CONNECT_TTL);
        let ticket = self.tickets.insert(auth_session.clone(), CONNECT_TTL);
        (auth_session, ticket)
    }

    /// The request behind a ticket, without using the ticket up.
    pub fn by_ticket(&self, ticket: &str) -> Option<PendingConnect> {
        self.sessions.get(&self.tickets.get(ticket)?)
    }

    /// Uses the ticket up; on `allow` the request gets a connect code
    /// (returned), otherwise the request is dropped.
    pub fn decide(&self, ticket: &str, allow: bool) -> Option<(PendingConnect, Option<String>)> {
        let auth_session = self.tickets.take(ticket)?;
        let mut request = self.sessions.take(&auth_session)?;
        if !allow {
            return Some((request, None));
        }
        let code = crate::shared::secrets::random_token();
        request.connect_code = Some(code.clone());
        self.sessions
            .put(&auth_session, request.clone(), CONNECT_TTL);
        Some((request, Some(code)))
    }

    /// Uses the `auth_session` up, whatever happens next.
    pub fn take(&self, auth_session: &str) -> Option<PendingConnect> {
        self.sessions.take(auth_session)
    }
}
