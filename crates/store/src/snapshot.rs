//! [`Snapshot`]: everything a store holds, as export reads it and restore writes it (what
//! `campusdesk migrate-data` copies between backends), and the row [`Counts`].

use domain::{Attachment, Event, Message, Ticket};

use crate::{Correction, Notification, ReporterLink, StoreError, Subscription};

#[cfg(doc)]
use crate::{ClassifierCounts, TicketStore};

/// One entry of the compacted change feed, as stored: the ticket's id at the seq of its latest
/// change. Part of a [`Snapshot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedEntry {
    /// Position in the feed.
    pub seq: i64,
    /// The ticket whose latest change is at `seq`.
    pub ticket_id: i64,
}

/// Everything a store holds, as [`TicketStore::export`] reads it in one consistent snapshot and
/// [`TicketStore::restore`] writes it: the unit `campusdesk migrate-data` copies between
/// backends. Every list is in ascending id (feed: ascending seq) order, so two snapshots of
/// stores holding the same data compare equal field by field.
///
/// It is held in memory whole: fine up to about a million rows (a few hundred MB); streaming a
/// larger campus is out of scope.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// Every ticket, with its id, version, category source, times and message count.
    pub tickets: Vec<Ticket>,
    /// Ids of the tickets whose category the classifier chose when they entered campusdesk
    /// (the flag behind [`ClassifierCounts::auto_categorised`]; not part of [`Ticket`]).
    pub auto_categorised: Vec<i64>,
    /// Every message of every thread, with its id.
    pub messages: Vec<Message>,
    /// The whole event log, with its ids.
    pub events: Vec<Event>,
    /// Every staff category correction, with its id.
    pub corrections: Vec<Correction>,
    /// The compacted change feed: one entry per ticket, at its seq.
    pub feed: Vec<FeedEntry>,
    /// Every ticket's private reporter token, in ticket id order (tickets stored before
    /// private links existed have none).
    pub reporter_links: Vec<ReporterLink>,
    /// Every reporter's e-mail subscription, with its id.
    pub subscriptions: Vec<Subscription>,
    /// The whole e-mail outbox, sent and unsent, with its ids and sending state.
    pub notifications: Vec<Notification>,
    /// Every attachment's metadata, with its id.
    pub attachments: Vec<Attachment>,
    /// Every stored content (attachments' files and thumbnails), ascending by digest.
    pub blobs: Vec<Blob>,
}

/// One stored content: a file or a thumbnail, keyed by its SHA-256. Part of a [`Snapshot`].
#[derive(Clone, PartialEq, Eq)]
pub struct Blob {
    /// The SHA-256 digest of `bytes`, lower-case hex.
    pub sha256: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Blob {
    /// The digest and the size, not the bytes (a snapshot's difference stays readable).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blob").field("sha256", &self.sha256).field("bytes", &self.bytes.len()).finish()
    }
}

impl Snapshot {
    /// How many rows of each kind the snapshot holds (what [`TicketStore::counts`] of a store
    /// restored from it must answer).
    pub fn counts(&self) -> Counts {
        let len = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        Counts {
            tickets: len(self.tickets.len()),
            messages: len(self.messages.len()),
            events: len(self.events.len()),
            corrections: len(self.corrections.len()),
            feed: len(self.feed.len()),
            subscriptions: len(self.subscriptions.len()),
            notifications: len(self.notifications.len()),
            attachments: len(self.attachments.len()),
            blobs: len(self.blobs.len()),
        }
    }

    /// The ids of [`Snapshot::auto_categorised`] as a set, for a restore to flag tickets with.
    ///
    /// Errors: [`StoreError::Backend`] when a flagged id is not one of the snapshot's tickets.
    pub fn auto_categorised_ids(&self) -> Result<std::collections::HashSet<i64>, StoreError> {
        let auto: std::collections::HashSet<i64> = self.auto_categorised.iter().copied().collect();
        let ids: std::collections::HashSet<i64> = self.tickets.iter().map(|t| t.id).collect();
        match auto.iter().find(|id| !ids.contains(id)) {
            Some(id) => Err(StoreError::backend(anyhow::anyhow!(
                "the snapshot flags ticket {id} as automatically categorised, but holds no such ticket"
            ))),
            None => Ok(auto),
        }
    }

    /// A sentence naming the first difference between `self` and `other` (compared list by
    /// list, item by item, with both versions of the first differing item), or `None` when they
    /// are equal.
    pub fn first_difference(&self, other: &Snapshot) -> Option<String> {
        first_difference("ticket", &self.tickets, &other.tickets)
            .or_else(|| {
                first_difference("automatic category flag", &self.auto_categorised, &other.auto_categorised)
            })
            .or_else(|| first_difference("message", &self.messages, &other.messages))
            .or_else(|| first_difference("event", &self.events, &other.events))
            .or_else(|| first_difference("category correction", &self.corrections, &other.corrections))
            .or_else(|| first_difference("change feed entry", &self.feed, &other.feed))
            .or_else(|| first_difference("reporter link", &self.reporter_links, &other.reporter_links))
            .or_else(|| first_difference("e-mail subscription", &self.subscriptions, &other.subscriptions))
            .or_else(|| first_difference("outbox notification", &self.notifications, &other.notifications))
            .or_else(|| first_difference("attachment", &self.attachments, &other.attachments))
            .or_else(|| first_difference("stored content", &self.blobs, &other.blobs))
    }
}

/// The first differing item of two lists as a sentence, or `None` when they are equal.
fn first_difference<T: PartialEq + std::fmt::Debug>(what: &str, left: &[T], right: &[T]) -> Option<String> {
    if let Some((i, (l, r))) = left.iter().zip(right).enumerate().find(|(_, (l, r))| l != r) {
        return Some(format!("{what} number {} differs: {l:?} against {r:?}", i + 1));
    }
    (left.len() != right.len())
        .then(|| format!("one side has {} of kind \"{what}\", the other {}", left.len(), right.len()))
}

/// How many rows of each kind a store holds, from [`TicketStore::counts`] (read in one
/// snapshot) or [`Snapshot::counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Tickets.
    pub tickets: i64,
    /// Messages, over all threads.
    pub messages: i64,
    /// Event log entries.
    pub events: i64,
    /// Staff category corrections.
    pub corrections: i64,
    /// Change feed entries (one per ticket).
    pub feed: i64,
    /// Reporters' e-mail subscriptions.
    pub subscriptions: i64,
    /// Outbox notifications, sent or not.
    pub notifications: i64,
    /// Attachments, over all tickets and messages.
    pub attachments: i64,
    /// Stored contents (each distinct file or thumbnail once).
    pub blobs: i64,
}

/// The sentence [`TicketStore::restore`] refuses a store holding tickets with.
pub fn not_empty_message(tickets: i64) -> String {
    format!(
        "the target database already holds {tickets} ticket(s); data can only be restored into an empty \
         database, so nothing was written"
    )
}
