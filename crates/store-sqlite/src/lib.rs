//! The SQLite backend of campusdesk's [`TicketStore`]: the embedded default behind
//! `campusdesk up`.
//!
//! [`SqliteStore`] is the shared SQL layer (`store_sql::SqlStore`) on [`SqliteBackend`], which
//! holds what is SQLite's own: the schema (`migrations/`, applied at [`SqlStore::open`]), the
//! connection settings, the writer queue, the change feed step and the poll that notices other
//! processes' commits. Instants are stored as INTEGER microseconds since the Unix epoch (UTC).
//!
//! # Writes
//!
//! Every write of the store goes through one writer task (`store_sql`'s group commit): it
//! begins one `BEGIN IMMEDIATE` transaction, runs the writes queued meanwhile one after the
//! other in it, each in its own savepoint, and commits once. Connections use
//! `synchronous = FULL`, so the commit flushes the write-ahead log to stable storage before
//! any caller is answered: a success means the write survives a power cut, and writes that
//! arrive together share one flush.
//!
//! `BEGIN IMMEDIATE` takes SQLite's write lock at the start. A deferred transaction would read
//! first and try to upgrade to a writer later, and two of those can deadlock (one of them gets
//! `SQLITE_BUSY` at once, whatever the busy timeout). The 5 s busy timeout is for writers in
//! other processes; the few writes that do not go through the writer task (rebuilding the
//! search index at open) queue on an in-process lock first.
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
//! [`TicketStore::export`] reads every table inside one read transaction (in WAL mode its first
//! read fixes the snapshot all later reads see); [`TicketStore::restore`] writes a snapshot into
//! an empty database in one write transaction, keeping every id and the feed's seqs (the
//! `AUTOINCREMENT` counters follow the largest inserted values by themselves).
//! `campusdesk migrate-data` is built on them.

use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, Transaction};
use store::StoreError;
use store::search::SearchQuery;
use store_sql::{Backend, FeedWatch, SqlStore, Write, failed};
use tokio::sync::Mutex;

#[cfg(doc)]
use store::TicketStore;

/// The embedded migrations (`crates/store-sqlite/migrations/`), applied at open.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How long a writer waits for another process's write lock before failing, in seconds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How often the store looks for commits made by other connections to the same file (another
/// process, or another [`SqliteStore`] on the same path), to advance [`TicketStore::watch_changes`].
const FOREIGN_COMMIT_POLL: Duration = Duration::from_secs(1);

/// A [`TicketStore`] on one SQLite database file.
///
/// Open it with [`SqlStore::open`]: `url` is `sqlite://PATH` or `sqlite:PATH` (a relative PATH
/// is relative to the working directory; the file and its directory are created when missing);
/// `sqlite::memory:` gives a private in-memory database, for tests. Connections use WAL
/// journaling, `synchronous = FULL`, foreign keys and a 5 s busy timeout. It must be opened
/// inside a Tokio runtime: a small task notices commits made by other processes on the same
/// file (polling once a second) and ends with the store. Errors: `StoreError::Backend` when the
/// URL is not a SQLite URL, the directory or file cannot be created or opened, or a migration
/// fails. Cheap to clone: clones share the connection pool and the change watch.
pub type SqliteStore = SqlStore<SqliteBackend>;

/// What is SQLite's own in a [`SqliteStore`]: this process's writer queue.
#[derive(Debug, Default)]
pub struct SqliteBackend {
    /// Serialises this process's writers (see the crate docs).
    write_lock: Mutex<()>,
}

impl Backend for SqliteBackend {
    type Db = Sqlite;
    type Options = ();

    const NAME: &'static str = "SQLite";
    const LOCK_ROW: &'static str = "";
    const KEEP_IDS: &'static str = "";
    const SKIP_LOCKED: &'static str = "";
    const WALK_FIRST: Option<i64> = None;
    const GROUP_COMMIT: bool = true;

