//! Writes a seeded guest-blog corpus for benchmarks: the same posts as a Byline
//! site (`OUT/gen`) and as a Hugo site with equivalent templates (`OUT/hugo`),
//! so both generators (and `examples/floor`) can be timed on the same input.
//! The same arguments always write byte-identical files.
//!
//! The default, realistic variant looks like a tech blog with guest authors:
//! posts of 300–3,000 words (most near 1,000) with headings, lists, quotes,
//! links between posts, footnotes and tables sometimes; code in about two posts
//! of three, every block different and 5–60 lines long, in the languages blogs
//! use (shell, Python, JavaScript/TypeScript, YAML, Rust, Go, JSON, SQL, TOML,
//! Dockerfile, diff, HTML, CSS) under the fence names people write; pictures in
//! post folders and `static/images/`; 60 authors with profiles and avatars, two
//! thirds of them guests, some of whose posts carry raw HTML. `--variant cached`
//! writes the earlier corpus instead (six fixed code snippets, so highlighting
//! is a cache hit after the first posts), for contrast.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --posts 10000 --out /tmp/corpus [--seed 7] [--kits] [--variant realistic|cached]
//! ```
//!
//! `--out` must be a new or empty folder, or one this program wrote before
//! (marked with `.gen-corpus`): a run replaces and removes files under it.

mod cached;
mod code;
mod png;
mod prose;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// xorshift64*: small, fast and deterministic for a given seed. Its state is a
/// `Cell`, so a draw can sit inside the arguments of a call that also takes the
/// generator (`phrase(rng, 2 + rng.below(3))`), evaluated left to right.
pub struct Rng(std::cell::Cell<u64>);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(std::cell::Cell::new(seed))
    }
    fn next(&self) -> u64 {
        let mut x = self.0.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    /// Uniform in [0, 1).
    fn unit(&self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    Realistic,
    Cached,
}

pub struct Args {
    posts: usize,
    out: PathBuf,
    seed: u64,
    /// Keep Byline's share kits on (Hugo has no equivalent, so the side-by-side
    /// comparison leaves them off unless asked).
    kits: bool,
    /// Turn gen's search index off (`[search] enabled = false`): Hugo builds
    /// none, and the memory figures of the profile are taken without it.
    no_search: bool,
    variant: Variant,
}

fn args() -> Args {
    let mut a = Args {
        posts: 1000,
        out: PathBuf::from("corpus"),
        seed: 7,
        kits: false,
        no_search: false,
        variant: Variant::Realistic,
    };
    let usage =
        "use --posts N --out DIR [--seed S] [--kits] [--no-search] [--variant realistic|cached]";
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--kits" {
            a.kits = true;
            continue;
        }
        if k == "--no-search" {
            a.no_search = true;
            continue;
        }
        let Some(v) = it.next() else {
            eprintln!("{k} needs a value; {usage}");
            std::process::exit(2);
        };
        let bad = |what: &str| -> ! {
            eprintln!("{k} takes {what}, not {v:?}; {usage}");
            std::process::exit(2);
        };
        match k.as_str() {
            "--posts" => a.posts = v.parse().unwrap_or_else(|_| bad("a number")),
            "--out" => a.out = PathBuf::from(&v),
            "--seed" => a.seed = v.parse().unwrap_or_else(|_| bad("a number")),
            "--variant" => {
                a.variant = match v.as_str() {
                    "realistic" => Variant::Realistic,
                    "cached" => Variant::Cached,
                    _ => bad("realistic or cached"),
                }
            }
            other => {
                eprintln!("unknown option {other}; {usage}");
                std::process::exit(2);
            }
        }
    }
    a
}

/// Every file this run wrote (or found already right).
static WRITTEN: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Writes `data` to `path` unless it already holds exactly that. A rerun with the
/// same arguments then touches nothing: deleting and recreating thousands of files
/// right before a timed build would slow that build's own file creation (ext4
/// checks recently freed inodes) and make the figures depend on the last run.
fn write(path: &Path, data: impl AsRef<[u8]>) {
    let data = data.as_ref();
    WRITTEN.lock().unwrap().push(path.to_path_buf());
    if fs::read(path).is_ok_and(|old| old == data) {
        return;
    }
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, data).unwrap();
}

