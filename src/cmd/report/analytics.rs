//! Analytics exports for `gen report`: Plausible's CSV export (`pages.csv`:
//! `name,visitors,pageviews,…`; `sources.csv`: `name,visitors,…`),
//! GoatCounter's CSV export (format version 2: one row per pageview,
//! `2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,…,Date`)
//! and a plain `path,views` CSV. The format is told by the header.
//!
//! The file is untrusted: a row that cannot be read is a warning naming the
//! file and line, and the report goes on without it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostic;

/// Which export a file is, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plausible's pages export: views and visitors per page, no referrers.
    PlausiblePages,
    /// Plausible's sources export: site-wide referrers, no pages.
    PlausibleSources,
    /// GoatCounter's export (version 2): one row per pageview.
    GoatCounter,
    /// `path,views`.
    Plain,
}

impl Format {
    /// The name shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::PlausiblePages => "Plausible (pages)",
            Format::PlausibleSources => "Plausible (sources)",
            Format::GoatCounter => "GoatCounter",
            Format::Plain => "path,views",
        }
    }
}

/// What an export says about one path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageStats {
    pub views: u64,
    /// Unknown in a plain `path,views` file.
    pub visitors: Option<u64>,
    /// Referrer → pageviews, where the export has them per page.
    pub referrers: BTreeMap<String, u64>,
}

/// A read export.
#[derive(Debug, Clone)]
pub struct Analytics {
    pub format: Format,
    /// By [`key`] of the path.
    pages: BTreeMap<String, PageStats>,
    /// Site-wide referrers (Plausible's sources export) → visitors.
    pub site_referrers: Vec<(String, u64)>,
}

impl Analytics {
    /// Whether the export has referrers per page.
    pub fn has_page_referrers(&self) -> bool {
        self.format == Format::GoatCounter
    }

    /// Whether the export has views per page.
    pub fn has_pages(&self) -> bool {
        self.format != Format::PlausibleSources
    }

    /// The stats of a page path (`/a/b/`), matched with and without its
    /// trailing slash.
    pub fn page(&self, path: &str) -> Option<&PageStats> {
        self.pages.get(&key(path))
    }
}

/// A path or full URL as looked up: the path of a URL, without query or
/// fragment, as [`crate::routes::match_key`] compares it.
pub fn key(raw: &str) -> String {
    let raw = raw.trim();
    let path = match url::Url::parse(raw) {
        Ok(u) if u.has_host() => u.path().to_string(),
        _ => raw.split(['?', '#']).next().unwrap_or("").to_string(),
    };
    crate::routes::match_key(&path)
}

/// A CSV record: the line it starts on, and its fields.
type Record = (usize, Vec<String>);

/// Splits CSV text (RFC 4180, read by the `csv` crate: quoted fields with
/// doubled quotes, line breaks inside quotes, rows of any length) into
/// records, each with the line it starts on. A quoted field still open at
/// the end of the file takes the rest of the file: that row is then not one
/// the report can read, and a warning.
fn records(text: &str) -> Result<Vec<Record>, (usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            (line, e.to_string())
        })?;
        let line = record.position().map_or(1, |p| p.line() as usize);
        out.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(out)
}

/// Reads an export; the warnings name the file and line of each row left out.
/// Errors: the file cannot be read, or its header is of no known format.
pub fn read(path: &Path) -> Result<(Analytics, Vec<Diagnostic>), Diagnostic> {
    let text = crate::sitefs::read_named_text(
        path,
        "pass --analytics a CSV export of Plausible or GoatCounter, or a path,views CSV",
        "analytics exports are UTF-8: export again, or convert the file with iconv",
    )?;
    parse(path, text.trim_start_matches('\u{feff}'))
}

