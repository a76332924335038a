//! What `gen check` says, and how: links that are not files, suggestions for
//! broken links, annotation titles in the GitHub format, tags that look like
//! typos, and what the sanitizer removes from guest posts.

use crate::support;

use crate::support::{Site, SiteTest, toml_post};

/// A small site: one staff author, posts written by the test.
fn site() -> SiteTest {
    SiteTest::empty()
        .config("title = \"T\"\nbase_url = \"https://t.example\"\n")
        .author("holly", "name = \"Holly\"\nguest = false\n")
}

fn post(s: &Site, file: &str, extra: &str, body: &str) {
    s.write(
        &format!("content/posts/{file}"),
        toml_post(
            &format!("title = \"{file}\"\ndate = 2024-05-01\nauthors = [\"holly\"]\n{extra}"),
            body,
        ),
    );
}

#[test]
fn an_email_autolink_is_a_mailto_link_not_a_broken_file_link() {
    let s = site();
    post(
        &s,
        "2024-05-01-security.md",
        "",
        "Report problems to <security@example.org>.",
    );
    let run = s.run(&["check", "--deny-warnings"]);
    run.assert_code(0);
    let out = s.outside("out");
    s.build_ok(&["-o", out.to_str().unwrap()]);
    let html = support::read(&out, "posts/security/index.html");
    assert!(
        html.contains("<a href=\"mailto:security@example.org\" rel=\"noopener noreferrer\">security@example.org</a>")
            || html.contains("<a href=\"mailto:security@example.org\">security@example.org</a>"),
        "{html}"
    );
}