/// Removes the files under `dir` that this run did not write (a larger corpus
/// written there before, say), and the folders left empty.
fn remove_stale(dir: &Path) {
    let written: HashSet<PathBuf> = WRITTEN.lock().unwrap().iter().cloned().collect();
    let mut stack = vec![dir.to_path_buf()];
    let mut dirs = Vec::new();
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        dirs.push(d);
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !written.contains(&p) {
                let _ = fs::remove_file(&p);
            }
        }
    }
    // Deepest first; a folder that still holds files stays.
    for d in dirs.iter().rev() {
        let _ = fs::remove_dir(d);
    }
}

/// The file that marks a folder as one this program wrote, so that it may
/// replace and remove files there on a later run.
const MARKER: &str = ".gen-corpus";

/// Refuses a folder that holds files this program did not write: a corpus run
/// overwrites and removes files under its output, which must never be a
/// user's own. A new or empty folder is marked as the corpus's.
fn claim_out(out: &Path) {
    let has_files = fs::read_dir(out).is_ok_and(|mut e| e.next().is_some());
    if has_files && !out.join(MARKER).is_file() {
        eprintln!(
            "error: {} holds files gen_corpus did not write; pass --out a new or empty folder",
            out.display()
        );
        std::process::exit(2);
    }
    fs::create_dir_all(out).unwrap();
    fs::write(out.join(MARKER), "written by examples/gen_corpus\n").unwrap();
}

fn main() {
    let a = args();
    claim_out(&a.out);
    match a.variant {
        Variant::Realistic => write_realistic(&a),
        Variant::Cached => cached::write_corpus(&a),
    }
}

/// FNV-1a, to tell code blocks apart without keeping them all.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Marks a link to post `j` in a body; each generator's copy fills in its own URL.
fn link_mark(j: usize) -> String {
    format!("\u{1}{j}\u{2}")
}

fn fill_links(body: &str, url: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(body.len() + 256);
    let mut rest = body;
    while let Some(i) = rest.find('\u{1}') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('\u{2}').unwrap() + i;
        out.push_str(&url(rest[i + 1..end].parse().unwrap()));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What one post's body needs from the rest of the corpus.
struct PostCtx<'a> {
    index: usize,
    guest: bool,
    bundle: bool,
    /// Code blocks written so far, by hash: every block is new.
    seen: &'a mut HashSet<u64>,
    /// How many code blocks went into this post.
    blocks: usize,
    /// Pictures this post's folder needs: (file name, seed).
    figures: Vec<(String, u64)>,
}

/// Shared pictures under `static/images/`.
const SHARED_IMAGES: usize = 12;

/// Raw HTML as guests paste it: disclosure widgets, figures, keyboard keys, an
/// embedded video (which the sanitizer removes unless its host is allowed).
fn raw_html(rng: &Rng, words: &mut usize, inline: &mut prose::Inline<'_>) -> String {
    match rng.below(6) {
        0 | 1 => format!(
            "<details>\n<summary>{}</summary>\n\n{}\n\n</details>\n\n",
            prose::title(rng, 3),
            prose::paragraph(rng, words, inline)
        ),
        2 => format!(
            "<figure>\n  <img src=\"/images/diagram-{:02}.png\" alt=\"{}\" width=\"96\" height=\"64\">\n  <figcaption>{}</figcaption>\n</figure>\n\n",
            rng.below(SHARED_IMAGES),
            prose::title(rng, 3),
            prose::sentence(rng, words, inline)
        ),
        3 => format!(
            "<p>Press <kbd>Ctrl</kbd>+<kbd>{}</kbd> to {} the {}, or <abbr title=\"{}\">{}</abbr> does it for you.<sup>{}</sup></p>\n\n",
            ["C", "K", "Shift", "R"][rng.below(4)],
            prose::noun(rng),
            prose::noun(rng),
            prose::title(rng, 3),
            ["CLI", "API", "CI", "SRE"][rng.below(4)],
            1 + rng.below(3)
        ),
        4 => format!(
            "<div class=\"note\" style=\"border-left: 3px solid #c60; padding: 0 1em\">\n{}\n</div>\n\n",
            prose::sentence(rng, words, inline)
        ),
        _ => format!(
            "<iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/{}\" allowfullscreen></iframe>\n\n",
            (0..11)
                .map(
                    |_| b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789_-"
                        [rng.below(61)] as char
                )
                .collect::<String>()
        ),
    }
}

