//! Social cards: the 1200×630 PNG a post's link previews show (`og:image`)
//! when it has no cover. The theme draws it as SVG (`social-card.svg`, a Tera
//! template a site can override); this module lays the title out so that it
//! wraps and shrinks to fit its box and never overflows, and renders the SVG
//! with resvg using only the fonts shipped in the default theme: DejaVu Sans
//! (Latin, Greek, Cyrillic, Arabic, Hebrew, …) and, for what it lacks, subsets
//! of Noto Sans CJK SC Bold (common Chinese, Japanese and Korean characters)
//! and Noto Color Emoji (common emoji), their licences next to them. No
//! system font is loaded, so a card is the same bytes on every machine.
//!
//! Text is measured the way resvg draws it: each run of characters shaped
//! (rustybuzz, as resvg shapes) with the first of those fonts that has them,
//! so Arabic is measured joined, not letter by letter.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};
use unicode_segmentation::UnicodeSegmentation;

/// The size of a card, in pixels.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The font family cards are drawn in: DejaVu Sans, with the fallbacks
/// below for characters it lacks.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// A font of the default theme's `fonts/`.
fn font(name: &str) -> &'static [u8] {
    crate::render::theme::default_theme_file(&format!("fonts/{name}")).unwrap_or_default()
}

/// The fonts cards are drawn with, in the order a character is looked for:
/// the file and its family name. Titles are bold; the fallbacks have one
/// face each, used for bold and regular text alike.
const FONTS: [(&str, &str); 4] = [
    ("DejaVuSans-Bold.ttf", "DejaVu Sans"),
    ("DejaVuSans.ttf", "DejaVu Sans"),
    ("NotoSansCJKsc-Bold-subset.otf", "Noto Sans CJK SC"),
    ("NotoColorEmoji-subset.ttf", "Noto Color Emoji"),
];

/// The fonts a title is measured with (the regular face aside: the title
/// is bold), parsed once.
fn faces() -> &'static [(&'static str, rustybuzz::Face<'static>)] {
    static FACES: OnceLock<Vec<(&'static str, rustybuzz::Face<'static>)>> = OnceLock::new();
    FACES.get_or_init(|| {
        FONTS
            .iter()
            .filter(|(file, _)| *file != "DejaVuSans.ttf")
            .filter_map(|(file, family)| {
                rustybuzz::Face::from_slice(font(file), 0).map(|f| (*family, f))
            })
            .collect()
    })
}

/// The title box in the default card: its width and height, in pixels.
pub const TITLE_BOX: (f32, f32) = (1040.0, 300.0);

/// The font sizes a title is tried at, largest first.
const SIZES: [f32; 6] = [76.0, 68.0, 60.0, 52.0, 44.0, 38.0];

/// Line height, as a multiple of the font size.
const LINE: f32 = 1.2;

/// The fonts cards may use: the theme's, loaded once.
fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        // In FONTS' order: resvg takes a fallback for a missing character
        // from the first face that has it.
        for (file, _) in FONTS {
            db.load_font_data(font(file).to_vec());
        }
        // Every generic family is DejaVu Sans: a template that names
        // `sans-serif` or `serif` gets it, not a system font.
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        db.set_cursive_family(FONT_FAMILY);
        db.set_fantasy_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Characters that take no room of their own: joiners and variation
/// selectors, which belong to the emoji or letters around them.
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0020}'..='\u{E007F}')
}

/// The family of the card font that draws `c` (the first of DejaVu Sans,
/// Noto Sans CJK SC and Noto Color Emoji that has it), or `None` when none
/// has it: such a character is drawn as DejaVu Sans's empty box ("tofu")
/// and measured as a full em. Joiners and variation selectors belong to the
/// font of the character before them.
pub fn font_for(c: char) -> Option<&'static str> {
    faces()
        .iter()
        .find(|(_, f)| f.glyph_index(c).is_some())
        .map(|(family, _)| *family)
}

/// The characters of `text` no card font has (joiners and variation
/// selectors aside): what a card would show as tofu.
pub fn missing_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| !c.is_whitespace() && !is_ignorable(*c) && font_for(*c).is_none())
        .collect()
}
/// A title laid out for its box.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Title {
    /// Its lines, each narrower than the box.
    pub lines: Vec<String>,
    /// The font size, in pixels.
    pub size: f32,
    /// The distance between the lines' baselines, in pixels.
    pub line_height: f32,
    /// Each line as [`runs`] of one font.
    pub runs: Vec<Vec<Run>>,
}

