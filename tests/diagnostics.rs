//! What `gen check` says, and how: links that are not files, suggestions for
//! broken links, annotation titles in the GitHub format, tags that look like
//! typos, and what the sanitizer removes from guest posts.

mod common;

use common::{Site, copy_site, empty_site};

/// A small site: one staff author, posts written by the test.
fn site() -> Site {
    let s = empty_site();
    s.write(
        "gen.toml",
        "title = \"T\"\nbase_url = \"https://t.example\"\n",
    );
    s.write("authors/holly.toml", "name = \"Holly\"\nguest = false\n");
    s
}

fn post(s: &Site, file: &str, extra: &str, body: &str) {
    s.write(
        &format!("content/posts/{file}"),
        format!(
            "+++\ntitle = \"{file}\"\ndate = 2024-05-01\nauthors = [\"holly\"]\n{extra}+++\n\n{body}\n"
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
    let html = common::read(&out, "posts/security/index.html");
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
    let s = copy_site(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"));
    let run = s.run(&["check", "--deny-warnings"]);
    run.assert_code(0);
    assert_eq!(run.headlines(), Vec::<&str>::new(), "{}", run.stderr);
}
