//! Incremental rebuilds: after a change, re-render only what depends on it, and
//! produce exactly the output a full build of the same files would (the tests in
//! `tests/serve_incremental.rs` compare the two after every kind of change).
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
//!   values, every page and feed in order with a fingerprint of its inputs and
//!   its output path, the copied files, and the output itself.
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
//!   shows, and the listing's size. Its fingerprint hashes the identities and
//!   versions of those inputs with the globals (the config, the `site` value, the
//!   templates). A page whose fingerprint is unchanged keeps its output; the
//!   others are rendered again.
//! - A feed's fingerprint covers its title and its first `feed_limit` posts
//!   (values and bodies).
//! - The sitemap (with robots.txt and the syntax stylesheet) is made again when
//!   its entries changed; the copied files are listed again on every build.
//! - A template change renders every page again (keeping parsed files and
//!   Markdown); a config change starts from scratch.
//! - Output paths are checked for clashes (`render::claims`) as in a full
//!   build, except while the indices stand (so do the posts, pages, files and
//!   authors), the same posts have share kits and the theme's files are the
//!   same, after a good build.
//!
//! The output is a [`Files`] map shared with the server: a build copies it
//! cheaply and changes only the files that changed. A failed build leaves the
//! last good output in place; when it failed after reusing values from the last
//! build, the next build renders every page again.

use std::collections::hash_map::DefaultHasher;
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
    self, BodyRenderer, Content, Earlier, FeedOf, Indices, Job, JobInputs, KitResult, LinkUse,
    Prepared, Source, TAXONOMIES, Theme,
};
use crate::text::slug::slugify;

pub use super::files::Files;

/// One output file.
type OutputFile = (Arc<str>, Arc<Content>);

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
    rendered: Rendered,
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

/// A page or feed of the site, by stable identity (posts and pages by source).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Home(usize),
    Post(u64),
    Page(u64),
    Authors,
    Author(String, usize),
    Terms(usize),
    Term(usize, String, usize),
    NotFound,
    Share(u64),
    ShareJson(u64),
    SiteFeed,
    AuthorFeed(String),
    TermFeed(usize, String),
}

/// The last good build.
struct Prev {
    build: u64,
    posts: IdMap<PrevPost>,
    /// Text hash and version of each page.
    pages: IdMap<(u64, u64)>,
    authors: HashMap<String, (Value, u64)>,
    terms: [HashMap<String, (Value, u64)>; 2],
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
}

/// What the output paths depend on besides the assembly and the indices:
/// which posts have a share kit, and the theme's static files.
fn claims_key(site: &Site, theme: &Theme) -> u64 {
    let mut h = FxHasher::default();
    for p in &site.posts {
        crate::share::kit::has_kit(site, p).hash(&mut h);
    }
    for (dest, _) in &theme.static_files {
        dest.hash(&mut h);
    }
    h.finish()
}

