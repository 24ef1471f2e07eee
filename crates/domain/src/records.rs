//! The records campusdesk stores and exchanges: tickets, messages and the event log.
//!
//! These are also the wire shapes of the ticket service's JSON API (see `docs/api.md`).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{AuthorName, Category, CategorySource, Role, Status};

/// Who did something: a declared role and an optional display name (no login, by requirement).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actor {
    /// The declared role.
    pub role: Role,
    /// The display name, if one was given.
    pub name: Option<AuthorName>,
}

impl Actor {
    /// A staff actor with no name, e.g. for imports and demo data.
    pub fn staff() -> Self {
        Actor { role: Role::Staff, name: None }
    }
}

/// A ticket as stored and as served by `GET /api/v1/tickets/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ticket {
    /// Unique, positive, assigned by the store.
    pub id: i64,
    /// Short title, 1 to 120 characters.
    pub title: String,
    /// Free-text description, 1 to 5,000 characters.
    pub description: String,
    /// What the ticket is about.
    pub category: Category,
    /// Who set `category`.
    pub category_source: CategorySource,
    /// The classifier's confidence in its category at creation, 0.0 to 1.0 (1.0 when staff set it).
    pub category_confidence: f64,
    /// The words that decided an automatic category, strongest first, as the classifier gave
    /// them when it chose the category (at creation, or at an import that left the category to
    /// it). Empty when staff or an imported file set the category, and for tickets reported
    /// before campusdesk kept them (the ticket service then explains on request).
    #[serde(default)]
    pub category_terms: Vec<String>,
    /// Whether staff should check the category: the classifier chose it with a confidence under
    /// its threshold (`classifier::UNCERTAIN_BELOW`, 0.7) and no staff member has set or
    /// confirmed a category since. Decided by the ticket service when it classifies.
    #[serde(default)]
    pub needs_check: bool,
    /// Where the ticket is in its life.
    pub status: Status,
    /// When it was reported (UTC).
    pub opened_at: Timestamp,
    /// Last edit, transition or message (UTC).
    pub updated_at: Timestamp,
    /// When it was closed (UTC); `None` unless `status` is `closed`.
    pub closed_at: Option<Timestamp>,
    /// Optimistic-concurrency version of the editable fields: starts at 1, +1 on every edit that
    /// changes the title, the description or the category. Status transitions and messages leave
    /// it alone (transitions are guarded by the state machine instead), so they never make an
    /// open edit form stale. An edit naming an older version is refused with 409.
    pub version: i64,
    /// Number of messages in the ticket's thread.
    pub message_count: i64,
}

/// One message in a ticket's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Message {
    /// Unique, positive, assigned by the store; increases in posting order.
    pub id: i64,
    /// The ticket the message belongs to.
    pub ticket_id: i64,
    /// The role the author declared.
    pub author_role: Role,
    /// The author's display name, if given.
    pub author_name: Option<String>,
    /// The text, 1 to 5,000 characters.
    pub body: String,
    /// When it was posted (UTC).
    pub created_at: Timestamp,
}

/// What an [`Event`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The ticket was reported (or imported). `to` holds the status it started in.
    Created,
    /// Title and/or description changed. `from`/`to` name the fields changed.
    Edited,
    /// Status changed. `from`/`to` are statuses.
    StatusChanged,
    /// Category changed. `from`/`to` are categories.
    CategoryChanged,
    /// A message was posted. `to` holds the message id.
    MessagePosted,
}

impl EventKind {
    /// The database name, e.g. `status_changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Edited => "edited",
            EventKind::StatusChanged => "status_changed",
            EventKind::CategoryChanged => "category_changed",
            EventKind::MessagePosted => "message_posted",
        }
    }

    /// Parses [`EventKind::as_str`]'s output; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        [
            EventKind::Created,
            EventKind::Edited,
            EventKind::StatusChanged,
            EventKind::CategoryChanged,
            EventKind::MessagePosted,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One entry of a ticket's append-only event log: who did what, when, from what to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Event {
    /// Unique, increasing in commit order within one store.
    pub id: i64,
    /// The ticket concerned.
    pub ticket_id: i64,
    /// What happened.
    pub kind: EventKind,
    /// The role of whoever did it.
    pub actor_role: Role,
    /// Their display name, if given.
    pub actor_name: Option<String>,
    /// The value before, where that makes sense (e.g. `"open"`).
    pub from: Option<String>,
    /// The value after (e.g. `"active"`).
    pub to: Option<String>,
    /// When (UTC).
    pub at: Timestamp,
}

/// A photo or file attached to a ticket at its report, or to one of its messages: the
/// metadata, as stored and as served (`GET /api/v1/tickets/{id}/attachments`, the change feed).
/// The bytes are served by `GET /api/v1/attachments/{id}`, never inside this record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Attachment {
    /// Unique, positive, assigned by the store; increases in upload order.
    pub id: i64,
    /// The ticket it belongs to.
    pub ticket_id: i64,
    /// The message it came with; `None` when it came with the ticket's report.
    pub message_id: Option<i64>,
    /// The file name the uploader gave, cleaned to one line of at most 200 characters (no path,
    /// no control characters); only ever shown, never used to pick a type.
    pub file_name: String,
    /// The type detected from the content by the ticket service (`image/png`, `image/jpeg`,
    /// `application/pdf`), never the name or the client's claim.
    pub content_type: String,
    /// The file's size in bytes (1 or more).
    pub size: i64,
    /// The SHA-256 digest of the bytes, lower-case hex (64 characters).
    pub sha256: String,
    /// The SHA-256 of the thumbnail (a JPEG of at most 320 x 320 pixels), for images; `None`
    /// for other files.
    pub thumbnail_sha256: Option<String>,
    /// When it was uploaded (UTC).
    pub created_at: Timestamp,
}

impl Attachment {
    /// Whether the file is an image shown inline (and has a thumbnail): `image/png` or
    /// `image/jpeg`.
    pub fn is_image(&self) -> bool {
        matches!(self.content_type.as_str(), "image/png" | "image/jpeg")
    }
}
