//! The values templates see. Each post, author and term is serialized once per
//! build and shared by every page that lists it, so list pages stay linear in the
//! number of posts. `docs/templates.md` is the contract for these names.

use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::load::{Asset, Author, Post};
use crate::markdown::Rendered;

/// The absolute URL of an asset.
pub fn asset_url(config: &Config, a: &Asset) -> String {
    match a {
        Asset::Local { url_path, .. } => config.url(url_path),
        Asset::External(u) => u.clone(),
    }
}

/// An author's links: website, each social handle's profile, their own feed.
pub fn profile_links(author: &Author) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(w) = &author.website {
        out.push(json!({"platform": "website", "label": "Website", "handle": w, "url": w, "rel_me": true}));
    }
    for (platform, handle) in &author.social {
        // Malformed handles were reported when the profile was loaded.
        if let Ok(Some(p)) = crate::platforms::profiles::profile(platform, handle) {
            out.push(json!({"platform": platform, "label": p.label, "handle": handle, "url": p.url, "rel_me": p.rel_me}));
        }
    }
    if let Some(f) = &author.feed {
        out.push(json!({"platform": "feed", "label": "Their blog's feed", "handle": f, "url": f, "rel_me": false}));
    }
    out
}

/// An author as templates see it.
pub fn author_value(config: &Config, a: &Author, bio_html: &str, post_count: usize) -> Value {
    let path = a.path();
    json!({
        "slug": a.slug,
        "name": a.name,
        "path": path,
        "url": config.url(&path),
        "guest": a.guest,
        "avatar": a.avatar.as_ref().map(|x| asset_url(config, x)),
        "bio": bio_html,
        "website": a.website,
        "feed": a.feed,
        "feed_url": config.url(&format!("{path}rss.xml")),
        "post_count": post_count,
        "social": a.social,
        "links": profile_links(a),
    })
}

/// The part of an author that lists need (bylines): everything but the bio,
/// links and handles.
pub fn author_summary(full: &Value) -> Value {
    let mut v = serde_json::Map::new();
    for key in [
        "slug",
        "name",
        "path",
        "url",
        "guest",
        "avatar",
        "feed_url",
        "post_count",
    ] {
        v.insert(
            key.to_string(),
            full.get(key).cloned().unwrap_or(Value::Null),
        );
    }
    Value::Object(v)
}

/// A tag or category as templates see it.
pub fn term_value(config: &Config, taxonomy: &str, name: &str, slug: &str, count: usize) -> Value {
    let path = format!("/{taxonomy}/{slug}/");
    json!({
        "name": name,
        "slug": slug,
        "path": path,
        "url": config.url(&path),
        "feed_url": config.url(&format!("{path}rss.xml")),
        "post_count": count,
    })
}

/// A taxonomy (`tags` or `categories`) as templates see it.
pub fn taxonomy_value(config: &Config, name: &str) -> Value {
    let (singular, title) = if name == "tags" {
        ("tag", "Tags")
    } else {
        ("category", "Categories")
    };
    let path = format!("/{name}/");
    json!({"name": name, "singular": singular, "title": title, "url": config.url(&path), "path": path})
}

/// Inputs for a post's list value, gathered by the renderer.
pub struct PostParts<'a> {
    pub post: &'a Post,
    pub rendered: &'a Rendered,
    pub authors: Vec<Value>,
    pub tags: Vec<Value>,
    pub categories: Vec<Value>,
    pub share_path: Option<String>,
}

/// A post as list pages see it (no body).
pub fn post_value(config: &Config, parts: PostParts<'_>) -> Value {
    let p = parts.post;
    let description = p
        .description
        .clone()
        .unwrap_or_else(|| parts.rendered.summary_text.clone());
    json!({
        "slug": p.slug,
        "title": p.title,
        "path": p.path,
        "url": config.url(&p.path),
        "date": p.date.to_rfc3339(),
        "date_human": crate::load::dates::human(&p.date),
        "updated": p.updated.map(|d| d.to_rfc3339()),
        "updated_human": p.updated.map(|d| crate::load::dates::human(&d)),
        "year": p.date.format("%Y").to_string(),
        "authors": parts.authors,
        "guest": p.guest,
        "tags": parts.tags,
        "categories": parts.categories,
        "description": description,
        "summary": parts.rendered.summary,
        "has_more": parts.rendered.has_more,
        "word_count": parts.rendered.word_count,
        "reading_time": parts.rendered.reading_time(),
        "image": p.image.as_ref().map(|c| json!({
            "url": asset_url(config, &c.asset),
            "alt": c.alt,
            "credit": c.credit,
        })),
        "canonical_url": p.canonical_url,
        "share_path": parts.share_path,
    })
}

/// The `meta` global: what `<head>` needs for search engines and link previews.
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
}

impl Meta {
    pub fn to_value(&self, config: &Config) -> Value {
        json!({
            "title": self.title,
            "description": self.description,
            "url": config.url(&self.path),
            "kind": if self.article { "article" } else { "website" },
            "image": self.image.as_ref().map(|i| &i.0),
            "image_alt": self.image.as_ref().map(|i| &i.1),
            "published_time": self.published,
            "modified_time": self.modified,
            "authors": self.authors,
            "author_urls": self.author_urls,
            "tags": self.tags,
            "twitter_site": config.social.get("x"),
            "twitter_creator": self.twitter_creator,
            "fediverse_creator": self.fediverse_creator,
            "noindex": self.noindex,
            "canonical_url": self.canonical_url,
            "feed_url": self.feed.as_ref().map(|f| &f.0),
            "feed_title": self.feed.as_ref().map(|f| &f.1),
        })
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
        author_urls: authors.iter().map(|a| config.url(&a.path())).collect(),
        tags: post.tags.clone(),
        twitter_creator,
        fediverse_creator,
        canonical_url: post.canonical_url.clone(),
        ..Meta::default()
    }
}

/// Adds `key: value` to a JSON object.
pub fn with(mut v: Value, key: &str, value: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert(key.to_string(), value);
    }
    v
}

/// An empty JSON object.
pub fn object() -> Map<String, Value> {
    Map::new()
}
