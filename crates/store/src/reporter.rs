//! The reporter's private link: a random, unguessable token per ticket that opens the
//! reporter's view of it (the ticket, its thread and its outcome, closed too) without a login.
//!
//! The store draws the token when a ticket enters it (created or imported) and keeps it in its
//! own table, apart from the ticket row, so no ticket read (a page, a list, the change feed) can
//! carry it; only [`crate::TicketStore::reporter_token`], [`crate::TicketStore::reporter_tickets`]
//! and export/restore ([`crate::Snapshot::reporter_links`]) read it.

/// One ticket's private reporter token, as stored. Part of a [`crate::Snapshot`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReporterLink {
    /// The ticket.
    pub ticket_id: i64,
    /// Its token: [`domain::REPORTER_TOKEN_CHARS`] characters of base64url (`A-Z a-z 0-9 - _`), unique in the
    /// store.
    pub token: String,
}
