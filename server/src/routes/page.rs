//! The one page (`/` and `/c/<id>`), rendered by Leptos and remembered.
//!
//! The page is a pure function of what it shows (`PageData`: who is
//! signed in, their conversations, the open one) and its CSP nonce. So
//! every request still resolves its session and reads that data from the
//! store, and only the rendering is skipped when the same data was rendered
//! before: the key is the data itself, byte for byte, so a change anywhere
//! (a new message, a rename, another user, a session gone) is a new key,
//! never a stale page. The nonce is fresh on every response: the page is
//! rendered with a placeholder that is swapped for it on the way out.

use std::sync::Arc;
use std::time::Duration;

use app::CspNonce;
use app::ssr::{AppState, CurrentSession, PageData};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use custodian_core::ids::random_token;
use futures::future::BoxFuture;
use http::{HeaderMap, StatusCode, header};
use moka::sync::Cache;

/// Leptos' handler for the page.
pub type Render = Arc<dyn Fn(Request) -> BoxFuture<'static, Response> + Send + Sync>;

/// The most the memo holds: pages and their keys, in bytes.
const MEMO_BYTES: u64 = 2 * 1024 * 1024;
/// A page nobody asked for in this long is let go.
const MEMO_IDLE: Duration = Duration::from_secs(10 * 60);
/// The largest page read back from the renderer.
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

pub struct Pages {
    state: AppState,
    render: Render,
    memo: Cache<Vec<u8>, Arc<Rendered>>,
    /// Stands in for the nonce while rendering; random per process, so no
    /// stored text can contain it.
    placeholder: String,
}

/// A rendered page, split where the nonce goes.
struct Rendered {
    status: StatusCode,
    headers: HeaderMap,
    pieces: Vec<Bytes>,
}

impl Pages {
    pub fn new(state: AppState, render: Render) -> Self {
        let memo = Cache::builder()
            .max_capacity(MEMO_BYTES)
            .weigher(|key: &Vec<u8>, page: &Arc<Rendered>| {
                u32::try_from(key.len() + page.len()).unwrap_or(u32::MAX)
            })
            .time_to_idle(MEMO_IDLE)
            .build();
        Self {
            state,
            render,
            memo,
            placeholder: random_token(18),
        }
    }

    pub async fn serve(&self, mut request: Request) -> Response {
        let data = self.data_for(&request).await;
        // An error is rendered afresh every time: it may pass.
        let key = data.key();
        request.extensions_mut().insert(Arc::new(data));
        let nonce = request.extensions().get::<CspNonce>().cloned();
        let (Some(CspNonce(nonce)), Some(key)) = (nonce, key) else {
            return (self.render)(request).await;
        };
        if let Some(page) = self.memo.get(&key) {
            return page.response(&nonce);
        }
        request
            .extensions_mut()
            .insert(CspNonce(self.placeholder.clone()));
        let page = match self.render_to_pieces(request).await {
            Ok(page) => Arc::new(page),
            Err(response) => return response,
        };
        if page.is_reusable() {
            self.memo.insert(key, Arc::clone(&page));
        }
        page.response(&nonce)
    }

    /// What the page for `request` shows. Owns what it reads of the
    /// request before awaiting: a request's body may not be shared
    /// between threads.
    fn data_for(&self, request: &Request) -> impl Future<Output = PageData> + use<> {
        let session = request
            .extensions()
            .get::<CurrentSession>()
            .cloned()
            .unwrap_or_default();
        let path = request.uri().path().to_owned();
        let state = self.state.clone();
        async move { PageData::read(&state, &session, &path).await }
    }

    async fn render_to_pieces(&self, request: Request) -> Result<Rendered, Response> {
        let (parts, body) = (self.render)(request).await.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_PAGE_BYTES)
            .await
            .map_err(|error| {
                tracing::error!(error = %error, "rendering the page failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            })?;
        Ok(Rendered {
            status: parts.status,
            headers: parts.headers,
            pieces: split(&bytes, self.placeholder.as_bytes()),
        })
    }
}

impl Rendered {
    /// Only a plain page is sent again: an error may pass, and a cookie
    /// belongs to the one response that set it.
    fn is_reusable(&self) -> bool {
        self.status == StatusCode::OK && !self.headers.contains_key(header::SET_COOKIE)
    }

    fn len(&self) -> usize {
        self.pieces.iter().map(Bytes::len).sum()
    }

    fn response(&self, nonce: &str) -> Response {
        let mut body = Vec::with_capacity(self.len() + nonce.len() * self.pieces.len());
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(nonce.as_bytes());
            }
            body.extend_from_slice(piece);
        }
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        response
    }
}

/// `bytes` cut at every `marker`, without the markers.
fn split(bytes: &Bytes, marker: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], marker) {
        let end = at + found;
        pieces.push(bytes.slice(start..end));
        start = end + marker.len();
        at = start;
    }
    pieces.push(bytes.slice(start..));
    pieces
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::{Bytes, split};

    #[test]
    fn splits_at_every_marker() {
        let pieces = split(&Bytes::from_static(b"a<N>b<N><N>c"), b"<N>");
        assert_eq!(pieces, [&b"a"[..], b"b", b"", b"c"]);
        let whole = split(&Bytes::from_static(b"no marker"), b"<N>");
        assert_eq!(whole, [Bytes::from_static(b"no marker")]);
    }
}
