//! Incremental rebuilds: after a change, re-render only what depends on it, and
//! produce exactly the output a full build of the same files would (the tests in
//! `tests/testsuite/serve_incremental.rs` compare the two after every kind of change).
//!
//! A [`Builder`] keeps, between builds:
//! - the parsed files ([`Sources`]): only changed files, files that failed, and
//!   the few that depend on a changed one are read and parsed again; the order
//!   of the last assembly is reused while no post's date, slug, permalink, draft
//!   flag or bundle changed and no file, author or page was added, removed or
//!   changed;
//! - each post's and page's rendered Markdown, with the number of the build that
//!   parsed its file, a hash of its text and how each of its links resolved: a
//!   body is rendered again only when its text, its sanitizing, its bundle or
//!   permalink changed, or (after posts were added, removed or moved, or files
//!   were added or removed) one of its links would now resolve differently;
//! - the last good build: each post's list value with two version numbers (one
//!   for the value, one for the body and front matter), the versions of author,
//!   term and page values, the indices (posts by author and term) and author
//!   values, every page and feed in order by its [`Route`] (its identity from
//!   build to build) with a fingerprint of its inputs and its output path, the
//!   copied files, and the output itself.
//!
//! This module keeps only what is incremental: the Markdown cache
//! (`bodies.rs`) and the reuse policy (`pages.rs`: versions, fingerprints,
//! matching with the last build). Pages, feeds, extras and copied files are
//! made by the same pipeline as `gen build` ([`render::run_pipeline`]), given
//! a [`render::Policy`] that keeps the pages and feeds whose fingerprint is
//! unchanged, the extras while the sitemap's entries are unchanged and the
//! copied files whose source is the same; this module then applies what was
//! made to the last output.
//!
//! The dependency rules:
//! - A post's list value is reused when its file was not parsed again, its body
//!   did not change, and the values of its authors and terms are unchanged; a
//!   value made again that comes out equal keeps its version.
//! - The indices and author values are reused while the posts keep their order
//!   and every post its authors, tags and categories.
//! - Each page's inputs come from
//!   [`Prepared::job_inputs`](crate::render::Prepared::job_inputs): the posts it
//!   lists (in order), its neighbours, the bodies, pages, authors and terms it
//!   shows, and the listing's size; the page shows exactly those lists
//!   ([`Prepared::render_job`](crate::render::Prepared::render_job) takes them
//!   from there). Its fingerprint hashes its route, the identities and versions
//!   of those inputs, the globals (the config and the `site` value) and the
//!   version of the template it renders with
//!   ([`Job::template`](crate::render::Job::template),
//!   [`Theme::template_version`]: the template's text with every template it
//!   extends, includes or imports) and, for share kits, of the `share/…`
//!   templates. A page whose fingerprint is unchanged keeps its output; the
//!   others are rendered again.
//! - A feed's fingerprint covers its title and its first `feed_limit` posts
//!   (values and bodies).
//! - The sitemap (with robots.txt and the syntax stylesheet) is made again when
//!   its entries changed; the copied files are listed again on every build,
//!   and those whose source changed are copied again.
//! - A template change renders again only the pages made with that template
//!   or with one that extends, includes or imports it: a change to `post.html`
//!   re-renders the post pages, one to `base.html` every page that extends it,
//!   one to `share/x.txt` the share kits; feeds and the sitemap use no
//!   template. Parsed files and Markdown are kept. A config change starts from
//!   scratch.
//! - Output paths are checked for clashes (`render::claims`) as in a full
//!   build, except while the indices stand (so do the posts, pages, files and
//!   authors), the same posts have share kits and the theme's files are the
//!   same, after a good build.
//!
//! The output is a [`Files`] map shared with the server: a build copies it
//! cheaply and changes only the files that changed. A failed build leaves the
//! last good output in place; when it failed after reusing values from the last
//! build, the next build renders every page again.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde_json::Value;

use super::ids::{FxHasher, FxMap, FxSet, IdMap, id_of};
use super::sources::Sources;
use crate::config::CONFIG_FILE;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Site;
use crate::markdown::Rendered;
use crate::render::{
    self, BodyRenderer, Content, Earlier, Indices, Job, JobInputs, KitResult, LinkUse, Prepared,
    Source, Theme,
};
use crate::routes::{Route, Taxonomy};
use crate::text::slug::slugify;

use super::files::PackingSink;
pub use super::files::{Files, Packed, Spill, Stored};

mod bodies;
mod early;
mod pages;
mod search;

/// Output paths a running build will still change (see [`Preview::publish`]).
pub type Pending = HashSet<Arc<str>>;

/// Where a build's output goes while the preview runs.
pub trait Preview {
    /// The output paths of the pages open in browsers now: when a rebuild
    /// renders many pages, these are made and published first.
    fn open_pages(&self) -> Vec<String> {
        Vec::new()
    }

