//! The backend-neutral store suite (`store::suite`) on PostgreSQL, one fresh database per test,
//! and the PostgreSQL-only tests: several stores ("replicas") on one database writing at once
//! while a reader follows the change feed, wake-ups across replicas, reconnection of the change
//! listener, concurrent first starts, instants at the edges of the range, and export/restore
//! across the two backends (what `campusdesk migrate-data` does).
//!
//! Needs a server: set `CAMPUSDESK_TEST_POSTGRES_URL` (scripts/test does). Without it every test
//! fails with a message saying so.

use std::collections::HashMap;
use std::time::Duration;

use domain::{Actor, AuthorName, Category, Description, MessageBody, Role, Status, Ticket, Title};
use jiff::{SignedDuration, Timestamp};
use store::{Change, NewTicket, StoreError, TicketEdit, TicketStore};
use store_postgres::testing::{TestDatabase, fresh_store};
use store_postgres::{MIGRATOR, PgOptions, PgStore};

store::store_suite!(fresh_store);

// ---------------------------------------------------------------------------------------------
// Helpers

fn staff(name: &str) -> Actor {
    Actor { role: Role::Staff, name: Some(AuthorName::parse(name).expect("a valid name")) }
}

fn new_ticket(title: &str) -> NewTicket {
    NewTicket {
        title: Title::parse(title).expect("a valid title"),
        description: Description::parse("written by a replica test").expect("a valid description"),
        category: Category::It,
        category_confidence: 0.5,
        category_terms: Vec::new(),
        needs_check: false,
        reporter: None,
    }
}

fn body(text: &str) -> MessageBody {
    MessageBody::parse(text).expect("a valid message")
}

/// 2026-11-21T08:00:00.123456Z plus `micros`.
fn at(micros: i64) -> Timestamp {
    Timestamp::from_microsecond(1_795_248_000_123_456 + micros).expect("a valid instant")
}

/// A store on `db` that learns of other stores' commits only through notifications.
async fn replica(db: &TestDatabase) -> PgStore {
    let options = PgOptions { feed_poll: None, ..PgOptions::default() };
    PgStore::open_with(db.url(), options).await.expect("opening a replica")
}

/// Waits until `store`'s change watch reaches `seq` (a 30 s guard against hanging only).
async fn wait_for_seq(store: &PgStore, seq: i64, what: &str) {
    let mut rx = store.watch_changes();
    let reached = tokio::time::timeout(Duration::from_secs(30), rx.wait_for(|&latest| latest >= seq))
        .await
        .map(|waited| waited.is_ok());
    match reached {
        Ok(true) => {}
        Ok(false) => panic!("{what}: the change watch closed before reaching seq {seq}"),
        Err(_) => panic!("{what}: the change watch never reached seq {seq} (it is at {})", *rx.borrow()),
    }
}

