//! A moto server (PyPI `moto[server]`) standing in for DynamoDB and Secrets
//! Manager: one per test binary, on a free port, reached with dummy
//! credentials.
//!
//! Statics are never dropped, so moto's lifetime is tied to ours through a
//! pipe instead: it reads its stdin and stops at end of file, which comes
//! when this process exits however it exits (pass, fail, abort). `Drop`
//! also stops it, for a `Moto` owned by a scope.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use aws_config::{Region, SdkConfig};
use aws_sdk_secretsmanager::config::Credentials;

const INSTALL_HINT: &str = "these tests need moto's server; install it with \
     `python3 -m pip install 'moto[server]'` (or run `cargo xtask test`, which does)";
const START_TIMEOUT: Duration = Duration::from_secs(30);
pub const REGION: &str = "us-east-1";

/// Serves until stdin closes, then stops. One request at a time: moto does
/// not lock its backends, while DynamoDB's conditional writes are atomic, so
/// requests must not interleave for the concurrency tests to mean anything.
/// Request logging is off; start-up errors still reach stderr.
const LAUNCHER: &str = "
import logging, sys, threading
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server
logging.getLogger('werkzeug').setLevel(logging.ERROR)
app = DomainDispatcherApplication(create_backend_app)
server = make_server('127.0.0.1', int(sys.argv[1]), app, threaded=False)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
";

pub struct Moto {
    child: Mutex<Child>,
    pub endpoint: String,
}

/// The binary's moto server, started on first use.
pub fn moto() -> &'static Moto {
    static MOTO: OnceLock<Moto> = OnceLock::new();
    MOTO.get_or_init(Moto::start)
}

impl Moto {
    pub fn start() -> Moto {
        let installed = Command::new("python3")
            .args(["-c", "import moto.server"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match installed {
            Ok(status) if status.success() => {}
            Ok(_) => panic!("moto is not installed: {INSTALL_HINT}"),
            Err(error) => panic!("python3 cannot be run ({error}): {INSTALL_HINT}"),
        }
        let port = free_port();
        let mut child = Command::new("python3")
            .args(["-c", LAUNCHER, &port.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto: {e}"));
        wait_until_listening(&mut child, SocketAddr::from(([127, 0, 0, 1], port)));
        Moto {
            child: Mutex::new(child),
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Dummy credentials and a fixed region; endpoints are set per client.
    pub async fn sdk_config(&self) -> SdkConfig {
        custodian_core::aws_http::config_loader()
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
            .load()
            .await
    }

    /// As the Lambda environment would give it, but with every service's
    /// endpoint at moto (what `AWS_ENDPOINT_URL` does).
    pub async fn sdk_config_for_all_services(&self) -> SdkConfig {
        self.sdk_config()
            .await
            .into_builder()
            .endpoint_url(&self.endpoint)
            .build()
    }

    /// A secret with a fresh name (moto is shared by the whole binary), and
    /// a client for it. `None` creates it without a value, as the stack does.
    pub async fn new_secret(
        &self,
        value: Option<&str>,
    ) -> (aws_sdk_secretsmanager::Client, String) {
        let client = self.secrets_manager().await;
        let name = format!("token-encryption-key-{}", uuid::Uuid::new_v4().simple());
        client
            .create_secret()
            .name(&name)
            .set_secret_string(value.map(str::to_owned))
            .send()
            .await
            .unwrap();
        (client, name)
    }

    /// A Secrets Manager client pointed at moto.
    pub async fn secrets_manager(&self) -> aws_sdk_secretsmanager::Client {
        let config = aws_sdk_secretsmanager::config::Builder::from(&self.sdk_config().await)
            .endpoint_url(&self.endpoint)
            .build();
        aws_sdk_secretsmanager::Client::from_conf(config)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A port the OS just handed out; free again once the probe closes.
fn free_port() -> u16 {
    let probe = TcpListener::bind("127.0.0.1:0").expect("binding a probe socket");
    probe.local_addr().expect("probe address").port()
}

/// Polls the port rather than sleeping a fixed time: moto is ready when it
/// accepts a connection.
fn wait_until_listening(child: &mut Child, address: SocketAddr) {
    let started = Instant::now();
    while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("moto exited during start-up ({status}); see its output above. {INSTALL_HINT}");
        }
        if started.elapsed() > START_TIMEOUT {
            let _ = child.kill();
            panic!("moto did not start listening on {address} within {START_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
