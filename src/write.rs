//! Writing: the last stage. The site is written into a fresh folder beside the
//! target and swapped in only when complete, so a failed build never damages the
//! previous output.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{Content, Output, Source};

/// Writes one file of the output under `dir`.
fn write_one(dir: &Path, rel: &str, content: &Content) -> io::Result<()> {
    let dest = dir.join(rel);
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent)?;
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

/// Writes `output` to `target`, replacing what was there only once everything is
/// written.
pub fn write_atomically(target: &Path, output: &Output) -> io::Result<()> {
    if let Some(parent) = target.parent()
        && !parent.as_os_str().is_empty()
    {
        fs::create_dir_all(parent)?;
    }
    let staging = sibling(target, "new");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;
    let result: io::Result<()> = output
        .files
        .par_iter()
        .try_for_each(|(rel, content)| write_one(&staging, rel, content));
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let old = sibling(target, "old");
    let had_old = target.exists();
    if had_old {
        fs::rename(target, &old)?;
    }
    if let Err(e) = fs::rename(&staging, target) {
        if had_old {
            let _ = fs::rename(&old, target);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if had_old {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}
