//! Every output path has one source: two files (or a file and something `gen`
//! generates) that would write the same path are an error naming both, in
//! `gen check`, `gen build` and `gen serve`, all of them in one run. A
//! `robots.txt` in `static/` is the one file that replaces a generated one.

use crate::support;

use std::fs;

use crate::support::{Run, Site, fixture};
use byline::load::LoadOptions;
use byline::render::{Content, Source};
use byline::serve::incremental::{Builder, Changes};

fn page(title: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n\nA page.\n")
}

/// `gen check` and `gen build` both fail with exactly `errors` (headlines in
/// `gen check`'s order), and the build leaves the last output as it was.
fn both_fail(site: &Site, errors: &[&str]) -> Run {
    let check = site.run(&["check"]);
    check.assert_code(1);
    assert_eq!(check.headlines(), errors, "{}", check.stderr);
    let build = site.run(&["build"]);
    build.assert_code(1);
    let mut got = build.headlines();
    got.sort();
    let mut want = errors.to_vec();
    want.sort();
    assert_eq!(got, want, "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("the previous output was left as it was"),
        "{}",
        build.stderr
    );
    check
}

/// Regression: `content/tags/community.md` silently replaced the generated
/// "community" tag page, and both commands exited 0.
#[test]
fn a_page_at_a_tag_page_path_is_an_error_naming_both() {
    let site = fixture("basic");
    site.build_ok(&[]);
    let before = support::read(&site.public(), "tags/community/index.html");
    site.write("content/tags/community.md", page("Our community"));
    let check = both_fail(
        &site,
        &[
            "error: content/tags/community.md: two sources for /tags/community/: content/tags/community.md and the tag page of \"community\"",
        ],
    );
    assert!(
        check.stderr.contains(
            "help: a page's URL is its place under content/: move or rename content/tags/community.md, or give it another `slug` in its front matter; or rename the tag \"community\" (used by content/posts/2024-02-01-guest-hello.md and 2 more)"
        ),
        "{}",
        check.stderr
    );
    assert_eq!(
        support::read(&site.public(), "tags/community/index.html"),
        before,
        "the failed build left the output alone"
    );
    let github = site.run(&["check", "--format", "github"]);
    assert!(
        github
            .stdout
            .contains("::error file=content/tags/community.md,"),
        "{}",
        github.stdout
    );
}

#[test]
fn a_page_at_an_author_page_path_is_an_error() {
    let site = fixture("basic");
    site.write("content/authors/gus-guest.md", page("Gus"));
    both_fail(
        &site,
        &[
            "error: content/authors/gus-guest.md: two sources for /authors/gus-guest/: content/authors/gus-guest.md and the author page of \"gus-guest\" (authors/gus-guest.toml)",
        ],
    );
}

/// A page that no author, term or listing uses is fine under `/authors/` or
/// `/page/`: only real clashes are errors.
#[test]
fn pages_beside_generated_paths_are_fine() {
    let site = fixture("basic");
    site.write("content/authors/guidelines.md", page("Guidelines"));
    site.write("content/tags/index-of-things.md", page("Things"));
    site.build_ok(&[]);
    assert!(
        site.public()
            .join("authors/guidelines/index.html")
            .is_file()
    );
    assert!(
        site.public()
            .join("tags/index-of-things/index.html")
            .is_file()
    );
}

#[test]
fn a_page_at_a_post_permalink_is_an_error() {
    let site = fixture("basic");
    site.edit("gen.toml", "post = \"/posts/:slug/\"", "post = \"/:slug/\"");
    site.write("content/guest-hello.md", page("Hello"));
    both_fail(
        &site,
        &[
            "error: content/guest-hello.md: two sources for /guest-hello/: content/posts/2024-02-01-guest-hello.md and content/guest-hello.md",
        ],
    );
}

#[test]
fn a_post_at_a_listing_path_is_an_error() {
    let site = fixture("basic");
    site.edit("gen.toml", "post = \"/posts/:slug/\"", "post = \"/:slug/\"");
    site.write(
        "content/posts/2024-05-05-tags.md",
        "+++\ntitle = \"All about tags\"\ndate = 2024-05-05\nauthors = [\"sam-staff\"]\n+++\n\nBody.\n",
    );
    let check = both_fail(
        &site,
        &[
            "error: content/posts/2024-05-05-tags.md: two sources for /tags/: content/posts/2024-05-05-tags.md and the list of tags",
        ],
    );
    assert!(
        check.stderr.contains(
            "help: give content/posts/2024-05-05-tags.md another `slug` in its front matter, or change `[permalinks] post` in gen.toml"
        ),
        "{}",
        check.stderr
    );
}