/// A hash for telling texts apart (SipHash).
fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
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
        }
    }

    /// The site root (absolute).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The output of the last good build.
    pub fn files(&self) -> &Arc<Files> {
        &self.files
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
                p.starts_with("content") || p.starts_with("authors") || p.starts_with("static")
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
            publish(&self.files, &changed);
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

    /// Renders the assembled site, reusing what did not change. Gives the site's
    /// posts back to `sources` in every case.
    fn render(
        &mut self,
        site: Site,
        sources: &mut Sources,
        changes: &Changes,
        mut errors: Vec<Diagnostic>,
        (build, same_order): (u64, bool),
        publish: &mut dyn FnMut(&Arc<Files>, &Changed),
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let ids: Vec<u64> = site.posts.iter().map(|p| id_of(&p.source)).collect();
        let page_ids: Vec<u64> = site.pages.iter().map(|p| id_of(&p.source)).collect();
        // Markdown.
        let env = {
            let mut h = FxHasher::default();
            self.walks.hash(&mut h);
            for (p, id) in site.posts.iter().zip(&ids) {
                (id, &p.path).hash(&mut h);
            }
            for (p, id) in site.pages.iter().zip(&page_ids) {
                (id, &p.path).hash(&mut h);
            }
            site.unparsed.hash(&mut h);
            h.finish()
        };
        let revalidate = env != self.link_env;
        let renderer = BodyRenderer::new(&site);
        let post_wants: Vec<Wanted<'_>> = site
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| Wanted {
                parsed_in: sources.post_parsed_in(ids[i]),
                text: &p.text,
                sanitize: renderer.sanitizes_post(i),
                bundle: p.bundle.as_deref(),
                path: &p.path,
            })
            .collect();
        let page_wants: Vec<Wanted<'_>> = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| Wanted {
                parsed_in: sources.page_parsed_in(page_ids[i]),
                text: &p.text,
                sanitize: site.config.sanitize_staff_html,
                bundle: None,
                path: &p.path,
            })
            .collect();
        let bodies = &self.bodies;
        // The bodies (of posts, or of pages) whose cached rendering no longer
        // holds, rendered again with the hash of their text.
        let remade = |ids: &[u64],
                      wants: &[_],
                      resolve: &(dyn Fn(usize, &str, bool) -> crate::markdown::Resolved + Sync),
                      render: &(dyn Fn(usize) -> render::Body + Sync)|
         -> Vec<Option<(render::Body, u64)>> {
            (0..ids.len())
                .into_par_iter()
                .map(|i| {
                    let valid = bodies.get(&ids[i]).is_some_and(|c| {
                        still_valid(c, &wants[i], revalidate, &|dest, image| {
                            resolve(i, dest, image)
                        })
                    });
                    (!valid).then(|| (render(i), hash_of(wants[i].text)))
                })
                .collect()
        };
        let post_made = remade(
            &ids,
            &post_wants,
            &|i, dest, image| renderer.resolve_post(i, dest, image),
            &|i| renderer.post(i),
        );
        let page_made = remade(
            &page_ids,
            &page_wants,
            &|i, dest, image| renderer.resolve_page(i, dest, image),
            &|i| renderer.page(i),
        );
        drop(renderer);
        let mut md_errors = Vec::new();
        let mut bodies = 0;
        let (posts_md, post_meta) = self.lend_bodies(
            &ids,
            &post_wants,
            post_made,
            build,
            &mut md_errors,
            &mut bodies,
        );
        let (pages_md, page_meta) = self.lend_bodies(
            &page_ids,
            &page_wants,
            page_made,
            build,
            &mut md_errors,
            &mut bodies,
        );
        drop(post_wants);
        drop(page_wants);
        self.link_env = env;
        self.timer.mark("markdown");
        errors.extend(md_errors);

        let result = if errors.is_empty() {
            self.render_pages(
                &site,
                sources,
                changes,
                (&ids, &page_ids),
                &posts_md,
                &post_meta,
                &pages_md,
                &page_meta,
                (build, same_order),
                publish,
            )
            .map(|mut o| {
                o.bodies = bodies;
                o
            })
        } else {
            Err(errors)
        };

        // Keep the Markdown, and give the posts back.
        for (r, id) in posts_md.into_iter().zip(&ids) {
            if let Some(c) = self.bodies.get_mut(id) {
                c.rendered = r;
            }
        }
        for (r, id) in pages_md.into_iter().zip(&page_ids) {
            if let Some(c) = self.bodies.get_mut(id) {
                c.rendered = r;
            }
        }
        sources.restore(site, &ids);
        self.timer.mark("keep");
        result
    }

    /// The bodies of one build, in order: reused ones lent from the cache (give
    /// them back after the build), fresh ones put in the cache (unless they have
    /// errors). Also what each body was made from.
    fn lend_bodies(
        &mut self,
        ids: &[u64],
        wants: &[Wanted<'_>],
        made: Vec<Option<(render::Body, u64)>>,
        build: u64,
        errors: &mut Vec<Diagnostic>,
        fresh: &mut usize,
    ) -> (Vec<Rendered>, Vec<BodyMeta>) {
        let mut rendered = Vec::with_capacity(ids.len());
        let mut meta = Vec::with_capacity(ids.len());
        for ((id, want), made) in ids.iter().zip(wants).zip(made) {
            match made {
                None => {
                    let c = self.bodies.get_mut(id).expect("a valid cached body");
                    c.parsed_in = want.parsed_in;
                    rendered.push(std::mem::take(&mut c.rendered));
                    meta.push(BodyMeta {
                        text_hash: c.text_hash,
                        rendered_in: c.rendered_in,
                    });
                }
                Some((body, text_hash)) => {
                    *fresh += 1;
                    if body.diags.is_empty() {
                        self.bodies.insert(
                            *id,
                            CachedBody {
                                parsed_in: want.parsed_in,
                                text_hash,
                                sanitize: want.sanitize,
                                bundle: want.bundle.map(Path::to_path_buf),
                                path: want.path.to_string(),
                                links: body.links,
                                rendered_in: build,
                                rendered: Rendered::default(),
                            },
                        );
                    } else {
                        self.bodies.remove(id);
                        errors.extend(body.diags);
                    }
                    rendered.push(body.rendered);
                    meta.push(BodyMeta {
                        text_hash,
                        rendered_in: build,
                    });
                }
            }
        }
        (rendered, meta)
    }

    /// Renders the pages and feeds whose inputs changed, and puts the output
    /// together.
    #[allow(clippy::too_many_arguments)]
    fn render_pages(
        &mut self,
        site: &Site,
        sources: &Sources,
        changes: &Changes,
        (ids, page_ids): (&[u64], &[u64]),
        posts_md: &[Rendered],
        post_meta: &[BodyMeta],
        pages_md: &[Rendered],
        page_meta: &[BodyMeta],
        (build, same_order): (u64, bool),
        publish: &mut dyn FnMut(&Arc<Files>, &Changed),
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let theme = self.theme.as_ref().expect("the theme is loaded");
        let mut counter = Counter(self.versions);
        let mut prev = self.prev.take();
        let good = prev.as_ref().map_or(0, |p| p.build);
        // A body changed when its text or its Markdown did.
        let body_changed: Vec<bool> = ids
            .iter()
            .zip(post_meta)
            .map(|(id, m)| {
                prev.as_ref()
                    .and_then(|p| p.posts.get(id))
                    .is_none_or(|old| old.text_hash != m.text_hash || m.rendered_in > good)
            })
            .collect();
        let reparsed: Vec<bool> = ids
            .iter()
            .map(|id| sources.post_parsed_in(*id) > good)
            .collect();
        let terms_hashes: Vec<u64> = site
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let old = prev.as_ref().and_then(|prev| prev.posts.get(&ids[i]));
                match old {
                    Some(o) if !reparsed[i] => o.terms_hash,
                    _ => fx_hash_of(&(&p.authors, &p.tags, &p.categories)),
                }
            })
            .collect();
        // The indices (and the author values made from them) stand while the
        // posts are in the same order with the same authors and terms.
        let mut earlier = Earlier::default();
        if let Some(prev) = prev.as_mut()
            && same_order
            && ids
                .iter()
                .zip(&terms_hashes)
                .all(|(id, h)| prev.posts.get(id).is_some_and(|o| o.terms_hash == *h))
        {
            earlier.indices = prev.indices.take();
            earlier.author_values = prev.author_values.take();
        }
        let indices_reused = earlier.indices.is_some();

        // Post values, reused where nothing they are made of changed.
        let mut reused: Vec<bool> = Vec::new();
        let mut author_values: HashMap<String, Value> = HashMap::new();
        let mut term_values: [HashMap<String, Value>; 2] = Default::default();
        let prep = Prepared::reusing(site, theme, posts_md, pages_md, earlier, &mut |ing| {
            author_values = ing
                .authors
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            term_values = [ing.tags.clone(), ing.categories.clone()];
            let Some(prev) = prev.as_mut() else {
                return Vec::new();
            };
            let changed_authors: HashSet<&str> = ing
                .authors
                .iter()
                .filter(|(slug, v)| prev.authors.get(*slug).is_none_or(|(pv, _)| pv != *v))
                .map(|(slug, _)| slug.as_str())
                .collect();
            let changed_terms = |t: usize, values: &HashMap<String, Value>| -> HashSet<String> {
                values
                    .iter()
                    .filter(|(slug, v)| prev.terms[t].get(*slug).is_none_or(|(pv, _)| pv != *v))
                    .map(|(slug, _)| slug.clone())
                    .collect()
            };
            let changed_tags = changed_terms(0, ing.tags);
            let changed_cats = changed_terms(1, ing.categories);
            let out: Vec<Option<Value>> = site
                .posts
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    if body_changed[i]
                        || reparsed[i]
                        || p.authors
                            .iter()
                            .any(|a| changed_authors.contains(a.as_str()))
                        || (!changed_tags.is_empty()
                            && p.tags.iter().any(|t| changed_tags.contains(&slugify(t))))
                        || (!changed_cats.is_empty()
                            && p.categories
                                .iter()
                                .any(|c| changed_cats.contains(&slugify(c))))
                    {
                        return None;
                    }
                    prev.posts.get_mut(&ids[i]).and_then(|s| s.value.take())
                })
                .collect();
            reused = out.iter().map(Option::is_some).collect();
            out
        });
        reused.resize(site.posts.len(), false);
        // Every output path has one source, as in a full build. While the
        // indices stand (so do the assembly's posts, pages, files and
        // authors), only share kits and theme files can change the paths.
        let claims_key = claims_key(site, theme);
        if !(indices_reused && self.claims_checked == Some(claims_key)) {
            self.claims_checked = None;
            // (Warnings of paths that differ only in case are gen check's.)
            let clashes: Vec<Diagnostic> = render::claims::check(site, &prep.indices, Some(theme))
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            if !clashes.is_empty() {
                return Err(clashes);
            }
        }
        self.claims_checked = Some(claims_key);
        self.timer.mark("values");

        // Versions of everything pages are made of.
        let mut value_ver = Vec::with_capacity(ids.len());
        let mut body_ver = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let old = prev.as_ref().and_then(|p| p.posts.get(id));
            let v = match old {
                Some(o) if reused[i] => o.value_ver,
                Some(PrevPost {
                    value: Some(v),
                    value_ver,
                    ..
                }) if *v == prep.post_values[i] => *value_ver,
                _ => counter.next(),
            };
            value_ver.push(v);
            let b = match old {
                Some(o) if !body_changed[i] => o.body_ver,
                _ => counter.next(),
            };
            body_ver.push(b);
        }
        let mut page_ver = Vec::with_capacity(page_ids.len());
        for (j, id) in page_ids.iter().enumerate() {
            let m = &page_meta[j];
            page_ver.push(match prev.as_ref().and_then(|p| p.pages.get(id)) {
                Some((hash, v)) if *hash == m.text_hash && m.rendered_in <= good => *v,
                _ => counter.next(),
            });
        }
        let mut author_ver: HashMap<String, u64> = HashMap::new();
        for (slug, v) in &author_values {
            let old = prev.as_ref().and_then(|p| p.authors.get(slug));
            let ver = match old {
                Some((pv, ver)) if pv == v => *ver,
                _ => counter.next(),
            };
            author_ver.insert(slug.clone(), ver);
        }
        let mut term_ver: [HashMap<String, u64>; 2] = Default::default();
        for t in 0..2 {
            for (slug, v) in &term_values[t] {
                let old = prev.as_ref().and_then(|p| p.terms[t].get(slug));
                let ver = match old {
                    Some((pv, ver)) if pv == v => *ver,
                    _ => counter.next(),
                };
                term_ver[t].insert(slug.clone(), ver);
            }
        }
        let globals = fx_hash_of(&serde_json::to_string(&prep.globals()).unwrap_or_default());
        let term_slugs: [Vec<&str>; 2] = [0, 1].map(|t| {
            prep.indices
                .taxonomy(TAXONOMIES[t])
                .iter()
                .map(|term| term.slug.as_str())
                .collect()
        });
        let vers = Versions {
            globals,
            ids,
            value: &value_ver,
            body: &body_ver,
            page_ids,
            page: &page_ver,
            authors: &author_ver,
            term_slugs: &term_slugs,
            terms: &term_ver,
        };

        // Pages: keep those whose fingerprint is unchanged.
        self.timer.mark("versions");
        let jobs = prep.jobs();
        let share_version = prep.theme.share_version();
        self.timer.mark("jobs");
        let planned: Vec<(Key, u64)> = jobs
            .par_iter()
            .map(|job| {
                let key = job_key(job, ids, page_ids, &term_slugs);
                // A template change renders again only the pages whose
                // template, or a template that one uses, changed.
                let templates = (
                    job.template().and_then(|t| prep.theme.template_version(t)),
                    job.uses_share_kit().then_some(share_version),
                );
                let fp = fx_hash_of(&(vers.fingerprint(&key, &prep.job_inputs(job)), templates));
                (key, fp)
            })
            .collect();
        let no_outputs: Vec<Output> = Vec::new();
        let old_jobs = prev.as_ref().map_or(&no_outputs, |p| &p.jobs);
        let matched = Matched::new(old_jobs, &planned);
        self.timer.mark("plan");
        // Share kits whose inputs did not change are reused: a kit is counted
        // and fitted a dozen times, and a change to `base.html` renders the
        // kit's page again but leaves the kit as it was. The fingerprint of a
        // kit's JSON covers all the kit is made from.
        let kit_fps: Vec<(usize, u64)> = jobs
            .iter()
            .zip(&planned)
            .filter_map(|(job, (_, fp))| match job {
                Job::ShareJson(i) => Some((*i, *fp)),
                _ => None,
            })
            .collect();
        if let Some(p) = prev.as_ref() {
            for &(i, fp) in &kit_fps {
                if let Some((old_fp, kit)) = p.kits.get(&ids[i])
                    && *old_fp == fp
                {
                    prep.reuse_kit(i, kit.clone());
                }
            }
        }
        let rendered: Vec<Result<(String, String), Diagnostic>> = jobs
            .par_iter()
            .enumerate()
            .filter(|(i, _)| matched.kept(*i, &planned[*i].0, planned[*i].1).is_none())
            .map(|(_, job)| prep.render_job(job))
            .collect();
        self.timer.mark("render");

        // The new output: the last one with the changes made to it.
        let mut errors: Vec<Diagnostic> = Vec::new();
        // (From nothing after a full reset: the last output may hold files
        // that are gone.)
        let mut new_files = match prev {
            Some(_) => (*self.files).clone(),
            None => Files::default(),
        };
        let mut fresh: Vec<(Arc<str>, Arc<Content>)> = Vec::new();
        let mut removed: Vec<Arc<str>> = matched.gone(old_jobs);
        let mut outputs: Vec<Output> = Vec::with_capacity(planned.len());
        let mut rendered = rendered.into_iter();
        for (i, (key, fp)) in planned.iter().enumerate() {
            let path = match matched.kept(i, key, *fp) {
                Some(path) => path,
                None => match rendered.next() {
                    Some(Ok((path, html))) => {
                        let path: Arc<str> = Arc::from(path);
                        if let Some(old) = matched.old(i, key, old_jobs)
                            && old.2 != path
                        {
                            removed.push(old.2.clone());
                        }
                        fresh.push((path.clone(), Arc::new(Content::Text(html))));
                        path
                    }
                    Some(Err(d)) => {
                        errors.push(d);
                        continue;
                    }
                    None => continue,
                },
            };
            outputs.push((key.clone(), *fp, path));
        }
        let pages_rendered = fresh.len();
        self.timer.mark("pages");

        // Feeds.
        let feeds = prep.feed_jobs();
        let limit = site.config.feed_limit;
        let planned: Vec<(Key, u64)> = feeds
            .par_iter()
            .map(|f| {
                let key = match &f.of {
                    FeedOf::Site => Key::SiteFeed,
                    FeedOf::Author(slug) => Key::AuthorFeed(slug.clone()),
                    FeedOf::Term(t, i) => Key::TermFeed(*t, term_slugs[*t][*i].to_string()),
                };
                let mut h = FxHasher::default();
                (
                    globals,
                    &key,
                    &f.title,
                    &f.description,
                    &f.page_path,
                    &f.feed_path,
                )
                    .hash(&mut h);
                for &i in f.posts.iter().take(limit) {
                    (ids[i], value_ver[i], body_ver[i]).hash(&mut h);
                }
                (key, h.finish())
            })
            .collect();
        let old_feeds = prev.as_ref().map_or(&no_outputs, |p| &p.feeds);
        let matched = Matched::new(old_feeds, &planned);
        let xml: Vec<String> = feeds
            .par_iter()
            .enumerate()
            .filter(|(i, _)| matched.kept(*i, &planned[*i].0, planned[*i].1).is_none())
            .map(|(_, f)| prep.render_feed(f))
            .collect();
        removed.extend(matched.gone(old_feeds));
        let mut xml = xml.into_iter();
        let mut feed_outputs: Vec<Output> = Vec::with_capacity(planned.len());
        for (i, ((key, fp), f)) in planned.iter().zip(&feeds).enumerate() {
            let path = match matched.kept(i, key, *fp) {
                Some(path) => path,
                None => {
                    let path: Arc<str> = Arc::from(f.file.as_str());
                    let text = xml.next().unwrap_or_default();
                    fresh.push((path.clone(), Arc::new(Content::Text(text))));
                    path
                }
            };
            feed_outputs.push((key.clone(), *fp, path));
        }
        let feed_count = fresh.len() - pages_rendered;
        self.timer.mark("feeds");

        // The sitemap, robots.txt and the stylesheet are made again when the
        // sitemap's entries changed (the others follow the config).
        let extras_fp = fx_hash_of(&(prep.sitemap_entries(), prep.static_robots()));
        let extras: Vec<OutputFile> = match prev
            .as_ref()
            .and_then(|p| p.extras.as_ref())
            .filter(|(fp, _)| *fp == extras_fp)
        {
            Some((_, kept)) => kept.clone(),
            None => match prep.extras() {
                Ok(extras) => {
                    // A file made before and not now (robots.txt, when a
                    // static one came) goes.
                    if let Some((_, old)) = prev.as_ref().and_then(|p| p.extras.as_ref()) {
                        removed.extend(
                            old.iter()
                                .filter(|(o, _)| !extras.iter().any(|(n, _)| **o == **n))
                                .map(|(o, _)| o.clone()),
                        );
                    }
                    extras
                }
                .into_iter()
                .map(|(path, content)| {
                    let file = (Arc::<str>::from(path), Arc::new(content));
                    fresh.push(file.clone());
                    file
                })
                .collect(),
                Err(e) => {
                    errors.extend(e);
                    Vec::new()
                }
            },
        };
        if !errors.is_empty() {
            // Values may have been taken from the last build: start afresh next time.
            errors.sort_by(|a, b| a.message.cmp(&b.message));
            errors.dedup_by(|a, b| {
                a.path == b.path && a.message.split(':').next() == b.message.split(':').next()
            });
            return Err(errors);
        }
        for path in &removed {
            new_files.remove(path);
        }
        let fresh_paths: FxSet<&str> = fresh.iter().map(|(p, _)| p.as_ref()).collect();
        for (path, content) in &fresh {
            new_files.insert(path.clone(), content.clone());
        }

        // Copied files: what is not a page, without those that are one now.
        let no_copies = FxMap::default();
        let old_copies = prev.as_ref().map_or(&no_copies, |p| &p.copies);
        let copies: FxMap<Arc<str>, Source> = prep
            .copies(&|d| {
                fresh_paths.contains(d)
                    || (new_files.contains_key(d) && !old_copies.contains_key(d))
            })
            .into_iter()
            .map(|(dest, src)| (Arc::from(dest), src))
            .collect();
        let mut copied: Vec<&Arc<str>> = Vec::new();
        for dest in old_copies.keys() {
            if !copies.contains_key(dest) && !fresh_paths.contains(dest.as_ref()) {
                new_files.remove(dest);
                removed.push(dest.clone());
            }
        }
        let mut disk: HashMap<PathBuf, Vec<Arc<str>>> = HashMap::new();
        for (dest, src) in &copies {
            if let Source::Disk(p) = src {
                disk.entry(p.clone()).or_default().push(dest.clone());
            }
            if old_copies
                .get(dest)
                .is_none_or(|old| !same_source(old, src))
            {
                new_files.insert(dest.clone(), Arc::new(Content::Copy(src.clone())));
                copied.push(dest);
            }
        }
        new_files.settle();

        self.timer.mark("extras");
        // What changed, for the reload.
        let changed = if prev.is_none() {
            Changed::All
        } else {
            let mut set: BTreeSet<String> = BTreeSet::new();
            for (k, v) in &fresh {
                if self.files.get(k).is_none_or(|old| !same_content(old, v)) {
                    set.insert(k.to_string());
                }
            }
            for k in removed.iter().chain(copied) {
                let old = self.files.get(k);
                let new = new_files.get(k);
                let same = match (old, new) {
                    (Some(a), Some(b)) => same_content(a, b),
                    (None, None) => true,
                    _ => false,
                };
                if !same {
                    set.insert(k.to_string());
                }
            }
            for p in &changes.paths {
                if let Some(keys) = disk.get(&self.root.join(p)) {
                    set.extend(keys.iter().map(|k| k.to_string()));
                }
            }
            Changed::Paths(set)
        };
        let full = prev.is_none() || pages_rendered == jobs.len();

        self.timer.mark("compare");
        let new_files = Arc::new(new_files);
        publish(&new_files, &changed);
        self.timer.mark("publish");
        let mut prep = prep;
        let post_values = std::mem::take(&mut prep.post_values);
        let indices = std::mem::take(&mut prep.indices);
        let full_author_values = std::mem::take(&mut prep.author_values);
        let posts = ids
            .iter()
            .zip(post_values)
            .zip(value_ver.iter().zip(&body_ver))
            .zip(post_meta.iter().zip(&terms_hashes))
            .map(|(((id, v), (vv, bv)), (m, th))| {
                (
                    *id,
                    PrevPost {
                        text_hash: m.text_hash,
                        terms_hash: *th,
                        value: Some(v),
                        value_ver: *vv,
                        body_ver: *bv,
                    },
                )
            })
            .collect();
        let pages = page_ids
            .iter()
            .zip(page_meta)
            .zip(&page_ver)
            .map(|((id, m), v)| (*id, (m.text_hash, *v)))
            .collect();
        let authors = author_values
            .into_iter()
            .map(|(slug, v)| {
                let ver = author_ver[&slug];
                (slug, (v, ver))
            })
            .collect();
        let [tags, cats] = term_values;
        let with_ver = |values: HashMap<String, Value>, vers: &HashMap<String, u64>| {
            values
                .into_iter()
                .map(|(slug, v)| {
                    let ver = vers[&slug];
                    (slug, (v, ver))
                })
                .collect::<HashMap<_, _>>()
        };
        let terms = [with_ver(tags, &term_ver[0]), with_ver(cats, &term_ver[1])];
        let kits: IdMap<(u64, Arc<KitResult>)> = kit_fps
            .iter()
            .filter_map(|&(i, fp)| prep.made_kit(i).map(|kit| (ids[i], (fp, kit.clone()))))
            .collect();
        drop(prep);
        let outcome = Outcome {
            changed,
            rendered: pages_rendered + feed_count,
            bodies: 0,
            full,
            posts: site.posts.len(),
            pages: site.pages.len(),
            files: new_files.len(),
            warnings: Vec::new(),
            millis: 0,
            phases: Vec::new(),
        };
        self.versions = counter.0;
        self.timer.mark("state");
        self.files = new_files;
        self.prev = Some(Prev {
            build,
            posts,
            pages,
            authors,
            terms,
            jobs: outputs,
            feeds: feed_outputs,
            copies,
            disk,
            extras: Some((extras_fp, extras)),
            indices: Some(indices),
            author_values: Some(full_author_values),
            kits,
        });
        Ok(outcome)
    }
}

