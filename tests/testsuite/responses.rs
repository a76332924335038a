//! Responses on post pages: webmentions from `data/mentions/<slug>.json` and
//! imported comments from `data/comments/<slug>.json`, shown by the default
//! theme, sanitized, and warnings for broken or stray files.

use crate::support::site_test::SiteTest;

const MENTIONS: &str = r#"{
  "target": "https://fixture.example.org/posts/staff-intro/",
  "mentions": [
    {"id": "1", "kind": "reply", "author": {"name": "Rae Reader", "url": "https://rae.example.org/", "photo": "https://rae.example.org/me.jpg"},
     "url": "https://rae.example.org/notes/1", "published": "2024-02-01T10:00:00Z", "content": "Lovely introduction."},
    {"id": "2", "kind": "like", "author": {"name": "Lee Liker", "url": "https://lee.example.net/", "photo": "https://lee.example.net/a.png"}, "url": "https://lee.example.net/likes/2"},
    {"id": "3", "kind": "repost", "author": {"name": "Rob Reposter", "url": "https://rob.example.org/"}, "url": "https://rob.example.org/r/3"},
    {"id": "4", "kind": "mention", "title": "Weekly links", "author": {"name": "Link Blog"}, "url": "https://links.example.net/weekly/4"}
  ]
}"#;

