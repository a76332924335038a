//! The cost of pictures, cold: resizing a 12-megapixel JPEG (4000×3000, a
//! phone photo) into the four default widths in JPEG and WebP (decoding
//! once, eight encodes), and each step on its own. The target is under
//! 400 ms of CPU per picture per core. And one social card: its title laid
//! out, the default `social-card.svg` rendered and drawn into a PNG (target:
//! under 10 ms of CPU per card per core), and cards in parallel on every
//! core, with titles in Latin, CJK, Korean, Arabic and emoji: CPU per card.
//!
//! ```sh
//! cargo bench --bench images
//! ```

use std::hint::black_box;

use byline::images::{Format, Pixels, Settings, widths};
use byline::render::card;
use criterion::{Criterion, criterion_group, criterion_main};
use image::{ImageEncoder, Rgb, RgbImage};

/// A 4000×3000 JPEG with detail everywhere (gradients and a pattern), so the
/// encoders have work like a photo's.
fn photo() -> Vec<u8> {
    let (w, h) = (4000, 3000);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let n = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 41;
        Rgb([
            ((x * 255 / w) as u8).wrapping_add(n as u8),
            ((y * 255 / h) as u8).wrapping_add((n / 2) as u8),
            (((x + y) % 256) as u8) / 2 + 60,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// What a cold build does for one picture: decode, then every variant.
fn all_variants(bytes: &[u8], settings: &Settings) -> usize {
    let px = Pixels::decode(bytes).unwrap();
    let (w, h) = px.size();
    let mut total = 0;
    for width in widths(settings, w) {
        let height = (u64::from(h) * u64::from(width) / u64::from(w)) as u32;
        for f in [Format::Jpeg, Format::Webp] {
            total += px.encode(width, height, f, settings.quality).unwrap().len();
        }
    }
    total
}

/// CPU time (user + system) of this process so far, from /proc (Linux), in
/// milliseconds: wall time on a shared machine says little.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which ends with ')'): utime is the 12th,
    // stime the 13th, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

fn resize_12mp(c: &mut Criterion) {
    let bytes = photo();
    let settings = Settings {
        widths: vec![480, 800, 1200, 1600],
        ..Settings::default()
    };
    // CPU per picture, single thread, as a cold build spends it (median of
    // 5); only when benchmarking (`cargo test` runs each benchmark once).
    let benching = std::env::args().any(|a| a == "--bench");
    let mut runs: Vec<f64> = (0..if benching { 5 } else { 0 })
        .filter_map(|_| {
            let start = cpu_ms()?;
            black_box(all_variants(&bytes, &settings));
            Some(cpu_ms()? - start)
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    if let Some(m) = runs.get(runs.len() / 2) {
        println!("12-megapixel JPEG, every variant: {m:.0} ms CPU (median of 5; target < 400)");
    }
    let mut g = c.benchmark_group("12-megapixel JPEG");
    g.sample_size(10);
    // The default widths are all below 4000: four resized widths, plus the
    // full size (re-encoded at its own path) in both formats.
    g.bench_function("decode + 4 widths + full size, JPEG and WebP", |b| {
        b.iter(|| black_box(all_variants(&bytes, &settings)))
    });
    let four = Settings {
        widths: vec![480, 800, 1200, 1600],
        ..Settings::default()
    };
    g.bench_function("decode + 4 widths x 2 formats (no full size)", |b| {
        b.iter(|| {
            let px = Pixels::decode(&bytes).unwrap();
            let mut n = 0;
            for &width in &four.widths {
                let height = width * 3 / 4;
                for f in [Format::Jpeg, Format::Webp] {
                    n += px.encode(width, height, f, 80).unwrap().len();
                }
            }
            black_box(n)
        })
    });
    g.bench_function("decode only", |b| {
        b.iter(|| black_box(Pixels::decode(&bytes).unwrap().size()))
    });
    g.finish();
}

/// The default card template rendered for a post by two guests.
fn card_svg(title: &str) -> String {
    let tpl = byline::render::theme::default_theme_file("templates/social-card.svg").unwrap();
    let tpl = std::str::from_utf8(tpl).unwrap();
    let site_name = card::fit_line("Byline example", 30.0, 820.0);
    let author_line = card::fit_line("Marisol Quenby and Tobiah Venn", 32.0, 856.0);
    let value = serde_json::json!({
        "title": card::fit_title(title, card::TITLE_BOX.0, card::TITLE_BOX.1),
        "site_name_runs": card::runs(&site_name, 30.0),
        "site_name": site_name,
        "guest": true,
        "authors": [
            {"name": "Marisol Quenby", "initials": "MQ", "avatar": null},
            {"name": "Tobiah Venn", "initials": "TV", "avatar": null}
        ],
        "author_line_runs": card::runs(&author_line, 32.0),
        "author_line": author_line,
        "author_line_x": 264,
    });
    let mut ctx = tera::Context::new();
    ctx.insert("card", &value);
    tera::Tera::one_off(tpl, &ctx, true).unwrap()
}

fn social_card(c: &mut Criterion) {
    let title = "Moving a multi-author blog to a static site without losing its guest writers";
    let one = || card::render_png(&card_svg(title)).unwrap().len();
    let benching = std::env::args().any(|a| a == "--bench");
    let n = if benching { 50 } else { 0 };
    let runs: Vec<f64> = (0..n)
        .filter_map(|_| {
            let start = cpu_ms()?;
            black_box(one());
            Some(cpu_ms()? - start)
        })
        .collect();
    if !runs.is_empty() {
        // Ticks are 10 ms: the mean of 50 says more than a median.
        let mean = runs.iter().sum::<f64>() / runs.len() as f64;
        println!(
            "social card, layout + template + render + PNG: {mean:.1} ms CPU (mean of {n}; target < 10)"
        );
    }
    let mut g = c.benchmark_group("social card");
    g.sample_size(20);
    g.bench_function("layout + template + render + PNG", |b| {
        b.iter(|| black_box(one()))
    });
    g.bench_function("title layout only", |b| {
        b.iter(|| black_box(card::fit_title(title, card::TITLE_BOX.0, card::TITLE_BOX.1)))
    });
    // Each stage on its own: the template (with layout), usvg + resvg, and
    // the PNG encoders, the cards' (fast deflate) and tiny-skia's default.
    let svg = card_svg(title);
    g.bench_function("stage: layout + template (SVG text)", |b| {
        b.iter(|| black_box(card_svg(title).len()))
    });
    g.bench_function("stage: usvg parse + resvg render", |b| {
        b.iter(|| black_box(card::render_pixmap(&svg).unwrap().width()))
    });
    let pixmap = card::render_pixmap(&svg).unwrap();
    g.bench_function("stage: PNG encode, cards' settings", |b| {
        b.iter(|| black_box(card::encode_png(&pixmap).unwrap().len()))
    });
    g.bench_function("stage: PNG encode, tiny-skia default (before)", |b| {
        b.iter(|| black_box(pixmap.encode_png().unwrap().len()))
    });
    g.finish();
}

/// Titles of every script the cards draw, as a build of a mixed site meets them.
const TITLES: [&str; 6] = [
    "Moving a multi-author blog to a static site without losing its guest writers",
    "静的サイトジェネレーターで多くの著者が書くブログを作る方法",
    "如何用静态网站生成器搭建多作者博客",
    "정적 사이트 생성기로 여러 저자의 블로그 만들기",
    "كيف نبني مدونة لعدة مؤلفين باستخدام مولد مواقع ثابتة",
    "Shipped it 🎉🚀 our first guest post 👩‍💻",
];

/// Cards made in parallel (rayon, every core), as a cold build makes them:
/// CPU time per card, the process's user + system time over the cards.
fn cards_in_parallel(c: &mut Criterion) {
    use rayon::prelude::*;
    const N: usize = 240;
    let make = |i: usize| {
        let title = format!("{} #{i}", TITLES[i % TITLES.len()]);
        card::render_png(&card_svg(&title)).unwrap().len()
    };
    // The same cards with tiny-skia's default PNG encoder, as cards were
    // made before: measured in alternating turns with the above, so both
    // see the same load.
    let before = |i: usize| {
        let title = format!("{} #{i}", TITLES[i % TITLES.len()]);
        let pixmap = card::render_pixmap(&card_svg(&title)).unwrap();
        pixmap.encode_png().unwrap().len()
    };
    let benching = std::env::args().any(|a| a == "--bench");
    for turn in 0..if benching { 3 } else { 0 } {
        for (name, f) in [
            (
                "cards' PNG settings",
                &make as &(dyn Fn(usize) -> usize + Sync),
            ),
            ("tiny-skia default PNG (before)", &before),
        ] {
            let Some(start) = cpu_ms() else { continue };
            let wall = std::time::Instant::now();
            let bytes: usize = (0..N).into_par_iter().map(f).sum();
            black_box(bytes);
            let wall = wall.elapsed().as_secs_f64() * 1000.0;
            if let Some(end) = cpu_ms() {
                println!(
                    "social cards in parallel, {name}, turn {} ({} threads, {N} cards, 6 scripts): {:.1} ms CPU per card (target < 10), {:.1} ms wall per card, {} KB per card",
                    turn + 1,
                    rayon::current_num_threads(),
                    (end - start) / N as f64,
                    wall / N as f64,
                    bytes / N / 1024
                );
            }
        }
    }
    let mut g = c.benchmark_group("social cards in parallel");
    g.sample_size(10);
    g.bench_function("24 cards, 6 scripts, every core", |b| {
        b.iter(|| black_box((0..24).into_par_iter().map(make).sum::<usize>()))
    });
    g.finish();
}

criterion_group!(benches, resize_12mp, social_card, cards_in_parallel);
criterion_main!(benches);
