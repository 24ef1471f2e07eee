//! `campusdesk migrate-data`, end to end: a campus run with `campusdesk up --demo` on SQLite and
//! changed through the API moves to a fresh PostgreSQL database, and the ticket service started
//! on it answers exactly as the old one did; a second run into the now non-empty database is
//! refused with a clear sentence and a non-zero exit.
//!
//! Needs `CAMPUSDESK_TEST_POSTGRES_URL` (scripts/test sets it); without it the test fails.

use std::collections::HashSet;

use api::{TicketListQuery, TicketsClient, UpdateTicketRequest};
use domain::{Category, CategorySource, Status, Ticket};
use store_postgres::testing::TestDatabase;

use crate::helpers::{Process, staff, user, wait_healthy};

/// Every ticket, as staff see them, newest first.
async fn all_tickets(client: &TicketsClient) -> Vec<Ticket> {
    let mut tickets = Vec::new();
    let mut cursor = None;
    loop {
        let query = TicketListQuery { limit: Some(200), cursor: cursor.clone(), ..Default::default() };
        let page = client.list_tickets(&staff(), &query).await.expect("listing tickets");
        tickets.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return tickets,
        }
    }
}

/// The whole change feed from 0: (seq, ticket id) pairs.
async fn whole_feed(client: &TicketsClient) -> Vec<(i64, i64)> {
    let mut feed = Vec::new();
    let mut after = 0;
    loop {
        let page = client.changes(after, 200).await.expect("reading the change feed");
        if page.changes.is_empty() {
            return feed;
        }
        feed.extend(page.changes.iter().map(|c| (c.seq, c.ticket.id)));
        after = page.next;
    }
}

