//! A small backtracking matcher for the subset of JavaScript regular-expression
//! syntax that twitter-text 3.1.0 and twemoji-parser 11.0.2 use for their data
//! (emoji sequences, letter and numeral classes).
//!
//! X counts text with those two JavaScript libraries, and their regular
//! expressions work on UTF-16 code units, not on code points. Keeping their
//! pattern text verbatim and running it here with the same semantics (UTF-16
//! units, leftmost-first alternation, greedy quantifiers with backtracking,
//! lookahead) makes the counts match X exactly, and lets the patterns be diffed
//! against upstream. Supported: literals, `\uXXXX`, `\xXX`, escaped
//! punctuation, `[...]` and `[^...]` classes with ranges, `(?:...)`, `(...)`,
//! `(?=...)`, `(?!...)`, `|`, and the quantifiers `?`, `*`, `+`, `{n}`,
//! `{n,}`, `{n,m}`. Case-insensitive matching is not supported; the patterns
//! this crate runs do not need it.

/// A compiled pattern node.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// One UTF-16 code unit in (or, when `negated`, not in) the sorted ranges.
    Class {
        ranges: Vec<(u16, u16)>,
        negated: bool,
    },
    /// The nodes one after the other.
    Seq(Vec<Node>),
    /// The first alternative that lets the rest of the pattern match.
    Alt(Vec<Node>),
    /// A greedy repetition.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    /// A lookahead; `negate` for `(?!...)`.
    Look { node: Box<Node>, negate: bool },
}

impl Node {
    /// Parses `pattern` (JavaScript syntax, without the surrounding slashes).
    ///
    /// Panics on syntax outside the supported subset: the patterns are
    /// constants of this crate, so a panic is a programming error caught by
    /// the unit tests.
    pub(crate) fn parse(pattern: &str) -> Node {
        let units: Vec<u16> = pattern.encode_utf16().collect();
        let mut p = Parser {
            s: &units,
            i: 0,
            src: pattern,
        };
        let node = p.alternation();
        assert!(
            p.i == units.len(),
            "unexpected `)` in pattern at {}: {pattern}",
            p.i
        );
        node
    }

    /// Parses a character-class body such as `A-Za-z\xaa` (without brackets).
    pub(crate) fn parse_class_body(body: &str) -> Node {
        Node::parse(&format!("[{body}]"))
    }

    /// Returns the end of the preferred match starting exactly at `at`.
    pub(crate) fn match_at(&self, s: &[u16], at: usize) -> Option<usize> {
        let mut end = None;
        self.m(s, at, &mut |j| {
            end = Some(j);
            true
        });
        end
    }

    /// Whether code unit `u` belongs to this node, which must be a class.
    pub(crate) fn class_contains(&self, u: u16) -> bool {
        match self {
            Node::Class { ranges, negated } => in_ranges(ranges, u) != *negated,
            _ => panic!("not a character class"),
        }
    }

    fn m(&self, s: &[u16], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        match self {
            Node::Class { ranges, negated } => {
                i < s.len() && in_ranges(ranges, s[i]) != *negated && k(i + 1)
            }
            Node::Seq(nodes) => seq(nodes, s, i, k),
            Node::Alt(alts) => alts.iter().any(|a| a.m(s, i, k)),
            Node::Repeat { node, min, max } => repeat(node, *min, *max, 0, s, i, k),
            Node::Look { node, negate } => {
                let found = node.m(s, i, &mut |_| true);
                found != *negate && k(i)
            }
        }
    }
}

fn in_ranges(ranges: &[(u16, u16)], u: u16) -> bool {
    // Ranges are sorted by start and merged, so a binary search finds the
    // only range that may hold `u`.
    let idx = ranges.partition_point(|&(lo, _)| lo <= u);
    idx > 0 && u <= ranges[idx - 1].1
}

fn seq(nodes: &[Node], s: &[u16], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    match nodes.split_first() {
        None => k(i),
        Some((first, rest)) => first.m(s, i, &mut |j| seq(rest, s, j, k)),
    }
}

