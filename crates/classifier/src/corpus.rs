//! Labelled text files: the bundled training corpus (`data/train.csv`, embedded at compile
//! time) and the strict reader for files of that shape (also used for `data/heldout.csv`, which
//! is read from disk by the tests and the eval tool only, never built into the library).
//!
//! Format: CSV as in RFC 4180 (Shafranovich 2005), UTF-8 (a leading byte-order mark is
//! ignored), LF or CRLF line ends, header `text,category`, optionally with `genre` and `batch`
//! columns (any order; the bundled files have `text,category,genre,batch`), then one record per
//! example with as many fields as the header. A field containing a comma, a quote or a line break must be double-quoted, with
//! `""` standing for a literal quote; a quoted text may therefore span lines. `category` is
//! `facility`, `it` or `services` (surrounding spaces and case are tolerated). Blank lines are
//! skipped.

use std::fmt;

use domain::Category;

/// The bundled training corpus, verbatim. Label rules: `data/README.md`.
pub const BUILTIN_CSV: &str = include_str!("../data/train.csv");

/// A record of a labelled CSV file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    /// 1-based line number in the file where the bad record starts (the header is line 1).
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CorpusError {}

/// One CSV record: its fields and the 1-based line it starts on.
struct Record {
    line: usize,
    fields: Vec<String>,
}

/// Splits `csv` into records (RFC 4180), skipping blank lines.
///
/// # Errors
/// [`CorpusError`] for an unterminated quoted field (at the line where the quote opened) and for
/// characters between a closing quote and the next comma or line end.
fn records(csv: &str) -> Result<Vec<Record>, CorpusError> {
    let csv = csv.strip_prefix('\u{feff}').unwrap_or(csv);
    let mut out = Vec::new();
    let mut chars = csv.chars().peekable();
    let mut line = 1usize;
    loop {
        // Skip blank lines between records.
        while let Some(&c) = chars.peek() {
            if c == '\n' {
                line += 1;
                chars.next();
            } else if c == '\r' {
                chars.next();
            } else {
                break;
            }
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        loop {
            if chars.peek() == Some(&'"') && field.is_empty() {
                chars.next();
                let opened = line;
                loop {
                    match chars.next() {
                        None => {
                            return Err(CorpusError {
                                line: opened,
                                message: "unterminated quoted field (the opening `\"` is never closed)"
                                    .into(),
                            });
                        }
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                    }
                }
                match chars.peek() {
                    None | Some(',' | '\n' | '\r') => {}
                    Some(c) => {
                        return Err(CorpusError {
                            line,
                            message: format!(
                                "unexpected `{c}` after a closing quote (expected `,` or a line end)"
                            ),
                        });
                    }
                }
            }
            match chars.next() {
                None => {
                    fields.push(std::mem::take(&mut field));
                    out.push(Record { line: start, fields });
                    return Ok(out);
                }
                Some(',') => fields.push(std::mem::take(&mut field)),
                Some('\n') => {
                    line += 1;
                    fields.push(std::mem::take(&mut field));
                    break;
                }
                Some('\r') if matches!(chars.peek(), Some('\n') | None) => {}
                Some(c) => field.push(c),
            }
        }
        out.push(Record { line: start, fields });
    }
}

/// One labelled example of a corpus file, with the optional tags the corpus uses to measure
/// generalisation (see `data/README.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The ticket text, as written (may span lines).
    pub text: String,
    /// Its label.
    pub category: Category,
    /// The kind of text (`ticket`, `work-order`, `social`, ...) from the `genre` column, if the
    /// file has one and the field is not empty.
    pub genre: Option<String>,
    /// The writing batch the text came from, from the `batch` column, if present and not empty.
    pub batch: Option<String>,
}

/// The columns a labelled file may have, in header order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Text,
    Category,
    Genre,
    Batch,
}

/// Reads the header record: `text` and `category` are required, `genre` and `batch` optional,
/// each at most once, in any order.
fn columns(header: Option<Record>) -> Result<Vec<Column>, CorpusError> {
    let wrong = |found: &str| CorpusError {
        line: 1,
        message: format!(
            "the header must be `text,category` (optionally with `genre` and `batch` columns), found `{found}`"
        ),
    };
    let Some(header) = header.filter(|r| r.line == 1) else { return Err(wrong("nothing")) };
    let mut columns = Vec::with_capacity(header.fields.len());
    for name in &header.fields {
        let column = match name.trim() {
            "text" => Column::Text,
            "category" => Column::Category,
            "genre" => Column::Genre,
            "batch" => Column::Batch,
            _ => return Err(wrong(&header.fields.join(","))),
        };
        if columns.contains(&column) {
            return Err(wrong(&header.fields.join(",")));
        }
        columns.push(column);
    }
    if !columns.contains(&Column::Text) || !columns.contains(&Column::Category) {
        return Err(wrong(&header.fields.join(",")));
    }
    Ok(columns)
}

