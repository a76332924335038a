//! Bad input gets a clear error and loses nothing: each broken input exits with 1,
//! names the file, line and column in its first line, does not panic, and leaves
//! the previous output byte for byte as it was.

use std::fs;

use crate::support::*;

/// Builds the fixture, breaks it with `breakage`, builds again: the second build
/// must fail with exit code 1 and leave the first build's output untouched.
fn fails_keeping_output(breakage: impl FnOnce(&Site)) -> Run {
    let site = fixture("basic");
    site.build_ok(&[]);
    let before = all_files(&site.public());
    breakage(&site);
    let entries_before = root_entries(&site);
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("build failed; the previous output was left as it was"),
        "{}",
        run.stderr
    );
    assert_same_files(
        &before,
        &all_files(&site.public()),
        "output after a failed build",
    );
    assert_eq!(
        root_entries(&site),
        entries_before,
        "a failed build left files beside the output"
    );
    run
}

fn root_entries(site: &Site) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The one error of a run: its first line, exactly.
fn assert_only_error(run: &Run, first_line: &str) {
    assert_eq!(run.first_line(), first_line, "stderr:\n{}", run.stderr);
    let errors = run
        .headlines()
        .iter()
        .filter(|l| l.starts_with("error: "))
        .count();
    assert_eq!(errors, 1, "stderr:\n{}", run.stderr);
    assert!(run.stderr.contains("\n1 error\n"), "{}", run.stderr);
}

#[test]
fn toml_syntax_error_points_at_the_line_of_the_file() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post(
                "title = \"Broken\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"\n",
                "Body.",
            ),
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:4:23: invalid TOML: unclosed array, expected `]`",
    );
    // The offending line is shown with a caret.
    assert!(
        run.stderr.contains("4 | authors = [\"ada-staff\"\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn toml_syntax_error_after_a_byte_order_mark_and_crlf() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            "\u{feff}+++\r\ntitle = \"Broken\"\r\ndate = 2024-05-01\r\nauthors = \"ada-staff\r\n+++\r\n\r\nBody.\r\n",
        )
    });
    let first = run.first_line();
    assert!(
        first.starts_with("error: content/posts/broken.md:4:")
            && first.ends_with(": invalid TOML: invalid basic string, expected `\"`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("4 | authors = \"ada-staff\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn yaml_syntax_error_points_at_the_line_of_the_file() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            "---\ntitle: \"Broken\"\ndate: 2024-05-01\ntags: [a, b\nauthors: [ada-staff]\n---\n\nBody.\n",
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:5:8: invalid YAML: did not find expected ',' or ']', while parsing a flow sequence at 4:7",
    );
}

#[test]
fn yaml_bad_indentation_and_unclosed_quote() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/indent.md",
            "---\ntitle: A\ndate: 2024-05-01\nauthors: [ada-staff]\n  bad: indent\n---\n\nBody.\n",
        );
        s.write(
            "content/posts/quote.md",
            "---\ntitle: \"unterminated\ndate: 2024-05-01\nauthors: [ada-staff]\n---\n\nBody.\n",
        );
    });
    assert_eq!(
        run.headlines(),
        [
            "error: content/posts/indent.md:5:3: invalid YAML: did not find expected key, while parsing a block mapping",
            "error: content/posts/quote.md:5:1: invalid YAML: found unexpected end of stream, while scanning a quoted scalar at 2:8",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn missing_title() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post("date = 2024-05-01\nauthors = [\"ada-staff\"]\n", "Body."),
        )
    });
    assert_only_error(&run, "error: content/posts/broken.md:2:1: missing `title`");
    assert!(run.stderr.contains("help: add a title"), "{}", run.stderr);
}

#[test]
fn invalid_date_string() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post(
                "title = \"X\"\ndate = \"2024-13-45\"\nauthors = [\"ada-staff\"]\n",
                "Body.",
            ),
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:3:9: invalid date \"2024-13-45\" in `date`",
    );
    assert!(run.stderr.contains("help: write dates as 2024-05-01"));
}

#[test]
fn invalid_date_literal_and_yaml_date() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/a.md",
            toml_post(
                "title = \"X\"\ndate = 2024-13-45\nauthors = [\"ada-staff\"]\n",
                "Body.",
            ),
        );
        s.write(
            "content/posts/b.md",
            "---\ntitle: X\ndate: yesterday\nauthors: [ada-staff]\n---\n\nBody.\n",
        );
    });
    assert_eq!(
        run.headlines(),
        [
            "error: content/posts/a.md:3:8: invalid TOML: invalid date, expected month between 01 and 12",
            "error: content/posts/b.md:3:7: invalid date \"yesterday\" in `date`",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_author_with_did_you_mean() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post(
                "title = \"X\"\ndate = 2024-05-01\nauthors = [\"gusguest\"]\n",
                "Body.",
            ),
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:4:12: unknown author \"gusguest\" (did you mean \"gus-guest\"?)",
    );
}