fn repeat(
    node: &Node,
    min: u32,
    max: Option<u32>,
    count: u32,
    s: &[u16],
    i: usize,
    k: &mut dyn FnMut(usize) -> bool,
) -> bool {
    if max.is_none_or(|m| count < m)
        && node.m(s, i, &mut |j| {
            // As in JavaScript, an iteration that matched nothing does not
            // count once the minimum is reached (it would loop forever).
            (j != i || count < min) && repeat(node, min, max, count + 1, s, j, k)
        })
    {
        return true;
    }
    count >= min && k(i)
}

struct Parser<'a> {
    s: &'a [u16],
    i: usize,
    src: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u16> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, u: u8) -> bool {
        if self.peek() == Some(u as u16) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn fail(&self, what: &str) -> ! {
        panic!("{what} at unit {} of pattern: {}", self.i, self.src)
    }

    fn alternation(&mut self) -> Node {
        let mut alts = vec![self.sequence()];
        while self.eat(b'|') {
            alts.push(self.sequence());
        }
        if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Alt(alts)
        }
    }

    fn sequence(&mut self) -> Node {
        let mut items = Vec::new();
        while let Some(u) = self.peek() {
            if u == b'|' as u16 || u == b')' as u16 {
                break;
            }
            let atom = self.atom();
            items.push(self.quantified(atom));
        }
        if items.len() == 1 {
            items.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Seq(items)
        }
    }

    fn quantified(&mut self, atom: Node) -> Node {
        let (min, max) = if self.eat(b'?') {
            (0, Some(1))
        } else if self.eat(b'*') {
            (0, None)
        } else if self.eat(b'+') {
            (1, None)
        } else if self.peek() == Some(b'{' as u16) {
            self.i += 1;
            let min = self.number();
            let max = if self.eat(b',') {
                if self.peek() == Some(b'}' as u16) {
                    None
                } else {
                    Some(self.number())
                }
            } else {
                Some(min)
            };
            if !self.eat(b'}') {
                self.fail("expected `}`");
            }
            (min, max)
        } else {
            return atom;
        };
        if self.peek() == Some(b'?' as u16) {
            self.fail("lazy quantifiers are not supported");
        }
        Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        }
    }

    fn number(&mut self) -> u32 {
        let start = self.i;
        let mut n = 0u32;
        while let Some(u) = self
            .peek()
            .filter(|u| (b'0' as u16..=b'9' as u16).contains(u))
        {
            n = n * 10 + u32::from(u - b'0' as u16);
            self.i += 1;
        }
        if self.i == start {
            self.fail("expected a number");
        }
        n
    }

    fn atom(&mut self) -> Node {
        let u = self.peek().unwrap_or_else(|| self.fail("unexpected end"));
        match u {
            0x28 => {
                // `(`
                self.i += 1;
                let look = if self.eat(b'?') {
                    if self.eat(b':') {
                        None
                    } else if self.eat(b'=') {
                        Some(false)
                    } else if self.eat(b'!') {
                        Some(true)
                    } else {
                        self.fail("unsupported group")
                    }
                } else {
                    None
                };
                let inner = self.alternation();
                if !self.eat(b')') {
                    self.fail("expected `)`");
                }
                match look {
                    Some(negate) => Node::Look {
                        node: Box::new(inner),
                        negate,
                    },
                    None => inner,
                }
            }
            0x5B => self.class(),
            0x2E | 0x5E | 0x24 => self.fail("`.`, `^` and `$` are not supported"),
            _ => {
                let c = self.class_atom();
                Node::Class {
                    ranges: vec![(c, c)],
                    negated: false,
                }
            }
        }
    }

    fn class(&mut self) -> Node {
        self.i += 1; // `[`
        let negated = self.eat(b'^');
        let mut ranges = Vec::new();
        loop {
            match self.peek() {
                None => self.fail("unterminated class"),
                Some(0x5D) => {
                    self.i += 1;
                    break;
                }
                _ => {
                    let lo = self.class_atom();
                    let is_range = self.peek() == Some(b'-' as u16)
                        && self.s.get(self.i + 1).is_some_and(|&n| n != b']' as u16);
                    if is_range {
                        self.i += 1;
                        let hi = self.class_atom();
                        if hi < lo {
                            self.fail("reversed range");
                        }
                        ranges.push((lo, hi));
                    } else {
                        ranges.push((lo, lo));
                    }
                }
            }
        }
        Node::Class {
            ranges: merge(ranges),
            negated,
        }
    }

    /// One literal code unit, possibly escaped.
    fn class_atom(&mut self) -> u16 {
        let u = self.peek().unwrap_or_else(|| self.fail("unexpected end"));
        self.i += 1;
        if u != b'\\' as u16 {
            return u;
        }
        let e = self.peek().unwrap_or_else(|| self.fail("dangling escape"));
        self.i += 1;
        match e {
            0x75 => self.hex(4), // \u
            0x78 => self.hex(2), // \x
            0x74 => 0x09,        // \t
            0x6E => 0x0A,        // \n
            0x72 => 0x0D,        // \r
            _ if (e as u8 as u16 == e) && (e as u8).is_ascii_punctuation() => e,
            _ => self.fail("unsupported escape"),
        }
    }

    fn hex(&mut self, digits: usize) -> u16 {
        let mut v = 0u16;
        for _ in 0..digits {
            let d = self
                .peek()
                .and_then(|u| char::from_u32(u32::from(u)))
                .and_then(|c| c.to_digit(16))
                .unwrap_or_else(|| self.fail("bad hex escape"));
            v = v * 16 + d as u16;
            self.i += 1;
        }
        v
    }
}