fn list(rng: &Rng, words: &mut usize, inline: &mut prose::Inline<'_>, out: &mut String) {
    let ordered = rng.below(3) == 0;
    for k in 0..3 + rng.below(5) {
        let marker = if ordered {
            format!("{}.", k + 1)
        } else {
            "-".to_string()
        };
        let mut item = prose::sentence(rng, words, inline);
        if rng.below(2) == 0 {
            // Terse items, as lists mostly are.
            let cut = item
                .split(' ')
                .take(2 + rng.below(6))
                .collect::<Vec<_>>()
                .join(" ");
            item = cut.trim_end_matches([',', '.', '?']).to_string();
            // A cut may leave emphasis or a link open.
            if item.matches('`').count() % 2 == 1
                || item.matches('*').count() % 2 == 1
                || item.matches('[').count() != item.matches(')').count()
                || item.contains('\u{1}')
            {
                item = prose::noun(rng).to_string();
            }
        }
        let _ = writeln!(out, "{marker} {item}");
        if rng.below(8) == 0 {
            let _ = writeln!(out, "   - {}", prose::noun(rng));
        }
    }
    out.push('\n');
}

fn table(rng: &Rng, out: &mut String) {
    let cols = 3 + rng.below(3);
    let head: Vec<String> = (0..cols).map(|_| prose::noun(rng).to_string()).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(
        out,
        "|{}",
        (0..cols)
            .map(|c| if c == 0 { " --- |" } else { " ---: |" })
            .collect::<String>()
    );
    for _ in 0..3 + rng.below(6) {
        let mut row = vec![prose::title(rng, 1 + rng.below(2))];
        for _ in 1..cols {
            row.push(match rng.below(3) {
                0 => format!("{} ms", rng.below(2000)),
                1 => format!("{:.1} %", rng.unit() * 100.0),
                _ => format!("{}", rng.below(100_000)),
            });
        }
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

/// The Markdown body of one realistic post (links to other posts marked with
/// [`link_mark`]).
fn realistic_body(rng: &Rng, ctx: &mut PostCtx<'_>) -> String {
    // 300–3,000 words, most posts short: median about 1,000.
    let target = 300 + (2700.0 * rng.unit() * rng.unit()) as usize;
    let codey = rng.below(3) != 0;
    let html_snippets = if ctx.guest && rng.below(3) == 0 {
        1 + rng.below(2)
    } else {
        0
    };
    let mut html_left = html_snippets;
    let figures_wanted = if ctx.bundle { 1 + rng.below(3) } else { 0 };
    let footnote = rng.below(7) == 0;
    let index = ctx.index;
    let mut link = move |rng: &Rng| -> Option<String> {
        (index > 0).then(|| {
            // Mostly recent posts, as "last week I wrote" links are.
            let back = 1 + (index as f64 * rng.unit().powi(3)) as usize;
            format!(
                "([{}]({}))",
                prose::title(rng, 2),
                link_mark(index - back.min(index))
            )
        })
    };
    let mut inline = prose::Inline {
        post_link: &mut link,
    };
    let mut words = 0;
    let mut out = String::new();
    for _ in 0..1 + rng.below(3) {
        out.push_str(&prose::paragraph(rng, &mut words, &mut inline));
        out.push_str("\n\n");
    }
    let mut noted = false;
    while words < target {
        let _ = writeln!(out, "## {}\n", prose::title(rng, 2 + rng.below(5)));
        for _ in 0..1 + rng.below(4) {
            let mut p = prose::paragraph(rng, &mut words, &mut inline);
            if footnote && !noted {
                p.push_str("[^1]");
                noted = true;
            }
            out.push_str(&p);
            out.push_str("\n\n");
        }
        if rng.below(6) == 0 {
            let _ = writeln!(out, "### {}\n", prose::title(rng, 2 + rng.below(3)));
            out.push_str(&prose::paragraph(rng, &mut words, &mut inline));
            out.push_str("\n\n");
        }
        if rng.below(10) < 3 {
            list(rng, &mut words, &mut inline, &mut out);
        }
        if codey && rng.below(10) < 6 {
            for _ in 0..1 + usize::from(rng.below(4) == 0) {
                let (fence, code) = loop {
                    let (fence, code) = code::block(rng);
                    if ctx.seen.insert(fnv(&code)) {
                        break (fence, code);
                    }
                };
                let _ = writeln!(out, "```{fence}\n{code}```\n");
                ctx.blocks += 1;
            }
        }
        if rng.below(12) == 0 {
            let _ = writeln!(
                out,
                "> {}\n",
                prose::paragraph(rng, &mut words, &mut inline)
            );
        }
        if rng.below(16) == 0 {
            table(rng, &mut out);
        }
        if ctx.figures.len() < figures_wanted && rng.below(2) == 0 {
            let name = format!("figure-{}.png", ctx.figures.len() + 1);
            let _ = writeln!(out, "![{}]({name})\n", prose::title(rng, 3 + rng.below(4)));
            ctx.figures.push((name, rng.next()));
        } else if !ctx.bundle && rng.below(25) == 0 {
            let _ = writeln!(
                out,
                "![{}](/images/diagram-{:02}.png)\n",
                prose::title(rng, 3),
                rng.below(SHARED_IMAGES)
            );
        }
        if html_left > 0 && rng.below(2) == 0 {
            out.push_str(&raw_html(rng, &mut words, &mut inline));
            html_left -= 1;
        }
    }
    if noted {
        let _ = writeln!(
            out,
            "[^1]: {}",
            prose::sentence(rng, &mut words, &mut inline)
        );
    }
    out
}

fn toml_list(v: &[String]) -> String {
    v.iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Tag names as tech blogs have them.
const TAGS: &[&str] = &[
    "rust",
    "python",
    "javascript",
    "typescript",
    "go",
    "kubernetes",
    "docker",
    "postgres",
    "sql",
    "testing",
    "ci",
    "devops",
    "security",
    "performance",
    "observability",
    "career",
    "mentoring",
    "hiring",
    "onboarding",
    "remote-work",
    "architecture",
    "api-design",
    "graphql",
    "react",
    "css",
    "accessibility",
    "frontend",
    "backend",
    "databases",
    "caching",
    "distributed-systems",
    "incidents",
    "on-call",
    "sre",
    "terraform",
    "aws",
    "linux",
    "shell",
    "git",
    "code-review",
    "open-source",
    "documentation",
    "writing",
    "leadership",
    "process",
    "estimation",
    "refactoring",
    "legacy-code",
    "migrations",
    "data-engineering",
    "machine-learning",
    "llm",
    "search",
    "queues",
    "webassembly",
    "compilers",
    "embedded",
    "mobile",
    "ios",
    "android",
    "design-systems",
    "product",
    "analytics",
    "privacy",
    "cryptography",
    "networking",
    "dns",
    "http",
    "websockets",
    "serverless",
    "edge",
    "nix",
    "tooling",
    "editors",
    "productivity",
    "burnout",
    "conferences",
    "community",
    "guilds",
    "retrospectives",
];

const CATEGORIES: &[&str] = &[
    "Engineering",
    "Practices",
    "Infrastructure",
    "Frontend",
    "Data",
    "Culture",
    "Security",
    "Tutorials",
];

fn write_realistic(a: &Args) {
    let rng = Rng::new(a.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let gen_root = a.out.join("gen");
    let hugo_root = a.out.join("hugo");

    let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    write_configs(&gen_root, &hugo_root, a.kits, a.no_search);
    for k in 0..SHARED_IMAGES {
        let png = png::picture(
            rng.next(),
            64 + 16 * (k as u32 % 4),
            40 + 8 * (k as u32 % 3),
        );
        for root in [&gen_root, &hugo_root] {
            write(
                &root.join(format!("static/images/diagram-{k:02}.png")),
                &png,
            );
        }
    }

    // Authors: a third staff, the rest guests; some write far more than others.
    let authors: Vec<String> = (0..60).map(|i| format!("author-{i:02}")).collect();
    let mut author_guest = Vec::new();
    for (i, slug) in authors.iter().enumerate() {
        let guest = i % 3 != 0;
        author_guest.push(guest);
        let name = format!(
            "{} {}",
            prose::FIRST_NAMES[i % prose::FIRST_NAMES.len()],
            prose::LAST_NAMES[(i * 7 + i / 25) % prose::LAST_NAMES.len()]
        );
        let handle = format!("{}{i}", name.split(' ').next().unwrap().to_lowercase());
        let mut words = 0;
        let mut no_links = |_: &Rng| None;
        let mut inline = prose::Inline {
            post_link: &mut no_links,
        };
        let bio = (0..1 + rng.below(3))
            .map(|_| prose::sentence(&rng, &mut words, &mut inline))
            .collect::<Vec<_>>()
            .join(" ");
        let mut profile = format!(
            "name = \"{name}\"\nbio = \"{}\"\nguest = {guest}\navatar = \"{slug}.png\"\n",
            bio.replace('\\', "\\\\").replace('"', "\\\"")
        );
        if rng.below(2) == 0 {
            let _ = writeln!(profile, "website = \"https://{handle}.example.net\"");
        }
        let _ = writeln!(profile, "[social]");
        let _ = writeln!(profile, "x = \"{handle}\"");
        let _ = writeln!(profile, "mastodon = \"@{handle}@mastodon.example\"");
        if rng.below(2) == 0 {
            let _ = writeln!(profile, "bluesky = \"{handle}.bsky.social\"");
        }
        if rng.below(2) == 0 {
            let _ = writeln!(profile, "github = \"{handle}\"");
        }
        write(&gen_root.join(format!("authors/{slug}.toml")), &profile);
        let avatar = png::picture(rng.next(), 48, 48);
        write(&gen_root.join(format!("authors/{slug}.png")), &avatar);
        write(
            &hugo_root.join(format!("content/authors/{slug}/_index.md")),
            format!("---\ntitle: \"{name}\"\n---\n{bio}\n"),
        );
        write(
            &hugo_root.join(format!("content/authors/{slug}/avatar.png")),
            &avatar,
        );
    }

    let mut seen = HashSet::new();
    let mut bundles: Vec<bool> = Vec::with_capacity(a.posts);
    let (mut blocks, mut guest_posts, mut pictures) = (0, 0, 0);
    for i in 0..a.posts {
        // Spread over 2000–2024 whatever the count, so no post is in the future.
        let minutes = i as i64 * (13_000_000 / a.posts.max(1) as i64);
        let date = (epoch + chrono::Duration::minutes(minutes))
            .format("%Y-%m-%dT%H:%M:00Z")
            .to_string();
        let slug = format!("post-{i:05}");
        let pick_author = |rng: &Rng| {
            // Skewed: a few authors write most posts.
            authors[(authors.len() as f64 * rng.unit().powf(1.8)) as usize].clone()
        };
        let mut post_authors = vec![pick_author(&rng)];
        if rng.below(10) == 0 {
            let second = pick_author(&rng);
            if second != post_authors[0] {
                post_authors.push(second);
            }
        }
        let guest = post_authors
            .iter()
            .any(|s| author_guest[authors.iter().position(|x| x == s).unwrap()]);
        let mut post_tags: Vec<String> = Vec::new();
        for _ in 0..(1 + rng.below(4)) {
            let t = TAGS[(TAGS.len() as f64 * rng.unit().powi(2)) as usize].to_string();
            if !post_tags.contains(&t) {
                post_tags.push(t);
            }
        }
        let cat = rng.pick(CATEGORIES).to_string();
        let title = prose::title(&rng, 3 + rng.below(6)).replace('"', "");
        let bundle = rng.below(10) < 3;
        bundles.push(bundle);
        let mut ctx = PostCtx {
            index: i,
            guest,
            bundle,
            seen: &mut seen,
            blocks: 0,
            figures: Vec::new(),
        };
        let text = realistic_body(&rng, &mut ctx);
        blocks += ctx.blocks;
        guest_posts += usize::from(guest);
        let mut figures = ctx.figures;
        let mut extra = String::new();
        if bundle && rng.below(2) == 0 {
            figures.push(("cover.png".to_string(), rng.next()));
            let _ = write!(
                extra,
                "image = \"cover.png\"\nimage_alt = \"{}\"\n",
                prose::title(&rng, 4).replace('"', "")
            );
        }
        if rng.below(3) == 0 {
            let mut w = 0;
            let mut no_links = |_: &Rng| None;
            let mut inline = prose::Inline {
                post_link: &mut no_links,
            };
            let d = prose::sentence(&rng, &mut w, &mut inline);
            let _ = writeln!(extra, "description = \"{}\"", d.replace(['\\', '"'], ""));
        }
        pictures += figures.len();
        let here = |j: usize| {
            let target = if bundles[j] {
                format!("post-{j:05}/index.md")
            } else {
                format!("post-{j:05}.md")
            };
            if bundle {
                format!("../{target}")
            } else {
                target
            }
        };
        let gen_text = fill_links(&text, here);
        let hugo_text = fill_links(&text, |j| format!("/posts/post-{j:05}/"));
        let front = format!(
            "title = \"{title}\"\ndate = {date}\nauthors = [{}]\ntags = [{}]\ncategories = [\"{cat}\"]\n{extra}",
            toml_list(&post_authors),
            toml_list(&post_tags)
        );
        let (gen_path, hugo_path) = if bundle {
            (
                gen_root.join(format!("content/posts/{slug}/index.md")),
                hugo_root.join(format!("content/posts/{slug}/index.md")),
            )
        } else {
            (
                gen_root.join(format!("content/posts/{slug}.md")),
                hugo_root.join(format!("content/posts/{slug}.md")),
            )
        };
        write(&gen_path, format!("+++\n{front}+++\n\n{gen_text}"));
        write(
            &hugo_path,
            format!("+++\n{front}slug = \"{slug}\"\n+++\n\n{hugo_text}"),
        );
        for (name, seed) in figures {
            let png = png::picture(seed, 80 + (seed % 80) as u32, 48 + (seed >> 8) as u32 % 48);
            write(&gen_root.join(format!("content/posts/{slug}/{name}")), &png);
            write(
                &hugo_root.join(format!("content/posts/{slug}/{name}")),
                &png,
            );
        }
    }
    for dir in [
        gen_root.join("content"),
        gen_root.join("authors"),
        gen_root.join("static"),
        hugo_root.join("content"),
        hugo_root.join("layouts"),
        hugo_root.join("static"),
    ] {
        remove_stale(&dir);
    }
    println!(
        "wrote {} posts ({guest_posts} guest posts, {blocks} code blocks, all different, {pictures} pictures in post folders), 60 authors, {} tags, {} categories to {} (gen) and {} (hugo)",
        a.posts,
        TAGS.len(),
        CATEGORIES.len(),
        gen_root.display(),
        hugo_root.display()
    );
}

pub const HUGO_CONFIG: &str = r#"baseURL = "https://corpus.example.org/"
title = "Corpus"
languageCode = "en"
disableKinds = []
paginate = 10
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
category = "categories"
author = "authors"
[permalinks]
posts = "/posts/:slug/"
[services.rss]
limit = 20
[markup.goldmark.renderer]
unsafe = true
[markup.highlight]
noClasses = false
codeFences = true
[outputs]
home = ["HTML", "RSS"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
"#;

/// Hugo templates equivalent to Byline's default theme in the work they do: post
/// pages with bylines and author boxes, paginated home and term pages, feeds.
pub const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta property="og:title" content="{{ .Title }}"><meta property="og:url" content="{{ .Permalink }}">
<link rel="stylesheet" href="/style.css"></head><body><header><a href="/">{{ site.Title }}</a>
<nav><a href="/authors/">Authors</a> <a href="/tags/">Tags</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>"#,
    ),
    (
        "_default/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>By {{ range $i, $a := .GetTerms "authors" }}{{ if $i }}, {{ end }}<a href="{{ $a.Permalink }}">{{ $a.Title }}</a>{{ end }}
 · <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} min</p>
{{ .TableOfContents }}{{ .Content }}
<p>Tagged {{ range .GetTerms "tags" }}<a href="{{ .Permalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ range .GetTerms "authors" }}<aside><h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>{{ .Content }}</aside>{{ end }}
{{ with .PrevInSection }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}"#,
    ),
    (
        "_default/list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
{{ $p := .Paginate (where .Pages "Section" "posts") }}{{ if eq .Kind "home" }}{{ $p = .Paginate (where site.RegularPages "Section" "posts") }}{{ end }}
{{ range $p.Pages }}<article><h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>
<p>{{ range $i, $a := .GetTerms "authors" }}{{ if $i }}, {{ end }}{{ $a.Title }}{{ end }} · {{ .Date.Format "2 January 2006" }}</p>
{{ .Summary }}</article>{{ end }}
{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">Newer</a>{{ end }}{{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">Older</a>{{ end }}{{ end }}"#,
    ),
    // Full posts in every feed, as Byline's feeds have by default (Hugo's own
    // feed template carries summaries), with authors and tags.
    (
        "_default/rss.xml",
        r#"{{- $pages := where .Pages "Section" "posts" -}}
{{- if .IsHome }}{{ $pages = where site.RegularPages "Section" "posts" }}{{ end -}}
{{- printf "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{{ .Title }} · {{ site.Title }}</title><link>{{ .Permalink }}</link><description>{{ .Title }}</description>
<language>en</language>{{ with .OutputFormats.Get "RSS" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}
{{ range first 20 $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate><guid>{{ .Permalink }}</guid>
{{ range .GetTerms "authors" }}<dc:creator>{{ .Title }}</dc:creator>{{ end }}{{ range .GetTerms "tags" }}<category>{{ .Title }}</category>{{ end }}
<description>{{ .Content | html }}</description></item>
{{ end }}</channel></rss>"#,
    ),
    (
        "_default/terms.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.Permalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}"#,
    ),
];

/// Both sites' configuration: gen's `gen.toml` (share kits and search on or
/// off) and Hugo's `hugo.toml` with its layouts.
fn write_configs(gen_root: &Path, hugo_root: &Path, kits: bool, no_search: bool) {
    let mut share = if kits {
        String::new()
    } else {
        "[share]\nplatforms = []\n".to_string()
    };
    if no_search {
        share.push_str("[search]\nenabled = false\n");
    }
    write(
        &gen_root.join("gen.toml"),
        format!(
            "title = \"Corpus\"\nbase_url = \"https://corpus.example.org\"\ndescription = \"Benchmark corpus\"\npaginate_by = 10\nfeed_limit = 20\n[markdown]\nhighlight_code = true\n{share}"
        ),
    );
    write(&hugo_root.join("hugo.toml"), HUGO_CONFIG);
    for (path, text) in HUGO_LAYOUTS {
        write(&hugo_root.join("layouts").join(path), text);
    }
}