impl Title {
    fn new(lines: Vec<String>, size: f32) -> Title {
        Title {
            runs: lines.iter().map(|l| runs(l, size)).collect(),
            lines,
            size,
            line_height: size * LINE,
        }
    }
}

/// The width of `text` in bold at `size`, in pixels: each run of characters
/// one font draws, shaped with that font (so Arabic is measured in its
/// joined forms, and an emoji sequence as the font forms it); a character
/// no card font has counts as a full em, wider than the box drawn for it, so
/// a line measured to fit does fit.
pub fn measure(text: &str, size: f32) -> f32 {
    if faces().is_empty() {
        return text.chars().count() as f32 * size;
    }
    split(text)
        .iter()
        .map(|(which, run)| run_width(*which, run, size))
        .sum()
}

/// The width of one run of [`split`] at `size`: shaped with its font, or a
/// full em a character when no card font has it.
fn run_width(which: Option<usize>, run: &str, size: f32) -> f32 {
    let Some(face) = which.and_then(|i| faces().get(i)).map(|(_, f)| f) else {
        return run.chars().filter(|c| !is_ignorable(*c)).count() as f32 * size;
    };
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(run);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(face, &[], buffer);
    let units: i64 = shaped
        .glyph_positions()
        .iter()
        .map(|p| i64::from(p.x_advance))
        .sum();
    units as f32 * size / face.units_per_em() as f32
}

/// Whether a line reads right to left: its first letters are Arabic,
/// Hebrew or another right-to-left script.
fn is_rtl(text: &str) -> bool {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.direction() == rustybuzz::Direction::RightToLeft
}

/// `text` cut into runs that one font draws: the index of the font in
/// [`faces`], or `None` for characters no card font has. Spaces, joiners and
/// variation selectors stay in the run they are in; a space after emoji
/// goes to DejaVu Sans.
fn split(text: &str) -> Vec<(Option<usize>, String)> {
    let faces = faces();
    let mut runs: Vec<(Option<usize>, String)> = Vec::new();
    for c in text.chars() {
        let which = if is_ignorable(c) {
            runs.last().map_or(Some(0), |r| r.0)
        } else if c.is_whitespace() {
            // A space between emoji is DejaVu's: the emoji font's is an
            // emoji wide.
            match runs.last() {
                Some((Some(i), _)) if faces[*i].0 != "Noto Color Emoji" => Some(*i),
                _ => Some(0),
            }
        } else {
            faces.iter().position(|(_, f)| f.glyph_index(c).is_some())
        };
        match runs.last_mut() {
            Some((w, run)) if *w == which => run.push(c),
            _ => runs.push((which, c.to_string())),
        }
    }
    runs
}

/// A piece of a line of card text, the one font family that draws it, and
/// where it starts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Run {
    pub text: String,
    /// "DejaVu Sans", "Noto Sans CJK SC" or "Noto Color Emoji".
    pub font: &'static str,
    /// Where the run's left edge is, in pixels from the line's left edge.
    pub x: f32,
}

/// `text` at `size` as runs of one font each, for the card template to put
/// each in a `<tspan font-family="…" x="…">`. resvg's own fallback gives up
/// on a line that mixes scripts (it needs each fallback font to shape the
/// whole line into as many glyphs as the first did, which Arabic ligatures
/// and emoji sequences break), and would draw boxes; naming the font of each
/// run makes every character come from a font that has it. Each run is
/// placed at its own `x`, so resvg shapes it alone: resvg 0.45 panics when
/// one line's runs shape an emoji sequence into different numbers of glyphs
/// ("Shipped it 👩‍💻 #5"). On a right-to-left line the runs go from the
/// right.
pub fn runs(text: &str, size: f32) -> Vec<Run> {
    let faces = faces();
    let parts: Vec<(Option<usize>, String, f32)> = split(text)
        .into_iter()
        .map(|(which, run)| {
            let width = run_width(which, &run, size);
            (which, run, width)
        })
        .collect();
    let total: f32 = parts.iter().map(|p| p.2).sum();
    let rtl = parts.len() > 1 && is_rtl(text);
    let mut before = 0.0;
    parts
        .into_iter()
        .map(|(which, text, width)| {
            let x = if rtl { total - before - width } else { before };
            before += width;
            Run {
                text,
                font: which.map_or(FONT_FAMILY, |i| faces[i].0),
                x: (x * 10.0).round() / 10.0,
            }
        })
        .collect()
}

