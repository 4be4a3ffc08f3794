//! Integration tests: the sandbox driven over HTTP by real clients.

mod agent_runtime;
mod id_token_faults;
mod idp_flow;
mod login_page;
mod openidconnect_rp;
mod support;
