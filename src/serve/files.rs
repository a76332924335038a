//! The output of a build as a map that is cheap to copy and to change a little:
//! a shared base map, and the changes made on top of it since. A rebuild that
//! changes ten files of thirty thousand copies and touches only those ten; the
//! changes are folded into a new base when they grow large.
//!
//! Pages, feeds and the other generated files are held compressed ([`Packed`],
//! LZ4: a tenth of a millisecond to unpack a page when it is asked for): a
//! 10,000-post site renders to about a gigabyte of HTML, which the preview
//! would otherwise keep in memory, twice while a rebuild of every page
//! replaces it.

use std::sync::Arc;

use super::ids::FxMap;
pub use super::spill::Spill;
use super::spill::Spilled;
use crate::render::{Content, Source};
pub use crate::text::packed::Packed;

/// One file of the preview's output.
#[derive(Clone)]
pub enum Stored {
    /// A page, feed, sitemap…: its text, compressed, in memory.
    Packed(Packed),
    /// The same, in the preview's temporary file ([`Spill`]).
    Spilled(Spilled),
    /// A file copied as it is, read when asked for.
    Copy(Source),
    /// Bytes the build made (the search index), as they are: most are
    /// compressed already.
    Bytes(Arc<[u8]>),
}

impl Stored {
    /// Packs a rendered file, into `spill` when given (in memory when it
    /// cannot be written there).
    pub fn new(content: Content, spill: Option<&Arc<Spill>>) -> Stored {
        match content {
            Content::Text(s) => {
                let packed = Packed::new(&s);
                match spill.map(|f| f.put(&packed)) {
                    Some(Ok(spilled)) => Stored::Spilled(spilled),
                    _ => Stored::Packed(packed),
                }
            }
            Content::Copy(src) => Stored::Copy(src),
            Content::Bytes(b) => Stored::Bytes(b),
        }
    }

    /// The file as the build made it (text uncompressed); an error when it
    /// cannot be read back from the temporary file.
    pub fn content(&self) -> std::io::Result<Content> {
        Ok(match self {
            Stored::Packed(p) => Content::Text(p.text()),
            Stored::Spilled(s) => Content::Text(s.text()?),
            Stored::Copy(src) => Content::Copy(src.clone()),
            Stored::Bytes(b) => Content::Bytes(b.clone()),
        })
    }

    /// A generated file's text (empty for copied files and bytes), as
    /// [`Stored::content`].
    pub fn content_text(&self) -> std::io::Result<String> {
        match self {
            Stored::Packed(p) => Ok(p.text()),
            Stored::Spilled(s) => s.text(),
            Stored::Copy(_) | Stored::Bytes(_) => Ok(String::new()),
        }
    }

    /// Whether two files have the same content (copied files: the same source).
    pub fn same(&self, other: &Stored) -> bool {
        match (self, other) {
            (Stored::Packed(a), Stored::Packed(b)) => a == b,
            (Stored::Spilled(a), Stored::Spilled(b)) => a == b,
            // One could not be written to the file: compare the texts.
            (Stored::Packed(_), Stored::Spilled(_)) | (Stored::Spilled(_), Stored::Packed(_)) => {
                matches!((self.content_text(), other.content_text()), (Ok(a), Ok(b)) if a == b)
            }
            (Stored::Copy(Source::Disk(a)), Stored::Copy(Source::Disk(b))) => a == b,
            (Stored::Copy(Source::Embedded(a)), Stored::Copy(Source::Embedded(b))) => a == b,
            (Stored::Bytes(a), Stored::Bytes(b)) => a == b,
            _ => false,
        }
    }
}

/// Where the pipeline puts what a build makes: each file compressed as it
/// comes, in the thread that rendered it (and written to the spill file,
/// when there is one).
#[derive(Default)]
pub struct PackingSink {
    files: std::sync::Mutex<FxMap<String, Stored>>,
    spill: Option<Arc<Spill>>,
}

impl PackingSink {
    /// A sink that keeps the files it is given in `spill`, when given.
    pub fn new(spill: Option<Arc<Spill>>) -> PackingSink {
        PackingSink {
            files: Default::default(),
            spill,
        }
    }

    /// The files put, by path.
    pub fn into_files(self) -> FxMap<String, Stored> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl crate::render::Sink for PackingSink {
    fn put(&self, path: &str, content: Content) -> std::io::Result<()> {
        let stored = Stored::new(content, self.spill.as_ref());
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), stored);
        Ok(())
    }
}