/// A static file cannot replace a feed, the sitemap or the 404 page: a copy
/// would go stale, or hide what the templates make.
#[test]
fn static_files_at_generated_paths_are_errors() {
    let site = fixture("basic");
    site.write("static/rss.xml", "<rss/>");
    site.write("static/sitemap.xml", "<urlset/>");
    site.write("static/404.html", "<p>lost</p>");
    site.write("static/tags/rust/rss.xml", "<rss/>");
    let check = both_fail(
        &site,
        &[
            "error: static/404.html: two sources for /404.html: the 404 page and static/404.html",
            "error: static/rss.xml: two sources for /rss.xml: the site feed and static/rss.xml",
            "error: static/sitemap.xml: two sources for /sitemap.xml: the sitemap and static/sitemap.xml",
            "error: static/tags/rust/rss.xml: two sources for /tags/rust/rss.xml: the feed of tag \"rust\" and static/tags/rust/rss.xml",
        ],
    );
    assert!(
        check.stderr.contains("help: gen makes /404.html itself: remove static/404.html, and change the 404 page with templates/404.html instead"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("help: gen makes /rss.xml itself: remove or rename static/rss.xml"),
        "{}",
        check.stderr
    );
}

/// The one override: a site that writes its own robots.txt gets it.
#[test]
fn a_static_robots_txt_replaces_the_generated_one() {
    let site = fixture("basic");
    site.build_ok(&[]);
    assert!(support::read(&site.public(), "robots.txt").contains("Sitemap: "));
    let mine = "User-agent: *\nDisallow: /drafts/\n";
    site.write("static/robots.txt", mine);
    let check = site.run(&["check"]);
    check.assert_code(0);
    site.build_ok(&[]);
    assert_eq!(support::read(&site.public(), "robots.txt"), mine);
}

#[test]
fn two_files_for_one_path_are_an_error() {
    let site = fixture("basic");
    // A picture in a page's folder and one in static/ for the same URL, and a
    // file in a post's folder where the post's page goes.
    site.write("content/docs/diagram.png", "content");
    site.write("static/docs/diagram.png", "static");
    site.write("content/posts/bundle-post/index.html", "<p>stale</p>");
    both_fail(
        &site,
        &[
            "error: content/posts/bundle-post/index.html: two sources for /posts/bundle-post/: content/posts/bundle-post/index.md and content/posts/bundle-post/index.html",
            "error: static/docs/diagram.png: two sources for /docs/diagram.png: content/docs/diagram.png and static/docs/diagram.png",
        ],
    );
}

#[test]
fn a_static_index_html_is_an_error_at_the_home_page() {
    let site = fixture("basic");
    site.write("static/index.html", "<p>hand-made home</p>");
    let check = both_fail(
        &site,
        &["error: static/index.html: two sources for /: the home page and static/index.html"],
    );
    assert!(
        check
            .stderr
            .contains("help: gen makes / itself: remove or rename static/index.html"),
        "{}",
        check.stderr
    );
}

/// Two posts with one slug get one error, at the slug: not a second one for
/// their pages and share kits.
#[test]
fn two_posts_with_the_same_slug_are_one_error() {
    let site = fixture("basic");
    site.edit(
        "gen.toml",
        "post = \"/posts/:slug/\"",
        "post = \"/:year/:slug/\"",
    );
    // Different years, so different permalinks; the share kits still clash.
    site.write(
        "content/posts/2023-02-01-guest-hello.md",
        "+++\ntitle = \"Hello again\"\ndate = 2023-02-01\nauthors = [\"gus-guest\"]\n+++\n\nBody.\n",
    );
    both_fail(
        &site,
        &[
            "error: content/posts/2024-02-01-guest-hello.md: duplicate slug \"guest-hello\": content/posts/2023-02-01-guest-hello.md has it too",
        ],
    );
}

/// Every clash of a run comes together, with the other errors of the run.
#[test]
fn clashes_come_with_the_other_errors_of_the_run() {
    let site = fixture("basic");
    site.write("content/tags/community.md", page("Community"));
    site.write("static/rss.xml", "<rss/>");
    site.write(
        "content/posts/2024-05-05-broken.md",
        "+++\ntitle = \"Broken\"\ndate = 2024-05-05\nauthors = [\"nobody-at-all\"]\n+++\n\nBody.\n",
    );
    let check = site.run(&["check"]);
    check.assert_code(1);
    let lines = check.headlines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("error: content/posts/2024-05-05-broken.md")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("error: content/tags/community.md: two sources")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("error: static/rss.xml: two sources")),
        "{lines:?}"
    );
}

