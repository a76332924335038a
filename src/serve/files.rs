//! The output of a build as a map that is cheap to copy and to change a little:
//! a shared base map, and the changes made on top of it since. A rebuild that
//! changes ten files of thirty thousand copies and touches only those ten; the
//! changes are folded into a new base when they grow large.

use std::sync::Arc;

use super::ids::FxMap;
use crate::render::Content;

/// Output files by path (relative, `/`-separated; `index.html` for folders).
#[derive(Clone, Default)]
pub struct Files {
    base: Arc<FxMap<Arc<str>, Arc<Content>>>,
    /// Changes since the base: a new content, or `None` for a removed file.
    top: FxMap<Arc<str>, Option<Arc<Content>>>,
    len: usize,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files").field("len", &self.len).finish()
    }
}

impl Files {
    pub fn get(&self, key: &str) -> Option<&Arc<Content>> {
        match self.top.get(key) {
            Some(changed) => changed.as_ref(),
            None => self.base.get(key),
        }
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
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Arc<Content>)> {
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
    pub fn insert(&mut self, key: Arc<str>, content: Arc<Content>) {
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

    fn text(s: &str) -> Arc<Content> {
        Arc::new(Content::Text(s.to_string()))
    }

    fn get(f: &Files, k: &str) -> Option<String> {
        f.get(k).map(|c| match c.as_ref() {
            Content::Text(s) => s.clone(),
            Content::Copy(_) => String::new(),
        })
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
