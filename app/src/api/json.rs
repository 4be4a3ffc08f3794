//! JSON as the server writes it and the browser reads it.
//!
//! The server encodes with `serde_json`. In the browser the engine's own
//! `JSON.parse` reads the text and `serde-wasm-bindgen` walks the parsed
//! value into Rust types, so the bundle carries no JSON parser of its own
//! (without serde_json's parser, number formatting and error messages it
//! went from 234 to 218 KB brotli). The wire stays plain JSON for every reader:
//! server functions, the page's content and the chat's event stream.

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use server_fn::codec::Post;
use server_fn::{ContentType, Decodes, Encodes, Format, FormatType};

/// Text that is not the JSON of the expected type. Says nothing more: what
/// was read may hold anything.
#[derive(Debug, thiserror::Error)]
#[error("the response could not be read")]
pub struct Unreadable;

/// Reads `bytes` as JSON of `T`.
pub fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Unreadable> {
    from_json_str(std::str::from_utf8(bytes).map_err(|_| Unreadable)?)
}

/// Reads `text` as JSON of `T`.
fn from_json_str<T: DeserializeOwned>(text: &str) -> Result<T, Unreadable> {
    #[cfg(feature = "hydrate")]
    {
        let value = js_sys::JSON::parse(text).map_err(|_| Unreadable)?;
        serde_wasm_bindgen::from_value(value).map_err(|_| Unreadable)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        serde_json::from_str(text).map_err(|_| Unreadable)
    }
}

/// Writes `value` as JSON; only the server encodes.
fn to_json<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(value)
}

/// JSON read by [`from_json`]: server-function bodies, results and errors.
pub struct BrowserJsonEncoding;

/// Server functions whose result is JSON read by [`from_json`]; the
/// arguments stay a URL-encoded form, so plain HTML forms can post them.
pub type BrowserJson = Post<BrowserJsonEncoding>;

impl ContentType for BrowserJsonEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for BrowserJsonEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for BrowserJsonEncoding {
    type Error = serde_json::Error;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        to_json(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for BrowserJsonEncoding {
    type Error = Unreadable;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        from_json(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::AppError;

    #[test]
    fn what_the_server_writes_reads_back() {
        let page: Result<Option<(String, Option<u32>)>, AppError> =
            Ok(Some(("Ada — café".into(), None)));
        let text = <BrowserJsonEncoding as Encodes<_>>::encode(&page).unwrap();
        let read: Result<Option<(String, Option<u32>)>, AppError> =
            <BrowserJsonEncoding as Decodes<_>>::decode(text).unwrap();
        assert_eq!(read, page);
        let error = <BrowserJsonEncoding as Encodes<_>>::encode(&AppError::NotFound).unwrap();
        let read: AppError = <BrowserJsonEncoding as Decodes<_>>::decode(error).unwrap();
        assert_eq!(read, AppError::NotFound);
    }

    #[test]
    fn text_of_another_shape_is_unreadable() {
        assert!(from_json::<AppError>(br#"{"Nope":1}"#).is_err());
        assert!(from_json::<AppError>(b"not json").is_err());
    }
}
