//! One user-facing diagnostic type for everything `gen` reports about a site.
//!
//! Errors are product: each diagnostic names the file and, where known, the line
//! and column, says what was expected and how to fix it. A run collects every
//! diagnostic before failing, so a guest sees all their mistakes at once.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built as it is.
    Error,
    /// Suspicious but buildable.
    Warning,
}

/// What kind of problem a diagnostic is: the title of its pull-request
/// annotation (`--format github`) and its `kind` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A link or picture in content that leads nowhere.
    BrokenLink,
    /// A post names an author without a profile.
    UnknownAuthor,
    /// A problem in a content file's front matter.
    FrontMatter,
    /// A problem in the body of a content file.
    Content,
    /// An author profile (`authors/<slug>.toml`).
    AuthorProfile,
    /// The site config, `gen.toml`.
    Config,
    /// A theme or site template.
    Template,
    /// A tag or category that looks like a typo of another.
    SimilarTag,
    /// HTML that the sanitizer removes from a guest post.
    RemovedHtml,
    /// A fenced code block in a language no syntax answers to.
    CodeLanguage,
    /// A date in the future.
    FutureDate,
    /// A description longer than previews show.
    LongDescription,
    /// A share snippet or kit.
    Share,
    /// Writing the output.
    Output,
    /// Anything else.
    Other,
}

impl Kind {
    /// The words shown as the annotation title.
    pub fn title(self) -> &'static str {
        match self {
            Kind::BrokenLink => "broken link",
            Kind::UnknownAuthor => "unknown author",
            Kind::FrontMatter => "front matter",
            Kind::Content => "content",
            Kind::AuthorProfile => "author profile",
            Kind::Config => "config",
            Kind::Template => "template",
            Kind::SimilarTag => "similar tag",
            Kind::RemovedHtml => "removed HTML",
            Kind::CodeLanguage => "code language",
            Kind::FutureDate => "future date",
            Kind::LongDescription => "long description",
            Kind::Share => "share snippet",
            Kind::Output => "output",
            Kind::Other => "gen",
        }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is, when the code that found it said so; else
    /// [`Diagnostic::kind_of`] tells it from the file and the message.
    pub kind: Option<Kind>,
    /// Path relative to the site root (or as given when outside it).
    pub path: Option<PathBuf>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, counted in characters.
    pub col: Option<usize>,
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The text of the offending line, for the caret display.
    pub source_line: Option<String>,
}

/// The JSON of `gen check --format json`: severity, kind, path, line, col,
/// message and hint (as shown: a suggestion once).
impl serde::Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Diagnostic", 7)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("kind", &self.kind_of())?;
        st.serialize_field("path", &self.path.as_deref().map(display_path))?;
        st.serialize_field("line", &self.line)?;
        st.serialize_field("col", &self.col)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("hint", &self.shown_hint())?;
        st.end()
    }
}

impl Diagnostic {
    /// An error not tied to a file.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind: None,
            path: None,
            line: None,
            col: None,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    /// A warning not tied to a file.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Names the file the problem is in.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Points at a line and column, copying the line's text from `source` for display.
    pub fn at(mut self, source: &str, line: usize, col: usize) -> Self {
        self.line = Some(line.max(1));
        self.col = Some(col.max(1));
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// Points at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, col) = line_col(source, offset);
        self.at(source, line, col)
    }