/// Output files by path (relative, `/`-separated; `index.html` for folders).
#[derive(Clone, Default)]
pub struct Files {
    base: Arc<FxMap<Arc<str>, Arc<Stored>>>,
    /// Changes since the base: a new content, or `None` for a removed file.
    top: FxMap<Arc<str>, Option<Arc<Stored>>>,
    len: usize,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files").field("len", &self.len).finish()
    }
}

impl Files {
    pub fn get(&self, key: &str) -> Option<&Arc<Stored>> {
        match self.top.get(key) {
            Some(changed) => changed.as_ref(),
            None => self.base.get(key),
        }
    }

    /// The file at `key` as the build made it (text uncompressed), as
    /// [`Stored::content`].
    pub fn content(&self, key: &str) -> Option<std::io::Result<Content>> {
        self.get(key).map(|s| s.content())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every file, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Arc<Stored>)> {
        self.base
            .iter()
            .filter(|(k, _)| !self.top.contains_key(*k))
            .chain(
                self.top
                    .iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v))),
            )
    }

    /// Every path, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &Arc<str>> {
        self.iter().map(|(k, _)| k)
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, key: Arc<str>, content: Arc<Stored>) {
        if !self.contains_key(&key) {
            self.len += 1;
        }
        self.top.insert(key, Some(content));
    }

    /// Removes a file; whether it was there.
    pub fn remove(&mut self, key: &Arc<str>) -> bool {
        if !self.contains_key(key) {
            return false;
        }
        self.len -= 1;
        if self.base.contains_key(key.as_ref()) {
            self.top.insert(key.clone(), None);
        } else {
            self.top.remove(key.as_ref());
        }
        true
    }

    /// Folds the changes into the base once they are many.
    pub fn settle(&mut self) {
        if self.top.len() < 256 || self.top.len() * 8 < self.base.len() {
            return;
        }
        let base = Arc::make_mut(&mut self.base);
        for (k, v) in self.top.drain() {
            match v {
                Some(v) => {
                    base.insert(k, v);
                }
                None => {
                    base.remove(k.as_ref());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Arc<Stored> {
        Arc::new(Stored::new(Content::Text(s.to_string()), None))
    }

    fn get(f: &Files, k: &str) -> Option<String> {
        f.content(k).map(|c| match c.unwrap() {
            Content::Text(s) => s,
            Content::Copy(_) | Content::Bytes(_) => String::new(),
        })
    }

    #[test]
    fn packed_text_comes_back_whole() {
        let page = "<!DOCTYPE html><p>caf\u{e9} \u{1f600}</p>".repeat(500);
        let p = Packed::new(&page);
        assert!(p.packed_len() < page.len() / 10);
        assert_eq!(p.text(), page);
        assert!(Packed::new("") == Packed::new(""));
        assert_eq!(Packed::new("").text(), "");
        assert!(Packed::new("a") != Packed::new("b"));
    }

    #[test]
    fn layers_behave_like_one_map() {
        let mut f = Files::default();
        for i in 0..300 {
            f.insert(Arc::from(format!("p{i}")), text("a"));
        }
        f.settle();
        assert_eq!(f.len(), 300);
        let snapshot = f.clone();
        f.insert(Arc::from("p1"), text("b"));
        f.insert(Arc::from("new"), text("c"));
        assert!(f.remove(&Arc::from("p2")));
        assert!(!f.remove(&Arc::from("p2")));
        assert!(!f.remove(&Arc::from("nope")));
        assert_eq!(get(&f, "p1").as_deref(), Some("b"));
        assert_eq!(get(&f, "new").as_deref(), Some("c"));
        assert_eq!(get(&f, "p2"), None);
        assert_eq!(f.len(), 300);
        assert_eq!(f.iter().count(), 300);
        // The earlier copy does not see the changes.
        assert_eq!(get(&snapshot, "p1").as_deref(), Some("a"));
        assert_eq!(get(&snapshot, "p2").as_deref(), Some("a"));
        assert_eq!(snapshot.len(), 300);
        for i in 0..300 {
            f.insert(Arc::from(format!("q{i}")), text("d"));
        }
        f.settle();
        assert_eq!(f.len(), 600);
        assert_eq!(f.iter().count(), 600);
        assert_eq!(get(&f, "p2"), None);
        assert_eq!(get(&snapshot, "q1"), None);
    }
}
