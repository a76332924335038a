//! The values templates see, as typed structs: [`PostValue`] (and what a
//! post's own page adds, [`PostPageAdditions`]), [`AuthorValue`] and its byline
//! [`AuthorSummary`], [`TermValue`], [`TaxonomyValue`], [`PaginatorValue`],
//! [`PageValue`], [`MetaValue`], [`ConfigValue`] and [`SiteValue`].
//!
//! Each post, author and term is serialized to a JSON [`Value`] once per build
//! (`render::Prepared`) and shared by every page that shows it, so list pages
//! stay linear in the posts they show; values that contain others (a post's
//! authors and terms) hold those already-serialized values. The renderer reads
//! its own decisions (a description, an avatar, a sort key) from typed fields,
//! never back out of the JSON by key.
//!
//! `docs/templates.md` is the contract for these names: its section for each
//! struct lists exactly the struct's fields, and a test below fails when they
//! differ. (serde_json's objects are sorted maps here, so a template's
//! `json_encode` shows fields in name order whatever the declaration order.)

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::load::{Asset, Author, Page, Post};
use crate::markdown::{Rendered, TocEntry};
use crate::routes::{Route, Taxonomy};

/// The absolute URL of an asset.
pub fn asset_url(config: &Config, a: &Asset) -> String {
    match a {
        Asset::Local { url_path, .. } => config.url(url_path),
        Asset::External(u) => u.clone(),
    }
}

/// Serializes a value made for a template. Serializing these structs cannot
/// fail (string keys, no non-finite floats), so a failure would be a bug in
/// this module; it shows as null rather than a panic.
pub fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// One of an author's links (`author.links`): their website, a profile built
/// from a social handle, or their own blog's feed.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileLink<'a> {
    pub platform: &'a str,
    pub label: &'a str,
    pub handle: &'a str,
    pub url: String,
    /// Whether the link proves identity, so author pages can carry `rel="me"`.
    pub rel_me: bool,
}

/// An author's links: website, each social handle's profile, their own feed.
pub fn profile_links(author: &Author) -> Vec<ProfileLink<'_>> {
    let mut out = Vec::new();
    if let Some(w) = &author.website {
        out.push(ProfileLink {
            platform: "website",
            label: "Website",
            handle: w,
            url: w.clone(),
            rel_me: true,
        });
    }
    for (platform, handle) in &author.social {
        // Malformed handles were reported when the profile was loaded.
        if let Ok(Some(p)) = crate::platforms::profiles::profile(platform, handle) {
            out.push(ProfileLink {
                platform,
                label: p.label,
                handle,
                url: p.url,
                rel_me: p.rel_me,
            });
        }
    }
    if let Some(f) = &author.feed {
        out.push(ProfileLink {
            platform: "feed",
            label: "Their blog's feed",
            handle: f,
            url: f.clone(),
            rel_me: false,
        });
    }
    out
}

/// The part of an author that lists need (bylines on post cards, `newer`,
/// `older`, `more_from_authors`): everything but the bio, links and handles.
/// Cheap to make (no Markdown), so it is made every build and is also what the
/// renderer reads of an author (sort key, avatar).
#[derive(Debug, Clone, Serialize)]
pub struct AuthorSummary<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub path: String,
    pub url: String,
    pub guest: bool,
    pub avatar: Option<String>,
    /// The first letters of the name's first and last words, shown in place
    /// of a missing avatar.
    pub initials: String,
    /// 0 to [`INITIALS_COLORS`] − 1, from the name: which of the theme's
    /// colours the initials' circle takes, the same on every page and build.
    pub color_index: usize,
    pub feed_url: String,
    pub post_count: usize,
}

/// How many colours themes give initials' circles (the default theme's
/// `.initials-0` … `.initials-7`).
pub const INITIALS_COLORS: usize = 8;

/// The colour of `name`'s initials: FNV-1a of its UTF-8 bytes, so the colour
/// depends only on the name (not on the build, the platform or the order of
/// authors) and different names spread over the palette.
pub fn color_index(name: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h % INITIALS_COLORS as u32) as usize
}

