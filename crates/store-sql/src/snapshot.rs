//! Export and restore of a whole store ([`Snapshot`]), and the row [`Counts`]: what
//! `campusdesk migrate-data` uses to move a campus between databases, in either direction.
//!
//! The export reads every table in the read-only transaction of [`Backend::begin_snapshot`],
//! one snapshot of the database, so writers running meanwhile cannot tear it. The restore is one
//! write transaction that takes the feed lock first ([`Backend::lock_feed`]): the emptiness
//! check, the copy and the feed are one step no other restore or writer can interleave with. Its
//! rows go in through the one insert path, in batches, keeping every id and the feed's seqs;
//! [`Backend::after_restore`] then moves the id counters past them where the database does not.

use sqlx::{ColumnIndex, Executor, IntoArguments, Pool};
use store::{Blob, Counts, FeedEntry, ReporterLink, Snapshot, StoreError};

use crate::inserts::{
    ATTACHMENTS, CORRECTIONS, EVENTS, FEED, Insert, MESSAGES, OUTBOX, REPORTER_LINKS, SUBSCRIPTIONS, TICKETS,
};
use crate::rows::{ExportedTicketRow, FeedRow, TICKET_COLUMNS};
use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// The row counts of every table, read in one statement.
#[derive(sqlx::FromRow)]
struct CountsRow {
    tickets: i64,
    messages: i64,
    events: i64,
    corrections: i64,
    feed: i64,
    subscriptions: i64,
    notifications: i64,
    attachments: i64,
    blobs: i64,
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
    /// Every table of the store, read in one snapshot.
    pub(crate) async fn export_all(pool: &Pool<B::Db>) -> Result<Snapshot, StoreError> {
        let mut tx = B::begin_snapshot(pool).await?;
        let sql = format!("SELECT {TICKET_COLUMNS}, auto_categorised FROM tickets ORDER BY id");
        let rows = sqlx::query_as::<_, ExportedTicketRow>(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *tx)
            .await
            .map_err(failed::<B>("export tickets"))?;
        let mut snapshot = Snapshot { tickets: Vec::with_capacity(rows.len()), ..Snapshot::default() };
        for row in rows {
            let ticket = row.ticket.into_ticket()?;
            if row.auto_categorised {
                snapshot.auto_categorised.push(ticket.id);
            }
            snapshot.tickets.push(ticket);
        }
        snapshot.messages = Self::read_messages(&mut tx, None).await?;
        snapshot.events = Self::read_events(&mut tx, None).await?;
        snapshot.corrections = Self::read_corrections(&mut tx, 0).await?;
        snapshot.feed = sqlx::query_as::<_, FeedRow>("SELECT seq, ticket_id FROM changes ORDER BY seq")
            .fetch_all(&mut *tx)
            .await
            .map_err(failed::<B>("export the change feed"))?
            .into_iter()
            .map(FeedEntry::from)
            .collect();
        snapshot.reporter_links = sqlx::query_as::<_, (i64, String)>(
            "SELECT ticket_id, token FROM reporter_links ORDER BY ticket_id",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(failed::<B>("export the reporter links"))?
        .into_iter()
        .map(|(ticket_id, token)| ReporterLink { ticket_id, token })
        .collect();
        snapshot.subscriptions = Self::read_subscriptions(&mut tx).await?;
        snapshot.notifications = Self::read_notifications(&mut tx).await?;
        snapshot.attachments = Self::read_attachments(&mut tx, None).await?;
        snapshot.blobs = Self::read_blobs(&mut tx).await?;
        tx.commit().await.map_err(failed::<B>("end the export's snapshot"))?;
        Ok(snapshot)
    }

    /// Writes `snapshot` into this empty store (see [`store::TicketStore::restore`]).
    pub(crate) async fn restore_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        let auto = snapshot.auto_categorised_ids()?;
        let rows = Restored {
            tickets: snapshot.tickets.iter().map(|t| Insert::ticket(t, auto.contains(&t.id), true)).collect(),
            messages: snapshot.messages.iter().map(|m| Insert::message(m, true)).collect(),
            events: snapshot.events.iter().map(|e| Insert::event(e, true)).collect(),
            corrections: snapshot.corrections.iter().map(|c| Insert::correction(c, true)).collect(),
            feed: snapshot.feed.iter().map(Insert::feed_entry).collect(),
            reporter_links: snapshot.reporter_links.iter().map(Insert::reporter_link).collect(),
            subscriptions: snapshot.subscriptions.iter().map(|s| Insert::subscription(s, true)).collect(),
            notifications: snapshot.notifications.iter().map(|n| Insert::notification(n, true)).collect(),
            attachments: snapshot.attachments.iter().map(|a| Insert::attachment(a, true)).collect(),
            blobs: snapshot.blobs.clone(),
            ticket_ids: snapshot.tickets.iter().map(|t| t.id).collect(),
        };
        let last = self.write(move |conn| Box::pin(Self::restore_in(conn, rows))).await?;
        tracing::info!(tickets = snapshot.tickets.len(), last_seq = last, "restored a snapshot");
        Ok(())
    }

