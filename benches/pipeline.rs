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
    c.bench_function("markdown + highlighting, one post", |b| {
        b.iter(|| markdown::render(black_box(&body), opts, &keep))
    });
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
