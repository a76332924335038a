//! The incremental loader: the site's files, parsed once and kept, so that a
//! rebuild reads and parses only the files that changed (and the few that depend
//! on them). It produces the same [`Site`] as [`load::load`], because it uses the
//! same walk, the same per-file parsers and the same [`load::assemble`].
//!
//! What a file's parse depends on besides its own text, and so what is parsed
//! again when something else changes:
//! - posts depend on the authors they name (existence, guest flag): a changed,
//!   added or removed author file re-parses the posts that name that slug;
//! - posts' cover pictures and authors' avatars must exist: when files are added
//!   or removed, authors and posts with local cover pictures are parsed again;
//! - files that failed are parsed again on every rebuild (they are few, and their
//!   errors may have been fixed elsewhere).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::ids::{IdMap, IdSet, id_of};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, Asset, Author, Found, LoadOptions, Page, Parsed, Post, PostContext, Site};

/// One parsed file: the item (lent out to the [`Site`] while a build runs), its
/// diagnostics, and the number of the build that parsed it.
struct Entry<T> {
    item: Option<T>,
    diags: Vec<Diagnostic>,
    parsed_in: u64,
}

impl<T> Entry<T> {
    fn new(parsed: Parsed<T>, build: u64) -> Self {
        match parsed {
            Ok((item, diags)) => Entry {
                item: Some(item),
                diags,
                parsed_in: build,
            },
            Err(diags) => Entry {
                item: None,
                diags,
                parsed_in: build,
            },
        }
    }

    fn failed(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// What changed in the sources in one update.
#[derive(Debug, Default)]
pub struct Update {
    /// Files were added or removed (the site was walked again).
    pub walked: bool,
    /// Files parsed again (relative to the root).
    pub parsed: BTreeSet<PathBuf>,
}

/// The parsed files of a site.
pub struct Sources {
    root: PathBuf,
    root_canonical: PathBuf,
    drafts: bool,
    base_url: String,
    pub config: Config,
    config_diags: Vec<Diagnostic>,
    found: Found,
    walk_diags: Vec<Diagnostic>,
    /// Every file the walk and the last assembly know (relative paths), to tell a
    /// modified file from an added or removed one.
    known: HashSet<PathBuf>,
    authors: BTreeMap<PathBuf, Entry<Author>>,
    /// Posts and pages by the id of their file ([`id_of`]).
    posts: IdMap<Entry<Post>>,
    /// Posts by id: their index in `found.posts`.
    post_index: IdMap<usize>,
    /// Posts that failed to load, parsed again on every update.
    failed_posts: IdSet,
    pages: IdMap<Entry<Page>>,
    /// Assembly problems of the last build (duplicate permalinks, bundles).
    assemble_diags: Vec<Diagnostic>,
    /// The last full assembly, reused while nothing it depends on changed.
    assembly: Option<Assembly>,
    /// Whether something the assembly depends on changed since.
    reassemble: bool,
    /// The list the last site's posts were lent in, empty, kept for the next
    /// assembly: a new one of 10,000 posts is megabytes of fresh memory,
    /// faulted in page by page on every rebuild.
    spare_posts: Vec<Post>,
    /// The entries of `data/contributors.json` and the warnings of reading it,
    /// read again when it changes.
    contributions: Vec<load::contributors::Contribution>,
    contributions_diags: Vec<Diagnostic>,
    /// The files of `data/mentions/` and `data/comments/`, read again when
    /// `data/` changes; made responses at each assembly (they depend on the
    /// posts' slugs), with their warnings.
    response_files: load::responses::DataFiles,
    responses_diags: Vec<Diagnostic>,
}

/// The order and by-products of a full [`load::assemble`]: they depend on the
/// set of files, the authors and pages, and each post's date, slug, permalink,
/// draft flag, bundle and whether it loaded at all.
struct Assembly {
    posts: Vec<u64>,
    pages: Vec<u64>,
    files: Vec<load::StaticFile>,
    unparsed: BTreeSet<PathBuf>,
    /// The earliest date of a post left out for being in the future: when it
    /// passes, the site is assembled again.
    next_future: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// What of a post the assembly depends on (`None`: it did not load).
type AssemblyKey<'a> = Option<(
    &'a chrono::DateTime<chrono::FixedOffset>,
    &'a str,
    &'a str,
    bool,
    Option<&'a Path>,
)>;

fn assembly_key(e: &Entry<Post>) -> AssemblyKey<'_> {
    e.item.as_ref().map(|p| {
        (
            &p.date,
            p.slug.as_str(),
            p.path.as_str(),
            p.draft,
            p.bundle.as_deref(),
        )
    })
}

impl Sources {
    /// Reads the config, walks the site and parses every file.
    pub fn load(
        root: &Path,
        drafts: bool,
        base_url: &str,
        build: u64,
    ) -> Result<(Sources, Update), Vec<Diagnostic>> {
        let mut config_diags = Vec::new();
        load::dates::fixed_now().map_err(|d| vec![d])?;
        let Some(config) = Config::load(root, Some(base_url), &mut config_diags) else {
            return Err(config_diags);
        };
        let root_canonical = root.canonicalize().map_err(|e| {
            vec![Diagnostic::error(format!(
                "cannot open the site folder {}: {e}",
                root.display()
            ))]
        })?;
        let mut s = Sources {
            root: root.to_path_buf(),
            root_canonical,
            drafts,
            base_url: base_url.to_string(),
            config,
            config_diags,
            found: Found::default(),
            walk_diags: Vec::new(),
            known: HashSet::new(),
            authors: BTreeMap::new(),
            posts: IdMap::default(),
            post_index: IdMap::default(),
            failed_posts: IdSet::default(),
            pages: IdMap::default(),
            assemble_diags: Vec::new(),
            assembly: None,
            reassemble: true,
            spare_posts: Vec::new(),
            contributions: Vec::new(),
            contributions_diags: Vec::new(),
            response_files: load::responses::DataFiles::default(),
            responses_diags: Vec::new(),
        };
        s.walk();
        s.read_contributions();
        let all: BTreeSet<PathBuf> = s.known.iter().cloned().collect();
        let update = s.parse(&all, true, build);
        Ok((s, update))
    }

