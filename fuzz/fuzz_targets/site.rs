//! A libFuzzer target over the texts a guest or owner writes: one input is split
//! at the first two `\n%%%\n` lines into a post (front matter and Markdown), an
//! author profile and `gen.toml`. Each part goes through its parser alone, the
//! post's body through the Markdown renderer and the guest sanitizer, and the
//! three together through the stages of a whole in-process build of a site that
//! holds them (templates, feeds and share kits included when they load). Any
//! panic is a finding. Run with `cargo fuzz run site` (see README.md, "Fuzzing").

#![no_main]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use byline::config::Config;
use byline::load::LoadOptions;
use byline::markdown::sanitize::{Sanitizer, guest_html};
use byline::markdown::{self, RenderOptions, Resolved};
use byline::render::Theme;
use libfuzzer_sys::fuzz_target;

/// One site folder for the whole run: rewriting three files per input is much
/// cheaper than making a folder.
fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("byline-fuzz-")
            .tempdir()
            .expect("a temporary folder")
            .keep();
        std::fs::create_dir_all(dir.join("content/posts")).unwrap();
        std::fs::create_dir_all(dir.join("authors")).unwrap();
        std::fs::write(
            dir.join("content/about.md"),
            "+++\ntitle = \"About\"\n+++\nA [link](/) and a [post](posts/2024-01-01-fuzz.md).\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("content/posts/2024-01-02-fixed.md"),
            "+++\ntitle = \"Fixed\"\ndate = 2024-01-02\nauthors = [\"fuzz\"]\ntags = [\"t\"]\n+++\nBody.\n",
        )
        .unwrap();
        dir
    })
}

fn keep(_: &str, _: bool) -> Resolved {
    Resolved::Keep
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, "\n%%%\n");
    let post = parts.next().unwrap_or_default();
    let author = parts
        .next()
        .unwrap_or("name = \"Fuzz\"\nguest = true\n[social]\nx = \"fuzzer\"\n");
    let config = parts
        .next()
        .unwrap_or("title = \"T\"\nbase_url = \"https://f.example\"\npaginate_by = 1\n");

    // Each parser alone.
    if let Ok(split) = byline::load::frontmatter::split(post) {
        let _ = byline::load::frontmatter::parse::<toml::Table>(&split, post);
        let _ = byline::load::frontmatter::top_keys(&split);
    }
    let _ = Config::parse(config, None, &mut Vec::new());
    for smart in [false, true] {
        let r = markdown::render(
            post,
            RenderOptions {
                highlight_code: smart,
                smart_punctuation: smart,
            },
            &keep,
        );
        let _ = guest_html(sanitizer(), &r.html, r.needs_sanitizer);
    }

    // The three together, as a site.
    let root = site();
    let write = |rel: &str, s: &str| std::fs::write(root.join(rel), s).unwrap();
    write("content/posts/2024-01-01-fuzz.md", post);
    write("authors/fuzz.toml", author);
    write("gen.toml", config);
    let opts = LoadOptions {
        drafts: true,
        future: true,
        base_url: None,
    };
    // The stages of `byline::build::build`, with the theme parsed once per
    // theme and base URL (parsing it is most of a build of so small a site).
    let (site, diags) = byline::load::load_partial(root, opts);
    let Some(site) = site else { return };
    if diags.iter().any(|d| d.is_error()) {
        let _ = byline::render::render_markdown(&site);
        return;
    }
    with_theme(root, &site.config, |theme| {
        let _ = byline::render::render_site(&site, theme);
    });
});

/// Runs `f` with the theme `config` names, loaded once per theme name and
/// base URL (the only config values a theme depends on); at most 64 are kept.
fn with_theme(root: &std::path::Path, config: &Config, f: impl FnOnce(&Theme)) {
    static THEMES: OnceLock<Mutex<HashMap<(String, String), &'static Theme>>> = OnceLock::new();
    let key = (config.theme.clone(), config.base_url.clone());
    let mut themes = THEMES.get_or_init(Default::default).lock().unwrap();
    if let Some(&t) = themes.get(&key) {
        drop(themes);
        return f(t);
    }
    let Ok(loaded) = byline::render::theme::load(root, config) else {
        return;
    };
    if themes.len() < 64 {
        let t: &'static Theme = Box::leak(Box::new(loaded));
        themes.insert(key, t);
        drop(themes);
        f(t)
    } else {
        drop(themes);
        f(&loaded)
    }
}

fn sanitizer() -> &'static Sanitizer {
    static S: OnceLock<Sanitizer> = OnceLock::new();
    S.get_or_init(|| Sanitizer::new(&[]))
}
