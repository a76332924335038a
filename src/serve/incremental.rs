//! Incremental rebuilds: after a change, re-render only what depends on it, and
//! produce exactly the output a full build of the same files would.
//!
//! A [`Builder`] keeps, between builds:
//! - the parsed files ([`Sources`]): only changed files (and the few that depend
//!   on them) are read and parsed again;
//! - each post's and page's rendered Markdown, with the number of the build that
//!   parsed its file and how each of its links resolved: a body is rendered again
//!   only when its file was parsed again with another text, its sanitizing or
//!   bundle changed, or (after posts were added, removed or moved, or files were
//!   added or removed) one of its links would now resolve differently;
//! - the last good build: every post's list value with two version numbers (one
//!   for the value, one for the body and front matter), the versions of author,
//!   term and page values, and for every page and feed a fingerprint of its inputs
//!   and the path it was written to; and the output itself.
//!
//! A post's list value is reused without being made again when its file was not
//! parsed again, its body was not rendered again, and the values of its authors
//! and terms are unchanged; a value that is made again and comes out equal keeps
//! its version. The inputs of each page come from
//! [`Prepared::job_inputs`](crate::render::Prepared::job_inputs) (posts listed,
//! neighbours, bodies, pages, authors, terms, listing size); its fingerprint hashes
//! the identities and versions of those inputs with the globals (config, `site`
//! value, templates). A page whose fingerprint is unchanged keeps its output; the
//! others are rendered again. Feeds are fingerprinted by their first
//! `feed_limit` posts. The sitemap, robots.txt and syntax stylesheet are made on
//! every build (they are cheap), and the list of copied files is made again.
//!
//! A config change starts from scratch; a template change renders every page
//! again (keeping the parsed files and Markdown). A failed build leaves the last
//! good output in place; when it failed after reusing values, the next build
//! renders every page again.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde_json::Value;

use super::ids::{FxMap, FxSet, IdMap, id_of};
use super::sources::Sources;
use crate::config::CONFIG_FILE;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Site;
use crate::load::paths::slugify;
use crate::markdown::Rendered;
use crate::render::{
    self, BodyRenderer, Content, FeedOf, Job, JobInputs, LinkUse, Prepared, Source, TAXONOMIES,
    Theme,
};

/// The output of a build: files by output path (relative, `/`-separated).
pub type Files = FxMap<Arc<str>, Arc<Content>>;

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

/// What a cached body was made from, while its [`Rendered`] is lent to a build.
struct BodyMeta {
    parsed_in: u64,
    text_hash: u64,
    sanitize: bool,
    bundle: Option<PathBuf>,
    path: String,
    links: Vec<LinkUse>,
    rendered_in: u64,
    /// Bodies with broken links are not kept.
    keep: bool,
}

impl CachedBody {
    fn split(self) -> (Rendered, BodyMeta) {
        (
            self.rendered,
            BodyMeta {
                parsed_in: self.parsed_in,
                text_hash: self.text_hash,
                sanitize: self.sanitize,
                bundle: self.bundle,
                path: self.path,
                links: self.links,
                rendered_in: self.rendered_in,
                keep: true,
            },
        )
    }

    fn join(rendered: Rendered, m: BodyMeta) -> CachedBody {
        CachedBody {
            parsed_in: m.parsed_in,
            text_hash: m.text_hash,
            sanitize: m.sanitize,
            bundle: m.bundle,
            path: m.path,
            links: m.links,
            rendered_in: m.rendered_in,
            rendered,
        }
    }
}

/// A post of the last good build.
struct PrevPost {
    text_hash: u64,
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
    /// Fingerprint and output path of each page and feed.
    outputs: FxMap<Key, (u64, Arc<str>)>,
    /// Output paths of files copied from disk, by source.
    disk: HashMap<PathBuf, Vec<Arc<str>>>,
    /// The sitemap, robots.txt and syntax stylesheet, with a hash of the sitemap's
    /// entries.
    extras: Option<(u64, Vec<OutputFile>)>,
}

/// Builds a site again and again, each time doing only what the changes need.
pub struct Builder {
    root: PathBuf,
    drafts: bool,
    base_url: String,
    build: u64,
    sources: Option<Sources>,
    theme: Option<Theme>,
    theme_gen: u64,
    walks: u64,
    /// Rendered Markdown by post or page id.
    bodies: IdMap<CachedBody>,
    link_env: u64,
    prev: Option<Prev>,
    files: Arc<Files>,
    versions: u64,
    timer: Timer,
}

fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
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
            theme_gen: 0,
            walks: 0,
            bodies: IdMap::default(),
            link_env: 0,
            prev: None,
            files: Arc::new(Files::default()),
            versions: 0,
            timer: Timer::new(),
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
        let config_changed =
            changes.all || self.sources.is_none() || changes.paths.contains(Path::new(CONFIG_FILE));
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
                Ok(t) => {
                    if self.theme.is_none() || templates_changed {
                        self.theme_gen += 1;
                    }
                    self.theme = Some(t);
                }
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
        let (site, diags) = sources.assemble();
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
        let result = self.render(site, &mut sources, changes, errors, build, publish);
        let result = match result {
            Ok(mut outcome) => {
                outcome.warnings = warnings;
                outcome.millis = start.elapsed().as_millis();
                outcome.phases = std::mem::take(&mut self.timer.phases);
                Ok(outcome)
            }
            Err(errors) => {
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
        build: u64,
        publish: &mut dyn FnMut(&Arc<Files>, &Changed),
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let ids: Vec<u64> = site.posts.iter().map(|p| id_of(&p.source)).collect();
        let page_ids: Vec<u64> = site.pages.iter().map(|p| id_of(&p.source)).collect();
        // Markdown.
        let env = {
            let mut h = DefaultHasher::new();
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
        let (posts_md, post_meta, pages_md, page_meta, bodies, md_errors) = {
            let renderer = BodyRenderer::new(&site);
            let cached: Vec<Option<CachedBody>> =
                ids.iter().map(|id| self.bodies.remove(id)).collect();
            let posts: Vec<(Rendered, BodyMeta, Vec<Diagnostic>, bool)> = cached
                .into_par_iter()
                .enumerate()
                .map(|(i, c)| {
                    let p = &site.posts[i];
                    let want = Wanted {
                        parsed_in: sources.post_parsed_in(ids[i]),
                        text: &p.text,
                        sanitize: renderer.sanitizes_post(i),
                        bundle: p.bundle.as_deref(),
                        path: &p.path,
                    };
                    body(
                        c,
                        &want,
                        build,
                        revalidate,
                        &|dest, image| renderer.resolve_post(i, dest, image),
                        &|| renderer.post(i),
                    )
                })
                .collect();
            let cached: Vec<Option<CachedBody>> =
                page_ids.iter().map(|id| self.bodies.remove(id)).collect();
            let pages: Vec<(Rendered, BodyMeta, Vec<Diagnostic>, bool)> = cached
                .into_par_iter()
                .enumerate()
                .map(|(i, c)| {
                    let p = &site.pages[i];
                    let want = Wanted {
                        parsed_in: sources.page_parsed_in(page_ids[i]),
                        text: &p.text,
                        sanitize: site.config.sanitize_staff_html,
                        bundle: None,
                        path: &p.path,
                    };
                    body(
                        c,
                        &want,
                        build,
                        revalidate,
                        &|dest, image| renderer.resolve_page(i, dest, image),
                        &|| renderer.page(i),
                    )
                })
                .collect();
            let mut md_errors = Vec::new();
            let mut bodies = 0;
            let mut split = |v: Vec<(Rendered, BodyMeta, Vec<Diagnostic>, bool)>| {
                let mut rs = Vec::with_capacity(v.len());
                let mut ms = Vec::with_capacity(v.len());
                for (r, m, d, fresh) in v {
                    md_errors.extend(d);
                    bodies += usize::from(fresh);
                    rs.push(r);
                    ms.push(m);
                }
                (rs, ms)
            };
            let (posts_md, post_meta) = split(posts);
            let (pages_md, page_meta) = split(pages);
            (posts_md, post_meta, pages_md, page_meta, bodies, md_errors)
        };
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
                build,
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
        for ((r, m), id) in posts_md.into_iter().zip(post_meta).zip(&ids) {
            if m.keep {
                self.bodies.insert(*id, CachedBody::join(r, m));
            }
        }
        for ((r, m), id) in pages_md.into_iter().zip(page_meta).zip(&page_ids) {
            if m.keep {
                self.bodies.insert(*id, CachedBody::join(r, m));
            }
        }
        sources.restore(site, &ids);
        self.timer.mark("keep");
        result
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
        build: u64,
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

        // Post values, reused where nothing they are made of changed.
        let mut reused: Vec<bool> = Vec::new();
        let mut author_values: HashMap<String, Value> = HashMap::new();
        let mut term_values: [HashMap<String, Value>; 2] = Default::default();
        let prep = Prepared::reusing(site, theme, posts_md, pages_md, &mut |ing| {
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
        let globals = hash_of(&(
            serde_json::to_string(&prep.globals()).unwrap_or_default(),
            self.theme_gen,
        ));
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
        let old_outputs = prev.as_ref().map(|p| &p.outputs);
        self.timer.mark("versions");
        let jobs = prep.jobs();
        self.timer.mark("jobs");
        let planned: Vec<(Key, u64, Option<Arc<str>>)> = jobs
            .par_iter()
            .map(|job| {
                let key = job_key(job, ids, page_ids, &term_slugs);
                let fp = vers.fingerprint(&key, &prep.job_inputs(job));
                let kept = kept(old_outputs, &self.files, &key, fp);
                (key, fp, kept)
            })
            .collect();
        self.timer.mark("plan");
        let rendered: Vec<Result<(String, String), Diagnostic>> = jobs
            .par_iter()
            .zip(planned.par_iter())
            .filter(|(_, (_, _, kept))| kept.is_none())
            .map(|(job, _)| prep.render_job(job))
            .collect();
        self.timer.mark("render");
        let mut errors: Vec<Diagnostic> = Vec::new();
        let mut new_files =
            Files::with_capacity_and_hasher(self.files.len().max(jobs.len()), Default::default());
        let mut outputs: FxMap<Key, (u64, Arc<str>)> =
            FxMap::with_capacity_and_hasher(planned.len(), Default::default());
        let mut fresh_paths: FxSet<Arc<str>> = FxSet::default();
        let mut rendered = rendered.into_iter();
        for (key, fp, kept) in planned {
            let path: Arc<str> = match kept {
                Some(path) => {
                    new_files.insert(path.clone(), self.files[&path].clone());
                    path
                }
                None => match rendered.next() {
                    Some(Ok((path, html))) => {
                        let path: Arc<str> = Arc::from(path);
                        new_files.insert(path.clone(), Arc::new(Content::Text(html)));
                        fresh_paths.insert(path.clone());
                        path
                    }
                    Some(Err(d)) => {
                        errors.push(d);
                        continue;
                    }
                    None => continue,
                },
            };
            outputs.insert(key, (fp, path));
        }

        self.timer.mark("pages");
        // Feeds.
        let feeds = prep.feed_jobs();
        let limit = site.config.feed_limit;
        let planned: Vec<(Key, u64, Option<Arc<str>>)> = feeds
            .par_iter()
            .map(|f| {
                let key = match &f.of {
                    FeedOf::Site => Key::SiteFeed,
                    FeedOf::Author(slug) => Key::AuthorFeed(slug.clone()),
                    FeedOf::Term(t, i) => Key::TermFeed(*t, term_slugs[*t][*i].to_string()),
                };
                let mut h = DefaultHasher::new();
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
                let fp = h.finish();
                let kept = kept(old_outputs, &self.files, &key, fp);
                (key, fp, kept)
            })
            .collect();
        let xml: Vec<String> = feeds
            .par_iter()
            .zip(planned.par_iter())
            .filter(|(_, (_, _, kept))| kept.is_none())
            .map(|(f, _)| prep.render_feed(f))
            .collect();
        let mut xml = xml.into_iter();
        let mut feed_count = 0;
        for ((key, fp, kept), f) in planned.into_iter().zip(&feeds) {
            let path: Arc<str> = match kept {
                Some(path) => {
                    new_files.insert(path.clone(), self.files[&path].clone());
                    path
                }
                None => {
                    let path: Arc<str> = Arc::from(f.file.as_str());
                    let text = xml.next().unwrap_or_default();
                    new_files.insert(path.clone(), Arc::new(Content::Text(text)));
                    fresh_paths.insert(path.clone());
                    feed_count += 1;
                    path
                }
            };
            outputs.insert(key, (fp, path));
        }
        let pages_rendered = fresh_paths.len() - feed_count;

        self.timer.mark("feeds");
        // The sitemap, robots.txt and the stylesheet are made again when the
        // sitemap's entries changed (the others follow the config).
        let extras_fp = hash_of(&prep.sitemap_entries());
        let extras: Vec<OutputFile> = match prev
            .as_ref()
            .and_then(|p| p.extras.as_ref())
            .filter(|(fp, _)| *fp == extras_fp)
        {
            Some((_, kept)) => kept.clone(),
            None => match prep.extras() {
                Ok(extras) => extras
                    .into_iter()
                    .map(|(path, content)| {
                        let path: Arc<str> = Arc::from(path);
                        fresh_paths.insert(path.clone());
                        (path, Arc::new(content))
                    })
                    .collect(),
                Err(e) => {
                    errors.extend(e);
                    Vec::new()
                }
            },
        };
        for (path, content) in &extras {
            new_files.insert(path.clone(), content.clone());
        }
        if !errors.is_empty() {
            // Values may have been taken from the last build: start afresh next time.
            errors.sort_by(|a, b| a.message.cmp(&b.message));
            errors.dedup_by(|a, b| {
                a.path == b.path && a.message.split(':').next() == b.message.split(':').next()
            });
            return Err(errors);
        }
        let mut disk: HashMap<PathBuf, Vec<Arc<str>>> = HashMap::new();
        let copies = prep.copies(&|d| new_files.contains_key(d));
        let mut copied: Vec<Arc<str>> = Vec::with_capacity(copies.len());
        for (dest, src) in copies {
            let dest: Arc<str> = Arc::from(dest);
            if let Source::Disk(p) = &src {
                disk.entry(p.clone()).or_default().push(dest.clone());
            }
            copied.push(dest.clone());
            new_files.insert(dest, Arc::new(Content::Copy(src)));
        }

        self.timer.mark("extras");
        // What changed, for the reload.
        let changed = if prev.is_none() {
            Changed::All
        } else {
            // Kept files are the same; the others are compared with the last
            // output. Files were removed when fewer than expected are left.
            let mut set: BTreeSet<String> = BTreeSet::new();
            let mut added = 0;
            for k in fresh_paths.iter().chain(&copied) {
                match self.files.get(k) {
                    None => {
                        added += 1;
                        set.insert(k.to_string());
                    }
                    Some(old) if !same_content(old, &new_files[k]) => {
                        set.insert(k.to_string());
                    }
                    Some(_) => {}
                }
            }
            if self.files.len() + added != new_files.len() {
                for k in self.files.keys() {
                    if !new_files.contains_key(k) {
                        set.insert(k.to_string());
                    }
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
        let posts = ids
            .iter()
            .zip(post_values)
            .zip(value_ver.iter().zip(&body_ver))
            .zip(post_meta)
            .map(|(((id, v), (vv, bv)), m)| {
                (
                    *id,
                    PrevPost {
                        text_hash: m.text_hash,
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
            outputs,
            disk,
            extras: Some((extras_fp, extras)),
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

/// The output path to keep for a page or feed whose fingerprint is unchanged.
fn kept(
    old: Option<&FxMap<Key, (u64, Arc<str>)>>,
    files: &Files,
    key: &Key,
    fp: u64,
) -> Option<Arc<str>> {
    old?.get(key)
        .filter(|(f, path)| *f == fp && files.contains_key(path))
        .map(|(_, path)| path.clone())
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
        let mut h = DefaultHasher::new();
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
            (a, self.authors.get(a)).hash(&mut h);
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

/// A body from the cache when it is still valid, else rendered now. The flag
/// says whether it was rendered.
fn body(
    cached: Option<CachedBody>,
    want: &Wanted<'_>,
    build: u64,
    revalidate: bool,
    resolve: &(dyn Fn(&str, bool) -> crate::markdown::Resolved + Sync),
    render: &(dyn Fn() -> render::Body + Sync),
) -> (Rendered, BodyMeta, Vec<Diagnostic>, bool) {
    let mut text_hash = None;
    if let Some(c) = cached {
        let same_text = c.parsed_in == want.parsed_in || {
            let h = hash_of(want.text);
            text_hash = Some(h);
            h == c.text_hash
        };
        let valid = same_text
            && c.sanitize == want.sanitize
            && c.bundle.as_deref() == want.bundle
            && c.path == want.path
            && (!revalidate
                || c.links
                    .iter()
                    .all(|l| resolve(&l.dest, l.image) == l.resolved));
        if valid {
            let (r, mut m) = c.split();
            m.parsed_in = want.parsed_in;
            return (r, m, Vec::new(), false);
        }
    }
    let b = render();
    let meta = BodyMeta {
        parsed_in: want.parsed_in,
        text_hash: text_hash.unwrap_or_else(|| hash_of(want.text)),
        sanitize: want.sanitize,
        bundle: want.bundle.map(Path::to_path_buf),
        path: want.path.to_string(),
        links: b.links,
        rendered_in: build,
        keep: b.diags.is_empty(),
    };
    (b.rendered, meta, b.diags, true)
}
