//! Integration tests: the sandbox driven over HTTP by real clients.

mod agent_actions;
mod bedrock_agent;
mod ciba;
mod ciba_details;
mod custodian;
mod fga_api;
mod guardian;
mod harness;
mod id_token_faults;
mod idp_flow;
mod login_page;
mod management_api;
mod my_account;
mod okta_api;
mod openidconnect_rp;
mod support;
mod token_vault;
