//! The demo Okta org: the three sign-in users plus a few people to look up.

pub struct OktaUser {
    pub id: &'static str,
    pub login: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    /// Ids of the groups the user belongs to.
    pub groups: &'static [&'static str],
}

pub struct OktaGroup {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

const EVERYONE: &str = "00g0every0ne";
const ENGINEERING: &str = "00g1engineer";
const VPN_USERS: &str = "00g2vpnusers";
const FINANCE: &str = "00g3finance0";
const IT_ADMINS: &str = "00g4itadmins";
const HELPDESK: &str = "00g5helpdesk";

const GROUPS: &[OktaGroup] = &[
    OktaGroup {
        id: EVERYONE,
        name: "Everyone",
        description: "All users in the organization",
    },
    OktaGroup {
        id: ENGINEERING,
        name: "Engineering",
        description: "Product engineering",
    },
    OktaGroup {
        id: VPN_USERS,
        name: "VPN Users",
        description: "May connect to the corporate VPN",
    },
    OktaGroup {
        id: FINANCE,
        name: "Finance",
        description: "Finance and accounting",
    },
    OktaGroup {
        id: IT_ADMINS,
        name: "IT Admins",
        description: "IT administrators",
    },
    OktaGroup {
        id: HELPDESK,
        name: "Helpdesk",
        description: "First-line IT support",
    },
];

/// Ids match the sign-in users' Auth0 subjects (`oidc|Okta-OIDC|<id>`).
const USERS: &[OktaUser] = &[
    OktaUser {
        id: "00uadmin0001",
        login: "admin@example.com",
        first_name: "Alex",
        last_name: "Admin",
        groups: &[IT_ADMINS, EVERYONE],
    },
    OktaUser {
        id: "00uhelp0002",
        login: "helpdesk@example.com",
        first_name: "Harper",
        last_name: "Helpdesk",
        groups: &[HELPDESK, EVERYONE],
    },
    OktaUser {
        id: "00uuser0003",
        login: "user@example.com",
        first_name: "Uma",
        last_name: "User",
        groups: &[EVERYONE],
    },
    OktaUser {
        id: "00ub0b1",
        login: "bob@example.com",
        first_name: "Bob",
        last_name: "Builder",
        groups: &[ENGINEERING, VPN_USERS, EVERYONE],
    },
    OktaUser {
        id: "00ua1ic3",
        login: "alice@example.com",
        first_name: "Alice",
        last_name: "Auditor",
        groups: &[FINANCE, EVERYONE],
    },
    OktaUser {
        id: "00uc4r0l",
        login: "carol@example.com",
        first_name: "Carol",
        last_name: "Contractor",
        groups: &[EVERYONE],
    },
];

/// By id, or by login (case-insensitive), as Okta's `/users/{idOrLogin}`.
pub fn find_user(id_or_login: &str) -> Option<&'static OktaUser> {
    USERS
        .iter()
        .find(|u| u.id == id_or_login || u.login.eq_ignore_ascii_case(id_or_login))
}

pub fn groups_of(user: &OktaUser) -> impl Iterator<Item = &'static OktaGroup> + '_ {
    user.groups
        .iter()
        .filter_map(|id| GROUPS.iter().find(|g| g.id == *id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_users_by_id_or_login() {
        let bob = find_user("Bob@Example.com").unwrap();
        assert_eq!(bob.id, "00ub0b1");
        assert_eq!(find_user("00ub0b1").unwrap().login, "bob@example.com");
        assert!(find_user("nobody@example.com").is_none());
        let names: Vec<_> = groups_of(bob).map(|g| g.name).collect();
        assert_eq!(names, ["Engineering", "VPN Users", "Everyone"]);
    }

    #[test]
    fn every_sign_in_user_is_in_okta() {
        for user in crate::idp::users::demo_users() {
            let okta = find_user(user.email).unwrap();
            assert_eq!(user.sub, format!("oidc|Okta-OIDC|{}", okta.id));
        }
    }
}
