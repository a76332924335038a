//! Preparing values: each post, author and term serialized once per build
//! ([`Prepared`]), the globals every page sees, and the share kits, made once.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde_json::Value;

use super::*;
use crate::diag::Diagnostic;
use crate::load::{Post, Site};
use crate::markdown::sanitize::Sanitizer;
use crate::markdown::{self, RenderOptions, Rendered, Resolved};
use crate::routes::{Route, Taxonomy};
use crate::text::packed::Packed;
use crate::text::slug::slugify;

/// Everything list and post pages share, computed once.
pub struct Prepared<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub posts_md: &'a [Rendered],
    pub pages_md: &'a [Rendered],
    pub indices: Indices,
    /// Each post's [`context::PostValue`], serialized once.
    pub post_values: Vec<Value>,
    /// Each author's [`context::AuthorValue`] (by slug), serialized once.
    pub author_values: BTreeMap<String, Value>,
    /// Each author's [`context::AuthorSummary`] (by slug), typed: what the
    /// renderer itself reads of an author (sort key, avatar).
    pub author_summaries: BTreeMap<String, context::AuthorSummary<'a>>,
    /// Each author's "Writes about the same things" (`render::similar`), by
    /// slug, made when an author page first asks.
    pub(super) similar: std::sync::OnceLock<BTreeMap<&'a str, Vec<super::similar::Similar<'a>>>>,
    base: tera::Context,
    /// Share kits, made on first use (the page and its JSON share one).
    /// (Shared, so that `gen serve` keeps them from one build to the next
    /// without copying.)
    kits: Vec<std::sync::Mutex<KitSlot>>,
    /// What the build's social cards share, made for the first card.
    pub(super) cards: std::sync::OnceLock<super::cards::Shared>,
    /// Set by [`Prepared::stream_bodies`] and [`Prepared::bodies_from`]:
    /// post bodies are rendered (or unpacked) when their pages are made
    /// rather than read from `posts_md`.
    streamed: Option<Streamed<'a>>,
}

/// A post's share kit, once made; a streaming build drops it when both
/// pages that show it are written, keeping its warnings.
#[derive(Default)]
struct KitSlot {
    kit: Option<std::sync::Arc<KitResult>>,
    /// Pages written with it (its page and its JSON).
    used: u8,
    /// The warnings of a dropped kit.
    warnings: Vec<Diagnostic>,
}

/// Post bodies made on demand (a full build) or unpacked on demand
/// (`gen serve`), so that the build holds a few at a time rather than the
/// whole site's.
struct Streamed<'a> {
    /// Renders the body of post `i` (an error when its source changed since
    /// it was loaded).
    body: &'a (dyn Fn(usize) -> Result<String, Diagnostic> + Sync),
    /// The bodies of the posts some feed shows in full, kept from their page
    /// for the feeds (by post index; `None` for the others): at most
    /// `feed_limit` per feed, whatever the number of posts, but with a feed
    /// for every author and term that is still a good part of a large site
    /// (1,318 of 10,000 posts), so they are held compressed.
    for_feeds: Vec<Option<std::sync::OnceLock<Packed>>>,
    /// Whether share kits are dropped once their two pages are written.
    drop_kits: bool,
}

