//! The "Write for us" page (`/write/`, [`Job::Write`]) and the data its script
//! checks a draft against (`/write/site.json`, [`Job::WriteData`]): made only
//! when gen.toml sets `[guest] repository`. The page is a form that builds a
//! post file and opens the host's new-file page with it; everything here is
//! already public on the site (names, tags, categories), never an email.

use serde::Serialize;

use super::Indices;
use super::jobs::Job;
use crate::config::{Config, GuestHost, GuestRepository};
use crate::load::Site;
use crate::platforms::count::Platform;
use crate::routes::Route;
use crate::share::kit::{self, Marked, marks};

/// The longest new-file URL the page opens with the file in it. Browsers take
/// far longer ones, but hosts and proxies in between refuse URLs past about
/// 8 KB (GitHub answers 414 a little above that); a longer draft is copied
/// to the clipboard instead and the page opened with the file name only.
pub const URL_MAX: usize = 8000;

/// The write page's jobs: the page and its data, with `[guest] repository`.
pub fn write_jobs(site: &Site) -> Vec<Job> {
    match site.config.guest_repository {
        Some(_) => vec![Job::Write, Job::WriteData],
        None => Vec::new(),
    }
}

/// `/write/site.json`.
#[derive(Debug, Serialize)]
pub struct WriteData<'a> {
    /// Where a proposed post goes.
    pub repository: RepositoryValue<'a>,
    /// Every author, by name, for "I have written here before".
    pub authors: Vec<WriteAuthor<'a>>,
    /// Every tag in use, by name, with its number of posts (a tag of one
    /// post that is one edit from a tag of several is `gen check`'s typo).
    pub tags: Vec<TermCount<'a>>,
    /// Every category in use, likewise.
    pub categories: Vec<TermCount<'a>>,
    /// The limits `gen check` applies.
    pub limits: Limits,
    /// What the page needs to count the X snippets of the guest's post as
    /// the build will: `None` when the site does not share to X.
    pub x: Option<XCheck>,
}

/// The X snippets of a one-guest post, with marks for the draft's parts
/// (`share::kit::marks`), for the page's share-snippet fit check.
#[derive(Debug, Serialize)]
pub struct XCheck {
    /// X's limit, in weighted characters.
    pub limit: usize,
    /// The marks, by what they stand for.
    pub marks: Marks,
    /// A post's address on the site with the slug mark for its slug, as
    /// the snippets hold it (the date is a fixed one: X counts every
    /// address as 23, whatever it is).
    pub post_url: String,
    /// Every rendering the fitter can reach.
    pub snippets: Vec<Marked>,
}

/// The marks of [`XCheck::snippets`].
#[derive(Debug, Serialize)]
pub struct Marks {
    pub title: char,
    pub description: char,
    pub guest: char,
    /// In [`XCheck::post_url`], percent-encoded as an address has it.
    pub slug: char,
}

/// The repository guests propose posts to, and where its new-file page is.
#[derive(Debug, Serialize)]
pub struct RepositoryValue<'a> {
    /// `github` or `gitlab`.
    pub host: GuestHost,
    /// `owner/name`.
    pub name: &'a str,
    pub branch: &'a str,
    /// The host's new-file page for the branch, without its query
    /// (`https://github.com/acme/blog/new/main`).
    pub new_file_url: String,
    /// The name of the file-name parameter of that page (`filename` on
    /// GitHub, `file_name` on GitLab).
    pub file_param: &'static str,
    /// The name of its content parameter (`value`, `content`).
    pub content_param: &'static str,
    /// The site's contributor guide on the host, for the manual way.
    pub contributing_url: String,
}

/// A tag or category and how many posts have it.
#[derive(Debug, Serialize)]
pub struct TermCount<'a> {
    pub name: &'a str,
    pub posts: usize,
}

/// One author as the write page offers them.
#[derive(Debug, Serialize)]
pub struct WriteAuthor<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub guest: bool,
    /// Their X handle as a mention (`@name`), which their post's X snippets
    /// name them by.
    pub x: Option<String>,
}

/// The limits of `gen check` the page checks a draft against.
#[derive(Debug, Serialize)]
pub struct Limits {
    /// A longer `description` draws `gen check`'s warning.
    pub description_max: usize,
    /// A longer new-file URL is not opened with the file in it ([`URL_MAX`]).
    pub url_max: usize,
}

