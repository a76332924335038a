//! No input makes `gen` panic: property tests over front matter, Markdown, author
//! profiles, config and whole small sites. The whole sites are generated valid
//! (guest and staff authors with handles, posts naming them, tags, categories,
//! pagination, drafts, bundles with pictures, pages, share kits, TOML and YAML
//! front matter) and then mutated, so most of them reach the renderer; the test
//! counts how many do and fails below half.
//!
//! Each case is bounded so the suite stays fast. `PROPTEST_CASES` raises the count
//! of every property; `BYLINE_FUZZ_CASES` that of the whole-site one alone
//! (`scripts/fuzz-campaign` runs ten times the default). Failures are shrunk and
//! saved in `proptest-regressions/no_panic.txt`, replayed first on every run.

use std::fs;
use std::path::Path;

use byline::config::Config;
use byline::load::LoadOptions;
use byline::markdown::{self, RenderOptions, Resolved};
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, TestRunner};
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// Where failing cases are saved (relative to the package root, where `cargo
/// test` runs tests) and replayed from.
const REGRESSIONS: &str = "proptest-regressions/no_panic.txt";

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        ..ProptestConfig::default()
    }
}

/// 96 cases by default; `PROPTEST_CASES` asks for more (`scripts/fuzz-campaign`
/// runs the whole-site property with ten times as many).
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
    #![proptest_config(config(cases()))]

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
}

// ---------------------------------------------------------------------------
// Whole sites: generated to build, then mutated.
// ---------------------------------------------------------------------------

/// Author slugs the generated sites draw from.
const AUTHORS: [&str; 4] = ["ada-guest", "bo-staff", "cy", "dee-vee"];

/// One author profile: a guest or staff member, with or without handles.
#[derive(Debug, Clone)]
struct GenAuthor {
    guest: bool,
    handles: bool,
    avatar: bool,
    bio: String,
}

/// One post: who wrote it, its taxonomies, how it is stored.
#[derive(Debug, Clone)]
struct GenPost {
    day: u32,
    authors: Vec<usize>,
    tags: Vec<&'static str>,
    category: Option<&'static str>,
    draft: bool,
    yaml: bool,
    bundle: bool,
    share_text: bool,
    described: bool,
    body: String,
}

/// A site that builds as generated.
#[derive(Debug, Clone)]
struct GenSite {
    paginate_by: Option<u32>,
    dated_permalinks: bool,
    highlight: bool,
    sanitize: bool,
    share_all: bool,
    authors: Vec<GenAuthor>,
    posts: Vec<GenPost>,
    pages: Vec<String>,
    override_footer: bool,
}

/// What is done to the generated files before the build.
#[derive(Debug, Clone)]
enum Mutation {
    /// Overwrite one byte of a file (index, position as a fraction, byte).
    Byte(usize, f64, u8),
    /// Insert a piece of Markdown-like text into the body of a Markdown file,
    /// after its front matter (index among the `.md` files, position, text).
    Body(usize, f64, String),
    /// Insert a piece of site-like text (index, position, text).
    Insert(usize, f64, String),
    /// Cut a file short (index, length as a fraction).
    Truncate(usize, f64),
    /// Replace one `key = value` or `key: value` line's value with a scalar of
    /// another type or an unusual string (index, line, replacement).
    Field(usize, usize, &'static str),
    /// Remove a file (index).
    Delete(usize),
    /// Copy a file to another place in the site (from, to).
    Copy(usize, &'static str),
}

const BODY_ATOMS: [&str; 16] = [
    "Plain words of a paragraph.\n\n",
    "<!-- more -->\n\n",
    "## A heading\n\nText with *emphasis*, **strong** and `code`.\n\n",
    "```rust\nfn main() { println!(\"hi\"); }\n```\n\n",
    "```\nno language\n```\n\n",
    "| a | b |\n|---|--:|\n| 1 | 2 |\n\n",
    "A note.[^n]\n\n[^n]: The footnote.\n\n",
    "[the about page](/about/) and [home](/) [section](#a-heading)\n\n",
    "<div class=\"x\" onclick=\"evil()\">raw <b>html</b></div>\n\n",
    "<script>alert(1)</script>\n\n",
    "[js](javascript:alert(1)) <https://example.org/auto>\n\n",
    "- [ ] task\n- [x] done\n\n",
    "> quoted \"smart\" -- punctuation...\n\n",
    "Unicode: é\u{301} 👩‍👩‍👧 \u{202e}rtl\n\n",
    "{{ config.title }} {% if x %}not template code{% endif %}\n\n",
    "# Heading {#custom-id}\n\n",
];

const FIELD_VALUES: [&str; 10] = [
    "42",
    "true",
    "[1, 2]",
    "\"\"",
    "\"../../../etc/passwd\"",
    "\"https://evil.example/x.png\"",
    "{ a = 1 }",
    "2024-02-30",
    "\"\u{0}\"",
    "\"🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀\"",
];

const COPY_TARGETS: [&str; 5] = [
    "content/posts/2024-01-03-p3.md",
    "content/about.md",
    "templates/post.html",
    "authors/ada-guest.toml",
    "content/posts/dup/index.md",
];

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&BODY_ATOMS[..]), 0..6).prop_map(|v| v.concat())
}

