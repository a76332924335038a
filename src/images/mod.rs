//! Pictures: every raster picture that content, a cover or an avatar shows is
//! published re-encoded (so no EXIF, GPS or XMP data a phone wrote leaves the
//! site), turned upright by its EXIF orientation, and resized into the widths
//! the config asks for, in its own format and in WebP, so pages can offer a
//! `srcset` and readers on phones do not fetch a 4 MB photo.
//!
//! The work is cached on disk under [`CACHE_SUBDIR`] of the site's cache
//! folder (`.byline-cache/` unless `[cache] dir` says otherwise), one file per output, named
//! by a hash of the input bytes and every parameter that shapes the output: a
//! rebuild with a warm cache decodes nothing. Entries are written to a
//! temporary file and renamed into place, so two builds at once (or a build
//! and `gen serve`) never see half a file, and an entry whose header does not
//! say the size it must have is made again.
//!
//! Decoding goes through `image` with limits (file size, megapixels, bytes
//! allocated), checked from the header before any pixel is decoded: a
//! decompression bomb is refused with a message, it does not take the build
//! down. Resizing is `fast_image_resize` (Lanczos3, alpha premultiplied;
//! the widest variant from the picture, the narrower ones from it). JPEG is
//! encoded by `jpeg-encoder`, PNG by `image`, WebP by libwebp (the `webp`
//! crate), whose lossy encoder is the reference one (`image`'s own WebP
//! encoder only writes lossless files, several times larger for photos).
//! A picture wider than every configured width is published no wider than
//! the widest: at its own path too, unless `keep_original` puts the original
//! file there.
//!
//! GIF (often animated) and SVG pictures are published as they are.

mod process;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Deserialize;

use crate::sitefs::SiteFs;

pub use process::{Crop, Format, Op, Pixels, geometry, widths};

/// The folder, in the site's cache folder (`[cache] dir`, `.byline-cache/`
/// by default, which `gen init`'s `.gitignore` lists), where processed
/// pictures are cached.
pub const CACHE_SUBDIR: &str = "images";

/// Where the pictures of the site at `root` are cached: [`CACHE_SUBDIR`] of
/// the cache folder `cache` names. With `--no-cache`, or a cache folder that
/// cannot be used (the highlight cache warns about it), pictures are still
/// made, in a folder of this process under the system's temporary folder that
/// [`remove_scratch`] removes (and the next such run, if this one is killed).
pub fn cache_dir(root: &Path, cache: &crate::markdown::highlight::cache::Settings) -> PathBuf {
    match crate::markdown::highlight::cache::folder(root, cache) {
        Ok(Some(dir)) => dir.join(CACHE_SUBDIR),
        _ => scratch().to_path_buf(),
    }
}

/// The prefix of [`scratch`] folders' names, before the process id.
pub(crate) const SCRATCH_PREFIX: &str = "byline-images-";

/// The process's own picture folder, when there is no cache to use. Made
/// the first time it is needed, after removing the folders that killed
/// processes left behind ([`remove_stale_scratch`]).
fn scratch() -> &'static Path {
    static SCRATCH: OnceLock<PathBuf> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let tmp = std::env::temp_dir();
        process::remove_stale_scratch(&tmp, SCRATCH_PREFIX, std::process::id());
        tmp.join(format!("{SCRATCH_PREFIX}{}", std::process::id()))
    })
}

/// Removes the folder pictures were made in when there was no cache to use
/// (see [`cache_dir`]), once the output is written.
pub fn remove_scratch() {
    let dir = scratch();
    if dir.exists() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// `[images]` in gen.toml, as written.
#[derive(Debug, Default, Deserialize)]
pub struct RawImages {
    pub widths: Option<Vec<u32>>,
    pub sizes: Option<String>,
    pub quality: Option<u8>,
    pub keep_original: Option<bool>,
    pub max_file_mb: Option<u64>,
    pub max_megapixels: Option<u64>,
    pub social_cards: Option<String>,
}

/// The keys of `[images]`, for the config's unknown-key warnings.
pub const KEYS: &[&str] = &[
    "widths",
    "sizes",
    "quality",
    "keep_original",
    "max_file_mb",
    "max_megapixels",
    "social_cards",
];

/// Which posts get a generated social card (`[images] social_cards`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SocialCards {
    /// Posts without a cover (`"uncovered"`, the default).
    #[default]
    Uncovered,
    /// Every post, its cover or not (`"all"`).
    All,
    /// None (`"off"`).
    Off,
}