/// Parses an export's text; `path` names it in diagnostics.
pub fn parse(path: &Path, text: &str) -> Result<(Analytics, Vec<Diagnostic>), Diagnostic> {
    let unknown = || {
        Diagnostic::error("the analytics file is of no known format")
            .in_file(path).at(text, 1, 1)
            .hint("expected the header of Plausible's pages.csv or sources.csv (name,visitors,…), of GoatCounter's export (2Path,…) or path,views")
    };
    let rows = records(text).map_err(|(line, msg)| {
        Diagnostic::error(format!("the analytics file cannot be read: {msg}"))
            .in_file(path)
            .at(text, line, 1)
    })?;
    let Some(((_, header), rows)) = rows.split_first() else {
        return Err(unknown());
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let format = if header.first().map(String::as_str) == Some("2path") {
        Format::GoatCounter
    } else if col("name").is_some() && col("pageviews").is_some() {
        Format::PlausiblePages
    } else if col("name").is_some() && col("visitors").is_some() {
        Format::PlausibleSources
    } else if col("path").is_some() && col("views").is_some() {
        Format::Plain
    } else {
        return Err(unknown());
    };
    let mut warnings = Vec::new();
    let mut bad = |line: usize, why: String| {
        warnings.push(
            Diagnostic::warning(format!("analytics row left out: {why}"))
                .in_file(path)
                .at(text, line, 1),
        );
    };
    let number = |s: &str| s.trim().parse::<u64>().ok();
    let mut a = Analytics {
        format,
        pages: BTreeMap::new(),
        site_referrers: Vec::new(),
    };
    let get =
        |r: &[String], i: Option<usize>| i.and_then(|i| r.get(i)).map(|s| s.trim().to_string());
    // GoatCounter: distinct sessions per path make its visitors.
    let mut sessions: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for (line, r) in rows {
        let line = *line;
        if r.len() != header.len() {
            bad(
                line,
                format!("{} fields where the header has {}", r.len(), header.len()),
            );
            continue;
        }
        match format {
            Format::Plain | Format::PlausiblePages => {
                let (p, v) = if format == Format::Plain {
                    (col("path"), col("views"))
                } else {
                    (col("name"), col("pageviews"))
                };
                let path = get(r, p).unwrap_or_default();
                let Some(views) = get(r, v).as_deref().and_then(number) else {
                    bad(
                        line,
                        format!(
                            "views \"{}\" is not a whole number",
                            get(r, v).unwrap_or_default()
                        ),
                    );
                    continue;
                };
                let visitors = match (format, get(r, col("visitors"))) {
                    (Format::PlausiblePages, Some(s)) => match number(&s) {
                        Some(n) => Some(n),
                        None => {
                            bad(line, format!("visitors \"{s}\" is not a whole number"));
                            continue;
                        }
                    },
                    _ => None,
                };
                if path.is_empty() {
                    bad(line, "the path is empty".into());
                    continue;
                }
                let e = a.pages.entry(key(&path)).or_default();
                e.views += views;
                e.visitors = match (e.visitors, visitors) {
                    (Some(x), Some(y)) => Some(x + y),
                    (x, y) => x.or(y),
                };
            }
            Format::PlausibleSources => {
                let name = get(r, col("name")).unwrap_or_default();
                let Some(n) = get(r, col("visitors")).as_deref().and_then(number) else {
                    bad(line, "visitors is not a whole number".into());
                    continue;
                };
                a.site_referrers.push((name, n));
            }
            Format::GoatCounter => {
                let path = get(r, Some(0)).unwrap_or_default();
                if path.is_empty() {
                    bad(line, "the path is empty".into());
                    continue;
                }
                // Events are not pageviews; bots (Bot > 0) are not readers.
                let is = |name: &str| {
                    get(r, col(name)).is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
                };
                if is("event") || is("bot") {
                    continue;
                }
                let k = key(&path);
                let e = a.pages.entry(k.clone()).or_default();
                e.views += 1;
                if let Some(s) = get(r, col("session")).filter(|s| !s.is_empty()) {
                    sessions.entry(k.clone()).or_default().insert(s);
                }
                if let Some(rf) = get(r, col("referrer")).filter(|s| !s.is_empty()) {
                    *e.referrers.entry(rf).or_default() += 1;
                }
            }
        }
    }
    if format == Format::GoatCounter {
        for (k, e) in &mut a.pages {
            e.visitors = Some(sessions.get(k).map_or(0, |s| s.len() as u64));
        }
    }
    a.site_referrers
        .sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    Ok((a, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> (Analytics, Vec<Diagnostic>) {
        parse(Path::new("a.csv"), text).unwrap()
    }

    #[test]
    fn keys_drop_trailing_slash_host_and_query() {
        assert_eq!(key("/a/b/"), "/a/b");
        assert_eq!(key("/a/b"), "/a/b");
        assert_eq!(key("https://x.test/a/?q=1#f"), "/a");
        assert_eq!(key("https://x.test"), "/");
        assert_eq!(key("/"), "/");
        assert_eq!(key("a/"), "/a");
    }

    #[test]
    fn plain_views_match_with_and_without_slash() {
        let (a, w) = p("path,views\n/a/,3\n/a,2\n\"/b\",x\n");
        assert_eq!(a.format, Format::Plain);
        assert_eq!(a.page("/a/").unwrap().views, 5);
        assert_eq!(a.page("/a").unwrap().visitors, None);
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("views \"x\""), "{:?}", w[0]);
        assert_eq!(w[0].line, Some(4));
    }

    #[test]
    fn plausible_pages_and_sources() {
        let (a, _) = p("name,visitors,pageviews,bounce_rate,time_on_page\n/a/,10,12,50,30\n");
        assert_eq!(a.format, Format::PlausiblePages);
        assert_eq!(
            a.page("/a").unwrap(),
            &PageStats {
                views: 12,
                visitors: Some(10),
                referrers: BTreeMap::new()
            }
        );
        let (s, _) =
            p("name,visitors,bounce_rate,visit_duration\nDirect / None,5,1,1\nexample.org,9,1,1\n");
        assert_eq!(s.format, Format::PlausibleSources);
        assert!(!s.has_pages());
        assert_eq!(s.site_referrers[0], ("example.org".to_string(), 9));
    }

    #[test]
    fn goatcounter_counts_views_sessions_and_referrers_without_bots() {
        let text = "2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date\n\
/a/,A,false,ua,b,s,s1,0,blog.test,h,1,NL,true,2026-01-01T00:00:00Z\n\
/a,A,false,ua,b,s,s1,0,,o,1,NL,false,2026-01-01T00:00:00Z\n\
/a,A,false,ua,b,s,s2,0,blog.test,h,1,NL,true,2026-01-01T00:00:00Z\n\
/a,A,false,ua,b,s,s3,1,spam.test,h,1,NL,true,2026-01-01T00:00:00Z\n\
/a,A,\"quoted, short\"\n";
        let (a, w) = p(text);
        assert_eq!(a.format, Format::GoatCounter);
        let s = a.page("/a/").unwrap();
        assert_eq!((s.views, s.visitors), (3, Some(2)));
        assert_eq!(s.referrers.get("blog.test"), Some(&2));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(6));
    }

    #[test]
    fn unknown_header_is_an_error_and_an_open_quote_a_warning() {
        assert!(parse(Path::new("a.csv"), "x,y\n1,2\n").is_err());
        assert!(parse(Path::new("a.csv"), "").is_err());
        // The open quote takes the rest of the file as one field: the row
        // is left out with a warning at its line, the rows before it stay.
        let (a, w) = p("path,views\n/b,2\n\"/a,1\n/c,3\n");
        assert_eq!(a.page("/b").map(|s| s.views), Some(2));
        assert!(a.page("/c").is_none());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(3));
    }
}
