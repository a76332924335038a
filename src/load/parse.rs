//! Turning one file into one validated item: raw front matter (`RawPost`,
//! `RawAuthor`) in, [`Post`], [`Page`] or [`Author`] out, or every problem found in
//! that file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::dates::{DateInput, parse_date};
use super::frontmatter::{self, Split};
use super::model::*;
use super::read_content;
use crate::config::Config;
use crate::diag::{Diagnostic, did_you_mean};
use crate::routes;

mod author;
use crate::sitefs::{check_real, join_inside};
use crate::text::position::value_pos_after;
use crate::text::shell::shell_quote;
use crate::text::slug::slugify;
use crate::text::syntax::{Format, date_hint};
pub use author::author;

/// Front matter fields of posts and pages, as written.
#[derive(Debug, Default, Deserialize)]
struct RawPost {
    title: Option<String>,
    date: Option<DateInput>,
    updated: Option<DateInput>,
    authors: Option<Slugs>,
    author: Option<Slugs>,
    tags: Option<Vec<String>>,
    categories: Option<Vec<String>>,
    series: Option<String>,
    description: Option<String>,
    image: Option<String>,
    image_alt: Option<String>,
    image_credit: Option<String>,
    draft: Option<bool>,
    slug: Option<String>,
    canonical_url: Option<String>,
    share: Option<RawShare>,
    aliases: Option<Paths>,
    redirect_from: Option<Paths>,
}

/// Old URL paths as written: one string or a list (Jekyll's `redirect_from`
/// is often one string).
#[derive(Debug, Default, Clone)]
struct Paths(Vec<String>);

