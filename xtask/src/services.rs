//! Starts the sandbox and the BFF as child processes, waits until they
//! serve, and stops them again.

mod config;
mod readiness;

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use custodian_core::settings::AgentHost;

use crate::site;
use crate::workspace::Workspace;
use readiness::healthz;
pub use readiness::port_open;

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
    /// `<name>.log` per service in the stack's work directory.
    Files,
}

/// A fresh data directory for a stack that keeps nothing, removed on drop.
pub fn scratch_data_dir(purpose: &str) -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(&format!("custodian-{purpose}-"))
        .tempdir()
        .context("creating a data directory")
}

/// What to start and how.
pub struct Stack<'a> {
    pub ws: &'a Workspace,
    pub ports: Ports,
    pub data_dir: &'a Path,
    /// Holds the generated settings file and the log files.
    pub work_dir: PathBuf,
    /// The cargo profile each binary was built with.
    pub bff_profile: &'a str,
    pub sandbox_profile: &'a str,
    pub logs: Logs,
    /// `agentHost` in the stack's settings; the sandbox serves both.
    pub agent_host: AgentHost,
    /// Settings overrides for the BFF alone (`CUSTODIAN__…`), for limits
    /// the sandbox never reads.
    pub bff_env: &'a [(&'a str, &'a str)],
    /// A program the BFF runs under (its arguments first), e.g. a profiler.
    pub bff_wrapper: &'a [&'a str],
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
        let settings = self.write_settings()?;
        let mut running = Running {
            services: Vec::new(),
            log_files: Vec::new(),
        };
        self.spawn_sandbox(&mut running, &settings, &ports.sandbox_url())?;

        let bff = self.bff_command(&settings, ports.bff);
        running.spawn("custodian", bff, &self.logs, &self.work_dir)?;
        running.wait_for_port(ports.bff)?;
        running.wait_for_health(ports.bff)?;
        Ok(running)
    }

    /// The BFF's binary, of the stack's profile.
    pub fn bff_binary(&self) -> PathBuf {
        self.ws.profile_dir(self.bff_profile).join("custodian")
    }

    /// The BFF on `port` with the stack's `settings` file.
    pub fn bff_command(&self, settings: &Path, port: u16) -> Command {
        let binary = self.bff_binary();
        let mut bff = match self.bff_wrapper {
            [program, args @ ..] => {
                let mut wrapped = Command::new(program);
                wrapped.args(args).arg(binary);
                self.prepared(wrapped)
            }
            [] => self.prepared(Command::new(binary)),
        };
        bff.env("CUSTODIAN_CONFIG", settings)
            .envs(site::leptos_env(self.ws, &format!("127.0.0.1:{port}")))
            // The AWS SDK always signs, so the sandbox agent runtime gets
            // dummy credentials; and no instance-metadata lookups.
            .env("AWS_ACCESS_KEY_ID", "sandbox")
            .env("AWS_SECRET_ACCESS_KEY", "sandbox")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .envs(self.bff_env.iter().copied());
        bff
    }

    /// Starts the sandbox alone, announcing `public_url` as its issuer base
    /// (e.g. an HTTPS front's address), and returns once it listens. The
    /// settings file it runs with is `work_dir/config.json`.
    pub fn start_sandbox(self, public_url: &str) -> Result<Running> {
        if port_open(self.ports.sandbox) {
            bail!(
                "port {} for the sandbox is already in use (is another Custodian running?)",
                self.ports.sandbox
            );
        }
        let settings = self.write_settings()?;
        let mut running = Running {
            services: Vec::new(),
            log_files: Vec::new(),
        };
        self.spawn_sandbox(&mut running, &settings, public_url)?;
        Ok(running)
    }

    /// `config/local.json` moved to this stack's ports, data and agent host.
    fn write_settings(&self) -> Result<PathBuf> {
        config::write(
            &self.ws.path("config/local.json"),
            self.ports,
            self.data_dir,
            &self.work_dir,
            self.agent_host,
        )
    }

    fn spawn_sandbox(
        &self,
        running: &mut Running,
        settings: &Path,
        public_url: &str,
    ) -> Result<()> {
        let mut sandbox = self.command(self.sandbox_profile, "sandbox");
        sandbox
            .arg("--config")
            .arg(settings)
            .args(["--listen", &format!("127.0.0.1:{}", self.ports.sandbox)])
            .args(["--public-url", public_url]);
        running.spawn("sandbox", sandbox, &self.logs, &self.work_dir)?;
        running.wait_for_port(self.ports.sandbox)
    }

    /// A built binary of this workspace, run from its root with no
    /// `CUSTODIAN_*` overrides from our environment.
    pub fn command(&self, profile: &str, binary: &str) -> Command {
        self.prepared(Command::new(self.ws.profile_dir(profile).join(binary)))
    }

    fn prepared(&self, mut cmd: Command) -> Command {
        cmd.current_dir(&self.ws.root)
            // Our own process group: Ctrl-C reaches only xtask, which then
            // stops the services in order.
            .process_group(0);
        // Settings come from the generated file alone: the sandbox cannot
        // see overrides, and the two must agree.
        for (key, _) in std::env::vars_os() {
            if key
                .to_string_lossy()
                .to_ascii_uppercase()
                .starts_with("CUSTODIAN_")
            {
                cmd.env_remove(key);
            }
        }
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

    /// The process id of the service started as `name`.
    pub fn pid_of(&self, name: &str) -> Option<u32> {
        self.services
            .iter()
            .find(|service| service.name == name)
            .map(|service| service.child.id())
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

    /// Stops the service started last.
    pub fn stop_newest(&mut self) -> Result<()> {
        match self.services.pop() {
            Some(mut service) => service.terminate().map(drop),
            None => Ok(()),
        }
    }

    pub fn spawn(
        &mut self,
        name: &'static str,
        mut cmd: Command,
        logs: &Logs,
        work_dir: &Path,
    ) -> Result<()> {
        cmd.stdin(Stdio::null());
        match logs {
            Logs::Terminal => {
                cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            }
            Logs::Files => {
                let path = work_dir.join(format!("{name}.log"));
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
    pub fn wait_for_port(&mut self, port: u16) -> Result<()> {
        let deadline = Instant::now() + START_DEADLINE;
        while !port_open(port) {
            self.ensure_alive().map_err(|e| self.with_logs(e))?;
            if Instant::now() > deadline {
                let name = self.services.last().map_or("service", |s| s.name);
                return Err(self.with_logs(anyhow!(
                    "{name} did not listen on port {port} within {}s",
                    START_DEADLINE.as_secs()
                )));
            }
            thread::sleep(POLL);
        }
        Ok(())
    }

    fn wait_for_health(&mut self, port: u16) -> Result<()> {
        self.wait_for_health_every(port, POLL)
    }

    /// Readiness: `GET /healthz` on `port` answers 200; asked every `poll`.
    pub fn wait_for_health_every(&mut self, port: u16, poll: Duration) -> Result<()> {
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            let status = healthz(port);
            if matches!(status, Ok(200)) {
                return Ok(());
            }
            self.ensure_alive().map_err(|e| self.with_logs(e))?;
            if Instant::now() > deadline {
                return Err(self.with_logs(anyhow!(
                    "GET http://127.0.0.1:{port}/healthz did not answer 200 (last: {status:?})"
                )));
            }
            thread::sleep(poll);
        }
    }

    /// Adds the log tails to a start-up error (in terminal mode the logs
    /// are already on screen).
    fn with_logs(&self, err: anyhow::Error) -> anyhow::Error {
        if self.log_files.is_empty() {
            err
        } else {
            anyhow!("{err:#}\n{}", self.log_tails(30))
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
