//! Prose with the shape of English blog writing: short function words most of
//! the time, content words of every length (drawn Zipf-like, so a few recur a
//! lot and most are rare), sentences of 5–35 words with commas, and the inline
//! markup writers use (code, emphasis, links). Markdown parsing cost depends on
//! these proportions, so a repeated short-word list would misstate it.

use super::Rng;

/// The most frequent English words, most frequent first: about half of running text.
const FUNCTION: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "it", "that", "for", "on", "with", "as", "was",
    "at", "by", "this", "be", "from", "or", "an", "are", "not", "we", "you", "they", "but", "have",
    "has", "can", "will", "if", "when", "which", "so", "our", "its", "one", "all", "more", "into",
    "than", "then", "there", "what", "about", "each", "only", "how", "also", "just", "some",
    "other", "would", "should", "could", "these", "those", "after", "before", "while", "because",
    "every", "most", "no", "out", "up", "their", "were", "had",
];

/// Content words of a tech blog, roughly most frequent first.
const CONTENT: &[&str] = &[
    "time",
    "code",
    "team",
    "test",
    "data",
    "build",
    "change",
    "work",
    "make",
    "use",
    "need",
    "first",
    "new",
    "run",
    "file",
    "error",
    "value",
    "version",
    "release",
    "problem",
    "system",
    "service",
    "request",
    "people",
    "way",
    "user",
    "query",
    "cache",
    "server",
    "feature",
    "review",
    "deploy",
    "pipeline",
    "function",
    "module",
    "package",
    "library",
    "write",
    "read",
    "start",
    "small",
    "large",
    "simple",
    "clear",
    "fast",
    "slow",
    "hard",
    "easy",
    "different",
    "important",
    "possible",
    "memory",
    "latency",
    "index",
    "schema",
    "database",
    "migration",
    "endpoint",
    "dashboard",
    "incident",
    "rollback",
    "throughput",
    "benchmark",
    "profile",
    "allocation",
    "thread",
    "process",
    "network",
    "config",
    "secret",
    "token",
    "customer",
    "product",
    "design",
    "decision",
    "tradeoff",
    "approach",
    "pattern",
    "example",
    "result",
    "number",
    "second",
    "minute",
    "week",
    "month",
    "year",
    "day",
    "several",
    "many",
    "few",
    "good",
    "better",
    "wrong",
    "right",
    "real",
    "actual",
    "same",
    "next",
    "last",
    "take",
    "find",
    "try",
    "move",
    "keep",
    "help",
    "show",
    "call",
    "give",
    "seem",
    "mean",
    "learn",
    "add",
    "remove",
    "replace",
    "measure",
    "notice",
    "expect",
    "happen",
    "fail",
    "break",
    "fix",
    "ship",
    "wait",
    "spend",
    "save",
    "load",
    "store",
    "send",
    "handle",
    "return",
    "compile",
    "understand",
    "explain",
    "document",
    "investigate",
    "automate",
    "configure",
    "maintain",
    "introduce",
    "eventually",
    "actually",
    "usually",
    "quickly",
    "probably",
    "finally",
    "instead",
    "almost",
    "already",
    "still",
    "again",
    "often",
    "rather",
    "enough",
    "quite",
    "really",
    "especially",
    "container",
    "cluster",
    "compiler",
    "runtime",
    "interface",
    "abstraction",
    "dependency",
    "dependencies",
    "observability",
    "reliability",
    "performance",
    "availability",
    "consistency",
    "concurrency",
    "serialization",
    "authentication",
    "authorization",
    "configuration",
    "infrastructure",
    "implementation",
    "documentation",
    "responsibility",
    "maintainer",
    "contributor",
    "onboarding",
    "on-call",
    "postmortem",
    "retrospective",
    "roadmap",
    "experiment",
    "hypothesis",
    "regression",
    "bottleneck",
    "workaround",
    "trade-off",
    "backpressure",
    "idempotent",
    "deterministic",
    "asynchronous",
    "distributed",
    "incremental",
    "predictable",
    "surprisingly",
    "unfortunately",
    "straightforward",
    "afternoon",
    "meeting",
    "manager",
    "engineer",
    "colleague",
    "question",
    "answer",
    "reason",
    "context",
    "detail",
    "history",
    "story",
    "lesson",
    "mistake",
    "surprise",
    "goal",
    "plan",
    "step",
    "part",
    "side",
    "case",
    "point",
    "place",
    "kind",
    "level",
    "cost",
    "risk",
    "trust",
    "habit",
    "culture",
    "practice",
    "feedback",
    "support",
    "quietly",
    "carefully",
    "honestly",
    "deliberately",
    "gradually",
    "immediately",
    "branch",
    "commit",
    "merge",
    "patch",
    "log",
    "trace",
    "metric",
    "alert",
    "queue",
    "worker",
    "job",
    "batch",
    "stream",
    "event",
    "message",
    "payload",
    "handler",
    "route",
    "browser",
    "client",
    "mobile",
    "desktop",
    "terminal",
    "editor",
    "shell",
    "script",
];