/// `n` with a comma between groups of three digits, as migrate-data prints counts.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Runs `campusdesk migrate-data --from FROM --to TO`; returns (success, stdout, stderr).
async fn migrate(from: &str, to: &str) -> (bool, String, String) {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_campusdesk"))
        .args(["migrate-data", "--from", from, "--to", to])
        .env("CAMPUSDESK_LOG", std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()))
        .output()
        .await
        .expect("running campusdesk migrate-data");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn a_campus_moves_from_sqlite_to_postgresql_with_everything() {
    let database = TestDatabase::create().await;
    let data = tempfile::tempdir().expect("a temporary data folder");
    let dir = data.path().to_str().expect("a UTF-8 temporary path").to_owned();

    // The old campus: `up --demo` on SQLite, changed through the API.
    let mut up = Process::spawn(&[
        "up",
        "--data-dir",
        &dir,
        "--web-addr",
        "127.0.0.1:0",
        "--tickets-addr",
        "127.0.0.1:0",
        "--analytics-addr",
        "127.0.0.1:0",
        "--demo",
    ]);
    let old_url = up.url_after("ticket service:").trim_end_matches("/api/v1").to_owned();
    up.url_after("campusdesk is ready:");
    let old = TicketsClient::new(&old_url);
    let open = TicketListQuery { status: Some(Status::Open), limit: Some(1), ..Default::default() };
    let chosen = old.list_tickets(&staff(), &open).await.expect("listing open tickets").items.remove(0);
    old.set_status(&staff(), chosen.id, Status::Active).await.expect("activating the ticket");
    old.post_message(&user(), chosen.id, "Is anyone looking at this?").await.expect("a user's message");
    old.post_message(&staff(), chosen.id, "Yes, a technician is on the way.").await.expect("staff's answer");
    let current = old.get_ticket(&staff(), chosen.id).await.expect("reading the ticket");
    let other = if current.category == Category::It { Category::Facility } else { Category::It };
    let correction =
        UpdateTicketRequest { category: Some(other), version: current.version, ..Default::default() };
    old.update_ticket(&staff(), chosen.id, &correction).await.expect("staff correcting the category");

    let before_tickets = all_tickets(&old).await;
    let before_changed = old.get_ticket(&staff(), chosen.id).await.expect("reading the changed ticket");
    let before_messages = old.list_messages(&staff(), chosen.id).await.expect("its thread");
    let before_events = old.list_events(&staff(), chosen.id).await.expect("its event log");
    let before_feed = whole_feed(&old).await;
    let before_classifier = old.classifier_status().await.expect("the classifier's counts");
    assert_eq!(before_changed.status, Status::Active);
    assert_eq!(before_changed.category_source, CategorySource::Staff);
    assert!(before_classifier.corrections >= 1, "the correction was recorded");
    drop(up); // stops the old campus: migrate-data runs with the services stopped

    // The move.
    let from = format!("sqlite://{dir}/campusdesk.db");
    let (ok, stdout, stderr) = migrate(&from, database.url()).await;
    assert!(ok, "migrate-data failed:\n{stdout}\n{stderr}");
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with(&format!("copied {} tickets, ", grouped(before_tickets.len())))
            && summary.ends_with("; counts verified"),
        "unexpected summary: {stdout}"
    );

    // The new campus: the ticket service on PostgreSQL answers as the old one did.
    let (_service, new_url) = Process::service("tickets", &["--database-url", database.url()]);
    wait_healthy(&new_url).await;
    let new = TicketsClient::new(&new_url);
    let after_tickets = all_tickets(&new).await;
    assert_eq!(after_tickets.len(), before_tickets.len(), "the number of tickets changed");
    assert_eq!(after_tickets, before_tickets, "the tickets (ids, versions, categories, times) changed");
    let after_changed = new.get_ticket(&staff(), chosen.id).await.expect("the changed ticket");
    assert_eq!(after_changed, before_changed);
    assert_eq!(after_changed.status, Status::Active);
    assert_eq!(after_changed.category_source, CategorySource::Staff, "the staff correction was lost");
    assert_eq!(new.list_messages(&staff(), chosen.id).await.expect("its thread"), before_messages);
    assert_eq!(new.list_events(&staff(), chosen.id).await.expect("its event log"), before_events);
    let after_feed = whole_feed(&new).await;
    assert_eq!(after_feed, before_feed, "the change feed (seqs and order) changed");
    let listed: HashSet<i64> = after_feed.iter().map(|(_, id)| *id).collect();
    assert_eq!(listed.len(), after_tickets.len(), "the feed lists every ticket once");
    let after_classifier = new.classifier_status().await.expect("the classifier's counts");
    assert_eq!(after_classifier.corrections, before_classifier.corrections, "corrections were lost");
    assert_eq!(after_classifier.auto_categorised, before_classifier.auto_categorised);

    // New writes get fresh ids.
    let request = api::CreateTicketRequest {
        title: "Projector in room 3 is dark".into(),
        description: "It shows nothing since the move".into(),
        reporter_email: None,
    };
    let fresh = new.create_ticket(&user(), &request).await.expect("creating a ticket after the move");
    let largest = before_tickets.iter().map(|t| t.id).max().expect("demo tickets");
    assert!(fresh.id > largest, "the new ticket got id {}, not above {largest}", fresh.id);
    let message = new.post_message(&user(), fresh.id, "Still dark").await.expect("posting");
    let largest_message = before_messages.iter().map(|m| m.id).max().expect("messages");
    assert!(message.id > largest_message, "message id {} was reused", message.id);
    let feed = whole_feed(&new).await;
    assert_eq!(feed.last().map(|(_, id)| *id), Some(fresh.id), "the new ticket is the feed's latest");
    assert!(feed.last().expect("a feed").0 > before_feed.last().expect("a feed").0);

    // A second run into the now non-empty database is refused and writes nothing.
    let (ok, stdout, stderr) = migrate(&from, database.url()).await;
    assert!(!ok, "migrate-data into a non-empty database must fail:\n{stdout}");
    assert!(
        stderr.contains(&format!("already holds {} tickets", grouped(before_tickets.len() + 1)))
            && stderr.contains("nothing was written"),
        "the refusal must say why: {stderr}"
    );
    assert_eq!(all_tickets(&new).await.len(), before_tickets.len() + 1, "the refused run wrote");
}

#[tokio::test]
async fn migrate_data_refuses_a_missing_source_file() {
    let database = TestDatabase::create().await;
    let data = tempfile::tempdir().expect("a temporary folder");
    let missing = format!("sqlite://{}/nowhere.db", data.path().display());
    let (ok, _, stderr) = migrate(&missing, database.url()).await;
    assert!(!ok, "a missing source must fail");
    assert!(stderr.contains("does not exist"), "the error must name the problem: {stderr}");
    assert!(!data.path().join("nowhere.db").exists(), "the missing source was created");
}
