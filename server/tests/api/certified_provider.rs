//! An independent, OpenID Certified provider (the npm package
//! `oidc-provider`, in `conformance/provider`) configured to behave like an
//! Auth0 tenant, started as a child process for one test, and driven the
//! way a browser and a phone would.

use std::path::PathBuf;
use std::process::Stdio;

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::{Options, TestApp, location, spawn_app_with};

/// The tenant's users (conformance/provider/src/accounts.js).
pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_SUB: &str = "oidc|Okta-OIDC|00u1admin0example";
/// The CIBA polling interval the tenant announces, in seconds.
pub const CIBA_INTERVAL: u64 = 1;

pub struct CertifiedProvider {
    /// `http://127.0.0.1:<port>/`, with Auth0's trailing slash.
    pub issuer: String,
    _process: Child,
}

fn package_dir() -> PathBuf {
    test_support::repo_root().join("conformance/provider")
}

impl CertifiedProvider {
    /// Starts the tenant on a free port and waits for its ready line.
    pub async fn start() -> Self {
        let dir = package_dir();
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "conformance/provider has no node_modules: run `npm ci` in conformance/provider \
             (`cargo xtask test` installs them)"
        );
        let mut process = Command::new("node")
            .args(["src/main.js", "0"])
            .current_dir(&dir)
            .env("CIBA_INTERVAL", CIBA_INTERVAL.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node must be installed to start conformance/provider");
        forward_errors(process.stderr.take().unwrap());
        let mut lines = BufReader::new(process.stdout.take().unwrap()).lines();
        let ready = lines
            .next_line()
            .await
            .unwrap()
            .expect("the provider exited before it was ready");
        let ready: Value = serde_json::from_str(&ready).unwrap();
        Self {
            issuer: ready["issuer"].as_str().unwrap().to_owned(),
            _process: process,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.issuer, path.trim_start_matches('/'))
    }

    /// `/__control/{path}`: GET without a body, POST with one.
    pub async fn control(&self, path: &str, body: Option<Value>) -> Value {
        let url = self.url(&format!("/__control/{path}"));
        let request = match body {
            Some(body) => Client::new().post(url).json(&body),
            None => Client::new().get(url),
        };
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "control {path}");
        response.json().await.unwrap()
    }

    /// Switches misbehaviours (see conformance/provider/src/behaviour.js).
    pub async fn behave(&self, behaviour: Value) {
        self.control("behaviour", Some(behaviour)).await;
    }

    /// Registers the app's client as an Auth0 regular web application with
    /// the app's connection enabled.
    pub async fn register(&self, app: &TestApp) {
        self.register_with_connection(app, &app.settings.auth0.connection_name)
            .await;
    }

    /// Registers the app's client with only `connection` enabled.
    pub async fn register_with_connection(&self, app: &TestApp, connection: &str) {
        let auth0 = &app.settings.auth0;
        self.control(
            "clients",
            Some(json!({
                "client_id": auth0.client_id,
                "client_secret": app.client_secret,
                "redirect_uris": [app.url("/callback")],
                "allowed_logout_urls": [app.url("/")],
                "connection": connection,
            })),
        )
        .await;
    }

    /// A BFF whose Auth0 is this provider (the rest stays on the sandbox),
    /// with its client registered here.
    pub async fn spawn_app(&self) -> TestApp {
        let app = spawn_app_with(Options {
            auth0_domain: Some(self.issuer.clone()),
            ..Options::default()
        })
        .await;
        self.register(&app).await;
        app
    }

    /// Runs /login through the provider's pages as `email`, and returns the
    /// BFF's answer to the callback.
    pub async fn sign_in(&self, app: &TestApp, client: &Client, email: &str) -> Response {
        self.sign_in_counting_forms(app, client, email).await.0
    }

    /// Like `sign_in`, also counting the login forms the provider showed
    /// (none when its own session still knows the user).
    pub async fn sign_in_counting_forms(
        &self,
        app: &TestApp,
        client: &Client,
        email: &str,
    ) -> (Response, usize) {
        let response = client.get(app.url("/login")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let mut next = location(&response);
        assert!(next.starts_with(&self.issuer), "{next}");
        let mut forms = 0;
        for _ in 0..10 {
            if next.starts_with(&app.base_url) {
                return (client.get(&next).send().await.unwrap(), forms);
            }
            let mut response = client.get(&next).send().await.unwrap();
            if response.status() == StatusCode::OK {
                forms += 1;
                response = self.submit_login(client, response, email).await;
            }
            assert!(
                response.status().is_redirection(),
                "{}: {}",
                response.status(),
                response.text().await.unwrap()
            );
            next = absolute(&self.issuer, &location(&response));
        }
        panic!("the sign-in did not come back to the BFF");
    }

    async fn submit_login(&self, client: &Client, page: Response, email: &str) -> Response {
        let page = page.text().await.unwrap();
        let start = page.find("action=\"").expect("a login form") + "action=\"".len();
        let action = &page[start..start + page[start..].find('"').unwrap()];
        client
            .post(self.url(action))
            .form(&[("login", email)])
            .send()
            .await
            .unwrap()
    }
}

fn absolute(issuer: &str, location: &str) -> String {
    url::Url::parse(issuer)
        .unwrap()
        .join(location)
        .unwrap()
        .to_string()
}

/// oidc-provider's start-up notices are expected; anything else is shown.
fn forward_errors(stderr: tokio::process::ChildStderr) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if !line.starts_with("oidc-provider WARNING")
                && !line.starts_with("oidc-provider NOTICE")
            {
                eprintln!("conformance provider: {line}");
            }
        }
    });
}
