//! The backend-neutral test suite: every [`crate::TicketStore`] backend runs these.
//!
//! Each case is a public async function taking a fresh, empty store (the export and restore
//! cases take two: a source and a target) and panicking with a sentence when the backend
//! misbehaves. A backend runs them all, one named `#[tokio::test]`
//! per case, with [`store_suite!`](crate::store_suite):
//!
//! ```ignore
//! store::store_suite!(|| async {
//!     let dir = tempfile::tempdir().expect("a temporary directory");
//!     let url = format!("sqlite://{}", dir.path().join("test.db").display());
//!     let store = store_sqlite::SqliteStore::open(&url).await.expect("a fresh store");
//!     (store, dir) // the directory lives as long as the test
//! });
//! ```
//!
//! The cases assume nothing about a backend beyond the [`crate::TicketStore`] contract: ids
//! and change feed seqs are compared by order, never by value.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use domain::{
    Actor, AuthorName, Category, CategorySource, Description, EventKind, MessageBody, Role, Status, Ticket,
    Title, TransitionError,
};
use jiff::Timestamp;

use crate::{
    Change, ClassifierCounts, Counts, ImportedMessage, ImportedTicket, NewAttachment, NewSubscription,
    NewTicket, NotificationKind, Snapshot, StoreError, TicketEdit, TicketPage, TicketQuery, TicketStore,
};

/// What a backend's fresh-store factory returns: the store, optionally with a guard that must
/// outlive the test (a temporary directory, a scratch database to drop, ...).
pub trait StoreFixture {
    /// The store under test.
    fn store(&self) -> &dyn TicketStore;
}

impl<S: TicketStore> StoreFixture for S {
    fn store(&self) -> &dyn TicketStore {
        self
    }
}

impl<S: TicketStore, G> StoreFixture for (S, G) {
    fn store(&self) -> &dyn TicketStore {
        &self.0
    }
}

/// Expands to one `#[tokio::test]` per suite case, each on a fresh store (the export and
/// restore cases get two: a source and a target).
///
/// The argument is a closure (or function path) taking no arguments and returning a future of
/// a [`StoreFixture`](crate::suite::StoreFixture): the store itself, or `(store, guard)`. It is
/// called once per store, so twice for a case that needs two; each call must give a new, empty
/// store of its own.
/// The invoking crate needs `tokio` with the `macros` and `rt-multi-thread` features.
#[macro_export]
macro_rules! store_suite {
    (@cases ($make:expr) $($case:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let make = $make;
                let fixture = make().await;
                $crate::suite::$case($crate::suite::StoreFixture::store(&fixture)).await;
            }
        )+
    };
    (@pair_cases ($make:expr) $($case:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let make = $make;
                let source = make().await;
                let target = make().await;
                $crate::suite::$case(
                    $crate::suite::StoreFixture::store(&source),
                    $crate::suite::StoreFixture::store(&target),
                )
                .await;
            }
        )+
    };
    ($make:expr $(,)?) => {
        $crate::store_suite!(@pair_cases ($make)
            restore_copies_everything_the_export_holds,
            restore_refuses_a_store_holding_tickets,
            restored_store_continues_with_fresh_ids,
        );
        $crate::store_suite!(@cases ($make)
            create_and_get_round_trip,
            edit_bumps_version_and_records_event,
            stale_edit_conflicts_and_changes_nothing,
            category_edit_marks_staff_source,
            ticket_thread_reads_everything_at_once,
            edit_that_changes_nothing_keeps_version,
            transitions_follow_the_state_machine,
            closing_is_undone_once_within_the_window,
            closing_mail_waits_for_the_undo_window,
            undo_within_the_window_sends_nothing,
            transitions_leave_the_version_alone,
            refused_transitions_write_nothing,
            messages_come_oldest_first_without_version_bump,
            events_record_who_did_what_in_order,
            missing_ticket_is_not_found,
            list_filters_by_status_category_and_text,
            text_search_reads_words_not_symbols,
            search_with_many_matches_pages_newest_first,
            text_search_covers_messages_phrases_and_ticket_numbers,
            text_search_needs_every_word_in_either_field,
            paging_visits_every_ticket_once,
            list_totals_follow_every_write,
            list_limit_is_clamped,
            every_sort_pages_both_ways,
            change_feed_is_in_commit_order_and_compacted,
            change_feed_honours_after_and_limit,
            watch_changes_advances_on_commit,
            import_preserves_history,
            import_with_a_bad_row_writes_nothing,
            concurrent_writers_all_land,
            concurrent_edits_of_one_ticket_have_one_winner,
            staff_category_change_records_a_correction,
            unchanged_category_records_no_correction,
            users_cannot_change_categories,
            stale_category_edit_records_no_correction,
            classifier_counts_follow_corrections,
            reporter_links_are_unique_private_and_found_by_token,
            notifications_follow_staff_changes_once,
            concurrent_claims_never_share_a_notification,
            sent_notifications_are_pruned_after_their_time,
            attachments_are_stored_with_their_ticket_or_message,
        );
    };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// A "photo" to attach: made-up bytes (the store does not look inside), with a thumbnail.
fn photo(name: &str, seed: u8) -> NewAttachment {
    NewAttachment {
        file_name: name.to_owned(),
        content_type: "image/png".to_owned(),
        bytes: vec![seed; 300],
        thumbnail: Some(vec![seed.wrapping_add(100); 30]),
    }
}

/// A document to attach: the same bytes every time.
fn file(name: &str) -> NewAttachment {
    NewAttachment {
        file_name: name.to_owned(),
        content_type: "application/pdf".to_owned(),
        bytes: b"%PDF-1.4 not really".to_vec(),
        thumbnail: None,
    }
}

/// 2026-11-21T08:00:00Z plus 123,456 µs: a fixed instant with a non-zero microsecond part.
const BASE_MICROS: i64 = 1_795_248_000_123_456;

/// The base instant plus `minutes` minutes and `micros` microseconds.
fn at(minutes: i64, micros: i64) -> Timestamp {
    Timestamp::from_microsecond(BASE_MICROS + minutes * 60_000_000 + micros).expect("a valid test instant")
}

fn title(s: &str) -> Title {
    Title::parse(s).expect("a valid test title")
}

fn description(s: &str) -> Description {
    Description::parse(s).expect("a valid test description")
}

fn body(s: &str) -> MessageBody {
    MessageBody::parse(s).expect("a valid test message")
}

fn actor(role: Role, name: Option<&str>) -> Actor {
    Actor { role, name: name.map(|n| AuthorName::parse(n).expect("a valid test name")) }
}

fn user(name: &str) -> Actor {
    actor(Role::User, Some(name))
}

fn staff(name: &str) -> Actor {
    actor(Role::Staff, Some(name))
}

fn new_ticket(t: &str, d: &str, category: Category) -> NewTicket {
    NewTicket {
        title: title(t),
        description: description(d),
        category,
        category_confidence: 0.75,
        category_terms: vec![t.to_lowercase()],
        needs_check: false,
        reporter: None,
    }
}

async fn create(store: &dyn TicketStore, t: &str, d: &str, category: Category, now: Timestamp) -> Ticket {
    store
        .create_ticket(new_ticket(t, d, category), &user("Ana"), now)
        .await
        .unwrap_or_else(|e| panic!("creating ticket {t:?} failed: {e:?}"))
}

async fn get(store: &dyn TicketStore, id: i64) -> Ticket {
    store.get_ticket(id).await.unwrap_or_else(|e| panic!("get_ticket({id}) failed: {e:?}"))
}

async fn edit(
    store: &dyn TicketStore,
    id: i64,
    edit: TicketEdit,
    who: &Actor,
    now: Timestamp,
) -> Result<Ticket, StoreError> {
    store.update_ticket(id, edit, who, now).await
}

/// Staff move ticket `id` to `to` at `now` with no undo window (a closing's e-mail is due at
/// once).
async fn move_to(store: &dyn TicketStore, id: i64, to: Status, now: Timestamp) -> Ticket {
    close_with_window(store, id, to, now, jiff::SignedDuration::ZERO).await
}

/// Staff move ticket `id` to `to` at `now`, a closing's e-mail held for `window`.
async fn close_with_window(
    store: &dyn TicketStore,
    id: i64,
    to: Status,
    now: Timestamp,
    window: jiff::SignedDuration,
) -> Ticket {
    store
        .transition(id, to, &staff("Desk"), now, window)
        .await
        .unwrap_or_else(|e| panic!("moving ticket {id} to {to} failed: {e:?}"))
}

/// The whole change feed from the start, read in pages of 50.
async fn whole_feed(store: &dyn TicketStore) -> Vec<Change> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = store.changes(after, 50).await.expect("reading the change feed");
        let Some(last) = page.last() else { return all };
        after = last.seq;
        all.extend(page);
    }
}

/// Everything a refused write must leave untouched.
async fn snapshot(store: &dyn TicketStore, id: i64) -> (Ticket, usize, usize, Vec<Change>) {
    let ticket = get(store, id).await;
    let messages = store.list_messages(id).await.expect("listing messages").len();
    let events = store.list_events(id).await.expect("listing events").len();
    (ticket, messages, events, whole_feed(store).await)
}

fn ids(tickets: &[Ticket]) -> Vec<i64> {
    tickets.iter().map(|t| t.id).collect()
}

async fn list(store: &dyn TicketStore, query: TicketQuery) -> Vec<i64> {
    let page = store.list_tickets(&TicketQuery { limit: 200, ..query }).await.expect("listing tickets");
    assert!(page.next.is_none(), "a list of a few tickets must fit one page of 200");
    ids(&page.items)
}

async fn search(store: &dyn TicketStore, text: &str) -> Vec<i64> {
    list(store, TicketQuery { text: Some(text.to_owned()), ..TicketQuery::default() }).await
}

/// Waits until the store's change watch reaches `seq` (a guard of 30 s against hanging only).
async fn wait_for_seq(store: &dyn TicketStore, seq: i64) {
    let mut rx = store.watch_changes();
    let reached = tokio::time::timeout(Duration::from_secs(30), rx.wait_for(|&latest| latest >= seq))
        .await
        .map(|waited| waited.is_ok());
    match reached {
        Ok(true) => {}
        Ok(false) => panic!("the change watch closed before reaching seq {seq}"),
        Err(_) => panic!("the change watch never reached seq {seq} (it is at {})", *rx.borrow()),
    }
}

/// A boxed future borrowing the store, so several can run at once without `'static`.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Polls every future to completion on the current task: concurrency without `'static`.
async fn join_all<'a, T>(futures: Vec<BoxFuture<'a, T>>) -> Vec<T> {
    let mut slots: Vec<(BoxFuture<'a, T>, Option<T>)> = futures.into_iter().map(|f| (f, None)).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, out) in slots.iter_mut().filter(|(_, out)| out.is_none()) {
            match future.as_mut().poll(cx) {
                Poll::Ready(value) => *out = Some(value),
                Poll::Pending => pending = true,
            }
        }
        if pending { Poll::Pending } else { Poll::Ready(()) }
    })
    .await;
    slots.into_iter().map(|(_, out)| out.expect("every future finished")).collect()
}

fn imported(t: &str, status: Status, opened_at: Timestamp, closed_at: Option<Timestamp>) -> ImportedTicket {
    ImportedTicket {
        title: title(t),
        description: description(&format!("Imported: {t}")),
        category: Category::Services,
        category_source: CategorySource::Import,
        category_confidence: 1.0,
        category_terms: Vec::new(),
        needs_check: false,
        status,
        opened_at,
        closed_at,
        messages: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Cases

/// A created ticket comes back whole: every field, times to the microsecond, version 1, status
/// open, no messages; a `created` event names who reported it.
pub async fn create_and_get_round_trip(store: &dyn TicketStore) {
    let now = at(0, 0);
    let reporter = user("Ana");
    let new = NewTicket {
        title: title("Lift stuck between floors"),
        description: description("The lift in building C stops between 2 and 3.\nPeople were inside."),
        category: Category::Facility,
        category_confidence: 0.8125,
        category_terms: vec!["lift".into(), "stuck between".into()],
        needs_check: true,
        reporter: None,
    };
    let created = store.create_ticket(new, &reporter, now).await.expect("creating a ticket");
    assert!(created.id > 0, "ticket ids are positive, got {}", created.id);
    assert_eq!(created.title, "Lift stuck between floors");
    assert_eq!(created.description, "The lift in building C stops between 2 and 3.\nPeople were inside.");
    assert_eq!(created.category, Category::Facility);
    assert_eq!(created.category_source, CategorySource::Auto, "a new ticket's category is the classifier's");
    assert_eq!(created.category_confidence, 0.8125);
    assert_eq!(created.category_terms, ["lift", "stuck between"], "the deciding words are kept, in order");
    assert!(created.needs_check, "the classifier's doubt is kept");
    assert_eq!(created.status, Status::Open, "a new ticket is open");
    assert_eq!(created.opened_at, now, "opened_at must keep microseconds");
    assert_eq!(created.updated_at, now);
    assert_eq!(created.closed_at, None);
    assert_eq!(created.version, 1, "a new ticket is at version 1");
    assert_eq!(created.message_count, 0);
    assert_eq!(get(store, created.id).await, created, "get_ticket must return what create_ticket returned");

    let other = create(store, "Second", "Another one", Category::It, at(1, 7)).await;
    assert_ne!(other.id, created.id, "two tickets share an id");
    assert_eq!(get(store, created.id).await, created, "creating another ticket changed the first");
    assert_eq!(store.count_tickets().await.expect("counting"), 2);

    let events = store.list_events(created.id).await.expect("listing events");
    assert_eq!(events.len(), 1, "a new ticket has exactly its created event: {events:?}");
    let event = &events[0];
    assert_eq!(event.kind, EventKind::Created);
    assert_eq!(event.ticket_id, created.id);
    assert_eq!(event.actor_role, Role::User);
    assert_eq!(event.actor_name.as_deref(), Some("Ana"));
    assert_eq!(event.to.as_deref(), Some("open"), "the created event names the status the ticket starts in");
    assert_eq!(event.at, now);
}

/// An edit changes the named fields only, bumps version and updated_at, and logs an `edited`
/// event naming the fields (`to` = "title,description").
pub async fn edit_bumps_version_and_records_event(store: &dyn TicketStore) {
    let before = create(store, "Printer broken", "It prints nothing", Category::It, at(0, 0)).await;
    let editor = user("Ben");
    let change = TicketEdit {
        title: Some(title("Printer in room 12 broken")),
        description: Some(description("It prints blank pages")),
        category: None,
        expected_version: 1,
    };
    let after = edit(store, before.id, change, &editor, at(5, 1)).await.expect("editing a ticket");
    assert_eq!(after.version, 2, "an edit bumps the version");
    assert_eq!(after.updated_at, at(5, 1), "an edit sets updated_at");
    assert_eq!(after.title, "Printer in room 12 broken");
    assert_eq!(after.description, "It prints blank pages");
    assert_eq!(after.opened_at, before.opened_at, "an edit must not move opened_at");
    assert_eq!(after.category, before.category);
    assert_eq!(after.category_source, CategorySource::Auto, "a text edit leaves the category's source");
    assert_eq!(after.category_confidence, before.category_confidence);
    assert_eq!(after.status, Status::Open);
    assert_eq!(get(store, before.id).await, after, "get_ticket must return the edited ticket");

    let only_description = TicketEdit {
        description: Some(description("It prints blank pages, since Monday")),
        expected_version: 2,
        ..TicketEdit::default()
    };
    let again = edit(store, before.id, only_description, &editor, at(6, 0)).await.expect("editing again");
    assert_eq!(again.version, 3);
    assert_eq!(again.title, "Printer in room 12 broken", "a field left None must stay as it was");

    let events = store.list_events(before.id).await.expect("listing events");
    let kinds: Vec<_> = events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Created, EventKind::Edited, EventKind::Edited]);
    assert_eq!(events[1].to.as_deref(), Some("title,description"), "the edited event names the fields");
    assert_eq!(events[2].to.as_deref(), Some("description"));
    assert_eq!(events[1].actor_name.as_deref(), Some("Ben"));
    assert_eq!(events[1].actor_role, Role::User);
    assert_eq!(events[1].at, at(5, 1));
}

