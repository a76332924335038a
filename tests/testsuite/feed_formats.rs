//! Atom 1.0 and JSON Feed 1.1 beside every RSS feed: each parsed back (Atom
//! with `atom_syndication`'s reader, JSON Feed against the spec's required
//! fields) and compared item by item with the RSS of the same feed: the same
//! posts up to `feed_limit`, every author, absolute links, dates. Pages link
//! each format; `[feeds] formats` chooses them.

use std::path::Path;

use serde_json::Value;

use crate::support::site_test::SiteTest;
use crate::support::*;

fn channel(out: &Path, rel: &str) -> rss::Channel {
    let bytes = std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    rss::Channel::read_from(&bytes[..]).unwrap_or_else(|e| panic!("{rel} is not RSS: {e}"))
}

fn atom(out: &Path, rel: &str) -> atom_syndication::Feed {
    let bytes = std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    atom_syndication::Feed::read_from(&bytes[..])
        .unwrap_or_else(|e| panic!("{rel} is not Atom: {e}"))
}

fn json(out: &Path, rel: &str) -> Value {
    let text = read(out, rel);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

/// The RSS feeds of a build, by their folder (`""`, `authors/x/`, `tags/y/`).
fn feed_dirs(out: &Path) -> Vec<String> {
    list_files(out)
        .into_iter()
        .filter_map(|f| f.strip_suffix("rss.xml").map(str::to_string))
        .collect()
}

fn absolute(url: &str, base: &str) {
    assert!(url.starts_with(base), "{url} is not absolute under {base}");
}

#[test]
fn every_feed_has_atom_and_json_with_the_same_items() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    let base = "https://fixture.example.org/";
    let dirs = feed_dirs(&out);
    assert!(dirs.len() > 5, "{dirs:?}");
    for dir in dirs {
        let rss = channel(&out, &format!("{dir}rss.xml"));
        let atom = atom(&out, &format!("{dir}atom.xml"));
        let feed = json(&out, &format!("{dir}feed.json"));
        assert_eq!(atom.title.value, rss.title(), "{dir}");
        // The feed's own URL as RSS writes it (percent-encoded), beside it.
        let rss_self = rss
            .atom_ext()
            .and_then(|a| a.links().first())
            .map(|l| l.href().to_string())
            .expect("RSS has its self link");
        let folder = rss_self.strip_suffix("rss.xml").expect("…/rss.xml");
        assert_eq!(atom.id, format!("{folder}atom.xml"));
        assert!(
            atom.links
                .iter()
                .any(|l| l.rel == "self" && l.href == format!("{folder}atom.xml")),
            "{dir}"
        );
        // JSON Feed 1.1: version, title and items are required; every item an
        // id and content.
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(feed["title"], rss.title());
        assert_eq!(feed["feed_url"], format!("{folder}feed.json"));
        assert_eq!(feed["home_page_url"], rss.link());
        let items = feed["items"].as_array().expect("items is a list");
        assert_eq!(items.len(), rss.items().len(), "{dir}");
        assert_eq!(atom.entries.len(), rss.items().len(), "{dir}");
        assert!(rss.items().len() <= 3, "feed_limit = 3");
        for ((item, entry), rss_item) in items.iter().zip(&atom.entries).zip(rss.items()) {
            let url = rss_item.link().unwrap_or_default();
            absolute(url, base);
            assert_eq!(item["id"], url);
            assert_eq!(item["url"], url);
            assert!(item["content_html"].as_str().is_some_and(|c| !c.is_empty()));
            assert_eq!(entry.id, url);
            assert_eq!(entry.links[0].href, url);
            assert_eq!(entry.title.value, rss_item.title().unwrap_or_default());
            // Every author, in the order of the RSS item's dc:creator.
            let names: Vec<&str> = rss_item
                .dublin_core_ext()
                .map(|dc| dc.creators().iter().map(String::as_str).collect())
                .unwrap_or_default();
            let atom_names: Vec<&str> = entry.authors.iter().map(|p| p.name.as_str()).collect();
            let json_names: Vec<&str> = item["authors"]
                .as_array()
                .expect("authors")
                .iter()
                .map(|a| a["name"].as_str().unwrap_or_default())
                .collect();
            assert!(!names.is_empty());
            assert_eq!(atom_names, names, "{dir} {url}");
            assert_eq!(json_names, names, "{dir} {url}");
            for p in &entry.authors {
                absolute(p.uri.as_deref().unwrap_or_default(), base);
            }
            // Dates: the same moment as RSS's pubDate.
            let published = chrono::DateTime::parse_from_rfc2822(rss_item.pub_date().unwrap())
                .expect("an RFC 822 date");
            assert_eq!(entry.published, Some(published));
            let json_date = chrono::DateTime::parse_from_rfc3339(
                item["date_published"].as_str().expect("date_published"),
            )
            .expect("RFC 3339");
            assert_eq!(json_date, published);
            assert!(entry.updated >= published);
        }
        // `updated`: the newest change of its entries.
        if let Some(newest) = atom.entries.iter().map(|e| e.updated).max() {
            assert_eq!(atom.updated, newest, "{dir}");
        }
    }
}

