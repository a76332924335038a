//! The social card of each post: which posts get one (`[images]
//! social_cards`), what the theme's `social-card.svg` is given, and the PNG
//! made from it through the picture cache, published under
//! `/processed_images/`. The post page points `og:image` and `twitter:image`
//! at it; the share kit page previews it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use super::Prepared;
use super::card::{self, Title};
use crate::diag::Diagnostic;
use crate::images::{Format, Op, Pictures, SocialCards};
use crate::load::{Asset, Author, Post, Site};
use crate::render::Theme;

/// Changes when the same inputs would make other bytes: a new renderer, or
/// a new layout or font (built into the program), as a warm build finds a
/// card by its inputs ([`input_key`]) without laying it out. It is part of
/// the card's URL too ([`card_path`]).
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
        let shared = self.cards.get_or_init(|| Shared::new(site, self.theme));
        Some(make(self, shared, post))
    }
}

/// What every card of one build shares, made for the first card: the
/// picture cache, the key the cards are published under, the card
/// template's hash and each author's avatar. A 10,000-post build draws on
/// a few dozen authors and one template, so none of this is done per card.
pub struct Shared {
    pictures: Result<Pictures, String>,
    /// The picture cache's folder.
    cache: PathBuf,
    /// The site's key for [`super::resize::publish_at`].
    site_key: PathBuf,
    /// The hash of the card template's text and of every template it
    /// depends on ([`template_hash`]); `None` when it calls a function that
    /// reads more than the card's inputs, so that only its SVG tells.
    template: Option<blake3::Hash>,
    /// Each author's avatar (by author key), made on first use.
    avatars: Mutex<HashMap<String, Arc<OnceLock<Option<Avatar>>>>>,
}

/// An author's avatar as a card shows it.
struct Avatar {
    /// A 96×96 PNG as a `data:` URL.
    url: String,
    /// The hash of `url`: of the pixels the card shows, so of the avatar
    /// file's content (and of the settings it is resized with).
    hash: blake3::Hash,
}

impl Shared {
    fn new(site: &Site, theme: &Theme) -> Shared {
        let config = &site.config;
        let cache = crate::images::cache_dir(&site.root, &config.cache);
        let pictures = crate::sitefs::SiteFs::open(&site.root)
            .map(|gate| Pictures::new(gate, config.images.clone(), cache.clone()))
            .map_err(|e| e.to_string());
        Shared {
            pictures,
            cache,
            site_key: super::resize::site_key(&site.root),
            template: template_hash(&theme.template_family(CARD_TEMPLATE)),
            avatars: Mutex::default(),
        }
    }

    /// The avatar of the author `key`, made once per build.
    fn avatar(
        &self,
        pictures: &Pictures,
        key: &str,
        author: &Author,
    ) -> Arc<OnceLock<Option<Avatar>>> {
        let slot = self
            .avatars
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.to_string())
            .or_default()
            .clone();
        slot.get_or_init(|| {
            avatar(pictures, author.avatar.as_ref()).map(|url| Avatar {
                hash: blake3::hash(url.as_bytes()),
                url,
            })
        });
        slot
    }
}

/// The functions a template may call whose result is not fixed by the
/// card's inputs: the build's address (`url`), the site's pictures
/// (`resize_image`), the clock, chance and the environment. A card template
/// that calls one is keyed by its SVG, as it cannot be known before.
const OPEN_FUNCTIONS: [&str; 5] = ["url", "resize_image", "now", "get_random", "get_env"];

/// The hash of the card template's `family` (names and texts, from
/// [`Theme::template_family`]), or `None` when one of them may call one of
/// [`OPEN_FUNCTIONS`].
fn template_hash(family: &[(&str, &str)]) -> Option<blake3::Hash> {
    if family.iter().any(|(_, text)| calls_open_function(text)) {
        return None;
    }
    let mut h = blake3::Hasher::new();
    for (name, text) in family {
        field(&mut h, name.as_bytes());
        field(&mut h, text.as_bytes());
    }
    Some(h.finalize())
}

/// Whether the Tera tags of `text` (`{{ … }}`, `{% … %}`) name one of
/// [`OPEN_FUNCTIONS`] followed by `(`. Cautious: a filter or a string of that
/// name counts too, which only costs the fast path.
fn calls_open_function(text: &str) -> bool {
    let mut rest = text;
    while let Some(open) = rest.find(['{']) {
        let after = &rest[open + 1..];
        let close = match after.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let (tag, next) = match after[1..].find(close) {
            Some(end) => (&after[1..1 + end], &after[1 + end..]),
            None => (&after[1..], ""),
        };
        if OPEN_FUNCTIONS.iter().any(|f| calls(tag, f)) {
            return true;
        }
        rest = next;
    }
    false
}

/// Whether `code` has the identifier `name` followed by `(`.
fn calls(code: &str, name: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(name).any(|(i, _)| {
        !code[..i].ends_with(ident) && code[i + name.len()..].trim_start().starts_with('(')
    })
}