/// An edit based on an old version is refused with both versions and writes nothing.
pub async fn stale_edit_conflicts_and_changes_nothing(store: &dyn TicketStore) {
    let ticket = create(store, "Door lock", "Room 4 does not lock", Category::Facility, at(0, 0)).await;
    let first =
        TicketEdit { title: Some(title("Door lock jammed")), expected_version: 1, ..TicketEdit::default() };
    edit(store, ticket.id, first, &user("Ana"), at(1, 0)).await.expect("the first edit");
    let before = snapshot(store, ticket.id).await;

    let stale = TicketEdit {
        title: Some(title("Door lock fixed?")),
        category: Some(Category::Services),
        expected_version: 1,
        ..TicketEdit::default()
    };
    match edit(store, ticket.id, stale, &user("Ben"), at(2, 0)).await {
        Err(StoreError::VersionConflict { expected: 1, current: 2 }) => {}
        other => {
            panic!("a stale edit must fail with VersionConflict {{ expected: 1, current: 2 }}, got {other:?}")
        }
    }
    assert_eq!(snapshot(store, ticket.id).await, before, "a refused edit must write nothing");

    let ahead =
        TicketEdit { title: Some(title("From the future")), expected_version: 9, ..TicketEdit::default() };
    match edit(store, ticket.id, ahead, &user("Ben"), at(3, 0)).await {
        Err(StoreError::VersionConflict { expected: 9, current: 2 }) => {}
        other => panic!("an edit naming a future version must conflict, got {other:?}"),
    }
    assert_eq!(snapshot(store, ticket.id).await, before, "a refused edit must write nothing");
}

/// Staff changing the category marks it `staff` with confidence 1.0 and logs
/// `category_changed` from the old to the new category.
pub async fn category_edit_marks_staff_source(store: &dyn TicketStore) {
    let ticket = create(store, "Projector flickers", "Lecture hall 2", Category::Facility, at(0, 0)).await;
    let change = TicketEdit { category: Some(Category::It), expected_version: 1, ..TicketEdit::default() };
    let after =
        edit(store, ticket.id, change, &staff("Desk"), at(1, 0)).await.expect("changing the category");
    assert_eq!(after.category, Category::It);
    assert_eq!(after.category_source, CategorySource::Staff, "a corrected category is the staff's");
    assert_eq!(after.category_confidence, 1.0, "a staff category has confidence 1.0");
    assert!(after.category_terms.is_empty(), "the classifier's words no longer explain the category");
    assert!(!after.needs_check, "a staff category needs no check");
    assert_eq!(after.version, 2);
    assert_eq!(after.updated_at, at(1, 0));
    assert_eq!(after.title, ticket.title);
    assert_eq!(get(store, ticket.id).await, after);

    let events = store.list_events(ticket.id).await.expect("listing events");
    let last = events.last().expect("at least one event");
    assert_eq!(events.len(), 2, "a category-only edit adds exactly one event: {events:?}");
    assert_eq!(last.kind, EventKind::CategoryChanged);
    assert_eq!(last.from.as_deref(), Some("facility"));
    assert_eq!(last.to.as_deref(), Some("it"));
    assert_eq!(last.actor_role, Role::Staff);
    assert_eq!(last.actor_name.as_deref(), Some("Desk"));

    // Staff confirming the classifier's category also makes it theirs.
    let other = create(store, "Wifi down", "No network", Category::It, at(2, 0)).await;
    let confirm = TicketEdit { category: Some(Category::It), expected_version: 1, ..TicketEdit::default() };
    let confirmed = edit(store, other.id, confirm, &staff("Desk"), at(3, 0)).await.expect("confirming");
    assert_eq!(confirmed.category_source, CategorySource::Staff);
    assert_eq!(confirmed.category_confidence, 1.0);
    assert!(!confirmed.needs_check && confirmed.category_terms.is_empty());
    assert_eq!(confirmed.version, 2);
}

/// One read gives the ticket, its thread and its event log, agreeing with the single reads.
pub async fn ticket_thread_reads_everything_at_once(store: &dyn TicketStore) {
    let ticket = create(store, "Heating off", "Room B204 is cold", Category::Facility, at(0, 0)).await;
    store.add_message(ticket.id, body("Since Monday"), &user("Ana"), at(1, 0)).await.expect("posting");
    move_to(store, ticket.id, Status::Active, at(2, 0)).await;
    let thread = store.ticket_thread(ticket.id).await.expect("reading the thread");
    assert_eq!(thread.ticket, get(store, ticket.id).await);
    assert_eq!(thread.ticket.message_count, 1);
    assert_eq!(thread.messages, store.list_messages(ticket.id).await.expect("messages"));
    assert_eq!(thread.events, store.list_events(ticket.id).await.expect("events"));
    assert_eq!(thread.events.len(), 3, "created, message posted, status changed: {:?}", thread.events);
    assert!(matches!(store.ticket_thread(ticket.id + 1000).await, Err(StoreError::NotFound(_))));
}

/// An edit that changes nothing (same values, or no fields) keeps the version, updated_at,
/// the event log and the change feed as they were.
pub async fn edit_that_changes_nothing_keeps_version(store: &dyn TicketStore) {
    let ticket = create(store, "Bin overflowing", "Near the library", Category::Facility, at(0, 0)).await;
    let staffed =
        TicketEdit { category: Some(Category::Facility), expected_version: 1, ..TicketEdit::default() };
    let ticket =
        edit(store, ticket.id, staffed, &staff("Desk"), at(1, 0)).await.expect("confirming the category");
    let before = snapshot(store, ticket.id).await;

    let same = TicketEdit {
        title: Some(title("Bin overflowing")),
        description: Some(description("Near the library")),
        category: Some(Category::Facility),
        expected_version: 2,
    };
    let after = edit(store, ticket.id, same, &staff("Desk"), at(2, 0)).await.expect("a no-op edit");
    assert_eq!(after, ticket, "an edit with the current values must return the ticket unchanged");
    let empty = TicketEdit { expected_version: 2, ..TicketEdit::default() };
    let after = edit(store, ticket.id, empty, &user("Ana"), at(3, 0)).await.expect("an empty edit");
    assert_eq!(after, ticket, "an empty edit must return the ticket unchanged");
    assert_eq!(snapshot(store, ticket.id).await, before, "a no-op edit must write nothing");
}

/// Staff move a ticket open -> active -> closed; each step sets updated_at but keeps the
/// version, closing sets closed_at, and each logs `status_changed` with from/to and the actor.
pub async fn transitions_follow_the_state_machine(store: &dyn TicketStore) {
    let ticket = create(store, "Heating off", "Room 101 is cold", Category::Facility, at(0, 0)).await;
    let active = move_to(store, ticket.id, Status::Active, at(10, 5)).await;
    assert_eq!(active.status, Status::Active);
    assert_eq!(active.version, 1, "a transition keeps the version");
    assert_eq!(active.updated_at, at(10, 5));
    assert_eq!(active.closed_at, None, "an active ticket has no closed_at");
    assert_eq!(get(store, ticket.id).await, active);

    let closed = move_to(store, ticket.id, Status::Closed, at(70, 9)).await;
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.version, 1, "a transition keeps the version");
    assert_eq!(closed.closed_at, Some(at(70, 9)), "closing sets closed_at to the time of closing");
    assert_eq!(closed.updated_at, at(70, 9));
    assert_eq!(closed.opened_at, ticket.opened_at);
    assert_eq!(get(store, ticket.id).await, closed);

    let events = store.list_events(ticket.id).await.expect("listing events");
    let moves: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::StatusChanged)
        .map(|e| (e.from.as_deref(), e.to.as_deref(), e.actor_role, e.actor_name.as_deref(), e.at))
        .collect();
    assert_eq!(
        moves,
        [
            (Some("open"), Some("active"), Role::Staff, Some("Desk"), at(10, 5)),
            (Some("active"), Some("closed"), Role::Staff, Some("Desk"), at(70, 9)),
        ]
    );
}

/// Staff undo a closing within the window: the ticket is active with no `closed_at`, the log
/// and the change feed say so, the subscribed reporter hears of neither the closing nor the
/// undo; a second undo, one after the window and one by a campus user are refused and write
/// nothing.
pub async fn closing_is_undone_once_within_the_window(store: &dyn TicketStore) {
    let window = jiff::SignedDuration::from_mins(5);
    let ticket = reported(store, "Wifi down", "bo@campus.example", at(0, 0)).await;
    move_to(store, ticket.id, Status::Active, at(1, 0)).await;
    let closed = close_with_window(store, ticket.id, Status::Closed, at(2, 0), window).await;
    let refused = snapshot(store, ticket.id).await;
    let by_user = store.undo_close(ticket.id, &user("Bo"), at(3, 0), window).await;
    assert!(matches!(by_user, Err(StoreError::Transition(TransitionError::NotStaff))), "{by_user:?}");
    assert_eq!(snapshot(store, ticket.id).await, refused, "a refused undo writes nothing");

    let undone = store.undo_close(ticket.id, &staff("Ana"), at(7, 0), window).await.expect("undoing");
    assert_eq!((undone.status, undone.closed_at, undone.updated_at), (Status::Active, None, at(7, 0)));
    assert_eq!(undone.version, closed.version);
    assert_eq!(get(store, ticket.id).await, undone);
    let last = store.list_events(ticket.id).await.expect("listing events").pop().expect("an event");
    assert_eq!(
        (last.kind, last.from.as_deref(), last.to.as_deref(), last.actor_name.as_deref(), last.at),
        (EventKind::StatusChanged, Some("closed"), Some("active"), Some("Ana"), at(7, 0))
    );
    let feed = whole_feed(store).await;
    assert_eq!(feed.last().map(|c| &c.ticket), Some(&undone), "the read models see the ticket reopened");
    let mails = store.claim_notifications(at(8, 0), at(9, 0), 10).await.expect("claiming");
    let details: Vec<_> = mails.iter().map(|n| n.detail.as_str()).collect();
    assert_eq!(details, ["active"], "the held closed e-mail is dropped and no reopened one written");

    let again = snapshot(store, ticket.id).await;
    let twice = store.undo_close(ticket.id, &staff("Ana"), at(7, 1), window).await;
    assert!(
        matches!(twice, Err(StoreError::Transition(TransitionError::NotClosed { status: Status::Active }))),
        "{twice:?}"
    );
    move_to(store, ticket.id, Status::Closed, at(8, 0)).await;
    let late = store.undo_close(ticket.id, &staff("Ana"), at(13, 1), window).await;
    assert!(
        matches!(late, Err(StoreError::Transition(TransitionError::UndoWindowPassed { .. }))),
        "{late:?}"
    );
    assert_eq!(get(store, ticket.id).await.status, Status::Closed);
    assert_ne!(snapshot(store, ticket.id).await, again, "closing again was written");
    let missing = store.undo_close(9999, &staff("Ana"), at(13, 2), window).await;
    assert!(matches!(missing, Err(StoreError::NotFound(9999))), "{missing:?}");
}

/// The e-mail of a closing is due only when the undo window ends: a claim before then gets
/// nothing, a claim at `closed_at + window` gets it. Other transitions' e-mails are due at once.
pub async fn closing_mail_waits_for_the_undo_window(store: &dyn TicketStore) {
    let window = jiff::SignedDuration::from_mins(5);
    let ticket = reported(store, "Printer jams", "bo@campus.example", at(0, 0)).await;
    close_with_window(store, ticket.id, Status::Active, at(1, 0), window).await;
    let started = store.claim_notifications(at(1, 0), at(1, 30), 10).await.expect("claiming");
    assert_eq!(
        started.iter().map(|n| n.detail.as_str()).collect::<Vec<_>>(),
        ["active"],
        "starting a ticket is told at once, whatever the window"
    );
    assert!(store.notification_sent(started[0].id, at(1, 1)).await.expect("marking sent"));

    close_with_window(store, ticket.id, Status::Closed, at(2, 0), window).await;
    assert!(
        store.claim_notifications(at(2, 0), at(2, 30), 10).await.expect("claiming").is_empty(),
        "the closed e-mail must not be due at the closing"
    );
    assert!(
        store.claim_notifications(at(6, 59), at(7, 30), 10).await.expect("claiming").is_empty(),
        "the closed e-mail must not be due within the window"
    );
    assert_eq!(store.outbox_status().await.expect("reading").unsent, 1, "it waits in the outbox");
    let due = store.claim_notifications(at(7, 0), at(8, 0), 10).await.expect("claiming");
    let what: Vec<_> = due.iter().map(|n| (n.ticket_id, n.kind, n.detail.as_str(), n.created_at)).collect();
    assert_eq!(what, [(ticket.id, NotificationKind::Status, "closed", at(2, 0))]);
    assert_eq!(due[0].next_attempt_at, at(7, 0), "due at closed_at + window");
}

