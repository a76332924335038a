//! Author handles by platform: checked when a profile is loaded, and turned into
//! profile links for author pages (`rel="me"` where the link proves identity).

use crate::platforms::handles;

/// A handle's profile link: the platform's display name, the URL, and whether
/// the link verifies identity (`rel="me"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub label: &'static str,
    pub url: String,
    pub rel_me: bool,
}

/// The profile of `handle` on `platform`. `Ok(None)` for platforms Byline has no
/// rule for (their value is kept, but not linked unless it is an https URL);
/// `Err` says why a handle is malformed.
pub fn profile(platform: &str, handle: &str) -> Result<Option<Profile>, String> {
    let h = handle.trim();
    let p = |label, url: Result<String, String>, rel_me| {
        url.map(|url| Some(Profile { label, url, rel_me }))
    };
    match platform {
        "x" | "twitter" => p("X", handles::x_profile_url(h), false),
        "mastodon" => p("Mastodon", handles::mastodon_profile_url(h), true),
        "bluesky" => p("Bluesky", handles::bluesky_profile_url(h), true),
        "linkedin" => p("LinkedIn", handles::linkedin_profile_url(h), false),
        "github" => p("GitHub", handles::github_profile_url(h), true),
        "threads" => {
            let name = h.trim_start_matches('@');
            let ok = !name.is_empty()
                && name.len() <= 30
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
            if ok {
                Ok(Some(Profile {
                    label: "Threads",
                    url: format!("https://www.threads.com/@{name}"),
                    rel_me: false,
                }))
            } else {
                Err(format!(
                    "`{h}`: a Threads user name has up to 30 letters, digits, _ and ."
                ))
            }
        }
        _ if h.starts_with("https://") && !h.contains(char::is_whitespace) => Ok(Some(Profile {
            label: "Link",
            url: h.to_string(),
            rel_me: false,
        })),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles() {
        assert_eq!(
            profile("mastodon", "@holly@mastodon.social")
                .unwrap()
                .unwrap()
                .url,
            "https://mastodon.social/@holly"
        );
        assert!(profile("mastodon", "holly").is_err());
        assert!(profile("x", "this_handle_is_too_long").is_err());
        assert_eq!(
            profile("linkedin", "in/hollyp").unwrap().unwrap().url,
            "https://www.linkedin.com/in/hollyp"
        );
        assert_eq!(profile("unknown", "x").unwrap(), None);
    }
}
