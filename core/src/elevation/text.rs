//! What an access request's card and conversation say, in Custodian's words.

use chrono::DateTime;

use crate::fga::Permission;
use crate::settings::duration_label;
use crate::store::Elevation;

/// "reset passwords for 1 hour".
pub fn access(permission: Permission, seconds: u64) -> String {
    format!(
        "{} for {}",
        permission.activity(),
        duration_label(std::time::Duration::from_secs(seconds))
    )
}

/// "17:32 UTC", or the date too when it is not today's.
pub fn until_label(valid_until: i64) -> String {
    let Some(at) = DateTime::from_timestamp(valid_until, 0) else {
        return "an unknown time".to_owned();
    };
    if at.date_naive() == chrono::Utc::now().date_naive() {
        at.format("%H:%M:%S UTC").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M UTC").to_string()
    }
}

pub fn granted(elevation: &Elevation, valid_until: i64) -> String {
    format!(
        "{} approved your request: you may {} until {}. The access then ends by itself.",
        elevation.approver_email,
        elevation.permission.activity(),
        until_label(valid_until),
    )
}

/// The user holds the permission without a time limit already.
pub fn already_standing(elevation: &Elevation) -> String {
    format!(
        "{} approved your request, and you already may {} without a time limit, so nothing was added.",
        elevation.approver_email,
        elevation.permission.activity(),
    )
}

pub fn denied(elevation: &Elevation) -> String {
    format!(
        "{} denied your request, so no access was granted.",
        elevation.approver_email
    )
}

pub fn expired(elevation: &Elevation) -> String {
    format!(
        "Your request expired before {} answered, so no access was granted.",
        elevation.approver_email
    )
}

pub fn cancelled() -> String {
    "You cancelled the request; no access was granted.".to_owned()
}

pub fn wrong_approver(elevation: &Elevation) -> String {
    format!(
        "The approval came from a different account than {}'s, so no access was granted.",
        elevation.approver_email
    )
}

pub fn no_longer_approver(elevation: &Elevation) -> String {
    format!(
        "{} approved, but Auth0 FGA no longer names them an approver of `{}` (or did not answer), so no access was granted. Ask again.",
        elevation.approver_email,
        elevation.permission.object(),
    )
}

pub fn not_recorded(reason: &str) -> String {
    format!("The request was approved, but no access was granted: {reason}. Ask again.")
}

pub fn approval_too_old() -> String {
    "The approval was not acted on in time, so no access was granted. Ask again.".to_owned()
}

pub fn dropped(elevation: &Elevation) -> String {
    format!(
        "You ended your access to {} early.",
        elevation.permission.activity()
    )
}
