//! The BFF's integration tests: one binary, each test spawning its own BFF
//! and sandbox on random ports (see `helpers`).

mod chat;
mod groups;
mod headers;
mod helpers;
mod lambda_events;
mod login;
mod secrets;
mod sessions;
mod step_up;
