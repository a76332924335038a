//! Paths that content names (`image`, `avatar`, links, bundle files) are resolved
//! inside the site root only: `..` that climbs out and symlinks that point out are
//! errors, because guest content must never make the build read or publish a file
//! from elsewhere on the machine.

use std::path::{Component, Path, PathBuf};

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

/// Quotes a word for a POSIX shell, so that a command a hint suggests can be
/// pasted as it is: bare when it holds only safe characters, else in double
/// quotes (`"Ignasi Bartomeus"`), or in single quotes when it holds a character
/// that double quotes would expand.
pub fn shell_quote(word: &str) -> String {
    let safe = |c: char| c.is_alphanumeric() || "-_./,:@+=%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else if !word.contains(['"', '$', '`', '\\', '!']) {
        format!("\"{word}\"")
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
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
    fn quotes_for_the_shell() {
        assert_eq!(shell_quote("ignasi-bartomeus"), "ignasi-bartomeus");
        assert_eq!(shell_quote("Ignasi Bartomeus"), "\"Ignasi Bartomeus\"");
        assert_eq!(shell_quote("Zoë O'Brien"), "\"Zoë O'Brien\"");
        assert_eq!(shell_quote("a \"b\" $c"), "'a \"b\" $c'");
        assert_eq!(shell_quote("it's $5"), "'it'\\''s $5'");
        assert_eq!(shell_quote(""), "\"\"");
    }
}
