//! The pictures and files that imported posts name, decided in one place
//! for every source: a site-absolute path (`/img/x.png`) or an absolute URL
//! on the old site's address (`https://old.example.com/wp-content/uploads/…`)
//! is looked up in the source's files (a site folder's `static/`, Jekyll's
//! root, WordPress's `--media` uploads folder). Found, it is copied to
//! `static/` and linked site-absolute. Missing, it is listed in the report
//! and the post still imports: a cover is left out, and a link in a body
//! points at the old site while that site keeps its address, or else is
//! taken out (the link's text stays), so the result passes `gen check`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Plan;
use crate::sitefs::SiteFs;

/// Where the source keeps the files its posts name.
#[derive(Debug, Clone)]
pub struct SourceFiles {
    /// The source's folder.
    pub fs: SiteFs,
    /// The folder in it that the old site served at `under` (`static`, or
    /// the root).
    pub dir: PathBuf,
    /// The URL path it served that folder at: `/`, or
    /// `/wp-content/uploads/` for WordPress's `--media`.
    pub under: String,
    /// How the report names a copied file's origin (`--media ` for
    /// WordPress, nothing for a site folder).
    pub label: String,
}

/// What becomes of one file a post names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fate {
    /// Copied: linked at this site-absolute path.
    Copied(String),
    /// Missing, linked on the old site at this URL.
    OldSite(String),
    /// Missing, and the old site will not serve it: the link is taken out.
    Unlinked,
}

/// The file extensions of pages, never files to copy (`/2019/x.html` is an
/// old post's URL).
const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "php", "asp", "aspx", "xml"];

/// The site path a destination names, when it names a file of the site:
/// `/img/x.png`, or `https://old.example.com/img/x.png` when `old_base` is
/// `https://old.example.com`. Query and fragment are left out.
fn site_path(dest: &str, old_base: Option<&str>) -> Option<String> {
    let dest = dest.trim();
    // The old address in either scheme, or scheme-relative (`//host/…`):
    // sites moved from http to https and kept old links.
    let without_scheme = |u: &'_ str| -> Option<usize> {
        ["https://", "http://", "//"]
            .iter()
            .find(|p| u.len() >= p.len() && u[..p.len()].eq_ignore_ascii_case(p))
            .map(|p| p.len())
    };
    let rest = match old_base.and_then(|b| Some((b, without_scheme(b)?))) {
        Some((b, bs)) => match without_scheme(dest) {
            Some(ds) => {
                let (host, d) = (&b[bs..], &dest[ds..]);
                if d.len() > host.len() && d[..host.len()].eq_ignore_ascii_case(host) {
                    &d[host.len()..]
                } else {
                    return None;
                }
            }
            None => dest,
        },
        None => dest,
    };
    if !rest.starts_with('/') || rest.starts_with("//") {
        return None;
    }
    let path = rest.split(['?', '#']).next().unwrap_or(rest);
    let last = path.rsplit('/').next().unwrap_or("");
    let ext = last.rsplit_once('.')?.1.to_ascii_lowercase();
    if ext.is_empty() || PAGE_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    if decoded.split('/').any(|c| c == ".." || c == ".") {
        return None;
    }
    Some(decoded)
}

/// A destination of a link or picture in a body, with where it is.
struct Dest {
    /// The byte range of the destination itself.
    start: usize,
    end: usize,
    /// The range to take out when the link goes (a whole Markdown picture,
    /// an `<img>` tag, an attribute), and what stays in its place.
    cut: (usize, usize, String),
}

