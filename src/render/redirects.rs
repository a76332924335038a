//! Old URLs that keep working: every alias of a post or page
//! (`aliases = ["/old/"]`, Jekyll's `redirect_from`), every author and term
//! under a `[redirects]` pattern (`tags = "/tag/:slug/"`), and each single
//! `[redirects] "/old/" = "/new/"` entry. Each becomes a redirect page at the
//! old path (a [`Job::Redirect`], rendered with the theme's `redirect.html`:
//! meta refresh, canonical link, a visible link, `noindex`, so hosts without
//! redirect rules still send readers on) and a line of `/_redirects`
//! ([`Job::Redirects`], the rules Netlify and Cloudflare Pages apply with a
//! real 301). Their paths are claims like any page's
//! (`render::claims`): an alias that another page, feed, file or alias has
//! is an error naming both. Redirects are neither in the sitemap nor in feeds.

use super::{Indices, Job};
use crate::config::Config;
use crate::load::Site;
use crate::routes::{Route, Taxonomy, redirect_pattern_path};

/// What makes a redirect, to name it in errors.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// An alias of post N.
    Post(usize),
    /// An alias of page N.
    Page(usize),
    /// The `[redirects] authors` pattern, for this author.
    Author(String),
    /// The `[redirects] tags` or `categories` pattern, for this term (slug).
    Term(Taxonomy, String),
    /// A `[redirects] "/old/" = "/new/"` entry.
    Config,
}

/// One old path and where it now is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Redirect {
    /// The old path (checked by `routes::alias_path`).
    pub from: String,
    /// The new place: a path on the site, or an absolute http(s) URL (a
    /// `[redirects]` entry may send readers elsewhere).
    pub to: String,
    pub origin: Origin,
}

impl Redirect {
    /// The new place as an absolute URL.
    pub fn url(&self, config: &Config) -> String {
        if self.to.starts_with('/') {
            config.url(&self.to)
        } else {
            self.to.clone()
        }
    }

    /// Its route: the page at the old path.
    pub fn route(&self) -> Route {
        Route::Alias(self.from.clone())
    }
}

/// Every redirect of the site, sorted by old path (then by what makes it, so
/// two claimants of one old path sit side by side for `render::claims`).
/// Author and term patterns that give the page's own path (`authors =
/// "/authors/:slug/"`, the shape the site has anyway) make nothing.
pub fn site_redirects(site: &Site, indices: &Indices) -> Vec<Redirect> {
    let mut out = Vec::new();
    for (i, p) in site.posts.iter().enumerate() {
        out.extend(p.aliases.iter().map(|a| Redirect {
            from: a.clone(),
            to: p.path.clone(),
            origin: Origin::Post(i),
        }));
    }
    for (i, p) in site.pages.iter().enumerate() {
        out.extend(p.aliases.iter().map(|a| Redirect {
            from: a.clone(),
            to: p.path.clone(),
            origin: Origin::Page(i),
        }));
    }
    let rules = &site.config.redirects;
    let mut pattern = |pattern: &str, slug: &str, to: String, origin: Origin| {
        let from = redirect_pattern_path(pattern, slug);
        if from != to {
            out.push(Redirect { from, to, origin });
        }
    };
    if let Some(p) = &rules.authors {
        for slug in indices.by_author.keys() {
            let to = Route::Author(slug.clone(), 1).path();
            pattern(p, slug, to, Origin::Author(slug.clone()));
        }
    }
    for (t, p) in [
        (Taxonomy::Tags, &rules.tags),
        (Taxonomy::Categories, &rules.categories),
    ] {
        let Some(p) = p else { continue };
        for term in indices.taxonomy(t) {
            let to = Route::Term(t, term.slug.clone(), 1).path();
            pattern(p, &term.slug, to, Origin::Term(t, term.slug.clone()));
        }
    }
    out.extend(rules.paths.iter().map(|(from, to)| Redirect {
        from: from.clone(),
        to: to.clone(),
        origin: Origin::Config,
    }));
    out.sort();
    out
}

/// The page jobs of the redirects: one page per redirect, and `/_redirects`
/// when there is any.
pub fn redirect_jobs(site: &Site, indices: &Indices) -> Vec<Job> {
    let redirects = site_redirects(site, indices);
    let any = !redirects.is_empty();
    let mut jobs: Vec<Job> = redirects.into_iter().map(Job::Redirect).collect();
    if any {
        jobs.push(Job::Redirects);
    }
    jobs
}

/// `/_redirects` in the format of Netlify and Cloudflare Pages: `old new 301`,
/// one line per redirect, sorted by old path. Paths are written as a request
/// has them (percent-encoded beyond ASCII); a new place on the site as a path,
/// so the rules work on preview deploys too.
pub fn redirects_file(config: &Config, redirects: &[Redirect]) -> String {
    let encoded = |path: &str| {
        let url = config.url(path);
        url.strip_prefix(&config.base_url)
            .map(str::to_string)
            .unwrap_or(url)
    };
    let mut out =
        String::from("# Made by gen from aliases and [redirects]: old path, new place, status.\n");
    let mut last: Option<&str> = None;
    for r in redirects {
        // A clash is an error before anything is written; one line per path.
        if last == Some(r.from.as_str()) {
            continue;
        }
        last = Some(&r.from);
        let to = if r.to.starts_with('/') {
            encoded(&r.to)
        } else {
            r.to.clone()
        };
        out.push_str(&format!("{} {to} 301\n", encoded(&r.from)));
    }
    out
}