/// How pictures are processed (`[images]`, resolved).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    /// The widths of the resized variants, ascending; a picture narrower than
    /// one is never enlarged to it.
    pub widths: Vec<u32>,
    /// The `sizes` attribute written with each `srcset`.
    pub sizes: String,
    /// JPEG and WebP quality, 1 to 100.
    pub quality: u8,
    /// Publish the original file (as it is, metadata included) at its own
    /// path instead of a re-encoded copy.
    pub keep_original: bool,
    /// Pictures larger than this (bytes) are refused.
    pub max_bytes: u64,
    /// Pictures with more pixels than this are refused.
    pub max_pixels: u64,
    /// Which posts get a social card.
    pub social_cards: SocialCards,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            widths: vec![480, 800, 1200, 1600],
            sizes: "(max-width: 46rem) 100vw, 46rem".into(),
            quality: 80,
            keep_original: false,
            max_bytes: 20 * 1_000_000,
            max_pixels: 40 * 1_000_000,
            social_cards: SocialCards::Uncovered,
        }
    }
}

impl RawImages {
    /// The settings, with defaults for what is not written. A value out of
    /// range goes to `err` (key, message, hint) and its default is used.
    pub fn resolve(self, err: &mut dyn FnMut(&str, String, &str)) -> Settings {
        let d = Settings::default();
        let mut widths = match self.widths {
            Some(w) if w.is_empty() || w.iter().any(|&x| x == 0 || x > 10_000) => {
                err(
                    "images.widths",
                    format!("[images] widths must be between 1 and 10000 pixels, got {w:?}"),
                    "write the widths the theme shows pictures at, e.g. widths = [480, 800, 1200, 1600]",
                );
                d.widths.clone()
            }
            Some(w) => w,
            None => d.widths.clone(),
        };
        widths.sort_unstable();
        widths.dedup();
        let quality = match self.quality {
            Some(q) if !(1..=100).contains(&q) => {
                err(
                    "images.quality",
                    format!("[images] quality must be between 1 and 100, got {q}"),
                    "80 is a good balance of size and quality for photos",
                );
                d.quality
            }
            Some(q) => q,
            None => d.quality,
        };
        let social_cards = match self.social_cards.as_deref() {
            None | Some("uncovered") => SocialCards::Uncovered,
            Some("all") => SocialCards::All,
            Some("off") => SocialCards::Off,
            Some(other) => {
                err(
                    "images.social_cards",
                    format!(
                        "[images] social_cards must be \"uncovered\", \"all\" or \"off\", got \"{other}\""
                    ),
                    "\"uncovered\" gives a card to posts without a cover, \"all\" to every post, \"off\" to none",
                );
                SocialCards::Uncovered
            }
        };
        Settings {
            social_cards,
            widths,
            sizes: self.sizes.unwrap_or(d.sizes),
            quality,
            keep_original: self.keep_original.unwrap_or(false),
            max_bytes: self
                .max_file_mb
                .map_or(d.max_bytes, |m| m.saturating_mul(1_000_000)),
            max_pixels: self
                .max_megapixels
                .map_or(d.max_pixels, |m| m.saturating_mul(1_000_000)),
        }
    }
}

/// One published file of a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Its URL path (`/processed_images/…`, or the picture's own path).
    pub path: String,
    pub format: Format,
}

/// A processed picture: the size of the file at its own path, and every file
/// it publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Width and height of the file at `path`, upright: the picture's own,
    /// capped at the largest of `[images] widths` (the original's with
    /// `keep_original`).
    pub width: u32,
    pub height: u32,
    /// The URL path the picture is published at (the fallback `src`).
    pub path: String,
    /// The original format's variants, narrowest first; the last is the one
    /// at `path`.
    pub variants: Vec<Variant>,
    /// The WebP variants, narrowest first.
    pub webp: Vec<Variant>,
    /// Output files (relative output path, cached file under the site root)
    /// to publish. The file at `path` is among them unless `keep_original`
    /// publishes the original itself there.
    pub files: Vec<(String, PathBuf)>,
}

