//! The "Write for us" page: `/write/` and `/write/site.json` are made only with
//! `[guest] repository`, stay out of the sitemap and feeds, are marked
//! noindex, carry exactly the site's public authors, tags and categories, and
//! a bad `[guest]` setting is an error at its line.

use crate::support::SiteTest;

/// The basic fixture with `[guest]` given these extra lines.
fn with_guest(lines: &str) -> SiteTest {
    SiteTest::from_fixture("basic").edit(
        "gen.toml",
        "[guest]\nsanitize_html = true\n",
        &format!("[guest]\nsanitize_html = true\n{lines}"),
    )
}

#[test]
fn nothing_of_it_without_a_repository() {
    let site = SiteTest::from_fixture("basic");
    site.run(&["build"])
        .success()
        .no_file("public/write")
        .no_file("public/write/write.js");
    let home = site.read("public/index.html");
    assert!(
        !home.contains("/write/"),
        "home links the write page:\n{home}"
    );
    let guest = site.read("public/authors/gina-guest/index.html");
    assert!(!guest.contains("write a guest post"), "{guest}");
}

#[test]
fn page_data_and_script_with_a_repository() {
    let site = with_guest("repository = \"acme/fixture-notes\"\n");
    site.run(&["build"])
        .success()
        .file_contains(
            "public/write/index.html",
            "<meta name=\"robots\" content=\"noindex\">",
        )
        .file_contains(
            "public/write/index.html",
            "<script src=\"https://fixture.example.org/write/write.js\" defer></script>",
        )
        .file_contains(
            "public/write/index.html",
            "data-site=\"https://fixture.example.org/write/site.json\"",
        )
        // The manual way, for readers without JavaScript.
        .file_contains(
            "public/write/index.html",
            "<a href=\"https://github.com/acme/fixture-notes/blob/main/CONTRIBUTING.md\">contributor guide</a>",
        )
        .file_contains(
            "public/write/index.html",
            "<option value=\"gina-guest\">Gina Guest</option>",
        )
        .file_contains("public/write/index.html", "<option value=\"Café\"></option>")
        .file_contains(
            "public/write/index.html",
            "<input type=\"checkbox\" name=\"categories\" value=\"Guest Posts\">",
        )
        .file_contains("public/write/write.js", "Propose my author profile")
        .file_contains(
            "public/index.html",
            "<a href=\"https://fixture.example.org/write/\">Write for us</a>",
        )
        .file_contains(
            "public/authors/gina-guest/index.html",
            "<a href=\"https://fixture.example.org/write/\">write a guest post</a>",
        );
    let staff = site.read("public/authors/ada-staff/index.html");
    assert!(!staff.contains("write a guest post"), "{staff}");
    let data: serde_json::Value =
        serde_json::from_str(&site.read("public/write/site.json")).expect("site.json is JSON");
    let term = |name: &str, posts: usize| serde_json::json!({ "name": name, "posts": posts });
    let author = |slug: &str, name: &str, guest: bool, x: Option<&str>| serde_json::json!({ "slug": slug, "name": name, "guest": guest, "x": x });
    // The X snippets with marks where a draft's parts go, every rendering
    // the fitter can reach: per audience, with and without a description,
    // with the site's one hashtag and without.
    let url = "https://fixture.example.org/posts/%EE%80%83/";
    let marked = |audience: &str, description: bool, hashtags: usize| {
        let (head, tail) = if audience == "owner" {
            ("New guest post by \u{E002}: “\u{E000}”", "")
        } else {
            ("I wrote a guest post for @fixturenotes: “\u{E000}”", "")
        };
        let mut text = head.to_string();
        if description {
            text.push_str("\n\n\u{E001}");
        }
        text.push_str(&format!("\n\n{url}{tail}"));
        if hashtags > 0 {
            text.push_str("\n\n#fixture");
        }
        serde_json::json!({ "audience": audience, "description": description, "hashtags": hashtags, "text": text })
    };
    assert_eq!(
        data,
        serde_json::json!({
            "repository": {
                "host": "github",
                "name": "acme/fixture-notes",
                "branch": "main",
                "new_file_url": "https://github.com/acme/fixture-notes/new/main",
                "file_param": "filename",
                "content_param": "value",
                "contributing_url": "https://github.com/acme/fixture-notes/blob/main/CONTRIBUTING.md"
            },
            "authors": [
                author("ada-staff", "Ada Staff", false, Some("@adastaff")),
                author("gina-guest", "Gina Guest", true, None),
                author("gus-guest", "Gus Guest", true, Some("@gusx")),
                author("sam-staff", "Sam Staff", false, None),
            ],
            "tags": [
                term("Café", 1),
                term("community", 3),
                term("meta", 3),
                term("pictures", 1),
                term("rust", 1),
                term("Rust Lang", 1),
                term("writing", 1),
            ],
            "categories": [term("Guest Posts", 3), term("News", 3)],
            "limits": { "description_max": 300, "url_max": 8000 },
            "x": {
                "limit": 280,
                "marks": {
                    "title": "\u{E000}",
                    "description": "\u{E001}",
                    "guest": "\u{E002}",
                    "slug": "\u{E003}"
                },
                "post_url": url,
                "snippets": [
                    marked("owner", true, 1),
                    marked("owner", true, 0),
                    marked("owner", false, 1),
                    marked("owner", false, 0),
                    marked("guest", true, 1),
                    marked("guest", true, 0),
                    marked("guest", false, 1),
                    marked("guest", false, 0),
                ]
            }
        })
    );
    // Public values only: no profile carries more than its page shows (X
    // handles are on it; an email address is not).
    let text = site.read("public/write/site.json");
    let handles = ["\"@adastaff\"", "\"@gusx\"", "@fixturenotes:"];
    let rest = handles.iter().fold(text.clone(), |t, h| t.replace(h, ""));
    assert!(!rest.contains('@'), "site.json holds an address:\n{text}");
    // Out of the sitemap and of every feed.
    for file in [
        "public/sitemap.xml",
        "public/rss.xml",
        "public/atom.xml",
        "public/feed.json",
        "public/authors/gina-guest/rss.xml",
    ] {
        let text = site.read(file);
        assert!(
            !text.contains("/write/"),
            "{file} names the write page:\n{text}"
        );
    }
}

