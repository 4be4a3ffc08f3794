//! `limit-server ADDRESS FILE`: answers every request with FILE's bytes as
//! HTML, from memory. `cargo xtask bench` builds it with the BFF's profile
//! and loads both the same way, so the ratio between them is what the BFF
//! spends beyond serving those bytes.

use axum::Router;
use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(address), Some(file)) = (args.next(), args.next()) else {
        eprintln!("usage: limit-server ADDRESS FILE");
        std::process::exit(2);
    };
    let page = Bytes::from(std::fs::read(&file)?);
    let app = Router::new().fallback(move || {
        let page = page.clone();
        async move { ([(CONTENT_TYPE, "text/html; charset=utf-8")], page) }
    });
    let listener = tokio::net::TcpListener::bind(&address).await?;
    axum::serve(listener, app).await
}
