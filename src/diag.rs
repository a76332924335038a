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

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
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
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error not tied to a file.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
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

    /// Adds advice on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
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
        if let Some(hint) = &self.hint {
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
        props.push(format!("title={}", gh_escape_prop(&format!("gen {kind}"))));
        let mut msg = self.message.clone();
        if let Some(hint) = &self.hint {
            msg.push_str(". ");
            msg.push_str(hint);
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
        v.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        v.dedup();
        v
    }
}

/// The outcome of a command that found problems in the site.
#[derive(Debug)]
pub struct Failed(pub Vec<Diagnostic>);

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
            "::warning file=x.md,line=1,col=2,title=gen warning::a, b: c%0Ad"
        );
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