impl<'a> AuthorSummary<'a> {
    pub fn new(config: &Config, a: &'a Author, post_count: usize) -> Self {
        let path = Route::Author(a.slug.clone(), 1).path();
        AuthorSummary {
            slug: &a.slug,
            name: &a.name,
            url: config.url(&path),
            guest: a.guest,
            avatar: a.avatar.as_ref().map(|x| asset_url(config, x)),
            initials: crate::render::card::initials(&a.name),
            color_index: color_index(&a.name),
            feed_url: config.url(&Route::AuthorFeed(a.slug.clone()).path()),
            post_count,
            path,
        }
    }
}

/// An author as their page, the authors page and a post's own page see them.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorValue<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub path: String,
    pub url: String,
    pub guest: bool,
    pub avatar: Option<String>,
    pub initials: String,
    pub color_index: usize,
    /// HTML, sanitized.
    pub bio: String,
    pub website: Option<&'a str>,
    pub feed: Option<&'a str>,
    pub feed_url: String,
    pub post_count: usize,
    /// The `[social]` table as written.
    pub social: &'a BTreeMap<String, String>,
    pub links: Vec<ProfileLink<'a>>,
}

impl<'a> AuthorValue<'a> {
    /// The whole profile: the summary's fields plus the bio (rendered by the
    /// caller), website, feed, handles and links.
    pub fn new(summary: AuthorSummary<'a>, a: &'a Author, bio_html: String) -> Self {
        let AuthorSummary {
            slug,
            name,
            path,
            url,
            guest,
            avatar,
            initials,
            color_index,
            feed_url,
            post_count,
        } = summary;
        AuthorValue {
            slug,
            name,
            path,
            url,
            guest,
            avatar,
            initials,
            color_index,
            bio: bio_html,
            website: a.website.as_deref(),
            feed: a.feed.as_deref(),
            feed_url,
            post_count,
            social: &a.social,
            links: profile_links(a),
        }
    }
}

/// A tag or category as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TermValue<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub path: String,
    pub url: String,
    pub feed_url: String,
    pub post_count: usize,
}

impl<'a> TermValue<'a> {
    pub fn new(
        config: &Config,
        taxonomy: Taxonomy,
        name: &'a str,
        slug: &'a str,
        count: usize,
    ) -> Self {
        let path = Route::Term(taxonomy, slug.to_string(), 1).path();
        TermValue {
            name,
            slug,
            url: config.url(&path),
            feed_url: config.url(&Route::TermFeed(taxonomy, slug.to_string()).path()),
            post_count: count,
            path,
        }
    }
}

/// The series of a post, on `post.html` (`series`): the series as a term,
/// and its parts in order.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesValue<'a> {
    #[serde(flatten)]
    pub term: TermValue<'a>,
    /// This post's place in the series, from 1.
    pub part: usize,
    /// Every part, this one included, oldest first (post list values).
    pub parts: Value,
}

/// A taxonomy (`tags`, `categories` or `series`) as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyValue {
    pub name: &'static str,
    pub singular: &'static str,
    pub title: &'static str,
    pub url: String,
    pub path: String,
}

impl TaxonomyValue {
    pub fn new(config: &Config, taxonomy: Taxonomy) -> Self {
        let path = Route::Terms(taxonomy).path();
        TaxonomyValue {
            name: taxonomy.name(),
            singular: taxonomy.singular(),
            title: taxonomy.title(),
            url: config.url(&path),
            path,
        }
    }
}

/// A post's cover picture (`post.image`).
#[derive(Debug, Clone, Serialize)]
pub struct ImageValue<'a> {
    /// Absolute.
    pub url: String,
    pub alt: &'a str,
    pub credit: Option<&'a str>,
    /// Width and height of a processed (local JPEG, PNG or WebP) cover.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `srcset` in the cover's own format, and in WebP (processed covers).
    pub srcset: Option<&'a str>,
    pub webp_srcset: Option<&'a str>,
    /// The `sizes` attribute for the srcsets (`[images] sizes`).
    pub sizes: Option<&'a str>,
}

