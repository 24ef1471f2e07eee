//! The one insert path: every row of every table goes in through [`SqlStore::insert_rows`],
//! whether a new ticket, message, event or correction, an import's tickets and threads, or a
//! restore's tables in batches keeping their ids. The column lists are written once, in the
//! [`Table`] constants, and each record type becomes a row in one place ([`Insert`]).

use domain::{Attachment, Event, Message, Ticket};
use jiff::Timestamp;
use sqlx::query_builder::Separated;
use sqlx::{ColumnIndex, Executor, IntoArguments, QueryBuilder};
use store::{Correction, FeedEntry, Notification, ReporterLink, StoreError, Subscription};

use crate::rows::join_terms;
use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// Most values one insert statement binds: under SQLite's limit of 32,766 host parameters
/// (SQLite "Limits in SQLite", §9, since 3.32.0) and PostgreSQL's 65,535.
const MAX_BINDS: usize = 30_000;

/// The most rows a multi-row `INSERT` may hold for sqlx to keep it prepared in its
/// per-connection statement cache. A group commit's statements (one per table for the creates
/// of one batch, at most 256) recur and are worth keeping; an import's hold up to thousands of
/// rows, each a statement of up to 30,000 parameters (`MAX_BINDS`) whose compiled program is large
/// and whose text seldom recurs (the last statement of a table has whatever rows are left).
/// Kept, they stayed resident after the import: a SQLite ticket service grew from 61 to
/// 109 MiB over ten imports of 20,000 tickets, measured.
pub const CACHED_UP_TO: usize = 256;

/// A table rows are inserted into: its name, its id column and its other columns, in the
/// order of the values of an [`Insert`].
#[derive(Debug)]
pub(crate) struct Table {
    name: &'static str,
    id: &'static str,
    columns: &'static [&'static str],
}

pub(crate) const TICKETS: Table = Table {
    name: "tickets",
    id: "id",
    columns: &[
        "title",
        "description",
        "category",
        "category_source",
        "category_confidence",
        "category_terms",
        "needs_check",
        "auto_categorised",
        "status",
        "opened_at",
        "updated_at",
        "closed_at",
        "version",
        "message_count",
    ],
};

pub(crate) const MESSAGES: Table = Table {
    name: "messages",
    id: "id",
    columns: &["ticket_id", "author_role", "author_name", "body", "created_at"],
};

pub(crate) const EVENTS: Table = Table {
    name: "events",
    id: "id",
    columns: &["ticket_id", "kind", "actor_role", "actor_name", "from_value", "to_value", "at"],
};

pub(crate) const CORRECTIONS: Table = Table {
    name: "category_corrections",
    id: "id",
    columns: &[
        "ticket_id",
        "text",
        "from_category",
        "to_category",
        "from_source",
        "actor_name",
        "corrected_at",
    ],
};

pub(crate) const ATTACHMENTS: Table = Table {
    name: "attachments",
    id: "id",
    columns: &[
        "ticket_id",
        "message_id",
        "file_name",
        "content_type",
        "size",
        "sha256",
        "thumbnail_sha256",
        "created_at",
    ],
};

pub(crate) const FEED: Table = Table { name: "changes", id: "seq", columns: &["ticket_id"] };

/// The reporters' private links: one row per ticket, keyed by the ticket's id.
pub(crate) const REPORTER_LINKS: Table =
    Table { name: "reporter_links", id: "ticket_id", columns: &["token"] };
pub(crate) const SUBSCRIPTIONS: Table = Table {
    name: "subscriptions",
    id: "id",
    columns: &["ticket_id", "address", "token", "created_at", "unsubscribed_at"],
};

pub(crate) const OUTBOX: Table = Table {
    name: "outbox",
    id: "id",
    columns: &[
        "ticket_id",
        "address",
        "unsubscribe_token",
        "kind",
        "detail",
        "created_at",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "sent_at",
        "last_error",
    ],
};

/// One value of an inserted row.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Real(f64),
    Bool(bool),
    Text(Option<String>),
    At(Option<Timestamp>),
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(Some(text.to_owned()))
    }
}

