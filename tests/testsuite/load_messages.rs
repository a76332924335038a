//! Messages a guest understands without reading Rust: the exact text of the
//! errors and warnings of loading (front matter, profiles, `gen.toml`), each
//! with its file:line:col, source line and caret; and every problem of a file
//! in one run.

use crate::support::snapshot::assert_snapshot;
use crate::support::*;

/// `gen check` on the fixture with `files` written: its exit code and stderr.
fn check_with(files: &[(&str, &str)]) -> Run {
    let mut site = SiteTest::from_fixture("basic");
    for (rel, text) in files {
        site = site.file(rel, text);
    }
    site.run(&["check"]).run
}

#[test]
fn toml_date_errors_get_a_date_hint() {
    let run = check_with(&[(
        "content/posts/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-5-1\nauthors = [\"ada-staff\"]\n+++\n\nBody.\n",
    )]);
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "error: content/posts/a.md:3:8: invalid TOML: invalid date, expected a two-digit month (MM)
  |
3 | date = 2024-5-1
  |        ^
  = help: write dates as 2024-05-01 or as an RFC 3339 date-time: `date = 2024-05-01` or `date = 2024-05-01T09:30:00+02:00`
1 error
"
    );
}

#[test]
fn yaml_tabs_are_named_as_the_cause() {
    let run = check_with(&[(
        "content/posts/a.md",
        "---\ntitle: A\ndate: 2024-05-01\nauthors:\n\t- ada-staff\n---\n\nBody.\n",
    )]);
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "error: content/posts/a.md:5:1: invalid YAML: YAML does not allow tabs for indentation; use spaces
  |
5 | \t- ada-staff
  | ^
  = help: replace the tab at the start of this line with spaces (two for each level)
1 error
"
    );
}

#[test]
fn yaml_posts_get_yaml_hints() {
    let run = check_with(&[
        (
            "content/posts/a.md",
            "---\ndate: 2024-05-01\nauthor: ada-staff\n---\n\nBody.\n",
        ),
        (
            "content/posts/b.md",
            "---\ntitle: B\ndate: 2024-05-01\nauthor: ada-staff\ntags: 5\n---\n\nBody.\n",
        ),
        (
            "content/posts/c.md",
            "---\ntitle: C\ndate: someday\nauthor: ada-staff\n---\n\nBody.\n",
        ),
    ]);
    run.assert_code(1);
    assert_snapshot("load_messages__yaml_posts_get_yaml_hints", &run.stderr);
}

#[test]
fn serde_type_names_become_plain_words_in_the_config() {
    let site = fixture("basic");
    site.edit("gen.toml", "paginate_by = 2", "paginate_by = -2");
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "error: gen.toml:6:15: wrong type for `paginate_by`: expected a whole number (0 or more), found the number -2
  |
6 | paginate_by = -2
  |               ^
  = help: write it like `paginate_by = 10`
1 error
"
    );
}