/// A post as list pages see it (no body). Its authors and terms are the
/// values of those authors ([`AuthorSummary`]) and terms ([`TermValue`]),
/// serialized once per build and copied in.
#[derive(Debug, Clone, Serialize)]
pub struct PostValue<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub path: &'a str,
    pub url: String,
    pub date: String,
    pub date_human: String,
    pub updated: Option<String>,
    pub updated_human: Option<String>,
    pub year: String,
    /// Serialized [`AuthorSummary`] values.
    pub authors: Vec<&'a Value>,
    pub guest: bool,
    /// Serialized [`TermValue`]s.
    pub tags: Vec<&'a Value>,
    /// Serialized [`TermValue`]s.
    pub categories: Vec<&'a Value>,
    pub description: &'a str,
    pub summary: &'a str,
    pub has_more: bool,
    pub word_count: usize,
    pub reading_time: usize,
    pub image: Option<ImageValue<'a>>,
    pub canonical_url: Option<&'a str>,
    pub share_path: Option<String>,
}

/// A post's description: its front matter's, else its summary's text. The one
/// rule for the post value, its page's `<head>` and its share kit.
pub fn description<'a>(post: &'a Post, rendered: &'a Rendered) -> &'a str {
    post.description
        .as_deref()
        .unwrap_or(&rendered.summary_text)
}

/// Inputs for a post's list value, gathered by the renderer.
pub struct PostParts<'a> {
    pub post: &'a Post,
    pub rendered: &'a Rendered,
    pub authors: Vec<&'a Value>,
    pub tags: Vec<&'a Value>,
    pub categories: Vec<&'a Value>,
    pub share_path: Option<String>,
}

impl<'a> PostValue<'a> {
    pub fn new(config: &Config, parts: PostParts<'a>) -> Self {
        let p = parts.post;
        let r = parts.rendered;
        PostValue {
            slug: &p.slug,
            title: &p.title,
            path: &p.path,
            url: config.url(&p.path),
            date: p.date.to_rfc3339(),
            date_human: crate::load::dates::human(&p.date),
            updated: p.updated.map(|d| d.to_rfc3339()),
            updated_human: p.updated.map(|d| crate::load::dates::human(&d)),
            year: p.date.format("%Y").to_string(),
            authors: parts.authors,
            guest: p.guest,
            tags: parts.tags,
            categories: parts.categories,
            description: description(p, r),
            summary: &r.summary,
            has_more: r.has_more,
            word_count: r.word_count,
            reading_time: r.reading_time(),
            image: p.image.as_ref().map(|c| {
                let made = r.cover.as_ref();
                ImageValue {
                    url: asset_url(config, &c.asset),
                    alt: &c.alt,
                    credit: c.credit.as_deref(),
                    width: made.map(|m| m.width),
                    height: made.map(|m| m.height),
                    srcset: made.map(|m| m.srcset.as_str()),
                    webp_srcset: made.map(|m| m.webp_srcset.as_str()),
                    sizes: made.map(|m| m.sizes.as_str()),
                }
            }),
            canonical_url: p.canonical_url.as_deref(),
            share_path: parts.share_path,
        }
    }
}

/// What a post's own page (`post.html`) adds to its list value: the whole
/// profiles of its authors in place of bylines, the body and the table of
/// contents. Serialized per post page (the body is copied once, into it).
#[derive(Debug, Serialize)]
pub struct PostPageAdditions<'a> {
    /// Serialized [`AuthorValue`]s.
    pub authors: Vec<&'a Value>,
    /// The HTML body.
    pub content: &'a str,
    pub toc: &'a [TocEntry],
}

impl PostPageAdditions<'_> {
    /// The post page's value: `list` (a clone of the post's list value) with
    /// these fields added, replacing its bylines.
    pub fn onto(self, mut list: Value) -> Value {
        if let (Value::Object(m), Value::Object(add)) = (&mut list, to_value(&self)) {
            m.extend(add);
        }
        list
    }
}

/// A standalone page (`page.html`).
#[derive(Debug, Serialize)]
pub struct PageValue<'a> {
    pub title: &'a str,
    pub path: &'a str,
    pub url: String,
    pub description: Option<&'a str>,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub word_count: usize,
    pub reading_time: usize,
}

