//! No input makes `gen` panic: property tests over front matter, Markdown, author
//! profiles, config and whole small sites. Each case is bounded so the suite stays
//! fast; `PROPTEST_CASES` raises the count for a longer run.

use std::fs;
use std::path::Path;

use byline::config::Config;
use byline::load::LoadOptions;
use byline::markdown::{self, RenderOptions, Resolved};
use proptest::prelude::*;

/// Text that looks like site files: front matter fences, TOML/YAML punctuation,
/// Markdown syntax, HTML, Unicode and control characters.
fn site_text() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        Just("+++\n".to_string()),
        Just("---\n".to_string()),
        Just("title = \"T\"\n".to_string()),
        Just("date = 2024-05-01\n".to_string()),
        Just("date = \"2024-13-45\"\n".to_string()),
        Just("authors = [\"a\"]\n".to_string()),
        Just("author = \"zz\"\n".to_string()),
        Just("tags = [\"x\", \"\"]\n".to_string()),
        Just("image = \"../../etc/passwd\"\n".to_string()),
        Just("image = \"/nope.png\"\nimage_alt = \"\"\n".to_string()),
        Just("share = false\n".to_string()),
        Just("[share]\nhashtags = [\"#a\"]\n".to_string()),
        Just("title: [unclosed\n".to_string()),
        Just("<!-- more -->\n".to_string()),
        Just("```rust\nfn x() {}\n```\n".to_string()),
        Just("```\nunclosed".to_string()),
        Just("| a | b |\n|---|--:|\n| 1 | 2 |\n".to_string()),
        Just("[^1]\n\n[^1]: note\n".to_string()),
        Just("[l](other.md#x) ![i](pic.png) [r](/about/)\n".to_string()),
        Just("<script>alert(1)</script><img src=x onerror=y>\n".to_string()),
        Just("{{ config.title }} {% for %}\n".to_string()),
        Just("# Heading {#id}\n## Heading\n".to_string()),
        Just("- [ ] task\n- [x] done\n".to_string()),
        "[a-z =\"\\[\\]\\n#:{}<>*_`~|-]{0,40}",
        "\\PC{0,20}",
        Just("\u{feff}\u{0}\u{202e}é\u{301}👩‍👩‍👧\r\n".to_string()),
    ];
    prop::collection::vec(atoms, 0..14).prop_map(|v| v.concat())
}

/// 96 cases by default; `PROPTEST_CASES` asks for more.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96)
}

fn keep(_: &str, _: bool) -> Resolved {
    Resolved::Keep
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn markdown_never_panics(src in site_text()) {
        let r = markdown::render(&src, RenderOptions { highlight_code: true, smart_punctuation: true }, &keep);
        prop_assert!(r.word_count <= src.len());
    }

    #[test]
    fn front_matter_never_panics(src in site_text()) {
        if let Ok(split) = byline::load::frontmatter::split(&src) {
            let _ = byline::load::frontmatter::parse::<toml::Table>(&split, &src);
            let _ = byline::load::frontmatter::top_keys(&split);
        }
    }

    #[test]
    fn config_never_panics(src in site_text()) {
        let mut diags = Vec::new();
        let _ = Config::parse(&src, None, &mut diags);
    }

    #[test]
    fn whole_sites_never_panic(post in site_text(), author in site_text(), page in site_text()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "gen.toml", "title = \"T\"\nbase_url = \"https://t.example\"\n");
        write(root, "content/posts/2024-01-01-p.md", &post);
        write(root, "content/posts/2024-01-02-q.md", &format!("+++\ntitle = \"Q\"\ndate = 2024-01-02\nauthors = [\"a\"]\n+++\n{post}"));
        write(root, "authors/a.toml", &author);
        write(root, "content/about.md", &page);
        // Errors are fine; a panic fails the test.
        let _ = byline::build::build(root, LoadOptions { drafts: true, future: true, base_url: None });
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}
