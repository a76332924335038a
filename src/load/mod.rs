//! Loading: the first stage of the pipeline. Walks the site folder, parses
//! config, posts, pages and author profiles (in parallel), and validates them into
//! a [`Site`]. Every problem becomes a [`Diagnostic`]; loading goes on after a bad
//! file so that one run reports them all.

pub mod contributors;
pub mod dates;
pub mod frontmatter;
pub mod model;
mod parse;
pub mod responses;
/// The slug rule of a post's file or folder name (`gen new` follows it too).
pub(crate) use parse::strip_date_prefix;
pub(crate) use parse::valid_slug;
pub use parse::{
    Parsed, PostContext, author as parse_author, page as parse_page, post as parse_post,
};

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use model::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::text::position::value_pos;
use crate::text::syntax::Format;

/// What to include in a build.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions<'a> {
    pub drafts: bool,
    pub future: bool,
    pub base_url: Option<&'a str>,
}

/// The files of a site, found by walking it (paths relative to the root, except
/// static files' sources).
#[derive(Debug, Default, Clone)]
pub struct Found {
    /// Post files, with the bundle folder of `posts/<slug>/index.md` posts.
    pub posts: Vec<(PathBuf, Option<PathBuf>)>,
    pub pages: Vec<PathBuf>,
    pub authors: Vec<PathBuf>,
    pub files: Vec<StaticFile>,
}

/// Reads a file inside the site as UTF-8, with a diagnostic naming it on failure
/// (through the gate: a file that leads outside the site is an error).
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let gate = crate::sitefs::SiteFs::open(root).map_err(|e| {
        Diagnostic::error(format!(
            "cannot open the site folder {}: {e}",
            root.display()
        ))
    })?;
    read_text_in(&gate, rel)
}

/// [`read_text`] through a gate already open.
pub fn read_text_in(gate: &crate::sitefs::SiteFs, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = gate.read(rel)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let (line, col) = crate::diag::line_col(&prefix, prefix.len());
        let mut d = Diagnostic::error(format!(
            "the file is not valid UTF-8 (byte 0x{:02x} at offset {valid})",
            bytes[valid]
        ))
        .in_file(rel)
        .hint("save the file as UTF-8 in your editor");
        d.line = Some(line);
        d.col = Some(col);
        d
    })
}

/// Reads a content file (post, page, author profile): [`read_text`], with the
/// control characters that would break outputs removed and a warning for each
/// line that held any.
pub fn read_content(root: &Path, rel: &Path) -> Result<(String, Vec<Diagnostic>), Diagnostic> {
    let text = read_text(root, rel)?;
    Ok(crate::text::clean::clean_file(text, rel))
}

/// [`read_content`] through a gate already open.
pub fn read_content_in(
    gate: &crate::sitefs::SiteFs,
    rel: &Path,
) -> Result<(String, Vec<Diagnostic>), Diagnostic> {
    let text = read_text_in(gate, rel)?;
    Ok(crate::text::clean::clean_file(text, rel))
}

/// Loads and validates the site at `root`. On any error, returns all diagnostics
/// (warnings included); on success, the site and its warnings.
pub fn load(
    root: &Path,
    opts: LoadOptions<'_>,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    match load_partial(root, opts) {
        (Some(site), list) if !list.iter().any(Diagnostic::is_error) => Ok((site, list)),
        (_, list) => Err(list),
    }
}

