//! Several replicas on one PostgreSQL database, as issue 4 asks: two ticket services and two web
//! UIs on one fresh database, one analytics service following ticket service A. Concurrent
//! writers create, edit, move and discuss tickets through both ticket services and both web UIs
//! and record every write that was acknowledged. Afterwards:
//!
//! 1. no acknowledged write is missing and none was added: titles, statuses, versions,
//!    threads, message counts and event logs match what the writers were told;
//! 2. the analytics answers equal the same answers computed with SQL on the database;
//! 3. both ticket services serve the same change feed, which is the database's;
//! 4. every service still answers `/healthz` with 200.
//!
//! Always runs on PostgreSQL (`CAMPUSDESK_TEST_POSTGRES_URL`), whatever
//! `CAMPUSDESK_TEST_BACKEND` says: replicas need a shared database server.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api::{AnalyticsClient, Change, ClientError, CreateTicketRequest, TicketsClient, UpdateTicketRequest};
use domain::{Category, EventKind, Status, Ticket};
use jiff::{Timestamp, ToSpan};
use reqwest::StatusCode;
use sqlx::PgPool;
use store_postgres::testing::TestDatabase;

use crate::helpers::{Process, WebSession, eventually, staff, user, wait_healthy};

/// Concurrent writer tasks.
const WRITERS: u64 = 8;
/// Operations each writer performs (each one to several requests).
const OPERATIONS: u64 = 150;
/// How often one edit is retried after 409 before the test gives up on it.
const MAX_ATTEMPTS: u32 = 50;
/// The whole write phase must end within this (it takes a few seconds).
const WRITE_DEADLINE: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_on_postgres_lose_no_write_and_agree_with_the_database() {
    let started = Instant::now();
    let (fronts, running) = Fronts::start().await;
    let fronts = Arc::new(fronts);
    let startup = started.elapsed();

    let ledger = Arc::new(Mutex::new(Ledger::default()));
    import_history(&fronts, &ledger).await;

    let writing = Instant::now();
    let mut writers = tokio::task::JoinSet::new();
    for n in 0..WRITERS {
        writers.spawn(write(n, Arc::clone(&fronts), Arc::clone(&ledger)));
    }
    tokio::time::timeout(WRITE_DEADLINE, async {
        while let Some(done) = writers.join_next().await {
            done.expect("a writer panicked (its message is above)");
        }
    })
    .await
    .expect("the writers finished within the deadline");
    let write_time = writing.elapsed();

    let checking = Instant::now();
    let ledger = Arc::try_unwrap(ledger).expect("writers are done").into_inner().expect("ledger lock");
    let pool = PgPool::connect(running.database.url()).await.expect("connect to the test database");
    check_acknowledged_writes(&fronts, &ledger, &pool).await;
    let feed = check_change_feeds(&fronts, &ledger, &pool).await;
    check_analytics(&fronts, &pool, &feed).await;
    for url in fronts.all_urls() {
        let response = reqwest::get(format!("{url}/healthz")).await.expect("healthz answers");
        assert_eq!(response.status(), StatusCode::OK, "{url}/healthz");
    }
    pool.close().await;
    let check_time = checking.elapsed();
    drop(running);

    let c = &ledger.counts;
    eprintln!(
        "replicas: {} tickets ({} imported, {} created through the API, {} through the web), \
         {} title edits ({} conflicts retried), {} transitions ({} refused as stale), \
         {} messages ({} refused on closed tickets), {} web posts acknowledged; \
         {} feed entries; startup {:.2} s, writes {:.2} s, checks {:.2} s, total {:.2} s",
        ledger.tickets.len(),
        c.imported,
        c.api_tickets,
        c.web_tickets,
        c.edits,
        c.conflicts,
        c.transitions,
        c.stale_transitions,
        c.messages,
        c.refused_messages,
        c.web_posts,
        feed.len(),
        startup.as_secs_f64(),
        write_time.as_secs_f64(),
        check_time.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );
}

