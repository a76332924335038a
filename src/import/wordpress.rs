//! WordPress exports (WXR, Tools → Export): streamed with quick-xml into raw
//! items, then converted in parallel. Authors come from `wp:author`, matched
//! to each item's `dc:creator` after cleaning stray whitespace and
//! zero-width characters; roles are not in the export, so `--staff` says who
//! is staff. Reader emails and IP addresses are never copied.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use quick_xml::events::Event;
use rayon::prelude::*;

use super::convert::{decode_entities, wordpress_html};
use super::files::SourceFiles;
use super::terms::{OldTerms, TermKind};
use super::{Comment, Entry, Item, Outcome, Plan, Profile, clean_name, safe_slug, url_path};
use crate::diag::Diagnostic;
use crate::sitefs::SiteFs;

/// What the reader of a WXR needs besides the file.
pub struct Options<'a> {
    /// The uploads folder (`wp-content/uploads`), to copy pictures from.
    pub media: Option<&'a SiteFs>,
    /// Logins of staff authors; everyone else is a guest.
    pub staff: &'a [String],
}

/// One `<item>` as read: its simple fields by element name, and its lists.
#[derive(Debug, Default)]
struct RawItem {
    fields: HashMap<String, String>,
    /// (domain, nicename, name)
    terms: Vec<(String, String, String)>,
    meta: Vec<(String, String)>,
    comments: Vec<HashMap<String, String>>,
    creators: Vec<String>,
}

impl RawItem {
    fn get(&self, k: &str) -> &str {
        self.fields.get(k).map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Default)]
struct Raw {
    channel: HashMap<String, String>,
    authors: Vec<HashMap<String, String>>,
    items: Vec<RawItem>,
}

/// Reads the export at `path` (shown as `shown`) into a plan; `Err` only
/// when the file cannot be read or is not well-formed XML.
pub fn read(text: &str, shown: &Path, opts: &Options<'_>) -> Result<Plan, Diagnostic> {
    let raw = parse(text, shown)?;
    Ok(plan(raw, opts))
}

fn xml_error(text: &str, shown: &Path, offset: u64, msg: String) -> Diagnostic {
    let offset = (offset as usize).min(text.len());
    Diagnostic::error(format!("the export is not well-formed XML: {msg}"))
        .in_file(shown)
        .at_offset(text, offset)
        .hint("export the site again (Tools → Export), or fix the XML at this place")
}