fn serve_files(builder: &Builder) -> std::collections::BTreeMap<String, Vec<u8>> {
    builder
        .files()
        .iter()
        .map(|(k, v)| {
            let bytes = match &v.content().expect("the file reads back") {
                Content::Text(s) => s.as_bytes().to_vec(),
                Content::Copy(Source::Embedded(b)) => b.to_vec(),
                Content::Bytes(b) => b.to_vec(),
                Content::Copy(Source::Disk(p)) => fs::read(p).unwrap_or_default(),
            };
            (k.to_string(), bytes)
        })
        .collect()
}

fn full_build(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    let opts = LoadOptions {
        drafts: false,
        future: false,
        base_url: Some("http://127.0.0.1:1111"),
    };
    let built = byline::build::build(&site.root, opts).unwrap_or_else(|d| panic!("{d:?}"));
    built
        .output
        .files
        .iter()
        .map(|(k, v)| {
            let bytes = match v {
                Content::Text(s) => s.as_bytes().to_vec(),
                Content::Copy(Source::Embedded(b)) => b.to_vec(),
                Content::Bytes(b) => b.to_vec(),
                Content::Copy(Source::Disk(p)) => fs::read(p).unwrap_or_default(),
            };
            (k.clone(), bytes)
        })
        .collect()
}

/// `gen serve` rebuilds incrementally, and reports the same clash (its error
/// page shows what the build returns), then recovers when it is fixed.
#[test]
fn serve_reports_a_clash_and_recovers() {
    let site = fixture("basic");
    let mut builder = Builder::new(&site.root, false, "http://127.0.0.1:1111");
    builder
        .build(&Changes::all())
        .unwrap_or_else(|d| panic!("{d:?}"));
    site.write("content/tags/community.md", page("Community"));
    let errors = builder
        .build(&Changes::paths(["content/tags/community.md".into()]))
        .expect_err("a clash fails the rebuild");
    let messages: Vec<String> = errors
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(
        messages,
        [
            "two sources for /tags/community/: content/tags/community.md and the tag page of \"community\""
        ]
    );
    fs::remove_file(site.path("content/tags/community.md")).unwrap();
    builder
        .build(&Changes::paths(["content/tags/community.md".into()]))
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(serve_files(&builder), full_build(&site));
}

/// A static robots.txt that comes and goes while serving takes the generated
/// one's place and gives it back, as a full build would.
#[test]
fn serve_follows_a_static_robots_txt() {
    let site = fixture("basic");
    let mut builder = Builder::new(&site.root, false, "http://127.0.0.1:1111");
    builder
        .build(&Changes::all())
        .unwrap_or_else(|d| panic!("{d:?}"));
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    builder
        .build(&Changes::paths(["static/robots.txt".into()]))
        .unwrap_or_else(|d| panic!("{d:?}"));
    let files = serve_files(&builder);
    assert_eq!(files["robots.txt"], b"User-agent: *\nDisallow: /\n");
    assert_eq!(files, full_build(&site));
    fs::remove_file(site.path("static/robots.txt")).unwrap();
    builder
        .build(&Changes::paths(["static/robots.txt".into()]))
        .unwrap_or_else(|d| panic!("{d:?}"));
    let files = serve_files(&builder);
    assert!(String::from_utf8_lossy(&files["robots.txt"]).contains("Sitemap: "));
    assert_eq!(files, full_build(&site));
}

