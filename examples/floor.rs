//! The floor of a build: what any generator must do for a site's posts, and
//! nothing else. Each post under `SITE/content/posts` is read, its front matter
//! split off, its Markdown rendered with pulldown-cmark (the options `gen` uses)
//! with code highlighted by syntect into CSS classes (the syntax set `gen` uses),
//! and the HTML written to `OUT/posts/<slug>/index.html`, all in parallel with
//! rayon. No templates, listings, feeds, links, sanitizing or share kits.
//!
//! `bench/compare.py` times it beside `gen build` on the same corpus: gen's time
//! over the floor's is what the rest of gen costs.
//!
//! ```sh
//! cargo run --release --example floor -- SITE OUT
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use byline::markdown::highlight::{Lang, Syntaxes, escape_into, fence_language, syntax_set};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::util::LinesWithEndings;

// The allocator gen uses, so the two differ only in the work they do.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// gen's options with its default `smart_punctuation = true`.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The body after a `+++` (TOML) or `---` (YAML) front matter block.
fn body(text: &str) -> &str {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    for fence in ["+++", "---"] {
        if let Some(rest) = text.strip_prefix(fence)
            && let Some(end) = rest.find(&format!("\n{fence}"))
        {
            let after = &rest[end + 1 + fence.len()..];
            return after.strip_prefix('\n').unwrap_or(after);
        }
    }
    text
}

/// One fenced block as gen writes it: classes, not inline colours.
fn code_block(lang: &str, code: &str, out: &mut String) {
    // gen's own lookup (names, extensions, the aliases people write), so the
    // floor highlights exactly the blocks gen highlights.
    static SYNTAXES: std::sync::OnceLock<Syntaxes> = std::sync::OnceLock::new();
    let syntaxes = SYNTAXES.get_or_init(Syntaxes::default);
    let found = match syntaxes.find(fence_language(lang)) {
        Lang::Syntax(found) => Some(found),
        Lang::Plain | Lang::Unknown => None,
    };
    let syntax = found.as_ref().map(|f| f.syntax);
    let set = found.as_ref().map_or_else(syntax_set, |f| f.set);
    out.push_str("<pre class=\"code\"><code>");
    match syntax {
        Some(syntax) => {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                set,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            for line in LinesWithEndings::from(code) {
                if generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_err()
                {
                    break;
                }
            }
            out.push_str(&generator.finalize());
        }
        None => escape_into(code, out),
    }
    out.push_str("</code></pre>\n");
}

fn render(markdown: &str) -> String {
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, options()) {
        match (&mut code, event) {
            (None, Event::Start(Tag::CodeBlock(kind))) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            (Some((_, buf)), Event::Text(t)) => buf.push_str(&t),
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                let (lang, buf) = code.take().unwrap();
                let mut html = String::with_capacity(buf.len() * 3);
                code_block(&lang, &buf, &mut html);
                events.push(Event::Html(html.into()));
            }
            (_, e) => events.push(e),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// The post files under `dir`: `name.md` and `name/index.md`.
fn posts(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md" || x == "markdown"))
        .collect()
}

fn slug(path: &Path) -> String {
    let stem = path.file_stem().unwrap_or_default();
    let name = if stem == "index" {
        path.parent().and_then(Path::file_name).unwrap_or(stem)
    } else {
        stem
    };
    name.to_string_lossy().into_owned()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out] = args.as_slice() else {
        eprintln!("usage: floor SITE OUT");
        std::process::exit(2);
    };
    let (site, out) = (Path::new(site), Path::new(out));
    // Syntax definitions load while the posts are listed, as gen loads them
    // while it reads the site.
    let ((), files) = rayon::join(
        || {
            syntax_set();
        },
        || posts(&site.join("content/posts")),
    );
    let written: usize = files
        .par_iter()
        .map(|path| {
            let text = match fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{}: {e}", path.display());
                    std::process::exit(1);
                }
            };
            let html = render(body(&text));
            let dir = out.join("posts").join(slug(path));
            let result =
                fs::create_dir_all(&dir).and_then(|()| fs::write(dir.join("index.html"), html));
            if let Err(e) = result {
                eprintln!("{}: {e}", dir.display());
                std::process::exit(1);
            }
            1
        })
        .sum();
    println!("rendered {written} posts into {}", out.display());
}