/// Loads what can be loaded: the site without the files that have errors (`None`
/// only when the config or the folder is unusable), and every diagnostic. Later
/// stages can go on with it to find more problems in the same run.
pub fn load_partial(root: &Path, opts: LoadOptions<'_>) -> (Option<Site>, Vec<Diagnostic>) {
    let mut early = Vec::new();
    if let Err(d) = dates::fixed_now() {
        early.push(d);
        return (None, early);
    }
    let Some(config) = Config::load(root, opts.base_url, &mut early) else {
        return (None, early);
    };
    let diags = Diagnostics::new();
    diags.extend(early);
    let root_canonical = match root.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::error(format!(
                    "cannot open the site folder {}: {e}",
                    root.display()
                ))],
            );
        }
    };
    let found = walk(root, &root_canonical, &diags);

    // Authors first: posts are validated against them.
    let authors: BTreeMap<String, Author> = found
        .authors
        .par_iter()
        .filter_map(|rel| diags.keep(parse::author(root, &root_canonical, rel)))
        .map(|a| (a.slug.clone(), a))
        .collect();

    let profiles = profile_slugs(&found);
    let ctx = parse::PostContext {
        root,
        root_canonical: &root_canonical,
        gate: std::sync::Arc::new(crate::sitefs::SiteFs::with_canonical(root, &root_canonical)),
        config: &config,
        authors: &authors,
        profiles: &profiles,
    };
    let posts: Vec<Post> = found
        .posts
        .par_iter()
        .filter_map(|(rel, bundle)| diags.keep(parse::post(&ctx, rel, bundle.as_deref())))
        .collect();
    let pages: Vec<Page> = found
        .pages
        .par_iter()
        .filter_map(|rel| diags.keep(parse::page(root, rel)))
        .collect();

    let parts = Parts {
        config,
        authors,
        posts,
        pages,
    };
    let (mut site, left_out) = assemble(root, &root_canonical, opts, parts, &found, &diags);
    let (contributions, warnings) = contributors::read(root, &root_canonical);
    site.contributions = contributions;
    diags.extend(warnings);
    let slugs: BTreeSet<&str> = site
        .posts
        .iter()
        .chain(&left_out)
        .map(|p| p.slug.as_str())
        .collect();
    let (responses, warnings) = responses::read(root, &root_canonical, &slugs);
    site.responses = responses;
    diags.extend(warnings);
    site.unparsed_bodies = loose_bodies(root, &site.unparsed, &found);
    (Some(site), diags.into_sorted())
}

/// The bodies of files that failed to load, read again (only files with errors
/// are): their front matter split from their body, when it can be.
fn loose_bodies(root: &Path, unparsed: &BTreeSet<PathBuf>, found: &Found) -> Vec<LooseBody> {
    let bundles: HashMap<&Path, &Path> = found
        .posts
        .iter()
        .filter_map(|(rel, b)| Some((rel.as_path(), b.as_deref()?)))
        .collect();
    unparsed
        .iter()
        .filter_map(|rel| {
            let text = read_content(root, rel).ok()?.0;
            let split = frontmatter::split(&text).ok()?;
            let (body_offset, body_line) = (text.len() - split.body.len(), split.body_line);
            Some(LooseBody {
                source: rel.clone(),
                body_offset,
                body_line,
                bundle: bundles.get(rel.as_path()).map(|b| b.to_path_buf()),
                text,
            })
        })
        .collect()
}

/// The slugs of the profile files found (`authors/<slug>.toml`), loaded or not.
pub fn profile_slugs(found: &Found) -> BTreeSet<String> {
    found
        .authors
        .iter()
        .filter_map(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .collect()
}

/// Parsed files, before [`assemble`] puts them together.
pub struct Parts {
    pub config: Config,
    pub authors: BTreeMap<String, Author>,
    /// In any order; drafts and future posts included.
    pub posts: Vec<Post>,
    pub pages: Vec<Page>,
}

/// Puts parsed files together into a [`Site`]: leaves out drafts and future posts
/// (returned beside the site, so an incremental loader can keep them), sorts,
/// checks that permalinks are unique and collects the files to publish. `found`
/// is the walk the parts came from.
pub fn assemble(
    root: &Path,
    root_canonical: &Path,
    opts: LoadOptions<'_>,
    parts: Parts,
    found: &Found,
    diags: &Diagnostics,
) -> (Site, Vec<Post>) {
    let Parts {
        config,
        authors,
        posts,
        mut pages,
    } = parts;
    let now = dates::now();
    let (mut posts, left_out): (Vec<Post>, Vec<Post>) = posts
        .into_iter()
        .partition(|p| (opts.drafts || !p.draft) && (opts.future || p.date <= now));
    pages.retain(|p| opts.drafts || !p.draft);
    sort_posts(&mut posts);
    pages.sort_by(|a, b| a.path.cmp(&b.path));

    check_unique(&posts, diags);
    check_author_case(&authors, diags);

    // Bundle files are published only with their post (not with a left-out draft).
    let mut files = found.files.clone();
    for p in &posts {
        if let Some(b) = &p.bundle {
            bundle_files(root, root_canonical, b, &p.path, &mut files, diags);
        }
    }
    for a in authors.values() {
        if let Some(Asset::Local {
            source,
            url_path,
            copy: true,
        }) = &a.avatar
        {
            files.push(StaticFile {
                source: root.join(source),
                dest: url_path.trim_start_matches('/').to_string(),
            });
        }
    }
    files.sort_by(|a, b| a.dest.cmp(&b.dest));
    // Two files for one destination stay: `render::claims` reports them.
    files.dedup();

    let parsed: HashSet<&Path> = posts
        .iter()
        .map(|p| p.source.as_path())
        .chain(pages.iter().map(|p| p.source.as_path()))
        .collect();
    let unparsed: BTreeSet<PathBuf> = found
        .posts
        .iter()
        .map(|(rel, _)| rel)
        .chain(found.pages.iter())
        .filter(|rel| !parsed.contains(rel.as_path()))
        .cloned()
        .collect();
    let site = Site {
        root: root.to_path_buf(),
        config,
        posts,
        pages,
        authors,
        files,
        unparsed,
        unparsed_bodies: Vec::new(),
        contributions: Vec::new(),
        responses: BTreeMap::new(),
    };
    (site, left_out)
}

/// Sorts posts newest first, then by slug. Sorts their indices and moves each
/// post once: sorting the (large) posts themselves moves them many times.
fn sort_posts(posts: &mut Vec<Post>) {
    let mut order: Vec<usize> = (0..posts.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&posts[a], &posts[b]);
        b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug))
    });
    let mut slots: Vec<Option<Post>> = std::mem::take(posts).into_iter().map(Some).collect();
    *posts = order.into_iter().filter_map(|i| slots[i].take()).collect();
}

