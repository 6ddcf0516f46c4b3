//! Real files, with the home directory found by `dirs`.

use std::io::{ErrorKind, Read};
use std::path::PathBuf;
use std::vec::Vec;

use crate::io::{FileError, FileRef, FileRequest, FileSource};

/// Reads files from the file system. `~/` paths resolve with [`dirs::home_dir`].
///
/// At most `limit + 1` bytes of a file are read, so a huge file costs no
/// more than the provider's limit.
#[derive(Debug, Default)]
pub struct RealFiles {
    buffer: Vec<u8>,
}

impl FileSource for RealFiles {
    fn read(&mut self, request: &FileRequest<'_>) -> Result<&[u8], FileError> {
        let path = match request.file {
            FileRef::Path(path) => PathBuf::from(path),
            FileRef::Home(rest) => dirs::home_dir().ok_or(FileError::NoHome)?.join(rest),
        };
        zeroize::Zeroize::zeroize(&mut self.buffer);
        let file = std::fs::File::open(&path).map_err(map_error)?;
        if file.metadata().map_err(map_error)?.is_dir() {
            return Err(FileError::IsDirectory);
        }
        let cap = u64::try_from(request.limit)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        file.take(cap)
            .read_to_end(&mut self.buffer)
            .map_err(map_error)?;
        Ok(&self.buffer)
    }
}

impl Drop for RealFiles {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.buffer);
    }
}

fn map_error(e: std::io::Error) -> FileError {
    match e.kind() {
        ErrorKind::NotFound => FileError::NotFound,
        ErrorKind::PermissionDenied => FileError::PermissionDenied,
        ErrorKind::IsADirectory => FileError::IsDirectory,
        _ => FileError::Other,
    }
}
