//! Whose folder is it? Before a build replaces its output folder, this decides
//! whether that folder is `gen`'s to replace. A build swaps a whole folder in
//! place of the target, so pointing `-o` at the wrong place would delete
//! whatever was there: the site itself, its sources, a folder around them, or
//! someone's files. A folder is `gen`'s when `gen` made it, which it records
//! with a marker file ([`MARKER`]) inside every output it writes.
//!
//! Paths are compared after resolving symlinks and `..`, so a relative `-o`, a
//! symlink or a detour through the parent folder cannot slip past the checks.

use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;

/// The file inside an output folder that says `gen` made it. A build writes it
/// into every output; a folder without it is not replaced without `--force`.
pub const MARKER: &str = ".byline-output";

/// What the marker file says, for whoever finds it.
pub const MARKER_TEXT: &str = "This folder is the output of `gen build` (Byline).\n\
The next build replaces everything in it except a .git folder.\n\
Without this file, gen refuses to replace the folder unless given --force.\n";

/// A folder inside the output that a build carries over untouched: people
/// deploy the output as its own git repository.
pub const KEPT: &str = ".git";

/// The site's folders that `gen` reads (`.git` by `gen share`): never an
/// output, nor inside one.
pub const SOURCES: [&str; 6] = [
    "content",
    "static",
    "templates",
    "themes",
    "authors",
    ".git",
];

/// An output folder that [`claim`] found safe to replace. Only `claim` makes
/// one, so a build cannot write anywhere that was not checked.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The folder, with symlinks and `..` resolved.
    pub path: PathBuf,
    /// Why it may be replaced.
    pub kind: Claim,
}

/// Why an output folder may be replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// It does not exist yet.
    New,
    /// It is empty (or holds only a `.git`).
    Empty,
    /// It holds the marker: an earlier build made it.
    Marked,
    /// The site's default `public/`, written by a version of `gen` that did not
    /// mark its output yet (see [`looks_like_earlier_output`]).
    Earlier,
    /// `--force` took it over; these are the entries it held (sorted, `.git`
    /// left out) that the build replaces.
    Forced(Vec<String>),
}

/// Decides whether `target` (as given: relative to the current folder) may
/// become the output of the site at `root`. Refusals are errors naming the
/// folder and why; `--force` (`force`) overrides only the refusal of a
/// non-empty folder that `gen` did not make.
pub fn claim(root: &Path, target: &Path, force: bool) -> Result<Claimed, Diagnostic> {
    let root_real = resolve(root).map_err(|e| {
        Diagnostic::error(format!(
            "cannot open the site folder {}: {e}",
            root.display()
        ))
    })?;
    let path = resolve(target).map_err(|e| {
        Diagnostic::error(format!(
            "cannot use {} as the output folder: {e}",
            target.display()
        ))
    })?;
    let named = || {
        let shown = target.display().to_string();
        if Path::new(&shown) == path {
            shown
        } else {
            format!("{shown} (that is, {})", path.display())
        }
    };
    let never = "build into public/ (the default) or a folder outside the site's sources; \
                 --force does not change this";
    if path == root_real {
        return Err(Diagnostic::error(format!(
            "refusing to build into {}: it is the site folder, and a build replaces \
             everything in its output folder",
            named()
        ))
        .hint(never));
    }
    if root_real.starts_with(&path) {
        return Err(Diagnostic::error(format!(
            "refusing to build into {}: it holds the site folder {}, and a build replaces \
             everything in its output folder",
            named(),
            root_real.display()
        ))
        .hint(never));
    }
    for name in SOURCES {
        let source = resolve(&root.join(name)).unwrap_or_else(|_| root_real.join(name));
        if path.starts_with(&source) || source.starts_with(&path) {
            let relation = if path == source {
                "it is"
            } else if path.starts_with(&source) {
                "it is inside"
            } else {
                "it holds"
            };
            return Err(Diagnostic::error(format!(
                "refusing to build into {}: {relation} the site's {name}/ folder, \
                 which gen reads, and a build replaces everything in its output folder",
                named()
            ))
            .hint(never));
        }
    }
    let meta = match fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Claimed {
                path,
                kind: Claim::New,
            });
        }
        Err(e) => {
            return Err(Diagnostic::error(format!(
                "cannot use {} as the output folder: {e}",
                named()
            )));
        }
    };
    if !meta.is_dir() {
        return Err(Diagnostic::error(format!(
            "refusing to build into {}: it is a file, not a folder",
            named()
        ))
        .hint("choose a folder with -o, or move the file away"));
    }
    let entries = entries(&path).map_err(|e| {
        Diagnostic::error(format!("cannot read the output folder {}: {e}", named()))
    })?;
    let kind = if entries.iter().any(|n| n == MARKER) {
        Claim::Marked
    } else if entries.iter().all(|n| n == KEPT) {
        Claim::Empty
    } else if resolve(&root.join("public")).is_ok_and(|p| p == path)
        && looks_like_earlier_output(&path)
    {
        Claim::Earlier
    } else if force {
        let mut held: Vec<String> = entries
            .iter()
            .filter(|n| *n != KEPT)
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        held.sort();
        Claim::Forced(held)
    } else {
        let mut held: Vec<String> = entries
            .iter()
            .filter(|n| *n != KEPT)
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        held.sort();
        return Err(Diagnostic::error(format!(
            "refusing to build into {}: gen did not make this folder (it has no {MARKER} \
             file) and it is not empty: a build would replace {}",
            named(),
            list(&held)
        ))
        .hint(
            "choose a new or empty folder with -o, or pass --force to replace what the \
             folder holds (a .git folder in it is kept)",
        ));
    };
    Ok(Claimed { path, kind })
}