/// Parses a labelled CSV file (see the module docs) into [`Example`]s in file order.
///
/// # Errors
/// [`CorpusError`] for the first bad record, with its line number: a missing or wrong header, a
/// record without exactly as many fields as the header (a text with a comma must be quoted), an
/// empty text, an unknown category, an unterminated quote or stray characters after a closing
/// quote.
pub fn parse_examples(csv: &str) -> Result<Vec<Example>, CorpusError> {
    let mut records = records(csv)?.into_iter();
    let columns = columns(records.next())?;
    let names = || columns.iter().map(|c| format!("{c:?}").to_lowercase()).collect::<Vec<_>>().join(",");
    let mut examples = Vec::new();
    for Record { line, fields } in records {
        let error = |message: String| CorpusError { line, message };
        if fields.len() != columns.len() {
            return Err(error(format!(
                "expected {} fields ({}), found {}; quote a text that contains a comma",
                columns.len(),
                names(),
                fields.len()
            )));
        }
        let (mut text, mut category, mut genre, mut batch) = (String::new(), String::new(), None, None);
        for (column, field) in columns.iter().zip(fields) {
            let tag = || Some(field.trim().to_owned()).filter(|t| !t.is_empty());
            match column {
                Column::Genre => genre = tag(),
                Column::Batch => batch = tag(),
                Column::Text => text = field,
                Column::Category => category = field,
            }
        }
        if text.trim().is_empty() {
            return Err(error("empty text".into()));
        }
        let category: Category = category.trim().to_lowercase().parse().map_err(|_| {
            error(format!("unknown category `{}` (expected facility, it or services)", category.trim()))
        })?;
        examples.push(Example { text, category, genre, batch });
    }
    Ok(examples)
}

/// [`parse_examples`] without the tags: `(text, category)` pairs in file order.
///
/// # Errors
/// As [`parse_examples`].
pub fn parse_corpus(csv: &str) -> Result<Vec<(String, Category)>, CorpusError> {
    Ok(parse_examples(csv)?.into_iter().map(|e| (e.text, e.category)).collect())
}

/// The bundled training corpus as `(text, category)` pairs, e.g. to retrain with staff
/// corrections added: `Classifier::train_weighted(builtin_corpus().iter().map(|(t, c)|
/// (t.as_str(), *c, 1.0)).chain(corrections))`.
pub fn builtin_corpus() -> Vec<(String, Category)> {
    // A unit test keeps the bundled file clean, so the fallback is never taken.
    parse_corpus(BUILTIN_CSV).unwrap_or_default()
}

/// The bundled training corpus with its genre and batch tags (for the cross-validation tools).
pub fn builtin_examples() -> Vec<Example> {
    // A unit test keeps the bundled file clean, so the fallback is never taken.
    parse_examples(BUILTIN_CSV).unwrap_or_default()
}

