//! RSS 2.0 feeds with the `rss` crate, and the sitemap. Built by the program,
//! not by templates, so every feed is valid. Every feed of a site is assembled
//! in [`site_feeds`]: the site's, each author's and each term's, with their
//! titles, descriptions and posts; their URLs come from [`Route`].

use std::collections::BTreeMap;

use rss::extension::atom::{AtomExtensionBuilder, Link};
use rss::extension::dublincore::DublinCoreExtensionBuilder;
use rss::{CategoryBuilder, ChannelBuilder, GuidBuilder, ItemBuilder};

use crate::config::{Config, FeedContent};
use crate::load::Site;
use crate::markdown::Rendered;

use super::{Indices, Prepared};
use crate::routes::{Route, Taxonomy};

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
        href: config.url(&spec.feed_path),
        rel: "self".into(),
        mime_type: Some("application/rss+xml".into()),
        ..Link::default()
    };
    let mut channel = ChannelBuilder::default()
        .title(spec.title.clone())
        .link(config.url(spec.page_path))
        .description(if spec.description.is_empty() {
            spec.title.clone()
        } else {
            spec.description.clone()
        })
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
        .build();
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

/// One feed to write.
#[derive(Debug, Clone)]
pub struct FeedJob<'p> {
    /// Whose feed it is: [`Route::SiteFeed`], [`Route::AuthorFeed`] or
    /// [`Route::TermFeed`]; its URL and output file.
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
                description: format!("Posts about {} on {}", term.name, config.title),
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
        let page_path = f.route.feed_page().path();
        let spec = FeedSpec {
            title: f.title.clone(),
            description: f.description.clone(),
            page_path: &page_path,
            feed_path: f.route.path(),
        };
        let html = |i: usize| self.post_html(i).into_owned();
        feed(self.site, self.posts_md, &html, &spec, &f.posts)
    }
}