/// Whether `dir` holds the files every build by earlier versions of `gen`
/// wrote at the top of its output, in their form: `index.html`, `404.html`,
/// `sitemap.xml`, `syntax.css` (the code highlighting stylesheet) and a
/// `robots.txt` that is exactly what `gen` wrote. Such a folder is replaced
/// without `--force`, but only when it is the site's own default `public/`.
pub fn looks_like_earlier_output(dir: &Path) -> bool {
    let file = |name: &str| fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_file());
    let robots = fs::read_to_string(dir.join("robots.txt")).unwrap_or_default();
    let robots_is_gens = robots
        .strip_prefix("User-agent: *\nAllow: /\n\nSitemap: ")
        .and_then(|rest| rest.strip_suffix("/sitemap.xml\n"))
        .is_some_and(|url| !url.contains('\n'));
    robots_is_gens
        && ["index.html", "404.html", "sitemap.xml", "syntax.css"]
            .iter()
            .all(|f| file(f))
}

/// The first names of a folder's entries, and how many more there are.
pub fn list(names: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut out = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

/// The names in a folder.
fn entries(dir: &Path) -> std::io::Result<Vec<OsString>> {
    fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect()
}

/// `path` made absolute with symlinks and `..` resolved, as far as it exists;
/// the part that does not exist yet is appended as written (it can hold no
/// symlink), with `..` taken lexically.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut out = PathBuf::new();
    let mut exists = true;
    for part in absolute.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => out.push(part.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if exists {
                    match out.canonicalize() {
                        Ok(real) => out = real,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                            // A dangling symlink is not a folder to build into.
                            if fs::symlink_metadata(&out).is_ok() {
                                return Err(std::io::Error::other(format!(
                                    "{} is a symlink to nothing",
                                    out.display()
                                )));
                            }
                            exists = false;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn resolve_follows_symlinks_and_dots() {
        let t = tmp();
        let real = t.path().canonicalize().unwrap();
        fs::create_dir_all(real.join("a/b")).unwrap();
        std::os::unix::fs::symlink(real.join("a/b"), real.join("link")).unwrap();
        assert_eq!(resolve(&real.join("link/../x")).unwrap(), real.join("a/x"));
        assert_eq!(
            resolve(&real.join("new/deeper/../y")).unwrap(),
            real.join("new/y")
        );
        assert_eq!(resolve(&real.join("a/./b")).unwrap(), real.join("a/b"));
        std::os::unix::fs::symlink(real.join("gone"), real.join("dangling")).unwrap();
        assert!(resolve(&real.join("dangling")).is_err());
    }

    #[test]
    fn claims() {
        let t = tmp();
        let root = t.path().join("site");
        fs::create_dir_all(root.join("content/posts")).unwrap();
        let refused = |p: PathBuf, force: bool| claim(&root, &p, force).unwrap_err().message;
        assert!(refused(root.clone(), true).contains("it is the site folder"));
        assert!(refused(t.path().to_path_buf(), true).contains("it holds the site folder"));
        assert!(refused(root.join("content"), true).contains("it is the site's content/"));
        assert!(refused(root.join("static/x"), true).contains("inside the site's static/"));
        assert!(refused(root.join("public/.."), true).contains("it is the site folder"));

        assert_eq!(
            claim(&root, &root.join("public"), false).unwrap().kind,
            Claim::New
        );
        let other = t.path().join("other");
        fs::create_dir_all(other.join(".git")).unwrap();
        assert_eq!(claim(&root, &other, false).unwrap().kind, Claim::Empty);
        fs::write(other.join("precious.txt"), "x").unwrap();
        assert!(refused(other.clone(), false).contains("gen did not make this folder"));
        assert_eq!(
            claim(&root, &other, true).unwrap().kind,
            Claim::Forced(vec!["precious.txt".into()])
        );
        fs::write(other.join(MARKER), MARKER_TEXT).unwrap();
        assert_eq!(claim(&root, &other, false).unwrap().kind, Claim::Marked);
        fs::write(t.path().join("file"), "x").unwrap();
        assert!(refused(t.path().join("file"), true).contains("a file, not a folder"));
    }

    #[test]
    fn earlier_output_only_as_the_default_public() {
        let t = tmp();
        let root = t.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let earlier = |dir: &Path| {
            fs::create_dir_all(dir).unwrap();
            for f in ["index.html", "404.html", "sitemap.xml", "syntax.css"] {
                fs::write(dir.join(f), "x").unwrap();
            }
            fs::write(
                dir.join("robots.txt"),
                "User-agent: *\nAllow: /\n\nSitemap: https://a.example/sitemap.xml\n",
            )
            .unwrap();
        };
        earlier(&root.join("public"));
        earlier(&t.path().join("elsewhere"));
        assert_eq!(
            claim(&root, &root.join("public"), false).unwrap().kind,
            Claim::Earlier
        );
        assert!(claim(&root, &t.path().join("elsewhere"), false).is_err());
        // A robots.txt someone wrote is not gen's.
        fs::write(
            root.join("public/robots.txt"),
            "User-agent: *\nDisallow: /\n",
        )
        .unwrap();
        assert!(claim(&root, &root.join("public"), false).is_err());
    }
}
