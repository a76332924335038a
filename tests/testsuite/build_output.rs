//! `gen build` on the `basic` fixture: the output paths of the design's table,
//! drafts and future posts, `--base-url`, `-o`, determinism, bylines, author
//! boxes and the metadata of every page.

use std::collections::BTreeSet;
use std::fs;

use crate::support::*;

/// Every file the `basic` fixture builds into (share kits aside, which the share
/// tests cover).
const BASIC_OUTPUT: &[&str] = &[
    // The marker that makes the folder gen's to replace on the next build.
    ".byline-output",
    "404.html",
    "about/index.html",
    "authors/ada-staff/index.html",
    "authors/ada-staff/page/2/index.html",
    "archive/index.html",
    "authors/ada-staff/atom.xml",
    "authors/ada-staff/feed.json",
    "authors/ada-staff/rss.xml",
    "authors/gina-guest/index.html",
    "authors/gina-guest/atom.xml",
    "authors/gina-guest/feed.json",
    "authors/gina-guest/rss.xml",
    "authors/gus-guest/gus-guest.png",
    "authors/gus-guest/index.html",
    "authors/gus-guest/atom.xml",
    "authors/gus-guest/feed.json",
    "authors/gus-guest/rss.xml",
    "authors/index.html",
    "authors/opml.xml",
    "authors/sam-staff/index.html",
    "authors/sam-staff/atom.xml",
    "authors/sam-staff/feed.json",
    "authors/sam-staff/rss.xml",
    "categories/guest-posts/index.html",
    "categories/guest-posts/page/2/index.html",
    "categories/guest-posts/atom.xml",
    "categories/guest-posts/feed.json",
    "categories/guest-posts/rss.xml",
    "categories/index.html",
    "categories/news/index.html",
    "categories/news/page/2/index.html",
    "categories/news/atom.xml",
    "categories/news/feed.json",
    "categories/news/rss.xml",
    "docs/guide/index.html",
    "images/ada.jpg",
    "images/hero.jpg",
    "index.html",
    "page/2/index.html",
    // The search index and its UI files, named by their content: the
    // folder stands for them (see `without_share_kits`).
    "pagefind/",
    "page/3/index.html",
    "page/4/index.html",
    "posts/ada-custom-slug/index.html",
    "posts/ada-fourth/index.html",
    "posts/bundle-post/cover.png",
    "posts/bundle-post/index.html",
    "posts/bundle-post/photo.jpg",
    "posts/co-authored/index.html",
    "posts/guest-hello/index.html",
    "posts/staff-intro/index.html",
    "posts/staff-more/index.html",
    "posts/yaml-post/index.html",
    // The WebP copies of the fixture's pictures (all narrower than any
    // [images] width), named by a hash of their bytes.
    "processed_images/ada-e2b6de2726979b60-8w.webp",
    // The social cards of the posts without a cover, named by what they show.
    "processed_images/card-ada-custom-slug-340b860d1c012489.png",
    "processed_images/card-ada-fourth-3eb9f8541673914c.png",
    "processed_images/card-co-authored-9d5317dbbb7bcb51.png",
    "processed_images/card-staff-intro-3b1745f0aeb12fcf.png",
    "processed_images/card-staff-more-05af4b7bd1d1d2c9.png",
    "processed_images/card-yaml-post-bc014f29c080d138.png",
    "processed_images/cover-0b68b030902f8d0b-8w.webp",
    "processed_images/gus-guest-15f9ada605ac29a7-8w.webp",
    "processed_images/hero-d097b367b360b394-12w.webp",
    "processed_images/photo-aafc52a047120a71-8w.webp",
    "robots.txt",
    "atom.xml",
    "feed.json",
    "rss.xml",
    "search/index.html",
    "sitemap.xml",
    "style.css",
    "syntax.css",
    "tags/café/index.html",
    "tags/café/atom.xml",
    "tags/café/feed.json",
    "tags/café/rss.xml",
    "tags/community/index.html",
    "tags/community/page/2/index.html",
    "tags/community/atom.xml",
    "tags/community/feed.json",
    "tags/community/rss.xml",
    "tags/index.html",
    "tags/meta/index.html",
    "tags/meta/page/2/index.html",
    "tags/meta/atom.xml",
    "tags/meta/feed.json",
    "tags/meta/rss.xml",
    "tags/pictures/index.html",
    "tags/pictures/atom.xml",
    "tags/pictures/feed.json",
    "tags/pictures/rss.xml",
    "tags/rust-lang/index.html",
    "tags/rust-lang/atom.xml",
    "tags/rust-lang/feed.json",
    "tags/rust-lang/rss.xml",
    "tags/rust/index.html",
    "tags/rust/atom.xml",
    "tags/rust/feed.json",
    "tags/rust/rss.xml",
    "tags/writing/index.html",
    "tags/writing/atom.xml",
    "tags/writing/feed.json",
    "tags/writing/rss.xml",
];

