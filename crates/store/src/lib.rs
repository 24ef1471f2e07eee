//! The storage seam of campusdesk: the [`TicketStore`] trait every backend implements, the
//! inputs and outputs of its operations, [`StoreError`], and the backend-neutral test suite
//! (`suite`, behind the `testing` feature, so production builds leave it out) that every
//! backend must pass.
//!
//! Only the ticket service talks to a store; everything else goes through its HTTP API.
//! All instants are UTC ([`jiff::Timestamp`]); backends keep them to the microsecond.

use async_trait::async_trait;
use domain::{
    Actor, Attachment, Category, CategorySource, Description, Event, Message, MessageBody, Status, Ticket,
    Title, TransitionError,
};
use jiff::Timestamp;

pub mod decode;
pub mod jobs;
pub mod list;
pub mod outbox;
pub mod plan;
pub mod reporter;
pub mod search;
mod snapshot;

pub use jobs::{ImportJob, ImportState, NewImportJob};
pub use list::{SortField, SortKey, TicketCursor, TicketSort, UnknownSort};
pub use outbox::{NewSubscription, Notification, NotificationKind, OutboxStatus, Subscription};
pub use reporter::ReporterLink;
pub use snapshot::{Blob, Counts, FeedEntry, Snapshot, not_empty_message};
#[cfg(feature = "testing")]
pub mod suite;

/// What went wrong in a store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No ticket with that id.
    #[error("ticket {0} does not exist")]
    NotFound(i64),
    /// The edit named a version that is no longer the ticket's current one: someone else
    /// edited its title, description or category meanwhile.
    #[error(
        "the ticket was edited by someone else (it is now at version {current}, the edit was based on version {expected}); reload it and edit again"
    )]
    VersionConflict {
        /// The version the caller based its edit on.
        expected: i64,
        /// The ticket's version now.
        current: i64,
    },
    /// The status transition is not allowed by the state machine.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// An imported row is inconsistent (checked again by the store before writing anything).
    #[error("row {row}: {message}")]
    InvalidImport {
        /// 1-based row number in the imported data (header not counted).
        row: usize,
        /// What is wrong, as a sentence.
        message: String,
    },
    /// The actor's role may not make this change (a campus user setting a category). The
    /// sentence says who may.
    #[error("{0}")]
    Forbidden(String),
    /// The database failed; the cause chain says why.
    #[error("the ticket database failed")]
    Backend(#[source] anyhow::Error),
}

impl StoreError {
    /// Wraps a backend error (connection lost, disk full, ...).
    pub fn backend(err: impl Into<anyhow::Error>) -> Self {
        StoreError::Backend(err.into())
    }

    /// The [`StoreError::Backend`] [`TicketStore::restore`] refuses a store already holding
    /// `tickets` tickets with (the sentence is [`not_empty_message`]).
    pub fn not_empty(tickets: i64) -> Self {
        StoreError::Backend(anyhow::anyhow!(not_empty_message(tickets)))
    }
}

/// A new ticket, already validated and categorised.
#[derive(Debug, Clone)]
pub struct NewTicket {
    /// Short title.
    pub title: Title,
    /// Description.
    pub description: Description,
    /// Category assigned by the classifier.
    pub category: Category,
    /// The classifier's confidence, 0.0 to 1.0.
    pub category_confidence: f64,
    /// The words that decided the category, strongest first (see [`Ticket::category_terms`]).
    pub category_terms: Vec<String>,
    /// Whether staff should check the category (see [`Ticket::needs_check`]).
    pub needs_check: bool,
    /// The reporter's e-mail address for updates, stored with the ticket in its transaction.
    pub reporter: Option<NewSubscription>,
}

/// A ticket with everything under it, from [`TicketStore::ticket_thread`].
#[derive(Debug, Clone, PartialEq)]
pub struct TicketThread {
    /// The ticket.
    pub ticket: Ticket,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
    /// Its event log, oldest first.
    pub events: Vec<Event>,
    /// The attachments of the ticket and its messages, oldest first (metadata only).
    pub attachments: Vec<Attachment>,
}

