//! The PostgreSQL backend of campusdesk's [`TicketStore`]: the production store behind several
//! replicas of the ticket service.
//!
//! It owns the PostgreSQL schema (`migrations/`, applied at [`PgStore::open`]) and every SQL
//! statement run against it. Queries are built at run time, so nothing needs a database at build
//! time. Instants are `TIMESTAMPTZ` columns, exact to the microsecond (written and read in PostgreSQL's binary format); ids
//! and feed seqs are `BIGINT` identities. The behaviour is the SQLite backend's, checked by the
//! same backend-neutral suite (`store::suite`, behind its `testing` feature).
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
//! so their ids are drawn under the feed lock too, right before the feed move.
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
//! feed's seqs, moves the identity counters past the largest restored values (`setval`) and
//! notifies listeners of the last seq. `campusdesk migrate-data` is built on them.
//!
//! # Several replicas starting at once
//!
//! [`PgStore::open`] runs the embedded migrations with sqlx's migrator, which first takes a
//! session-level advisory lock keyed by the database name and only then creates its bookkeeping
//! table and reads which migrations are applied; replicas starting together apply each migration
//! once, one after the other.

use std::str::FromStr as _;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use async_trait::async_trait;
use domain::{Actor, Category, Event, Message, MessageBody, Role, Status, Ticket};
use jiff::Timestamp;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{Connection as _, PgConnection, Postgres, Row as _, Transaction};
use store::plan::{self, PlannedCorrection, PlannedEvent};
use store::{
    Change, ClassifierCounts, Correction, Counts, ImportedTicket, NewTicket, Snapshot, StoreError,
    TicketCursor, TicketEdit, TicketPage, TicketQuery, TicketStore,
};
use tokio::sync::{oneshot, watch};

mod instant;
mod snapshot;
#[cfg(feature = "testing")]
pub mod testing;
mod wakeups;

use instant::PgInstant;

/// The embedded migrations (`crates/store-postgres/migrations/`), applied by [`PgStore::open`].
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Default number of connections in each store's pool (the change listener has one more of its
/// own). Replicas multiply it: keep `replicas x (connections + 1)` under the server's
/// `max_connections` (100 by default).
pub const MAX_CONNECTIONS: u32 = 10;

/// Default period of the safety-net re-read of the change feed position, 5 seconds.
pub const FEED_POLL: Duration = Duration::from_secs(5);

/// How a [`PgStore`] connects; [`PgOptions::default`] is what [`PgStore::open`] uses.
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

/// Most tickets one [`TicketStore::list_tickets`] page returns.
const MAX_PAGE: u32 = 200;

/// Columns of `tickets`, in the order [`ticket_from_row`] reads them.
const TICKET_COLUMNS: &str = "id, title, description, category, category_source, \
     category_confidence, status, opened_at, updated_at, closed_at, version, message_count";

/// A [`TicketStore`] on one PostgreSQL database.
///
/// Cheap to clone: clones share the connection pool, the change watch and its listener. Any
/// number of stores (in one process or many) may use the same database at once.
#[derive(Clone)]
pub struct PgStore {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pool: PgPool,
    /// The latest committed change feed seq.
    latest: watch::Sender<i64>,
    /// Dropping it (with the store) stops the change listener.
    _stop_listener: oneshot::Sender<()>,
}

impl Inner {
    /// Moves the watch forward to `seq`; never backwards (announcements may arrive out of order).
    pub(crate) fn advance(&self, seq: i64) {
        advance(&self.latest, seq);
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("latest_seq", &*self.inner.latest.borrow()).finish()
    }
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date.
    ///
    /// `url` is `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?OPTIONS]` (or `postgresql://`),
    /// with sqlx's options (e.g. `sslmode`). The database must exist; the schema is created or
    /// migrated in it (safe when several replicas open it at once, see the crate docs). The pool
    /// holds up to [`MAX_CONNECTIONS`] connections, and a background task listens for other
    /// replicas' commits until the store is dropped, reconnecting with backoff (see
    /// [`PgOptions`] for the pool size and the safety-net poll).
    ///
    /// Must be called inside a Tokio runtime.
    ///
    /// Errors: [`StoreError::Backend`] when the URL is not a PostgreSQL URL, the server cannot
    /// be reached or refuses the login, or a migration fails.
    pub async fn open(url: &str) -> Result<PgStore, StoreError> {
        PgStore::open_with(url, PgOptions::default()).await
    }

