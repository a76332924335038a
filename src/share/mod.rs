//! Share snippets for guest posts: counting text as each platform counts it,
//! fitting a rendered snippet into a platform's limit, web-intent links, and
//! checks of the guests' handles.
//!
//! The public modules are [`count`], [`fit`], [`intent`] and [`handles`]; the
//! private ones hold the ports of the platforms' own counting code
//! (twitter-text 3.1.0 for X, Mastodon 4.5's length rules) and their data.

pub mod count;
pub mod fit;
pub mod handles;
pub mod intent;

mod jsre;
pub mod kit;
mod mastodon;
pub mod profiles;
mod stringprep;
mod tlds;
mod twitter;
mod twitter_data;