/// Hands out version numbers.
struct Counter(u64);

impl Counter {
    fn next(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

/// A page or feed of a build: its identity, fingerprint and output path.
type Output = (Key, u64, Arc<str>);

/// The pages (or feeds) of this build matched with those of the last one: by
/// position when both lists have the same identities in the same order (the
/// common case), else by identity.
struct Matched<'a> {
    same_order: bool,
    by_key: FxMap<&'a Key, usize>,
    old: &'a [Output],
    new_keys: FxSet<&'a Key>,
}

impl<'a> Matched<'a> {
    fn new(old: &'a [Output], new: &'a [(Key, u64)]) -> Matched<'a> {
        let same_order = old.len() == new.len() && old.iter().zip(new).all(|(o, n)| o.0 == n.0);
        let (by_key, new_keys) = if same_order {
            (FxMap::default(), FxSet::default())
        } else {
            (
                old.iter().enumerate().map(|(i, o)| (&o.0, i)).collect(),
                new.iter().map(|(k, _)| k).collect(),
            )
        };
        Matched {
            same_order,
            by_key,
            old,
            new_keys,
        }
    }

    /// The last build's page for the `i`th page of this one.
    fn old(&self, i: usize, key: &Key, old: &'a [Output]) -> Option<&'a Output> {
        if self.same_order {
            old.get(i)
        } else {
            self.by_key.get(key).map(|&j| &old[j])
        }
    }

    /// The output path to keep when the fingerprint is unchanged.
    fn kept(&self, i: usize, key: &Key, fp: u64) -> Option<Arc<str>> {
        self.old(i, key, self.old)
            .filter(|o| o.1 == fp)
            .map(|o| o.2.clone())
    }

    /// The paths of the last build's pages that are gone.
    fn gone(&self, old: &[Output]) -> Vec<Arc<str>> {
        if self.same_order {
            return Vec::new();
        }
        old.iter()
            .filter(|o| !self.new_keys.contains(&o.0))
            .map(|o| o.2.clone())
            .collect()
    }
}

fn same_source(a: &Source, b: &Source) -> bool {
    match (a, b) {
        (Source::Disk(x), Source::Disk(y)) => x == y,
        (Source::Embedded(x), Source::Embedded(y)) => std::ptr::eq(*x, *y) || x == y,
        _ => false,
    }
}

fn same_content(a: &Content, b: &Content) -> bool {
    match (a, b) {
        (Content::Text(x), Content::Text(y)) => x == y,
        (Content::Copy(Source::Disk(x)), Content::Copy(Source::Disk(y))) => x == y,
        (Content::Copy(Source::Embedded(x)), Content::Copy(Source::Embedded(y))) => x == y,
        _ => false,
    }
}

/// A page job by stable identity.
fn job_key(job: &Job, ids: &[u64], page_ids: &[u64], term_slugs: &[Vec<&str>; 2]) -> Key {
    match job {
        Job::Home(n) => Key::Home(*n),
        Job::Post(i) => Key::Post(ids[*i]),
        Job::Page(i) => Key::Page(page_ids[*i]),
        Job::Authors => Key::Authors,
        Job::Author(slug, n) => Key::Author(slug.clone(), *n),
        Job::Terms(t) => Key::Terms(*t),
        Job::Term(t, i, n) => Key::Term(*t, term_slugs[*t][*i].to_string(), *n),
        Job::NotFound => Key::NotFound,
        Job::Share(i) => Key::Share(ids[*i]),
        Job::ShareJson(i) => Key::ShareJson(ids[*i]),
    }
}

/// The versions of a build's inputs, by index.
struct Versions<'a> {
    globals: u64,
    ids: &'a [u64],
    value: &'a [u64],
    body: &'a [u64],
    page_ids: &'a [u64],
    page: &'a [u64],
    authors: &'a HashMap<String, u64>,
    term_slugs: &'a [Vec<&'a str>; 2],
    terms: &'a [HashMap<String, u64>; 2],
}

