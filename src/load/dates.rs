//! Dates in front matter: TOML date values or strings (`2024-05-01`, RFC 3339,
//! `2024-05-01 09:30`), all turned into one timestamp type; and the build's
//! clock, which `SOURCE_DATE_EPOCH` can fix.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::diag::Diagnostic;

/// A date as written in front matter, not yet parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateInput(pub String);

impl<'de> serde::Deserialize<'de> for DateInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateInput;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date like 2024-05-01 or 2024-05-01T09:30:00Z")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateInput, E> {
                Ok(DateInput(v.to_string()))
            }
            // TOML date values arrive as a one-entry map holding their text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateInput, A::Error> {
                let Some((_, v)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("expected a date"));
                };
                Ok(DateInput(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses a front-matter date. Dates without a time are midnight UTC; date-times
/// without an offset are UTC.
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)) {
        return Some(d);
    }
    let utc = FixedOffset::east_opt(0)?;
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return utc.from_local_datetime(&n).single();
        }
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    utc.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single()
}

/// The environment variable that fixes the build's clock, as the
/// reproducible-builds standard defines it: a number of seconds since
/// 1970-01-01T00:00:00Z. Set, it is "now" for every decision the build takes
/// from the clock (which posts are still in the future; the date `gen new`
/// writes), so a build and its tests give the same result at any hour.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// The moment `SOURCE_DATE_EPOCH` names: `Ok(None)` when it is unset or empty,
/// an error naming the value when it is not a whole number of seconds.
pub fn fixed_now() -> Result<Option<DateTime<Utc>>, Diagnostic> {
    let Some(value) = std::env::var_os(SOURCE_DATE_EPOCH) else {
        return Ok(None);
    };
    let value = value.to_string_lossy();
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<i64>()
        .ok()
        .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .map(Some)
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "{SOURCE_DATE_EPOCH} must be a whole number of seconds since 1970-01-01 UTC, got \"{value}\""
            ))
            .hint(format!(
                "set it to a Unix time, e.g. {SOURCE_DATE_EPOCH}=$(git log -1 --format=%ct), or unset it to use the clock"
            ))
        })
}

/// The current time, as the comparison point for future-dated posts: the
/// moment of `SOURCE_DATE_EPOCH` when it is set (an invalid value is reported
/// by [`fixed_now`] when loading starts, and the clock is used meanwhile).
pub fn now() -> DateTime<FixedOffset> {
    fixed_now()
        .ok()
        .flatten()
        .unwrap_or_else(Utc::now)
        .fixed_offset()
}

/// `1 May 2024`.
pub fn human(d: &DateTime<FixedOffset>) -> String {
    d.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        assert_eq!(
            parse_date("2024-05-01").unwrap().to_rfc3339(),
            "2024-05-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_date("2024-05-01T09:30:00+02:00")
                .unwrap()
                .to_rfc3339(),
            "2024-05-01T09:30:00+02:00"
        );
        assert!(parse_date("2024-05-01 09:30").is_some());
        assert!(parse_date("2024-13-01").is_none());
        assert!(parse_date("yesterday").is_none());
        assert_eq!(human(&parse_date("2024-05-01").unwrap()), "1 May 2024");
    }

    #[test]
    fn toml_dates_deserialize() {
        #[derive(serde::Deserialize)]
        struct T {
            d: DateInput,
        }
        let t: T = toml::from_str("d = 2024-05-01").unwrap();
        assert_eq!(t.d.0, "2024-05-01");
        let t: T = toml::from_str("d = \"2024-05-01\"").unwrap();
        assert_eq!(t.d.0, "2024-05-01");
    }
}
