//! E-mail updates to a ticket's reporter: the reporter's [`Subscription`] (an address given when
//! the ticket was reported, with the random token of its unsubscribe link) and the outbox of
//! [`Notification`]s.
//!
//! When staff post a message or change a ticket's status ([`notifies`]), the store writes one
//! notification for a subscribed reporter in the same transaction as the change, so no change
//! is committed without its notification and none is written for a change that was not. A
//! notification is due at once, except that of a closing: it is held until the end of the undo
//! window, and an undo within the window deletes it unsent instead of writing a "reopened" one
//! ([`crate::TicketStore::undo_close`]). The ticket service's sender claims due notifications with a lease
//! ([`crate::TicketStore::claim_notifications`]), sends them and marks them sent or schedules a
//! retry.

use domain::{Actor, Role};
use jiff::Timestamp;

/// A reporter address to store with a new ticket ([`crate::NewTicket::reporter`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    /// The address, already validated by the caller.
    pub address: String,
    /// The random, unguessable token of the unsubscribe link (unique over all tickets).
    pub token: String,
}

/// A ticket's reporter address and whether it still gets e-mails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Row id.
    pub id: i64,
    /// The ticket.
    pub ticket_id: i64,
    /// The reporter's e-mail address.
    pub address: String,
    /// The unsubscribe link's token.
    pub token: String,
    /// When the ticket was reported with it (UTC).
    pub created_at: Timestamp,
    /// When the reporter unsubscribed (UTC); `None` while e-mails go out.
    pub unsubscribed_at: Option<Timestamp>,
}

/// What a notification tells of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// Staff posted a message; the detail is its text.
    Message,
    /// Staff changed the status (closing included); the detail is the new status, or
    /// `reopened` when staff undid a closing whose e-mail had already gone out.
    Status,
}

impl NotificationKind {
    /// The stored name: `message` or `status`.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Message => "message",
            NotificationKind::Status => "status",
        }
    }

    /// Reads [`NotificationKind::as_str`]'s output; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "message" => Some(NotificationKind::Message),
            "status" => Some(NotificationKind::Status),
            _ => None,
        }
    }
}

/// One e-mail of the outbox, sent or still to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Row id; also the order the changes were made in, per ticket.
    pub id: i64,
    /// The ticket that changed.
    pub ticket_id: i64,
    /// The recipient: the reporter's address when the change was made.
    pub address: String,
    /// The token of the subscription's unsubscribe link.
    pub unsubscribe_token: String,
    /// What changed.
    pub kind: NotificationKind,
    /// The staff message's text, or the new status (`active`, `closed`, ...).
    pub detail: String,
    /// When the change was made (UTC).
    pub created_at: Timestamp,
    /// How many times a sender has claimed it.
    pub attempts: i64,
    /// When it is due (next) (UTC).
    pub next_attempt_at: Timestamp,
    /// A sender holds it until then (UTC); `None` when no sender does.
    pub lease_until: Option<Timestamp>,
    /// When the SMTP server accepted it (UTC); `None` while unsent.
    pub sent_at: Option<Timestamp>,
    /// Why the last attempt failed, as the sender saw it.
    pub last_error: Option<String>,
}

/// How the outbox stands, from [`crate::TicketStore::outbox_status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxStatus {
    /// Notifications not sent yet (due, waiting for a retry, or being sent).
    pub unsent: i64,
    /// Of those, how many failed at least once (the last attempt's error is kept).
    pub failing: i64,
}

/// Whether a change made by `actor` is told to the reporter: changes by staff are; the
/// reporter's own (or another campus user's) are not.
pub fn notifies(actor: &Actor) -> bool {
    actor.role == Role::Staff
}
