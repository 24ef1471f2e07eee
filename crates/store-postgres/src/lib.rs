//! The PostgreSQL backend of campusdesk's [`TicketStore`]: the production store behind several
//! replicas of the ticket service.
//!
//! [`PgStore`] is the shared SQL layer (`store_sql::SqlStore`) on [`PgBackend`], which holds
//! what is PostgreSQL's own: the schema (`migrations/`, applied at open), the connection
//! settings, the row lock before a change, the change feed step under its lock, and the
//! `LISTEN` task that wakes the store on other replicas' commits. Queries are built at run time,
//! so nothing needs a database at build time. Instants are `TIMESTAMPTZ` columns, exact to the
//! microsecond; ids and feed seqs are `BIGINT` identities. The behaviour is the SQLite
//! backend's, checked by the same backend-neutral suite (`store::suite`, behind its `testing`
//! feature).
//!
//! # Writes
//!
//! Transactions run at PostgreSQL's default isolation, READ COMMITTED. A read-modify-write
//! (version check, state machine) first locks the ticket's row with `SELECT ... FOR UPDATE`, so
//! concurrent writes of one ticket, from any replica, queue behind each other and each sees the
//! previous one's result: of several edits based on the same version exactly one wins and the
//! others get [`StoreError::VersionConflict`].
//!
//! # The change feed with concurrent writers
//!
//! The `changes` table holds one row per ticket, at the `seq` of its latest change; every write
//! transaction deletes the ticket's row and inserts a new one. The hazard: a PostgreSQL sequence
//! hands out values in the order `nextval` is called, not in commit order, and a value is never
//! given back by a rollback (PostgreSQL manual, "Sequence Manipulation Functions": `nextval`
//! is never rolled back, and values from concurrent sessions say nothing about commit order).
//! If transaction A draws seq 7 and B draws 8 but B commits first, a reader may see 8, move its
//! cursor there, and never ask for 7 again: A's change is missed.
//!
//! The fix: seqs are drawn only while holding one transaction-scoped advisory lock, the *feed
//! lock* (`pg_advisory_xact_lock(20261121, 1)`; PostgreSQL manual, "Advisory Locks", §13.3.5:
//! a transaction-level lock is held until the transaction ends and cannot be released earlier).
//! Every write transaction takes it in its last statement, the SQL function
//! `campusdesk_publish(ticket_ids)`, which moves the tickets to the feed's end and calls
//! `pg_notify`; then it commits. So between drawing a seq and committing, no other transaction
//! can draw one: seqs are handed out in commit order. PostgreSQL makes a commit visible before
//! it releases the transaction's locks, so the next lock holder's seq is drawn after the previous
//! one is visible.
//!
//! Why a reader of `seq > cursor` never misses a change: if its snapshot shows seq `s`, the
//! transaction that drew `s` had committed, so every transaction that drew a smaller seq had
//! already committed (and is in the snapshot) or rolled back (its seq is a permanent, harmless
//! hole). No transaction can later commit a seq at or below one already visible. Why it never
//! counts a change twice: the feed holds each ticket once, a consumer's cursor only moves
//! forward, and a later change of a ticket is a new entry with a new, larger seq. The reader's
//! query joins `changes` to `tickets` in one statement, i.e. one snapshot, in which the ticket
//! next to seq `s` is its state as committed with `s` (a later commit would have moved the row).
//!
//! Staff category corrections are tailed by id the same way ([`TicketStore::list_corrections`]),
//! so their ids are drawn under the feed lock too: the correction's insert takes it first
//! (`campusdesk_lock_feed()`), and the feed move follows in the same transaction.
//!
//! The cost: the feed step and the commit of all writers are serialised, one lock holder at a
//! time, database-wide. The step is one short statement plus the commit's WAL flush, so the
//! write rate tops out at roughly one commit per flush: thousands per second on an SSD, far
//! beyond a helpdesk's load. Everything before it (row locks, inserts, events) runs in parallel.
//! Deadlocks cannot arise from the feed lock: it is always the last lock taken, and its holder
//! needs no row lock another transaction can hold (only its own tickets' feed rows). A replica
//! that dies or hangs while holding it does not block the others for long: the server aborts
//! the transaction when the connection drops, or after 60 s idle inside it
//! (`idle_in_transaction_session_timeout`, set on every connection), and a request cancelled in
//! the middle rolls back as soon as sqlx returns its connection to the pool.
//!
//! # Live wake-ups
//!
//! `pg_notify('campusdesk_changes', seq)` in the same transaction reaches every listening
//! replica at commit; each [`PgStore`] runs a background `LISTEN` task feeding
//! [`TicketStore::watch_changes`], so every replica's SSE stream wakes on every replica's commits.
//!
//! # Export and restore
//!
//! [`TicketStore::export`] reads every table in one `REPEATABLE READ, READ ONLY` transaction (one
//! snapshot); [`TicketStore::restore`] writes a snapshot into an empty database in one
//! transaction that holds the feed lock from its first statement, keeping every id and the
//! feed's seqs (`OVERRIDING SYSTEM VALUE`), moves the identity counters past the largest
//! restored values (`setval`) and notifies listeners of the restored feed's last seq.
//! `campusdesk migrate-data` is built on them.
//!
//! # Several replicas starting at once
//!
//! [`PgStore::open`] runs the embedded migrations with sqlx's migrator, which first takes a
//! session-level advisory lock keyed by the database name and only then creates its bookkeeping
//! table and reads which migrations are applied; replicas starting together apply each migration
//! once, one after the other.