/// Regression: a profile with an error made every post naming the author say
/// "unknown author … add a profile in authors/x.toml", for a file that exists.
#[test]
fn a_broken_profile_is_reported_in_the_profile_only() {
    let site = fixture("basic");
    site.edit(
        "authors/gus-guest.toml",
        "mastodon = \"@gus@mastodon.example\"",
        "mastodon = \"gus\"",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    let headlines = run.headlines();
    assert_eq!(headlines.len(), 1, "{}", run.stderr);
    assert!(
        headlines[0].starts_with(
            "error: authors/gus-guest.toml:10:13: malformed mastodon handle: `gus` lacks its server"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn hints_quote_the_commands_they_suggest() {
    let run = check_with(&[(
        "content/posts/2024-05-02-imported.md",
        "---\ntitle: Imported\nauthor: Ignasi Bartomeus\n---\n\nBody.\n",
    )]);
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "error: content/posts/2024-05-02-imported.md:3:9: unknown author \"Ignasi Bartomeus\"
  |
3 | author: Ignasi Bartomeus
  |         ^
  = help: posts name authors by the slug of their profile: write `author: \"ignasi-bartomeus\"` and create the profile with `gen new author ignasi-bartomeus --name \"Ignasi Bartomeus\"`
1 error
"
    );
}

#[test]
fn a_profile_found_by_the_name_a_post_gives() {
    let run = check_with(&[(
        "content/posts/2024-05-02-imported.md",
        "---\ntitle: Imported\nauthor: Gus Guest\n---\n\nBody.\n",
    )]);
    run.assert_code(1);
    assert_eq!(
        run.first_line(),
        "error: content/posts/2024-05-02-imported.md:3:9: unknown author \"Gus Guest\" (did you mean \"gus-guest\"?)"
    );
    assert!(
        run.stderr.contains(
            "  = help: posts name authors by the slug of their profile: write `author: \"gus-guest\"`\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn config_warnings_carry_their_line_and_unknown_keys_in_every_table() {
    let site = SiteTest::from_fixture("basic");
    let config = site.read("gen.toml").replace(
        "[social]\nx = \"fixturenotes\"\n",
        "[social]\nx = \"fixturenotes\"\ntwiter = \"fixture\"\nfediverse = \"https://social.example/@f\"\n\n[taxonomies]\ntags = true\n",
    ) + "paginate_by = 5\n";
    let site = site.config(&config).edit(
        "authors/gus-guest.toml",
        "github = \"gusgithub\"",
        "githb = \"gusgithub\"",
    );
    std::fs::remove_file(site.path("content/posts/2099-01-01-from-the-future.md")).unwrap();
    site.run(&["check"]).success().stderr_snapshot(
        "load_messages__config_warnings_carry_their_line_and_unknown_keys_in_every_table",
    );
}

/// Regression: a post with a front matter error had its body checked only once
/// the error was fixed: its broken links came a run later.
#[test]
fn front_matter_error_and_broken_link_in_one_post_in_one_run() {
    let run = check_with(&[(
        "content/posts/2024-05-02-both.md",
        "+++\ntitle = \"Both\"\nauthors = [\"ada-staff\"]\ndraft = \"no\"\n+++\n\nSee [the guide](2024-01-01-missing.md).\n",
    )]);
    run.assert_code(1);
    assert_eq!(
        run.headlines(),
        [
            "error: content/posts/2024-05-02-both.md:4:9: wrong type for `draft`: expected true or false, found the text \"no\"",
            "error: content/posts/2024-05-02-both.md:7:5: link to content/posts/2024-01-01-missing.md which is not a published post or page",
        ],
        "{}",
        run.stderr
    );
}

/// Every character of `text` is one XML 1.0 allows.
fn xml_chars_only(name: &str, text: &str) {
    for c in text.chars() {
        assert!(
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..),
            "{name} holds U+{:04X}",
            c as u32
        );
    }
}

/// Regression: one U+0001 in a guest post made rss.xml and the author's feed
/// ill-formed XML, and every feed reader of the site stopped updating.
#[test]
fn control_characters_never_reach_an_output() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-12-01-pasted.md",
        "+++\ntitle = \"Pasted\u{1} from a PDF\"\ndate = 2024-12-01\nauthors = [\"gus-guest\"]\ndescription = \"Escaped \\u0001 and raw\u{1} \u{ffff}\"\n+++\n\nA body\u{1} with\u{8} controls.\n",
    );
    std::fs::remove_file(site.path("content/posts/2099-01-01-from-the-future.md")).unwrap();
    let run = site.run(&["check"]);
    run.assert_code(0);
    assert_eq!(
        run.headlines(),
        [
            "warning: content/posts/2024-12-01-pasted.md:2:16: control character U+0001 removed: it would break feeds and pages",
            "warning: content/posts/2024-12-01-pasted.md:5:1: control character U+0001 in `description` removed: it would break feeds and pages",
            "warning: content/posts/2024-12-01-pasted.md:5:38: 2 control characters (U+0001, U+FFFF) removed: it would break feeds and pages",
            "warning: content/posts/2024-12-01-pasted.md:8:7: 2 control characters (U+0001, U+0008) removed: it would break feeds and pages",
        ],
        "{}",
        run.stderr
    );
    // A control character in the body is a content problem, in the front matter
    // a front matter one.
    let github = site.run(&["check", "--format", "github"]);
    let annotations = format!("{}{}", github.stdout, github.stderr);
    assert!(
        annotations.contains("pasted.md,line=8,col=7,title=content::2 control characters"),
        "{annotations}"
    );
    assert!(
        annotations
            .contains("pasted.md,line=2,col=16,title=front matter::control character U+0001"),
        "{annotations}"
    );
    site.build_ok(&[]);
    let out = site.public();
    let files = all_files(&out);
    let mut feeds = 0;
    for (name, bytes) in &files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if name.ends_with(".xml") || name.ends_with(".html") || name.ends_with(".json") {
            xml_chars_only(name, text);
        }
        if name.ends_with("rss.xml") {
            rss::Channel::read_from(bytes.as_slice())
                .unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
            feeds += 1;
        }
        if name.ends_with(".json") {
            let v: serde_json::Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
            let s = v.to_string();
            assert!(!s.contains("\\u0001"), "{name}: {s}");
        }
    }
    assert!(feeds >= 2);
    let rss = read(&out, "rss.xml");
    assert!(rss.contains("Pasted from a PDF"), "{rss}");
    let author = read(&out, "authors/gus-guest/rss.xml");
    assert!(author.contains("Pasted from a PDF"), "{author}");
    assert!(author.contains("A body with controls."), "{author}");
    let kit = read(&out, "share/pasted/snippets.json");
    assert!(kit.contains("Pasted from a PDF"), "{kit}");
    assert!(kit.contains("Escaped  and raw "), "{kit}");
}

/// A character reference that names a control character (`&#1;`) is decoded by
/// the Markdown parser: it must not reach the feeds either.
#[test]
fn control_character_references_never_reach_an_output() {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-12-01-entities.md",
        "+++\ntitle = \"Entities\"\ndate = 2024-12-01\nauthors = [\"gus-guest\"]\n+++\n\nOne &#1; two &#xFFFF; three `&#1;` four.\n",
    );
    site.build_ok(&[]);
    for rel in [
        "rss.xml",
        "authors/gus-guest/rss.xml",
        "posts/entities/index.html",
    ] {
        let text = read(&site.public(), rel);
        xml_chars_only(rel, &text);
        assert!(
            text.contains("One  two  three <code>&amp;#1;</code> four."),
            "{rel}: {text}"
        );
    }
}

#[test]
fn control_characters_in_the_config_are_removed() {
    let site = fixture("basic");
    let config = site
        .read("gen.toml")
        .replace(
            "title = \"Fixture Notes\"",
            "title = \"Fixture\u{1} Notes\"",
        )
        .replace(
            "description = \"A small blog",
            "description = \"A \\u0007small blog",
        );
    site.write("gen.toml", config);
    std::fs::remove_file(site.path("content/posts/2099-01-01-from-the-future.md")).unwrap();
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert_eq!(
        run.headlines(),
        [
            "warning: gen.toml:1:17: control character U+0001 removed: it would break feeds and pages",
            "warning: gen.toml:3:1: control character U+0007 in `description` removed: it would break feeds and pages",
        ],
        "{}",
        run.stderr
    );
    let rss = read(&site.public(), "rss.xml");
    xml_chars_only("rss.xml", &rss);
    assert!(rss.contains("<title>Fixture Notes</title>"), "{rss}");
    assert!(rss.contains("<description>A small blog"), "{rss}");
}