impl<'a> PageValue<'a> {
    pub fn new(config: &Config, page: &'a Page, r: &'a Rendered) -> Self {
        PageValue {
            title: &page.title,
            path: &page.path,
            url: config.url(&page.path),
            description: page.description.as_deref(),
            content: &r.html,
            toc: &r.toc,
            word_count: r.word_count,
            reading_time: r.reading_time(),
        }
    }
}

/// The paginator of a listing: where this page is and links to the others.
#[derive(Debug, Clone, Serialize)]
pub struct PaginatorValue {
    /// 1-based.
    pub current: usize,
    pub total_pages: usize,
    pub total_posts: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PaginatorPage>,
}

/// One entry of `paginator.pages`: a page to link to, or a gap (number and
/// URL null) where pages are skipped.
#[derive(Debug, Clone, Serialize)]
pub struct PaginatorPage {
    pub number: Option<usize>,
    pub url: Option<String>,
    pub current: bool,
    pub gap: bool,
}

/// The `config` global.
#[derive(Debug, Serialize)]
pub struct ConfigValue<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub paginate_by: usize,
    pub feed_limit: usize,
    pub social: &'a BTreeMap<String, String>,
    /// The `[extra]` table, as written.
    pub extra: &'a toml::Table,
}

impl<'a> ConfigValue<'a> {
    pub fn new(c: &'a Config) -> Self {
        ConfigValue {
            title: &c.title,
            base_url: &c.base_url,
            description: &c.description,
            language: &c.language,
            paginate_by: c.paginate_by,
            feed_limit: c.feed_limit,
            social: &c.social,
            extra: &c.extra,
        }
    }
}

/// One format of a feed, for `<link rel="alternate">` and feed links: in
/// `site.feeds` and `meta.feeds`, RSS first.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    /// `rss`, `atom` or `json`.
    pub format: &'static str,
    /// `RSS`, `Atom`, `JSON Feed`.
    pub name: &'static str,
    /// Its media type (`application/atom+xml`).
    pub mime_type: &'static str,
    /// Its absolute URL.
    pub url: String,
}

/// The site's `feed` (an RSS route) in every format the site writes.
pub fn feed_links(config: &Config, rss: &Route) -> Vec<FeedLink> {
    config
        .feed_formats
        .iter()
        .map(|f| FeedLink {
            format: f.name(),
            name: f.title(),
            mime_type: f.mime_type(),
            url: config.url(&rss.feed_as(*f).path()),
        })
        .collect()
}

/// The `site` global: the site's own URLs (absolute) and what it has.
#[derive(Debug, Serialize)]
pub struct SiteValue {
    pub feed_url: String,
    /// The site feed in each format.
    pub feeds: Vec<FeedLink>,
    /// Every post by year and month.
    pub archive_url: String,
    pub authors_url: String,
    /// `/authors/opml.xml`: every author's feeds, for feed readers.
    pub authors_opml_url: String,
    pub tags_url: String,
    pub categories_url: String,
    /// The list of every series.
    pub series_url: String,
    pub sitemap_url: String,
    pub syntax_css_url: String,
    /// The year of the newest post (never the clock).
    pub build_year: Option<String>,
    pub has_tags: bool,
    pub has_categories: bool,
    pub has_series: bool,
    /// The "Write for us" page, or null without `[guest] repository`.
    pub write_url: Option<String>,
    /// The search page; `None` with `[search] enabled = false`.
    pub search_url: Option<String>,
    /// The folder of the search index and of Pagefind's UI files
    /// (`/pagefind/`); `None` as `search_url`.
    pub search_bundle_url: Option<String>,
    /// The host of `base_url` (`blog.example.com`), for the search form's
    /// fallback without JavaScript: a web search limited to the site.
    pub search_host: String,
    /// `/contributors/`, the newest entries of contributors' own blogs; `None`
    /// when `data/contributors.json` has none.
    pub contributors_url: Option<String>,
    /// `[webmention] endpoint`, for `<link rel="webmention">`; `None` without.
    pub webmention_endpoint: Option<String>,
}