fn without_share_kits(files: BTreeSet<String>) -> BTreeSet<String> {
    files
        .into_iter()
        .filter(|f| !f.starts_with("share/"))
        .map(|f| match f.starts_with("pagefind/") {
            true => "pagefind/".to_string(),
            false => f,
        })
        .collect()
}

fn text_files(dir: &std::path::Path) -> Vec<(String, String)> {
    all_files(dir)
        .into_iter()
        .filter(|(p, _)| {
            p.ends_with(".html")
                || p.ends_with(".xml")
                || p.ends_with(".txt")
                || p.ends_with(".json")
        })
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

#[test]
fn output_paths_are_exactly_the_design_table() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let got = without_share_kits(list_files(&site.public()));
    let want: BTreeSet<String> = BASIC_OUTPUT.iter().map(|s| s.to_string()).collect();
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:?}\nunexpected: {extra:?}"
    );
}

#[test]
fn home_pages_list_posts_newest_first_paginated() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    let expected: Vec<String> = BASIC_POSTS.iter().map(|p| post_url(BASE, p.slug)).collect();
    let pages = [
        "index.html",
        "page/2/index.html",
        "page/3/index.html",
        "page/4/index.html",
    ];
    let mut seen = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let links = card_links(&read(&out, page));
        assert_eq!(links.len(), BASIC_PAGINATE_BY, "{page}");
        let html = read(&out, page);
        if n > 0 {
            let prev = if n == 1 {
                format!("{BASE}/")
            } else {
                format!("{BASE}/page/{n}/")
            };
            assert!(
                html.contains(&format!("href=\"{prev}\" rel=\"prev\"")),
                "{page}"
            );
        }
        seen.extend(links);
    }
    assert_eq!(seen, expected);
    assert!(
        !out.join("page/1").exists(),
        "page 1 is the home page itself"
    );
    assert!(!out.join("page/5").exists());
}

#[test]
fn author_pages_list_their_posts_with_pagination() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    for author in BASIC_AUTHORS {
        let expected: Vec<String> = BASIC_POSTS
            .iter()
            .filter(|p| p.authors.contains(author))
            .map(|p| post_url(BASE, p.slug))
            .collect();
        let mut seen = card_links(&read(&out, &format!("authors/{author}/index.html")));
        let page2 = out.join(format!("authors/{author}/page/2/index.html"));
        if page2.exists() {
            seen.extend(card_links(&fs::read_to_string(page2).unwrap()));
        }
        assert_eq!(seen, expected, "posts of {author}");
    }
    // Ada has four posts: two pages of two.
    assert_eq!(
        card_links(&read(&out, "authors/ada-staff/page/2/index.html")).len(),
        2
    );
}