/// `text` broken into lines no wider than `width` at `size`: at spaces, and
/// inside a word (between graphemes) only when the word alone is too wide,
/// as in CJK text, which has no spaces.
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if measure(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if measure(word, size) <= width {
            line = word.to_string();
            continue;
        }
        for g in word.graphemes(true) {
            if !line.is_empty() && measure(&format!("{line}{g}"), size) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push_str(g);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Lays `title` out in a box `width`×`height`: the largest size at which it
/// fits whole; else the smallest, cut to the lines that fit and ended with
/// "…".
pub fn fit_title(title: &str, width: f32, height: f32) -> Title {
    let lines_at = |size: f32| ((height / (size * LINE)).floor() as usize).max(1);
    for size in SIZES {
        let lines = wrap(title, size, width);
        if lines.len() <= lines_at(size) {
            return Title::new(lines, size);
        }
    }
    let size = SIZES[SIZES.len() - 1];
    let mut lines = wrap(title, size, width);
    lines.truncate(lines_at(size));
    if let Some(last) = lines.last_mut() {
        let mut graphemes: Vec<&str> = last.graphemes(true).collect();
        while !graphemes.is_empty() && measure(&format!("{}…", graphemes.concat()), size) > width
        {
            graphemes.pop();
        }
        *last = format!("{}…", graphemes.concat().trim_end());
    }
    Title::new(lines, size)
}

/// `text` on one line no wider than `width` at `size`, cut and ended with
/// "…" when it is wider.
pub fn fit_line(text: &str, size: f32, width: f32) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if measure(&text, size) <= width {
        return text;
    }
    let mut graphemes: Vec<&str> = text.graphemes(true).collect();
    while !graphemes.is_empty() && measure(&format!("{}…", graphemes.concat()), size) > width {
        graphemes.pop();
    }
    format!("{}…", graphemes.concat().trim_end())
}

/// The initials of a name, for an author without an avatar: the first letter
/// of its first and last words, upper case.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = |w: &str| w.graphemes(true).next().unwrap_or_default().to_uppercase();
    match words.as_slice() {
        [] => String::new(),
        [one] => first(one),
        [a, .., b] => format!("{}{}", first(a), first(b)),
    }
}

/// Renders card SVG text into a 1200×630 PNG. The SVG may show pictures
/// only from `data:` URLs (the template puts avatars there): it reads no file.
pub fn render_png(svg: &str) -> Result<Vec<u8>, String> {
    encode_png(&render_pixmap(svg)?)
}

/// Draws card SVG text into 1200×630 pixels (premultiplied RGBA), the step
/// of [`render_png`] before the PNG encoder.
pub fn render_pixmap(svg: &str) -> Result<tiny_skia::Pixmap, String> {
    let options = usvg::Options {
        fontdb: fontdb(),
        font_family: FONT_FAMILY.to_string(),
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    // resvg has panicked on text it could not lay out; a card is then an
    // error of its post, not the end of the build.
    let tree = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        usvg::Tree::from_str(svg, &options)
    }))
    .map_err(|_| "the SVG renderer (resvg) failed to lay out its text".to_string())?
    .map_err(|e| format!("not valid SVG: {e}"))?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)
        .ok_or_else(|| "cannot make a 1200×630 picture".to_string())?;
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        WIDTH as f32 / size.width(),
        HEIGHT as f32 / size.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    Ok(pixmap)
}

/// The PNG encoder settings of cards, part of their cache key: a cached card
/// is always these settings' bytes, whatever an older version stored.
pub const PNG_SETTINGS: &str = "rgba8 fast adaptive";

