//! The cost of pictures, cold: resizing a 12-megapixel JPEG (4000×3000, a
//! phone photo) into the four default widths in JPEG and WebP (decoding
//! once, eight encodes), and each step on its own. The target is under
//! 400 ms of CPU per picture per core. Then all a cold build does for that
//! picture (`Pictures::picture` on one thread: reading and hashing the file,
//! the same work, and writing the cache), which publishes nothing more: its
//! own path serves the 1600-pixel JPEG. And one social card: its title laid
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

/// The issue's job: decode once, then each published width (the four
/// configured ones; the widest from the picture, the others from it) in
/// JPEG and WebP, as `images::Pictures` makes them.
fn four_widths_two_formats(bytes: &[u8], settings: &Settings) -> usize {
    let px = Pixels::decode(bytes).unwrap();
    let (w, h) = px.size();
    let widths = widths(settings, w);
    let size = |width: u32| {
        (
            width,
            (u64::from(h) * u64::from(width) / u64::from(w)) as u32,
        )
    };
    let top = *widths.last().unwrap();
    let base = px.resized(size(top).0, size(top).1, None).unwrap();
    let mut total = 0;
    for &width in &widths {
        let small;
        let p = if width == top {
            &base
        } else {
            small = base.resized(size(width).0, size(width).1, None).unwrap();
            &small
        };
        for f in [Format::Jpeg, Format::Webp] {
            total += p.encode_as(f, settings.quality).unwrap().len();
        }
    }
    total
}

/// A site folder holding the photo, and the pictures of a build of it
/// without a cache (a fresh folder each time).
struct ColdSite {
    dir: tempfile::TempDir,
    n: std::sync::atomic::AtomicU32,
}

impl ColdSite {
    fn new(bytes: &[u8]) -> ColdSite {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("photo.jpg"), bytes).unwrap();
        ColdSite {
            dir,
            n: std::sync::atomic::AtomicU32::new(0),
        }
    }

    /// What a cold build does for the picture: `Pictures::picture` with an
    /// empty cache; the number of files it publishes.
    fn build(&self, settings: &Settings) -> usize {
        let n = self.n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let cache = self.dir.path().join(format!("cache-{n}"));
        let gate = byline::sitefs::SiteFs::open(self.dir.path()).unwrap();
        let pictures = byline::images::Pictures::new(gate, settings.clone(), cache.clone());
        let p = pictures
            .picture(std::path::Path::new("photo.jpg"), "/photo.jpg")
            .unwrap();
        let _ = std::fs::remove_dir_all(&cache);
        p.files.len()
    }
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

/// CPU time of this thread so far, in milliseconds (clock_gettime's thread
/// clock: nanoseconds, where /proc counts 10 ms ticks): precise enough to
/// time each step.
fn thread_cpu_ms() -> Option<f64> {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes only the timespec it is given.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    (r == 0).then(|| t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6)
}