/// An undo within the window leaves no e-mail of the ticket at all: the held closed one is
/// deleted unsent and no reopened one is written. After an e-mail that went out (the window was
/// shorter when the ticket was closed), the undo still tells the reporter it was reopened.
pub async fn undo_within_the_window_sends_nothing(store: &dyn TicketStore) {
    let window = jiff::SignedDuration::from_mins(5);
    let quiet = reported(store, "Lift stuck", "bo@campus.example", at(0, 0)).await;
    let told = reported(store, "Canteen closed", "cy@campus.example", at(0, 1)).await;
    for ticket in [&quiet, &told] {
        move_to(store, ticket.id, Status::Active, at(1, 0)).await;
    }
    let started = store.claim_notifications(at(1, 0), at(1, 30), 10).await.expect("claiming");
    for mail in &started {
        assert!(store.notification_sent(mail.id, at(1, 1)).await.expect("marking sent"));
    }

    close_with_window(store, quiet.id, Status::Closed, at(2, 0), window).await;
    store.undo_close(quiet.id, &staff("Ana"), at(3, 0), window).await.expect("undoing");
    assert_eq!(store.outbox_status().await.expect("reading").unsent, 0, "nothing left to send");
    assert!(store.claim_notifications(at(99, 0), at(100, 0), 10).await.expect("claiming").is_empty());
    let kept: Vec<_> = store
        .export()
        .await
        .expect("exporting")
        .notifications
        .into_iter()
        .filter(|n| n.ticket_id == quiet.id)
        .map(|n| n.detail)
        .collect();
    assert_eq!(kept, ["active"], "neither a closed nor a reopened e-mail of the undone closing");

    // Closed with no window (as after the setting changed), the e-mail went out at once.
    move_to(store, told.id, Status::Closed, at(100, 0)).await;
    let closed = store.claim_notifications(at(100, 0), at(101, 0), 10).await.expect("claiming");
    assert_eq!(closed.iter().map(|n| n.detail.as_str()).collect::<Vec<_>>(), ["closed"]);
    assert!(store.notification_sent(closed[0].id, at(100, 1)).await.expect("marking sent"));
    store.undo_close(told.id, &staff("Ana"), at(101, 0), window).await.expect("undoing");
    let reopened = store.claim_notifications(at(101, 0), at(102, 0), 10).await.expect("claiming");
    let what: Vec<_> = reopened.iter().map(|n| (n.ticket_id, n.detail.as_str())).collect();
    assert_eq!(what, [(told.id, "reopened")], "the reporter who heard of the closing hears of the undo");
}

/// A transition does not make an open edit form stale: an edit based on the version seen
/// before staff started (or closed) the ticket succeeds, while a second edit based on that same
/// version, now overtaken by the first edit, still gets `VersionConflict` and writes nothing.
pub async fn transitions_leave_the_version_alone(store: &dyn TicketStore) {
    let ticket = create(store, "Tap dripping", "Kitchen tap on floor 3", Category::Facility, at(0, 0)).await;
    let seen = ticket.version;
    let active = move_to(store, ticket.id, Status::Active, at(1, 0)).await;
    assert_eq!(active.version, seen, "starting work must not change the version");

    let mine = TicketEdit {
        description: Some(description("Kitchen tap on floor 3 drips all night")),
        expected_version: seen,
        ..TicketEdit::default()
    };
    let edited = edit(store, ticket.id, mine, &user("Ana"), at(2, 0))
        .await
        .expect("an edit based on the version seen before the transition must succeed");
    assert_eq!(edited.version, seen + 1, "the edit bumps the version");
    assert_eq!(edited.status, Status::Active, "the edit keeps the new status");
    assert_eq!(edited.description, "Kitchen tap on floor 3 drips all night");

    let before = snapshot(store, ticket.id).await;
    let theirs =
        TicketEdit { title: Some(title("Tap broken")), expected_version: seen, ..TicketEdit::default() };
    match edit(store, ticket.id, theirs, &staff("Desk"), at(3, 0)).await {
        Err(StoreError::VersionConflict { expected, current }) if expected == seen && current == seen + 1 => {
        }
        other => panic!("an edit overtaken by another edit must still conflict, got {other:?}"),
    }
    assert_eq!(snapshot(store, ticket.id).await, before, "a stale edit must write nothing");

    let closed = move_to(store, ticket.id, Status::Closed, at(4, 0)).await;
    assert_eq!(closed.version, edited.version, "closing must not change the version");
    let staff_fix = TicketEdit {
        title: Some(title("Tap dripping, fixed")),
        expected_version: edited.version,
        ..TicketEdit::default()
    };
    let fixed = edit(store, ticket.id, staff_fix, &staff("Desk"), at(5, 0))
        .await
        .expect("an edit based on the version seen before closing must succeed");
    assert_eq!((fixed.version, fixed.status), (edited.version + 1, Status::Closed));
}

/// Every move the state machine refuses (skipping, repeating, going back, a user moving
/// anything) fails with the state machine's error and writes nothing.
pub async fn refused_transitions_write_nothing(store: &dyn TicketStore) {
    let ticket = create(store, "Loud fan", "Server room fan", Category::It, at(0, 0)).await;
    let cases = [
        (Status::Closed, Role::Staff, TransitionError::NotAllowed { from: Status::Open, to: Status::Closed }),
        (Status::Open, Role::Staff, TransitionError::NotAllowed { from: Status::Open, to: Status::Open }),
        (Status::Active, Role::User, TransitionError::NotStaff),
    ];
    let before = snapshot(store, ticket.id).await;
    for (to, role, expected) in cases {
        match store.transition(ticket.id, to, &actor(role, None), at(1, 0), jiff::SignedDuration::ZERO).await
        {
            Err(StoreError::Transition(err)) if err == expected => {}
            other => panic!("open -> {to} by {role} must fail with {expected:?}, got {other:?}"),
        }
        assert_eq!(snapshot(store, ticket.id).await, before, "a refused transition (open -> {to}) wrote");
    }

    move_to(store, ticket.id, Status::Active, at(2, 0)).await;
    move_to(store, ticket.id, Status::Closed, at(3, 0)).await;
    let before = snapshot(store, ticket.id).await;
    let cases = [
        (
            Status::Active,
            Role::Staff,
            TransitionError::NotAllowed { from: Status::Closed, to: Status::Active },
        ),
        (Status::Open, Role::Staff, TransitionError::NotAllowed { from: Status::Closed, to: Status::Open }),
        (
            Status::Closed,
            Role::Staff,
            TransitionError::NotAllowed { from: Status::Closed, to: Status::Closed },
        ),
        (Status::Active, Role::User, TransitionError::NotStaff),
    ];
    for (to, role, expected) in cases {
        match store.transition(ticket.id, to, &actor(role, None), at(4, 0), jiff::SignedDuration::ZERO).await
        {
            Err(StoreError::Transition(err)) if err == expected => {}
            other => panic!("closed -> {to} by {role} must fail with {expected:?}, got {other:?}"),
        }
        assert_eq!(snapshot(store, ticket.id).await, before, "a refused transition (closed -> {to}) wrote");
    }
}

/// Messages come back oldest first with author and time; posting one bumps message_count and
/// updated_at but not the version, and logs `message_posted` with the message id.
pub async fn messages_come_oldest_first_without_version_bump(store: &dyn TicketStore) {
    let ticket = create(store, "Locker jammed", "Locker 17 in the gym", Category::Facility, at(0, 0)).await;
    let posts = [
        (user("Ana"), "It is still stuck.", at(1, 1)),
        (actor(Role::Staff, None), "We sent someone.\nPlease wait.", at(2, 2)),
        (user("Ana"), "Thanks!", at(3, 3)),
    ];
    let mut posted = Vec::new();
    for (who, text, now) in &posts {
        let message = store.add_message(ticket.id, body(text), who, *now).await.expect("posting a message");
        assert_eq!(message.ticket_id, ticket.id);
        assert_eq!(message.author_role, who.role);
        assert_eq!(message.author_name.as_deref(), who.name.as_ref().map(|n| n.as_str()));
        assert_eq!(message.body, *text);
        assert_eq!(message.created_at, *now);
        posted.push(message);
    }
    assert!(posted.windows(2).all(|w| w[0].id < w[1].id), "message ids must increase in posting order");
    let thread = store.list_messages(ticket.id).await.expect("listing messages");
    assert_eq!(thread, posted, "the thread must be the posted messages, oldest first");

    let after = get(store, ticket.id).await;
    assert_eq!(after.message_count, 3);
    assert_eq!(after.updated_at, at(3, 3), "a message sets updated_at");
    assert_eq!(after.version, 1, "a message must not bump the version");

    let other = create(store, "Other", "Unrelated", Category::It, at(4, 0)).await;
    assert!(store.list_messages(other.id).await.expect("listing messages").is_empty());

    let events = store.list_events(ticket.id).await.expect("listing events");
    let posted_events: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::MessagePosted)
        .map(|e| (e.to.clone(), e.actor_role, e.at))
        .collect();
    let expected: Vec<_> =
        posted.iter().map(|m| (Some(m.id.to_string()), m.author_role, m.created_at)).collect();
    assert_eq!(posted_events, expected, "each message logs message_posted with its id");
}

/// The event log lists one ticket's events oldest first, each with kind, actor and time, and
/// nothing of other tickets.
pub async fn events_record_who_did_what_in_order(store: &dyn TicketStore) {
    let ticket = create(store, "Cold coffee", "Canteen machine", Category::Services, at(0, 0)).await;
    let other = create(store, "Noise", "Construction", Category::Facility, at(0, 1)).await;
    store.add_message(ticket.id, body("Still cold"), &user("Cleo"), at(1, 0)).await.expect("posting");
    store.add_message(other.id, body("Loud"), &user("Dan"), at(1, 1)).await.expect("posting");
    let recat =
        TicketEdit { category: Some(Category::Facility), expected_version: 1, ..TicketEdit::default() };
    edit(store, ticket.id, recat, &staff("Desk"), at(2, 0)).await.expect("recategorising");
    move_to(store, ticket.id, Status::Active, at(3, 0)).await;
    let retitle = TicketEdit {
        title: Some(title("Coffee machine cold")),
        expected_version: 2,
        ..TicketEdit::default()
    };
    edit(store, ticket.id, retitle, &staff("Eve"), at(4, 0)).await.expect("retitling");

    let events = store.list_events(ticket.id).await.expect("listing events");
    let seen: Vec<_> = events.iter().map(|e| (e.kind, e.actor_role, e.actor_name.as_deref(), e.at)).collect();
    assert_eq!(
        seen,
        [
            (EventKind::Created, Role::User, Some("Ana"), at(0, 0)),
            (EventKind::MessagePosted, Role::User, Some("Cleo"), at(1, 0)),
            (EventKind::CategoryChanged, Role::Staff, Some("Desk"), at(2, 0)),
            (EventKind::StatusChanged, Role::Staff, Some("Desk"), at(3, 0)),
            (EventKind::Edited, Role::Staff, Some("Eve"), at(4, 0)),
        ]
    );
    assert!(events.iter().all(|e| e.ticket_id == ticket.id), "another ticket's events leaked in");
    assert!(events.windows(2).all(|w| w[0].id < w[1].id), "event ids must increase in order");
}

/// Every operation on a ticket that does not exist fails with `NotFound(id)` and writes nothing.
pub async fn missing_ticket_is_not_found(store: &dyn TicketStore) {
    let real = create(store, "Real", "Exists", Category::It, at(0, 0)).await;
    let missing = real.id + 1_000;
    let feed = whole_feed(store).await;
    let who = staff("Desk");
    let not_found = |what: &str, result: Result<(), StoreError>| match result {
        Err(StoreError::NotFound(id)) if id == missing => {}
        other => {
            panic!("{what} on missing ticket {missing} must fail with NotFound({missing}), got {other:?}")
        }
    };
    not_found("get_ticket", store.get_ticket(missing).await.map(drop));
    let change = TicketEdit { title: Some(title("x")), expected_version: 1, ..TicketEdit::default() };
    not_found("update_ticket", store.update_ticket(missing, change, &who, at(1, 0)).await.map(drop));
    not_found(
        "transition",
        store.transition(missing, Status::Active, &who, at(1, 0), jiff::SignedDuration::ZERO).await.map(drop),
    );
    not_found("add_message", store.add_message(missing, body("hello"), &who, at(1, 0)).await.map(drop));
    not_found("list_messages", store.list_messages(missing).await.map(drop));
    not_found("list_events", store.list_events(missing).await.map(drop));
    assert_eq!(store.count_tickets().await.expect("counting"), 1, "a failed write created a ticket");
    assert_eq!(whole_feed(store).await, feed, "a failed write touched the change feed");
}