async fn last_seq(store: &PgStore) -> i64 {
    let mut after = 0;
    loop {
        let page = store.changes(after, 200).await.expect("reading the feed");
        match page.last() {
            Some(last) => after = last.seq,
            None => return after,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Several replicas

/// What the writers were told succeeded.
#[derive(Debug, Default)]
struct Acknowledged {
    /// Tickets each writer created, with the state the last write on it returned.
    own: Vec<Ticket>,
    /// Messages posted to each shared ticket.
    shared_messages: HashMap<i64, i64>,
    /// Edits of each shared ticket that won.
    shared_edits: HashMap<i64, i64>,
    /// Every write that succeeded.
    writes: i64,
}

/// One writer: creates tickets, posts on them and on the shared tickets, edits and moves them,
/// and races the other writers editing the shared tickets.
async fn write(store: PgStore, writer: i64, rounds: i64, shared: Vec<i64>) -> Acknowledged {
    let desk = staff("Desk");
    let mut acked = Acknowledged::default();
    for round in 0..rounds {
        let now = at(writer * 1_000 + round);
        let ticket = store
            .create_ticket(new_ticket(&format!("Writer {writer} round {round}")), &desk, now)
            .await
            .expect("creating a ticket");
        store.add_message(ticket.id, body("first"), &desk, now).await.expect("posting on its own ticket");
        let edit = TicketEdit {
            title: Some(Title::parse(&format!("Writer {writer} round {round}, edited")).expect("a title")),
            expected_version: 1,
            ..TicketEdit::default()
        };
        store.update_ticket(ticket.id, edit, &desk, now).await.expect("editing its own ticket");
        let mut last = store
            .transition(ticket.id, Status::Active, &desk, now, SignedDuration::ZERO)
            .await
            .expect("activating");
        acked.writes += 4;
        if round % 2 == 0 {
            last = store
                .transition(ticket.id, Status::Closed, &desk, now, SignedDuration::ZERO)
                .await
                .expect("closing");
            acked.writes += 1;
        }
        acked.own.push(last);

        let target = shared[((writer + round) as usize) % shared.len()];
        store.add_message(target, body(&format!("{writer}/{round}")), &desk, now).await.expect("posting");
        *acked.shared_messages.entry(target).or_default() += 1;
        acked.writes += 1;
        let seen = store.get_ticket(target).await.expect("reading a shared ticket");
        let edit = TicketEdit {
            description: Some(Description::parse(&format!("last edited by {writer}/{round}")).expect("text")),
            expected_version: seen.version,
            ..TicketEdit::default()
        };
        match store.update_ticket(target, edit, &desk, now).await {
            Ok(_) => {
                *acked.shared_edits.entry(target).or_default() += 1;
                acked.writes += 1;
            }
            Err(StoreError::VersionConflict { .. }) => {}
            Err(other) => panic!("an edit of a shared ticket failed: {other:?}"),
        }
    }
    acked
}

/// Follows the feed by cursor until `done` is set and the feed is exhausted; returns every
/// change seen, in the order seen, after checking that seqs only increase.
async fn follow(store: PgStore, mut done: tokio::sync::watch::Receiver<bool>, page_size: u32) -> Vec<Change> {
    let mut feed = store.watch_changes();
    let mut seen: Vec<Change> = Vec::new();
    let mut cursor = 0;
    loop {
        // Read the flag before the page: when it is set, every write had committed before the
        // page was read, so an empty page means the reader has caught up for good.
        let finished = *done.borrow_and_update();
        feed.borrow_and_update();
        let page = store.changes(cursor, page_size).await.expect("reading the feed");
        for change in &page {
            assert!(change.seq > cursor, "the feed went back: seq {} after {cursor}", change.seq);
            cursor = change.seq;
        }
        let empty = page.is_empty();
        seen.extend(page);
        if empty {
            if finished {
                return seen;
            }
            tokio::select! {
                _ = feed.changed() => {}
                _ = done.changed() => {}
            }
        }
    }
}

/// Writers on two stores (two pools: two replicas of the ticket service) and a reader following
/// the feed by cursor at the same time: the reader sees seqs strictly increasing, every ticket,
/// and every ticket's final state; no acknowledged write is missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_sees_every_change_of_concurrent_writers_on_two_replicas() {
    const WRITERS: i64 = 8;
    const ROUNDS: i64 = 12;
    let db = TestDatabase::create().await;
    let a = replica(&db).await;
    let b = replica(&db).await;
    let mut shared = Vec::new();
    for i in 0..3 {
        shared.push(
            a.create_ticket(new_ticket(&format!("Shared {i}")), &staff("Desk"), at(0)).await.expect("a").id,
        );
    }

    let (done_tx, done_rx) = tokio::sync::watch::channel(false);
    let reader = tokio::spawn(follow(b.clone(), done_rx, 5));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let store = if w % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(write(store, w, ROUNDS, shared.clone()))
        })
        .collect();
    let mut acked = Acknowledged::default();
    for writer in writers {
        let one = writer.await.expect("a writer finished");
        acked.own.extend(one.own);
        acked.writes += one.writes;
        for (id, n) in one.shared_messages {
            *acked.shared_messages.entry(id).or_default() += n;
        }
        for (id, n) in one.shared_edits {
            *acked.shared_edits.entry(id).or_default() += n;
        }
    }
    done_tx.send(true).expect("the reader is listening");
    let seen = reader.await.expect("the reader finished");

    // The last state the reader saw of each ticket; states of one ticket never go back.
    let mut last_seen: HashMap<i64, Ticket> = HashMap::new();
    for change in &seen {
        let ticket = &change.ticket;
        if let Some(earlier) = last_seen.get(&ticket.id) {
            // Every write raises one of these and lowers none (a transition only moves the
            // status forward and leaves the version alone).
            assert!(
                (ticket.version, ticket.message_count, ticket.status)
                    > (earlier.version, earlier.message_count, earlier.status),
                "the reader saw ticket {} go from {earlier:?} to the older or equal {ticket:?}",
                ticket.id
            );
        }
        last_seen.insert(ticket.id, ticket.clone());
    }

    let total = (WRITERS * ROUNDS) as usize + shared.len();
    assert_eq!(a.count_tickets().await.expect("counting"), total as i64, "a created ticket is missing");
    assert_eq!(last_seen.len(), total, "the reader missed tickets");
    let final_feed = a.changes(0, 1_000).await.expect("the whole feed");
    assert_eq!(final_feed.len(), total, "the compacted feed holds each ticket once");
    for change in &final_feed {
        let current = b.get_ticket(change.ticket.id).await.expect("reading a ticket");
        assert_eq!(change.ticket, current, "the feed entry is the ticket's current state");
        assert_eq!(
            last_seen.get(&current.id),
            Some(&current),
            "the reader never saw the final state of ticket {} (its change at seq {} was skipped)",
            current.id,
            change.seq
        );
    }
    for mine in &acked.own {
        assert_eq!(&b.get_ticket(mine.id).await.expect("reading"), mine, "an acknowledged write is missing");
        assert_eq!(mine.message_count, 1);
        assert_eq!(mine.version, 2, "one edit bumps the version; transitions do not");
    }
    for id in &shared {
        let ticket = a.get_ticket(*id).await.expect("reading a shared ticket");
        let messages = acked.shared_messages.get(id).copied().unwrap_or_default();
        let edits = acked.shared_edits.get(id).copied().unwrap_or_default();
        assert_eq!(ticket.message_count, messages, "acknowledged messages on shared ticket {id} are missing");
        assert_eq!(a.list_messages(*id).await.expect("listing").len() as i64, messages);
        assert_eq!(ticket.version, 1 + edits, "acknowledged edits of shared ticket {id} are missing");
    }
    println!(
        "{} writes acknowledged by two replicas; the reader saw {} changes of {total} tickets",
        acked.writes,
        seen.len()
    );
}

