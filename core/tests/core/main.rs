//! core's integration tests, in one binary: settings, sealing (key file and
//! Secrets Manager), start-up in the AWS mode, the store conformance suite
//! run on both backends (embedded SQLite, and DynamoDB in moto), and the
//! per-turn capability.

mod sealing;
mod sealing_secrets_manager;
mod settings;
mod startup_aws;
mod store_dynamodb;
mod store_embedded;
mod store_suite;
mod tables;
mod turn_capability;
