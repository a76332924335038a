//! Feeds and the sitemap. Built by the program, not by templates, so every
//! feed is valid: RSS 2.0 with the `rss` crate, Atom 1.0 with
//! `atom_syndication`, JSON Feed 1.1 with serde, each format of the same feed
//! from the same items ([`FeedItem`]: every author, absolute links, the same
//! `feed_limit`). Every feed of a site is assembled in [`site_feeds`]: the
//! site's, each author's and each term's, in each format `[feeds] formats`
//! names, with their titles, descriptions and posts; their URLs come from
//! [`Route`].

use std::collections::BTreeMap;

use rss::extension::atom::{AtomExtensionBuilder, Link};
use rss::extension::dublincore::DublinCoreExtensionBuilder;
use rss::{CategoryBuilder, ChannelBuilder, GuidBuilder, ItemBuilder};

use crate::config::{Config, FeedContent};
use crate::diag::Diagnostic;
use crate::load::Site;
use crate::markdown::Rendered;

use super::{Indices, Prepared};
use crate::routes::{FeedFormat, Route, Taxonomy};

/// What a feed is about.
pub struct FeedSpec<'a> {
    pub title: String,
    pub description: String,
    /// Path of the HTML page the feed belongs to.
    pub page_path: &'a str,
    /// Path of the feed itself.
    pub feed_path: String,
}