// ---------------------------------------------------------------------------------------------
// The deployment

/// The five processes and their database. Fields drop in order: processes before database.
struct Running {
    /// Kept only to be stopped (on drop) before the database goes.
    _processes: Vec<Process>,
    database: TestDatabase,
}

/// How to reach the five processes.
struct Fronts {
    /// Ticket services A and B.
    tickets: [TicketsClient; 2],
    tickets_urls: [String; 2],
    /// Web UI A (on ticket service A) and B (on B), entered as staff and as a user.
    webs: [WebReplica; 2],
    analytics: AnalyticsClient,
    analytics_url: String,
}

/// One web replica with one browser per role.
struct WebReplica {
    url: String,
    staff: WebSession,
    user: WebSession,
}

impl Fronts {
    /// Starts both ticket services at once on a fresh database (so they race to migrate it),
    /// then the analytics service on A and one web UI on each ticket service.
    async fn start() -> (Fronts, Running) {
        let database = TestDatabase::create().await;
        let (tickets_a, url_a) = Process::service("tickets", &["--database-url", database.url()]);
        let (tickets_b, url_b) = Process::service("tickets", &["--database-url", database.url()]);
        wait_healthy(&url_a).await;
        wait_healthy(&url_b).await;
        let (analytics, analytics_url) = Process::service("analytics", &["--tickets-url", &url_a]);
        let (web_a, web_url_a) =
            Process::service("web", &["--tickets-url", &url_a, "--analytics-url", &analytics_url]);
        let (web_b, web_url_b) =
            Process::service("web", &["--tickets-url", &url_b, "--analytics-url", &analytics_url]);
        for url in [&analytics_url, &web_url_a, &web_url_b] {
            wait_healthy(url).await;
        }
        let webs = [WebReplica::enter(web_url_a).await, WebReplica::enter(web_url_b).await];
        let running = Running { _processes: vec![tickets_a, tickets_b, analytics, web_a, web_b], database };
        let fronts = Fronts {
            tickets: [TicketsClient::new(&url_a), TicketsClient::new(&url_b)],
            tickets_urls: [url_a, url_b],
            webs,
            analytics: AnalyticsClient::new(&analytics_url),
            analytics_url,
        };
        (fronts, running)
    }

    fn all_urls(&self) -> Vec<&str> {
        let mut urls: Vec<&str> = self.tickets_urls.iter().map(String::as_str).collect();
        urls.extend(self.webs.iter().map(|w| w.url.as_str()));
        urls.push(&self.analytics_url);
        urls
    }
}

impl WebReplica {
    async fn enter(url: String) -> WebReplica {
        let staff = WebSession::enter(&url, "staff", "Sam").await;
        let user = WebSession::enter(&url, "user", "Ana").await;
        WebReplica { url, staff, user }
    }
}

// ---------------------------------------------------------------------------------------------
// What the writers were told

/// What the acknowledged writes say one ticket must look like at the end.
#[derive(Debug)]
struct Expected {
    /// The version and title of the newest acknowledged state whose version is known (every
    /// API answer carries one; a saved web edit is the version it was based on + 1).
    newest: (i64, String),
    /// The description it was created with (the writers change titles only).
    description: String,
    /// The furthest status an acknowledged transition reached (statuses only move forward).
    status: Status,
    /// Acknowledged edits: each raises the version by exactly one.
    edits: i64,
    /// Acknowledged transitions (they leave the version alone), plus the `status_changed` event
    /// an import records for a ticket imported as closed.
    transitions: i64,
    /// Acknowledged messages: the id the API answered (none through the web) and the body.
    messages: Vec<(Option<i64>, String)>,
}

impl Expected {
    /// Keeps `title` when `version` is newer than any known so far.
    fn learn(&mut self, version: i64, title: &str) {
        if version > self.newest.0 {
            self.newest = (version, title.to_owned());
        }
    }
}

