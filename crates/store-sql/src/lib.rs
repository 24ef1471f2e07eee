//! The SQL layer both ticket stores share: [`SqlStore`], one implementation of
//! [`TicketStore`] over sqlx, generic over a [`Backend`].
//!
//! The two databases campusdesk runs on (SQLite, the embedded default, in `store-sqlite`;
//! PostgreSQL, for several replicas, in `store-postgres`) agree on the schema's tables and
//! columns and on almost every statement. What is written once, here:
//!
//! - the row types (`rows`: `sqlx::FromRow` structs and their conversion into domain records),
//! - every statement where the dialects agree (both take `$N` placeholders; row values,
//!   `RETURNING` and `CAST` mean the same in both), and the ticket list's dynamic filters
//!   (`queries`, with `sqlx::QueryBuilder`),
//! - the write paths (`writes`): each change reads the ticket, asks `store::plan` what to write,
//!   writes it, appends to the event log and moves the ticket to the end of the change feed, in
//!   one transaction; every row of every table, whether created, imported or restored, goes in
//!   through one insert function,
//! - export, restore and the row counts (`snapshot`),
//! - the reporters' private links (`reporter`): a token drawn for every ticket that enters the
//!   store, and the reads by token.
//!
//! What truly differs lives in each backend crate, behind [`Backend`]: opening and migrating,
//! how a write transaction starts (SQLite queues its writers and takes the database's write
//! lock at `BEGIN IMMEDIATE`; PostgreSQL locks the ticket's row), how a transaction publishes to
//! the change feed (SQLite's writers are already serialised; PostgreSQL draws seqs under an
//! advisory lock and notifies listeners), how commits made elsewhere wake the store (a poll of
//! the file; `LISTEN`), the full-text index (an FTS5 table; a `tsvector` with a GIN index: both
//! hold `store::search::document`, kept up to date here in `search`), and the time type
//! ([`Instant`]: INTEGER microseconds on SQLite, `TIMESTAMPTZ` on PostgreSQL). Each backend
//! crate's docs argue why its change feed never misses a change.
//!
//! Every generic item here carries the same list of sqlx bounds (the database's connection is
//! an executor, and it encodes and decodes `i64`, `f64`, `bool`, text and [`Instant`]); both
//! sqlx backends meet it, and Rust does not let a trait carry it for them.

use std::future::Future;
use std::sync::{Arc, Weak};

use anyhow::Context as _;
use async_trait::async_trait;
use domain::{Actor, Attachment, Event, Message, MessageBody, Status, Ticket};
use jiff::{SignedDuration, Timestamp};
use sqlx::{
    ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, QueryBuilder, Transaction, Type,
};
use store::search::SearchQuery;
use store::{
    Change, ClassifierCounts, Correction, Counts, ImportJob, ImportState, ImportedTicket, NewAttachment,
    NewImportJob, NewTicket, Notification, OutboxStatus, Snapshot, StoreError, Subscription, TicketEdit,
    TicketPage, TicketQuery, TicketStore, TicketThread,
};
use tokio::sync::{MutexGuard, watch};

mod attachments;
mod inserts;
mod instant;
mod jobs;
mod outbox;
mod queries;
mod reporter;
mod rows;
mod search;
mod snapshot;
mod writer;
mod writes;
use writes::StatusChange;

pub use inserts::CACHED_UP_TO;
pub use instant::Instant;
pub use writer::JobFuture;

/// A connection of backend `B`'s database.
pub type Conn<B> = <<B as Backend>::Db as Database>::Connection;

/// The bound arguments of a statement on backend `B`'s database.
pub type Args<B> = <<B as Backend>::Db as Database>::Arguments;

/// A result row of backend `B`'s database.
pub type Row<B> = <<B as Backend>::Db as Database>::Row;

/// A Rust type a column can hold and a statement can bind on database `DB`: `i64`, `f64`,
/// `bool`, `String` and [`Instant`] on both backends.
pub trait Column<DB: Database>: Type<DB> + for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB> {}