/// The share kit path of a post, when it has one.
pub fn share_path(site: &Site, post: &Post) -> Option<String> {
    crate::share::kit::has_kit(site, post).then(|| Route::ShareKit(post.slug.clone()).path())
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
    /// Post values show no series, but `gen serve` versions them here too.
    pub series: &'v HashMap<String, Value>,
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
        let author_summaries: BTreeMap<String, context::AuthorSummary<'a>> = site
            .authors
            .iter()
            .map(|(slug, a)| {
                let count = indices.by_author.get(slug).map_or(0, Vec::len);
                (slug.clone(), context::AuthorSummary::new(config, a, count))
            })
            .collect();
        // Bylines in lists: each author's summary, serialized once.
        let summary_values: BTreeMap<&str, Value> = author_summaries
            .iter()
            .map(|(slug, s)| (slug.as_str(), context::to_value(s)))
            .collect();
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
                    let summary = author_summaries[slug].clone();
                    let full = context::AuthorValue::new(summary, a, bio_html);
                    (slug.clone(), context::to_value(&full))
                })
                .collect(),
        };
        let term_values = |tax: Taxonomy| -> HashMap<String, Value> {
            indices
                .taxonomy(tax)
                .iter()
                .map(|t| {
                    (
                        t.slug.clone(),
                        context::to_value(&context::TermValue::new(
                            config,
                            tax,
                            &t.name,
                            &t.slug,
                            t.posts.len(),
                        )),
                    )
                })
                .collect()
        };
        let tag_values = term_values(Taxonomy::Tags);
        let cat_values = term_values(Taxonomy::Categories);
        let series_values = term_values(Taxonomy::Series);
        let mut reused = reuse(&Ingredients {
            authors: &author_values,
            tags: &tag_values,
            categories: &cat_values,
            series: &series_values,
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
                fn terms<'v>(
                    names: &[String],
                    values: &'v HashMap<String, Value>,
                ) -> Vec<&'v Value> {
                    names
                        .iter()
                        .filter_map(|n| values.get(&slugify(n)))
                        .collect()
                }
                context::to_value(&context::PostValue::new(
                    config,
                    context::PostParts {
                        post: p,
                        rendered: r,
                        // Lists show bylines: the full profiles go on post pages only.
                        authors: p
                            .authors
                            .iter()
                            .filter_map(|a| summary_values.get(a.as_str()))
                            .collect(),
                        tags: terms(&p.tags, &tag_values),
                        categories: terms(&p.categories, &cat_values),
                        share_path: share_path(site, p),
                    },
                ))
            })
            .collect();
        let mut base = tera::Context::new();
        base.insert("config", &context::ConfigValue::new(config));
        base.insert(
            "site",
            &context::SiteValue {
                feed_url: config.url(&Route::SiteFeed.path()),
                feeds: context::feed_links(config, &Route::SiteFeed),
                archive_url: config.url(&Route::Archive.path()),
                authors_url: config.url(&Route::Authors.path()),
                authors_opml_url: config.url(&Route::AuthorsOpml.path()),
                tags_url: config.url(&Route::Terms(Taxonomy::Tags).path()),
                categories_url: config.url(&Route::Terms(Taxonomy::Categories).path()),
                series_url: config.url(&Route::Terms(Taxonomy::Series).path()),
                sitemap_url: config.url(&Route::Sitemap.path()),
                syntax_css_url: config.url(&Route::SyntaxCss.path()),
                build_year: site.posts.first().map(|p| p.date.format("%Y").to_string()),
                has_tags: !indices.tags.is_empty(),
                has_categories: !indices.categories.is_empty(),
                has_series: !indices.series.is_empty(),
                write_url: config
                    .guest_repository
                    .as_ref()
                    .map(|_| config.url(&Route::Write.path())),
                search_url: config.search.then(|| config.url(&Route::Search.path())),
                search_bundle_url: config
                    .search
                    .then(|| config.url(crate::routes::SEARCH_BUNDLE)),
                search_host: super::search::host(&config.base_url),
                contributors_url: (!super::jobs::shown_contributions(site).is_empty())
                    .then(|| config.url(&Route::Contributors(1).path())),
                webmention_endpoint: config.webmention.endpoint.clone(),
            },
        );
        let kits = (0..site.posts.len())
            .map(|_| std::sync::Mutex::default())
            .collect();
        Prepared {
            site,
            theme,
            posts_md,
            pages_md,
            indices,
            post_values,
            author_values,
            author_summaries,
            similar: std::sync::OnceLock::new(),
            base,
            kits,
            cards: std::sync::OnceLock::new(),
            streamed: None,
        }
    }

    /// Renders post bodies with `body` when they are needed (a post page, a
    /// feed) instead of reading them from `posts_md`, which then need not
    /// hold them (see [`super::links::render_markdown_listing`]). The bodies
    /// that feeds show are kept from the post pages until the feeds are made.
    /// Share kits, too, are dropped once their two pages are written
    /// ([`Prepared::kit_used`]). For a build that writes as it renders;
    /// `gen serve`, which keeps bodies and kits between builds, uses
    /// [`Prepared::bodies_from`].
    pub fn stream_bodies(
        &mut self,
        body: &'a (dyn Fn(usize) -> Result<String, Diagnostic> + Sync),
    ) {
        let mut for_feeds: Vec<Option<std::sync::OnceLock<Packed>>> =
            (0..self.site.posts.len()).map(|_| None).collect();
        if self.site.config.feed_content == crate::config::FeedContent::Full {
            let limit = self.site.config.feed_limit;
            for f in self.feed_jobs() {
                for &i in f.posts.iter().take(limit) {
                    for_feeds[i].get_or_insert_with(std::sync::OnceLock::new);
                }
            }
        }
        self.streamed = Some(Streamed {
            body,
            for_feeds,
            drop_kits: true,
        });
    }

    /// Reads post bodies with `body` when they are needed (a post page, a
    /// feed) instead of from `posts_md`, which then need not hold them:
    /// `gen serve` keeps every body compressed between builds and unpacks
    /// one when a page or feed shows it. Unlike [`Prepared::stream_bodies`],
    /// bodies are not kept for the feeds (unpacking is cheap) and share kits
    /// are kept (the preview reuses them).
    pub fn bodies_from(&mut self, body: &'a (dyn Fn(usize) -> Result<String, Diagnostic> + Sync)) {
        self.streamed = Some(Streamed {
            body,
            for_feeds: Vec::new(),
            drop_kits: false,
        });
    }

    /// The page body of post `i`: an error only when it is rendered now and
    /// its source changed since it was loaded.
    pub fn post_html(&self, i: usize) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        Ok(match &self.streamed {
            None => self.posts_md[i].html.as_str().into(),
            Some(s) => match s.for_feeds.get(i).and_then(Option::as_ref) {
                Some(kept) => match kept.get() {
                    Some(packed) => packed.text().into(),
                    None => {
                        let html = (s.body)(i)?;
                        // Rendered once: only its page asks before the feeds.
                        let _ = kept.set(Packed::new(&html));
                        html.into()
                    }
                },
                None => (s.body)(i)?.into(),
            },
        })
    }

    /// The globals every page sees (`config`, `site`), as JSON.
    pub fn globals(&self) -> Value {
        self.base.clone().into_json()
    }

    /// A fresh context for a page at `path`, with the globals filled in.
    pub(super) fn context(&self, path: &str, meta: &context::Meta) -> tera::Context {
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
            .flat_map(|k| {
                let slot = k.lock().unwrap_or_else(|e| e.into_inner());
                match slot.kit.as_deref() {
                    Some(Ok((_, w))) => w.clone(),
                    Some(Err(_)) => Vec::new(),
                    None => slot.warnings.clone(),
                }
            })
            .collect()
    }

    /// Gives post `i` a share kit made by an earlier build, which a caller
    /// knows to be what [`Prepared::kit`] would make now.
    pub fn reuse_kit(&self, i: usize, kit: std::sync::Arc<KitResult>) {
        let mut slot = self.kits[i].lock().unwrap_or_else(|e| e.into_inner());
        slot.kit.get_or_insert(kit);
    }

    /// Post `i`'s share kit, if it was made (or reused) in this build and is
    /// still held.
    pub fn made_kit(&self, i: usize) -> Option<std::sync::Arc<KitResult>> {
        let slot = self.kits[i].lock().unwrap_or_else(|e| e.into_inner());
        slot.kit.clone()
    }

    /// The share kit of post `i` (made once, shared by its page and its JSON).
    pub fn kit(&self, i: usize) -> std::sync::Arc<KitResult> {
        // Made under the slot's lock: only the two pages of one post wait.
        let mut slot = self.kits[i].lock().unwrap_or_else(|e| e.into_inner());
        slot.kit
            .get_or_insert_with(|| {
                std::sync::Arc::new(crate::share::kit::build(
                    self.site,
                    &self.theme.tera,
                    &self.post_values[i],
                    self.post_description(i),
                    i,
                ))
            })
            .clone()
    }

    /// Says that a page showing post `i`'s share kit is written. In a
    /// streaming build the kit is dropped after its two pages (the share
    /// page and its JSON), keeping its warnings, so that kits do not pile up.
    pub(super) fn kit_used(&self, i: usize) {
        if !self.streamed.as_ref().is_some_and(|s| s.drop_kits) {
            return;
        }
        let mut slot = self.kits[i].lock().unwrap_or_else(|e| e.into_inner());
        slot.used += 1;
        if slot.used >= 2
            && let Some(kit) = slot.kit.take()
            && let Ok((_, w)) = kit.as_ref()
        {
            slot.warnings = w.clone();
        }
    }

    /// The list values of posts `idx`, as one array: cloned, which is cheaper
    /// than the serialization `Context::insert` would do.
    pub(super) fn posts_of(&self, idx: &[usize]) -> Value {
        Value::Array(idx.iter().map(|&i| self.post_values[i].clone()).collect())
    }

    /// The description of post `i` (its value's `description`).
    pub fn post_description(&self, i: usize) -> &'a str {
        context::description(&self.site.posts[i], &self.posts_md[i])
    }

    /// The list value of post `i`, or null for none.
    pub(super) fn post_value(&self, i: Option<usize>) -> Value {
        i.and_then(|i| self.post_values.get(i))
            .cloned()
            .unwrap_or(Value::Null)
    }
}

/// Adds an owned value to a context without serializing it again (which
/// `Context::insert` does: a deep copy of every post body otherwise).
pub(super) fn insert_owned(ctx: &mut tera::Context, key: &str, value: Value) {
    let mut map = serde_json::Map::new();
    map.insert(key.to_string(), value);
    if let Ok(owned) = tera::Context::from_value(Value::Object(map)) {
        ctx.extend(owned);
    }
}