#[test]
fn unknown_author_without_a_close_match() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            "---\ntitle: X\ndate: 2024-05-01\nauthors:\n  - ada-staff\n  - zygmunt\n---\n\nBody.\n",
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:6:5: unknown author \"zygmunt\"",
    );
    assert!(
        run.stderr.contains("authors/zygmunt.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn image_without_image_alt() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post(
                "title = \"X\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\nimage = \"/images/hero.jpg\"\n",
                "Body.",
            ),
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:5:10: `image_alt` is required when `image` is set",
    );
}

#[test]
fn duplicate_slug_set_in_front_matter() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post(
                "title = \"X\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\nslug = \"guest-hello\"\n",
                "Body.",
            ),
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:5:8: duplicate slug \"guest-hello\": content/posts/2024-02-01-guest-hello.md has it too",
    );
}

/// Regression: the error named the older post, not the new file that clashes.
#[test]
fn duplicate_slug_from_file_names_blames_the_newer_file() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/2024-10-01-guest-hello.md",
            toml_post(
                "title = \"X\"\ndate = 2024-10-01\nauthors = [\"gina-guest\"]\n",
                "Body.",
            ),
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/2024-10-01-guest-hello.md: duplicate slug \"guest-hello\": content/posts/2024-02-01-guest-hello.md has it too",
    );
}

#[test]
fn crlf_front_matter_error_column_does_not_count_the_carriage_return() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/crlf.md",
            "+++\r\ntitle = \"Unclosed\r\ndate = 2024-05-01\r\nauthors = [\"ada-staff\"]\r\n+++\r\n\r\nBody.\r\n",
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/crlf.md:2:18: invalid TOML: invalid basic string, expected `\"`",
    );
}

#[test]
fn template_override_syntax_error() {
    let run = fails_keeping_output(|s| {
        s.write(
            "templates/post.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ post.title }</h1>\n{% endblock content %}\n",
        )
    });
    assert_only_error(
        &run,
        "error: templates/post.html:3:19: template error: expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`)",
    );
    assert!(run.stderr.contains("3 | <h1>{{ post.title }</h1>"));
}

#[test]
fn template_override_unclosed_block() {
    let run = fails_keeping_output(|s| {
        s.write(
            "templates/partials/byline.html",
            "<span>\n{% if post.guest %}Guest post by{% endif %}\n{% for a in post.authors %}{{ a.name }}\n</span>\n",
        )
    });
    let first = run.first_line();
    assert!(
        first.starts_with("error: templates/partials/byline.html:5:1: template error: "),
        "{}",
        run.stderr
    );
}

#[test]
fn template_override_runtime_error_names_the_template() {
    let run = fails_keeping_output(|s| {
        s.write(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ page.title | no_such_filter }}{% endblock content %}\n",
        )
    });
    assert!(
        run.first_line().starts_with("error: templates/page.html"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no_such_filter"), "{}", run.stderr);
}

#[test]
fn template_override_extending_a_missing_parent_names_the_template() {
    let run = fails_keeping_output(|s| {
        s.write(
            "templates/page.html",
            "{% extends \"nope.html\" %}\n{% block content %}x{% endblock content %}\n",
        )
    });
    assert_only_error(
        &run,
        "error: templates/page.html: template error: Template 'page.html' is inheriting from 'nope.html', which doesn't exist or isn't loaded.",
    );
}

#[test]
fn template_override_importing_missing_macros_names_the_template() {
    let run = fails_keeping_output(|s| {
        s.write(
            "templates/page.html",
            "{% import \"partials/none.html\" as m %}\n{% extends \"base.html\" %}\n",
        )
    });
    assert_only_error(
        &run,
        "error: templates/page.html: template error: Template `page.html` loads macros from `partials/none.html` which isn't present in Tera",
    );
}

#[test]
fn unknown_field_is_a_warning_and_the_build_succeeds() {
    let site = fixture("basic");
    site.write(
        "content/posts/typo.md",
        toml_post(
            "title = \"Typo\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\ntgas = [\"a\"]\n",
            "Body.",
        ),
    );
    let run = site.build_ok(&[]);
    assert_eq!(
        run.headlines(),
        ["warning: content/posts/typo.md:5:1: unknown front matter field `tgas` (ignored)"],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= help: did you mean `tags`?"),
        "{}",
        run.stderr
    );
    assert!(site.public().join("posts/typo/index.html").is_file());
}

#[test]
fn unknown_config_key_is_a_warning_with_a_suggestion() {
    let site = fixture("basic");
    site.edit("gen.toml", "feed_limit = 3", "feed_limt = 3");
    let run = site.build_ok(&[]);
    assert_eq!(
        run.headlines(),
        ["warning: gen.toml:7:1: unknown key `feed_limt`"],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `feed_limit`?"));
}

#[test]
fn empty_file() {
    let run = fails_keeping_output(|s| s.write("content/posts/broken.md", ""));
    assert_only_error(
        &run,
        "error: content/posts/broken.md:1:1: the file is empty",
    );
}

#[test]
fn non_utf8_file() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            b"+++\ntitle = \"Caf\xe9\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\n+++\n",
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:2:13: the file is not valid UTF-8 (byte 0xe9 at offset 16)",
    );
}

