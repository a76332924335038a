//! Archives: every post by year and month at `/archive/` ([`Job::Archive`]),
//! and, when the `[permalinks] post` pattern is dated (`/:year/:month/:slug/`),
//! a listing at each year's and month's own path (`/2026/`, `/2026/11/`:
//! [`Job::Year`], [`Job::Month`]), so a reader who trims a post's URL finds
//! the posts of that time. Years and months are those of each post's date as
//! written, like its permalink. One template, `archive.html`, renders them all
//! from an [`ArchiveValue`].

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;
use serde_json::Value;

use super::Job;
use crate::load::Site;
use crate::routes::{Route, date_listing_path};

/// The year and month of post `i`'s date, as written.
pub fn year_month(site: &Site, i: usize) -> (i32, u32) {
    let d = site.posts[i].date;
    (d.year(), d.month())
}

/// The archive jobs: `/archive/`, and each year and month with posts at its
/// own path when the permalink pattern has one.
pub fn archive_jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Archive];
    let pattern = &site.config.permalink_post;
    let years = date_listing_path(pattern, "0", None).is_some();
    let months = date_listing_path(pattern, "0", Some("0")).is_some();
    if !years {
        return jobs;
    }
    let mut seen: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
    for i in 0..site.posts.len() {
        let (y, m) = year_month(site, i);
        let ms = seen.entry(y).or_default();
        if !ms.contains(&m) {
            ms.push(m);
        }
    }
    // Newest first, as the archive lists them.
    for (y, mut ms) in seen.into_iter().rev() {
        jobs.push(Job::Year(y));
        if months {
            ms.sort_unstable_by(|a, b| b.cmp(a));
            jobs.extend(ms.into_iter().map(|m| Job::Month(y, m)));
        }
    }
    jobs
}

/// The route of a year's (`month` `None`) or month's listing.
pub fn dated_route(site: &Site, year: i32, month: Option<u32>) -> Route {
    Route::Dated(
        site.config.permalink_post.clone(),
        format!("{year:04}"),
        month.map(|m| format!("{m:02}")),
    )
}

/// The posts (newest first) that an archive job lists.
pub fn archive_posts(site: &Site, job: &Job) -> Vec<usize> {
    let all = 0..site.posts.len();
    match job {
        Job::Year(y) => all.filter(|&i| year_month(site, i).0 == *y).collect(),
        Job::Month(y, m) => all.filter(|&i| year_month(site, i) == (*y, *m)).collect(),
        _ => all.collect(),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The `archive` value of `archive.html`, with `P` a post as the months hold
/// it: its list value (borrowed, [`archive_value`]), or its number while
/// [`archive_json`] puts the values themselves in place.
#[derive(Debug, Serialize)]
pub struct ArchiveValue<P> {
    /// "Archive", "2026" or "November 2026".
    pub title: String,
    /// The absolute URL of `/archive/`.
    pub url: String,
    /// Years, newest first.
    pub years: Vec<ArchiveYear<P>>,
}

/// One year of an archive.
#[derive(Debug, Serialize)]
pub struct ArchiveYear<P> {
    pub year: String,
    /// Its own listing's absolute URL (dated permalinks), or null.
    pub url: Option<String>,
    pub post_count: usize,
    /// Months, newest first.
    pub months: Vec<ArchiveMonth<P>>,
}

/// One month of an archive.
#[derive(Debug, Serialize)]
pub struct ArchiveMonth<P> {
    /// `01`–`12`.
    pub month: String,
    /// `January`…
    pub name: &'static str,
    /// Its own listing's absolute URL (dated permalinks with `:month`), or null.
    pub url: Option<String>,
    /// The posts, newest first, as in lists.
    pub posts: Vec<P>,
}

/// The archive of `posts` (newest first), with `values` the posts' list values.
pub fn archive_value<'v>(
    site: &Site,
    job: &Job,
    posts: &[usize],
    values: &'v [Value],
) -> ArchiveValue<&'v Value> {
    // The values are borrowed: the page's context is their one copy.
    grouped(site, job, posts, |i| &values[i])
}

/// The archive of `posts` as [`archive_value`] serializes it, made from the
/// list values themselves: each post's value is moved out of `values` into
/// its month. `/archive/` lists every post, and a copy of every list value
/// would be the largest thing a big site's build holds (about 70 MB at
/// 10,000 posts), so a full build renders it last, from values no other
/// page needs any more.
pub fn archive_json(site: &Site, job: &Job, posts: &[usize], mut values: Vec<Value>) -> Value {
    let mut json = super::context::to_value(&grouped(site, job, posts, |i| i));
    let months = json
        .get_mut("years")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(|year| year.get_mut("months").and_then(Value::as_array_mut))
        .flatten();
    for month in months {
        let numbers = month.get_mut("posts").and_then(Value::as_array_mut);
        for post in numbers.into_iter().flatten() {
            let value = post
                .as_u64()
                .and_then(|i| values.get_mut(usize::try_from(i).ok()?))
                .map(std::mem::take);
            *post = value.unwrap_or_default();
        }
    }
    json
}

/// `posts` by year and month, newest first, each post as `pick` makes it.
fn grouped<P>(
    site: &Site,
    job: &Job,
    posts: &[usize],
    mut pick: impl FnMut(usize) -> P,
) -> ArchiveValue<P> {
    let config = &site.config;
    let pattern = &config.permalink_post;
    let mut by: BTreeMap<i32, BTreeMap<u32, Vec<P>>> = BTreeMap::new();
    for &i in posts {
        let (y, m) = year_month(site, i);
        by.entry(y).or_default().entry(m).or_default().push(pick(i));
    }
    let url = |y: i32, m: Option<u32>| {
        date_listing_path(
            pattern,
            &format!("{y:04}"),
            m.map(|m| format!("{m:02}")).as_deref(),
        )
        .map(|p| config.url(&p))
    };
    let years = by
        .into_iter()
        .rev()
        .map(|(y, months)| ArchiveYear {
            year: format!("{y:04}"),
            url: url(y, None),
            post_count: months.values().map(Vec::len).sum(),
            months: months
                .into_iter()
                .rev()
                .map(|(m, posts)| ArchiveMonth {
                    month: format!("{m:02}"),
                    name: MONTHS[(m as usize).saturating_sub(1) % 12],
                    url: url(y, Some(m)),
                    posts,
                })
                .collect(),
        })
        .collect();
    ArchiveValue {
        title: archive_title(job),
        url: config.url(&Route::Archive.path()),
        years,
    }
}

/// The title of an archive page.
pub fn archive_title(job: &Job) -> String {
    match job {
        Job::Year(y) => format!("{y:04}"),
        Job::Month(y, m) => format!("{} {y:04}", MONTHS[(*m as usize).saturating_sub(1) % 12]),
        _ => "Archive".into(),
    }
}
