//! The local key file: created once (mode 0600) under the data directory and
//! reused by every local process.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use super::{Sealer, SealingError};

impl Sealer {
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
