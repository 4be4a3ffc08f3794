//! Okta's `Link` response headers (RFC 8288; Okta "Link header"): each page
//! of a list names itself (`rel="self"`) and, while more remain, the next
//! page (`rel="next"`). Okta sends them as separate `Link` headers; they may
//! also arrive joined with commas.

use reqwest::header::{HeaderMap, LINK};

/// The `rel="next"` target, if the page has one.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(links)
        .find(|(_, params)| is_next(params))
        .map(|(target, _)| target.trim().to_owned())
}

/// `(target, params)` for each `<target>; params` in one header value.
fn links(value: &str) -> impl Iterator<Item = (&str, &str)> {
    value
        .split('<')
        .skip(1)
        .filter_map(|part| part.split_once('>'))
}

fn is_next(params: &str) -> bool {
    params.split(';').any(|param| {
        let Some((name, value)) = param.split_once('=') else {
            return false;
        };
        name.trim().eq_ignore_ascii_case("rel")
            && value
                .trim()
                .trim_matches('"')
                .split_whitespace()
                .any(|rel| rel.eq_ignore_ascii_case("next"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(LINK, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn finds_next_in_separate_or_joined_headers() {
        let separate = headers(&[
            "<https://o.okta.com/api/v1/users/1/groups?limit=200>; rel=\"self\"",
            "<https://o.okta.com/api/v1/users/1/groups?after=00g9&limit=200>; rel=\"next\"",
        ]);
        let expected = "https://o.okta.com/api/v1/users/1/groups?after=00g9&limit=200";
        assert_eq!(next_link(&separate).as_deref(), Some(expected));
        let joined = headers(&[
            "<https://o.okta.com/a?limit=2>; rel=\"self\", <https://o.okta.com/a?after=x&limit=2>; rel=next",
        ]);
        assert_eq!(
            next_link(&joined).as_deref(),
            Some("https://o.okta.com/a?after=x&limit=2")
        );
    }

    #[test]
    fn a_last_page_has_no_next() {
        let last = headers(&["<https://o.okta.com/a?after=x&limit=2>; rel=\"self\""]);
        assert_eq!(next_link(&last), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