    /// Serves a build's output. With `pending`, the build goes on: the
    /// output has the pages made first, and the paths in `pending` will still
    /// change (a request for one should wait for the next publish); without,
    /// the build is complete.
    fn publish(&mut self, files: &Arc<Files>, changed: &Changed, pending: Option<&Arc<Pending>>);
}

/// A [`Preview`] that takes only complete builds.
struct Complete<'a>(&'a mut dyn FnMut(&Arc<Files>, &Changed));

impl Preview for Complete<'_> {
    fn publish(&mut self, files: &Arc<Files>, changed: &Changed, pending: Option<&Arc<Pending>>) {
        if pending.is_none() {
            (self.0)(files, changed);
        }
    }
}

/// Below this many pages to render again, a rebuild publishes once, when it
/// is complete. From two pages on, the pages of the changed files (and the
/// open ones) go first: at 10,000 posts a one-post edit also renders the
/// archive, which lists every post, and lists the site's pictures again,
/// hundreds of milliseconds that the edited page need not wait for.
const EARLY_AFTER: usize = 2;

/// One output file.
type OutputFile = (Arc<str>, Arc<Stored>);

/// Paths that changed on disk, relative to the site root.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Everything may have changed: build from scratch.
    pub all: bool,
    pub paths: BTreeSet<PathBuf>,
}

impl Changes {
    /// Everything: the first build.
    pub fn all() -> Changes {
        Changes {
            all: true,
            paths: BTreeSet::new(),
        }
    }

    /// These paths (relative to the root).
    pub fn paths(paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        Changes {
            all: false,
            paths: paths.into_iter().collect(),
        }
    }
}

/// Which output files a build changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// Everything may have changed (a first or full build).
    All,
    /// These output paths were added, removed or changed.
    Paths(BTreeSet<String>),
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        matches!(self, Changed::Paths(p) if p.is_empty())
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct Outcome {
    pub changed: Changed,
    /// Pages and feeds rendered (the others kept their output).
    pub rendered: usize,
    /// Post and page bodies rendered from Markdown.
    pub bodies: usize,
    /// Whether every page was rendered.
    pub full: bool,
    pub posts: usize,
    pub pages: usize,
    pub files: usize,
    /// Warnings of the files read in this build.
    pub warnings: Vec<Diagnostic>,
    pub millis: u128,
    /// Time spent in each phase, in microseconds.
    pub phases: Vec<(&'static str, u128)>,
}

/// Times the phases of a build.
struct Timer {
    last: Instant,
    phases: Vec<(&'static str, u128)>,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            last: Instant::now(),
            phases: Vec::new(),
        }
    }

    fn mark(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.phases
            .push((phase, now.duration_since(self.last).as_micros()));
        self.last = now;
    }
}

/// A post's or page's rendered Markdown with what it was made from.
struct CachedBody {
    parsed_in: u64,
    text_hash: u64,
    sanitize: bool,
    bundle: Option<PathBuf>,
    path: String,
    links: Vec<LinkUse>,
    rendered_in: u64,
    /// The rendering, without a post's page body (`html`): that is kept
    /// in `html`, compressed. A page's stays in `rendered`.
    rendered: Rendered,
    /// A post's page body, compressed (in the spill file, like the pages,
    /// where there is one): the bodies of a 10,000-post site with
    /// highlighted code are hundreds of megabytes of HTML, read only when
    /// the post's page or a feed is made again.
    html: Option<Stored>,
}

/// What a body of this build was made from.
struct BodyMeta {
    text_hash: u64,
    rendered_in: u64,
}

/// A post of the last good build.
struct PrevPost {
    text_hash: u64,
    /// A hash of the post's authors, tags and categories.
    terms_hash: u64,
    value: Option<Value>,
    value_ver: u64,
    body_ver: u64,
}

/// The last good build.
struct Prev {
    build: u64,
    posts: IdMap<PrevPost>,
    /// Text hash and version of each page.
    pages: IdMap<(u64, u64)>,
    authors: HashMap<String, (Value, u64)>,
    terms: [HashMap<String, (Value, u64)>; 3],
    /// Each page and each feed, in order, with its fingerprint and path.
    jobs: Vec<Output>,
    feeds: Vec<Output>,
    /// Files copied, by output path.
    copies: FxMap<Arc<str>, Source>,
    /// Output paths of files copied from disk, by source.
    disk: HashMap<PathBuf, Vec<Arc<str>>>,
    /// The sitemap, robots.txt and syntax stylesheet, with a hash of the sitemap's
    /// entries.
    extras: Option<(u64, Vec<OutputFile>)>,
    /// The indices and author values, reused while nothing they depend on
    /// changed.
    indices: Option<Indices>,
    author_values: Option<std::collections::BTreeMap<String, Value>>,
    /// Each post's share kit, with the fingerprint of its JSON job, which
    /// covers everything the kit is made from.
    kits: IdMap<(u64, Arc<KitResult>)>,
}

