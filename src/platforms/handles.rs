//! Checks of the handles guests give for each platform, and their profile
//! URLs.
//!
//! A snippet names the guest by their handle on that platform, so a typo
//! (a Mastodon handle without its server, an X name with a dot) would tag
//! nobody or the wrong person. `gen check` reports such handles with the
//! reason returned here.

use crate::platforms::twitter::is_ascii_alnum;

/// The handle without one leading `@`.
fn strip_at(handle: &str) -> &str {
    handle.trim().strip_prefix('@').unwrap_or(handle.trim())
}

/// Checks an X handle: 1 to 15 of `A–Z a–z 0–9 _`, with or without a
/// leading `@`.
pub fn validate_x_handle(handle: &str) -> Result<(), String> {
    let name = strip_at(handle);
    if name.is_empty() {
        return Err("an X handle needs a name after the @".into());
    }
    if name.contains('@') {
        return Err(format!(
            "`{handle}` looks like a fediverse handle; X names have no second @ (fediverse handles are plain text on X)"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(format!(
            "`{handle}`: X names hold only letters A–Z, digits and _, not `{c}`"
        ));
    }
    if name.len() > 15 {
        return Err(format!(
            "`{handle}`: X names have at most 15 characters, this one has {}",
            name.len()
        ));
    }
    Ok(())
}

/// Checks a domain name: labels of letters, digits and hyphens (letters
/// beyond ASCII allowed when `unicode`), 1–63 characters each, not starting
/// or ending with a hyphen, at least two labels, at most 253 characters,
/// and a last label that starts with a letter.
fn validate_domain(domain: &str, unicode: bool) -> Result<(), String> {
    if domain.is_empty() {
        return Err("the domain is empty".into());
    }
    if domain.len() > 253 {
        return Err(format!("`{domain}` is longer than 253 characters"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(format!(
            "`{domain}` needs at least two labels, such as `example.social`"
        ));
    }
    for label in &labels {
        if label.is_empty() {
            return Err(format!(
                "`{domain}` has an empty label (two dots in a row, or a dot at an end)"
            ));
        }
        if label.chars().count() > 63 {
            return Err(format!(
                "`{domain}`: the label `{label}` is longer than 63 characters"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "`{domain}`: the label `{label}` starts or ends with a hyphen"
            ));
        }
        let bad = label.chars().find(|&c| {
            !(c == '-'
                || c.is_ascii_alphanumeric()
                || (unicode && !c.is_ascii() && c.is_alphanumeric()))
        });
        if let Some(c) = bad {
            return Err(format!("`{domain}`: `{c}` is not allowed in a domain name"));
        }
    }
    let last = labels.last().and_then(|l| l.chars().next());
    if !last.is_some_and(char::is_alphabetic) {
        return Err(format!(
            "`{domain}`: the last label must start with a letter"
        ));
    }
    Ok(())
}

/// Mastodon's user name rule: `[A-Za-z0-9_]+`, with dots or hyphens only
/// between such runs (`USERNAME_RE`).
fn validate_mastodon_user(user: &str, handle: &str) -> Result<(), String> {
    if user.is_empty() {
        return Err(format!("`{handle}` has no user name before the server"));
    }
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if let Some(c) = user.chars().find(|&c| !(word(c) || c == '.' || c == '-')) {
        return Err(format!(
            "`{handle}`: Mastodon user names hold letters A–Z, digits, _, . and -, not `{c}`"
        ));
    }
    let (first, last) = (user.chars().next(), user.chars().last());
    if !first.is_some_and(word) || !last.is_some_and(word) {
        return Err(format!(
            "`{handle}`: a Mastodon user name starts and ends with a letter, digit or _"
        ));
    }
    Ok(())
}

/// Splits `@user@instance` (the leading `@` optional) into its parts.
fn split_mastodon(handle: &str) -> Result<(&str, &str), String> {
    let rest = strip_at(handle);
    match rest.split_once('@') {
        Some((user, instance)) => Ok((user, instance)),
        None => Err(format!(
            "`{handle}` lacks its server: a Mastodon handle is `@user@instance`, such as `@holly@mastodon.social`"
        )),
    }
}

/// Checks a Mastodon handle `@user@instance`.
pub fn validate_mastodon_handle(handle: &str) -> Result<(), String> {
    let (user, instance) = split_mastodon(handle)?;
    validate_mastodon_user(user, handle)?;
    if instance.contains('@') {
        return Err(format!("`{handle}` has more than two @"));
    }
    validate_domain(instance, true)
        .map_err(|e| format!("`{handle}`: the server is not a domain name: {e}"))
}

/// Checks a Bluesky handle: a domain name of ASCII letters, digits and
/// hyphens (`holly.bsky.social`), case-insensitive, with or without `@`.
pub fn validate_bluesky_handle(handle: &str) -> Result<(), String> {
    let name = strip_at(handle);
    validate_domain(name, false)
        .map_err(|e| format!("`{handle}` is not a Bluesky handle (a domain name): {e}"))
}

/// Checks a GitHub user name: letters, digits and single hyphens, not at
/// either end, at most 39 characters.
pub fn validate_github_handle(handle: &str) -> Result<(), String> {
    let name = strip_at(handle);
    if name.is_empty() || name.len() > 39 {
        return Err(format!("`{handle}`: GitHub names have 1 to 39 characters"));
    }
    if let Some(c) = name
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || c == '-'))
    {
        return Err(format!(
            "`{handle}`: GitHub names hold letters, digits and -, not `{c}`"
        ));
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Err(format!(
            "`{handle}`: GitHub names have no hyphen at an end or two in a row"
        ));
    }
    Ok(())
}

/// The LinkedIn path of a handle: `in/name`, `company/name` or `school/name`
/// as given, or `in/` added to a bare name.
fn linkedin_path(handle: &str) -> String {
    let h = handle
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("www.")
        .trim_start_matches("linkedin.com/")
        .trim_matches('/');
    if h.contains('/') {
        h.to_string()
    } else {
        format!("in/{h}")
    }
}

/// Checks a LinkedIn handle: `in/<name>` (or a bare name), `company/<name>`
/// or `school/<name>`, where the name holds letters, digits, `-` and `_`
/// (3 to 100 characters).
pub fn validate_linkedin_handle(handle: &str) -> Result<(), String> {
    let path = linkedin_path(handle);
    let Some((kind, name)) = path.split_once('/') else {
        return Err(format!("`{handle}` is not a LinkedIn handle"));
    };
    if !matches!(kind, "in" | "company" | "school") {
        return Err(format!(
            "`{handle}`: a LinkedIn handle is `in/name`, `company/name` or `school/name`"
        ));
    }
    let n = name.chars().count();
    if !(3..=100).contains(&n) {
        return Err(format!(
            "`{handle}`: LinkedIn names have 3 to 100 characters"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|&c| !(c.is_alphanumeric() || c == '-' || c == '_'))
    {
        return Err(format!(
            "`{handle}`: `{c}` is not allowed in a LinkedIn name"
        ));
    }
    Ok(())
}

/// `https://instance/@user` for `@user@instance`.
pub fn mastodon_profile_url(handle: &str) -> Result<String, String> {
    validate_mastodon_handle(handle)?;
    let (user, instance) = split_mastodon(handle)?;
    Ok(format!("https://{}/@{user}", instance.to_lowercase()))
}

/// `https://bsky.app/profile/<handle>` (lower case, without `@`).
pub fn bluesky_profile_url(handle: &str) -> Result<String, String> {
    validate_bluesky_handle(handle)?;
    Ok(format!(
        "https://bsky.app/profile/{}",
        strip_at(handle).to_ascii_lowercase()
    ))
}

/// `https://x.com/<name>`.
pub fn x_profile_url(handle: &str) -> Result<String, String> {
    validate_x_handle(handle)?;
    Ok(format!("https://x.com/{}", strip_at(handle)))
}

/// `https://www.linkedin.com/in/<name>` (or `company/…`, `school/…`).
pub fn linkedin_profile_url(handle: &str) -> Result<String, String> {
    validate_linkedin_handle(handle)?;
    Ok(format!(
        "https://www.linkedin.com/{}",
        linkedin_path(handle)
    ))
}

/// `https://github.com/<name>`.
pub fn github_profile_url(handle: &str) -> Result<String, String> {
    validate_github_handle(handle)?;
    Ok(format!("https://github.com/{}", strip_at(handle)))
}

/// Whether `tag` (without `#`) is a hashtag on every platform that has them:
/// letters, marks, digits or `_`, not digits only (X also needs a letter),
/// and no more than 64 grapheme clusters (Bluesky).
pub fn is_portable_hashtag(tag: &str) -> bool {
    use unicode_segmentation::UnicodeSegmentation;
    let tag = tag.strip_prefix('#').unwrap_or(tag);
    !tag.is_empty()
        && tag.graphemes(true).count() <= 64
        && tag.chars().any(char::is_alphabetic)
        && tag.chars().all(|c| {
            c == '_'
                || c.is_alphanumeric()
                || unicode_normalization::char::is_combining_mark(c)
                || is_ascii_alnum(c as u32)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_handles() {
        assert!(validate_x_handle("@holly_smith").is_ok());
        assert!(validate_x_handle("holly").is_ok());
        assert!(validate_x_handle("@abcdefghijklmnop").is_err());
        assert!(validate_x_handle("@holly.smith").is_err());
        assert!(
            validate_x_handle("@bob@mastodon.social")
                .unwrap_err()
                .contains("fediverse")
        );
        assert!(validate_x_handle("@").is_err());
        assert_eq!(
            x_profile_url("@holly").as_deref(),
            Ok("https://x.com/holly")
        );
    }

    #[test]
    fn mastodon_handles() {
        assert!(validate_mastodon_handle("@holly@mastodon.social").is_ok());
        assert!(validate_mastodon_handle("holly.smith-x@hachyderm.io").is_ok());
        assert!(
            validate_mastodon_handle("@holly")
                .unwrap_err()
                .contains("server")
        );
        assert!(validate_mastodon_handle("@.holly@mastodon.social").is_err());
        assert!(validate_mastodon_handle("@holly@localhost").is_err());
        assert!(validate_mastodon_handle("@holly@mastodon..social").is_err());
        assert_eq!(
            mastodon_profile_url("@holly@mastodon.social").as_deref(),
            Ok("https://mastodon.social/@holly")
        );
    }

    #[test]
    fn bluesky_handles() {
        assert!(validate_bluesky_handle("holly.bsky.social").is_ok());
        assert!(validate_bluesky_handle("@Holly.Example.com").is_ok());
        assert!(validate_bluesky_handle("holly").is_err());
        assert!(validate_bluesky_handle("holly.123").is_err());
        assert!(validate_bluesky_handle("-holly.bsky.social").is_err());
        assert!(validate_bluesky_handle("hölly.bsky.social").is_err());
        assert!(validate_bluesky_handle(&format!("{}.com", "a".repeat(64))).is_err());
        assert_eq!(
            bluesky_profile_url("@Holly.bsky.social").as_deref(),
            Ok("https://bsky.app/profile/holly.bsky.social")
        );
    }

    #[test]
    fn other_profiles() {
        assert_eq!(
            github_profile_url("octo-cat").as_deref(),
            Ok("https://github.com/octo-cat")
        );
        assert!(github_profile_url("-octo").is_err());
        assert_eq!(
            linkedin_profile_url("holly-smith").as_deref(),
            Ok("https://www.linkedin.com/in/holly-smith")
        );
        assert_eq!(
            linkedin_profile_url("company/acme").as_deref(),
            Ok("https://www.linkedin.com/company/acme")
        );
        assert!(linkedin_profile_url("group/acme").is_err());
    }

    #[test]
    fn hashtags() {
        assert!(is_portable_hashtag("#rust"));
        assert!(is_portable_hashtag("日本語"));
        assert!(!is_portable_hashtag("123"));
        assert!(!is_portable_hashtag("foo-bar"));
    }
}
