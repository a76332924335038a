//! Control characters that a guest's file may carry (pasted from another program,
//! or written as escapes like `"\u0001"` in front matter) never reach an output:
//! one U+0001 makes an RSS or Atom feed ill-formed XML, and every reader of the
//! feed stops updating. They are removed when the site is read, from file texts
//! (bodies and front matter), from the strings that escapes in front matter,
//! profiles and `gen.toml` produce, and each removal is a warning at its place.

use std::path::Path;

use crate::diag::Diagnostic;

/// Whether `c` is a character that XML 1.0 does not allow and HTML and JSON
/// readers choke on: C0 controls other than tab and line ends, U+FFFE, U+FFFF.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// What takes a forbidden character's place: a space for the vertical tab and
/// the form feed (they separate words), nothing for the others.
fn replacement(c: char) -> Option<char> {
    matches!(c, '\u{b}' | '\u{c}').then_some(' ')
}

/// `U+0001`.
fn code(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Removes forbidden characters from `s`; the ones removed, in order.
pub fn clean_str(s: &mut String) -> Vec<char> {
    if !s.chars().any(is_forbidden) {
        return Vec::new();
    }
    let mut removed = Vec::new();
    let cleaned: String = s
        .chars()
        .filter_map(|c| {
            if is_forbidden(c) {
                removed.push(c);
                replacement(c)
            } else {
                Some(c)
            }
        })
        .collect();
    *s = cleaned;
    removed
}

/// Removes forbidden characters from a file's text, with one warning per line
/// that held any, at the column (in the cleaned line) where the first was.
pub fn clean_file(text: String, rel: &Path) -> (String, Vec<Diagnostic>) {
    if !text.chars().any(is_forbidden) {
        return (text, Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut found: Vec<(usize, usize, Vec<char>)> = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let mut removed = Vec::new();
        let mut col = None;
        let mut chars = 0;
        for c in line.chars() {
            if is_forbidden(c) {
                col.get_or_insert(chars + 1);
                removed.push(c);
                if let Some(r) = replacement(c) {
                    out.push(r);
                    chars += 1;
                }
            } else {
                out.push(c);
                chars += 1;
            }
        }
        if let Some(col) = col {
            found.push((i + 1, col, removed));
        }
    }
    let warnings = found
        .into_iter()
        .map(|(line, col, removed)| warning(&removed, None).in_file(rel).at(&out, line, col))
        .collect();
    (out, warnings)
}

/// The warning for characters removed, in a field (`key`) or at a place of the file.
pub fn warning(removed: &[char], key: Option<&str>) -> Diagnostic {
    let mut codes: Vec<String> = Vec::new();
    for c in removed {
        let c = code(*c);
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    let what = if removed.len() == 1 {
        format!("control character {}", codes[0])
    } else {
        format!(
            "{} control characters ({})",
            removed.len(),
            codes.join(", ")
        )
    };
    let place = key.map(|k| format!(" in `{k}`")).unwrap_or_default();
    Diagnostic::warning(format!("{what}{place} removed: it would break feeds and pages"))
        .hint("an invisible character was here (often pasted from another program); delete it so the file says what the site shows")
}

/// Removes forbidden characters from every string (and key) of a TOML value.
pub fn clean_toml(v: &mut toml::Value) -> Vec<char> {
    match v {
        toml::Value::String(s) => clean_str(s),
        toml::Value::Array(a) => a.iter_mut().flat_map(clean_toml).collect(),
        toml::Value::Table(t) => clean_table(t),
        _ => Vec::new(),
    }
}

/// [`clean_toml`] for a table.
pub fn clean_table(t: &mut toml::Table) -> Vec<char> {
    let mut removed = Vec::new();
    let keys: Vec<String> = t.keys().cloned().collect();
    for k in keys {
        let Some(mut v) = t.remove(&k) else { continue };
        removed.extend(clean_toml(&mut v));
        let mut key = k;
        removed.extend(clean_str(&mut key));
        t.insert(key, v);
    }
    removed
}

/// Removes forbidden characters from every string (and key) of a YAML value.
pub fn clean_yaml(v: &mut serde_norway::Value) -> Vec<char> {
    use serde_norway::Value;
    match v {
        Value::String(s) => clean_str(s),
        Value::Sequence(a) => a.iter_mut().flat_map(clean_yaml).collect(),
        Value::Mapping(m) => {
            let mut removed = Vec::new();
            let old = std::mem::take(m);
            for (mut k, mut v) in old {
                removed.extend(clean_yaml(&mut k));
                removed.extend(clean_yaml(&mut v));
                m.insert(k, v);
            }
            removed
        }
        Value::Tagged(t) => clean_yaml(&mut t.value),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_controls_keeps_text() {
        let mut s = "a\u{1}b\tc\u{c}d\u{ffff}\r\n".to_string();
        assert_eq!(clean_str(&mut s), vec!['\u{1}', '\u{c}', '\u{ffff}']);
        assert_eq!(s, "ab\tc d\r\n");
        let (text, w) = clean_file("ok\nx\u{1}y\u{2}\n".into(), Path::new("a.md"));
        assert_eq!(text, "ok\nxy\n");
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].line, w[0].col), (Some(2), Some(2)));
        assert_eq!(
            w[0].message,
            "2 control characters (U+0001, U+0002) removed: it would break feeds and pages"
        );
    }
}