#[test]
fn authors_index_marks_guests_and_counts_posts() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let html = read(&site.public(), "authors/index.html");
    for (slug, name, count, guest) in [
        ("ada-staff", "Ada Staff", "4 posts", false),
        ("sam-staff", "Sam Staff", "1 post", false),
        ("gina-guest", "Gina Guest", "2 posts", true),
        ("gus-guest", "Gus Guest", "2 posts", true),
    ] {
        let link = format!("<a href=\"{BASE}/authors/{slug}/\">{name}</a>");
        let start = html
            .find(&link)
            .unwrap_or_else(|| panic!("{name} not listed"));
        let card_start = html[..start].rfind("<li class=\"author-card").unwrap();
        let card_end = start + html[start..].find("</li>").unwrap();
        let card = &html[card_start..card_end];
        assert!(card.contains(count), "{name}: {card}");
        assert_eq!(card.contains("Guest</span>"), guest, "{name}: {card}");
    }
}

#[test]
fn terms_have_pages_paginated_and_feeds() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    for (tax, slug) in [
        ("tags", "community"),
        ("tags", "meta"),
        ("tags", "rust"),
        ("categories", "news"),
        ("categories", "guest-posts"),
    ] {
        let expected: Vec<String> = BASIC_POSTS
            .iter()
            .filter(|p| {
                if tax == "tags" {
                    p.tags.contains(&slug)
                } else {
                    p.categories.contains(&slug)
                }
            })
            .map(|p| post_url(BASE, p.slug))
            .collect();
        let mut seen = Vec::new();
        let mut n = 1;
        loop {
            let page = if n == 1 {
                format!("{tax}/{slug}/index.html")
            } else {
                format!("{tax}/{slug}/page/{n}/index.html")
            };
            if !out.join(&page).exists() {
                break;
            }
            let links = card_links(&read(&out, &page));
            assert!(links.len() <= BASIC_PAGINATE_BY, "{page}");
            seen.extend(links);
            n += 1;
        }
        assert_eq!(seen, expected, "{tax}/{slug}");
        assert!(out.join(format!("{tax}/{slug}/rss.xml")).is_file());
    }
    let tags = read(&out, "tags/index.html");
    for slug in [
        "community",
        "meta",
        "rust",
        "rust-lang",
        "writing",
        "pictures",
    ] {
        assert!(
            tags.contains(&format!("href=\"{BASE}/tags/{slug}/\"")),
            "{slug}"
        );
    }
    let cats = read(&out, "categories/index.html");
    assert!(cats.contains(">Guest Posts</a>"));
    assert!(cats.contains(">News</a>"));
}

#[test]
fn drafts_are_nowhere_without_the_drafts_flag() {
    let site = fixture("basic");
    let out = site.build_to("out", &[]);
    for (path, text) in text_files(&out) {
        for needle in [
            "secret-draft",
            "A secret draft",
            "secret-tag",
            "drafts-only",
            "Drafts Only",
            "secret-page",
            "A secret page",
        ] {
            assert!(!text.contains(needle), "{needle} in {path}");
        }
    }
    assert!(!out.join("posts/secret-draft").exists());
    assert!(!out.join("tags/secret-tag").exists());
    // Gus's count does not include the draft.
    assert!(read(&out, "authors/gus-guest/index.html").contains("2 posts"));
}

#[test]
fn drafts_flag_publishes_drafts_everywhere() {
    let site = fixture("basic");
    let out = site.build_to("out", &["--drafts"]);
    let url = post_url(BASE, "secret-draft");
    assert!(out.join("posts/secret-draft/index.html").is_file());
    assert!(out.join("secret-page/index.html").is_file());
    assert!(read(&out, "sitemap.xml").contains(&format!("{BASE}/secret-page/")));
    assert!(out.join("tags/secret-tag/index.html").is_file());
    assert!(out.join("categories/drafts-only/rss.xml").is_file());
    for file in [
        "rss.xml",
        "sitemap.xml",
        "authors/gus-guest/index.html",
        "authors/gus-guest/rss.xml",
        "tags/rust/index.html",
        "tags/rust/rss.xml",
    ] {
        assert!(read(&out, file).contains(&url), "draft missing from {file}");
    }
    // Newest first: the draft (1 August) is second on the home page.
    assert_eq!(card_links(&read(&out, "index.html"))[1], url);
}

