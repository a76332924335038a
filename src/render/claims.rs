//! Who makes each output file. Every file a build writes has exactly one source:
//! a post, a page, a file copied from `static/` (or a post's folder, or beside
//! a profile), a theme file, or something the program generates (a listing and
//! its pages, an author or term page, a feed, a share kit, the sitemap…). Two
//! sources of one path would silently replace one another, so they are an
//! error naming both.
//!
//! The list is made from the routes of the same jobs and feeds the renderer
//! renders ([`site_jobs`], [`site_feeds`]; their paths from
//! [`crate::routes`]), so nothing the build writes escapes it: a page at
//! `content/tags/x.md` clashes with the tag page of "x". `gen build`, `gen
//! check` and `gen serve` check the same list. (It lives in `render`, beside
//! the jobs it lists, so that `routes` imports nothing of the crate.)
//!
//! Two overrides are no clash, because they are how a site changes what it
//! would otherwise get: a site's static file replaces the theme's file of the
//! same path, and a `robots.txt` in `static/` replaces the generated one.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::redirects::Origin;
use super::{Indices, Job, Source, Theme, site_feeds, site_jobs};
use crate::diag::{Diagnostic, display_path};
use crate::load::{Site, StaticFile};
use crate::routes::{EXTRAS, Route, SEARCH_BUNDLE, Taxonomy, url_of};

/// What claims an output file.
#[derive(Debug, Clone)]
pub enum Claimant<'a> {
    /// A page the templates render (a post, a page, a listing, a kit…).
    Job(Job),
    /// A feed, by its route.
    Feed(Route),
    /// One of [`EXTRAS`].
    Extra(Route),
    /// A file of the site copied as it is.
    File(&'a StaticFile),
    /// A static file of the theme (where the site has none of that path).
    ThemeFile(&'a Source),
    /// The search index and its UI files: the whole [`SEARCH_BUNDLE`]
    /// folder, whose files are named by their content.
    SearchIndex,
}

/// One output file and what makes it.
#[derive(Debug, Clone)]
pub struct Claim<'a> {
    /// Output path, relative, `/`-separated (`tags/x/index.html`).
    pub file: String,
    pub by: Claimant<'a>,
}

/// Whether the site or its theme has a `robots.txt` among its static files: it
/// then takes the place of the generated one.
pub fn static_robots(site: &Site, theme: Option<&Theme>) -> bool {
    site.files.iter().any(|f| f.dest == "robots.txt")
        || theme.is_some_and(|t| t.static_files.iter().any(|(d, _)| d == "robots.txt"))
}

/// Every output file of the site with what makes it, in the order: pages,
/// feeds, generated extras, the site's files, the theme's files. A path that
/// appears twice is a clash ([`check`]). Without a theme (it failed to load),
/// its static files are left out.
pub fn claims<'a>(
    site: &'a Site,
    indices: &'a Indices,
    theme: Option<&'a Theme>,
) -> Vec<Claim<'a>> {
    let mut out: Vec<Claim<'a>> = site_jobs(site, indices)
        .into_iter()
        .map(|job| Claim {
            file: job.route(site, indices).file(),
            by: Claimant::Job(job),
        })
        .collect();
    out.extend(site_feeds(site, indices).into_iter().map(|f| Claim {
        file: f.route.file(),
        by: Claimant::Feed(f.route),
    }));
    let robots = static_robots(site, theme);
    out.extend(
        EXTRAS
            .into_iter()
            .filter(|e| !(robots && *e == Route::Robots))
            .map(|e| Claim {
                file: e.file(),
                by: Claimant::Extra(e),
            }),
    );
    if site.config.search {
        out.push(Claim {
            file: search_folder().to_string(),
            by: Claimant::SearchIndex,
        });
    }
    out.extend(site.files.iter().map(|f| Claim {
        file: f.dest.clone(),
        by: Claimant::File(f),
    }));
    // A picture's resized variants are made from it (its own path it has).
    for (k, files) in super::links::picture_files(site, false) {
        let f = &site.files[k];
        out.extend(
            files
                .into_iter()
                .filter(|(d, _)| *d != f.dest)
                .map(|(d, _)| Claim {
                    file: d,
                    by: Claimant::File(f),
                }),
        );
    }
    if let Some(theme) = theme {
        // Each post's social card, made with its page.
        let setting = site.config.images.social_cards;
        out.extend(
            site.posts
                .iter()
                .enumerate()
                .filter(|(_, p)| super::cards::wants_card(setting, p))
                .map(|(i, p)| Claim {
                    file: super::cards::card_path(site, theme, p)
                        .trim_start_matches('/')
                        .to_string(),
                    by: Claimant::Job(Job::Post(i)),
                }),
        );
        // The site's static files override the theme's: no clash.
        let site_has = |d: &str| site.files.iter().any(|f| f.dest == d);
        out.extend(
            theme
                .static_files
                .iter()
                .filter(|(d, _)| !site_has(d))
                .map(|(d, s)| Claim {
                    file: d.clone(),
                    by: Claimant::ThemeFile(s),
                }),
        );
    }
    out
}

