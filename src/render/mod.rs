//! Rendering: the second stage. Markdown bodies are rendered once per post (in
//! parallel), indices by author and term are built once, each post, author and term
//! is serialized once, and then every output page is an independent job rendered
//! in parallel into an in-memory [`Output`].

pub mod claims;
pub mod context;
pub mod feeds;
pub mod theme;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::diag::{Diagnostic, line_col};
use crate::load::paths::{check_real, join_inside, slugify};
use crate::load::{Post, Site};
use crate::markdown::sanitize::{self, Sanitizer};
use crate::markdown::{self, RenderOptions, Rendered, Resolved};
pub use theme::{Source, Theme};

/// One file of the built site.
#[derive(Debug, Clone)]
pub enum Content {
    Text(String),
    Copy(Source),
}

/// The whole built site, by output path (relative, `/`-separated; `index.html`
/// for folder URLs).
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, Content>,
}

/// A tag or a category, with its posts (newest first).
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub posts: Vec<usize>,
}

/// Posts by author and by term, built once per build.
#[derive(Debug, Default)]
pub struct Indices {
    pub by_author: BTreeMap<String, Vec<usize>>,
    pub tags: Vec<Term>,
    pub categories: Vec<Term>,
}

impl Indices {
    pub fn build(site: &Site) -> Indices {
        let mut idx = Indices::default();
        for slug in site.authors.keys() {
            idx.by_author.insert(slug.clone(), Vec::new());
        }
        let mut tags: BTreeMap<String, Term> = BTreeMap::new();
        let mut cats: BTreeMap<String, Term> = BTreeMap::new();
        // Few distinct names, used by many posts: slugify each once.
        let mut slugs: HashMap<&str, String> = HashMap::new();
        for (i, p) in site.posts.iter().enumerate() {
            for a in &p.authors {
                match idx.by_author.get_mut(a) {
                    Some(v) => v.push(i),
                    None => {
                        idx.by_author.insert(a.clone(), vec![i]);
                    }
                }
            }
            for (values, map) in [(&p.tags, &mut tags), (&p.categories, &mut cats)] {
                for name in values {
                    let slug = slugs.entry(name.as_str()).or_insert_with(|| slugify(name));
                    match map.get_mut(slug.as_str()) {
                        Some(term) => term.posts.push(i),
                        None => {
                            map.insert(
                                slug.clone(),
                                Term {
                                    name: name.clone(),
                                    slug: slug.clone(),
                                    posts: vec![i],
                                },
                            );
                        }
                    }
                }
            }
        }
        idx.tags = tags.into_values().collect();
        idx.categories = cats.into_values().collect();
        idx
    }

    pub fn taxonomy(&self, name: &str) -> &[Term] {
        if name == "tags" {
            &self.tags
        } else {
            &self.categories
        }
    }
}

/// The two taxonomies, by their URL names.
pub const TAXONOMIES: [&str; 2] = ["tags", "categories"];

/// Renders every post's and page's Markdown, resolving links against the site.
/// Unresolvable links are errors on their line.
pub fn render_markdown(site: &Site) -> Result<(Vec<Rendered>, Vec<Rendered>), Vec<Diagnostic>> {
    let renderer = BodyRenderer::new(site);
    let posts: Vec<Body> = (0..site.posts.len())
        .into_par_iter()
        .map(|i| renderer.post(i))
        .collect();
    let pages: Vec<Body> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| renderer.page(i))
        .collect();
    let mut diags = Vec::new();
    let mut split = |v: Vec<Body>| {
        v.into_iter()
            .map(|b| {
                diags.extend(b.diags);
                b.rendered
            })
            .collect::<Vec<_>>()
    };
    let posts = split(posts);
    let pages = split(pages);
    // Files whose front matter failed: their bodies are checked in the same run.
    for b in &site.unparsed_bodies {
        diags.extend(renderer.loose(b));
    }
    if diags.is_empty() {
        Ok((posts, pages))
    } else {
        // With the errors, the warnings of the same run (see `Rendered::warnings`).
        diags.extend(
            posts
                .iter()
                .chain(&pages)
                .flat_map(|r| r.warnings.iter().cloned()),
        );
        Err(diags)
    }
}

/// How one link or image destination of a body resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkUse {
    pub dest: String,
    pub image: bool,
    pub resolved: Resolved,
}

/// One rendered post or page body, with the links it resolved and its errors
/// (broken links).
pub struct Body {
    pub rendered: Rendered,
    pub links: Vec<LinkUse>,
    pub diags: Vec<Diagnostic>,
}

/// Renders the Markdown of single posts and pages of a site. [`render_markdown`]
/// renders them all; `gen serve` renders only the bodies that changed and checks,
/// with [`BodyRenderer::resolve_post`] and [`BodyRenderer::resolve_page`], that the
/// links of the others still resolve as they did.
pub struct BodyRenderer<'a> {
    site: &'a Site,
    opts: RenderOptions,
    sanitizer: Sanitizer,
    root_canonical: PathBuf,
    /// Permalinks by source file, made on first use (only `.md` links need it).
    sources: std::sync::OnceLock<HashMap<PathBuf, &'a str>>,
}

impl<'a> BodyRenderer<'a> {
    pub fn new(site: &'a Site) -> Self {
        let config = &site.config;
        BodyRenderer {
            site,
            opts: RenderOptions {
                highlight_code: config.highlight_code,
                smart_punctuation: config.smart_punctuation,
            },
            sanitizer: Sanitizer::new(&config.allowed_iframe_hosts),
            root_canonical: site
                .root
                .canonicalize()
                .unwrap_or_else(|_| site.root.clone()),
            sources: std::sync::OnceLock::new(),
        }
    }

    fn linker(&self) -> Linker<'_, 'a> {
        Linker {
            site: self.site,
            root_canonical: &self.root_canonical,
            sources: &self.sources,
        }
    }

    /// Whether post `i`'s raw HTML is sanitized.
    pub fn sanitizes_post(&self, i: usize) -> bool {
        let config = &self.site.config;
        if self.site.posts[i].guest {
            config.sanitize_guest_html
        } else {
            config.sanitize_staff_html
        }
    }