impl<'a> RepositoryValue<'a> {
    /// The repository's value from its settings.
    pub fn new(repo: &'a GuestRepository) -> Self {
        let (new_file_url, file_param, content_param, blob) = match repo.host {
            GuestHost::Github => (
                format!("https://github.com/{}/new/{}", repo.repository, repo.branch),
                "filename",
                "value",
                format!(
                    "https://github.com/{}/blob/{}",
                    repo.repository, repo.branch
                ),
            ),
            GuestHost::Gitlab => (
                format!(
                    "https://gitlab.com/{}/-/new/{}",
                    repo.repository, repo.branch
                ),
                "file_name",
                "content",
                format!(
                    "https://gitlab.com/{}/-/blob/{}",
                    repo.repository, repo.branch
                ),
            ),
        };
        RepositoryValue {
            host: repo.host,
            name: &repo.repository,
            branch: &repo.branch,
            new_file_url,
            file_param,
            content_param,
            contributing_url: format!("{blob}/CONTRIBUTING.md"),
        }
    }
}

/// The X check's data; `None` when the site does not share to X.
fn x_check(site: &Site, tera: &tera::Tera) -> Option<XCheck> {
    let date = chrono::DateTime::parse_from_rfc3339("2000-01-01T00:00:00+00:00").ok()?;
    let path =
        crate::routes::post_path(&site.config.permalink_post, &marks::SLUG.to_string(), &date);
    let post_url = site.config.url(&path);
    let snippets = kit::marked_snippets(site, tera, Platform::X, &post_url)?;
    Some(XCheck {
        limit: Platform::X.limit()?.max,
        marks: Marks {
            title: marks::TITLE,
            description: marks::DESCRIPTION,
            guest: marks::GUEST,
            slug: marks::SLUG,
        },
        post_url,
        snippets,
    })
}

/// The data of `/write/site.json`; `None` without `[guest] repository`.
/// `tera` renders the X snippets it holds (none without one).
pub fn write_data<'a>(
    site: &'a Site,
    indices: &'a Indices,
    tera: Option<&tera::Tera>,
) -> Option<WriteData<'a>> {
    let repo = site.config.guest_repository.as_ref()?;
    let mut authors: Vec<WriteAuthor<'a>> = site
        .authors
        .values()
        .map(|a| WriteAuthor {
            slug: &a.slug,
            name: &a.name,
            guest: a.guest,
            x: a.social
                .get("x")
                .map(|h| h.trim().trim_start_matches('@'))
                .filter(|h| !h.is_empty())
                .map(|h| format!("@{h}")),
        })
        .collect();
    // By name, as the page lists them; the slug breaks ties.
    authors.sort_by_cached_key(|a| (a.name.to_lowercase(), a.slug));
    let names = |terms: &'a [super::Term]| {
        let mut v: Vec<TermCount<'a>> = terms
            .iter()
            .map(|t| TermCount {
                name: &t.name,
                posts: t.posts.len(),
            })
            .collect();
        v.sort_by_cached_key(|t| (t.name.to_lowercase(), t.name));
        v
    };
    Some(WriteData {
        repository: RepositoryValue::new(repo),
        authors,
        tags: names(&indices.tags),
        categories: names(&indices.categories),
        limits: Limits {
            description_max: crate::load::DESCRIPTION_MAX,
            url_max: URL_MAX,
        },
        x: tera.and_then(|t| x_check(site, t)),
    })
}

/// `/write/site.json` as written: pretty JSON ending with a newline.
pub fn write_json(site: &Site, indices: &Indices, tera: &tera::Tera) -> String {
    match write_data(site, indices, Some(tera)) {
        Some(d) => serde_json::to_string_pretty(&d).unwrap_or_default() + "\n",
        None => String::new(),
    }
}

/// The `write` value of `write.html`.
#[derive(Debug, Serialize)]
pub struct WriteValue<'a> {
    /// `/write/site.json`, absolute.
    pub data_url: String,
    pub repository: RepositoryValue<'a>,
    /// Every category in use, by name (the page's checkboxes).
    pub categories: Vec<TermCount<'a>>,
    /// Every tag in use, by name (the tag field's suggestions).
    pub tags: Vec<TermCount<'a>>,
    /// Every author, by name (the author menu).
    pub authors: Vec<WriteAuthor<'a>>,
    /// The longest description `gen check` accepts without a warning.
    pub description_max: usize,
    /// Whether the build turns straight quotes, `--`, `---` and `...` into
    /// typographic ones (`[markdown] smart_punctuation`): the preview does too.
    pub smart_punctuation: bool,
}

/// The `write` value; `None` without `[guest] repository`.
pub fn write_value<'a>(
    config: &Config,
    site: &'a Site,
    indices: &'a Indices,
) -> Option<WriteValue<'a>> {
    let d = write_data(site, indices, None)?;
    Some(WriteValue {
        data_url: config.url(&Route::WriteData.path()),
        repository: d.repository,
        categories: d.categories,
        tags: d.tags,
        authors: d.authors,
        description_max: d.limits.description_max,
        smart_punctuation: config.smart_punctuation,
    })
}