/// A commit through one store advances another store's change watch (no polling: only the
/// LISTEN/NOTIFY path can do it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_on_one_replica_wakes_the_other() {
    let db = TestDatabase::create().await;
    let a = replica(&db).await;
    let b = replica(&db).await;
    let before = *b.watch_changes().borrow();
    let ticket =
        a.create_ticket(new_ticket("Seen elsewhere"), &staff("Desk"), at(0)).await.expect("creating");
    let seq = last_seq(&a).await;
    assert!(seq > before);
    wait_for_seq(&b, seq, "after a create on the other replica").await;
    a.add_message(ticket.id, body("still there"), &staff("Desk"), at(1)).await.expect("posting");
    let seq = last_seq(&a).await;
    wait_for_seq(&b, seq, "after a message on the other replica").await;
}

/// When the listening connections are killed, the listeners reconnect and nothing committed
/// in between is lost to the watch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watch_survives_a_lost_listener_connection() {
    let db = TestDatabase::create().await;
    let a = replica(&db).await;
    let b = replica(&db).await;
    a.create_ticket(new_ticket("Before"), &staff("Desk"), at(0)).await.expect("creating");
    wait_for_seq(&b, last_seq(&a).await, "before the listener is killed").await;

    let killer = PgStore::open(db.url()).await.expect("a third store");
    let killed: i64 = {
        // A statement through the trait cannot do this: use a plain connection.
        use sqlx::Connection as _;
        let mut conn = sqlx::PgConnection::connect(db.url()).await.expect("a plain connection");
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()) AS t",
        )
        .fetch_one(&mut conn)
        .await
        .expect("terminating the listeners")
    };
    assert!(killed >= 2, "both replicas' listeners are connected (found {killed})");
    killer.create_ticket(new_ticket("While reconnecting"), &staff("Desk"), at(1)).await.expect("creating");
    let seq = last_seq(&a).await;
    wait_for_seq(&a, seq, "replica A after its listener was killed").await;
    wait_for_seq(&b, seq, "replica B after its listener was killed").await;
    killer.create_ticket(new_ticket("After"), &staff("Desk"), at(2)).await.expect("creating");
    let seq = last_seq(&a).await;
    wait_for_seq(&b, seq, "replica B once reconnected").await;
}

