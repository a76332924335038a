//! Share kits end to end: the kit pages and JSON that `gen build` writes, and
//! `gen share` selecting posts by git ref, date and name.

use crate::support::{SiteTest, git, toml_post};

fn post(slug: &str, date: &str, author: &str, extra: &str) -> (String, String) {
    (
        format!("content/posts/{date}-{slug}.md"),
        toml_post(
            &format!(
                "title = \"A post called {slug}\"\ndate = {date}\nauthors = [\"{author}\"]\n{extra}"
            ),
            &format!("The summary of {slug}, which says what it is about.\n\nMore text."),
        ),
    )
}

fn site() -> SiteTest {
    let mut dir = SiteTest::empty()
        .config("title = \"Field Notes\"\nbase_url = \"https://notes.example.org\"\n[social]\nx = \"fieldnotes\"\n[share]\nhashtags = [\"community\"]\nmastodon_instance = \"mastodon.social\"\n")
        .author("holly", "name = \"Holly Powell\"\nguest = true\n[social]\nx = \"hollyp\"\nmastodon = \"@holly@mastodon.social\"\nbluesky = \"holly.bsky.social\"\n")
        .author("nox", "name = \"Nox Handle\"\nguest = true\n")
        .author("staff", "name = \"Sam Staff\"\nguest = false\n");
    for (slug, date, author, extra) in [
        ("old-guest", "2024-01-10", "holly", ""),
        ("staff-post", "2024-02-10", "staff", ""),
        ("opted-out", "2024-03-10", "holly", "share = false\n"),
        ("no-handles", "2024-04-10", "nox", ""),
    ] {
        let (rel, text) = post(slug, date, author, extra);
        dir = dir.file(&rel, text);
    }
    dir
}

#[test]
fn kits_exist_for_guest_posts_only() {
    let dir = site();
    let out = dir.run(&["build"]);
    assert!(out.code == Some(0), "{}", out.stderr);
    let public = dir.public();
    assert!(public.join("share/old-guest/index.html").is_file());
    assert!(public.join("share/old-guest/snippets.json").is_file());
    assert!(public.join("share/no-handles/index.html").is_file());
    assert!(
        !public.join("share/staff-post").exists(),
        "staff posts have no kit"
    );
    assert!(
        !public.join("share/opted-out").exists(),
        "share = false opts out"
    );

    let page = std::fs::read_to_string(public.join("share/old-guest/index.html")).unwrap();
    assert!(
        page.contains("<meta name=\"robots\" content=\"noindex"),
        "kit pages are noindex"
    );
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(
        !sitemap.contains("/share/"),
        "kit pages are not in the sitemap"
    );
    let post = std::fs::read_to_string(public.join("posts/old-guest/index.html")).unwrap();
    assert!(
        post.contains("https://notes.example.org/share/old-guest/"),
        "the post links to its kit"
    );

    let kit: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(public.join("share/old-guest/snippets.json")).unwrap(),
    )
    .unwrap();
    let snippets = kit["snippets"].as_array().unwrap();
    assert_eq!(snippets.len(), 12, "six platforms, two audiences each");
    let find = |platform: &str, audience: &str| {
        snippets
            .iter()
            .find(|s| s["platform"] == platform && s["audience"] == audience)
            .unwrap_or_else(|| panic!("no {platform} snippet for {audience}"))
    };
    let x_owner = find("x", "owner")["text"].as_str().unwrap();
    assert!(
        x_owner.starts_with("New guest post by @hollyp: “A post called old-guest”"),
        "{x_owner}"
    );
    assert!(x_owner.contains("https://notes.example.org/posts/old-guest/"));
    assert!(x_owner.ends_with("#community"));
    let x_guest = find("x", "guest")["text"].as_str().unwrap();
    assert!(
        x_guest.starts_with("I wrote a guest post for @fieldnotes:"),
        "{x_guest}"
    );
    let masto = find("mastodon", "owner");
    assert!(
        masto["text"]
            .as_str()
            .unwrap()
            .contains("@holly@mastodon.social")
    );
    assert!(
        masto["intent_url"]
            .as_str()
            .unwrap()
            .starts_with("https://mastodon.social/share?text=")
    );
    assert!(
        find("bluesky", "owner")["text"]
            .as_str()
            .unwrap()
            .contains("@holly.bsky.social")
    );
    let email = find("email", "owner");
    assert_eq!(
        email["subject"],
        "New on Field Notes: A post called old-guest"
    );
    assert!(
        email["intent_url"]
            .as_str()
            .unwrap()
            .starts_with("mailto:?subject=New%20on%20Field%20Notes")
    );
    for s in snippets {
        if let Some(limit) = s["limit"].as_u64() {
            assert!(s["length"].as_u64().unwrap() <= limit, "{s}");
        }
        assert_eq!(s["fits"], true);
    }

    let nox: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(public.join("share/no-handles/snippets.json")).unwrap(),
    )
    .unwrap();
    let text = nox["snippets"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("New guest post by Nox Handle:"),
        "guests without a handle are named: {text}"
    );
}