    /// [`PgStore::open`] with the given pool size and feed poll. Errors: as [`PgStore::open`].
    pub async fn open_with(url: &str, options: PgOptions) -> Result<PgStore, StoreError> {
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
        let latest = latest_seq(&pool).await?;
        let (stop, stopped) = oneshot::channel();
        let inner = Arc::new(Inner { pool, latest: watch::Sender::new(latest), _stop_listener: stop });
        tokio::spawn(wakeups::follow(url.to_owned(), Arc::downgrade(&inner), options.feed_poll, stopped));
        tracing::debug!(latest_seq = latest, "opened the PostgreSQL ticket store");
        Ok(PgStore { inner })
    }

    /// Closes every pooled connection, waiting for running statements. Later calls fail with
    /// [`StoreError::Backend`]; the change listener stops too.
    pub async fn close(&self) {
        self.inner.pool.close().await;
    }

    async fn begin(&self) -> Result<Tx, StoreError> {
        self.inner.pool.begin().await.map_err(failed("begin a transaction"))
    }

    /// Commits `tx` and announces `seq` (the last change feed seq it wrote) to this store's
    /// watchers at once; other stores hear of it through the notification.
    async fn commit(&self, tx: Tx, seq: i64) -> Result<(), StoreError> {
        tx.commit().await.map_err(failed("commit"))?;
        self.inner.advance(seq);
        Ok(())
    }
}

type Tx = Transaction<'static, Postgres>;

/// Maps a database error to [`StoreError::Backend`] saying which step failed.
fn failed(step: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |err| StoreError::Backend(anyhow::Error::new(err).context(format!("PostgreSQL: cannot {step}")))
}

/// Moves the watch forward to `seq`; never backwards.
fn advance(latest: &watch::Sender<i64>, seq: i64) {
    latest.send_if_modified(|current| {
        if seq > *current {
            *current = seq;
            true
        } else {
            false
        }
    });
}

/// The highest seq in the change feed (0 when it is empty).
pub(crate) async fn latest_seq(pool: &PgPool) -> Result<i64, StoreError> {
    sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(seq), 0) FROM changes")
        .fetch_one(pool)
        .await
        .map_err(failed("read the change feed position"))
}

/// Moves `ticket_ids`, in order, to the end of the change feed under the feed lock, announces
/// the last seq on the notification channel, and returns it. The last statement before COMMIT.
async fn publish(conn: &mut PgConnection, ticket_ids: &[i64]) -> Result<i64, StoreError> {
    sqlx::query_scalar::<_, i64>("SELECT campusdesk_publish($1)")
        .bind(ticket_ids)
        .fetch_one(&mut *conn)
        .await
        .map_err(failed("update the change feed"))
}

fn column<'r, T>(row: &'r PgRow, name: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    row.try_get(name).map_err(failed("decode a row"))
}

fn instant(row: &PgRow, name: &str) -> Result<Timestamp, StoreError> {
    Ok(column::<PgInstant>(row, name)?.0)
}

fn text_column<T: std::str::FromStr>(row: &PgRow, name: &str) -> Result<T, StoreError>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    store::decode::text::<T>(&column::<String>(row, name)?, name)
}

fn ticket_from_row(row: &PgRow) -> Result<Ticket, StoreError> {
    Ok(Ticket {
        id: column(row, "id")?,
        title: column(row, "title")?,
        description: column(row, "description")?,
        category: text_column(row, "category")?,
        category_source: text_column(row, "category_source")?,
        category_confidence: column(row, "category_confidence")?,
        status: text_column(row, "status")?,
        opened_at: instant(row, "opened_at")?,
        updated_at: instant(row, "updated_at")?,
        closed_at: column::<Option<PgInstant>>(row, "closed_at")?.map(|at| at.0),
        version: column(row, "version")?,
        message_count: column(row, "message_count")?,
    })
}

fn message_from_row(row: &PgRow) -> Result<Message, StoreError> {
    Ok(Message {
        id: column(row, "id")?,
        ticket_id: column(row, "ticket_id")?,
        author_role: text_column::<Role>(row, "author_role")?,
        author_name: column(row, "author_name")?,
        body: column(row, "body")?,
        created_at: instant(row, "created_at")?,
    })
}

