//! The URL scheme of a built site, in one place: every page, feed and file a
//! build writes is a [`Route`], and this module is the only one that turns a
//! route into its URL path ([`Route::path`]) and output file ([`Route::file`]).
//! The `[permalinks]` pattern of posts ([`post_path`]), where pages under
//! `content/` are published ([`page_path`]) and where copied files land
//! ([`served_path`]) live here too, so a new kind of output (an alias, a
//! redirect) is added here and nowhere else.
//!
//! `render::claims` lists every output file of a site with what makes it:
//! each path is claimed exactly once, and two claimants of one path are an
//! error naming both. That list is made from the routes of the jobs and feeds
//! the renderer renders, so it knows every path the build generates
//! (`content/tags/x.md` collides with the tag page of "x", not only a page at
//! `/tags/`). This module imports nothing of the crate: `load` and `render`
//! both use it.

use std::path::Path;

use chrono::{DateTime, FixedOffset};

/// A taxonomy: the ways posts are grouped besides by author. A series is one
/// too (each post in at most one), with its parts in date order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Taxonomy {
    Tags,
    Categories,
    Series,
}

impl Taxonomy {
    /// Every taxonomy, in the order their pages and feeds are made.
    pub const ALL: [Taxonomy; 3] = [Taxonomy::Tags, Taxonomy::Categories, Taxonomy::Series];

    /// Its name in URLs and templates: `tags`, `categories`, `series`.
    pub fn name(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Categories => "categories",
            Taxonomy::Series => "series",
        }
    }

    /// One of its terms, in words: `tag`, `category`, `series`.
    pub fn singular(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tag",
            Taxonomy::Categories => "category",
            Taxonomy::Series => "series",
        }
    }

    /// Its title: `Tags`, `Categories`, `Series`.
    pub fn title(self) -> &'static str {
        match self {
            Taxonomy::Tags => "Tags",
            Taxonomy::Categories => "Categories",
            Taxonomy::Series => "Series",
        }
    }

    /// How a term page names its posts: "Posts tagged …", "Posts in …",
    /// "Posts in the series …".
    pub fn posts_are(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tagged",
            Taxonomy::Categories => "in",
            Taxonomy::Series => "in the series",
        }
    }

    /// Whether its pages list posts oldest first: a series is read in order.
    pub fn in_order(self) -> bool {
        self == Taxonomy::Series
    }

    /// Its position in [`Taxonomy::ALL`], for tables by taxonomy.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A feed format: every feed of the site (the site's, each author's, each
/// term's) is written in each format `[feeds] formats` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeedFormat {
    /// RSS 2.0, `rss.xml`: the feed every page links to first.
    Rss,
    /// Atom 1.0, `atom.xml`.
    Atom,
    /// JSON Feed 1.1, `feed.json`.
    Json,
}

impl FeedFormat {
    /// Every format, in the order their files are made and linked.
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    /// Its name in `[feeds] formats`: `rss`, `atom`, `json`.
    pub fn name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss",
            FeedFormat::Atom => "atom",
            FeedFormat::Json => "json",
        }
    }

    /// The format by its name in `[feeds] formats`.
    pub fn from_name(name: &str) -> Option<FeedFormat> {
        FeedFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Its name for people: `RSS`, `Atom`, `JSON Feed`.
    pub fn title(self) -> &'static str {
        match self {
            FeedFormat::Rss => "RSS",
            FeedFormat::Atom => "Atom",
            FeedFormat::Json => "JSON Feed",
        }
    }

    /// Its file name beside the page it belongs to.
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    /// Its media type, for `<link rel="alternate" type>`.
    pub fn mime_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }
}