/// Two posts with one slug are an error at the slug (their pages and share
/// kits would clash). Other clashes of output paths (pages, listings, feeds,
/// static files) are found by `render::claims`, which knows every output path.
fn check_unique(posts: &[Post], diags: &Diagnostics) {
    let mut by_slug: HashMap<&str, &Path> = HashMap::new();
    // In file order, so the error lands on the later file (dated file names sort
    // oldest first: a new post that clashes is the one reported).
    let mut in_file_order: Vec<&Post> = posts.iter().collect();
    in_file_order.sort_by(|a, b| a.source.cmp(&b.source));
    for p in in_file_order {
        if let Some(first) = by_slug.get(p.slug.as_str()) {
            let mut d = Diagnostic::error(format!(
                "duplicate slug \"{}\": {} has it too",
                p.slug,
                crate::diag::display_path(first)
            ))
            .in_file(&p.source);
            // Without the text (the file changed since), no line to show.
            let text = p.text().unwrap_or_default();
            d = d.hint(format!(
                "give one of the posts another `{}` in its front matter, or rename its file",
                match frontmatter::split(&text).map(|s| s.format) {
                    Ok(Format::Yaml) => "slug: \"…\"",
                    _ => "slug = \"…\"",
                }
            ));
            if let Some((line, col)) = slug_position(p, &text) {
                d = d.at(&text, line, col);
            }
            diags.push(d);
        } else {
            by_slug.insert(&p.slug, &p.source);
        }
    }
}

/// Author slugs that differ only in case (`DirtyF`, `dirtyf`) are one person
/// written twice, or two people whose pages would overwrite each other on a
/// file system that ignores case: an error in the later file, naming both.
fn check_author_case(authors: &BTreeMap<String, Author>, diags: &Diagnostics) {
    let mut by_lower: HashMap<String, &Author> = HashMap::new();
    let mut sorted: Vec<&Author> = authors.values().collect();
    sorted.sort_by(|a, b| a.source.cmp(&b.source));
    for a in sorted {
        match by_lower.get(&a.slug.to_lowercase()) {
            Some(first) => diags.push(
                Diagnostic::error(format!(
                    "the author slugs \"{}\" and \"{}\" differ only in case ({} and {})",
                    first.slug,
                    a.slug,
                    crate::diag::display_path(&first.source),
                    crate::diag::display_path(&a.source)
                ))
                .in_file(&a.source)
                .hint(format!(
                    "keep one profile per person: merge this file into {} and name that slug in posts, or rename one of the files",
                    crate::diag::display_path(&first.source)
                )),
            ),
            None => {
                by_lower.insert(a.slug.to_lowercase(), a);
            }
        }
    }
}

