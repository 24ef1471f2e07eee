//! The SQLite backend of campusdesk's [`TicketStore`]: the embedded default behind
//! `campusdesk up`.
//!
//! It owns the SQLite schema (`migrations/`, applied at [`SqliteStore::open`]) and every SQL
//! statement run against it. Instants are stored as INTEGER microseconds since the Unix epoch
//! (UTC).
//!
//! # Writes
//!
//! Every change runs in one `BEGIN IMMEDIATE` transaction, which takes SQLite's write lock at
//! the start. A deferred transaction would read first and try to upgrade to a writer later,
//! and two of those can deadlock (one of them gets `SQLITE_BUSY` at once, whatever the busy
//! timeout). Writers of this process also queue on an in-process lock before asking SQLite,
//! so they wait in order instead of in SQLite's sleep-and-retry busy handler; the 5 s busy
//! timeout is only for writers in other processes.
//!
//! # The change feed
//!
//! The `changes` table holds one row per ticket. Every transaction that writes a ticket deletes
//! the ticket's row and inserts a new one, whose `seq` (AUTOINCREMENT, never reused) is larger
//! than every earlier one. Writers are serialised by the write lock, so `seq` order is commit
//! order. [`TicketStore::changes`] joins `changes` to `tickets` in one statement, i.e. one read
//! snapshot. In that snapshot the ticket next to seq `s` is exactly its state as committed by
//! the transaction that wrote `s`: any later commit touching the ticket would have removed the
//! row at `s` in the same transaction. So a reader that remembers the last seq it saw and asks
//! for `seq > cursor` never misses a change and never sees one twice, and replaying from 0
//! yields every ticket's current state once.
//!
//! # Export and restore
//!
//! [`TicketStore::export`] reads every table inside one read transaction (one WAL snapshot);
//! [`TicketStore::restore`] writes a snapshot into an empty database in one write transaction,
//! keeping every id and the feed's seqs (the `AUTOINCREMENT` counters follow the largest
//! inserted values). `campusdesk migrate-data` is built on them.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use async_trait::async_trait;
use domain::{Actor, Category, CategorySource, Event, Message, MessageBody, Role, Status, Ticket};
use jiff::Timestamp;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row as _, Sqlite, SqliteConnection, Transaction};
use store::plan::{self, PlannedCorrection, PlannedEvent};
use store::{
    Change, ClassifierCounts, Correction, Counts, ImportedTicket, NewTicket, Snapshot, StoreError,
    TicketCursor, TicketEdit, TicketPage, TicketQuery, TicketStore,
};
use tokio::sync::{Mutex, watch};

mod snapshot;

/// The embedded migrations (`crates/store-sqlite/migrations/`), applied by [`SqliteStore::open`].
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How long a writer waits for another process's write lock before failing, in seconds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How often the store looks for commits made by other connections to the same file (another
/// process, or another [`SqliteStore`] on the same path), to advance [`TicketStore::watch_changes`].
const FOREIGN_COMMIT_POLL: Duration = Duration::from_secs(1);

/// Most tickets one [`TicketStore::list_tickets`] page returns.
const MAX_PAGE: u32 = 200;

/// Columns of `tickets`, in the order [`ticket_from_row`] reads them.
const TICKET_COLUMNS: &str = "id, title, description, category, category_source, \
     category_confidence, status, opened_at, updated_at, closed_at, version, message_count";

/// A [`TicketStore`] on one SQLite database file.
///
/// Cheap to clone: clones share the connection pool and the change watch.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    pool: SqlitePool,
    /// Serialises this process's writers (see the crate docs).
    write_lock: Mutex<()>,
    /// The latest committed change feed seq.
    latest: watch::Sender<i64>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("latest_seq", &*self.inner.latest.borrow()).finish()
    }
}