impl<DB: Database, T> Column<DB> for T where T: Type<DB> + for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB> {}

/// What differs between the databases; everything else is [`SqlStore`]'s.
///
/// Implemented by `store_sqlite::Sqlite` and `store_postgres::Postgres`, whose values hold the
/// backend's own state of one store (SQLite's writer queue; PostgreSQL's listener switch).
pub trait Backend: Sized + Send + Sync + 'static {
    /// The sqlx database.
    type Db: Database + sqlx::database::HasStatementCache;
    /// How [`SqlStore::open_with`] connects; [`Default`] is what [`SqlStore::open`] uses.
    type Options: Default + Send + Sync;

    /// The database's name in error messages: `"SQLite"`, `"PostgreSQL"`.
    const NAME: &'static str;
    /// Appended to the `SELECT` that reads a ticket before changing it: ` FOR UPDATE` on
    /// PostgreSQL, which locks the row until the transaction ends; empty on SQLite, whose
    /// writer already holds the database's write lock.
    const LOCK_ROW: &'static str;
    /// Whether the store's writes go through one writer task that commits them in batches
    /// (see the `writer` module): true on SQLite, which serialises writers and flushes at
    /// every commit; false on PostgreSQL, whose writers commit in parallel.
    const GROUP_COMMIT: bool;
    /// Written before `VALUES` when a restore inserts rows with their own ids: ` OVERRIDING
    /// SYSTEM VALUE` on PostgreSQL (its ids are `GENERATED ALWAYS`); empty on SQLite.
    const KEEP_IDS: &'static str;
    /// Appended to the `SELECT` that picks outbox rows to claim: ` FOR UPDATE SKIP LOCKED` on
    /// PostgreSQL, so that the senders of several replicas pass over each other's rows instead
    /// of claiming them twice; empty on SQLite, whose writer holds the database's write lock.
    const SKIP_LOCKED: &'static str;
    /// A list with a search whose matches [`Backend::estimate_matches`] expects to fill a page
    /// within this many tickets of the list first walks the list in its order, checking each
    /// ticket against the search, for at most twice the expected distance, and serves the page
    /// from that walk when it fills one (with the estimate as the total); only otherwise does it
    /// count the matches. `Some` on PostgreSQL, where counting a common word's matches costs a
    /// heap page visit per match (GIN has no index-only scan): 47 ms for 10,000 of them at a
    /// million tickets against 1 ms for the walk, and a walk costs about 2.7 µs per ticket
    /// passed, measured, so walking 8,000 tickets (22 ms) still beats counting and reading the
    /// 3,000 or more matches that make it necessary. `None` on SQLite, whose FTS5 index counts
    /// matches in about 1.5 ms.
    const WALK_FIRST: Option<i64>;

    /// Checks that `url` is this backend's, connects, and applies the migrations.
    ///
    /// Errors: [`StoreError::Backend`] saying which of these failed.
    fn connect(
        url: &str,
        options: &Self::Options,
    ) -> impl Future<Output = Result<(Pool<Self::Db>, Self), StoreError>> + Send;

    /// Starts whatever advances `feed` when another process or replica commits (a poll, a
    /// listener); it must end once the store is gone ([`FeedWatch::is_gone`]).
    fn follow_commits(&self, url: &str, options: &Self::Options, feed: FeedWatch<Self>);

    /// Begins a write transaction, queued behind this store's other writers where the backend
    /// needs that. The returned [`Write`] holds whatever must live until the commit.
    fn begin_write(
        &self,
        pool: &Pool<Self::Db>,
    ) -> impl Future<Output = Result<Write<'_, Self::Db>, StoreError>> + Send;

    /// Begins the read-only transaction of an export: one consistent snapshot of every table.
    fn begin_snapshot(
        pool: &Pool<Self::Db>,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, StoreError>> + Send;

    /// Takes the change feed lock for the rest of the transaction, where there is one: before
    /// drawing ids that readers tail (category corrections) and before a restore.
    fn lock_feed(conn: &mut Conn<Self>) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Moves `ticket_ids`, in order, to the end of the change feed, announces the last seq to
    /// other stores where the backend can, and returns it (0 for no ids). The last statement
    /// before the commit.
    fn publish(
        conn: &mut Conn<Self>,
        ticket_ids: &[i64],
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// The database's own estimate of how many of its `tickets` tickets match `search`, from
    /// the statistics it keeps, without reading the matches; `None` where it has none (SQLite)
    /// or where its estimate says no more than "rare or unknown". Only consulted with
    /// [`Backend::WALK_FIRST`].
    fn estimate_matches(
        pool: &Pool<Self::Db>,
        search: &SearchQuery,
        tickets: i64,
    ) -> impl Future<Output = Result<Option<i64>, StoreError>> + Send;

    /// Refreshes the statistics the database plans by, after a large import
    /// (`SqlStore::after_import`): `ANALYZE` of the tickets and their search documents on
    /// PostgreSQL (its manual, "Populating a Database": run `ANALYZE` after loading much
    /// data); nothing on SQLite, whose plans here do not depend on statistics.
    fn refresh_statistics(pool: &Pool<Self::Db>) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Appends a `SELECT` of the ids of the tickets whose search document matches every term
    /// of `search`, in no particular order.
    fn push_matching_ids(sql: &mut QueryBuilder<Self::Db>, search: &SearchQuery);

    /// Appends a condition on the row `tickets` of the enclosing list query, true when that
    /// ticket's search document matches every term of `search`. With `many` false (fewer than
    /// a page walk would pass, counted first), it is written so that the database reads the
    /// matches and looks the tickets up; with `many` true, so that it walks the list in its
    /// order and stops after one page. The planners cannot tell the two apart themselves: they
    /// do not know how many tickets a search word matches.
    fn push_ticket_matches(sql: &mut QueryBuilder<Self::Db>, search: &SearchQuery, many: bool);

    /// Stores each `(ticket id, document)` as that ticket's search document
    /// (`store::search::document`), replacing what was there.
    fn write_search(
        conn: &mut Conn<Self>,
        documents: &[(i64, String)],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// After a restore inserted rows with their own ids: moves the id counters past them, where
    /// the database does not do so itself.
    fn after_restore(conn: &mut Conn<Self>) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// A write transaction, with what must live until its commit.
pub struct Write<'a, DB: Database> {
    /// The transaction.
    pub tx: Transaction<'static, DB>,
    /// This store's writer queue, where the backend keeps one (SQLite).
    pub queued: Option<MutexGuard<'a, ()>>,
}

/// A [`TicketStore`] on one database of backend `B`.
///
/// Cheap to clone: clones share the connection pool, the change watch and the backend's state.
pub struct SqlStore<B: Backend> {
    inner: Arc<Shared<B>>,
}

impl<B: Backend> Clone for SqlStore<B> {
    fn clone(&self) -> Self {
        SqlStore { inner: Arc::clone(&self.inner) }
    }
}

impl<B: Backend> std::fmt::Debug for SqlStore<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(B::NAME).field("latest_seq", &*self.inner.latest.borrow()).finish()
    }
}

