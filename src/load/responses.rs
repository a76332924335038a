//! The responses to each post: webmentions received (`data/mentions/<slug>.json`,
//! for `gen mentions fetch` to write) and comments imported from WordPress
//! (`data/comments/<slug>.json`, written by `gen import wordpress`), read by
//! the build through the gate and put together per post as replies, likes,
//! reposts and "picked up by" links.
//!
//! Both files are strangers' content and editable by hand, so they are
//! untrusted: text is made plain text on one line and cut, links and photos
//! that are not http(s) are dropped, duplicates are merged, and a file that
//! does not parse is a warning naming it (with line and column); the build
//! goes on without it.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize};

use super::dates::parse_date;
use crate::diag::{Diagnostic, Severity};
use crate::sitefs::{ReadError, SiteFs};
use crate::text::html::{cut_words, html_to_text, one_line};

/// Where `gen mentions fetch` keeps the webmentions of each post, from the
/// site's root.
pub const MENTIONS_DIR: &str = "data/mentions";
/// Where `gen import wordpress` keeps the comments of each post.
pub const COMMENTS_DIR: &str = "data/comments";
/// The longest reply text shown, in characters (cut at a word).
pub const MAX_TEXT: usize = 2000;
/// The longest name shown, in characters.
const MAX_NAME: usize = 100;
/// The longest link kept, in bytes: longer ones are dropped.
const MAX_URL: usize = 2048;

/// A post's responses, as a build shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Responses {
    /// Replies and comments, oldest first (undated last).
    pub replies: Vec<Reply>,
    pub likes: Vec<Actor>,
    pub reposts: Vec<Actor>,
    /// Pages on other sites that link to the post (bookmarks, mentions,
    /// pingbacks and trackbacks).
    pub picked_up_by: Vec<PickedUp>,
}

impl Responses {
    /// All responses: replies, likes, reposts and pages that picked it up.
    pub fn count(&self) -> usize {
        self.replies.len() + self.likes.len() + self.reposts.len() + self.picked_up_by.len()
    }
}

/// Who responded. `url` and `photo` are http(s) URLs when present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Actor {
    /// Never empty (the URL's host, or "Someone", when the source gave none).
    pub name: String,
    pub url: Option<String>,
    pub photo: Option<String>,
}

/// A reply (webmention `in-reply-to`) or an imported comment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Reply {
    pub author: Actor,
    /// The reply's own page (webmentions), an http(s) URL.
    pub url: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    /// Plain text on one line, at most [`MAX_TEXT`] characters.
    pub text: String,
    pub source: ResponseSource,
}

/// A page elsewhere that links to the post.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PickedUp {
    /// An http(s) URL.
    pub url: String,
    pub title: Option<String>,
    pub author: Option<Actor>,
    pub published: Option<DateTime<FixedOffset>>,
}

/// Where a reply came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseSource {
    Webmention,
    Comment,
}

/// The file `gen mentions fetch` writes for a post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionsFile {
    /// The post's URL the mentions were sent to.
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub mentions: Vec<Mention>,
}

/// One webmention received, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// webmention.io's `wm-id` (a number is read as its digits).
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    /// `reply`, `like`, `repost`, `bookmark` or `mention`.
    #[serde(default = "mention_kind")]
    pub kind: String,
    #[serde(default)]
    pub author: MentionAuthor,
    /// The source page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The source page's title, when it has one (shown for "picked up by").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Plain text.
    #[serde(default)]
    pub content: String,
}

/// Who sent a webmention, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionAuthor {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
}

/// One imported comment, as `gen import wordpress` writes it and the build
/// reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRecord {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default)]
    pub author: String,
    /// The commenter's website (comments) or the linking page (pingbacks,
    /// trackbacks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub date: String,
    /// `comment`, `pingback` or `trackback`.
    #[serde(default = "comment_kind")]
    pub kind: String,
    /// HTML.
    #[serde(default)]
    pub content: String,
}

fn mention_kind() -> String {
    "mention".to_string()
}

fn comment_kind() -> String {
    "comment".to_string()
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        S(String),
        N(serde_json::Number),
    }
    Ok(match Id::deserialize(d)? {
        Id::S(s) => s,
        Id::N(n) => n.to_string(),
    })
}

/// `link` when it may be published: an absolute http(s) URL of sane length.
pub fn web_url(link: Option<&str>) -> Option<String> {
    let link = link?.trim();
    (link.len() <= MAX_URL && super::contributors::web_link(link)).then(|| link.to_string())
}

