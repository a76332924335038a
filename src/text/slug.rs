//! URL slugs from titles, tags, categories and names: one function, so that a
//! tag's page, a heading's anchor and `gen new`'s file name agree.

/// Turns a string into a URL slug: lowercase letters, digits and hyphens.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.push(l);
            }
            dash = false;
        } else if !out.is_empty() && !dash {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("Rust & C++"), "rust-c");
        assert_eq!(slugify("Ünïcode Tag"), "ünïcode-tag");
    }
}