const ADVERBIAL: &[&str] = &[
    "In practice",
    "For a while",
    "To be fair",
    "At first",
    "In the end",
    "Later that week",
    "Looking back",
    "Since then",
    "On the other hand",
    "In our case",
    "As it turned out",
    "Most of the time",
    "Even so",
    "By then",
];

pub const FIRST_NAMES: &[&str] = &[
    "Ada", "Bruno", "Chioma", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kavya", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tamar", "Uma",
    "Viktor", "Wen", "Ximena", "Yusuf", "Zofia",
];
pub const LAST_NAMES: &[&str] = &[
    "Adeyemi",
    "Bergström",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fujita",
    "García",
    "Haddad",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Unger",
    "Varga",
    "Wójcik",
    "Yilmaz",
    "Zhang",
];

/// Draws from `v` with a Zipf-like skew towards its start.
fn zipf<'a>(rng: &Rng, v: &'a [&'a str]) -> &'a str {
    let u = rng.below(1 << 20) as f64 / f64::from(1 << 20);
    v[((v.len() as f64) * u * u * u) as usize]
}

/// One word of running text.
pub fn word(rng: &Rng) -> &'static str {
    if rng.below(100) < 47 {
        zipf(rng, FUNCTION)
    } else {
        let u = rng.below(1 << 20) as f64 / f64::from(1 << 20);
        CONTENT[((CONTENT.len() as f64) * u * u) as usize]
    }
}

/// A content word (for titles, headings, link texts).
pub fn noun(rng: &Rng) -> &'static str {
    CONTENT[rng.below(CONTENT.len())]
}

fn capitalized(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A title or heading of `n` words.
pub fn title(rng: &Rng, n: usize) -> String {
    let lead = ["How we ", "Why ", "What I learned about ", "", "", ""][rng.below(6)];
    let mut words: Vec<String> = (0..n)
        .map(|i| if i % 2 == 0 { noun(rng) } else { word(rng) }.to_string())
        .collect();
    if lead.is_empty() {
        words[0] = capitalized(&words[0]);
    }
    format!("{lead}{}", words.join(" "))
}

/// What a sentence may hold besides words, each with its own markup.
pub struct Inline<'a> {
    /// Returns a Markdown link to another post (or None if there is none yet).
    pub post_link: &'a mut dyn FnMut(&Rng) -> Option<String>,
}

/// One sentence, with `words` increased by its word count.
pub fn sentence(rng: &Rng, words: &mut usize, inline: &mut Inline<'_>) -> String {
    let n = 5 + rng.below(10) + rng.below(10) + rng.below(11);
    *words += n;
    let mut s = String::new();
    let mut start = 0;
    if rng.below(8) == 0 {
        s.push_str(ADVERBIAL[rng.below(ADVERBIAL.len())]);
        s.push_str(", ");
        start = 1;
    }
    for i in start..n {
        if i > start {
            s.push(' ');
        }
        let mut w = word(rng);
        // No word twice in a row ("the the").
        while s.ends_with(&format!(" {w}")) {
            w = word(rng);
        }
        let w = if i == 0 {
            capitalized(w)
        } else {
            w.to_string()
        };
        match rng.below(90) {
            0 => {
                s.push('`');
                s.push_str(&w.replace('-', "_"));
                s.push_str(["()", "", "_id", ".rs", "::new"][rng.below(5)]);
                s.push('`');
            }
            1 => {
                s.push('*');
                s.push_str(&w);
                s.push('*');
            }
            2 => {
                s.push_str("**");
                s.push_str(&w);
                s.push_str("**");
            }
            3 => match (inline.post_link)(rng) {
                Some(link) => {
                    s.push_str(&w);
                    s.push(' ');
                    s.push_str(&link);
                }
                None => s.push_str(&w),
            },
            4 => {
                let _ = std::fmt::Write::write_fmt(
                    &mut s,
                    format_args!(
                        "[{w} {}](https://{}.example.com/{}/{})",
                        noun(rng),
                        noun(rng).replace('-', ""),
                        noun(rng),
                        rng.below(10_000)
                    ),
                );
            }
            _ => s.push_str(&w),
        }
        if i + 1 < n && rng.below(11) == 0 {
            s.push(',');
        }
    }
    s.push(match rng.below(14) {
        0 => '?',
        1 => ':',
        _ => '.',
    });
    if s.ends_with(':') {
        s.pop();
        s.push('.');
    }
    s
}

/// A paragraph of 1–6 sentences.
pub fn paragraph(rng: &Rng, words: &mut usize, inline: &mut Inline<'_>) -> String {
    let n = 1 + rng.below(3) + rng.below(4);
    let mut p = String::new();
    for i in 0..n {
        if i > 0 {
            p.push(' ');
        }
        p.push_str(&sentence(rng, words, inline));
    }
    p
}