/// The streaming pass: events into raw items, nothing converted yet.
fn parse(text: &str, shown: &Path) -> Result<Raw, Diagnostic> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut raw = Raw::default();
    let mut stack: Vec<String> = Vec::new();
    let mut buf = String::new();
    let mut item: Option<RawItem> = None;
    let mut author: Option<HashMap<String, String>> = None;
    let mut comment: Option<HashMap<String, String>> = None;
    let mut meta: (String, String) = Default::default();
    let mut term_attrs: (String, String) = Default::default();
    let mut saw_channel = false;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                return Err(xml_error(
                    text,
                    shown,
                    reader.error_position(),
                    e.to_string(),
                ));
            }
        };
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                buf.clear();
                match name.as_str() {
                    "channel" => saw_channel = true,
                    "item" => item = Some(RawItem::default()),
                    "wp:author" if item.is_none() => author = Some(HashMap::new()),
                    "wp:comment" => comment = Some(HashMap::new()),
                    "wp:postmeta" => meta = Default::default(),
                    "category" if item.is_some() => {
                        let mut domain = String::new();
                        let mut nicename = String::new();
                        for a in e.attributes().flatten() {
                            let v = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned())
                                .unwrap_or_default();
                            match a.key.as_ref() {
                                "domain" => domain = v,
                                "nicename" => nicename = v,
                                _ => {}
                            }
                        }
                        term_attrs = (domain, nicename);
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::Text(t) => buf.push_str(&t.xml10_content()),
            Event::CData(t) => buf.push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r.into_inner() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => {
                            return Err(xml_error(
                                text,
                                shown,
                                reader.buffer_position(),
                                format!("undefined entity &{other};"),
                            ));
                        }
                    },
                };
                buf.push_str(&c);
            }
            Event::End(_) => {
                let Some(name) = stack.pop() else { continue };
                let value = std::mem::take(&mut buf);
                let parent = stack.last().map(String::as_str).unwrap_or("");
                match (parent, name.as_str()) {
                    (_, "item") => {
                        if let Some(i) = item.take() {
                            raw.items.push(i);
                        }
                    }
                    (_, "wp:author") if item.is_none() => {
                        if let Some(a) = author.take() {
                            raw.authors.push(a);
                        }
                    }
                    (_, "wp:comment") => {
                        if let (Some(c), Some(i)) = (comment.take(), item.as_mut()) {
                            i.comments.push(c);
                        }
                    }
                    (_, "wp:postmeta") => {
                        if let Some(i) = item.as_mut() {
                            i.meta.push(std::mem::take(&mut meta));
                        }
                    }
                    ("wp:postmeta", "wp:meta_key") => meta.0 = value,
                    ("wp:postmeta", "wp:meta_value") => meta.1 = value,
                    ("wp:comment", _) => {
                        if let Some(c) = comment.as_mut() {
                            c.insert(name, value);
                        }
                    }
                    ("wp:author", _) => {
                        if let Some(a) = author.as_mut() {
                            a.insert(name, value);
                        }
                    }
                    // Several creators (co-authors) are kept in order.
                    ("item", "dc:creator") => {
                        if let Some(i) = item.as_mut() {
                            i.creators.push(value);
                        }
                    }
                    ("item", "category") => {
                        if let Some(i) = item.as_mut() {
                            let (d, n) = std::mem::take(&mut term_attrs);
                            i.terms.push((d, n, value));
                        }
                    }
                    ("item", _) => {
                        if let Some(i) = item.as_mut() {
                            i.fields.insert(name, value);
                        }
                    }
                    ("channel", _) => {
                        raw.channel.insert(name, value);
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(xml_error(
            text,
            shown,
            text.len() as u64,
            format!("the file ends inside <{open}> (it is cut short?)"),
        ));
    }
    if !saw_channel {
        return Err(
            Diagnostic::error("not a WordPress export: no <channel> element")
                .in_file(shown)
                .hint("export with Tools → Export → All content, and give that .xml file"),
        );
    }
    Ok(raw)
}

/// A WordPress local time (`2019-03-04 10:20:30`) with the offset the GMT
/// time implies; `None` for the zero date WordPress writes for drafts.
fn wp_date(local: &str, gmt: &str) -> Option<chrono::DateTime<FixedOffset>> {
    let l = NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%d %H:%M:%S").ok()?;
    let offset = NaiveDateTime::parse_from_str(gmt.trim(), "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|g| (l - g).num_seconds())
        .filter(|s| s.abs() < 24 * 3600 && s % 60 == 0)
        .unwrap_or(0);
    FixedOffset::east_opt(offset as i32)?
        .from_local_datetime(&l)
        .single()
}

/// The text of HTML without its tags, for descriptions.
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What one item became.
enum Converted {
    Entry(Box<Entry>),
    Skipped(Item),
}

struct Ctx {
    /// Cleaned, lowercased login or display name → author slug.
    by_name: HashMap<String, String>,
    attachments: HashMap<String, String>,
    children: HashMap<String, Vec<String>>,
}

fn plan(raw: Raw, opts: &Options<'_>) -> Plan {
    let mut plan = Plan {
        kind: "wordpress",
        ..Plan::default()
    };
    let ch = |k: &str| {
        raw.channel
            .get(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    plan.title = ch("title");
    plan.description = ch("description");
    let base = ch("wp:base_blog_url")
        .or_else(|| ch("link"))
        .unwrap_or_default();
    plan.base_url = (!base.is_empty()).then(|| base.clone());

    // Authors, with what identifies them in items.
    let staff: BTreeSet<String> = opts
        .staff
        .iter()
        .map(|s| clean_name(s).to_lowercase())
        .collect();
    let mut by_name = HashMap::new();
    let mut found_staff = BTreeSet::new();
    for a in &raw.authors {
        let get = |k: &str| a.get(k).map(String::as_str).unwrap_or("");
        let login_raw = get("wp:author_login");
        let login = clean_name(login_raw);
        if login.is_empty() {
            continue;
        }
        let name = Some(clean_name(&decode_entities(get("wp:author_display_name"))))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| login.clone());
        let slug = safe_slug(&login, &name);
        let mut warnings = Vec::new();
        if login != login_raw {
            warnings.push(format!(
                "login {login_raw:?} had stray whitespace or invisible characters: read as \"{login}\""
            ));
        }
        let is_staff = staff.contains(&login.to_lowercase());
        if is_staff {
            found_staff.insert(login.to_lowercase());
        }
        by_name.insert(login.to_lowercase(), slug.clone());
        by_name
            .entry(name.to_lowercase())
            .or_insert_with(|| slug.clone());
        plan.profiles.push(Profile {
            source: format!("wp:author \"{login}\""),
            slug,
            name,
            guest: !is_staff,
            warnings,
            ..Profile::default()
        });
    }
    // Only the logins found are staff; the note names those.
    let staff_logins: Vec<&str> = plan
        .profiles
        .iter()
        .filter(|p| !p.guest)
        .map(|p| p.source.trim_start_matches("wp:author ").trim_matches('"'))
        .collect();
    plan.notes.push(if staff_logins.is_empty() {
        "WordPress exports do not say who is staff: every author is a guest (mark staff with --staff LOGIN,…)".to_string()
    } else {
        format!(
            "WordPress exports do not say who is staff: {} staff (--staff), every other author a guest",
            staff_logins.join(", ")
        )
    });
    for s in &staff {
        if !found_staff.contains(s) {
            plan.notes.push(format!(
                "--staff {s}: no author has this login (a wp:author_login of the export)"
            ));
        }
    }

    let mut attachments = HashMap::new();
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    for i in &raw.items {
        if i.get("wp:post_type") == "attachment" {
            let url = i.get("wp:attachment_url").trim().to_string();
            if !url.is_empty() {
                attachments.insert(i.get("wp:post_id").trim().to_string(), url.clone());
                children
                    .entry(i.get("wp:post_parent").trim().to_string())
                    .or_default()
                    .push(url);
            }
        }
    }
    let ctx = Ctx {
        by_name,
        attachments,
        children,
    };
    let converted: Vec<Converted> = raw.items.par_iter().map(|i| convert(i, &ctx)).collect();
    for c in converted {
        match c {
            Converted::Entry(e) => plan.entries.push(*e),
            Converted::Skipped(item) => plan.skipped.push(item),
        }
    }
    // WordPress's author, category and tag pages (`/author/login/`,
    // `/category/x/`, `/tag/y/`), each term at its WordPress slug.
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    for i in &raw.items {
        for (domain, nicename, name) in &i.terms {
            let ours = crate::text::slug::slugify(&clean_name(&decode_entities(name)));
            let old = if nicename.is_empty() {
                ours.clone()
            } else {
                safe_slug(nicename, name)
            };
            match domain.as_str() {
                "category" => categories.push((ours, old)),
                "post_tag" => tags.push((ours, old)),
                _ => {}
            }
        }
    }
    let authors = plan
        .profiles
        .iter()
        .map(|p| (p.slug.clone(), p.slug.clone()))
        .collect();
    plan.term_redirects(&[
        OldTerms {
            kind: TermKind::Authors,
            pattern: "/author/:slug/".into(),
            slugs: authors,
            every: true,
        },
        OldTerms {
            kind: TermKind::Categories,
            pattern: "/category/:slug/".into(),
            slugs: categories,
            every: true,
        },
        OldTerms {
            kind: TermKind::Tags,
            pattern: "/tag/:slug/".into(),
            slugs: tags,
            every: true,
        },
    ]);
    plan.files_from = opts.media.map(|media| SourceFiles {
        fs: media.clone(),
        dir: PathBuf::new(),
        under: "/wp-content/uploads/".into(),
        label: "--media ".into(),
    });
    plan
}

fn skipped(source: String, kind: &str, why: &str) -> Converted {
    Converted::Skipped(Item {
        source,
        kind: kind.into(),
        outcome: Outcome::Skipped,
        files: Vec::new(),
        why: Some(why.into()),
        warnings: Vec::new(),
    })
}

fn convert(i: &RawItem, ctx: &Ctx) -> Converted {
    let id = i.get("wp:post_id").trim();
    let title = clean_name(&decode_entities(i.get("title")));
    let source = format!("item {id} \"{title}\"");
    let post_type = i.get("wp:post_type").trim();
    let status = i.get("wp:status").trim();
    match post_type {
        "post" | "page" => {}
        "attachment" => {
            return skipped(
                source,
                "attachment",
                "an attachment (its file is in the uploads folder; pictures used by posts are copied with --media)",
            );
        }
        "nav_menu_item" => {
            return skipped(source, "menu item", "a menu item (menus are the theme's)");
        }
        "revision" => {
            return skipped(
                source,
                "revision",
                "a revision (the published version is imported)",
            );
        }
        other => {
            return skipped(
                source,
                other,
                &format!("post type \"{other}\" is not imported (only posts and pages)"),
            );
        }
    }
    match status {
        "trash" => return skipped(source, post_type, "in the trash"),
        "auto-draft" => {
            return skipped(source, post_type, "an auto-draft WordPress saved by itself");
        }
        "inherit" => {
            return skipped(
                source,
                post_type,
                "a revision (the published version is imported)",
            );
        }
        _ => {}
    }
    let mut e = Entry {
        source,
        page: post_type == "page",
        ..Entry::default()
    };
    let w = &mut e.warnings;
    e.title = if title.is_empty() {
        w.push("no title: used \"Untitled\"".into());
        "Untitled".into()
    } else {
        title
    };
    match status {
        "publish" | "future" => {}
        "draft" | "pending" | "private" => {
            w.push(format!("status \"{status}\": imported with draft = true"));
            e.draft = true;
        }
        other => {
            w.push(format!(
                "unknown status \"{other}\": imported with draft = true"
            ));
            e.draft = true;
        }
    }
    if !i.get("wp:post_password").is_empty() {
        w.push("password-protected: imported with draft = true (passwords do not exist on a static site)".into());
        e.draft = true;
    }
    e.date = wp_date(i.get("wp:post_date"), i.get("wp:post_date_gmt"));
    if e.date.is_none() {
        e.date = wp_date(i.get("wp:post_modified"), i.get("wp:post_modified_gmt"));
        if e.date.is_some() {
            w.push("no date (a draft never published): used its last-modified date".into());
        } else if !e.page {
            return skipped(
                e.source,
                post_type,
                "no date WordPress wrote can be read (wp:post_date, wp:post_modified)",
            );
        }
    }
    let modified = wp_date(i.get("wp:post_modified"), i.get("wp:post_modified_gmt"));
    if let (Some(m), Some(d)) = (modified, e.date)
        && m > d
        && !e.draft
    {
        e.updated = Some(m);
    }
    let name = i.get("wp:post_name").trim();
    e.slug = safe_slug(name, &e.title);
    if name.is_empty() {
        w.push(format!(
            "no slug in the export: made \"{}\" from the title",
            e.slug
        ));
    } else if name.contains('%') {
        w.push(format!("slug {name:?} percent-decoded to \"{}\"", e.slug));
    }
    // Authors: each creator (and Co-Authors Plus `author` terms) matched to
    // a wp:author by login or display name.
    let mut creators: Vec<String> = i.creators.iter().map(|c| clean_name(c)).collect();
    for (domain, nicename, name) in &i.terms {
        if domain == "author" {
            let login = nicename.strip_prefix("cap-").unwrap_or(nicename);
            creators.push(clean_name(if login.is_empty() { name } else { login }));
        }
    }
    creators.retain(|c| !c.is_empty());
    for creator in creators {
        let slug = match ctx.by_name.get(&creator.to_lowercase()) {
            Some(slug) => slug.clone(),
            None => {
                let slug = safe_slug(&creator, "author");
                w.push(format!(
                    "author \"{creator}\" matches no wp:author: made a guest profile \"{slug}\""
                ));
                e.new_authors.push((slug.clone(), creator.clone()));
                slug
            }
        };
        if !e.authors.contains(&slug) {
            e.authors.push(slug);
        }
    }
    if e.authors.is_empty() && !e.page {
        w.push("no author (dc:creator): credited to \"unknown\"".into());
        e.authors.push("unknown".into());
        e.new_authors.push(("unknown".into(), "Unknown".into()));
    }
    for (domain, _nicename, name) in &i.terms {
        let name = clean_name(&decode_entities(name));
        if name.is_empty() {
            continue;
        }
        match domain.as_str() {
            "category" if !e.categories.contains(&name) => e.categories.push(name),
            "post_tag" if !e.tags.contains(&name) => e.tags.push(name),
            _ => {}
        }
    }
    let excerpt = strip_tags(i.get("excerpt:encoded"));
    if !excerpt.is_empty() {
        e.description = Some(excerpt);
    }
    let gallery = |ids: Option<&str>| -> Vec<String> {
        match ids {
            Some(ids) => ids
                .split(',')
                .filter_map(|id| ctx.attachments.get(id.trim()).cloned())
                .collect(),
            None => ctx.children.get(id).cloned().unwrap_or_default(),
        }
    };
    e.body = wordpress_html(i.get("content:encoded"), &gallery, w);
    // Old URL: the item's link, unless it is a `?p=123` shortlink.
    let link = i.get("link").trim();
    if !link.contains("?p=") && !link.contains("?page_id=") {
        e.old_path = url_path(link).filter(|p| p != "/");
    }
    if e.page {
        e.page_path = match &e.old_path {
            Some(p) => p
                .trim_matches('/')
                .split('/')
                .map(|c| safe_slug(c, "page"))
                .collect::<Vec<_>>()
                .join("/"),
            None => e.slug.clone(),
        };
        if e.page_path.is_empty() {
            e.page_path = e.slug.clone();
        }
    }
    // Comments: approved ones, without email or IP.
    let mut unapproved = 0;
    for c in &i.comments {
        let g = |k: &str| c.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
        if g("wp:comment_approved") != "1" {
            unapproved += 1;
            continue;
        }
        let kind = match g("wp:comment_type").as_str() {
            "" => "comment".to_string(),
            t => t.to_string(),
        };
        e.comments.push(Comment {
            id: g("wp:comment_id"),
            parent: Some(g("wp:comment_parent")).filter(|p| !p.is_empty() && p != "0"),
            author: clean_name(&decode_entities(&g("wp:comment_author"))),
            url: Some(g("wp:comment_author_url")).filter(|u| !u.is_empty()),
            date: wp_date(&g("wp:comment_date"), &g("wp:comment_date_gmt"))
                .map(|d| d.to_rfc3339())
                .unwrap_or_else(|| g("wp:comment_date")),
            kind,
            content: g("wp:comment_content"),
        });
    }
    if unapproved > 0 {
        e.warnings.push(format!(
            "{unapproved} comment{} not approved (pending or spam) left out",
            if unapproved == 1 { "" } else { "s" }
        ));
    }
    // The featured image: its attachment's URL, which `Plan::resolve_files`
    // copies from --media or leaves out, like every picture of the body.
    let thumb = i
        .meta
        .iter()
        .find(|(k, _)| k == "_thumbnail_id")
        .map(|(_, v)| v.trim().to_string());
    if let Some(t) = thumb {
        match ctx.attachments.get(&t) {
            None => e.warnings.push(format!(
                "featured image (attachment {t}) is not in the export: left out"
            )),
            Some(url) => e.image = Some(url.clone()),
        }
    }
    Converted::Entry(Box::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_the_blog_offset() {
        let d = wp_date("2019-03-04 01:20:30", "2019-03-03 23:20:30").unwrap();
        assert_eq!(d.to_rfc3339(), "2019-03-04T01:20:30+02:00");
        assert!(wp_date("0000-00-00 00:00:00", "0000-00-00 00:00:00").is_none());
    }

    #[test]
    fn malformed_xml_names_the_line() {
        let text = "<rss>\n<channel>\n<item><title>x</titel></item>\n</channel></rss>\n";
        let d = parse(text, Path::new("e.xml")).unwrap_err();
        assert_eq!(d.location().as_deref(), Some("e.xml:3:15"), "{d:?}");
    }
}