fn event_from_row(row: &PgRow) -> Result<Event, StoreError> {
    let kind: String = column(row, "kind")?;
    Ok(Event {
        id: column(row, "id")?,
        ticket_id: column(row, "ticket_id")?,
        kind: store::decode::event_kind(&kind)?,
        actor_role: text_column::<Role>(row, "actor_role")?,
        actor_name: column(row, "actor_name")?,
        from: column(row, "from_value")?,
        to: column(row, "to_value")?,
        at: instant(row, "at")?,
    })
}

fn correction_from_row(row: &PgRow) -> Result<Correction, StoreError> {
    Ok(Correction {
        id: column(row, "id")?,
        ticket_id: column(row, "ticket_id")?,
        text: column(row, "text")?,
        from_category: text_column(row, "from_category")?,
        to_category: text_column(row, "to_category")?,
        from_source: text_column(row, "from_source")?,
        actor_name: column(row, "actor_name")?,
        corrected_at: instant(row, "corrected_at")?,
    })
}

/// Reads one ticket. Errors: [`StoreError::NotFound`].
async fn fetch_ticket(conn: &mut PgConnection, id: i64) -> Result<Ticket, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1"));
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(failed("read a ticket"))?
        .ok_or(StoreError::NotFound(id))?;
    ticket_from_row(&row)
}

/// Reads one ticket and locks its row until the transaction ends, so a read-modify-write of it
/// cannot interleave with another. Errors: [`StoreError::NotFound`].
async fn lock_ticket(tx: &mut PgConnection, id: i64) -> Result<Ticket, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1 FOR UPDATE"));
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(failed("lock a ticket"))?
        .ok_or(StoreError::NotFound(id))?;
    ticket_from_row(&row)
}

