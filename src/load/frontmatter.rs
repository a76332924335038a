//! Front matter: splitting it from the Markdown body, parsing TOML (`+++`) or YAML
//! (`---`), and mapping every parser error back to the line of the `.md` file.

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, did_you_mean, line_col};

/// Which syntax a front matter block is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A file split into its front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: Format,
    /// The front matter text, without the fences.
    pub matter: &'a str,
    /// Line (1-based) of the file on which `matter` starts.
    pub matter_line: usize,
    pub body: &'a str,
    /// Line (1-based) of the file on which `body` starts.
    pub body_line: usize,
}

/// Splits `text` at its front matter fences. Errors say what is missing.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let text_nobom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_nobom.len();
    let (fence, format) = if text_nobom.starts_with("+++") {
        ("+++", Format::Toml)
    } else if text_nobom.starts_with("---") {
        ("---", Format::Yaml)
    } else if text_nobom.trim().is_empty() {
        return Err(Diagnostic::error("the file is empty").at(text, 1, 1).hint(
            "a post starts with front matter between `+++` lines, e.g.\n+++\ntitle = \"My first post\"\ndate = 2024-05-01\nauthors = [\"your-slug\"]\n+++",
        ));
    } else {
        return Err(Diagnostic::error("missing front matter")
            .at(text, 1, 1)
            .hint("start the file with a `+++` line, then `title = \"…\"` and the other fields, then another `+++` line"));
    };
    let first_nl = match text_nobom.find('\n') {
        Some(i) => i,
        None => {
            return Err(Diagnostic::error(format!(
                "front matter opened with `{fence}` is never closed"
            ))
            .at(text, 1, 1)
            .hint(format!(
                "add a line with only `{fence}` after the front matter"
            )));
        }
    };
    if !text_nobom[..first_nl].trim_end().eq(fence) {
        return Err(
            Diagnostic::error(format!("the first line must be exactly `{fence}`"))
                .at(text, 1, 1)
                .hint(format!("put `{fence}` alone on the first line")),
        );
    }
    let start = bom + first_nl + 1;
    let mut offset = start;
    for (line_no, line) in (2..).zip(text[start..].split_inclusive('\n')) {
        let trimmed = line.trim_end_matches(['\n', '\r']).trim_end();
        if trimmed == fence || (format == Format::Yaml && trimmed == "...") {
            let body_start = offset + line.len();
            return Ok(Split {
                format,
                matter: &text[start..offset],
                matter_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(format!(
        "front matter opened with `{fence}` is never closed"
    ))
    .at(text, 1, 1)
    .hint(format!(
        "add a line with only `{fence}` after the last front matter field"
    )))
}

/// Parses a front matter block into `T`, reporting errors at the file's line.
pub fn parse<T: DeserializeOwned>(split: &Split<'_>, file_text: &str) -> Result<T, Diagnostic> {
    let line_offset = split.matter_line - 1;
    match split.format {
        Format::Toml => toml::from_str(split.matter)
            .map_err(|e| toml_error(&e, split.matter, line_offset).resource(file_text)),
        Format::Yaml => {
            if split.matter.trim().is_empty() {
                return serde_norway::from_str("{}")
                    .map_err(|e| yaml_error(&e, split.matter, line_offset).resource(file_text));
            }
            serde_norway::from_str(split.matter)
                .map_err(|e| yaml_error(&e, split.matter, line_offset).resource(file_text))
        }
    }
}

/// The top-level keys of a front matter block, for unknown-field warnings.
pub fn top_keys(split: &Split<'_>) -> Vec<String> {
    match split.format {
        Format::Toml => toml::from_str::<toml::Table>(split.matter)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default(),
        Format::Yaml => serde_norway::from_str::<serde_norway::Mapping>(split.matter)
            .map(|m| {
                m.keys()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Warnings for keys that are not in `known`, with did-you-mean suggestions.
pub fn unknown_keys(
    split: &Split<'_>,
    file_text: &str,
    known: &[&str],
    what: &str,
) -> Vec<Diagnostic> {
    top_keys(split)
        .into_iter()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| {
            let mut d = Diagnostic::warning(format!("unknown {what} field `{k}` (ignored)"));
            if let Some(line) = key_line(split.matter, &k) {
                d = d.at(file_text, line + split.matter_line - 1, 1);
            }
            match did_you_mean(&k, known.iter().copied()) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!("the known fields are: {}", known.join(", "))),
            }
        })
        .collect()
}

/// 1-based line of `text` on which `key` is assigned (`key = …` or `key: …`).
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            let t = t
                .strip_prefix('"')
                .and_then(|r| r.strip_prefix(key).and_then(|r| r.strip_prefix('"')))
                .or_else(|| t.strip_prefix(key));
            matches!(t, Some(rest) if rest.trim_start().starts_with(['=', ':']))
        })
        .map(|i| i + 1)
}

/// Line and column (1-based) of the first `needle` on a `key` line, for pointing at a value.
pub fn value_pos(text: &str, key: &str, needle: &str) -> Option<(usize, usize)> {
    let line = key_line(text, key)?;
    let l = text.lines().nth(line - 1)?;
    let col = l
        .find(needle)
        .map(|b| l[..b].chars().count() + 1)
        .unwrap_or(1);
    Some((line, col))
}

/// Line and column (1-based) where the value assigned to `key` starts.
pub fn value_start(text: &str, key: &str) -> Option<(usize, usize)> {
    let line = key_line(text, key)?;
    let l = text.lines().nth(line - 1)?;
    let after = l.find(['=', ':']).map_or(0, |i| i + 1);
    let skipped = l[after..].len() - l[after..].trim_start().len();
    Some((line, l[..after + skipped].chars().count() + 1))
}

