//! Custodian's domain and the clients for every outside service it talks to.
//! The BFF and the action-group Lambdas are thin shells over this crate.

pub mod actions;
pub mod audit;
pub mod auth0;
pub mod aws_http;
pub mod aws_timeouts;
pub mod bedrock_agent;
pub mod chat_turn;
pub mod credentials;
pub mod elevation;
pub mod fga;
pub mod harness;
pub mod ids;
pub mod limits;
pub mod okta;
pub mod outbound;
pub mod sealing;
pub mod session;
pub mod settings;
pub mod startup;
pub mod step_up;
pub mod store;
pub mod telemetry;
pub mod time;
pub mod token_cache;
pub mod turn_capability;