async fn ensure_ticket(conn: &mut PgConnection, id: i64) -> Result<(), StoreError> {
    let found = sqlx::query_scalar::<_, i32>("SELECT 1 FROM tickets WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(failed("look up a ticket"))?;
    found.map(|_| ()).ok_or(StoreError::NotFound(id))
}

async fn append_event(
    conn: &mut PgConnection,
    ticket_id: i64,
    event: &PlannedEvent,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO events (ticket_id, kind, actor_role, actor_name, from_value, to_value, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ticket_id)
    .bind(event.kind.as_str())
    .bind(event.actor.role.as_str())
    .bind(event.actor.name.as_ref().map(|n| n.as_str()))
    .bind(event.from.as_deref())
    .bind(event.to.as_deref())
    .bind(PgInstant(event.at))
    .execute(&mut *conn)
    .await
    .map_err(failed("append to the event log"))?;
    Ok(())
}

/// Escapes `%`, `_` and `\` so one search word matches literally, anywhere in the field, in
/// `ILIKE ... ESCAPE '\'`.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[async_trait]
impl TicketStore for PgStore {
    async fn create_ticket(
        &self,
        new: NewTicket,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        let mut tx = self.begin().await?;
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO tickets (title, description, category, category_source, category_confidence, \
             auto_categorised, status, opened_at, updated_at, closed_at, version, message_count) \
             VALUES ($1, $2, $3, 'auto', $4, TRUE, 'open', $5, $5, NULL, 1, 0) RETURNING {TICKET_COLUMNS}"
        ));
        let row = sqlx::query(sql)
            .bind(new.title.as_str())
            .bind(new.description.as_str())
            .bind(new.category.as_str())
            .bind(new.category_confidence)
            .bind(PgInstant(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(failed("insert a ticket"))?;
        let ticket = ticket_from_row(&row)?;
        append_event(&mut tx, ticket.id, &plan::created(actor, now)).await?;
        let seq = publish(&mut tx, &[ticket.id]).await?;
        self.commit(tx, seq).await?;
        Ok(ticket)
    }

    async fn get_ticket(&self, id: i64) -> Result<Ticket, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed("get a connection"))?;
        fetch_ticket(&mut conn, id).await
    }

    async fn list_tickets(&self, query: &TicketQuery) -> Result<TicketPage, StoreError> {
        let limit = query.limit.clamp(1, MAX_PAGE);
        // An empty filter means every value: bind NULL instead of an array.
        let statuses: Option<Vec<&str>> =
            (!query.statuses.is_empty()).then(|| query.statuses.iter().map(|s| s.as_str()).collect());
        let category = query.category.map(Category::as_str);
        // Every word's pattern must match the title or the description; no words, no filter.
        let patterns: Vec<String> = query.words().into_iter().map(like_pattern).collect();
        let (after_at, after_id) = match query.after {
            Some(cursor) => (Some(PgInstant(cursor.opened_at)), Some(cursor.id)),
            None => (None, None),
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets \
             WHERE ($1::text[] IS NULL OR status = ANY ($1)) \
               AND ($2::text IS NULL OR category = $2) \
               AND NOT EXISTS (SELECT FROM unnest($3::text[]) AS word(pattern) \
                   WHERE NOT (title ILIKE pattern ESCAPE '\\' OR description ILIKE pattern ESCAPE '\\')) \
               AND ($4::timestamptz IS NULL OR (opened_at, id) < ($4, $5)) \
             ORDER BY opened_at DESC, id DESC LIMIT $6"
        ));
        let rows = sqlx::query(sql)
            .bind(statuses)
            .bind(category)
            .bind(patterns)
            .bind(after_at)
            .bind(after_id)
            .bind(i64::from(limit) + 1)
            .fetch_all(&self.inner.pool)
            .await
            .map_err(failed("list tickets"))?;
        let mut items = rows.iter().map(ticket_from_row).collect::<Result<Vec<_>, _>>()?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|t| TicketCursor { opened_at: t.opened_at, id: t.id })
        } else {
            None
        };
        Ok(TicketPage { items, next })
    }

    async fn update_ticket(
        &self,
        id: i64,
        edit: TicketEdit,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        let mut tx = self.begin().await?;
        let before = lock_ticket(&mut tx, id).await?;
        let Some(plan) = plan::edit(&before, edit, actor, now)? else {
            // Nothing to change: no new version, event or change feed entry.
            return Ok(before);
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE tickets SET \
               title = COALESCE($2, title), \
               description = COALESCE($3, description), \
               category = COALESCE($4, category), \
               category_source = CASE WHEN $4::text IS NULL THEN category_source ELSE 'staff' END, \
               category_confidence = CASE WHEN $4::text IS NULL THEN category_confidence ELSE 1.0 END, \
               version = version + 1, updated_at = $5 \
             WHERE id = $1 RETURNING {TICKET_COLUMNS}"
        ));
        let row = sqlx::query(sql)
            .bind(id)
            .bind(plan.title.as_ref().map(|t| t.as_str()))
            .bind(plan.description.as_ref().map(|d| d.as_str()))
            .bind(plan.category.map(Category::as_str))
            .bind(PgInstant(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(failed("update a ticket"))?;
        let after = ticket_from_row(&row)?;
        for event in &plan.events {
            append_event(&mut tx, id, event).await?;
        }
        if let Some(correction) = &plan.correction {
            record_correction(&mut tx, id, correction).await?;
        }
        let seq = publish(&mut tx, &[id]).await?;
        self.commit(tx, seq).await?;
        Ok(after)
    }

    async fn transition(
        &self,
        id: i64,
        to: Status,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        let mut tx = self.begin().await?;
        let before = lock_ticket(&mut tx, id).await?;
        let plan = plan::transition(&before, to, actor, now)?;
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE tickets SET status = $2, closed_at = $3, updated_at = $4 \
             WHERE id = $1 RETURNING {TICKET_COLUMNS}"
        ));
        let row = sqlx::query(sql)
            .bind(id)
            .bind(plan.status.as_str())
            .bind(plan.closed_at.map(PgInstant))
            .bind(PgInstant(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(failed("change a ticket's status"))?;
        let after = ticket_from_row(&row)?;
        append_event(&mut tx, id, &plan.event).await?;
        let seq = publish(&mut tx, &[id]).await?;
        self.commit(tx, seq).await?;
        Ok(after)
    }

    async fn add_message(
        &self,
        ticket_id: i64,
        body: MessageBody,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Message, StoreError> {
        let mut tx = self.begin().await?;
        // Counting first locks the ticket's row, so its messages get ids in posting order.
        let counted = sqlx::query_scalar::<_, i64>(
            "UPDATE tickets SET message_count = message_count + 1, updated_at = $2 WHERE id = $1 RETURNING id",
        )
        .bind(ticket_id)
        .bind(PgInstant(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(failed("count a message"))?;
        if counted.is_none() {
            return Err(StoreError::NotFound(ticket_id));
        }
        let row = sqlx::query(
            "INSERT INTO messages (ticket_id, author_role, author_name, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, ticket_id, author_role, author_name, body, created_at",
        )
        .bind(ticket_id)
        .bind(actor.role.as_str())
        .bind(actor.name.as_ref().map(|n| n.as_str()))
        .bind(body.as_str())
        .bind(PgInstant(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(failed("insert a message"))?;
        let message = message_from_row(&row)?;
        append_event(&mut tx, ticket_id, &plan::message_posted(actor, message.id, now)).await?;
        let seq = publish(&mut tx, &[ticket_id]).await?;
        self.commit(tx, seq).await?;
        Ok(message)
    }

    async fn list_messages(&self, ticket_id: i64) -> Result<Vec<Message>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed("get a connection"))?;
        ensure_ticket(&mut conn, ticket_id).await?;
        let rows = sqlx::query(
            "SELECT id, ticket_id, author_role, author_name, body, created_at FROM messages \
             WHERE ticket_id = $1 ORDER BY created_at, id",
        )
        .bind(ticket_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(failed("list messages"))?;
        rows.iter().map(message_from_row).collect()
    }

    async fn list_events(&self, ticket_id: i64) -> Result<Vec<Event>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed("get a connection"))?;
        ensure_ticket(&mut conn, ticket_id).await?;
        let rows = sqlx::query(
            "SELECT id, ticket_id, kind, actor_role, actor_name, from_value, to_value, at FROM events \
             WHERE ticket_id = $1 ORDER BY id",
        )
        .bind(ticket_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(failed("list events"))?;
        rows.iter().map(event_from_row).collect()
    }

    async fn changes(&self, after: i64, limit: u32) -> Result<Vec<Change>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        // One statement, one snapshot: see the crate docs for why this never skips a change and
        // why each row is the ticket's state as of the commit that wrote its seq.
        let columns = TICKET_COLUMNS.split(", ").map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ");
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT c.seq, {columns} FROM changes c JOIN tickets t ON t.id = c.ticket_id \
             WHERE c.seq > $1 ORDER BY c.seq LIMIT $2"
        ));
        let rows = sqlx::query(sql)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.inner.pool)
            .await
            .map_err(failed("read the change feed"))?;
        rows.iter()
            .map(|row| Ok(Change { seq: column(row, "seq")?, ticket: ticket_from_row(row)? }))
            .collect()
    }

    fn watch_changes(&self) -> watch::Receiver<i64> {
        self.inner.latest.subscribe()
    }

    async fn import(&self, tickets: Vec<ImportedTicket>, actor: &Actor) -> Result<Vec<i64>, StoreError> {
        plan::check_import(&tickets)?;
        if tickets.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin().await?;
        let mut ids = Vec::with_capacity(tickets.len());
        for ticket in &tickets {
            ids.push(insert_imported(&mut tx, ticket, actor).await?);
        }
        let seq = publish(&mut tx, &ids).await?;
        self.commit(tx, seq).await?;
        tracing::info!(tickets = ids.len(), "imported tickets");
        Ok(ids)
    }

    async fn count_tickets(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tickets")
            .fetch_one(&self.inner.pool)
            .await
            .map_err(failed("count tickets"))
    }

    async fn list_corrections(&self, after_id: i64) -> Result<Vec<Correction>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, ticket_id, text, from_category, to_category, from_source, actor_name, corrected_at \
             FROM category_corrections WHERE id > $1 ORDER BY id",
        )
        .bind(after_id)
        .fetch_all(&self.inner.pool)
        .await
        .map_err(failed("list category corrections"))?;
        rows.iter().map(correction_from_row).collect()
    }

    async fn classifier_counts(&self) -> Result<ClassifierCounts, StoreError> {
        // One statement, one snapshot: the three counts agree with each other.
        let row = sqlx::query(
            "SELECT \
               (SELECT COUNT(*) FROM tickets WHERE auto_categorised) AS auto_categorised, \
               (SELECT COUNT(DISTINCT ticket_id) FROM category_corrections WHERE from_source = 'auto') \
                 AS corrected, \
               (SELECT COUNT(*) FROM category_corrections) AS corrections",
        )
        .fetch_one(&self.inner.pool)
        .await
        .map_err(failed("count the classifier's tickets"))?;
        Ok(ClassifierCounts {
            auto_categorised: column(&row, "auto_categorised")?,
            corrected: column(&row, "corrected")?,
            corrections: column(&row, "corrections")?,
        })
    }

    async fn export(&self) -> Result<Snapshot, StoreError> {
        snapshot::export(self).await
    }

    async fn restore(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        snapshot::restore(self, snapshot).await
    }

    async fn counts(&self) -> Result<Counts, StoreError> {
        snapshot::counts(self).await
    }
}

