//! The rows both backends read, as `sqlx::FromRow` structs, and their conversion into domain
//! records. Enums are stored as their `as_str()` names and parsed back here; a name that does
//! not parse is a [`StoreError::Backend`] naming the column (`store::decode`).

use domain::{Event, Message, Ticket};
use store::decode::{event_kind, text};
use store::{Change, Correction, FeedEntry, StoreError};

use crate::Instant;

/// Columns of `tickets` that make a [`Ticket`], in [`TicketRow`]'s order.
pub(crate) const TICKET_COLUMNS: &str = "id, title, description, category, category_source, \
     category_confidence, category_terms, needs_check, status, opened_at, updated_at, closed_at, \
     version, message_count";

/// [`TICKET_COLUMNS`] prefixed with the table alias `t.`, for joins.
pub(crate) const TICKET_COLUMNS_OF_T: &str = "t.id, t.title, t.description, t.category, \
     t.category_source, t.category_confidence, t.category_terms, t.needs_check, t.status, \
     t.opened_at, t.updated_at, t.closed_at, t.version, t.message_count";

/// How [`Ticket::category_terms`] is stored: the words joined by newlines (a word never holds
/// one); empty for none.
pub(crate) fn join_terms(terms: &[String]) -> String {
    terms.join("\n")
}

/// Columns of `messages`, in [`MessageRow`]'s order.
pub(crate) const MESSAGE_COLUMNS: &str = "id, ticket_id, author_role, author_name, body, created_at";

/// Columns of `events`, in [`EventRow`]'s order.
pub(crate) const EVENT_COLUMNS: &str =
    "id, ticket_id, kind, actor_role, actor_name, from_value, to_value, at";

/// Columns of `category_corrections`, in [`CorrectionRow`]'s order.
pub(crate) const CORRECTION_COLUMNS: &str =
    "id, ticket_id, text, from_category, to_category, from_source, actor_name, corrected_at";

/// One row of `tickets` ([`TICKET_COLUMNS`]).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct TicketRow {
    id: i64,
    title: String,
    description: String,
    category: String,
    category_source: String,
    category_confidence: f64,
    category_terms: String,
    needs_check: bool,
    status: String,
    opened_at: Instant,
    updated_at: Instant,
    closed_at: Option<Instant>,
    version: i64,
    message_count: i64,
}

impl TicketRow {
    pub(crate) fn into_ticket(self) -> Result<Ticket, StoreError> {
        Ok(Ticket {
            id: self.id,
            title: self.title,
            description: self.description,
            category: text(&self.category, "category")?,
            category_source: text(&self.category_source, "category_source")?,
            category_confidence: self.category_confidence,
            category_terms: self
                .category_terms
                .split('\n')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            needs_check: self.needs_check,
            status: text(&self.status, "status")?,
            opened_at: self.opened_at.0,
            updated_at: self.updated_at.0,
            closed_at: self.closed_at.map(|at| at.0),
            version: self.version,
            message_count: self.message_count,
        })
    }
}

/// A ticket with whether the classifier chose its category, for an export.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ExportedTicketRow {
    #[sqlx(flatten)]
    pub(crate) ticket: TicketRow,
    pub(crate) auto_categorised: bool,
}

/// One change feed entry joined with its ticket.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ChangeRow {
    seq: i64,
    #[sqlx(flatten)]
    ticket: TicketRow,
}

impl ChangeRow {
    pub(crate) fn into_change(self) -> Result<Change, StoreError> {
        Ok(Change { seq: self.seq, ticket: self.ticket.into_ticket()?, attachments: Vec::new() })
    }
}

/// One row of `changes`.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct FeedRow {
    seq: i64,
    ticket_id: i64,
}

impl From<FeedRow> for FeedEntry {
    fn from(row: FeedRow) -> Self {
        FeedEntry { seq: row.seq, ticket_id: row.ticket_id }
    }
}

/// One row of `messages` ([`MESSAGE_COLUMNS`]).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct MessageRow {
    id: i64,
    ticket_id: i64,
    author_role: String,
    author_name: Option<String>,
    body: String,
    created_at: Instant,
}

impl MessageRow {
    pub(crate) fn into_message(self) -> Result<Message, StoreError> {
        Ok(Message {
            id: self.id,
            ticket_id: self.ticket_id,
            author_role: text(&self.author_role, "author_role")?,
            author_name: self.author_name,
            body: self.body,
            created_at: self.created_at.0,
        })
    }
}

/// One row of `events` ([`EVENT_COLUMNS`]).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EventRow {
    id: i64,
    ticket_id: i64,
    kind: String,
    actor_role: String,
    actor_name: Option<String>,
    from_value: Option<String>,
    to_value: Option<String>,
    at: Instant,
}

impl EventRow {
    pub(crate) fn into_event(self) -> Result<Event, StoreError> {
        Ok(Event {
            id: self.id,
            ticket_id: self.ticket_id,
            kind: event_kind(&self.kind)?,
            actor_role: text(&self.actor_role, "actor_role")?,
            actor_name: self.actor_name,
            from: self.from_value,
            to: self.to_value,
            at: self.at.0,
        })
    }
}

/// One row of `category_corrections` ([`CORRECTION_COLUMNS`]).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CorrectionRow {
    id: i64,
    ticket_id: i64,
    text: String,
    from_category: String,
    to_category: String,
    from_source: String,
    actor_name: Option<String>,
    corrected_at: Instant,
}

impl CorrectionRow {
    pub(crate) fn into_correction(self) -> Result<Correction, StoreError> {
        Ok(Correction {
            id: self.id,
            ticket_id: self.ticket_id,
            text: self.text,
            from_category: text(&self.from_category, "from_category")?,
            to_category: text(&self.to_category, "to_category")?,
            from_source: text(&self.from_source, "from_source")?,
            actor_name: self.actor_name,
            corrected_at: self.corrected_at.0,
        })
    }
}

/// Converts every row with `convert`, stopping at the first that fails.
pub(crate) fn convert_all<R, T>(
    rows: Vec<R>,
    convert: impl Fn(R) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    rows.into_iter().map(convert).collect()
}
