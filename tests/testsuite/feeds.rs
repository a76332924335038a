//! Every feed of the `basic` fixture parsed back with the `rss` crate: the right
//! items per feed, each with its authors, categories, absolute links and RFC 822
//! dates, and `feed_limit` respected.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::*;

fn author_name(slug: &str) -> &'static str {
    match slug {
        "ada-staff" => "Ada Staff",
        "sam-staff" => "Sam Staff",
        "gus-guest" => "Gus Guest",
        "gina-guest" => "Gina Guest",
        other => panic!("unknown author {other}"),
    }
}

/// Term names as written in the fixture's front matter, by slug.
fn term_name(slug: &str) -> &'static str {
    match slug {
        "meta" => "meta",
        "rust-lang" => "Rust Lang",
        "rust" => "rust",
        "community" => "community",
        "café" => "Café",
        "writing" => "writing",
        "pictures" => "pictures",
        "news" => "News",
        "guest-posts" => "Guest Posts",
        other => panic!("unknown term {other}"),
    }
}

fn channel(out: &Path, rel: &str) -> rss::Channel {
    let bytes = std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    rss::Channel::read_from(&bytes[..]).unwrap_or_else(|e| panic!("{rel} is not RSS: {e}"))
}

fn links(ch: &rss::Channel) -> Vec<String> {
    ch.items()
        .iter()
        .map(|i| i.link().expect("item link").to_string())
        .collect()
}

/// Posts of the fixture matching `keep`, as the feed should list them: newest
/// first, at most `feed_limit`.
fn expected(keep: impl Fn(&FixturePost) -> bool, limit: usize) -> Vec<String> {
    BASIC_POSTS
        .iter()
        .filter(|p| keep(p))
        .take(limit)
        .map(|p| post_url(BASE, p.slug))
        .collect()
}

fn all_feeds(out: &Path) -> Vec<String> {
    list_files(out)
        .into_iter()
        .filter(|p| p.ends_with("rss.xml"))
        .collect()
}

#[test]
fn site_feed_has_the_newest_posts_up_to_the_limit() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let ch = channel(&site.public(), "rss.xml");
    assert_eq!(links(&ch), expected(|_| true, BASIC_FEED_LIMIT));
    assert_eq!(ch.title(), "Fixture Notes");
    assert_eq!(ch.link(), format!("{BASE}/"));
    assert_eq!(ch.language(), Some("en"));
    assert!(!ch.description().is_empty());
    let atom = ch.atom_ext().expect("atom:link");
    assert_eq!(atom.links()[0].rel(), "self");
    assert_eq!(atom.links()[0].href(), format!("{BASE}/rss.xml"));
}

#[test]
fn each_author_feed_has_exactly_their_posts() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    for author in BASIC_AUTHORS {
        let ch = channel(&out, &format!("authors/{author}/rss.xml"));
        assert_eq!(
            links(&ch),
            expected(|p| p.authors.contains(author), BASIC_FEED_LIMIT),
            "feed of {author}"
        );
        assert_eq!(ch.link(), format!("{BASE}/authors/{author}/"));
        assert!(ch.title().contains(author_name(author)), "{}", ch.title());
        assert_eq!(
            ch.atom_ext().unwrap().links()[0].href(),
            format!("{BASE}/authors/{author}/rss.xml")
        );
        for item in ch.items() {
            let creators = item.dublin_core_ext().expect("dc:creator").creators();
            assert!(
                creators.iter().any(|c| c == author_name(author)),
                "{author}'s feed has {:?} by {creators:?}",
                item.link()
            );
        }
    }
    // Ada has four posts; her feed stops at the limit.
    assert_eq!(
        channel(&out, "authors/ada-staff/rss.xml").items().len(),
        BASIC_FEED_LIMIT
    );
}

#[test]
fn each_term_feed_has_exactly_its_posts() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    let mut tags: BTreeSet<&str> = BTreeSet::new();
    let mut cats: BTreeSet<&str> = BTreeSet::new();
    for p in BASIC_POSTS {
        tags.extend(p.tags);
        cats.extend(p.categories);
    }
    for (tax, terms) in [("tags", &tags), ("categories", &cats)] {
        for term in terms {
            let ch = channel(&out, &format!("{tax}/{term}/rss.xml"));
            let want = expected(
                |p| {
                    if tax == "tags" {
                        p.tags.contains(term)
                    } else {
                        p.categories.contains(term)
                    }
                },
                BASIC_FEED_LIMIT,
            );
            assert_eq!(links(&ch), want, "{tax}/{term}");
            assert!(ch.title().contains(term_name(term)), "{}", ch.title());
        }
    }
    // The feed set is exactly: site, authors, terms.
    let want: BTreeSet<String> = std::iter::once("rss.xml".to_string())
        .chain(BASIC_AUTHORS.iter().map(|a| format!("authors/{a}/rss.xml")))
        .chain(tags.iter().map(|t| format!("tags/{t}/rss.xml")))
        .chain(cats.iter().map(|c| format!("categories/{c}/rss.xml")))
        .collect();
    assert_eq!(all_feeds(&out).into_iter().collect::<BTreeSet<_>>(), want);
}

