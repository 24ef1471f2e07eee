//! Every row of the ticket service's API table (docs/api.md), with each refusal, against the
//! whole stack started by `campusdesk up`.

use api::{ClientError, CreateTicketRequest, TicketListQuery, UpdateTicketRequest};
use domain::{Category, CategorySource, Role, Status};
use serde_json::json;

use crate::helpers::{Stack, expect_problem, staff, user};

fn report(title: &str, description: &str) -> CreateTicketRequest {
    CreateTicketRequest { title: title.into(), description: description.into(), reporter_email: None }
}

/// The HTTP status of a call that must have been refused.
fn refused<T: std::fmt::Debug>(result: Result<T, ClientError>) -> u16 {
    match result {
        Ok(value) => panic!("expected a refusal, got {value:?}"),
        Err(err) => err.status().unwrap_or_else(|| panic!("expected an HTTP refusal, got {err}")),
    }
}

#[tokio::test]
async fn a_ticket_goes_through_its_whole_life_with_every_refusal() {
    let stack = Stack::start(false).await;
    let (user, staff) = (user(), staff());

    // Create: open, categorised automatically, version 1.
    let lift = stack
        .tickets
        .create_ticket(
            &user,
            &report("Lift stuck", "The lift in building B is stuck between floors 2 and 3."),
        )
        .await
        .expect("create");
    assert_eq!(lift.status, Status::Open);
    assert_eq!(lift.category, Category::Facility);
    assert_eq!(lift.category_source, CategorySource::Auto);
    assert!(lift.category_confidence > 0.0 && lift.category_confidence <= 1.0);
    assert_eq!((lift.version, lift.message_count), (1, 0));
    assert!(lift.closed_at.is_none());

    // The raw response is 201 with a Location.
    let response = stack
        .http
        .post(stack.api("/tickets"))
        .json(&json!({"title": "Wifi down", "description": "eduroam is down in the library since 9am"}))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 201);
    let wifi: domain::Ticket = response.json().await.expect("ticket");
    assert_eq!(wifi.category, Category::It);

    // Listing: newest first.
    let page = stack.tickets.list_tickets(&user, &TicketListQuery::default()).await.expect("list");
    assert_eq!(page.items.iter().map(|t| t.id).collect::<Vec<_>>(), vec![wifi.id, lift.id]);

    // Search: every word, in the title or the description, in any order.
    for (q, expected) in
        [("building stuck", vec![lift.id]), ("STUCK lift B", vec![lift.id]), ("lift library", vec![])]
    {
        let search = TicketListQuery { q: Some(q.into()), ..Default::default() };
        let found = stack.tickets.list_tickets(&user, &search).await.expect("search");
        assert_eq!(found.items.iter().map(|t| t.id).collect::<Vec<_>>(), expected, "q={q:?}");
    }

    // A user may not transition (403), staff may not skip a step (409).
    assert_eq!(refused(stack.tickets.set_status(&user, lift.id, Status::Active).await), 403);
    assert_eq!(refused(stack.tickets.set_status(&staff, lift.id, Status::Closed).await), 409);
    let active = stack.tickets.set_status(&staff, lift.id, Status::Active).await.expect("start work");
    assert_eq!((active.status, active.version), (Status::Active, 1), "a transition keeps the version");
    assert_eq!(refused(stack.tickets.set_status(&staff, lift.id, Status::Open).await), 409);

    // Edits: one based on the version seen before the transition saves; a stale version (one
    // overtaken by another edit) is refused and nothing is lost; users may not change the category.
    let edit = UpdateTicketRequest { title: Some("Lift B stuck".into()), version: 1, ..Default::default() };
    let edited =
        stack.tickets.update_ticket(&user, lift.id, &edit).await.expect("an edit from before 'start work'");
    assert_eq!((edited.title.as_str(), edited.status, edited.version), ("Lift B stuck", Status::Active, 2));
    let stale =
        UpdateTicketRequest { title: Some("Lift stuck again".into()), version: 1, ..Default::default() };
    assert_eq!(refused(stack.tickets.update_ticket(&user, lift.id, &stale).await), 409);
    assert_eq!(stack.tickets.get_ticket(&user, lift.id).await.expect("get").title, "Lift B stuck");
    let recategorise =
        UpdateTicketRequest { category: Some(Category::Services), version: 2, ..Default::default() };
    assert_eq!(refused(stack.tickets.update_ticket(&user, lift.id, &recategorise).await), 403);
    let fix = UpdateTicketRequest { category: Some(Category::Facility), version: 2, ..Default::default() };
    let corrected = stack.tickets.update_ticket(&staff, lift.id, &fix).await.expect("staff recategorise");
    assert_eq!(corrected.version, 3);
    assert_eq!(corrected.category_source, CategorySource::Staff);

    // Messages both ways, oldest first, with role and name.
    stack.tickets.post_message(&user, lift.id, "Still stuck, people inside!").await.expect("user message");
    let reply = stack.tickets.post_message(&staff, lift.id, "Technician on the way.").await.expect("reply");
    assert_eq!((reply.author_role, reply.author_name.as_deref()), (Role::Staff, Some("Sam")));
    let thread = stack.tickets.list_messages(&user, lift.id).await.expect("thread");
    assert_eq!(
        thread.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["Still stuck, people inside!", "Technician on the way."]
    );
    assert_eq!(stack.tickets.get_ticket(&user, lift.id).await.expect("get").message_count, 2);

    // Close: the user no longer sees it anywhere; staff still do.
    let closed = stack.tickets.set_status(&staff, lift.id, Status::Closed).await.expect("close");
    assert!(closed.closed_at.is_some());
    assert_eq!(refused(stack.tickets.get_ticket(&user, lift.id).await), 404);
    assert_eq!(refused(stack.tickets.list_messages(&user, lift.id).await), 404);
    assert_eq!(refused(stack.tickets.post_message(&user, lift.id, "hello?").await), 404);
    let stale_user_edit =
        UpdateTicketRequest { title: Some("x".into()), version: closed.version, ..Default::default() };
    assert_eq!(refused(stack.tickets.update_ticket(&user, lift.id, &stale_user_edit).await), 404);
    let user_list = stack.tickets.list_tickets(&user, &TicketListQuery::default()).await.expect("list");
    assert!(user_list.items.iter().all(|t| t.id != lift.id));
    let closed_only = TicketListQuery { status: Some(Status::Closed), ..Default::default() };
    assert!(stack.tickets.list_tickets(&user, &closed_only).await.expect("list").items.is_empty());
    assert_eq!(stack.tickets.list_tickets(&staff, &closed_only).await.expect("list").items.len(), 1);
    assert_eq!(
        stack.tickets.get_ticket(&staff, lift.id).await.expect("staff see closed").status,
        Status::Closed
    );
    assert_eq!(refused(stack.tickets.set_status(&staff, lift.id, Status::Active).await), 409);

    // The event log has the whole story.
    let events = stack.tickets.list_events(&staff, lift.id).await.expect("events");
    assert!(events.len() >= 7, "{events:?}");

    // The change feed holds each ticket once, the lift last (its latest change).
    let feed = stack.tickets.changes(0, 100).await.expect("changes");
    assert_eq!(feed.changes.iter().map(|c| c.ticket.id).collect::<Vec<_>>(), vec![wifi.id, lift.id]);
    assert_eq!(feed.next, feed.changes.last().expect("some").seq);
    let rest = stack.tickets.changes(feed.next, 100).await.expect("changes");
    assert!(rest.changes.is_empty() && rest.next == feed.next);

    // Classify creates nothing.
    let guess = stack
        .tickets
        .classify("the printer shows an error and will not print my document")
        .await
        .expect("classify");
    assert_eq!(guess.category, Category::It);
    assert!(!guess.terms.is_empty());
    assert_eq!(stack.tickets.changes(0, 100).await.expect("changes").changes.len(), 2);
}