struct Shared<B: Backend> {
    pool: Pool<B::Db>,
    /// The latest committed change feed seq.
    latest: watch::Sender<i64>,
    backend: B,
    /// The writer task's queue, on a backend with [`Backend::GROUP_COMMIT`].
    queue: Option<writer::Queue<B>>,
}

/// A weak handle on a store's change watch, for the backend's background task: it does not
/// keep the store alive.
pub struct FeedWatch<B: Backend> {
    shared: Weak<Shared<B>>,
}

impl<B: Backend> FeedWatch<B> {
    /// Whether the store was dropped or closed: the background task should end.
    pub fn is_gone(&self) -> bool {
        self.shared.upgrade().is_none_or(|shared| shared.pool.is_closed())
    }

    /// Moves the watch forward to `seq` (never backwards). `false` when the store is gone.
    pub fn advance(&self, seq: i64) -> bool {
        match self.shared.upgrade() {
            Some(shared) if !shared.pool.is_closed() => {
                advance(&shared.latest, seq);
                true
            }
            _ => false,
        }
    }

    /// The store's pool, while the store lives and is open.
    pub fn pool(&self) -> Option<Pool<B::Db>> {
        self.shared.upgrade().filter(|shared| !shared.pool.is_closed()).map(|shared| shared.pool.clone())
    }
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

/// Maps a database error to [`StoreError::Backend`] saying which step failed, on `B`.
pub fn failed<B: Backend>(step: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |err| StoreError::Backend(anyhow::Error::new(err).context(format!("{}: cannot {step}", B::NAME)))
}

impl<B: Backend> SqlStore<B> {
    /// Closes every pooled connection, waiting for running statements. Later calls fail with
    /// [`StoreError::Backend`]; the backend's background task stops too. Call it at shutdown
    /// (on SQLite it checkpoints the WAL cleanly).
    pub async fn close(&self) {
        self.inner.pool.close().await;
    }

