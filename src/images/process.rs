//! Processing one picture: the limits, the plan of variants, the cache, and
//! the decode → orient → resize → encode work for the entries the cache lacks.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use fast_image_resize as fr;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageFormat, ImageReader,
};
use rayon::prelude::*;

use super::{Picture, Resized, Settings, Variant};
use crate::sitefs::SiteFs;

/// Changes when the bytes an entry holds would change for the same inputs
/// (a new way of resizing), so old entries are not reused.
const CACHE_VERSION: &str = "byline-images-2";

/// The encoders and their settings, part of every entry's cache key (not of
/// its URL): a cache an older version filled is never served as these
/// settings' bytes. JPEG: `jpeg-encoder`, baseline, chroma not subsampled
/// (4:4:4, as `image`'s encoder wrote before), the standard tables scaled by
/// `quality`. WebP: libwebp lossy at `quality`, method 2 ([`WEBP_METHOD`]).
pub const ENCODER_SETTINGS: &str = "jpeg-encoder 0.6 baseline 4:4:4; libwebp lossy m2";

/// libwebp's effort, 0 (fastest) to 6; its default is 4. Method 2 skips the
/// rate-distortion search of 3 and 4: on photos it encodes 2.1 to 2.4 times
/// faster for files 3 to 7 % larger and up to 0.25 dB lower in PSNR
/// (docs/images.md, "Speed"), which keeps a cold build of a phone photo's
/// eight variants within its budget.
const WEBP_METHOD: i32 = 2;

/// The largest side libwebp encodes.
const WEBP_MAX_SIDE: u32 = 16_383;

/// A format pictures are published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// The format a file name says (`.jpg`, `.jpeg`, `.png`, `.webp`).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    /// The file extension written for it.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// The MIME type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::Webp => ImageFormat::WebP,
        }
    }
}

/// One output the plan asks for.
struct Planned {
    variant: Variant,
    /// Its file in the cache folder.
    cache: PathBuf,
    /// Whether it is published from the cache (not the kept original).
    publish: bool,
}

/// What a picture's header and bytes say, before any pixel is decoded.
#[derive(Debug, Clone)]
struct Probe {
    format: Format,
    /// The hash of its bytes, hex.
    key: String,
    orientation: Orientation,
    /// Width and height once upright.
    width: u32,
    height: u32,
}

/// Probes made in this process, by real path, length and modification time:
/// `gen serve` lists a picture's files on every rebuild without reading it
/// again.
type ProbeMemo =
    std::sync::Mutex<std::collections::HashMap<(PathBuf, u64, std::time::SystemTime), Probe>>;

fn probe_memo() -> &'static ProbeMemo {
    static MEMO: std::sync::OnceLock<ProbeMemo> = std::sync::OnceLock::new();
    MEMO.get_or_init(Default::default)
}

/// Checks the limits and reads the header of `source`; the bytes too, when
/// the probe is not known (or `want_bytes`).
fn probe(
    gate: &SiteFs,
    settings: &Settings,
    source: &Path,
    want_bytes: bool,
) -> Result<(Probe, Option<Vec<u8>>), String> {
    let shown = source.display();
    let format = Format::from_path(source)
        .ok_or_else(|| format!("{shown} is not a JPEG, PNG or WebP picture"))?;
    let real = match gate.resolve(source) {
        Ok(Some(real)) => real,
        Ok(None) => return Err(format!("picture {shown} not found")),
        Err(e) => return Err(e),
    };
    let meta = std::fs::metadata(&real).map_err(|e| format!("cannot read picture {shown}: {e}"))?;
    let len = meta.len();
    if len > settings.max_bytes {
        return Err(format!(
            "picture {shown} is {:.1} MB, over the limit of {} MB",
            len as f64 / 1e6,
            settings.max_bytes / 1_000_000
        ));
    }
    let memo_key = meta.modified().ok().map(|t| (real, len, t));
    if !want_bytes
        && let Some(k) = &memo_key
        && let Some(p) = probe_memo()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(k)
    {
        check_pixels(settings, &shown.to_string(), p.width, p.height)?;
        return Ok((p.clone(), None));
    }
    let bytes = gate
        .read_bytes(source)
        .map_err(|e| format!("cannot read picture {shown}: {e}"))?;
    let (probe, _) = header(settings, &shown.to_string(), format, &bytes)?;
    if let Some(k) = memo_key {
        probe_memo()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(k, probe.clone());
    }
    Ok((probe, Some(bytes)))
}