/// One row to insert: its id when it keeps one (a restore), and its values in the table's
/// column order.
#[derive(Debug)]
pub(crate) struct Insert {
    pub(crate) id: Option<i64>,
    pub(crate) values: Vec<Value>,
}

impl Insert {
    /// The row of `ticket` (its id kept when `keep_id`); `auto_categorised` says whether the
    /// classifier chose its category when it entered campusdesk.
    pub(crate) fn ticket(ticket: &Ticket, auto_categorised: bool, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(ticket.id),
            values: vec![
                ticket.title.as_str().into(),
                ticket.description.as_str().into(),
                ticket.category.as_str().into(),
                ticket.category_source.as_str().into(),
                Value::Real(ticket.category_confidence),
                Value::Text(Some(join_terms(&ticket.category_terms))),
                Value::Bool(ticket.needs_check),
                Value::Bool(auto_categorised),
                ticket.status.as_str().into(),
                Value::At(Some(ticket.opened_at)),
                Value::At(Some(ticket.updated_at)),
                Value::At(ticket.closed_at),
                Value::Int(ticket.version),
                Value::Int(ticket.message_count),
            ],
        }
    }

    pub(crate) fn message(message: &Message, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(message.id),
            values: vec![
                Value::Int(message.ticket_id),
                message.author_role.as_str().into(),
                Value::Text(message.author_name.clone()),
                message.body.as_str().into(),
                Value::At(Some(message.created_at)),
            ],
        }
    }

    pub(crate) fn event(event: &Event, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(event.id),
            values: vec![
                Value::Int(event.ticket_id),
                event.kind.as_str().into(),
                event.actor_role.as_str().into(),
                Value::Text(event.actor_name.clone()),
                Value::Text(event.from.clone()),
                Value::Text(event.to.clone()),
                Value::At(Some(event.at)),
            ],
        }
    }

    pub(crate) fn correction(correction: &Correction, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(correction.id),
            values: vec![
                Value::Int(correction.ticket_id),
                correction.text.as_str().into(),
                correction.from_category.as_str().into(),
                correction.to_category.as_str().into(),
                correction.from_source.as_str().into(),
                Value::Text(correction.actor_name.clone()),
                Value::At(Some(correction.corrected_at)),
            ],
        }
    }

    pub(crate) fn subscription(subscription: &Subscription, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(subscription.id),
            values: vec![
                Value::Int(subscription.ticket_id),
                subscription.address.as_str().into(),
                subscription.token.as_str().into(),
                Value::At(Some(subscription.created_at)),
                Value::At(subscription.unsubscribed_at),
            ],
        }
    }

    pub(crate) fn notification(notification: &Notification, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(notification.id),
            values: vec![
                Value::Int(notification.ticket_id),
                notification.address.as_str().into(),
                notification.unsubscribe_token.as_str().into(),
                notification.kind.as_str().into(),
                notification.detail.as_str().into(),
                Value::At(Some(notification.created_at)),
                Value::Int(notification.attempts),
                Value::At(Some(notification.next_attempt_at)),
                Value::At(notification.lease_until),
                Value::At(notification.sent_at),
                Value::Text(notification.last_error.clone()),
            ],
        }
    }

    pub(crate) fn attachment(attachment: &Attachment, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(attachment.id),
            values: vec![
                Value::Int(attachment.ticket_id),
                Value::OptInt(attachment.message_id),
                attachment.file_name.as_str().into(),
                attachment.content_type.as_str().into(),
                Value::Int(attachment.size),
                attachment.sha256.as_str().into(),
                Value::Text(attachment.thumbnail_sha256.clone()),
                Value::At(Some(attachment.created_at)),
            ],
        }
    }

    pub(crate) fn feed_entry(entry: &FeedEntry) -> Insert {
        Insert { id: Some(entry.seq), values: vec![Value::Int(entry.ticket_id)] }
    }

    pub(crate) fn reporter_link(link: &ReporterLink) -> Insert {
        Insert { id: Some(link.ticket_id), values: vec![link.token.as_str().into()] }
    }
}

