//! Sizes of what the browser downloads for the chat page: the WASM bundle
//! and its JS glue, raw and as served compressed.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::site::OUTPUT_NAME;

/// The budget for the compressed bundle (WASM + JS): a minimal Leptos
/// hydrate app is about 143 KB on this toolchain, so little is left for ours.
const BROTLI_TARGET: usize = 150_000;

struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

pub fn report(pkg: &Path) -> Result<()> {
    let mut total = Sizes {
        raw: 0,
        gzip: 0,
        brotli: 0,
    };
    println!("\nWASM bundle ({})", pkg.display());
    println!(
        "  {:<16} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip -9", "brotli 11"
    );
    for ext in ["wasm", "js"] {
        let name = format!("{OUTPUT_NAME}.{ext}");
        let path = pkg.join(&name);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let sizes = measure(&bytes)?;
        print_row(&name, &sizes);
        total.raw += sizes.raw;
        total.gzip += sizes.gzip;
        total.brotli += sizes.brotli;
    }
    print_row("total", &total);
    let verdict = if total.brotli <= BROTLI_TARGET {
        "within"
    } else {
        "OVER"
    };
    println!(
        "  target: ≤ {} brotli — {verdict} target",
        kb(BROTLI_TARGET)
    );
    Ok(())
}

fn measure(bytes: &[u8]) -> Result<Sizes> {
    let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
    gzip.write_all(bytes)?;
    let gzip = gzip.finish()?.len();

    // Quality 11 with a 4 MiB window: what a static pre-compression uses.
    let mut brotli = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, 11, 22);
    brotli.write_all(bytes)?;
    let brotli = brotli.into_inner().len();

    Ok(Sizes {
        raw: bytes.len(),
        gzip,
        brotli,
    })
}

fn print_row(name: &str, sizes: &Sizes) {
    println!(
        "  {name:<16} {:>10} {:>10} {:>10}",
        kb(sizes.raw),
        kb(sizes.gzip),
        kb(sizes.brotli)
    );
}

/// Kilobytes of 1,000 bytes, as the budget is stated.
fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