fn merge(mut ranges: Vec<(u16, u16)>) -> Vec<(u16, u16)> {
    ranges.sort_unstable();
    let mut out: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if u32::from(lo) <= u32::from(last.1) + 1 => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Node;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn alternation_is_leftmost_first() {
        let n = Node::parse("a|ab");
        assert_eq!(n.match_at(&u("ab"), 0), Some(1));
        let n = Node::parse("(?:ab|a)c?");
        assert_eq!(n.match_at(&u("abc"), 0), Some(3));
    }

    #[test]
    fn greedy_repeat_backtracks() {
        let n = Node::parse("[a-z]*[a-z]b");
        assert_eq!(n.match_at(&u("xyzb"), 0), Some(4));
        assert_eq!(n.match_at(&u("b"), 0), None);
        let n = Node::parse("x{2,3}");
        assert_eq!(n.match_at(&u("xxxx"), 0), Some(3));
        assert_eq!(n.match_at(&u("x"), 0), None);
    }

    #[test]
    fn lookahead_and_escapes() {
        let n = Node::parse(r"\u2764(?:\ufe0f|(?!\ufe0e))");
        assert_eq!(n.match_at(&u("\u{2764}\u{fe0f}"), 0), Some(2));
        assert_eq!(n.match_at(&u("\u{2764}x"), 0), Some(1));
        assert_eq!(n.match_at(&u("\u{2764}\u{fe0e}"), 0), None);
        let c = Node::parse_class_body(r"A-Z\-\xaa");
        assert!(c.class_contains(b'-' as u16));
        assert!(c.class_contains(0xaa));
        assert!(!c.class_contains(b'a' as u16));
        let neg = Node::parse(r"[^\-a]");
        assert_eq!(neg.match_at(&u("b"), 0), Some(1));
        assert_eq!(neg.match_at(&u("-"), 0), None);
    }

    #[test]
    fn works_on_utf16_units() {
        // 😀 is U+1F600 = D83D DE00.
        let n = Node::parse(r"\ud83d[\ude00-\ude4f]");
        assert_eq!(n.match_at(&u("😀"), 0), Some(2));
        assert_eq!(n.match_at(&u("😀"), 1), None);
    }
}