#[test]
fn a_co_authored_post_names_both_authors_in_every_format() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    let feed = json(&out, "tags/writing/feed.json");
    let item = &feed["items"][0];
    assert_eq!(item["title"], "Written together");
    assert_eq!(
        item["authors"],
        serde_json::json!([
            {"name": "Ada Staff", "url": "https://fixture.example.org/authors/ada-staff/"},
            {"name": "Gus Guest", "url": "https://fixture.example.org/authors/gus-guest/"},
        ])
    );
    assert_eq!(
        item["tags"],
        serde_json::json!(["community", "writing", "News"])
    );
    let atom = atom(&out, "authors/gus-guest/atom.xml");
    let entry = atom
        .entries
        .iter()
        .find(|e| e.title.value == "Written together")
        .expect("the co-authored post is in the guest's Atom feed");
    let names: Vec<&str> = entry.authors.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Ada Staff", "Gus Guest"]);
}

#[test]
fn pages_link_each_format_of_their_feeds() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    let alternates = |rel: &str| -> Vec<(String, String)> {
        tags(&read(&out, rel))
            .into_iter()
            .filter(|t| t.name == "link" && t.attr("rel") == Some("alternate"))
            .map(|t| {
                (
                    t.attr("type").unwrap_or_default().to_string(),
                    t.attr("href").unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let site_feeds = [
        ("application/rss+xml", "https://fixture.example.org/rss.xml"),
        (
            "application/atom+xml",
            "https://fixture.example.org/atom.xml",
        ),
        (
            "application/feed+json",
            "https://fixture.example.org/feed.json",
        ),
    ];
    let own = |s: &[(&str, &str)]| -> Vec<(String, String)> {
        s.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(alternates("index.html"), own(&site_feeds));
    let mut author = own(&site_feeds);
    author.extend(own(&[
        (
            "application/rss+xml",
            "https://fixture.example.org/authors/gus-guest/rss.xml",
        ),
        (
            "application/atom+xml",
            "https://fixture.example.org/authors/gus-guest/atom.xml",
        ),
        (
            "application/feed+json",
            "https://fixture.example.org/authors/gus-guest/feed.json",
        ),
    ]));
    assert_eq!(alternates("authors/gus-guest/index.html"), author);
}

#[test]
fn feeds_formats_chooses_what_is_made() {
    let site = SiteTest::from_fixture("basic").edit(
        "gen.toml",
        "[markdown]",
        "[feeds]\nformats = [\"rss\", \"json\"]\n\n[markdown]",
    );
    site.run(&["build"]).success();
    let out = site.public();
    let files = list_files(&out);
    assert!(files.contains("feed.json"));
    assert!(files.contains("authors/gus-guest/feed.json"));
    assert!(!files.iter().any(|f| f.ends_with("atom.xml")), "{files:?}");
    assert!(!read(&out, "index.html").contains("atom.xml"));
    let rss_only = site.edit("gen.toml", "[\"rss\", \"json\"]", "[\"rss\"]");
    rss_only.run(&["build"]).success();
    let files = list_files(&rss_only.public());
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with("feed.json") || f.ends_with("atom.xml"))
    );
    let bad = rss_only.edit("gen.toml", "[\"rss\"]", "[\"rss\", \"atom1\"]");
    let run = bad.run(&["check"]);
    run.fails_with(1);
    assert_eq!(
        run.headlines(),
        ["error: gen.toml:13:1: unknown feed format \"atom1\""],
        "{}",
        run.stderr
    );
}
