//! Request and response bodies of the ticket service (`/api/v1`).

use domain::{Attachment, Category, Event, Message, Status, Ticket};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::query;

/// `POST /api/v1/tickets`. Unknown fields are refused.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTicketRequest {
    /// Short title, 1 to 120 characters.
    #[schema(min_length = 1, max_length = 120, pattern = "\\S")]
    pub title: String,
    /// Description, 1 to 5,000 characters.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub description: String,
    /// The reporter's e-mail address for updates (optional; a blank value counts as absent).
    /// When staff post a message or change the status, one e-mail goes to it, with the private
    /// link and an unsubscribe link. Never shown to campus users. Refused with 422 (field
    /// `reporter_email`) when malformed, or when e-mail updates are off (no SMTP server
    /// configured; see `GET /api/v1/email-updates`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 254)]
    pub reporter_email: Option<String>,
}

/// `GET /api/v1/email-updates`: whether reporters can get e-mail updates on this campus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EmailUpdates {
    /// `true` when an SMTP server is configured: the report form offers the e-mail field and
    /// `POST /api/v1/tickets` takes `reporter_email`.
    pub available: bool,
    /// E-mails written but not accepted by the SMTP server yet (due, waiting for a retry, or
    /// being sent).
    pub unsent: i64,
    /// Of those, how many failed at least once (the SMTP server was down or refused them).
    pub failing: i64,
}

/// The reporter's e-mail address of a ticket, in [`TicketView::reporter`] (staff only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReporterEmail {
    /// The address the reporter gave.
    pub address: String,
    /// `false` once the reporter unsubscribed: no more e-mails go to it.
    pub subscribed: bool,
}

/// `POST /api/v1/unsubscribe/{token}`: the reporter of this ticket gets no more e-mails about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Unsubscribed {
    /// The ticket whose e-mails stopped.
    pub ticket_id: i64,
}

/// Response of `POST /api/v1/tickets` (201): the ticket as stored, with its private reporter
/// token. This answer is the only one that ever carries the token: give it to the reporter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CreatedTicket {
    /// The ticket as stored, classified and open (every field of [`Ticket`]).
    #[serde(flatten)]
    pub ticket: Ticket,
    /// The ticket's private reporter token: 22 characters of base64url holding 128 random bits.
    /// Whoever holds it reads the ticket and its thread (closed too) at
    /// `GET /api/v1/reporter/{token}` and replies there; the web UI's reporter page is
    /// `/r/{token}`. No other answer carries it.
    #[schema(min_length = 22, max_length = 22, pattern = "^[A-Za-z0-9_-]{22}$")]
    pub reporter_token: String,
}

/// Response of `GET /api/v1/reporter/{token}`: what the holder of a ticket's private link sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReporterView {
    /// The ticket, in any status (closed included: the reporter learns the outcome).
    pub ticket: Ticket,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
    /// Whether the reporter may reply now: `false` once the ticket is closed (its thread stays
    /// readable).
    pub can_reply: bool,
    /// The attachments of the ticket and its messages, oldest first (metadata; the holder of
    /// the link fetches the files at `GET /api/v1/reporter/{token}/attachments/{id}`).
    #[serde(default)]
    pub attachments: Vec<domain::Attachment>,
}

/// `POST /api/v1/reporter/lookup`: the private tokens a browser holds. Unknown fields are
/// refused.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReporterLookupRequest {
    /// Up to 100 tokens, in the order the answer should follow.
    #[schema(max_items = 100)]
    pub tokens: Vec<String>,
}

/// One ticket of `POST /api/v1/reporter/lookup`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReporterTicket {
    /// The token it was found by (one of the request's).
    pub token: String,
    /// The ticket, in any status.
    pub ticket: Ticket,
}

/// `PATCH /api/v1/tickets/{id}`: fields left out stay as they are. Unknown fields are refused.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTicketRequest {
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New category; staff only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The version the edit is based on; a stale one gets 409.
    pub version: i64,
}

/// `POST /api/v1/tickets/{id}/status`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// The status to move to: `active` (from `open`) or `closed` (from `active`).
    pub status: Status,
}

/// `POST /api/v1/tickets/{id}/category/confirm` (staff): the category the ticket has is right.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmCategoryRequest {
    /// The version the confirmation is based on; a stale one gets 409.
    pub version: i64,
}

/// Response of `GET /api/v1/tickets/{id}/view`: everything a ticket page shows, read in one
/// snapshot, with what the caller may do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketView {
    /// The ticket. For an automatic category reported before campusdesk kept the deciding
    /// words, `category_terms` holds the words the current model finds.
    pub ticket: Ticket,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
    /// Its event log, oldest first (as `GET /api/v1/tickets/{id}/events` gives it).
    pub events: Vec<Event>,
    /// The statuses the caller may move the ticket to now (empty for campus users and for a
    /// closed ticket).
    pub transitions: Vec<Status>,
    /// Until when the caller may undo the ticket's closing with
    /// `POST /api/v1/tickets/{id}/undo-close` (UTC): only for staff, on a ticket closed less
    /// than the undo window ago (5 minutes by default); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo_close_until: Option<Timestamp>,
    /// Whether the caller may confirm the category now: staff, and a category that staff have
    /// not set or confirmed yet.
    pub can_confirm_category: bool,
    /// The reporter's e-mail address: only for staff, and only when the reporter gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<ReporterEmail>,
    /// The attachments of the ticket and its messages, oldest first (metadata; the files are
    /// served by `GET /api/v1/attachments/{id}`).
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// `POST /api/v1/tickets/{id}/messages`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessageRequest {
    /// The text, 1 to 5,000 characters.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub body: String,
}

