//! Writing: the last stage. The site is written into a fresh folder beside the
//! target and swapped in only when complete, so a failed build never damages the
//! previous output.
//!
//! A file that is byte for byte what the previous output holds is hard-linked
//! from there instead of written again: a rebuild then creates (and, once the old
//! folder is removed, frees) only as many files as changed, and unchanged files
//! keep their modification time, which deploy tools that sync by size and time
//! rely on. Where links are not possible, the file is written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::{Content, Source};

/// Whether the file at `old` (not a link) holds exactly `content`.
fn holds(old: &Path, content: &Content) -> bool {
    let Ok(meta) = fs::symlink_metadata(old) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    let same =
        |bytes: &[u8]| meta.len() == bytes.len() as u64 && fs::read(old).is_ok_and(|b| b == bytes);
    match content {
        Content::Text(s) => same(s.as_bytes()),
        Content::Copy(Source::Embedded(bytes)) => same(bytes),
        Content::Copy(Source::Disk(src)) => fs::metadata(src)
            .is_ok_and(|m| m.len() == meta.len() && fs::read(src).is_ok_and(|b| same(&b))),
    }
}

/// Writes one file of the output under `dir`, or links it from `previous` (the
/// last output) when that holds the same bytes.
fn write_one(dir: &Path, previous: Option<&Path>, rel: &str, content: &Content) -> io::Result<()> {
    let dest = dir.join(rel);
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent)?;
    }
    if let Some(old) = previous.map(|p| p.join(rel))
        && holds(&old, content)
        && fs::hard_link(&old, &dest).is_ok()
    {
        return Ok(());
    }
    match content {
        Content::Text(s) => fs::write(&dest, s.as_bytes()),
        Content::Copy(Source::Embedded(bytes)) => fs::write(&dest, bytes),
        Content::Copy(Source::Disk(src)) => fs::copy(src, &dest).map(|_| ()),
    }
    .map_err(|e| io::Error::new(e.kind(), format!("writing {}: {e}", dest.display())))
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    target.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// A fresh folder beside the target that receives the new output; it replaces the
/// target on [`Staging::commit`] and is deleted if dropped uncommitted.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// The target, when it is a folder (not a link) that may hold files to reuse.
    previous: Option<PathBuf>,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder beside `target`.
    pub fn new(target: &Path) -> io::Result<Staging> {
        if let Some(parent) = target.parent()
            && !parent.as_os_str().is_empty()
        {
            fs::create_dir_all(parent)?;
        }
        let dir = sibling(target, "new");
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        let previous = fs::symlink_metadata(target)
            .is_ok_and(|m| m.is_dir())
            .then(|| target.to_path_buf());
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            previous,
            committed: false,
        })
    }

    /// Swaps the staged output in place of the target.
    pub fn commit(mut self) -> io::Result<()> {
        let old = sibling(&self.target, "old");
        let had_old = self.target.exists();
        if had_old {
            if old.exists() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, path: &str, content: Content) -> io::Result<()> {
        write_one(&self.dir, self.previous.as_deref(), path, &content)
    }
}
