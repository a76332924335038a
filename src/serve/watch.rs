//! Watching the site with notify: the config, `content/`, `authors/`,
//! `static/`, `templates/`, `themes/`, `syntaxes/` and `data/` (`gen fetch`'s
//! file). Everything else (the `public/` output, the hidden staging folders `gen build` makes beside it, `.git`,
//! editors' temporary, swap and backup files) is ignored.
//!
//! Events are gathered into one batch per save. A batch goes out [`SETTLE`]
//! after the last event when every changed file is known to be complete
//! (closed after writing, or renamed into place), and [`DEBOUNCE`] after the
//! last event otherwise (a file still being written, or removed and perhaps
//! about to be written back, as some editors save). The first is what makes a
//! save show in the browser at once; the second is what keeps a half-written
//! file out of the build on platforms that do not report closes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::config::CONFIG_FILE;
use crate::sitefs::is_temp_file;

/// How long the watcher waits after the last event while a change may still be
/// under way.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// How long it waits after the last event when every changed file is complete:
/// enough to gather the files of an editor's "save all" or a checkout.
pub const SETTLE: Duration = Duration::from_millis(4);

/// The folders of a site that are watched (recursively).
pub const FOLDERS: [&str; 7] = [
    "content",
    "authors",
    "static",
    "templates",
    "themes",
    "syntaxes",
    "data",
];

/// Changed paths (relative to the root) of one burst of events, or the
/// watcher's errors.
pub type Batch = Result<BTreeSet<PathBuf>, String>;

/// A running watcher of one site.
pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
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
        let (events_tx, events_rx) = mpsc::channel();
        let watcher = notify::recommended_watcher(move |e: notify::Result<Event>| {
            let _ = events_tx.send(e);
        })?;
        let root_for_batches = root.to_path_buf();
        std::thread::Builder::new()
            .name("gen-watch".into())
            .spawn(move || batches(&root_for_batches, &events_rx, &tx))
            .map_err(|e| notify::Error::generic(&e.to_string()))?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            watcher,
            watched: BTreeSet::new(),
        };
        // The root itself, not recursively: the config, and folders that appear.
        w.watcher.watch(root, RecursiveMode::NonRecursive)?;
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
                    && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
                {
                    self.watched.insert(dir);
                }
            } else if self.watched.remove(&dir) {
                let _ = self.watcher.unwatch(&dir);
            }
        }
    }
}

/// What an event says about the files it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Says {
    /// Nothing that matters (a file opened, read or closed unchanged).
    Nothing,
    /// The file is complete: closed after writing, renamed into place.
    Complete,
    /// The file changed and more may follow: written to but still open,
    /// created, removed or renamed away.
    Changing,
    /// Only its metadata changed (complete, unless a write is under way).
    Metadata,
    /// Events were lost: everything must be looked at again.
    Rescan,
}

/// How one event bears on each of its paths (a rename names two).
fn says(event: &Event) -> Vec<Says> {
    if event.need_rescan() {
        return vec![Says::Rescan];
    }
    let one = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Says::Complete,
        EventKind::Access(_) => Says::Nothing,
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => Says::Complete,
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
            return vec![Says::Changing, Says::Complete];
        }
        EventKind::Modify(ModifyKind::Metadata(_)) => Says::Metadata,
        // A new folder is complete; what goes into it has events of its own.
        EventKind::Create(CreateKind::Folder) => Says::Complete,
        _ => Says::Changing,
    };
    vec![one; event.paths.len().max(1)]
}

/// The changes gathered since the last batch.
#[derive(Debug, Default)]
struct Pending {
    /// Each changed path, and whether it is complete.
    paths: BTreeMap<PathBuf, bool>,
    errors: Vec<String>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.errors.is_empty()
    }

    /// Takes in one event; whether it mattered.
    fn note(&mut self, root: &Path, event: &Event) -> bool {
        let said = says(event);
        if said.contains(&Says::Rescan) {
            // Everything that is watched, as if it had all changed: the config
            // among it makes the next build a full one.
            self.paths.insert(PathBuf::from(CONFIG_FILE), false);
            for f in FOLDERS {
                self.paths.insert(PathBuf::from(f), false);
            }
            return true;
        }
        let mut mattered = false;
        for (path, said) in event.paths.iter().zip(said) {
            if said == Says::Nothing {
                continue;
            }
            let Some(rel) = relevant(root, path) else {
                continue;
            };
            mattered = true;
            match said {
                Says::Complete => {
                    self.paths.insert(rel, true);
                }
                Says::Metadata => {
                    self.paths.entry(rel).or_insert(true);
                }
                _ => {
                    self.paths.insert(rel, false);
                }
            }
        }
        mattered
    }

    /// How long to wait for more events before sending the batch.
    fn quiet(&self) -> Duration {
        if self.errors.is_empty() && self.paths.values().all(|&complete| complete) {
            SETTLE
        } else {
            DEBOUNCE
        }
    }

    /// The batch, leaving nothing pending.
    fn take(&mut self) -> Batch {
        let paths = std::mem::take(&mut self.paths);
        if self.errors.is_empty() {
            Ok(paths.into_keys().collect())
        } else {
            Err(std::mem::take(&mut self.errors).join("; "))
        }
    }
}

