//! The `audience` a request names: none, or the tenant's one API. Any other
//! is refused, as Auth0 refuses an API it does not know ("Service not
//! found"). A blank value counts as none: Auth0's SDKs send `audience=""`
//! when none is configured (@auth0/ai `AsyncAuthorizerBase`).

use crate::config::{ApiConfig, SandboxConfig};

/// The audience, which names no API of this tenant.
#[derive(Debug, PartialEq, Eq)]
pub struct ServiceNotFound(pub String);

impl ServiceNotFound {
    /// Auth0's wording, with the audience that was asked for.
    pub fn description(&self) -> String {
        format!("Service not found: {}", self.0)
    }
}

/// The API `audience` names, if any.
pub fn resolve<'a>(
    config: &'a SandboxConfig,
    audience: Option<&str>,
) -> Result<Option<&'a ApiConfig>, ServiceNotFound> {
    let Some(audience) = audience.filter(|a| !a.trim().is_empty()) else {
        return Ok(None);
    };
    if audience == config.api.identifier {
        Ok(Some(&config.api))
    } else {
        Err(ServiceNotFound(audience.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_API_AUDIENCE;

    #[test]
    fn only_the_tenant_api_is_known_and_blank_means_none() {
        let config = SandboxConfig::default();
        assert_eq!(resolve(&config, None), Ok(None));
        assert_eq!(resolve(&config, Some(" ")), Ok(None));
        assert_eq!(
            resolve(&config, Some(DEFAULT_API_AUDIENCE)),
            Ok(Some(&config.api))
        );
        assert_eq!(
            resolve(&config, Some("https://other.example/api")),
            Err(ServiceNotFound("https://other.example/api".into()))
        );
    }
}