/// Line and column (in the file) of the value of a post's `slug` field, when the
/// front matter sets one.
fn slug_position(p: &Post, text: &str) -> Option<(usize, usize)> {
    let split = frontmatter::split(text).ok()?;
    let quoted = format!("\"{}\"", p.slug);
    let (line, col) = value_pos(split.matter, "slug", &quoted)
        .filter(|&(line, _)| {
            split
                .matter
                .lines()
                .nth(line - 1)
                .is_some_and(|l| l.contains(&quoted))
        })
        .or_else(|| value_pos(split.matter, "slug", &p.slug))?;
    Some((line + split.matter_line - 1, col))
}

/// Lists the site's files. Hidden files, editor backups and temporary files are
/// skipped; symlinks that lead outside the root are errors.
pub fn walk(root: &Path, root_canonical: &Path, diags: &Diagnostics) -> Found {
    let mut found = Found::default();
    let content = root.join("content");
    for entry in entries(root, root_canonical, &content, diags) {
        let rel = entry.strip_prefix(root).unwrap_or(&entry).to_path_buf();
        let in_content = entry.strip_prefix(&content).unwrap_or(&entry).to_path_buf();
        let is_md = is_markdown(&entry);
        let mut comps = in_content
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let first = comps.next().unwrap_or_default();
        let rest: Vec<String> = comps.collect();
        if first == "posts" {
            match rest.len() {
                1 if is_md => found.posts.push((rel, None)),
                2 if is_markdown(&entry) && entry.file_stem().is_some_and(|s| s == "index") => {
                    let bundle = rel.parent().map(Path::to_path_buf);
                    found.posts.push((rel, bundle));
                }
                _ if is_md => diags.push(
                    Diagnostic::warning("this Markdown file is not a post and was skipped")
                        .in_file(&rel)
                        .hint("a post is content/posts/<name>.md or content/posts/<slug>/index.md (or .markdown)"),
                ),
                // Bundle files are collected per post, after drafts are filtered.
                _ => {}
            }
        } else if is_md {
            found.pages.push(rel);
        } else {
            found.files.push(StaticFile {
                source: entry.clone(),
                dest: in_content.to_string_lossy().replace('\\', "/"),
            });
        }
    }
    for entry in entries(root, root_canonical, &root.join("authors"), diags) {
        let rel = entry.strip_prefix(root).unwrap_or(&entry).to_path_buf();
        if entry.extension().is_some_and(|e| e == "toml")
            && entry.parent() == Some(&root.join("authors"))
        {
            found.authors.push(rel);
        }
    }
    let static_dir = root.join("static");
    for entry in entries(root, root_canonical, &static_dir, diags) {
        let dest = entry
            .strip_prefix(&static_dir)
            .unwrap_or(&entry)
            .to_string_lossy()
            .replace('\\', "/");
        found.files.push(StaticFile {
            source: entry,
            dest,
        });
    }
    found.posts.sort();
    found.pages.sort();
    found.authors.sort();
    found
}

fn bundle_files(
    root: &Path,
    root_canonical: &Path,
    bundle: &Path,
    post_path: &str,
    files: &mut Vec<StaticFile>,
    diags: &Diagnostics,
) {
    let dir = root.join(bundle);
    for entry in entries(root, root_canonical, &dir, diags) {
        if is_markdown(&entry) {
            continue;
        }
        let inner = entry
            .strip_prefix(&dir)
            .unwrap_or(&entry)
            .to_string_lossy()
            .replace('\\', "/");
        files.push(StaticFile {
            source: entry,
            dest: format!("{}{}", post_path.trim_start_matches('/'), inner),
        });
    }
}

/// The extensions of Markdown files: `.md`, and `.markdown` (Jekyll's default).
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown"];

/// Whether a path names a Markdown file (a post or a page under `content/`).
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| MARKDOWN_EXTENSIONS.iter().any(|m| e == *m))
}

/// The regular files under `dir`, sorted, following symlinks only when they stay
/// inside the site (through the gate, [`crate::sitefs::SiteFs::files`]).
fn entries(root: &Path, root_canonical: &Path, dir: &Path, diags: &Diagnostics) -> Vec<PathBuf> {
    let gate = crate::sitefs::SiteFs::with_canonical(root, root_canonical);
    let mut found = Vec::new();
    let files = gate.files(dir.strip_prefix(root).unwrap_or(dir), &mut found);
    diags.extend(found);
    files
}