impl SqliteStore {
    /// Opens (creating if missing, with its parent directory) the database at `url` and brings
    /// its schema up to date.
    ///
    /// `url` is `sqlite://PATH` or `sqlite:PATH` (a relative PATH is relative to the working
    /// directory); `sqlite::memory:` gives a private in-memory database, for tests. Connections
    /// use WAL journaling, `synchronous = NORMAL`, foreign keys and a 5 s busy timeout.
    ///
    /// Must be called inside a Tokio runtime: it starts a small task that notices commits made
    /// by other processes on the same file (polling once a second) and ends with the store.
    ///
    /// Errors: [`StoreError::Backend`] when the URL is not a SQLite URL, the directory or file
    /// cannot be created or opened, or a migration fails.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        if !(url.starts_with("sqlite:")) {
            return Err(StoreError::backend(anyhow!(
                "{url:?} is not a SQLite URL; expected sqlite://PATH or sqlite:PATH"
            )));
        }
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("cannot parse the SQLite URL {url:?}"))
            .map_err(StoreError::Backend)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
            create_dir(dir)?;
        }
        // An in-memory database lives in SQLite's shared cache, where concurrent connections get
        // SQLITE_LOCKED instead of waiting: give it a single connection.
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(if in_memory { 1 } else { 8 })
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the SQLite database {url:?}"))
            .map_err(StoreError::Backend)?;
        MIGRATOR
            .run(&pool)
            .await
            .context("cannot apply the SQLite migrations")
            .map_err(StoreError::Backend)?;
        let latest = latest_seq(&pool).await?;
        let inner = Arc::new(Inner { pool, write_lock: Mutex::new(()), latest: watch::Sender::new(latest) });
        tokio::spawn(watch_foreign_commits(Arc::downgrade(&inner)));
        tracing::debug!(url, latest_seq = latest, "opened the SQLite ticket store");
        Ok(SqliteStore { inner })
    }

    /// Closes every connection, waiting for running statements. Later calls fail with
    /// [`StoreError::Backend`]. Call it at shutdown so the WAL is checkpointed cleanly.
    pub async fn close(&self) {
        self.inner.pool.close().await;
    }

    /// Starts a write transaction holding SQLite's write lock, queued behind this process's
    /// other writers. The returned guard must live until the commit.
    async fn begin_write(&self) -> Result<(tokio::sync::MutexGuard<'_, ()>, Tx), StoreError> {
        let guard = self.inner.write_lock.lock().await;
        let tx = self.inner.pool.begin_with("BEGIN IMMEDIATE").await.map_err(failed("begin a write"))?;
        Ok((guard, tx))
    }

    /// Commits `tx` and announces `seq` (the last change feed seq it wrote) to watchers.
    async fn commit(&self, tx: Tx, seq: i64) -> Result<(), StoreError> {
        tx.commit().await.map_err(failed("commit"))?;
        advance(&self.inner.latest, seq);
        Ok(())
    }
}

type Tx = Transaction<'static, Sqlite>;

fn create_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the database directory {}", dir.display()))
        .map_err(StoreError::Backend)
}

/// Maps a database error to [`StoreError::Backend`] saying which step failed.
fn failed(step: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |err| StoreError::Backend(anyhow::Error::new(err).context(format!("SQLite: cannot {step}")))
}

/// Moves the watch forward to `seq`; never backwards (commits may announce out of order).
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

async fn latest_seq(pool: &SqlitePool) -> Result<i64, StoreError> {
    sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(seq), 0) FROM changes")
        .fetch_one(pool)
        .await
        .map_err(failed("read the change feed position"))
}

/// Advances the watch when another connection to the file commits; ends with the store.
async fn watch_foreign_commits(inner: Weak<Inner>) {
    let mut tick = tokio::time::interval(FOREIGN_COMMIT_POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(inner) = inner.upgrade() else { return };
        if inner.pool.is_closed() {
            return;
        }
        match latest_seq(&inner.pool).await {
            Ok(seq) => advance(&inner.latest, seq),
            Err(err) => tracing::debug!(error = ?err, "cannot poll the change feed position"),
        }
    }
}

fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

fn instant(micros: i64, column: &str) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros)
        .with_context(|| format!("column {column} holds {micros}, which is not a valid instant"))
        .map_err(StoreError::Backend)
}

fn column<'r, T>(row: &'r SqliteRow, name: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(name).map_err(failed("decode a row"))
}