/// Median of `runs` runs of `f`, in ms of this thread's CPU time.
fn median_ms(runs: usize, mut f: impl FnMut()) -> Option<f64> {
    let mut t: Vec<f64> = (0..runs)
        .filter_map(|_| {
            let start = thread_cpu_ms()?;
            f();
            Some(thread_cpu_ms()? - start)
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t.get(t.len() / 2).copied()
}

/// Where one cold picture's CPU time goes, step by step (median of 5 each):
/// decode, orientation, each resize, each encode.
fn steps(bytes: &[u8], settings: &Settings) {
    use image::{DynamicImage, ImageDecoder, ImageReader};
    let decoder = || {
        ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap()
    };
    let line = |name: &str, ms: Option<f64>| {
        if let Some(ms) = ms {
            println!("step: {name}: {ms:.1} ms CPU");
        }
    };
    line(
        "decode (JPEG to RGB)",
        median_ms(5, || {
            black_box(DynamicImage::from_decoder(decoder()).unwrap());
        }),
    );
    let img = DynamicImage::from_decoder(decoder()).unwrap();
    // The copies are made outside the timing: the step is reading the EXIF
    // orientation and applying it (this photo has none, as most have not).
    let mut copies = vec![img.clone(); 5];
    line(
        "orientation (EXIF read and applied)",
        median_ms(5, || {
            let o = decoder().orientation().unwrap();
            let mut i = copies.pop().unwrap();
            i.apply_orientation(o);
            black_box(i);
        }),
    );
    let px = Pixels::of(img);
    let (w, h) = px.size();
    let widths = widths(settings, w);
    let size = |width: u32| {
        (
            width,
            (u64::from(h) * u64::from(width) / u64::from(w)) as u32,
        )
    };
    let top = size(*widths.last().unwrap());
    line(
        &format!("resize {w}→{} (Lanczos3, from the picture)", top.0),
        median_ms(5, || {
            black_box(px.resized(top.0, top.1, None).unwrap());
        }),
    );
    let base = px.resized(top.0, top.1, None).unwrap();
    for &width in widths.iter().rev() {
        let (width, height) = size(width);
        let small = (width != top.0).then(|| {
            line(
                &format!(
                    "resize {}→{width} (Lanczos3, from the {}-pixel copy)",
                    top.0, top.0
                ),
                median_ms(5, || {
                    black_box(base.resized(width, height, None).unwrap());
                }),
            );
            base.resized(width, height, None).unwrap()
        });
        let p = small.as_ref().unwrap_or(&base);
        for f in [Format::Jpeg, Format::Webp] {
            line(
                &format!("encode {width}×{height} {f:?} q{}", settings.quality),
                median_ms(5, || {
                    black_box(p.encode_as(f, settings.quality).unwrap());
                }),
            );
        }
    }
    compare_encoders(&px, &widths, settings.quality);
}

/// The encoders this project chose against the ones it used before, on the
/// photo's variants: CPU time (median of 5), size, and PSNR of the decoded
/// file against the pixels encoded. JPEG: `jpeg-encoder` (4:4:4, as
/// `image`'s encoder writes) against `image`'s `JpegEncoder`; WebP:
/// libwebp at method 2 against its default, 4.
fn compare_encoders(px: &Pixels, widths: &[u32], quality: u8) {
    let (w, h) = px.size();
    let psnr = |a: &[u8], b: &[u8]| {
        let mse = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
            .sum::<f64>()
            / a.len() as f64;
        10.0 * (255.0 * 255.0 / mse).log10()
    };
    let decoded = |b: &[u8]| image::load_from_memory(b).unwrap().into_rgb8().into_raw();
    for &width in widths.iter().rev() {
        let height = (u64::from(h) * u64::from(width) / u64::from(w)) as u32;
        let p = px.resized(width, height, None).unwrap();
        let raw = p.data();
        let image_jpeg = || {
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(raw, width, height, image::ExtendedColorType::Rgb8)
                .unwrap();
            out
        };
        let webp_m4 = || {
            webp::Encoder::from_rgb(raw, width, height)
                .encode_simple(false, f32::from(quality))
                .unwrap()
                .to_vec()
        };
        let ours_jpeg = || p.encode_as(Format::Jpeg, quality).unwrap();
        let ours_webp = || p.encode_as(Format::Webp, quality).unwrap();
        for (name, f) in [
            (
                "JPEG, image JpegEncoder (before)",
                &image_jpeg as &dyn Fn() -> Vec<u8>,
            ),
            ("JPEG, jpeg-encoder 4:4:4", &ours_jpeg),
            ("WebP, libwebp method 4 (before)", &webp_m4),
            ("WebP, libwebp method 2", &ours_webp),
        ] {
            let ms = median_ms(5, || {
                black_box(f());
            });
            let bytes = f();
            assert_eq!(bytes, f(), "{name}: the same bytes twice");
            if let Some(ms) = ms {
                println!(
                    "encoder: {width}×{height} {name} q{quality}: {ms:.1} ms CPU, {} KB, PSNR {:.2} dB",
                    bytes.len() / 1024,
                    psnr(&decoded(&bytes), raw)
                );
            }
        }
    }
}

fn resize_12mp(c: &mut Criterion) {
    let bytes = photo();
    let settings = Settings {
        widths: vec![480, 800, 1200, 1600],
        ..Settings::default()
    };
    // CPU per picture, single thread (median of 5); only when benchmarking
    // (`cargo test` runs each benchmark once).
    let benching = std::env::args().any(|a| a == "--bench");
    let median = |runs: &mut Vec<f64>| {
        runs.sort_by(f64::total_cmp);
        runs.get(runs.len() / 2).copied()
    };
    let mut runs: Vec<f64> = (0..if benching { 5 } else { 0 })
        .filter_map(|_| {
            let start = thread_cpu_ms()?;
            black_box(four_widths_two_formats(&bytes, &settings));
            Some(thread_cpu_ms()? - start)
        })
        .collect();
    if let Some(m) = median(&mut runs) {
        println!(
            "12-megapixel JPEG, decode + 4 widths x 2 formats: {m:.0} ms CPU (median of 5; target < 400)"
        );
    }
    // A cold build's whole work for the picture, in a one-thread pool; the
    // process's CPU time (the pool's thread does the work).
    let site = ColdSite::new(&bytes);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut runs: Vec<f64> = (0..if benching { 5 } else { 0 })
        .filter_map(|_| {
            let start = cpu_ms()?;
            black_box(one.install(|| site.build(&settings)));
            Some(cpu_ms()? - start)
        })
        .collect();
    if let Some(m) = median(&mut runs) {
        println!(
            "12-megapixel JPEG, all a cold build does (read, hash, the above, write {} files): {m:.0} ms CPU (median of 5)",
            site.build(&settings)
        );
    }
    if benching {
        steps(&bytes, &settings);
    }
    let mut g = c.benchmark_group("12-megapixel JPEG");
    g.sample_size(10);
    g.bench_function("decode + 4 widths x 2 formats", |b| {
        b.iter(|| black_box(four_widths_two_formats(&bytes, &settings)))
    });
    g.bench_function("cold build of the picture, one thread", |b| {
        b.iter(|| black_box(one.install(|| site.build(&settings))))
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
