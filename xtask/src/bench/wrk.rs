//! Drives `wrk` (Debian's HTTP load generator, installed by `tools`) and
//! reads its report. A separate C process keeps the load generator's own
//! cost out of the server's process, as a real client's would be.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// One load run: `connections` kept-alive connections for `duration`.
pub struct Load<'a> {
    pub url: &'a str,
    pub connections: u32,
    pub duration: Duration,
    pub headers: &'a [(&'a str, &'a str)],
    /// A form body to POST instead of a GET.
    pub form: Option<&'a str>,
}

/// What `wrk --latency` reports.
#[derive(Debug, PartialEq)]
pub struct Report {
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// Non-2xx/3xx answers plus socket errors: a valid run has none.
    pub errors: u64,
}

/// Runs one load with a single wrk thread (the other core serves).
pub fn run(load: &Load, scratch: &Path) -> Result<Report> {
    let mut wrk = Command::new("wrk");
    wrk.args(["--threads", "1", "--latency"])
        .arg(format!("--connections={}", load.connections))
        .arg(format!("--duration={}s", load.duration.as_secs().max(1)))
        .arg("--timeout=5s");
    for (name, value) in load.headers {
        wrk.arg("--header").arg(format!("{name}: {value}"));
    }
    if let Some(form) = load.form {
        let script = scratch.join("post.lua");
        std::fs::write(&script, post_script(form))
            .with_context(|| format!("writing {}", script.display()))?;
        wrk.arg("--script").arg(&script);
    }
    wrk.arg(load.url);
    let output = wrk.output().context("starting wrk")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "wrk failed on {}: {}{}",
            load.url,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse(&stdout).with_context(|| format!("reading wrk's report on {}:\n{stdout}", load.url))
}

/// A wrk script that turns every request into a form POST.
fn post_script(form: &str) -> String {
    let mut lua = String::from("wrk.method = \"POST\"\n");
    let _ = writeln!(lua, "wrk.body = {form:?}");
    lua.push_str("wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n");
    lua
}

fn parse(report: &str) -> Result<Report> {
    let mut per_second = None;
    let (mut p50, mut p99) = (None, None);
    let mut errors = 0;
    for line in report.lines().map(str::trim) {
        if let Some(rate) = line.strip_prefix("Requests/sec:") {
            per_second = Some(rate.trim().parse().context("Requests/sec")?);
        } else if let Some(value) = line.strip_prefix("50%") {
            p50 = Some(duration(value.trim())?);
        } else if let Some(value) = line.strip_prefix("99%") {
            p99 = Some(duration(value.trim())?);
        } else if let Some(count) = line.strip_prefix("Non-2xx or 3xx responses:") {
            errors += count.trim().parse::<u64>().context("Non-2xx count")?;
        } else if let Some(counts) = line.strip_prefix("Socket errors:") {
            errors += counts
                .split(',')
                .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
                .sum::<u64>();
        }
    }
    Ok(Report {
        per_second: per_second.context("no Requests/sec line")?,
        p50: p50.context("no 50% line")?,
        p99: p99.context("no 99% line")?,
        errors,
    })
}

/// wrk's "541.00us", "2.27ms", "1.02s".
fn duration(text: &str) -> Result<Duration> {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .with_context(|| format!("no unit in {text:?}"))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .with_context(|| format!("not a number: {text:?}"))?;
    let seconds = match unit {
        "us" => number / 1e6,
        "ms" => number / 1e3,
        "s" => number,
        "m" => number * 60.0,
        _ => bail!("unknown unit in {text:?}"),
    };
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// wrk 4.1's report, as Debian's build prints it.
    const REPORT: &str = "Running 10s test @ http://127.0.0.1:3300/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.31ms  610.52us  12.40ms   81.20%
    Req/Sec     3.49k   201.11     3.80k    72.00%
  Latency Distribution
     50%    2.27ms
     75%    2.50ms
     90%    2.98ms
     99%    4.91ms
  34720 requests in 10.00s, 180.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   3472.00
Transfer/sec:     18.01MB
";

    fn micros(d: Duration) -> u64 {
        (d.as_secs_f64() * 1e6).round() as u64
    }

    #[test]
    fn reads_throughput_percentiles_and_errors() {
        let report = parse(REPORT).unwrap();
        assert_eq!(report.per_second, 3472.0);
        assert_eq!(micros(report.p50), 2270);
        assert_eq!(micros(report.p99), 4910);
        assert_eq!(report.errors, 7);
    }

    #[test]
    fn reads_every_unit_wrk_prints() {
        assert_eq!(micros(duration("541.00us").unwrap()), 541);
        assert_eq!(micros(duration("1.50s").unwrap()), 1_500_000);
        assert!(duration("3.00h").is_err());
        assert!(duration("12").is_err());
    }

    #[test]
    fn a_report_without_a_rate_is_an_error() {
        assert!(parse("Running 10s test @ http://x/\n").is_err());
    }

    #[test]
    fn posts_the_form_it_is_given() {
        let lua = post_script("id=a\"b");
        assert!(lua.contains("wrk.method = \"POST\""));
        assert!(lua.contains(r#"wrk.body = "id=a\"b""#));
    }
}
