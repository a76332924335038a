//! Links in content: each body's Markdown rendered with its links and
//! pictures resolved against the site (broken ones are errors at their line),
//! and guest HTML sent to the sanitizer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, line_col};
use crate::images::Pictures;
use crate::load::Site;
use crate::markdown::sanitize::{self, Sanitizer};
use crate::markdown::{self, RenderOptions, Rendered, Resolved};
use crate::sitefs::{check_real, join_inside};

/// Renders every post's and page's Markdown, resolving links against the site.
/// Unresolvable links are errors on their line.
pub fn render_markdown(site: &Site) -> Result<(Vec<Rendered>, Vec<Rendered>), Vec<Diagnostic>> {
    render_all(site, &BodyRenderer::new(site), BodyRenderer::post)
}

/// Like [`render_markdown`], but the posts without their page bodies
/// ([`BodyRenderer::post_listing`]): a full build renders each body when its
/// page is made, with `renderer`, so that no more than a few bodies are held
/// at once.
pub fn render_markdown_listing(
    site: &Site,
    renderer: &BodyRenderer<'_>,
) -> Result<(Vec<Rendered>, Vec<Rendered>), Vec<Diagnostic>> {
    render_all(site, renderer, BodyRenderer::post_listing)
}

fn render_all<'s>(
    site: &Site,
    renderer: &BodyRenderer<'s>,
    post: fn(&BodyRenderer<'s>, usize) -> Body,
) -> Result<(Vec<Rendered>, Vec<Rendered>), Vec<Diagnostic>> {
    let posts: Vec<Body> = (0..site.posts.len())
        .into_par_iter()
        .map(|i| post(renderer, i))
        .collect();
    let pages: Vec<Body> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| renderer.page(i))
        .collect();
    let mut diags = Vec::new();
    let mut split = |v: Vec<Body>| {
        v.into_iter()
            .map(|b| {
                diags.extend(b.diags);
                b.rendered
            })
            .collect::<Vec<_>>()
    };
    let posts = split(posts);
    let pages = split(pages);
    // Files whose front matter failed: their bodies are checked in the same run.
    for b in &site.unparsed_bodies {
        diags.extend(renderer.loose(b));
    }
    if diags.is_empty() {
        Ok((posts, pages))
    } else {
        // With the errors, the warnings of the same run (see `Rendered::warnings`).
        diags.extend(
            posts
                .iter()
                .chain(&pages)
                .flat_map(|r| r.warnings.iter().cloned()),
        );
        Err(diags)
    }
}

/// Which parts of a body a pass renders (see [`BodyRenderer::post_listing`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parts {
    Everything,
    Listing,
    Body,
}

/// The files each JPEG, PNG or WebP file of the site publishes in place of
/// itself (re-encoded, resized), by its index in `site.files`: listed from
/// the headers (`make` false, for the claims) or made (`make` true, for the
/// copies). A file that cannot be decoded is left out (copied as it is; a
/// post that shows it fails at its line).
pub fn picture_files(site: &Site, make: bool) -> Vec<(usize, Vec<(String, PathBuf)>)> {
    if !site
        .files
        .iter()
        .any(|f| crate::images::is_raster(&f.source))
    {
        return Vec::new();
    }
    let Ok(gate) = crate::sitefs::SiteFs::open(&site.root) else {
        return Vec::new();
    };
    let cache = crate::images::cache_dir(&site.root, &site.config.cache);
    let pictures = Pictures::new(gate, site.config.images.clone(), cache);
    site.files
        .par_iter()
        .enumerate()
        .filter(|(_, f)| crate::images::is_raster(&f.source))
        .filter_map(|(k, f)| {
            let rel = f.source.strip_prefix(&site.root).ok()?;
            let path = format!("/{}", f.dest);
            let files = if make {
                pictures.picture(rel, &path).map(|p| p.files.clone())
            } else {
                pictures.outputs(rel, &path)
            };
            files.ok().map(|files| (k, files))
        })
        .collect()
}

/// How one link or image destination of a body resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkUse {
    pub dest: String,
    pub image: bool,
    pub resolved: Resolved,
}

/// One rendered post or page body, with the links it resolved and its errors
/// (broken links).
pub struct Body {
    pub rendered: Rendered,
    pub links: Vec<LinkUse>,
    pub diags: Vec<Diagnostic>,
}

