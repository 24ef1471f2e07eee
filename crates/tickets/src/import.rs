//! Parsing of the import CSV file (`POST /api/v1/import`) into [`store::ImportedTicket`]s.
//!
//! The file is UTF-8 CSV (RFC 4180 quoting) whose header line is
//!
//! ```text
//! title,description,status,opened_at,closed_at[,category][,thread]
//! ```
//!
//! - `title`, `description`: 1 to 120 and 1 to 5,000 characters (surrounding white space
//!   trimmed);
//! - `status`: `open`, `active` or `closed`;
//! - `opened_at`, `closed_at`: RFC 3339 with an offset (`2026-03-02T10:15:00Z`,
//!   `2026-03-02T11:15:00+01:00`), stored as UTC; `closed_at` is required for a `closed`
//!   ticket, must not be before `opened_at`, and must be empty otherwise;
//! - `category` (optional column): `facility`, `it`, `services`, or empty to let the
//!   classifier decide (source `auto`; a named one gets source `import`);
//! - `thread` (optional column, a campusdesk extension): the ticket's messages, one per line,
//!   `[time] role (Name): body` as described in the thread format (time optional: a message
//!   without one is dated like the message before it, the first like `opened_at`). Message
//!   times must lie between `opened_at` and `closed_at` (if any), oldest first.
//!
//! The file is checked completely before anything is stored: the first bad row refuses the
//! whole file with an [`ImportError`] naming the row.

use std::sync::atomic::{AtomicI64, Ordering};

use classifier::Classifier;
use domain::{Category, CategorySource, Description, Status, Title};
use jiff::Timestamp;
use store::{ImportedMessage, ImportedTicket};

use crate::thread::{parse_thread, parse_time};

/// The columns of an import file, in order; the last two are optional.
pub const COLUMNS: [&str; 7] =
    ["title", "description", "status", "opened_at", "closed_at", "category", "thread"];

/// Why an import file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", if *.row == 0 { message.clone() } else { format!("row {row}: {message}") })]
pub struct ImportError {
    /// The 1-based data row at fault (the header is not counted, so the first ticket is row
    /// 1); 0 when the problem is the file as a whole (missing header, no rows).
    pub row: usize,
    /// What is wrong, as a sentence.
    pub message: String,
}

impl ImportError {
    fn file(message: impl Into<String>) -> Self {
        ImportError { row: 0, message: message.into() }
    }
}

/// How far [`parse_import_csv_counting`] has come, readable from other threads while it runs.
#[derive(Debug)]
pub struct ImportCounters {
    /// How many tickets the file holds: -1 until every row has been read.
    pub total: AtomicI64,
    /// Rows checked: read and valid, and classified where the file leaves the category empty.
    pub checked: AtomicI64,
}

impl Default for ImportCounters {
    fn default() -> Self {
        ImportCounters { total: AtomicI64::new(-1), checked: AtomicI64::new(0) }
    }
}

impl ImportCounters {
    /// `(total, checked)` now; `total` is `None` until the file has been read.
    pub fn read(&self) -> (Option<i64>, i64) {
        let total = self.total.load(Ordering::Relaxed);
        ((total >= 0).then_some(total), self.checked.load(Ordering::Relaxed))
    }
}

/// Parses an import file and returns its tickets in file order, with categories classified by
/// `classifier` (on `title + "\n" + description`) where the file leaves them empty.
///
/// Errors: [`ImportError`] for a missing or wrong header, a file without tickets, or the first
/// row with a wrong column count, an invalid text, status, time or category, inconsistent
/// status and times ([`store::check_imported`]) or an invalid thread.
pub fn parse_import_csv(text: &str, classifier: &Classifier) -> Result<Vec<ImportedTicket>, ImportError> {
    parse_import_csv_counting(text, classifier, &ImportCounters::default())
}