#[test]
fn future_posts_only_with_the_future_flag() {
    let site = fixture("basic");
    let out = site.build_to("out", &[]);
    for (path, text) in text_files(&out) {
        assert!(!text.contains("from-the-future"), "future post in {path}");
        assert!(!text.contains("future-tag"), "future tag in {path}");
    }
    let out = site.build_to("future", &["--future"]);
    let url = post_url(BASE, "from-the-future");
    assert!(out.join("posts/from-the-future/index.html").is_file());
    assert!(out.join("tags/future-tag/rss.xml").is_file());
    assert_eq!(card_links(&read(&out, "index.html"))[0], url);
    assert!(read(&out, "rss.xml").contains(&url));
    assert!(read(&out, "sitemap.xml").contains(&url));
    // --drafts alone does not publish future posts.
    let out = site.build_to("drafts", &["--drafts"]);
    assert!(!out.join("posts/from-the-future").exists());
}

#[test]
fn base_url_override_changes_every_absolute_link() {
    let site = fixture("basic");
    let preview = "https://preview.example.net/pr-7";
    let out = site.build_to("out", &["--base-url", &format!("{preview}/")]);
    let mut checked = 0;
    for (path, text) in text_files(&out) {
        assert!(
            !text.contains("fixture.example.org"),
            "{path} still names the configured base_url"
        );
        checked += usize::from(text.contains(preview));
    }
    assert!(checked > 50, "only {checked} files use the preview URL");
    assert!(read(&out, "robots.txt").contains(&format!("Sitemap: {preview}/sitemap.xml")));
    assert!(read(&out, "index.html").contains(&format!("href=\"{preview}/style.css\"")));
    assert!(
        read(&out, "posts/guest-hello/index.html")
            .contains(&format!("href=\"{preview}/posts/staff-intro/\""))
    );
}

#[test]
fn output_flag_writes_to_the_given_folder_only() {
    let site = fixture("basic");
    let out = site.build_to("elsewhere", &[]);
    assert!(out.join("index.html").is_file());
    assert!(!site.public().exists(), "public/ written despite -o");
    // A relative -o is relative to the current folder.
    let run = gen_in(
        site.tmp.path(),
        &["-r", "site", "build", "-o", "relative-out"],
    );
    run.assert_code(0);
    assert!(site.outside("relative-out/index.html").is_file());
    assert!(!site.public().exists());
    // Without -o: public/ in the site.
    site.build_ok(&[]);
    assert!(site.public().join("index.html").is_file());
}

#[test]
fn two_builds_are_byte_identical() {
    let site = fixture("basic");
    let a = site.build_to("a", &["--drafts", "--future"]);
    let b = site.build_to("b", &["--drafts", "--future"]);
    let (a, b) = (all_files(&a), all_files(&b));
    assert!(a.len() > 50);
    assert_same_files(&a, &b, "two builds");
    // Rebuilding into the same folder changes nothing either.
    site.build_ok(&[]);
    let first = all_files(&site.public());
    site.build_ok(&[]);
    assert_same_files(&first, &all_files(&site.public()), "rebuild in place");
}

#[cfg(unix)]
#[test]
fn a_rebuild_keeps_unchanged_files_and_replaces_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let site = fixture("basic");
    site.build_ok(&[]);
    let inode = |rel: &str| fs::metadata(site.public().join(rel)).unwrap().ino();
    let unchanged = "posts/staff-intro/index.html";
    let edited = "posts/guest-hello/index.html";
    let (unchanged_before, edited_before) = (inode(unchanged), inode(edited));
    let post = "content/posts/2024-02-01-guest-hello.md";
    site.write(post, site.read(post) + "\nA closing line.\n");
    site.build_ok(&[]);
    // The same file, not a copy: its time and identity are kept for deploy tools.
    assert_eq!(inode(unchanged), unchanged_before);
    assert_ne!(inode(edited), edited_before);
    assert!(read(&site.public(), edited).contains("A closing line."));
    // And the output is what a build into a fresh folder makes.
    let fresh = site.build_to("fresh", &[]);
    assert_same_files(
        &all_files(&fresh),
        &all_files(&site.public()),
        "rebuild with links",
    );
}