    /// Renders post `i`.
    pub fn post(&self, i: usize) -> Body {
        let p = &self.site.posts[i];
        self.body(
            &p.source,
            p.body(),
            p.body_line,
            p.bundle.as_deref().map(|b| (b, p.path.as_str())),
            self.sanitizes_post(i),
        )
    }

    /// Renders page `i`.
    pub fn page(&self, i: usize) -> Body {
        let p = &self.site.pages[i];
        self.body(
            &p.source,
            p.body(),
            p.body_line,
            None,
            self.site.config.sanitize_staff_html,
        )
    }

    /// The problems of the body of a file whose front matter failed (sanitized
    /// as a guest's: its authors are not known for sure).
    pub fn loose(&self, b: &crate::load::LooseBody) -> Vec<Diagnostic> {
        let bundle = b.bundle.as_deref().map(|d| (d, ""));
        self.body(&b.source, b.body(), b.body_line, bundle, true)
            .diags
    }

    /// How a destination in post `i` resolves now.
    pub fn resolve_post(&self, i: usize, dest: &str, image: bool) -> Resolved {
        let p = &self.site.posts[i];
        let base = p.source.parent().unwrap_or(Path::new(""));
        let bundle = p.bundle.as_deref().map(|b| (b, p.path.as_str()));
        self.linker().resolve(base, bundle, dest, image)
    }

    /// How a destination in page `i` resolves now.
    pub fn resolve_page(&self, i: usize, dest: &str, image: bool) -> Resolved {
        let base = self.site.pages[i].source.parent().unwrap_or(Path::new(""));
        self.linker().resolve(base, None, dest, image)
    }

    fn body(
        &self,
        source: &Path,
        body: &str,
        body_line: usize,
        bundle: Option<(&Path, &str)>,
        sanitize: bool,
    ) -> Body {
        let base = source.parent().unwrap_or(Path::new("")).to_path_buf();
        let linker = self.linker();
        let links = std::sync::Mutex::new(Vec::new());
        let resolve = |dest: &str, image: bool| {
            let resolved = linker.resolve(&base, bundle, dest, image);
            links
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(LinkUse {
                    dest: dest.to_string(),
                    image,
                    resolved: resolved.clone(),
                });
            resolved
        };
        let syntaxes = &self.site.config.syntaxes;
        let mut r = markdown::render_with_syntaxes(body, self.opts, syntaxes, &resolve);
        if sanitize {
            // When nothing needs removing (most posts), this spares parsing the
            // HTML and adds what the sanitizer would add.
            r.html = sanitize::guest_html(&self.sanitizer, &r.html, r.needs_sanitizer);
            r.summary = sanitize::guest_html(&self.sanitizer, &r.summary, r.needs_sanitizer);
        }
        if sanitize && r.needs_sanitizer {
            r.warnings = sanitize::removal_warnings(
                self.sanitizer.removals(body, self.opts),
                source,
                body,
                body_line,
            );
        }
        let unknown = &r.unknown_languages;
        let unknown = markdown::highlight::unknown_language_warnings(
            syntaxes, unknown, source, body, body_line,
        );
        r.warnings.extend(unknown);
        let diags: Vec<Diagnostic> = r
            .broken_links
            .iter()
            .map(|b| {
                let (line, col) = line_col(body, b.offset);
                let full_text_line = line + body_line - 1;
                let mut d = Diagnostic::error(b.message.clone()).in_file(source).kind(crate::diag::Kind::BrokenLink).hint(
                    "link to another post by its file (e.g. `2024-05-01-hello.md`), to a page by its URL (`/about/`), or to a picture beside the post or under static/",
                );
                d.line = Some(full_text_line);
                d.col = Some(col);
                d.source_line = body.lines().nth(line - 1).map(str::to_string);
                d
            })
            .collect();
        Body {
            rendered: r,
            links: links.into_inner().unwrap_or_else(|e| e.into_inner()),
            diags,
        }
    }
}

/// Resolves link and image destinations in content.
struct Linker<'a, 's> {
    site: &'s Site,
    root_canonical: &'a Path,
    sources: &'a std::sync::OnceLock<HashMap<PathBuf, &'s str>>,
}

impl Linker<'_, '_> {
    /// Where a file in another published post's folder is served (beside that
    /// post), so a post can show a picture that lives with another one. Only
    /// reached for files that are not under `static/`, `content/` pages or the
    /// post's own folder, so the scan over posts is rare.
    fn in_other_bundle(&self, target: &Path) -> Option<String> {
        self.site.posts.iter().find_map(|post| {
            let dir = post.bundle.as_deref()?;
            crate::load::served_path(target, Some((dir, post.path.as_str())))
        })
    }

    fn resolve(
        &self,
        base: &Path,
        bundle: Option<(&Path, &str)>,
        dest: &str,
        image: bool,
    ) -> Resolved {
        let config = &self.site.config;
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
            return Resolved::Keep;
        }
        if let Some(colon) = dest.find(':')
            && !dest[..colon].contains(['/', '?', '#'])
        {
            return Resolved::Keep;
        }
        let (path_part, suffix) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        if path_part.starts_with('/') {
            return Resolved::Url(format!("{}{}", config.url(path_part), suffix));
        }
        let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy();
        let target = match join_inside(base, &decoded) {
            Ok(t) => t,
            Err(e) => {
                return Resolved::Broken(format!("{} {e}", if image { "image" } else { "link" }));
            }
        };
        if crate::load::is_markdown(Path::new(path_part)) {
            if self.site.unparsed.contains(&target) {
                // That file's own errors are reported; the link is fine once they are fixed.
                return Resolved::Keep;
            }
            let sources = self.sources.get_or_init(|| {
                let site = self.site;
                site.posts
                    .iter()
                    .map(|p| (p.source.clone(), p.path.as_str()))
                    .chain(
                        site.pages
                            .iter()
                            .map(|p| (p.source.clone(), p.path.as_str())),
                    )
                    .collect()
            });
            return match sources.get(&target) {
                Some(p) => Resolved::Url(format!("{}{}", config.url(p), suffix)),
                None => {
                    // A file that exists is a draft or no post: no other file to suggest.
                    let near = (!self.site.root.join(&target).exists())
                        .then(|| {
                            crate::diag::did_you_mean_file(
                                &target,
                                sources.keys().map(PathBuf::as_path),
                            )
                        })
                        .flatten();
                    Resolved::Broken(match near {
                        Some(n) => format!(
                            "link to {} which is not a published post or page (did you mean {n}?)",
                            target.display()
                        ),
                        None => format!(
                            "link to {} which is not a published post or page",
                            target.display()
                        ),
                    })
                }
            };
        }
        match check_real(&self.site.root, self.root_canonical, &target) {
            Err(e) => Resolved::Broken(e),
            Ok(false) => Resolved::Broken(format!(
                "{} {dest} not found (looked for {})",
                if image { "image" } else { "link target" },
                target.display()
            )),
            Ok(true) => match crate::load::served_path(&target, bundle)
                .or_else(|| self.in_other_bundle(&target))
            {
                Some(p) => Resolved::Url(format!("{}{}", config.url(&p), suffix)),
                None => Resolved::Broken(format!(
                    "{} is not published: put files in static/ or beside the post in its folder",
                    target.display()
                )),
            },
        }
    }
}

