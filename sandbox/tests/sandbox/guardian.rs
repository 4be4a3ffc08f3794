//! The approval page (Guardian stand-in): sign-in through the IdP form,
//! only the signed-in user's requests, and answers that reach the client.

use custodian_core::auth0::{CibaClient, CibaPoll};
use custodian_core::outbound::CallCounter;
use reqwest::header::LOCATION;

use crate::custodian::*;
use crate::support::*;

/// Signs in on the approval page and returns the SSO cookie.
async fn sign_in(base: &str, email: &str, password: &str) -> String {
    let page = http().get(format!("{base}/guardian")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("approval requests waiting for you"), "{html}");
    let request_id = hidden_value(&html, "request_id");
    let response = submit_login(&http(), base, &request_id, email, password).await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()[LOCATION], "/guardian");
    cookie_pair(&response, "sandbox_idp_sso").expect("an SSO cookie")
}

async fn page(base: &str, cookie: &str) -> String {
    let response = http()
        .get(format!("{base}/guardian"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

/// The handles of the requests a page offers to approve.
fn handles(html: &str) -> Vec<String> {
    html.split("action=\"/guardian/")
        .skip(1)
        .filter_map(|rest| rest.split_once("/approve\"").map(|(h, _)| h.to_owned()))
        .collect()
}

async fn answer(base: &str, cookie: &str, handle: &str, decision: &str) -> reqwest::Response {
    http()
        .post(format!("{base}/guardian/{handle}/{decision}"))
        .header("cookie", cookie)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn each_approver_sees_and_answers_only_their_own_requests() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let client = CibaClient::new(&settings(base, dir.path()).auth0, CallCounter::default());

    let admin = sign_in(base, "admin@example.com", "admin-demo").await;
    let html = page(base, &admin).await;
    assert!(html.contains("No approval requests"), "{html}");
    assert!(html.contains("Alex Admin"));

    let for_admin = client
        .start(
            ADMIN_SUB,
            "Custodian password reset, code ADM-111",
            120,
            &details(),
        )
        .await
        .unwrap();
    let for_helpdesk = client
        .start(
            HELPDESK_SUB,
            "Custodian password reset, code HLP-222",
            120,
            &details(),
        )
        .await
        .unwrap();

    let html = page(base, &admin).await;
    assert!(html.contains("code ADM-111"));
    assert!(
        !html.contains("HLP-222"),
        "another user's request is never shown"
    );
    assert!(html.contains(">Approve</button>") && html.contains(">Deny</button>"));
    assert!(html.contains("http-equiv=\"refresh\""));
    let admin_handles = handles(&html);
    assert_eq!(admin_handles.len(), 1);

    let helpdesk = sign_in(base, "helpdesk@example.com", "helpdesk-demo").await;
    let helpdesk_html = page(base, &helpdesk).await;
    assert!(helpdesk_html.contains("HLP-222") && !helpdesk_html.contains("ADM-111"));
    let helpdesk_handles = handles(&helpdesk_html);

    // Answering someone else's request is refused as if it did not exist.
    let foreign = answer(base, &admin, &helpdesk_handles[0], "approve").await;
    assert_eq!(foreign.status(), 404);
    // Cross-site posts and signed-out posts change nothing.
    let cross_site = http()
        .post(format!("{base}/guardian/{}/approve", admin_handles[0]))
        .header("cookie", &admin)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let signed_out = http()
        .post(format!("{base}/guardian/{}/approve", admin_handles[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 303);
    assert!(matches!(
        client.poll(&for_admin.auth_req_id).await,
        CibaPoll::Pending
    ));
    assert!(matches!(
        client.poll(&for_helpdesk.auth_req_id).await,
        CibaPoll::Pending
    ));

    let approved = answer(base, &admin, &admin_handles[0], "approve").await;
    assert_eq!(approved.status(), 303);
    assert_eq!(approved.headers()[LOCATION], "/guardian?done=approved");
    let denied = answer(base, &helpdesk, &helpdesk_handles[0], "deny").await;
    assert_eq!(denied.status(), 303);

    tokio::time::sleep(CIBA_INTERVAL).await;
    let CibaPoll::Approved { id_token } = client.poll(&for_admin.auth_req_id).await else {
        panic!("expected the admin's approval");
    };
    use secrecy::ExposeSecret;
    let (_, claims, _) = jwt_parts(id_token.expose_secret());
    assert_eq!(claims["sub"], ADMIN_SUB);
    assert!(matches!(
        client.poll(&for_helpdesk.auth_req_id).await,
        CibaPoll::Denied
    ));

    let html = page(base, &admin).await;
    assert!(
        html.contains("No approval requests"),
        "answered requests leave the page"
    );
    let again = answer(base, &admin, &admin_handles[0], "deny").await;
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn the_phone_shows_what_is_approved_escaped_above_the_code() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let client = CibaClient::new(&settings(base, dir.path()).auth0, CallCounter::default());
    let odd = custodian_core::auth0::ApprovalDetails::password_reset(
        &custodian_core::auth0::PasswordReset {
            target: "<img src=x onerror=alert(1)>@example.com",
            requester: "admin@example.com",
            binding_code: "ESC-444",
        },
    )
    .unwrap();
    client
        .start(
            ADMIN_SUB,
            "Custodian password reset, code ESC-444",
            120,
            &odd,
        )
        .await
        .unwrap();
    client
        .start(
            ADMIN_SUB,
            "Custodian password reset, code ADM-555",
            120,
            &details(),
        )
        .await
        .unwrap();

    let admin = sign_in(base, "admin@example.com", "admin-demo").await;
    let html = page(base, &admin).await;
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;@example.com"));
    let instruction = html
        .find("Approve resetting the Okta password of bob@example.com, requested by admin@example.com in Custodian.")
        .expect("the instruction");
    let rest = &html[instruction..];
    let order = [
        "<dt>Action:</dt><dd>Reset Okta password</dd>",
        "<dt>User:</dt><dd>bob@example.com</dd>",
        "<dt>Requested by:</dt><dd>admin@example.com</dd>",
        "<dt>Code:</dt><dd>K7F-2QX</dd>",
        "code ADM-555",
        ">Approve</button>",
    ];
    let places: Vec<usize> = order
        .iter()
        .map(|text| rest.find(text).unwrap_or_else(|| panic!("{text}: {html}")))
        .collect();
    assert!(places.is_sorted(), "{places:?}");
}

#[tokio::test]
async fn signing_out_returns_to_the_sign_in_form() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let cookie = sign_in(base, "user@example.com", "user-demo").await;
    let response = http()
        .post(format!("{base}/guardian/sign-out"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let html = page(base, &cookie).await;
    assert!(
        html.contains("name=\"password\""),
        "the old session is gone"
    );
}

#[tokio::test]
async fn an_approver_without_a_device_is_refused_until_they_enrol_on_the_page() {
    use custodian_core::auth0::CibaError;

    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let client = CibaClient::new(&settings(base, dir.path()).auth0, CallCounter::default());
    let message = "Custodian password reset, code NEW-333";

    let removed = http()
        .post(format!("{base}/__sandbox/guardian/enrolments"))
        .json(&serde_json::json!({"email": "admin@example.com", "enrolled": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 200);

    // The wire answer: the OAuth error Auth0's SDKs read as "no push".
    let raw = http()
        .post(format!("{base}/bc-authorize"))
        .form(&[
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("scope", "openid"),
            (
                "login_hint",
                &format!(r#"{{"format":"iss_sub","iss":"{base}/","sub":"{ADMIN_SUB}"}}"#),
            ),
            ("binding_message", message),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");

    // Custodian's client names the cause; nothing was started.
    let refused = client
        .start(ADMIN_SUB, message, 120, &details())
        .await
        .err();
    assert_eq!(refused, Some(CibaError::NotEnrolled { confirmed: true }));
    let list = get_json(&format!("{base}/__sandbox/ciba/requests")).await;
    assert_eq!(list.as_array().unwrap().len(), 0);
    // Other approvers are not affected.
    assert!(
        client
            .start(HELPDESK_SUB, message, 120, &details())
            .await
            .is_ok()
    );

    // The page offers enrolment; after it, requests reach the phone again.
    let admin = sign_in(base, "admin@example.com", "admin-demo").await;
    let html = page(base, &admin).await;
    assert!(html.contains("No phone enrolled"), "{html}");
    let cross_site = http()
        .post(format!("{base}/guardian/enrol"))
        .header("cookie", &admin)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    assert!(
        client
            .start(ADMIN_SUB, message, 120, &details())
            .await
            .is_err()
    );
    let enrolled = http()
        .post(format!("{base}/guardian/enrol"))
        .header("cookie", &admin)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), 303);
    assert_eq!(enrolled.headers()[LOCATION], "/guardian?done=enrolled");
    let request = client
        .start(ADMIN_SUB, message, 120, &details())
        .await
        .unwrap();
    let html = page(base, &admin).await;
    assert!(!html.contains("No phone enrolled"), "{html}");
    assert!(html.contains("code NEW-333"), "{html}");
    assert!(matches!(
        client.poll(&request.auth_req_id).await,
        CibaPoll::Pending
    ));
}