fn ticket_from_row(row: &SqliteRow) -> Result<Ticket, StoreError> {
    let closed_at: Option<i64> = column(row, "closed_at")?;
    Ok(Ticket {
        id: column(row, "id")?,
        title: column(row, "title")?,
        description: column(row, "description")?,
        category: store::decode::text::<Category>(&column::<String>(row, "category")?, "category")?,
        category_source: store::decode::text::<CategorySource>(
            &column::<String>(row, "category_source")?,
            "category_source",
        )?,
        category_confidence: column(row, "category_confidence")?,
        status: store::decode::text::<Status>(&column::<String>(row, "status")?, "status")?,
        opened_at: instant(column(row, "opened_at")?, "opened_at")?,
        updated_at: instant(column(row, "updated_at")?, "updated_at")?,
        closed_at: closed_at.map(|at| instant(at, "closed_at")).transpose()?,
        version: column(row, "version")?,
        message_count: column(row, "message_count")?,
    })
}

fn message_from_row(row: &SqliteRow) -> Result<Message, StoreError> {
    Ok(Message {
        id: column(row, "id")?,
        ticket_id: column(row, "ticket_id")?,
        author_role: store::decode::text::<Role>(&column::<String>(row, "author_role")?, "author_role")?,
        author_name: column(row, "author_name")?,
        body: column(row, "body")?,
        created_at: instant(column(row, "created_at")?, "created_at")?,
    })
}

fn event_from_row(row: &SqliteRow) -> Result<Event, StoreError> {
    let kind: String = column(row, "kind")?;
    Ok(Event {
        id: column(row, "id")?,
        ticket_id: column(row, "ticket_id")?,
        kind: store::decode::event_kind(&kind)?,
        actor_role: store::decode::text::<Role>(&column::<String>(row, "actor_role")?, "actor_role")?,
        actor_name: column(row, "actor_name")?,
        from: column(row, "from_value")?,
        to: column(row, "to_value")?,
        at: instant(column(row, "at")?, "at")?,
    })
}

/// Reads one ticket inside a connection or transaction. Errors: [`StoreError::NotFound`].
async fn fetch_ticket(conn: &mut SqliteConnection, id: i64) -> Result<Ticket, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1"));
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(failed("read a ticket"))?
        .ok_or(StoreError::NotFound(id))?;
    ticket_from_row(&row)
}

