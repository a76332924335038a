//! Writing: the last stage. The site is written into a fresh folder beside the
//! target and swapped in only when complete, so a failed build never damages the
//! previous output.
//!
//! A file that is byte for byte what the previous output holds is hard-linked
//! from there instead of written again: a rebuild then creates (and, once the old
//! folder is removed, frees) only as many files as changed, and unchanged files
//! keep their modification time, which deploy tools that sync by size and time
//! rely on. Where links are not possible, the file is written.
//!
//! Only a folder that [`owner::claim`] found to be `gen`'s is replaced; every
//! output gets the marker file that makes it `gen`'s next time, and a `.git`
//! inside the old output moves into the new one untouched.
//!
//! Every file operation goes through [`Fs`], so tests can make any one of them
//! fail part-way and check that the previous output survives.

pub mod owner;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use crate::render::{Content, Source};
use owner::{Claimed, KEPT, MARKER, MARKER_TEXT};

/// The file operations of writing. [`RealFs`] is the file system; tests wrap it
/// to make chosen operations fail.
pub trait Fs: Send + Sync {
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    fn copy(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn remove_dir_all(&self, path: &Path) -> io::Result<()>;
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    fn symlink_metadata(&self, path: &Path) -> io::Result<std::fs::Metadata>;
}

/// The real file system.
pub struct RealFs;

impl Fs for RealFs {
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        std::fs::create_dir_all(path)
    }
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(path, bytes)
    }
    fn copy(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::copy(from, to).map(|_| ())
    }
    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::hard_link(from, to)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }
    fn remove_dir_all(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir_all(path)
    }
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }
    fn symlink_metadata(&self, path: &Path) -> io::Result<std::fs::Metadata> {
        std::fs::symlink_metadata(path)
    }
}

/// What a build wrote, for `gen build -v`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    /// Files rendered by the program (pages, feeds, sitemap …).
    pub rendered: usize,
    /// Files copied as they are (static files, pictures, theme files).
    pub copied: usize,
    /// Files written (new or changed).
    pub written: usize,
    /// Files hard-linked from the previous output (unchanged).
    pub linked: usize,
    /// Time spent writing and linking, summed over the threads that rendered.
    pub write_micros: u64,
}

fn exists(fs: &dyn Fs, path: &Path) -> bool {
    fs.symlink_metadata(path).is_ok()
}

/// Whether the file at `old` (not a link) holds exactly `content`.
fn holds(fs: &dyn Fs, old: &Path, content: &Content) -> bool {
    let Ok(meta) = fs.symlink_metadata(old) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    let same =
        |bytes: &[u8]| meta.len() == bytes.len() as u64 && fs.read(old).is_ok_and(|b| b == bytes);
    match content {
        Content::Text(s) => same(s.as_bytes()),
        Content::Copy(Source::Embedded(bytes)) => same(bytes),
        Content::Bytes(bytes) => same(bytes),
        Content::Copy(Source::Disk(src)) => std::fs::metadata(src)
            .is_ok_and(|m| m.len() == meta.len() && fs.read(src).is_ok_and(|b| same(&b))),
    }
}

