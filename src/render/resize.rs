//! The `resize_image` template function: a theme asks for a picture of the
//! site at a size (an `og:image` crop, a square avatar, a listing thumbnail)
//! and gets its URL and size. The picture goes through the same pipeline and
//! disk cache as the pictures of content (`images/`), so a warm rebuild
//! decodes nothing; the files it makes are published with the site's copies.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use tera::Value;

use crate::config::Config;
use crate::images::{Format, Op, Pictures};
use crate::sitefs::SiteFs;

/// The files `resize_image` made for each site (by its root), output path →
/// cached file. Kept for the life of the process rather than of one theme:
/// `gen serve` loads the theme again when a template changes but keeps the
/// pages it need not render again, and the pictures those pages show must
/// stay published.
type Made = Mutex<HashMap<PathBuf, BTreeMap<String, PathBuf>>>;

fn made() -> &'static Made {
    static MADE: OnceLock<Made> = OnceLock::new();
    MADE.get_or_init(Default::default)
}

/// Every file `resize_image` made for the site at `root` in this process:
/// output path (relative) and the cached file to copy.
pub fn files(root: &Path) -> Vec<(String, PathBuf)> {
    let key = key(root);
    let made = made().lock().unwrap_or_else(|e| e.into_inner());
    made.get(&key)
        .map(|m| m.iter().map(|(d, c)| (d.clone(), c.clone())).collect())
        .unwrap_or_default()
}

/// Publishes the cached file `cache` at `dest` (relative) of the site at
/// `root`, with the copies of every later build of this process.
pub fn publish(root: &Path, dest: &str, cache: PathBuf) {
    publish_as(&key(root), dest, cache);
}

/// The key [`publish_at`] takes for the site at `root`: made once for many
/// files, as it asks the file system (the root made canonical).
pub fn site_key(root: &Path) -> PathBuf {
    key(root)
}

/// [`publish`] with the site's [`site_key`].
pub fn publish_at(site_key: &Path, dest: &str, cache: PathBuf) {
    publish_as(site_key, dest, cache);
}

fn publish_as(key: &Path, dest: &str, cache: PathBuf) {
    made()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(key.to_path_buf())
        .or_default()
        .insert(dest.to_string(), cache);
}

/// The key of a site in [`made`]: its root, canonical when it can be.
fn key(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// The usage, repeated in every error about the arguments.
const USAGE: &str = "write it like resize_image(path=\"static/images/photo.jpg\", width=1200, height=630, op=\"fill\") (op is fit, fill or scale; see docs/templates.md)";

/// The largest side `resize_image` makes.
const MAX_SIDE: u64 = 10_000;

/// Builds the `resize_image` function for the site at `root`.
pub fn function(root: &Path, config: &Config) -> impl tera::Function + use<> {
    let key = key(root);
    let base_url = config.base_url.clone();
    let cache = crate::images::cache_dir(root, &config.cache);
    let pictures = SiteFs::open(root).map(|gate| Pictures::new(gate, config.images.clone(), cache));
    let pictures = Arc::new(pictures);
    move |args: &HashMap<String, Value>| -> tera::Result<Value> {
        let err = |m: String| tera::Error::msg(format!("resize_image: {m}"));
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| err(format!("needs a `path` argument; {USAGE}")))?;
        let shown = format!("resize_image(path=\"{path}\")");
        let err = |m: String| tera::Error::msg(format!("{shown}: {m}"));
        let op_name = match args.get("op") {
            None => "fill",
            Some(v) => v
                .as_str()
                .ok_or_else(|| err(format!("`op` must be a text; {USAGE}")))?,
        };
        let op = Op::parse(op_name).ok_or_else(|| {
            err(format!(
                "unknown op \"{op_name}\", expected \"fit\", \"fill\" or \"scale\""
            ))
        })?;
        let side = |name: &str| -> tera::Result<u32> {
            let v = args
                .get(name)
                .ok_or_else(|| err(format!("needs a `{name}` argument; {USAGE}")))?;
            match v.as_u64() {
                Some(n) if (1..=MAX_SIDE).contains(&n) => Ok(n as u32),
                _ => Err(err(format!(
                    "`{name}` must be a whole number of pixels from 1 to {MAX_SIDE}, got {v}"
                ))),
            }
        };
        let size = (side("width")?, side("height")?);
        let format = match args.get("format").map(|v| v.as_str()) {
            None | Some(Some("auto")) => None,
            Some(Some(f)) => Some(Format::from_path(Path::new(&format!("x.{f}"))).ok_or_else(
                || {
                    err(format!(
                        "unknown format \"{f}\", expected \"auto\", \"jpg\", \"png\" or \"webp\""
                    ))
                },
            )?),
            Some(None) => return Err(err(format!("`format` must be a text; {USAGE}"))),
        };
        let pictures = pictures
            .as_ref()
            .as_ref()
            .map_err(|e| err(format!("cannot open the site folder: {e}")))?;
        let source = find(pictures.gate(), path).ok_or_else(|| {
            err(format!(
                "no picture {path} in the site folder, its content/ or its static/; write a path from the site folder, like static/images/photo.jpg"
            ))
        })?;
        let r = pictures
            .resize(&source, op, size, format)
            .map_err(|e| err(format!("{e}; {}", crate::images::HINT)))?;
        publish_as(&key, r.path.trim_start_matches('/'), r.cache.clone());
        let mut v = serde_json::to_value(&*r).map_err(|e| err(e.to_string()))?;
        v["url"] = Value::String(format!("{base_url}{}", r.path));
        Ok(v)
    }
}

/// The file `path` names: from the site folder, else from `content/`, else
/// from `static/` (as the page's URL would name it), inside the site only.
fn find(gate: &SiteFs, path: &str) -> Option<PathBuf> {
    let rel = path.trim_start_matches('/');
    if rel.is_empty()
        || Path::new(rel)
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return None;
    }
    ["", "content", "static"]
        .into_iter()
        .map(|dir| Path::new(dir).join(rel))
        .find(|p| matches!(gate.resolve(p), Ok(Some(real)) if real.is_file()))
}