/// Renders the Markdown of single posts and pages of a site. [`render_markdown`]
/// renders them all; `gen serve` renders only the bodies that changed and checks,
/// with [`BodyRenderer::resolve_post`] and [`BodyRenderer::resolve_page`], that the
/// links of the others still resolve as they did.
pub struct BodyRenderer<'a> {
    site: &'a Site,
    opts: RenderOptions,
    sanitizer: Sanitizer,
    root_canonical: PathBuf,
    /// Permalinks by source file, made on first use (only `.md` links need it).
    sources: std::sync::OnceLock<HashMap<PathBuf, &'a str>>,
    /// The pictures of content, each processed once.
    pictures: Pictures,
}

impl<'a> BodyRenderer<'a> {
    pub fn new(site: &'a Site) -> Self {
        let config = &site.config;
        let root_canonical = site
            .root
            .canonicalize()
            .unwrap_or_else(|_| site.root.clone());
        BodyRenderer {
            site,
            opts: RenderOptions {
                highlight_code: config.highlight_code,
                smart_punctuation: config.smart_punctuation,
            },
            sanitizer: Sanitizer::new(&config.allowed_iframe_hosts),
            sources: std::sync::OnceLock::new(),
            pictures: Pictures::new(
                crate::sitefs::SiteFs::with_canonical(&site.root, &root_canonical),
                config.images.clone(),
                crate::images::cache_dir(&site.root, &config.cache),
            ),
            root_canonical,
        }
    }

    fn linker(&self) -> Linker<'_, 'a> {
        Linker {
            site: self.site,
            root_canonical: &self.root_canonical,
            sources: &self.sources,
            pictures: &self.pictures,
        }
    }

    /// Whether post `i`'s raw HTML is sanitized.
    pub fn sanitizes_post(&self, i: usize) -> bool {
        let config = &self.site.config;
        if self.site.posts[i].guest {
            config.sanitize_guest_html
        } else {
            config.sanitize_staff_html
        }
    }

    /// Renders post `i`, with its cover picture.
    pub fn post(&self, i: usize) -> Body {
        self.post_parts(i, Parts::Everything)
    }

    /// Renders post `i` without its page body (`html` is empty): everything
    /// lists, checks and warnings need (its cover included), with only the
    /// summary's code highlighted. A full build keeps this for every post and
    /// renders each body with [`BodyRenderer::post_html`] when its page is made.
    pub fn post_listing(&self, i: usize) -> Body {
        self.post_parts(i, Parts::Listing)
    }

    /// The page body of post `i`: the `html` that [`BodyRenderer::post`]
    /// renders (sanitized alike). Its problems are those of
    /// [`BodyRenderer::post_listing`], reported from there; the one error of
    /// its own is a source that changed since it was loaded (the file is
    /// read again, see [`crate::load::SourceFile`]).
    pub fn post_html(&self, i: usize) -> Result<String, Diagnostic> {
        let body = self.site.posts[i].body()?;
        Ok(self.post_body_of(i, &body, Parts::Body).rendered.html)
    }

    /// The `parts` of post `i`'s body, without its cover.
    fn post_body(&self, i: usize, parts: Parts) -> Body {
        match self.site.posts[i].body() {
            Ok(body) => self.post_body_of(i, &body, parts),
            Err(d) => Body {
                rendered: Rendered::default(),
                links: Vec::new(),
                diags: vec![d],
            },
        }
    }

    /// The `parts` of post `i`'s Markdown body `body`.
    fn post_body_of(&self, i: usize, body: &str, parts: Parts) -> Body {
        let p = &self.site.posts[i];
        let src = BodySource {
            source: &p.source,
            body,
            body_line: p.body_line,
            bundle: p.bundle.as_deref().map(|b| (b, p.path.as_str())),
        };
        self.body_parts(src, self.sanitizes_post(i), p.image.is_some(), parts)
    }