/// Writes one file of the output under `dir`, or links it from `previous` (the
/// last output) when that holds the same bytes. A copy of a file in one of
/// the `immutable` folders is a hard link to it when the file system allows.
/// Returns whether it linked from `previous`.
fn write_one(
    fs: &dyn Fs,
    dir: &Path,
    previous: Option<&Path>,
    immutable: &[PathBuf],
    rel: &str,
    content: &Content,
) -> io::Result<bool> {
    let dest = dir.join(rel);
    let context =
        |e: io::Error| io::Error::new(e.kind(), format!("writing {}: {e}", dest.display()));
    if let Some(parent) = dest.parent() {
        fs.create_dir_all(parent).map_err(context)?;
    }
    if let Some(old) = previous.map(|p| p.join(rel))
        && holds(fs, &old, content)
        && fs.hard_link(&old, &dest).is_ok()
    {
        return Ok(true);
    }
    match content {
        Content::Text(s) => fs.write(&dest, s.as_bytes()),
        Content::Copy(Source::Embedded(bytes)) => fs.write(&dest, bytes),
        Content::Bytes(bytes) => fs.write(&dest, bytes),
        // A new file costs more than a new name for one (on ext4, finding a
        // free inode is the most of a small copy): a cache entry is never
        // changed in place, only replaced by a rename, so a link to it holds
        // the same bytes for good.
        Content::Copy(Source::Disk(src))
            if immutable.iter().any(|d| src.starts_with(d)) && fs.hard_link(src, &dest).is_ok() =>
        {
            Ok(())
        }
        Content::Copy(Source::Disk(src)) => fs.copy(src, &dest),
    }
    .map_err(context)?;
    Ok(false)
}

/// `.<name>.<tag>-<pid>` beside the target.
fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    target.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Whether an output path is one the writer keeps for itself: the marker and
/// anything under `.git`.
fn reserved(rel: &str) -> bool {
    let first = rel.split('/').next().unwrap_or(rel);
    first == MARKER || first == KEPT
}

/// A fresh folder beside the target that receives the new output; it replaces the
/// target on [`Staging::commit`] and is deleted if dropped uncommitted.
pub struct Staging {
    fs: Arc<dyn Fs>,
    target: PathBuf,
    dir: PathBuf,
    /// The target, when it is a folder (not a link) that may hold files to reuse.
    previous: Option<PathBuf>,
    /// Folders whose files are never changed in place (see
    /// [`Staging::link_from`]).
    immutable: Vec<PathBuf>,
    committed: bool,
    rendered: AtomicUsize,
    copied: AtomicUsize,
    linked: AtomicUsize,
    write_micros: AtomicU64,
}

impl Staging {
    /// Creates the staging folder beside the claimed output folder.
    pub fn new(target: &Claimed) -> io::Result<Staging> {
        Staging::with_fs(target, Arc::new(RealFs))
    }