/// One output of the site, by what it is. Ids are stable: slugs and paths, not
/// positions in a list, so a route names the same output from one build to the
/// next.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    /// Page N (1-based) of the home listing.
    Home(usize),
    /// A post, by its path (made from the `[permalinks]` pattern: [`post_path`]).
    Post(String),
    /// A page under `content/`, by its path ([`page_path`]).
    Page(String),
    /// The list of authors.
    Authors,
    /// Page N of an author's posts, by the author's slug.
    Author(String, usize),
    /// An author's feed.
    AuthorFeed(String),
    /// Every author's feeds as one OPML file, for feed readers to import.
    AuthorsOpml,
    /// The list of a taxonomy's terms.
    Terms(Taxonomy),
    /// Page N of a term's posts, by the term's slug.
    Term(Taxonomy, String, usize),
    /// A term's feed.
    TermFeed(Taxonomy, String),
    /// The share kit page of a post, by the post's slug.
    ShareKit(String),
    /// The share kit of a post as JSON.
    ShareJson(String),
    /// The site's feed.
    SiteFeed,
    Sitemap,
    /// The generated robots.txt (a static one takes its place).
    Robots,
    /// The code highlighting stylesheet.
    SyntaxCss,
    /// The 404 page.
    NotFound,
    /// A file copied as it is, by its output path ([`served_path`]).
    File(String),
    /// A redirect page at an old URL (an alias, or a `[redirects]` entry),
    /// by that old path ([`alias_path`] checks it).
    Alias(String),
    /// The host's redirect rules, `/_redirects` (Netlify and Cloudflare Pages
    /// read it), one line per redirect page.
    Redirects,
    /// Every post by year and month, `/archive/`.
    Archive,
    /// The posts of one year (`"2026"`) at the year's path of a dated
    /// permalink pattern ([`date_listing_path`]), or of one month of it
    /// (`"2026"`, `Some("11")`), for readers who trim a post's URL.
    Dated(String, String, Option<String>),
    /// A feed ([`Route::SiteFeed`], [`Route::AuthorFeed`],
    /// [`Route::TermFeed`], which are its RSS) in another format, beside it:
    /// `/authors/x/atom.xml`, `/feed.json`.
    FeedAs(FeedFormat, Box<Route>),
    /// The "Write for us" page, `/write/`: guests draft a post and propose
    /// it to the site's repository (only with `[guest] repository`).
    Write,
    /// What the write page checks against, `/write/site.json`: authors,
    /// tags, categories and `gen check`'s limits.
    WriteData,
    /// The search page, `/search/` (`[search] enabled`).
    Search,
    /// Page N of the newest entries of contributors' own blogs,
    /// `/contributors/` (from `gen fetch`'s data file).
    Contributors(usize),
    /// The same entries as one RSS feed, `/contributors/rss.xml`.
    ContributorsFeed,
    /// A file of the search index or of its UI, by its name inside
    /// [`SEARCH_BUNDLE`] (`pagefind-ui.js`, `fragment/<hash>.pf_fragment`).
    SearchFile(String),
}

/// The folder of the search index and of its UI files, from the site's root:
/// Pagefind's own name for it, which its scripts look for by default.
pub const SEARCH_BUNDLE: &str = "/pagefind/";

/// The generated files besides pages and feeds, in the order they are made.
pub const EXTRAS: [Route; 3] = [Route::Sitemap, Route::Robots, Route::SyntaxCss];

/// The path of page `n` of a listing at `base` (`/tags/x/` → `/tags/x/page/2/`).
fn paged(base: String, n: usize) -> String {
    if n <= 1 {
        base
    } else {
        format!("{base}page/{n}/")
    }
}

impl Route {
    /// Its URL path, from the site's root: `/tags/x/page/2/`, `/rss.xml`,
    /// `/share/<slug>/snippets.json`.
    pub fn path(&self) -> String {
        match self {
            Route::Home(n) => paged("/".into(), *n),
            Route::Post(path) | Route::Page(path) => path.clone(),
            Route::Authors => "/authors/".into(),
            Route::Author(slug, n) => paged(format!("/authors/{slug}/"), *n),
            Route::AuthorFeed(slug) => format!("/authors/{slug}/rss.xml"),
            Route::AuthorsOpml => "/authors/opml.xml".into(),
            Route::Terms(t) => format!("/{}/", t.name()),
            Route::Term(t, slug, n) => paged(format!("/{}/{slug}/", t.name()), *n),
            Route::TermFeed(t, slug) => format!("/{}/{slug}/rss.xml", t.name()),
            Route::ShareKit(slug) => format!("/share/{slug}/"),
            Route::ShareJson(slug) => format!("/share/{slug}/snippets.json"),
            Route::SiteFeed => "/rss.xml".into(),
            Route::Sitemap => "/sitemap.xml".into(),
            Route::Robots => "/robots.txt".into(),
            Route::SyntaxCss => "/syntax.css".into(),
            Route::NotFound => "/404.html".into(),
            Route::File(dest) => format!("/{dest}"),
            Route::Alias(path) => path.clone(),
            Route::Redirects => "/_redirects".into(),
            Route::Archive => "/archive/".into(),
            Route::Write => "/write/".into(),
            Route::WriteData => "/write/site.json".into(),
            Route::Dated(pattern, year, month) => {
                date_listing_path(pattern, year, month.as_deref()).unwrap_or_default()
            }
            Route::FeedAs(format, rss) => {
                let p = rss.path();
                let dir = p.strip_suffix(FeedFormat::Rss.file_name()).unwrap_or(&p);
                format!("{dir}{}", format.file_name())
            }
            Route::Search => "/search/".into(),
            Route::Contributors(n) => paged("/contributors/".into(), *n),
            Route::ContributorsFeed => "/contributors/rss.xml".into(),
            Route::SearchFile(name) => format!("{SEARCH_BUNDLE}{name}"),
        }
    }