    fn post_parts(&self, i: usize, parts: Parts) -> Body {
        let p = &self.site.posts[i];
        let mut body = self.post_body(i, parts);
        if let Some(crate::load::Cover {
            asset: crate::load::Asset::Local {
                source, url_path, ..
            },
            ..
        }) = &p.image
            && crate::images::is_raster(source)
        {
            match self.linker().picture(source, url_path) {
                (Resolved::Picture(mut cover), _) => {
                    // The cover is the first picture of its page.
                    cover.lazy = false;
                    body.rendered.cover = Some(*cover);
                }
                (_, Some(Err(e))) => {
                    let mut d = Diagnostic::error(format!("cover {e}"))
                        .in_file(&p.source)
                        .hint(crate::images::HINT);
                    if let Ok(text) = p.text()
                        && let Some(line) = crate::text::position::key_line(&text, "image")
                    {
                        d = d.at(&text, line, 1);
                    }
                    body.diags.push(d);
                }
                _ => {}
            }
        }
        body
    }

    /// Renders page `i`.
    pub fn page(&self, i: usize) -> Body {
        let p = &self.site.pages[i];
        let src = BodySource {
            source: &p.source,
            body: p.body(),
            body_line: p.body_line,
            bundle: None,
        };
        let sanitize = self.site.config.sanitize_staff_html;
        self.body_parts(src, sanitize, false, Parts::Everything)
    }

    /// The problems of the body of a file whose front matter failed (sanitized
    /// as a guest's: its authors are not known for sure).
    pub fn loose(&self, b: &crate::load::LooseBody) -> Vec<Diagnostic> {
        let src = BodySource {
            source: &b.source,
            body: b.body(),
            body_line: b.body_line,
            bundle: b.bundle.as_deref().map(|d| (d, "")),
        };
        self.body_parts(src, true, false, Parts::Everything).diags
    }

    /// How a destination in post `i` resolves now.
    pub fn resolve_post(&self, i: usize, dest: &str, image: bool) -> Resolved {
        let p = &self.site.posts[i];
        let base = p.source.parent().unwrap_or(Path::new(""));
        let bundle = p.bundle.as_deref().map(|b| (b, p.path.as_str()));
        self.linker().resolve(base, bundle, dest, image)
    }

    /// How a destination in page `i` resolves now.
    pub fn resolve_page(&self, i: usize, dest: &str, image: bool) -> Resolved {
        let base = self.site.pages[i].source.parent().unwrap_or(Path::new(""));
        self.linker().resolve(base, None, dest, image)
    }

