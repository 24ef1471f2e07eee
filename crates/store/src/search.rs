//! Full-text search, decided once for every backend: how a ticket's text becomes the words an
//! index holds ([`document`]), and how the ticket list's search text becomes a query
//! ([`SearchQuery::parse`]).
//!
//! Both backends index the output of [`document`], not the raw text, so they split and fold
//! words the same way (the SQLite FTS5 `unicode61` tokenizer and PostgreSQL's `simple` parser
//! would each do it a little differently) and give the same results; the store suite checks it.
//!
//! # Words
//!
//! A word is a maximal run of alphanumeric characters (Unicode `Alphabetic` or `Numeric`, plus
//! combining marks), lower-cased; everything else separates words. So `B204`, `b204` and
//! `(B204)` are the word `b204`; `e-mail` is the two words `e` `mail`; `3.5` is `3` `5`.
//!
//! # Search syntax
//!
//! - Words separated by spaces must all occur, anywhere in the title, the description or a
//!   message of the ticket, in any order. Each word matches as a prefix: `heat` finds "heating".
//! - `"no heating"` in double quotes is a phrase: the words next to each other, in that order,
//!   each matched whole. A piece like `e-mail` or `3.5`, which holds several words, is a phrase
//!   too.
//! - A search that is only a ticket number, `334` or `#334`, also finds ticket 334 itself.
//! - At most [`MAX_TERMS`] words and phrases are used; later ones are ignored. Anything with no
//!   word in it (`#`, `!!`) is ignored.

use unicode_general_category::{GeneralCategory, get_general_category};

/// The version of [`document`] (and of [`words`]): a store whose index was built with another
/// rebuilds it at open. Raise it whenever either changes what it returns.
pub const INDEX_VERSION: i64 = 1;

/// At most this many words and phrases of a search text are used; later ones are ignored.
pub const MAX_TERMS: usize = 10;

/// One thing a search asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    /// A word that matches every indexed word starting with it.
    Prefix(String),
    /// Whole words next to each other, in this order (one or more).
    Phrase(Vec<String>),
}

/// A parsed search text: every term must match; [`SearchQuery::ticket_id`] also matches that
/// ticket itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The terms, in the order written; never empty.
    pub terms: Vec<SearchTerm>,
    /// Set when the whole text is a ticket number (`334`, `#334`).
    pub ticket_id: Option<i64>,
}

impl SearchQuery {
    /// Parses a search text (see the module docs for the syntax). `None` when it holds no word.
    pub fn parse(text: &str) -> Option<SearchQuery> {
        let trimmed = text.trim();
        let number = trimmed.strip_prefix('#').unwrap_or(trimmed);
        let ticket_id = (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
            .then(|| number.parse::<i64>().ok())
            .flatten()
            .filter(|id| *id > 0);
        let mut terms = Vec::new();
        for (i, piece) in trimmed.split('"').enumerate() {
            if i % 2 == 1 {
                // Inside double quotes: one phrase.
                let words = words(piece);
                if !words.is_empty() {
                    terms.push(SearchTerm::Phrase(words));
                }
                continue;
            }
            for chunk in piece.split_whitespace() {
                let mut words = words(chunk);
                match words.len() {
                    0 => {}
                    1 if ticket_id.is_none() => terms.push(SearchTerm::Prefix(words.remove(0))),
                    _ => terms.push(SearchTerm::Phrase(words)),
                }
            }
        }
        terms.truncate(MAX_TERMS);
        (!terms.is_empty()).then_some(SearchQuery { terms, ticket_id })
    }

    /// The query in SQLite FTS5's query language: `"heat"* AND "no heating"`. Every word is
    /// quoted, so nothing the person typed is read as FTS5 syntax.
    pub fn to_fts5(&self) -> String {
        let terms: Vec<String> = self
            .terms
            .iter()
            .map(|term| match term {
                SearchTerm::Prefix(word) => format!("\"{word}\"*"),
                SearchTerm::Phrase(words) => format!("\"{}\"", words.join(" ")),
            })
            .collect();
        terms.join(" AND ")
    }

    /// The query as a PostgreSQL `tsquery` text, for `to_tsquery('simple', ...)`:
    /// `'heat':* & 'no' <-> 'heating'`. Every word is quoted.
    pub fn to_tsquery(&self) -> String {
        let terms: Vec<String> = self
            .terms
            .iter()
            .map(|term| match term {
                SearchTerm::Prefix(word) => format!("'{word}':*"),
                SearchTerm::Phrase(words) => {
                    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
                    format!("({})", quoted.join(" <-> "))
                }
            })
            .collect();
        terms.join(" & ")
    }
}

/// The words of `text`, in order (see the module docs).
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_word_char(c) {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Most words of a ticket that are indexed; words after them (in a very long thread) are not
/// searchable. Keeps a PostgreSQL `tsvector` far under its 1 MB limit.
pub const MAX_DOCUMENT_WORDS: usize = 20_000;

/// The text a search index holds for a ticket: the words of its title, its description and
/// its messages, in that order, separated by single spaces; at most [`MAX_DOCUMENT_WORDS`].
pub fn document<'a>(
    title: &'a str,
    description: &'a str,
    messages: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut document = String::with_capacity(title.len() + description.len() + 2);
    let mut count = 0;
    for text in [title, description].into_iter().chain(messages) {
        for word in words(text) {
            if count == MAX_DOCUMENT_WORDS {
                return document;
            }
            if count > 0 {
                document.push(' ');
            }
            document.push_str(&word);
            count += 1;
        }
    }
    document
}

/// Letters, digits and combining marks (Unicode general categories L*, N* and M*: what the
/// SQLite index is told to keep in words).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            get_general_category(c),
            GeneralCategory::NonspacingMark | GeneralCategory::SpacingMark | GeneralCategory::EnclosingMark
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(w: &str) -> SearchTerm {
        SearchTerm::Prefix(w.into())
    }