/// Builds a site again and again, each time doing only what the changes need.
pub struct Builder {
    root: PathBuf,
    drafts: bool,
    base_url: String,
    build: u64,
    sources: Option<Sources>,
    theme: Option<Theme>,
    walks: u64,
    /// Rendered Markdown by post or page id.
    bodies: IdMap<CachedBody>,
    link_env: u64,
    prev: Option<Prev>,
    files: Arc<Files>,
    versions: u64,
    timer: Timer,
    /// What the output paths of the last good build were checked with (see
    /// [`claims_key`]), while its indices stand.
    claims_checked: Option<u64>,
    /// From how many pages to render again a rebuild publishes the open
    /// pages first.
    early_after: usize,
    /// The search index served, with what it was made from.
    search: Option<search::HeldIndex>,
    /// The lists the last build lent the posts' bodies in, empty, kept for
    /// the next (as [`Sources`] keeps its list of posts).
    spare_bodies: (Vec<Rendered>, Vec<Option<Stored>>),
    /// Where the output's pages are kept, when not in memory.
    spill: Option<Arc<Spill>>,
}

/// What the output paths depend on besides the assembly and the indices:
/// which posts have a share kit, and the theme's static files.
fn claims_key(site: &Site, theme: &Theme) -> u64 {
    let mut h = FxHasher::default();
    for p in &site.posts {
        crate::share::kit::has_kit(site, p).hash(&mut h);
        // Aliases are paths: a new one may clash.
        p.aliases.hash(&mut h);
    }
    for p in &site.pages {
        p.aliases.hash(&mut h);
    }
    for (dest, _) in &theme.static_files {
        dest.hash(&mut h);
    }
    h.finish()
}

/// A fast hash of build inputs (identities, versions, short strings) for
/// fingerprints: every step of FxHash is a bijection of its state for a given
/// word, so sequences of the same length that differ in one word never collide,
/// and lengths are hashed with the lists.
fn fx_hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = FxHasher::default();
    t.hash(&mut h);
    h.finish()
}

