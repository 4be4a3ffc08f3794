//! Every log line a test binary writes, so tests can prove no secret
//! reaches one.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Routes this process's logs into the buffer, once; call it before
/// starting what logs.
pub fn capture() {
    buffer();
}

/// Every log line captured so far (the BFF's, the handlers', the sandbox's).
pub fn captured() -> String {
    String::from_utf8_lossy(&buffer().lock().unwrap()).into_owned()
}

fn buffer() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        custodian_core::telemetry::init(move || CaptureWriter(writer.clone()));
        buffer
    })
}

struct CaptureWriter(Arc<Mutex<Vec<u8>>>);

impl Write for CaptureWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