/// Status sets, category and text filter the list and combine with AND; a text word matches
/// title or description, in any case; newest first.
pub async fn list_filters_by_status_category_and_text(store: &dyn TicketStore) {
    let a = create(store, "Printer on floor 2 jams", "It eats paper", Category::It, at(0, 0)).await.id;
    let b = create(store, "Heating broken in room 101", "It is cold", Category::Facility, at(1, 0)).await.id;
    let c =
        create(store, "Canteen queue too long", "Forty minutes, PRINTER-free", Category::Services, at(2, 0))
            .await
            .id;
    let d = create(store, "WiFi drops", "eduroam keeps disconnecting", Category::It, at(3, 0)).await.id;
    move_to(store, b, Status::Active, at(4, 0)).await;
    move_to(store, d, Status::Active, at(4, 1)).await;
    move_to(store, c, Status::Active, at(4, 2)).await;
    move_to(store, c, Status::Closed, at(4, 3)).await;

    let q = TicketQuery::default;
    assert_eq!(list(store, q()).await, [d, c, b, a], "no filter lists every ticket, newest first");
    assert_eq!(list(store, TicketQuery { statuses: vec![Status::Active], ..q() }).await, [d, b]);
    assert_eq!(
        list(store, TicketQuery { statuses: vec![Status::Closed, Status::Open], ..q() }).await,
        [c, a]
    );
    assert_eq!(list(store, TicketQuery { statuses: Status::ALL.to_vec(), ..q() }).await, [d, c, b, a]);
    assert_eq!(list(store, TicketQuery { category: Some(Category::It), ..q() }).await, [d, a]);
    assert_eq!(
        list(store, TicketQuery { statuses: vec![Status::Active], category: Some(Category::It), ..q() })
            .await,
        [d]
    );
    assert_eq!(search(store, "printer").await, [c, a], "text matches title or description");
    assert_eq!(search(store, "PRINTER").await, [c, a], "text ignores ASCII case");
    assert_eq!(search(store, "Room 101").await, [b]);
    let open_printers = TicketQuery { text: Some("printer".into()), statuses: vec![Status::Open], ..q() };
    assert_eq!(list(store, open_printers).await, [a]);
    assert!(search(store, "nothing matches this").await.is_empty());
}

/// A word that thousands of tickets share (more than a store collects before walking the list
/// instead) still gives the newest matching tickets, page after page, with the filters, and an
/// estimate of how many there are.
pub async fn search_with_many_matches_pages_newest_first(store: &dyn TicketStore) {
    const MANY: i64 = 12_000;
    let tickets: Vec<ImportedTicket> = (0..MANY)
        .map(|i| {
            let title = if i % 3 == 0 { format!("Printer {i} jams") } else { format!("Lift {i} stuck") };
            let status = if i % 2 == 0 { Status::Open } else { Status::Active };
            // Rooms and floors give the texts a vocabulary of some size, as real ones have:
            // PostgreSQL estimates a prefix's matches from its statistics only then.
            let mut ticket = imported(&title, status, at(i, 0), None);
            ticket.description = description(&format!("{title} in room r{} on floor f{}", i % 70, i % 50));
            ticket
        })
        .collect();
    let ids = store.import(tickets, &staff("Desk")).await.expect("importing many tickets");
    let printers: Vec<i64> =
        ids.iter().rev().copied().step_by(1).filter(|id| (id - ids[0]) % 3 == 0).collect();
    let lifts: Vec<i64> = ids.iter().rev().copied().filter(|id| (id - ids[0]) % 3 != 0).collect();
    let page = |text: &str, cursor| TicketQuery {
        text: Some(text.into()),
        limit: 25,
        cursor,
        ..TicketQuery::default()
    };
    let first = store.list_tickets(&page("lift", None)).await.expect("searching");
    assert_eq!(ids_of(&first.items), lifts[..25], "the newest 25 of 8,000 matches");
    let about = |found: &TicketPage, expected: i64| {
        let count = found.total.count;
        assert!(!found.total.exact, "a search's total is an estimate");
        assert!(
            (expected * 85 / 100..=expected * 115 / 100).contains(&count),
            "about {expected}, not {count}"
        );
    };
    about(&first, 8_000);
    let second = store.list_tickets(&page("lift", first.next)).await.expect("the next page");
    assert_eq!(ids_of(&second.items), lifts[25..50]);
    let back = store.list_tickets(&page("lift", second.prev)).await.expect("the page before");
    assert_eq!(ids_of(&back.items), lifts[..25], "back to the first page");
    let first = store.list_tickets(&page("printer", None)).await.expect("searching");
    assert_eq!(ids_of(&first.items), printers[..25], "the newest 25 of 4,000 matches");
    about(&first, 4_000);
    let open_printers = TicketQuery { statuses: vec![Status::Open], ..page("printer", None) };
    let found = store.list_tickets(&open_printers).await.expect("searching open tickets");
    let expected: Vec<i64> = printers.iter().copied().filter(|id| (id - ids[0]) % 2 == 0).take(25).collect();
    assert_eq!(ids_of(&found.items), expected, "a search with many matches combines with the filters");
    let number = store.list_tickets(&page(&format!("#{}", ids[5]), None)).await.expect("a ticket number");
    assert_eq!(number.items.first().map(|t| t.id), Some(ids[5]), "the ticket the number names comes first");
}

fn ids_of(tickets: &[Ticket]) -> Vec<i64> {
    tickets.iter().map(|t| t.id).collect()
}

/// Symbols in the search text separate words and are never read as SQL or index syntax: `%`,
/// `_`, `\`, `*`, quotes, parentheses and operators do not fail, widen or narrow a search.
pub async fn text_search_reads_words_not_symbols(store: &dyn TicketStore) {
    let percent = create(store, "Discount of 100% promised", "x", Category::Services, at(0, 0)).await.id;
    let thousand = create(store, "Discount of 1000 promised", "x", Category::Services, at(1, 0)).await.id;
    let underscore = create(store, "File a_b.txt missing", "x", Category::It, at(2, 0)).await.id;
    let _axb = create(store, "File axb.txt missing", "x", Category::It, at(3, 0)).await.id;
    let backslash = create(store, "Drive C:\\temp is full", "x", Category::It, at(4, 0)).await.id;
    let all = list(store, TicketQuery::default()).await;
    assert_eq!(search(store, "100%").await, [thousand, percent], "the word 100, as a prefix");
    assert_eq!(search(store, "a_b").await, [underscore], "a_b is the words a and b, next to each other");
    assert_eq!(search(store, "C:\\temp").await, [backslash]);
    for text in ["%", "_", "\\", "*", "\"", "'", "()", "-", "^", ":*", "&|!"] {
        assert_eq!(search(store, text).await, all, "{text:?} holds no word: it filters nothing");
    }
    for text in
        ["NEAR(file", "file OR drive", "file AND NOT x", "file*", "'file'", "file:*", "(file", "file & drive"]
    {
        let found = search(store, text).await;
        assert!(found.iter().all(|id| all.contains(id)), "{text:?} is searched as words, not syntax");
    }
    assert!(search(store, "file OR drive").await.is_empty(), "OR is a word that must occur");
}

/// Search reads messages too; words match as prefixes, quoted phrases as adjacent whole words;
/// a bare ticket number finds that ticket; the index follows every edit and message.
pub async fn text_search_covers_messages_phrases_and_ticket_numbers(store: &dyn TicketStore) {
    let heating = create(store, "Heating off", "Room B204 is cold", Category::Facility, at(0, 0)).await.id;
    let pump =
        create(store, "Heat pump noisy", "Loud hum in the basement", Category::Facility, at(1, 0)).await.id;
    store
        .add_message(heating, body("The radiator valve is stuck"), &user("Ana"), at(2, 0))
        .await
        .expect("posting");
    assert_eq!(search(store, "radiator").await, [heating], "message text is searched");
    assert_eq!(search(store, "valve cold").await, [heating], "words from a message and the description");
    assert_eq!(search(store, "heat").await, [pump, heating], "a word matches as a prefix");
    assert_eq!(search(store, "b204").await, [heating]);
    assert_eq!(search(store, "\"heating off\"").await, [heating], "a phrase");
    assert!(search(store, "\"off heating\"").await.is_empty(), "a phrase keeps its order");
    assert!(search(store, "\"heat off\"").await.is_empty(), "phrase words match whole");
    assert_eq!(search(store, &heating.to_string()).await, [heating], "a bare ticket number finds it");
    assert_eq!(search(store, &format!("#{pump}")).await, [pump], "with a # too");
    let quoting = format!("Same as ticket {heating}");
    let mention = create(store, &quoting, "See the other report", Category::Facility, at(1, 30)).await.id;
    assert_eq!(
        search(store, &heating.to_string()).await,
        [heating, mention],
        "the ticket the number names first, then tickets that mention it, newest first"
    );
    let one = |cursor| TicketQuery {
        text: Some(format!("#{heating}")),
        limit: 1,
        cursor,
        ..TicketQuery::default()
    };
    let first = store.list_tickets(&one(None)).await.expect("a page of one");
    assert_eq!(ids_of(&first.items), [heating]);
    let second = store.list_tickets(&one(first.next)).await.expect("the next page of one");
    assert_eq!(ids_of(&second.items), [mention], "the pinned ticket is not listed again");
    assert_eq!(second.next, None);
    let active_heat =
        TicketQuery { text: Some("heat".into()), statuses: vec![Status::Active], ..TicketQuery::default() };
    assert!(list(store, active_heat.clone()).await.is_empty(), "search combines with the status filter");
    move_to(store, pump, Status::Active, at(3, 0)).await;
    assert_eq!(list(store, active_heat).await, [pump]);

    let retitle =
        TicketEdit { title: Some(title("Radiator cold")), expected_version: 1, ..TicketEdit::default() };
    edit(store, heating, retitle, &staff("Desk"), at(4, 0)).await.expect("editing");
    assert!(search(store, "\"heating off\"").await.is_empty(), "the old title is no longer found");
    assert_eq!(search(store, "radiator cold").await, [heating], "the new title is");

    let imported = ImportedTicket {
        messages: vec![ImportedMessage {
            author: user("Cleo"),
            body: body("The photocopier smokes"),
            created_at: at(-5, 0),
        }],
        ..imported("Old printer problem", Status::Open, at(-10, 0), None)
    };
    let ids = store.import(vec![imported], &staff("Desk")).await.expect("importing");
    assert_eq!(search(store, "photocopier").await, ids, "imported threads are searchable");
}

/// The search text is split into words on white space; a ticket matches when every word occurs
/// in its title, its description or a message (any order, any case); a word that occurs nowhere
/// excludes it; white space alone filters nothing; only the first ten words count.
pub async fn text_search_needs_every_word_in_either_field(store: &dyn TicketStore) {
    let lift =
        create(store, "Lift in Science Tower stuck", "Between floors 3 and 4", Category::Facility, at(0, 0))
            .await
            .id;
    let split =
        create(store, "Lift noisy", "It got stuck twice today", Category::Facility, at(1, 0)).await.id;
    let other =
        create(store, "Stairs dark", "No light in the stairwell", Category::Facility, at(2, 0)).await.id;

    assert_eq!(
        search(store, "lift stuck").await,
        [split, lift],
        "every word, anywhere in title or description"
    );
    assert_eq!(search(store, "stuck lift").await, [split, lift], "word order does not matter");
    assert_eq!(search(store, "LIFT Tower").await, [lift], "both words in the title, any case");
    assert_eq!(search(store, "noisy twice").await, [split], "one word in the title, one in the description");
    assert!(search(store, "lift stuck escalator").await.is_empty(), "one missing word excludes a ticket");
    assert_eq!(
        search(store, "  lift \t\n stuck  ").await,
        [split, lift],
        "runs of white space separate words"
    );
    assert_eq!(search(store, "   ").await, [other, split, lift], "white space alone filters nothing");
    assert_eq!(search(store, "science lift").await, [lift], "words need not be adjacent in the text");
    assert_eq!(search(store, "tower STUCK floors").await, [lift], "three words across both fields");
    let eleven = "lift lift lift lift lift lift lift lift lift stuck escalator";
    assert_eq!(search(store, eleven).await, [split, lift], "words after the tenth are ignored");
}

/// The list's total counts every page exactly, whatever the filters, and follows creates,
/// transitions, category changes and imports; with a search it is the marked estimate.
pub async fn list_totals_follow_every_write(store: &dyn TicketStore) {
    let total = |statuses: Vec<Status>, category: Option<Category>, text: Option<&str>| {
        let query = TicketQuery {
            statuses,
            category,
            text: text.map(str::to_owned),
            limit: 2,
            ..TicketQuery::default()
        };
        async move { store.list_tickets(&query).await.expect("a list").total }
    };
    let exact = |count| crate::Total { count, exact: true };
    assert_eq!(total(vec![], None, None).await, exact(0), "an empty store");

    let mut it = Vec::new();
    for n in 0..3 {
        it.push(create(store, &format!("Printer {n} jams"), "Paper stuck", Category::It, at(n, 0)).await);
    }
    let heating = create(store, "No heating", "Room B204 is cold", Category::Facility, at(5, 0)).await;
    assert_eq!(total(vec![], None, None).await, exact(4));
    assert_eq!(total(vec![], Some(Category::It), None).await, exact(3), "more than a page of 2");
    assert_eq!(total(vec![Status::Open], Some(Category::Facility), None).await, exact(1));

    move_to(store, it[0].id, Status::Active, at(6, 0)).await;
    move_to(store, it[0].id, Status::Closed, at(7, 0)).await;
    move_to(store, heating.id, Status::Active, at(8, 0)).await;
    assert_eq!(total(vec![Status::Open], None, None).await, exact(2));
    assert_eq!(total(vec![Status::Open, Status::Active], None, None).await, exact(3));
    assert_eq!(total(vec![Status::Closed], Some(Category::It), None).await, exact(1));

    let moved =
        edit(store, it[1].id, recategorise(Category::Services, it[1].version), &staff("Desk"), at(9, 0))
            .await
            .expect("recategorising");
    assert_eq!(moved.category, Category::Services);
    assert_eq!(total(vec![], Some(Category::It), None).await, exact(2));
    assert_eq!(total(vec![Status::Open], Some(Category::Services), None).await, exact(1));

    let rows = vec![
        imported("Old canteen complaint", Status::Closed, at(1, 0), Some(at(2, 0))),
        imported("Old library complaint", Status::Open, at(1, 0), None),
    ];
    store.import(rows, &staff("Importer")).await.expect("importing");
    assert_eq!(total(vec![], None, None).await, exact(6));
    assert_eq!(total(vec![Status::Closed], Some(Category::Services), None).await, exact(1));
    assert_eq!(total(vec![Status::Open], Some(Category::Services), None).await, exact(2));

    let searched = total(vec![Status::Open], None, Some("printer")).await;
    assert_eq!(
        searched,
        crate::Total { count: 3, exact: false },
        "a search's total is the estimate: every text match, before the status filter"
    );
}