/// Everything list and post pages share, computed once.
pub struct Prepared<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub posts_md: &'a [Rendered],
    pub pages_md: &'a [Rendered],
    pub indices: Indices,
    pub post_values: Vec<Value>,
    pub author_values: BTreeMap<String, Value>,
    base: tera::Context,
    /// Share kits, made on first use (the page and its JSON share one).
    /// (Shared, so that `gen serve` keeps them from one build to the next
    /// without copying.)
    kits: Vec<std::sync::OnceLock<std::sync::Arc<KitResult>>>,
}

/// The share kit path of a post, when it has one.
pub fn share_path(site: &Site, post: &Post) -> Option<String> {
    crate::share::kit::has_kit(site, post).then(|| format!("/share/{}/", post.slug))
}

/// A post's share kit and its warnings, or why it could not be made.
pub type KitResult = Result<(crate::share::kit::Kit, Vec<Diagnostic>), Diagnostic>;

/// Parts of an earlier build's [`Prepared`] that are still valid, for
/// [`Prepared::reusing`]; the caller vouches for them.
#[derive(Default)]
pub struct Earlier {
    /// Valid while the posts, their order, and each post's authors, tags and
    /// categories are unchanged (and so are the site's authors).
    pub indices: Option<Indices>,
    /// Valid while the indices, the author profiles and the config are unchanged.
    pub author_values: Option<BTreeMap<String, Value>>,
}

/// What post list values are made of besides the post itself: the values of
/// authors and terms (by slug). [`Prepared::reusing`] shows them to its caller.
pub struct Ingredients<'v> {
    pub authors: &'v BTreeMap<String, Value>,
    pub tags: &'v HashMap<String, Value>,
    pub categories: &'v HashMap<String, Value>,
}

impl<'a> Prepared<'a> {
    pub fn new(
        site: &'a Site,
        theme: &'a Theme,
        posts_md: &'a [Rendered],
        pages_md: &'a [Rendered],
    ) -> Self {
        Self::reusing(
            site,
            theme,
            posts_md,
            pages_md,
            Earlier::default(),
            &mut |_| Vec::new(),
        )
    }

