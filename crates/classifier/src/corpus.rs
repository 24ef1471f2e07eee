//! The training corpus: the bundled `data/train.csv` (embedded at compile time) and the parser
//! for corpus files of the same shape.
//!
//! Format: UTF-8, one example per line, header `text,category`. `text` is either bare (then it
//! runs to the last comma of the line) or double-quoted RFC 4180 style (`""` is a literal quote);
//! `category` is `facility`, `it` or `services`. Blank lines are skipped. Texts cannot span lines.

use std::fmt;

use domain::Category;

/// The bundled corpus, verbatim. Label rules: `data/README.md`.
pub const BUILTIN_CSV: &str = include_str!("../data/train.csv");

/// A corpus line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "corpus line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CorpusError {}

/// Parses a corpus file (see the module docs) into `(text, category)` pairs in file order.
///
/// # Errors
/// [`CorpusError`] for the first bad line: a missing or wrong header, an unterminated quote,
/// a missing comma, an empty text or an unknown category.
pub fn parse_corpus(csv: &str) -> Result<Vec<(String, Category)>, CorpusError> {
    let mut lines = csv.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim() == "text,category" => {}
        _ => return Err(CorpusError { line: 1, message: "the header must be `text,category`".into() }),
    }
    let mut examples = Vec::new();
    for (index, line) in lines {
        let line_no = index + 1;
        let error = |message: &str| CorpusError { line: line_no, message: message.to_owned() };
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (text, category) = if let Some(quoted) = line.strip_prefix('"') {
            let (text, rest) = split_quoted(quoted).ok_or_else(|| error("unterminated quoted text"))?;
            let category = rest.strip_prefix(',').ok_or_else(|| error("expected `,` after the text"))?;
            (text, category)
        } else {
            let (text, category) = line.rsplit_once(',').ok_or_else(|| error("expected `text,category`"))?;
            (text.to_owned(), category)
        };
        if text.trim().is_empty() {
            return Err(error("empty text"));
        }
        let category: Category =
            category.parse().map_err(|e: domain::ParseEnumError| error(&e.to_string()))?;
        examples.push((text, category));
    }
    Ok(examples)
}

/// Splits `rest` (just after an opening quote) into the unescaped text and what follows the
/// closing quote; `None` if the quote is never closed.
fn split_quoted(rest: &str) -> Option<(String, &str)> {
    let mut text = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            text.push(c);
        } else if chars.peek().is_some_and(|&(_, next)| next == '"') {
            text.push('"');
            chars.next();
        } else {
            return Some((text, &rest[i + 1..]));
        }
    }
    None
}

/// The bundled corpus as `(text, category)` pairs, e.g. to retrain with staff corrections added:
/// `Classifier::train(builtin_corpus().iter().map(|(t, c)| (t.as_str(), *c)).chain(corrections))`.
///
/// Lines that do not parse are skipped (a unit test keeps the bundled file free of them).
pub fn builtin_corpus() -> Vec<(String, Category)> {
    parse_corpus(BUILTIN_CSV).unwrap_or_else(|_| {
        BUILTIN_CSV
            .lines()
            .filter_map(|line| parse_corpus(&format!("text,category\n{line}")).ok())
            .flatten()
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_corpus_parses_completely_and_is_roughly_balanced() {
        let examples = parse_corpus(BUILTIN_CSV).expect("data/train.csv must parse");
        assert!(examples.len() >= 600, "only {} examples", examples.len());
        let mut counts = [0usize; 3];
        for (_, c) in &examples {
            counts[c.index()] += 1;
        }
        let (min, max) = (counts.iter().min().copied(), counts.iter().max().copied());
        let (min, max) = (min.unwrap_or(0), max.unwrap_or(0));
        assert!(min * 10 >= max * 8, "unbalanced: {counts:?}");
        assert_eq!(builtin_corpus().len(), examples.len());
    }

    #[test]
    fn bundled_corpus_has_no_duplicate_texts() {
        let examples = builtin_corpus();
        let mut texts: Vec<String> = examples.iter().map(|(t, _)| t.trim().to_lowercase()).collect();
        texts.sort();
        let dupes: Vec<_> = texts.windows(2).filter(|p| p[0] == p[1]).map(|p| p[0].clone()).collect();
        assert!(dupes.is_empty(), "duplicated examples: {dupes:?}");
    }

    #[test]
    fn quoted_and_bare_texts() {
        let csv =
            "text,category\n\"lift stuck, floor 2\",facility\nwifi down,it\n\n\"say \"\"hi\"\"\",services\n";
        let examples = parse_corpus(csv).expect("valid");
        assert_eq!(
            examples,
            vec![
                ("lift stuck, floor 2".to_owned(), Category::Facility),
                ("wifi down".to_owned(), Category::It),
                ("say \"hi\"".to_owned(), Category::Services),
            ]
        );
    }

    #[test]
    fn bad_lines_name_their_line_number() {
        assert_eq!(parse_corpus("txt,cat\n").map_err(|e| e.line), Err(1));
        let err = parse_corpus("text,category\nok,it\nbroken,food\n").expect_err("unknown category");
        assert_eq!(err.line, 3);
        assert!(err.to_string().contains("food"), "{err}");
        assert_eq!(parse_corpus("text,category\n\"open,it\n").map_err(|e| e.line), Err(2));
        assert_eq!(parse_corpus("text,category\n\"\",it\n").map_err(|e| e.line), Err(2));
    }
}