    /// Says what kind of problem it is.
    pub fn kind(mut self, kind: Kind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// What kind of problem it is: as set with [`Diagnostic::kind`], else told
    /// from the message and the file (a post's front matter, an author profile,
    /// the config, a template).
    pub fn kind_of(&self) -> Kind {
        if let Some(k) = self.kind {
            return k;
        }
        if self.message.starts_with("unknown author") {
            return Kind::UnknownAuthor;
        }
        let Some(path) = &self.path else {
            return Kind::Other;
        };
        let p = display_path(path);
        if p.starts_with("templates/") || p.starts_with("themes/") {
            Kind::Template
        } else if p == "gen.toml" {
            Kind::Config
        } else if p.starts_with("authors/") {
            Kind::AuthorProfile
        } else if p.ends_with(".md") || p.ends_with(".markdown") {
            // What load reports about a content file is about its front matter;
            // problems in the body say their kind where they are found.
            Kind::FrontMatter
        } else {
            Kind::Other
        }
    }

    /// The annotation title: the kind of problem, or `gen error` / `gen warning`
    /// when nothing more is known.
    pub fn title(&self) -> String {
        match self.kind_of() {
            Kind::Other => match self.severity {
                Severity::Error => "gen error".into(),
                Severity::Warning => "gen warning".into(),
            },
            k => k.title().into(),
        }
    }

    /// The hint as shown: without a "did you mean …?" that the message already
    /// asks, so a suggestion appears once.
    pub fn shown_hint(&self) -> Option<String> {
        let hint = self.hint.as_deref()?;
        if hint.starts_with("did you mean ")
            && let Some(q) = hint.find('?')
            && self.message.contains(&hint[..=q])
        {
            let rest = hint[q + 1..].trim_start();
            if rest.is_empty() {
                return None;
            }
            return Some(rest.to_string());
        }
        Some(hint.to_string())
    }

    /// Adds advice on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order in which reports list diagnostics: by file, then line, then
    /// column, those without a file (or line, or column) first.
    pub fn sort_key(&self) -> (Option<&Path>, Option<usize>, Option<usize>) {
        (self.path.as_deref(), self.line, self.col)
    }

    /// `content/posts/x.md:3:11` (or as much of it as is known).
    pub fn location(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        let mut s = display_path(path);
        if let Some(line) = self.line {
            let _ = write!(s, ":{line}");
            if let Some(col) = self.col {
                let _ = write!(s, ":{col}");
            }
        }
        Some(s)
    }

    /// The human format: a headline, the source line with a caret, and the hint.
    pub fn render_human(&self, color: bool) -> String {
        let (label, paint) = match self.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
        };
        let mut out = String::new();
        if color {
            let _ = write!(out, "{paint}{label}\x1b[0m: ");
        } else {
            let _ = write!(out, "{label}: ");
        }
        if let Some(loc) = self.location() {
            let _ = write!(out, "{loc}: ");
        }
        out.push_str(&self.message);
        out.push('\n');
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let num = line.to_string();
            let pad = " ".repeat(num.len());
            let col = self.col.unwrap_or(1);
            let caret_pad: String = text
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {text}");
            let _ = writeln!(out, "{pad} | {caret_pad}^");
        }
        if let Some(hint) = self.shown_hint() {
            // Lines of a multi-line hint (an example) line up under its first line.
            let hint = hint.replace('\n', "\n          ");
            let _ = writeln!(out, "  = help: {hint}");
        }
        out
    }

    /// GitHub Actions workflow command, so problems show on the pull request's lines.
    pub fn render_github(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(path) = &self.path {
            props.push(format!("file={}", gh_escape_prop(&display_path(path))));
        }
        if let Some(line) = self.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = self.col {
            props.push(format!("col={col}"));
        }
        props.push(format!("title={}", gh_escape_prop(&self.title())));
        let mut msg = self.message.clone();
        if let Some(hint) = self.shown_hint() {
            // One sentence after another: no full stop after a question mark.
            if msg.ends_with(['.', '?', '!']) {
                msg.push(' ');
            } else {
                msg.push_str(". ");
            }
            let mut hint = hint.chars();
            msg.extend(hint.next().map(|c| c.to_ascii_uppercase()));
            msg.extend(hint);
        }
        format!("::{kind} {}::{}", props.join(","), gh_escape_data(&msg))
    }
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Paths are shown with forward slashes on every platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let mut in_line = &before[line_start..];
    // At the end of a CRLF line, the `\r` is part of the line break, not a column.
    if source[offset..].starts_with('\n') {
        in_line = in_line.strip_suffix('\r').unwrap_or(in_line);
    }
    (line, in_line.chars().count() + 1)
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let score = strsim::jaro_winkler(&lower, &c.to_lowercase());
            let contains = c.to_lowercase().contains(&lower) || lower.contains(&c.to_lowercase());
            (
                if contains && !lower.is_empty() {
                    score.max(0.85)
                } else {
                    score
                },
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The existing Markdown file that a link to the missing `target` most likely
/// meant, named as the link would name it beside `target` (`2024-05-01-hello.md`,
/// or `hello/index.md` for a post in a folder). Only files in the target's folder
/// count, compared by name without their date prefix and extension, so posts of
/// the same month do not look alike.
pub fn did_you_mean_file<'a>(
    target: &Path,
    files: impl IntoIterator<Item = &'a Path>,
) -> Option<String> {
    fn key(name: &str) -> String {
        let name = name.strip_suffix("/index.md").unwrap_or(name);
        let name = name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".markdown"))
            .unwrap_or(name);
        let b = name.as_bytes();
        let dated = b.len() > 11
            && b[..10].iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            })
            && b[10] == b'-';
        if dated { &name[11..] } else { name }.to_lowercase()
    }
    let dir = target.parent().unwrap_or(Path::new(""));
    let wanted = key(&target.file_name()?.to_string_lossy());
    let candidates: Vec<(String, String)> = files
        .into_iter()
        .filter_map(|f| {
            let rel = display_path(f.strip_prefix(dir).ok()?);
            let parts = rel.split('/').count();
            (parts == 1 || (parts == 2 && rel.ends_with("/index.md"))).then(|| (key(&rel), rel))
        })
        .collect();
    let best = did_you_mean(&wanted, candidates.iter().map(|(k, _)| k.as_str()))?;
    candidates
        .iter()
        .filter(|(k, _)| k == best)
        .map(|(_, name)| name.clone())
        .min()
}