/// Every output path claimed more than once, as one error each naming all its
/// claimants. Posts that share a slug are left out: loading reports them
/// (with the line of the slug). Paths that differ only in letter case are
/// warnings.
pub fn check(site: &Site, indices: &Indices, theme: Option<&Theme>) -> Vec<Diagnostic> {
    let all = claims(site, indices, theme);
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(all.len());
    let mut clashes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let search = site.config.search;
    for (k, c) in all.iter().enumerate() {
        // The search index claims its whole folder: any file in it clashes.
        let file = match c.file.as_str() {
            f if search && f.starts_with(search_folder()) => search_folder(),
            f => f,
        };
        if let Some(&j) = first.get(file) {
            clashes.entry(file).or_insert_with(|| vec![j]).push(k);
        } else {
            first.insert(file, k);
        }
    }
    let describe = Describe { site, indices };
    let mut found: Vec<Diagnostic> = clashes
        .into_iter()
        .filter_map(|(file, ks)| {
            let who: Vec<&Claimant<'_>> = ks.iter().map(|&k| &all[k].by).collect();
            (!same_slug_posts(site, &who)).then(|| describe.clash(file, &who))
        })
        .collect();
    found.extend(case_clashes(&all, &first, &describe));
    found.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    found
}

/// The folder of the search index as an output path: `pagefind/`.
pub fn search_folder() -> &'static str {
    SEARCH_BUNDLE.trim_start_matches('/')
}

