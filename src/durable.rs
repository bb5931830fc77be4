//! Durable file-system steps shared by the store and the reports: putting a finished temporary
//! file in place without ever replacing an existing one, and syncing the folder after a rename
//! so that the new name survives a power cut.

use std::io;
use std::path::Path;

/// Makes the rename (or new link) of a file in `path`'s folder durable. On systems where a
/// folder cannot be opened for syncing (Windows) this does nothing: NTFS journals the rename.
pub fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Puts the finished file `tmp` at `dest`, failing with [`io::ErrorKind::AlreadyExists`] if
/// anything is already there — never replacing it, even if it appeared a moment ago. The
/// folder is synced afterwards. `tmp` is gone on success and left for the caller on failure.
pub fn place_new(tmp: &Path, dest: &Path) -> io::Result<()> {
    // A hard link is an atomic "create only if absent". Folders that cannot hold links (FAT
    // USB sticks) fall back to a check followed by a rename.
    match std::fs::hard_link(tmp, dest) {
        Ok(()) => {
            std::fs::remove_file(tmp)?;
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
        Err(_) => {
            if std::fs::symlink_metadata(dest).is_ok() {
                return Err(io::Error::from(io::ErrorKind::AlreadyExists));
            }
            std::fs::rename(tmp, dest)?;
        }
    }
    sync_parent(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_new_never_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let tmp = dir.path().join("a.partial");
        let dest = dir.path().join("a.txt");
        std::fs::write(&dest, b"keep").expect("write");
        std::fs::write(&tmp, b"new").expect("write");
        let err = place_new(&tmp, &dest).expect_err("must refuse");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&dest).expect("read"), b"keep");
        std::fs::remove_file(&dest).expect("rm");
        place_new(&tmp, &dest).expect("place");
        assert_eq!(std::fs::read(&dest).expect("read"), b"new");
        assert!(!tmp.exists());
    }
}
