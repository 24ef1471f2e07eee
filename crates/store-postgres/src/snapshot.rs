//! Export and restore of a whole store ([`store::Snapshot`]), and the row [`Counts`]: what
//! `campusdesk migrate-data` uses to move a campus between databases.
//!
//! The export reads every table in one `REPEATABLE READ, READ ONLY` transaction, i.e. one
//! snapshot of the database, so replicas writing meanwhile cannot tear it. The restore writes in
//! one transaction that takes the change feed lock first (see the crate docs): no other writer
//! can publish a change until it commits, and the feed it writes keeps the source's seqs. Rows go
//! in batches of [`BATCH`] through `UNNEST` of array parameters, one round trip per batch.

use sqlx::PgConnection;
use store::{Counts, FeedEntry, Snapshot, StoreError};

use crate::instant::PgInstant;
use crate::{
    PgStore, TICKET_COLUMNS, column, correction_from_row, event_from_row, failed, message_from_row,
    ticket_from_row,
};

/// Rows per batched insert of a restore.
const BATCH: usize = 5_000;

/// The identity columns whose counters a restore moves past the largest restored value.
const IDENTITIES: [(&str, &str); 5] = [
    ("tickets", "id"),
    ("messages", "id"),
    ("events", "id"),
    ("category_corrections", "id"),
    ("changes", "seq"),
];

pub(crate) async fn export(store: &PgStore) -> Result<Snapshot, StoreError> {
    let mut tx = store
        .inner
        .pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .await
        .map_err(failed("begin a read-only snapshot"))?;
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {TICKET_COLUMNS}, auto_categorised FROM tickets ORDER BY id"));
    let rows = sqlx::query(sql).fetch_all(&mut *tx).await.map_err(failed("export tickets"))?;
    let mut snapshot = Snapshot { tickets: Vec::with_capacity(rows.len()), ..Snapshot::default() };
    for row in &rows {
        let ticket = ticket_from_row(row)?;
        if column::<bool>(row, "auto_categorised")? {
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
    tx.commit().await.map_err(failed("end the read-only snapshot"))?;
    Ok(snapshot)
}

pub(crate) async fn restore(store: &PgStore, snapshot: &Snapshot) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    // The feed lock first: the emptiness check, the copy and the feed are one step no other
    // restore or writer can interleave with (they queue until this commits or rolls back).
    sqlx::query("SELECT campusdesk_lock_feed()")
        .execute(&mut *tx)
        .await
        .map_err(failed("take the change feed lock"))?;
    let held = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tickets")
        .fetch_one(&mut *tx)
        .await
        .map_err(failed("count tickets"))?;
    if held > 0 {
        // Dropping `tx` rolls back: nothing was written.
        return Err(StoreError::not_empty(held));
    }
    insert_tickets(&mut tx, snapshot).await?;
    insert_messages(&mut tx, snapshot).await?;
    insert_events(&mut tx, snapshot).await?;
    insert_corrections(&mut tx, snapshot).await?;
    for batch in snapshot.feed.chunks(BATCH) {
        sqlx::query(
            "INSERT INTO changes (seq, ticket_id) OVERRIDING SYSTEM VALUE \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[])",
        )
        .bind(batch.iter().map(|f| f.seq).collect::<Vec<_>>())
        .bind(batch.iter().map(|f| f.ticket_id).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await
        .map_err(failed("restore the change feed"))?;
    }
    for (table, id) in IDENTITIES {
        // Next value: one past the largest restored (1 for an empty table).
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{id}'), \
             COALESCE((SELECT MAX({id}) FROM {table}), 0) + 1, false)"
        ));
        sqlx::query(sql)
            .execute(&mut *tx)
            .await
            .map_err(failed("move an id counter past the restored ids"))?;
    }
    append_missing_feed_entries(&mut tx).await?;
    let last = sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(seq), 0) FROM changes")
        .fetch_one(&mut *tx)
        .await
        .map_err(failed("read the change feed position"))?;
    if last > 0 {
        sqlx::query("SELECT pg_notify('campusdesk_changes', $1::text)")
            .bind(last.to_string())
            .execute(&mut *tx)
            .await
            .map_err(failed("announce the restored change feed"))?;
    }
    store.commit(tx, last).await?;
    tracing::info!(tickets = snapshot.tickets.len(), last_seq = last, "restored a snapshot");
    Ok(())
}