/// The probe of `bytes` and their decoder, limits set.
fn header<'b>(
    settings: &Settings,
    shown: &str,
    format: Format,
    bytes: &'b [u8],
) -> Result<(Probe, impl ImageDecoder + 'b), String> {
    let decode_error = |e: image::ImageError| format!("cannot decode picture {shown}: {e}");
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read picture {shown}: {e}"))?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(format!(
            "cannot decode picture {shown}: it is not a JPEG, PNG or WebP file"
        ));
    }
    reader.limits(limits(settings));
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (w, h) = decoder.dimensions();
    check_pixels(settings, shown, w, h)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = upright(orientation, w, h);
    let probe = Probe {
        format,
        key: blake3::hash(bytes).to_hex().to_string(),
        orientation,
        width,
        height,
    };
    Ok((probe, decoder))
}

/// The files `source` (served at `path`) publishes, without making them:
/// output path and cached file, as [`picture`] makes them.
pub(super) fn outputs(
    gate: &SiteFs,
    settings: &Settings,
    cache: &Path,
    source: &Path,
    path: &str,
) -> Result<Vec<(String, PathBuf)>, String> {
    let (p, _) = probe(gate, settings, source, false)?;
    Ok(files(&plan(settings, cache, source, path, &p)))
}

fn files(plan: &[Planned]) -> Vec<(String, PathBuf)> {
    plan.iter()
        .filter(|p| p.publish)
        .map(|p| {
            (
                p.variant.path.trim_start_matches('/').to_string(),
                p.cache.clone(),
            )
        })
        .collect()
}

/// Processes `source` (served at `path`): see [`super::Pictures::picture`].
pub(super) fn picture(
    gate: &SiteFs,
    settings: &Settings,
    cache: &Path,
    source: &Path,
    path: &str,
) -> Result<Picture, String> {
    let shown = source.display().to_string();
    let (probe, _) = probe(gate, settings, source, false)?;
    let format = probe.format;
    let plan = plan(settings, cache, source, path, &probe);
    let missing: Vec<&Planned> = plan.iter().filter(|p| p.publish && !cached(p)).collect();
    if !missing.is_empty() {
        let (probe, bytes) = self::probe(gate, settings, source, true)?;
        let bytes = bytes.unwrap_or_default();
        let (_, decoder) = header(settings, &shown, format, &bytes)?;
        let mut img = DynamicImage::from_decoder(decoder)
            .map_err(|e| format!("cannot decode picture {shown}: {e}"))?;
        img.apply_orientation(probe.orientation);
        let src = Pixels::of(img);
        prepare_cache_dir(cache)?;
        // The sizes to make, each resized once and encoded in every format
        // it lacks.
        let mut sizes: Vec<(u32, u32)> = missing
            .iter()
            .map(|p| (p.variant.width, p.variant.height))
            .collect();
        sizes.sort_unstable();
        sizes.dedup();
        // Every size below the picture's own is resized from the widest of
        // them (itself resized from the picture), not from the picture: a
        // 1600-pixel-wide copy of a 12-megapixel photo has a sixth of its
        // pixels, and Lanczos3 from it is 48 dB or more (PSNR) from Lanczos3
        // from the full picture, a difference no eye sees (docs/images.md,
        // "Speed"). It is made whenever a smaller size is, so an entry's bytes
        // do not depend on which others the cache held.
        let base = match plan
            .iter()
            .map(|p| (p.variant.width, p.variant.height))
            .filter(|&(w, _)| w < src.width)
            .max()
        {
            Some((w, h)) if sizes.iter().any(|&s| s != src.size()) => {
                Some(src.resized(w, h, None)?)
            }
            _ => None,
        };
        sizes.par_iter().try_for_each(|&size| {
            let resized;
            let pixels = match &base {
                _ if size == src.size() => &src,
                Some(b) if size == b.size() => b,
                Some(b) => {
                    resized = b.resized(size.0, size.1, None)?;
                    &resized
                }
                None => {
                    resized = src.resized(size.0, size.1, None)?;
                    &resized
                }
            };
            missing
                .par_iter()
                .filter(|p| (p.variant.width, p.variant.height) == size)
                .try_for_each(|p| {
                    let bytes = pixels.encode_as(p.variant.format, settings.quality)?;
                    write_atomic(&p.cache, &bytes)
                })
        })?;
    }
    let files = files(&plan);
    let (mut variants, mut webp) = (Vec::new(), Vec::new());
    for p in plan {
        match p.variant.format {
            f if f == format => variants.push(p.variant.clone()),
            _ => webp.push(p.variant),
        }
    }
    if format == Format::Webp {
        webp = variants.clone();
    }
    // `<img>` says the size of the file at its `src`: the picture's own path.
    let (width, height) = variants
        .iter()
        .find(|v| v.path == path)
        .map_or((probe.width, probe.height), |v| (v.width, v.height));
    Ok(Picture {
        width,
        height,
        path: path.to_string(),
        variants,
        webp,
        files,
    })
}