#[test]
fn share_since_git_ref_lists_only_the_new_guest_post() {
    let dir = site();
    let r = dir.root.as_path();
    git(r, &["init", "-q", "-b", "main"]);
    git(r, &["add", "."]);
    git(r, &["commit", "-q", "-m", "site"]);
    git(r, &["checkout", "-q", "-b", "guest-post"]);
    let (rel, text) = post("brand-new", "2024-05-01", "holly", "");
    dir.write(&rel, &text);
    git(r, &["add", "."]);
    git(r, &["commit", "-q", "-m", "A guest post"]);

    let out = dir.run(&["share", "--since", "main", "--format", "json"]);
    assert!(out.code == Some(0), "{}", out.stderr);
    let kits: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let slugs: Vec<&str> = kits
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["brand-new"]);

    let md = dir.run(&["share", "--since", "main", "--format", "markdown"]);
    let md = md.run.stdout;
    assert!(
        md.starts_with(
            "### Share kit: [A post called brand-new](https://notes.example.org/posts/brand-new/)"
        ),
        "{md}"
    );
    assert!(md.contains("[Open in X](https://x.com/intent/tweet?text="));

    let none = dir.run(&["share", "--since", "HEAD", "--format", "markdown"]);
    assert!(none.code == Some(0));
    assert_eq!(none.stdout, "No new guest posts to share.\n");
}

#[test]
fn share_since_date_and_by_name() {
    let dir = site();
    let out = dir.run(&["share", "--since", "2024-04-01", "--format", "json"]);
    assert!(out.code == Some(0), "{}", out.stderr);
    let kits: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(kits.as_array().unwrap().len(), 1);
    assert_eq!(kits[0]["slug"], "no-handles");

    let out = dir.run(&["share", "old-guest"]);
    let text = out.run.stdout;
    assert!(
        text.starts_with("== A post called old-guest <https://notes.example.org/posts/old-guest/>"),
        "{text}"
    );

    let bad = dir.run(&["share", "--since", "no-such-ref"]);
    assert_eq!(bad.code, Some(2));
    assert!(
        &bad.stderr
            .contains("neither a date (YYYY-MM-DD) nor a git ref")
    );
}

#[test]
fn snippet_that_cannot_fit_is_a_check_warning() {
    let dir = site();
    let long_title = "Supercalifragilisticexpialidocious".repeat(12);
    dir.write("content/posts/2024-06-01-long.md",
        format!(
            "+++\ntitle = \"{long_title}\"\ndate = 2024-06-01\nauthors = [\"holly\"]\n+++\n\nBody.\n"
        ),
    );
    let out = dir.run(&["check"]);
    let err = &out.stderr;
    assert!(out.code == Some(0), "a warning, not an error: {err}");
    assert!(
        err.contains("warning: content/posts/2024-06-01-long.md: the x snippet does not fit"),
        "{err}"
    );
    let strict = dir.run(&["check", "--deny-warnings"]);
    assert_eq!(strict.code, Some(1));
    let build = dir.run(&["build"]);
    assert_eq!(build.code, Some(0));
    assert_eq!(
        build.stderr.matches("the x snippet does not fit").count(),
        2,
        "the build warns once per audience: {}",
        build.stderr
    );
}