fn gen_author() -> impl Strategy<Value = GenAuthor> {
    (any::<bool>(), any::<bool>(), any::<bool>(), body()).prop_map(
        |(guest, handles, avatar, bio)| GenAuthor {
            guest,
            handles,
            avatar,
            bio,
        },
    )
}

fn gen_post(authors: usize) -> impl Strategy<Value = GenPost> {
    let tags =
        prop::sample::subsequence(vec!["rust", "remote", "Mentoring", "on call", "ünï"], 0..4);
    (
        1u32..28,
        prop::sample::subsequence((0..authors).collect::<Vec<_>>(), 1..=authors.min(3)),
        tags,
        prop::option::of(prop::sample::select(vec!["People", "Rituals", "Tools"])),
        prop::bool::weighted(0.2),
        any::<bool>(),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.2),
        body(),
    )
        .prop_map(
            |(day, authors, tags, category, draft, yaml, bundle, share_text, described, body)| {
                GenPost {
                    day,
                    authors,
                    tags,
                    category,
                    draft,
                    yaml,
                    bundle,
                    share_text,
                    described,
                    body,
                }
            },
        )
}

fn gen_site() -> impl Strategy<Value = GenSite> {
    (1usize..=AUTHORS.len())
        .prop_flat_map(|n| {
            (
                prop::option::of(1u32..4),
                any::<bool>(),
                any::<bool>(),
                prop::bool::weighted(0.8),
                prop::bool::weighted(0.8),
                prop::collection::vec(gen_author(), n),
                prop::collection::vec(gen_post(n), 1..7),
                prop::collection::vec(body(), 0..3),
                prop::bool::weighted(0.2),
            )
        })
        .prop_map(
            |(
                paginate_by,
                dated_permalinks,
                highlight,
                sanitize,
                share_all,
                authors,
                posts,
                pages,
                override_footer,
            )| {
                GenSite {
                    paginate_by,
                    dated_permalinks,
                    highlight,
                    sanitize,
                    share_all,
                    authors,
                    posts,
                    pages,
                    override_footer,
                }
            },
        )
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let frac = 0.0f64..1.0;
    prop_oneof![
        8 => (any::<usize>(), frac.clone(), site_text()).prop_map(|(i, p, t)| Mutation::Body(i, p, t)),
        3 => (any::<usize>(), frac.clone(), any::<u8>()).prop_map(|(i, p, b)| Mutation::Byte(i, p, b)),
        2 => (any::<usize>(), frac.clone(), site_text()).prop_map(|(i, p, t)| Mutation::Insert(i, p, t)),
        1 => (any::<usize>(), frac).prop_map(|(i, p)| Mutation::Truncate(i, p)),
        3 => (any::<usize>(), any::<usize>(), prop::sample::select(&FIELD_VALUES[..]))
            .prop_map(|(i, l, v)| Mutation::Field(i, l, v)),
        1 => any::<usize>().prop_map(Mutation::Delete),
        1 => (any::<usize>(), prop::sample::select(&COPY_TARGETS[..])).prop_map(|(i, t)| Mutation::Copy(i, t)),
    ]
}

