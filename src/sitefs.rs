//! The one gate through which the program reads the site: config, content,
//! authors, static files, templates and themes. Guest content is untrusted and
//! the site folder may hold symbolic links, so every read is checked here, once:
//! the path is joined without leaving the root (`..`, absolute paths), and,
//! once symbolic links are followed (in any component, the folders above the
//! file included), it must still be inside the real site folder.
//!
//! Nothing else in `src/` opens a file of the site; `tests/testsuite/fs_gate.rs` greps the
//! sources for file-system reads outside this module and an allow-list (the
//! output writer, `gen init`/`gen new`, which create files, and the preview's
//! server, which reads the output).

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::Diagnostic;

/// A text file named on the command line (an export to import, an
/// analytics file), read through a gate rooted at its own folder. `hint`
/// says what to do when it cannot be read, `encoding` when it is not UTF-8.
pub fn read_named_text(path: &Path, hint: &str, encoding: &str) -> Result<String, Diagnostic> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    let cannot = |e: String| {
        Diagnostic::error(format!("cannot read the file: {e}"))
            .in_file(path)
            .hint(hint)
    };
    let fs = SiteFs::open(parent).map_err(|e| cannot(e.to_string()))?;
    let bytes = fs.read_bytes(&name).map_err(|e| cannot(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        let ok = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let text = String::from_utf8_lossy(&bytes[..ok]).into_owned();
        Diagnostic::error("the file is not UTF-8 text")
            .in_file(path)
            .at_offset(&text, ok)
            .hint(encoding)
    })
}

/// The site folder, with its real (symlink-free) path.
#[derive(Debug, Clone)]
pub struct SiteFs {
    root: PathBuf,
    canonical: PathBuf,
}

impl SiteFs {
    /// The gate for the site at `root`; fails when the folder cannot be opened.
    pub fn open(root: &Path) -> std::io::Result<SiteFs> {
        Ok(SiteFs {
            root: root.to_path_buf(),
            canonical: root.canonicalize()?,
        })
    }

    /// The gate for a site whose real path is known already.
    pub fn with_canonical(root: &Path, canonical: &Path) -> SiteFs {
        SiteFs {
            root: root.to_path_buf(),
            canonical: canonical.to_path_buf(),
        }
    }

    /// The site folder as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Joins a name the site wrote (a theme, a picture) onto `base`, both
    /// relative to the root, without touching the disk: `Err` when `..` or an
    /// absolute path would leave the root.
    pub fn join(&self, base: &Path, name: &str) -> Result<PathBuf, String> {
        join_inside(base, name)
    }

    /// The real path of `rel` when it exists and, symbolic links followed, is
    /// inside the site; `Ok(None)` when it does not exist; `Err` (the message
    /// for the user) when it leads outside.
    pub fn resolve(&self, rel: &Path) -> Result<Option<PathBuf>, String> {
        let mut lexical = PathBuf::new();
        for comp in rel.components() {
            match comp {
                Component::Normal(c) => lexical.push(c),
                Component::CurDir => {}
                Component::ParentDir if lexical.pop() => {}
                _ => {
                    return Err(format!(
                        "\"{}\" leads outside the site folder",
                        rel.display()
                    ));
                }
            }
        }
        let full = self.root.join(&lexical);
        if std::fs::symlink_metadata(&full).is_err() {
            return Ok(None);
        }
        match full.canonicalize() {
            Ok(real) if real.starts_with(&self.canonical) => Ok(Some(real)),
            Ok(_) => Err(format!(
                "\"{}\" is a symbolic link that leads outside the site folder",
                rel.display()
            )),
            Err(_) => Ok(None),
        }
    }

    /// Whether `rel` is a folder inside the site (symbolic links followed only
    /// when they stay inside).
    pub fn is_dir(&self, rel: &Path) -> bool {
        matches!(self.resolve(rel), Ok(Some(real)) if real.is_dir())
    }

    /// Whether `rel` is a file inside the site (symbolic links followed only
    /// when they stay inside).
    pub fn is_file(&self, rel: &Path) -> bool {
        matches!(self.resolve(rel), Ok(Some(real)) if real.is_file())
    }

    /// The bytes of the file `rel`, relative to the root.
    pub fn read_bytes(&self, rel: &Path) -> Result<Vec<u8>, ReadError> {
        match self.resolve(rel) {
            Ok(Some(real)) => std::fs::read(real).map_err(ReadError::Io),
            // The system's own words for what is missing (nothing is read).
            Ok(None) => Err(ReadError::Io(
                std::fs::metadata(self.root.join(rel))
                    .err()
                    .unwrap_or_else(|| std::io::ErrorKind::NotFound.into()),
            )),
            Err(msg) => Err(ReadError::Outside(msg)),
        }
    }

    /// The bytes of the file `rel`, or the diagnostic naming it.
    pub fn read(&self, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
        self.read_bytes(rel).map_err(|e| match e {
            ReadError::Io(e) => Diagnostic::error(format!("cannot read file: {e}"))
                .in_file(rel)
                .hint("check that the file exists and is readable"),
            ReadError::Outside(msg) => outside(rel, msg),
        })
    }