impl Builder {
    /// A builder for the site at `root`, whose pages link to `base_url`.
    pub fn new(root: &Path, drafts: bool, base_url: &str) -> Builder {
        Builder {
            root: std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()),
            drafts,
            base_url: base_url.to_string(),
            build: 0,
            sources: None,
            theme: None,
            walks: 0,
            bodies: IdMap::default(),
            link_env: 0,
            prev: None,
            files: Arc::new(Files::default()),
            versions: 0,
            timer: Timer::new(),
            claims_checked: None,
            early_after: EARLY_AFTER,
            search: None,
            spare_bodies: Default::default(),
            spill: None,
        }
    }

    /// Keeps the output's pages in an unnamed temporary file rather than in
    /// memory, where the system can give the space of replaced pages back
    /// (see `serve/spill.rs`); whether it does. Call before the first build.
    pub fn keep_pages_on_disk(&mut self) -> bool {
        self.spill = Spill::new();
        self.spill.is_some()
    }

    /// From how many pages to render again a rebuild publishes the pages open
    /// in browsers, and those of the changed files, first (2 unless set).
    pub fn set_early_after(&mut self, pages: usize) {
        self.early_after = pages;
    }

    /// The site root (absolute).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The output of the last good build.
    pub fn files(&self) -> &Arc<Files> {
        &self.files
    }

    /// The site's syntaxes, once the config has been read (`gen serve` saves
    /// their highlight cache after each build).
    pub fn syntaxes(&self) -> Option<&crate::markdown::highlight::Syntaxes> {
        self.sources.as_ref().map(|s| &s.config.syntaxes)
    }

    /// The active theme's name, once the config has been read.
    pub fn theme_name(&self) -> Option<&str> {
        self.sources.as_ref().map(|s| s.config.theme.as_str())
    }

    /// Builds after `changes`. On errors, the last good output stays and every
    /// error of the site comes back (with the warnings of the files read).
    pub fn build(&mut self, changes: &Changes) -> Result<Outcome, Vec<Diagnostic>> {
        self.build_then(changes, &mut |_, _| {})
    }

    /// Like [`Builder::build`], and hands the new output to `publish` as soon as
    /// it is complete, before the bookkeeping for the next build.
    pub fn build_then(
        &mut self,
        changes: &Changes,
        publish: &mut dyn FnMut(&Arc<Files>, &Changed),
    ) -> Result<Outcome, Vec<Diagnostic>> {
        self.build_for(changes, &mut Complete(publish))
    }

    /// Like [`Builder::build_then`], and when many pages are rendered again,
    /// publishes the pages open in the `preview` and those of the changed
    /// files first, naming the others as pending.
    pub fn build_for(
        &mut self,
        changes: &Changes,
        publish: &mut dyn Preview,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let start = Instant::now();
        self.timer = Timer::new();
        self.build += 1;
        let build = self.build;
        // The site's syntaxes are read with the config (they apply to every body).
        let config_changed = changes.all
            || self.sources.is_none()
            || changes.paths.contains(Path::new(CONFIG_FILE))
            || changes.paths.iter().any(|p| p.starts_with("syntaxes"));
        let theme_name = self.theme_name().unwrap_or("default").to_string();
        let theme_dir = Path::new("themes").join(&theme_name);
        let templates_changed = changes.paths.iter().any(|p| {
            p.starts_with("templates")
                || p.starts_with(theme_dir.join("templates"))
                || p == &theme_dir
                || p == Path::new("themes")
        });
        let theme_changed = templates_changed
            || changes
                .paths
                .iter()
                .any(|p| p.starts_with(&theme_dir) && self.theme_file_added_or_removed(p));
        let content: BTreeSet<PathBuf> = changes
            .paths
            .iter()
            .filter(|p| {
                p.starts_with("content")
                    || p.starts_with("authors")
                    || p.starts_with("static")
                    || p.starts_with("data")
            })
            .cloned()
            .collect();

        let update = if config_changed {
            self.sources = None;
            self.theme = None;
            self.prev = None;
            self.bodies.clear();
            let (sources, update) = Sources::load(&self.root, self.drafts, &self.base_url, build)?;
            self.sources = Some(sources);
            update
        } else {
            let sources = self.sources.as_mut().expect("sources are loaded");
            sources.update(&content, build)
        };
        if update.walked {
            self.walks += 1;
        }
        self.timer.mark("load");
        let mut errors: Vec<Diagnostic> = Vec::new();
        if self.theme.is_none() || theme_changed {
            let config = &self.sources.as_ref().expect("sources are loaded").config;
            match render::theme::load(&self.root, config) {
                Ok(t) => self.theme = Some(t),
                Err(e) => {
                    self.theme = None;
                    errors.extend(e);
                }
            }
        }

        // Nothing to render again: only files copied as they are changed.
        if errors.is_empty()
            && !config_changed
            && !theme_changed
            && !update.walked
            && update.parsed.is_empty()
            && let Some(prev) = &self.prev
        {
            let changed = Changed::Paths(
                changes
                    .paths
                    .iter()
                    .filter_map(|p| prev.disk.get(&self.root.join(p)))
                    .flatten()
                    .map(|k| k.to_string())
                    .collect(),
            );
            publish.publish(&self.files, &changed, None);
            return Ok(Outcome {
                changed,
                rendered: 0,
                bodies: 0,
                full: false,
                posts: 0,
                pages: 0,
                files: self.files.len(),
                warnings: Vec::new(),
                millis: start.elapsed().as_millis(),
                phases: Vec::new(),
            });
        }

        let mut sources = self.sources.take().expect("sources are loaded");
        let (site, diags, same_order) = sources.assemble();
        self.timer.mark("assemble");
        let first = self.prev.is_none() && self.files.is_empty();
        let mut warnings = Vec::new();
        for d in diags {
            if d.is_error() {
                errors.push(d);
            } else if first
                || config_changed
                || d.path.as_ref().is_some_and(|p| update.parsed.contains(p))
            {
                warnings.push(d);
            }
        }
        let result = self.render(
            site,
            &mut sources,
            changes,
            errors,
            (build, same_order),
            publish,
        );
        let result = match result {
            Ok(mut outcome) => {
                outcome.warnings = warnings;
                outcome.millis = start.elapsed().as_millis();
                outcome.phases = std::mem::take(&mut self.timer.phases);
                Ok(outcome)
            }
            Err(errors) => {
                // The site may have changed since the paths were checked.
                self.claims_checked = None;
                let all = Diagnostics::new();
                all.extend(errors);
                all.extend(warnings);
                Err(all.into_sorted())
            }
        };
        self.sources = Some(sources);
        result
    }

    /// Whether a changed path under the theme folder is a file the loaded theme
    /// does not know, or a known one that is gone.
    fn theme_file_added_or_removed(&self, rel: &Path) -> bool {
        let Some(theme) = &self.theme else {
            return true;
        };
        let abs = self.root.join(rel);
        let known = theme
            .static_files
            .iter()
            .any(|(_, s)| matches!(s, Source::Disk(p) if *p == abs));
        abs.is_dir() || abs.is_file() != known
    }
}

/// A page or feed of a build: its route (its identity from build to build),
/// fingerprint and output path.
type Output = (Route, u64, Arc<str>);