#[test]
fn front_matter_never_closed() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            "+++\ntitle = \"X\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\n\nBody.\n",
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:1:1: front matter opened with `+++` is never closed",
    );
}

#[test]
fn wrong_type_in_front_matter() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post(
                "title = \"X\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\ntags = \"rust\"\n",
                "Body.",
            ),
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:5:8: wrong type for `tags`: expected a list, found the text \"rust\"",
    );
    assert!(
        run.stderr
            .contains("  = help: write it like `tags = [\"a\", \"b\"]`\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_author_profile() {
    let run = fails_keeping_output(|s| {
        s.write(
            "authors/new-guest.toml",
            "name = \"New Guest\nguest = true\n",
        )
    });
    assert_only_error(
        &run,
        "error: authors/new-guest.toml:1:18: invalid TOML: invalid basic string, expected `\"`",
    );
}

#[test]
fn broken_site_config() {
    let run = fails_keeping_output(|s| {
        s.edit("gen.toml", "paginate_by = 2", "paginate_by = = 2");
    });
    let first = run.first_line();
    assert!(
        first.starts_with("error: gen.toml:6:15: invalid TOML: "),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_link_in_a_post_body() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post(
                "title = \"X\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\n",
                "First paragraph.\n\nSee [the other post](2024-01-01-missing.md).",
            ),
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:9:5: link to content/posts/2024-01-01-missing.md which is not a published post or page",
    );
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let run = fails_keeping_output(|s| {
        s.write("content/posts/a-empty.md", "");
        s.write(
            "content/posts/b-author.md",
            toml_post(
                "title = \"X\"\ndate = 2024-05-01\nauthors = [\"nobody\"]\n",
                "Body.",
            ),
        );
        s.write(
            "content/posts/c-both.md",
            toml_post(
                "date = \"soon\"\nauthors = [\"ada-staff\"]\nimage = \"/images/hero.jpg\"\n",
                "Body.",
            ),
        );
        s.write("authors/broken.toml", "name = \n");
    });
    assert_eq!(
        run.headlines(),
        [
            "error: authors/broken.toml:1:8: invalid TOML: string values must be quoted, expected literal string",
            "error: content/posts/a-empty.md:1:1: the file is empty",
            "error: content/posts/b-author.md:4:12: unknown author \"nobody\"",
            "error: content/posts/c-both.md:2:1: missing `title`",
            "error: content/posts/c-both.md:2:9: invalid date \"soon\" in `date`",
            "error: content/posts/c-both.md:4:10: `image_alt` is required when `image` is set",
        ],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\n6 errors\n"), "{}", run.stderr);
}

/// A content error and a template error in the same run are both reported.
#[test]
fn content_and_template_errors_are_reported_together() {
    let run = fails_keeping_output(|s| {
        s.write("content/posts/broken.md", "");
        s.write("templates/post.html", "{% if %}\n");
    });
    let lines = run.headlines();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert_eq!(
        lines[0],
        "error: content/posts/broken.md:1:1: the file is empty"
    );
    assert!(
        lines[1].starts_with("error: templates/post.html:1:"),
        "{}",
        run.stderr
    );
}

#[test]
fn github_format_annotates_file_line_and_column() {
    let site = fixture("basic");
    site.write(
        "content/posts/broken.md",
        toml_post(
            "title = \"X\"\ndate = 2024-05-01\nauthors = [\"gusguest\"]\n",
            "Body.",
        ),
    );
    let run = site.run(&["check", "--format", "github"]);
    run.assert_code(1);
    assert!(
        run.stdout.lines().any(|l| l.starts_with(
            "::error file=content/posts/broken.md,line=4,col=12,title=unknown author::unknown author \"gusguest\" (did you mean \"gus-guest\"?)"
        )),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn symlink_in_content_leading_outside_the_root() {
    let secret = "TOP-SECRET-OUTSIDE-THE-SITE";
    let run = fails_keeping_output(|s| {
        let outside = s.outside("secret.md");
        fs::write(
            &outside,
            toml_post(
                "title = \"Secret\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\n",
                secret,
            ),
        )
        .unwrap();
        std::os::unix::fs::symlink(&outside, s.path("content/posts/secret.md")).unwrap();
    });
    assert_only_error(
        &run,
        "error: content/posts/secret.md: \"content/posts/secret.md\" is a symbolic link that leads outside the site folder",
    );
}

#[cfg(unix)]
#[test]
fn symlinks_in_static_and_bundles_leading_outside_are_errors() {
    let run = fails_keeping_output(|s| {
        let outside_dir = s.outside("elsewhere");
        fs::create_dir_all(&outside_dir).unwrap();
        fs::write(outside_dir.join("x.txt"), "outside").unwrap();
        std::os::unix::fs::symlink(&outside_dir, s.path("static/linked-dir")).unwrap();
        std::os::unix::fs::symlink(
            outside_dir.join("x.txt"),
            s.path("content/posts/bundle-post/x.txt"),
        )
        .unwrap();
    });
    assert_eq!(
        run.headlines(),
        [
            "error: content/posts/bundle-post/x.txt: \"content/posts/bundle-post/x.txt\" is a symbolic link that leads outside the site folder",
            "error: static/linked-dir: \"static/linked-dir\" is a symbolic link that leads outside the site folder",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn cover_image_path_leading_outside_the_root() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post(
                "title = \"X\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\nimage = \"../../../etc/passwd\"\nimage_alt = \"x\"\n",
                "Body.",
            ),
        )
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:5:10: cover picture: \"../../../etc/passwd\" leads outside the site folder",
    );
}

#[test]
fn markdown_image_leading_outside_the_root() {
    let run = fails_keeping_output(|s| {
        s.write(
            "content/posts/broken.md",
            toml_post(
                "title = \"X\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\n",
                "Text.\n\n![secret](../../../../etc/passwd)",
            ),
        );
    });
    assert_only_error(
        &run,
        "error: content/posts/broken.md:9:1: image \"../../../../etc/passwd\" leads outside the site folder",
    );
}

#[test]
fn avatar_leading_outside_the_root() {
    let run = fails_keeping_output(|s| {
        s.write(
            "authors/sneaky.toml",
            "name = \"Sneaky\"\navatar = \"../../etc/passwd\"\n",
        );
    });
    assert_only_error(
        &run,
        "error: authors/sneaky.toml:2:11: avatar: \"../../etc/passwd\" leads outside the site folder",
    );
}

/// Regression: a broken link in one post used to be reported only after a front
/// matter error in another post was fixed, a second run later.
#[test]
fn front_matter_error_and_broken_link_in_another_post_are_reported_together() {
    let run = fails_keeping_output(|site| {
        site.write(
            "content/posts/2024-07-01-broken-front-matter.md",
            toml_post(
                "title = \"Bad date\"\ndate = \"someday\"\nauthors = [\"ada-staff\"]\n",
                "Body.",
            ),
        );
        site.write(
            "content/posts/2024-07-02-broken-link.md",
            toml_post(
                "title = \"Links\"\ndate = 2024-07-02\nauthors = [\"ada-staff\"]\n",
                "See [this](2023-01-01-no-such-post.md) and [that](2024-07-01-broken-front-matter.md).",
            ),
        );
    });
    let headlines = run.headlines();
    let errors: Vec<&&str> = headlines
        .iter()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 2, "stderr:\n{}", run.stderr);
    assert!(
        errors[0].starts_with("error: content/posts/2024-07-01-broken-front-matter.md:"),
        "{}",
        run.stderr
    );
    assert!(
        errors[0].contains("invalid date \"someday\""),
        "{}",
        run.stderr
    );
    assert_eq!(
        *errors[1],
        "error: content/posts/2024-07-02-broken-link.md:7:5: link to content/posts/2023-01-01-no-such-post.md which is not a published post or page"
    );
}
