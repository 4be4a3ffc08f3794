//! The demo Okta org: the three sign-in users plus people to look up, among
//! them one with a `+` in the login, one in 250 groups (more than one page
//! at Okta's page size of 200), one suspended and one deactivated.

use std::sync::LazyLock;

use super::status::UserStatus;

pub struct OktaUser {
    pub id: &'static str,
    pub login: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    /// The status the org starts with; lifecycle operations change it.
    pub status: UserStatus,
    /// RFC 3339, or `None` for a user who never signed in (Okta sends null).
    pub last_login: Option<&'static str>,
    /// Ids of the groups the user belongs to, in Okta's listing order.
    pub groups: Vec<String>,
}

pub struct OktaGroup {
    pub id: String,
    pub name: String,
    pub description: String,
}

const EVERYONE: &str = "00g0every0ne";
const ENGINEERING: &str = "00g1engineer";
const VPN_USERS: &str = "00g2vpnusers";
const FINANCE: &str = "00g3finance0";
const IT_ADMINS: &str = "00g4itadmins";
const HELPDESK: &str = "00g5helpdesk";
/// Project groups, so one user can be in more groups than one page holds.
const PROJECT_GROUPS: usize = 249;
const SIGNED_IN: &str = "2026-11-02T08:30:00.000Z";

struct Directory {
    users: Vec<OktaUser>,
    groups: Vec<OktaGroup>,
}

static DIRECTORY: LazyLock<Directory> = LazyLock::new(|| Directory {
    users: users(),
    groups: groups(),
});

fn project_id(n: usize) -> String {
    format!("00gproj{n:05}")
}

fn groups() -> Vec<OktaGroup> {
    let named = [
        (EVERYONE, "Everyone", "All users in the organization"),
        (ENGINEERING, "Engineering", "Product engineering"),
        (VPN_USERS, "VPN Users", "May connect to the corporate VPN"),
        (FINANCE, "Finance", "Finance and accounting"),
        (IT_ADMINS, "IT Admins", "IT administrators"),
        (HELPDESK, "Helpdesk", "First-line IT support"),
    ];
    let named = named.into_iter().map(|(id, name, description)| OktaGroup {
        id: id.into(),
        name: name.into(),
        description: description.into(),
    });
    let projects = (1..=PROJECT_GROUPS).map(|n| OktaGroup {
        id: project_id(n),
        name: format!("Project {n:03}"),
        description: format!("Members of project {n:03}"),
    });
    named.chain(projects).collect()
}

fn user(
    id: &'static str,
    login: &'static str,
    (first_name, last_name): (&'static str, &'static str),
    groups: &[&str],
) -> OktaUser {
    OktaUser {
        id,
        login,
        first_name,
        last_name,
        status: UserStatus::Active,
        last_login: Some(SIGNED_IN),
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
    }
}

/// Ids match the sign-in users' Auth0 subjects (`oidc|Okta-OIDC|<id>`).
fn users() -> Vec<OktaUser> {
    let mut many = vec![EVERYONE.to_owned()];
    many.extend((1..=PROJECT_GROUPS).map(project_id));
    vec![
        user(
            "00uadmin0001",
            "admin@example.com",
            ("Alex", "Admin"),
            &[IT_ADMINS, EVERYONE],
        ),
        user(
            "00uhelp0002",
            "helpdesk@example.com",
            ("Harper", "Helpdesk"),
            &[HELPDESK, EVERYONE],
        ),
        user(
            "00uuser0003",
            "user@example.com",
            ("Uma", "User"),
            &[EVERYONE],
        ),
        user(
            "00unew0004",
            "newcomer@example.com",
            ("Nia", "Newcomer"),
            &[HELPDESK, EVERYONE],
        ),
        user(
            "00usecond005",
            "second.admin@example.com",
            ("Sam", "Second"),
            &[IT_ADMINS, EVERYONE],
        ),
        // A privileged account: resetting it needs two administrators.
        user(
            "00uops0006",
            "ops.admin@example.com",
            ("Olive", "Ops"),
            &[IT_ADMINS, EVERYONE],
        ),
        user(
            "00ub0b1",
            "bob@example.com",
            ("Bob", "Builder"),
            &[ENGINEERING, VPN_USERS, EVERYONE],
        ),
        user(
            "00ub0b2it",
            "bob+it@example.com",
            ("Bob", "Builder (IT test)"),
            &[VPN_USERS, EVERYONE],
        ),
        user(
            "00ua1ic3",
            "alice@example.com",
            ("Alice", "Auditor"),
            &[FINANCE, EVERYONE],
        ),
        user(
            "00uc4r0l",
            "carol@example.com",
            ("Carol", "Contractor"),
            &[EVERYONE],
        ),
        OktaUser {
            groups: many,
            ..user("00ugr4ce", "grace@example.com", ("Grace", "Groups"), &[])
        },
        OktaUser {
            status: UserStatus::Suspended,
            ..user(
                "00us4m",
                "sam@example.com",
                ("Sam", "Suspended"),
                &[ENGINEERING, EVERYONE],
            )
        },
        OktaUser {
            status: UserStatus::Deprovisioned,
            last_login: None,
            ..user("00ud4n4", "dana@example.com", ("Dana", "Departed"), &[])
        },
    ]
}

/// By id, or by login (case-insensitive), as Okta's `/users/{idOrLogin}`.
pub fn find_user(id_or_login: &str) -> Option<&'static OktaUser> {
    DIRECTORY
        .users
        .iter()
        .find(|u| u.id == id_or_login || u.login.eq_ignore_ascii_case(id_or_login))
}

pub fn groups_of(user: &OktaUser) -> impl Iterator<Item = &'static OktaGroup> + '_ {
    user.groups
        .iter()
        .filter_map(|id| DIRECTORY.groups.iter().find(|g| g.id == *id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_users_by_id_or_login() {
        let bob = find_user("Bob@Example.com").unwrap();
        assert_eq!(bob.id, "00ub0b1");
        assert_eq!(find_user("00ub0b1").unwrap().login, "bob@example.com");
        assert_eq!(find_user("bob+it@example.com").unwrap().id, "00ub0b2it");
        assert!(find_user("nobody@example.com").is_none());
        let names: Vec<_> = groups_of(bob).map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["Engineering", "VPN Users", "Everyone"]);
    }

    #[test]
    fn grace_is_in_250_distinct_groups() {
        let grace = find_user("grace@example.com").unwrap();
        let mut names: Vec<_> = groups_of(grace).map(|g| g.name.as_str()).collect();
        assert_eq!(names.len(), 250);
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 250);
    }

    #[test]
    fn every_sign_in_user_is_in_okta() {
        for user in crate::auth0::users::demo_users() {
            let okta = find_user(user.email).unwrap();
            assert_eq!(user.sub, format!("oidc|Okta-OIDC|{}", okta.id));
        }
    }
}