    /// [`Staging::new`] with the file operations of `fs`.
    pub fn with_fs(target: &Claimed, fs: Arc<dyn Fs>) -> io::Result<Staging> {
        let target = target.path.clone();
        if let Some(parent) = target.parent()
            && !parent.as_os_str().is_empty()
        {
            fs.create_dir_all(parent)?;
        }
        remove_stale(&*fs, &target);
        let dir = sibling(&target, "new");
        if exists(&*fs, &dir) {
            fs.remove_dir_all(&dir)?;
        }
        fs.create_dir_all(&dir)?;
        let previous = fs
            .symlink_metadata(&target)
            .is_ok_and(|m| m.is_dir())
            .then(|| target.clone());
        let staging = Staging {
            fs,
            target,
            dir,
            previous,
            immutable: Vec::new(),
            committed: false,
            rendered: AtomicUsize::new(0),
            copied: AtomicUsize::new(0),
            linked: AtomicUsize::new(0),
            write_micros: AtomicU64::new(0),
        };
        // Marked from the start, so that even a staging folder left behind by a
        // crash says whose it is. (Dropping `staging` on error removes it.)
        staging
            .fs
            .write(&staging.dir.join(MARKER), MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Copies files of `folder` by hard links where the file system allows:
    /// its files must never be changed in place, only replaced by a rename
    /// (the picture cache's entries), since the output shares them.
    pub fn link_from(&mut self, folder: PathBuf) {
        self.immutable.push(folder);
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What was written so far.
    pub fn stats(&self) -> WriteStats {
        let rendered = self.rendered.load(Ordering::Relaxed);
        let copied = self.copied.load(Ordering::Relaxed);
        let linked = self.linked.load(Ordering::Relaxed);
        WriteStats {
            rendered,
            copied,
            written: rendered + copied - linked,
            linked,
            write_micros: self.write_micros.load(Ordering::Relaxed),
        }
    }

    /// Swaps the staged output in place of the target, carrying the old
    /// output's `.git` over. When any step fails, everything is put back: the
    /// previous output is as it was and the staging folder is removed. Once the
    /// new output is in place, failing to remove the old one is not a failed
    /// build: it comes back as a [`Leftover`].
    pub fn commit(mut self) -> io::Result<Option<Leftover>> {
        let fs = Arc::clone(&self.fs);
        let had_old = self.previous.is_some();
        let old_git = self.target.join(KEPT);
        let new_git = self.dir.join(KEPT);
        let moved_git = had_old && exists(&*fs, &old_git);
        if moved_git {
            fs.rename(&old_git, &new_git)?;
        }
        let put_git_back = |fs: &dyn Fs| {
            if moved_git {
                let _ = fs.rename(&new_git, &old_git);
            }
        };
        let old = sibling(&self.target, "old");
        if had_old {
            let cleared = if exists(&*fs, &old) {
                fs.remove_dir_all(&old)
            } else {
                Ok(())
            };
            if let Err(e) = cleared.and_then(|()| fs.rename(&self.target, &old)) {
                put_git_back(&*fs);
                return Err(e);
            }
        }
        if let Err(e) = fs.rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs.rename(&old, &self.target);
            }
            put_git_back(&*fs);
            return Err(e);
        }
        self.committed = true;
        if had_old && let Err(error) = fs.remove_dir_all(&old) {
            return Ok(Some(Leftover { path: old, error }));
        }
        Ok(None)
    }
}

/// The previous output, moved aside by a successful build but not removed.
#[derive(Debug)]
pub struct Leftover {
    pub path: PathBuf,
    pub error: io::Error,
}

/// Removes the staging and old-output folders that runs of `gen` killed
/// part-way left beside `target`: only folders named as this module names them
/// (`.<name>.new-<pid>`, `.<name>.old-<pid>`), holding the marker, whose
/// process is gone. An old output is removed only while `target` exists: a run
/// killed between the two renames of the swap leaves the last good output
/// there.
fn remove_stale(fs: &dyn Fs, target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some((tag, pid)) = ["new", "old"].iter().find_map(|tag| {
            file_name
                .strip_prefix(&format!(".{name}.{tag}-"))
                .and_then(|pid| pid.parse::<u32>().ok())
                .map(|pid| (*tag, pid))
        }) else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        if tag == "old" && !exists(fs, target) {
            continue;
        }
        let path = entry.path();
        let ours = fs.symlink_metadata(&path).is_ok_and(|m| m.is_dir())
            && fs
                .symlink_metadata(&path.join(MARKER))
                .is_ok_and(|m| m.is_file());
        if ours {
            let _ = fs.remove_dir_all(&path);
        }
    }
}