#[tokio::test]
async fn bad_input_gets_a_problem_and_changes_nothing() {
    let stack = Stack::start(false).await;
    let ticket = stack
        .tickets
        .create_ticket(&user(), &report("Heating off", "No heating in lecture hall C, it is freezing."))
        .await
        .expect("create");
    let http = &stack.http;
    let api = |path: &str| stack.api(path);
    let one = api(&format!("/tickets/{}", ticket.id));
    let analytics = |query: &str| format!("{}/api/v1/analytics/unclosed{query}", stack.analytics_url);
    let ticket_json = json!({"title": "t", "description": "d"});

    // (what, request, expected status, field named in the problem)
    let cases: Vec<(&str, reqwest::RequestBuilder, u16, Option<&str>)> = vec![
        (
            "blank description",
            http.post(api("/tickets")).json(&json!({"title": "x", "description": "   "})),
            422,
            Some("description"),
        ),
        (
            "title too long",
            http.post(api("/tickets")).json(&json!({"title": "a".repeat(121), "description": "d"})),
            422,
            Some("title"),
        ),
        (
            "unknown field",
            http.post(api("/tickets")).json(&json!({"title": "t", "description": "d", "priority": 1})),
            422,
            None,
        ),
        (
            "malformed JSON",
            http.post(api("/tickets")).header("content-type", "application/json").body("{not json"),
            400,
            None,
        ),
        (
            "wrong content type",
            http.post(api("/tickets")).header("content-type", "text/plain").body("hello"),
            415,
            None,
        ),
        (
            "unknown role",
            http.post(api("/tickets")).header("x-campusdesk-role", "admin").json(&ticket_json),
            400,
            None,
        ),
        ("missing ticket", http.get(api("/tickets/999999")), 404, None),
        ("unknown path", http.get(api("/nothing-here")), 404, None),
        ("wrong method", http.delete(&one), 405, None),
        ("page size 0", http.get(api("/tickets?limit=0")), 400, None),
        ("unknown status filter", http.get(api("/tickets?status=urgent")), 400, None),
        ("garbage cursor", http.get(api("/tickets?cursor=garbage")), 400, None),
        (
            "unknown status",
            http.post(format!("{one}/status"))
                .header("x-campusdesk-role", "staff")
                .json(&json!({"status": "done"})),
            422,
            None,
        ),
        ("empty message", http.post(format!("{one}/messages")).json(&json!({"body": ""})), 422, None),
        ("edit that changes nothing", http.patch(&one).json(&json!({"version": 1})), 422, None),
        ("no period", http.get(analytics("")), 400, None),
        ("negative period", http.get(analytics("?hours=-3")), 400, None),
        ("misspelt list filter", http.get(api("/tickets?stauts=closed")), 400, Some("stauts")),
        (
            "parameter on a ticket",
            http.patch(format!("{one}?force=1")).json(&json!({"title": "New", "version": 1})),
            400,
            Some("force"),
        ),
        ("unknown period parameter", http.get(analytics("?days=1&weeks=1")), 400, Some("weeks")),
    ];
    for (what, request, status, field) in cases {
        let body = expect_problem(request.send().await.expect("send"), status).await;
        if let Some(field) = field {
            assert_eq!(body["field"], field, "{what}: {body}");
        }
    }
    let bad_id = http.get(api("/tickets/abc")).send().await.expect("send");
    assert!(matches!(bad_id.status().as_u16(), 400 | 404));

    // Nothing above changed the ticket or created another one.
    let after = stack.tickets.get_ticket(&user(), ticket.id).await.expect("get");
    assert_eq!(after, ticket);
    assert_eq!(stack.tickets.changes(0, 100).await.expect("changes").changes.len(), 1);

    // Health of every service.
    for url in [&stack.tickets_url, &stack.analytics_url, &stack.web_url] {
        let response = stack.http.get(format!("{url}/healthz")).send().await.expect("send");
        assert_eq!(response.status(), 200, "{url}/healthz");
    }
}

#[tokio::test]
async fn the_change_stream_pushes_new_changes() {
    use futures::StreamExt;
    let stack = Stack::start(false).await;
    let first = stack
        .tickets
        .create_ticket(&user(), &report("Printer jam", "Printer in room 101 jams"))
        .await
        .expect("create");
    let mut stream = Box::pin(stack.tickets.change_stream(0).await.expect("stream"));
    let seen =
        tokio::time::timeout(std::time::Duration::from_secs(20), stream.next()).await.expect("in time");
    assert_eq!(seen.expect("an item").expect("a change").ticket.id, first.id);
    let second = stack
        .tickets
        .create_ticket(&user(), &report("Canteen", "The canteen queue takes 40 minutes"))
        .await
        .expect("create");
    let seen =
        tokio::time::timeout(std::time::Duration::from_secs(20), stream.next()).await.expect("in time");
    assert_eq!(seen.expect("an item").expect("a change").ticket.id, second.id);
}