/// A front-matter edit that keeps the posts' order can still add a path: a
/// post that opts back in to its share kit claims `/share/<slug>/`.
#[test]
fn serve_reports_a_share_kit_that_comes_back_onto_a_page() {
    let site = fixture("basic");
    let post = "content/posts/2024-02-01-guest-hello.md";
    let text = site.read(post);
    site.write(post, text.replacen("+++\n\n", "share = false\n+++\n\n", 1));
    site.write("content/share/guest-hello.md", page("Sharing"));
    let mut builder = Builder::new(&site.root, false, "http://127.0.0.1:1111");
    builder
        .build(&Changes::all())
        .unwrap_or_else(|d| panic!("{d:?}"));
    site.write(post, &text);
    let errors = builder
        .build(&Changes::paths([post.into()]))
        .expect_err("the kit clashes with the page");
    let messages: Vec<String> = errors
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            d.render_human(false)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(
        messages,
        [
            "error: content/share/guest-hello.md: two sources for /share/guest-hello/: content/share/guest-hello.md and the share kit of content/posts/2024-02-01-guest-hello.md"
        ]
    );
}

/// Paths that differ only in letter case are one file on macOS and Windows:
/// a warning (both are published where paths are case-sensitive).
#[test]
fn paths_that_differ_only_in_case_are_a_warning() {
    let site = fixture("basic");
    site.write("static/images/Hero.jpg", "another picture");
    let check = site.run(&["check"]);
    check.assert_code(0);
    let case: Vec<&str> = check
        .headlines()
        .into_iter()
        .filter(|l| l.contains("letter case"))
        .collect();
    assert_eq!(
        case,
        [
            "warning: static/images/Hero.jpg: /images/hero.jpg and /images/Hero.jpg differ only in letter case: static/images/hero.jpg and static/images/Hero.jpg would be one file on macOS and Windows, where one replaces the other"
        ]
    );
    let build = site.build_ok(&[]);
    assert!(
        build.stderr.contains("differ only in letter case"),
        "{}",
        build.stderr
    );
}

/// A theme's static file where `gen` writes a file is a clash too; a site's
/// static file where the theme has one is the site's override.
#[test]
fn theme_static_files_clash_with_generated_files_not_with_the_site() {
    let site = fixture("basic");
    site.edit("gen.toml", "theme = \"default\"", "theme = \"mine\"");
    support::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates"),
        &site.path("themes/mine/templates"),
    );
    site.write("themes/mine/static/sitemap.xml", "<urlset/>");
    site.write("themes/mine/static/style.css", "body { color: red }");
    site.write("static/style.css", "body { color: blue }");
    let check = both_fail(
        &site,
        &[
            "error: themes/mine/static/sitemap.xml: two sources for /sitemap.xml: the sitemap and themes/mine/static/sitemap.xml",
        ],
    );
    assert!(
        check.stderr.contains(
            "help: gen makes /sitemap.xml itself: remove themes/mine/static/sitemap.xml from the theme"
        ),
        "{}",
        check.stderr
    );
    std::fs::remove_file(site.path("themes/mine/static/sitemap.xml")).unwrap();
    site.build_ok(&[]);
    assert_eq!(
        support::read(&site.public(), "style.css"),
        "body { color: blue }"
    );
}

/// A clash that comes in a rebuild that fails for another reason (a broken
/// link) is reported once that reason is fixed, even by an edit that keeps
/// the posts as they were.
#[test]
fn serve_reports_a_clash_that_came_with_another_error() {
    let site = fixture("basic");
    let post = "content/posts/2024-02-01-guest-hello.md";
    let good = site.read(post);
    let mut builder = Builder::new(&site.root, false, "http://127.0.0.1:1111");
    builder
        .build(&Changes::all())
        .unwrap_or_else(|d| panic!("{d:?}"));
    site.write("content/tags/community.md", page("Community"));
    site.write(post, format!("{good}\nSee [this](no-such-post.md).\n"));
    builder
        .build(&Changes::paths([
            "content/tags/community.md".into(),
            post.into(),
        ]))
        .expect_err("a broken link and a clash");
    site.write(post, &good);
    let errors = builder
        .build(&Changes::paths([post.into()]))
        .expect_err("the clash is still there");
    assert!(
        errors
            .iter()
            .any(|d| d.message.starts_with("two sources for /tags/community/")),
        "{errors:?}"
    );
}