/// [`parse_import_csv`], counting its progress in `counters`: `total` once every row is read
/// (the rows are read first, then classified), `checked` as rows are classified.
///
/// Errors: as [`parse_import_csv`].
pub fn parse_import_csv_counting(
    text: &str,
    classifier: &Classifier,
    counters: &ImportCounters,
) -> Result<Vec<ImportedTicket>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let expected_header = || format!("the first line must be the header {}", COLUMNS.join(","));
    let header = match records.next() {
        None => return Err(ImportError::file(format!("the file is empty; {}", expected_header()))),
        Some(Err(e)) => return Err(ImportError::file(format!("the header could not be read ({e})"))),
        Some(Ok(header)) => header,
    };
    let names: Vec<String> = header.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    if names.len() < 5 || names.len() > COLUMNS.len() || names.iter().zip(COLUMNS).any(|(n, c)| n != c) {
        return Err(ImportError::file(format!(
            "{} (the last two columns are optional); found {}",
            expected_header(),
            names.join(",")
        )));
    }
    let mut tickets = Vec::new();
    for (index, record) in records.enumerate() {
        let row = index + 1;
        let record =
            record.map_err(|e| ImportError { row, message: format!("the row could not be read ({e})") })?;
        if record.len() != names.len() {
            return Err(ImportError {
                row,
                message: format!("it has {} columns but the header has {}", record.len(), names.len()),
            });
        }
        let ticket = parse_row(&record).map_err(|message| ImportError { row, message })?;
        tickets.push(ticket);
    }
    if tickets.is_empty() {
        return Err(ImportError::file("the file has a header but no tickets"));
    }
    let total = i64::try_from(tickets.len()).unwrap_or(i64::MAX);
    let named = tickets.iter().filter(|ticket| ticket.category_source != CategorySource::Auto).count();
    counters.checked.store(i64::try_from(named).unwrap_or(i64::MAX), Ordering::Relaxed);
    counters.total.store(total, Ordering::Relaxed);
    classify_all(&mut tickets, classifier, &counters.checked);
    Ok(tickets)
}