#[test]
fn guest_byline_on_guest_posts_only() {
    let site = fixture("basic");
    site.build_ok(&[]);
    for p in BASIC_POSTS {
        let html = read(&site.public(), &format!("posts/{}/index.html", p.slug));
        let start = html.find("<span class=\"byline\">").expect("byline");
        let byline = &html[start..start + html[start..].find("</span>").unwrap()];
        if p.guest {
            assert!(byline.contains("Guest post by "), "{}: {byline}", p.slug);
        } else {
            assert!(!html.contains("Guest post by"), "{}: {byline}", p.slug);
            assert!(
                byline.contains(">By <") || byline.contains("By <a"),
                "{}",
                p.slug
            );
        }
        for a in p.authors {
            assert!(
                byline.contains(&format!("href=\"{BASE}/authors/{a}/\" rel=\"author\"")),
                "{}: {a} not in the byline",
                p.slug
            );
        }
    }
    // A co-authored post names both, staff first as written.
    let html = read(&site.public(), "posts/co-authored/index.html");
    assert!(html.contains(
        "Guest post by <a href=\"https://fixture.example.org/authors/ada-staff/\" rel=\"author\">Ada Staff</a> and <a href=\"https://fixture.example.org/authors/gus-guest/\" rel=\"author\">Gus Guest</a>"
    ));
    // Listings carry the guest byline too.
    let home = read(&site.public(), "page/3/index.html");
    assert!(home.contains("Guest post by"));
}

#[test]
fn every_post_ends_with_an_author_box() {
    let site = fixture("basic");
    site.build_ok(&[]);
    for p in BASIC_POSTS {
        let html = read(&site.public(), &format!("posts/{}/index.html", p.slug));
        let boxes = html.matches("<section class=\"author-box\"").count();
        assert_eq!(boxes, p.authors.len(), "{}", p.slug);
        for a in p.authors {
            assert!(
                html.contains(&format!("aria-labelledby=\"author-{a}\"")),
                "{}",
                p.slug
            );
        }
        assert!(html.contains("More from "), "{}", p.slug);
    }
    let html = read(&site.public(), "posts/guest-hello/index.html");
    // Avatar beside the profile, bio rendered from Markdown, links, other posts.
    assert!(html.contains(&format!("src=\"{BASE}/authors/gus-guest/gus-guest.png\"")));
    assert!(html.contains("Gus writes about <strong>Rust</strong> and community."));
    assert!(html.contains("href=\"https://mastodon.example/@gus\""));
    assert!(html.contains(&format!(
        "href=\"{BASE}/posts/co-authored/\">Written together</a>"
    )));
    assert!(html.contains("<figcaption>Picture: the fixture</figcaption>"));
    assert!(html.contains("Posted in <a href=\"https://fixture.example.org/categories/guest-posts/\" rel=\"tag\">Guest Posts</a> and tagged"));
    // rel="me" belongs on the author's own page, not in boxes on posts.
    assert!(!html.contains("rel=\"me\""));
}

