//! Old URLs keep working: `aliases` (and Jekyll's `redirect_from`) in front
//! matter and `[redirects]` in gen.toml make a redirect page at each old path
//! and a line of `/_redirects`; a bad alias and an alias that another page,
//! file or alias has are errors naming both, at the line of the alias; the
//! `[permalinks]` shapes of WordPress and Jekyll blogs are reproduced.

use crate::support::site_test::{SiteTest, toml_post};

const CONFIG: &str = "title = \"Old Blog\"\nbase_url = \"https://old.example\"\n";

fn site(config_extra: &str) -> SiteTest {
    SiteTest::empty()
        .config(&format!("{CONFIG}{config_extra}"))
        .author("holly", "name = \"Holly\"\n")
}

const HI: &str = "title = \"Hi\"\ndate = 2024-05-01\nauthors = [\"holly\"]\ntags = [\"Rust Lang\"]\ncategories = [\"News\"]\n";

#[test]
fn an_alias_builds_a_redirect_page_and_a_redirects_line() {
    let site = site("").post(
        "2024-05-01-hi.md",
        &format!("{HI}aliases = [\"/2024/05/01/hi/\", \"/hi.html\"]\n"),
        "Body.",
    );
    site.run(&["build"]).success();
    let page = site.read("public/2024/05/01/hi/index.html");
    assert_eq!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>This page has moved · Old Blog</title>\n<meta name=\"robots\" content=\"noindex\">\n\
<link rel=\"canonical\" href=\"https://old.example/posts/hi/\">\n\
<meta http-equiv=\"refresh\" content=\"0; url=https://old.example/posts/hi/\">\n\
</head>\n<body>\n<main>\n<h1>This page has moved</h1>\n\
<p>It is now at <a href=\"https://old.example/posts/hi/\">https://old.example/posts/hi/</a>.</p>\n\
</main>\n</body>\n</html>\n"
    );
    assert!(
        site.read("public/hi.html")
            .contains("url=https://old.example/posts/hi/")
    );
    assert_eq!(
        site.read("public/_redirects"),
        "# Made by gen from aliases and [redirects]: old path, new place, status.\n\
/2024/05/01/hi/ /posts/hi/ 301\n/hi.html /posts/hi/ 301\n"
    );
    // Redirects are not pages to index or to follow.
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("https://old.example/posts/hi/"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("2024/05/01"), "{sitemap}");
    assert!(!sitemap.contains("hi.html"), "{sitemap}");
    let feed = site.read("public/rss.xml");
    assert!(!feed.contains("2024/05/01/hi"), "{feed}");
    assert_eq!(feed.matches("<item>").count(), 1);
}

#[test]
fn a_site_without_redirects_has_no_redirects_file() {
    let site = site("").post("2024-05-01-hi.md", HI, "Body.");
    site.run(&["build"]).success().no_file("public/_redirects");
}

#[test]
fn jekyll_redirect_from_in_yaml_and_page_aliases() {
    let site = site("")
        .file(
            "content/posts/2024-05-01-hi.md",
            "---\ntitle: Hi\ndate: 2024-05-01\nauthor: holly\nredirect_from: /blog/hi/\n---\n\nBody.\n",
        )
        .file(
            "content/posts/2024-05-02-two.md",
            "---\ntitle: Two\ndate: 2024-05-02\nauthor: holly\nredirect_from:\n  - /blog/two/\n  - /two.html\n---\n\nBody.\n",
        )
        .file(
            "content/about.md",
            "+++\ntitle = \"About\"\naliases = [\"/about-us/\"]\n+++\n\nUs.\n",
        );
    site.run(&["build"]).success();
    assert_eq!(
        site.read("public/_redirects"),
        "# Made by gen from aliases and [redirects]: old path, new place, status.\n\
/about-us/ /about/ 301\n/blog/hi/ /posts/hi/ 301\n/blog/two/ /posts/two/ 301\n/two.html /posts/two/ 301\n"
    );
    assert!(
        site.read("public/about-us/index.html")
            .contains("<link rel=\"canonical\" href=\"https://old.example/about/\">")
    );
}