/// How `resize_image` fits a picture into the width and height asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Within the box, the aspect ratio kept, never enlarged.
    Fit,
    /// The box filled exactly: the picture scaled to cover it and cropped to
    /// its centre.
    Fill,
    /// Exactly the box, the aspect ratio not kept.
    Scale,
}

impl Op {
    /// The operation a template names (`"fit"`, `"fill"`, `"scale"`).
    pub fn parse(name: &str) -> Option<Op> {
        match name {
            "fit" => Some(Op::Fit),
            "fill" => Some(Op::Fill),
            "scale" => Some(Op::Scale),
            _ => None,
        }
    }

    /// Its name, as templates write it.
    pub fn name(self) -> &'static str {
        match self {
            Op::Fit => "fit",
            Op::Fill => "fill",
            Op::Scale => "scale",
        }
    }
}

/// A crop of a picture: left, top, width and height, in its pixels.
pub type Crop = (f64, f64, f64, f64);

/// The size `op` makes of a `ow`×`oh` picture asked to be `w`×`h`, and the
/// part of the picture it shows (all of it when `None`).
pub fn geometry(op: Op, ow: u32, oh: u32, w: u32, h: u32) -> ((u32, u32), Option<Crop>) {
    let (owf, ohf, wf, hf) = (f64::from(ow), f64::from(oh), f64::from(w), f64::from(h));
    match op {
        Op::Scale => ((w, h), None),
        Op::Fit => {
            let s = (wf / owf).min(hf / ohf).min(1.0);
            let side = |x: f64| ((x * s).round() as u32).max(1);
            ((side(owf), side(ohf)), None)
        }
        Op::Fill => {
            let target = wf / hf;
            let crop = if owf / ohf > target {
                let cw = ohf * target;
                ((owf - cw) / 2.0, 0.0, cw, ohf)
            } else {
                let ch = owf / target;
                (0.0, (ohf - ch) / 2.0, owf, ch)
            };
            ((w, h), Some(crop))
        }
    }
}