    /// Like [`Prepared::new`], but takes what `earlier` still holds from an
    /// earlier build, and the list values of posts from `reuse` where it has
    /// them (by post index; `None` or a short list: made here). `gen serve`
    /// passes the values of posts that did not change, which it tells from the
    /// ingredients.
    pub fn reusing(
        site: &'a Site,
        theme: &'a Theme,
        posts_md: &'a [Rendered],
        pages_md: &'a [Rendered],
        earlier: Earlier,
        reuse: &mut dyn FnMut(&Ingredients<'_>) -> Vec<Option<Value>>,
    ) -> Self {
        let config = &site.config;
        let indices = earlier.indices.unwrap_or_else(|| Indices::build(site));
        let sanitizer = Sanitizer::new(&[]);
        let author_values: BTreeMap<String, Value> = match earlier.author_values {
            Some(values) => values,
            None => site
                .authors
                .par_iter()
                .map(|(slug, a)| {
                    let bio = markdown::render(
                        &a.bio,
                        RenderOptions {
                            highlight_code: false,
                            smart_punctuation: config.smart_punctuation,
                        },
                        &|_: &str, _: bool| Resolved::Keep,
                    );
                    let bio_html = sanitizer.clean(&bio.html);
                    let count = indices.by_author.get(slug).map_or(0, Vec::len);
                    (
                        slug.clone(),
                        context::author_value(config, a, &bio_html, count),
                    )
                })
                .collect(),
        };
        let term_values = |tax: &str| -> HashMap<String, Value> {
            indices
                .taxonomy(tax)
                .iter()
                .map(|t| {
                    (
                        t.slug.clone(),
                        context::term_value(config, tax, &t.name, &t.slug, t.posts.len()),
                    )
                })
                .collect()
        };
        let tag_values = term_values("tags");
        let cat_values = term_values("categories");
        let mut reused = reuse(&Ingredients {
            authors: &author_values,
            tags: &tag_values,
            categories: &cat_values,
        });
        reused.resize_with(site.posts.len(), || None);
        let post_values: Vec<Value> = site
            .posts
            .par_iter()
            .zip(posts_md.par_iter())
            .zip(reused.into_par_iter())
            .map(|((p, r), old)| {
                if let Some(v) = old {
                    return v;
                }
                let terms = |names: &[String], values: &HashMap<String, Value>| -> Vec<Value> {
                    names
                        .iter()
                        .filter_map(|n| values.get(&slugify(n)).cloned())
                        .collect()
                };
                context::post_value(
                    config,
                    context::PostParts {
                        post: p,
                        rendered: r,
                        // Lists show bylines: the full profiles go on post pages only.
                        authors: p
                            .authors
                            .iter()
                            .filter_map(|a| author_values.get(a).map(context::author_summary))
                            .collect(),
                        tags: terms(&p.tags, &tag_values),
                        categories: terms(&p.categories, &cat_values),
                        share_path: share_path(site, p),
                    },
                )
            })
            .collect();
        let mut base = tera::Context::new();
        base.insert("config", &config_value(config));
        let build_year = site.posts.first().map(|p| p.date.format("%Y").to_string());
        base.insert(
            "site",
            &json!({
                "feed_url": config.url("/rss.xml"),
                "authors_url": config.url("/authors/"),
                "tags_url": config.url("/tags/"),
                "categories_url": config.url("/categories/"),
                "sitemap_url": config.url("/sitemap.xml"),
                "syntax_css_url": config.url("/syntax.css"),
                "build_year": build_year,
                "has_tags": !indices.tags.is_empty(),
                "has_categories": !indices.categories.is_empty(),
            }),
        );
        let kits = (0..site.posts.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Prepared {
            site,
            theme,
            posts_md,
            pages_md,
            indices,
            post_values,
            author_values,
            base,
            kits,
        }
    }

    /// The globals every page sees (`config`, `site`), as JSON.
    pub fn globals(&self) -> Value {
        self.base.clone().into_json()
    }

    /// A fresh context for a page at `path`, with the globals filled in.
    fn context(&self, path: &str, meta: &context::Meta) -> tera::Context {
        let mut ctx = self.base.clone();
        ctx.insert("current_path", path);
        ctx.insert("current_url", &self.site.config.url(path));
        insert_owned(&mut ctx, "meta", meta.to_value(&self.site.config));
        ctx
    }

    /// The warnings of the share kits made so far, in post order.
    pub fn kit_warnings(&self) -> Vec<Diagnostic> {
        self.kits
            .iter()
            .filter_map(|k| k.get())
            .filter_map(|k| k.as_ref().as_ref().ok())
            .flat_map(|(_, w)| w.iter().cloned())
            .collect()
    }

    /// Gives post `i` a share kit made by an earlier build, which a caller
    /// knows to be what [`Prepared::kit`] would make now.
    pub fn reuse_kit(&self, i: usize, kit: std::sync::Arc<KitResult>) {
        let _ = self.kits[i].set(kit);
    }

    /// Post `i`'s share kit, if it was made (or reused) in this build.
    pub fn made_kit(&self, i: usize) -> Option<&std::sync::Arc<KitResult>> {
        self.kits[i].get()
    }

    /// The share kit of post `i` (made once, shared by its page and its JSON).
    pub fn kit(&self, i: usize) -> &KitResult {
        self.kits[i].get_or_init(|| {
            std::sync::Arc::new(crate::share::kit::build(
                self.site,
                &self.theme.tera,
                &self.post_values[i],
                i,
            ))
        })
    }

    /// The list values of posts `idx`, as one array: cloned, which is cheaper
    /// than the serialization `Context::insert` would do.
    fn posts_of(&self, idx: &[usize]) -> Value {
        Value::Array(idx.iter().map(|&i| self.post_values[i].clone()).collect())
    }

    /// The list value of post `i`, or null for none.
    fn post_value(&self, i: Option<usize>) -> Value {
        i.and_then(|i| self.post_values.get(i))
            .cloned()
            .unwrap_or(Value::Null)
    }
}

fn config_value(c: &crate::config::Config) -> Value {
    json!({
        "title": c.title,
        "base_url": c.base_url,
        "description": c.description,
        "language": c.language,
        "paginate_by": c.paginate_by,
        "feed_limit": c.feed_limit,
        "social": c.social,
        "extra": c.extra,
    })
}

/// One output page to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// Page N (1-based) of the home listing.
    Home(usize),
    Post(usize),
    Page(usize),
    Authors,
    /// Author slug, page N.
    Author(String, usize),
    /// Taxonomy index into [`TAXONOMIES`].
    Terms(usize),
    /// Taxonomy, term index, page N.
    Term(usize, usize, usize),
    NotFound,
    /// The share kit page of post N.
    Share(usize),
    /// The share kit of post N as JSON.
    ShareJson(usize),
}

impl Job {
    /// The template a page job renders with; `None` for the share kit's JSON,
    /// which no template makes.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            Job::Home(_) => "index.html",
            Job::Post(_) => "post.html",
            Job::Page(_) => "page.html",
            Job::Authors => "authors.html",
            Job::Author(..) => "author.html",
            Job::Terms(_) => "terms.html",
            Job::Term(..) => "term.html",
            Job::NotFound => "404.html",
            Job::Share(_) => "share.html",
            Job::ShareJson(_) => return None,
        })
    }

    /// Whether the job shows a share kit, which the `share/…` templates make.
    pub fn uses_share_kit(&self) -> bool {
        matches!(self, Job::Share(_) | Job::ShareJson(_))
    }
}

/// What one job reads besides the globals; see [`Prepared::job_inputs`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JobInputs<'p> {
    /// Posts whose list values the page shows, in order.
    pub post_values: Vec<usize>,
    /// The neighbours of a post page.
    pub newer: Option<usize>,
    pub older: Option<usize>,
    /// Posts whose body, front matter or share kit the page shows.
    pub post_bodies: Vec<usize>,
    /// Pages whose content it shows.
    pub pages: Vec<usize>,
    /// Authors (by slug) whose values or profiles it shows.
    pub authors: Vec<&'p str>,
    /// Terms (taxonomy index into [`TAXONOMIES`], term index) it shows.
    pub terms: Vec<(usize, usize)>,
    /// The number of posts of a paginated listing.
    pub listing_len: usize,
}

fn page_count(n: usize, per: usize) -> usize {
    n.div_ceil(per).max(1)
}

/// Adds an owned value to a context without serializing it again (which
/// `Context::insert` does: a deep copy of every post body otherwise).
fn insert_owned(ctx: &mut tera::Context, key: &str, value: Value) {
    let mut map = serde_json::Map::new();
    map.insert(key.to_string(), value);
    if let Ok(owned) = tera::Context::from_value(Value::Object(map)) {
        ctx.extend(owned);
    }
}

/// The page numbers a paginator links to: the first, the last, and two on each
/// side of the current one, with `None` for each gap. Bounded, so a listing of
/// thousands of pages stays linear to render.
pub fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut last = 0;
    for k in 1..=total {
        let near = k + 2 >= current && k <= current + 2;
        if k == 1 || k == total || near {
            if k > last + 1 {
                out.push(None);
            }
            out.push(Some(k));
            last = k;
        }
    }
    out
}