    /// Its output file, relative and `/`-separated: `index.html` for a folder
    /// URL (`tags/x/page/2/index.html`).
    pub fn file(&self) -> String {
        match self {
            Route::File(dest) => dest.clone(),
            _ => file_of(&self.path()),
        }
    }

    /// Page `n` of the same listing (the home page, an author's, a term's);
    /// other routes have one page and stay as they are.
    pub fn page(&self, n: usize) -> Route {
        match self {
            Route::Home(_) => Route::Home(n),
            Route::Author(slug, _) => Route::Author(slug.clone(), n),
            Route::Term(t, slug, _) => Route::Term(*t, slug.clone(), n),
            Route::Contributors(_) => Route::Contributors(n),
            other => other.clone(),
        }
    }

    /// A feed (its RSS route) in `format`: itself for RSS.
    pub fn feed_as(&self, format: FeedFormat) -> Route {
        match (format, self) {
            (FeedFormat::Rss, Route::FeedAs(_, rss)) => (**rss).clone(),
            (FeedFormat::Rss, _) => self.clone(),
            (_, Route::FeedAs(_, rss)) => Route::FeedAs(format, rss.clone()),
            _ => Route::FeedAs(format, Box::new(self.clone())),
        }
    }

    /// The format of a feed route (RSS for the plain ones).
    pub fn feed_format(&self) -> FeedFormat {
        match self {
            Route::FeedAs(f, _) => *f,
            _ => FeedFormat::Rss,
        }
    }

    /// The feed of a listing: the site's for the home page, an author's or a
    /// term's for their pages.
    pub fn feed(&self) -> Option<Route> {
        match self {
            Route::Home(_) => Some(Route::SiteFeed),
            Route::Author(slug, _) => Some(Route::AuthorFeed(slug.clone())),
            Route::Term(t, slug, _) => Some(Route::TermFeed(*t, slug.clone())),
            _ => None,
        }
    }

    /// The HTML page a feed belongs to (its first page); other routes are their
    /// own page.
    pub fn feed_page(&self) -> Route {
        match self {
            Route::FeedAs(_, rss) => rss.feed_page(),
            Route::SiteFeed => Route::Home(1),
            Route::AuthorFeed(slug) => Route::Author(slug.clone(), 1),
            Route::TermFeed(t, slug) => Route::Term(*t, slug.clone(), 1),
            Route::ContributorsFeed => Route::Contributors(1),
            other => other.clone(),
        }
    }
}

/// The output file of a URL path: `index.html` for folder URLs.
fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// The URL path of an output file: `tags/x/index.html` → `/tags/x/`.
pub fn url_of(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{file}"),
    }
}

/// A URL path as compared with others that name the same page: from the
/// root, without `index.html` or a trailing slash (`/` stays `/`), so that
/// `/a/b/`, `/a/b` and `/a/b/index.html` are one. For paths written
/// elsewhere (an analytics export, a webmention's target).
pub fn match_key(path: &str) -> String {
    let p = path.trim();
    let p = p.strip_suffix("index.html").unwrap_or(p);
    let p = p.trim_matches('/');
    format!("/{p}")
}

/// The `[permalinks] post` pattern when gen.toml gives none.
pub const DEFAULT_POST_PATTERN: &str = "/posts/:slug/";

