//! Pictures in content, covers and avatars: resized variants in the picture's
//! format and WebP (never enlarged), `<picture>` with width, height, srcset,
//! sizes and lazy loading, EXIF orientation applied, every metadata segment
//! gone from what is published, limits and undecodable files refused at the
//! Markdown line, and the on-disk cache reused and repaired.

use std::io::Cursor;

use image::{ImageEncoder, ImageFormat, ImageReader, Rgb, RgbImage};

use crate::support::*;

/// Markers that the pictures' metadata hold: none may be published.
const GPS_MARK: &[u8] = b"GPS-SECRET-47.3769N";
const XMP_MARK: &[u8] = b"XMP-SECRET-HOME-ADDRESS";

/// A `w`×`h` JPEG, red on its left half and blue on its right, with an EXIF
/// segment (orientation `orientation`, an Artist tag holding [`GPS_MARK`])
/// and an XMP segment holding [`XMP_MARK`].
fn photo(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    // EXIF: big-endian TIFF, IFD0 with Orientation and Artist.
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    let artist_at = 8 + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&[0x01, 0x3B, 0, 2]);
    tiff.extend_from_slice(&(GPS_MARK.len() as u32 + 1).to_be_bytes());
    tiff.extend_from_slice(&(artist_at as u32).to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(GPS_MARK);
    tiff.push(0);
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&tiff);
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>".to_vec();
    xmp.extend_from_slice(XMP_MARK);
    xmp.extend_from_slice(b"</x:xmpmeta>");
    let mut out = jpeg[..2].to_vec();
    for seg in [&exif, &xmp] {
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&(seg.len() as u16 + 2).to_be_bytes());
        out.extend_from_slice(seg);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A small PNG.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_pixel(w, h, Rgb([30, 160, 60]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header says 100000×100000 pixels (a decompression bomb: the
/// pixels would take 30 GB), with a valid header checksum.
fn bomb() -> Vec<u8> {
    let mut p = png(4, 4);
    // IHDR data starts at byte 16 (8 signature, 4 length, 4 type).
    p[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    p[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32(&p[12..29]);
    p[29..33].copy_from_slice(&crc.to_be_bytes());
    p
}

fn dims(bytes: &[u8]) -> (u32, u32) {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

const POST_FRONT: &str = "title = \"Pictures\"\ndate = 2024-05-01\nauthors = [\"ada-staff\"]\n";

/// The basic fixture with a bundle post showing a 2000×1000 photo whose EXIF
/// says "turn 90° clockwise" and a PNG from static/.
fn site() -> SiteTest {
    SiteTest::from_fixture("basic")
        .file("content/posts/pics/photo.jpg", photo(2000, 1000, 6))
        .file("static/images/chart.png", png(600, 300))
        .file(
            "content/posts/pics/index.md",
            toml_post(
                POST_FRONT,
                "Intro.\n\n![A red and blue photo](photo.jpg)\n\n![A chart](/images/chart.png \"Sales\")\n",
            ),
        )
}

/// The output's processed file of `stem` at `width` in `ext`.
fn variant(out: &std::path::Path, stem: &str, width: u32, ext: &str) -> String {
    let suffix = format!("-{width}w.{ext}");
    let found: Vec<String> = list_files(out)
        .into_iter()
        .filter(|f| f.starts_with(&format!("processed_images/{stem}-")) && f.ends_with(&suffix))
        .collect();
    assert_eq!(found.len(), 1, "{stem} {width} {ext}: {found:?}");
    found[0].clone()
}

#[test]
fn pictures_get_variants_and_picture_elements() {
    let site = site();
    site.run(&["build"]).success();
    let out = site.public();
    // Upright: 1000×2000; widths 480 and 800 below it, and its own; never 1200.
    let mut files = Vec::new();
    for (w, h) in [(480, 960), (800, 1600), (1000, 2000)] {
        for ext in ["jpg", "webp"] {
            if (w, ext) == (1000, "jpg") {
                continue;
            }
            let f = variant(&out, "photo", w, ext);
            let bytes = std::fs::read(out.join(&f)).unwrap();
            assert_eq!(dims(&bytes), (w, h), "{f}");
            files.push(f);
        }
    }
    let full = std::fs::read(out.join("posts/pics/photo.jpg")).unwrap();
    assert_eq!(dims(&full), (1000, 2000));
    assert!(!list_files(&out).iter().any(|f| f.contains("-1200w.")));
    // The PNG is 600 wide: 480 and its own, as PNG and WebP.
    let chart480 = variant(&out, "chart", 480, "png");
    assert_eq!(
        dims(&std::fs::read(out.join(&chart480)).unwrap()),
        (480, 240)
    );
    let chart_webp = variant(&out, "chart", 600, "webp");
    let chart_webp480 = variant(&out, "chart", 480, "webp");

    let html = site.read("public/posts/pics/index.html");
    let sizes = "(max-width: 46rem) 100vw, 46rem";
    let u = |f: &str| format!("{BASE}/{f}");
    let first = format!(
        "<picture><source type=\"image/webp\" srcset=\"{} 480w, {} 800w, {} 1000w\" sizes=\"{sizes}\"><img src=\"{BASE}/posts/pics/photo.jpg\" alt=\"A red and blue photo\" width=\"1000\" height=\"2000\" srcset=\"{} 480w, {} 800w, {BASE}/posts/pics/photo.jpg 1000w\" sizes=\"{sizes}\" decoding=\"async\"></picture>",
        u(&files[1]),
        u(&files[3]),
        u(&files[4]),
        u(&files[0]),
        u(&files[2]),
    );
    assert!(html.contains(&first), "{first}\nnot in\n{html}");
    // The second picture of the page loads lazily; the title is kept.
    let second = format!(
        "<picture><source type=\"image/webp\" srcset=\"{} 480w, {} 600w\" sizes=\"{sizes}\"><img src=\"{BASE}/images/chart.png\" alt=\"A chart\" title=\"Sales\" width=\"600\" height=\"300\" srcset=\"{} 480w, {BASE}/images/chart.png 600w\" sizes=\"{sizes}\" loading=\"lazy\" decoding=\"async\"></picture>",
        u(&chart_webp480),
        u(&chart_webp),
        u(&chart480),
    );
    assert!(html.contains(&second), "{second}\nnot in\n{html}");
}

#[test]
fn a_picture_wider_than_every_width_is_published_at_the_widest() {
    // Upright 1000×2000, widths 480 and 800: nothing 1000 wide is made, and
    // the picture's own path serves the 800-pixel JPEG.
    let site = site().edit(
        "gen.toml",
        "[extra]",
        "[images]\nwidths = [480, 800]\n\n[extra]",
    );
    site.run(&["build"]).success();
    let out = site.public();
    let full = std::fs::read(out.join("posts/pics/photo.jpg")).unwrap();
    assert_eq!(dims(&full), (800, 1600));
    assert!(!list_files(&out).iter().any(|f| f.contains("-1000w.")));
    assert!(
        !list_files(&out)
            .iter()
            .any(|f| f.starts_with("processed_images/photo-") && f.ends_with("-800w.jpg"))
    );
    let jpg480 = variant(&out, "photo", 480, "jpg");
    let webp480 = variant(&out, "photo", 480, "webp");
    let webp800 = variant(&out, "photo", 800, "webp");
    assert_eq!(
        dims(&std::fs::read(out.join(&webp800)).unwrap()),
        (800, 1600)
    );
    let html = site.read("public/posts/pics/index.html");
    let sizes = "(max-width: 46rem) 100vw, 46rem";
    let first = format!(
        "<picture><source type=\"image/webp\" srcset=\"{BASE}/{webp480} 480w, {BASE}/{webp800} 800w\" sizes=\"{sizes}\"><img src=\"{BASE}/posts/pics/photo.jpg\" alt=\"A red and blue photo\" width=\"800\" height=\"1600\" srcset=\"{BASE}/{jpg480} 480w, {BASE}/posts/pics/photo.jpg 800w\" sizes=\"{sizes}\" decoding=\"async\"></picture>",
    );
    assert!(html.contains(&first), "{first}\nnot in\n{html}");
}

#[test]
fn keep_original_of_a_wide_picture_adds_it_to_its_own_format_srcset() {
    // The original (1000 wide) at its own path, the 800-pixel JPEG among the
    // processed files; WebP stops at 800.
    let site = site().edit(
        "gen.toml",
        "[extra]",
        "[images]\nkeep_original = true\nwidths = [480, 800]\n\n[extra]",
    );
    site.run(&["build"]).success();
    let out = site.public();
    let original = std::fs::read(site.path("content/posts/pics/photo.jpg")).unwrap();
    assert_eq!(
        std::fs::read(out.join("posts/pics/photo.jpg")).unwrap(),
        original
    );
    let jpg800 = variant(&out, "photo", 800, "jpg");
    assert_eq!(
        dims(&std::fs::read(out.join(&jpg800)).unwrap()),
        (800, 1600)
    );
    assert!(!list_files(&out).iter().any(|f| f.contains("-1000w.")));
    let html = site.read("public/posts/pics/index.html");
    assert!(
        html.contains(&format!(
            "width=\"1000\" height=\"2000\" srcset=\"{BASE}/{} 480w, {BASE}/{jpg800} 800w, {BASE}/posts/pics/photo.jpg 1000w\"",
            variant(&out, "photo", 480, "jpg")
        )),
        "{html}"
    );
}

#[test]
fn orientation_is_applied_and_metadata_is_stripped() {
    let site = site();
    site.run(&["build"]).success();
    let out = site.public();
    // Turned clockwise, the left (red) half is on top.
    let full = image::load_from_memory(&std::fs::read(out.join("posts/pics/photo.jpg")).unwrap())
        .unwrap()
        .to_rgb8();
    let top = full.get_pixel(500, 200);
    let bottom = full.get_pixel(500, 1800);
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue: {bottom:?}"
    );
    // No published file holds the EXIF or XMP data (nor an EXIF segment).
    let mut pictures = 0;
    for (path, bytes) in all_files(&out) {
        if path.ends_with(".jpg") || path.ends_with(".webp") || path.ends_with(".png") {
            pictures += 1;
        }
        for mark in [
            GPS_MARK,
            XMP_MARK,
            b"Exif\0\0".as_slice(),
            b"http://ns.adobe.com/xap",
        ] {
            assert!(
                !contains(&bytes, mark),
                "{path} holds {}",
                String::from_utf8_lossy(mark)
            );
        }
    }
    assert!(pictures >= 10, "{pictures} pictures");
}

#[test]
fn keep_original_publishes_the_file_as_it_is() {
    let site = site().edit(
        "gen.toml",
        "[extra]",
        "[images]\nkeep_original = true\nwidths = [300]\n\n[extra]",
    );
    site.run(&["build"]).success();
    let out = site.public();
    let original = std::fs::read(site.path("content/posts/pics/photo.jpg")).unwrap();
    assert_eq!(
        std::fs::read(out.join("posts/pics/photo.jpg")).unwrap(),
        original
    );
    let small = variant(&out, "photo", 300, "jpg");
    let bytes = std::fs::read(out.join(&small)).unwrap();
    assert_eq!(dims(&bytes), (300, 600));
    assert!(!contains(&bytes, GPS_MARK));
}

#[test]
fn an_undecodable_picture_is_an_error_at_its_line() {
    let site = SiteTest::from_fixture("basic")
        .file("content/posts/pics/broken.jpg", b"not a picture at all")
        .file(
            "content/posts/pics/index.md",
            toml_post(POST_FRONT, "Intro.\n\nSee ![the chart](broken.jpg) here.\n"),
        );
    for cmd in ["build", "check"] {
        site.run(&[cmd])
            .fails_with(1)
            .stderr_snapshot(&format!("pictures_undecodable_{cmd}"));
    }
}

#[test]
fn a_decompression_bomb_is_refused() {
    let site = SiteTest::from_fixture("basic")
        .file("content/posts/pics/bomb.png", bomb())
        .file(
            "content/posts/pics/index.md",
            toml_post(POST_FRONT, "![A bomb](bomb.png)\n"),
        );
    site.run(&["build"])
        .fails_with(1)
        .stderr_snapshot("pictures_bomb");
}

#[test]
fn limits_are_configurable() {
    let site = site().edit(
        "gen.toml",
        "[extra]",
        "[images]\nmax_megapixels = 1\nmax_file_mb = 1\n\n[extra]",
    );
    site.write("static/images/huge.jpg", vec![0u8; 1_100_000]);
    let site = site.edit(
        "content/posts/pics/index.md",
        "Intro.",
        "Intro. ![Huge](/images/huge.jpg)",
    );
    site.run(&["build"])
        .fails_with(1)
        .stderr_snapshot("pictures_limits");
}

#[test]
fn an_svg_in_a_guest_post_is_refused() {
    let site = SiteTest::from_fixture("basic")
        .file(
            "content/posts/guestpics/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file(
            "content/posts/guestpics/index.md",
            toml_post(
                "title = \"Guest pictures\"\ndate = 2024-05-01\nauthors = [\"gus-guest\"]\n",
                "![Logo](logo.svg)\n",
            ),
        );
    site.run(&["build"])
        .fails_with(1)
        .stderr_snapshot("pictures_guest_svg");
}

#[test]
fn the_cache_is_reused_and_a_corrupt_entry_remade() {
    // Without social cards, whose entries tests/testsuite/cards.rs counts.
    let site = site().edit(
        "gen.toml",
        "[guest]",
        "[images]\nsocial_cards = \"off\"\n\n[guest]",
    );
    site.run(&["build"]).success();
    let cache = site.path(".byline-cache/images");
    let entries = all_files(&cache);
    // Ours: 3 widths x 2 formats (photo) + 2 x 2 (chart); the fixture's five
    // small pictures: their own size x 2 formats.
    assert_eq!(entries.len(), 20, "{:?}", entries.keys());
    let first = all_files(&site.public());
    // A warm rebuild writes no entry (same bytes, same modification times).
    let times = |d: &std::path::Path| {
        list_files(d)
            .into_iter()
            .map(|f| std::fs::metadata(d.join(&f)).unwrap().modified().unwrap())
            .collect::<Vec<_>>()
    };
    let before = times(&cache);
    site.run(&["build"]).success();
    assert_eq!(times(&cache), before);
    assert_eq!(all_files(&site.public()), first, "same output bytes");
    // A damaged entry (cut short) is made again, to the same bytes.
    let (name, bytes) = entries.iter().next().unwrap();
    std::fs::write(cache.join(name), &bytes[..bytes.len() / 2]).unwrap();
    site.run(&["build"]).success();
    assert_eq!(&std::fs::read(cache.join(name)).unwrap(), bytes);
    assert_eq!(all_files(&site.public()), first);
}

#[test]
fn a_cover_gets_its_variants() {
    let site = site().edit(
        "content/posts/pics/index.md",
        "authors = [\"ada-staff\"]\n",
        "authors = [\"ada-staff\"]\nimage = \"photo.jpg\"\nimage_alt = \"The cover\"\n",
    );
    site.run(&["build"]).success();
    let html = site.read("public/posts/pics/index.html");
    assert!(
        html.contains(&format!(
            "<img src=\"{BASE}/posts/pics/photo.jpg\" alt=\"The cover\" width=\"1000\" height=\"2000\" srcset=\""
        )),
        "{html}"
    );
    // With a cover first, the body's pictures are all lazy.
    assert_eq!(
        html.matches("loading=\"lazy\" decoding=\"async\"></picture>")
            .count(),
        2,
        "{html}"
    );
}

#[test]
fn two_builds_at_once_share_the_cache() {
    let site = site();
    let root = site.root.clone();
    // Both start with an empty cache and write the same entries.
    let runs: Vec<_> = ["out-a", "out-b"]
        .into_iter()
        .map(|out| {
            let root = root.clone();
            std::thread::spawn(move || {
                gen_in(&root, &["build", "-o", out]);
                root.join(out)
            })
        })
        .collect();
    let outs: Vec<_> = runs.into_iter().map(|t| t.join().unwrap()).collect();
    let a = all_files(&outs[0]);
    assert!(
        a.keys().any(|f| f.starts_with("processed_images/photo-")),
        "{:?}",
        a.keys()
    );
    // The same bytes, pictures included.
    assert_eq!(a, all_files(&outs[1]));
    // No temporary file is left in the cache.
    let cache = list_files(&root.join(".byline-cache/images"));
    assert!(cache.iter().all(|f| !f.ends_with(".tmp")), "{cache:?}");
}

/// `templates/post.html` showing the photo cropped to a square, the chart
/// fitted in a box, and the photo scaled as WebP.
const RESIZE_TEMPLATE: &str = r#"{% set sq = resize_image(path="content/posts/pics/photo.jpg", width=96, height=96, op="fill") %}{% set fit = resize_image(path="images/chart.png", width=300, height=300, op="fit") %}{% set sc = resize_image(path="content/posts/pics/photo.jpg", width=50, height=70, op="scale", format="webp") %}<p id="sq">{{ sq.url }} {{ sq.width }}x{{ sq.height }} of {{ sq.orig_width }}x{{ sq.orig_height }}</p><p id="fit">{{ fit.url }} {{ fit.width }}x{{ fit.height }}</p><p id="sc">{{ sc.url }} {{ sc.width }}x{{ sc.height }}</p>"#;

/// The URL in the paragraph `id` of `html`, and what follows it.
fn resized_in(html: &str, id: &str) -> (String, String) {
    let start = html.find(&format!("<p id=\"{id}\">")).unwrap() + id.len() + 9;
    let text = &html[start..start + html[start..].find("</p>").unwrap()];
    let (url, rest) = text.split_once(' ').unwrap();
    (url.to_string(), rest.to_string())
}

#[test]
fn resize_image_fits_fills_and_scales() {
    let site = site().file("templates/post.html", RESIZE_TEMPLATE);
    site.run(&["build"]).success();
    let out = site.public();
    let html = site.read("public/posts/pics/index.html");
    let file = |url: &str| {
        let rel = url.strip_prefix(&format!("{BASE}/")).unwrap();
        assert!(rel.starts_with("processed_images/"), "{rel}");
        std::fs::read(out.join(rel)).unwrap()
    };
    // Fill: the upright photo (1000×2000, red on top) cropped to its centre
    // square, where red meets blue.
    let (sq, rest) = resized_in(&html, "sq");
    assert_eq!(rest, "96x96 of 1000x2000");
    assert!(sq.ends_with("-96x96.jpg"), "{sq}");
    let bytes = file(&sq);
    assert_eq!(dims(&bytes), (96, 96));
    let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
    let (top, bottom) = (img.get_pixel(48, 10), img.get_pixel(48, 85));
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue: {bottom:?}"
    );
    assert!(!contains(&bytes, GPS_MARK) && !contains(&bytes, XMP_MARK));
    // Fit: 600×300 into 300×300 keeps the aspect ratio.
    let (fit, rest) = resized_in(&html, "fit");
    assert_eq!(rest, "300x150");
    assert_eq!(dims(&file(&fit)), (300, 150));
    // Scale: exactly the box, in the format asked for.
    let (sc, rest) = resized_in(&html, "sc");
    assert_eq!(rest, "50x70");
    assert!(sc.ends_with("-50x70.webp"), "{sc}");
    assert_eq!(&file(&sc)[8..12], b"WEBP");

    // A second build takes them from the cache: the same bytes.
    let first = all_files(&out);
    site.run(&["build"]).success();
    assert_eq!(first, all_files(&out));
}

#[test]
fn resize_image_errors_name_the_template_and_the_picture() {
    let site = site().file(
        "templates/post.html",
        r#"<p>{% set r = resize_image(path="static/images/missing.jpg", width=96, height=96) %}{{ r.url }}</p>"#,
    );
    let run = site.run(&["build"]);
    run.fails_with(1);
    assert!(
        run.stderr.contains("templates/post.html")
            && run.stderr.contains("resize_image(path=\"static/images/missing.jpg\"): no picture static/images/missing.jpg in the site folder, its content/ or its static/"),
        "{}",
        run.stderr
    );
    let site = site.file(
        "templates/post.html",
        r#"{% set r = resize_image(path="images/chart.png", width=96, height=96, op="crop") %}{{ r.url }}"#,
    );
    let run = site.run(&["build"]);
    run.fails_with(1);
    assert!(
        run.stderr.contains("resize_image(path=\"images/chart.png\"): unknown op \"crop\", expected \"fit\", \"fill\" or \"scale\""),
        "{}",
        run.stderr
    );
    // A path that leaves the site is not read.
    let site = site.file(
        "templates/post.html",
        r#"{% set r = resize_image(path="../outside.png", width=96, height=96) %}{{ r.url }}"#,
    );
    let run = site.run(&["build"]);
    run.fails_with(1);
    assert!(
        run.stderr.contains("no picture ../outside.png"),
        "{}",
        run.stderr
    );
}