#[test]
fn a_broken_link_to_a_post_suggests_the_nearest_file() {
    let s = site();
    post(&s, "2026-11-20-running-a-guild.md", "", "About guilds.");
    post(
        &s,
        "2026-11-21-follow-up.md",
        "",
        "As I wrote in [the guild post](2026-11-02-runing-a-guild.md), guilds need care.",
    );
    let run = s.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.headlines(),
        [
            "error: content/posts/2026-11-21-follow-up.md:7:15: link to content/posts/2026-11-02-runing-a-guild.md which is not a published post or page (did you mean 2026-11-20-running-a-guild.md?)"
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn github_annotations_are_titled_by_kind_with_each_suggestion_once() {
    let s = site();
    post(&s, "2026-11-20-running-a-guild.md", "", "About guilds.");
    post(
        &s,
        "2026-11-21-follow-up.md",
        "",
        "See [this](2026-11-20-runing-a-guild.md).",
    );
    s.write(
        "content/posts/2026-11-22-guest.md",
        "+++\ntitle = \"Guest\"\ndate = 2024-05-01\nauthors = [\"holy\"]\n+++\n\nHello.\n",
    );
    let run = s.run(&["check", "--format", "github"]);
    run.assert_code(1);
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "::error file=content/posts/2026-11-21-follow-up.md,line=7,col=5,title=broken link::link to content/posts/2026-11-20-runing-a-guild.md which is not a published post or page (did you mean 2026-11-20-running-a-guild.md?). Link to another post by its file (e.g. `2024-05-01-hello.md`), to a page by its URL (`/about/`), or to a picture beside the post or under static/",
            "::error file=content/posts/2026-11-22-guest.md,line=4,col=12,title=unknown author::unknown author \"holy\" (did you mean \"holly\"?). Otherwise add a profile in authors/holy.toml",
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn a_tag_typo_is_reported_in_the_first_run_even_beside_errors() {
    let s = site();
    post(&s, "2024-05-01-a.md", "tags = [\"community\"]\n", "A.");
    post(&s, "2024-05-02-b.md", "tags = [\"community\"]\n", "B.");
    post(
        &s,
        "2024-05-03-c.md",
        "tags = [\"remote\", \"comunity\"]\n",
        "C links to [nothing](nothing.md).",
    );
    let run = s.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.headlines(),
        [
            "warning: content/posts/2024-05-03-c.md:5:19: the tag \"comunity\" is used by this post only; did you mean \"community\" (2 posts)?",
            "error: content/posts/2024-05-03-c.md:8:12: link to content/posts/nothing.md which is not a published post or page",
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "  = help: write \"community\" so readers find the related posts; keep \"comunity\" if it is a new tag\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_established_compound_tag_is_not_a_typo() {
    let s = site();
    post(&s, "2024-05-01-a.md", "tags = [\"writing\"]\n", "A.");
    post(&s, "2024-05-02-b.md", "tags = [\"writing\"]\n", "B.");
    post(
        &s,
        "2024-05-03-c.md",
        "tags = [\"guest-writing\", \"writing\"]\n",
        "C.",
    );
    post(&s, "2024-05-04-d.md", "tags = [\"rust-2023\"]\n", "D.");
    post(&s, "2024-05-05-e.md", "tags = [\"rust-2024\"]\n", "E.");
    post(&s, "2024-05-06-f.md", "tags = [\"rust-2024\"]\n", "F.");
    s.run(&["check", "--deny-warnings"]).assert_code(0);
}

#[test]
fn the_example_site_passes_check_with_deny_warnings() {
    let s = SiteTest::from_dir("example-site");
    let run = s.run(&["check", "--deny-warnings"]);
    run.assert_code(0);
    assert_eq!(run.headlines(), Vec::<&str>::new(), "{}", run.stderr);
}

#[test]
fn what_the_sanitizer_removes_from_a_guest_post_is_a_warning_at_its_line() {
    let s = support::fixture("hostile-guest");
    let run = s.run(&["check"]);
    run.assert_code(0);
    let file = "content/posts/2024-05-01-my-demo-embedded.md";
    let heads = run.headlines();
    for want in [
        "8:19: the sanitizer removes the address `javascript:alert(1)` from `<a>`: addresses that run scripts are not allowed",
        "11:1: the sanitizer removes `<script>` and its content: scripts do not run in guest posts",
        "13:1: the sanitizer removes the `onclick` attribute of `<p>`: event handlers run scripts, which do not run in guest posts",
        "15:1: the sanitizer removes the address `https://evil.example/embed` from `<iframe>`: embedded pages are allowed only from the hosts in `allowed_iframe_hosts` under [guest] in gen.toml",
        "23:1: the sanitizer removes `<form>`: forms are not allowed in guest posts",
        "35:1: the sanitizer removes the `onclick` attribute of `<h2>`: event handlers run scripts, which do not run in guest posts",
    ] {
        let line = format!("warning: {file}:{want}");
        assert!(heads.contains(&line.as_str()), "no {line}:\n{}", run.stderr);
    }
    // Each at its line, with the source line and the help.
    assert!(
        run.stderr.contains(
            "warning: content/posts/2024-05-01-my-demo-embedded.md:11:1: the sanitizer removes `<script>` and its content: scripts do not run in guest posts\n   |\n11 | <script>document.write(\"<a href='x'>\")</script>\n   | ^\n  = help: readers will not get it: remove it from the post, or link to what it shows\n"
        ),
        "{}",
        run.stderr
    );
    // The allowed iframe, and the staff post's HTML, are not reported.
    assert!(!run.stderr.contains("youtube-nocookie"), "{}", run.stderr);
    assert!(!run.stderr.contains("staff-notes"), "{}", run.stderr);
    assert!(
        heads
            .iter()
            .all(|h| h.starts_with(&format!("warning: {file}:"))),
        "{}",
        run.stderr
    );
    s.run(&["check", "--deny-warnings"]).assert_code(1);

    let gh = s.run(&["check", "--format", "github"]);
    assert!(
        gh.stdout.lines().any(|l| l == "::warning file=content/posts/2024-05-01-my-demo-embedded.md,line=11,col=1,title=removed HTML::the sanitizer removes `<script>` and its content: scripts do not run in guest posts. Readers will not get it: remove it from the post, or link to what it shows"),
        "{}",
        gh.stdout
    );

    // `gen build` says it too.
    let build = s.run(&["build", "-o", s.outside("out").to_str().unwrap()]);
    build.assert_code(0);
    assert!(
        build.stderr.contains("warning: content/posts/2024-05-01-my-demo-embedded.md:11:1: the sanitizer removes `<script>`"),
        "{}",
        build.stderr
    );
}

#[test]
fn clean_guest_html_gets_no_removal_warning() {
    let s = site();
    s.write("authors/gina.toml", "name = \"Gina\"\nguest = true\n");
    s.write(
        "content/posts/2024-05-01-clean.md",
        "+++\ntitle = \"Clean\"\ndate = 2024-05-01\nauthors = [\"gina\"]\n+++\n\n<details>\n<summary>More</summary>\n\nHidden *text*.\n\n</details>\n\n<table>\n<tr><td style=\"text-align: center\">1</td><th colspan=\"2\">2</th></tr>\n</table>\n\nText with <b>bold</b>, <kbd>Ctrl</kbd>, <abbr title=\"HyperText\">HTML</abbr>, <a href=\"https://example.org/\" title=\"t\">a link</a>, <ada@example.org> and [a page](/about/).\n\n<!-- a comment -->\n\n```html\n<script>alert(1)</script>\n```\n",
    );
    s.write("content/about.md", "+++\ntitle = \"About\"\n+++\nHi.\n");
    let run = s.run(&["check", "--deny-warnings"]);
    run.assert_code(0);
    assert_eq!(run.headlines(), Vec::<&str>::new(), "{}", run.stderr);
}

#[test]
fn a_link_whose_address_was_removed_keeps_no_rel() {
    let s = support::fixture("hostile-guest");
    let out = s.outside("out");
    s.run(&["-q", "build", "-o", out.to_str().unwrap()])
        .assert_code(0);
    let html = support::read(&out, "posts/my-demo-embedded/index.html");
    assert!(html.contains("<a>open the demo</a>"), "{html}");
    assert!(
        html.contains("<a title=\"Demo\">with a title</a>"),
        "{html}"
    );
    for tag in support::tags(&html) {
        let has = |a: &str| tag.attrs.iter().any(|(k, _)| k == a);
        if tag.name == "a" {
            assert!(has("href") || !has("rel"), "{tag:?}");
        }
        if tag.name == "img" || tag.name == "iframe" {
            assert!(has("src"), "{tag:?}");
        }
    }
    assert!(
        !html.contains("javascript:")
            && !html.contains("onclick")
            && !html.contains("evil.example")
    );
}