    /// Renders the `parts` of a body: `sanitize` sends its raw HTML to the
    /// sanitizer, `cover` says a cover picture comes first on its page.
    fn body_parts(&self, src: BodySource, sanitize: bool, cover: bool, parts: Parts) -> Body {
        let BodySource {
            source,
            body,
            body_line,
            bundle,
        } = src;
        let base = source.parent().unwrap_or(Path::new("")).to_path_buf();
        let linker = self.linker();
        let links = std::sync::Mutex::new(Vec::new());
        // Pictures that could not be made: their errors get their own hint.
        let bad_pictures = std::sync::Mutex::new(Vec::new());
        let resolve = |dest: &str, image: bool| {
            let (resolved, picture) = if image && sanitize && is_svg(dest) {
                // No sanitizer for SVG is at hand: a guest's SVG could run script.
                let message = format!(
                    "SVG picture {dest} is not accepted in a post whose HTML is sanitized (an SVG can hold scripts)"
                );
                bad_pictures
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((message.clone(), SVG_HINT));
                (Resolved::Broken(message), None)
            } else {
                linker.resolve_full(&base, bundle, dest, image)
            };
            let mut guard = links.lock().unwrap_or_else(|e| e.into_inner());
            let first_picture = !guard
                .iter()
                .any(|l: &LinkUse| matches!(l.resolved, Resolved::Picture(_)));
            guard.push(LinkUse {
                dest: dest.to_string(),
                image,
                resolved: resolved.clone(),
            });
            drop(guard);
            match (resolved, picture) {
                (Resolved::Picture(mut p), _) => {
                    // The first picture of a page loads at once: the body's
                    // first, unless a cover comes before it. (Its files are
                    // published with the site's files: `picture_files`.)
                    p.lazy = cover || !first_picture;
                    Resolved::Picture(p)
                }
                (r, Some(Err(message))) => {
                    bad_pictures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((message, crate::images::HINT));
                    r
                }
                (r, _) => r,
            }
        };
        let syntaxes = &self.site.config.syntaxes;
        let render = match parts {
            Parts::Everything => markdown::render_with_syntaxes,
            Parts::Listing => markdown::render_listing_with_syntaxes,
            Parts::Body => markdown::render_body_with_syntaxes,
        };
        let mut r = render(body, self.opts, syntaxes, &resolve);
        let bad_pictures = bad_pictures.into_inner().unwrap_or_else(|e| e.into_inner());
        if sanitize {
            // When nothing needs removing (most posts), this spares parsing the
            // HTML and adds what the sanitizer would add. Each part is
            // sanitized in the pass that makes it, once.
            if parts != Parts::Listing {
                r.html = sanitize::guest_html(&self.sanitizer, &r.html, r.needs_sanitizer);
            }
            if parts != Parts::Body {
                r.summary = sanitize::guest_html(&self.sanitizer, &r.summary, r.needs_sanitizer);
            }
        }
        if parts == Parts::Body {
            // The listing pass of the same body reported its problems.
            return Body {
                rendered: r,
                links: Vec::new(),
                diags: Vec::new(),
            };
        }
        if sanitize && r.needs_sanitizer {
            r.warnings = sanitize::removal_warnings(
                self.sanitizer.removals(body, self.opts),
                source,
                body,
                body_line,
            );
        }
        let unknown = &r.unknown_languages;
        let unknown = markdown::highlight::unknown_language_warnings(
            syntaxes, unknown, source, body, body_line,
        );
        r.warnings.extend(unknown);
        let diags: Vec<Diagnostic> = r
            .broken_links
            .iter()
            .map(|b| {
                let (line, col) = line_col(body, b.offset);
                let full_text_line = line + body_line - 1;
                let mut d = Diagnostic::error(b.message.clone()).in_file(source);
                d = if let Some((_, hint)) = bad_pictures.iter().find(|(m, _)| *m == b.message) {
                    d.hint(*hint)
                } else {
                    d.kind(crate::diag::Kind::BrokenLink).hint(
                    "link to another post by its file (e.g. `2024-05-01-hello.md`), to a page by its URL (`/about/`), or to a picture beside the post or under static/",
                )};
                d.line = Some(full_text_line);
                d.col = Some(col);
                d.source_line = body.lines().nth(line - 1).map(str::to_string);
                d
            })
            .collect();
        Body {
            rendered: r,
            links: links.into_inner().unwrap_or_else(|e| e.into_inner()),
            diags,
        }
    }
}

/// The Markdown body of a post, page or unparsed file, and where it is.
struct BodySource<'b> {
    /// The file, relative to the site root.
    source: &'b Path,
    body: &'b str,
    /// The file's line of the body's first line.
    body_line: usize,
    /// A bundle's folder and its URL path, for pictures beside the post.
    bundle: Option<(&'b Path, &'b str)>,
}

/// Resolves link and image destinations in content.
struct Linker<'a, 's> {
    site: &'s Site,
    root_canonical: &'a Path,
    sources: &'a std::sync::OnceLock<HashMap<PathBuf, &'s str>>,
    pictures: &'a Pictures,
}

/// A picture processed for a destination: made, or why not.
type Made = Option<Result<std::sync::Arc<crate::images::Picture>, String>>;

/// The hint of an SVG picture refused in a sanitized post.
const SVG_HINT: &str = "use a PNG of it instead (e.g. `rsvg-convert -w 1600 logo.svg > logo.png`); SVG pictures are for posts whose HTML is not sanitized";

/// Whether a destination names an SVG file.
fn is_svg(dest: &str) -> bool {
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    path.to_ascii_lowercase().ends_with(".svg")
}

impl Linker<'_, '_> {
    /// Where a file in another published post's folder is served (beside that
    /// post), so a post can show a picture that lives with another one. Only
    /// reached for files that are not under `static/`, `content/` pages or the
    /// post's own folder, so the scan over posts is rare.
    fn in_other_bundle(&self, target: &Path) -> Option<String> {
        self.site.posts.iter().find_map(|post| {
            let dir = post.bundle.as_deref()?;
            crate::routes::served_path(target, Some((dir, post.path.as_str())))
        })
    }

    fn resolve(
        &self,
        base: &Path,
        bundle: Option<(&Path, &str)>,
        dest: &str,
        image: bool,
    ) -> Resolved {
        self.resolve_full(base, bundle, dest, image).0
    }