#[test]
fn open_graph_and_twitter_cards() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    let page = |slug: &str| read(&out, &format!("posts/{slug}/index.html"));

    for p in BASIC_POSTS {
        let html = page(p.slug);
        let url = post_url(BASE, p.slug);
        assert_eq!(meta(&html, "og:url"), [url], "{}", p.slug);
        assert_eq!(meta(&html, "og:type"), ["article"], "{}", p.slug);
        assert_eq!(meta(&html, "og:title"), [p.title], "{}", p.slug);
        assert_eq!(meta(&html, "og:site_name"), ["Fixture Notes"]);
        assert_eq!(meta(&html, "twitter:title"), [p.title]);
        assert_eq!(meta(&html, "twitter:site"), ["@fixturenotes"]);
        let authors: Vec<String> = p
            .authors
            .iter()
            .map(|a| format!("{BASE}/authors/{a}/"))
            .collect();
        assert_eq!(meta(&html, "article:author"), authors, "{}", p.slug);
        assert_eq!(meta(&html, "og:description").len(), 1, "{}", p.slug);
        // The site's handle never stands in for an author's.
        assert!(
            !meta(&html, "twitter:creator").contains(&"@fixturenotes".to_string()),
            "{}",
            p.slug
        );
    }

    // Guest with X and Mastodon handles.
    let html = page("guest-hello");
    assert_eq!(meta(&html, "twitter:creator"), ["@gusx"]);
    assert_eq!(meta(&html, "fediverse:creator"), ["@gus@mastodon.example"]);
    assert_eq!(meta(&html, "og:image"), [format!("{BASE}/images/hero.jpg")]);
    assert_eq!(meta(&html, "og:image:alt"), ["A green rectangle"]);
    assert_eq!(meta(&html, "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&html, "article:tag"), ["rust", "community"]);
    assert_eq!(
        meta(&html, "article:published_time"),
        ["2024-02-01T09:30:00+02:00"]
    );

    // Guest without an X handle: no twitter:creator at all, but fediverse:creator.
    let html = page("yaml-post");
    assert!(meta(&html, "twitter:creator").is_empty(), "{html}");
    assert_eq!(meta(&html, "fediverse:creator"), ["@gina@fedi.example"]);
    // No cover: its social card, large.
    assert_eq!(meta(&html, "twitter:card"), ["summary_large_image"]);
    assert_eq!(
        meta(&html, "og:image"),
        [format!(
            "{BASE}/processed_images/card-yaml-post-bc014f29c080d138.png"
        )]
    );

    // Bundle cover: an absolute URL beside the post.
    let html = page("bundle-post");
    assert_eq!(
        meta(&html, "og:image"),
        [format!("{BASE}/posts/bundle-post/cover.png")]
    );
    assert!(meta(&html, "twitter:creator").is_empty());

    // Co-authored by staff and a guest: the guest is credited.
    let html = page("co-authored");
    assert_eq!(meta(&html, "twitter:creator"), ["@gusx"]);
    assert_eq!(meta(&html, "fediverse:creator"), ["@gus@mastodon.example"]);

    // An author with no handles: no creator tags.
    let html = page("staff-more");
    assert!(meta(&html, "twitter:creator").is_empty());
    assert!(meta(&html, "fediverse:creator").is_empty());

    // List pages are websites, with Open Graph and Twitter tags too.
    for file in [
        "index.html",
        "authors/index.html",
        "tags/meta/index.html",
        "about/index.html",
    ] {
        let html = read(&out, file);
        assert_eq!(meta(&html, "og:type"), ["website"], "{file}");
        assert_eq!(meta(&html, "og:url").len(), 1, "{file}");
        assert!(meta(&html, "og:url")[0].starts_with(BASE), "{file}");
        assert_eq!(meta(&html, "twitter:card").len(), 1, "{file}");
    }
}

#[test]
fn author_pages_carry_rel_me_profile_links_and_feed() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let html = read(&site.public(), "authors/gus-guest/index.html");
    let rel_me: BTreeSet<String> = tags(&html)
        .into_iter()
        .filter(|t| t.name == "a" && t.attr("rel") == Some("me"))
        .map(|t| t.attr("href").unwrap().to_string())
        .collect();
    for url in [
        "https://gus.example",
        "https://mastodon.example/@gus",
        "https://bsky.app/profile/gus.example",
        "https://github.com/gusgithub",
    ] {
        assert!(rel_me.contains(url), "{url} lacks rel=me: {rel_me:?}");
    }
    assert!(html.contains("Guest author"));
    assert!(html.contains(&format!("href=\"{BASE}/authors/gus-guest/rss.xml\"")));
    assert!(html.contains("href=\"https://gus.example/rss.xml\""));
    // A staff author is not marked as a guest.
    let html = read(&site.public(), "authors/ada-staff/index.html");
    assert!(!html.contains("Guest author"));
    assert!(html.contains("rel=\"me\""));
}