/// An edit of a ticket. Fields left `None` stay as they are.
#[derive(Debug, Clone, Default)]
pub struct TicketEdit {
    /// New title.
    pub title: Option<Title>,
    /// New description.
    pub description: Option<Description>,
    /// New category (sets `category_source` to `staff`, confidence to 1.0, clears
    /// `category_terms` and `needs_check`); naming the category the ticket has confirms it the
    /// same way, unless staff set it already. Staff only: a
    /// user's edit naming a category fails with [`StoreError::Forbidden`]. When it differs from
    /// the current category, the store also records a [`Correction`] in the same transaction.
    pub category: Option<Category>,
    /// The version the editor saw; the edit fails with [`StoreError::VersionConflict`] if the
    /// title, description or category has been edited since. Status transitions and messages
    /// do not change the version, so they never make an edit stale.
    pub expected_version: i64,
}

/// Which tickets to list: all filters combine with AND.
#[derive(Debug, Clone, Default)]
pub struct TicketQuery {
    /// Only these statuses; empty means every status.
    pub statuses: Vec<Status>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only tickets matching this search text, in the syntax of [`search`] (words as prefixes,
    /// `"phrases"`, a ticket number), over the title, the description and every message.
    /// `None`, or a text with no word in it, filters nothing. See [`TicketQuery::search`].
    pub text: Option<String>,
    /// Page size, 1 to 200.
    pub limit: u32,
    /// The order (default: newest opened first).
    pub sort: TicketSort,
    /// Where the page lies: just after the cursor's ticket, or just before it for a backwards
    /// cursor; `None`: the first page. A cursor that does not fit [`TicketQuery::sort`]
    /// ([`TicketCursor::fits`]) is refused with [`StoreError::Backend`].
    pub cursor: Option<TicketCursor>,
}

impl TicketQuery {
    /// [`TicketQuery::text`] parsed ([`search::SearchQuery::parse`]); `None` when it asks for
    /// nothing. Every backend filters by exactly this query.
    pub fn search(&self) -> Option<search::SearchQuery> {
        self.text.as_deref().and_then(search::SearchQuery::parse)
    }
}

/// One page of tickets in the query's order ([`TicketSort`]; ties: `opened_at`, then id, in the
/// same direction).
#[derive(Debug, Clone)]
pub struct TicketPage {
    /// The tickets.
    pub items: Vec<Ticket>,
    /// Where the next page starts; `None` when this is the last page.
    pub next: Option<TicketCursor>,
    /// Where the previous page ends (a backwards cursor); `None` on the first page.
    pub prev: Option<TicketCursor>,
    /// The number of this page (from 1), when known: always for the first page, and for pages
    /// reached through the cursors of a page whose number is known.
    pub number: Option<u32>,
    /// How many tickets the whole list holds, over every page.
    pub total: Total,
}

/// The size of a ticket list over every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Total {
    /// The number of tickets.
    pub count: i64,
    /// `true`: `count` is exact (a list without a search, read from counters the database
    /// keeps). `false` (a list with a search): an estimate. Either how many tickets' texts
    /// match the search's words, counted up to 10,000 (so 10,000 means "at least"), before the
    /// status and category filters and without a match on the ticket number; or, where the
    /// database expected the matches to be common and found the page by walking the list
    /// (PostgreSQL), its own estimate of how many tickets match, from the word frequencies of
    /// its statistics (also before the filters).
    pub exact: bool,
}

/// A ticket snapshot in the change feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Position in the feed; strictly increasing in commit order.
    pub seq: i64,
    /// The ticket as it is after the change.
    pub ticket: Ticket,
    /// The metadata of every attachment of the ticket and its messages, oldest first (never
    /// the bytes).
    pub attachments: Vec<Attachment>,
}