/// An entry of a contributor's own blog (`/contributors/`, "Latest on their
/// own blog" on author pages): plain text fetched by `gen fetch`, linked to
/// the entry on their blog and credited to its author.
#[derive(Debug, Clone, Serialize)]
pub struct ContributionValue<'a> {
    pub title: &'a str,
    /// The entry on the author's own blog (http or https).
    pub url: &'a str,
    /// RFC 3339, or `None` when the feed gave no date.
    pub date: Option<String>,
    pub date_human: Option<String>,
    /// Plain text, at most a few hundred characters.
    pub summary: &'a str,
    /// The author's [`AuthorSummary`].
    pub author: &'a AuthorSummary<'a>,
}

impl<'a> ContributionValue<'a> {
    pub fn new(
        c: &'a crate::load::contributors::Contribution,
        author: &'a AuthorSummary<'a>,
    ) -> Self {
        ContributionValue {
            title: &c.title,
            url: &c.link,
            date: c.date.map(|d| d.to_rfc3339()),
            date_human: c.date.as_ref().map(crate::load::dates::human),
            summary: &c.summary,
            author,
        }
    }
}

/// The `responses` of a post page: webmentions and imported comments
/// (`load::responses`), all of it strangers' plain text and http(s) links.
#[derive(Debug, Clone, Serialize)]
pub struct ResponsesValue<'a> {
    /// Replies, likes, reposts and pages that picked the post up.
    pub count: usize,
    pub replies: Vec<ReplyValue<'a>>,
    pub likes: &'a [crate::load::responses::Actor],
    pub reposts: &'a [crate::load::responses::Actor],
    pub picked_up_by: Vec<PickedUpValue<'a>>,
}

/// One of `responses.replies`.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyValue<'a> {
    pub author: &'a crate::load::responses::Actor,
    pub url: Option<&'a str>,
    pub date: Option<String>,
    pub date_human: Option<String>,
    pub text: &'a str,
    /// `webmention` or `comment`.
    pub source: crate::load::responses::ResponseSource,
}

/// One of `responses.picked_up_by`.
#[derive(Debug, Clone, Serialize)]
pub struct PickedUpValue<'a> {
    pub url: &'a str,
    /// The page's title, else its host.
    pub title: String,
    pub author: Option<&'a crate::load::responses::Actor>,
    pub date: Option<String>,
    pub date_human: Option<String>,
}

impl<'a> ResponsesValue<'a> {
    pub fn new(r: &'a crate::load::responses::Responses) -> Self {
        ResponsesValue {
            count: r.count(),
            replies: r
                .replies
                .iter()
                .map(|x| ReplyValue {
                    author: &x.author,
                    url: x.url.as_deref(),
                    date: x.published.map(|d| d.to_rfc3339()),
                    date_human: x.published.as_ref().map(crate::load::dates::human),
                    text: &x.text,
                    source: x.source,
                })
                .collect(),
            likes: &r.likes,
            reposts: &r.reposts,
            picked_up_by: r
                .picked_up_by
                .iter()
                .map(|p| PickedUpValue {
                    url: &p.url,
                    title: p.title.clone().unwrap_or_else(|| {
                        url::Url::parse(&p.url)
                            .ok()
                            .and_then(|u| u.host_str().map(str::to_string))
                            .unwrap_or_else(|| p.url.clone())
                    }),
                    author: p.author.as_ref(),
                    date: p.published.map(|d| d.to_rfc3339()),
                    date_human: p.published.as_ref().map(crate::load::dates::human),
                })
                .collect(),
        }
    }
}

/// The `meta` global as templates see it: what `<head>` needs for search
/// engines and link previews. Made from a [`Meta`].
#[derive(Debug, Serialize)]
pub struct MetaValue<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    /// `article` or `website`.
    pub kind: &'static str,
    pub image: Option<&'a str>,
    pub image_alt: Option<&'a str>,
    pub published_time: Option<&'a str>,
    pub modified_time: Option<&'a str>,
    pub authors: &'a [String],
    pub author_urls: &'a [String],
    pub tags: &'a [String],
    pub twitter_site: Option<&'a str>,
    pub twitter_creator: Option<&'a str>,
    pub fediverse_creator: Option<&'a str>,
    pub noindex: bool,
    pub canonical_url: Option<&'a str>,
    pub feed_url: Option<&'a str>,
    pub feed_title: Option<&'a str>,
    /// The page's own feed in each format (empty without one).
    pub feeds: &'a [FeedLink],
}

