//! TOML, YAML and JSON parser errors as diagnostics a guest can act on: the
//! position mapped to the file's lines, type errors said in plain words
//! ("expected a list, found the number 5"), and a hint in the file's syntax.
//! Front matter and `gen.toml` report their parse errors through this, and
//! the data files (`data/*.json`) theirs.

use crate::diag::{Diagnostic, line_col};

/// Which syntax a front matter block is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A JSON file (`rel`) that does not parse: `message` followed by
/// serde_json's reason, at its line and column (serde_json puts them at the
/// end of its text, which the diagnostic says itself).
pub fn json_error(rel: &std::path::Path, message: &str, e: &serde_json::Error) -> Diagnostic {
    let why = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    let why = why.strip_suffix(&at).unwrap_or(&why);
    let mut d = Diagnostic::error(format!("{message}: {why}")).in_file(rel);
    if e.line() > 0 {
        d.line = Some(e.line());
        d.col = Some(e.column());
    }
    d
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
