//! Fernet sealing for everything secret the store keeps (tokens, login
//! attempts). Sealing fails closed: a value that does not open under one of
//! the configured keys is an error, never plaintext.
//!
//! Locally the key lives in a file created once under the data directory;
//! in AWS it comes from Secrets Manager and reaches [`Sealer::from_keys`].

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use fernet::{Fernet, MultiFernet};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
pub enum SealingError {
    /// Names which key (`current`, `previous[0]`, …) without showing it.
    #[error("the {0} sealing key is not a Fernet key (url-safe base64 of 32 bytes)")]
    InvalidKey(String),
    #[error("sealing key file {}: {problem}", path.display())]
    KeyFile { path: PathBuf, problem: String },
    #[error("a sealed value did not open: wrong key, tampered, or not sealed")]
    Unseal,
    #[error("an unsealed value does not have the expected shape")]
    Shape,
}

#[derive(Clone)]
pub struct Sealer {
    keys: MultiFernet,
    key_count: usize,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("keys", &self.key_count)
            .finish_non_exhaustive()
    }
}

impl Sealer {
    /// Seals with `current`; opens with `current` or any of `previous`, so
    /// records sealed before a key rotation stay readable.
    pub fn from_keys(
        current: &SecretString,
        previous: &[SecretString],
    ) -> Result<Sealer, SealingError> {
        let mut fernets = Vec::with_capacity(1 + previous.len());
        fernets.push(parse_key(current).ok_or_else(|| SealingError::InvalidKey("current".into()))?);
        for (i, key) in previous.iter().enumerate() {
            fernets.push(
                parse_key(key).ok_or_else(|| SealingError::InvalidKey(format!("previous[{i}]")))?,
            );
        }
        Ok(Sealer {
            key_count: fernets.len(),
            keys: MultiFernet::new(fernets),
        })
    }

    pub fn generate_key() -> SecretString {
        SecretString::from(Fernet::generate_key())
    }

    /// Reads the key file, or creates it (mode 0600) when there is none.
    /// A malformed key is an error, never replaced: replacing it would make
    /// every sealed record unreadable. So is a file others may read.
    pub fn load_or_create_key_file(path: &Path) -> Result<Sealer, SealingError> {
        let key_file_error = |problem: String| SealingError::KeyFile {
            path: path.to_owned(),
            problem,
        };
        let key = match read_key_file(path) {
            Ok(key) => key,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                create_key_file(path).map_err(|e| key_file_error(format!("cannot create: {e}")))?
            }
            Err(error) => return Err(key_file_error(error.to_string())),
        };
        Sealer::from_keys(&key, &[]).map_err(|_| {
            key_file_error("does not hold a Fernet key; restore it or move it aside".into())
        })
    }

    /// Returns a Fernet token (url-safe base64 text).
    pub fn seal(&self, plaintext: &[u8]) -> String {
        self.keys.encrypt(plaintext)
    }

    pub fn unseal(&self, token: &str) -> Result<Vec<u8>, SealingError> {
        self.keys
            .decrypt(token.trim())
            .map_err(|_| SealingError::Unseal)
    }

    /// # Panics
    /// If `value` cannot be written as JSON (e.g. a map with non-string
    /// keys): a programming error, not a runtime condition.
    pub fn seal_json<T: Serialize>(&self, value: &T) -> String {
        let json = serde_json::to_vec(value).expect("sealed values are representable as JSON");
        self.seal(&json)
    }

    pub fn unseal_json<T: DeserializeOwned>(&self, token: &str) -> Result<T, SealingError> {
        let json = self.unseal(token)?;
        // serde_json's message could quote the plaintext; say only that it failed.
        serde_json::from_slice(&json).map_err(|_| SealingError::Shape)
    }
}

fn parse_key(key: &SecretString) -> Option<Fernet> {
    Fernet::new(key.expose_secret().trim())
}

fn read_key_file(path: &Path) -> io::Result<SecretString> {
    check_private(path)?;
    let text = fs::read_to_string(path)?;
    Ok(SecretString::from(text.trim().to_owned()))
}

#[cfg(unix)]
fn check_private(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "readable by group or others (mode {:o}); run `chmod 600 {}`",
                mode & 0o777,
                path.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// Writes a fresh key to a private temporary file, then hard-links it into
/// place: the link fails if the file exists, so when two processes start at
/// once exactly one key wins and nobody reads a half-written file.
fn create_key_file(path: &Path) -> io::Result<SecretString> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let key = Sealer::generate_key();
    let temp = temp_path(path);
    let written = write_private(&temp, &key);
    let linked = written.and_then(|()| fs::hard_link(&temp, path));
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(key),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => read_key_file(path),
        Err(error) => Err(error),
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(
        ".{}.{}.tmp",
        std::process::id(),
        rand::random::<u32>()
    ));
    path.with_file_name(name)
}

fn write_private(path: &Path, key: &SecretString) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(key.expose_secret().as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}
