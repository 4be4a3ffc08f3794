//! The action groups, functions and parameters the agent knows (Classic
//! action groups and harness inline functions alike), as the
//! shared definition `config/action-groups.json` spells them (a test keeps
//! the two in step).

pub const OKTA_OPERATIONS: &str = "OktaOperations";
pub const GET_USER_GROUPS: &str = "get_user_groups";
pub const USER_EMAIL: &str = "user_email";

pub const CIBA_AUTHENTICATION: &str = "CIBAAuthentication";
pub const AUTHENTICATE_USER: &str = "authenticate_user";
pub const USER_ID: &str = "user_id";
