//! Where a request came from, for the sign-in limit. Only what a client
//! cannot write itself counts:
//!
//! - locally, the TCP peer (axum's `ConnectInfo`, given by the listener);
//! - on Lambda behind API Gateway (REST or HTTP API) or a Function URL,
//!   the source address in the event's request context, which AWS sets
//!   from the connection it accepted;
//! - behind an Application Load Balancer, the last `X-Forwarded-For`
//!   entry, the one the balancer itself appends.
//!
//! Anywhere else `X-Forwarded-For` is the client's own words and is never
//! read. A request without a trustworthy address counts as `Unknown`,
//! which all such requests share.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use custodian_core::limits::ClientAddress;
use http::request::Parts;
use lambda_http::request::RequestContext;

/// The client's address, as an extractor that always succeeds.
pub struct Client(pub ClientAddress);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Client(client_address(parts)))
    }
}

fn client_address(parts: &Parts) -> ClientAddress {
    if let Some(context) = parts.extensions.get::<RequestContext>() {
        return from_lambda(context, parts);
    }
    match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(peer)) => ClientAddress::new(peer.ip()),
        None => ClientAddress::Unknown,
    }
}

fn from_lambda(context: &RequestContext, parts: &Parts) -> ClientAddress {
    let source = match context {
        RequestContext::ApiGatewayV1(rest) => rest.identity.source_ip.as_deref(),
        // HTTP APIs and Function URLs.
        RequestContext::ApiGatewayV2(http) => http.http.source_ip.as_deref(),
        RequestContext::WebSocket(socket) => socket.identity.source_ip.as_deref(),
        RequestContext::Alb(_) => return last_forwarded_for(parts),
        _ => None,
    };
    source.map_or(ClientAddress::Unknown, ClientAddress::parse)
}

/// The entry the load balancer appended: the last of the last header.
fn last_forwarded_for(parts: &Parts) -> ClientAddress {
    parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .map_or(ClientAddress::Unknown, ClientAddress::parse)
}