    /// Writes the rows of a restore; returns the change feed's last seq, twice (the job's value
    /// and the seq to announce).
    async fn restore_in(conn: &mut Conn<B>, rows: Restored) -> Result<(i64, i64), StoreError> {
        B::lock_feed(conn).await?;
        let held = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tickets")
            .fetch_one(&mut *conn)
            .await
            .map_err(failed::<B>("count tickets"))?;
        if held > 0 {
            // The job fails, so its transaction (or savepoint) is rolled back: nothing written.
            return Err(StoreError::not_empty(held));
        }
        Self::insert_rows(conn, &TICKETS, rows.tickets).await?;
        Self::insert_rows(conn, &MESSAGES, rows.messages).await?;
        Self::insert_rows(conn, &EVENTS, rows.events).await?;
        Self::insert_rows(conn, &CORRECTIONS, rows.corrections).await?;
        Self::insert_rows(conn, &FEED, rows.feed).await?;
        Self::insert_rows(conn, &REPORTER_LINKS, rows.reporter_links).await?;
        Self::insert_rows(conn, &SUBSCRIPTIONS, rows.subscriptions).await?;
        Self::insert_rows(conn, &OUTBOX, rows.notifications).await?;
        Self::insert_blobs(conn, rows.blobs).await?;
        Self::insert_rows(conn, &ATTACHMENTS, rows.attachments).await?;
        B::after_restore(conn).await?;
        Self::index_tickets(conn, &rows.ticket_ids).await?;
        // A ticket without a feed entry (a hand-made snapshot) gets one after the existing
        // entries, in `updated_at` order, so the feed lists every ticket once.
        let missing = sqlx::query_scalar::<_, i64>(
            "SELECT t.id FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.ticket_id = t.id) \
             ORDER BY t.updated_at, t.id",
        )
        .fetch_all(&mut *conn)
        .await
        .map_err(failed::<B>("find tickets missing from the change feed"))?;
        B::publish(conn, &missing).await?;
        let last = sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(seq), 0) FROM changes")
            .fetch_one(&mut *conn)
            .await
            .map_err(failed::<B>("read the change feed position"))?;
        Ok((last, last))
    }

    /// The row count of every table, in one statement (one snapshot: they agree).
    pub(crate) async fn row_counts(pool: &Pool<B::Db>) -> Result<Counts, StoreError> {
        let row = sqlx::query_as::<_, CountsRow>(
            "SELECT (SELECT COUNT(*) FROM tickets) AS tickets, (SELECT COUNT(*) FROM messages) AS messages, \
             (SELECT COUNT(*) FROM events) AS events, \
             (SELECT COUNT(*) FROM category_corrections) AS corrections, \
             (SELECT COUNT(*) FROM changes) AS feed, \
             (SELECT COUNT(*) FROM subscriptions) AS subscriptions, \
             (SELECT COUNT(*) FROM outbox) AS notifications, \
             (SELECT COUNT(*) FROM attachments) AS attachments, (SELECT COUNT(*) FROM blobs) AS blobs",
        )
        .fetch_one(pool)
        .await
        .map_err(failed::<B>("count rows"))?;
        Ok(Counts {
            tickets: row.tickets,
            messages: row.messages,
            events: row.events,
            corrections: row.corrections,
            feed: row.feed,
            subscriptions: row.subscriptions,
            notifications: row.notifications,
            attachments: row.attachments,
            blobs: row.blobs,
        })
    }
}

/// The rows of a restore, made from the snapshot before the write begins.
struct Restored {
    tickets: Vec<Insert>,
    messages: Vec<Insert>,
    events: Vec<Insert>,
    corrections: Vec<Insert>,
    feed: Vec<Insert>,
    reporter_links: Vec<Insert>,
    subscriptions: Vec<Insert>,
    notifications: Vec<Insert>,
    attachments: Vec<Insert>,
    blobs: Vec<Blob>,
    ticket_ids: Vec<i64>,
}
