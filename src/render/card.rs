//! Social cards: the 1200×630 PNG a post's link previews show (`og:image`)
//! when it has no cover. The theme draws it as SVG (`social-card.svg`, a Tera
//! template a site can override); this module lays the title out so that it
//! wraps and shrinks to fit its box and never overflows, and renders the SVG
//! with resvg using only the font shipped in the default theme (DejaVu Sans,
//! its licence next to it): no system font is loaded, so a card is the same
//! bytes on every machine.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};
use unicode_segmentation::UnicodeSegmentation;

/// The size of a card, in pixels.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The font family cards are drawn in: the only one loaded.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// The regular and bold faces, from the default theme's `fonts/`.
fn font(name: &str) -> &'static [u8] {
    crate::render::theme::default_theme_file(&format!("fonts/{name}")).unwrap_or_default()
}

/// The title's box in the default card: its width and height, in pixels.
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
        db.load_font_data(font("DejaVuSans.ttf").to_vec());
        db.load_font_data(font("DejaVuSans-Bold.ttf").to_vec());
        // Every generic family is this font: a template that names
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

/// A title laid out for its box.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Title {
    /// Its lines, each narrower than the box.
    pub lines: Vec<String>,
    /// The font size, in pixels.
    pub size: f32,
    /// The distance between the lines' baselines, in pixels.
    pub line_height: f32,
}

/// The width of `text` in the bold font at `size`, in pixels. A character
/// the font lacks (CJK, most emoji) counts as a full em, as wide as a glyph
/// of any font is wide, so a line measured to fit does fit.
pub fn measure(text: &str, size: f32) -> f32 {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    let Some(face) =
        FACE.get_or_init(|| ttf_parser::Face::parse(font("DejaVuSans-Bold.ttf"), 0).ok())
    else {
        return text.chars().count() as f32 * size;
    };
    let scale = size / f32::from(face.units_per_em());
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(size, |a| f32::from(a) * scale)
        })
        .sum()
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
            return Title {
                lines,
                size,
                line_height: size * LINE,
            };
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
    Title {
        lines,
        size,
        line_height: size * LINE,
    }
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
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("not valid SVG: {e}"))?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)
        .ok_or_else(|| "cannot make a 1200×630 picture".to_string())?;
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        WIDTH as f32 / size.width(),
        HEIGHT as f32 / size.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode the card as PNG: {e}"))
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
}