/// Turns the watcher's events into batches on `tx`, until either side goes
/// away.
fn batches(root: &Path, events: &mpsc::Receiver<notify::Result<Event>>, tx: &mpsc::Sender<Batch>) {
    let mut pending = Pending::default();
    let mut last = Instant::now();
    loop {
        let next = if pending.is_empty() {
            events.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            events.recv_timeout((last + pending.quiet()).saturating_duration_since(Instant::now()))
        };
        match next {
            Ok(Ok(event)) => {
                if pending.note(root, &event) {
                    last = Instant::now();
                }
            }
            Ok(Err(e)) => {
                pending.errors.push(e.to_string());
                last = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) => {
                if tx.send(pending.take()).is_err() {
                    return;
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, MetadataKind, RemoveKind};

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        e
    }

    const MODIFY: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSE_WRITE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));

    /// The batch and the wait before it, after `events`.
    fn gather(events: &[Event]) -> (Duration, Vec<String>) {
        let mut p = Pending::default();
        for e in events {
            p.note(Path::new("/site"), e);
        }
        let quiet = p.quiet();
        let paths = p.take().unwrap();
        (
            quiet,
            paths.iter().map(|p| p.display().to_string()).collect(),
        )
    }

    #[test]
    fn a_write_closed_goes_out_at_once() {
        let (quiet, paths) = gather(&[
            event(MODIFY, &["/site/content/posts/a.md"]),
            event(CLOSE_WRITE, &["/site/content/posts/a.md"]),
        ]);
        assert_eq!(
            (quiet, paths),
            (SETTLE, vec!["content/posts/a.md".to_string()])
        );
    }

    #[test]
    fn a_write_not_yet_closed_waits() {
        let (quiet, _) = gather(&[event(MODIFY, &["/site/content/posts/a.md"])]);
        assert_eq!(quiet, DEBOUNCE);
        // One file closed does not settle another still open.
        let (quiet, paths) = gather(&[
            event(MODIFY, &["/site/content/posts/a.md"]),
            event(CLOSE_WRITE, &["/site/content/posts/b.md"]),
        ]);
        assert_eq!(quiet, DEBOUNCE);
        assert_eq!(paths.len(), 2);
        // Nor does a metadata change (a write sets the modification time).
        let (quiet, _) = gather(&[
            event(MODIFY, &["/site/content/posts/a.md"]),
            event(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
                &["/site/content/posts/a.md"],
            ),
        ]);
        assert_eq!(quiet, DEBOUNCE);
    }

    #[test]
    fn an_editor_that_moves_the_old_file_away_and_writes_a_new_one() {
        // vim: the post renamed to a backup, written anew, the backup removed.
        let (quiet, paths) = gather(&[
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::From)),
                &["/site/content/posts/a.md"],
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                &["/site/content/posts/a.md~"],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/site/content/posts/a.md"],
            ),
            event(MODIFY, &["/site/content/posts/a.md"]),
            event(CLOSE_WRITE, &["/site/content/posts/a.md"]),
            event(
                EventKind::Remove(RemoveKind::File),
                &["/site/content/posts/a.md~"],
            ),
        ]);
        assert_eq!(
            (quiet, paths),
            (SETTLE, vec!["content/posts/a.md".to_string()])
        );
        // Until the new file is closed, the post is missing: wait.
        let (quiet, _) = gather(&[event(
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
            &["/site/content/posts/a.md"],
        )]);
        assert_eq!(quiet, DEBOUNCE);
    }

    #[test]
    fn a_temporary_file_renamed_over_the_post_is_complete() {
        let (quiet, paths) = gather(&[
            event(
                EventKind::Create(CreateKind::File),
                &["/site/content/posts/.goutputstream-X1"],
            ),
            event(CLOSE_WRITE, &["/site/content/posts/.goutputstream-X1"]),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &[
                    "/site/content/posts/.goutputstream-X1",
                    "/site/content/posts/a.md",
                ],
            ),
        ]);
        assert_eq!(
            (quiet, paths),
            (SETTLE, vec!["content/posts/a.md".to_string()])
        );
    }

    #[test]
    fn a_removed_post_waits_and_reads_are_ignored() {
        let (quiet, paths) = gather(&[event(
            EventKind::Remove(RemoveKind::File),
            &["/site/content/posts/a.md"],
        )]);
        assert_eq!(
            (quiet, paths),
            (DEBOUNCE, vec!["content/posts/a.md".to_string()])
        );
        let mut p = Pending::default();
        let read = event(
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            &["/site/content/posts/a.md"],
        );
        assert!(!p.note(Path::new("/site"), &read));
        assert!(!p.note(
            Path::new("/site"),
            &event(CLOSE_WRITE, &["/site/public/index.html"])
        ));
        assert!(p.is_empty());
    }

    #[test]
    fn lost_events_rebuild_everything() {
        let mut p = Pending::default();
        let lost = Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        assert!(p.note(Path::new("/site"), &lost));
        assert_eq!(p.quiet(), DEBOUNCE);
        let paths = p.take().unwrap();
        assert!(paths.contains(Path::new(CONFIG_FILE)));
        assert!(paths.contains(Path::new("content")));
    }

    #[test]
    fn errors_make_an_error_batch() {
        let mut p = Pending::default();
        p.note(
            Path::new("/site"),
            &event(CLOSE_WRITE, &["/site/content/posts/a.md"]),
        );
        p.errors.push("queue overflow".into());
        assert_eq!(p.quiet(), DEBOUNCE);
        assert_eq!(p.take(), Err("queue overflow".to_string()));
        assert!(p.is_empty());
    }

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
