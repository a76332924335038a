//! Pages first: when a rebuild renders many pages again (a change to
//! `base.html` renders every page; a post that hundreds of pages list renders
//! those), the pages open in browsers and the pages of the posts and pages
//! whose files changed are rendered first and published at once, with the
//! list of the pages still being made; requests for those wait until the
//! build has made them (the server does the waiting), so a page is never
//! served older than the reload event that named it. The rest of the build
//! then runs as before, and its output is compared with what was published
//! first, so open pages reload once.
//!
//! Before even that, an edit of a few posts publishes their own pages
//! ([`edited_first`]): a changed body or front matter makes a post's page
//! again whatever else the change touches, so that page need not wait for
//! the fingerprints of every other page (tens of milliseconds at 10,000
//! posts) to be worked out. Only when no post came, went or moved (the
//! assembly stands): a new post's reload must not come before the listings
//! that link to it are pending, nor a moved one's before its old address is.
//! It goes out with nothing pending: the pages still to make are not known
//! yet, and until they are named (a moment later, by [`First`]) they are
//! served as the last build made them, as before any rebuild.

use super::*;

/// At most this many edited posts have their pages published before the
/// rest is planned: one save touches one post; a checkout that changes
/// dozens is better served by the plan's order.
pub(super) const EDITED_FIRST: usize = 4;

/// Renders the pages of the edited posts (`edited`: positions among `jobs`)
/// and publishes them over `files` (the last output; new pages go into
/// `spill` when given) with nothing pending.
/// Returns what was published, or `None` when nothing was: too many posts
/// edited, none whose page changed, or a page that failed (the whole build
/// then reports it).
pub(super) fn edited_first(
    prep: &Prepared<'_>,
    jobs: &[Job],
    edited: &[usize],
    (files, spill): (&Arc<Files>, Option<&Arc<Spill>>),
    preview: &mut dyn Preview,
) -> Option<Arc<Files>> {
    if edited.is_empty() || edited.len() > EDITED_FIRST {
        return None;
    }
    let made: Vec<(String, Stored)> = edited
        .par_iter()
        .map(|&k| {
            prep.render_job(&jobs[k])
                .map(|(file, html)| (file, Stored::new(Content::Text(html), spill)))
        })
        .collect::<Result<_, _>>()
        .ok()?;
    let mut early = (**files).clone();
    let mut changed = BTreeSet::new();
    for (file, stored) in made {
        if files.get(&file).is_none_or(|old| !old.same(&stored)) {
            changed.insert(file.clone());
            early.insert(Arc::from(file.as_str()), Arc::new(stored));
        }
    }
    if changed.is_empty() {
        return None;
    }
    let early = Arc::new(early);
    preview.publish(
        &early,
        &Changed::Paths(changed),
        Some(&Arc::new(Pending::default())),
    );
    Some(early)
}

/// What a build publishes first: which pages and how many must be pending
/// before it is worth publishing early.
pub(super) struct First<'a> {
    /// Every page job of the build with its route and fingerprint.
    pub jobs: &'a [Job],
    pub planned: &'a [(Route, u64)],
    /// The positions of the pages rendered again.
    pub stale: &'a [usize],
    /// Whether a page is one to render first (open in a browser, or the
    /// page of a changed file).
    pub wanted: &'a (dyn Fn(usize) -> bool + Sync),
    /// The output paths of feeds that will change.
    pub feeds: Vec<Arc<str>>,
    /// The output paths of the last build's pages and feeds that go (posts
    /// removed or moved): requests for them wait for the complete build
    /// rather than get the last build's page after a reload event.
    pub gone: Vec<Arc<str>>,
}

impl First<'_> {
    /// Renders the pages to make first and publishes them over `files` (the
    /// last good output, or what the edited posts' pages were published
    /// over; new pages go into `spill` when given), naming the other stale
    /// pages as pending. Returns
    /// what was published, or `None` when nothing was (no page to make first,
    /// or one of them failed: the whole build then reports it).
    pub(super) fn publish(
        &self,
        prep: &Prepared<'_>,
        (files, spill): (&Arc<Files>, Option<&Arc<Spill>>),
        preview: &mut dyn Preview,
    ) -> Option<Arc<Files>> {
        let first: Vec<usize> = self
            .stale
            .iter()
            .copied()
            .filter(|&k| (self.wanted)(k))
            .collect();
        if first.is_empty() {
            return None;
        }
        let made: Vec<(String, Stored)> = first
            .par_iter()
            .map(|&k| {
                prep.render_job(&self.jobs[k])
                    .map(|(file, html)| (file, Stored::new(Content::Text(html), spill)))
            })
            .collect::<Result<_, _>>()
            .ok()?;
        let mut early = (**files).clone();
        let mut changed = BTreeSet::new();
        let mut done: FxSet<String> = FxSet::default();
        for (file, stored) in made {
            if files.get(&file).is_none_or(|old| !old.same(&stored)) {
                changed.insert(file.clone());
            }
            early.insert(Arc::from(file.as_str()), Arc::new(stored));
            done.insert(file);
        }
        let pending: Pending = self
            .stale
            .iter()
            .map(|&k| Arc::from(self.planned[k].0.file().as_str()))
            .chain(self.gone.iter().cloned())
            .filter(|f: &Arc<str>| !done.contains(f.as_ref()))
            .chain(self.feeds.iter().cloned())
            .collect();
        let early = Arc::new(early);
        preview.publish(&early, &Changed::Paths(changed), Some(&Arc::new(pending)));
        Some(early)
    }
}