#[test]
fn static_files_and_bundle_pictures_are_copied_verbatim_with_keep_original() {
    let pictures = [
        ("static/images/hero.jpg", "images/hero.jpg"),
        ("static/images/ada.jpg", "images/ada.jpg"),
        (
            "content/posts/bundle-post/cover.png",
            "posts/bundle-post/cover.png",
        ),
        (
            "content/posts/bundle-post/photo.jpg",
            "posts/bundle-post/photo.jpg",
        ),
        ("authors/gus-guest.png", "authors/gus-guest/gus-guest.png"),
    ];
    // By default pictures are re-encoded (docs/images.md): the same picture,
    // not the same bytes.
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    for (src, dest) in pictures {
        let a = image::load_from_memory(&fs::read(site.path(src)).unwrap()).unwrap();
        let b = image::load_from_memory(&fs::read(out.join(dest)).unwrap()).unwrap();
        assert_eq!((a.width(), a.height()), (b.width(), b.height()), "{dest}");
    }
    let html = read(&out, "posts/bundle-post/index.html");
    assert!(html.contains(&format!(
        "<img src=\"{BASE}/posts/bundle-post/photo.jpg\" alt=\"An orange square\""
    )));
    assert!(html.contains(&format!(
        "<img src=\"{BASE}/posts/bundle-post/cover.png\" alt=\"A blue rectangle\" width=\"8\" height=\"6\" srcset=\"{BASE}/posts/bundle-post/cover.png 8w\""
    )));
    // The Markdown of a bundle is not published as a file.
    assert!(!out.join("posts/bundle-post/index.md").exists());
    // With `keep_original`, the files as they are.
    site.edit(
        "gen.toml",
        "[extra]",
        "[images]\nkeep_original = true\n\n[extra]",
    );
    site.build_ok(&[]);
    for (src, dest) in pictures {
        assert_eq!(
            fs::read(site.path(src)).unwrap(),
            fs::read(out.join(dest)).unwrap(),
            "{dest}"
        );
    }
}

#[test]
fn guest_html_is_sanitized_and_staff_html_kept() {
    let site = fixture("basic");
    let post = "content/posts/2024-02-01-guest-hello.md";
    site.write(
        post,
        site.read(post).replace(
            "<span class=\"guest-html\">",
            "<script>alert(\"guest script\")</script>\n\n<span onclick=\"alert(1)\" class=\"guest-html\">",
        ),
    );
    site.build_ok(&[]);
    let guest = read(&site.public(), "posts/guest-hello/index.html");
    let start = guest.find("<div class=\"prose e-content\">").unwrap();
    let body = &guest[start..start + guest[start..].find("</footer>").unwrap()];
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("onclick"), "{body}");
    assert!(body.contains("<span class=\"guest-html\">guest html</span>"));
    assert!(
        body.contains(
            "<a href=\"https://example.org/\" rel=\"noopener noreferrer\">a raw link</a>"
        )
    );
    let staff = read(&site.public(), "posts/staff-intro/index.html");
    assert!(staff.contains("<span class=\"staff-html\">kept</span>"));
}

#[test]
fn summaries_on_listings_and_full_posts() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    let last = read(&out, "page/4/index.html");
    assert!(last.contains("Welcome. This blog has staff and guest authors."));
    assert!(
        !last.contains("Raw HTML from staff"),
        "more than the summary listed"
    );
    assert!(last.contains("Read more"));
    let post = read(&out, "posts/staff-intro/index.html");
    assert!(post.contains("Raw HTML from staff"));
    // Links between content files resolve to permalinks.
    assert!(post.contains(&format!("href=\"{BASE}/docs/guide/\"")));
    let about = read(&out, "about/index.html");
    assert!(about.contains(&format!("href=\"{BASE}/posts/staff-intro/\"")));
}

