//! Micro-benchmarks of the hot paths, so regressions show up: Markdown with
//! highlighting of one post, and rendering one listing page.
//!
//! ```sh
//! cargo bench --bench pipeline
//! ```

use std::hint::black_box;
use std::path::Path;

use byline::load::{self, LoadOptions};
use byline::markdown::{self, RenderOptions, Resolved};
use byline::render::{self, Job, Prepared};
use criterion::{Criterion, criterion_group, criterion_main};

fn example_site() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site")
}

fn markdown_one_post(c: &mut Criterion) {
    let text = std::fs::read_to_string(
        example_site().join("content/posts/2024-09-24-on-call-kindness.md"),
    )
    .unwrap();
    let body = load::frontmatter::split(&text).unwrap().body.to_string();
    let opts = RenderOptions {
        highlight_code: true,
        smart_punctuation: true,
    };
    let keep = |_: &str, _: bool| Resolved::Keep;
    // Warm the syntax set once so the benchmark measures rendering, not loading.
    markdown::render(&body, opts, &keep);
    // Each iteration's code blocks differ by a first line, so they miss the
    // per-process cache of highlighted blocks, as a build's new posts do.
    let mut n = 0u64;
    c.bench_function("markdown + highlighting, one post", |b| {
        b.iter_batched(
            || {
                n += 1;
                with_first_code_line(&body, &n.to_string())
            },
            |body| markdown::render(black_box(&body), opts, &keep),
            criterion::BatchSize::SmallInput,
        )
    });
    c.bench_function("markdown + highlighting, one post, blocks cached", |b| {
        b.iter(|| markdown::render(black_box(&body), opts, &keep))
    });
}

/// `body` with `line` added at the top of every fenced code block.
fn with_first_code_line(body: &str, line: &str) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut in_code = false;
    for l in body.lines() {
        out.push_str(l);
        out.push('\n');
        if l.starts_with("```") {
            in_code = !in_code;
            if in_code {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn listing_page(c: &mut Criterion) {
    let root = example_site();
    let (site, _) = load::load(&root, LoadOptions::default()).unwrap();
    let theme = render::theme::load(&root, &site.config).unwrap();
    let (posts_md, pages_md) = render::render_markdown(&site).unwrap();
    let prep = Prepared::new(&site, &theme, &posts_md, &pages_md);
    c.bench_function("render one listing page (home, page 1)", |b| {
        b.iter(|| prep.render_job(black_box(&Job::Home(1))).unwrap())
    });
    c.bench_function("render one post page", |b| {
        b.iter(|| prep.render_job(black_box(&Job::Post(0))).unwrap())
    });
}

criterion_group!(benches, markdown_one_post, listing_page);
criterion_main!(benches);
