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

/// Splits `text` at its front matter fences. Errors say what is missing. A byte
/// order mark and blank lines before the opening fence are allowed (editors
/// and other generators write them); line numbers stay those of the file.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    // Skip blank lines: `open` is the byte offset of the first other line.
    let mut open = bom;
    let mut open_line = 1;
    for line in text[bom..].split_inclusive('\n') {
        if !line.ends_with('\n') || !line.trim().is_empty() {
            break;
        }
        open += line.len();
        open_line += 1;
    }
    let rest = &text[open..];
    let (fence, format) = if rest.starts_with("+++") {
        ("+++", Format::Toml)
    } else if rest.starts_with("---") {
        ("---", Format::Yaml)
    } else if rest.trim().is_empty() {
        return Err(Diagnostic::error("the file is empty").at(text, 1, 1).hint(
            "a post starts with front matter between `+++` lines, e.g.\n+++\ntitle = \"My first post\"\ndate = 2024-05-01\nauthors = [\"your-slug\"]\n+++",
        ));
    } else {
        return Err(Diagnostic::error("missing front matter")
            .at(text, open_line, 1)
            .hint("start the file with a `+++` line, then `title = \"…\"` and the other fields, then another `+++` line"));
    };
    let first_nl = match rest.find('\n') {
        Some(i) => i,
        None => {
            return Err(Diagnostic::error(format!(
                "front matter opened with `{fence}` is never closed"
            ))
            .at(text, open_line, 1)
            .hint(format!(
                "add a line with only `{fence}` after the front matter"
            )));
        }
    };
    if !rest[..first_nl].trim_end().eq(fence) {
        return Err(
            Diagnostic::error(format!("the first line must be exactly `{fence}`"))
                .at(text, open_line, 1)
                .hint(format!("put `{fence}` alone on the first line")),
        );
    }
    let start = open + first_nl + 1;
    let mut offset = start;
    for (line_no, line) in (open_line + 1..).zip(text[start..].split_inclusive('\n')) {
        let trimmed = line.trim_end_matches(['\n', '\r']).trim_end();
        if trimmed == fence || (format == Format::Yaml && trimmed == "...") {
            let body_start = offset + line.len();
            return Ok(Split {
                format,
                matter: &text[start..offset],
                matter_line: open_line + 1,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(format!(
        "front matter opened with `{fence}` is never closed"
    ))
    .at(text, open_line, 1)
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

/// [`parse`], with control characters that escapes (`"\u0001"`) put in strings
/// removed (see [`super::clean`]): the warnings for them come back beside the
/// value, at the line of their top-level key.
pub fn parse_clean<T: DeserializeOwned>(
    split: &Split<'_>,
    file_text: &str,
) -> Result<(T, Vec<Diagnostic>), Diagnostic> {
    let value: T = parse(split, file_text)?;
    // Only an escape can make a control character in a parsed string (the
    // file's own ones are gone already), and every escape starts with `\`.
    if !split.matter.contains('\\') {
        return Ok((value, Vec::new()));
    }
    let mut warnings = Vec::new();
    let mut warn = |key: &str, removed: Vec<char>| {
        if removed.is_empty() {
            return;
        }
        let mut d = super::clean::warning(&removed, Some(key));
        if let Some(line) = key_line(split.matter, key) {
            d = d.at(file_text, line + split.matter_line - 1, 1);
        }
        warnings.push(d);
    };
    let cleaned: Option<T> = match split.format {
        Format::Toml => {
            let Ok(mut table) = toml::from_str::<toml::Table>(split.matter) else {
                return Ok((value, warnings));
            };
            for (k, v) in table.iter_mut() {
                warn(k, super::clean::clean_toml(v));
            }
            let keys_removed = super::clean::clean_table(&mut table);
            warn("", keys_removed);
            toml::Value::Table(table).try_into().ok()
        }
        Format::Yaml => {
            let Ok(mut map) = serde_norway::from_str::<serde_norway::Mapping>(split.matter) else {
                return Ok((value, warnings));
            };
            for (k, v) in map.iter_mut() {
                warn(k.as_str().unwrap_or(""), super::clean::clean_yaml(v));
            }
            let mut map = serde_norway::Value::Mapping(map);
            let keys_removed = super::clean::clean_yaml(&mut map);
            warn("", keys_removed);
            serde_norway::from_value(map).ok()
        }
    };
    match cleaned {
        _ if warnings.is_empty() => Ok((value, warnings)),
        Some(c) => Ok((c, warnings)),
        // Never the case for the types read here; said rather than let through.
        None => Err(Diagnostic::error(
            "the front matter holds control characters written as escapes that could not be removed",
        )
        .at(file_text, split.matter_line, 1)
        .hint("delete the escapes of control characters (such as \\u0001) from the front matter")),
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
/// Type errors are said in plain words ("expected a list, found the number 5"),
/// and the hint shows the fix in TOML.
pub fn toml_error(e: &toml::de::Error, block: &str, line_offset: usize) -> Diagnostic {
    let msg = e.message().trim().to_string();
    let mut key = None;
    let mut line_no = None;
    let mut col = None;
    if let Some(span) = e.span() {
        let (line, c) = line_col(block, span.start);
        line_no = Some(line + line_offset);
        col = Some(c);
        key = block.lines().nth(line - 1).and_then(assigned_key);
    }
    let mut d = describe(Format::Toml, &msg, key.as_deref());
    d.line = line_no;
    d.col = col;
    d
}

/// The key a TOML or YAML line assigns (`date = …`, `date: …`, `- x` has none).
fn assigned_key(line: &str) -> Option<String> {
    let t = line.trim_start();
    let end = t.find(['=', ':'])?;
    let key = t[..end].trim().trim_matches(['"', '\'']);
    let ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    ok.then(|| key.to_string())
}

/// An error of the TOML or YAML parser as a diagnostic (without position):
/// in plain words for type errors, with a hint in the syntax of the file.
fn describe(format: Format, msg: &str, key: Option<&str>) -> Diagnostic {
    let lang = match format {
        Format::Toml => "TOML",
        Format::Yaml => "YAML",
    };
    let is_date_key = key.is_some_and(|k| matches!(k, "date" | "updated"));
    if let Some((expected, found)) = type_error(msg) {
        let words = format!(
            "expected {}, found {}",
            plain_expected(format, &expected),
            plain_found(&found)
        );
        let message = match key {
            Some(k) => format!("wrong type for `{k}`: {words}"),
            None => format!("wrong type: {words}"),
        };
        let hint = if is_date_key || expected.starts_with("a date") {
            date_hint(format, key.unwrap_or("date"))
        } else if expected.starts_with("false, or a table") {
            match format {
                Format::Toml => "write `share = false` for no share kit, or a table: `share = { text = \"…\", hashtags = [\"a\"] }`".into(),
                Format::Yaml => "write `share: false` for no share kit, or a table: `share: { text: \"…\", hashtags: [a] }`".into(),
            }
        } else {
            type_hint(format, key, &expected)
        };
        return Diagnostic::error(message).hint(hint);
    }
    let d = Diagnostic::error(format!("invalid {lang}: {msg}"));
    if is_date_key || (format == Format::Toml && (msg.contains("date") || msg.contains("time"))) {
        return d.hint(date_hint(format, key.unwrap_or("date")));
    }
    d.hint(match format {
        Format::Toml => {
            "TOML needs `key = value` lines; text values need quotes, lists use [\"a\", \"b\"]"
        }
        Format::Yaml => {
            "YAML needs `key: value` lines; quote text with `:` or `#` in it, lists use [a, b] or `- item` lines"
        }
    })
}

/// How to write a date, in the syntax of the file.
pub fn date_hint(format: Format, key: &str) -> String {
    let (a, b) = match format {
        Format::Toml => (
            format!("{key} = 2024-05-01"),
            format!("{key} = 2024-05-01T09:30:00+02:00"),
        ),
        Format::Yaml => (
            format!("{key}: 2024-05-01"),
            format!("{key}: 2024-05-01T09:30:00+02:00"),
        ),
    };
    format!("write dates as 2024-05-01 or as an RFC 3339 date-time: `{a}` or `{b}`")
}

/// The expected and found parts of serde's "invalid type: F, expected E" (and
/// "invalid value: …").
fn type_error(msg: &str) -> Option<(String, String)> {
    let rest = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "))?;
    let (found, expected) = rest.split_once(", expected ")?;
    Some((expected.trim().to_string(), found.trim().to_string()))
}

/// serde's name of an expected type, in words a guest knows.
fn plain_expected(format: Format, expected: &str) -> String {
    match expected {
        "a string" => match format {
            Format::Toml => "text in quotes".into(),
            Format::Yaml => "text".into(),
        },
        "a sequence" => "a list".into(),
        "a boolean" => "true or false".into(),
        "usize" | "u8" | "u16" | "u32" | "u64" => "a whole number (0 or more)".into(),
        "isize" | "i8" | "i16" | "i32" | "i64" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a map" => "a table".into(),
        e if e.starts_with("struct ") || e.starts_with("a map") => "a table".into(),
        e => e.to_string(),
    }
}

/// serde's description of a value found, in words a guest knows.
fn plain_found(found: &str) -> String {
    let inner = |s: &str| s.trim_matches('`').to_string();
    if let Some(v) = found.strip_prefix("integer ") {
        format!("the number {}", inner(v))
    } else if let Some(v) = found.strip_prefix("floating point ") {
        format!("the number {}", inner(v))
    } else if let Some(v) = found.strip_prefix("string ") {
        format!("the text {v}")
    } else if let Some(v) = found.strip_prefix("boolean ") {
        inner(v)
    } else {
        match found {
            "sequence" => "a list".into(),
            "map" => "a table".into(),
            "unit value" => "nothing".into(),
            f => f.to_string(),
        }
    }
}

/// An example of a value of the expected type for `key`, in the file's syntax.
fn type_hint(format: Format, key: Option<&str>, expected: &str) -> String {
    let key = key
        .map(|k| k.rsplit('.').next().unwrap_or(k))
        .unwrap_or("key");
    let value = match expected {
        "a string" => match format {
            Format::Toml => "\"…\"".to_string(),
            Format::Yaml => "…".to_string(),
        },
        "a sequence" => match format {
            Format::Toml => "[\"a\", \"b\"]".to_string(),
            Format::Yaml => "[a, b]".to_string(),
        },
        "a boolean" => "true".to_string(),
        "usize" | "u8" | "u16" | "u32" | "u64" | "isize" | "i8" | "i16" | "i32" | "i64" => {
            "10".to_string()
        }
        _ => {
            return match format {
                Format::Toml => "check the value's type: text needs quotes (\"…\"), lists use [\"a\", \"b\"], dates look like 2024-05-01".into(),
                Format::Yaml => "check the value's type: lists use [a, b] or `- item` lines, true or false for yes/no, dates look like 2024-05-01".into(),
            };
        }
    };
    match format {
        Format::Toml => format!("write it like `{key} = {value}`"),
        Format::Yaml => format!("write it like `{key}: {value}`"),
    }
}

/// A YAML error as a diagnostic, its position shifted by `line_offset` lines.
/// Tabs in indentation are named as the cause; type errors are said as for TOML.
pub fn yaml_error(e: &serde_norway::Error, block: &str, line_offset: usize) -> Diagnostic {
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
    let line = e
        .location()
        .and_then(|l| block.lines().nth(l.line().saturating_sub(1)));
    let tab_indent = line.is_some_and(|l| {
        let indent = &l[..l.len() - l.trim_start().len()];
        indent.contains('\t')
    });
    let mut d = if tab_indent || msg.contains("tab character") {
        Diagnostic::error("invalid YAML: YAML does not allow tabs for indentation; use spaces")
            .hint("replace the tab at the start of this line with spaces (two for each level)")
    } else {
        // serde_norway names the field first: "tags: invalid type: …".
        let (key, rest) = match msg.split_once(": ") {
            Some((k, r)) if type_error(r).is_some() => (Some(k.to_string()), r.to_string()),
            _ => (None, msg.clone()),
        };
        let key = key.or_else(|| line.and_then(assigned_key));
        describe(Format::Yaml, &rest, key.as_deref())
    };
    if let Some(loc) = e.location() {
        d.line = Some(loc.line() + line_offset);
        d.col = Some(loc.column());
    }
    d
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
    fn blank_lines_and_bom_before_the_fence() {
        let text = "\u{feff}\n  \r\n---\ntitle: a\n---\nbody\n";
        let s = split(text).unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.matter, "title: a\n");
        assert_eq!(s.matter_line, 4);
        assert_eq!(s.body_line, 6);
        assert_eq!(s.body, "body\n");
        let e = split("\n\nhello\n").unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.line),
            ("missing front matter", Some(3))
        );
        let e = split("\n+++\ntitle = 1\n").unwrap_err();
        assert_eq!(e.line, Some(2));
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
    fn escaped_control_characters_are_removed() {
        #[derive(serde::Deserialize)]
        struct T {
            title: String,
            date: crate::load::dates::DateInput,
            tags: Vec<String>,
        }
        let text = "+++\ntitle = \"a\\u0001b\"\ndate = 2024-05-01\ntags = [\"x\\by\"]\n+++\n";
        let s = split(text).unwrap();
        let (t, w): (T, _) = parse_clean(&s, text).unwrap();
        assert_eq!((t.title.as_str(), t.date.0.as_str()), ("ab", "2024-05-01"));
        assert_eq!(t.tags, ["xy"]);
        let mut lines: Vec<_> = w.iter().map(|d| d.line).collect();
        lines.sort();
        assert_eq!(lines, [Some(2), Some(4)]);
        let text = "---\ntitle: \"a\\x01b\"\ndate: 2024-05-01\ntags: [\"\\e\"]\n---\n";
        let s = split(text).unwrap();
        let (t, w): (T, _) = parse_clean(&s, text).unwrap();
        assert_eq!((t.title.as_str(), t.date.0.as_str()), ("ab", "2024-05-01"));
        assert_eq!(t.tags, [""]);
        assert_eq!(w.len(), 2);
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
