//! The validated site model that loading produces and rendering consumes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::sitefs::SiteFs;

/// A file the site refers to (cover, avatar): local, or an external URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asset {
    /// A file in the site, copied to (or already at) `url_path` in the output.
    Local {
        /// Source, relative to the site root.
        source: PathBuf,
        /// Where it is served from, e.g. `/images/a.jpg`.
        url_path: String,
        /// Whether it must be copied there (bundle and author files); static
        /// files are copied with `static/` anyway.
        copy: bool,
    },
    External(String),
}

/// A post's cover picture.
#[derive(Debug, Clone)]
pub struct Cover {
    pub asset: Asset,
    pub alt: String,
    pub credit: Option<String>,
}

/// A post's share-kit settings from its front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ShareSetting {
    #[default]
    Default,
    Off,
    Custom {
        text: Option<String>,
        hashtags: Option<Vec<String>>,
    },
}

/// A dated, authored post from `content/posts/`.
#[derive(Debug, Clone)]
pub struct Post {
    /// Source file relative to the site root.
    pub source: PathBuf,
    /// The file as it was loaded, read again when its text is needed
    /// ([`Post::text`]); the Markdown body starts at `body_offset`.
    pub file: SourceFile,
    pub body_offset: usize,
    pub body_line: usize,
    /// A folder bundle's directory (relative to the root), holding its pictures.
    pub bundle: Option<PathBuf>,
    pub slug: String,
    pub title: String,
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    /// The series the post is a part of (`series = "…"`); its parts go by date.
    pub series: Option<String>,
    pub description: Option<String>,
    pub image: Option<Cover>,
    pub draft: bool,
    pub canonical_url: Option<String>,
    pub share: ShareSetting,
    /// The permalink path, e.g. `/posts/hello/`.
    pub path: String,
    /// Old URL paths that redirect here (`aliases`, or Jekyll's
    /// `redirect_from`), checked by `routes::alias_path`.
    pub aliases: Vec<String>,
    /// True when any author is a guest.
    pub guest: bool,
}

impl Post {
    /// The whole source file, as it was loaded (read again; see
    /// [`SourceFile`]): an error when it can no longer be read or has changed
    /// since.
    pub fn text(&self) -> Result<String, Diagnostic> {
        self.file.read(&self.source)
    }

    /// The Markdown body, as [`Post::text`].
    pub fn body(&self) -> Result<String, Diagnostic> {
        let mut text = self.text()?;
        text.replace_range(..self.body_offset.min(text.len()), "");
        Ok(text)
    }
}

/// A post's source file, read again whenever a stage needs its text rather
/// than held from loading to the post's page: the sources of a 10,000-post
/// site are 100 MB of Markdown (66 MB held LZ4-packed, a sixth of the build's
/// peak memory), and the system keeps the files it just read in its cache.
/// The hash of the text loaded makes sure that what is read again is what
/// was loaded: a file saved again while the site is built is an error (build
/// again), never a page made from another version of the post than the lists
/// that show it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    gate: Arc<SiteFs>,
    hash: u64,
}

impl SourceFile {
    /// The file whose text, as loaded (control characters cleaned), is `text`.
    pub fn new(gate: Arc<SiteFs>, text: &str) -> SourceFile {
        SourceFile {
            gate,
            hash: text_hash(text),
        }
    }

    /// The hash of the text loaded ([`text_hash`]).
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// The text of the file `rel` (relative to the site root), read again
    /// through the site's gate and cleaned as when it was loaded.
    pub fn read(&self, rel: &Path) -> Result<String, Diagnostic> {
        let (text, _) = super::read_content_in(&self.gate, rel)?;
        if text_hash(&text) != self.hash {
            return Err(Diagnostic::error(
                "the file changed while the site was being built (it is read again to make its page)",
            )
            .in_file(rel)
            .hint("run the command again: it builds from the file as it is now"));
        }
        Ok(text)
    }
}

/// The hash of a source text that [`SourceFile`] checks (also the one `gen
/// serve` compares to tell a changed page from an unchanged one).
pub fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// A standalone page (any Markdown file under `content/` outside `posts/`).
#[derive(Debug, Clone)]
pub struct Page {
    pub source: PathBuf,
    pub text: String,
    pub body_offset: usize,
    pub body_line: usize,
    pub title: String,
    pub description: Option<String>,
    pub draft: bool,
    pub path: String,
    /// Old URL paths that redirect here, as on posts.
    pub aliases: Vec<String>,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// An author profile from `authors/<slug>.toml`.
#[derive(Debug, Clone)]
pub struct Author {
    pub slug: String,
    pub source: PathBuf,
    pub name: String,
    /// Markdown.
    pub bio: String,
    pub avatar: Option<Asset>,
    pub guest: bool,
    pub website: Option<String>,
    pub feed: Option<String>,
    /// Handles by platform, as written (`x`, `mastodon`, `bluesky`, `linkedin`, `github`, …).
    pub social: BTreeMap<String, String>,
}

/// A file copied verbatim to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Absolute source path (theme files may live outside the site).
    pub source: PathBuf,
    /// Output path relative to the output root, with `/` separators.
    pub dest: String,
}

/// Descriptions longer than this are cut by most link previews: `gen check`
/// warns about them, and the write page checks drafts against it.
pub const DESCRIPTION_MAX: usize = 300;

/// Everything a build needs, loaded and validated.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Newest first (then by slug), drafts and future posts already filtered.
    pub posts: Vec<Post>,
    pub pages: Vec<Page>,
    /// By slug.
    pub authors: BTreeMap<String, Author>,
    /// `static/`, bundle files and content assets, sorted by destination.
    pub files: Vec<StaticFile>,
    /// Markdown files that were found but not loaded (drafts and future posts
    /// excluded): their errors are reported, and links to them are not
    /// reported a second time.
    pub unparsed: std::collections::BTreeSet<PathBuf>,
    /// The bodies of the `unparsed` files whose front matter could be told
    /// apart from their body: a run that reports their front matter errors
    /// checks their bodies too (links), so a guest sees everything at once.
    /// Empty in a site without errors; filled by `load::load_partial` only
    /// (`gen serve` shows a file's errors one save at a time).
    pub unparsed_bodies: Vec<LooseBody>,
    /// Entries of contributors' own blogs (`data/contributors.json`, written
    /// by `gen fetch`), newest first.
    pub contributions: Vec<super::contributors::Contribution>,
    /// The responses to posts (`data/mentions/<slug>.json`,
    /// `data/comments/<slug>.json`), by post slug; only posts that have some.
    pub responses: BTreeMap<String, super::responses::Responses>,
}

/// The Markdown body of a post or page whose front matter has errors.
#[derive(Debug, Clone)]
pub struct LooseBody {
    pub source: PathBuf,
    pub text: String,
    pub body_offset: usize,
    pub body_line: usize,
    /// A folder bundle's directory, for links to its pictures.
    pub bundle: Option<PathBuf>,
}

impl LooseBody {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}