/// Same as [`value_pos`], searching following lines too (YAML lists span lines).
/// A quoted needle (`"x"`) also matches `'x'` and a bare `x`, as YAML writes them.
pub fn value_pos_after(text: &str, key: &str, needle: &str) -> Option<(usize, usize)> {
    let line = key_line(text, key)?;
    let mut needles = vec![needle.to_string()];
    if let Some(inner) = needle
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .filter(|n| !n.is_empty())
    {
        needles.push(format!("'{inner}'"));
        needles.push(inner.to_string());
    }
    for needle in &needles {
        for (i, l) in text.lines().enumerate().skip(line - 1) {
            if i >= line && !l.starts_with([' ', '\t', '-']) {
                break;
            }
            if let Some(b) = l.find(needle.as_str()) {
                return Some((i + 1, l[..b].chars().count() + 1));
            }
        }
    }
    Some((line, 1))
}

/// A TOML error as a diagnostic, its position shifted by `line_offset` lines.
pub fn toml_error(e: &toml::de::Error, block: &str, line_offset: usize) -> Diagnostic {
    let msg = e.message().trim().to_string();
    let mut d = Diagnostic::error(format!("invalid TOML: {msg}"));
    if let Some(span) = e.span() {
        let (line, col) = line_col(block, span.start);
        d.line = Some(line + line_offset);
        d.col = Some(col);
    }
    d.hint(toml_hint(&msg))
}

fn toml_hint(msg: &str) -> &'static str {
    if msg.contains("invalid type") || msg.contains("expected") && msg.contains("found") {
        "check the value's type: text needs quotes (\"…\"), lists use [\"a\", \"b\"], dates look like 2024-05-01"
    } else {
        "TOML needs `key = value` lines; text values need quotes, lists use [\"a\", \"b\"]"
    }
}

/// A YAML error as a diagnostic, its position shifted by `line_offset` lines.
pub fn yaml_error(e: &serde_norway::Error, _block: &str, line_offset: usize) -> Diagnostic {
    let full = e.to_string();
    // The library appends " at line L column C"; the position is reported separately.
    let mut msg = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    // It may add where the construct that failed started ("while scanning a quoted
    // scalar at line 1 column 8"): keep that, counted in lines of the file.
    if let Some(i) = full.find(", while ") {
        let context = &full[i + 2..];
        msg.push_str(", ");
        msg.push_str(&shift_yaml_lines(context, line_offset));
    }
    let mut d = Diagnostic::error(format!("invalid YAML: {msg}"));
    if let Some(loc) = e.location() {
        d.line = Some(loc.line() + line_offset);
        d.col = Some(loc.column());
    }
    d.hint("YAML needs `key: value` lines; quote text with `:` or `#` in it, lists use [a, b] or `- item` lines")
}

/// Rewrites "at line L column C" in a YAML parser message to "at L+offset:C".
fn shift_yaml_lines(text: &str, line_offset: usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let Ok(line) = after[..digits].parse::<usize>() else {
            out.push_str(" at line ");
            rest = after;
            continue;
        };
        let after = &after[digits..];
        match after.strip_prefix(" column ") {
            Some(c) => {
                let cd = c.chars().take_while(char::is_ascii_digit).count();
                out.push_str(&format!(" at {}:{}", line + line_offset, &c[..cd]));
                rest = &c[cd..];
            }
            None => {
                out.push_str(&format!(" at line {}", line + line_offset));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

trait WithSource {
    fn resource(self, file_text: &str) -> Self;
}

impl WithSource for Diagnostic {
    /// Fills in the source line for the caret display once the line is known.
    fn resource(mut self, file_text: &str) -> Self {
        if let Some(line) = self.line {
            let col = self.col.unwrap_or(1);
            self = self.at(file_text, line, col);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.matter, "title = \"a\"\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        let s = split("---\r\ntitle: a\r\n---\r\nbody").unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.body, "body");
    }

    #[test]
    fn unclosed_and_missing() {
        assert!(
            split("+++\ntitle = 1\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
        assert!(
            split("hello")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        assert!(split("  \n").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn toml_error_line_is_file_line() {
        let text = "+++\ntitle = \"a\"\ndate = = 3\n+++\n";
        let s = split(text).unwrap();
        let e = parse::<toml::Table>(&s, text).unwrap_err();
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn yaml_error_line_is_file_line() {
        let text = "---\ntitle: a\ntags: [a, b\n---\n";
        let s = split(text).unwrap();
        let e = parse::<serde_norway::Value>(&s, text).unwrap_err();
        assert!(e.line.unwrap() >= 3, "{e:?}");
        // Where the unclosed construct started is given in lines of the file too.
        let text = "---\ntitle: \"unterminated\ndate: 2024-05-01\n---\n";
        let s = split(text).unwrap();
        let e = parse::<serde_norway::Value>(&s, text).unwrap_err();
        assert!(
            e.message
                .ends_with(", while scanning a quoted scalar at 2:8"),
            "{}",
            e.message
        );
    }

    #[test]
    fn finds_keys() {
        assert_eq!(key_line("a = 1\n  tags = [\"x\"]\n", "tags"), Some(2));
        assert_eq!(key_line("tagsx = 1\n", "tags"), None);
        assert_eq!(key_line("title: x\n", "title"), Some(1));
        let yaml = "title: x\nauthors:\n  - ada\n  - zyg\ntags: [a]\n";
        assert_eq!(value_pos_after(yaml, "authors", "\"zyg\""), Some((4, 5)));
        assert_eq!(
            value_pos_after("authors = [\"a\", \"zyg\"]\n", "authors", "\"zyg\""),
            Some((1, 17))
        );
    }
}