impl<B> SqlStore<B>
where
    B: Backend,
    for<'c> &'c mut Conn<B>: Executor<'c, Database = B::Db>,
    Args<B>: IntoArguments<B::Db>,
    for<'a> &'a str: ColumnIndex<Row<B>>,
    usize: ColumnIndex<Row<B>>,
    i64: Column<B::Db>,
    f64: Column<B::Db>,
    bool: Column<B::Db>,
    String: Column<B::Db>,
    Option<String>: Column<B::Db>,
    Instant: Column<B::Db>,
    Option<Instant>: Column<B::Db>,
    Option<i64>: Column<B::Db>,
    Vec<u8>: Column<B::Db>,
{
    /// Inserts `rows` into `table`, in statements of many rows, and returns the ids they got
    /// (or kept), in the order of `rows`. Rows either all keep their ids
    /// ([`Backend::KEEP_IDS`]) or none does.
    ///
    /// Fresh ids follow the order of the rows: both databases draw them one row after the
    /// other as they read a statement's `VALUES` list (SQLite's `AUTOINCREMENT`, PostgreSQL's
    /// identity sequence, whose values only grow within a session), so the ids of one
    /// statement ascend in row order. Neither database documents the order of `RETURNING`'s
    /// rows (PostgreSQL's developers call it intentionally unspecified: pgsql-docs, "RETURNING
    /// order guarantees documentation", May 2024), so each statement's ids are sorted.
    pub(crate) async fn insert_rows(
        conn: &mut Conn<B>,
        table: &Table,
        rows: Vec<Insert>,
    ) -> Result<Vec<i64>, StoreError> {
        let keep_ids = rows.first().is_some_and(|row| row.id.is_some());
        let per_batch = (MAX_BINDS / (table.columns.len() + 1)).max(1);
        let mut ids = Vec::with_capacity(rows.len());
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut sql = QueryBuilder::<B::Db>::new(format!("INSERT INTO {} (", table.name));
            if keep_ids {
                sql.push(table.id).push(", ");
            }
            sql.push(table.columns.join(", ")).push(")");
            if keep_ids {
                sql.push(B::KEEP_IDS);
            }
            sql.push(" ");
            let batch: Vec<Insert> = rows.by_ref().take(per_batch).collect();
            let persistent = batch.len() <= CACHED_UP_TO;
            sql.push_values(batch, |mut row, insert| {
                if keep_ids {
                    row.push_bind(insert.id.unwrap_or_default());
                }
                for value in insert.values {
                    Self::bind(&mut row, value);
                }
            });
            sql.push(format!(" RETURNING {}", table.id));
            let batch = sql
                .build_query_scalar::<i64>()
                .persistent(persistent)
                .fetch_all(&mut *conn)
                .await
                .map_err(failed::<B>("insert rows"))?;
            let first = ids.len();
            ids.extend(batch);
            if !keep_ids {
                ids[first..].sort_unstable();
            }
        }
        Ok(ids)
    }

    /// Inserts one row with a fresh id and returns it.
    pub(crate) async fn insert_one(
        conn: &mut Conn<B>,
        table: &Table,
        row: Insert,
    ) -> Result<i64, StoreError> {
        let ids = Self::insert_rows(conn, table, vec![row]).await?;
        ids.first().copied().ok_or_else(|| {
            StoreError::backend(anyhow::anyhow!("{}: inserting into {} returned no id", B::NAME, table.name))
        })
    }

    fn bind(row: &mut Separated<'_, B::Db, &'static str>, value: Value) {
        match value {
            Value::Int(n) => row.push_bind(n),
            Value::OptInt(n) => row.push_bind(n),
            Value::Real(x) => row.push_bind(x),
            Value::Bool(b) => row.push_bind(b),
            Value::Text(text) => row.push_bind(text),
            Value::At(at) => row.push_bind(at.map(Instant)),
        };
    }
}