/// Whether a process with this id runs (where that cannot be known: yes).
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = self.fs.remove_dir_all(&self.dir);
        }
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, path: &str, content: Content) -> io::Result<()> {
        if reserved(path) {
            return Err(io::Error::other(format!(
                "{path}: this name is kept for the output folder's own use ({MARKER}, {KEPT}/)"
            )));
        }
        let start = Instant::now();
        let linked = write_one(
            &*self.fs,
            &self.dir,
            self.previous.as_deref(),
            &self.immutable,
            path,
            &content,
        )?;
        let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.write_micros.fetch_add(micros, Ordering::Relaxed);
        match content {
            Content::Text(_) | Content::Bytes(_) => &self.rendered,
            Content::Copy(_) => &self.copied,
        }
        .fetch_add(1, Ordering::Relaxed);
        if linked {
            self.linked.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::owner::{Claim, claim};
    use super::*;
    use crate::render::Sink;
    use std::collections::BTreeMap;
    use std::os::unix::fs::MetadataExt;
    use std::sync::Mutex;

    /// Which operation a [`Failing`] file system makes fail.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum Op {
        CreateDir,
        Write,
        Copy,
        Link,
        Rename,
        RemoveDir,
    }

    /// The real file system, but the `nth` call (from 0) of `op` whose path
    /// ends with `suffix` fails.
    struct Failing {
        op: Op,
        suffix: String,
        nth: usize,
        seen: Mutex<usize>,
    }

    impl Failing {
        fn new(op: Op, suffix: &str, nth: usize) -> Arc<Failing> {
            Arc::new(Failing {
                op,
                suffix: suffix.into(),
                nth,
                seen: Mutex::new(0),
            })
        }

        fn check(&self, op: Op, path: &Path) -> io::Result<()> {
            if op != self.op || !path.to_string_lossy().ends_with(&self.suffix) {
                return Ok(());
            }
            let mut seen = self.seen.lock().unwrap();
            *seen += 1;
            if *seen - 1 == self.nth {
                Err(io::Error::other(format!("injected {op:?} failure")))
            } else {
                Ok(())
            }
        }
    }

    impl Fs for Failing {
        fn create_dir_all(&self, path: &Path) -> io::Result<()> {
            self.check(Op::CreateDir, path)?;
            RealFs.create_dir_all(path)
        }
        fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
            self.check(Op::Write, path)?;
            RealFs.write(path, bytes)
        }
        fn copy(&self, from: &Path, to: &Path) -> io::Result<()> {
            self.check(Op::Copy, to)?;
            RealFs.copy(from, to)
        }
        fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
            self.check(Op::Link, to)?;
            RealFs.hard_link(from, to)
        }
        fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
            self.check(Op::Rename, to)?;
            RealFs.rename(from, to)
        }
        fn remove_dir_all(&self, path: &Path) -> io::Result<()> {
            self.check(Op::RemoveDir, path)?;
            RealFs.remove_dir_all(path)
        }
        fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
            RealFs.read(path)
        }
        fn symlink_metadata(&self, path: &Path) -> io::Result<std::fs::Metadata> {
            RealFs.symlink_metadata(path)
        }
    }

    /// Every file under `dir` (relative path → bytes), `.git` included.
    fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                (
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    /// The names in the folder around the output (to see leftovers).
    fn beside(out: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    struct Setup {
        _tmp: tempfile::TempDir,
        root: PathBuf,
        out: PathBuf,
    }

    fn setup() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        let root = base.join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = base.join("out");
        Setup {
            _tmp: tmp,
            root,
            out,
        }
    }

    fn text(s: &str) -> Content {
        Content::Text(s.to_string())
    }

    /// Builds the given files into the output with the given file system.
    fn build(s: &Setup, fs: Arc<dyn Fs>, files: &[(&str, &str)]) -> io::Result<WriteStats> {
        let claimed = claim(&s.root, &s.out, false).map_err(|d| io::Error::other(d.message))?;
        let staging = Staging::with_fs(&claimed, fs)?;
        for (path, body) in files {
            staging.put(path, text(body))?;
        }
        let stats = staging.stats();
        if let Some(left) = staging.commit()? {
            return Err(left.error);
        }
        Ok(stats)
    }

    const FIRST: &[(&str, &str)] = &[
        ("index.html", "home"),
        ("posts/a/index.html", "a"),
        ("rss.xml", "feed"),
    ];

    fn first_build(s: &Setup) {
        build(s, Arc::new(RealFs), FIRST).unwrap();
        std::fs::create_dir_all(s.out.join(".git/objects")).unwrap();
        std::fs::write(s.out.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(s.out.join(".git/objects/ab"), [0u8, 1, 2, 255]).unwrap();
    }

    #[test]
    fn writes_links_unchanged_files_and_marks_the_output() {
        let s = setup();
        let stats = build(&s, Arc::new(RealFs), FIRST).unwrap();
        assert_eq!((stats.rendered, stats.written, stats.linked), (3, 3, 0));
        assert_eq!(
            std::fs::read_to_string(s.out.join(MARKER)).unwrap(),
            MARKER_TEXT
        );
        assert_eq!(claim(&s.root, &s.out, false).unwrap().kind, Claim::Marked);
        let inode = |rel: &str| std::fs::metadata(s.out.join(rel)).unwrap().ino();
        let (home, post) = (inode("index.html"), inode("posts/a/index.html"));
        let stats = build(
            &s,
            Arc::new(RealFs),
            &[("index.html", "home"), ("posts/a/index.html", "a, edited")],
        )
        .unwrap();
        assert_eq!((stats.written, stats.linked), (1, 1));
        assert_eq!(inode("index.html"), home, "unchanged file not linked");
        assert_ne!(inode("posts/a/index.html"), post);
        assert_eq!(
            std::fs::read_to_string(s.out.join("posts/a/index.html")).unwrap(),
            "a, edited"
        );
        // The file the new build does not make is gone.
        assert!(!s.out.join("rss.xml").exists());
        assert_eq!(beside(&s.out), ["out", "site"]);
    }

    #[test]
    fn git_folder_is_carried_over_untouched() {
        let s = setup();
        first_build(&s);
        let git = snapshot(&s.out.join(".git"));
        let ino = std::fs::metadata(s.out.join(".git/HEAD")).unwrap().ino();
        build(&s, Arc::new(RealFs), &[("index.html", "new home")]).unwrap();
        assert_eq!(snapshot(&s.out.join(".git")), git);
        assert_eq!(
            std::fs::metadata(s.out.join(".git/HEAD")).unwrap().ino(),
            ino
        );
        assert_eq!(beside(&s.out), ["out", "site"]);
    }

    #[test]
    fn dropping_uncommitted_staging_removes_it() {
        let s = setup();
        first_build(&s);
        let before = snapshot(&s.out);
        let claimed = claim(&s.root, &s.out, false).unwrap();
        let staging = Staging::new(&claimed).unwrap();
        staging.put("index.html", text("half")).unwrap();
        let dir = staging.dir().to_path_buf();
        assert!(dir.join(MARKER).is_file());
        drop(staging);
        assert!(!dir.exists());
        assert_eq!(snapshot(&s.out), before);
        assert_eq!(beside(&s.out), ["out", "site"]);
    }

    #[test]
    fn folders_left_by_killed_runs_are_removed_when_they_are_gens() {
        let s = setup();
        first_build(&s);
        let base = s.out.parent().unwrap();
        // No process has an id this large (Linux's limit is 2^22).
        for name in [
            ".out.new-999999999",
            ".out.old-999999998",
            ".out.new-999999997",
        ] {
            std::fs::create_dir_all(base.join(name).join("posts")).unwrap();
        }
        std::fs::write(base.join(".out.new-999999999").join(MARKER), "").unwrap();
        std::fs::write(base.join(".out.old-999999998").join(MARKER), "").unwrap();
        // Not gen's: no marker, or not its naming.
        std::fs::create_dir_all(base.join(".out.new-abc")).unwrap();
        std::fs::write(base.join(".out.new-abc").join(MARKER), "").unwrap();
        build(&s, Arc::new(RealFs), FIRST).unwrap();
        assert_eq!(
            beside(&s.out),
            [".out.new-999999997", ".out.new-abc", "out", "site"]
        );
    }

    #[test]
    fn files_of_an_immutable_folder_are_linked_and_others_copied() {
        let s = setup();
        let cache = s.root.join(".byline-cache/images");
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(cache.join("card-1.png"), "entry").unwrap();
        std::fs::write(s.root.join("photo.jpg"), "photo").unwrap();
        let claimed = claim(&s.root, &s.out, false).unwrap();
        let mut staging = Staging::new(&claimed).unwrap();
        staging.link_from(cache.clone());
        let copy = |p: PathBuf| Content::Copy(Source::Disk(p));
        staging
            .put("card.png", copy(cache.join("card-1.png")))
            .unwrap();
        staging
            .put("photo.jpg", copy(s.root.join("photo.jpg")))
            .unwrap();
        // Copies, whichever way: not links from a previous output.
        assert_eq!(staging.stats().copied, 2);
        assert_eq!(staging.stats().linked, 0);
        staging.commit().unwrap();
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert_eq!(ino(&s.out.join("card.png")), ino(&cache.join("card-1.png")));
        assert_ne!(
            ino(&s.out.join("photo.jpg")),
            ino(&s.root.join("photo.jpg"))
        );
        assert_eq!(std::fs::read(s.out.join("card.png")).unwrap(), b"entry");
        assert_eq!(std::fs::read(s.out.join("photo.jpg")).unwrap(), b"photo");
    }

    #[test]
    fn reserved_names_are_refused() {
        let s = setup();
        let claimed = claim(&s.root, &s.out, false).unwrap();
        let staging = Staging::new(&claimed).unwrap();
        assert!(staging.put(MARKER, text("x")).is_err());
        assert!(staging.put(".git/config", text("x")).is_err());
        assert!(staging.put("a/.git", text("x")).is_ok());
    }

    /// Every way a build can fail part-way leaves the previous output (with its
    /// `.git`) byte for byte as it was, and nothing beside it.
    #[test]
    fn failures_part_way_leave_the_previous_output() {
        let pid = std::process::id();
        let cases: [(Op, String, usize); 7] = [
            // A file that cannot be written.
            (Op::Write, "posts/a/index.html".into(), 0),
            // The marker of the staging folder.
            (Op::Write, MARKER.into(), 0),
            // A folder that cannot be made.
            (Op::CreateDir, "posts/b".into(), 0),
            // The staging folder itself.
            (Op::CreateDir, format!(".out.new-{pid}"), 0),
            // Carrying .git over.
            (Op::Rename, format!(".out.new-{pid}/.git"), 0),
            // Moving the old output aside.
            (Op::Rename, format!(".out.old-{pid}"), 0),
            // Moving the new output in.
            (Op::Rename, "/out".into(), 0),
        ];
        for (op, suffix, nth) in cases {
            let s = setup();
            first_build(&s);
            let before = snapshot(&s.out);
            let result = build(
                &s,
                Failing::new(op, &suffix, nth),
                &[
                    ("index.html", "home"),
                    ("posts/a/index.html", "a, edited"),
                    ("posts/b/index.html", "b"),
                ],
            );
            let err = result.expect_err(&format!("{op:?} {suffix}: no failure"));
            assert!(
                err.to_string().contains("injected"),
                "{op:?} {suffix}: {err}"
            );
            assert_eq!(snapshot(&s.out), before, "{op:?} {suffix}: output changed");
            assert_eq!(
                beside(&s.out),
                ["out", "site"],
                "{op:?} {suffix}: leftovers"
            );
        }
    }

    #[test]
    fn a_link_that_fails_is_written_instead() {
        let s = setup();
        first_build(&s);
        let stats = build(&s, Failing::new(Op::Link, "index.html", 0), FIRST).unwrap();
        assert_eq!((stats.written, stats.linked), (1, 2));
        assert_eq!(
            std::fs::read_to_string(s.out.join("index.html")).unwrap(),
            "home"
        );
    }

    #[test]
    fn failing_to_remove_the_old_output_is_reported_after_the_swap() {
        let s = setup();
        first_build(&s);
        let old = format!(".out.old-{}", std::process::id());
        let result = build(
            &s,
            Failing::new(Op::RemoveDir, &old, 0),
            &[("index.html", "v2")],
        );
        assert!(result.is_err());
        // The new output is in place, with the .git.
        assert_eq!(
            std::fs::read_to_string(s.out.join("index.html")).unwrap(),
            "v2"
        );
        assert!(s.out.join(".git/HEAD").is_file());
    }
}