/// Paging by cursor through tickets sharing one opened_at visits each exactly once, in order.
pub async fn paging_visits_every_ticket_once(store: &dyn TicketStore) {
    let mut expected = Vec::new();
    expected.push(create(store, "Later", "x", Category::It, at(9, 0)).await.id);
    let mut same = Vec::new();
    for i in 0..7 {
        same.push(create(store, &format!("Same time {i}"), "x", Category::It, at(5, 0)).await.id);
    }
    same.sort_unstable_by(|a, b| b.cmp(a));
    expected.extend(same);
    expected.push(create(store, "Earlier", "x", Category::It, at(1, 0)).await.id);
    expected.push(create(store, "Earliest", "x", Category::It, at(0, 0)).await.id);

    let mut seen = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = store
            .list_tickets(&TicketQuery { limit: 3, cursor: after, ..TicketQuery::default() })
            .await
            .expect("a page");
        pages += 1;
        assert!(page.items.len() <= 3, "a page holds at most its limit");
        seen.extend(ids(&page.items));
        match page.next {
            Some(cursor) => {
                assert_eq!(page.items.len(), 3, "only the last page may be short");
                let last = page.items.last().expect("a page with a next cursor has items");
                assert_eq!(
                    (cursor.opened_at, cursor.id),
                    (last.opened_at, last.id),
                    "the cursor is the last item"
                );
                after = Some(cursor);
            }
            None => break,
        }
        assert!(pages <= 10, "paging does not end");
    }
    assert_eq!(pages, 4, "10 tickets by 3 make 4 pages");
    assert_eq!(seen, expected, "paging must visit every ticket once, newest first, higher id first on ties");

    let filtered = TicketQuery { limit: 2, text: Some("same time".into()), ..TicketQuery::default() };
    let first = store.list_tickets(&filtered).await.expect("a filtered page");
    let second =
        store.list_tickets(&TicketQuery { cursor: first.next, ..filtered }).await.expect("the next one");
    assert_eq!([ids(&first.items), ids(&second.items)].concat(), expected[1..5], "filters hold across pages");
}

/// Every order, both ways: the whole list by pages of 2 forwards, then back again by the
/// previous cursors, visits the tickets in the order's sequence (ties broken by opened_at, then
/// id, in the same direction), with page numbers and the exact total; filters and a search hold
/// across pages; a cursor of another order is refused.
pub async fn every_sort_pages_both_ways(store: &dyn TicketStore) {
    let mut all = Vec::new();
    for (i, (category, minute)) in [
        (Category::It, 5),
        (Category::Facility, 5),
        (Category::Services, 5),
        (Category::It, 1),
        (Category::Facility, 9),
    ]
    .into_iter()
    .enumerate()
    {
        all.push(create(store, &format!("Same lamp {i}"), "x", category, at(minute, 0)).await);
    }
    // Status and last-modified change: two active (same instant), one closed.
    move_to(store, all[1].id, Status::Active, at(20, 0)).await;
    move_to(store, all[3].id, Status::Active, at(20, 0)).await;
    move_to(store, all[4].id, Status::Active, at(21, 0)).await;
    move_to(store, all[4].id, Status::Closed, at(22, 0)).await;
    let tickets: Vec<Ticket> = {
        let mut fresh = Vec::new();
        for t in &all {
            fresh.push(get(store, t.id).await);
        }
        fresh
    };
    for field in crate::SortField::ALL {
        for descending in [false, true] {
            let sort = crate::TicketSort { field, descending };
            let mut expected = tickets.clone();
            expected.sort_by(|a, b| {
                let key = |t: &Ticket| match field {
                    crate::SortField::Opened => String::new(),
                    crate::SortField::Updated => format!("{:020}", t.updated_at.as_microsecond()),
                    crate::SortField::Status => t.status.as_str().to_owned(),
                    crate::SortField::Category => t.category.as_str().to_owned(),
                };
                (key(a), a.opened_at, a.id).cmp(&(key(b), b.opened_at, b.id))
            });
            if descending {
                expected.reverse();
            }
            let expected = ids(&expected);
            let query = TicketQuery { limit: 2, sort, ..TicketQuery::default() };
            let mut pages = vec![store.list_tickets(&query).await.expect("the first page")];
            while let Some(next) = pages.last().and_then(|p| p.next) {
                let page = store.list_tickets(&TicketQuery { cursor: Some(next), ..query.clone() }).await;
                pages.push(page.expect("a next page"));
                assert!(pages.len() <= 3, "{sort}: paging does not end");
            }
            let seen: Vec<i64> = pages.iter().flat_map(|p| ids(&p.items)).collect();
            assert_eq!(seen, expected, "{sort}: forwards");
            for (n, page) in pages.iter().enumerate() {
                assert_eq!(page.number, Some(n as u32 + 1), "{sort}: page numbers");
                assert_eq!(page.total, crate::Total { count: 5, exact: true }, "{sort}: the total");
                assert_eq!(page.prev.is_some(), n > 0, "{sort}: only the first page has no previous");
            }
            // Back from the last page, by the previous cursors, to the first.
            let mut back = pages.pop().expect("three pages");
            while let Some(prev) = back.prev {
                back = store
                    .list_tickets(&TicketQuery { cursor: Some(prev), ..query.clone() })
                    .await
                    .expect("back");
                let again = pages.pop().expect("as many pages back as forwards");
                assert_eq!(ids(&back.items), ids(&again.items), "{sort}: backwards");
                assert_eq!(back.number, again.number, "{sort}: page numbers backwards");
                assert_eq!(
                    back.next.map(|c| c.id),
                    again.next.map(|c| c.id),
                    "{sort}: next from a previous page"
                );
            }
            assert!(pages.is_empty(), "{sort}: back to the first page");
        }
    }
    // A filter that pins the sort key (one status, one category) leaves the opened order within
    // it; paging forwards and back still holds.
    let pinned = [
        (vec![Status::Active], None, crate::SortField::Status, false, [all[3].id, all[1].id]),
        (Vec::new(), Some(Category::It), crate::SortField::Category, true, [all[0].id, all[3].id]),
    ];
    for (statuses, category, field, descending, expected) in pinned {
        let sort = crate::TicketSort { field, descending };
        let query = TicketQuery { statuses, category, limit: 1, sort, ..TicketQuery::default() };
        let first = store.list_tickets(&query).await.expect("a pinned first page");
        let second = store
            .list_tickets(&TicketQuery { cursor: first.next, ..query.clone() })
            .await
            .expect("a pinned second page");
        assert_eq!([ids(&first.items), ids(&second.items)].concat(), expected, "{sort}: pinned");
        assert_eq!(second.next, None, "{sort}: pinned, two tickets");
        let back = store
            .list_tickets(&TicketQuery { cursor: second.prev, ..query.clone() })
            .await
            .expect("a pinned page back");
        assert_eq!(ids(&back.items), ids(&first.items), "{sort}: pinned, backwards");
    }
    let by_status = crate::TicketSort { field: crate::SortField::Status, descending: false };
    let active = TicketQuery {
        statuses: vec![Status::Active, Status::Open],
        category: Some(Category::Facility),
        text: Some("lamp".into()),
        limit: 1,
        sort: by_status,
        ..TicketQuery::default()
    };
    let first = store.list_tickets(&active).await.expect("filtered, searched, sorted");
    assert_eq!((ids(&first.items), first.next), (vec![all[1].id], None), "filters hold with a sort");
    let cursor = first.items.first().map(|t| crate::TicketCursor::at(t, by_status, false, Some(2)));
    let wrong = TicketQuery { cursor, sort: crate::TicketSort::default(), ..active };
    assert!(store.list_tickets(&wrong).await.is_err(), "a cursor of another order is refused");
}

/// A page size outside 1..=200 is clamped into it.
pub async fn list_limit_is_clamped(store: &dyn TicketStore) {
    let rows: Vec<_> =
        (0..205).map(|i| imported(&format!("Old {i}"), Status::Open, at(i, 0), None)).collect();
    store.import(rows, &Actor::staff()).await.expect("importing 205 tickets");
    let one = store.list_tickets(&TicketQuery { limit: 0, ..TicketQuery::default() }).await.expect("limit 0");
    assert_eq!(one.items.len(), 1, "limit 0 is raised to 1");
    assert!(one.next.is_some());
    let big = store
        .list_tickets(&TicketQuery { limit: 5_000, ..TicketQuery::default() })
        .await
        .expect("limit 5000");
    assert_eq!(big.items.len(), 200, "a limit above 200 is lowered to 200");
    let rest = store
        .list_tickets(&TicketQuery { limit: 5_000, cursor: big.next, ..TicketQuery::default() })
        .await
        .expect("the rest");
    assert_eq!(rest.items.len(), 5);
    assert!(rest.next.is_none(), "the last page has no next cursor");
}

/// The feed lists tickets in commit order; a ticket written again moves to the end and appears
/// once; each entry is the ticket's current state.
pub async fn change_feed_is_in_commit_order_and_compacted(store: &dyn TicketStore) {
    assert!(whole_feed(store).await.is_empty(), "a fresh store has an empty change feed");
    let a = create(store, "A", "first", Category::It, at(0, 0)).await.id;
    let b = create(store, "B", "second", Category::It, at(1, 0)).await.id;
    let c = create(store, "C", "third", Category::It, at(2, 0)).await.id;
    let feed = whole_feed(store).await;
    assert_eq!(feed.iter().map(|ch| ch.ticket.id).collect::<Vec<_>>(), [a, b, c]);
    assert!(feed.windows(2).all(|w| w[0].seq < w[1].seq), "seqs must increase");
    assert!(feed[0].seq > 0, "seqs are positive, so 0 means 'from the start'");
    let seq_c = feed[2].seq;

    let change = TicketEdit { title: Some(title("A edited")), expected_version: 1, ..TicketEdit::default() };
    edit(store, a, change, &user("Ana"), at(3, 0)).await.expect("editing A");
    store.add_message(b, body("ping"), &user("Ana"), at(4, 0)).await.expect("posting on B");
    move_to(store, a, Status::Active, at(5, 0)).await;

    let feed = whole_feed(store).await;
    let order: Vec<_> = feed.iter().map(|ch| ch.ticket.id).collect();
    assert_eq!(order, [c, b, a], "each ticket appears once, at its latest change");
    assert!(feed.windows(2).all(|w| w[0].seq < w[1].seq), "seqs must increase");
    assert_eq!(feed[0].seq, seq_c, "an untouched ticket keeps its seq");
    for change in &feed {
        assert_eq!(
            change.ticket,
            get(store, change.ticket.id).await,
            "a feed entry must be the current state"
        );
    }
    assert_eq!(feed[2].ticket.version, 2, "one edit and one transition make version 2");
    assert_eq!(feed[1].ticket.message_count, 1);
}

/// `changes(after, limit)` returns only seqs above `after`, at most `limit` of them.
pub async fn change_feed_honours_after_and_limit(store: &dyn TicketStore) {
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(create(store, &format!("T{i}"), "x", Category::Facility, at(i, 0)).await.id);
    }
    let feed = whole_feed(store).await;
    assert_eq!(feed.len(), 5);
    let seqs: Vec<_> = feed.iter().map(|c| c.seq).collect();

    let first_two = store.changes(0, 2).await.expect("reading the feed");
    assert_eq!(first_two, feed[..2], "limit caps the entries");
    let after_second = store.changes(seqs[1], 100).await.expect("reading the feed");
    assert_eq!(after_second, feed[2..], "after skips entries up to and including that seq");
    let middle = store.changes(seqs[1], 2).await.expect("reading the feed");
    assert_eq!(middle, feed[2..4]);
    assert!(store.changes(seqs[4], 100).await.expect("reading the feed").is_empty(), "nothing after the end");
    assert!(store.changes(0, 0).await.expect("reading the feed").is_empty(), "limit 0 returns nothing");
    // A cursor between two seqs (gaps may exist) still resumes at the next one.
    let between = store.changes(seqs[2] - 1, 1).await.expect("reading the feed");
    assert_eq!(between, feed[2..3]);
}

/// The change watch reaches the seq of every commit, and a new receiver starts at the latest.
pub async fn watch_changes_advances_on_commit(store: &dyn TicketStore) {
    let rx = store.watch_changes();
    let start = *rx.borrow();
    let ticket = create(store, "Watched", "x", Category::It, at(0, 0)).await;
    let seq = whole_feed(store).await.last().expect("one change").seq;
    assert!(seq > start, "a commit must have a seq above the watch's start");
    wait_for_seq(store, seq).await;

    move_to(store, ticket.id, Status::Active, at(1, 0)).await;
    let seq2 = whole_feed(store).await.last().expect("one change").seq;
    assert!(seq2 > seq);
    wait_for_seq(store, seq2).await;
    store.add_message(ticket.id, body("hi"), &user("Ana"), at(2, 0)).await.expect("posting");
    let seq3 = whole_feed(store).await.last().expect("one change").seq;
    wait_for_seq(store, seq3).await;
    assert!(*rx.borrow() >= seq3, "an early receiver sees later commits too");
}

