//! The social card of each post: which posts get one (`[images]
//! social_cards`), what the theme's `social-card.svg` is given, and the PNG
//! made from it through the picture cache, published under
//! `/processed_images/`. The post page points `og:image` and `twitter:image`
//! at it; the share kit page previews it.

use std::path::Path;

use serde::Serialize;

use super::Prepared;
use super::card::{self, Title};
use crate::diag::Diagnostic;
use crate::images::{Format, Op, Pictures, SocialCards};
use crate::load::{Asset, Post, Site};
use crate::render::Theme;

/// Changes when the same SVG would make other bytes (a new renderer).
const CARD_VERSION: &str = "byline-card-3";

/// The most authors a card shows avatars of.
const MAX_AVATARS: usize = 4;

/// A post's card, as pages see it.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    /// Its absolute URL.
    pub url: String,
    /// Its text alternative: the title, by whom, and the site.
    pub alt: String,
}

/// What `social-card.svg` sees as `card`.
#[derive(Serialize)]
struct CardValue {
    title: Title,
    site_name: String,
    site_name_runs: Vec<card::Run>,
    guest: bool,
    authors: Vec<CardAuthor>,
    /// The authors' names, cut to fit their row.
    author_line: String,
    author_line_runs: Vec<card::Run>,
    /// Where the names start: after the avatars.
    author_line_x: u32,
}

#[derive(Serialize)]
struct CardAuthor {
    name: String,
    initials: String,
    /// A 96×96 PNG of the avatar as a `data:` URL, or null.
    avatar: Option<String>,
}

/// Whether post `post` gets a card under `setting`.
pub fn wants_card(setting: SocialCards, post: &Post) -> bool {
    match setting {
        SocialCards::Off => false,
        SocialCards::Uncovered => post.image.is_none(),
        SocialCards::All => true,
    }
}

impl Prepared<'_> {
    /// The card of post `i`, made (or found in the cache) on first use; `None`
    /// when the post gets none.
    pub fn card(&self, i: usize) -> Option<Result<Card, Diagnostic>> {
        let site = self.site;
        let post = &site.posts[i];
        if !wants_card(site.config.images.social_cards, post) {
            return None;
        }
        Some(make(self, post))
    }
}

fn make(prep: &Prepared<'_>, post: &Post) -> Result<Card, Diagnostic> {
    let site = prep.site;
    let config = &site.config;
    let err = |m: String| {
        Diagnostic::error(format!("the social card of this post: {m}"))
            .in_file(&post.source)
            .hint("fix templates/social-card.svg (the card's template; see docs/images.md), or set [images] social_cards = \"off\"")
    };
    let pictures = crate::sitefs::SiteFs::open(&site.root)
        .map(|gate| {
            Pictures::new(
                gate,
                config.images.clone(),
                crate::images::cache_dir(&site.root, &config.cache),
            )
        })
        .map_err(|e| err(format!("cannot open the site folder: {e}")))?;
    let authors: Vec<&crate::load::Author> = post
        .authors
        .iter()
        .filter_map(|a| site.authors.get(a))
        .collect();
    let names: Vec<&str> = authors.iter().map(|a| a.name.as_str()).collect();
    let names = join_names(&names);
    let shown: Vec<CardAuthor> = authors
        .iter()
        .take(MAX_AVATARS)
        .map(|a| CardAuthor {
            name: a.name.clone(),
            initials: card::initials(&a.name),
            avatar: avatar(&pictures, a.avatar.as_ref()),
        })
        .collect();
    let author_line_x = 80 + 88 * shown.len() as u32 + if shown.is_empty() { 0 } else { 8 };
    let site_name = card::fit_line(&config.title, 30.0, 820.0);
    let author_line = card::fit_line(&names, 32.0, 1120.0 - author_line_x as f32);
    let value = CardValue {
        title: card::fit_title(&post.title, card::TITLE_BOX.0, card::TITLE_BOX.1),
        site_name_runs: card::runs(&site_name, 30.0),
        site_name,
        guest: post.guest,
        author_line_runs: card::runs(&author_line, 32.0),
        author_line,
        author_line_x,
        authors: shown,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("card", &value);
    let svg = prep
        .theme
        .tera
        .render(CARD_TEMPLATE, &ctx)
        .map_err(|e| err(format!("social-card.svg: {}", crate::diag::error_chain(&e))))?;
    // The encoder settings are in the cache key but not in the card's URL:
    // the pixels are the same, the bytes are not.
    let key =
        blake3::hash(format!("{CARD_VERSION}\n{}\n{svg}", card::PNG_SETTINGS).as_bytes()).to_hex();
    let cache = crate::images::cache_dir(&site.root, &config.cache);
    let file = crate::images::cached_file(&cache, &format!("card-{}.png", &key[..32]), || {
        card::render_png(&svg).map_err(|e| format!("social-card.svg: {e}"))
    })
    .map_err(err)?;
    let dest = card_path(site, prep.theme, post);
    super::resize::publish(&site.root, dest.trim_start_matches('/'), file);
    let alt = if names.is_empty() {
        format!("{} · {}", post.title, config.title)
    } else {
        format!("{}, by {} · {}", post.title, names, config.title)
    };
    Ok(Card {
        url: config.url(&dest),
        alt,
    })
}

/// Where the card of `post` is published: named by what it shows (title,
/// authors, site title, guest or not) and the card template, so a changed
/// card gets a new URL (link previews cache pictures by URL), and known
/// without rendering it (for the claims of output paths).
pub fn card_path(site: &Site, theme: &Theme, post: &Post) -> String {
    let mut h = blake3::Hasher::new();
    for part in [
        CARD_VERSION,
        &post.title,
        &site.config.title,
        if post.guest { "guest" } else { "staff" },
        theme.template_text(CARD_TEMPLATE).unwrap_or_default(),
    ] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    for a in post.authors.iter().filter_map(|a| site.authors.get(a)) {
        h.update(a.name.as_bytes());
        h.update(format!("{:?}", a.avatar).as_bytes());
        h.update(b"\0");
    }
    crate::routes::social_card_path(&post.slug, &h.finalize().to_hex()[..16])
}

/// The template cards are drawn from.
const CARD_TEMPLATE: &str = "social-card.svg";

/// "A", "A and B", "A, B and C".
fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// An author's avatar as a 96×96 PNG `data:` URL, when it is a picture of
/// the site that can be read; else `None` (the card shows initials).
fn avatar(pictures: &Pictures, asset: Option<&Asset>) -> Option<String> {
    use base64::Engine as _;
    let Some(Asset::Local { source, .. }) = asset else {
        return None;
    };
    let source: &Path = source;
    if !crate::images::is_raster(source) {
        return None;
    }
    let r = pictures
        .resize(source, Op::Fill, (96, 96), Some(Format::Png))
        .ok()?;
    let bytes = crate::images::read_cached(&r.cache)?;
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_joined() {
        assert_eq!(join_names(&[]), "");
        assert_eq!(join_names(&["Ada"]), "Ada");
        assert_eq!(join_names(&["Ada", "Bo"]), "Ada and Bo");
        assert_eq!(join_names(&["Ada", "Bo", "Cy"]), "Ada, Bo and Cy");
    }
}