async fn ensure_ticket(conn: &mut SqliteConnection, id: i64) -> Result<(), StoreError> {
    let found = sqlx::query_scalar::<_, i64>("SELECT 1 FROM tickets WHERE id = ?1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(failed("look up a ticket"))?;
    found.map(|_| ()).ok_or(StoreError::NotFound(id))
}

async fn append_event(
    conn: &mut SqliteConnection,
    ticket_id: i64,
    event: &PlannedEvent,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO events (ticket_id, kind, actor_role, actor_name, from_value, to_value, at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(ticket_id)
    .bind(event.kind.as_str())
    .bind(event.actor.role.as_str())
    .bind(event.actor.name.as_ref().map(|n| n.as_str()))
    .bind(event.from.as_deref())
    .bind(event.to.as_deref())
    .bind(micros(event.at))
    .execute(&mut *conn)
    .await
    .map_err(failed("append to the event log"))?;
    Ok(())
}

/// Moves the ticket to the end of the compacted change feed and returns its new seq.
async fn move_to_feed_end(conn: &mut SqliteConnection, ticket_id: i64) -> Result<i64, StoreError> {
    sqlx::query("DELETE FROM changes WHERE ticket_id = ?1")
        .bind(ticket_id)
        .execute(&mut *conn)
        .await
        .map_err(failed("update the change feed"))?;
    sqlx::query_scalar::<_, i64>("INSERT INTO changes (ticket_id) VALUES (?1) RETURNING seq")
        .bind(ticket_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(failed("update the change feed"))
}

/// Escapes `%`, `_` and `\` so one search word matches literally, anywhere in the field, in
/// `LIKE ... ESCAPE '\'` (SQLite's LIKE ignores ASCII case only).
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

/// One `AND (title LIKE ?n ... OR description LIKE ?n ...)` per search word, numbered from
/// `first`: every word must occur in the title or in the description. Only placeholders go
/// into the SQL text; the words themselves are bound.
fn word_clauses(words: usize, first: usize) -> String {
    (first..first + words)
        .map(|n| format!("AND (title LIKE ?{n} ESCAPE '\\' OR description LIKE ?{n} ESCAPE '\\') "))
        .collect()
}

/// Fits a filter (values of `all`, in any order, maybe repeated) into a fixed `IN (?, ?, ?)`:
/// every value not chosen is replaced by a chosen one; an empty filter means "all".
fn in_list<const N: usize>(chosen: &[&'static str], all: [&'static str; N]) -> [&'static str; N] {
    match chosen.first() {
        None => all,
        Some(&first) => all.map(|value| if chosen.contains(&value) { value } else { first }),
    }
}

#[async_trait]
impl TicketStore for SqliteStore {
    async fn create_ticket(
        &self,
        new: NewTicket,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        let (_guard, mut tx) = self.begin_write().await?;
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO tickets (title, description, category, category_source, category_confidence, \
             status, opened_at, updated_at, closed_at, version, message_count, auto_categorised) \
             VALUES (?1, ?2, ?3, 'auto', ?4, 'open', ?5, ?5, NULL, 1, 0, 1) RETURNING {TICKET_COLUMNS}"
        ));
        let row = sqlx::query(sql)
            .bind(new.title.as_str())
            .bind(new.description.as_str())
            .bind(new.category.as_str())
            .bind(new.category_confidence)
            .bind(micros(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(failed("insert a ticket"))?;
        let ticket = ticket_from_row(&row)?;
        append_event(&mut tx, ticket.id, &plan::created(actor, now)).await?;
        let seq = move_to_feed_end(&mut tx, ticket.id).await?;
        self.commit(tx, seq).await?;
        Ok(ticket)
    }

    async fn get_ticket(&self, id: i64) -> Result<Ticket, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed("get a connection"))?;
        fetch_ticket(&mut conn, id).await
    }

    async fn list_tickets(&self, query: &TicketQuery) -> Result<TicketPage, StoreError> {
        let limit = query.limit.clamp(1, MAX_PAGE);
        let statuses: Vec<&'static str> = query.statuses.iter().map(|s| s.as_str()).collect();
        let statuses = in_list(&statuses, Status::ALL.map(Status::as_str));
        let categories: Vec<&'static str> = query.category.iter().map(|c| c.as_str()).collect();
        let categories = in_list(&categories, Category::ALL.map(Category::as_str));
        let patterns: Vec<String> = query.words().into_iter().map(like_pattern).collect();
        // Without a cursor, start above every real (opened_at, id).
        let (after_at, after_id) = query.after.map_or((i64::MAX, i64::MAX), |c| (micros(c.opened_at), c.id));
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets \
             WHERE status IN (?1, ?2, ?3) AND category IN (?4, ?5, ?6) \
               AND (opened_at, id) < (?7, ?8) {} \
             ORDER BY opened_at DESC, id DESC LIMIT ?9",
            word_clauses(patterns.len(), 10)
        ));
        let mut q = sqlx::query(sql);
        for value in statuses.into_iter().chain(categories) {
            q = q.bind(value);
        }
        q = q.bind(after_at).bind(after_id).bind(i64::from(limit) + 1);
        for pattern in patterns {
            q = q.bind(pattern);
        }
        let rows = q.fetch_all(&self.inner.pool).await.map_err(failed("list tickets"))?;
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
        let (_guard, mut tx) = self.begin_write().await?;
        let before = fetch_ticket(&mut tx, id).await?;
        let Some(plan) = plan::edit(&before, edit, actor, now)? else {
            // Nothing to change: no new version, event or change feed entry.
            return Ok(before);
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE tickets SET \
               title = COALESCE(?2, title), \
               description = COALESCE(?3, description), \
               category = COALESCE(?4, category), \
               category_source = CASE WHEN ?4 IS NULL THEN category_source ELSE 'staff' END, \
               category_confidence = CASE WHEN ?4 IS NULL THEN category_confidence ELSE 1.0 END, \
               version = version + 1, updated_at = ?5 \
             WHERE id = ?1 RETURNING {TICKET_COLUMNS}"
        ));
        let row = sqlx::query(sql)
            .bind(id)
            .bind(plan.title.as_ref().map(|t| t.as_str()))
            .bind(plan.description.as_ref().map(|d| d.as_str()))
            .bind(plan.category.map(Category::as_str))
            .bind(micros(now))
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
        let seq = move_to_feed_end(&mut tx, id).await?;
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
        let (_guard, mut tx) = self.begin_write().await?;
        let before = fetch_ticket(&mut tx, id).await?;
        let plan = plan::transition(&before, to, actor, now)?;
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE tickets SET status = ?2, closed_at = ?3, updated_at = ?4 \
             WHERE id = ?1 RETURNING {TICKET_COLUMNS}"
        ));
        let row = sqlx::query(sql)
            .bind(id)
            .bind(plan.status.as_str())
            .bind(plan.closed_at.map(micros))
            .bind(micros(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(failed("change a ticket's status"))?;
        let after = ticket_from_row(&row)?;
        append_event(&mut tx, id, &plan.event).await?;
        let seq = move_to_feed_end(&mut tx, id).await?;
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
        let (_guard, mut tx) = self.begin_write().await?;
        ensure_ticket(&mut tx, ticket_id).await?;
        let row = sqlx::query(
            "INSERT INTO messages (ticket_id, author_role, author_name, body, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             RETURNING id, ticket_id, author_role, author_name, body, created_at",
        )
        .bind(ticket_id)
        .bind(actor.role.as_str())
        .bind(actor.name.as_ref().map(|n| n.as_str()))
        .bind(body.as_str())
        .bind(micros(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(failed("insert a message"))?;
        let message = message_from_row(&row)?;
        sqlx::query("UPDATE tickets SET message_count = message_count + 1, updated_at = ?2 WHERE id = ?1")
            .bind(ticket_id)
            .bind(micros(now))
            .execute(&mut *tx)
            .await
            .map_err(failed("count a message"))?;
        append_event(&mut tx, ticket_id, &plan::message_posted(actor, message.id, now)).await?;
        let seq = move_to_feed_end(&mut tx, ticket_id).await?;
        self.commit(tx, seq).await?;
        Ok(message)
    }

    async fn list_messages(&self, ticket_id: i64) -> Result<Vec<Message>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed("get a connection"))?;
        ensure_ticket(&mut conn, ticket_id).await?;
        let rows = sqlx::query(
            "SELECT id, ticket_id, author_role, author_name, body, created_at FROM messages \
             WHERE ticket_id = ?1 ORDER BY created_at, id",
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
             WHERE ticket_id = ?1 ORDER BY id",
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
        // One statement, one snapshot: see the crate docs for why each row is the ticket's state
        // as of the commit that wrote its seq.
        let columns = TICKET_COLUMNS.split(", ").map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ");
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT c.seq, {columns} FROM changes c JOIN tickets t ON t.id = c.ticket_id \
             WHERE c.seq > ?1 ORDER BY c.seq LIMIT ?2"
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
        let (_guard, mut tx) = self.begin_write().await?;
        let mut ids = Vec::with_capacity(tickets.len());
        let mut seq = 0;
        for ticket in &tickets {
            let (id, last) = insert_imported(&mut tx, ticket, actor).await?;
            ids.push(id);
            seq = last;
        }
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
             FROM category_corrections WHERE id > ?1 ORDER BY id",
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
               (SELECT COUNT(*) FROM tickets WHERE auto_categorised = 1) AS auto_categorised, \
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
async fn record_correction(
    conn: &mut SqliteConnection,
    ticket_id: i64,
    correction: &PlannedCorrection,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO category_corrections \
         (ticket_id, text, from_category, to_category, from_source, actor_name, corrected_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(ticket_id)
    .bind(correction.text.as_str())
    .bind(correction.from_category.as_str())
    .bind(correction.to_category.as_str())
    .bind(correction.from_source.as_str())
    .bind(correction.actor_name.as_deref())
    .bind(micros(correction.corrected_at))
    .execute(&mut *conn)
    .await
    .map_err(failed("record a category correction"))?;
    Ok(())
}

fn correction_from_row(row: &SqliteRow) -> Result<Correction, StoreError> {
    Ok(Correction {
        id: column(row, "id")?,
        ticket_id: column(row, "ticket_id")?,
        text: column(row, "text")?,
        from_category: store::decode::text::<Category>(
            &column::<String>(row, "from_category")?,
            "from_category",
        )?,
        to_category: store::decode::text::<Category>(&column::<String>(row, "to_category")?, "to_category")?,
        from_source: store::decode::text::<CategorySource>(
            &column::<String>(row, "from_source")?,
            "from_source",
        )?,
        actor_name: column(row, "actor_name")?,
        corrected_at: instant(column(row, "corrected_at")?, "corrected_at")?,
    })
}

/// Writes one imported ticket with its thread, events and change feed row; returns its id and
/// seq.
///
/// The event log says what is known and nothing more: `created` at `opened_at` (by the importing
/// actor, `to` = the status the ticket entered campusdesk with), `message_posted` for each
/// message (by its author, at its time) and, for a closed ticket, `status_changed` to `closed`
/// at `closed_at` with an unknown (`None`) `from`, since the file does not say when it became
/// active.
async fn insert_imported(
    conn: &mut SqliteConnection,
    ticket: &ImportedTicket,
    actor: &Actor,
) -> Result<(i64, i64), StoreError> {
    let plan = plan::import(ticket, actor);
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO tickets (title, description, category, category_source, category_confidence, \
         status, opened_at, updated_at, closed_at, version, message_count, auto_categorised) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?4 = 'auto') RETURNING id",
    )
    .bind(ticket.title.as_str())
    .bind(ticket.description.as_str())
    .bind(ticket.category.as_str())
    .bind(ticket.category_source.as_str())
    .bind(ticket.category_confidence)
    .bind(ticket.status.as_str())
    .bind(micros(ticket.opened_at))
    .bind(micros(plan.updated_at))
    .bind(ticket.closed_at.map(micros))
    .bind(plan.message_count)
    .fetch_one(&mut *conn)
    .await
    .map_err(failed("insert an imported ticket"))?;
    append_event(conn, id, &plan.created).await?;
    for message in plan.thread {
        let message_id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO messages (ticket_id, author_role, author_name, body, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        )
        .bind(id)
        .bind(message.author.role.as_str())
        .bind(message.author.name.as_ref().map(|n| n.as_str()))
        .bind(message.body.as_str())
        .bind(micros(message.created_at))
        .fetch_one(&mut *conn)
        .await
        .map_err(failed("insert an imported message"))?;
        append_event(conn, id, &plan::message_posted(&message.author, message_id, message.created_at))
            .await?;
    }
    if let Some(closed) = &plan.closed {
        append_event(conn, id, closed).await?;
    }
    let seq = move_to_feed_end(conn, id).await?;
    Ok((id, seq))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use domain::{Description, Title};

    fn new_ticket(title: &str) -> NewTicket {
        NewTicket {
            title: Title::parse(title).unwrap(),
            description: Description::parse("described").unwrap(),
            category: Category::It,
            category_confidence: 0.5,
        }
    }

    fn now() -> Timestamp {
        Timestamp::from_microsecond(1_795_248_000_654_321).unwrap()
    }

    #[tokio::test]
    async fn reopening_keeps_tickets_and_the_feed_position() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("desk.db").display());
        let store = SqliteStore::open(&url).await.unwrap();
        let first = store.create_ticket(new_ticket("First"), &Actor::staff(), now()).await.unwrap();
        let second = store.create_ticket(new_ticket("Second"), &Actor::staff(), now()).await.unwrap();
        let feed = store.changes(0, 10).await.unwrap();
        store.close().await;
        drop(store);

        let reopened = SqliteStore::open(&url).await.unwrap();
        assert_eq!(reopened.get_ticket(first.id).await.unwrap(), first);
        assert_eq!(reopened.changes(0, 10).await.unwrap(), feed);
        assert_eq!(*reopened.watch_changes().borrow(), feed[1].seq, "the watch starts at the latest seq");
        let third = reopened.create_ticket(new_ticket("Third"), &Actor::staff(), now()).await.unwrap();
        assert!(third.id > second.id);
        let after = reopened.changes(feed[1].seq, 10).await.unwrap();
        assert_eq!(after.len(), 1, "a reader resuming from its cursor sees only the new ticket");
        assert_eq!(after[0].ticket, third);
    }

    #[tokio::test]
    async fn migrations_are_idempotent_and_the_short_url_creates_directories() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("deeper").join("desk.db");
        let url = format!("sqlite:{}", path.display());
        let store = SqliteStore::open(&url).await.unwrap();
        assert!(path.exists(), "open creates the file and its directories");
        MIGRATOR.run(&store.inner.pool).await.unwrap();
        store.create_ticket(new_ticket("Kept"), &Actor::staff(), now()).await.unwrap();
        let again = SqliteStore::open(&url).await.unwrap();
        assert_eq!(again.count_tickets().await.unwrap(), 1);
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&again.inner.pool)
            .await
            .unwrap();
        assert_eq!(
            applied,
            i64::try_from(MIGRATOR.iter().count()).unwrap(),
            "each migration is applied once"
        );
    }

    #[tokio::test]
    async fn connections_use_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&format!("sqlite://{}/desk.db", dir.path().display())).await.unwrap();
        let mode: String =
            sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&store.inner.pool).await.unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&store.inner.pool).await.unwrap();
        assert_eq!(fk, 1);
        let orphan =
            sqlx::query("INSERT INTO changes (ticket_id) VALUES (999)").execute(&store.inner.pool).await;
        assert!(orphan.is_err(), "a change row for a missing ticket must be refused");
    }

    #[tokio::test]
    async fn an_in_memory_store_works_for_tests() {
        let store = SqliteStore::open("sqlite::memory:").await.unwrap();
        let created = store.create_ticket(new_ticket("In memory"), &Actor::staff(), now()).await.unwrap();
        assert_eq!(store.get_ticket(created.id).await.unwrap(), created);
        let other = SqliteStore::open("sqlite::memory:").await.unwrap();
        assert_eq!(other.count_tickets().await.unwrap(), 0, "each in-memory store is its own database");
    }

    #[tokio::test]
    async fn refuses_urls_of_other_databases() {
        let err = SqliteStore::open("postgres://localhost/desk").await.unwrap_err();
        assert!(matches!(err, StoreError::Backend(_)));
        assert!(format!("{:#}", anyhow::Error::new(err)).contains("not a SQLite URL"));
    }

    #[tokio::test]
    async fn the_watch_sees_commits_of_another_store_on_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("desk.db").display());
        let watcher = SqliteStore::open(&url).await.unwrap();
        let writer = SqliteStore::open(&url).await.unwrap();
        writer.create_ticket(new_ticket("Elsewhere"), &Actor::staff(), now()).await.unwrap();
        let seq = writer.changes(0, 1).await.unwrap()[0].seq;
        let mut rx = watcher.watch_changes();
        tokio::time::timeout(Duration::from_secs(30), rx.wait_for(|&s| s >= seq)).await.unwrap().unwrap();
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("100%"), "%100\\%%");
        assert_eq!(like_pattern("a_b\\c"), "%a\\_b\\\\c%");
        assert_eq!(like_pattern("lift"), "%lift%");
    }

    #[test]
    fn word_clauses_number_one_placeholder_per_word() {
        assert_eq!(word_clauses(0, 10), "");
        assert_eq!(
            word_clauses(2, 10),
            "AND (title LIKE ?10 ESCAPE '\\' OR description LIKE ?10 ESCAPE '\\') \
             AND (title LIKE ?11 ESCAPE '\\' OR description LIKE ?11 ESCAPE '\\') "
        );
    }

    #[test]
    fn in_list_pads_with_the_first_choice_and_empty_means_all() {
        assert_eq!(in_list(&[], ["open", "active", "closed"]), ["open", "active", "closed"]);
        assert_eq!(in_list(&["closed"], ["open", "active", "closed"]), ["closed", "closed", "closed"]);
        assert_eq!(in_list(&["closed", "open"], ["open", "active", "closed"]), ["open", "closed", "closed"]);
        assert_eq!(in_list(&["open", "open"], ["open", "active", "closed"]), ["open", "open", "open"]);
    }

    #[test]
    fn the_watch_never_moves_backwards() {
        let (tx, rx) = watch::channel(5);
        advance(&tx, 3);
        assert_eq!(*rx.borrow(), 5);
        advance(&tx, 9);
        assert_eq!(*rx.borrow(), 9);
    }
}