/// Whether `pattern` can be a `[permalinks] post` pattern: it starts with `/`
/// and contains `:slug`, so every post gets its own path under the root.
pub fn valid_post_pattern(pattern: &str) -> bool {
    pattern.contains(":slug") && pattern.starts_with('/')
}

/// A post's path: its `[permalinks] post` pattern (`/posts/:year/:slug/`)
/// filled with its date and slug, always ending in `/`.
pub fn post_path(pattern: &str, slug: &str, date: &DateTime<FixedOffset>) -> String {
    let mut p = pattern
        .replace(":year", &date.format("%Y").to_string())
        .replace(":month", &date.format("%m").to_string())
        .replace(":day", &date.format("%d").to_string())
        .replace(":slug", slug);
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

/// The path of the posts of a year (`month` `None`) or of a month under a
/// dated `[permalinks] post` pattern: the pattern cut after `:year/` or
/// `:year/:month/` (`/news/:year/:month/:slug/` → `/news/2026/`,
/// `/news/2026/11/`). `None` when the pattern has no such part (no
/// `:year` segment, a placeholder before it, or no `:month` right after it
/// for a month).
pub fn date_listing_path(pattern: &str, year: &str, month: Option<&str>) -> Option<String> {
    let at = pattern.find("/:year/")?;
    let prefix = &pattern[..=at];
    if prefix.contains(':') {
        return None;
    }
    let rest = &pattern[at + "/:year/".len()..];
    match month {
        None => Some(format!("{prefix}{year}/")),
        Some(m) if rest.starts_with(":month/") => Some(format!("{prefix}{year}/{m}/")),
        Some(_) => None,
    }
}

/// A page's path: its place under `content/` (`folder`, relative to it) and
/// its slug, the file's stem unless its front matter gives one; `index` is
/// the folder itself (`content/about/index.md` → `/about/`).
pub fn page_path(folder: Option<&Path>, slug: &str) -> String {
    let mut path = String::from("/");
    if let Some(folder) = folder {
        for c in folder.components() {
            path.push_str(&c.as_os_str().to_string_lossy());
            path.push('/');
        }
    }
    if slug != "index" {
        path.push_str(slug);
        path.push('/');
    }
    path
}

/// Where a copied site file is served: `static/x` at `/x`, a bundle's file
/// beside its post (`bundle`: the bundle's folder and the post's path), other
/// files under `content/` at their path. `None` for files the build does not
/// publish.
pub fn served_path(target: &Path, bundle: Option<(&Path, &str)>) -> Option<String> {
    let slashed = |p: &Path| p.to_string_lossy().replace('\\', "/");
    if let Some((dir, post_path)) = bundle
        && let Ok(rest) = target.strip_prefix(dir)
    {
        return Some(format!("{post_path}{}", slashed(rest)));
    }
    if let Ok(rest) = target.strip_prefix("static") {
        return Some(format!("/{}", slashed(rest)));
    }
    if let Ok(rest) = target.strip_prefix("content")
        && !rest.starts_with("posts")
    {
        return Some(format!("/{}", slashed(rest)));
    }
    None
}

/// Where a resized variant of a picture is served:
/// `/processed_images/<stem>-<key>-<width>w.<ext>` (`key` names the picture's
/// bytes, so a changed picture gets new URLs and caches never serve the old).
pub fn processed_image_path(stem: &str, key: &str, width: u32, ext: &str) -> String {
    format!("/processed_images/{stem}-{key}-{width}w.{ext}")
}

/// `/processed_images/<stem>-<key>-<width>x<height>.<ext>`, a picture
/// `resize_image` made (`key` names the picture's bytes and the operation).
pub fn resized_image_path(stem: &str, key: &str, width: u32, height: u32, ext: &str) -> String {
    format!("/processed_images/{stem}-{key}-{width}x{height}.{ext}")
}

/// `/processed_images/card-<slug>-<key>.png`, a post's social card (`key`
/// names what it shows, so a changed title gets a new URL).
pub fn social_card_path(slug: &str, key: &str) -> String {
    format!("/processed_images/card-{slug}-{key}.png")
}

/// What is wrong with an alias (an old URL path that redirects to a page of
/// the site), for an error message; [`alias_path`] makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasProblem {
    /// What is wrong, in words ("must start with `/`").
    pub problem: &'static str,
    /// The alias as it should be written, when that is clear.
    pub suggestion: Option<String>,
}

