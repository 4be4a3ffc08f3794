//! Small helpers for the numbers the benches print.

use std::time::Duration;

/// Nearest-rank percentile of sorted samples.
pub fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

pub fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Resident memory in MiB with its parts: anonymous (heap, stacks) and
/// file-backed (the binary's pages that were touched); and the threads,
/// since each one that ever allocated keeps a heap of its own.
pub fn rss_breakdown(pid: u32) -> anyhow::Result<String> {
    let mib = |field| status_number(pid, field).map(|kib| kib as f64 / 1024.0);
    Ok(format!(
        "{:.1} MiB ({:.1} anonymous, {:.1} file-backed; {} threads)",
        mib("VmRSS")?,
        mib("RssAnon")?,
        mib("RssFile")?,
        status_number(pid, "Threads")?
    ))
}

/// A number of `/proc/<pid>/status` (sizes are in KiB there).
fn status_number(pid: u32, field: &str) -> anyhow::Result<u64> {
    use anyhow::Context as _;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {field} line in /proc/<pid>/status"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<_> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&samples, 50), Duration::from_millis(50));
        assert_eq!(percentile(&samples, 99), Duration::from_millis(99));
        assert_eq!(percentile(&samples[..1], 99), Duration::from_millis(1));
    }
}