impl Picture {
    /// The `srcset` of a list of variants, with `url` making each path a URL.
    pub fn srcset(variants: &[Variant], url: &dyn Fn(&str) -> String) -> String {
        variants
            .iter()
            .map(|v| format!("{} {}w", url(&v.path), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A picture `resize_image` made: what templates get (with `url` added).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resized {
    /// Its URL path (`/processed_images/…`).
    pub path: String,
    /// Its width and height.
    pub width: u32,
    pub height: u32,
    /// The width and height of the picture it was made from, upright.
    pub orig_width: u32,
    pub orig_height: u32,
    /// The format it is encoded in.
    pub format: Format,
    /// The cached file it is published from.
    #[serde(skip)]
    pub cache: PathBuf,
}

/// Whether a file is a picture this module resizes (by its name).
pub fn is_raster(path: &Path) -> bool {
    Format::from_path(path).is_some()
}

type Slot = Arc<OnceLock<Result<Arc<Picture>, String>>>;
type ResizeKey = (PathBuf, Op, (u32, u32), Option<Format>);
type ResizeSlot = Arc<OnceLock<Result<Arc<Resized>, String>>>;

/// The pictures of one build: each processed once (in parallel across
/// pictures, never twice for one), through the disk cache.
pub struct Pictures {
    gate: SiteFs,
    settings: Settings,
    /// The folder the processed pictures are cached in.
    cache: PathBuf,
    memo: Mutex<HashMap<(PathBuf, String), Slot>>,
    resized: Mutex<HashMap<ResizeKey, ResizeSlot>>,
}

impl Pictures {
    /// The pictures of the site whose gate is `gate`, cached in `cache` (see
    /// [`cache_dir`]).
    pub fn new(gate: SiteFs, settings: Settings, cache: PathBuf) -> Self {
        Pictures {
            gate,
            settings,
            cache,
            memo: Mutex::new(HashMap::new()),
            resized: Mutex::new(HashMap::new()),
        }
    }

    /// The gate the pictures are read through.
    pub fn gate(&self) -> &SiteFs {
        &self.gate
    }

    /// `source` (relative to the site root) made `size` (width, height) by
    /// `op`, in `format` (its own when `None`), once per build for the same
    /// arguments and through the disk cache. `Err` is the message for the
    /// user, as for [`Pictures::picture`].
    pub fn resize(
        &self,
        source: &Path,
        op: Op,
        size: (u32, u32),
        format: Option<Format>,
    ) -> Result<Arc<Resized>, String> {
        let slot = {
            let mut memo = self.resized.lock().unwrap_or_else(|e| e.into_inner());
            memo.entry((source.to_path_buf(), op, size, format))
                .or_default()
                .clone()
        };
        slot.get_or_init(|| {
            process::resized(
                &self.gate,
                &self.settings,
                &self.cache,
                source,
                op,
                size,
                format,
            )
            .map(Arc::new)
        })
        .clone()
    }

    /// The settings pictures are made with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The processed picture of `source` (relative to the site root), which
    /// the output serves at `path`. `Err` is the message for the user: the
    /// file is over a limit, or cannot be decoded, or the cache cannot be
    /// written.
    pub fn picture(&self, source: &Path, path: &str) -> Result<Arc<Picture>, String> {
        let slot = {
            let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            memo.entry((source.to_path_buf(), path.to_string()))
                .or_default()
                .clone()
        };
        slot.get_or_init(|| {
            process::picture(&self.gate, &self.settings, &self.cache, source, path).map(Arc::new)
        })
        .clone()
    }

    /// The files `source` (served at `path`) publishes, as
    /// [`Pictures::picture`] makes them, from its header alone (for the list
    /// of output paths, before anything is made).
    pub fn outputs(&self, source: &Path, path: &str) -> Result<Vec<(String, PathBuf)>, String> {
        process::outputs(&self.gate, &self.settings, &self.cache, source, path)
    }

    /// Every file the pictures processed so far publish, by output path.
    pub fn files(&self) -> Vec<(String, PathBuf)> {
        let memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<(String, PathBuf)> = memo
            .values()
            .filter_map(|s| s.get().and_then(|r| r.as_ref().ok()))
            .flat_map(|p| p.files.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// The file `name` in the cache folder `cache`, made by `make` when it is
/// missing or not a whole PNG (written whole or not at all, like every entry).
pub fn cached_file(
    cache: &Path,
    name: &str,
    make: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<PathBuf, String> {
    process::cached_file(cache, name, make)
}

/// The bytes of a file of the cache, if it can be read.
pub fn read_cached(path: &Path) -> Option<Vec<u8>> {
    process::read_cached(path)
}

/// The hint of an error about a picture.
pub const HINT: &str = "use a JPEG, PNG or WebP file that opens in an image viewer, within [images] max_file_mb and max_megapixels (see docs/images.md)";