/// Paths that differ only in letter case (`static/Logo.png` and
/// `static/logo.png`): distinct here, but one file on the case-insensitive file
/// systems of macOS and Windows, where one would replace the other. A warning:
/// on Linux and on most hosts both are published.
fn case_clashes(
    all: &[Claim<'_>],
    first: &HashMap<&str, usize>,
    describe: &Describe<'_>,
) -> Vec<Diagnostic> {
    // Most paths are lowercase already: only the others are folded.
    let mut folded: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (k, c) in all.iter().enumerate() {
        if first.get(c.file.as_str()) == Some(&k) && c.file.chars().any(char::is_uppercase) {
            folded.entry(c.file.to_lowercase()).or_default().push(k);
        }
    }
    folded
        .into_iter()
        .filter_map(|(lower, mut ks)| {
            if let Some(&k) = first.get(lower.as_str()) {
                ks.insert(0, k);
            }
            (ks.len() > 1).then(|| describe.case_clash(all, &ks))
        })
        .collect()
}

/// Whether every claimant is made from posts that share one slug.
fn same_slug_posts(site: &Site, who: &[&Claimant<'_>]) -> bool {
    let slugs: Vec<&str> = who
        .iter()
        .filter_map(|c| match c {
            Claimant::Job(Job::Post(i) | Job::Share(i) | Job::ShareJson(i)) => {
                Some(site.posts[*i].slug.as_str())
            }
            _ => None,
        })
        .collect();
    slugs.len() == who.len() && slugs.windows(2).all(|w| w[0] == w[1])
}

fn number(n: usize) -> String {
    match n {
        2 => "two".into(),
        3 => "three".into(),
        4 => "four".into(),
        n => n.to_string(),
    }
}

/// How much a claimant's file is the one to change: pages first (they take
/// their path from where they are), then copied files, then posts.
fn rank(c: &Claimant<'_>) -> u8 {
    match c {
        // An alias is a claim someone wrote on an old URL: the one to drop.
        Claimant::Job(Job::Redirect(_)) => 4,
        Claimant::Job(Job::Page(_)) => 3,
        Claimant::File(_) => 2,
        Claimant::Job(Job::Post(_)) => 1,
        _ => 0,
    }
}

/// Words for claimants, for people.
struct Describe<'a> {
    site: &'a Site,
    indices: &'a Indices,
}

impl Describe<'_> {
    /// A path relative to the site root, as diagnostics show it.
    fn rel(&self, p: &Path) -> String {
        let root_abs = std::path::absolute(&self.site.root).ok();
        let rel = p
            .strip_prefix(&self.site.root)
            .ok()
            .or_else(|| root_abs.as_deref().and_then(|r| p.strip_prefix(r).ok()))
            .unwrap_or(p);
        display_path(rel)
    }

    /// The site file a claimant comes from, if it is one people edit.
    fn source(&self, c: &Claimant<'_>) -> Option<String> {
        let site = self.site;
        match c {
            Claimant::Job(Job::Post(i) | Job::Share(i) | Job::ShareJson(i)) => {
                Some(display_path(&site.posts[*i].source))
            }
            Claimant::Job(Job::Page(i)) => Some(display_path(&site.pages[*i].source)),
            Claimant::Job(Job::Redirect(r)) => Some(match &r.origin {
                Origin::Post(i) => display_path(&site.posts[*i].source),
                Origin::Page(i) => display_path(&site.pages[*i].source),
                _ => crate::config::CONFIG_FILE.to_string(),
            }),
            Claimant::Job(Job::Author(slug, _)) | Claimant::Feed(Route::AuthorFeed(slug)) => {
                site.authors.get(slug).map(|a| display_path(&a.source))
            }
            Claimant::File(f) => Some(self.rel(&f.source)),
            Claimant::ThemeFile(Source::Disk(p)) => Some(self.rel(p)),
            _ => None,
        }
    }

    fn term(&self, t: Taxonomy, i: usize) -> (&'static str, &str) {
        (t.singular(), &self.indices.taxonomy(t)[i].name)
    }

    /// The index of the term of a term feed (terms are sorted by slug).
    fn term_of_feed(&self, t: Taxonomy, slug: &str) -> Option<usize> {
        self.indices
            .taxonomy(t)
            .binary_search_by(|term| term.slug.as_str().cmp(slug))
            .ok()
    }

    /// "content/about.md", "the tag page of \"rituals\"", "the site feed"…
    fn what(&self, c: &Claimant<'_>) -> String {
        let site = self.site;
        let paged = |n: usize, what: String| {
            if n <= 1 {
                what
            } else {
                format!("page {n} of {what}")
            }
        };
        match c {
            Claimant::Job(job) => match job {
                Job::Home(n) => paged(*n, "the home page".into()),
                Job::Post(i) => display_path(&site.posts[*i].source),
                Job::Page(i) => display_path(&site.pages[*i].source),
                Job::Authors => "the list of authors".into(),
                Job::AuthorsOpml => "the OPML file of every author's feeds".into(),
                Job::Author(slug, n) => {
                    let what = match site.authors.get(slug) {
                        Some(a) => format!(
                            "the author page of \"{slug}\" ({})",
                            display_path(&a.source)
                        ),
                        None => format!("the author page of \"{slug}\""),
                    };
                    paged(*n, what)
                }
                Job::Terms(t) => format!("the list of {}", t.name()),
                Job::Term(t, i, n) => {
                    let (kind, name) = self.term(*t, *i);
                    paged(*n, format!("the {kind} page of \"{name}\""))
                }
                Job::NotFound => "the 404 page".into(),
                Job::Share(i) => {
                    format!("the share kit of {}", display_path(&site.posts[*i].source))
                }
                Job::ShareJson(i) => format!(
                    "the share kit's snippets.json of {}",
                    display_path(&site.posts[*i].source)
                ),
                Job::Redirect(r) => match &r.origin {
                    Origin::Post(i) => format!(
                        "the alias \"{}\" of {}",
                        r.from,
                        display_path(&site.posts[*i].source)
                    ),
                    Origin::Page(i) => format!(
                        "the alias \"{}\" of {}",
                        r.from,
                        display_path(&site.pages[*i].source)
                    ),
                    Origin::Author(slug) => format!(
                        "the redirect of author \"{slug}\" ([redirects] authors in gen.toml)"
                    ),
                    Origin::Term(t, slug) => format!(
                        "the redirect of {} \"{slug}\" ([redirects] {} in gen.toml)",
                        t.singular(),
                        t.name()
                    ),
                    Origin::Config => {
                        format!("the redirect \"{}\" ([redirects] in gen.toml)", r.from)
                    }
                },
                Job::Redirects => "the generated _redirects".into(),
                Job::Archive => "the archive".into(),
                Job::Search => "the search page".into(),
                Job::Year(y) => format!("the archive page of {y:04}"),
                Job::Month(y, m) => format!("the archive page of {y:04}-{m:02}"),
                Job::Write => "the write page ([guest] repository in gen.toml)".into(),
                Job::WriteData => {
                    "the write page's site.json ([guest] repository in gen.toml)".into()
                }
                Job::Contributors(_) => {
                    "the contributors page (data/contributors.json, from gen fetch)".into()
                }
                Job::ContributorsFeed => {
                    "the contributors feed (data/contributors.json, from gen fetch)".into()
                }
            },
            Claimant::Feed(Route::FeedAs(format, rss)) => format!(
                "{} ({})",
                self.what(&Claimant::Feed((**rss).clone())),
                format.title()
            ),
            Claimant::Feed(Route::AuthorFeed(slug)) => format!("the feed of author \"{slug}\""),
            Claimant::Feed(Route::TermFeed(t, slug)) => match self.term_of_feed(*t, slug) {
                Some(i) => {
                    let (kind, name) = self.term(*t, i);
                    format!("the feed of {kind} \"{name}\"")
                }
                None => format!("the feed of {} \"{slug}\"", t.singular()),
            },
            Claimant::Feed(_) => "the site feed".into(),
            Claimant::Extra(Route::Sitemap) => "the sitemap".into(),
            Claimant::Extra(Route::Robots) => "the generated robots.txt".into(),
            Claimant::Extra(Route::SyntaxCss) => "the code highlighting stylesheet".into(),
            Claimant::Extra(other) => format!("the generated {}", other.file()),
            Claimant::File(f) => self.rel(&f.source),
            Claimant::ThemeFile(Source::Disk(p)) => self.rel(p),
            Claimant::ThemeFile(Source::Embedded(_)) => "a file of the built-in theme".into(),
            Claimant::SearchIndex => "the search index ([search] in gen.toml)".into(),
        }
    }

    /// Where the posts that use a term come from, for a hint.
    fn term_users(&self, t: Taxonomy, i: usize) -> String {
        let posts = &self.indices.taxonomy(t)[i].posts;
        let first = posts
            .iter()
            .map(|&p| display_path(&self.site.posts[p].source))
            .min()
            .unwrap_or_default();
        match posts.len() {
            0 | 1 => first,
            n => format!("{first} and {} more", n - 1),
        }
    }

    /// The warning for output paths that differ only in letter case.
    fn case_clash(&self, all: &[Claim<'_>], ks: &[usize]) -> Diagnostic {
        let urls: Vec<String> = ks.iter().map(|&k| url_of(&all[k].file)).collect();
        let names: Vec<String> = ks.iter().map(|&k| self.what(&all[k].by)).collect();
        // The file to rename: one with capitals (usually the odd one out).
        let primary = ks
            .iter()
            .filter_map(|&k| {
                let upper = all[k].file.chars().any(char::is_uppercase);
                self.source(&all[k].by)
                    .map(|s| ((upper, rank(&all[k].by), k), s))
            })
            .max_by_key(|(key, _)| *key);
        let d = Diagnostic::warning(format!(
            "{} differ only in letter case: {} would be one file on macOS and Windows, where one replaces the other",
            crate::share::kit::join_names(&urls),
            crate::share::kit::join_names(&names)
        ))
        .hint("rename one of them so that their paths differ by more than case");
        match primary {
            Some((_, src)) => d.in_file(src),
            None => d,
        }
    }

    /// The error for one path and its claimants.
    fn clash(&self, file: &str, who: &[&Claimant<'_>]) -> Diagnostic {
        let url = url_of(file);
        let names: Vec<String> = who.iter().map(|c| self.what(c)).collect();
        let message = format!(
            "{} sources for {url}: {}",
            number(who.len()),
            crate::share::kit::join_names(&names)
        );
        // The file to change: the best-ranked one that people edit (the later
        // one on a tie: usually the newer).
        let primary = who
            .iter()
            .enumerate()
            .filter_map(|(k, c)| self.source(c).map(|s| (rank(c), k, s)))
            .max_by_key(|(r, k, _)| (*r, *k));
        let generated: Vec<&Claimant<'_>> = who
            .iter()
            .copied()
            .filter(|c| {
                !matches!(
                    c,
                    Claimant::File(_)
                        | Claimant::ThemeFile(_)
                        | Claimant::Job(Job::Page(_) | Job::Post(_))
                )
            })
            .collect();
        let mut hint = match &primary {
            Some((_, k, src)) => match who[*k] {
                Claimant::Job(Job::Redirect(r)) => match r.origin {
                    Origin::Post(_) | Origin::Page(_) => format!(
                        "an old URL can lead to one page only: remove \"{}\" from the aliases in {src}, or move the other source",
                        r.from
                    ),
                    _ => "change [redirects] in gen.toml so that no redirect lands on a path the site has".to_string(),
                },
                Claimant::Job(Job::Page(_)) => format!(
                    "a page's URL is its place under content/: move or rename {src}, or give it another `slug` in its front matter"
                ),
                Claimant::Job(Job::Post(_)) => format!(
                    "give {src} another `slug` in its front matter, or change `[permalinks] post` in gen.toml"
                ),
                Claimant::File(_) if generated.is_empty() => {
                    "rename or remove one of the files".to_string()
                }
                Claimant::File(_) if file == "404.html" => format!(
                    "gen makes {url} itself: remove {src}, and change the 404 page with templates/404.html instead"
                ),
                Claimant::File(_) if file == "_redirects" => format!(
                    "gen makes {url} from aliases and [redirects]: move the rules of {src} into [redirects] in gen.toml and remove it"
                ),
                Claimant::File(_) => {
                    format!("gen makes {url} itself: remove or rename {src}")
                }
                Claimant::ThemeFile(_) if !generated.is_empty() => {
                    format!("gen makes {url} itself: remove {src} from the theme")
                }
                _ => "rename one of them".to_string(),
            },
            None => "rename one of them".to_string(),
        };
        for c in &generated {
            let term = match c {
                Claimant::Job(Job::Term(t, i, _)) => Some((*t, *i)),
                Claimant::Feed(Route::TermFeed(t, slug)) => {
                    self.term_of_feed(*t, slug).map(|i| (*t, i))
                }
                _ => None,
            };
            if let Some((t, i)) = term {
                let (kind, name) = self.term(t, i);
                hint.push_str(&format!(
                    "; or rename the {kind} \"{name}\" (used by {})",
                    self.term_users(t, i)
                ));
                break;
            }
        }
        let mut d = Diagnostic::error(message).hint(hint);
        // An alias is written on a line of its file's front matter: point at it.
        if let Some((_, k, _)) = &primary
            && let Claimant::Job(Job::Redirect(r)) = who[*k]
        {
            let front = match r.origin {
                Origin::Post(i) => {
                    let p = &self.site.posts[i];
                    p.text().ok().map(|mut text| {
                        text.truncate(p.body_offset);
                        text
                    })
                }
                Origin::Page(i) => {
                    let p = &self.site.pages[i];
                    Some(p.text[..p.body_offset].to_string())
                }
                _ => None,
            };
            if let Some(front) = front
                && let Some(at) = front.find(&r.from)
            {
                d = d.at_offset(&front, at);
            }
        }
        match primary {
            Some((_, _, src)) => d.in_file(src),
            None => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a page under `content/tags/` at a tag page's path replaced
    /// the tag page unseen; every generated path is claimed, not only `/tags/`.
    #[test]
    fn content_page_under_tags_collides_with_tag_page() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let opts = crate::load::LoadOptions {
            drafts: true,
            future: true,
            base_url: None,
        };
        let mut site = crate::build::build(&root, opts)
            .unwrap_or_else(|d| panic!("the example site builds: {d:?}"))
            .site;
        let text = "+++\ntitle = \"Rituals\"\n+++\n\nOur rituals.\n".to_string();
        site.pages.push(crate::load::Page {
            source: "content/tags/rituals.md".into(),
            body_offset: text.len() - "\nOur rituals.\n".len(),
            body_line: 4,
            title: "Rituals".into(),
            description: None,
            draft: false,
            path: crate::routes::page_path(Some(Path::new("tags")), "rituals"),
            aliases: Vec::new(),
            text,
        });
        let indices = Indices::build(&site);
        let errors: Vec<String> = check(&site, &indices, None)
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(|d| {
                format!(
                    "{}: {}",
                    crate::diag::display_path(&d.path.unwrap_or_default()),
                    d.message
                )
            })
            .collect();
        assert_eq!(
            errors,
            [
                "content/tags/rituals.md: two sources for /tags/rituals/: content/tags/rituals.md and the tag page of \"rituals\""
            ]
        );
    }

    /// The claims are exactly the files a build writes: a path the renderer
    /// writes but nobody claims would escape the check.
    #[test]
    fn claims_are_the_files_a_build_writes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let opts = crate::load::LoadOptions {
            drafts: true,
            future: true,
            base_url: None,
        };
        let built = crate::build::build(&root, opts)
            .unwrap_or_else(|d| panic!("the example site builds: {d:?}"));
        let theme = crate::render::theme::load(&root, &built.site.config)
            .unwrap_or_else(|d| panic!("{d:?}"));
        let indices = Indices::build(&built.site);
        let mut claimed: Vec<String> = claims(&built.site, &indices, Some(&theme))
            .into_iter()
            .map(|c| c.file)
            .collect();
        claimed.sort();
        // The search index claims its folder, whose files are named by
        // their content.
        let mut written: Vec<String> = built
            .output
            .files
            .keys()
            .map(|f| match f.starts_with(search_folder()) {
                true => search_folder().to_string(),
                false => f.clone(),
            })
            .collect();
        written.dedup();
        assert!(written.iter().any(|f| f == search_folder()));
        assert_eq!(claimed, written);
        assert!(check(&built.site, &indices, Some(&theme)).is_empty());
    }
}
