//! Starts the sandbox and the BFF as child processes, waits until they
//! serve, and stops them again.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::site;
use crate::workspace::Workspace;

/// Cold debug binaries generate keys and open stores on start; this is a
/// generous upper bound, not an expected duration.
const START_DEADLINE: Duration = Duration::from_secs(90);
const STOP_GRACE: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(100);

/// The BFF's port and the sandbox's port.
#[derive(Clone, Copy)]
pub struct Ports {
    pub bff: u16,
    pub sandbox: u16,
}

impl Ports {
    pub fn bff_url(self) -> String {
        format!("http://localhost:{}", self.bff)
    }

    pub fn sandbox_url(self) -> String {
        format!("http://localhost:{}", self.sandbox)
    }
}

/// Where the services' output goes.
pub enum Logs {
    /// Interleaved on our stdout, each line prefixed with the service name.
    Terminal,
    /// One `<name>.log` per service in this directory.
    Files(PathBuf),
}

/// What to start and how.
pub struct Stack<'a> {
    pub ws: &'a Workspace,
    pub ports: Ports,
    pub data_dir: &'a Path,
    /// The cargo profile each binary was built with.
    pub bff_profile: &'a str,
    pub sandbox_profile: &'a str,
    pub logs: Logs,
}

impl Stack<'_> {
    /// Starts the sandbox, then the BFF, and returns once the BFF's
    /// `/healthz` answers 200.
    pub fn start(self) -> Result<Running> {
        let ports = self.ports;
        for (name, port) in [("sandbox", ports.sandbox), ("custodian", ports.bff)] {
            if port_open(port) {
                bail!("port {port} for {name} is already in use (is another Custodian running?)");
            }
        }
        let mut running = Running {
            services: Vec::new(),
            log_files: Vec::new(),
        };

        let mut sandbox = Command::new(self.binary(self.sandbox_profile, "sandbox"));
        sandbox
            .arg("--config")
            .arg(self.ws.path("config/local.json"))
            .args(["--listen", &format!("127.0.0.1:{}", ports.sandbox)])
            .args(["--public-url", &ports.sandbox_url()]);
        running.spawn("sandbox", self.prepare(sandbox), &self.logs)?;
        running.wait_for_port(ports.sandbox)?;

        let mut bff = Command::new(self.binary(self.bff_profile, "custodian"));
        bff.envs(site::leptos_env(
            self.ws,
            &format!("127.0.0.1:{}", ports.bff),
        ));
        running.spawn("custodian", self.prepare(bff), &self.logs)?;
        running.wait_for_port(ports.bff)?;
        running.wait_for_health(ports.bff)?;
        Ok(running)
    }

    fn binary(&self, profile: &str, name: &str) -> PathBuf {
        self.ws.profile_dir(profile).join(name)
    }

    /// The settings both services share: every outside service points at
    /// this sandbox, and the store lives in `data_dir`.
    fn prepare(&self, mut cmd: Command) -> Command {
        let sandbox = self.ports.sandbox_url();
        cmd.current_dir(&self.ws.root)
            .env("CUSTODIAN_CONFIG", self.ws.path("config/local.json"))
            .env("CUSTODIAN__APP__BASE_URL", self.ports.bff_url())
            .env("CUSTODIAN__APP__DATA_DIR", self.data_dir)
            .env("CUSTODIAN__AUTH0__DOMAIN", &sandbox)
            .env("CUSTODIAN__BEDROCK__ENDPOINT", format!("{sandbox}/bedrock"))
            .env("CUSTODIAN__OKTA__DOMAIN", format!("{sandbox}/okta"))
            .env("CUSTODIAN__FGA__API_URL", format!("{sandbox}/fga"))
            .env(
                "CUSTODIAN__FGA__TOKEN_URL",
                format!("{sandbox}/fga/oauth/token"),
            )
            // The AWS SDK always signs, so the sandbox agent runtime gets
            // dummy credentials; no instance metadata lookups either.
            .env("AWS_ACCESS_KEY_ID", "sandbox")
            .env("AWS_SECRET_ACCESS_KEY", "sandbox")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            // Our own process group: Ctrl-C reaches only xtask, which then
            // stops the services in order.
            .process_group(0);
        cmd
    }
}

/// Services that are up; dropping this stops them.
pub struct Running {
    services: Vec<Service>,
    log_files: Vec<PathBuf>,
}

struct Service {
    name: &'static str,
    child: Child,
}

