//! Auth0 FGA: the client credentials, the store and the pinned model id,
//! through the OpenFGA API (`ReadAuthorizationModel`).

use custodian_core::settings::Settings;
use secrecy::ExposeSecret;
use serde_json::Value;

use super::Finding;

pub async fn check(settings: &Settings, http: &reqwest::Client) -> Vec<Finding> {
    let fga = &settings.fga;
    let token = match token(settings, http).await {
        Ok(token) => token,
        Err(finding) => return vec![finding],
    };
    let url = format!(
        "{}/stores/{}/authorization-models/{}",
        fga.api_url.as_str().trim_end_matches('/'),
        fga.store_id,
        fga.model_id
    );
    let response = match http.get(&url).bearer_auth(token).send().await {
        Ok(response) => response,
        Err(_) => {
            return vec![Finding::problem(
                format!("fga: {} cannot be reached", fga.api_url),
                "check fga.apiUrl (non-US stores have their own, e.g. https://api.eu1.fga.dev)",
            )];
        }
    };
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or_default();
    vec![model_finding(settings, status, &body)]
}

async fn token(settings: &Settings, http: &reqwest::Client) -> Result<String, Finding> {
    let fga = &settings.fga;
    let response = http
        .post(fga.token_url.as_str())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", fga.client_id.as_str()),
            ("client_secret", fga.client_secret.expose_secret()),
            ("audience", fga.audience.as_str()),
        ])
        .send()
        .await
        .map_err(|_| {
            Finding::problem(
                format!(
                    "fga: the token endpoint {} cannot be reached",
                    fga.token_url
                ),
                "check fga.tokenUrl",
            )
        })?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or_default();
    match body["access_token"].as_str() {
        Some(token) if status.is_success() => Ok(token.to_owned()),
        _ => Err(Finding::problem(
            format!(
                "fga: the client credentials were refused (HTTP {}, {})",
                status.as_u16(),
                body["error"].as_str().unwrap_or("no reason given")
            ),
            "set fga.clientId / fga.clientSecret to an FGA API client of this store, and \
             fga.audience to its API audience (https://api.<region>.fga.dev/)",
        )),
    }
}

fn model_finding(settings: &Settings, status: u16, body: &Value) -> Finding {
    let fga = &settings.fga;
    match (status, body["code"].as_str()) {
        (200, _) => Finding::ok(format!(
            "fga: model {} in store {}",
            fga.model_id, fga.store_id
        )),
        (_, Some("store_id_not_found")) | (_, Some("undefined_endpoint")) => Finding::problem(
            format!("fga: store {} does not exist", fga.store_id),
            "set fga.storeId to the store's id (FGA dashboard → Settings)",
        ),
        (_, Some("validation_error")) => Finding::problem(
            format!(
                "fga: {:?} or {:?} is not an FGA id ({})",
                fga.store_id,
                fga.model_id,
                body["message"].as_str().unwrap_or("malformed")
            ),
            "copy fga.storeId and fga.modelId exactly (26-character ULIDs) from the FGA \
             dashboard or `fga model list`",
        ),
        (404, _) | (_, Some("authorization_model_not_found")) => Finding::problem(
            format!("fga: store {} has no model {}", fga.store_id, fga.model_id),
            "set fga.modelId to the id `fga model write --store-id <store> --file \
             config/fga/model.fga` printed (`fga model list` shows them)",
        ),
        (status, code) => Finding::problem(
            format!(
                "fga: reading the model failed (HTTP {status}, {})",
                code.unwrap_or("-")
            ),
            "check fga.apiUrl and that the client may read the store",
        ),
    }
}
