//! Unit tests of `highlight`.
#![cfg(test)]

use super::*;

#[test]
fn highlights_known_and_escapes_unknown() {
    let mut s = String::new();
    let syntaxes = Syntaxes::default();
    assert!(code_block(
        &syntaxes,
        "rust",
        "fn main() {}\n",
        true,
        &mut s
    ));
    assert!(s.contains("hl-"), "{s}");
    let mut s = String::new();
    assert!(!code_block(&syntaxes, "foobar", "<b>\n", true, &mut s));
    assert_eq!(
        s,
        "<pre class=\"code\" data-lang=\"foobar\"><code>&lt;b&gt;\n</code></pre>\n"
    );
}

#[test]
fn fence_words_and_lookups() {
    assert_eq!(fence_language("rust,ignore"), "rust");
    assert_eq!(fence_language(" python {linenos=true}"), "python");
    assert_eq!(fence_language("sh\tx"), "sh");
    let s = Syntaxes::default();
    let name = |lang: &str| match s.find(lang) {
        Lang::Syntax(found) => found.syntax.name.clone(),
        Lang::Plain => "plain".into(),
        Lang::Unknown => "unknown".into(),
    };
    assert_eq!(name("ts"), "TypeScript");
    assert_eq!(name("golang"), "Go");
    assert_eq!(name("console"), "Bourne Again Shell (bash)");
    assert_eq!(name("TOML"), "TOML");
    assert_eq!(name("tf"), "Terraform");
    assert_eq!(name("Text"), "plain");
    assert_eq!(name(""), "plain");
    assert_eq!(name("pyhton"), "unknown");
    // Every alias leads somewhere.
    for (alias, target) in ALIASES {
        assert!(
            matches!(s.find(alias), Lang::Syntax(_)),
            "{alias} -> {target}"
        );
    }
    assert_eq!(s.closest("pyhton"), ["python"]);
    assert_eq!(s.closest("typscript"), ["typescript"]);
    assert!(s.closest("qqqqqqqq").is_empty());
    assert_eq!(or_list(&["a".into()]), "\"a\"");
    assert_eq!(
        or_list(&["a".into(), "b".into(), "c".into()]),
        "\"a\", \"b\" or \"c\""
    );
}

#[test]
fn an_unchanged_syntaxes_folder_is_compiled_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("syntaxes")).unwrap();
    let kv = "name: KV\nscope: source.kv\nfile_extensions: [kvx]\ncontexts:\n  main:\n    - match: '\\w+'\n      scope: keyword.kv\n";
    std::fs::write(dir.path().join("syntaxes/kv.sublime-syntax"), kv).unwrap();
    let fs = SiteFs::open(dir.path()).unwrap();
    let mut diags = Vec::new();
    let a = load_site(&fs, &mut diags);
    let b = load_site(&fs, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(a.site_names(), ["KV"]);
    assert!(Arc::ptr_eq(
        a.site.as_ref().unwrap(),
        b.site.as_ref().unwrap()
    ));
    assert!(matches!(a.find("kvx"), Lang::Syntax(f) if f.syntax.name == "KV"));
    assert!(matches!(a.find("toml"), Lang::Syntax(f) if f.syntax.name == "TOML"));
    // A change compiles again.
    std::fs::write(
        dir.path().join("syntaxes/kv.sublime-syntax"),
        kv.replace("KV", "KV2"),
    )
    .unwrap();
    let c = load_site(&fs, &mut diags);
    assert_eq!(c.site_names(), ["KV2"]);
    // No folder: the built-in set.
    std::fs::remove_dir_all(dir.path().join("syntaxes")).unwrap();
    assert!(load_site(&fs, &mut diags).site.is_none());
}

#[test]
fn escapes_specials_between_multibyte_text() {
    for (text, want) in [
        ("", ""),
        ("plain", "plain"),
        (
            "<a href=\"x\">Tom & Jerry's</a>",
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
        ),
        ("é<ü>😀&", "é&lt;ü&gt;😀&amp;"),
        ("&&", "&amp;&amp;"),
    ] {
        let mut out = String::from("=");
        escape_into(text, &mut out);
        assert_eq!(out, format!("={want}"));
    }
}