/// The path of page `n` of a listing at `base` (`/tags/x/` → `/tags/x/page/2/`).
pub fn paged_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Output file of a folder URL.
pub fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// Every page job of a site whose posts by author and term are `indices`.
pub fn site_jobs(site: &Site, indices: &Indices) -> Vec<Job> {
    let per = site.config.paginate_by;
    let mut jobs: Vec<Job> = (1..=page_count(site.posts.len(), per))
        .map(Job::Home)
        .collect();
    jobs.extend((0..site.posts.len()).map(Job::Post));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.push(Job::Authors);
    for (slug, posts) in &indices.by_author {
        jobs.extend((1..=page_count(posts.len(), per)).map(|n| Job::Author(slug.clone(), n)));
    }
    for (t, tax) in TAXONOMIES.iter().enumerate() {
        jobs.push(Job::Terms(t));
        for (i, term) in indices.taxonomy(tax).iter().enumerate() {
            jobs.extend((1..=page_count(term.posts.len(), per)).map(|n| Job::Term(t, i, n)));
        }
    }
    jobs.push(Job::NotFound);
    for (i, p) in site.posts.iter().enumerate() {
        if crate::share::kit::has_kit(site, p) {
            jobs.push(Job::Share(i));
            jobs.push(Job::ShareJson(i));
        }
    }
    jobs
}

/// The URL path of a job's page (`/tags/x/page/2/`; the share kit's JSON:
/// `/share/<slug>/snippets.json`). Its output file is [`file_of`] that path.
pub fn job_path(site: &Site, indices: &Indices, job: &Job) -> String {
    match job {
        Job::Home(n) => paged_path("/", *n),
        Job::Post(i) => site.posts[*i].path.clone(),
        Job::Page(i) => site.pages[*i].path.clone(),
        Job::Authors => "/authors/".into(),
        Job::Author(slug, n) => paged_path(&format!("/authors/{slug}/"), *n),
        Job::Terms(t) => format!("/{}/", TAXONOMIES[*t]),
        Job::Term(t, i, n) => paged_path(
            &format!(
                "/{}/{}/",
                TAXONOMIES[*t],
                indices.taxonomy(TAXONOMIES[*t])[*i].slug
            ),
            *n,
        ),
        Job::NotFound => "/404.html".into(),
        Job::Share(i) => format!("/share/{}/", site.posts[*i].slug),
        Job::ShareJson(i) => format!("/share/{}/snippets.json", site.posts[*i].slug),
    }
}