/// Write counts, for the report.
#[derive(Debug, Default)]
struct Counts {
    imported: u64,
    api_tickets: u64,
    web_tickets: u64,
    edits: u64,
    conflicts: u64,
    transitions: u64,
    stale_transitions: u64,
    messages: u64,
    refused_messages: u64,
    web_posts: u64,
}

/// Every acknowledged write, shared by the writers (the lock is never held across a request).
#[derive(Debug, Default)]
struct Ledger {
    tickets: HashMap<i64, Expected>,
    /// Ticket ids in the order their creation was acknowledged.
    ids: Vec<i64>,
    counts: Counts,
}

impl Ledger {
    fn created(&mut self, id: i64, title: &str, description: &str, status: Status) {
        let expected = Expected {
            newest: (1, title.to_owned()),
            description: description.to_owned(),
            status,
            edits: 0,
            transitions: 0,
            messages: Vec::new(),
        };
        assert!(self.tickets.insert(id, expected).is_none(), "ticket id {id} handed out twice");
        self.ids.push(id);
    }

    fn expected(&mut self, id: i64) -> &mut Expected {
        self.tickets.get_mut(&id).expect("a ticket the ledger knows")
    }

    /// Records an acknowledged edit that answered (or, through the web, must have reached)
    /// `version` and `title`.
    fn edited(&mut self, id: i64, version: i64, title: &str) {
        let expected = self.expected(id);
        expected.edits += 1;
        expected.learn(version, title);
        self.counts.edits += 1;
    }

    /// Records an acknowledged transition to `status`; `known` is the version and title the API
    /// answered with (the web answers neither).
    fn moved(&mut self, id: i64, status: Status, known: Option<(i64, &str)>) {
        let expected = self.expected(id);
        expected.transitions += 1;
        expected.status = expected.status.max(status);
        if let Some((version, title)) = known {
            expected.learn(version, title);
        }
        self.counts.transitions += 1;
    }

    /// `(id, newest known version, description)` of a ticket picked by `roll` among the `hot`
    /// most recently created ones (all when `hot` is 0).
    fn pick(&self, roll: u64, hot: usize) -> (i64, i64, String) {
        let window = if hot == 0 { self.ids.len() } else { hot.min(self.ids.len()) };
        let index = self.ids.len() - 1 - usize::try_from(roll).unwrap_or(0) % window;
        let id = self.ids[index];
        let expected = &self.tickets[&id];
        (id, expected.newest.0, expected.description.clone())
    }
}

/// Locks the ledger (a writer that panicked while holding it already failed the test).
fn lock(ledger: &Mutex<Ledger>) -> std::sync::MutexGuard<'_, Ledger> {
    ledger.lock().expect("ledger lock")
}

// ---------------------------------------------------------------------------------------------
// Writing

/// A small deterministic pseudo-random sequence (xorshift64*), one per writer.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Report texts for each category, varied by a number so no two tickets read alike.
const TEXTS: [(&str, &str); 9] = [
    ("Radiator broken", "The radiator in lecture hall {n} is broken and the room is freezing cold."),
    ("Ceiling leak", "Water is leaking from the ceiling in building {n}, there is a puddle on the floor."),
    ("Lift stuck", "The lift in building {n} is stuck between the second and third floor again."),
    ("Wifi drops", "The wifi in the library drops every few minutes, laptop {n} loses the network."),
    ("Moodle login", "I cannot log in to Moodle, my password is refused since update {n}."),
    ("Printer offline", "The printer in computer lab {n} does not connect to the network or print."),
    ("Canteen prices", "The canteen food is too expensive and the queue at counter {n} is far too long."),
    ("Library hours", "The library opening hours are too short during exams, desk {n} closes at six."),
    ("Rude office", "The staff at the student office desk {n} were rude and did not answer my question."),
];

fn ticket_text(rng: &mut Rng, writer: u64, op: u64) -> (String, String) {
    let (title, description) = TEXTS[usize::try_from(rng.below(9)).unwrap_or(0)];
    let n = writer * 1000 + op;
    (format!("{title} {n}"), description.replace("{n}", &n.to_string()))
}