/// A thread-safe collection of diagnostics from one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&self, d: Diagnostic) {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }

    pub fn extend(&self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(ds);
    }

    /// The item of a parse result, recording its diagnostics (its warnings, or
    /// the errors that made it fail).
    pub fn keep<T>(&self, result: Result<(T, Vec<Diagnostic>), Vec<Diagnostic>>) -> Option<T> {
        match result {
            Ok((item, warnings)) => {
                self.extend(warnings);
                Some(item)
            }
            Err(errors) => {
                self.extend(errors);
                None
            }
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(Diagnostic::is_error)
    }

    /// All diagnostics, sorted by file and position so output is stable.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut v = self.items.into_inner().unwrap_or_else(|e| e.into_inner());
        // Severity and message after the place, so that equal ones meet for `dedup`.
        v.sort_by(|a, b| {
            (a.sort_key(), a.severity, &a.message).cmp(&(b.sort_key(), b.severity, &b.message))
        });
        v.dedup();
        v
    }
}

/// Sorts diagnostics by [`Diagnostic::sort_key`]; the sort is stable, so those
/// at one place keep the order they were found in.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// The outcome of a command that found problems in the site.
#[derive(Debug)]
pub struct Failed(pub Vec<Diagnostic>);

/// The messages of an error and all its sources, joined.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let m = s.to_string();
        if !msg.contains(&m) {
            msg.push_str(": ");
            msg.push_str(&m);
        }
        src = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_of_crlf_line_ends_is_that_of_lf() {
        let lf = "title = \"A\ndate = 1\n";
        let crlf = "title = \"A\r\ndate = 1\r\n";
        assert_eq!(line_col(lf, 10), (1, 11));
        assert_eq!(line_col(crlf, 11), (1, 11));
        assert_eq!(line_col(crlf, 10), (1, 11));
        assert_eq!(line_col(crlf, 12), (2, 1));
        assert_eq!(line_col("a\rb", 2), (1, 3));
    }

    #[test]
    fn caret_points_at_column() {
        let src = "a\nauthors = [\"hollyp\"]\n";
        let d = Diagnostic::error("unknown author \"hollyp\"")
            .in_file("content/posts/x.md")
            .at(src, 2, 12)
            .hint("add authors/hollyp.toml");
        let out = d.render_human(false);
        assert_eq!(
            out,
            "error: content/posts/x.md:2:12: unknown author \"hollyp\"\n  |\n2 | authors = [\"hollyp\"]\n  |            ^\n  = help: add authors/hollyp.toml\n"
        );
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::warning("a, b: c\nd")
            .in_file("x.md")
            .at("l\n", 1, 2);
        assert_eq!(
            d.render_github(),
            "::warning file=x.md,line=1,col=2,title=front matter::a, b: c%0Ad"
        );
        let d = Diagnostic::error("cannot write: no space").hint("free some");
        assert_eq!(
            d.render_github(),
            "::error title=gen error::cannot write: no space. Free some"
        );
    }

    #[test]
    fn annotation_titles_say_the_kind_of_problem() {
        let title = |d: Diagnostic| d.title();
        assert_eq!(
            title(
                Diagnostic::error("link to x")
                    .in_file("content/posts/a.md")
                    .kind(Kind::BrokenLink)
            ),
            "broken link"
        );
        assert_eq!(
            title(Diagnostic::error("unknown author \"x\"").in_file("content/posts/a.md")),
            "unknown author"
        );
        assert_eq!(
            title(Diagnostic::error("x").in_file("content/posts/a.md")),
            "front matter"
        );
        assert_eq!(
            title(Diagnostic::error("x").in_file("templates/post.html")),
            "template"
        );
        assert_eq!(title(Diagnostic::error("x").in_file("gen.toml")), "config");
        assert_eq!(
            title(Diagnostic::error("x").in_file("authors/a.toml")),
            "author profile"
        );
        assert_eq!(title(Diagnostic::warning("x")), "gen warning");
    }

    #[test]
    fn a_suggestion_in_the_message_is_not_repeated_by_the_hint() {
        let d = Diagnostic::error("unknown author \"gusguest\" (did you mean \"gus-guest\"?)")
            .in_file("content/posts/a.md")
            .at("a\n", 1, 1)
            .hint("did you mean \"gus-guest\"? Otherwise add a profile in authors/gusguest.toml");
        assert_eq!(
            d.render_github(),
            "::error file=content/posts/a.md,line=1,col=1,title=unknown author::unknown author \"gusguest\" (did you mean \"gus-guest\"?). Otherwise add a profile in authors/gusguest.toml"
        );
        assert!(
            d.render_human(false)
                .ends_with("  = help: Otherwise add a profile in authors/gusguest.toml\n")
        );
        // A different suggestion in the hint stays.
        let d = Diagnostic::error("bad key").hint("did you mean `tags`?");
        assert_eq!(d.shown_hint().as_deref(), Some("did you mean `tags`?"));
        // Only a suggestion: nothing is left to say.
        let d = Diagnostic::error("x (did you mean \"y\"?)").hint("did you mean \"y\"?");
        assert_eq!(d.shown_hint(), None);
    }

    #[test]
    fn nearest_file_for_a_broken_post_link() {
        let files = [
            Path::new("content/posts/2026-11-20-running-a-guild.md"),
            Path::new("content/posts/2026-11-02-notes.md"),
            Path::new("content/posts/hello/index.md"),
            Path::new("content/about.md"),
        ];
        let near = |t: &str| did_you_mean_file(Path::new(t), files);
        assert_eq!(
            near("content/posts/2026-11-02-runing-a-guild.md").as_deref(),
            Some("2026-11-20-running-a-guild.md")
        );
        assert_eq!(
            near("content/posts/running-a-guild.md").as_deref(),
            Some("2026-11-20-running-a-guild.md")
        );
        assert_eq!(
            near("content/posts/helo.md").as_deref(),
            Some("hello/index.md")
        );
        assert_eq!(near("content/posts/2026-11-02-zzzz.md"), None);
        assert_eq!(near("content/abut.md").as_deref(), Some("about.md"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("hollyp", ["holly-powell", "sam-okafor"]),
            Some("holly-powell")
        );
        assert_eq!(did_you_mean("titel", ["title", "tags"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "tags"]), None);
    }

    #[test]
    fn offsets_to_lines() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 1), (1, 1));
    }
}