/// A file to attach, already checked by the ticket service (its type detected from the
/// content, its size within the limits) and, for an image, with its thumbnail made.
#[derive(Clone)]
pub struct NewAttachment {
    /// The cleaned file name (see [`Attachment::file_name`]).
    pub file_name: String,
    /// The detected type (see [`Attachment::content_type`]).
    pub content_type: String,
    /// The file's bytes (1 or more).
    pub bytes: Vec<u8>,
    /// The thumbnail's bytes (a JPEG), for an image.
    pub thumbnail: Option<Vec<u8>>,
}

impl std::fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAttachment")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .field("thumbnail", &self.thumbnail.as_ref().map(Vec::len))
            .finish()
    }
}

/// A staff correction of a ticket's category, recorded by [`TicketStore::update_ticket`] in the
/// same transaction as the change. Corrections are the classifier's learning material: the
/// ticket service retrains on them.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// Position in the corrections log; strictly increasing in the order they were recorded.
    pub id: i64,
    /// The corrected ticket.
    pub ticket_id: i64,
    /// The ticket's text as it was after the edit that corrected it: `title + "\n" + description`
    /// (the same text the classifier reads at creation).
    pub text: String,
    /// The category before the correction.
    pub from_category: Category,
    /// The category staff set.
    pub to_category: Category,
    /// Where the replaced category came from: `auto` means staff overruled the classifier.
    pub from_source: CategorySource,
    /// The staff member's display name, when they gave one.
    pub actor_name: Option<String>,
    /// When the correction was made (UTC, microseconds).
    pub corrected_at: Timestamp,
}

/// Counts behind the classifier's accuracy on real tickets, from
/// [`TicketStore::classifier_counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassifierCounts {
    /// Tickets whose category the classifier chose when they entered campusdesk (created through
    /// the API, or imported without a category), whatever happened to it since.
    pub auto_categorised: i64,
    /// Of those, how many staff re-categorised away from the classifier's choice: tickets with
    /// at least one [`Correction`] whose `from_source` is `auto`.
    pub corrected: i64,
    /// Every correction recorded, on any ticket (a ticket corrected twice counts twice).
    pub corrections: i64,
}

/// A message of an imported ticket's thread.
#[derive(Debug, Clone)]
pub struct ImportedMessage {
    /// Who wrote it.
    pub author: Actor,
    /// The text.
    pub body: MessageBody,
    /// When (UTC).
    pub created_at: Timestamp,
}

/// A historical ticket to import as it was: status and times are taken as given.
#[derive(Debug, Clone)]
pub struct ImportedTicket {
    /// Short title.
    pub title: Title,
    /// Description.
    pub description: Description,
    /// Category (from the file, or the classifier's).
    pub category: Category,
    /// `import` when the file named it, `auto` when classified.
    pub category_source: CategorySource,
    /// Confidence of the category, 0.0 to 1.0.
    pub category_confidence: f64,
    /// When classified: the words that decided the category, strongest first; else empty.
    pub category_terms: Vec<String>,
    /// When classified: whether staff should check the category (see [`Ticket::needs_check`]).
    pub needs_check: bool,
    /// Status as in the file.
    pub status: Status,
    /// When it was reported (UTC).
    pub opened_at: Timestamp,
    /// When it was closed (UTC); `Some` exactly when `status` is `closed`, and `>= opened_at`.
    pub closed_at: Option<Timestamp>,
    /// Its message thread, oldest first.
    pub messages: Vec<ImportedMessage>,
}