/// A generated site and what is done to it: a third of the cases are left as
/// generated, the rest get one to three mutations.
fn mutated_site() -> impl Strategy<Value = (GenSite, Vec<Mutation>)> {
    let mutations = prop_oneof![
        1 => Just(Vec::new()),
        2 => prop::collection::vec(mutation(), 1..3),
    ];
    (gen_site(), mutations)
}

/// The files of a generated site, path → bytes, in a stable order.
fn site_files(s: &GenSite) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut config = String::from(
        "title = \"Fuzzed\"\nbase_url = \"https://fuzz.example\"\ndescription = \"A generated site.\"\nlanguage = \"en\"\ntheme = \"default\"\nfeed_limit = 3\n",
    );
    if let Some(n) = s.paginate_by {
        config.push_str(&format!("paginate_by = {n}\n"));
    }
    if s.dated_permalinks {
        config.push_str("[permalinks]\npost = \"/:year/:month/:day/:slug/\"\n");
    }
    config.push_str(&format!("[markdown]\nhighlight_code = {}\n", s.highlight));
    config.push_str("[social]\nx = \"fuzzsite\"\n");
    if s.share_all {
        config.push_str(
            "[share]\nplatforms = [\"x\", \"mastodon\", \"bluesky\", \"threads\", \"linkedin\", \"email\"]\nhashtags = [\"fuzz\", \"testing\"]\nmastodon_instance = \"mastodon.social\"\n",
        );
    }
    config.push_str(&format!("[guest]\nsanitize_html = {}\n", s.sanitize));
    config.push_str("[extra]\ntagline = \"Generated.\"\n");
    files.push(("gen.toml".into(), config.into_bytes()));

    for (i, a) in s.authors.iter().enumerate() {
        let slug = AUTHORS[i];
        let mut t = format!(
            "name = \"Author {i} {slug}\"\nbio = {}\nguest = {}\nwebsite = \"https://{slug}.example\"\n",
            toml::Value::String(a.bio.clone()),
            a.guest
        );
        if a.avatar {
            t.push_str(&format!("avatar = \"{slug}.png\"\n"));
            files.push((format!("authors/{slug}.png"), PNG.to_vec()));
        }
        if a.handles {
            t.push_str(&format!(
                "[social]\nx = \"{h}\"\nmastodon = \"@{h}@mastodon.social\"\nbluesky = \"{h}.bsky.social\"\nlinkedin = \"in/{h}\"\ngithub = \"{h}\"\n",
                h = format!("{}writes", slug.replace('-', ""))
            ));
        }
        files.push((format!("authors/{slug}.toml"), t.into_bytes()));
    }

    for (i, p) in s.posts.iter().enumerate() {
        let title = format!("Post {i}: \"quoted\" & <angled> 🦀");
        let date = format!("2024-01-{:02}", p.day);
        let authors: Vec<&str> = p.authors.iter().map(|&a| AUTHORS[a]).collect();
        let image = if p.bundle { Some("cover.png") } else { None };
        let fm = if p.yaml {
            let mut y = format!(
                "---\ntitle: {title:?}\ndate: {date}\nauthors: [{}]\n",
                authors.join(", ")
            );
            if !p.tags.is_empty() {
                y.push_str(&format!(
                    "tags: [{}]\n",
                    p.tags
                        .iter()
                        .map(|t| format!("{t:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if let Some(c) = p.category {
                y.push_str(&format!("categories: [{c}]\n"));
            }
            if p.draft {
                y.push_str("draft: true\n");
            }
            if p.described {
                y.push_str(
                    "description: \"A description, with: colons & ünï\"\nupdated: 2024-02-01\n",
                );
            }
            if let Some(img) = image {
                y.push_str(&format!("image: {img}\nimage_alt: A picture.\n"));
            }
            if p.share_text {
                y.push_str("share:\n  text: Read this one\n  hashtags: [extra]\n");
            }
            y.push_str("---\n");
            y
        } else {
            let mut t = format!(
                "+++\ntitle = {title:?}\ndate = {date}\nauthors = [{}]\ntags = [{}]\n",
                authors
                    .iter()
                    .map(|a| format!("{a:?}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                p.tags
                    .iter()
                    .map(|t| format!("{t:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if let Some(c) = p.category {
                t.push_str(&format!("categories = [{c:?}]\n"));
            }
            if p.draft {
                t.push_str("draft = true\n");
            }
            if p.described {
                t.push_str("description = \"A description & ünï\"\nupdated = 2024-02-01\n");
            }
            if let Some(img) = image {
                t.push_str(&format!("image = \"{img}\"\nimage_alt = \"A picture.\"\n"));
            }
            if p.share_text {
                t.push_str("[share]\ntext = \"Read this one\"\nhashtags = [\"extra\"]\n");
            }
            t.push_str("+++\n");
            t
        };
        let text = format!("{fm}\n{}", p.body).into_bytes();
        if p.bundle {
            files.push((format!("content/posts/bundle-{i}/index.md"), text));
            files.push((format!("content/posts/bundle-{i}/cover.png"), PNG.to_vec()));
        } else {
            files.push((format!("content/posts/{date}-p{i}.md"), text));
        }
    }
    for (i, body) in s.pages.iter().enumerate() {
        let name = if i == 0 {
            "about".to_string()
        } else {
            format!("page-{i}")
        };
        files.push((
            format!("content/{name}.md"),
            format!("+++\ntitle = \"Page {i}\"\ndescription = \"A page.\"\n+++\n{body}")
                .into_bytes(),
        ));
    }
    files.push(("static/robots-extra.txt".into(), b"static file\n".to_vec()));
    if s.override_footer {
        files.push((
            "templates/partials/footer.html".into(),
            b"<footer>{{ config.title }} {{ now() | date(format=\"%Y\") }}</footer>\n".to_vec(),
        ));
    }
    files
}

/// The smallest valid PNG (one transparent pixel).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn at(len: usize, frac: f64) -> usize {
    ((len as f64 * frac) as usize).min(len)
}

fn apply(files: &mut Vec<(String, Vec<u8>)>, m: &Mutation) {
    if files.is_empty() {
        return;
    }
    let n = files.len();
    match m {
        Mutation::Body(i, p, t) => {
            let md: Vec<usize> = (0..n).filter(|&k| files[k].0.ends_with(".md")).collect();
            if md.is_empty() {
                return;
            }
            let f = &mut files[md[i % md.len()]].1;
            let fence: &[u8] = if f.starts_with(b"+++") {
                b"\n+++\n"
            } else {
                b"\n---\n"
            };
            let start = f
                .windows(fence.len())
                .position(|w| w == fence)
                .map_or(0, |k| k + fence.len());
            let k = start + at(f.len() - start, *p);
            f.splice(k..k, t.bytes());
        }
        Mutation::Byte(i, p, b) => {
            let f = &mut files[i % n].1;
            if !f.is_empty() {
                let k = at(f.len() - 1, *p);
                f[k] = *b;
            }
        }
        Mutation::Insert(i, p, t) => {
            let f = &mut files[i % n].1;
            let k = at(f.len(), *p);
            f.splice(k..k, t.bytes());
        }
        Mutation::Truncate(i, p) => {
            let f = &mut files[i % n].1;
            let k = at(f.len(), *p);
            f.truncate(k);
        }
        Mutation::Field(i, l, v) => {
            let f = &mut files[i % n].1;
            let text = String::from_utf8_lossy(f).into_owned();
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let fields: Vec<usize> = (0..lines.len())
                .filter(|&k| lines[k].contains(" = ") || lines[k].contains(": "))
                .collect();
            if let Some(&k) = fields.get(l % fields.len().max(1)) {
                let line = lines[k];
                let sep = if line.contains(" = ") { " = " } else { ": " };
                let key = line.split(sep).next().unwrap_or_default();
                let mut out = String::new();
                for (j, line) in lines.iter().enumerate() {
                    if j == k {
                        out.push_str(&format!("{key}{sep}{v}\n"));
                    } else {
                        out.push_str(line);
                    }
                }
                *f = out.into_bytes();
            }
        }
        Mutation::Delete(i) => {
            files.remove(i % n);
        }
        Mutation::Copy(i, to) => {
            let bytes = files[i % n].1.clone();
            files.retain(|(p, _)| p != to);
            files.push(((*to).to_string(), bytes));
        }
    }
}

/// How many cases each stage saw, for the report and the coverage floor.
#[derive(Default)]
struct Reached {
    cases: AtomicUsize,
    rendered: AtomicUsize,
    built: AtomicUsize,
}

/// The built-in theme, loaded once: most generated sites use it unchanged, and
/// parsing its templates for every case would spend the run's time there.
/// Sites with `templates/` or `themes/` (or another theme named) load theirs.
fn default_theme() -> &'static byline::render::Theme {
    static THEME: std::sync::OnceLock<byline::render::Theme> = std::sync::OnceLock::new();
    THEME.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("gen.toml"),
            "title = \"T\"\nbase_url = \"https://t.example\"\n",
        )
        .unwrap();
        let mut diags = Vec::new();
        let config = Config::load(dir.path(), None, &mut diags).unwrap();
        byline::render::theme::load(dir.path(), &config)
            .unwrap_or_else(|_| panic!("the built-in theme loads"))
    })
}

/// Runs the pipeline's stages as `build::build` does, counting how far it got.
fn run_pipeline(root: &Path, reached: &Reached, write_too: bool) {
    reached.cases.fetch_add(1, Ordering::Relaxed);
    let opts = LoadOptions {
        drafts: true,
        future: true,
        base_url: None,
    };
    let (site, diags) = byline::load::load_partial(root, opts);
    let Some(site) = site else { return };
    if diags.iter().any(|d| d.is_error()) {
        // The build still checks the Markdown of what loaded.
        let _ = byline::render::render_markdown(&site);
        return;
    }
    let loaded;
    let theme = if site.config.theme == "default"
        && !root.join("templates").exists()
        && !root.join("themes").exists()
    {
        default_theme()
    } else {
        let Ok(theme) = byline::render::theme::load(root, &site.config) else {
            return;
        };
        loaded = theme;
        &loaded
    };
    reached.rendered.fetch_add(1, Ordering::Relaxed);
    if byline::render::render_site(&site, theme).is_ok() {
        reached.built.fetch_add(1, Ordering::Relaxed);
    }
    if write_too {
        // The same site through the real command's path, staging and swap included.
        let out = root.join("public");
        if let Ok(claimed) = byline::write::owner::claim(root, &out, false) {
            let _ = byline::build::build_to(
                root,
                LoadOptions {
                    drafts: false,
                    future: false,
                    base_url: None,
                },
                &claimed,
            );
        }
    }
}

/// Whole generated sites, mostly valid and then mutated, through load, theme and
/// render. Panics fail the test (and are shrunk and saved under
/// `proptest-regressions/`); fewer than half the cases reaching the renderer
/// fails it too, so the generator cannot drift into only testing the loader.
#[test]
fn whole_sites_never_panic_and_mostly_render() {
    let cases = std::env::var("BYLINE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(cases);
    let reached = Reached::default();
    let mut runner = TestRunner::new(config(cases));
    let result = runner.run(&mutated_site(), |(site, mutations)| {
        let mut files = site_files(&site);
        for m in &mutations {
            apply(&mut files, m);
        }
        let dir = tempfile::tempdir().unwrap();
        for (rel, bytes) in &files {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        }
        let n = reached.cases.load(Ordering::Relaxed);
        run_pipeline(dir.path(), &reached, n % 8 == 0);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let cases = reached.cases.load(Ordering::Relaxed);
    let rendered = reached.rendered.load(Ordering::Relaxed);
    let built = reached.built.load(Ordering::Relaxed);
    eprintln!(
        "whole sites: {rendered} of {cases} cases reached rendering ({:.0}%), {built} built without error",
        100.0 * rendered as f64 / cases.max(1) as f64
    );
    assert!(
        rendered * 2 >= cases,
        "only {rendered} of {cases} generated sites reached rendering: the generator no longer makes sites that load"
    );
}
