//! Signs in over plain HTTP the way a browser does: BFF `/login` → the
//! sandbox's login form → back through `/callback` with a session cookie.

use anyhow::{Context, Result, ensure};
use reqwest::{Client, Url};

use super::form::LoginForm;

/// A client that keeps cookies, signed in as `email`.
pub async fn signed_in_client(bff: &Url, email: &str, password: &str) -> Result<Client> {
    let client = Client::builder()
        .cookie_store(true)
        .build()
        .context("building the HTTP client")?;
    sign_in(&client, bff, email, password).await?;
    Ok(client)
}

pub async fn sign_in(client: &Client, bff: &Url, email: &str, password: &str) -> Result<()> {
    let login = client
        .get(bff.join("/login")?)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .context("GET /login")?;
    let form_page = login.url().clone();
    let html = login.text().await?;
    let form =
        LoginForm::parse(&html).with_context(|| format!("reading the form at {form_page}"))?;
    let action = form_page.join(&form.action)?;

    let landed = client
        .post(action.clone())
        .form(&form.fill(email, password))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .with_context(|| format!("POST {action}"))?;
    let url = landed.url().clone();
    let page = landed.text().await?;
    ensure!(
        url.origin() == bff.origin() && page.contains("Sign out"),
        "signing in as {email} ended at {url} without a signed-in page"
    );
    Ok(())
}