#[test]
fn stylesheet_has_dark_mode() {
    let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
    assert!(css.contains("prefers-color-scheme: dark"));
    assert!(stylesheet("nope", "base16-ocean.dark").is_err());
}

#[test]
fn relative_luminance_and_contrast_follow_wcag() {
    assert_eq!(Rgb(0, 0, 0).luminance(), 0.0);
    assert!((Rgb(255, 255, 255).luminance() - 1.0).abs() < 1e-9);
    assert!((Rgb(0, 0, 0).contrast(Rgb(255, 255, 255)) - 21.0).abs() < 1e-9);
    // Values published by WebAIM's contrast checker.
    assert!((Rgb(0x77, 0x77, 0x77).contrast(Rgb(255, 255, 255)) - 4.48).abs() < 0.01);
    assert!((Rgb(0x32, 0x32, 0x32).contrast(Rgb(0x20, 0x1e, 0x24)) - 1.29).abs() < 0.01);
    assert_eq!(Rgb::parse("#0086b3"), Some(Rgb(0, 0x86, 0xb3)));
    assert_eq!(Rgb::parse("#fff"), Some(Rgb(255, 255, 255)));
    assert_eq!(Rgb::parse("#11223380"), Some(Rgb(0x11, 0x22, 0x33)));
    assert_eq!(Rgb::parse("red"), None);
}

/// The two palettes of a stylesheet: (media query, rules).
fn palettes(css: &str) -> Vec<(String, Vec<Rule>)> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("@media") {
        let open = i + rest[i..].find('{').unwrap();
        let close = open + rest[open..].find("}\n}").unwrap() + 1;
        out.push((
            rest[i..open].trim().to_string(),
            parse_rules(&rest[open + 1..close]),
        ));
        rest = &rest[close + 1..];
    }
    out
}

fn assert_readable(light: &str, dark: &str) {
    let css = stylesheet(light, dark).unwrap();
    let p = palettes(&css);
    assert_eq!(p.len(), 2, "{css}");
    assert_eq!(p[0].0, "@media not all and (prefers-color-scheme: dark)");
    assert_eq!(p[1].0, "@media (prefers-color-scheme: dark)");
    for ((_, rules), code_bg) in p.iter().zip([CODE_BG_LIGHT, CODE_BG_DARK]) {
        assert!(rules.len() > 5, "{css}");
        for rule in rules {
            assert!(rule.selectors.starts_with(".hl-"), "{}", rule.selectors);
            let get = |k: &str| {
                rule.declarations
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| Rgb::parse(v).unwrap())
            };
            let bg = get("background-color").unwrap_or(code_bg);
            if let Some(fg) = get("color") {
                let c = fg.contrast(bg);
                assert!(
                    c >= MIN_CONTRAST,
                    "{light}/{dark}: {} {fg} on {bg}: {c:.2}",
                    rule.selectors
                );
            } else {
                assert_eq!(
                    bg, code_bg,
                    "{}: a background without a colour",
                    rule.selectors
                );
            }
        }
    }
}

#[test]
fn every_token_is_readable_in_both_palettes() {
    assert_readable("InspiredGitHub", "base16-ocean.dark");
    let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
    // The regression: a class only the light theme colours kept its light
    // colour (#323232) on the dark background.
    let dark = &palettes(&css)[1].1;
    assert!(
        !dark
            .iter()
            .any(|r| r.selectors == ".hl-variable.hl-parameter")
    );
    // Every theme, as the light and as the dark palette.
    for name in theme_names() {
        assert_readable(name, name);
    }
}

#[test]
fn code_backgrounds_are_the_default_themes() {
    let css = include_str!("../../../themes/default/static/style.css");
    let values: Vec<&str> = css
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--code-bg:"))
        .map(|v| v.trim().trim_end_matches(';'))
        .collect();
    assert_eq!(
        values,
        [CODE_BG_LIGHT.to_string(), CODE_BG_DARK.to_string()]
    );
}