/// Encodes card pixels as an RGBA PNG. The pixels are those tiny-skia's own
/// `encode_png` writes (the same demultiplication), but compressed with the
/// fast deflate setting and adaptive filters of `image`'s PNG encoder instead
/// of the `png` crate's default level: the same picture, in a smaller file
/// here (adaptive filters suit the cards' flat colours).
pub fn encode_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for pixel in pixmap.pixels() {
        let c = pixel.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(
            &rgba,
            pixmap.width(),
            pixmap.height(),
            image::ExtendedColorType::Rgba8,
        )
        .map_err(|e| format!("cannot encode the card as PNG: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(title: &str) -> Title {
        let t = fit_title(title, TITLE_BOX.0, TITLE_BOX.1);
        for line in &t.lines {
            assert!(
                measure(line, t.size) <= TITLE_BOX.0,
                "{line:?} at {}",
                t.size
            );
        }
        assert!(
            t.lines.len() as f32 * t.line_height <= TITLE_BOX.1 + 0.01,
            "{t:?}"
        );
        t
    }

    #[test]
    fn short_titles_are_large_and_long_ones_shrink() {
        let short = fits("Hello");
        assert_eq!((short.lines.len(), short.size), (1, SIZES[0]));
        let long = fits(&"A rather long title about static sites ".repeat(3));
        assert!(long.size < SIZES[0], "{long:?}");
    }

    #[test]
    fn nothing_overflows() {
        for title in [
            "Antidisestablishmentarianism".repeat(8),
            "静的サイトジェネレーターで多くの著者が書くブログを作る方法について".repeat(4),
            "كيف نبني مدونة لعدة مؤلفين باستخدام مولد مواقع ثابتة".repeat(3),
            "🎉🚀👩‍💻🏳️‍🌈 emoji 🎉🚀 in a title 👩‍👩‍👧‍👦".repeat(5),
            String::new(),
            " ".into(),
        ] {
            fits(&title);
        }
        // Too long for any size: cut, and the cut shown.
        let t = fits(&"word ".repeat(400));
        assert!(t.lines.last().unwrap().ends_with('…'), "{t:?}");
    }

    #[test]
    fn lines_are_cut_to_fit() {
        assert_eq!(fit_line("Ada  Lovelace", 32.0, 1000.0), "Ada Lovelace");
        let cut = fit_line(&"Ada Lovelace ".repeat(20), 32.0, 400.0);
        assert!(cut.ends_with('…') && measure(&cut, 32.0) <= 400.0, "{cut}");
    }

    #[test]
    fn runs_start_where_the_runs_before_them_end() {
        let text = "Shipped 👩‍💻 静的 #5";
        let r = runs(text, 40.0);
        assert_eq!(r.len(), 5, "{r:?}");
        let mut end = 0.0;
        for run in &r {
            assert!((run.x - end).abs() < 0.1, "{r:?}");
            end += measure(&run.text, 40.0);
        }
        assert!((end - measure(text, 40.0)).abs() < 0.5);
        // Right to left: the first run is rightmost.
        let r = runs("كيف 👩‍💻 نبني", 40.0);
        assert!(r.windows(2).all(|w| w[0].x > w[1].x), "{r:?}");
        assert_eq!(r.last().unwrap().x, 0.0, "{r:?}");
    }

    #[test]
    fn runs_name_the_font_that_has_their_characters() {
        let fonts = |t: &str| {
            runs(t, 40.0)
                .into_iter()
                .map(|r| (r.text, r.font))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fonts("Hi 静的 🎉🚀 كيف"),
            [
                ("Hi ".to_string(), "DejaVu Sans"),
                ("静的 ".to_string(), "Noto Sans CJK SC"),
                ("🎉🚀".to_string(), "Noto Color Emoji"),
                (" كيف".to_string(), "DejaVu Sans"),
            ]
        );
        // A ZWJ sequence stays one run; a character no font has is DejaVu's box.
        assert_eq!(fonts("👩‍💻"), [("👩‍💻".to_string(), "Noto Color Emoji")]);
        assert_eq!(missing_chars("a𐀀b"), ['𐀀']);
        assert_eq!(font_for('𐀀'), None);
    }

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("Marisol de la Quenby"), "MQ");
        assert_eq!(initials("Zoë"), "Z");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn renders_the_same_bytes_with_the_theme_font() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#123"/><text x="80" y="200" font-family="sans-serif" font-size="72" fill="#fff">Hello, 世界</text></svg>"##;
        let a = render_png(svg).unwrap();
        assert_eq!(a, render_png(svg).unwrap());
        let img = image::load_from_memory(&a).unwrap().to_rgba8();
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        // Some text was drawn: pixels other than the background.
        let bg = *img.get_pixel(5, 5);
        assert!(img.pixels().any(|p| *p != bg));
        assert!(render_png("<svg").is_err());
    }

    #[test]
    fn the_card_encoder_keeps_tiny_skias_pixels() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#123456"/><circle cx="600" cy="315" r="200" fill="#f0a" fill-opacity="0.5"/><text x="80" y="200" font-size="60">Card</text></svg>"##;
        let pixmap = render_pixmap(svg).unwrap();
        let ours = image::load_from_memory(&encode_png(&pixmap).unwrap())
            .unwrap()
            .to_rgba8();
        let theirs = image::load_from_memory(&pixmap.encode_png().unwrap())
            .unwrap()
            .to_rgba8();
        assert_eq!(ours.as_raw(), theirs.as_raw());
    }
}