impl<'de> Deserialize<'de> for Paths {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Paths;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a URL path or a list of URL paths, like [\"/old/path/\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Paths, E> {
                Ok(Paths(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Paths, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Paths(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Author slugs as written: one string or a list, under `author` or `authors`
/// (Jekyll writes `author: name`, Hugo `authors: [a, b]`).
#[derive(Debug, Default, Clone)]
struct Slugs(Vec<String>);

impl<'de> Deserialize<'de> for Slugs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Slugs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an author slug or a list of author slugs")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Slugs, E> {
                Ok(Slugs(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Slugs, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Slugs(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// `share = false`, `share = true`, or a table of `text` and `hashtags`.
#[derive(Debug)]
enum RawShare {
    Enabled(bool),
    Custom {
        text: Option<String>,
        hashtags: Option<Vec<String>>,
    },
}

#[derive(Deserialize)]
struct RawShareTable {
    text: Option<String>,
    hashtags: Option<Vec<String>>,
}

impl<'de> Deserialize<'de> for RawShare {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawShare;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("false, or a table of `text` and `hashtags`")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<RawShare, E> {
                Ok(RawShare::Enabled(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawShare, A::Error> {
                let t =
                    RawShareTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawShare::Custom {
                    text: t.text,
                    hashtags: t.hashtags,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The front matter fields the contract defines.
pub const POST_FIELDS: &[&str] = &[
    "title",
    "date",
    "updated",
    "authors",
    "author",
    "tags",
    "categories",
    "series",
    "description",
    "image",
    "image_alt",
    "image_credit",
    "draft",
    "slug",
    "canonical_url",
    "share",
    "aliases",
    "redirect_from",
];

/// What post validation needs from the rest of the site.
pub struct PostContext<'a> {
    pub root: &'a Path,
    pub root_canonical: &'a Path,
    /// The gate posts are read through, again when their text is needed.
    pub gate: std::sync::Arc<crate::sitefs::SiteFs>,
    pub config: &'a Config,
    pub authors: &'a BTreeMap<String, Author>,
    /// The slugs of every profile file in `authors/`, those that failed to load
    /// included (their errors are reported there, not in the posts naming them).
    pub profiles: &'a std::collections::BTreeSet<String>,
}

/// Builds diagnostics for one file, pointing into its front matter.
struct FileDiags<'a> {
    rel: &'a Path,
    text: &'a str,
    split: Option<&'a Split<'a>>,
    list: Vec<Diagnostic>,
}

impl<'a> FileDiags<'a> {
    fn new(rel: &'a Path, text: &'a str, split: Option<&'a Split<'a>>) -> Self {
        FileDiags {
            rel,
            text,
            split,
            list: Vec::new(),
        }
    }

    /// A diagnostic at the line of `key`, at the column of `needle` on it.
    fn at(&self, d: Diagnostic, key: &str, needle: &str) -> Diagnostic {
        let d = d.in_file(self.rel);
        let Some(split) = self.split else { return d };
        match value_pos_after(split.matter, key, needle) {
            Some((line, col)) => d.at(self.text, line + split.matter_line - 1, col),
            None => d,
        }
    }

    fn error(&mut self, key: &str, needle: &str, msg: String, hint: impl Into<String>) {
        let d = self.at(Diagnostic::error(msg).hint(hint), key, needle);
        self.list.push(d);
    }

    fn warn(&mut self, key: &str, needle: &str, msg: String, hint: impl Into<String>) {
        let d = self.at(Diagnostic::warning(msg).hint(hint), key, needle);
        self.list.push(d);
    }

    /// `key = value` or `key: value`, as the file writes its front matter.
    fn field(&self, key: &str, value: &str) -> String {
        field(self.split.map_or(Format::Toml, |s| s.format), key, value)
    }

    fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }
}

/// One parsed file with its warnings, or its errors.
pub type Parsed<T> = Result<(T, Vec<Diagnostic>), Vec<Diagnostic>>;

pub(crate) fn strip_date_prefix(name: &str) -> &str {
    if date_prefix(name).is_some() {
        &name[11..]
    } else {
        name
    }
}

/// The `YYYY-MM-DD` that starts a file name `YYYY-MM-DD-rest`.
fn date_prefix(name: &str) -> Option<&str> {
    let b = name.as_bytes();
    let is_date = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-';
    is_date.then(|| &name[..10])
}

/// Whether `s` can be a post or author slug: one path segment with no characters
/// that would change a URL's meaning (capitals and non-ASCII letters are fine).
pub(crate) fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.chars().any(|c| {
            c.is_whitespace() || matches!(c, '/' | '\\' | '?' | '#' | '%' | '"' | '<' | '>')
        })
}

fn is_http_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 8
        && !s.contains(char::is_whitespace)
}

/// Resolves a picture path from front matter: `/x.jpg` is `static/x.jpg`; a relative
/// path is relative to `base` (the post's folder). Checks that it exists inside the site.
fn resolve_picture(
    ctx_root: (&Path, &Path),
    value: &str,
    base: &Path,
    bundle: Option<(&Path, &str)>,
) -> Result<Asset, String> {
    if is_http_url(value) {
        return Ok(Asset::External(value.to_string()));
    }
    let (root, root_canonical) = ctx_root;
    let target = if value.starts_with('/') {
        join_inside(Path::new("static"), value.trim_start_matches('/'))?
    } else {
        join_inside(base, value)?
    };
    if !check_real(root, root_canonical, &target)? {
        return Err(format!("the file {} does not exist", target.display()));
    }
    let url_path = routes::served_path(&target, bundle).ok_or_else(|| {
        format!(
            "{} is not published by the build: put pictures in static/ (and write \"/images/…\") or beside the post in its folder",
            target.display()
        )
    })?;
    Ok(Asset::Local {
        source: target,
        url_path,
        copy: false,
    })
}

/// The error for a post naming an author without a profile, and how to fix it.
/// A value that is a person's name (`author: Ignasi Bartomeus`, as Jekyll
/// writes) gets the slug to use instead and a command to make the profile.
fn unknown_author(ctx: &PostContext<'_>, format: Format, a: &str) -> (String, String) {
    let by_slug = did_you_mean(a, ctx.authors.keys().map(String::as_str));
    let by_name = ctx
        .authors
        .values()
        .find(|p| p.name.trim().eq_ignore_ascii_case(a.trim()))
        .map(|p| p.slug.as_str());
    if let Some(s) = by_name.or(by_slug) {
        let hint = if valid_slug(a) {
            format!("did you mean \"{s}\"? Otherwise add a profile in authors/{a}.toml")
        } else {
            format!(
                "posts name authors by the slug of their profile: write `{}`",
                field(format, "author", &format!("\"{s}\""))
            )
        };
        return (
            format!("unknown author \"{a}\" (did you mean \"{s}\"?)"),
            hint,
        );
    }
    let slug = slugify(a);
    if !valid_slug(a) && !slug.is_empty() {
        return (
            format!("unknown author \"{a}\""),
            format!(
                "posts name authors by the slug of their profile: write `{}` and create the profile with `gen new author {slug} --name {}`",
                field(format, "author", &format!("\"{slug}\"")),
                shell_quote(a)
            ),
        );
    }
    (
        format!("unknown author \"{a}\""),
        format!(
            "add a profile in authors/{a}.toml (see `gen new author {} --name \"…\"`)",
            shell_quote(a)
        ),
    )
}

/// Warnings about a content file's text (control characters removed), each of
/// the kind of the part of the file it is in: the body, or the front matter.
fn in_body_or_matter(list: Vec<Diagnostic>, split: &Split<'_>) -> Vec<Diagnostic> {
    list.into_iter()
        .map(|d| match d.line {
            Some(line) if line >= split.body_line => d.kind(crate::diag::Kind::Content),
            _ => d,
        })
        .collect()
}

/// `key = value` in TOML, `key: value` in YAML: hints show the syntax of the
/// file they are about.
fn field(format: Format, key: &str, value: &str) -> String {
    match format {
        Format::Toml => format!("{key} = {value}"),
        Format::Yaml => format!("{key}: {value}"),
    }
}

/// Parses and validates one post.
pub fn post(ctx: &PostContext<'_>, rel: &Path, bundle: Option<&Path>) -> Parsed<Post> {
    let (text, cleaned) = super::read_content_in(&ctx.gate, rel).map_err(|d| vec![d])?;
    let split = frontmatter::split(&text).map_err(|d| vec![d.in_file(rel)])?;
    let (raw, escaped): (RawPost, _) =
        frontmatter::parse_clean(&split, &text).map_err(|d| vec![d.in_file(rel)])?;
    let mut fd = FileDiags::new(rel, &text, Some(&split));
    fd.list.extend(in_body_or_matter(cleaned, &split));
    fd.list.extend(escaped.into_iter().map(|d| d.in_file(rel)));
    fd.list.extend(
        frontmatter::unknown_keys(&split, &text, POST_FIELDS, "front matter")
            .into_iter()
            .map(|d| d.in_file(rel)),
    );

    let title = check_title(&mut fd, raw.title.as_deref());
    // A bundle is named by its folder, other posts by their file.
    let file_stem = match bundle {
        Some(b) => b
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        None => rel
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let date = match &raw.date {
        // Without `date`, a file name `2024-05-01-slug.md` gives it (as in Jekyll and Zola).
        None => match date_prefix(&file_stem).and_then(parse_date) {
            Some(d) => Some(d),
            None => {
                fd.list.push(
                    Diagnostic::error("missing `date`")
                        .in_file(rel)
                        .at(&text, split.matter_line, 1)
                        .hint(format!(
                            "add the publication date, e.g. `{}`, or start the file name with it: 2024-05-01-{}",
                            field(split.format, "date", "2024-05-01"),
                            if bundle.is_some() { "name/index.md" } else { "name.md" }
                        )),
                );
                None
            }
        },
        Some(d) => check_date(&mut fd, "date", d),
    };
    let updated = raw
        .updated
        .as_ref()
        .and_then(|d| check_date(&mut fd, "updated", d));

    let mut authors: Vec<String> = Vec::new();
    for a in raw
        .author
        .iter()
        .chain(raw.authors.iter())
        .flat_map(|s| s.0.iter())
    {
        if !authors.contains(a) {
            authors.push(a.clone());
        }
    }
    let author_key = if raw.authors.is_some() {
        "authors"
    } else {
        "author"
    };
    if authors.is_empty() {
        fd.list.push(
            Diagnostic::error("missing `authors`")
                .in_file(rel)
                .at(&text, split.matter_line, 1)
                .hint(format!(
                    "name at least one author by slug, e.g. `{}`, with a profile in authors/your-name.toml",
                    field(split.format, "authors", "[\"your-name\"]")
                )),
        );
    }
    // An author whose profile exists but failed: its errors are reported in the
    // profile; the post waits for it without an error of its own.
    let mut waits_for_profile = false;
    for a in &authors {
        if ctx.authors.contains_key(a) {
            continue;
        }
        if ctx.profiles.contains(a) {
            waits_for_profile = true;
            continue;
        }
        let (msg, hint) = unknown_author(ctx, split.format, a);
        fd.error(author_key, &format!("\"{a}\""), msg, hint);
    }

    let slug = match &raw.slug {
        Some(s) => {
            if !valid_slug(s) {
                fd.error(
                    "slug",
                    s,
                    format!("invalid slug \"{s}\""),
                    format!("use letters, digits and hyphens, e.g. \"{}\"", slugify(s)),
                );
            }
            s.clone()
        }
        None => {
            let s = strip_date_prefix(&file_stem).to_string();
            if !valid_slug(&s) {
                fd.list.push(
                    Diagnostic::error(format!("the file name gives the invalid slug \"{s}\""))
                        .in_file(rel)
                        .hint(format!(
                            "rename the file to \"{}.md\" or set `{}`",
                            slugify(&s),
                            field(split.format, "slug", "\"…\"")
                        )),
                );
            }
            s
        }
    };
    let path = date
        .map(|d| routes::post_path(&ctx.config.permalink_post, &slug, &d))
        .unwrap_or_default();

    let tags = check_terms(&mut fd, "tags", raw.tags.unwrap_or_default());
    let categories = check_terms(&mut fd, "categories", raw.categories.unwrap_or_default());
    let series = check_terms(&mut fd, "series", raw.series.into_iter().collect())
        .into_iter()
        .next();

    let base = rel.parent().unwrap_or(Path::new("")).to_path_buf();
    let bundle_ref = bundle.map(|b| (b, path.as_str()));
    let image = match (&raw.image, &raw.image_alt) {
        (None, None) => None,
        (None, Some(_)) => {
            fd.warn(
                "image_alt",
                "",
                "`image_alt` without `image`".into(),
                format!(
                    "add `{}` for the cover picture, or remove `image_alt`",
                    field(split.format, "image", "\"…\"")
                ),
            );
            None
        }
        (Some(img), alt) => {
            let alt = alt.as_deref().map(str::trim).unwrap_or("");
            if alt.is_empty() {
                fd.error(
                    "image",
                    img,
                    "`image_alt` is required when `image` is set".into(),
                    format!(
                        "describe the picture for readers who cannot see it: `{}`",
                        field(split.format, "image_alt", "\"…\"")
                    ),
                );
            }
            match resolve_picture((ctx.root, ctx.root_canonical), img, &base, bundle_ref) {
                Ok(asset) => Some(Cover {
                    asset,
                    alt: alt.to_string(),
                    credit: raw.image_credit.clone().filter(|c| !c.trim().is_empty()),
                }),
                Err(e) => {
                    fd.error(
                        "image",
                        img,
                        format!("cover picture: {e}"),
                        "give a path inside the site: \"/images/x.jpg\" for static/images/x.jpg, or \"x.jpg\" beside the post in its folder",
                    );
                    None
                }
            }
        }
    };
    if let Some(u) = &raw.canonical_url
        && !is_http_url(u)
    {
        fd.error(
            "canonical_url",
            u,
            format!("`canonical_url` must be an absolute http(s) URL, got \"{u}\""),
            "use the full address of the original, e.g. \"https://blog.example.org/post/\"",
        );
    }
    let share = match raw.share {
        None | Some(RawShare::Enabled(true)) => ShareSetting::Default,
        Some(RawShare::Enabled(false)) => ShareSetting::Off,
        Some(RawShare::Custom { text, hashtags }) => ShareSetting::Custom {
            text,
            hashtags: hashtags.map(|h| {
                h.into_iter()
                    .map(|t| t.trim_start_matches('#').to_string())
                    .collect()
            }),
        },
    };
    let guest = authors
        .iter()
        .any(|a| ctx.authors.get(a).is_some_and(|a| a.guest));
    let aliases = check_aliases(&mut fd, raw.aliases, raw.redirect_from);

    if fd.has_errors() || waits_for_profile {
        return Err(fd.list);
    }
    let warnings = fd.list;
    let body_offset = text.len() - split.body.len();
    let body_line = split.body_line;
    let (Some(title), Some(date)) = (title, date) else {
        return Err(warnings);
    };
    Ok((
        Post {
            source: rel.to_path_buf(),
            body_offset,
            body_line,
            bundle: bundle.map(Path::to_path_buf),
            slug,
            title,
            date,
            updated,
            authors,
            tags,
            categories,
            series,
            description: raw.description.filter(|d| !d.trim().is_empty()),
            image,
            draft: raw.draft.unwrap_or(false),
            canonical_url: raw.canonical_url,
            share,
            path,
            aliases,
            guest,
            file: super::SourceFile::new(ctx.gate.clone(), &text),
        },
        warnings,
    ))
}

fn check_title(fd: &mut FileDiags<'_>, title: Option<&str>) -> Option<String> {
    match title.map(str::trim) {
        Some(t) if !t.is_empty() => Some(t.to_string()),
        Some(_) => {
            fd.error(
                "title",
                "\"",
                "`title` is empty".into(),
                format!("give the post a title: `{}`", fd.field("title", "\"…\"")),
            );
            None
        }
        None => {
            let d = Diagnostic::error("missing `title`")
                .in_file(fd.rel)
                .hint(format!(
                    "add a title to the front matter: `{}`",
                    fd.field("title", "\"My first post\"")
                ));
            let d = match fd.split {
                Some(s) => d.at(fd.text, s.matter_line, 1),
                None => d,
            };
            fd.list.push(d);
            None
        }
    }
}

fn check_date(
    fd: &mut FileDiags<'_>,
    key: &str,
    d: &DateInput,
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let parsed = parse_date(&d.0);
    if parsed.is_none() {
        let format = fd.split.map_or(Format::Toml, |s| s.format);
        fd.error(
            key,
            &d.0,
            format!("invalid date \"{}\" in `{key}`", d.0),
            date_hint(format, key),
        );
    }
    parsed
}

fn check_terms(fd: &mut FileDiags<'_>, key: &str, values: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let t = v.trim().to_string();
        if slugify(&t).is_empty() {
            fd.error(
                key,
                &format!("\"{v}\""),
                format!("the {key} value \"{v}\" has no letters or digits"),
                "use words, e.g. \"community\"",
            );
            continue;
        }
        if !out.iter().any(|o| slugify(o) == slugify(&t)) {
            out.push(t);
        }
    }
    out
}

/// The old URLs of a post or page (`aliases`, and Jekyll's `redirect_from`
/// read the same), each checked by `routes::alias_path`: an error at its
/// line for one that is not a normalised path on this site. Repeats are
/// dropped.
fn check_aliases(
    fd: &mut FileDiags<'_>,
    aliases: Option<Paths>,
    redirect_from: Option<Paths>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let keyed = aliases
        .into_iter()
        .flat_map(|p| p.0.into_iter().map(|a| ("aliases", a)))
        .chain(
            redirect_from
                .into_iter()
                .flat_map(|p| p.0.into_iter().map(|a| ("redirect_from", a))),
        );
    for (key, alias) in keyed {
        match routes::alias_path(&alias) {
            Ok(_) => {
                if !out.contains(&alias) {
                    out.push(alias);
                }
            }
            Err(e) => {
                let hint = match &e.suggestion {
                    Some(s) => format!("write \"{s}\""),
                    None => "write the old URL's path from the site's root, e.g. \"/2019/05/old-title/\" or \"/old-title.html\"".into(),
                };
                fd.error(
                    key,
                    &format!("\"{alias}\""),
                    format!("invalid alias \"{alias}\": it {}", e.problem),
                    hint,
                );
            }
        }
    }
    out
}

/// Parses one standalone page.
pub fn page(root: &Path, rel: &Path) -> Parsed<Page> {
    let (text, cleaned) = read_content(root, rel).map_err(|d| vec![d])?;
    let split = frontmatter::split(&text).map_err(|d| vec![d.in_file(rel)])?;
    let (raw, escaped): (RawPost, _) =
        frontmatter::parse_clean(&split, &text).map_err(|d| vec![d.in_file(rel)])?;
    let mut fd = FileDiags::new(rel, &text, Some(&split));
    fd.list.extend(in_body_or_matter(cleaned, &split));
    fd.list.extend(escaped.into_iter().map(|d| d.in_file(rel)));
    fd.list.extend(
        frontmatter::unknown_keys(&split, &text, POST_FIELDS, "front matter")
            .into_iter()
            .map(|d| d.in_file(rel)),
    );
    let title = check_title(&mut fd, raw.title.as_deref());
    let in_content: PathBuf = rel.strip_prefix("content").unwrap_or(rel).to_path_buf();
    let stem = raw.slug.clone().unwrap_or_else(|| {
        in_content
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    if stem != "index" && !valid_slug(&stem) {
        fd.error(
            "slug",
            &stem,
            format!("invalid slug \"{stem}\""),
            format!(
                "use letters, digits and hyphens, e.g. \"{}\"",
                slugify(&stem)
            ),
        );
    }
    let path = routes::page_path(in_content.parent(), &stem);
    let aliases = check_aliases(&mut fd, raw.aliases, raw.redirect_from);
    if fd.has_errors() {
        return Err(fd.list);
    }
    let warnings = fd.list;
    let Some(title) = title else {
        return Err(warnings);
    };
    Ok((
        Page {
            source: rel.to_path_buf(),
            body_offset: text.len() - split.body.len(),
            body_line: split.body_line,
            title,
            description: raw.description,
            draft: raw.draft.unwrap_or(false),
            path,
            aliases,
            text,
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefix() {
        assert_eq!(strip_date_prefix("2024-05-01-hello"), "hello");
        assert_eq!(strip_date_prefix("hello"), "hello");
        assert_eq!(strip_date_prefix("2024-05-01"), "2024-05-01");
    }
}