/// The file name stem processed pictures of `source` are published under:
/// its own, lowercase, in ASCII letters, digits and `-`.
fn stem(source: &Path) -> String {
    source
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Makes (or finds in the cache) what `resize_image` asks of `source`: see
/// [`super::Pictures::resize`].
pub(super) fn resized(
    gate: &SiteFs,
    settings: &Settings,
    cache: &Path,
    source: &Path,
    op: Op,
    (w, h): (u32, u32),
    format: Option<Format>,
) -> Result<Resized, String> {
    let shown = source.display().to_string();
    let (probe, _) = probe(gate, settings, source, false)?;
    let format = format.unwrap_or(probe.format);
    let ((width, height), crop) = geometry(op, probe.width, probe.height, w, h);
    let params = format!(
        "{CACHE_VERSION}:{}:{}:{w}x{h}:{width}x{height}:{}:{}:{ENCODER_SETTINGS}",
        probe.key,
        op.name(),
        format.ext(),
        settings.quality
    );
    let name = blake3::hash(params.as_bytes()).to_hex();
    let path =
        crate::routes::resized_image_path(&stem(source), &name[..16], width, height, format.ext());
    let planned = Planned {
        variant: Variant {
            width,
            height,
            path,
            format,
        },
        cache: cache.join(format!("{}.{}", &name[..32], format.ext())),
        publish: true,
    };
    if !cached(&planned) {
        let (probe, bytes) = self::probe(gate, settings, source, true)?;
        let bytes = bytes.unwrap_or_default();
        let (_, decoder) = header(settings, &shown, probe.format, &bytes)?;
        let mut img = DynamicImage::from_decoder(decoder)
            .map_err(|e| format!("cannot decode picture {shown}: {e}"))?;
        img.apply_orientation(probe.orientation);
        let out = Pixels::of(img).encode_part(crop, width, height, format, settings.quality)?;
        prepare_cache_dir(cache)?;
        write_atomic(&planned.cache, &out)?;
    }
    Ok(Resized {
        path: planned.variant.path,
        width,
        height,
        orig_width: probe.width,
        orig_height: probe.height,
        format,
        cache: planned.cache,
    })
}

/// The decoder's limits: no more pixels than the config allows, and no more
/// memory than that many pixels take (a decompression bomb stops here even
/// when its header lies).
fn limits(settings: &Settings) -> image::Limits {
    let mut limits = image::Limits::default();
    let side = u32::try_from(settings.max_pixels).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(settings.max_pixels.saturating_mul(8).max(64 << 20));
    limits
}

/// Refuses a picture with more pixels than `settings` allow.
fn check_pixels(settings: &Settings, shown: &str, w: u32, h: u32) -> Result<(), String> {
    let pixels = u64::from(w) * u64::from(h);
    if pixels > settings.max_pixels {
        return Err(format!(
            "picture {shown} is {w}×{h} pixels ({:.1} megapixels), over the limit of {} megapixels",
            pixels as f64 / 1e6,
            settings.max_pixels / 1_000_000
        ));
    }
    Ok(())
}

/// Width and height once `orientation` is applied.
fn upright(orientation: Orientation, w: u32, h: u32) -> (u32, u32) {
    use Orientation::*;
    match orientation {
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH => (h, w),
        _ => (w, h),
    }
}

/// The widths a picture `ow` pixels wide is published at, narrowest first:
/// the configured ones below it, and its own, capped at the largest
/// configured width (no reader's layout needs more, and a picture is never
/// enlarged). The last one is what its own path serves.
pub fn widths(settings: &Settings, ow: u32) -> Vec<u32> {
    let top = settings
        .widths
        .iter()
        .copied()
        .max()
        .map_or(ow, |m| m.min(ow));
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&x| x < top)
        .collect();
    widths.push(top);
    widths
}

/// Every output of a picture: each of [`widths`] in its format and in WebP.
/// The widest one in its own format is published at the picture's own path,
/// unless `keep_original` puts the original file (full size, metadata and
/// all) there: then that one is a variant of its own, at its full width.
fn plan(
    settings: &Settings,
    cache: &Path,
    source: &Path,
    path: &str,
    probe: &Probe,
) -> Vec<Planned> {
    let (format, key, ow, oh) = (probe.format, &probe.key, probe.width, probe.height);
    let stem = stem(source);
    let mut formats = vec![format];
    if format != Format::Webp {
        formats.push(Format::Webp);
    }
    let widths = widths(settings, ow);
    let top = widths.last().copied().unwrap_or(ow);
    let mut out = Vec::new();
    for fmt in formats {
        let mut sizes = widths.clone();
        if fmt == format && settings.keep_original && top < ow {
            sizes.push(ow);
        }
        for width in sizes {
            let height = ((u64::from(oh) * u64::from(width) + u64::from(ow) / 2) / u64::from(ow))
                .max(1) as u32;
            // The widest in its own format is at its own path: the original
            // itself with keep_original, else the widest variant.
            let own = fmt == format
                && if settings.keep_original {
                    width == ow
                } else {
                    width == top
                };
            let params = format!(
                "{CACHE_VERSION}:{key}:{width}x{height}:{}:{}:{ENCODER_SETTINGS}",
                fmt.ext(),
                settings.quality
            );
            let name = blake3::hash(params.as_bytes()).to_hex();
            let path = if own {
                path.to_string()
            } else {
                crate::routes::processed_image_path(&stem, &key[..16], width, fmt.ext())
            };
            out.push(Planned {
                variant: Variant {
                    width,
                    height,
                    path,
                    format: fmt,
                },
                cache: cache.join(format!("{}.{}", &name[..32], fmt.ext())),
                publish: !(own && settings.keep_original),
            });
        }
    }
    out
}