/// One writer: `OPERATIONS` operations, alternating between side A and side B (ticket service
/// and web UI of that side).
async fn write(writer: u64, fronts: Arc<Fronts>, ledger: Arc<Mutex<Ledger>>) {
    let mut rng = Rng::new(writer + 1);
    for op in 0..OPERATIONS {
        let side = usize::try_from((writer + op) % 2).unwrap_or(0);
        let w = Writer { writer, op, side, fronts: &fronts, ledger: &ledger };
        let roll = if op == 0 { 0 } else { rng.below(20) };
        let pick = rng.next();
        match roll {
            0..=3 => w.api_create(&mut rng).await,
            4..=7 => w.api_edit(pick).await,
            8..=10 => w.api_advance(pick).await,
            11..=14 => w.api_message(pick, rng.below(2) == 0).await,
            15 => w.web_create(&mut rng).await,
            16 => w.web_edit(pick).await,
            17 => w.web_advance(pick).await,
            _ => w.web_message(pick, rng.below(2) == 0).await,
        }
    }
}

/// One operation of one writer through one side.
struct Writer<'a> {
    writer: u64,
    op: u64,
    side: usize,
    fronts: &'a Fronts,
    ledger: &'a Mutex<Ledger>,
}

impl Writer<'_> {
    fn api(&self) -> &TicketsClient {
        &self.fronts.tickets[self.side]
    }

    fn web(&self) -> &WebReplica {
        &self.fronts.webs[self.side]
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ledger> {
        lock(self.ledger)
    }

    fn fail(&self, what: &str, err: &dyn std::fmt::Display) -> ! {
        panic!("writer {} op {} on side {}: {what}: {err}", self.writer, self.op, self.side)
    }

    async fn api_create(&self, rng: &mut Rng) {
        let (title, description) = ticket_text(rng, self.writer, self.op);
        let actor = if rng.below(2) == 0 { user() } else { staff() };
        let request = CreateTicketRequest {
            title: title.clone(),
            description: description.clone(),
            reporter_email: None,
        };
        let ticket =
            self.api().create_ticket(&actor, &request).await.unwrap_or_else(|e| self.fail("create", &e));
        assert_eq!((ticket.status, ticket.version, &ticket.title), (Status::Open, 1, &title));
        let mut ledger = self.lock();
        ledger.created(ticket.id, &title, &description, Status::Open);
        ledger.counts.api_tickets += 1;
    }

    /// Retitles one of the most recent tickets as staff, starting from the version the ledger
    /// knows (which may be stale); a 409 re-reads the ticket and tries again.
    async fn api_edit(&self, pick: u64) {
        let (id, mut version, _) = self.lock().pick(pick, 6);
        for attempt in 0..MAX_ATTEMPTS {
            let title = format!("Retitled by writer {} op {} try {attempt}", self.writer, self.op);
            let request = UpdateTicketRequest { title: Some(title.clone()), version, ..Default::default() };
            match self.api().update_ticket(&staff(), id, &request).await {
                Ok(ticket) => {
                    assert_eq!((ticket.version, &ticket.title), (version + 1, &title), "edit of {id}");
                    self.lock().edited(id, ticket.version, &ticket.title);
                    return;
                }
                Err(e) if e.status() == Some(409) => {
                    self.lock().counts.conflicts += 1;
                    version = self.current(id).await.version;
                }
                Err(e) => self.fail("edit", &e),
            }
        }
        panic!("writer {}: ticket {id} stayed in conflict for {MAX_ATTEMPTS} attempts", self.writer)
    }

    /// The ticket as this side's ticket service has it now (as staff).
    async fn current(&self, id: i64) -> Ticket {
        self.api().get_ticket(&staff(), id).await.unwrap_or_else(|e| self.fail("read", &e))
    }

    /// Moves a ticket one step further as staff (nothing when it is closed); a 409 means
    /// another writer moved it first.
    async fn api_advance(&self, pick: u64) {
        let (id, _, _) = self.lock().pick(pick, 0);
        let Some(to) = self.current(id).await.status.next() else { return };
        match self.api().set_status(&staff(), id, to).await {
            Ok(ticket) => {
                assert_eq!(ticket.status, to);
                self.lock().moved(id, to, Some((ticket.version, &ticket.title)));
            }
            Err(e) if e.status() == Some(409) => self.lock().counts.stale_transitions += 1,
            Err(e) => self.fail("transition", &e),
        }
    }

    /// Posts a message as staff or as a user (a user gets 404 on a closed ticket).
    async fn api_message(&self, pick: u64, as_user: bool) {
        let (id, _, _) = self.lock().pick(pick, 0);
        let body = format!("Message from writer {} op {} through API {}", self.writer, self.op, self.side);
        let actor = if as_user { user() } else { staff() };
        match self.api().post_message(&actor, id, &body).await {
            Ok(message) => {
                assert_eq!((message.ticket_id, &message.body), (id, &body));
                let mut ledger = self.lock();
                ledger.expected(id).messages.push((Some(message.id), body));
                ledger.counts.messages += 1;
            }
            Err(ClientError::Problem(p)) if as_user && p.status == 404 => {
                self.lock().counts.refused_messages += 1;
            }
            Err(e) => self.fail("message", &e),
        }
    }

    async fn web_create(&self, rng: &mut Rng) {
        let (title, description) = ticket_text(rng, self.writer, self.op);
        let form = [("title", title.as_str()), ("description", description.as_str())];
        let (status, location) = self.web().user.post_for_redirect("/tickets", &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "web create on side {}: {location}", self.side);
        let id = location
            .strip_prefix("/tickets/")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or_else(|| panic!("web create redirected to {location:?}"));
        let mut ledger = self.lock();
        ledger.created(id, &title, &description, Status::Open);
        ledger.counts.web_tickets += 1;
        ledger.counts.web_posts += 1;
    }

    /// Retitles one of the most recent tickets through the web edit form as staff; the page
    /// answers 409 for a stale version, and the writer re-reads it and submits again.
    async fn web_edit(&self, pick: u64) {
        let (id, mut version, description) = self.lock().pick(pick, 6);
        let path = format!("/tickets/{id}");
        for attempt in 0..MAX_ATTEMPTS {
            let title = format!(
                "Retitled on web {} by writer {} op {} try {attempt}",
                self.side, self.writer, self.op
            );
            let version_text = version.to_string();
            let form = [("title", title.as_str()), ("description", &description), ("version", &version_text)];
            let (status, location) = self.web().staff.post_for_redirect(&path, &form).await;
            match status {
                StatusCode::SEE_OTHER => {
                    assert_eq!(location, format!("/tickets/{id}?saved=1"), "web edit of {id}");
                    let mut ledger = self.lock();
                    ledger.edited(id, version + 1, &title);
                    ledger.counts.web_posts += 1;
                    return;
                }
                StatusCode::CONFLICT => {
                    self.lock().counts.conflicts += 1;
                    version = self.current(id).await.version;
                }
                other => panic!("web edit of ticket {id} on side {} answered {other}", self.side),
            }
        }
        panic!("writer {}: ticket {id} stayed in conflict for {MAX_ATTEMPTS} web attempts", self.writer)
    }

    /// Moves a ticket one step further through the web UI as staff.
    async fn web_advance(&self, pick: u64) {
        let (id, _, _) = self.lock().pick(pick, 0);
        let Some(to) = self.current(id).await.status.next() else { return };
        let (status, location) = self
            .web()
            .staff
            .post_for_redirect(&format!("/tickets/{id}/status"), &[("to", to.as_str())])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "web transition of {id}: {location}");
        if location == format!("/tickets/{id}?moved={to}") {
            let mut ledger = self.lock();
            ledger.moved(id, to, None);
            ledger.counts.web_posts += 1;
        } else {
            assert_eq!(location, format!("/tickets/{id}?stale=1"), "web transition of {id}");
            self.lock().counts.stale_transitions += 1;
        }
    }

    /// Posts a message through the web UI as staff or as a user (404 page for a user on a
    /// closed ticket).
    async fn web_message(&self, pick: u64, as_user: bool) {
        let (id, _, _) = self.lock().pick(pick, 0);
        let body = format!("Message from writer {} op {} through web {}", self.writer, self.op, self.side);
        let browser = if as_user { &self.web().user } else { &self.web().staff };
        let (status, location) =
            browser.post_for_redirect(&format!("/tickets/{id}/messages"), &[("body", &body)]).await;
        if as_user && status == StatusCode::NOT_FOUND {
            self.lock().counts.refused_messages += 1;
            return;
        }
        assert_eq!(status, StatusCode::SEE_OTHER, "web message on {id}");
        assert_eq!(location, format!("/tickets/{id}?posted=1#thread"), "web message on {id}");
        let mut ledger = self.lock();
        ledger.expected(id).messages.push((None, body));
        ledger.counts.messages += 1;
        ledger.counts.web_posts += 1;
    }
}