/// Import keeps the given times, statuses, categories and threads, returns ids in input order,
/// logs `created` at opened_at, and feeds the change feed.
pub async fn import_preserves_history(store: &dyn TicketStore) {
    let existing = create(store, "Live ticket", "x", Category::It, at(100, 0)).await;
    assert!(store.import(Vec::new(), &Actor::staff()).await.expect("an empty import").is_empty());

    let mut open = imported("Old open", Status::Open, at(-300, 11), None);
    open.category = Category::Facility;
    open.category_source = CategorySource::Auto;
    open.category_confidence = 0.625;
    let mut active = imported("Old active", Status::Active, at(-200, 22), None);
    active.messages = vec![
        ImportedMessage { author: user("Ana"), body: body("Any news?"), created_at: at(-150, 1) },
        ImportedMessage { author: actor(Role::Staff, None), body: body("On it."), created_at: at(-140, 2) },
    ];
    let mut closed = imported("Old closed", Status::Closed, at(-100, 33), Some(at(-20, 44)));
    closed.category = Category::It;
    closed.messages =
        vec![ImportedMessage { author: staff("Desk"), body: body("Fixed."), created_at: at(-30, 5) }];
    let rows = vec![open.clone(), active.clone(), closed.clone()];

    let new_ids = store.import(rows.clone(), &Actor::staff()).await.expect("importing three tickets");
    assert_eq!(new_ids.len(), 3, "one id per imported row");
    assert_eq!(store.count_tickets().await.expect("counting"), 4);
    for (id, row) in new_ids.iter().zip(&rows) {
        let t = get(store, *id).await;
        let what = row.title.as_str();
        assert_eq!(t.title, what, "ids must come back in input order");
        assert_eq!(t.description, row.description.as_str(), "{what}");
        assert_eq!(t.category, row.category, "{what}");
        assert_eq!(t.category_source, row.category_source, "{what}");
        assert_eq!(t.category_confidence, row.category_confidence, "{what}");
        assert_eq!(t.status, row.status, "{what}: the status is taken as given");
        assert_eq!(t.opened_at, row.opened_at, "{what}: opened_at is taken as given");
        assert_eq!(t.closed_at, row.closed_at, "{what}: closed_at is taken as given");
        assert_eq!(t.version, 1, "{what}");
        assert_eq!(t.message_count, row.messages.len() as i64, "{what}");
        let latest = [Some(row.opened_at), row.closed_at, row.messages.iter().map(|m| m.created_at).max()]
            .into_iter()
            .flatten()
            .max();
        assert_eq!(Some(t.updated_at), latest, "{what}: updated_at is the latest known time");

        let thread = store.list_messages(*id).await.expect("listing messages");
        let got: Vec<_> = thread
            .iter()
            .map(|m| (m.author_role, m.author_name.clone(), m.body.clone(), m.created_at))
            .collect();
        let want: Vec<_> = row
            .messages
            .iter()
            .map(|m| {
                (
                    m.author.role,
                    m.author.name.as_ref().map(|n| n.to_string()),
                    m.body.to_string(),
                    m.created_at,
                )
            })
            .collect();
        assert_eq!(got, want, "{what}: the thread is imported as given, oldest first");

        let events = store.list_events(*id).await.expect("listing events");
        let first = events.first().expect("an imported ticket has events");
        assert_eq!(
            (first.kind, first.at),
            (EventKind::Created, row.opened_at),
            "{what}: created at opened_at"
        );
    }
    let feed = whole_feed(store).await;
    let order: Vec<_> = feed.iter().map(|c| c.ticket.id).collect();
    assert_eq!(
        order,
        [vec![existing.id], new_ids.clone()].concat(),
        "imported tickets join the feed in order"
    );
    wait_for_seq(store, feed.last().expect("a feed").seq).await;

    let page =
        store.list_tickets(&TicketQuery { limit: 10, ..TicketQuery::default() }).await.expect("listing");
    assert_eq!(
        ids(&page.items),
        [existing.id, new_ids[2], new_ids[1], new_ids[0]],
        "imported tickets list by opened_at"
    );
}

/// One inconsistent row fails the whole import with its 1-based row number; nothing is written.
pub async fn import_with_a_bad_row_writes_nothing(store: &dyn TicketStore) {
    create(store, "Live ticket", "x", Category::It, at(0, 0)).await;
    let feed = whole_feed(store).await;
    let good = imported("Fine", Status::Open, at(-10, 0), None);
    let cases = [
        (vec![good.clone(), imported("No close time", Status::Closed, at(-9, 0), None), good.clone()], 2),
        (
            vec![
                good.clone(),
                good.clone(),
                imported("Backwards", Status::Closed, at(-5, 0), Some(at(-6, 0))),
            ],
            3,
        ),
        (vec![imported("Open yet closed", Status::Open, at(-5, 0), Some(at(-4, 0))), good.clone()], 1),
    ];
    for (rows, bad_row) in cases {
        match store.import(rows, &Actor::staff()).await {
            Err(StoreError::InvalidImport { row, message }) => {
                assert_eq!(row, bad_row, "the error names the bad row ({message})");
                assert!(!message.is_empty(), "the error says what is wrong");
            }
            other => panic!("an import with a bad row {bad_row} must fail with InvalidImport, got {other:?}"),
        }
        assert_eq!(store.count_tickets().await.expect("counting"), 1, "a failed import wrote tickets");
        assert_eq!(whole_feed(store).await, feed, "a failed import touched the change feed");
    }
}

/// 16 concurrent writers each creating tickets and posting messages: every write lands, with
/// unique ids and unique, increasing feed seqs, and no message is lost from a shared ticket.
pub async fn concurrent_writers_all_land(store: &dyn TicketStore) {
    const WRITERS: usize = 16;
    const ROUNDS: usize = 10;
    let shared = create(store, "Shared", "Everyone writes here", Category::Services, at(0, 0)).await.id;
    let writers: Vec<BoxFuture<'_, Vec<i64>>> = (0..WRITERS)
        .map(|w| {
            let fut: BoxFuture<'_, Vec<i64>> = Box::pin(async move {
                let mut created = Vec::new();
                for r in 0..ROUNDS {
                    let now = at(1, (w * ROUNDS + r) as i64);
                    let t = create(store, &format!("Writer {w} round {r}"), "load", Category::It, now).await;
                    store
                        .add_message(t.id, body("mine"), &user("Ana"), now)
                        .await
                        .expect("posting on own ticket");
                    store
                        .add_message(shared, body(&format!("{w}/{r}")), &user("Ana"), now)
                        .await
                        .expect("posting");
                    created.push(t.id);
                }
                created
            });
            fut
        })
        .collect();
    let created: Vec<i64> = join_all(writers).await.into_iter().flatten().collect();

    let mut unique = created.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), WRITERS * ROUNDS, "every create must get its own id");
    assert_eq!(store.count_tickets().await.expect("counting"), (WRITERS * ROUNDS + 1) as i64);
    let shared_ticket = get(store, shared).await;
    assert_eq!(shared_ticket.message_count, (WRITERS * ROUNDS) as i64, "concurrent messages were lost");
    assert_eq!(store.list_messages(shared).await.expect("listing").len(), WRITERS * ROUNDS);
    for id in &created {
        assert_eq!(get(store, *id).await.message_count, 1, "ticket {id} lost its message");
    }
    let feed = whole_feed(store).await;
    assert_eq!(feed.len(), WRITERS * ROUNDS + 1, "each ticket appears in the feed exactly once");
    assert!(feed.windows(2).all(|w| w[0].seq < w[1].seq), "feed seqs must be unique and increasing");
    let mut in_feed: Vec<_> = feed.iter().map(|c| c.ticket.id).collect();
    in_feed.sort_unstable();
    in_feed.dedup();
    assert_eq!(in_feed.len(), feed.len(), "a ticket appears twice in the feed");
    wait_for_seq(store, feed.last().expect("a feed").seq).await;
}

/// Concurrent edits based on the same version: exactly one wins, the rest get VersionConflict,
/// and the stored ticket is the winner's.
pub async fn concurrent_edits_of_one_ticket_have_one_winner(store: &dyn TicketStore) {
    let ticket = create(store, "Contested", "Everyone edits", Category::It, at(0, 0)).await;
    let id = ticket.id;
    let edits: Vec<BoxFuture<'_, Result<Ticket, StoreError>>> = (0..8)
        .map(|i| {
            let change = TicketEdit {
                title: Some(title(&format!("Title by editor {i}"))),
                expected_version: 1,
                ..TicketEdit::default()
            };
            let fut: BoxFuture<'_, Result<Ticket, StoreError>> =
                Box::pin(async move { store.update_ticket(id, change, &user("Ana"), at(1, i)).await });
            fut
        })
        .collect();
    let results = join_all(edits).await;
    let winners: Vec<&Ticket> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "exactly one of 8 edits of version 1 may win: {results:?}");
    for result in &results {
        match result {
            Ok(_) | Err(StoreError::VersionConflict { expected: 1, current: 2 }) => {}
            Err(other) => panic!("a losing edit must get VersionConflict {{ 1, 2 }}, got {other:?}"),
        }
    }
    let stored = get(store, ticket.id).await;
    assert_eq!(&stored, winners[0], "the stored ticket must be the winning edit");
    assert_eq!(stored.version, 2);
    let edited = store
        .list_events(ticket.id)
        .await
        .expect("events")
        .iter()
        .filter(|e| e.kind == EventKind::Edited)
        .count();
    assert_eq!(edited, 1, "only the winning edit is logged");
}

async fn corrections(store: &dyn TicketStore) -> Vec<crate::Correction> {
    store.list_corrections(0).await.expect("listing corrections")
}

fn recategorise(category: Category, expected_version: i64) -> TicketEdit {
    TicketEdit { category: Some(category), expected_version, ..TicketEdit::default() }
}

/// Staff changing a category records one correction with the ticket's text (title, newline,
/// description), both categories, the replaced category's source, the staff member's name and
/// the time; corrections list oldest first and honour `after_id`.
pub async fn staff_category_change_records_a_correction(store: &dyn TicketStore) {
    assert!(corrections(store).await.is_empty(), "a fresh store has no corrections");
    let ticket =
        create(store, "Zorblax beeping", "The zorblax in room Q7 beeps", Category::Facility, at(0, 0)).await;
    edit(store, ticket.id, recategorise(Category::It, 1), &staff("Desk"), at(1, 5))
        .await
        .expect("staff re-categorise");
    let log = corrections(store).await;
    assert_eq!(log.len(), 1, "one category change records exactly one correction: {log:?}");
    let first = &log[0];
    assert_eq!(first.ticket_id, ticket.id);
    assert_eq!(
        first.text, "Zorblax beeping\nThe zorblax in room Q7 beeps",
        "the text is title + newline + description"
    );
    assert_eq!((first.from_category, first.to_category), (Category::Facility, Category::It));
    assert_eq!(first.from_source, CategorySource::Auto, "the classifier's category was overruled");
    assert_eq!(first.actor_name.as_deref(), Some("Desk"));
    assert_eq!(first.corrected_at, at(1, 5), "corrected_at keeps microseconds");

    // Changing it again, together with the text: the correction holds the text as edited.
    let change = TicketEdit {
        description: Some(description("The zorblax in room Q8 beeps")),
        category: Some(Category::Services),
        expected_version: 2,
        ..TicketEdit::default()
    };
    edit(store, ticket.id, change, &actor(Role::Staff, None), at(2, 0)).await.expect("second change");
    let log = corrections(store).await;
    assert_eq!(log.len(), 2);
    let second = &log[1];
    assert!(second.id > first.id, "correction ids increase in recording order");
    assert_eq!(second.text, "Zorblax beeping\nThe zorblax in room Q8 beeps");
    assert_eq!((second.from_category, second.to_category), (Category::It, Category::Services));
    assert_eq!(second.from_source, CategorySource::Staff);
    assert_eq!(second.actor_name, None);
    assert_eq!(store.list_corrections(first.id).await.expect("after the first"), log[1..]);
    assert!(store.list_corrections(second.id).await.expect("after the last").is_empty());
}

/// Edits that leave the category as it is record no correction: staff confirming the current
/// category, a text-only edit, and an edit with nothing new.
pub async fn unchanged_category_records_no_correction(store: &dyn TicketStore) {
    let ticket = create(store, "Wifi down", "eduroam is down", Category::It, at(0, 0)).await;
    let confirmed = edit(store, ticket.id, recategorise(Category::It, 1), &staff("Desk"), at(1, 0))
        .await
        .expect("confirming the category");
    assert_eq!(confirmed.category_source, CategorySource::Staff, "confirming still makes it the staff's");
    let text =
        TicketEdit { title: Some(title("Wifi down again")), expected_version: 2, ..TicketEdit::default() };
    edit(store, ticket.id, text, &staff("Desk"), at(2, 0)).await.expect("a text edit");
    edit(store, ticket.id, recategorise(Category::It, 3), &staff("Desk"), at(3, 0)).await.expect("a no-op");
    assert!(corrections(store).await.is_empty(), "no category changed, so nothing was corrected");
    let counts = store.classifier_counts().await.expect("counts");
    assert_eq!(counts, ClassifierCounts { auto_categorised: 1, corrected: 0, corrections: 0 });
}

/// A campus user's edit naming a category is refused with `Forbidden` and writes nothing, not
/// even its text changes; no correction is recorded.
pub async fn users_cannot_change_categories(store: &dyn TicketStore) {
    let ticket = create(store, "Canteen closed", "Closed at noon", Category::Services, at(0, 0)).await;
    let before = snapshot(store, ticket.id).await;
    let change = TicketEdit {
        title: Some(title("Canteen closed early")),
        category: Some(Category::Facility),
        expected_version: 1,
        ..TicketEdit::default()
    };
    match edit(store, ticket.id, change, &user("Ana"), at(1, 0)).await {
        Err(StoreError::Forbidden(message)) => assert!(!message.is_empty(), "the refusal says who may"),
        other => panic!("a user changing the category must get Forbidden, got {other:?}"),
    }
    assert_eq!(snapshot(store, ticket.id).await, before, "a refused edit must write nothing");
    assert!(corrections(store).await.is_empty(), "a refused edit records no correction");
}

/// A stale category edit is refused with `VersionConflict` and records no correction.
pub async fn stale_category_edit_records_no_correction(store: &dyn TicketStore) {
    let ticket = create(store, "Heater loud", "Room 5 heater rattles", Category::Facility, at(0, 0)).await;
    let text =
        TicketEdit { title: Some(title("Heater very loud")), expected_version: 1, ..TicketEdit::default() };
    edit(store, ticket.id, text, &user("Ana"), at(1, 0)).await.expect("the first edit");
    match edit(store, ticket.id, recategorise(Category::Services, 1), &staff("Desk"), at(2, 0)).await {
        Err(StoreError::VersionConflict { expected: 1, current: 2 }) => {}
        other => panic!("a stale category edit must conflict, got {other:?}"),
    }
    assert!(corrections(store).await.is_empty(), "a refused edit records no correction");
    assert_eq!(get(store, ticket.id).await.category, Category::Facility);
}

