//! Front matter: splitting it from the Markdown body, parsing TOML (`+++`) or YAML
//! (`---`), and mapping every parser error back to the line of the `.md` file.

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, did_you_mean};
use crate::text::position::key_line;
use crate::text::syntax::{Format, toml_error, yaml_error};

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
        let mut d = crate::text::clean::warning(&removed, Some(key));
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
                warn(k, crate::text::clean::clean_toml(v));
            }
            let keys_removed = crate::text::clean::clean_table(&mut table);
            warn("", keys_removed);
            toml::Value::Table(table).try_into().ok()
        }
        Format::Yaml => {
            let Ok(mut map) = serde_norway::from_str::<serde_norway::Mapping>(split.matter) else {
                return Ok((value, warnings));
            };
            for (k, v) in map.iter_mut() {
                warn(k.as_str().unwrap_or(""), crate::text::clean::clean_yaml(v));
            }
            let mut map = serde_norway::Value::Mapping(map);
            let keys_removed = crate::text::clean::clean_yaml(&mut map);
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
}
