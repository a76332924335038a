//! Author profiles: `authors/<slug>.toml` → [`Author`], with every problem
//! found (unknown keys, a missing name, an avatar that is not there, handles
//! that no platform accepts).

use super::*;

/// Author profile fields the contract defines.
pub const AUTHOR_FIELDS: &[&str] = &[
    "name", "bio", "avatar", "guest", "website", "feed", "social",
];

#[derive(Debug, Deserialize)]
struct RawAuthor {
    name: Option<String>,
    bio: Option<String>,
    avatar: Option<String>,
    guest: Option<bool>,
    website: Option<String>,
    feed: Option<String>,
    #[serde(default)]
    social: BTreeMap<String, String>,
}

/// Parses one author profile, `authors/<slug>.toml`.
pub fn author(root: &Path, root_canonical: &Path, rel: &Path) -> Parsed<Author> {
    let (text, cleaned) = read_content(root, rel).map_err(|d| vec![d])?;
    let slug = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let split = Split {
        format: Format::Toml,
        matter: &text,
        matter_line: 1,
        body: "",
        body_line: 1,
    };
    let (raw, escaped): (RawAuthor, _) =
        frontmatter::parse_clean(&split, &text).map_err(|d| vec![d.in_file(rel)])?;
    let mut fd = FileDiags::new(rel, &text, Some(&split));
    fd.list.extend(cleaned);
    fd.list.extend(escaped.into_iter().map(|d| d.in_file(rel)));
    fd.list.extend(
        frontmatter::unknown_keys(&split, &text, AUTHOR_FIELDS, "author profile")
            .into_iter()
            .map(|d| d.in_file(rel)),
    );
    if !valid_slug(&slug) {
        fd.list.push(
            Diagnostic::error(format!(
                "the author file name gives the slug \"{slug}\", which is not a URL slug"
            ))
            .in_file(rel)
            .hint(format!(
                "rename the file to authors/{}.toml",
                slugify(&slug)
            )),
        );
    }
    let name = match raw.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => {
            fd.list.push(
                Diagnostic::error("missing `name`")
                    .in_file(rel)
                    .at(&text, 1, 1)
                    .hint("add the name readers see, e.g. `name = \"Holly Powell\"`"),
            );
            String::new()
        }
    };
    let avatar = raw.avatar.as_deref().and_then(|a| {
        let result = if is_http_url(a) {
            Ok(Asset::External(a.to_string()))
        } else if a.starts_with('/') {
            resolve_picture((root, root_canonical), a, Path::new("static"), None)
        } else {
            // Beside the profile first, then under static/.
            match join_inside(Path::new("authors"), a) {
                Ok(beside) if matches!(check_real(root, root_canonical, &beside), Ok(true)) => {
                    let file = beside.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                    Ok(Asset::Local {
                        source: beside,
                        url_path: routes::author_file_path(&slug, &file),
                        copy: true,
                    })
                }
                Ok(_) => resolve_picture((root, root_canonical), a, Path::new("static"), None),
                Err(e) => Err(e),
            }
        };
        match result {
            Ok(asset) => Some(asset),
            Err(e) => {
                fd.error(
                    "avatar",
                    a,
                    format!("avatar: {e}"),
                    "put the picture beside the profile (authors/me.jpg) or under static/, and give its path",
                );
                None
            }
        }
    });
    for (platform, handle) in &raw.social {
        let value = toml::Value::String(handle.clone());
        if crate::config::unknown_social(platform, &value) {
            let mut d = Diagnostic::warning(format!(
                "unknown social platform `{platform}` (not shown)"
            ))
            .in_file(rel)
            .hint(
                match did_you_mean(platform, crate::config::SOCIAL_PLATFORMS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "handles are for {}; other entries need an https:// address to be shown as links",
                        crate::config::SOCIAL_PLATFORMS.join(", ")
                    ),
                },
            );
            if let Some(line) = crate::config::key_line_in(&text, Some("social"), platform) {
                d = d.at(&text, line, 1);
            }
            fd.list.push(d);
            continue;
        }
        if let Err(reason) = crate::platforms::profiles::profile(platform, handle) {
            fd.error(
                platform,
                handle,
                format!("malformed {platform} handle: {reason}"),
                "write the handle as the platform shows it (x = \"name\", mastodon = \"@user@server\", bluesky = \"name.bsky.social\", linkedin = \"in/name\"), or remove the line",
            );
        }
    }
    for (key, value) in [("website", &raw.website), ("feed", &raw.feed)] {
        if let Some(v) = value
            && !is_http_url(v)
        {
            fd.error(
                key,
                v,
                format!("`{key}` must be an absolute http(s) URL, got \"{v}\""),
                "write the full address, e.g. \"https://example.org\"",
            );
        }
    }
    if fd.has_errors() {
        return Err(fd.list);
    }
    Ok((
        Author {
            slug,
            source: rel.to_path_buf(),
            name,
            bio: raw.bio.unwrap_or_default(),
            avatar,
            guest: raw.guest.unwrap_or(true),
            website: raw.website,
            feed: raw.feed,
            social: raw
                .social
                .into_iter()
                .map(|(k, v)| (k, v.trim().to_string()))
                .collect(),
        },
        fd.list,
    ))
}
