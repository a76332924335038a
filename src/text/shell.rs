//! Quoting for a POSIX shell, so that a command a hint suggests (`gen new
//! author "Ignasi Bartomeus"`) can be pasted as it is.

/// Quotes a word for a POSIX shell, so that a command a hint suggests can be
/// pasted as it is: bare when it holds only safe characters, else in double
/// quotes (`"Ignasi Bartomeus"`), or in single quotes when it holds a character
/// that double quotes would expand.
pub fn shell_quote(word: &str) -> String {
    let safe = |c: char| c.is_alphanumeric() || "-_./,:@+=%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else if !word.contains(['"', '$', '`', '\\', '!']) {
        format!("\"{word}\"")
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(shell_quote("ignasi-bartomeus"), "ignasi-bartomeus");
        assert_eq!(shell_quote("Ignasi Bartomeus"), "\"Ignasi Bartomeus\"");
        assert_eq!(shell_quote("Zoë O'Brien"), "\"Zoë O'Brien\"");
        assert_eq!(shell_quote("a \"b\" $c"), "'a \"b\" $c'");
        assert_eq!(shell_quote("it's $5"), "'it'\\''s $5'");
        assert_eq!(shell_quote(""), "\"\"");
    }
}