#[test]
fn gitlab_and_a_branch() {
    let site = with_guest(
        "repository = \"acme/blogs/fixture-notes\"\nhost = \"gitlab\"\nbranch = \"drafts\"\n",
    );
    site.run(&["build"]).success();
    let data: serde_json::Value =
        serde_json::from_str(&site.read("public/write/site.json")).expect("site.json is JSON");
    assert_eq!(
        data["repository"],
        serde_json::json!({
            "host": "gitlab",
            "name": "acme/blogs/fixture-notes",
            "branch": "drafts",
            "new_file_url": "https://gitlab.com/acme/blogs/fixture-notes/-/new/drafts",
            "file_param": "file_name",
            "content_param": "content",
            "contributing_url": "https://gitlab.com/acme/blogs/fixture-notes/-/blob/drafts/CONTRIBUTING.md"
        })
    );
}

#[test]
fn bad_settings_are_errors_at_their_lines() {
    let site = with_guest(
        "repository = \"https://github.com/acme/blog\"\nhost = \"gitea\"\nbranch = \"a..b\"\n",
    );
    site.run(&["build"]).fails_with(1).stderr_eq(
        "error: gen.toml:25:1: `host` in [guest] must be \"github\" or \"gitlab\", got \"gitea\"
   |
25 | host = \"gitea\"
   | ^
  = help: the host of the repository guests propose posts to: host = \"github\" (the default) or host = \"gitlab\"
error: gen.toml:26:1: `branch` in [guest] is not a branch name: \"a..b\"
   |
26 | branch = \"a..b\"
   | ^
  = help: name the branch guests propose posts to, like branch = \"main\"
error: gen.toml:24:1: `repository` in [guest] must be \"owner/name\", got \"https://github.com/acme/blog\"
   |
24 | repository = \"https://github.com/acme/blog\"
   | ^
  = help: write the part of the repository's address after github.com/, like repository = \"acme/blog\"
3 errors
build failed; the previous output was left as it was
",
    );
    // Without anything to copy from, the hint shows the shape.
    let site = with_guest("repository = \"blog\"\n");
    site.run(&["build"]).fails_with(1).stderr_eq(
        "error: gen.toml:24:1: `repository` in [guest] must be \"owner/name\", got \"blog\"
   |
24 | repository = \"blog\"
   | ^
  = help: write the part of the repository's address after github.com/, like repository = \"acme/blog\"
1 error
build failed; the previous output was left as it was
",
    );
}