async fn insert_tickets(conn: &mut PgConnection, snapshot: &Snapshot) -> Result<(), StoreError> {
    let auto = snapshot.auto_categorised_ids()?;
    for batch in snapshot.tickets.chunks(BATCH) {
        sqlx::query(
            "INSERT INTO tickets (id, title, description, category, category_source, category_confidence, \
             auto_categorised, status, opened_at, updated_at, closed_at, version, message_count) \
             OVERRIDING SYSTEM VALUE \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], \
             $6::float8[], $7::bool[], $8::text[], $9::timestamptz[], $10::timestamptz[], \
             $11::timestamptz[], $12::bigint[], $13::bigint[])",
        )
        .bind(batch.iter().map(|t| t.id).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| t.title.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| t.description.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| t.category.as_str()).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| t.category_source.as_str()).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| t.category_confidence).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| auto.contains(&t.id)).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| t.status.as_str()).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| PgInstant(t.opened_at)).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| PgInstant(t.updated_at)).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| t.closed_at.map(PgInstant)).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| t.version).collect::<Vec<_>>())
        .bind(batch.iter().map(|t| t.message_count).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await
        .map_err(failed("restore tickets"))?;
    }
    Ok(())
}

async fn insert_messages(conn: &mut PgConnection, snapshot: &Snapshot) -> Result<(), StoreError> {
    for batch in snapshot.messages.chunks(BATCH) {
        sqlx::query(
            "INSERT INTO messages (id, ticket_id, author_role, author_name, body, created_at) \
             OVERRIDING SYSTEM VALUE \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
             $6::timestamptz[])",
        )
        .bind(batch.iter().map(|m| m.id).collect::<Vec<_>>())
        .bind(batch.iter().map(|m| m.ticket_id).collect::<Vec<_>>())
        .bind(batch.iter().map(|m| m.author_role.as_str()).collect::<Vec<_>>())
        .bind(batch.iter().map(|m| m.author_name.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|m| m.body.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|m| PgInstant(m.created_at)).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await
        .map_err(failed("restore messages"))?;
    }
    Ok(())
}

async fn insert_events(conn: &mut PgConnection, snapshot: &Snapshot) -> Result<(), StoreError> {
    for batch in snapshot.events.chunks(BATCH) {
        sqlx::query(
            "INSERT INTO events (id, ticket_id, kind, actor_role, actor_name, from_value, to_value, at) \
             OVERRIDING SYSTEM VALUE \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::timestamptz[])",
        )
        .bind(batch.iter().map(|e| e.id).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| e.ticket_id).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| e.actor_role.as_str()).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| e.actor_name.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| e.from.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| e.to.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| PgInstant(e.at)).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await
        .map_err(failed("restore the event log"))?;
    }
    Ok(())
}

async fn insert_corrections(conn: &mut PgConnection, snapshot: &Snapshot) -> Result<(), StoreError> {
    for batch in snapshot.corrections.chunks(BATCH) {
        sqlx::query(
            "INSERT INTO category_corrections \
             (id, ticket_id, text, from_category, to_category, from_source, actor_name, corrected_at) \
             OVERRIDING SYSTEM VALUE \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::timestamptz[])",
        )
        .bind(batch.iter().map(|c| c.id).collect::<Vec<_>>())
        .bind(batch.iter().map(|c| c.ticket_id).collect::<Vec<_>>())
        .bind(batch.iter().map(|c| c.text.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|c| c.from_category.as_str()).collect::<Vec<_>>())
        .bind(batch.iter().map(|c| c.to_category.as_str()).collect::<Vec<_>>())
        .bind(batch.iter().map(|c| c.from_source.as_str()).collect::<Vec<_>>())
        .bind(batch.iter().map(|c| c.actor_name.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|c| PgInstant(c.corrected_at)).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await
        .map_err(failed("restore category corrections"))?;
    }
    Ok(())
}

/// Gives every ticket without a feed entry one after the existing entries, in `updated_at`
/// order (ties by id), so the feed lists every ticket once. A snapshot exported by a store
/// has none missing; this keeps a hand-made one from hiding tickets from feed readers.
async fn append_missing_feed_entries(conn: &mut PgConnection) -> Result<(), StoreError> {
    let missing = sqlx::query_scalar::<_, i64>(
        "SELECT t.id FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.ticket_id = t.id) \
         ORDER BY t.updated_at, t.id",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(failed("find tickets missing from the change feed"))?;
    for id in missing {
        sqlx::query("INSERT INTO changes (ticket_id) VALUES ($1)")
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(failed("add a ticket to the change feed"))?;
    }
    Ok(())
}

pub(crate) async fn counts(store: &PgStore) -> Result<Counts, StoreError> {
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