#[test]
fn every_item_has_authors_categories_absolute_links_and_rfc822_dates() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    let mut items_checked = 0;
    for feed in all_feeds(&out) {
        let ch = channel(&out, &feed);
        let build = ch.last_build_date().expect("lastBuildDate");
        chrono::DateTime::parse_from_rfc2822(build)
            .unwrap_or_else(|e| panic!("{feed}: lastBuildDate {build:?}: {e}"));
        for item in ch.items() {
            let link = item.link().unwrap();
            let slug = link
                .strip_prefix(&format!("{BASE}/posts/"))
                .and_then(|s| s.strip_suffix('/'))
                .unwrap_or_else(|| panic!("{feed}: link {link} is not an absolute post URL"));
            let post = BASIC_POSTS
                .iter()
                .find(|p| p.slug == slug)
                .unwrap_or_else(|| panic!("{feed}: unexpected item {link}"));
            assert_eq!(item.title(), Some(post.title), "{feed}");
            let guid = item.guid().expect("guid");
            assert!(guid.is_permalink());
            assert_eq!(guid.value(), link);

            let creators: Vec<&str> = item
                .dublin_core_ext()
                .expect("dc extension")
                .creators()
                .iter()
                .map(String::as_str)
                .collect();
            let want: Vec<&str> = post.authors.iter().map(|a| author_name(a)).collect();
            assert_eq!(creators, want, "{feed}: dc:creator of {slug}");

            let got: BTreeSet<(String, String)> = item
                .categories()
                .iter()
                .map(|c| (c.name().to_string(), c.domain().unwrap_or("").to_string()))
                .collect();
            let want: BTreeSet<(String, String)> = post
                .tags
                .iter()
                .map(|t| (term_name(t).to_string(), format!("{BASE}/tags/")))
                .chain(
                    post.categories
                        .iter()
                        .map(|c| (term_name(c).to_string(), format!("{BASE}/categories/"))),
                )
                .collect();
            assert_eq!(got, want, "{feed}: categories of {slug}");

            let date = item.pub_date().expect("pubDate");
            chrono::DateTime::parse_from_rfc2822(date)
                .unwrap_or_else(|e| panic!("{feed}: pubDate {date:?} of {slug}: {e}"));

            let body = item.description().expect("description");
            for tag in tags(body) {
                for attr in ["href", "src"] {
                    if let Some(url) = tag.attr(attr) {
                        assert!(
                            url.starts_with("https://") || url.starts_with('#'),
                            "{feed}: relative {attr}=\"{url}\" in {slug}"
                        );
                    }
                }
            }
            items_checked += 1;
        }
    }
    assert!(items_checked > 20, "only {items_checked} items checked");
}

#[test]
fn item_dates_and_bodies_match_the_posts() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let ch = channel(&site.public(), "authors/gus-guest/rss.xml");
    let item = ch
        .items()
        .iter()
        .find(|i| i.link() == Some(&post_url(BASE, "guest-hello")))
        .unwrap();
    // The offset written in the front matter is kept.
    assert_eq!(item.pub_date(), Some("Thu, 1 Feb 2024 09:30:00 +0200"));
    let body = item.description().unwrap();
    assert!(body.contains(&format!(
        "<img src=\"{BASE}/images/hero.jpg\" alt=\"A green rectangle\">"
    )));
    assert!(body.contains(&format!("href=\"{BASE}/posts/staff-intro/\"")));
    assert!(
        !body.contains("<script"),
        "guest HTML is sanitized in feeds too"
    );

    let ch = channel(&site.public(), "authors/gina-guest/rss.xml");
    let bundle = &ch.items()[0];
    assert_eq!(bundle.link(), Some(post_url(BASE, "bundle-post").as_str()));
    assert_eq!(bundle.pub_date(), Some("Wed, 1 May 2024 00:00:00 +0000"));
    let body = bundle.description().unwrap();
    assert!(body.contains(&format!("src=\"{BASE}/posts/bundle-post/photo.jpg\"")));
    assert!(body.contains(&format!("src=\"{BASE}/posts/bundle-post/cover.png\"")));
}

#[test]
fn feed_limit_is_respected_in_every_feed() {
    let site = fixture("basic");
    site.edit("gen.toml", "feed_limit = 3", "feed_limit = 1");
    site.build_ok(&[]);
    let out = site.public();
    for feed in all_feeds(&out) {
        let ch = channel(&out, &feed);
        assert_eq!(ch.items().len(), 1, "{feed}");
    }
    assert_eq!(
        links(&channel(&out, "rss.xml")),
        [post_url(BASE, BASIC_POSTS[0].slug)]
    );

    // A large limit: every post, in every feed it belongs to.
    site.edit("gen.toml", "feed_limit = 1", "feed_limit = 100");
    site.build_ok(&[]);
    assert_eq!(
        links(&channel(&out, "rss.xml")),
        expected(|_| true, usize::MAX)
    );
    assert_eq!(
        links(&channel(&out, "authors/ada-staff/rss.xml")),
        expected(|p| p.authors.contains(&"ada-staff"), usize::MAX)
    );
}

#[test]
fn drafts_and_future_posts_are_in_no_feed_by_default() {
    let site = fixture("basic");
    site.edit("gen.toml", "feed_limit = 3", "feed_limit = 100");
    site.build_ok(&[]);
    let out = site.public();
    for feed in all_feeds(&out) {
        for link in links(&channel(&out, &feed)) {
            assert!(
                !link.contains("secret-draft") && !link.contains("from-the-future"),
                "{feed}: {link}"
            );
        }
    }
    let out = site.build_to("all", &["--drafts", "--future"]);
    let site_feed = links(&channel(&out, "rss.xml"));
    assert_eq!(site_feed.len(), BASIC_POSTS.len() + 2);
    assert!(site_feed.contains(&post_url(BASE, "secret-draft")));
    assert_eq!(site_feed[0], post_url(BASE, "from-the-future"));
    assert!(
        links(&channel(&out, "tags/secret-tag/rss.xml")).contains(&post_url(BASE, "secret-draft"))
    );
}