    /// The picture of the site file `target`, served at `path`, as the
    /// renderer writes it (lazy; the body decides which one is not).
    fn picture(&self, target: &Path, path: &str) -> (Resolved, Made) {
        match self.pictures.picture(target, path) {
            Ok(made) => {
                let config = &self.site.config;
                let url = |p: &str| config.url(p);
                let picture = markdown::Picture {
                    src: url(&made.path),
                    width: made.width,
                    height: made.height,
                    srcset: crate::images::Picture::srcset(&made.variants, &url),
                    webp_srcset: crate::images::Picture::srcset(&made.webp, &url),
                    sizes: self.pictures.settings().sizes.clone(),
                    lazy: true,
                };
                (Resolved::Picture(Box::new(picture)), Some(Ok(made)))
            }
            Err(e) => (Resolved::Broken(e.clone()), Some(Err(e))),
        }
    }

    /// How a destination resolves, with the picture made for it.
    fn resolve_full(
        &self,
        base: &Path,
        bundle: Option<(&Path, &str)>,
        dest: &str,
        image: bool,
    ) -> (Resolved, Made) {
        let config = &self.site.config;
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
            return (Resolved::Keep, None);
        }
        if let Some(colon) = dest.find(':')
            && !dest[..colon].contains(['/', '?', '#'])
        {
            return (Resolved::Keep, None);
        }
        let (path_part, suffix) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        if path_part.starts_with('/') {
            // A site-absolute picture under static/ is processed like one
            // beside the post.
            if image && suffix.is_empty() && crate::images::is_raster(Path::new(path_part)) {
                let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy();
                if let Ok(target) =
                    join_inside(Path::new("static"), decoded.trim_start_matches('/'))
                    && matches!(
                        check_real(&self.site.root, self.root_canonical, &target),
                        Ok(true)
                    )
                {
                    return self.picture(&target, &decoded);
                }
            }
            return (
                Resolved::Url(format!("{}{}", config.url(path_part), suffix)),
                None,
            );
        }
        let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy();
        let target = match join_inside(base, &decoded) {
            Ok(t) => t,
            Err(e) => {
                return (
                    Resolved::Broken(format!("{} {e}", if image { "image" } else { "link" })),
                    None,
                );
            }
        };
        if crate::load::is_markdown(Path::new(path_part)) {
            if self.site.unparsed.contains(&target) {
                // That file's own errors are reported; the link is fine once they are fixed.
                return (Resolved::Keep, None);
            }
            let sources = self.sources.get_or_init(|| {
                let site = self.site;
                site.posts
                    .iter()
                    .map(|p| (p.source.clone(), p.path.as_str()))
                    .chain(
                        site.pages
                            .iter()
                            .map(|p| (p.source.clone(), p.path.as_str())),
                    )
                    .collect()
            });
            let resolved = match sources.get(&target) {
                Some(p) => Resolved::Url(format!("{}{}", config.url(p), suffix)),
                None => {
                    // A file that exists is a draft or no post: no other file to suggest.
                    let near = (!self.site.root.join(&target).exists())
                        .then(|| {
                            crate::diag::did_you_mean_file(
                                &target,
                                sources.keys().map(PathBuf::as_path),
                            )
                        })
                        .flatten();
                    Resolved::Broken(match near {
                        Some(n) => format!(
                            "link to {} which is not a published post or page (did you mean {n}?)",
                            target.display()
                        ),
                        None => format!(
                            "link to {} which is not a published post or page",
                            target.display()
                        ),
                    })
                }
            };
            return (resolved, None);
        }
        let resolved = match check_real(&self.site.root, self.root_canonical, &target) {
            Err(e) => Resolved::Broken(e),
            Ok(false) => Resolved::Broken(format!(
                "{} {dest} not found (looked for {})",
                if image { "image" } else { "link target" },
                target.display()
            )),
            Ok(true) => match crate::routes::served_path(&target, bundle)
                .or_else(|| self.in_other_bundle(&target))
            {
                Some(p) if image && suffix.is_empty() && crate::images::is_raster(&target) => {
                    return self.picture(&target, &p);
                }
                Some(p) => Resolved::Url(format!("{}{}", config.url(&p), suffix)),
                None => Resolved::Broken(format!(
                    "{} is not published: put files in static/ or beside the post in its folder",
                    target.display()
                )),
            },
        };
        (resolved, None)
    }
}
