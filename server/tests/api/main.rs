//! The BFF's integration tests: one binary, each test spawning its own BFF
//! and sandbox on random ports (see `helpers`); the `provider_*` tests put
//! an independent OpenID provider shaped like Auth0 in the sandbox's place
//! (see `certified_provider`).

mod agent_exceptions;
mod agent_host;
mod audit_log;
mod audit_trail;
mod certified_provider;
mod chat;
mod composer_form;
mod connect_okta;
mod conversation_edits;
mod conversation_limits;
mod dual_control;
mod elevation;
mod groups;
mod headers;
mod helpers;
mod lambda_events;
mod limits;
mod login;
mod page_content;
mod page_memo;
mod provider_flows;
mod provider_sign_in;
mod secrets;
mod sessions;
mod shutdown;
mod signed_in_sessions;
mod step_up;
mod step_up_details;
mod step_up_recovery;
mod time_limited_grants;
mod turn_deadline;