/// Whether the cache holds the entry whole: its header says the size it must
/// have, and its end is where the format ends (a truncated file is not).
fn cached(p: &Planned) -> bool {
    let Ok(bytes) = std::fs::read(&p.cache) else {
        return false;
    };
    let v = &p.variant;
    let whole = match v.format {
        Format::Jpeg => bytes.ends_with(&[0xFF, 0xD9]),
        Format::Png => bytes.ends_with(PNG_END),
        Format::Webp => {
            bytes.len() >= 12
                && &bytes[..4] == b"RIFF"
                && u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize + 8
                    == bytes.len()
        }
    };
    whole
        && ImageReader::with_format(Cursor::new(&bytes[..]), v.format.image_format())
            .into_dimensions()
            .is_ok_and(|d| d == (v.width, v.height))
}

/// Makes the cache folder (its place was checked by [`super::cache_dir`]).
fn prepare_cache_dir(cache: &Path) -> Result<(), String> {
    std::fs::create_dir_all(cache)
        .map_err(|e| format!("cannot create the picture cache {}: {e}", cache.display()))
}

/// See [`super::cached_file`].
pub(super) fn cached_file(
    cache: &Path,
    name: &str,
    make: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<PathBuf, String> {
    let path = cache.join(name);
    if whole_png(&path) {
        return Ok(path);
    }
    let bytes = make()?;
    prepare_cache_dir(cache)?;
    write_atomic(&path, &bytes)?;
    Ok(path)
}

/// Whether the file at `path` starts and ends as a PNG file does: its
/// signature and its IEND chunk. Reads those bytes only, not the file (a
/// warm build checks every card it publishes).
fn whole_png(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = [0u8; 4];
    let mut tail = [0u8; PNG_END.len()];
    file.read_exact(&mut head).is_ok()
        && head == *b"\x89PNG"
        && file.seek(SeekFrom::End(-(PNG_END.len() as i64))).is_ok()
        && file.read_exact(&mut tail).is_ok()
        && tail == PNG_END
}

/// See [`super::read_cached`].
pub(super) fn read_cached(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// The last bytes of every PNG file (its IEND chunk).
const PNG_END: &[u8] = &[0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

/// Writes `bytes` to `dest` through a temporary file renamed into place, so
/// a reader (another build) sees the whole entry or none.
fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<(), String> {
    static N: AtomicU64 = AtomicU64::new(0);
    let name = dest.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dest.with_file_name(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, dest));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| format!("cannot write the picture cache {}: {e}", dest.display()))
}

/// A decoded, upright picture as 8-bit RGB or RGBA.
pub struct Pixels {
    width: u32,
    height: u32,
    alpha: bool,
    data: Vec<u8>,
}

impl Pixels {
    /// The pixels of a decoded picture.
    pub fn of(img: DynamicImage) -> Pixels {
        let (width, height) = (img.width(), img.height());
        let alpha = img.color().has_alpha();
        let data = if alpha {
            img.into_rgba8().into_raw()
        } else {
            img.into_rgb8().into_raw()
        };
        Pixels {
            width,
            height,
            alpha,
            data,
        }
    }

    /// Decodes `bytes` (upright), for benchmarks and tests.
    pub fn decode(bytes: &[u8]) -> Result<Pixels, String> {
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())?;
        let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
        img.apply_orientation(orientation);
        Ok(Pixels::of(img))
    }

    /// Width and height.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The pixels, row by row: RGB, or RGBA when the picture has alpha.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Resized to `width`×`height` (Lanczos3) and encoded as `format`.
    pub fn encode(
        &self,
        width: u32,
        height: u32,
        format: Format,
        quality: u8,
    ) -> Result<Vec<u8>, String> {
        self.encode_part(None, width, height, format, quality)
    }

    /// The part `crop` of the picture (all of it when `None`), resized to
    /// `width`×`height` (Lanczos3) and encoded as `format`.
    pub fn encode_part(
        &self,
        crop: Option<Crop>,
        width: u32,
        height: u32,
        format: Format,
        quality: u8,
    ) -> Result<Vec<u8>, String> {
        if crop.is_none() && (width, height) == (self.width, self.height) {
            return self.encode_as(format, quality);
        }
        self.resized(width, height, crop)?
            .encode_as(format, quality)
    }

    /// The part `crop` of the picture (all of it when `None`) resized to
    /// `width`×`height` (Lanczos3).
    pub fn resized(&self, width: u32, height: u32, crop: Option<Crop>) -> Result<Pixels, String> {
        Ok(Pixels {
            width,
            height,
            alpha: self.alpha,
            data: self.resize(width, height, crop)?,
        })
    }

    /// The picture as it is, encoded as `format` at `quality` (JPEG and WebP).
    pub fn encode_as(&self, format: Format, quality: u8) -> Result<Vec<u8>, String> {
        let (width, height, data) = (self.width, self.height, &self.data[..]);
        let channels = if self.alpha { 4 } else { 3 };
        let mut out = Vec::new();
        let err = |e: image::ImageError| format!("cannot encode a {width}×{height} picture: {e}");
        match format {
            Format::Jpeg => {
                // jpeg-encoder rather than `image`'s encoder: about twice as
                // fast (AVX2 where the CPU has it, found at run time) for the
                // same PSNR and files within 2 % of the size (docs/images.md,
                // "Speed"). Its optimized Huffman tables are left off: a file
                // written with them (4:2:0, a noisy picture) did not decode
                // right with `image`'s decoder in the comparison.
                let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
                    return Err(format!(
                        "cannot encode a {width}×{height} picture as JPEG: its sides may be at most 65535 pixels"
                    ));
                };
                // JPEG has no alpha: what is transparent shows as it is
                // stored (the encoder reads R, G and B of RGBA pixels).
                let color = if self.alpha {
                    jpeg_encoder::ColorType::Rgba
                } else {
                    jpeg_encoder::ColorType::Rgb
                };
                let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
                encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
                encoder.encode(data, w, h, color).map_err(|e| {
                    format!("cannot encode a {width}×{height} picture as JPEG: {e}")
                })?;
            }
            Format::Png => {
                let color = if self.alpha {
                    ExtendedColorType::Rgba8
                } else {
                    ExtendedColorType::Rgb8
                };
                PngEncoder::new_with_quality(
                    &mut out,
                    CompressionType::Default,
                    PngFilter::Adaptive,
                )
                .write_image(data, width, height, color)
                .map_err(err)?;
            }
            Format::Webp => {
                if width > WEBP_MAX_SIDE || height > WEBP_MAX_SIDE {
                    return Err(format!(
                        "cannot encode a {width}×{height} picture as WebP: its sides may be at most {WEBP_MAX_SIDE} pixels"
                    ));
                }
                let encoder = if channels == 4 {
                    webp::Encoder::from_rgba(data, width, height)
                } else {
                    webp::Encoder::from_rgb(data, width, height)
                };
                let mut config = webp::WebPConfig::new().map_err(|()| {
                    format!("cannot encode a {width}×{height} picture as WebP: libwebp's settings")
                })?;
                config.quality = f32::from(quality);
                config.method = WEBP_METHOD;
                config.alpha_compression = 1;
                let mem = encoder.encode_advanced(&config).map_err(|e| {
                    format!("cannot encode a {width}×{height} picture as WebP: {e:?}")
                })?;
                out = mem.to_vec();
            }
        }
        Ok(out)
    }

    fn resize(&self, width: u32, height: u32, crop: Option<Crop>) -> Result<Vec<u8>, String> {
        let pixel = if self.alpha {
            fr::PixelType::U8x4
        } else {
            fr::PixelType::U8x3
        };
        let src = fr::images::ImageRef::new(self.width, self.height, &self.data, pixel)
            .map_err(|e| format!("cannot resize: {e}"))?;
        let mut dst = fr::images::Image::new(width, height, pixel);
        let options = fr::ResizeOptions::new()
            .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
        let options = match crop {
            Some((left, top, w, h)) => options.crop(left, top, w, h),
            None => options,
        };
        fr::Resizer::new()
            .resize(&src, &mut dst, &options)
            .map_err(|e| format!("cannot resize: {e}"))?;
        Ok(dst.into_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_enlarge() {
        let s = Settings::default();
        assert_eq!(widths(&s, 1000), [480, 800, 1000]);
        assert_eq!(widths(&s, 480), [480]);
        assert_eq!(widths(&s, 8), [8]);
        // Wider than every configured width: capped at the widest.
        assert_eq!(widths(&s, 4000), [480, 800, 1200, 1600]);
        assert_eq!(widths(&s, 1600), [480, 800, 1200, 1600]);
        let one = Settings {
            widths: vec![300],
            ..Settings::default()
        };
        assert_eq!(widths(&one, 1000), [300]);
    }

    fn probe_of(width: u32, height: u32) -> Probe {
        Probe {
            format: Format::Jpeg,
            key: "0123456789abcdef0123456789abcdef".into(),
            orientation: Orientation::NoTransforms,
            width,
            height,
        }
    }

    /// (width, height, path, format, published) of each planned output.
    fn planned(settings: &Settings, w: u32, h: u32) -> Vec<(u32, u32, String, Format, bool)> {
        let cache = Path::new("cache");
        plan(
            settings,
            cache,
            Path::new("photo.jpg"),
            "/photo.jpg",
            &probe_of(w, h),
        )
        .into_iter()
        .map(|p| {
            let v = p.variant;
            (v.width, v.height, v.path, v.format, p.publish)
        })
        .collect()
    }

    #[test]
    fn a_picture_wider_than_every_width_is_published_at_the_widest() {
        let s = Settings::default();
        let plan = planned(&s, 4000, 3000);
        // Four widths in JPEG and WebP, nothing wider than 1600.
        assert_eq!(plan.len(), 8);
        assert!(plan.iter().all(|p| p.0 <= 1600 && p.4));
        // Its own path serves the 1600-pixel JPEG.
        let own: Vec<_> = plan.iter().filter(|p| p.2 == "/photo.jpg").collect();
        assert_eq!(
            own,
            [&(1600, 1200, "/photo.jpg".into(), Format::Jpeg, true)]
        );

        // With keep_original the original is at its own path (not made),
        // and the 1600-pixel JPEG among the processed files.
        let keep = Settings {
            keep_original: true,
            ..Settings::default()
        };
        let plan = planned(&keep, 4000, 3000);
        let own: Vec<_> = plan.iter().filter(|p| p.2 == "/photo.jpg").collect();
        assert_eq!(
            own,
            [&(4000, 3000, "/photo.jpg".into(), Format::Jpeg, false)]
        );
        assert!(
            plan.iter().any(|p| p.0 == 1600
                && p.3 == Format::Jpeg
                && p.2.starts_with("/processed_images/"))
        );
        assert!(!plan.iter().any(|p| p.3 == Format::Webp && p.0 > 1600));

        // Narrower than the widest: its own width, as before.
        let plan = planned(&s, 1000, 500);
        assert!(plan.contains(&(1000, 500, "/photo.jpg".into(), Format::Jpeg, true)));
        assert!(plan.contains(&(
            1000,
            500,
            "/processed_images/photo-0123456789abcdef-1000w.webp".into(),
            Format::Webp,
            true
        )));
    }

    /// A picture with gradients and texture, like a photo's.
    fn texture(w: u32, h: u32) -> Pixels {
        Pixels::of(DynamicImage::ImageRgb8(image::RgbImage::from_fn(
            w,
            h,
            |x, y| {
                let n = ((x * 13) ^ (y * 7)) % 23;
                image::Rgb([
                    (x * 255 / w) as u8,
                    (y * 255 / h) as u8 / 2 + n as u8,
                    ((x + y) % 200) as u8 + 20,
                ])
            },
        )))
    }

    #[test]
    fn encodes_are_deterministic_and_faithful() {
        let px = texture(320, 240);
        for f in [Format::Jpeg, Format::Webp] {
            let a = px.encode_as(f, 80).unwrap();
            assert_eq!(a, px.encode_as(f, 80).unwrap(), "{f:?}: same bytes twice");
            let back = image::load_from_memory(&a).unwrap().into_rgb8();
            assert_eq!(back.dimensions(), (320, 240));
            let mse = back
                .as_raw()
                .iter()
                .zip(px.data())
                .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
                .sum::<f64>()
                / px.data().len() as f64;
            let psnr = 10.0 * (255.0 * 255.0 / mse).log10();
            assert!(psnr > 30.0, "{f:?}: PSNR {psnr:.1} dB");
        }
    }

    #[test]
    fn jpeg_of_a_picture_with_alpha_keeps_its_colours() {
        let img = image::RgbaImage::from_pixel(40, 20, image::Rgba([200, 30, 40, 128]));
        let px = Pixels::of(DynamicImage::ImageRgba8(img));
        let bytes = px.encode_as(Format::Jpeg, 90).unwrap();
        let back = image::load_from_memory(&bytes).unwrap().into_rgb8();
        let p = back.get_pixel(20, 10).0;
        assert!(
            p.iter()
                .zip([200u8, 30, 40])
                .all(|(&a, b)| a.abs_diff(b) < 8),
            "{p:?}"
        );
    }

    #[test]
    fn quarter_turns_swap_sides() {
        assert_eq!(upright(Orientation::Rotate90, 40, 20), (20, 40));
        assert_eq!(upright(Orientation::FlipHorizontal, 40, 20), (40, 20));
    }

    #[test]
    fn encodes_resized_variants() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            64,
            32,
            image::Rgb([200, 10, 10]),
        ));
        let px = Pixels::of(img);
        for f in [Format::Jpeg, Format::Png, Format::Webp] {
            let bytes = px.encode(32, 16, f, 80).unwrap();
            let d = ImageReader::with_format(Cursor::new(&bytes[..]), f.image_format())
                .into_dimensions()
                .unwrap();
            assert_eq!(d, (32, 16), "{f:?}");
        }
    }

    #[test]
    fn geometry_of_each_op() {
        // Fit keeps the aspect ratio inside the box and never enlarges.
        assert_eq!(geometry(Op::Fit, 4000, 3000, 1200, 630).0, (840, 630));
        assert_eq!(geometry(Op::Fit, 400, 300, 1200, 630).0, (400, 300));
        // Scale is the box, whatever the picture.
        assert_eq!(geometry(Op::Scale, 400, 300, 96, 96), ((96, 96), None));
        // Fill is the box, cropped to the centre of the picture.
        assert_eq!(
            geometry(Op::Fill, 4000, 3000, 96, 96),
            ((96, 96), Some((500.0, 0.0, 3000.0, 3000.0)))
        );
        assert_eq!(
            geometry(Op::Fill, 1000, 2000, 200, 100),
            ((200, 100), Some((0.0, 750.0, 1000.0, 500.0)))
        );
    }

    #[test]
    fn encodes_a_crop() {
        // Left half red, right half blue: the right quarter is all blue.
        let img = image::RgbImage::from_fn(64, 32, |x, _| {
            if x < 32 {
                image::Rgb([255, 0, 0])
            } else {
                image::Rgb([0, 0, 255])
            }
        });
        let px = Pixels::of(DynamicImage::ImageRgb8(img));
        let bytes = px
            .encode_part(Some((48.0, 0.0, 16.0, 32.0)), 8, 16, Format::Png, 80)
            .unwrap();
        let out = image::load_from_memory(&bytes).unwrap().into_rgb8();
        assert_eq!(out.dimensions(), (8, 16));
        assert!(
            out.pixels().all(|p| p.0 == [0, 0, 255]),
            "{:?}",
            out.get_pixel(0, 0)
        );
    }
}