/// Checks an alias: a path on this site (`/old/path/` or a file name like
/// `/old.html`), absolute from the site's root, with no `.` or `..` segment,
/// no empty segment, no query or fragment, no percent-escapes (the output
/// file is named by the characters themselves) and no characters a URL or a
/// `_redirects` line cannot hold. A path whose last segment is neither empty
/// nor a file name (`/old/path`) is refused with the form to write: a host
/// serves `/old/path/` from `old/path/index.html`, and only a normalised path
/// names one output file.
pub fn alias_path(alias: &str) -> Result<&str, AliasProblem> {
    let fail = |problem, suggestion: Option<String>| AliasProblem {
        problem,
        suggestion,
    };
    if alias.is_empty() {
        return Err(fail("is empty", None));
    }
    if let Some(rest) = alias
        .strip_prefix("https://")
        .or_else(|| alias.strip_prefix("http://"))
    {
        let path = rest.find('/').map_or("/", |k| &rest[k..]);
        let path = path.find(['?', '#']).map_or(path, |k| &path[..k]);
        return Err(fail(
            "must be a path on this site, not a whole URL",
            alias_path(path).ok().map(str::to_string),
        ));
    }
    if let Some(k) = alias.find(['?', '#']) {
        return Err(fail(
            "cannot have a query (`?…`) or fragment (`#…`): a static file answers a path only",
            alias_path(&alias[..k]).ok().map(str::to_string),
        ));
    }
    if !alias.starts_with('/') {
        let fixed = format!("/{alias}");
        let ok = alias_path(&fixed).is_ok();
        return Err(fail(
            "must start with `/` (a path from the site's root)",
            ok.then_some(fixed),
        ));
    }
    if alias
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '"' | '<' | '>' | '%'))
    {
        return Err(fail(
            "has a character a path cannot hold here (a space, `\\`, `\"`, `<`, `>` or a `%` escape)",
            None,
        ));
    }
    let inner = alias.trim_start_matches('/');
    let segments: Vec<&str> = inner.split('/').collect();
    let (last, folders) = segments.split_last().unwrap_or((&"", &[]));
    if alias.starts_with("//") || folders.iter().any(|s| s.is_empty()) {
        return Err(fail("has an empty segment (`//`)", None));
    }
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err(fail("cannot have `.` or `..` segments", None));
    }
    if !last.is_empty() && !last.contains('.') {
        return Err(fail(
            "must end in `/` (a folder URL) or name a file like `/old.html`",
            Some(format!("{alias}/")),
        ));
    }
    Ok(alias)
}

/// The old URL of an author or term under a `[redirects]` pattern
/// (`/author/:slug/` → `/author/holly/`).
pub fn redirect_pattern_path(pattern: &str, slug: &str) -> String {
    pattern.replace(":slug", slug)
}