/// Writes one feed of the given posts (indices into `site.posts`, newest first).
/// `html` gives a post's page body (for `feed_content = "full"`).
pub fn feed(
    site: &Site,
    rendered: &[Rendered],
    html: &dyn Fn(usize) -> String,
    spec: &FeedSpec<'_>,
    posts: &[usize],
) -> String {
    let config: &Config = &site.config;
    let items: Vec<rss::Item> = posts
        .iter()
        .take(config.feed_limit)
        .map(|&i| {
            let post = &site.posts[i];
            let r = &rendered[i];
            let url = config.url(&post.path);
            let names: Vec<String> = post
                .authors
                .iter()
                .filter_map(|a| site.authors.get(a).map(|a| a.name.clone()))
                .collect();
            let mut body = match config.feed_content {
                FeedContent::Full => html(i),
                FeedContent::Summary => r.summary.clone(),
            };
            if let Some(c) = &post.image {
                let src = super::context::asset_url(config, &c.asset);
                body = format!(
                    "<p><img src=\"{}\" alt=\"{}\"></p>\n{body}",
                    escape_attr(&src),
                    escape_attr(&c.alt)
                );
            }
            let categories = post
                .tags
                .iter()
                .map(|t| {
                    CategoryBuilder::default()
                        .name(t.clone())
                        .domain(Some(config.url(&Route::Terms(Taxonomy::Tags).path())))
                        .build()
                })
                .chain(post.categories.iter().map(|c| {
                    CategoryBuilder::default()
                        .name(c.clone())
                        .domain(Some(config.url(&Route::Terms(Taxonomy::Categories).path())))
                        .build()
                }))
                .collect::<Vec<_>>();
            ItemBuilder::default()
                .title(Some(post.title.clone()))
                .link(Some(url.clone()))
                .guid(Some(
                    GuidBuilder::default().value(url).permalink(true).build(),
                ))
                .pub_date(Some(post.date.to_rfc2822()))
                .description(Some(body))
                .categories(categories)
                .dublin_core_ext(Some(
                    DublinCoreExtensionBuilder::default()
                        .creators(names)
                        .build(),
                ))
                .build()
        })
        .collect();
    let last = posts.first().map(|&i| {
        let p = &site.posts[i];
        p.updated.unwrap_or(p.date).to_rfc2822()
    });
    let mut channel = rss_channel(
        config,
        &spec.title,
        if spec.description.is_empty() {
            &spec.title
        } else {
            &spec.description
        },
        spec.page_path,
        &spec.feed_path,
        last,
    );
    // Set after `build`, which clones what the builder holds: the items carry
    // whole post bodies.
    channel.set_items(items);
    let estimate = channel
        .items()
        .iter()
        .map(|i| i.description().map_or(0, str::len))
        .sum::<usize>()
        * 5
        / 4
        + 4096;
    let xml = channel
        .write_to(Vec::with_capacity(estimate))
        .unwrap_or_default();
    // quick-xml writes the UTF-8 it was given.
    let mut out = String::from_utf8(xml).unwrap_or_default();
    if !out.starts_with("<?xml") {
        out.insert_str(0, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    }
    out
}

/// `/contributors/rss.xml`: the newest entries of contributors' own blogs
/// as one RSS feed (a planet), each item linked to the entry on its author's
/// blog and credited with `dc:creator`. `name` gives an author's name by
/// slug. Summaries are plain text (the rss crate escapes them).
pub fn contributors_feed(
    config: &Config,
    title: &str,
    feed_path: &str,
    page_path: &str,
    entries: &[&crate::load::contributors::Contribution],
    name: &dyn Fn(&str) -> Option<String>,
) -> String {
    let items: Vec<rss::Item> = entries
        .iter()
        .map(|c| {
            ItemBuilder::default()
                .title(Some(c.title.clone()))
                .link(Some(c.link.clone()))
                .guid(Some(
                    GuidBuilder::default()
                        .value(c.link.clone())
                        .permalink(true)
                        .build(),
                ))
                .pub_date(c.date.map(|d| d.to_rfc2822()))
                .description((!c.summary.is_empty()).then(|| c.summary.clone()))
                .dublin_core_ext(Some(
                    DublinCoreExtensionBuilder::default()
                        .creators(name(&c.author).into_iter().collect::<Vec<_>>())
                        .build(),
                ))
                .build()
        })
        .collect();
    // The newest dated entry, never the clock.
    let last = entries
        .iter()
        .filter_map(|c| c.date)
        .max()
        .map(|d| d.to_rfc2822());
    let description = format!(
        "The newest posts that the authors of {} wrote on their own blogs",
        config.title
    );
    let mut channel = rss_channel(config, title, &description, page_path, feed_path, last);
    channel.set_items(items);
    let xml = channel.write_to(Vec::new()).unwrap_or_default();
    let mut out = String::from_utf8(xml).unwrap_or_default();
    if !out.starts_with("<?xml") {
        out.insert_str(0, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    }
    out
}

/// An RSS channel of this site, without its items: `title` and
/// `description`, the page it belongs to and its own address (an Atom
/// `self` link), the Dublin Core namespace for the items' creators, and
/// `last` as its dates (the newest item's, never the clock).
fn rss_channel(
    config: &Config,
    title: &str,
    description: &str,
    page_path: &str,
    feed_path: &str,
    last: Option<String>,
) -> rss::Channel {
    let mut namespaces = BTreeMap::new();
    namespaces.insert(
        "atom".to_string(),
        rss::extension::atom::NAMESPACE.to_string(),
    );
    namespaces.insert(
        "dc".to_string(),
        rss::extension::dublincore::NAMESPACE.to_string(),
    );
    let self_link = Link {
        href: config.url(feed_path),
        rel: "self".into(),
        mime_type: Some("application/rss+xml".into()),
        ..Link::default()
    };
    ChannelBuilder::default()
        .title(title.to_string())
        .link(config.url(page_path))
        .description(description.to_string())
        .language(Some(config.language.clone()))
        .generator(Some("Byline".to_string()))
        .last_build_date(last.clone())
        .pub_date(last)
        .namespaces(namespaces)
        .atom_ext(Some(
            AtomExtensionBuilder::default()
                .links(vec![self_link])
                .build(),
        ))
        .build()
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::markdown::highlight::escape_into(s, &mut out);
    out
}

/// `sitemap.xml` for the given (path, last-modified) entries.
pub fn sitemap(config: &Config, entries: &[(String, Option<String>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in entries {
        out.push_str("  <url>\n    <loc>");
        out.push_str(&escape_attr(&config.url(path)));
        out.push_str("</loc>\n");
        if let Some(m) = lastmod {
            out.push_str("    <lastmod>");
            out.push_str(m);
            out.push_str("</lastmod>\n");
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// One post as every feed format shows it.
struct FeedItem {
    url: String,
    title: String,
    published: chrono::DateTime<chrono::FixedOffset>,
    updated: chrono::DateTime<chrono::FixedOffset>,
    /// Each author's name and absolute author page URL.
    authors: Vec<(String, String)>,
    /// The body (or summary) as HTML, the cover first.
    html: String,
    /// The front matter's description, if any.
    summary: Option<String>,
    /// The cover's absolute URL.
    image: Option<String>,
    /// Tags and categories: name, and the absolute URL of their list.
    terms: Vec<(String, String)>,
}

/// The items of a feed: its first `feed_limit` posts. `html` gives a post's
/// page body (for `feed_content = "full"`).
fn feed_items(
    site: &Site,
    rendered: &[Rendered],
    html: &dyn Fn(usize) -> String,
    posts: &[usize],
) -> Vec<FeedItem> {
    let config = &site.config;
    posts
        .iter()
        .take(config.feed_limit)
        .map(|&i| {
            let post = &site.posts[i];
            let r = &rendered[i];
            let mut body = match config.feed_content {
                FeedContent::Full => html(i),
                FeedContent::Summary => r.summary.clone(),
            };
            let image = post
                .image
                .as_ref()
                .map(|c| (super::context::asset_url(config, &c.asset), &c.alt));
            if let Some((src, alt)) = &image {
                body = format!(
                    "<p><img src=\"{}\" alt=\"{}\"></p>\n{body}",
                    escape_attr(src),
                    escape_attr(alt)
                );
            }
            let term_list = |t: Taxonomy| config.url(&Route::Terms(t).path());
            FeedItem {
                url: config.url(&post.path),
                title: post.title.clone(),
                published: post.date,
                updated: post.updated.unwrap_or(post.date),
                authors: post
                    .authors
                    .iter()
                    .filter_map(|a| site.authors.get(a))
                    .map(|a| {
                        (
                            a.name.clone(),
                            config.url(&Route::Author(a.slug.clone(), 1).path()),
                        )
                    })
                    .collect(),
                html: body,
                summary: post.description.clone(),
                image: image.map(|(src, _)| src),
                terms: post
                    .tags
                    .iter()
                    .map(|t| (t.clone(), term_list(Taxonomy::Tags)))
                    .chain(
                        post.categories
                            .iter()
                            .map(|c| (c.clone(), term_list(Taxonomy::Categories))),
                    )
                    .collect(),
            }
        })
        .collect()
}

/// Writes one Atom 1.0 feed of the given posts (newest first); `html` as
/// for [`feed`].
pub fn atom(
    site: &Site,
    rendered: &[Rendered],
    html: &dyn Fn(usize) -> String,
    spec: &FeedSpec<'_>,
    posts: &[usize],
) -> String {
    use atom_syndication as atom;
    let config = &site.config;
    let items = feed_items(site, rendered, html, posts);
    let link = |href: String, rel: &str, mime: Option<&str>| atom::Link {
        href,
        rel: rel.into(),
        mime_type: mime.map(str::to_string),
        ..Default::default()
    };
    let entries: Vec<atom::Entry> = items
        .into_iter()
        .map(|it| atom::Entry {
            title: atom::Text::plain(it.title),
            id: it.url.clone(),
            updated: it.updated,
            published: Some(it.published),
            authors: it
                .authors
                .into_iter()
                .map(|(name, uri)| atom::Person {
                    name,
                    uri: Some(uri),
                    ..Default::default()
                })
                .collect(),
            categories: it
                .terms
                .into_iter()
                .map(|(term, scheme)| atom::Category {
                    term,
                    scheme: Some(scheme),
                    label: None,
                })
                .collect(),
            links: vec![link(it.url, "alternate", Some("text/html"))],
            summary: it.summary.map(atom::Text::plain),
            content: Some(atom::Content {
                value: Some(it.html),
                content_type: Some("html".into()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let page = config.url(spec.page_path);
    let feed = atom::Feed {
        title: atom::Text::plain(spec.title.clone()),
        id: config.url(&spec.feed_path),
        updated: feed_updated_of(&entries),
        links: vec![
            link(
                config.url(&spec.feed_path),
                "self",
                Some("application/atom+xml"),
            ),
            link(page, "alternate", Some("text/html")),
        ],
        subtitle: (!spec.description.is_empty())
            .then(|| atom::Text::plain(spec.description.clone())),
        generator: Some(atom::Generator {
            value: "Byline".into(),
            ..Default::default()
        }),
        lang: Some(config.language.clone()),
        entries,
        ..Default::default()
    };
    let xml = feed
        .write_to(Vec::new())
        .map(|w| String::from_utf8(w).unwrap_or_default())
        .unwrap_or_default();
    let mut out = xml;
    if !out.starts_with("<?xml") {
        out.insert_str(0, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    }
    out.push('\n');
    out
}

fn feed_updated_of(entries: &[atom_syndication::Entry]) -> chrono::DateTime<chrono::FixedOffset> {
    entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| chrono::DateTime::UNIX_EPOCH.fixed_offset())
}

/// JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>), as serde writes it.
#[derive(serde::Serialize)]
struct JsonFeed {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    language: String,
    items: Vec<JsonItem>,
}

#[derive(serde::Serialize)]
struct JsonItem {
    id: String,
    url: String,
    title: String,
    content_html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    date_modified: String,
    authors: Vec<JsonAuthor>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

#[derive(serde::Serialize)]
struct JsonAuthor {
    name: String,
    url: String,
}

/// Writes one JSON Feed 1.1 of the given posts (newest first); `html` as
/// for [`feed`].
pub fn json_feed(
    site: &Site,
    rendered: &[Rendered],
    html: &dyn Fn(usize) -> String,
    spec: &FeedSpec<'_>,
    posts: &[usize],
) -> String {
    let config = &site.config;
    let items = feed_items(site, rendered, html, posts)
        .into_iter()
        .map(|it| JsonItem {
            id: it.url.clone(),
            url: it.url,
            title: it.title,
            content_html: it.html,
            summary: it.summary,
            image: it.image,
            date_published: it.published.to_rfc3339(),
            date_modified: it.updated.to_rfc3339(),
            authors: it
                .authors
                .into_iter()
                .map(|(name, url)| JsonAuthor { name, url })
                .collect(),
            tags: it.terms.into_iter().map(|(name, _)| name).collect(),
        })
        .collect();
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: spec.title.clone(),
        home_page_url: config.url(spec.page_path),
        feed_url: config.url(&spec.feed_path),
        description: (!spec.description.is_empty()).then(|| spec.description.clone()),
        language: config.language.clone(),
        items,
    };
    serde_json::to_string_pretty(&feed).unwrap_or_default() + "\n"
}

/// One feed to write.
#[derive(Debug, Clone)]
pub struct FeedJob<'p> {
    /// Whose feed it is: [`Route::SiteFeed`], [`Route::AuthorFeed`] or
    /// [`Route::TermFeed`] (RSS), or one of them in another format
    /// ([`Route::FeedAs`]); its URL and output file.
    pub route: Route,
    pub title: String,
    pub description: String,
    /// Its posts, newest first (the feed shows the first `feed_limit`).
    pub posts: std::borrow::Cow<'p, [usize]>,
}

/// Every feed of a site whose posts by author and term are `indices`: the
/// site's, each author's and each term's.
pub fn site_feeds<'p>(site: &'p Site, indices: &'p Indices) -> Vec<FeedJob<'p>> {
    let config = &site.config;
    let mut feeds = vec![FeedJob {
        route: Route::SiteFeed,
        title: config.title.clone(),
        description: config.description.clone(),
        posts: (0..site.posts.len()).collect(),
    }];
    for a in site.authors.values() {
        feeds.push(FeedJob {
            route: Route::AuthorFeed(a.slug.clone()),
            title: format!("{} — {}", a.name, config.title),
            description: format!("Posts by {} on {}", a.name, config.title),
            posts: indices.by_author[&a.slug].as_slice().into(),
        });
    }
    for t in Taxonomy::ALL {
        for term in indices.taxonomy(t) {
            feeds.push(FeedJob {
                route: Route::TermFeed(t, term.slug.clone()),
                title: format!("{} — {}", term.name, config.title),
                description: match t {
                    Taxonomy::Series => format!("The series “{}” on {}", term.name, config.title),
                    _ => format!("Posts about {} on {}", term.name, config.title),
                },
                posts: term.posts.as_slice().into(),
            });
        }
    }
    // Each feed in every other format, beside its RSS.
    let others: Vec<FeedFormat> = config
        .feed_formats
        .iter()
        .copied()
        .filter(|f| *f != FeedFormat::Rss)
        .collect();
    if others.is_empty() {
        return feeds;
    }
    let mut all = Vec::with_capacity(feeds.len() * (others.len() + 1));
    for f in feeds {
        let alternates: Vec<FeedJob<'p>> = others
            .iter()
            .map(|format| FeedJob {
                route: f.route.feed_as(*format),
                ..f.clone()
            })
            .collect();
        all.push(f);
        all.extend(alternates);
    }
    all
}

impl Prepared<'_> {
    /// Every feed of the site: the site's, each author's and each term's.
    pub fn feed_jobs(&self) -> Vec<FeedJob<'_>> {
        site_feeds(self.site, &self.indices)
    }

    /// The XML of one feed; an error only when a post body it shows had to
    /// be rendered now and its source changed since it was loaded.
    pub fn render_feed(&self, f: &FeedJob<'_>) -> Result<String, Diagnostic> {
        let page_path = f.route.feed_page().path();
        let spec = FeedSpec {
            title: f.title.clone(),
            description: f.description.clone(),
            page_path: &page_path,
            feed_path: f.route.path(),
        };
        // The feed writers take infallible bodies: the first error is kept
        // here and the feed is not used.
        let failed = std::cell::Cell::new(None);
        let html = |i: usize| match self.post_html(i) {
            Ok(html) => html.into_owned(),
            Err(d) => {
                let first = failed.take().unwrap_or(d);
                failed.set(Some(first));
                String::new()
            }
        };
        let (site, md) = (self.site, self.posts_md);
        let xml = match f.route.feed_format() {
            FeedFormat::Rss => feed(site, md, &html, &spec, &f.posts),
            FeedFormat::Atom => atom(site, md, &html, &spec, &f.posts),
            FeedFormat::Json => json_feed(site, md, &html, &spec, &f.posts),
        };
        match failed.into_inner() {
            Some(d) => Err(d),
            None => Ok(xml),
        }
    }
}