/// One field of a hashed key: its length, then its bytes, so that no two
/// lists of fields hash the same bytes.
fn field(h: &mut blake3::Hasher, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// What a card is drawn from, all of it: with the template's hash, the
/// program's card renderer ([`CARD_VERSION`], which covers the layout and
/// the fonts built into the program) and PNG encoder settings, these make
/// the same PNG bytes.
struct Inputs<'a> {
    template: &'a blake3::Hash,
    title: &'a str,
    site_title: &'a str,
    guest: bool,
    /// Every author's name (all are in the names' row).
    names: &'a [&'a str],
    /// The hash of each shown author's avatar ([`Avatar::hash`]), `None`
    /// for initials.
    avatars: &'a [Option<blake3::Hash>],
}

/// The cache key of a card's PNG, from its [`Inputs`]: known without laying
/// out the title or rendering the template, so a warm build does neither.
fn input_key(inputs: &Inputs<'_>) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    for part in [
        "byline-card-inputs",
        CARD_VERSION,
        card::PNG_SETTINGS,
        env!("CARGO_PKG_VERSION"),
    ] {
        field(&mut h, part.as_bytes());
    }
    field(&mut h, inputs.template.as_bytes());
    field(&mut h, inputs.title.as_bytes());
    field(&mut h, inputs.site_title.as_bytes());
    field(&mut h, if inputs.guest { b"guest" } else { b"staff" });
    field(&mut h, &(inputs.names.len() as u64).to_le_bytes());
    for name in inputs.names {
        field(&mut h, name.as_bytes());
    }
    field(&mut h, &(inputs.avatars.len() as u64).to_le_bytes());
    for a in inputs.avatars {
        field(&mut h, a.as_ref().map_or(&[][..], |a| a.as_bytes()));
    }
    h.finalize()
}

/// The cache entry of a card whose key is `key`.
fn entry_name(key: &blake3::Hash) -> String {
    format!("card-{}.png", &key.to_hex()[..32])
}

fn make(prep: &Prepared<'_>, shared: &Shared, post: &Post) -> Result<Card, Diagnostic> {
    let site = prep.site;
    let config = &site.config;
    let err = |m: String| {
        Diagnostic::error(format!("the social card of this post: {m}"))
            .in_file(&post.source)
            .hint("fix templates/social-card.svg (the card's template; see docs/images.md), or set [images] social_cards = \"off\"")
    };
    let pictures = shared
        .pictures
        .as_ref()
        .map_err(|e| err(format!("cannot open the site folder: {e}")))?;
    let authors: Vec<(&String, &Author)> = post
        .authors
        .iter()
        .filter_map(|a| site.authors.get_key_value(a))
        .collect();
    let names: Vec<&str> = authors.iter().map(|(_, a)| a.name.as_str()).collect();
    let avatars: Vec<Arc<OnceLock<Option<Avatar>>>> = authors
        .iter()
        .take(MAX_AVATARS)
        .map(|(key, a)| shared.avatar(pictures, key, a))
        .collect();
    let avatar = |i: usize| avatars[i].get().and_then(Option::as_ref);
    let joined = join_names(&names);
    let svg = || {
        let shown: Vec<CardAuthor> = (0..avatars.len())
            .map(|i| CardAuthor {
                name: authors[i].1.name.clone(),
                initials: card::initials(&authors[i].1.name),
                avatar: avatar(i).map(|a| a.url.clone()),
            })
            .collect();
        render_svg(prep, post, &joined, shown)
    };
    let draw = |svg: &str| card::render_png(svg).map_err(|e| format!("social-card.svg: {e}"));
    let file = match &shared.template {
        Some(template) => {
            let avatar_hashes: Vec<Option<blake3::Hash>> = (0..avatars.len())
                .map(|i| avatar(i).map(|a| a.hash))
                .collect();
            let key = input_key(&Inputs {
                template,
                title: &post.title,
                site_title: &config.title,
                guest: post.guest,
                names: &names,
                avatars: &avatar_hashes,
            });
            crate::images::cached_file(&shared.cache, &entry_name(&key), || draw(&svg()?))
        }
        None => {
            let svg = svg().map_err(err)?;
            // The encoder settings are in the cache key but not in the
            // card's URL: the pixels are the same, the bytes are not.
            let key =
                blake3::hash(format!("{CARD_VERSION}\n{}\n{svg}", card::PNG_SETTINGS).as_bytes());
            crate::images::cached_file(&shared.cache, &entry_name(&key), || draw(&svg))
        }
    }
    .map_err(err)?;
    let dest = card_path(site, prep.theme, post);
    super::resize::publish_at(&shared.site_key, dest.trim_start_matches('/'), file);
    let alt = if joined.is_empty() {
        format!("{} · {}", post.title, config.title)
    } else {
        format!("{}, by {} · {}", post.title, joined, config.title)
    };
    Ok(Card {
        url: config.url(&dest),
        alt,
    })
}