    /// The connection pool, for the backend crates' own tests and tools.
    pub fn pool(&self) -> &Pool<B::Db> {
        &self.inner.pool
    }

    /// The backend's state of this store.
    pub fn backend(&self) -> &B {
        &self.inner.backend
    }

    /// Commits `write` and announces `seq` (the last change feed seq it wrote) to this store's
    /// watchers at once; other stores hear of it through the backend.
    async fn commit(&self, write: Write<'_, B::Db>, seq: i64) -> Result<(), StoreError> {
        write.tx.commit().await.map_err(failed::<B>("commit"))?;
        advance(&self.inner.latest, seq);
        Ok(())
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
    /// [`SqlStore::open_with`] with the backend's default options.
    ///
    /// Errors: as [`SqlStore::open_with`].
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with(url, B::Options::default()).await
    }

    /// Connects to the database at `url` (the backend's URL form), brings its schema up to
    /// date, reads the change feed position and starts the backend's background task, which
    /// ends with the store. Must be called inside a Tokio runtime.
    ///
    /// Errors: [`StoreError::Backend`] when the URL is not the backend's, the database cannot
    /// be reached or created, or a migration fails.
    pub async fn open_with(url: &str, options: B::Options) -> Result<Self, StoreError> {
        let (pool, backend) = B::connect(url, &options).await?;
        Self::ensure_search_index(&pool, &backend).await?;
        let latest = Self::latest_seq(&pool).await?;
        let inner = Arc::new_cyclic(|shared| Shared {
            pool,
            latest: watch::Sender::new(latest),
            backend,
            queue: B::GROUP_COMMIT.then(|| Self::start_writer(shared.clone())),
        });
        inner.backend.follow_commits(url, &options, FeedWatch { shared: Arc::downgrade(&inner) });
        tracing::debug!(backend = B::NAME, latest_seq = latest, "opened the ticket store");
        Ok(SqlStore { inner })
    }
}

impl<B> FeedWatch<B>
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
    /// Re-reads the change feed's latest seq into the watch. `false` when the store is gone or
    /// closed (the background task should end); a failed read is logged and retried later.
    pub async fn resync(&self) -> bool {
        let Some(pool) = self.pool() else { return false };
        match SqlStore::<B>::latest_seq(&pool).await {
            Ok(seq) => self.advance(seq),
            Err(err) => {
                tracing::warn!(error = ?err, "cannot read the change feed position");
                true
            }
        }
    }
}