#[test]
fn a_post_shows_its_replies_likes_reposts_and_pages_that_picked_it_up() {
    let site = SiteTest::from_fixture("basic").file("data/mentions/staff-intro.json", MENTIONS);
    let out = site.run(&["build"]);
    out.success();
    assert!(!out.run.stderr.contains("warning"), "{}", out.run.stderr);
    let html = site.read("public/posts/staff-intro/index.html");
    assert!(
        html.contains(r#"<h2 id="responses-heading">4 responses</h2>"#),
        "{html}"
    );
    assert!(html.contains("<h3>1 like</h3>"), "{html}");
    assert!(html.contains("<h3>1 repost</h3>"), "{html}");
    assert!(html.contains(r#"<img src="https://lee.example.net/a.png" alt="Lee Liker" width="32" height="32" loading="lazy" referrerpolicy="no-referrer">"#), "{html}");
    assert!(
        html.contains(r#"<a href="https://rae.example.org/" rel="nofollow ugc">Rae Reader</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<p class="response-text">Lovely introduction.</p>"#),
        "{html}"
    );
    assert!(html.contains(r#"<a href="https://links.example.net/weekly/4" rel="nofollow ugc">Weekly links</a> by Link Blog"#), "{html}");
    // Other posts show no responses section.
    let other = site.read("public/posts/staff-more/index.html");
    assert!(!other.contains("responses-heading"), "{other}");
}

#[test]
fn imported_comments_show_as_replies_and_pingbacks_as_picked_up() {
    let comments = r#"[
      {"id": "7", "author": "Cam Commenter", "url": "https://cam.example.org/", "date": "2024-01-11T09:00:00+00:00", "kind": "comment", "content": "<p>Great <em>start</em>!</p>"},
      {"id": "8", "author": "Another blog", "url": "https://another.example.net/post", "date": "2024-01-12T09:00:00+00:00", "kind": "pingback", "content": "[…]"}
    ]"#;
    let site = SiteTest::from_fixture("basic").file("data/comments/staff-intro.json", comments);
    site.run(&["build"]).success();
    let html = site.read("public/posts/staff-intro/index.html");
    assert!(html.contains("2 responses"), "{html}");
    assert!(
        html.contains(r#"<p class="response-text">Great start!</p>"#),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<a href="https://another.example.net/post" rel="nofollow ugc">Another blog</a>"#
        ),
        "{html}"
    );
}

#[test]
fn hostile_mentions_are_text_and_bad_links_are_dropped() {
    let long = "word ".repeat(2000);
    let hostile = format!(
        r#"{{"mentions": [
        {{"id": "1", "kind": "reply", "author": {{"name": "<script>alert(1)</script>\u0007", "url": "javascript:alert(1)", "photo": "data:image/png;base64,AAAA"}},
         "url": "javascript:alert(2)", "content": "<script>alert(3)</script><img src=x onerror=alert(4)> {long}"}},
        {{"id": "2", "kind": "like", "author": {{"name": "P", "photo": "file:///etc/passwd"}}}},
        {{"id": "3", "kind": "mention", "url": "vbscript:x"}}
        ]}}"#
    );
    let site = SiteTest::from_fixture("basic").file("data/mentions/staff-intro.json", hostile);
    site.run(&["build"]).success();
    let html = site.read("public/posts/staff-intro/index.html");
    let section = html.split_once("<section class=\"responses").unwrap().1;
    let section = section.split_once("</section>").unwrap().0;
    assert!(!section.contains("<script"), "{section}");
    assert!(!section.contains("<img src=x"), "{section}");
    assert!(!section.contains("javascript:"), "{section}");
    assert!(!section.contains("data:image"), "{section}");
    assert!(!section.contains("file:"), "{section}");
    assert!(!section.contains("vbscript"), "{section}");
    assert!(!section.contains('\u{7}'), "{section}");
    assert!(
        section.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || section.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{section}"
    );
    assert!(section.contains("2 responses"), "{section}");
    let text = section.split_once("<p class=\"response-text\">").unwrap().1;
    let text = text.split_once("</p>").unwrap().0;
    assert!(text.len() < 2600, "the text is cut: {} bytes", text.len());
    assert!(text.ends_with("word…"), "{text}");
}

#[test]
fn broken_and_stray_files_are_warnings_and_the_build_goes_on() {
    let site = SiteTest::from_fixture("basic")
        .file("data/mentions/staff-intro.json", "{\n  \"mentions\": [1,")
        .file("data/mentions/no-such-post.json", r#"{"mentions": []}"#);
    let out = site.run(&["build"]);
    out.success();
    let err = &out.run.stderr;
    assert!(err.contains("data/mentions/staff-intro.json:2:"), "{err}");
    assert!(err.contains("not a mentions data file: "), "{err}");
    assert!(
        err.contains("no post has the slug \"no-such-post\": its responses are left out"),
        "{err}"
    );
    let html = site.read("public/posts/staff-intro/index.html");
    assert!(!html.contains("responses-heading"), "{html}");
}

#[test]
fn the_webmention_endpoint_is_named_on_every_page() {
    let site = SiteTest::from_fixture("basic").edit(
        "gen.toml",
        "[permalinks]",
        "[webmention]\nendpoint = \"https://webmention.io/fixture.example.org/webmention\"\n\n[permalinks]",
    );
    site.run(&["build"]).success();
    let link =
        r#"<link rel="webmention" href="https://webmention.io/fixture.example.org/webmention">"#;
    for page in [
        "public/index.html",
        "public/posts/staff-intro/index.html",
        "public/authors/index.html",
    ] {
        assert!(site.read(page).contains(link), "{page}");
    }
    let plain = SiteTest::from_fixture("basic");
    plain.run(&["build"]).success();
    assert!(
        !plain
            .read("public/index.html")
            .contains("rel=\"webmention\"")
    );
}

#[test]
fn a_webmention_endpoint_must_be_an_http_url() {
    let site = SiteTest::from_fixture("basic").edit(
        "gen.toml",
        "[permalinks]",
        "[webmention]\nendpoint = \"javascript:alert(1)\"\ntoken_env = \"my token\"\n\n[permalinks]",
    );
    let out = site.run(&["build"]);
    out.fails_with(1);
    let err = &out.run.stderr;
    assert!(err.contains("gen.toml:10:1"), "{err}");
    assert!(
        err.contains(
            "`[webmention] endpoint` must be an absolute http(s) URL, got \"javascript:alert(1)\""
        ),
        "{err}"
    );
    assert!(err.contains("gen.toml:11:1"), "{err}");
    assert!(
        err.contains(
            "`[webmention] token_env` must be the name of an environment variable, got \"my token\""
        ),
        "{err}"
    );
}