/// The held-out corpus `data/heldout.csv`, read from the crate's source directory (tests and
/// examples only: it is not built into the library). `None` when the file is absent.
#[cfg(test)]
pub(crate) fn heldout_corpus() -> Option<Vec<(String, Category)>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/heldout.csv");
    let csv = std::fs::read_to_string(path).ok()?;
    Some(parse_corpus(&csv).unwrap_or_else(|e| panic!("data/heldout.csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(csv: &str) -> Result<usize, String> {
        match parse_corpus(csv) {
            Ok(_) => Err("parsed".into()),
            Err(e) => Ok(e.line),
        }
    }

    #[test]
    fn bundled_corpora_parse_completely_and_are_roughly_balanced() {
        let heldout = heldout_corpus();
        let sets = [("train", Some(parse_corpus(BUILTIN_CSV))), ("heldout", heldout.map(Ok))];
        for (name, examples) in sets {
            let Some(examples) = examples else { continue };
            let examples = examples.unwrap_or_else(|e| panic!("data/{name}.csv: {e}"));
            assert!(examples.len() >= 100, "{name}: only {} examples", examples.len());
            let mut counts = [0usize; 3];
            for (_, c) in &examples {
                counts[c.index()] += 1;
            }
            let min = counts.iter().min().copied().unwrap_or(0);
            let max = counts.iter().max().copied().unwrap_or(0);
            assert!(min * 10 >= max * 7, "{name} unbalanced: {counts:?}");
        }
        assert_eq!(builtin_corpus().len(), parse_corpus(BUILTIN_CSV).map(|e| e.len()).unwrap_or(0));
    }

    #[test]
    fn training_corpus_has_no_duplicate_texts() {
        let mut texts: Vec<String> = builtin_corpus()
            .iter()
            .map(|(t, _)| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
            .collect();
        texts.sort();
        let dupes: Vec<&String> = texts.windows(2).filter(|p| p[0] == p[1]).map(|p| &p[0]).collect();
        assert!(dupes.is_empty(), "duplicated examples: {dupes:?}");
    }

    #[test]
    fn heldout_texts_are_not_in_the_training_corpus() {
        let normal = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        let mut train: Vec<String> = builtin_corpus().iter().map(|(t, _)| normal(t)).collect();
        train.sort();
        let leaked: Vec<String> = heldout_corpus()
            .unwrap_or_default()
            .iter()
            .map(|(t, _)| normal(t))
            .filter(|t| train.binary_search(t).is_ok())
            .collect();
        assert!(leaked.is_empty(), "held-out texts also in train.csv: {leaked:?}");
    }

    #[test]
    fn quoted_bare_multiline_and_crlf_records() {
        let csv = "\u{feff}text,category\r\n\"lift stuck, floor 2\",facility\r\nwifi down,IT\n\n\
                   \"say \"\"hi\"\"\nplease\",services\n";
        let examples = parse_corpus(csv).expect("valid");
        assert_eq!(
            examples,
            vec![
                ("lift stuck, floor 2".to_owned(), Category::Facility),
                ("wifi down".to_owned(), Category::It),
                ("say \"hi\"\nplease".to_owned(), Category::Services),
            ]
        );
    }

    #[test]
    fn genre_and_batch_columns_in_any_order() {
        let csv = "batch,text,genre,category\nb1,\"wifi down, again\",social,it\n,lift stuck,,facility\n";
        let examples = parse_examples(csv).expect("valid");
        assert_eq!(examples[0].text, "wifi down, again");
        assert_eq!(examples[0].category, Category::It);
        assert_eq!(examples[0].genre.as_deref(), Some("social"));
        assert_eq!(examples[0].batch.as_deref(), Some("b1"));
        assert_eq!((examples[1].genre.as_deref(), examples[1].batch.as_deref()), (None, None));
        let e = parse_examples("text,category,genre\nok,it\n").expect_err("2 of 3 fields");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("expected 3 fields (text,category,genre)"), "{e}");
    }

    #[test]
    fn bundled_corpora_are_tagged() {
        let train = builtin_examples();
        assert!(train.iter().all(|e| e.genre.is_some() && e.batch.is_some()));
    }

    #[test]
    fn wrong_header_is_line_1() {
        assert_eq!(line_of("txt,cat\nwifi,it\n"), Ok(1));
        assert_eq!(line_of(""), Ok(1));
        assert_eq!(line_of("text\n"), Ok(1));
        assert_eq!(line_of("\nwifi,it\n"), Ok(1));
        let e = parse_corpus("text,label\n").expect_err("bad header");
        assert!(e.to_string().contains("text,category"), "{e}");
        assert_eq!(line_of("text,category,genre,genre\n"), Ok(1));
        assert_eq!(line_of("genre,batch\n"), Ok(1));
    }

    #[test]
    fn malformed_records_name_their_line() {
        // Wrong field count: a bare comma in the text, or no category at all.
        let e = parse_corpus("text,category\nok,it\nlift stuck, floor 2,facility\n").expect_err("3 fields");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("found 3"), "{e}");
        assert_eq!(line_of("text,category\nok,it\n\nno category here\n"), Ok(4));
        // Unknown category.
        let e = parse_corpus("text,category\nok,it\nbroken,food\n").expect_err("unknown category");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("food"), "{e}");
        // Empty text, quoted or bare.
        assert_eq!(line_of("text,category\n\"\",it\n"), Ok(2));
        assert_eq!(line_of("text,category\nok,it\n  ,services\n"), Ok(3));
        // Unterminated quote: reported where it opened, even after later lines.
        let e = parse_corpus("text,category\nok,it\n\"open,it\nmore,it\n").expect_err("unterminated");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("unterminated"), "{e}");
        // Junk after a closing quote.
        assert_eq!(line_of("text,category\n\"a\"b,it\n"), Ok(2));
        // Line numbers count the lines inside an earlier multi-line text.
        assert_eq!(line_of("text,category\n\"two\nlines\",it\nx,nope\n"), Ok(4));
    }
}