#[test]
fn sitemap_robots_and_404() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    let sitemap = read(&out, "sitemap.xml");
    let locs: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s[..s.find("</loc>").unwrap()].to_string())
        .collect();
    let pages: BTreeSet<String> = html_files(&out)
        .into_iter()
        // The search page is a page of results, not content.
        .filter(|p| p != "404.html" && p != "search/index.html" && !p.starts_with("share/"))
        .map(|p| format!("{BASE}/{}", p.trim_end_matches("index.html")))
        .map(|u| encode_non_ascii(&u))
        .collect();
    assert_eq!(locs, pages);
    for p in BASIC_POSTS {
        assert!(locs.contains(&post_url(BASE, p.slug)));
    }
    assert!(
        sitemap.contains("<lastmod>2024-07-15T00:00:00+00:00</lastmod>"),
        "updated date"
    );
    assert_eq!(
        read(&out, "robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}/sitemap.xml\n")
    );
    let nf = read(&out, "404.html");
    assert_eq!(meta(&nf, "robots"), ["noindex"]);
    assert!(nf.contains("Page not found"));
}

/// Regression: a tag with a non-ASCII name gave a sitemap `<loc>` and feed links
/// that were not valid URIs. URLs are percent-encoded; the files keep their names.
#[test]
fn non_ascii_term_urls_are_percent_encoded() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let out = site.public();
    assert!(out.join("tags/café/index.html").is_file());
    let encoded = format!("{BASE}/tags/caf%C3%A9/");
    for file in [
        "sitemap.xml",
        "tags/café/rss.xml",
        "posts/yaml-post/index.html",
        "tags/index.html",
    ] {
        let text = read(&out, file);
        assert!(text.contains(&encoded), "{file} lacks {encoded}");
        assert!(
            !text.contains("/tags/café/"),
            "{file} has a raw non-ASCII URL"
        );
    }
    // Every URL the sitemap and feeds give is ASCII.
    for (path, text) in text_files(&out) {
        if path.ends_with(".xml") {
            for loc in text
                .split("<loc>")
                .skip(1)
                .chain(text.split("<link>").skip(1))
            {
                let url = &loc[..loc.find('<').unwrap()];
                assert!(url.is_ascii(), "{path}: {url}");
            }
        }
    }
}

fn encode_non_ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A build reads each post's file again to make its page rather than hold
/// every source from loading on: a file saved in between is an error naming
/// it, never a page made from another version than the lists that show it.
#[test]
fn a_post_saved_while_the_site_builds_is_an_error_not_a_page_of_another_version() {
    let site = fixture("basic");
    let rel = "content/posts/2024-06-01-staff-more.md";
    let post = site.path(rel);
    let result =
        byline::build::build_with(&site.root, byline::load::LoadOptions::default(), |_| {
            let text = fs::read_to_string(&post).unwrap();
            fs::write(
                &post,
                format!("{text}\nA line saved while the site builds.\n"),
            )
            .unwrap();
            std::sync::Mutex::new(byline::render::Output::default())
        });
    let Err(diags) = result else {
        panic!("the build went on with a post that changed after it was loaded")
    };
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "the file changed while the site was being built (it is read again to make its page)"
    );
    assert_eq!(errors[0].path.as_deref(), Some(std::path::Path::new(rel)));
    assert_eq!(
        errors[0].hint.as_deref(),
        Some("run the command again: it builds from the file as it is now")
    );
    // Built again, the post's page has the new line.
    site.build_ok(&[]);
    assert!(
        site.read("public/posts/staff-more/index.html")
            .contains("A line saved while the site builds.")
    );
}