/// `classifier_counts`: tickets created through the store and imported with a classified
/// category count as automatic (imported with a given category do not); a ticket counts as
/// corrected once staff overrule its automatic category, however often it changes after.
pub async fn classifier_counts_follow_corrections(store: &dyn TicketStore) {
    assert_eq!(store.classifier_counts().await.expect("counts"), ClassifierCounts::default());
    let a = create(store, "A", "first", Category::It, at(0, 0)).await;
    let b = create(store, "B", "second", Category::It, at(1, 0)).await;
    let mut classified = imported("Old classified", Status::Open, at(-10, 0), None);
    classified.category_source = CategorySource::Auto;
    let given = imported("Old given", Status::Open, at(-9, 0), None);
    let ids = store.import(vec![classified, given], &Actor::staff()).await.expect("importing");
    assert_eq!(
        store.classifier_counts().await.expect("counts"),
        ClassifierCounts { auto_categorised: 3, corrected: 0, corrections: 0 }
    );

    let desk = staff("Desk");
    edit(store, a.id, recategorise(Category::Facility, 1), &desk, at(2, 0)).await.expect("correcting A");
    edit(store, a.id, recategorise(Category::Services, 2), &desk, at(3, 0)).await.expect("again");
    edit(store, b.id, recategorise(Category::It, 1), &desk, at(4, 0)).await.expect("confirming B");
    edit(store, ids[1], recategorise(Category::It, 1), &desk, at(5, 0)).await.expect("correcting an import");
    assert_eq!(
        store.classifier_counts().await.expect("counts"),
        ClassifierCounts { auto_categorised: 3, corrected: 1, corrections: 3 },
        "A was corrected (twice), B confirmed, the given import's category was not the classifier's"
    );
}

// ---------------------------------------------------------------------------------------------
// Export and restore (moving a campus between stores)

/// Fills `store` with a bit of everything: tickets in every status, edits, staff corrections
/// (one of a classified category, one of a staff one), messages by both roles (with and without
/// a name), an imported history with threads (closed, with a given category and a classified
/// one), and a message posted after the import (so the feed is not in id order).
async fn populate(store: &dyn TicketStore) {
    let desk = staff("Desk");
    let printer = create(store, "Printer jam", "Room 12 printer jams", Category::Facility, at(0, 1)).await;
    let wifi = create(store, "Wifi slow", "eduroam crawls in hall B", Category::It, at(1, 2)).await;
    let canteen =
        reported_with(store, "Canteen queue", "Too long at noon", "ana@campus.example", at(2, 3)).await;
    let (lift, _) = store
        .create_ticket_with_attachments(
            new_ticket("Lift stuck", "Building C lift stops", Category::Facility),
            vec![photo("lift.png", 1), file("notice.pdf")],
            &user("Ana"),
            at(3, 4),
        )
        .await
        .expect("creating with attachments");

    edit(store, printer.id, recategorise(Category::It, 1), &desk, at(4, 0)).await.expect("correcting");
    let text = TicketEdit {
        title: Some(title("Printer jam, room 12")),
        category: Some(Category::Facility),
        expected_version: 2,
        ..TicketEdit::default()
    };
    edit(store, printer.id, text, &actor(Role::Staff, None), at(5, 0)).await.expect("correcting again");
    move_to(store, printer.id, Status::Active, at(6, 0)).await;
    move_to(store, wifi.id, Status::Active, at(7, 0)).await;
    move_to(store, wifi.id, Status::Closed, at(8, 0)).await;
    store
        .add_message_with_attachments(
            printer.id,
            body("Which tray?"),
            vec![file("tray.pdf")],
            &desk,
            at(9, 0),
        )
        .await
        .expect("posting with a file");
    store.add_message(printer.id, body("The lower one"), &user("Ana"), at(10, 0)).await.expect("posting");
    store
        .add_message(canteen.id, body("Still long"), &actor(Role::User, None), at(11, 0))
        .await
        .expect("posting");
    let user_edit = TicketEdit {
        description: Some(description("Too long at noon, every day")),
        expected_version: 1,
        ..TicketEdit::default()
    };
    edit(store, canteen.id, user_edit, &user("Ben"), at(12, 0)).await.expect("a user edit");

    let mut old_closed = imported("Old broken window", Status::Closed, at(-500, 7), Some(at(-400, 8)));
    old_closed.messages = vec![
        ImportedMessage { author: user("Cleo"), body: body("Window cracked"), created_at: at(-450, 0) },
        ImportedMessage { author: staff("Desk"), body: body("Glazier booked"), created_at: at(-420, 0) },
    ];
    let mut old_classified = imported("Old projector", Status::Active, at(-300, 9), None);
    old_classified.category = Category::It;
    old_classified.category_source = CategorySource::Auto;
    old_classified.category_confidence = 0.625;
    store.import(vec![old_closed, old_classified], &Actor::staff()).await.expect("importing history");

    store.add_message(lift.id, body("Still stuck"), &user("Ana"), at(13, 0)).await.expect("posting");

    // The canteen's reporter is told of staff's change; the first try failed.
    move_to(store, canteen.id, Status::Active, at(14, 0)).await;
    let claimed = store.claim_notifications(at(15, 0), at(16, 0), 10).await.expect("claiming");
    assert_eq!(claimed.len(), 1, "one notification: staff moved the subscribed ticket");
    store.notification_failed(claimed[0].id, at(20, 0), "server down").await.expect("recording a failure");
}

/// A new ticket reported by a campus user who gave `address` (token: `token-` + address).
async fn reported(store: &dyn TicketStore, t: &str, address: &str, now: Timestamp) -> Ticket {
    reported_with(store, t, "Reported with an address", address, now).await
}

async fn reported_with(store: &dyn TicketStore, t: &str, d: &str, address: &str, now: Timestamp) -> Ticket {
    let reporter = NewSubscription { address: address.into(), token: format!("token-{address}") };
    let new = NewTicket { reporter: Some(reporter), ..new_ticket(t, d, Category::Services) };
    store.create_ticket(new, &user("Ana"), now).await.expect("creating a reported ticket")
}

/// Asserts every read of the trait agrees between `source` and `target`, ticket by ticket.
async fn assert_same_through_the_trait(source: &dyn TicketStore, target: &dyn TicketStore) {
    let feed = whole_feed(source).await;
    assert_eq!(whole_feed(target).await, feed, "the restored change feed must be the source's, seq for seq");
    for change in &feed {
        let id = change.ticket.id;
        assert_eq!(get(target, id).await, get(source, id).await, "ticket {id} differs after restore");
        assert_eq!(
            target.list_messages(id).await.expect("messages"),
            source.list_messages(id).await.expect("messages"),
            "the thread of ticket {id} differs after restore"
        );
        assert_eq!(
            target.list_events(id).await.expect("events"),
            source.list_events(id).await.expect("events"),
            "the event log of ticket {id} differs after restore"
        );
    }
    assert_eq!(corrections(target).await, corrections(source).await, "the corrections differ after restore");
    for status in [Status::Open, Status::Active, Status::Closed] {
        let query = TicketQuery { statuses: vec![status], limit: 1, ..TicketQuery::default() };
        assert_eq!(
            target.list_tickets(&query).await.expect("a list").total,
            source.list_tickets(&query).await.expect("a list").total,
            "the {status} total differs after restore"
        );
    }
    for text in ["window", "glazier", "any news", "\"on it\""] {
        assert_eq!(
            search(target, text).await,
            search(source, text).await,
            "searching {text:?} after restore"
        );
    }
    assert_eq!(
        target.classifier_counts().await.expect("counts"),
        source.classifier_counts().await.expect("counts"),
        "the classifier counts differ after restore"
    );
    let everything = TicketQuery { limit: 200, ..TicketQuery::default() };
    assert_eq!(
        ids(&target.list_tickets(&everything).await.expect("listing").items),
        ids(&source.list_tickets(&everything).await.expect("listing").items),
        "the ticket list differs after restore"
    );
}

/// Export of a store with tickets in every status, edits, corrections, messages and imported
/// history, restored into a second, empty store: the second store's export equals the first
/// field by field, the counts agree, and every read of the trait (tickets, threads, event logs,
/// corrections, classifier counts, the change feed with its seqs) answers the same.
pub async fn restore_copies_everything_the_export_holds(source: &dyn TicketStore, target: &dyn TicketStore) {
    let empty = source.export().await.expect("exporting an empty store");
    assert_eq!(empty, Snapshot::default(), "an empty store exports nothing");
    assert_eq!(source.counts().await.expect("counting"), Counts::default());

    populate(source).await;
    let snapshot = source.export().await.expect("exporting");
    let counts = source.counts().await.expect("counting");
    assert_eq!(snapshot.counts(), counts, "the export holds every row the store counts");
    assert_eq!(counts.tickets, 6);
    assert_eq!(counts.feed, 6, "the feed holds each ticket once");
    assert_eq!(counts.messages, 6);
    assert_eq!(counts.corrections, 2);
    assert_eq!((counts.subscriptions, counts.notifications), (1, 1), "the reporter and the outbox");
    assert_eq!(snapshot.notifications[0].last_error.as_deref(), Some("server down"));
    assert_eq!(counts.attachments, 3);
    assert_eq!(counts.blobs, 3, "a photo, its thumbnail and one PDF twice");
    assert_eq!(snapshot.auto_categorised.len(), 5, "four created tickets and one classified import");
    assert_eq!(
        snapshot.reporter_links.iter().map(|l| l.ticket_id).collect::<Vec<_>>(),
        snapshot.tickets.iter().map(|t| t.id).collect::<Vec<_>>(),
        "every created and imported ticket has a reporter link, exported in ticket id order"
    );
    assert!(snapshot.tickets.windows(2).all(|w| w[0].id < w[1].id), "tickets export in id order");
    assert!(snapshot.events.windows(2).all(|w| w[0].id < w[1].id), "events export in id order");
    assert!(snapshot.feed.windows(2).all(|w| w[0].seq < w[1].seq), "the feed exports in seq order");
    let statuses: Vec<Status> = snapshot.tickets.iter().map(|t| t.status).collect();
    for status in [Status::Open, Status::Active, Status::Closed] {
        assert!(statuses.contains(&status), "the source holds a {status} ticket");
    }

    // An empty snapshot restores into an empty store (and changes nothing).
    target.restore(&empty).await.expect("restoring an empty snapshot");
    assert_eq!(target.counts().await.expect("counting"), Counts::default());
    target.restore(&snapshot).await.expect("restoring into an empty store");
    let copy = target.export().await.expect("exporting the copy");
    if let Some(difference) = snapshot.first_difference(&copy) {
        panic!("the restored store's export differs from the source's: {difference}");
    }
    assert_eq!(copy, snapshot);
    assert_eq!(target.counts().await.expect("counting the copy"), counts);
    assert_same_through_the_trait(source, target).await;
    wait_for_seq(target, snapshot.feed.last().expect("a feed").seq).await;
}

/// Restoring into a store that already holds a ticket is refused with a sentence saying so,
/// and writes nothing.
pub async fn restore_refuses_a_store_holding_tickets(source: &dyn TicketStore, target: &dyn TicketStore) {
    populate(source).await;
    let snapshot = source.export().await.expect("exporting");
    create(target, "Already here", "A ticket of another campus", Category::It, at(0, 0)).await;
    let before = target.export().await.expect("exporting the target");
    match target.restore(&snapshot).await {
        Err(StoreError::Backend(err)) => {
            let sentence = format!("{err:#}");
            assert!(sentence.contains("already holds 1 ticket"), "the refusal says why: {sentence}");
        }
        other => panic!("restoring into a store holding a ticket must be refused, got {other:?}"),
    }
    assert_eq!(target.export().await.expect("exporting the target"), before, "a refused restore wrote");
    assert_eq!(target.counts().await.expect("counting").tickets, 1);
}

/// After a restore the store goes on: a new ticket, message, event, correction and feed entry
/// each get an id (seq) above the largest restored one; the feed from 0 lists every ticket once,
/// the new one last.
pub async fn restored_store_continues_with_fresh_ids(source: &dyn TicketStore, target: &dyn TicketStore) {
    populate(source).await;
    let snapshot = source.export().await.expect("exporting");
    target.restore(&snapshot).await.expect("restoring");
    let max = |ids: Vec<i64>| ids.into_iter().max().expect("the snapshot holds some");

    let new =
        create(target, "After the move", "First ticket on the new store", Category::It, at(20, 0)).await;
    assert!(new.id > max(snapshot.tickets.iter().map(|t| t.id).collect()), "ticket id {} is reused", new.id);
    let message = target.add_message(new.id, body("hello"), &user("Ana"), at(21, 0)).await.expect("posting");
    assert!(message.id > max(snapshot.messages.iter().map(|m| m.id).collect()), "message id reused");
    edit(target, new.id, recategorise(Category::Services, 1), &staff("Desk"), at(22, 0))
        .await
        .expect("correcting");
    let events = target.list_events(new.id).await.expect("events");
    let max_event = max(snapshot.events.iter().map(|e| e.id).collect());
    assert!(events.iter().all(|e| e.id > max_event), "event ids are reused: {events:?}");
    let log = corrections(target).await;
    assert_eq!(log.len(), snapshot.corrections.len() + 1);
    assert!(log[log.len() - 1].id > max(snapshot.corrections.iter().map(|c| c.id).collect()));

    let feed = whole_feed(target).await;
    assert_eq!(feed.len(), snapshot.tickets.len() + 1, "the feed lists every ticket once");
    let mut listed: Vec<i64> = feed.iter().map(|c| c.ticket.id).collect();
    assert_eq!(listed.last(), Some(&new.id), "the new ticket is the feed's latest change");
    assert!(feed.windows(2).all(|w| w[0].seq < w[1].seq), "feed seqs increase");
    assert!(feed[feed.len() - 1].seq > max(snapshot.feed.iter().map(|f| f.seq).collect()));
    listed.sort_unstable();
    listed.dedup();
    assert_eq!(listed.len(), feed.len(), "a ticket appears twice in the feed");
    let again = target.restore(&Snapshot::default()).await;
    assert!(again.is_err(), "a second restore into the now non-empty store is refused");
}