#[async_trait]
impl<B> TicketStore for SqlStore<B>
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
    async fn create_ticket(
        &self,
        new: NewTicket,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        self.create(new, actor, now).await
    }

    async fn get_ticket(&self, id: i64) -> Result<Ticket, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        Self::read_ticket(&mut conn, id, "").await
    }

    async fn list_tickets(&self, query: &TicketQuery) -> Result<TicketPage, StoreError> {
        Self::query_tickets(&self.inner.pool, query).await
    }

    async fn update_ticket(
        &self,
        id: i64,
        edit: TicketEdit,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        self.update(id, edit, actor, now).await
    }

    async fn transition(
        &self,
        id: i64,
        to: Status,
        actor: &Actor,
        now: Timestamp,
        undo_window: SignedDuration,
    ) -> Result<Ticket, StoreError> {
        self.change_status(id, StatusChange::To(to, undo_window), actor, now).await
    }

    async fn undo_close(
        &self,
        id: i64,
        actor: &Actor,
        now: Timestamp,
        window: SignedDuration,
    ) -> Result<Ticket, StoreError> {
        self.change_status(id, StatusChange::UndoClose(window), actor, now).await
    }

    async fn add_message(
        &self,
        ticket_id: i64,
        body: MessageBody,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Message, StoreError> {
        Ok(self.post_message(ticket_id, body, actor, Vec::new(), now).await?.0)
    }

    async fn create_ticket_with_attachments(
        &self,
        new: NewTicket,
        attachments: Vec<NewAttachment>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<(Ticket, Vec<Attachment>), StoreError> {
        self.create_with_attachments(writer::Create { new, actor: actor.clone(), now }, attachments).await
    }

    async fn add_message_with_attachments(
        &self,
        ticket_id: i64,
        body: MessageBody,
        attachments: Vec<NewAttachment>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<(Message, Vec<Attachment>), StoreError> {
        self.post_message(ticket_id, body, actor, attachments, now).await
    }

    async fn list_attachments(&self, ticket_id: i64) -> Result<Vec<Attachment>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        Self::read_attachments(&mut conn, Some(ticket_id)).await
    }

    async fn attachment(&self, id: i64) -> Result<Option<Attachment>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        Self::read_attachment(&mut conn, id).await
    }

    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        Self::read_blob(&mut conn, sha256).await
    }

    async fn list_messages(&self, ticket_id: i64) -> Result<Vec<Message>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        Self::ensure_ticket(&mut conn, ticket_id).await?;
        Self::read_messages(&mut conn, Some(ticket_id)).await
    }

    async fn list_events(&self, ticket_id: i64) -> Result<Vec<Event>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        Self::ensure_ticket(&mut conn, ticket_id).await?;
        Self::read_events(&mut conn, Some(ticket_id)).await
    }

    async fn ticket_thread(&self, id: i64) -> Result<TicketThread, StoreError> {
        let mut tx = B::begin_snapshot(&self.inner.pool).await?;
        let ticket = Self::read_ticket(&mut tx, id, "").await?;
        let messages = Self::read_messages(&mut tx, Some(id)).await?;
        let events = Self::read_events(&mut tx, Some(id)).await?;
        let attachments = Self::read_attachments(&mut tx, Some(id)).await?;
        tx.commit().await.map_err(failed::<B>("end a read"))?;
        Ok(TicketThread { ticket, messages, events, attachments })
    }

    async fn changes(&self, after: i64, limit: u32) -> Result<Vec<Change>, StoreError> {
        Self::read_changes(&self.inner.pool, after, limit).await
    }

    fn watch_changes(&self) -> watch::Receiver<i64> {
        self.inner.latest.subscribe()
    }

    async fn import(&self, tickets: Vec<ImportedTicket>, actor: &Actor) -> Result<Vec<i64>, StoreError> {
        self.import_tickets(tickets, actor).await
    }

    async fn create_import_job(
        &self,
        new: NewImportJob,
        now: Timestamp,
    ) -> Result<(ImportJob, bool), StoreError> {
        self.insert_import_job(new, now).await
    }

    async fn import_job(&self, id: i64) -> Result<Option<ImportJob>, StoreError> {
        self.find_import_job(id).await
    }

    async fn import_job_by_digest(&self, sha256: &str) -> Result<Option<ImportJob>, StoreError> {
        self.find_import_job_by_digest(sha256.to_owned()).await
    }

    async fn report_import_job(
        &self,
        id: i64,
        state: ImportState,
        total: Option<i64>,
        checked: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.progress_import_job(id, state, total, checked, now).await
    }

    async fn fail_import_job(
        &self,
        id: i64,
        error_row: Option<i64>,
        error: &str,
        release: bool,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let failed =
            self.fail_import_jobs("id = $4", id, (error_row, error.to_owned(), release), now).await?;
        Ok(failed == 1)
    }

    async fn fail_stale_import_jobs(
        &self,
        stale_before: Timestamp,
        error: &str,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let reason = (None, error.to_owned(), true);
        self.fail_import_jobs("updated_at < $4", Instant(stale_before), reason, now).await
    }

    async fn finish_import_job(
        &self,
        id: i64,
        tickets: Vec<ImportedTicket>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Vec<i64>, StoreError> {
        self.finish_job(id, tickets, actor, now).await
    }

    async fn count_tickets(&self) -> Result<i64, StoreError> {
        Self::ticket_count(&self.inner.pool).await
    }

    async fn list_corrections(&self, after_id: i64) -> Result<Vec<Correction>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        Self::read_corrections(&mut conn, after_id).await
    }

    async fn classifier_counts(&self) -> Result<ClassifierCounts, StoreError> {
        Self::read_classifier_counts(&self.inner.pool).await
    }

    async fn export(&self) -> Result<Snapshot, StoreError> {
        Self::export_all(&self.inner.pool).await
    }

    async fn restore(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        self.restore_snapshot(snapshot).await
    }

    async fn counts(&self) -> Result<Counts, StoreError> {
        Self::row_counts(&self.inner.pool).await
    }

    async fn reporter_token(&self, ticket_id: i64) -> Result<Option<String>, StoreError> {
        Self::find_reporter_token(&self.inner.pool, ticket_id).await
    }

    async fn reporter_tickets(&self, tokens: &[String]) -> Result<Vec<(String, Ticket)>, StoreError> {
        Self::find_reporter_tickets(&self.inner.pool, tokens).await
    }

    async fn subscription(&self, ticket_id: i64) -> Result<Option<Subscription>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        Self::read_subscription(&mut conn, ticket_id).await
    }

    async fn unsubscribe(&self, token: &str, now: Timestamp) -> Result<Option<i64>, StoreError> {
        self.stop_subscription(token.to_owned(), now).await
    }

    async fn claim_notifications(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError> {
        self.claim_due(now, lease_until, limit).await
    }

    async fn outbox_status(&self) -> Result<OutboxStatus, StoreError> {
        let mut conn = self.inner.pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        Self::read_outbox_status(&mut conn).await
    }

    async fn notification_sent(&self, id: i64, now: Timestamp) -> Result<bool, StoreError> {
        self.finish_notification(id, Some(now), None, None).await
    }

    async fn notification_failed(
        &self,
        id: i64,
        retry_at: Timestamp,
        error: &str,
    ) -> Result<bool, StoreError> {
        self.finish_notification(id, None, Some(retry_at), Some(error.to_owned())).await
    }

    async fn prune_sent_notifications(&self, sent_before: Timestamp, limit: u32) -> Result<u64, StoreError> {
        self.prune_sent(sent_before, limit).await
    }
}

/// Creates the directory `dir` and its parents (for a database file).
///
/// Errors: [`StoreError::Backend`] naming the directory.
pub fn create_dir(dir: &std::path::Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the database directory {}", dir.display()))
        .map_err(StoreError::Backend)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watch_never_moves_backwards() {
        let (tx, rx) = watch::channel(5);
        advance(&tx, 3);
        assert_eq!(*rx.borrow(), 5);
        advance(&tx, 9);
        assert_eq!(*rx.borrow(), 9);
    }
}