/// Removes the `<prefix><pid>` folders in `tmp` (the pictures folders of
/// runs without a cache) whose process is gone: a process killed before it
/// removed its folder leaves it. Lives here, with the cache's other file
/// access, outside `SiteFs` (these folders are not the site's). Where
/// processes cannot be seen (no `/proc`), nothing is removed, so a running
/// build's folder is never taken from it.
pub(crate) fn remove_stale_scratch(tmp: &Path, prefix: &str, own: u32) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != own
            && !proc.join(pid.to_string()).exists()
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Linux only: elsewhere there is no /proc to tell a dead process by.
#[cfg(all(test, target_os = "linux"))]
mod scratch_tests {
    use super::*;
    use crate::images::SCRATCH_PREFIX;

    #[test]
    fn folders_of_dead_processes_are_removed_and_live_ones_kept() {
        let tmp = tempfile::tempdir().unwrap();
        // No process has an id over the kernel's largest (2^22).
        let dead = tmp.path().join(format!("{SCRATCH_PREFIX}4194999"));
        let own = tmp
            .path()
            .join(format!("{SCRATCH_PREFIX}{}", std::process::id()));
        let parent = tmp.path().join(format!(
            "{SCRATCH_PREFIX}{}",
            std::os::unix::process::parent_id()
        ));
        let other = tmp.path().join("byline-images-notanumber");
        for d in [&dead, &own, &parent, &other] {
            std::fs::create_dir_all(d.join("x")).unwrap();
        }
        remove_stale_scratch(tmp.path(), SCRATCH_PREFIX, std::process::id());
        assert!(!dead.exists());
        assert!(own.exists() && parent.exists() && other.exists());
    }
}