/// Where a picture beside an author's profile (`authors/<file>`) is served:
/// in the author's folder, `/authors/<slug>/<file>`.
pub fn author_file_path(slug: &str, file: &str) -> String {
    format!("{}{file}", Route::Author(slug.to_string(), 1).path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_s_paths_are_compared_in_one_form() {
        for same in [
            "/posts/hi/",
            "/posts/hi",
            "/posts/hi/index.html",
            "posts/hi",
        ] {
            assert_eq!(match_key(same), "/posts/hi", "{same}");
        }
        assert_eq!(match_key("/old.html"), "/old.html");
        assert_eq!(match_key("/"), "/");
        assert_eq!(match_key("/index.html"), "/");
        assert_eq!(match_key(""), "/");
    }

    #[test]
    fn paths_and_files() {
        let cases: [(Route, &str, &str); 13] = [
            (Route::Home(1), "/", "index.html"),
            (Route::Home(3), "/page/3/", "page/3/index.html"),
            (Route::Authors, "/authors/", "authors/index.html"),
            (
                Route::Author("ada".into(), 2),
                "/authors/ada/page/2/",
                "authors/ada/page/2/index.html",
            ),
            (
                Route::AuthorFeed("ada".into()),
                "/authors/ada/rss.xml",
                "authors/ada/rss.xml",
            ),
            (Route::AuthorsOpml, "/authors/opml.xml", "authors/opml.xml"),
            (
                Route::Terms(Taxonomy::Categories),
                "/categories/",
                "categories/index.html",
            ),
            (
                Route::Term(Taxonomy::Tags, "x".into(), 1),
                "/tags/x/",
                "tags/x/index.html",
            ),
            (
                Route::TermFeed(Taxonomy::Tags, "x".into()),
                "/tags/x/rss.xml",
                "tags/x/rss.xml",
            ),
            (
                Route::ShareJson("p".into()),
                "/share/p/snippets.json",
                "share/p/snippets.json",
            ),
            (Route::SiteFeed, "/rss.xml", "rss.xml"),
            (Route::NotFound, "/404.html", "404.html"),
            (Route::File("a/b.png".into()), "/a/b.png", "a/b.png"),
        ];
        for (route, path, file) in cases {
            assert_eq!(route.path(), path, "{route:?}");
            assert_eq!(route.file(), file, "{route:?}");
            assert_eq!(url_of(&route.file()), path, "{route:?}");
        }
    }

    #[test]
    fn urls_of_files() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("tags/x/index.html"), "/tags/x/");
        assert_eq!(url_of("404.html"), "/404.html");
        assert_eq!(url_of("a/myindex.html"), "/a/myindex.html");
        assert_eq!(url_of("rss.xml"), "/rss.xml");
    }

    #[test]
    fn listings_and_their_feeds() {
        let term = Route::Term(Taxonomy::Tags, "x".into(), 1);
        assert_eq!(term.page(2).path(), "/tags/x/page/2/");
        assert_eq!(
            term.feed(),
            Some(Route::TermFeed(Taxonomy::Tags, "x".into()))
        );
        assert_eq!(term.feed().map(|f| f.feed_page()), Some(term));
        assert_eq!(Route::SiteFeed.feed_page(), Route::Home(1));
    }

    #[test]
    fn patterns() {
        let d = chrono::DateTime::parse_from_rfc3339("2024-03-05T10:00:00+00:00").unwrap();
        assert_eq!(
            post_path("/:year/:month/:day/:slug", "x", &d),
            "/2024/03/05/x/"
        );
        assert_eq!(post_path(DEFAULT_POST_PATTERN, "x", &d), "/posts/x/");
        assert!(valid_post_pattern("/:year/:slug/"));
        assert!(!valid_post_pattern(":slug/"));
        assert!(!valid_post_pattern("/posts/"));
    }

    /// Every shape a blog moving in may need: WordPress's dated ones, a
    /// section prefix, and the default.
    #[test]
    fn permalink_shapes() {
        let d = chrono::DateTime::parse_from_rfc3339("2026-11-02T23:30:00-05:00").unwrap();
        let cases = [
            ("/:year/:month/:day/:slug/", "/2026/11/02/hello/"),
            ("/:year/:month/:slug/", "/2026/11/hello/"),
            ("/blog/:slug/", "/blog/hello/"),
            ("/news/:year/:month/:day/:slug/", "/news/2026/11/02/hello/"),
            ("/posts/:slug/", "/posts/hello/"),
            ("/:year/:slug", "/2026/hello/"),
        ];
        for (pattern, path) in cases {
            assert!(valid_post_pattern(pattern), "{pattern}");
            // The date as written (its own offset), not converted to UTC.
            assert_eq!(post_path(pattern, "hello", &d), path, "{pattern}");
            let route = Route::Post(path.to_string());
            assert_eq!(url_of(&route.file()), path);
        }
    }

    #[test]
    fn feeds_in_every_format() {
        let author = Route::AuthorFeed("ada".into());
        let cases = [
            (Route::SiteFeed, FeedFormat::Atom, "/atom.xml"),
            (Route::SiteFeed, FeedFormat::Json, "/feed.json"),
            (author.clone(), FeedFormat::Atom, "/authors/ada/atom.xml"),
            (
                Route::TermFeed(Taxonomy::Tags, "x".into()),
                FeedFormat::Json,
                "/tags/x/feed.json",
            ),
            (author.clone(), FeedFormat::Rss, "/authors/ada/rss.xml"),
        ];
        for (rss, format, path) in cases {
            let route = rss.feed_as(format);
            assert_eq!(route.path(), path);
            assert_eq!(route.feed_format(), format);
            assert_eq!(route.feed_page(), rss.feed_page());
            assert_eq!(
                route.feed_as(FeedFormat::Atom),
                rss.feed_as(FeedFormat::Atom)
            );
            assert_eq!(route.feed_as(FeedFormat::Rss), rss);
        }
        for f in FeedFormat::ALL {
            assert_eq!(FeedFormat::from_name(f.name()), Some(f));
        }
    }

    #[test]
    fn dated_listings() {
        let cases = [
            (
                "/:year/:month/:day/:slug/",
                Some("/2026/"),
                Some("/2026/11/"),
            ),
            ("/:year/:month/:slug/", Some("/2026/"), Some("/2026/11/")),
            (
                "/news/:year/:month/:day/:slug/",
                Some("/news/2026/"),
                Some("/news/2026/11/"),
            ),
            ("/:year/:slug/", Some("/2026/"), None),
            ("/blog/:slug/", None, None),
            ("/posts/:slug/", None, None),
            ("/:slug/:year/", None, None),
        ];
        for (pattern, year, month) in cases {
            assert_eq!(
                date_listing_path(pattern, "2026", None).as_deref(),
                year,
                "{pattern}"
            );
            assert_eq!(
                date_listing_path(pattern, "2026", Some("11")).as_deref(),
                month,
                "{pattern}"
            );
        }
        let r = Route::Dated(
            "/:year/:month/:slug/".into(),
            "2026".into(),
            Some("11".into()),
        );
        assert_eq!(r.file(), "2026/11/index.html");
        assert_eq!(Route::Archive.file(), "archive/index.html");
        assert_eq!(Route::Write.file(), "write/index.html");
        assert_eq!(Route::WriteData.file(), "write/site.json");
    }

    #[test]
    fn aliases() {
        for ok in [
            "/old/",
            "/2019/05/hello/",
            "/old.html",
            "/a/b/feed.xml",
            "/",
        ] {
            assert_eq!(alias_path(ok), Ok(ok), "{ok}");
        }
        let cases: [(&str, Option<&str>); 10] = [
            ("/old/path", Some("/old/path/")),
            ("old/", Some("/old/")),
            ("https://old.example/x/", Some("/x/")),
            ("/x/?p=1", Some("/x/")),
            ("/x/#top", Some("/x/")),
            ("/a/../b/", None),
            ("/a//b/", None),
            ("//a/", None),
            ("/a b/", None),
            ("/caf%C3%A9/", None),
        ];
        for (bad, suggestion) in cases {
            let e = alias_path(bad).expect_err(bad);
            assert_eq!(e.suggestion.as_deref(), suggestion, "{bad}");
        }
        assert_eq!(alias_path("").unwrap_err().problem, "is empty");
        let alias = Route::Alias("/old.html".into());
        assert_eq!(
            (alias.path().as_str(), alias.file().as_str()),
            ("/old.html", "old.html")
        );
        let alias = Route::Alias("/old/".into());
        assert_eq!(alias.file(), "old/index.html");
        assert_eq!(Route::Redirects.file(), "_redirects");
        assert_eq!(
            redirect_pattern_path("/author/:slug/", "ada"),
            "/author/ada/"
        );
    }

    #[test]
    fn pages_and_files() {
        assert_eq!(page_path(Some(Path::new("")), "about"), "/about/");
        assert_eq!(
            page_path(Some(Path::new("tags")), "rituals"),
            "/tags/rituals/"
        );
        assert_eq!(page_path(Some(Path::new("docs")), "index"), "/docs/");
        assert_eq!(author_file_path("ada", "me.jpg"), "/authors/ada/me.jpg");
    }

    #[test]
    fn permalinks() {
        let d = crate::load::dates::parse_date("2024-05-01").unwrap();
        assert_eq!(
            post_path("/:year/:month/:day/:slug", "x", &d),
            "/2024/05/01/x/"
        );
    }

    #[test]
    fn served_paths() {
        assert_eq!(
            served_path(Path::new("static/images/a.jpg"), None).as_deref(),
            Some("/images/a.jpg")
        );
        assert_eq!(
            served_path(
                Path::new("content/posts/b/c.png"),
                Some((Path::new("content/posts/b"), "/posts/b/"))
            )
            .as_deref(),
            Some("/posts/b/c.png")
        );
        assert_eq!(served_path(Path::new("content/posts/c.png"), None), None);
        assert_eq!(served_path(Path::new("gen.toml"), None), None);
    }
}