use std::str::FromStr as _;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection as _, PgConnection, Postgres, QueryBuilder, Row as _, Transaction};
use store::StoreError;
use store::search::SearchQuery;
use store_sql::{Backend, FeedWatch, SqlStore, Write, failed};
use tokio::sync::oneshot;

#[cfg(doc)]
use store::TicketStore;

#[cfg(feature = "testing")]
pub mod testing;
mod wakeups;

/// The embedded migrations (`crates/store-postgres/migrations/`), applied at open.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Default number of connections in each store's pool (the change listener has one more of its
/// own). Replicas multiply it: keep `replicas x (connections + 1)` under the server's
/// `max_connections` (100 by default).
pub const MAX_CONNECTIONS: u32 = 10;

/// Default period of the safety-net re-read of the change feed position, 5 seconds.
pub const FEED_POLL: Duration = Duration::from_secs(5);

/// How a [`PgStore`] connects; [`PgOptions::default`] is what [`SqlStore::open`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PgOptions {
    /// Most connections in the pool (default [`MAX_CONNECTIONS`]); at least 1.
    pub max_connections: u32,
    /// How often [`TicketStore::watch_changes`] also re-reads the feed position from the
    /// database, besides the `LISTEN` notifications (default [`FEED_POLL`]): a safety net for a
    /// listening connection that died silently. `None` relies on notifications alone (tests use
    /// it to prove notifications work).
    pub feed_poll: Option<Duration>,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions { max_connections: MAX_CONNECTIONS, feed_poll: Some(FEED_POLL) }
    }
}

/// How long the server lets one of our sessions sit idle inside a transaction before it aborts
/// it (PostgreSQL setting `idle_in_transaction_session_timeout`). Our transactions never wait
/// on the client between statements, so this only fires for a hung or partitioned replica, whose
/// row and feed locks would otherwise block every writer until TCP gives up.
const IDLE_IN_TRANSACTION_TIMEOUT: &str = "60s";

/// A [`TicketStore`] on one PostgreSQL database.
///
/// Open it with [`SqlStore::open`] or, to choose the pool size and the safety-net poll,
/// [`SqlStore::open_with`] and [`PgOptions`]. `url` is
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?OPTIONS]` (or `postgresql://`), with sqlx's
/// options (e.g. `sslmode`). The database must exist; the schema is created or migrated in it
/// (safe when several replicas open it at once, see the crate docs). A background task listens
/// for other replicas' commits until the store is dropped, reconnecting with backoff. Errors:
/// `StoreError::Backend` when the URL is not a PostgreSQL URL, the server cannot be reached or
/// refuses the login, or a migration fails.
///
/// Cheap to clone: clones share the connection pool, the change watch and its listener. Any
/// number of stores (in one process or many) may use the same database at once.
pub type PgStore = SqlStore<PgBackend>;

/// What is PostgreSQL's own in a [`PgStore`]: the switch of its change listener.
#[derive(Debug)]
pub struct PgBackend {
    /// Dropping it (with the store) stops the change listener.
    _stop_listener: oneshot::Sender<()>,
    /// The listener's end of the switch, taken when the listener starts.
    stopped: std::sync::Mutex<Option<oneshot::Receiver<()>>>,
}

impl Backend for PgBackend {
    type Db = Postgres;
    type Options = PgOptions;

    const NAME: &'static str = "PostgreSQL";
    const LOCK_ROW: &'static str = " FOR UPDATE";
    const KEEP_IDS: &'static str = " OVERRIDING SYSTEM VALUE";
    const SKIP_LOCKED: &'static str = " FOR UPDATE SKIP LOCKED";
    const WALK_FIRST: Option<i64> = Some(8_000);
    const GROUP_COMMIT: bool = false;

