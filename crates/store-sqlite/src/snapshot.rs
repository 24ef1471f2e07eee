//! Export and restore of a whole store ([`store::Snapshot`]), and the row [`Counts`]: what
//! `campusdesk migrate-data` uses to move a campus between databases.
//!
//! The export reads every table inside one read transaction: in WAL mode its first read fixes
//! the snapshot all later reads of the transaction see, so writers running meanwhile cannot
//! tear it. The restore is one `BEGIN IMMEDIATE` write transaction, like every other write.
//! Explicit ids inserted into an `AUTOINCREMENT` table move its counter (`sqlite_sequence`)
//! past them, so new rows get fresh ids.

use sqlx::SqliteConnection;
use store::{Counts, FeedEntry, Snapshot, StoreError};

use crate::{
    SqliteStore, TICKET_COLUMNS, column, correction_from_row, event_from_row, failed, message_from_row,
    micros, ticket_from_row,
};

pub(crate) async fn export(store: &SqliteStore) -> Result<Snapshot, StoreError> {
    let mut tx = store.inner.pool.begin().await.map_err(failed("begin a read"))?;
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {TICKET_COLUMNS}, auto_categorised FROM tickets ORDER BY id"));
    let rows = sqlx::query(sql).fetch_all(&mut *tx).await.map_err(failed("export tickets"))?;
    let mut snapshot = Snapshot { tickets: Vec::with_capacity(rows.len()), ..Snapshot::default() };
    for row in &rows {
        let ticket = ticket_from_row(row)?;
        if column::<i64>(row, "auto_categorised")? == 1 {
            snapshot.auto_categorised.push(ticket.id);
        }
        snapshot.tickets.push(ticket);
    }
    drop(rows);
    snapshot.messages = sqlx::query(
        "SELECT id, ticket_id, author_role, author_name, body, created_at FROM messages ORDER BY id",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(failed("export messages"))?
    .iter()
    .map(message_from_row)
    .collect::<Result<_, _>>()?;
    snapshot.events = sqlx::query(
        "SELECT id, ticket_id, kind, actor_role, actor_name, from_value, to_value, at FROM events ORDER BY id",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(failed("export the event log"))?
    .iter()
    .map(event_from_row)
    .collect::<Result<_, _>>()?;
    snapshot.corrections = sqlx::query(
        "SELECT id, ticket_id, text, from_category, to_category, from_source, actor_name, corrected_at \
         FROM category_corrections ORDER BY id",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(failed("export category corrections"))?
    .iter()
    .map(correction_from_row)
    .collect::<Result<_, _>>()?;
    snapshot.feed = sqlx::query("SELECT seq, ticket_id FROM changes ORDER BY seq")
        .fetch_all(&mut *tx)
        .await
        .map_err(failed("export the change feed"))?
        .iter()
        .map(|row| Ok(FeedEntry { seq: column(row, "seq")?, ticket_id: column(row, "ticket_id")? }))
        .collect::<Result<_, StoreError>>()?;
    tx.commit().await.map_err(failed("end the read"))?;
    Ok(snapshot)
}

pub(crate) async fn restore(store: &SqliteStore, snapshot: &Snapshot) -> Result<(), StoreError> {
    let auto = snapshot.auto_categorised_ids()?;
    let (_guard, mut tx) = store.begin_write().await?;
    let held = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tickets")
        .fetch_one(&mut *tx)
        .await
        .map_err(failed("count tickets"))?;
    if held > 0 {
        // Dropping `tx` rolls back: nothing was written.
        return Err(StoreError::not_empty(held));
    }
    for t in &snapshot.tickets {
        sqlx::query(
            "INSERT INTO tickets (id, title, description, category, category_source, category_confidence, \
             status, opened_at, updated_at, closed_at, version, message_count, auto_categorised) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .bind(t.id)
        .bind(t.title.as_str())
        .bind(t.description.as_str())
        .bind(t.category.as_str())
        .bind(t.category_source.as_str())
        .bind(t.category_confidence)
        .bind(t.status.as_str())
        .bind(micros(t.opened_at))
        .bind(micros(t.updated_at))
        .bind(t.closed_at.map(micros))
        .bind(t.version)
        .bind(t.message_count)
        .bind(i64::from(auto.contains(&t.id)))
        .execute(&mut *tx)
        .await
        .map_err(failed("restore a ticket"))?;
    }
    for m in &snapshot.messages {
        sqlx::query(
            "INSERT INTO messages (id, ticket_id, author_role, author_name, body, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(m.id)
        .bind(m.ticket_id)
        .bind(m.author_role.as_str())
        .bind(m.author_name.as_deref())
        .bind(m.body.as_str())
        .bind(micros(m.created_at))
        .execute(&mut *tx)
        .await
        .map_err(failed("restore a message"))?;
    }
    for e in &snapshot.events {
        sqlx::query(
            "INSERT INTO events (id, ticket_id, kind, actor_role, actor_name, from_value, to_value, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(e.id)
        .bind(e.ticket_id)
        .bind(e.kind.as_str())
        .bind(e.actor_role.as_str())
        .bind(e.actor_name.as_deref())
        .bind(e.from.as_deref())
        .bind(e.to.as_deref())
        .bind(micros(e.at))
        .execute(&mut *tx)
        .await
        .map_err(failed("restore an event"))?;
    }
    for c in &snapshot.corrections {
        sqlx::query(
            "INSERT INTO category_corrections \
             (id, ticket_id, text, from_category, to_category, from_source, actor_name, corrected_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(c.id)
        .bind(c.ticket_id)
        .bind(c.text.as_str())
        .bind(c.from_category.as_str())
        .bind(c.to_category.as_str())
        .bind(c.from_source.as_str())
        .bind(c.actor_name.as_deref())
        .bind(micros(c.corrected_at))
        .execute(&mut *tx)
        .await
        .map_err(failed("restore a category correction"))?;
    }
    for f in &snapshot.feed {
        sqlx::query("INSERT INTO changes (seq, ticket_id) VALUES (?1, ?2)")
            .bind(f.seq)
            .bind(f.ticket_id)
            .execute(&mut *tx)
            .await
            .map_err(failed("restore the change feed"))?;
    }
    append_missing_feed_entries(&mut tx).await?;
    let last = sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(seq), 0) FROM changes")
        .fetch_one(&mut *tx)
        .await
        .map_err(failed("read the change feed position"))?;
    store.commit(tx, last).await?;
    tracing::info!(tickets = snapshot.tickets.len(), last_seq = last, "restored a snapshot");
    Ok(())
}

/// Gives every ticket without a feed entry one after the existing entries, in `updated_at`
/// order (ties by id), so the feed lists every ticket once. A snapshot exported by a store
/// has none missing; this keeps a hand-made one from hiding tickets from feed readers.
async fn append_missing_feed_entries(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let missing = sqlx::query_scalar::<_, i64>(
        "SELECT t.id FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.ticket_id = t.id) \
         ORDER BY t.updated_at, t.id",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(failed("find tickets missing from the change feed"))?;
    for id in missing {
        sqlx::query("INSERT INTO changes (ticket_id) VALUES (?1)")
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(failed("add a ticket to the change feed"))?;
    }
    Ok(())
}

pub(crate) async fn counts(store: &SqliteStore) -> Result<Counts, StoreError> {
    // One statement, one snapshot: the counts agree with each other.
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM tickets) AS tickets, (SELECT COUNT(*) FROM messages) AS messages, \
         (SELECT COUNT(*) FROM events) AS events, \
         (SELECT COUNT(*) FROM category_corrections) AS corrections, \
         (SELECT COUNT(*) FROM changes) AS feed",
    )
    .fetch_one(&store.inner.pool)
    .await
    .map_err(failed("count rows"))?;
    Ok(Counts {
        tickets: column(&row, "tickets")?,
        messages: column(&row, "messages")?,
        events: column(&row, "events")?,
        corrections: column(&row, "corrections")?,
        feed: column(&row, "feed")?,
    })
}
