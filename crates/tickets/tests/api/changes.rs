//! The change feed, by cursor and as a live event stream.

use std::time::Duration;

use api::UpdateTicketRequest;
use domain::Status;
use futures::StreamExt;
use reqwest::Method;

use crate::helpers::{expect_problem, spawn_app, user};

/// Long enough for a slow CI machine; the tests wait for an event, not for this.
const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn the_feed_lists_latest_snapshots_in_commit_order() {
    let app = spawn_app().await;
    let a = app.create("First", "The first ticket.").await;
    let b = app.create("Second", "The second ticket.").await;
    let edit =
        UpdateTicketRequest { title: Some("First, edited".into()), version: a.version, ..Default::default() };
    app.client.update_ticket(&user(), a.id, &edit).await.unwrap();

    let page = app.client.changes(0, 100).await.unwrap();
    let ids: Vec<i64> = page.changes.iter().map(|c| c.ticket.id).collect();
    assert_eq!(ids, vec![b.id, a.id], "each ticket once, at its latest change");
    assert!(page.changes[0].seq < page.changes[1].seq);
    assert_eq!(page.changes[1].ticket.title, "First, edited");
    assert_eq!(page.next, page.changes[1].seq);

    let first_only = app.client.changes(0, 1).await.unwrap();
    assert_eq!(first_only.changes.len(), 1);
    let rest = app.client.changes(first_only.next, 100).await.unwrap();
    assert_eq!(rest.changes.iter().map(|c| c.ticket.id).collect::<Vec<_>>(), vec![a.id]);

    let nothing_new = app.client.changes(page.next, 100).await.unwrap();
    assert!(nothing_new.changes.is_empty());
    assert_eq!(nothing_new.next, page.next);
}

#[tokio::test]
async fn bad_feed_parameters_are_400() {
    let app = spawn_app().await;
    for query in ["after=-1", "after=x", "limit=0", "limit=1001", "limit=many"] {
        let response = app.request(Method::GET, &format!("/changes?{query}")).send().await.unwrap();
        expect_problem(response, 400).await;
    }
    let response = app.request(Method::GET, "/changes/stream?after=-5").send().await.unwrap();
    expect_problem(response, 400).await;
    // Unknown parameters are refused by name: a stream has no pages, so no `limit` either.
    for (query, parameter) in [("/changes?after=0&since=5", "since"), ("/changes/stream?limit=5", "limit")] {
        let problem = expect_problem(app.request(Method::GET, query).send().await.unwrap(), 400).await;
        assert_eq!(problem.field.as_deref(), Some(parameter), "{query}");
        assert!(problem.detail.starts_with(&format!("unknown query parameter \"{parameter}\"")));
    }
    let problem =
        expect_problem(app.request(Method::GET, "/changes?after=x").send().await.unwrap(), 400).await;
    assert_eq!(problem.detail, "the query parameter \"after\" is invalid: \"x\" is not a whole number");
    let response = app.request(Method::GET, "/changes").send().await.unwrap();
    let page: api::ChangePage = response.json().await.unwrap();
    assert_eq!((page.changes.len(), page.next), (0, 0));
}

#[tokio::test]
async fn the_stream_catches_up_then_delivers_changes_made_after_connecting() {
    let app = spawn_app().await;
    let early = app.create("Before", "Made before anyone listened.").await;
    let stream = app.client.change_stream(0).await.unwrap();
    let mut stream = Box::pin(stream);
    let caught_up = tokio::time::timeout(WAIT, stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(caught_up.ticket.id, early.id);

    let later = app.create("After", "Made while the stream was open.").await;
    let live =
        tokio::time::timeout(WAIT, stream.next()).await.expect("a live change in time").unwrap().unwrap();
    assert_eq!(live.ticket, later);
    assert!(live.seq > caught_up.seq);

    let edited = app
        .client
        .update_ticket(
            &user(),
            early.id,
            &UpdateTicketRequest { title: Some("Before!".into()), version: 1, ..Default::default() },
        )
        .await
        .unwrap();
    let live = tokio::time::timeout(WAIT, stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(live.ticket, edited);
}

#[tokio::test]
async fn the_stream_starts_after_last_event_id_and_uses_sse_framing() {
    let app = spawn_app().await;
    app.create("One", "First.").await;
    let cursor = app.client.changes(0, 100).await.unwrap().next;
    let two = app.create("Two", "Second.").await;

    let response = app
        .request(Method::GET, "/changes/stream")
        .header("last-event-id", cursor.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = response.bytes_stream();
    let mut text = String::new();
    let frame = tokio::time::timeout(WAIT, async {
        loop {
            let chunk = body.next().await.expect("stream open").expect("bytes");
            text.push_str(&String::from_utf8_lossy(&chunk));
            if let Some(end) = text.find("\n\n") {
                return text[..end].to_owned();
            }
        }
    })
    .await
    .expect("an event in time");
    let lines: Vec<&str> = frame.lines().collect();
    assert!(lines.contains(&"event: change"), "{frame}");
    let data = lines.iter().find_map(|l| l.strip_prefix("data: ")).expect("data line");
    let change: api::Change = serde_json::from_str(data).unwrap();
    assert_eq!(change.ticket.id, two.id);
    assert!(lines.contains(&format!("id: {}", change.seq).as_str()), "{frame}");
}

#[tokio::test]
async fn users_never_see_closed_tickets_in_the_feed() {
    let app = spawn_app().await;
    let open = app.create_in(Status::Open, "Still open").await;
    let closed = app.create_in(Status::Closed, "Done and closed").await;

    let as_user = |path: &str| app.request(Method::GET, path).header(api::ROLE_HEADER, "user");
    let page: api::ChangePage = as_user("/changes").send().await.unwrap().json().await.unwrap();
    assert_eq!(page.changes.iter().map(|c| c.ticket.id).collect::<Vec<_>>(), vec![open.id]);
    let staff_page = app.client.changes(0, 100).await.unwrap();
    assert_eq!(page.next, staff_page.next, "the cursor moves past what the user may not see");
    assert!(staff_page.changes.iter().any(|c| c.ticket.id == closed.id), "staff see closed tickets");

    let stream = as_user("/changes/stream").send().await.unwrap();
    assert!(stream.status().is_success());
    let mut bytes = Box::pin(stream.bytes_stream());
    let first = tokio::time::timeout(WAIT, bytes.next()).await.unwrap().unwrap().unwrap();
    let text = String::from_utf8_lossy(&first);
    assert!(text.contains("Still open") && !text.contains("Done and closed"), "{text}");
}
