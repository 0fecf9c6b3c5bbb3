//! The `--save` file: capture records appended one whole line per `write(2)` on an `O_APPEND`
//! descriptor, so concurrent workers need no lock of ours and lines never interleave (the kernel
//! serializes appends to a regular file), and each record is in the file before its request is
//! answered.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, bail};

pub struct CaptureFile {
    path: PathBuf,
    /// Opened on the first record: an existing file is opened at once (so a bad one fails
    /// early), a new one is only created when there is something to put in it.
    file: OnceLock<File>,
}

impl CaptureFile {
    pub fn new(path: &Path) -> anyhow::Result<CaptureFile> {
        let capture = CaptureFile {
            path: path.to_path_buf(),
            file: OnceLock::new(),
        };
        if path.exists() {
            capture.file()?;
        } else {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if !parent.is_dir() {
                bail!(
                    "cannot save to {}: expected the directory {} to exist, found none",
                    path.display(),
                    parent.display()
                );
            }
        }
        Ok(capture)
    }

    fn file(&self) -> anyhow::Result<&File> {
        if let Some(file) = self.file.get() {
            return Ok(file);
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .with_context(|| format!("cannot open {}", self.path.display()))?;
        Ok(self.file.get_or_init(|| file))
    }

    /// Appends `line`, which ends with a newline, in one write.
    pub fn append(&self, line: &[u8]) -> anyhow::Result<()> {
        let mut file = self.file()?;
        file.write_all(line)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}