/// Classifies the tickets left to the classifier (on `title + "\n" + description`), split
/// over one thread per core: each answer depends on its own text only, so the split cannot
/// change one.
fn classify_all(tickets: &mut [ImportedTicket], classifier: &Classifier, checked: &AtomicI64) {
    let mut targets: Vec<&mut ImportedTicket> =
        tickets.iter_mut().filter(|ticket| ticket.category_source == CategorySource::Auto).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = targets.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for chunk in targets.chunks_mut(per_thread) {
            scope.spawn(move || {
                for ticket in chunk {
                    classify(ticket, classifier);
                    checked.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
}

/// Sets the category of `ticket` from the classifier's answer on its text.
fn classify(ticket: &mut ImportedTicket, classifier: &Classifier) {
    let text = domain::classifier_input(ticket.title.as_str(), ticket.description.as_str());
    let prediction = classifier.classify(&text);
    ticket.category = prediction.category;
    ticket.category_confidence = prediction.confidence;
    ticket.needs_check = prediction.is_uncertain();
    ticket.category_terms = prediction.terms;
}

/// One row as a ticket; an empty category leaves the ticket marked `CategorySource::Auto`, to
/// be classified once every row has been read.
fn parse_row(record: &csv::StringRecord) -> Result<ImportedTicket, String> {
    let field = |i: usize| record.get(i).unwrap_or("");
    let title = Title::parse(field(0)).map_err(|e| e.to_string())?;
    let description = Description::parse(field(1)).map_err(|e| e.to_string())?;
    let status: Status = field(2).parse().map_err(|e: domain::ParseEnumError| e.to_string())?;
    let opened_at = parse_time(field(3).trim()).map_err(|e| format!("opened_at {e}"))?;
    let closed_at = match field(4).trim() {
        "" => None,
        raw => Some(parse_time(raw).map_err(|e| format!("closed_at {e}"))?),
    };
    let mut ticket = ImportedTicket {
        title,
        description,
        category: Category::Services,
        category_source: CategorySource::Import,
        category_confidence: 1.0,
        category_terms: Vec::new(),
        needs_check: false,
        status,
        opened_at,
        closed_at,
        messages: Vec::new(),
    };
    match field(5).trim() {
        "" => ticket.category_source = CategorySource::Auto,
        raw => ticket.category = raw.parse::<Category>().map_err(|e| e.to_string())?,
    }
    store::check_imported(&ticket)?;
    ticket.messages = parse_messages(field(6), opened_at, closed_at)?;
    Ok(ticket)
}

/// The thread column's messages, dated and checked against the ticket's times.
fn parse_messages(
    text: &str,
    opened_at: Timestamp,
    closed_at: Option<Timestamp>,
) -> Result<Vec<ImportedMessage>, String> {
    let mut previous = opened_at;
    let mut messages = Vec::new();
    for (n, line) in parse_thread(text)?.into_iter().enumerate() {
        let created_at = line.at.unwrap_or(previous);
        let which = n + 1;
        if created_at < opened_at {
            return Err(format!(
                "message {which} of the thread is dated {created_at}, before opened_at {opened_at}"
            ));
        }
        if created_at < previous {
            return Err(format!(
                "message {which} of the thread is dated {created_at}, before the message above it"
            ));
        }
        if let Some(closed) = closed_at.filter(|closed| created_at > *closed) {
            return Err(format!(
                "message {which} of the thread is dated {created_at}, after closed_at {closed}"
            ));
        }
        previous = created_at;
        messages.push(ImportedMessage { author: line.author, body: line.body, created_at });
    }
    Ok(messages)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use domain::Role;

    const HEADER: &str = "title,description,status,opened_at,closed_at,category,thread\n";

    fn parse(body: &str) -> Result<Vec<ImportedTicket>, ImportError> {
        parse_import_csv(&format!("{HEADER}{body}"), &Classifier::builtin())
    }

    fn err(body: &str) -> ImportError {
        parse(body).unwrap_err()
    }

    #[test]
    fn good_file_with_every_column() {
        let tickets = parse(concat!(
            "Lift stuck,The lift in B is stuck,open,2026-03-02T10:15:00Z,,facility,\n",
            "\"Printer, 2nd floor\",\"Out of toner.\nAgain.\",active,2026-03-01T09:00:00Z,,,\"user: please hurry\n[2026-03-01T10:00:00Z] staff (Ana): on my way\"\n",
            "Canteen closed,No food at noon,closed,2026-02-01T12:00:00+01:00,2026-02-03T12:00:00+01:00,services,\n",
        ))
        .unwrap();
        assert_eq!(tickets.len(), 3);
        assert_eq!(tickets[0].status, Status::Open);
        assert_eq!(tickets[0].category, Category::Facility);
        assert_eq!(tickets[0].category_source, CategorySource::Import);
        assert_eq!(tickets[1].title.as_str(), "Printer, 2nd floor");
        assert_eq!(tickets[1].description.as_str(), "Out of toner.\nAgain.");
        assert_eq!(tickets[1].category_source, CategorySource::Auto);
        assert_eq!(tickets[1].category, Category::It, "the empty category was classified");
        assert!(!tickets[1].category_terms.is_empty());
        assert_eq!(tickets[1].messages.len(), 2);
        assert_eq!(tickets[1].messages[0].created_at, tickets[1].opened_at);
        assert_eq!(tickets[1].messages[1].author.role, Role::Staff);
        assert_eq!(tickets[1].messages[1].author.name.as_ref().unwrap().as_str(), "Ana");
        assert_eq!(tickets[2].closed_at.unwrap().to_string(), "2026-02-03T11:00:00Z");
    }

    #[test]
    fn rows_classified_in_parallel_get_the_classifier_s_own_answers() {
        let texts = ["Wifi drops in the library", "No heating in B204", "Cold soup at the canteen"];
        let mut file = String::new();
        for n in 0..60 {
            file.push_str(&format!("{} {n},{},open,2026-01-01T00:00:00Z,,,\n", texts[n % 3], texts[n % 3]));
        }
        let classifier = Classifier::builtin();
        let tickets = parse(&file).unwrap();
        for ticket in &tickets {
            let text = domain::classifier_input(ticket.title.as_str(), ticket.description.as_str());
            let alone = classifier.classify(&text);
            assert_eq!((ticket.category, ticket.category_confidence), (alone.category, alone.confidence));
            assert_eq!(ticket.category_terms, alone.terms);
        }
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        let tickets = parse("A,B,open,2026-07-01T08:30:00+02:00,,,\n").unwrap();
        assert_eq!(tickets[0].opened_at.to_string(), "2026-07-01T06:30:00Z");
    }

    #[test]
    fn the_optional_columns_may_be_left_out() {
        let text = "title,description,status,opened_at,closed_at\nA,B,active,2026-01-01T00:00:00Z,\n";
        let tickets = parse_import_csv(text, &Classifier::builtin()).unwrap();
        assert_eq!(tickets[0].category_source, CategorySource::Auto);
        assert!(tickets[0].messages.is_empty());
    }

    #[test]
    fn each_kind_of_bad_row_names_its_row() {
        let good = "A,B,open,2026-01-01T00:00:00Z,,,\n";
        let cases = [
            ("A,B,urgent,2026-01-01T00:00:00Z,,,\n", "\"urgent\" is not a valid status"),
            ("A,B,open,yesterday,,,\n", "opened_at \"yesterday\" is not an RFC 3339 time"),
            ("A,B,open,2026-01-01T00:00:00,,,\n", "with an offset"),
            ("A,   ,open,2026-01-01T00:00:00Z,,,\n", "description must not be empty"),
            ("A,B,closed,2026-01-01T00:00:00Z,,,\n", "a closed ticket needs closed_at"),
            ("A,B,closed,2026-01-02T00:00:00Z,2026-01-01T00:00:00Z,,\n", "is before opened_at"),
            ("A,B,open,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,,\n", "must not have closed_at"),
            ("A,B,open,2026-01-01T00:00:00Z,,,,\n", "it has 8 columns but the header has 7"),
            ("A,B,open,2026-01-01T00:00:00Z\n", "it has 4 columns"),
            ("A,B,open,2026-01-01T00:00:00Z,,kitchen,\n", "\"kitchen\" is not a valid category"),
            ("A,B,open,2026-01-01T00:00:00Z,,,boss: hi\n", "thread line 1"),
            ("A,B,open,2026-01-01T00:00:00Z,,,[2025-12-31T00:00:00Z] user: hi\n", "before opened_at"),
            (
                "A,B,closed,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,,[2026-01-03T00:00:00Z] user: hi\n",
                "after closed_at",
            ),
        ];
        for (bad, expected) in cases {
            let e = err(&format!("{good}{good}{bad}{good}"));
            assert_eq!(e.row, 3, "{bad}: {e}");
            assert!(e.message.contains(expected), "{bad}: {e}");
            assert!(e.to_string().starts_with("row 3: "), "{e}");
        }
        let long_title = "x".repeat(121);
        let e = err(&format!("{long_title},B,open,2026-01-01T00:00:00Z,,,\n"));
        assert_eq!((e.row, e.message.as_str()), (1, "title is 121 characters long; at most 120 are allowed"));
    }

    #[test]
    fn rows_are_counted_not_lines() {
        let e = err(
            "\"A\",\"multi\nline\ndescription\",open,2026-01-01T00:00:00Z,,,\nA,B,shut,2026-01-01T00:00:00Z,,,\n",
        );
        assert_eq!(e.row, 2);
    }

    #[test]
    fn the_file_needs_the_header_and_at_least_one_ticket() {
        let classifier = Classifier::builtin();
        assert_eq!(parse_import_csv("", &classifier).unwrap_err().row, 0);
        let e = parse_import_csv(HEADER, &classifier).unwrap_err();
        assert_eq!(e.to_string(), "the file has a header but no tickets");
        let e = parse_import_csv("name,text\nA,B\n", &classifier).unwrap_err();
        assert!(e.to_string().contains("title,description,status,opened_at,closed_at"), "{e}");
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_are_fine() {
        let text =
            "\u{feff}title,description,status,opened_at,closed_at\r\nA,B,open,2026-01-01T00:00:00Z,\r\n";
        assert_eq!(parse_import_csv(text, &Classifier::builtin()).unwrap().len(), 1);
    }
}