/// Every link and picture destination in Markdown (`[text](dest)`,
/// `![alt](dest)`) and HTML (`src="dest"`, `href="dest"`), in order.
fn destinations(body: &str) -> Vec<Dest> {
    let mut out = Vec::new();
    // Markdown: `](dest "title")`.
    let mut from = 0;
    while let Some(i) = body[from..].find("](") {
        let close = from + i;
        let dstart = close + 2;
        let after = &body[dstart..];
        let end_rel = after.find(')').unwrap_or(after.len());
        from = dstart + end_rel;
        let token = after[..end_rel].split_whitespace().next().unwrap_or("");
        if token.is_empty() || after[..end_rel].contains('\n') {
            continue;
        }
        let lead = after[..end_rel].len() - after[..end_rel].trim_start().len();
        let start = dstart + lead;
        // The `[` that opens the text, at the same bracket depth.
        let mut depth = 0usize;
        let mut open = None;
        for (j, c) in body[..close].char_indices().rev() {
            match c {
                ']' => depth += 1,
                '[' if depth == 0 => {
                    open = Some(j);
                    break;
                }
                '[' => depth -= 1,
                '\n' if body[..j].ends_with('\n') => break,
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let text = &body[open + 1..close];
        let end_all = (from + 1).min(body.len());
        let cut = if open > 0 && body.as_bytes()[open - 1] == b'!' {
            (open - 1, end_all, String::new())
        } else {
            (open, end_all, text.to_string())
        };
        out.push(Dest {
            start,
            end: start + token.len(),
            cut,
        });
    }
    // HTML attributes.
    for attr in ["src=\"", "href=\""] {
        let mut from = 0;
        while let Some(i) = body[from..].find(attr) {
            let at = from + i;
            let start = at + attr.len();
            let Some(len) = body[start..].find('"') else {
                break;
            };
            from = start + len;
            let before_ok = at > 0 && body.as_bytes()[at - 1].is_ascii_whitespace();
            if !before_ok {
                continue;
            }
            let tag_start = body[..at].rfind('<');
            let is_img = tag_start.is_some_and(|t| {
                body[t + 1..at]
                    .trim_start()
                    .get(..3)
                    .is_some_and(|n| n.eq_ignore_ascii_case("img"))
            });
            let cut = match (is_img, tag_start, body[from..].find('>')) {
                (true, Some(t), Some(gt)) => (t, from + gt + 1, String::new()),
                // The attribute with the space before it.
                _ => (at - 1, from + 1, String::new()),
            };
            out.push(Dest {
                start,
                end: from,
                cut,
            });
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

impl Plan {
    /// Decides every site file the entries name (bodies and covers): copies
    /// the ones the source holds (`self.files_from`), and for the others
    /// lists them as missing and warns. `new_base` is the address of the
    /// site written: a missing file stays linked on the old site only while
    /// the old site keeps its address, i.e. when the two differ.
    pub fn resolve_files(&mut self, new_base: Option<&str>) {
        let old_base = self
            .base_url
            .as_deref()
            .map(|b| b.trim_end_matches('/').to_string())
            .filter(|b| b.starts_with("http"));
        let old_stays = match (&old_base, new_base) {
            (Some(old), Some(new)) => !old.eq_ignore_ascii_case(new.trim_end_matches('/')),
            (Some(_), None) => true,
            _ => false,
        };
        let mut fates: BTreeMap<String, Fate> = BTreeMap::new();
        let mut copied: BTreeMap<String, (Vec<u8>, String)> = BTreeMap::new();
        let taken: std::collections::BTreeSet<String> =
            self.assets.iter().map(|a| a.0.clone()).collect();
        let files_from = self.files_from.clone();
        let mut decide = |path: &str| -> (Fate, String) {
            let looked = match &files_from {
                Some(f) => match path.strip_prefix(&f.under) {
                    Some(rel) if !rel.is_empty() => {
                        let src = f.dir.join(rel);
                        format!(
                            "{}{}",
                            f.label,
                            super::rel_str(std::path::Path::new(""), &src)
                        )
                    }
                    _ => path.to_string(),
                },
                None => path.to_string(),
            };
            if let Some(fate) = fates.get(path) {
                return (fate.clone(), looked);
            }
            let bytes = files_from.as_ref().and_then(|f| {
                let rel = path.strip_prefix(&f.under).filter(|r| !r.is_empty())?;
                f.fs.read_bytes(&f.dir.join(rel)).ok()
            });
            let fate = match bytes {
                Some(b) => {
                    let dest = format!("static{path}");
                    if !taken.contains(&dest) {
                        copied.entry(dest).or_insert((b, looked.clone()));
                    }
                    Fate::Copied(path.to_string())
                }
                None => match (&old_base, old_stays) {
                    (Some(old), true) => Fate::OldSite(format!("{old}{path}")),
                    _ => Fate::Unlinked,
                },
            };
            fates.insert(path.to_string(), fate.clone());
            (fate, looked)
        };
        // Where the file was looked for, as the warnings say it.
        let hint = match (self.kind, &files_from) {
            ("wordpress", None) => "the export (give --media, the uploads folder, to copy it)",
            ("wordpress", Some(_)) => "the --media folder",
            _ => "the source",
        };
        let mut missing = Vec::new();
        for e in &mut self.entries {
            // The cover: copied, or left out.
            if let Some(img) = e.image.clone() {
                match site_path(&img, old_base.as_deref()).map(|p| decide(&p)) {
                    Some((Fate::Copied(p), _)) => e.image = Some(p),
                    Some((_, looked)) => {
                        e.warnings.push(format!(
                            "cover picture {img} is not in {hint}: `image` left out"
                        ));
                        missing.push(format!("{looked} (named by {})", e.source));
                        e.image = None;
                    }
                    // A cover is a file of the site: one elsewhere is not copied.
                    None if img.contains("://") => {
                        e.warnings.push(format!(
                            "cover picture {img} is not on the old site's address: `image` left out"
                        ));
                        missing.push(format!("{img} (named by {})", e.source));
                        e.image = None;
                    }
                    None => {}
                }
            }
            let mut body = String::with_capacity(e.body.len());
            let mut at = 0;
            // Where a source offset that was copied as it is went in `body`:
            // (source offset, body offset) at the start of each copied stretch.
            let mut marks: Vec<(usize, usize)> = vec![(0, 0)];
            for d in destinations(&e.body) {
                let Some(path) = site_path(&e.body[d.start..d.end], old_base.as_deref()) else {
                    continue;
                };
                let (fate, looked) = decide(&path);
                let dest = &e.body[d.start..d.end];
                if !matches!(fate, Fate::Copied(_)) {
                    missing.push(format!("{looked} (named by {})", e.source));
                }
                let on_old_site = matches!(fate, Fate::OldSite(_));
                match fate {
                    Fate::Copied(p) | Fate::OldSite(p) if d.start >= at => {
                        let w = format!("{dest} is not in {hint}: linked on the old site as {p}");
                        if on_old_site && !e.warnings.contains(&w) {
                            e.warnings.push(w);
                        }
                        body.push_str(&e.body[at..d.start]);
                        body.push_str(&p);
                        at = d.end;
                        marks.push((at, body.len()));
                    }
                    Fate::Unlinked if d.cut.0 >= at => {
                        let w = format!(
                            "{dest} is not in {hint}: link taken out (put the file at static{path} and link it again)"
                        );
                        if !e.warnings.contains(&w) {
                            e.warnings.push(w);
                        }
                        body.push_str(&e.body[at..d.cut.0]);
                        body.push_str(&d.cut.2);
                        at = d.cut.1;
                        marks.push((at, body.len()));
                    }
                    // A link around a picture already taken out
                    // (`[![a](/x.png)](/x.png)`): the link goes too, its
                    // text (what is left of it) stays.
                    Fate::Unlinked => {
                        let w = format!(
                            "{dest} is not in {hint}: link taken out (put the file at static{path} and link it again)"
                        );
                        if unlink_around(&e.body, &d, &mut body, &mut at, &marks) {
                            marks.push((at, body.len()));
                            if !e.warnings.contains(&w) {
                                e.warnings.push(w);
                            }
                        }
                    }
                    _ => {}
                }
            }
            body.push_str(&e.body[at..]);
            e.body = body;
        }
        self.missing.extend(missing);
        self.assets.extend(
            copied
                .into_iter()
                .map(|(dest, (bytes, from))| (dest, bytes, from)),
        );
    }
}

/// Takes out the Markdown link or picture `d` of `source` whose start was
/// already copied into `body` (a link around a picture taken out before):
/// `body` loses it from its `[` on and keeps its text as rewritten; `at`
/// moves past it. False, and nothing changed, when `d` is not such a link.
fn unlink_around(
    source: &str,
    d: &Dest,
    body: &mut String,
    at: &mut usize,
    marks: &[(usize, usize)],
) -> bool {
    let open = d.cut.0;
    let Some(close) = source[..d.start].rfind("](") else {
        return false;
    };
    let Some(&(src, out)) = marks.iter().rev().find(|m| m.0 <= open) else {
        return false;
    };
    let out_open = out + (open - src);
    let image = source.as_bytes().get(open) == Some(&b'!');
    if close < *at || out_open >= body.len() || body.as_bytes()[out_open] != source.as_bytes()[open]
    {
        return false;
    }
    let text = if image {
        String::new()
    } else {
        format!("{}{}", &body[out_open + 1..], &source[*at..close])
    };
    body.truncate(out_open);
    body.push_str(&text);
    *at = d.cut.1;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_of_files() {
        let old = Some("https://old.test");
        assert_eq!(site_path("/img/a.png", old).as_deref(), Some("/img/a.png"));
        assert_eq!(
            site_path("https://old.test/img/a%20b.png?w=2", old).as_deref(),
            Some("/img/a b.png")
        );
        assert_eq!(
            site_path("http://OLD.test/img/a.png", old).as_deref(),
            Some("/img/a.png")
        );
        for not in [
            "https://other.test/img/a.png",
            "/2019/03/x/",
            "/2019/03/x.html",
            "//cdn.test/a.png",
            "a.png",
            "/x/../a.png",
        ] {
            assert_eq!(site_path(not, old), None, "{not}");
        }
    }

    /// A linked picture whose link and picture were both missing left an
    /// empty link to the missing file, a broken link for `gen check`.
    #[test]
    fn a_missing_picture_linked_to_itself_leaves_no_empty_link() {
        let body = "A [![Gone](/img/gone.png)](/img/gone.png) and [see ![x](/img/gone.png) here](/f/gone.pdf).\n";
        let mut plan = Plan {
            entries: vec![super::super::Entry {
                source: "p.md".into(),
                body: body.into(),
                ..Default::default()
            }],
            ..Plan::default()
        };
        plan.resolve_files(None);
        assert_eq!(plan.entries[0].body, "A  and see  here.\n");
        assert_eq!(
            plan.missing.iter().collect::<Vec<_>>(),
            [
                "/f/gone.pdf (named by p.md)",
                "/img/gone.png (named by p.md)"
            ]
        );
    }

    #[test]
    fn missing_files_are_unlinked_or_linked_on_the_old_site() {
        let body = "Hi ![Gone](/img/gone.png) and [the PDF](/f/a.pdf \"t\").\n\n<figure><img class=\"x\" src=\"/img/gone.png\" alt=\"\"><figcaption>Cap</figcaption></figure>\n<audio controls src=\"/f/a.mp3\"></audio> <a href=\"/f/a.mp3\">a.mp3</a> [post](/2019/x/)\n";
        let entry = || super::super::Entry {
            source: "p.md".into(),
            body: body.into(),
            image: Some("/img/cover.png".into()),
            ..Default::default()
        };
        let mut plan = Plan {
            entries: vec![entry()],
            ..Plan::default()
        };
        plan.resolve_files(None);
        let e = &plan.entries[0];
        assert_eq!(
            e.body,
            "Hi  and the PDF.\n\n<figure><figcaption>Cap</figcaption></figure>\n<audio controls></audio> <a>a.mp3</a> [post](/2019/x/)\n"
        );
        assert_eq!(e.image, None);
        assert_eq!(
            plan.missing.iter().collect::<Vec<_>>(),
            [
                "/f/a.mp3 (named by p.md)",
                "/f/a.pdf (named by p.md)",
                "/img/cover.png (named by p.md)",
                "/img/gone.png (named by p.md)"
            ]
        );
        assert_eq!(
            e.warnings[0],
            "cover picture /img/cover.png is not in the source: `image` left out"
        );
        assert_eq!(
            e.warnings[1],
            "/img/gone.png is not in the source: link taken out (put the file at static/img/gone.png and link it again)"
        );
        // The old site keeps its address (the new site has another one).
        let mut plan = Plan {
            base_url: Some("https://old.test/".into()),
            entries: vec![entry()],
            ..Plan::default()
        };
        plan.resolve_files(Some("https://new.test"));
        assert!(
            plan.entries[0]
                .body
                .starts_with("Hi ![Gone](https://old.test/img/gone.png) and [the PDF](https://old.test/f/a.pdf \"t\")."),
            "{}",
            plan.entries[0].body
        );
        assert_eq!(
            plan.entries[0].warnings[1],
            "/img/gone.png is not in the source: linked on the old site as https://old.test/img/gone.png"
        );
    }
}