/// The `redirect` value of `redirect.html`: a page at an old URL.
#[derive(Debug, Serialize)]
pub struct RedirectValue<'a> {
    /// The old path, where this page is.
    pub from: &'a str,
    /// The absolute URL it sends readers to.
    pub url: String,
}

/// What a page says about itself in `<head>`, as the jobs fill it in; see
/// [`MetaValue`] for what templates see.
#[derive(Debug, Default)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub path: String,
    pub article: bool,
    pub image: Option<(String, String)>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<String>,
    pub author_urls: Vec<String>,
    pub tags: Vec<String>,
    pub twitter_creator: Option<String>,
    pub fediverse_creator: Option<String>,
    pub noindex: bool,
    pub canonical_url: Option<String>,
    pub feed: Option<(String, String)>,
    /// The page's own feed in each format.
    pub feeds: Vec<FeedLink>,
}

impl Meta {
    /// The `meta` value of a page of the site `config` describes.
    pub fn value<'a>(&'a self, config: &'a Config) -> MetaValue<'a> {
        MetaValue {
            title: &self.title,
            description: &self.description,
            url: config.url(&self.path),
            kind: if self.article { "article" } else { "website" },
            image: self.image.as_ref().map(|i| i.0.as_str()),
            image_alt: self.image.as_ref().map(|i| i.1.as_str()),
            published_time: self.published.as_deref(),
            modified_time: self.modified.as_deref(),
            authors: &self.authors,
            author_urls: &self.author_urls,
            tags: &self.tags,
            twitter_site: config.social.get("x").map(String::as_str),
            twitter_creator: self.twitter_creator.as_deref(),
            fediverse_creator: self.fediverse_creator.as_deref(),
            noindex: self.noindex,
            canonical_url: self.canonical_url.as_deref(),
            feed_url: self.feed.as_ref().map(|f| f.0.as_str()),
            feed_title: self.feed.as_ref().map(|f| f.1.as_str()),
            feeds: &self.feeds,
        }
    }

    /// [`Meta::value`], serialized.
    pub fn to_value(&self, config: &Config) -> Value {
        to_value(&self.value(config))
    }
}
/// Metadata of a post page: the guest's own handles credit them, never the site's.
pub fn post_meta(config: &Config, post: &Post, authors: &[&Author], description: &str) -> Meta {
    let by_guest_first = || {
        let mut v: Vec<&&Author> = authors.iter().collect();
        v.sort_by_key(|a| !a.guest);
        v
    };
    let twitter_creator = by_guest_first()
        .into_iter()
        .find_map(|a| a.social.get("x").or_else(|| a.social.get("twitter")))
        .map(|h| h.trim_start_matches('@').to_string())
        .filter(|h| !h.is_empty());
    let fediverse_creator = by_guest_first()
        .into_iter()
        .find_map(|a| a.social.get("mastodon"))
        .map(|h| format!("@{}", h.trim_start_matches('@')))
        .filter(|h| h.matches('@').count() == 2);
    Meta {
        title: post.title.clone(),
        description: description.to_string(),
        path: post.path.clone(),
        article: true,
        image: post
            .image
            .as_ref()
            .map(|c| (asset_url(config, &c.asset), c.alt.clone())),
        published: Some(post.date.to_rfc3339()),
        modified: Some(post.updated.unwrap_or(post.date).to_rfc3339()),
        authors: authors.iter().map(|a| a.name.clone()).collect(),
        author_urls: authors
            .iter()
            .map(|a| config.url(&Route::Author(a.slug.clone(), 1).path()))
            .collect(),
        tags: post.tags.clone(),
        twitter_creator,
        fediverse_creator,
        canonical_url: post.canonical_url.clone(),
        ..Meta::default()
    }
}

#[cfg(test)]
mod tests;