fn actor(name: &str, url: Option<&str>, photo: Option<&str>) -> Actor {
    let url = web_url(url);
    let mut name = cut_words(&one_line(name), MAX_NAME);
    if name.is_empty() {
        name = url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "Someone".to_string());
    }
    Actor {
        name,
        url,
        photo: web_url(photo),
    }
}

fn text(s: &str) -> String {
    cut_words(&one_line(s), MAX_TEXT)
}

/// One response before it is sorted and merged.
struct Item {
    date: Option<DateTime<FixedOffset>>,
    /// `wm:<id>` or `comment:<id>`.
    id: String,
    /// The source page and kind, for webmentions that have one.
    dedupe: Option<(String, &'static str)>,
    what: What,
}

enum What {
    Reply(Reply),
    Like(Actor),
    Repost(Actor),
    PickedUp(PickedUp),
}

fn mention_item(m: &Mention) -> Option<Item> {
    let date = m.published.as_deref().and_then(parse_date);
    let url = web_url(m.url.as_deref());
    let who = actor(
        &m.author.name,
        m.author.url.as_deref(),
        m.author.photo.as_deref(),
    );
    let (kind, what) = match m.kind.trim().to_ascii_lowercase().as_str() {
        "reply" => (
            "reply",
            What::Reply(Reply {
                author: who,
                url: url.clone(),
                published: date,
                text: text(&m.content),
                source: ResponseSource::Webmention,
            }),
        ),
        "like" => ("like", What::Like(who)),
        "repost" => ("repost", What::Repost(who)),
        // bookmark, mention and any kind this version does not know: the
        // source page links to the post.
        _ => {
            let link = url.clone()?;
            let title = m.title.as_deref().map(|t| cut_words(&one_line(t), 200));
            let has_author = !m.author.name.trim().is_empty() || who.url.is_some();
            (
                "mention",
                What::PickedUp(PickedUp {
                    url: link,
                    title: title.filter(|t| !t.is_empty()),
                    author: has_author.then_some(who),
                    published: date,
                }),
            )
        }
    };
    Some(Item {
        date,
        id: format!("wm:{}", m.id.trim()),
        dedupe: url.map(|u| (u, kind)),
        what,
    })
}

fn comment_item(c: &CommentRecord) -> Option<Item> {
    let date = parse_date(&c.date);
    let what = match c.kind.trim().to_ascii_lowercase().as_str() {
        "pingback" | "trackback" => {
            let title = cut_words(&one_line(&c.author), 200);
            What::PickedUp(PickedUp {
                url: web_url(c.url.as_deref())?,
                title: (!title.is_empty()).then_some(title),
                author: None,
                published: date,
            })
        }
        _ => What::Reply(Reply {
            author: actor(&c.author, c.url.as_deref(), None),
            url: None,
            published: date,
            text: cut_words(&html_to_text(&c.content), MAX_TEXT),
            source: ResponseSource::Comment,
        }),
    };
    Some(Item {
        date,
        id: format!("comment:{}", c.id.trim()),
        dedupe: None,
        what,
    })
}

/// A post's responses from its two files (either may be missing): sorted by
/// date (undated last) then id, duplicates (the same id, or the same source
/// page and kind) merged into the first.
pub fn responses(mentions: Option<&MentionsFile>, comments: Option<&[CommentRecord]>) -> Responses {
    let mut items: Vec<Item> = mentions
        .into_iter()
        .flat_map(|f| f.mentions.iter().filter_map(mention_item))
        .chain(
            comments
                .into_iter()
                .flat_map(|c| c.iter().filter_map(comment_item)),
        )
        .collect();
    items.sort_by(|a, b| {
        b.date
            .is_some()
            .cmp(&a.date.is_some())
            .then_with(|| a.date.cmp(&b.date))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut ids = HashSet::new();
    let mut sources = HashSet::new();
    let mut out = Responses::default();
    for item in items {
        if !ids.insert(item.id.clone()) {
            continue;
        }
        if item.dedupe.is_some_and(|key| !sources.insert(key)) {
            continue;
        }
        match item.what {
            What::Reply(r) => out.replies.push(r),
            What::Like(a) => out.likes.push(a),
            What::Repost(a) => out.reposts.push(a),
            What::PickedUp(p) => out.picked_up_by.push(p),
        }
    }
    out
}

/// A file of `dir` that does not parse: a warning with line and column.
fn parse_warning(rel: &Path, e: &serde_json::Error, what: &str) -> Diagnostic {
    let mut d = crate::text::syntax::json_error(rel, &format!("not a {what} file"), e);
    d.severity = Severity::Warning;
    d.message.push_str("; its responses are left out");
    d
}

/// The `<slug>.json` files of a data folder, parsed, by slug; warnings for
/// files that cannot be read or parsed.
fn read_folder<T: serde::de::DeserializeOwned>(
    gate: &SiteFs,
    dir: &str,
    what: &str,
    hint: &str,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, (PathBuf, T)> {
    let mut out = BTreeMap::new();
    let mut found = Vec::new();
    let files = gate.files(Path::new(dir), &mut found);
    for mut d in found {
        d.severity = Severity::Warning;
        diags.push(d);
    }
    for path in files {
        let Ok(inner) = path.strip_prefix(gate.root().join(dir)) else {
            continue;
        };
        let rel = Path::new(dir).join(inner);
        if inner.components().count() != 1
            || rel.extension().and_then(|e| e.to_str()) != Some("json")
        {
            continue;
        }
        let Some(slug) = rel.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let bytes = match gate.read_bytes(&rel) {
            Ok(b) => b,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                diags.push(
                    Diagnostic::warning(format!(
                        "cannot read the file: {e}; its responses are left out"
                    ))
                    .in_file(&rel),
                );
                continue;
            }
        };
        match serde_json::from_slice::<T>(&bytes) {
            Ok(v) => {
                out.insert(slug.to_string(), (rel, v));
            }
            Err(e) => diags.push(parse_warning(&rel, &e, what).hint(hint.to_string())),
        }
    }
    out
}

/// The two data folders' files, parsed, by slug, with the warnings of
/// reading them: what [`resolve`] turns into responses once the posts are
/// known (`gen serve` keeps it and reads it again when `data/` changes).
#[derive(Debug, Clone, Default)]
pub struct DataFiles {
    pub mentions: BTreeMap<String, (PathBuf, MentionsFile)>,
    pub comments: BTreeMap<String, (PathBuf, Vec<CommentRecord>)>,
    pub diags: Vec<Diagnostic>,
}

/// Reads `data/mentions/*.json` and `data/comments/*.json` through the gate.
pub fn read_files(root: &Path, root_canonical: &Path) -> DataFiles {
    let gate = SiteFs::with_canonical(root, root_canonical);
    let mut diags = Vec::new();
    let mentions = read_folder(
        &gate,
        MENTIONS_DIR,
        "mentions data",
        "fix the JSON (docs/community.md shows its shape) or remove the file",
        &mut diags,
    );
    let comments = read_folder(
        &gate,
        COMMENTS_DIR,
        "comments data",
        "it is an array of comments, as `gen import wordpress` writes it",
        &mut diags,
    );
    DataFiles {
        mentions,
        comments,
        diags,
    }
}

/// The responses of every post that has some, by post slug, with the
/// warnings of reading them. `slugs` are the slugs of the site's posts: a
/// file for another slug is a warning naming it.
pub fn resolve(
    files: &DataFiles,
    slugs: &BTreeSet<&str>,
) -> (BTreeMap<String, Responses>, Vec<Diagnostic>) {
    let mut diags = files.diags.clone();
    let mut out = BTreeMap::new();
    let all: BTreeSet<&String> = files.mentions.keys().chain(files.comments.keys()).collect();
    for slug in all {
        let m = files.mentions.get(slug);
        let c = files.comments.get(slug);
        if !slugs.contains(slug.as_str()) {
            for rel in m.map(|m| &m.0).into_iter().chain(c.map(|c| &c.0)) {
                diags.push(
                    Diagnostic::warning(format!(
                        "no post has the slug \"{slug}\": its responses are left out"
                    ))
                    .in_file(rel)
                    .hint("name the file after the slug of the post it belongs to"),
                );
            }
            continue;
        }
        let r = responses(m.map(|m| &m.1), c.map(|c| c.1.as_slice()));
        if r.count() > 0 {
            out.insert(slug.clone(), r);
        }
    }
    (out, diags)
}

/// [`read_files`] then [`resolve`].
pub fn read(
    root: &Path,
    root_canonical: &Path,
    slugs: &BTreeSet<&str>,
) -> (BTreeMap<String, Responses>, Vec<Diagnostic>) {
    resolve(&read_files(root, root_canonical), slugs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(id: &str, kind: &str, url: &str, date: Option<&str>) -> Mention {
        Mention {
            id: id.into(),
            kind: kind.into(),
            author: MentionAuthor {
                name: format!("Person {id}"),
                url: Some(format!("https://example.org/{id}")),
                photo: Some(format!("https://example.org/{id}.jpg")),
            },
            url: Some(url.into()),
            published: date.map(str::to_string),
            title: None,
            content: format!("text {id}"),
        }
    }

    fn file(mentions: Vec<Mention>) -> MentionsFile {
        MentionsFile {
            target: "https://site.example/posts/a/".into(),
            mentions,
        }
    }

    #[test]
    fn kinds_go_to_their_lists() {
        let f = file(vec![
            mention("1", "reply", "https://a.example/1", None),
            mention("2", "like", "https://a.example/2", None),
            mention("3", "repost", "https://a.example/3", None),
            mention("4", "bookmark", "https://a.example/4", None),
            mention("5", "mention", "https://a.example/5", None),
        ]);
        let r = responses(Some(&f), None);
        assert_eq!(r.replies.len(), 1);
        assert_eq!(r.replies[0].text, "text 1");
        assert_eq!(r.replies[0].source, ResponseSource::Webmention);
        assert_eq!(r.likes[0].name, "Person 2");
        assert_eq!(r.reposts[0].name, "Person 3");
        let picked: Vec<&str> = r.picked_up_by.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(picked, ["https://a.example/4", "https://a.example/5"]);
        assert_eq!(r.count(), 5);
    }

    #[test]
    fn sorted_by_date_then_id_undated_last() {
        let f = file(vec![
            mention("9", "like", "https://a.example/9", None),
            mention(
                "8",
                "like",
                "https://a.example/8",
                Some("2026-02-01T00:00:00Z"),
            ),
            mention(
                "7",
                "like",
                "https://a.example/7",
                Some("2026-01-01T00:00:00Z"),
            ),
            mention("6", "like", "https://a.example/6", None),
        ]);
        let r = responses(Some(&f), None);
        let names: Vec<&str> = r.likes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Person 7", "Person 8", "Person 6", "Person 9"]);
    }

    #[test]
    fn duplicates_are_merged_by_id_and_by_source_and_kind() {
        let f = file(vec![
            mention("1", "like", "https://a.example/1", None),
            mention("1", "like", "https://a.example/other", None),
            mention("2", "reply", "https://a.example/r", None),
            mention("3", "reply", "https://a.example/r", None),
            // The same page may both like and reply.
            mention("4", "like", "https://a.example/r", None),
        ]);
        let r = responses(Some(&f), None);
        assert_eq!(r.likes.len(), 2);
        assert_eq!(r.replies.len(), 1);
        assert_eq!(r.replies[0].text, "text 2");
    }

    #[test]
    fn links_and_photos_must_be_http() {
        let mut m = mention("1", "reply", "javascript:alert(1)", None);
        m.author.url = Some("javascript:alert(1)".into());
        m.author.photo = Some("data:image/png;base64,AAAA".into());
        let mut p = mention("2", "mention", "ftp://a.example/x", None);
        p.author.photo = Some("file:///etc/passwd".into());
        let r = responses(Some(&file(vec![m, p])), None);
        assert_eq!(r.replies[0].url, None);
        assert_eq!(r.replies[0].author.url, None);
        assert_eq!(r.replies[0].author.photo, None);
        assert!(
            r.picked_up_by.is_empty(),
            "a mention without a web link is dropped"
        );
    }

    #[test]
    fn text_is_one_plain_line_cut_at_a_word() {
        let mut m = mention("1", "reply", "https://a.example/1", None);
        m.content = format!(
            "<script>x</script>\u{0}\u{7}a\n\nb {}",
            "word ".repeat(1000)
        );
        m.author.name = "\u{1b}[31mEve\u{0}".into();
        let r = responses(Some(&file(vec![m])), None);
        let t = &r.replies[0].text;
        assert!(t.starts_with("<script>x</script>a b word"), "{t}");
        assert!(t.chars().count() <= MAX_TEXT + 1);
        assert!(t.ends_with("word…"), "{t}");
        assert!(!t.chars().any(|c| c.is_control()));
        assert!(!r.replies[0].author.name.chars().any(|c| c.is_control()));
    }

    #[test]
    fn nameless_authors_get_the_host_or_someone() {
        let mut a = mention("1", "like", "https://a.example/1", None);
        a.author.name = " ".into();
        a.author.url = Some("https://blog.example.net/me".into());
        let mut b = mention("2", "like", "https://a.example/2", None);
        b.author = MentionAuthor::default();
        let r = responses(Some(&file(vec![a, b])), None);
        assert_eq!(r.likes[0].name, "blog.example.net");
        assert_eq!(r.likes[1].name, "Someone");
    }

    #[test]
    fn comments_are_replies_and_pingbacks_are_picked_up() {
        let json = r#"[
          {"id": "2", "author": "Ann", "url": "https://ann.example.org/", "date": "2024-01-02T10:00:00+01:00",
           "kind": "comment", "content": "<p>Nice <b>post</b><script>alert(1)</script></p>"},
          {"id": 3, "author": "A blog", "url": "https://b.example.net/p", "date": "2024-01-03 10:00:00",
           "kind": "pingback", "content": "[…] x […]"},
          {"id": "4", "author": "T", "url": "javascript:x", "date": "", "kind": "trackback", "content": ""},
          {"id": "1", "parent": "0", "author": "Bob", "date": "2024-01-01T00:00:00Z", "kind": "comment", "content": "First"}
        ]"#;
        let comments: Vec<CommentRecord> = serde_json::from_str(json).unwrap();
        let r = responses(None, Some(&comments));
        let texts: Vec<&str> = r.replies.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["First", "Nice post"]);
        assert_eq!(r.replies[1].source, ResponseSource::Comment);
        assert_eq!(
            r.replies[1].author.url.as_deref(),
            Some("https://ann.example.org/")
        );
        assert_eq!(r.picked_up_by.len(), 1);
        assert_eq!(r.picked_up_by[0].url, "https://b.example.net/p");
        assert_eq!(r.picked_up_by[0].title.as_deref(), Some("A blog"));
        assert!(r.picked_up_by[0].published.is_some());
    }

    #[test]
    fn unknown_fields_are_ignored_and_missing_ones_default() {
        let json = r#"{"mentions": [{"id": 12, "kind": "like", "extra": true}], "other": 1}"#;
        let f: MentionsFile = serde_json::from_str(json).unwrap();
        assert_eq!(f.mentions[0].id, "12");
        let r = responses(Some(&f), None);
        assert_eq!(
            r.likes,
            [Actor {
                name: "Someone".into(),
                url: None,
                photo: None
            }]
        );
        let f: MentionsFile = serde_json::from_str(r#"{"mentions":[{"id":"1"}]}"#).unwrap();
        assert_eq!(f.mentions[0].kind, "mention");
    }

    fn site(
        files: &[(&str, &str)],
    ) -> (tempdir::Dir, BTreeMap<String, Responses>, Vec<Diagnostic>) {
        let dir = tempdir::Dir::new();
        for (p, text) in files {
            let path = dir.0.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let canonical = dir.0.canonicalize().unwrap();
        let slugs: BTreeSet<&str> = ["a", "b"].into();
        let (r, d) = read(&dir.0, &canonical, &slugs);
        (dir, r, d)
    }

    mod tempdir {
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Dir {
                use std::sync::atomic::{AtomicUsize, Ordering};
                static N: AtomicUsize = AtomicUsize::new(0);
                let p = std::env::temp_dir().join(format!(
                    "byline-responses-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::SeqCst)
                ));
                let _ = std::fs::remove_dir_all(&p);
                std::fs::create_dir_all(&p).unwrap();
                Dir(p)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn no_data_folder_is_no_responses() {
        let (_d, r, diags) = site(&[]);
        assert!(r.is_empty());
        assert!(diags.is_empty());
    }

    #[test]
    fn files_are_read_by_slug_and_broken_ones_warned_with_line_and_column() {
        let (_d, r, diags) = site(&[
            (
                "data/mentions/a.json",
                r#"{"mentions":[{"id":"1","kind":"like","url":"https://x.example/1"}]}"#,
            ),
            (
                "data/comments/a.json",
                r#"[{"id":"1","author":"Ann","date":"","kind":"comment","content":"hi"}]"#,
            ),
            ("data/mentions/b.json", "{\n  \"mentions\": [1,"),
            ("data/mentions/zz.json", r#"{"mentions":[]}"#),
            ("data/mentions/notes.txt", "ignored"),
        ]);
        assert_eq!(r.len(), 1);
        assert_eq!(r["a"].count(), 2);
        assert_eq!(diags.len(), 2, "{diags:?}");
        let broken = &diags[0];
        assert_eq!(broken.severity, Severity::Warning);
        assert_eq!(
            broken.path.as_deref(),
            Some(Path::new("data/mentions/b.json"))
        );
        assert_eq!((broken.line, broken.col), (Some(2), Some(16)));
        assert!(
            broken.message.starts_with("not a mentions data file: "),
            "{}",
            broken.message
        );
        assert!(broken.message.ends_with("; its responses are left out"));
        let stray = &diags[1];
        assert_eq!(
            stray.path.as_deref(),
            Some(Path::new("data/mentions/zz.json"))
        );
        assert_eq!(
            stray.message,
            "no post has the slug \"zz\": its responses are left out"
        );
    }
}
