//! Guest content is untrusted: raw HTML is sanitized, nothing outside the site
//! root is read, and content never runs template code.

use std::fs;

use crate::support::{SiteTest, toml_post};

/// A site with one guest and one staff author.
fn site() -> SiteTest {
    SiteTest::empty()
        .config("title = \"Secret Title\"\nbase_url = \"https://t.example\"\n[guest]\nallowed_iframe_hosts = [\"www.youtube-nocookie.com\"]\n")
        .author("guest", "name = \"Gail Guest\"\nguest = true\n")
        .author("staff", "name = \"Sam Staff\"\nguest = false\n")
}

fn post(author: &str, body: &str) -> String {
    toml_post(
        &format!("title = \"P\"\ndate = 2024-05-01\nauthors = [\"{author}\"]\n"),
        body,
    )
}

const HOSTILE: &str = "Hello <script>alert('x')</script><img src=\"/a.png\" onerror=\"steal()\"> \
<a href=\"javascript:alert(1)\">click</a> <iframe src=\"https://evil.example/x\"></iframe> \
<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Video\"></iframe> \
<span style=\"position:fixed\">over</span>";

#[test]
fn guest_html_is_sanitized() {
    let dir = site();
    dir.write("content/posts/2024-05-01-g.md", post("guest", HOSTILE));
    let out = dir.run(&["build"]);
    assert!(out.code == Some(0), "{}", out.stderr);
    let html = dir.read("public/posts/g/index.html");
    let body = &html[html.find("<main").unwrap()..];
    assert!(!body.contains("alert("), "script survived: {body}");
    assert!(!body.contains("onerror"));
    assert!(!body.contains("javascript:"));
    assert!(!body.contains("evil.example"));
    assert!(!body.contains("position:fixed"));
    assert!(
        body.contains("https://www.youtube-nocookie.com/embed/abc"),
        "allowed iframe host removed"
    );
    let feed = dir.read("public/rss.xml");
    assert!(!feed.contains("alert("), "script survived in the feed");
}

#[test]
fn staff_html_is_kept() {
    let dir = site();
    dir.write(
        "content/posts/2024-05-01-s.md",
        post("staff", "<div class=\"callout\" data-x=\"1\">Hi</div>"),
    );
    let out = dir.run(&["build"]);
    assert!(out.code == Some(0), "{}", out.stderr);
    let html = dir.read("public/posts/s/index.html");
    assert!(html.contains("<div class=\"callout\" data-x=\"1\">Hi</div>"));
}

#[test]
fn content_does_not_run_template_code() {
    let dir = site();
    dir.write(
        "content/posts/2024-05-01-t.md",
        post(
            "guest",
            "{{ config.title }} {% for p in posts %}x{% endfor %} {{ get_env(name=\"HOME\") }}",
        ),
    );
    let out = dir.run(&["build"]);
    assert!(out.code == Some(0), "{}", out.stderr);
    let html = dir.read("public/posts/t/index.html");
    assert!(html.contains("{{ config.title }}"));
    assert!(html.contains("{% for p in posts %}"));
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    assert!(!html.contains(&format!(">{home}<")));
}

#[test]
fn links_and_pictures_outside_the_root_are_errors() {
    let dir = site();
    dir.write(
        "content/posts/2024-05-01-o.md",
        post(
            "guest",
            "![x](../../../../etc/passwd) [y](../../../outside.md)",
        ),
    );
    let out = dir.run(&["build"]);
    assert_eq!(out.code, Some(1));
    let err = &out.stderr;
    assert!(err.contains("content/posts/2024-05-01-o.md:7:1: image \"../../../../etc/passwd\" leads outside the site folder"), "{err}");
    assert!(err.contains("content/posts/2024-05-01-o.md:7:30: link \"../../../outside.md\" leads outside the site folder"), "{err}");
    assert!(!dir.path("public").exists());
}

#[cfg(unix)]
#[test]
fn symlinked_avatar_outside_the_root_is_an_error() {
    let dir = site();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.jpg"), b"not for publishing").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.jpg"), dir.path("authors/g.jpg"))
        .unwrap();
    dir.write(
        "authors/guest.toml",
        "name = \"Gail Guest\"\navatar = \"g.jpg\"\n",
    );
    dir.write("content/posts/2024-05-01-g.md", post("guest", "Hi"));
    let out = dir.run(&["build"]);
    assert_eq!(out.code, Some(1));
    let err = &out.stderr;
    assert!(err.contains("authors/guest.toml:2:"), "{err}");
    assert!(
        err.contains("symbolic link that leads outside the site folder"),
        "{err}"
    );
}