/// Records a planned staff category correction of ticket `ticket_id`.
///
/// Takes the feed lock first, so correction ids, like feed seqs, are handed out in commit order
/// (see the crate docs); the caller's next statement is the feed move, then the commit.
async fn record_correction(
    conn: &mut PgConnection,
    ticket_id: i64,
    correction: &PlannedCorrection,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO category_corrections \
         (ticket_id, text, from_category, to_category, from_source, actor_name, corrected_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ticket_id)
    .bind(correction.text.as_str())
    .bind(correction.from_category.as_str())
    .bind(correction.to_category.as_str())
    .bind(correction.from_source.as_str())
    .bind(correction.actor_name.as_deref())
    .bind(PgInstant(correction.corrected_at))
    .execute(&mut *conn)
    .await
    .map_err(failed("record a category correction"))?;
    Ok(())
}

/// Writes one imported ticket with its thread and events (not its feed entry); returns its id.
///
/// The event log says what is known and nothing more, as on SQLite: `created` at `opened_at` (by
/// the importing actor, `to` = the status the ticket entered campusdesk with), `message_posted`
/// for each message (by its author, at its time) and, for a closed ticket, `status_changed` to
/// `closed` at `closed_at` with an unknown (`None`) `from`.
async fn insert_imported(
    conn: &mut PgConnection,
    ticket: &ImportedTicket,
    actor: &Actor,
) -> Result<i64, StoreError> {
    let plan = plan::import(ticket, actor);
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO tickets (title, description, category, category_source, category_confidence, \
         auto_categorised, status, opened_at, updated_at, closed_at, version, message_count) \
         VALUES ($1, $2, $3, $4, $5, $4 = 'auto', $6, $7, $8, $9, 1, $10) RETURNING id",
    )
    .bind(ticket.title.as_str())
    .bind(ticket.description.as_str())
    .bind(ticket.category.as_str())
    .bind(ticket.category_source.as_str())
    .bind(ticket.category_confidence)
    .bind(ticket.status.as_str())
    .bind(PgInstant(ticket.opened_at))
    .bind(PgInstant(plan.updated_at))
    .bind(ticket.closed_at.map(PgInstant))
    .bind(plan.message_count)
    .fetch_one(&mut *conn)
    .await
    .map_err(failed("insert an imported ticket"))?;
    append_event(conn, id, &plan.created).await?;
    for message in plan.thread {
        let message_id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO messages (ticket_id, author_role, author_name, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(message.author.role.as_str())
        .bind(message.author.name.as_ref().map(|n| n.as_str()))
        .bind(message.body.as_str())
        .bind(PgInstant(message.created_at))
        .fetch_one(&mut *conn)
        .await
        .map_err(failed("insert an imported message"))?;
        append_event(conn, id, &plan::message_posted(&message.author, message_id, message.created_at))
            .await?;
    }
    if let Some(closed) = &plan.closed {
        append_event(conn, id, closed).await?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("100%"), "%100\\%%");
        assert_eq!(like_pattern("a_b\\c"), "%a\\_b\\\\c%");
        assert_eq!(like_pattern("lift"), "%lift%");
    }

    #[test]
    fn the_watch_never_moves_backwards() {
        let (tx, rx) = watch::channel(5);
        advance(&tx, 3);
        assert_eq!(*rx.borrow(), 5);
        advance(&tx, 9);
        assert_eq!(*rx.borrow(), 9);
    }

    #[tokio::test]
    async fn connections_abort_transactions_left_idle() {
        let (store, _db) = testing::fresh_store().await;
        let timeout: String = sqlx::query_scalar("SHOW idle_in_transaction_session_timeout")
            .fetch_one(&store.inner.pool)
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