/// Every ticket that enters the store, created or imported, gets its own private reporter
/// token (base64url, 128 bits, distinct); the token finds its ticket (closed ones too, in the
/// order asked, unknown and malformed tokens left out), and no ticket read carries it.
pub async fn reporter_links_are_unique_private_and_found_by_token(store: &dyn TicketStore) {
    let heating = create(store, "Heating off", "Room B204 is cold", Category::Facility, at(0, 0)).await;
    let wifi = create(store, "Wifi down", "No eduroam in hall B", Category::It, at(1, 0)).await;
    let old = store
        .import(vec![imported("Old window", Status::Closed, at(-50, 0), Some(at(-40, 0)))], &Actor::staff())
        .await
        .expect("importing")[0];
    let mut tokens = Vec::new();
    for id in [heating.id, wifi.id, old] {
        let token = store.reporter_token(id).await.expect("reading a token");
        let token = token.unwrap_or_else(|| panic!("ticket {id} has no reporter token"));
        assert!(domain::is_reporter_token(&token), "token {token:?} is not 22 base64url characters");
        assert!(!tokens.contains(&token), "two tickets share the token {token}");
        tokens.push(token);
    }
    assert_eq!(store.reporter_token(old + 1000).await.expect("reading"), None, "no ticket, no token");

    move_to(store, heating.id, Status::Active, at(2, 0)).await;
    let closed = move_to(store, heating.id, Status::Closed, at(3, 0)).await;
    let asked = vec![
        tokens[1].clone(),
        "AAAAAAAAAAAAAAAAAAAAAA".to_owned(),
        "not a token".to_owned(),
        tokens[0].clone(),
        tokens[1].clone(),
    ];
    let found = store.reporter_tickets(&asked).await.expect("finding tickets by token");
    assert_eq!(
        found,
        vec![(tokens[1].clone(), get(store, wifi.id).await), (tokens[0].clone(), closed)],
        "found in the order asked, once each, the closed ticket included, unknown tokens left out"
    );
    assert!(store.reporter_tickets(&[]).await.expect("finding nothing").is_empty());

    let reads = format!(
        "{:?} {:?} {:?} {:?}",
        get(store, wifi.id).await,
        store.ticket_thread(wifi.id).await.expect("a thread"),
        store.list_tickets(&TicketQuery { limit: 50, ..TicketQuery::default() }).await.expect("a list").items,
        whole_feed(store).await,
    );
    for token in &tokens {
        assert!(!reads.contains(token.as_str()), "a ticket read carries the reporter token {token}");
    }
    let links = store.export().await.expect("exporting").reporter_links;
    assert_eq!(links.len(), 3, "the export carries every reporter link");
    assert!(links.windows(2).all(|w| w[0].ticket_id < w[1].ticket_id), "links export in ticket id order");
}

/// Staff messages and status changes of a ticket with a subscribed reporter write one
/// notification each, in order; changes by campus users and tickets without an address write
/// none. A claim leases what it takes (a second claim gets nothing until the lease ends), a
/// failure makes the row due again later, a sent row is never claimed again, and unsubscribing
/// drops what is unsent and stops new ones.
pub async fn notifications_follow_staff_changes_once(store: &dyn TicketStore) {
    let desk = staff("Desk");
    let heating = reported(store, "Heating off", "bo@campus.example", at(0, 0)).await;
    let quiet = create(store, "Lamp out", "Corridor lamp", Category::Facility, at(0, 1)).await;
    let subscription = store.subscription(heating.id).await.expect("reading").expect("a subscription");
    assert_eq!(subscription.address, "bo@campus.example");
    assert_eq!(subscription.unsubscribed_at, None);
    assert_eq!(store.subscription(quiet.id).await.expect("reading"), None);

    store.add_message(heating.id, body("Any news?"), &user("Bo"), at(1, 0)).await.expect("posting");
    move_to(store, quiet.id, Status::Active, at(1, 1)).await;
    store.add_message(heating.id, body("A technician comes at 3"), &desk, at(2, 0)).await.expect("posting");
    move_to(store, heating.id, Status::Active, at(3, 0)).await;

    let claimed = store.claim_notifications(at(4, 0), at(5, 0), 10).await.expect("claiming");
    let what: Vec<_> = claimed.iter().map(|n| (n.ticket_id, n.kind, n.detail.as_str(), n.attempts)).collect();
    assert_eq!(
        what,
        vec![
            (heating.id, NotificationKind::Message, "A technician comes at 3", 1),
            (heating.id, NotificationKind::Status, "active", 1),
        ],
        "one notification per staff change, none for the user's message or the ticket without an address"
    );
    assert!(
        claimed.iter().all(|n| n.address == "bo@campus.example" && n.unsubscribe_token == subscription.token)
    );
    assert!(store.claim_notifications(at(4, 1), at(5, 0), 10).await.expect("claiming").is_empty(), "leased");

    let (first, second) = (claimed[0].id, claimed[1].id);
    let status = store.outbox_status().await.expect("reading");
    assert_eq!((status.unsent, status.failing), (2, 0));
    assert!(store.notification_failed(first, at(10, 0), "connection refused").await.expect("failing"));
    let status = store.outbox_status().await.expect("reading");
    assert_eq!((status.unsent, status.failing), (2, 1), "the failure is counted");
    assert!(store.claim_notifications(at(4, 2), at(5, 0), 10).await.expect("claiming").is_empty(), "not due");
    assert!(store.notification_sent(second, at(4, 3)).await.expect("marking sent"));
    assert!(!store.notification_sent(second, at(4, 4)).await.expect("marking sent"), "sent only once");

    let retried = store.claim_notifications(at(10, 0), at(11, 0), 10).await.expect("claiming");
    assert_eq!(retried.iter().map(|n| (n.id, n.attempts)).collect::<Vec<_>>(), vec![(first, 2)]);
    assert_eq!(retried[0].last_error.as_deref(), Some("connection refused"));
    // The lease ended without an outcome (a sender that died): another claim takes it again.
    let again = store.claim_notifications(at(11, 0), at(12, 0), 10).await.expect("claiming");
    assert_eq!(again.iter().map(|n| (n.id, n.attempts)).collect::<Vec<_>>(), vec![(first, 3)]);

    assert_eq!(store.unsubscribe("no-such-token", at(12, 1)).await.expect("unsubscribing"), None);
    assert_eq!(
        store.unsubscribe(&subscription.token, at(12, 2)).await.expect("unsubscribing"),
        Some(heating.id)
    );
    assert_eq!(store.unsubscribe(&subscription.token, at(12, 3)).await.expect("again"), Some(heating.id));
    let stopped = store.subscription(heating.id).await.expect("reading").expect("kept");
    assert_eq!(stopped.unsubscribed_at, Some(at(12, 2)), "the first unsubscribe's time is kept");
    assert!(!store.notification_sent(first, at(12, 4)).await.expect("marking"), "the unsent one was dropped");
    store.add_message(heating.id, body("Fixed"), &desk, at(13, 0)).await.expect("posting");
    assert!(store.claim_notifications(at(99, 0), at(100, 0), 10).await.expect("claiming").is_empty());
    assert_eq!(store.counts().await.expect("counting").notifications, 1, "only the sent one is kept");
}

/// Pruning deletes the notifications sent before the cut-off, oldest first and at most the
/// limit per call; notifications sent later, and unsent ones of any age, stay.
pub async fn sent_notifications_are_pruned_after_their_time(store: &dyn TicketStore) {
    let desk = staff("Desk");
    let ticket = reported(store, "Heating off", "bo@campus.example", at(0, 0)).await;
    for (hour, text) in [(1, "One"), (2, "Two"), (3, "Three"), (4, "Four")] {
        store.add_message(ticket.id, body(text), &desk, at(hour, 0)).await.expect("posting");
    }
    let claimed = store.claim_notifications(at(5, 0), at(6, 0), 10).await.expect("claiming");
    assert_eq!(claimed.len(), 4);
    // Sent at hours 10, 11 and 20; the fourth failed and is still owed.
    for (mail, hour) in claimed.iter().zip([10, 11, 20]) {
        assert!(store.notification_sent(mail.id, at(hour, 0)).await.expect("marking sent"));
    }
    assert!(store.notification_failed(claimed[3].id, at(7, 0), "refused").await.expect("failing"));

    assert_eq!(
        store.prune_sent_notifications(at(10, 0), 10).await.expect("pruning"),
        0,
        "sent at the cut-off"
    );
    assert_eq!(store.prune_sent_notifications(at(15, 0), 1).await.expect("pruning"), 1, "at most the limit");
    assert_eq!(store.prune_sent_notifications(at(15, 0), 10).await.expect("pruning"), 1, "the other one");
    assert_eq!(store.prune_sent_notifications(at(15, 0), 10).await.expect("pruning"), 0, "nothing left");
    assert_eq!(store.counts().await.expect("counting").notifications, 2, "the later one and the unsent one");
    assert_eq!(store.prune_sent_notifications(at(999, 0), 10).await.expect("pruning"), 1);
    let owed = store.claim_notifications(at(999, 0), at(1000, 0), 10).await.expect("claiming");
    assert_eq!(owed.iter().map(|n| n.detail.as_str()).collect::<Vec<_>>(), ["Four"], "unsent stays");
}

/// Two senders claiming at the same time (two transactions) never take the same notification,
/// and between them take every one.
pub async fn concurrent_claims_never_share_a_notification(store: &dyn TicketStore) {
    let desk = staff("Desk");
    let mut expected = Vec::new();
    for i in 0..4 {
        let ticket = reported(store, &format!("Room {i}"), &format!("r{i}@campus.example"), at(i, 0)).await;
        for j in 0..5 {
            store
                .add_message(ticket.id, body(&format!("Update {j}")), &desk, at(i, j + 1))
                .await
                .expect("posting");
        }
        expected.push(ticket.id);
    }
    let sender = || async {
        let mut taken = Vec::new();
        loop {
            let batch = store.claim_notifications(at(50, 0), at(60, 0), 3).await.expect("claiming");
            if batch.is_empty() {
                return taken;
            }
            taken.extend(batch.into_iter().map(|n| n.id));
        }
    };
    let (left, right) = tokio::join!(sender(), sender());
    let mut all: Vec<i64> = left.iter().chain(&right).copied().collect();
    all.sort_unstable();
    let before = all.len();
    all.dedup();
    assert_eq!(all.len(), before, "a notification was claimed twice: {left:?} and {right:?}");
    assert_eq!(all.len(), 20, "every notification is claimed once");
}

/// Attachments come with their ticket or message in one transaction: their records say which,
/// their contents are kept once per digest and read back byte for byte, the change feed carries
/// their metadata, and a message to a missing ticket stores none of its files.
pub async fn attachments_are_stored_with_their_ticket_or_message(store: &dyn TicketStore) {
    let new = new_ticket("Broken heater", "Room B204 is cold", Category::Facility);
    let (ticket, attached) = store
        .create_ticket_with_attachments(
            new,
            vec![photo("heater.png", 7), file("plan.pdf")],
            &user("Ana"),
            at(0, 0),
        )
        .await
        .expect("creating with attachments");
    assert_eq!(attached.len(), 2);
    assert!(attached[0].id < attached[1].id, "ids follow the given order");
    assert_eq!(attached[0].file_name, "heater.png");
    assert_eq!(attached[0].content_type, "image/png");
    assert_eq!(attached[0].size, 300);
    assert_eq!(attached[0].message_id, None);
    assert_eq!(attached[0].ticket_id, ticket.id);
    assert_eq!(attached[0].created_at, at(0, 0));
    assert_eq!(attached[0].sha256.len(), 64);
    assert!(attached[0].thumbnail_sha256.is_some() && attached[1].thumbnail_sha256.is_none());

    let bytes = store.blob(&attached[0].sha256).await.expect("reading").expect("the photo is stored");
    assert_eq!(bytes, vec![7; 300]);
    let thumb = attached[0].thumbnail_sha256.as_deref().expect("a thumbnail");
    assert_eq!(store.blob(thumb).await.expect("reading"), Some(vec![107; 30]));
    assert_eq!(store.blob(&"0".repeat(64)).await.expect("reading"), None);
    assert_eq!(store.attachment(attached[1].id).await.expect("reading"), Some(attached[1].clone()));
    assert_eq!(store.attachment(attached[1].id + 1000).await.expect("reading"), None);

    let (message, with_message) = store
        .add_message_with_attachments(
            ticket.id,
            body("Same plan"),
            vec![file("plan-again.pdf")],
            &staff("Desk"),
            at(1, 0),
        )
        .await
        .expect("posting with a file");
    assert_eq!(with_message[0].message_id, Some(message.id));
    assert_eq!(with_message[0].sha256, attached[1].sha256, "the same bytes, the same digest");
    assert_eq!(get(store, ticket.id).await.message_count, 1);
    let listed = store.list_attachments(ticket.id).await.expect("listing");
    assert_eq!(listed, [attached.clone(), with_message.clone()].concat(), "oldest first");
    let counts = store.counts().await.expect("counting");
    assert_eq!((counts.attachments, counts.blobs), (3, 3), "the PDF is stored once");

    let missing = store
        .add_message_with_attachments(
            ticket.id + 1000,
            body("Lost"),
            vec![photo("x.png", 9)],
            &user("Ana"),
            at(2, 0),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))), "got {missing:?}");
    let counts = store.counts().await.expect("counting");
    assert_eq!((counts.attachments, counts.blobs), (3, 3), "a refused message stored a file");

    let feed = store.changes(0, 10).await.expect("the feed");
    assert_eq!(feed.len(), 1);
    assert_eq!(feed[0].attachments, listed, "the feed carries the attachments' metadata");
    assert!(store.list_attachments(ticket.id + 1000).await.expect("listing").is_empty());
}