    async fn connect(url: &str, _options: &()) -> Result<(SqlitePool, Self), StoreError> {
        if !url.starts_with("sqlite:") {
            return Err(StoreError::backend(anyhow!(
                "{url:?} is not a SQLite URL; expected sqlite://PATH or sqlite:PATH"
            )));
        }
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("cannot parse the SQLite URL {url:?}"))
            .map_err(StoreError::Backend)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
            store_sql::create_dir(dir)?;
        }
        // An in-memory database lives in SQLite's shared cache, where concurrent connections get
        // SQLITE_LOCKED instead of waiting: give it a single connection.
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(if in_memory { 1 } else { 8 })
            // A connection to a file in this process cannot go stale: no ping before each use
            // (one round trip to the connection's thread saved on every read and write).
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the SQLite database {url:?}"))
            .map_err(StoreError::Backend)?;
        MIGRATOR
            .run(&pool)
            .await
            .context("cannot apply the SQLite migrations")
            .map_err(StoreError::Backend)?;
        Ok((pool, SqliteBackend::default()))
    }

    fn follow_commits(&self, _url: &str, _options: &(), feed: FeedWatch<Self>) {
        tokio::spawn(watch_foreign_commits(feed));
    }

    async fn begin_write(&self, pool: &SqlitePool) -> Result<Write<'_, Sqlite>, StoreError> {
        let queued = self.write_lock.lock().await;
        let tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(failed::<Self>("begin a write"))?;
        Ok(Write { tx, queued: Some(queued) })
    }

    async fn begin_snapshot(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, StoreError> {
        pool.begin().await.map_err(failed::<Self>("begin a read"))
    }

    /// No lock to take: the writer already holds SQLite's write lock, which serialises every
    /// writer of the file.
    async fn lock_feed(_conn: &mut SqliteConnection) -> Result<(), StoreError> {
        Ok(())
    }

    /// Inserts a row per ticket in the given order, in statements of `PER_STATEMENT`
    /// tickets: `AUTOINCREMENT` draws their seqs in that order, and `OR REPLACE` first deletes
    /// the ticket's old row (`ticket_id` is `UNIQUE`).
    async fn publish(conn: &mut SqliteConnection, ticket_ids: &[i64]) -> Result<i64, StoreError> {
        let mut last = 0;
        for batch in ticket_ids.chunks(PER_STATEMENT) {
            let mut insert = QueryBuilder::<Sqlite>::new("INSERT OR REPLACE INTO changes (ticket_id) ");
            insert.push_values(batch, |mut row, &id| {
                row.push_bind(id);
            });
            insert.push(" RETURNING seq");
            let seqs = insert
                .build_query_scalar::<i64>()
                .persistent(cached(batch))
                .fetch_all(&mut *conn)
                .await
                .map_err(failed::<Self>("update the change feed"))?;
            last = seqs.into_iter().fold(last, i64::max);
        }
        Ok(last)
    }

    async fn estimate_matches(
        _pool: &SqlitePool,
        _search: &SearchQuery,
        _tickets: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(None)
    }

    async fn refresh_statistics(_pool: &SqlitePool) -> Result<(), StoreError> {
        Ok(())
    }

    fn push_matching_ids(sql: &mut QueryBuilder<Sqlite>, search: &SearchQuery) {
        sql.push("SELECT rowid FROM ticket_search WHERE ticket_search MATCH ").push_bind(search.to_fts5());
    }

    /// Few matches: `id IN (...)`, which SQLite answers by looking the matches up by primary
    /// key and sorting them. Many: `+id IN (...)`, where the unary `+` keeps it from doing so:
    /// it walks the list's index in order and checks each ticket against the matches, collected
    /// once (with a Bloom filter). Probing FTS5 per ticket instead (`MATCH ... AND rowid =
    /// tickets.id`) is a seek for a whole word but reads every matching word's list for a
    /// prefix: 530 ms against 8 ms for a common prefix at a million tickets, measured.
    fn push_ticket_matches(sql: &mut QueryBuilder<Sqlite>, search: &SearchQuery, many: bool) {
        sql.push(if many { "+id IN (" } else { "id IN (" });
        Self::push_matching_ids(sql, search);
        sql.push(")");
    }

    /// Writes the documents in statements of `PER_STATEMENT` tickets; `OR REPLACE` first
    /// deletes a ticket's old document (the table allows deletes: `contentless_delete`).
    async fn write_search(
        conn: &mut SqliteConnection,
        documents: &[(i64, String)],
    ) -> Result<(), StoreError> {
        for batch in documents.chunks(PER_STATEMENT) {
            let mut insert =
                QueryBuilder::<Sqlite>::new("INSERT OR REPLACE INTO ticket_search (rowid, document) ");
            insert.push_values(batch, |mut row, (id, document)| {
                row.push_bind(*id).push_bind(document.as_str());
            });
            insert
                .build()
                .persistent(cached(batch))
                .execute(&mut *conn)
                .await
                .map_err(failed::<Self>("update the search index"))?;
        }
        Ok(())
    }

    /// Nothing to do: explicit ids inserted into an `AUTOINCREMENT` table move its counter
    /// (`sqlite_sequence`) past them.
    async fn after_restore(_conn: &mut SqliteConnection) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Tickets per statement when publishing or indexing many: at most two values each, well under
/// SQLite's 32,766 host parameters ("Limits in SQLite", §9).
const PER_STATEMENT: usize = 5_000;

/// Whether a statement of the rows of `batch` stays prepared in sqlx's statement cache: the
/// same rule as store-sql's inserts ([`store_sql::CACHED_UP_TO`]).
fn cached<T>(batch: &[T]) -> bool {
    batch.len() <= store_sql::CACHED_UP_TO
}

/// Advances the watch when another connection to the file commits; ends with the store.
async fn watch_foreign_commits(feed: FeedWatch<SqliteBackend>) {
    let mut tick = tokio::time::interval(FOREIGN_COMMIT_POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if !feed.resync().await {
            return;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use domain::{Actor, Category, Description, Title};
    use jiff::Timestamp;
    use sqlx::Connection as _;
    use store::{NewTicket, TicketQuery, TicketStore};

    fn new_ticket(title: &str) -> NewTicket {
        NewTicket {
            title: Title::parse(title).unwrap(),
            description: Description::parse("described").unwrap(),
            category: Category::It,
            category_confidence: 0.5,
            category_terms: Vec::new(),
            needs_check: false,
            reporter: None,
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
        MIGRATOR.run(store.pool()).await.unwrap();
        store.create_ticket(new_ticket("Kept"), &Actor::staff(), now()).await.unwrap();
        let again = SqliteStore::open(&url).await.unwrap();
        assert_eq!(again.count_tickets().await.unwrap(), 1);
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(again.pool())
            .await
            .unwrap();
        assert_eq!(
            applied,
            i64::try_from(MIGRATOR.iter().count()).unwrap(),
            "each migration is applied once"
        );
    }

    #[tokio::test]
    async fn connections_use_wal_full_sync_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&format!("sqlite://{}/desk.db", dir.path().display())).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(store.pool()).await.unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(store.pool()).await.unwrap();
        assert_eq!(sync, 2, "synchronous = FULL: a commit is flushed before it is acknowledged");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(store.pool()).await.unwrap();
        assert_eq!(fk, 1);
        let orphan = sqlx::query("INSERT INTO changes (ticket_id) VALUES (999)").execute(store.pool()).await;
        assert!(orphan.is_err(), "a change row for a missing ticket must be refused");
    }

    #[tokio::test]
    async fn writes_queued_together_commit_together_and_a_failed_one_takes_nothing_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("desk.db").display());
        let store = SqliteStore::open(&url).await.unwrap();

        // A restore that fails half-way: its tickets go in, then a feed entry names a ticket
        // the snapshot does not hold, which the foreign key refuses.
        let source = SqliteStore::open("sqlite::memory:").await.unwrap();
        for title in ["Restored one", "Restored two"] {
            source.create_ticket(new_ticket(title), &Actor::staff(), now()).await.unwrap();
        }
        let mut bad = source.export().await.unwrap();
        bad.feed[1].ticket_id = 999;

        // Another connection holds the write lock, so the writer waits at BEGIN and every
        // write below queues behind the restore, into one batch.
        let mut blocker = SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("BEGIN IMMEDIATE").execute(&mut blocker).await.unwrap();
        let restore = tokio::spawn({
            let store = store.clone();
            async move { store.restore(&bad).await }
        });
        let creates: Vec<_> = (0..20)
            .map(|n| {
                let store = store.clone();
                tokio::spawn(async move {
                    store.create_ticket(new_ticket(&format!("Queued {n}")), &Actor::staff(), now()).await
                })
            })
            .collect();
        let missing = tokio::spawn({
            let store = store.clone();
            async move {
                store
                    .transition(
                        4242,
                        domain::Status::Active,
                        &Actor::staff(),
                        now(),
                        jiff::SignedDuration::ZERO,
                    )
                    .await
            }
        });
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while store.queued_writes() < 21 {
            assert!(tokio::time::Instant::now() < deadline, "the writes never queued");
            tokio::task::yield_now().await;
        }
        sqlx::query("ROLLBACK").execute(&mut blocker).await.unwrap();

        let failed = restore.await.unwrap().unwrap_err();
        assert!(
            format!("{:#}", anyhow::Error::new(failed)).contains("FOREIGN KEY"),
            "the restore failed in the database, after writing its tickets"
        );
        assert!(matches!(missing.await.unwrap(), Err(StoreError::NotFound(4242))));
        let mut titles = Vec::new();
        for create in creates {
            titles.push(create.await.unwrap().unwrap().title);
        }
        assert_eq!(titles.len(), 20, "every create of the batch was answered with its ticket");
        let counts = store.counts().await.unwrap();
        assert_eq!(counts.tickets, 20, "nothing of the failed restore is left");
        assert_eq!(counts.feed, 20);
        let stored = store.list_tickets(&TicketQuery { limit: 50, ..TicketQuery::default() }).await.unwrap();
        assert!(stored.items.iter().all(|t| t.title.starts_with("Queued")));
    }

    #[tokio::test]
    async fn the_search_index_is_rebuilt_at_open_when_missing() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("desk.db").display());
        let store = SqliteStore::open(&url).await.unwrap();
        let ticket =
            store.create_ticket(new_ticket("Projector flickers"), &Actor::staff(), now()).await.unwrap();
        // As after the migration that added the index: empty, never built.
        sqlx::query("DELETE FROM ticket_search WHERE rowid = $1")
            .bind(ticket.id)
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE search_index SET version = 0").execute(store.pool()).await.unwrap();
        let query = TicketQuery { text: Some("projector".into()), ..TicketQuery::default() };
        assert!(store.list_tickets(&query).await.unwrap().items.is_empty(), "the index is empty");
        store.close().await;
        let reopened = SqliteStore::open(&url).await.unwrap();
        let found = reopened.list_tickets(&query).await.unwrap().items;
        assert_eq!(found, [ticket], "the rebuilt index finds the ticket");
        let version: i64 =
            sqlx::query_scalar("SELECT version FROM search_index").fetch_one(reopened.pool()).await.unwrap();
        assert_eq!(version, store::search::INDEX_VERSION);
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
}
