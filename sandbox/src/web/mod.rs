//! HTTP helpers the services share: request bodies, pages, same-origin
//! checks, request logging, and AWS event-stream framing and signing.

pub mod event_stream_frames;
pub mod form_or_json;
pub mod html;
pub mod request_log;
pub mod same_origin;
pub mod sigv4;