#[test]
fn a_bad_alias_is_an_error_at_its_line() {
    let site = site("").post(
        "2024-05-01-hi.md",
        &format!("{HI}aliases = [\"/ok/\", \"/old/path\"]\n"),
        "Body.",
    );
    site.run(&["check"]).fails_with(1).stderr_eq(
        "error: content/posts/2024-05-01-hi.md:7:20: invalid alias \"/old/path\": it must end in `/` (a folder URL) or name a file like `/old.html`
  |
7 | aliases = [\"/ok/\", \"/old/path\"]
  |                    ^
  = help: write \"/old/path/\"
1 error
",
    );
    let yaml = site
        .file(
            "content/posts/2024-05-01-hi.md",
            "---\ntitle: Hi\ndate: 2024-05-01\nauthor: holly\nredirect_from:\n  - https://old.example/a/b/?p=1\n  - ../x/\n---\n\nBody.\n",
        );
    let run = yaml.run(&["check"]);
    run.fails_with(1);
    assert_eq!(
        run.headlines(),
        [
            "error: content/posts/2024-05-01-hi.md:6:5: invalid alias \"https://old.example/a/b/?p=1\": it must be a path on this site, not a whole URL",
            "error: content/posts/2024-05-01-hi.md:7:5: invalid alias \"../x/\": it must start with `/` (a path from the site's root)",
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: write \"/a/b/\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "help: write the old URL's path from the site's root, e.g. \"/2019/05/old-title/\" or \"/old-title.html\""
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_alias_at_another_page_is_an_error_naming_both() {
    let site = site("").post("2024-05-01-hi.md", HI, "Body.").post(
        "2024-05-02-two.md",
        "title = \"Two\"\ndate = 2024-05-02\nauthors = [\"holly\"]\naliases = [\"/posts/hi/\"]\n",
        "Body.",
    );
    site.run(&["build"]).fails_with(1);
    site.run(&["check"]).fails_with(1).stderr_eq(
        "error: content/posts/2024-05-02-two.md:5:13: two sources for /posts/hi/: content/posts/2024-05-01-hi.md and the alias \"/posts/hi/\" of content/posts/2024-05-02-two.md
  |
5 | aliases = [\"/posts/hi/\"]
  |             ^
  = help: an old URL can lead to one page only: remove \"/posts/hi/\" from the aliases in content/posts/2024-05-02-two.md, or move the other source
1 error
",
    );
}

#[test]
fn an_alias_at_a_file_a_feed_or_another_alias_is_an_error() {
    let site = site("")
        .post(
            "2024-05-01-hi.md",
            &format!("{HI}aliases = [\"/old/\", \"/logo.png\", \"/tags/rust-lang/rss.xml\"]\n"),
            "Body.",
        )
        .file(
            "content/about.md",
            "+++\ntitle = \"About\"\naliases = [\"/old/\"]\n+++\n\nUs.\n",
        )
        .file("static/logo.png", "png");
    let run = site.run(&["check"]);
    run.fails_with(1);
    assert_eq!(
        run.headlines(),
        [
            "error: content/posts/2024-05-01-hi.md:7:13: two sources for /old/: the alias \"/old/\" of content/about.md and the alias \"/old/\" of content/posts/2024-05-01-hi.md",
            "error: content/posts/2024-05-01-hi.md:7:22: two sources for /logo.png: the alias \"/logo.png\" of content/posts/2024-05-01-hi.md and static/logo.png",
            "error: content/posts/2024-05-01-hi.md:7:35: two sources for /tags/rust-lang/rss.xml: the alias \"/tags/rust-lang/rss.xml\" of content/posts/2024-05-01-hi.md and the feed of tag \"Rust Lang\"",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn a_static_redirects_file_clashes_with_the_generated_one() {
    let site = site("[redirects]\n\"/old/\" = \"/posts/hi/\"\n")
        .post("2024-05-01-hi.md", HI, "Body.")
        .file("static/_redirects", "/x /y 301\n");
    let run = site.run(&["check"]);
    run.fails_with(1);
    assert_eq!(
        run.headlines(),
        [
            "error: static/_redirects: two sources for /_redirects: the generated _redirects and static/_redirects"
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "help: gen makes /_redirects from aliases and [redirects]: move the rules of static/_redirects into [redirects] in gen.toml and remove it"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn old_author_tag_and_category_urls_redirect() {
    let site = site(
        "[redirects]\nauthors = \"/author/:slug/\"\ntags = \"/tag/:slug/\"\ncategories = \"/category/:slug/\"\n\"/feed/\" = \"/rss.xml\"\n\"/elsewhere/\" = \"https://new.example/x/\"\n",
    )
    .post("2024-05-01-hi.md", HI, "Body.");
    site.run(&["build"]).success();
    assert_eq!(
        site.read("public/_redirects"),
        "# Made by gen from aliases and [redirects]: old path, new place, status.\n\
/author/holly/ /authors/holly/ 301\n\
/category/news/ /categories/news/ 301\n\
/elsewhere/ https://new.example/x/ 301\n\
/feed/ /rss.xml 301\n\
/tag/rust-lang/ /tags/rust-lang/ 301\n"
    );
    assert!(
        site.read("public/tag/rust-lang/index.html")
            .contains("href=\"https://old.example/tags/rust-lang/\"")
    );
    assert!(
        site.read("public/elsewhere/index.html")
            .contains("url=https://new.example/x/")
    );
    // A pattern that is the site's own shape makes nothing.
    let same = site.edit("gen.toml", "/author/:slug/", "/authors/:slug/");
    same.run(&["build"]).success();
    assert!(!same.read("public/_redirects").contains("holly"));
}

#[test]
fn bad_redirects_config_is_an_error_at_its_line() {
    let site = site("[redirects]\ntags = \"/tag/\"\n\"/old\" = \"/new/\"\n").post(
        "2024-05-01-hi.md",
        HI,
        "Body.",
    );
    let run = site.run(&["check"]);
    run.fails_with(1);
    assert_eq!(
        run.headlines(),
        [
            "error: gen.toml:4:1: redirect pattern `tags = \"/tag/\"` must be a path from the site's root that holds `:slug` and ends in `/`",
            "error: gen.toml:5:1: invalid old path \"/old\" in [redirects]: it must end in `/` (a folder URL) or name a file like `/old.html`",
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: for example `tags = \"/tag/:slug/\"`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: write `\"/old/\" = \"/new/\"`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_template_replaces_the_redirect_page() {
    let site = site("")
        .post(
            "2024-05-01-hi.md",
            &format!("{HI}aliases = [\"/old/\"]\n"),
            "Body.",
        )
        .file(
            "templates/redirect.html",
            "moved from {{ redirect.from }} to {{ redirect.url }}\n",
        );
    site.run(&["build"]).success();
    assert_eq!(
        site.read("public/old/index.html"),
        "moved from /old/ to https://old.example/posts/hi/\n"
    );
}

/// The permalink shapes of blogs moving in: each post at its old URL.
#[test]
fn each_permalink_shape() {
    let cases = [
        ("/:year/:month/:day/:slug/", "2024/05/01/hi"),
        ("/:year/:month/:slug/", "2024/05/hi"),
        ("/blog/:slug/", "blog/hi"),
        ("/news/:year/:month/:day/:slug/", "news/2024/05/01/hi"),
    ];
    for (pattern, dir) in cases {
        let site = site(&format!("[permalinks]\npost = \"{pattern}\"\n")).file(
            "content/posts/2024-05-01-hi.md",
            toml_post(
                "title = \"Hi\"\ndate = 2024-05-01T23:30:00-05:00\nauthors = [\"holly\"]\n",
                "Body.",
            ),
        );
        site.run(&["build"]).success();
        let page = site.read(&format!("public/{dir}/index.html"));
        assert!(page.contains("<h1"), "{pattern}");
        let feed = site.read("public/rss.xml");
        assert!(
            feed.contains(&format!("<link>https://old.example/{dir}/</link>")),
            "{pattern}: {feed}"
        );
    }
}
