//! Where a key and its value are written in a TOML or YAML text, by line and
//! column, so that an error about a value can point at it (front matter,
//! author profiles, `gen.toml`, and `gen check`'s own checks).

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

#[cfg(test)]
mod tests {
    use super::*;

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