impl Running {
    /// Blocks until `stop` fires (Ok) or a service exits on its own (Err).
    pub fn supervise(&mut self, stop: &Receiver<()>) -> Result<()> {
        loop {
            match stop.recv_timeout(POLL * 2) {
                Ok(()) | Err(RecvTimeoutError::Disconnected) => return Ok(()),
                Err(RecvTimeoutError::Timeout) => self.ensure_alive()?,
            }
        }
    }

    /// Fails if any service has exited.
    pub fn ensure_alive(&mut self) -> Result<()> {
        for service in &mut self.services {
            if let Some(status) = service.child.try_wait()? {
                bail!("{} exited unexpectedly ({status})", service.name);
            }
        }
        Ok(())
    }

    /// The last lines of each log file, for a failure report.
    pub fn log_tails(&self, lines: usize) -> String {
        let mut out = String::new();
        for path in &self.log_files {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let all: Vec<&str> = text.lines().collect();
            let tail = &all[all.len().saturating_sub(lines)..];
            out += &format!("--- last {} lines of {}\n", tail.len(), path.display());
            for line in tail {
                out += line;
                out.push('\n');
            }
        }
        out
    }

    /// Stops the services, newest first: SIGTERM, then SIGKILL after a grace
    /// period.
    pub fn stop(&mut self) {
        while let Some(mut service) = self.services.pop() {
            if let Err(err) = service.terminate() {
                eprintln!("could not stop {}: {err:#}", service.name);
            }
        }
    }

    fn spawn(&mut self, name: &'static str, mut cmd: Command, logs: &Logs) -> Result<()> {
        cmd.stdin(Stdio::null());
        match logs {
            Logs::Terminal => {
                cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            }
            Logs::Files(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                let path = dir.join(format!("{name}.log"));
                let file =
                    File::create(&path).with_context(|| format!("creating {}", path.display()))?;
                cmd.stdout(file.try_clone()?).stderr(file);
                self.log_files.push(path);
            }
        }
        let mut child = cmd.spawn().with_context(|| {
            format!("starting {name} ({})", cmd.get_program().to_string_lossy())
        })?;
        if let Some(out) = child.stdout.take() {
            forward(name, out);
        }
        if let Some(err) = child.stderr.take() {
            forward(name, err);
        }
        self.services.push(Service { name, child });
        Ok(())
    }

    /// Readiness: the newest service accepts TCP connections on `port`.
    fn wait_for_port(&mut self, port: u16) -> Result<()> {
        let deadline = Instant::now() + START_DEADLINE;
        while !port_open(port) {
            self.ensure_alive().map_err(|e| self.with_logs(e))?;
            if Instant::now() > deadline {
                let name = self.services.last().map_or("service", |s| s.name);
                return Err(self.with_logs(anyhow::anyhow!(
                    "{name} did not listen on port {port} within {}s",
                    START_DEADLINE.as_secs()
                )));
            }
            thread::sleep(POLL);
        }
        Ok(())
    }

    fn wait_for_health(&mut self, port: u16) -> Result<()> {
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            let status = healthz(port);
            if matches!(status, Ok(200)) {
                return Ok(());
            }
            self.ensure_alive().map_err(|e| self.with_logs(e))?;
            if Instant::now() > deadline {
                return Err(self.with_logs(anyhow::anyhow!(
                    "GET http://127.0.0.1:{port}/healthz did not answer 200 (last: {status:?})"
                )));
            }
            thread::sleep(POLL);
        }
    }

    /// Adds the log tails to a start-up error (in terminal mode the logs
    /// are already on screen).
    fn with_logs(&self, err: anyhow::Error) -> anyhow::Error {
        if self.log_files.is_empty() {
            err
        } else {
            anyhow::anyhow!("{err:#}\n{}", self.log_tails(30))
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Service {
    fn terminate(&mut self) -> Result<ExitStatus> {
        if let Some(status) = self.child.try_wait()? {
            return Ok(status);
        }
        let pid = Pid::from_raw(i32::try_from(self.child.id())?);
        kill(pid, Signal::SIGTERM)?;
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            thread::sleep(POLL);
        }
        self.child.kill()?;
        Ok(self.child.wait()?)
    }
}

/// Copies a child's output to our stdout line by line, prefixed with its name.
fn forward(name: &'static str, stream: impl Read + Send + 'static) {
    thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{name:>9} │ {line}");
        }
    });
}

fn port_open(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(250)).is_ok()
}

/// The status code of `GET /healthz`, over a bare HTTP/1.1 connection.
fn healthz(port: u16) -> Result<u16> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut status_line = String::new();
    BufReader::new(stream).read_line(&mut status_line)?;
    // "HTTP/1.1 200 OK"
    status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("unexpected response {status_line:?}"))
}