/// Query of `GET /api/v1/tickets`: what the typed client sends and the ticket service reads.
/// Empty or blank values count as absent; unknown parameters are refused (400).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TicketListQuery {
    /// Only this status (`open`, `active`, `closed`; any letter case).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "query::optional")]
    #[param(nullable = false)]
    pub status: Option<Status>,
    /// Only this category (`facility`, `it`, `services`; any letter case).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "query::optional")]
    #[param(nullable = false)]
    pub category: Option<Category>,
    /// Text to find in title or description (surrounding white space dropped).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "query::optional")]
    #[param(max_length = 200, nullable = false)]
    pub q: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "query::optional_whole_number"
    )]
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub limit: Option<u32>,
    /// `next_cursor` or `prev_cursor` of a page of the same list (same filters and `sort`).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "query::optional")]
    #[param(nullable = false)]
    pub cursor: Option<String>,
    /// The order: `opened`, `updated` (last modified), `status` or `category` (by the name, in
    /// alphabetical order), ascending; with a leading `-`, descending. Ties are broken by
    /// `opened_at`, then `id`, in the same direction. Default `-opened` (newest first).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "query::optional")]
    #[param(nullable = false, pattern = "^-?(opened|updated|status|category)$", example = "-updated")]
    pub sort: Option<String>,
}

/// Response of `GET /api/v1/tickets`: one page, in the order `sort` asked for.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketPage {
    /// The tickets of this page.
    pub items: Vec<Ticket>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `cursor` for the previous page; `null` on the first page.
    #[serde(default)]
    pub prev_cursor: Option<String>,
    /// The number of this page, from 1, when known (always on the first page and on pages
    /// reached by the cursors from there).
    #[serde(default)]
    pub page: Option<u32>,
    /// How many pages of this size the list holds: `total` divided by the page size, rounded
    /// up (at least 1); an estimate when `total` is.
    #[serde(default)]
    pub page_count: u32,
    /// How many tickets the list holds over every page (the cursor does not change it).
    pub total: i64,
    /// `true` when `total` is exact (every list without `q`); `false` with a search, where
    /// `total` is an estimate: the tickets whose text matches the words, counted up to 10,000,
    /// before the `status` and `category` filters; or, on PostgreSQL when the words are
    /// common, the database's estimate of the matches from its statistics.
    pub total_exact: bool,
}

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Change {
    /// Position in the feed, increasing in commit order.
    pub seq: i64,
    /// The ticket as it is after the change.
    pub ticket: Ticket,
    /// The metadata of every attachment of the ticket and its messages, oldest first (the
    /// bytes are served by `GET /api/v1/attachments/{id}`).
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// Response of `GET /api/v1/changes?after=SEQ&limit=N`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChangePage {
    /// Changes with `seq > after`, in commit order.
    pub changes: Vec<Change>,
    /// The cursor to pass as `after` next time: the last `seq` returned, or `after` itself when
    /// there was nothing new.
    pub next: i64,
}

/// Query of `GET /api/v1/changes`. Empty values count as absent; unknown parameters are
/// refused (400).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangeFeedQuery {
    /// Return changes with `seq > after`; 0 or more (default 0).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "query::optional_whole_number"
    )]
    #[param(minimum = 0, nullable = false)]
    pub after: Option<i64>,
    /// Page size, 1 to 1000 (default 100).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "query::optional_whole_number"
    )]
    #[param(minimum = 1, maximum = 1000, nullable = false)]
    pub limit: Option<u32>,
}

/// Query of `GET /api/v1/changes/stream`. An empty value counts as absent; unknown parameters
/// (`limit` included: a stream has no pages) are refused (400).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangeStreamQuery {
    /// Start after this `seq`; 0 or more. Without it, the `Last-Event-ID` header, else 0.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "query::optional_whole_number"
    )]
    #[param(minimum = 0, nullable = false)]
    pub after: Option<i64>,
}

/// `POST /api/v1/classify`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// The text to categorise (title and description together, for instance), 1 to 5,121
    /// characters.
    #[schema(min_length = 1, max_length = 5121, pattern = "\\S")]
    pub text: String,
}

/// Response of `POST /api/v1/classify`, and what a ticket's category came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Classification {
    /// The most likely category.
    pub category: Category,
    /// Its probability, 0.0 to 1.0.
    pub confidence: f64,
    /// The words that pushed the decision most, strongest first.
    pub terms: Vec<String>,
}

/// Response of `GET /api/v1/classifier`: the model in use and how well automatic categories
/// hold up against staff corrections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClassifierStatus {
    /// When the model in use was trained (UTC); for the model the service started with, when
    /// the service started.
    pub trained_at: jiff::Timestamp,
    /// Distinct texts the model in use was trained on: the bundled corpus plus the corrected
    /// texts it has learned (each counted once, whatever its weight).
    pub training_examples: usize,
    /// Staff corrections recorded so far, on any ticket (a ticket re-categorised twice counts
    /// twice).
    pub corrections: i64,
    /// Distinct corrected tickets: the model learns the latest correction of each.
    pub corrected_texts: usize,
    /// Tickets whose category the classifier chose when they entered campusdesk.
    pub auto_categorised: i64,
    /// Of those, how many staff re-categorised away from the classifier's choice.
    pub corrected: i64,
    /// `1 - corrected / auto_categorised`, 0.0 to 1.0; `null` while nothing was categorised
    /// automatically.
    pub auto_accuracy: Option<f64>,
    /// Of the `corrected_texts`, how many the model in use now files under the category staff
    /// chose.
    pub corrections_now_right: usize,
    /// Whether a retraining on the latest corrections is running now.
    pub retraining: bool,
}

/// Response of `POST /api/v1/import`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// How many tickets were imported.
    pub imported: usize,
    /// Their new ids, in file order.
    pub ids: Vec<i64>,
}
