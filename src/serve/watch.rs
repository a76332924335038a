//! Watching the site with notify (debounced): the config, `content/`,
//! `authors/`, `static/`, `templates/` and `themes/`. Everything else (the
//! `public/` output, the hidden staging folders `gen build` makes beside it,
//! `.git`, editors' temporary, swap and backup files) is ignored.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::load::is_temp_file;

/// How long the watcher waits for a burst of events to end.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// The folders of a site that are watched (recursively).
pub const FOLDERS: [&str; 5] = ["content", "authors", "static", "templates", "themes"];

/// Changed paths (relative to the root) of one burst of events, or the
/// watcher's errors.
pub type Batch = Result<BTreeSet<PathBuf>, String>;

/// A running watcher of one site.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: BTreeSet<PathBuf>,
}

/// The path relative to the root when a change there matters to the build.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut comps = rel.components();
    let first = match comps.next()? {
        Component::Normal(c) => c.to_str()?,
        _ => return None,
    };
    if first == CONFIG_FILE {
        return comps.next().is_none().then(|| rel.to_path_buf());
    }
    if !FOLDERS.contains(&first) {
        return None;
    }
    let temp = rel
        .components()
        .any(|c| matches!(c, Component::Normal(n) if is_temp_file(&n.to_string_lossy())));
    (!temp).then(|| rel.to_path_buf())
}

impl Watcher {
    /// Starts watching the site at `root` (absolute); bursts of changes go to
    /// `tx`.
    pub fn start(root: &Path, tx: mpsc::Sender<Batch>) -> notify::Result<Watcher> {
        let root_for_events = root.to_path_buf();
        let handler = move |result: DebounceEventResult| {
            let batch = match result {
                Ok(events) => Ok(events
                    .iter()
                    .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                    .flat_map(|e| e.event.paths.iter())
                    .filter_map(|p| relevant(&root_for_events, p))
                    .collect::<BTreeSet<PathBuf>>()),
                Err(errors) => Err(errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")),
            };
            if matches!(&batch, Ok(paths) if paths.is_empty()) {
                return;
            }
            let _ = tx.send(batch);
        };
        let debouncer = new_debouncer(DEBOUNCE, None, handler)?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: BTreeSet::new(),
        };
        // The root itself, not recursively: the config, and folders that appear.
        w.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        w.watch_folders();
        Ok(w)
    }

    /// Watches the site's folders that exist and are not watched yet (call after
    /// a change at the top of the site).
    pub fn watch_folders(&mut self) {
        for name in FOLDERS {
            let dir = self.root.join(name);
            if dir.is_dir() {
                if !self.watched.contains(&dir)
                    && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
                {
                    self.watched.insert(dir);
                }
            } else if self.watched.remove(&dir) {
                let _ = self.debouncer.unwatch(&dir);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevance() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, Path::new(p));
        assert_eq!(rel("/site/gen.toml"), Some(PathBuf::from("gen.toml")));
        assert_eq!(
            rel("/site/content/posts/a.md"),
            Some(PathBuf::from("content/posts/a.md"))
        );
        assert_eq!(
            rel("/site/themes/t/static/s.css"),
            Some(PathBuf::from("themes/t/static/s.css"))
        );
        assert_eq!(rel("/site/content"), Some(PathBuf::from("content")));
        for ignored in [
            "/site/public/index.html",
            "/site/.public.new-123/index.html",
            "/site/.git/index",
            "/site/README.md",
            "/site/content/posts/.a.md.swp",
            "/site/content/posts/a.md~",
            "/site/content/posts/#a.md#",
            "/site/content/posts/a.md.tmp.1234",
            "/site/content/.hidden/a.md",
            "/site",
            "/elsewhere/gen.toml",
        ] {
            assert_eq!(rel(ignored), None, "{ignored}");
        }
    }
}