/// Persistent storage of tickets, messages, the event log and the change feed.
///
/// Every method that changes a ticket does so in one transaction that also appends to the event
/// log and moves the ticket to the end of the change feed, so a reader never sees one without
/// the other. Implementations must pass the `suite` module (feature `testing`).
#[async_trait]
pub trait TicketStore: Send + Sync + 'static {
    /// Stores a new `open` ticket opened at `now` and returns it (version 1).
    async fn create_ticket(
        &self,
        new: NewTicket,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError>;

    /// [`TicketStore::create_ticket`] with `attachments` stored in the same transaction (each
    /// content once, keyed by its SHA-256), so the ticket exists with all its files or not at
    /// all. Returns the ticket and the attachments' records in the order given.
    async fn create_ticket_with_attachments(
        &self,
        new: NewTicket,
        attachments: Vec<NewAttachment>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<(Ticket, Vec<Attachment>), StoreError>;

    /// [`TicketStore::add_message`] with `attachments` stored in the same transaction, as
    /// [`TicketStore::create_ticket_with_attachments`] does. Errors: [`StoreError::NotFound`]
    /// (nothing is written).
    async fn add_message_with_attachments(
        &self,
        ticket_id: i64,
        body: MessageBody,
        attachments: Vec<NewAttachment>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<(Message, Vec<Attachment>), StoreError>;

    /// Every attachment of the ticket and its messages, oldest first (empty for a ticket
    /// without any, or a missing ticket).
    async fn list_attachments(&self, ticket_id: i64) -> Result<Vec<Attachment>, StoreError>;

    /// The attachment with this id; `None` when there is none.
    async fn attachment(&self, id: i64) -> Result<Option<Attachment>, StoreError>;

    /// The stored content with this SHA-256 (lower-case hex); `None` when there is none.
    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// The ticket with this id. Errors: [`StoreError::NotFound`].
    async fn get_ticket(&self, id: i64) -> Result<Ticket, StoreError>;

    /// A page of tickets matching `query`, newest first.
    async fn list_tickets(&self, query: &TicketQuery) -> Result<TicketPage, StoreError>;

    /// Applies `edit` at `now`, bumping the version (+1) when it changes the title, the
    /// description or the category, and returns the ticket after it. An edit that changes nothing
    /// writes nothing and keeps the version.
    /// Errors: [`StoreError::NotFound`], [`StoreError::VersionConflict`] when
    /// `edit.expected_version` is not the current version, [`StoreError::Forbidden`] for a user
    /// naming a category.
    async fn update_ticket(
        &self,
        id: i64,
        edit: TicketEdit,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError>;

    /// Moves the ticket to status `to` at `now` if the state machine allows it for `actor`
    /// (see [`Status::transition`]); sets `closed_at` when closing and `updated_at` always. The
    /// version stays as it is: a transition does not make an editor's version stale (the state
    /// machine, checked inside the transaction, guards concurrent transitions).
    ///
    /// A subscribed reporter's e-mail ([`outbox`]) about a staff transition is due at `now`,
    /// except the one about a closing: it is due only at `now + undo_window` (the ticket
    /// service's undo window, see [`TicketStore::undo_close`]), so an undo within the window
    /// can drop it unsent. A zero `undo_window` makes it due at once.
    /// Errors: [`StoreError::NotFound`], [`StoreError::Transition`].
    async fn transition(
        &self,
        id: i64,
        to: Status,
        actor: &Actor,
        now: Timestamp,
        undo_window: jiff::SignedDuration,
    ) -> Result<Ticket, StoreError>;

    /// Undoes the closing of ticket `id` at `now`, when `actor` is staff and the ticket was
    /// closed at most `window` ago (see [`Status::undo_close`]): the ticket is `active` again
    /// with no `closed_at`, `updated_at` = `now`, a `status_changed` event from `closed` to
    /// `active` in its log, and a new snapshot in the change feed (so the analytics read model
    /// stops counting it as resolved). The reporter, when subscribed, never hears of the
    /// closing: its still unsent "closed" e-mail (held until the end of the window, see
    /// [`TicketStore::transition`]) is deleted and no other is written. Only when that e-mail
    /// has already gone out (or a sender is sending it: its lease has not ended), as after a
    /// window shortened in between, does the reporter get an e-mail that the ticket was
    /// reopened.
    /// Errors: [`StoreError::NotFound`], [`StoreError::Transition`].
    async fn undo_close(
        &self,
        id: i64,
        actor: &Actor,
        now: Timestamp,
        window: jiff::SignedDuration,
    ) -> Result<Ticket, StoreError>;

    /// Appends a message to the ticket's thread at `now` (also bumps `updated_at` and
    /// `message_count`, not `version`). Errors: [`StoreError::NotFound`].
    async fn add_message(
        &self,
        ticket_id: i64,
        body: MessageBody,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Message, StoreError>;

    /// The ticket's thread, oldest first. Errors: [`StoreError::NotFound`].
    async fn list_messages(&self, ticket_id: i64) -> Result<Vec<Message>, StoreError>;

    /// The ticket's event log, oldest first. Errors: [`StoreError::NotFound`].
    async fn list_events(&self, ticket_id: i64) -> Result<Vec<Event>, StoreError>;

    /// The ticket with its thread, its event log and its attachments, read in one snapshot
    /// (they agree with each other): everything a ticket page shows. Errors: [`StoreError::NotFound`].
    async fn ticket_thread(&self, id: i64) -> Result<TicketThread, StoreError>;

    /// Up to `limit` changes with `seq > after`, in commit order. Each ticket appears at most
    /// once in the whole feed, at the position of its latest change (the feed is compacted), so
    /// replaying it from 0 yields every ticket's current state.
    async fn changes(&self, after: i64, limit: u32) -> Result<Vec<Change>, StoreError>;

    /// A receiver of the latest committed change `seq`; it changes after every commit, from any
    /// writer of the same database, so change-feed readers can wait instead of polling.
    fn watch_changes(&self) -> tokio::sync::watch::Receiver<i64>;

    /// Imports historical tickets, all or nothing, and returns their new ids in input order.
    /// Errors: [`StoreError::InvalidImport`] for an inconsistent row (nothing is written).
    async fn import(&self, tickets: Vec<ImportedTicket>, actor: &Actor) -> Result<Vec<i64>, StoreError>;

    /// Records a new import job in state `queued` at `now`, unless a job already holds
    /// `new.dedupe_key`: then that job is returned untouched. The flag says whether the job is
    /// new. Two concurrent calls with one key get the same job, exactly one of them `true`.
    async fn create_import_job(
        &self,
        new: NewImportJob,
        now: Timestamp,
    ) -> Result<(ImportJob, bool), StoreError>;

    /// The import job with this id; `None` when there is none.
    async fn import_job(&self, id: i64) -> Result<Option<ImportJob>, StoreError>;

    /// The latest job, with or without an `Idempotency-Key`, whose file had this SHA-256
    /// digest and that has not failed; `None` when there is none.
    async fn import_job_by_digest(&self, sha256: &str) -> Result<Option<ImportJob>, StoreError>;

    /// Records the progress of a job that has not ended: its `state` (`validating` or
    /// `writing`), `total` (when known), `checked`, and `updated_at = now` (the heartbeat).
    /// Returns `false`, changing nothing, when the job has ended (or does not exist).
    async fn report_import_job(
        &self,
        id: i64,
        state: ImportState,
        total: Option<i64>,
        checked: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Marks a job that has not ended `failed` with the sentence `error` (and the data row at
    /// fault, if one is). With `release`, the job gives up its dedupe key, so that a retry
    /// starts a new job. Returns `false`, changing nothing, when the job has ended already.
    async fn fail_import_job(
        &self,
        id: i64,
        error_row: Option<i64>,
        error: &str,
        release: bool,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Marks `failed` (releasing their dedupe keys) every job that has not ended and whose
    /// `updated_at` is before `stale_before`: their worker stopped reporting. Returns how many.
    async fn fail_stale_import_jobs(
        &self,
        stale_before: Timestamp,
        error: &str,
        now: Timestamp,
    ) -> Result<u64, StoreError>;

    /// Imports `tickets` as [`TicketStore::import`] does and marks job `id` `done` (with the
    /// new ids and `written`) in the same transaction, so the job says `done` exactly when its
    /// tickets are stored. Errors: [`StoreError::InvalidImport`]; [`StoreError::Backend`] when
    /// the job is not in state `writing` any more (it was failed meanwhile): nothing is written.
    async fn finish_import_job(
        &self,
        id: i64,
        tickets: Vec<ImportedTicket>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Vec<i64>, StoreError>;

    /// How many tickets are stored.
    async fn count_tickets(&self) -> Result<i64, StoreError>;

    /// Every recorded category [`Correction`] with `id > after_id`, oldest first (ascending
    /// `id`, which is the order they were recorded). `list_corrections(0)` returns all of them.
    async fn list_corrections(&self, after_id: i64) -> Result<Vec<Correction>, StoreError>;

    /// The [`ClassifierCounts`]: how many tickets the classifier categorised and how many of
    /// those staff corrected.
    async fn classifier_counts(&self) -> Result<ClassifierCounts, StoreError>;

    /// Everything the store holds, read in one consistent snapshot (one read transaction; on
    /// PostgreSQL at REPEATABLE READ), so writers running meanwhile cannot tear it. Memory grows
    /// with the data (see [`Snapshot`]).
    async fn export(&self) -> Result<Snapshot, StoreError>;

    /// Writes `snapshot` into this store, which must hold no ticket, keeping every id and the
    /// change feed's seqs, in one transaction: on any error nothing is written.
    ///
    /// Afterwards new tickets, messages, events, corrections and feed entries get ids above the
    /// largest restored ones, the feed lists every ticket once (a ticket missing from
    /// `snapshot.feed` is appended after the given entries, in `updated_at` order, ties by id),
    /// and [`TicketStore::watch_changes`] has moved to the last seq.
    ///
    /// Errors: [`StoreError::Backend`] when the store already holds tickets (the sentence says
    /// so, nothing is written), or when the snapshot breaks the schema (a message of a missing
    /// ticket, a duplicate id, a closed ticket without `closed_at`, ...).
    async fn restore(&self, snapshot: &Snapshot) -> Result<(), StoreError>;

    /// The [`Counts`] of every kind of row, read in one snapshot.
    async fn counts(&self) -> Result<Counts, StoreError>;

    /// The private reporter token of ticket `ticket_id` (see [`reporter`]): [`domain::REPORTER_TOKEN_CHARS`]
    /// characters of base64url holding 128 random bits, drawn when the ticket entered the store.
    /// `None` when there is no such ticket, or when it was stored before private links existed.
    /// The reporter's link is `{public web origin}/r/{token}`.
    async fn reporter_token(&self, ticket_id: i64) -> Result<Option<String>, StoreError>;

    /// The tickets whose private reporter tokens are among `tokens`, each with its token, in
    /// the order of `tokens` (a token given twice is answered once); tokens no ticket holds are
    /// left out. Closed tickets are answered too: the token is the reporter's proof.
    async fn reporter_tickets(&self, tokens: &[String]) -> Result<Vec<(String, Ticket)>, StoreError>;
    /// The reporter's [`Subscription`] of ticket `ticket_id`, unsubscribed or not; `None` when
    /// the ticket was reported without an address (or does not exist).
    async fn subscription(&self, ticket_id: i64) -> Result<Option<Subscription>, StoreError>;

    /// Stops e-mails for the subscription whose unsubscribe token is `token` (at `now`, kept
    /// when it was stopped already) and drops its notifications not sent yet, in one
    /// transaction. Returns its ticket's id; `None` when no subscription has that token.
    async fn unsubscribe(&self, token: &str, now: Timestamp) -> Result<Option<i64>, StoreError>;

    /// Claims up to `limit` unsent notifications that are due at `now` and held by no sender
    /// (no lease, or a lease that ended by `now`), oldest first: each gets the lease
    /// `lease_until` and one more attempt, in one transaction. Two senders, on any replica,
    /// never claim one notification at the same time (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
    async fn claim_notifications(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError>;

    /// Marks notification `id` sent at `now` and ends its lease. Returns `false`, changing
    /// nothing, when it is gone (the reporter unsubscribed meanwhile) or was sent already.
    async fn notification_sent(&self, id: i64, now: Timestamp) -> Result<bool, StoreError>;

    /// How many notifications are unsent, and how many of those failed at least once.
    async fn outbox_status(&self) -> Result<OutboxStatus, StoreError>;

    /// Records that sending notification `id` failed with `error`: ends its lease and makes it
    /// due again at `retry_at`. Returns `false`, changing nothing, when it is gone or sent.
    async fn notification_failed(
        &self,
        id: i64,
        retry_at: Timestamp,
        error: &str,
    ) -> Result<bool, StoreError>;

    /// Deletes up to `limit` notifications sent before `sent_before` (UTC), oldest first, and
    /// returns how many it deleted. Unsent notifications stay, however old: they are still
    /// owed to their reporter.
    async fn prune_sent_notifications(&self, sent_before: Timestamp, limit: u32) -> Result<u64, StoreError>;
}

/// Checks an imported ticket's status and times, as every backend must before writing.
///
/// Errors: a sentence saying what is inconsistent (`closed` without `closed_at`, `closed_at`
/// before `opened_at`, or `closed_at` on a ticket that is not closed).
pub fn check_imported(ticket: &ImportedTicket) -> Result<(), String> {
    match (ticket.status, ticket.closed_at) {
        (Status::Closed, None) => Err("a closed ticket needs closed_at".into()),
        (Status::Closed, Some(closed)) if closed < ticket.opened_at => {
            Err(format!("closed_at {closed} is before opened_at {}", ticket.opened_at))
        }
        (Status::Open | Status::Active, Some(_)) => {
            Err(format!("a ticket that is {} must not have closed_at", ticket.status))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every case of the store suite is declared in `store_suite!`, so each backend that calls
    /// the macro runs it: a case written but not declared would run nowhere.
    #[test]
    fn every_suite_case_is_declared_in_the_macro() {
        let suite = include_str!("suite.rs");
        let macro_start = suite.find("macro_rules! store_suite").expect("the macro");
        let macro_text = &suite[macro_start..];
        let macro_text = &macro_text[..macro_text.find("\n}\n").expect("the macro's end")];
        let cases: Vec<&str> = suite
            .lines()
            .filter_map(|line| line.strip_prefix("pub async fn "))
            .map(|rest| rest.split('(').next().unwrap_or(rest))
            .collect();
        assert!(cases.len() > 20, "the suite's cases were not found: {cases:?}");
        for case in cases {
            assert!(
                macro_text.contains(&format!("{case},")),
                "store::suite::{case} is not declared in store_suite!, so no backend runs it"
            );
        }
    }

    #[test]
    fn snapshots_name_their_first_difference() {
        let feed = vec![FeedEntry { seq: 3, ticket_id: 1 }, FeedEntry { seq: 9, ticket_id: 2 }];
        let left = Snapshot { auto_categorised: vec![1, 2], feed, ..Snapshot::default() };
        assert_eq!(left.first_difference(&left.clone()), None);

        let mut moved = left.clone();
        moved.feed[1].seq = 10;
        let sentence = left.first_difference(&moved).expect("a difference");
        assert!(sentence.starts_with("change feed entry number 2 differs"), "{sentence}");

        let mut shorter = left.clone();
        shorter.auto_categorised.pop();
        let sentence = left.first_difference(&shorter).expect("a difference");
        assert!(sentence.contains("one side has 2") && sentence.contains("the other 1"), "{sentence}");
    }

    #[test]
    fn snapshot_counts_are_its_lengths() {
        let snapshot = Snapshot {
            auto_categorised: vec![1],
            feed: vec![FeedEntry { seq: 1, ticket_id: 1 }],
            ..Snapshot::default()
        };
        assert_eq!(snapshot.counts(), Counts { feed: 1, ..Counts::default() });
    }

    #[test]
    fn auto_categorised_flags_must_name_snapshot_tickets() {
        let snapshot = Snapshot { auto_categorised: vec![4], ..Snapshot::default() };
        let err = snapshot.auto_categorised_ids().expect_err("ticket 4 is missing");
        assert!(format!("{:#}", anyhow::Error::new(err)).contains("ticket 4"));
        assert!(Snapshot::default().auto_categorised_ids().expect("no flags").is_empty());
    }

    #[test]
    fn a_non_empty_store_refusal_says_how_many_tickets_it_holds() {
        let err = StoreError::not_empty(3);
        assert!(format!("{:#}", anyhow::Error::new(err)).contains("already holds 3 ticket(s)"));
    }
}