impl Versions<'_> {
    fn fingerprint(&self, key: &Key, inputs: &JobInputs) -> u64 {
        let mut h = FxHasher::default();
        (self.globals, key, inputs.listing_len).hash(&mut h);
        let post = |i: usize| (self.ids[i], self.value[i]);
        inputs.post_values.len().hash(&mut h);
        for &i in &inputs.post_values {
            post(i).hash(&mut h);
        }
        inputs.newer.map(post).hash(&mut h);
        inputs.older.map(post).hash(&mut h);
        inputs.post_bodies.len().hash(&mut h);
        for &i in &inputs.post_bodies {
            (self.ids[i], self.body[i]).hash(&mut h);
        }
        inputs.pages.len().hash(&mut h);
        for &j in &inputs.pages {
            (self.page_ids[j], self.page[j]).hash(&mut h);
        }
        inputs.authors.len().hash(&mut h);
        for a in &inputs.authors {
            (a, self.authors.get(*a)).hash(&mut h);
        }
        inputs.terms.len().hash(&mut h);
        for &(t, i) in &inputs.terms {
            let slug = self.term_slugs[t][i];
            (t, slug, self.terms[t].get(slug)).hash(&mut h);
        }
        h.finish()
    }
}

/// What a post's or page's body must be made from now.
struct Wanted<'a> {
    parsed_in: u64,
    text: &'a str,
    sanitize: bool,
    bundle: Option<&'a Path>,
    path: &'a str,
}

/// Whether a cached body is still what rendering the post or page now would
/// give.
fn still_valid(
    c: &CachedBody,
    want: &Wanted<'_>,
    revalidate: bool,
    resolve: &(dyn Fn(&str, bool) -> crate::markdown::Resolved + Sync),
) -> bool {
    let same_text = c.parsed_in == want.parsed_in || hash_of(want.text) == c.text_hash;
    same_text
        && c.sanitize == want.sanitize
        && c.bundle.as_deref() == want.bundle
        && c.path == want.path
        && (!revalidate
            || c.links
                .iter()
                .all(|l| resolve(&l.dest, l.image) == l.resolved))
}