/// Replicas starting at once on an empty database all open it; each migration is applied once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_starting_together_migrate_once() {
    let db = TestDatabase::create().await;
    let opens: Vec<_> = (0..4)
        .map(|_| {
            let url = db.url().to_owned();
            tokio::spawn(async move { PgStore::open(&url).await })
        })
        .collect();
    let mut stores = Vec::new();
    for open in opens {
        stores.push(open.await.expect("a task").expect("every replica opens the database"));
    }
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(db.url()).await.expect("a plain connection");
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .expect("counting migrations");
    assert_eq!(applied, MIGRATOR.iter().count() as i64, "each migration is applied exactly once");
    let ticket =
        stores[0].create_ticket(new_ticket("Shared schema"), &staff("Desk"), at(0)).await.expect("a");
    assert_eq!(stores[3].get_ticket(ticket.id).await.expect("read elsewhere"), ticket);
}

/// Instants far in the past and future, and just before the Unix epoch, come back to the
/// microsecond.
#[tokio::test]
async fn instants_round_trip_to_the_microsecond() {
    let (store, _db) = fresh_store().await;
    for text in [
        "0001-01-01T00:00:00.000001Z",
        "1969-12-31T23:59:59.999999Z",
        "1999-12-31T23:59:59.999999Z",
        "2000-01-01T00:00:00Z",
        "9999-12-30T21:59:59.999999Z",
    ] {
        let now: Timestamp = text.parse().expect("a valid instant");
        let ticket = store.create_ticket(new_ticket(text), &staff("Desk"), now).await.expect("creating");
        assert_eq!(ticket.opened_at, now, "{text} came back as {}", ticket.opened_at);
        assert_eq!(store.get_ticket(ticket.id).await.expect("reading").opened_at, now, "{text}");
    }
}

/// A second store opened later starts its watch at the latest seq and sees the same feed.
#[tokio::test]
async fn reopening_keeps_tickets_and_the_feed_position() {
    let (store, db) = fresh_store().await;
    let first = store.create_ticket(new_ticket("First"), &staff("Desk"), at(0)).await.expect("creating");
    store.create_ticket(new_ticket("Second"), &staff("Desk"), at(1)).await.expect("creating");
    let feed = store.changes(0, 10).await.expect("the feed");
    store.close().await;
    drop(store);
    let reopened = PgStore::open(db.url()).await.expect("reopening");
    assert_eq!(reopened.get_ticket(first.id).await.expect("reading"), first);
    assert_eq!(reopened.changes(0, 10).await.expect("the feed"), feed);
    assert_eq!(*reopened.watch_changes().borrow(), feed[1].seq, "the watch starts at the latest seq");
}

// ---------------------------------------------------------------------------------------------
// Export and restore across backends

/// A fresh SQLite store in its own temporary directory.
async fn sqlite_store() -> (store_sqlite::SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("campusdesk.db").display());
    (store_sqlite::SqliteStore::open(&url).await.expect("a fresh SQLite store"), dir)
}

/// SQLite to PostgreSQL (the move that matters): everything arrives, field by field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_export_restores_into_postgres_whole() {
    let (sqlite, _dir) = sqlite_store().await;
    let (pg, _db) = fresh_store().await;
    store::suite::restore_copies_everything_the_export_holds(&sqlite, &pg).await;
}

/// SQLite to PostgreSQL: the PostgreSQL store goes on with fresh ids and a feed after the copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_continues_after_a_sqlite_restore() {
    let (sqlite, _dir) = sqlite_store().await;
    let (pg, _db) = fresh_store().await;
    store::suite::restored_store_continues_with_fresh_ids(&sqlite, &pg).await;
}

/// PostgreSQL back to SQLite: the other direction works the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_export_restores_into_sqlite_whole() {
    let (pg, _db) = fresh_store().await;
    let (sqlite, _dir) = sqlite_store().await;
    store::suite::restore_copies_everything_the_export_holds(&pg, &sqlite).await;
}