    /// The regular files under the folder `dir` (relative to the root), as
    /// paths joined onto the root, sorted by name. Hidden and temporary files
    /// (see [`is_temp_file`]) are skipped. A symbolic link that
    /// leads outside the site (the folder itself included) is an error in
    /// `diags`; a link to a folder inside is not followed (a warning).
    pub fn files(&self, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
        let real_dir = match self.resolve(dir) {
            Ok(Some(real)) if real.is_dir() => real,
            Ok(_) => return Vec::new(),
            Err(msg) => {
                diags.push(outside(dir, msg));
                return Vec::new();
            }
        };
        let shown = self.root.join(dir);
        let mut out = Vec::new();
        let walker = WalkDir::new(&real_dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_temp_file(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let mut d = Diagnostic::error(format!("cannot read: {e}"));
                    if let Some(p) = e.path().and_then(|p| p.strip_prefix(&real_dir).ok()) {
                        d = d.in_file(dir.join(p));
                    }
                    diags.push(d);
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            let inner = entry.path().strip_prefix(&real_dir).unwrap_or(entry.path());
            let rel = dir.join(inner);
            if entry.path_is_symlink() {
                match self.resolve(&rel) {
                    Err(msg) => diags.push(outside(&rel, msg)),
                    Ok(Some(real)) if real.is_file() => out.push(shown.join(inner)),
                    Ok(Some(_)) => diags.push(
                        Diagnostic::warning("symbolic links to folders are not followed")
                            .in_file(&rel)
                            .hint("move the folder here instead of linking to it"),
                    ),
                    Ok(None) => {}
                }
                continue;
            }
            if entry.file_type().is_file() {
                out.push(shown.join(inner));
            }
        }
        out
    }
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The system's error (missing, unreadable).
    Io(std::io::Error),
    /// The path leads outside the site; the message says how.
    Outside(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => e.fmt(f),
            ReadError::Outside(msg) => f.write_str(msg),
        }
    }
}

/// The error for a path that leads outside the site.
fn outside(rel: &Path, msg: String) -> Diagnostic {
    Diagnostic::error(msg).in_file(rel).hint(
        "the site may only use files inside its folder; copy the file in instead of linking to it",
    )
}

// Paths that content names (`image`, `avatar`, links, bundle files) are
// resolved inside the site root only, with the same two checks as the gate's
// own reads: `..` that climbs out and symlinks that point out are errors,
// because guest content must never make the build read or publish a file from
// elsewhere on the machine.

/// Joins `rel` onto `base` (both relative to the site root) without touching the
/// file system, resolving `.` and `..`. `Err` when the result would leave the root.
pub fn join_inside(base: &Path, rel: &str) -> Result<PathBuf, String> {
    if rel.contains('\0') {
        return Err("the path contains a NUL character".into());
    }
    let rel_path = Path::new(rel);
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    let start: &Path = if rel_path.is_absolute() || rel.starts_with('/') {
        Path::new("")
    } else {
        base
    };
    for comp in start.components().chain(rel_path.components()) {
        match comp {
            Component::Normal(c) => parts.push(c.to_os_string()),
            Component::CurDir | Component::RootDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(format!("\"{rel}\" leads outside the site folder"));
                }
            }
            Component::Prefix(_) => return Err(format!("\"{rel}\" is not a path inside the site")),
        }
    }
    Ok(parts.iter().collect())
}

/// Checks that `rel` (relative to `root`), once symlinks are followed, is still
/// inside `root_canonical`. Returns whether the file exists.
pub fn check_real(root: &Path, root_canonical: &Path, rel: &Path) -> Result<bool, String> {
    let full = root.join(rel);
    match std::fs::symlink_metadata(&full) {
        Err(_) => Ok(false),
        Ok(_) => match full.canonicalize() {
            Ok(real) if real.starts_with(root_canonical) => Ok(real.is_file() || real.is_dir()),
            Ok(_) => Err(format!(
                "\"{}\" is a symbolic link that leads outside the site folder",
                rel.display()
            )),
            Err(_) => Ok(false),
        },
    }
}

/// Whether a file name is an editor's temporary, backup or swap file.
pub fn is_temp_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.contains(".tmp.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_refuses_escape() {
        assert_eq!(
            join_inside(Path::new("content/posts"), "../about.md").unwrap(),
            PathBuf::from("content/about.md")
        );
        assert_eq!(
            join_inside(Path::new("content/posts"), "/images/a.jpg").unwrap(),
            PathBuf::from("images/a.jpg")
        );
        assert!(join_inside(Path::new("content"), "../../etc/passwd").is_err());
    }

    #[test]
    fn refuses_climbing_and_absolute_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "a").unwrap();
        let fs = SiteFs::open(dir.path()).unwrap();
        assert!(fs.read(Path::new("a.txt")).is_ok());
        assert!(fs.resolve(Path::new("../a.txt")).is_err());
        assert!(fs.join(Path::new("themes"), "../../x").is_err());
        assert_eq!(
            fs.join(Path::new("themes"), "/etc").unwrap(),
            PathBuf::from("etc")
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_out_of_the_site_in_any_component() {
        let outside_dir = tempfile::tempdir().unwrap();
        std::fs::write(outside_dir.path().join("secret.html"), "secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside_dir.path(), dir.path().join("templates")).unwrap();
        let fs = SiteFs::open(dir.path()).unwrap();
        assert!(fs.read(Path::new("templates/secret.html")).is_err());
        assert!(!fs.is_dir(Path::new("templates")));
        let mut diags = Vec::new();
        assert!(fs.files(Path::new("templates"), &mut diags).is_empty());
        assert_eq!(diags.len(), 1, "{diags:?}");
    }
}