    fn opts(&self) -> LoadOptions<'_> {
        LoadOptions {
            drafts: self.drafts,
            future: false,
            base_url: Some(&self.base_url),
        }
    }

    fn walk(&mut self) {
        let diags = Diagnostics::new();
        self.found = load::walk(&self.root, &self.root_canonical, &diags);
        self.walk_diags = diags.into_sorted();
        self.known = self
            .found
            .posts
            .iter()
            .map(|(p, _)| p.clone())
            .chain(self.found.pages.iter().cloned())
            .chain(self.found.authors.iter().cloned())
            .chain(self.found.files.iter().map(|f| self.rel(&f.source)))
            .collect();
        self.post_index = self
            .found
            .posts
            .iter()
            .enumerate()
            .map(|(i, (rel, _))| (id_of(rel), i))
            .collect();
    }

    fn rel(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root).unwrap_or(p).to_path_buf()
    }

    /// Takes in changed paths (relative to the root, under `content/`, `authors/`,
    /// `static/` or `data/`): walks again when files were added or removed, and parses
    /// what changed and what depends on it.
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>, build: u64) -> Update {
        let structural = changed
            .iter()
            .filter(|p| !p.starts_with("data"))
            .any(|rel| {
                let abs = self.root.join(rel);
                // A symlink is checked by the walk (it may lead outside the site).
                abs.is_dir() || abs.is_symlink() || abs.is_file() != self.known.contains(rel)
            });
        if structural {
            self.walk();
        }
        // `data/` holds `gen fetch`'s file only: read again, never walked.
        let data_changed = changed.iter().any(|p| p.starts_with("data"));
        if data_changed {
            self.read_contributions();
        }
        let mut update = self.parse(changed, structural, build);
        if data_changed {
            update
                .parsed
                .insert(PathBuf::from(load::contributors::CONTRIBUTORS_FILE));
        }
        update
    }

    /// Reads `data/contributors.json` again (the data of `gen fetch`).
    fn read_contributions(&mut self) {
        let (entries, diags) = load::contributors::read(&self.root, &self.root_canonical);
        self.contributions = entries;
        self.contributions_diags = diags;
        self.response_files = load::responses::read_files(&self.root, &self.root_canonical);
    }

    /// Parses the changed files and those that depend on them; drops the entries
    /// of files that are gone.
    fn parse(&mut self, changed: &BTreeSet<PathBuf>, walked: bool, build: u64) -> Update {
        let mut update = Update {
            walked,
            ..Update::default()
        };
        if walked {
            self.reassemble = true;
        }
        let found_authors: BTreeSet<&PathBuf> = self.found.authors.iter().collect();
        let mut affected_slugs: HashSet<String> = HashSet::new();
        let gone: Vec<PathBuf> = self
            .authors
            .keys()
            .filter(|p| !found_authors.contains(p))
            .cloned()
            .collect();
        for p in gone {
            affected_slugs.insert(slug_of(&p));
            self.authors.remove(&p);
        }
        let author_jobs: Vec<&PathBuf> = self
            .found
            .authors
            .iter()
            .filter(|p| {
                walked || changed.contains(*p) || self.authors.get(*p).is_none_or(|e| e.failed())
            })
            .collect();
        let parsed: Vec<(PathBuf, Parsed<Author>)> = author_jobs
            .par_iter()
            .map(|rel| {
                (
                    (*rel).clone(),
                    load::parse_author(&self.root, &self.root_canonical, rel),
                )
            })
            .collect();
        for (rel, result) in parsed {
            let entry = Entry::new(result, build);
            let before = self.authors.get(&rel);
            if changed.contains(&rel)
                || before.is_none()
                || before.is_some_and(|b| b.failed() != entry.failed())
            {
                affected_slugs.insert(slug_of(&rel));
            }
            update.parsed.insert(rel.clone());
            self.authors.insert(rel, entry);
            self.reassemble = true;
        }

        let authors = self.author_map();
        let profiles = load::profile_slugs(&self.found);
        let ctx = PostContext {
            root: &self.root,
            root_canonical: &self.root_canonical,
            gate: std::sync::Arc::new(crate::sitefs::SiteFs::with_canonical(
                &self.root,
                &self.root_canonical,
            )),
            config: &self.config,
            authors: &authors,
            profiles: &profiles,
        };
        // Without new files or author changes, only the changed and the failed
        // posts need a look.
        let scan_all =
            walked || !affected_slugs.is_empty() || self.posts.len() != self.found.posts.len();
        if walked {
            let index = &self.post_index;
            self.posts.retain(|id, _| index.contains_key(id));
            self.failed_posts.retain(|id| index.contains_key(id));
        }
        let post_jobs: Vec<&(PathBuf, Option<PathBuf>)> = if !scan_all {
            let mut at: Vec<usize> = changed
                .iter()
                .map(|rel| id_of(rel))
                .chain(self.failed_posts.iter().copied())
                .filter_map(|id| self.post_index.get(&id).copied())
                .collect();
            at.sort_unstable();
            at.dedup();
            at.into_iter().map(|i| &self.found.posts[i]).collect()
        } else {
            self.found
                .posts
                .iter()
                .filter(|(rel, _)| match self.posts.get(&id_of(rel)) {
                    None => true,
                    Some(e) => {
                        changed.contains(rel)
                            || e.failed()
                            || e.item.as_ref().is_some_and(|p| {
                                p.authors.iter().any(|a| affected_slugs.contains(a))
                                    || (walked
                                        && p.image.as_ref().is_some_and(|c| {
                                            matches!(c.asset, Asset::Local { .. })
                                        }))
                            })
                    }
                })
                .collect()
        };
        let parsed: Vec<(PathBuf, Parsed<Post>)> = post_jobs
            .par_iter()
            .map(|(rel, bundle)| (rel.clone(), load::parse_post(&ctx, rel, bundle.as_deref())))
            .collect();
        for (rel, result) in parsed {
            let entry = Entry::new(result, build);
            let id = id_of(&rel);
            if self
                .posts
                .get(&id)
                .is_none_or(|old| assembly_key(old) != assembly_key(&entry))
            {
                self.reassemble = true;
            }
            if entry.failed() {
                self.failed_posts.insert(id);
            } else {
                self.failed_posts.remove(&id);
            }
            self.posts.insert(id, entry);
            update.parsed.insert(rel);
        }

        let found_pages: IdSet = self.found.pages.iter().map(|p| id_of(p)).collect();
        self.pages.retain(|id, _| found_pages.contains(id));
        let page_jobs: Vec<&PathBuf> = self
            .found
            .pages
            .iter()
            .filter(|rel| {
                changed.contains(*rel) || self.pages.get(&id_of(rel)).is_none_or(|e| e.failed())
            })
            .collect();
        let parsed: Vec<(PathBuf, Parsed<Page>)> = page_jobs
            .par_iter()
            .map(|rel| ((*rel).clone(), load::parse_page(&self.root, rel)))
            .collect();
        for (rel, result) in parsed {
            self.pages.insert(id_of(&rel), Entry::new(result, build));
            update.parsed.insert(rel);
            self.reassemble = true;
        }
        update
    }

    fn author_map(&self) -> BTreeMap<String, Author> {
        self.authors
            .values()
            .filter_map(|e| e.item.clone())
            .map(|a| (a.slug.clone(), a))
            .collect()
    }

    /// The number of the build that last parsed a post file, by its id.
    pub fn post_parsed_in(&self, id: u64) -> u64 {
        self.posts.get(&id).map_or(u64::MAX, |e| e.parsed_in)
    }

    /// The number of the build that last parsed a page file, by its id.
    pub fn page_parsed_in(&self, id: u64) -> u64 {
        self.pages.get(&id).map_or(u64::MAX, |e| e.parsed_in)
    }

    /// Puts the parsed files together into a site, lending it the posts and
    /// pages (give them back with [`Sources::restore`]). The diagnostics are all
    /// of the site's, as `load` would report them.
    /// Also says whether the last assembly was reused (the posts are in the
    /// same order, the authors and pages unchanged).
    pub fn assemble(&mut self) -> (Site, Vec<Diagnostic>, bool) {
        let (mut site, reused) = match self.reuse_assembly() {
            Some(site) => (site, true),
            None => (self.assemble_fully(), false),
        };
        let slugs: BTreeSet<&str> = site.posts.iter().map(|p| p.slug.as_str()).collect();
        let (responses, diags) = load::responses::resolve(&self.response_files, &slugs);
        site.responses = responses;
        self.responses_diags = diags;
        let all = Diagnostics::new();
        all.extend(self.config_diags.iter().cloned());
        all.extend(self.walk_diags.iter().cloned());
        all.extend(self.authors.values().flat_map(|e| e.diags.iter().cloned()));
        all.extend(self.posts.values().flat_map(|e| e.diags.iter().cloned()));
        all.extend(self.pages.values().flat_map(|e| e.diags.iter().cloned()));
        all.extend(self.assemble_diags.iter().cloned());
        all.extend(self.contributions_diags.iter().cloned());
        all.extend(self.responses_diags.iter().cloned());
        (site, all.into_sorted(), reused)
    }

    /// The site in the order of the last full assembly, when nothing it depends
    /// on changed since.
    fn reuse_assembly(&mut self) -> Option<Site> {
        let a = self.assembly.as_ref().filter(|_| !self.reassemble)?;
        if a.next_future.is_some_and(|d| d <= load::dates::now()) {
            return None;
        }
        // Sized up front: a `Post` is large, and growing the list by doubling
        // moved 10,000 of them several times on every rebuild.
        let mut posts: Vec<Post> = std::mem::take(&mut self.spare_posts);
        posts.reserve(a.posts.len());
        posts.extend(
            a.posts
                .iter()
                .filter_map(|id| self.posts.get_mut(id).and_then(|e| e.item.take())),
        );
        let mut pages: Vec<Page> = Vec::with_capacity(a.pages.len());
        pages.extend(
            a.pages
                .iter()
                .filter_map(|id| self.pages.get_mut(id).and_then(|e| e.item.take())),
        );
        let site = Site {
            root: self.root.clone(),
            config: self.config.clone(),
            authors: self.author_map(),
            files: a.files.clone(),
            unparsed: a.unparsed.clone(),
            unparsed_bodies: Vec::new(),
            contributions: self.contributions.clone(),
            responses: BTreeMap::new(),
            posts,
            pages,
        };
        if site.posts.len() != a.posts.len() || site.pages.len() != a.pages.len() {
            // Not what was assembled: give the items back and assemble again.
            let ids: Vec<u64> = site.posts.iter().map(|p| id_of(&p.source)).collect();
            self.restore(site, &ids);
            return None;
        }
        Some(site)
    }

    fn assemble_fully(&mut self) -> Site {
        let authors = self.author_map();
        let posts: Vec<Post> = self
            .posts
            .values_mut()
            .filter_map(|e| e.item.take())
            .collect();
        let pages: Vec<Page> = self
            .pages
            .values_mut()
            .filter_map(|e| e.item.take())
            .collect();
        let parts = load::Parts {
            config: self.config.clone(),
            authors,
            posts,
            pages,
        };
        let diags = Diagnostics::new();
        let (site, left_out) = load::assemble(
            &self.root,
            &self.root_canonical,
            self.opts(),
            parts,
            &self.found,
            &diags,
        );
        let mut site = site;
        site.contributions = self.contributions.clone();
        let now = load::dates::now();
        let next_future = left_out
            .iter()
            .filter(|p| p.date > now)
            .map(|p| p.date)
            .min();
        for p in left_out {
            if let Some(e) = self.posts.get_mut(&id_of(&p.source)) {
                e.item = Some(p);
            }
        }
        self.assemble_diags = diags.into_sorted();
        // Bundle files are found by the assembly: they are known files too.
        for f in &site.files {
            let rel = self.rel(&f.source);
            if !self.known.contains(&rel) {
                self.known.insert(rel);
            }
        }
        self.assembly = Some(Assembly {
            posts: site.posts.iter().map(|p| id_of(&p.source)).collect(),
            pages: site.pages.iter().map(|p| id_of(&p.source)).collect(),
            files: site.files.clone(),
            unparsed: site.unparsed.clone(),
            next_future,
        });
        self.reassemble = false;
        site
    }

    /// Takes back the posts and pages lent to a site; `ids` are those of its
    /// posts, in order.
    pub fn restore(&mut self, mut site: Site, ids: &[u64]) {
        for (p, id) in site.posts.drain(..).zip(ids) {
            if let Some(e) = self.posts.get_mut(id) {
                e.item = Some(p);
            }
        }
        self.spare_posts = site.posts;
        for p in site.pages {
            if let Some(e) = self.pages.get_mut(&id_of(&p.source)) {
                e.item = Some(p);
            }
        }
    }
}

/// The author slug of an author file.
fn slug_of(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