    fn phrase(ws: &[&str]) -> SearchTerm {
        SearchTerm::Phrase(ws.iter().map(|w| (*w).to_owned()).collect())
    }

    #[test]
    fn words_are_lower_cased_alphanumeric_runs() {
        assert_eq!(words("Heating OFF in (B204)!"), ["heating", "off", "in", "b204"]);
        assert_eq!(words("e-mail 3.5 café Ärger"), ["e", "mail", "3", "5", "café", "ärger"]);
        assert_eq!(words("  ... "), Vec::<String>::new());
    }

    #[test]
    fn a_document_holds_every_field_in_order() {
        assert_eq!(
            document("Lift stuck", "Floor 2.", ["Still stuck!", "Fixed?"]),
            "lift stuck floor 2 still stuck fixed"
        );
        assert_eq!(document("", "", []), "");
        let long = "word ".repeat(MAX_DOCUMENT_WORDS + 5);
        assert_eq!(document("t", &long, []).split(' ').count(), MAX_DOCUMENT_WORDS);
    }

    #[test]
    fn words_phrases_and_pieces_parse() {
        let q = SearchQuery::parse(r#"heat "no  Heating" e-mail"#).unwrap();
        assert_eq!(q.terms, [prefix("heat"), phrase(&["no", "heating"]), phrase(&["e", "mail"])]);
        assert_eq!(q.ticket_id, None);
        assert_eq!(q.to_fts5(), r#""heat"* AND "no heating" AND "e mail""#);
        assert_eq!(q.to_tsquery(), "'heat':* & ('no' <-> 'heating') & ('e' <-> 'mail')");
        assert_eq!(SearchQuery::parse("  # !! \"\" "), None, "nothing to search for");
        assert_eq!(
            SearchQuery::parse(r#"unclosed "quote here"#).unwrap().terms,
            [prefix("unclosed"), phrase(&["quote", "here"])]
        );
    }

    #[test]
    fn a_ticket_number_finds_the_ticket_and_the_exact_number() {
        for text in ["334", "#334", " #334 "] {
            let q = SearchQuery::parse(text).unwrap();
            assert_eq!(q.ticket_id, Some(334), "{text}");
            assert_eq!(q.terms, [phrase(&["334"])], "the number as a whole word, not a prefix");
        }
        assert_eq!(
            SearchQuery::parse("room 334").unwrap().ticket_id,
            None,
            "only a bare number is a ticket number"
        );
        assert_eq!(SearchQuery::parse("#0").unwrap().ticket_id, None);
        assert_eq!(
            SearchQuery::parse("99999999999999999999").unwrap().ticket_id,
            None,
            "too large for an id"
        );
    }

    #[test]
    fn syntax_characters_are_never_passed_through() {
        let q = SearchQuery::parse(r#"NEAR(a b) OR x* ^y 'z' :*"#).unwrap();
        let fts = q.to_fts5();
        assert!(!fts.contains('(') && !fts.contains('^') && !fts.contains('\''), "{fts}");
        let ts = q.to_tsquery();
        assert!(!ts.contains('|') && !ts.contains('!'), "{ts}");
        assert_eq!(q.terms.len(), 6, "{:?}", q.terms);
    }

    #[test]
    fn at_most_max_terms_are_kept() {
        let text = (0..15).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(SearchQuery::parse(&text).unwrap().terms.len(), MAX_TERMS);
    }
}