impl Prepared<'_> {
    /// Every page job of the site.
    pub fn jobs(&self) -> Vec<Job> {
        site_jobs(self.site, &self.indices)
    }

    fn paginator(
        &self,
        base: &str,
        n: usize,
        total_posts: usize,
    ) -> (Value, std::ops::Range<usize>) {
        let per = self.site.config.paginate_by;
        let total = page_count(total_posts, per);
        let url = |k: usize| self.site.config.url(&paged_path(base, k));
        let pages: Vec<Value> = page_window(n, total)
            .into_iter()
            .map(|k| match k {
                Some(k) => json!({"number": k, "url": url(k), "current": k == n, "gap": false}),
                None => json!({"number": null, "url": null, "current": false, "gap": true}),
            })
            .collect();
        let value = json!({
            "current": n,
            "total_pages": total,
            "total_posts": total_posts,
            "first": url(1),
            "last": url(total),
            "previous": (n > 1).then(|| url(n - 1)),
            "next": (n < total).then(|| url(n + 1)),
            "pages": pages,
        });
        let start = ((n - 1) * per).min(total_posts);
        (value, start..(start + per).min(total_posts))
    }

    /// The newest three other posts by the authors of post `i`.
    fn more_from_authors(&self, i: usize) -> Vec<usize> {
        let mut more: Vec<usize> = Vec::new();
        for a in &self.site.posts[i].authors {
            // Each author's list is newest first: four are enough for three others.
            for &k in self
                .indices
                .by_author
                .get(a)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .take(4)
            {
                if k != i && !more.contains(&k) {
                    more.push(k);
                }
            }
        }
        more.sort_unstable();
        more.truncate(3);
        more
    }

    /// What `job` reads besides the globals every page sees (config, theme, the
    /// `site` value). `gen serve` re-renders a job only when one of these changed,
    /// so this must name everything [`Prepared::render_job`] uses for the job.
    pub fn job_inputs<'p>(&'p self, job: &'p Job) -> JobInputs<'p> {
        let site = self.site;
        let per = site.config.paginate_by;
        let range = |n: usize, len: usize| {
            let start = ((n - 1) * per).min(len);
            start..(start + per).min(len)
        };
        let mut inputs = JobInputs::default();
        match job {
            Job::Home(n) => {
                let len = site.posts.len();
                inputs.post_values = range(*n, len).collect();
                inputs.listing_len = len;
            }
            Job::Post(i) => {
                inputs.post_values.push(*i);
                inputs.post_values.extend(self.more_from_authors(*i));
                inputs.newer = i.checked_sub(1);
                inputs.older = (i + 1 < site.posts.len()).then_some(i + 1);
                inputs.post_bodies.push(*i);
                inputs.authors = site.posts[*i].authors.iter().map(String::as_str).collect();
            }
            Job::Share(i) | Job::ShareJson(i) => {
                inputs.post_values.push(*i);
                inputs.post_bodies.push(*i);
                inputs.authors = site.posts[*i].authors.iter().map(String::as_str).collect();
            }
            Job::Page(i) => inputs.pages.push(*i),
            Job::Authors => {
                inputs.authors = self.author_values.keys().map(String::as_str).collect()
            }
            Job::Author(slug, n) => {
                let posts = &self.indices.by_author[slug];
                inputs.post_values = posts[range(*n, posts.len())].to_vec();
                inputs.listing_len = posts.len();
                inputs.authors.push(slug);
            }
            Job::Terms(t) => {
                let count = self.indices.taxonomy(TAXONOMIES[*t]).len();
                inputs.terms = (0..count).map(|i| (*t, i)).collect();
            }
            Job::Term(t, i, n) => {
                let posts = &self.indices.taxonomy(TAXONOMIES[*t])[*i].posts;
                inputs.post_values = posts[range(*n, posts.len())].to_vec();
                inputs.listing_len = posts.len();
                inputs.terms.push((*t, *i));
            }
            Job::NotFound => {}
        }
        inputs
    }

    /// Renders one job: its output path and HTML.
    pub fn render_job(&self, job: &Job) -> Result<(String, String), Diagnostic> {
        let site = self.site;
        let config = &site.config;
        let (path, ctx) = match job {
            Job::Home(n) => {
                let path = paged_path("/", *n);
                let (pag, range) = self.paginator("/", *n, site.posts.len());
                let shown: Vec<usize> = range.collect();
                let meta = context::Meta {
                    title: config.title.clone(),
                    description: config.description.clone(),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "posts", self.posts_of(&shown));
                insert_owned(&mut ctx, "paginator", pag);
                (path, ctx)
            }
            Job::Post(i) => {
                let post = &site.posts[*i];
                let r = &self.posts_md[*i];
                let authors: Vec<&crate::load::Author> = post
                    .authors
                    .iter()
                    .filter_map(|a| site.authors.get(a))
                    .collect();
                let desc = self.post_values[*i]["description"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                let meta = context::post_meta(config, post, &authors, &desc);
                let mut ctx = self.context(&post.path, &meta);
                let mut value = self.post_values[*i].clone();
                if let Value::Object(m) = &mut value {
                    let full: Vec<Value> = post
                        .authors
                        .iter()
                        .filter_map(|a| self.author_values.get(a).cloned())
                        .collect();
                    m.insert("authors".into(), Value::Array(full));
                    m.insert("content".into(), Value::String(r.html.clone()));
                    m.insert(
                        "toc".into(),
                        serde_json::to_value(&r.toc).unwrap_or(Value::Null),
                    );
                }
                insert_owned(&mut ctx, "post", value);
                insert_owned(&mut ctx, "newer", self.post_value(i.checked_sub(1)));
                insert_owned(&mut ctx, "older", self.post_value(Some(i + 1)));
                insert_owned(
                    &mut ctx,
                    "more_from_authors",
                    self.posts_of(&self.more_from_authors(*i)),
                );
                (post.path.clone(), ctx)
            }
            Job::Page(i) => {
                let page = &site.pages[*i];
                let r = &self.pages_md[*i];
                let meta = context::Meta {
                    title: page.title.clone(),
                    description: page
                        .description
                        .clone()
                        .unwrap_or_else(|| r.summary_text.clone()),
                    path: page.path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&page.path, &meta);
                ctx.insert(
                    "page",
                    &json!({
                        "title": page.title,
                        "path": page.path,
                        "url": config.url(&page.path),
                        "description": page.description,
                        "content": r.html,
                        "toc": r.toc,
                        "word_count": r.word_count,
                        "reading_time": r.reading_time(),
                    }),
                );
                (page.path.clone(), ctx)
            }
            Job::Authors => {
                let path = "/authors/".to_string();
                let meta = context::Meta {
                    title: "Authors".into(),
                    description: format!("Everyone who writes for {}", config.title),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                let mut authors: Vec<&Value> = self.author_values.values().collect();
                authors.sort_by(|a, b| {
                    let key = |v: &Value| {
                        (
                            v["guest"].as_bool(),
                            v["name"].as_str().map(str::to_lowercase),
                        )
                    };
                    key(a).cmp(&key(b))
                });
                ctx.insert("authors", &authors);
                (path, ctx)
            }
            Job::Author(slug, n) => {
                let author = &site.authors[slug];
                let base = author.path();
                let path = paged_path(&base, *n);
                let posts = &self.indices.by_author[slug];
                let (pag, range) = self.paginator(&base, *n, posts.len());
                let value = &self.author_values[slug];
                let meta = context::Meta {
                    title: author.name.clone(),
                    description: format!("Posts by {} on {}", author.name, config.title),
                    path: path.clone(),
                    image: value["avatar"]
                        .as_str()
                        .map(|u| (u.to_string(), format!("Portrait of {}", author.name))),
                    feed: Some((
                        config.url(&format!("{base}rss.xml")),
                        format!("{} — {}", author.name, config.title),
                    )),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "author", value.clone());
                insert_owned(&mut ctx, "posts", self.posts_of(&posts[range]));
                insert_owned(&mut ctx, "paginator", pag);
                (path, ctx)
            }
            Job::Terms(t) => {
                let tax = TAXONOMIES[*t];
                let tv = context::taxonomy_value(config, tax);
                let path = format!("/{tax}/");
                let meta = context::Meta {
                    title: tv["title"].as_str().unwrap_or(tax).to_string(),
                    description: format!("All {tax} on {}", config.title),
                    path: path.clone(),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                let terms: Vec<Value> = self
                    .indices
                    .taxonomy(tax)
                    .iter()
                    .map(|term| {
                        context::term_value(config, tax, &term.name, &term.slug, term.posts.len())
                    })
                    .collect();
                insert_owned(&mut ctx, "taxonomy", tv);
                ctx.insert("terms", &terms);
                (path, ctx)
            }
            Job::Term(t, i, n) => {
                let tax = TAXONOMIES[*t];
                let term = &self.indices.taxonomy(tax)[*i];
                let tv = context::taxonomy_value(config, tax);
                let base = format!("/{tax}/{}/", term.slug);
                let path = paged_path(&base, *n);
                let (pag, range) = self.paginator(&base, *n, term.posts.len());
                let singular = if tax == "tags" { "tagged" } else { "in" };
                let meta = context::Meta {
                    title: format!("Posts {singular} “{}”", term.name),
                    description: format!("Posts {singular} “{}” on {}", term.name, config.title),
                    path: path.clone(),
                    feed: Some((
                        config.url(&format!("{base}rss.xml")),
                        format!("{} — {}", term.name, config.title),
                    )),
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "taxonomy", tv);
                insert_owned(
                    &mut ctx,
                    "term",
                    context::term_value(config, tax, &term.name, &term.slug, term.posts.len()),
                );
                insert_owned(&mut ctx, "posts", self.posts_of(&term.posts[range]));
                insert_owned(&mut ctx, "paginator", pag);
                (path, ctx)
            }
            Job::Share(i) => {
                let post = &site.posts[*i];
                let path = format!("/share/{}/", post.slug);
                let (kit, _) = self.kit(*i).as_ref().map_err(Clone::clone)?;
                let meta = context::Meta {
                    title: format!("Share: {}", post.title),
                    description: format!("Ready-made posts announcing “{}”", post.title),
                    path: path.clone(),
                    noindex: true,
                    ..Default::default()
                };
                let mut ctx = self.context(&path, &meta);
                insert_owned(&mut ctx, "post", self.post_values[*i].clone());
                ctx.insert("kit", kit);
                (path, ctx)
            }
            Job::ShareJson(i) => {
                let post = &site.posts[*i];
                let (kit, _) = self.kit(*i).as_ref().map_err(Clone::clone)?;
                let json = serde_json::to_string_pretty(kit).unwrap_or_default() + "\n";
                return Ok((format!("share/{}/snippets.json", post.slug), json));
            }
            Job::NotFound => {
                let meta = context::Meta {
                    title: "Page not found".into(),
                    description: config.description.clone(),
                    path: "/404.html".into(),
                    noindex: true,
                    ..Default::default()
                };
                let ctx = self.context("/404.html", &meta);
                ("/404.html".to_string(), ctx)
            }
        };
        // Every job that gets here has a template (the JSON returned above).
        let template = job.template().unwrap_or("404.html");
        let html = self.theme.tera.render(template, &ctx).map_err(|e| {
            Diagnostic::error(format!(
                "cannot render {path}: {}",
                theme::error_chain(&e)
            ))
            .in_file(format!("templates/{template}"))
            .hint("check the variable names against docs/templates.md; use `| default(value=…)` for optional values")
        })?;
        Ok((file_of(&path), html))
    }
}

/// Where rendered files go: memory (`gen serve`, `gen check`) or a staging folder
/// (`gen build`, which so never holds the whole site in memory).
pub trait Sink: Sync {
    /// Stores one output file at `path` (relative, `/`-separated).
    fn put(&self, path: &str, content: Content) -> std::io::Result<()>;
}

impl Sink for std::sync::Mutex<Output> {
    fn put(&self, path: &str, content: Content) -> std::io::Result<()> {
        self.lock()
            .unwrap_or_else(|e| e.into_inner())
            .files
            .insert(path.to_string(), content);
        Ok(())
    }
}

fn sink_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {path}: {e}"))
        .hint("check that the output folder is writable and the disk has space")
}

/// Renders the whole site into memory, with the warnings rendering found.
pub fn render_site(
    site: &Site,
    theme: &Theme,
) -> Result<(Output, Vec<Diagnostic>), Vec<Diagnostic>> {
    let sink = std::sync::Mutex::new(Output::default());
    let (_, warnings) = render_into(site, theme, &sink)?;
    Ok((
        sink.into_inner().unwrap_or_else(|e| e.into_inner()),
        warnings,
    ))
}

/// Renders the whole site into `sink`, page by page, in parallel. Returns the
/// number of files written and the warnings rendering found (share snippets
/// that cannot fit their platform).
pub fn render_into(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<(usize, Vec<Diagnostic>), Vec<Diagnostic>> {
    // Every output path has one source: clashes are reported with the
    // errors of the Markdown, before anything is written.
    let indices = Indices::build(site);
    let (clashes, case_warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        claims::check(site, &indices, Some(theme))
            .into_iter()
            .partition(Diagnostic::is_error);
    let (posts_md, pages_md) = match render_markdown(site) {
        Ok(md) if clashes.is_empty() => md,
        Ok(_) => return Err(clashes.into_iter().chain(case_warnings).collect()),
        Err(mut e) => {
            e.extend(clashes);
            e.extend(case_warnings);
            return Err(e);
        }
    };
    let earlier = Earlier {
        indices: Some(indices),
        author_values: None,
    };
    let prep = Prepared::reusing(site, theme, &posts_md, &pages_md, earlier, &mut |_| {
        Vec::new()
    });
    let jobs = prep.jobs();
    let results: Vec<Result<String, Diagnostic>> = jobs
        .par_iter()
        .map(|j| {
            let (path, html) = prep.render_job(j)?;
            sink.put(&path, Content::Text(html))
                .map_err(|e| sink_error(&path, e))?;
            Ok(path)
        })
        .collect();
    let mut generated: std::collections::HashSet<String> =
        std::collections::HashSet::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(path) => {
                generated.insert(path);
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        diags.sort_by(|a, b| a.message.cmp(&b.message));
        diags.dedup_by(|a, b| {
            a.path == b.path && a.message.split(':').next() == b.message.split(':').next()
        });
        return Err(diags);
    }
    add_feeds_and_extras(&prep, sink, &mut generated)?;
    let mut warnings = case_warnings;
    warnings.extend(prep.kit_warnings());
    warnings.extend(
        posts_md
            .iter()
            .chain(&pages_md)
            .flat_map(|r| r.warnings.iter().cloned()),
    );
    Ok((generated.len(), warnings))
}

/// Feeds, sitemap, robots.txt, the syntax stylesheet and static files.
fn add_feeds_and_extras(
    prep: &Prepared<'_>,
    sink: &dyn Sink,
    generated: &mut std::collections::HashSet<String>,
) -> Result<(), Vec<Diagnostic>> {
    let written: Vec<Result<String, Diagnostic>> = prep
        .feed_jobs()
        .par_iter()
        .map(|f| {
            let xml = prep.render_feed(f);
            sink.put(&f.file, Content::Text(xml))
                .map_err(|e| sink_error(&f.file, e))?;
            Ok(f.file.clone())
        })
        .collect();
    for w in written {
        generated.insert(w.map_err(|d| vec![d])?);
    }
    for (path, content) in prep.extras()? {
        sink.put(&path, content)
            .map_err(|e| vec![sink_error(&path, e)])?;
        generated.insert(path);
    }
    let copies = prep.copies(&|dest| generated.contains(dest));
    copies.par_iter().try_for_each(|(dest, src)| {
        sink.put(dest, Content::Copy(src.clone()))
            .map_err(|e| vec![sink_error(dest, e)])
    })?;
    generated.extend(copies.into_iter().map(|(d, _)| d));
    Ok(())
}

/// Whose feed a [`FeedJob`] is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FeedOf {
    Site,
    /// An author, by slug.
    Author(String),
    /// A term: taxonomy index into [`TAXONOMIES`], term index.
    Term(usize, usize),
}

/// One feed to write.
#[derive(Debug, Clone)]
pub struct FeedJob<'p> {
    /// Output path, e.g. `authors/ada/rss.xml`.
    pub file: String,
    pub of: FeedOf,
    pub title: String,
    pub description: String,
    pub page_path: String,
    pub feed_path: String,
    /// Its posts, newest first (the feed shows the first `feed_limit`).
    pub posts: std::borrow::Cow<'p, [usize]>,
}

/// Every feed of a site whose posts by author and term are `indices`: the
/// site's, each author's and each term's.
pub fn site_feeds<'p>(site: &'p Site, indices: &'p Indices) -> Vec<FeedJob<'p>> {
    let config = &site.config;
    let mut feeds = vec![FeedJob {
        file: "rss.xml".into(),
        of: FeedOf::Site,
        title: config.title.clone(),
        description: config.description.clone(),
        page_path: "/".into(),
        feed_path: "/rss.xml".into(),
        posts: (0..site.posts.len()).collect(),
    }];
    for a in site.authors.values() {
        let path = a.path();
        feeds.push(FeedJob {
            file: format!("{}rss.xml", path.trim_start_matches('/')),
            of: FeedOf::Author(a.slug.clone()),
            title: format!("{} — {}", a.name, config.title),
            description: format!("Posts by {} on {}", a.name, config.title),
            feed_path: format!("{path}rss.xml"),
            page_path: path,
            posts: indices.by_author[&a.slug].as_slice().into(),
        });
    }
    for (t, tax) in TAXONOMIES.iter().enumerate() {
        for (i, term) in indices.taxonomy(tax).iter().enumerate() {
            let path = format!("/{tax}/{}/", term.slug);
            feeds.push(FeedJob {
                file: format!("{}rss.xml", path.trim_start_matches('/')),
                of: FeedOf::Term(t, i),
                title: format!("{} — {}", term.name, config.title),
                description: format!("Posts about {} on {}", term.name, config.title),
                feed_path: format!("{path}rss.xml"),
                page_path: path,
                posts: term.posts.as_slice().into(),
            });
        }
    }
    feeds
}

impl Prepared<'_> {
    /// Every feed of the site: the site's, each author's and each term's.
    pub fn feed_jobs(&self) -> Vec<FeedJob<'_>> {
        site_feeds(self.site, &self.indices)
    }

    /// The XML of one feed.
    pub fn render_feed(&self, f: &FeedJob<'_>) -> String {
        let spec = feeds::FeedSpec {
            title: f.title.clone(),
            description: f.description.clone(),
            page_path: &f.page_path,
            feed_path: f.feed_path.clone(),
        };
        feeds::feed(self.site, self.posts_md, &spec, &f.posts)
    }

    /// Whether a static file of the site or theme is the site's robots.txt.
    pub fn static_robots(&self) -> bool {
        claims::static_robots(self.site, Some(self.theme))
    }

    /// The sitemap, robots.txt (unless a static file is) and the syntax
    /// stylesheet.
    pub fn extras(&self) -> Result<Vec<(String, Content)>, Vec<Diagnostic>> {
        let config = &self.site.config;
        let entries = self.sitemap_entries();
        let css =
            markdown::highlight::stylesheet(&config.highlight_theme, &config.highlight_theme_dark)
                .map_err(|e| {
                    vec![
                        Diagnostic::error(e)
                            .in_file(crate::config::CONFIG_FILE)
                            .hint("set [markdown] highlight_theme to one of the listed names"),
                    ]
                })?;
        Ok([
            (
                "sitemap.xml".into(),
                Content::Text(feeds::sitemap(config, &entries)),
            ),
            (
                "robots.txt".into(),
                Content::Text(format!(
                    "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                    config.url("/sitemap.xml")
                )),
            ),
            ("syntax.css".into(), Content::Text(css)),
        ]
        .into_iter()
        // A robots.txt among the static files takes the generated one's place.
        .filter(|(path, _)| path != "robots.txt" || !self.static_robots())
        .collect())
    }

    /// The sitemap's entries (path, last modified), sorted: every page but the
    /// 404 page and the share kits.
    pub fn sitemap_entries(&self) -> Vec<(String, Option<String>)> {
        let site = self.site;
        let mut entries: Vec<(String, Option<String>)> = Vec::new();
        for job in self.jobs() {
            let lastmod = match &job {
                Job::NotFound | Job::Share(_) | Job::ShareJson(_) => continue,
                Job::Post(i) => {
                    let p = &site.posts[*i];
                    Some(p.updated.unwrap_or(p.date).to_rfc3339())
                }
                _ => None,
            };
            let path = job_path(site, &self.indices, &job);
            entries.push((path, lastmod));
        }
        entries.sort();
        entries
    }

    /// The files copied into the output: theme static files, then the site's
    /// (the site wins on clashes), without those `generated` says a page has.
    pub fn copies(&self, generated: &dyn Fn(&str) -> bool) -> Vec<(String, Source)> {
        let mut copies: BTreeMap<String, Source> = BTreeMap::new();
        for (dest, src) in &self.theme.static_files {
            copies.insert(dest.clone(), src.clone());
        }
        for f in &self.site.files {
            copies.insert(f.dest.clone(), Source::Disk(f.source.clone()));
        }
        copies
            .into_iter()
            .filter(|(dest, _)| !generated(dest))
            .collect()
    }
}

/// The share kits of the chosen posts (indices into `site.posts`), with the
/// warnings of snippets that do not fit.
pub fn share_kits(
    site: &Site,
    chosen: &[usize],
) -> Result<(Vec<crate::share::kit::Kit>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let theme = theme::load(&site.root, &site.config)?;
    let (posts_md, pages_md) = render_markdown(site)?;
    let prep = Prepared::new(site, &theme, &posts_md, &pages_md);
    let results: Vec<KitResult> = chosen.par_iter().map(|&i| prep.kit(i).clone()).collect();
    let mut kits = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((k, w)) => {
                kits.push(k);
                warnings.extend(w);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok((kits, warnings))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod pagination_tests {
    use super::page_window;

    #[test]
    fn window_is_bounded() {
        assert_eq!(page_window(1, 1), vec![Some(1)]);
        assert_eq!(page_window(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_window(1, 100),
            vec![Some(1), Some(2), Some(3), None, Some(100)]
        );
        assert_eq!(
            page_window(50, 100),
            vec![
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(100)
            ]
        );
        assert_eq!(page_window(4, 7), (1..=7).map(Some).collect::<Vec<_>>());
        assert!(page_window(5000, 10000).len() <= 9);
    }
}