/// `now - hours`, RFC 3339.
fn hours_ago(now: Timestamp, hours: i64) -> String {
    (now - hours.hours()).to_string()
}

/// Imports history through ticket service B before the writers start, so the analyses have
/// closed tickets in earlier months and periods that differ: (title, status, opened hours ago,
/// hours to close, category).
async fn import_history(fronts: &Fronts, ledger: &Mutex<Ledger>) {
    const ROWS: [(&str, Status, i64, Option<i64>, &str); 9] = [
        ("Old heating fault", Status::Closed, 75 * 24, Some(2), "facility"),
        ("Old VPN outage", Status::Closed, 45 * 24, Some(30), "it"),
        ("Old canteen complaint", Status::Closed, 40 * 24, Some(5), "services"),
        ("Old door lock", Status::Closed, 40 * 24 + 7, Some(11), "facility"),
        ("Recent printer jam", Status::Closed, 3 * 24, Some(1), "it"),
        ("Window will not close", Status::Open, 3, None, "facility"),
        ("Projector flickers", Status::Active, 3 * 24, None, "it"),
        ("Bus timetable wrong", Status::Open, 10 * 24, None, "services"),
        ("Laptop loan desk", Status::Active, 50 * 24, None, "it"),
    ];
    let now = Timestamp::now();
    let mut csv = String::from("title,description,status,opened_at,closed_at,category\n");
    for (title, status, ago, close_after, category) in ROWS {
        let closed = close_after.map(|h| hours_ago(now, ago - h)).unwrap_or_default();
        let opened = hours_ago(now, ago);
        csv.push_str(&format!("{title},{title} (imported history),{status},{opened},{closed},{category}\n"));
    }
    let report = fronts.tickets[1].import_csv(&staff(), csv).await.expect("history imported");
    assert_eq!(report.ids.len(), ROWS.len());
    let mut ledger = lock(ledger);
    for (id, (title, status, ..)) in report.ids.into_iter().zip(ROWS) {
        ledger.created(id, title, &format!("{title} (imported history)"), status);
        ledger.expected(id).transitions += i64::from(status == Status::Closed);
        ledger.counts.imported += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Checking

/// (1): every acknowledged write is there, through both ticket services and in the database.
async fn check_acknowledged_writes(fronts: &Fronts, ledger: &Ledger, pool: &PgPool) {
    let [a, b] = &fronts.tickets;
    for (&id, expected) in &ledger.tickets {
        let ticket = a.get_ticket(&staff(), id).await.expect("ticket on A");
        assert_eq!(
            ticket,
            b.get_ticket(&staff(), id).await.expect("ticket on B"),
            "A and B disagree on {id}"
        );
        assert_eq!(ticket.title, expected.newest.1, "title of {id}: the last acknowledged edit");
        assert_eq!(ticket.status, expected.status, "status of {id}: the last acknowledged transition");
        assert_eq!(ticket.version, 1 + expected.edits, "version of {id}: one per acknowledged edit");
        assert_eq!(ticket.description, expected.description, "description of {id}");
        let thread = b.list_messages(&staff(), id).await.expect("thread on B");
        assert_eq!(thread, a.list_messages(&staff(), id).await.expect("thread on A"), "threads of {id}");
        assert_eq!(usize::try_from(ticket.message_count).ok(), Some(thread.len()), "message_count of {id}");
        assert_eq!(thread.len(), expected.messages.len(), "messages of {id}: the acknowledged ones");
        for (message_id, body) in &expected.messages {
            let found = thread
                .iter()
                .any(|m| m.body == *body && message_id.is_none_or(|message_id| m.id == message_id));
            assert!(found, "acknowledged message {message_id:?} {body:?} missing from ticket {id}");
        }
        // The event log holds exactly the acknowledged writes: none lost, none extra.
        let events = a.list_events(&staff(), id).await.expect("events on A");
        let count = |kind: EventKind| events.iter().filter(|e| e.kind == kind).count();
        let logged =
            [EventKind::Created, EventKind::Edited, EventKind::StatusChanged, EventKind::MessagePosted]
                .map(|kind| i64::try_from(count(kind)).unwrap_or(-1));
        let acknowledged =
            [1, expected.edits, expected.transitions, i64::try_from(expected.messages.len()).unwrap_or(-1)];
        assert_eq!(logged, acknowledged, "events of {id} (created, edited, moved, messages)");
        assert_eq!(
            i64::try_from(events.len()).ok(),
            Some(acknowledged.iter().sum::<i64>()),
            "events of {id}: {events:?}"
        );
        let posted: HashSet<String> = events
            .iter()
            .filter(|e| e.kind == EventKind::MessagePosted)
            .filter_map(|e| e.to.clone())
            .collect();
        let thread_ids: HashSet<String> = thread.iter().map(|m| m.id.to_string()).collect();
        assert_eq!(posted, thread_ids, "message events of {id} name the thread's messages");
    }
    let tickets: i64 =
        sqlx::query_scalar("SELECT count(*) FROM tickets").fetch_one(pool).await.expect("count tickets");
    assert_eq!(usize::try_from(tickets).ok(), Some(ledger.tickets.len()), "tickets in the database");
    let messages: i64 =
        sqlx::query_scalar("SELECT count(*) FROM messages").fetch_one(pool).await.expect("count messages");
    let acknowledged: usize = ledger.tickets.values().map(|e| e.messages.len()).sum();
    assert_eq!(usize::try_from(messages).ok(), Some(acknowledged), "messages in the database");
    let categories: HashSet<String> = sqlx::query_scalar("SELECT DISTINCT category FROM tickets")
        .fetch_all(pool)
        .await
        .expect("categories")
        .into_iter()
        .collect();
    assert_eq!(categories.len(), Category::ALL.len(), "every category occurs: {categories:?}");
}

/// Reads the whole change feed from `client`.
async fn read_feed(client: &TicketsClient) -> Vec<Change> {
    let mut feed = Vec::new();
    let mut after = 0;
    loop {
        let page = client.changes(after, 1000).await.expect("change feed page");
        if page.changes.is_empty() {
            return feed;
        }
        after = page.next;
        feed.extend(page.changes);
    }
}

/// (3): both ticket services serve the same feed, which is the database's `changes` table, with
/// every ticket once, as it is now.
async fn check_change_feeds(fronts: &Fronts, ledger: &Ledger, pool: &PgPool) -> Vec<Change> {
    let feed = read_feed(&fronts.tickets[0]).await;
    assert_eq!(feed, read_feed(&fronts.tickets[1]).await, "the change feeds of A and B differ");
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT seq, ticket_id FROM changes ORDER BY seq")
        .fetch_all(pool)
        .await
        .expect("changes table");
    let served: Vec<(i64, i64)> = feed.iter().map(|c| (c.seq, c.ticket.id)).collect();
    assert_eq!(served, rows, "the feed is the database's changes table in seq order");
    let ids: HashSet<i64> = feed.iter().map(|c| c.ticket.id).collect();
    assert_eq!(ids.len(), feed.len(), "a ticket appears twice in the compacted feed");
    assert_eq!(ids, ledger.tickets.keys().copied().collect(), "the feed lists every ticket");
    for change in &feed {
        let now = fronts.tickets[0].get_ticket(&staff(), change.ticket.id).await.expect("ticket");
        assert_eq!(change.ticket, now, "the feed holds the latest snapshot of {}", change.ticket.id);
    }
    feed
}

/// (2): once the analytics service has applied the last change, its answers equal SQL on the
/// database.
async fn check_analytics(fronts: &Fronts, pool: &PgPool, feed: &[Change]) {
    let head = feed.last().map_or(0, |c| c.seq);
    let http = reqwest::Client::new();
    let health = format!("{}/healthz", fronts.analytics_url);
    eventually("the analytics service to reach the head of the feed", || async {
        let body: serde_json::Value = http.get(&health).send().await.ok()?.json().await.ok()?;
        (body["cursor"].as_i64() == Some(head)).then_some(())
    })
    .await;

    for query in ["hours=1", "days=1", "days=30"] {
        let period: api::Period = query.parse().expect("a period");
        let report = fronts.analytics.unclosed(period).await.expect("unclosed");
        // The same `since` the service used, so the boundary is exactly the same.
        let (open, active): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'active') \
             FROM tickets WHERE opened_at >= $1::timestamptz",
        )
        .bind(report.since.to_string())
        .fetch_one(pool)
        .await
        .expect("unclosed in SQL");
        let from_sql = (u64::try_from(open).unwrap_or(0), u64::try_from(active).unwrap_or(0));
        assert_eq!((report.open, report.active), from_sql, "unclosed {query}");
        assert_eq!(report.count, report.open + report.active);
    }

    let report = fronts.analytics.resolution_time().await.expect("resolution time");
    let rows: Vec<(String, i64, f64, f64)> = sqlx::query_as(
        "SELECT to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*), \
                avg(hours)::float8, (percentile_cont(0.5) WITHIN GROUP (ORDER BY hours))::float8 \
         FROM (SELECT opened_at, \
                      ((extract(epoch FROM closed_at) - extract(epoch FROM opened_at)) / 3600)::float8 \
                          AS hours \
               FROM tickets WHERE status = 'closed') AS closed \
         GROUP BY month ORDER BY month",
    )
    .fetch_all(pool)
    .await
    .expect("resolution time in SQL");
    assert_eq!(report.time_zone, "UTC");
    assert_eq!(report.months.len(), rows.len(), "months: {report:?} vs {rows:?}");
    for (month, (name, closed, mean, median)) in report.months.iter().zip(&rows) {
        assert_eq!((&month.month, i64::try_from(month.closed).ok()), (name, Some(*closed)), "{rows:?}");
        assert!((month.mean_hours - mean).abs() < 1e-6, "mean of {name}: {} vs {mean}", month.mean_hours);
        assert!(
            (month.median_hours - median).abs() < 1e-6,
            "median of {name}: {} vs {median}",
            month.median_hours
        );
    }

    let report = fronts.analytics.active_by_category().await.expect("active by category");
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT category, count(*) FROM tickets WHERE status = 'active' GROUP BY category")
            .fetch_all(pool)
            .await
            .expect("active by category in SQL");
    let from_sql: HashMap<String, i64> = rows.into_iter().collect();
    let expected: Vec<(Category, u64)> = Category::ALL
        .iter()
        .map(|c| (*c, from_sql.get(c.as_str()).map_or(0, |n| u64::try_from(*n).unwrap_or(0))))
        .collect();
    let served: Vec<(Category, u64)> = report.categories.iter().map(|c| (c.category, c.active)).collect();
    assert_eq!(served, expected, "active tickets per category");
}