/// The SVG of `post`'s card, from the card template; `names` are its
/// authors' names joined, `shown` the authors it shows avatars of.
fn render_svg(
    prep: &Prepared<'_>,
    post: &Post,
    names: &str,
    shown: Vec<CardAuthor>,
) -> Result<String, String> {
    let config = &prep.site.config;
    let author_line_x = 80 + 88 * shown.len() as u32 + if shown.is_empty() { 0 } else { 8 };
    let site_name = card::fit_line(&config.title, 30.0, 820.0);
    let author_line = card::fit_line(names, 32.0, 1120.0 - author_line_x as f32);
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
    prep.theme
        .tera
        .render(CARD_TEMPLATE, &ctx)
        .map_err(|e| format!("social-card.svg: {}", crate::diag::error_chain(&e)))
}

/// Where the card of `post` is published: named by what it shows (title,
/// authors, site title, guest or not) and the card template with the
/// templates it depends on, so a changed
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
    // The templates the card template includes, extends or imports draw the
    // card too. Hashed after the rest, so that a card template that uses
    // none keeps the URL it had before they were counted.
    for (name, text) in theme.template_family(CARD_TEMPLATE) {
        if name != CARD_TEMPLATE {
            for part in [name, text] {
                h.update(part.as_bytes());
                h.update(b"\0");
            }
        }
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

    #[test]
    fn the_input_key_changes_with_every_input_and_only_then() {
        let template = blake3::hash(b"template");
        let other_template = blake3::hash(b"other template");
        let avatar = Some(blake3::hash(b"avatar"));
        let other_avatar = Some(blake3::hash(b"other avatar"));
        let base = Inputs {
            template: &template,
            title: "A title",
            site_title: "A site",
            guest: true,
            names: &["Ada", "Bo"],
            avatars: &[avatar, None],
        };
        let key = input_key(&base);
        // The same inputs, the same key.
        assert_eq!(
            key,
            input_key(&Inputs {
                names: &["Ada".to_string().as_str(), "Bo"],
                ..base
            })
        );
        let changed = [
            Inputs {
                template: &other_template,
                ..base
            },
            Inputs {
                title: "Another title",
                ..base
            },
            Inputs {
                site_title: "Another site",
                ..base
            },
            Inputs {
                guest: false,
                ..base
            },
            Inputs {
                names: &["Ada", "Cy"],
                ..base
            },
            Inputs {
                names: &["Bo", "Ada"],
                ..base
            },
            // Fields do not run into each other.
            Inputs {
                names: &["AdaBo"],
                ..base
            },
            Inputs {
                title: "A titleA site",
                site_title: "",
                ..base
            },
            Inputs {
                avatars: &[other_avatar, None],
                ..base
            },
            Inputs {
                avatars: &[None, None],
                ..base
            },
            Inputs {
                avatars: &[None, avatar],
                ..base
            },
        ];
        let mut keys: Vec<blake3::Hash> = changed.iter().map(input_key).collect();
        keys.push(key);
        let n = keys.len();
        keys.sort_by_key(|k| *k.as_bytes());
        keys.dedup();
        assert_eq!(keys.len(), n, "two different inputs made one key");
        assert!(entry_name(&key).starts_with("card-") && entry_name(&key).len() == 41);
    }

    #[test]
    fn a_template_that_calls_an_open_function_is_not_keyed_by_its_text() {
        let plain = r##"<svg><image href="url(#a)"/>{{ card.title.lines | join(sep=" ") }}{% if card.guest %}g{% endif %}</svg>"##;
        assert!(!calls_open_function(plain));
        assert!(template_hash(&[("social-card.svg", plain)]).is_some());
        // The hash covers every template of the family, by name and text.
        assert_ne!(
            template_hash(&[("social-card.svg", plain)]),
            template_hash(&[("social-card.svg", plain), ("part.svg", "x")])
        );
        assert_ne!(
            template_hash(&[("social-card.svg", plain), ("part.svg", "x")]),
            template_hash(&[("social-card.svg", plain), ("part.svg", "y")])
        );
        for open in [
            r#"{{ url(path="/") }}"#,
            r#"{% set p = resize_image(path="a.jpg", width=9, height=9) %}"#,
            r#"{{ now ( ) }}"#,
            r#"{{ get_env(name="HOME") }}"#,
            r#"{{get_random(end=9)}}"#,
        ] {
            assert!(calls_open_function(open), "{open}");
            assert!(
                template_hash(&[("social-card.svg", plain), ("part.svg", open)]).is_none(),
                "{open}"
            );
        }
        // A name that only ends like one, or is not called, is not a call.
        assert!(!calls_open_function(
            "{{ card.site_url(x=1) }}{{ now }}{% set url = 1 %}"
        ));
    }
}
