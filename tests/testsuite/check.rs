//! `gen check`: the extra checks beyond a build, and its three output formats.

use crate::support::SiteTest;

/// Three posts by one author; the third one's tag is a typo of the others'.
fn site() -> SiteTest {
    let mut s = SiteTest::empty()
        .config("title = \"T\"\nbase_url = \"https://t.example\"\n")
        .author("holly", "name = \"Holly\"\n[social]\nx = \"hollyp\"\n");
    for (i, tag) in ["community", "community", "comunity"].iter().enumerate() {
        s = s.post(
            &format!("2024-05-0{}-p{i}.md", i + 1),
            &format!(
                "title = \"P{i}\"\ndate = 2024-05-0{}\nauthors = [\"holly\"]\ntags = [\"{tag}\"]\n",
                i + 1
            ),
            "Body.",
        );
    }
    s
}

#[test]
fn a_clean_site_passes() {
    let s = site();
    s.write(
        "content/posts/2024-05-03-p2.md",
        "+++\ntitle = \"P2\"\ndate = 2024-05-03\nauthors = [\"holly\"]\n+++\n\nBody.\n",
    );
    let run = s.run(&["check"]);
    run.assert_code(0);
    assert_eq!(run.stderr, "checked: no errors\n");
    assert!(!s.public().exists(), "check writes nothing");
}

#[test]
fn tag_typo_is_a_warning_with_a_suggestion() {
    let s = site();
    let run = s.run(&["check"]);
    run.assert_code(0);
    assert!(
        run.stderr.starts_with(
            "warning: content/posts/2024-05-03-p2.md:5:9: the tag \"comunity\" is used by this post only; did you mean \"community\" (2 posts)?"
        ),
        "{}",
        run.stderr
    );
    s.run(&["check", "--deny-warnings"]).assert_code(1);
}

#[test]
fn future_dates_and_long_descriptions_warn() {
    let s = site();
    let long = "word ".repeat(70);
    s.write(
        "content/posts/2999-01-01-later.md",
        format!("+++\ntitle = \"Later\"\ndate = 2999-01-01\nauthors = [\"holly\"]\ndescription = \"{long}\"\n+++\n\nBody.\n"),
    );
    let run = s.run(&["check"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains(
            "warning: content/posts/2999-01-01-later.md:3:8: the date 2999-01-01 is in the future"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "warning: content/posts/2999-01-01-later.md:5:15: `description` is 350 characters"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn malformed_handles_are_errors() {
    let s = site();
    s.write(
        "authors/holly.toml",
        "name = \"Holly\"\n[social]\nx = \"this_is_far_too_long_for_x\"\nmastodon = \"holly\"\nbluesky = \"-bad-.example\"\n",
    );
    let run = s.run(&["check"]);
    run.assert_code(1);
    for (line, platform) in [(3, "x"), (4, "mastodon"), (5, "bluesky")] {
        let want = format!("error: authors/holly.toml:{line}:");
        let found = run
            .headlines()
            .iter()
            .any(|h| h.starts_with(&want) && h.contains(&format!("malformed {platform} handle")));
        assert!(found, "no {platform} error on line {line}:\n{}", run.stderr);
    }
}

#[test]
fn github_and_json_formats() {
    let s = site();
    let gh = s.run(&["check", "--format", "github"]);
    gh.assert_code(0);
    assert_eq!(
        gh.stdout.lines().next().unwrap(),
        "::warning file=content/posts/2024-05-03-p2.md,line=5,col=9,title=similar tag::the tag \"comunity\" is used by this post only; did you mean \"community\" (2 posts)? Write \"community\" so readers find the related posts; keep \"comunity\" if it is a new tag"
    );
    let json = s.run(&["check", "--format", "json"]);
    json.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["kind"], "similar-tag");
    assert_eq!(d["path"], "content/posts/2024-05-03-p2.md");
    assert_eq!(d["line"], 5);
    assert_eq!(d["col"], 9);
}

#[test]
fn paths_limit_the_report() {
    let s = site();
    s.write(
        "content/about.md",
        "+++\ntitle = \"About\"\ntitel = \"x\"\n+++\nHi\n",
    );
    let all = s.run(&["check"]);
    assert_eq!(
        all.headlines()
            .iter()
            .filter(|h| h.starts_with("warning: "))
            .count(),
        2,
        "{}",
        all.stderr
    );
    let only = s.run(&["check", "content/about.md"]);
    let heads = only.headlines();
    let warnings: Vec<&&str> = heads
        .iter()
        .filter(|h| h.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", only.stderr);
    assert!(
        warnings[0]
            .starts_with("warning: content/about.md:3:1: unknown front matter field `titel`"),
        "{}",
        only.stderr
    );
}

/// `gen check` resolves every link of every page it renders (it keeps the
/// links, not the pages): a broken one in a template is reported once per
/// page that has it, relative or absolute; good ones are not.
#[test]
fn broken_links_in_rendered_pages_are_errors_on_every_page() {
    let s = site().file(
        "templates/partials/footer.html",
        "<footer><a href=\"/nowhere/\">x</a> <a href=\"https://t.example/gone.html?a=1&amp;b=2\">y</a> \
         <a href=\"/posts/p0/\">ok</a> <a href=\"https://elsewhere.example/\">out</a></footer>\n",
    );
    let run = s.run(&["check"]);
    run.assert_code(1);
    let err = &run.stderr;
    for page in [
        "index.html",
        "posts/p0/index.html",
        "authors/holly/index.html",
    ] {
        for link in ["/nowhere/", "https://t.example/gone.html?a=1&b=2"] {
            assert!(
                err.contains(&format!(
                    "error: the page {page} links to {link}, which is not in the built site"
                )),
                "{page} {link}: {err}"
            );
        }
    }
    let nowhere = err.matches("links to /nowhere/,").count();
    assert!(nowhere > 5, "{err}");
    assert_eq!(
        nowhere,
        err.matches("links to https://t.example/gone.html?a=1&b=2,")
            .count()
    );
    assert!(!err.contains("links to /posts/p0/,"), "{err}");
    assert!(!err.contains("elsewhere.example"), "{err}");
    assert!(!s.public().exists(), "check writes nothing");
}