    async fn connect(url: &str, options: &PgOptions) -> Result<(PgPool, Self), StoreError> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            // The URL is not repeated: it may hold a password.
            return Err(StoreError::backend(anyhow!(
                "the database URL is not a PostgreSQL URL; expected postgres://USER@HOST:PORT/DATABASE"
            )));
        }
        let connect = PgConnectOptions::from_str(url)
            .context("cannot parse the PostgreSQL URL")
            .map_err(StoreError::Backend)?
            .options([("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION_TIMEOUT)]);
        // One plain connection first: a wrong host, port, password or database fails at once
        // with the server's reason, instead of after the pool's 30 s of retries.
        PgConnection::connect_with(&connect)
            .await
            .context("cannot connect to the PostgreSQL database")
            .map_err(StoreError::Backend)?
            .close()
            .await
            .context("cannot close the first PostgreSQL connection")
            .map_err(StoreError::Backend)?;
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .connect_with(connect)
            .await
            .context("cannot connect to the PostgreSQL database")
            .map_err(StoreError::Backend)?;
        MIGRATOR
            .run(&pool)
            .await
            .context("cannot apply the PostgreSQL migrations")
            .map_err(StoreError::Backend)?;
        let (stop, stopped) = oneshot::channel();
        Ok((pool, PgBackend { _stop_listener: stop, stopped: std::sync::Mutex::new(Some(stopped)) }))
    }

    fn follow_commits(&self, url: &str, options: &PgOptions, feed: FeedWatch<Self>) {
        let stopped = self.stopped.lock().ok().and_then(|mut stopped| stopped.take());
        if let Some(stopped) = stopped {
            tokio::spawn(wakeups::follow(url.to_owned(), feed, options.feed_poll, stopped));
        }
    }

    async fn begin_write(&self, pool: &PgPool) -> Result<Write<'_, Postgres>, StoreError> {
        let tx = pool.begin().await.map_err(failed::<Self>("begin a transaction"))?;
        Ok(Write { tx, queued: None })
    }

    async fn begin_snapshot(pool: &PgPool) -> Result<Transaction<'static, Postgres>, StoreError> {
        pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .map_err(failed::<Self>("begin a read-only snapshot"))
    }

    async fn lock_feed(conn: &mut PgConnection) -> Result<(), StoreError> {
        sqlx::query("SELECT campusdesk_lock_feed()")
            .execute(&mut *conn)
            .await
            .map_err(failed::<Self>("take the change feed lock"))?;
        Ok(())
    }

    async fn publish(conn: &mut PgConnection, ticket_ids: &[i64]) -> Result<i64, StoreError> {
        sqlx::query_scalar::<_, i64>("SELECT campusdesk_publish($1)")
            .bind(ticket_ids)
            .fetch_one(&mut *conn)
            .await
            .map_err(failed::<Self>("update the change feed"))
    }

    /// The planner's row estimate for the match (`EXPLAIN`, first line's `rows=`), which comes
    /// from the word frequencies `ANALYZE` samples (`most_common_elems` of the documents;
    /// PostgreSQL manual, "Statistics Used by the Planner"). A word those statistics do not
    /// list is estimated at no more than 0.5 % of the rows (`DEFAULT_TS_MATCH_SEL` in
    /// PostgreSQL's `src/backend/tsearch/ts_selfuncs.c`), so an estimate up to 0.6 % of
    /// `tickets` (a margin for the planner's own row count) only says "rare or unknown": `None`.
    /// Without any statistics the planner guesses a larger fixed share; the walk that follows
    /// is then short and costs a few milliseconds when it fails.
    ///
    /// The query is written into the statement as a literal: with a parameter, the planner
    /// estimates for an unknown query (a fixed share), measured.
    async fn estimate_matches(
        pool: &PgPool,
        search: &SearchQuery,
        tickets: i64,
    ) -> Result<Option<i64>, StoreError> {
        // A string literal: quotes doubled (the words hold letters, digits and marks only, see
        // store::search; backslashes are plain characters with standard_conforming_strings).
        let literal = search.to_tsquery().replace('\'', "''");
        let sql = format!(
            "EXPLAIN SELECT 1 FROM ticket_search WHERE document @@ to_tsquery('simple', '{literal}')"
        );
        let plan = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).fetch_optional(pool).await.map_err(failed::<
            Self,
        >(
            "estimate the search's matches",
        ))?;
        let estimated =
            plan.and_then(|row| row.try_get::<String, _>(0).ok()).and_then(|line| estimated_rows(&line));
        Ok(estimated.filter(|rows| i128::from(*rows) * 1000 > i128::from(tickets) * 6))
    }

    async fn refresh_statistics(pool: &PgPool) -> Result<(), StoreError> {
        sqlx::query("ANALYZE tickets, ticket_search")
            .execute(pool)
            .await
            .map_err(failed::<Self>("analyse the imported tickets"))?;
        Ok(())
    }

    fn push_matching_ids(sql: &mut QueryBuilder<Postgres>, search: &SearchQuery) {
        sql.push("SELECT ticket_id FROM ticket_search WHERE document @@ to_tsquery('simple', ");
        sql.push_bind(search.to_tsquery()).push(")");
    }

    /// Few matches: `id = ANY(ARRAY(...))`, which PostgreSQL runs once (a GIN index scan) and
    /// answers with a primary-key lookup of each match; with `IN (...)` the planner, which
    /// guesses a fixed share for a prefix `tsquery`, walked the whole list instead (140 ms for
    /// a word in one ticket of 100,000, measured). Many: `EXISTS`, one primary-key lookup and
    /// one `tsvector` check per ticket the walk passes.
    fn push_ticket_matches(sql: &mut QueryBuilder<Postgres>, search: &SearchQuery, many: bool) {
        if many {
            sql.push("EXISTS (SELECT 1 FROM ticket_search WHERE ticket_id = tickets.id AND document @@ to_tsquery('simple', ");
            sql.push_bind(search.to_tsquery()).push("))");
        } else {
            sql.push("id = ANY(ARRAY(");
            Self::push_matching_ids(sql, search);
            sql.push("))");
        }
    }

    async fn write_search(conn: &mut PgConnection, documents: &[(i64, String)]) -> Result<(), StoreError> {
        let ids: Vec<i64> = documents.iter().map(|(id, _)| *id).collect();
        let texts: Vec<&str> = documents.iter().map(|(_, document)| document.as_str()).collect();
        sqlx::query(
            "INSERT INTO ticket_search (ticket_id, document) \
             SELECT id, to_tsvector('simple', document) FROM UNNEST($1::bigint[], $2::text[]) AS d(id, document) \
             ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document",
        )
        .bind(ids)
        .bind(texts)
        .execute(&mut *conn)
        .await
        .map_err(failed::<Self>("update the search index"))?;
        Ok(())
    }

    async fn after_restore(conn: &mut PgConnection) -> Result<(), StoreError> {
        for (table, id) in IDENTITIES {
            // Next value: one past the largest restored (1 for an empty table).
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{id}'), \
                 COALESCE((SELECT MAX({id}) FROM {table}), 0) + 1, false)"
            ));
            sqlx::query(sql)
                .execute(&mut *conn)
                .await
                .map_err(failed::<Self>("move an id counter past the restored ids"))?;
        }
        // Other replicas learn of the restored feed at the commit.
        sqlx::query("SELECT pg_notify($1, (SELECT COALESCE(MAX(seq), 0) FROM changes)::text)")
            .bind(wakeups::CHANNEL)
            .execute(&mut *conn)
            .await
            .map_err(failed::<Self>("announce the restored change feed"))?;
        Ok(())
    }
}

