//! The Auth0 tenant as its discovery document describes it (OpenID Connect
//! Discovery §3): the issuer, CIBA, the grants and the signing algorithms
//! Custodian relies on.

use custodian_core::settings::Settings;
use serde_json::Value;

use super::Finding;

const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
const TOKEN_VAULT_GRANT: &str =
    "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token";

pub async fn check(settings: &Settings, http: &reqwest::Client) -> Vec<Finding> {
    let issuer = settings.auth0.issuer().as_str();
    let url = format!("{issuer}.well-known/openid-configuration");
    let document = match fetch(http, &url).await {
        Ok(document) => document,
        Err(problem) => {
            return vec![Finding::problem(
                format!("auth0: the discovery document at {url} {problem}"),
                "check auth0.domain: it is the tenant's domain, e.g. your-tenant.us.auth0.com",
            )];
        }
    };
    let mut findings = vec![issuer_finding(&document, issuer)];
    findings.push(ciba_finding(&document));
    findings.extend(token_vault_finding(&document));
    findings.push(algorithm_finding(
        &document,
        &settings.auth0.id_token_algorithms,
    ));
    findings
}

async fn fetch(http: &reqwest::Client, url: &str) -> Result<Value, String> {
    let response = http
        .get(url)
        .send()
        .await
        .map_err(|_| "cannot be reached".to_owned())?;
    if !response.status().is_success() {
        return Err(format!("answers HTTP {}", response.status().as_u16()));
    }
    response.json().await.map_err(|_| "is not JSON".to_owned())
}

fn issuer_finding(document: &Value, issuer: &str) -> Finding {
    match document["issuer"].as_str() {
        Some(found) if found == issuer => Finding::ok(format!("auth0: issuer {issuer}")),
        found => Finding::problem(
            format!("auth0: the tenant's issuer is {found:?}, not {issuer:?}"),
            "set auth0.domain to the tenant's own domain (a custom domain is its own issuer)",
        ),
    }
}

fn advertises(document: &Value, grant: &str) -> Option<bool> {
    let grants = document["grant_types_supported"].as_array()?;
    Some(grants.iter().any(|g| g == grant))
}

fn ciba_finding(document: &Value) -> Finding {
    let endpoint = document["backchannel_authentication_endpoint"].is_string();
    if endpoint && advertises(document, CIBA_GRANT) != Some(false) {
        return Finding::ok("auth0: CIBA is available (password resets can ask for approval)");
    }
    Finding::problem(
        "auth0: the tenant does not advertise CIBA, so password resets cannot ask for approval",
        "enable Client-Initiated Backchannel Authentication (Enterprise plan or add-on), then \
         the CIBA grant and the Guardian push channel on the application (infra/README.md, Auth0)",
    )
}

fn token_vault_finding(document: &Value) -> Option<Finding> {
    match advertises(document, TOKEN_VAULT_GRANT)? {
        true => Some(Finding::ok("auth0: Token Vault exchange is available")),
        false => Some(Finding::problem(
            "auth0: the tenant does not advertise the Token Vault exchange, so Okta calls will fail",
            "enable Token Vault for the Okta connection and the Token Vault grant on the \
             application (infra/README.md, Auth0)",
        )),
    }
}

fn algorithm_finding(document: &Value, allowed: &[String]) -> Finding {
    let offered: Vec<&str> = document["id_token_signing_alg_values_supported"]
        .as_array()
        .map(|algs| algs.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if allowed.iter().any(|alg| offered.contains(&alg.as_str())) {
        return Finding::ok(format!(
            "auth0: ID tokens can be signed with {}",
            allowed.join(" or ")
        ));
    }
    Finding::problem(
        format!(
            "auth0: the tenant signs ID tokens with {} but auth0.idTokenAlgorithms allows only {}",
            offered.join(", "),
            allowed.join(", ")
        ),
        "set the application's signing algorithm to RS256 (Advanced Settings → OAuth), or list \
         the tenant's algorithm in auth0.idTokenAlgorithms",
    )
}