/// The row estimate in one line of `EXPLAIN`'s text output, e.g. `123` from `Bitmap Heap Scan
/// on ticket_search  (cost=36.41..242.74 rows=123 width=4)`; `None` when the line has none.
fn estimated_rows(line: &str) -> Option<i64> {
    let (_, after) = line.split_once(" rows=")?;
    let digits = after.find(|c: char| !c.is_ascii_digit()).map_or(after, |end| &after[..end]);
    digits.parse().ok()
}

/// The identity columns whose counters a restore moves past the largest restored value.
const IDENTITIES: [(&str, &str); 8] = [
    ("tickets", "id"),
    ("attachments", "id"),
    ("messages", "id"),
    ("events", "id"),
    ("category_corrections", "id"),
    ("changes", "seq"),
    ("subscriptions", "id"),
    ("outbox", "id"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_row_estimate_of_a_plan_line() {
        let line = "Bitmap Heap Scan on ticket_search  (cost=36.41..242.74 rows=53 width=4)";
        assert_eq!(estimated_rows(line), Some(53));
        assert_eq!(
            estimated_rows("Seq Scan on t  (cost=0.00..45949.96 rows=1003677 width=4)"),
            Some(1_003_677)
        );
        assert_eq!(estimated_rows("Recheck Cond: (document @@ 'rows'::tsquery)"), None);
    }

    #[tokio::test]
    async fn connections_abort_transactions_left_idle() {
        let (store, _db) = testing::fresh_store().await;
        let timeout: String = sqlx::query_scalar("SHOW idle_in_transaction_session_timeout")
            .fetch_one(store.pool())
            .await
            .expect("reading a setting");
        assert_eq!(timeout, "1min", "a hung replica must not hold the feed lock for long");
    }

    #[tokio::test]
    async fn refuses_urls_of_other_databases() {
        let err = PgStore::open("sqlite://desk.db").await.expect_err("a SQLite URL must be refused");
        assert!(matches!(err, StoreError::Backend(_)));
        assert!(format!("{:#}", anyhow::Error::new(err)).contains("not a PostgreSQL URL"));
    }
}
