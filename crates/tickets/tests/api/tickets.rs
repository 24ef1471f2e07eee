//! Tickets: create, list, read, edit, transitions, events, and who may do what.

use api::{CreateTicketRequest, TicketListQuery, UpdateTicketRequest};
use domain::{Category, CategorySource, EventKind, Status};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{expect_problem, problem_of, spawn_app, spawn_app_with_undo_window, staff, user};

#[tokio::test]
async fn reporting_a_ticket_answers_201_with_location_and_an_open_classified_ticket() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/tickets")
        .json(&json!({"title": "  Projector broken ", "description": "The projector in lecture hall 3 does not turn on."}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let ticket: domain::Ticket = response.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/tickets/{}", ticket.id));
    assert_eq!(ticket.title, "Projector broken");
    assert_eq!(ticket.status, Status::Open);
    assert_eq!(ticket.version, 1);
    assert_eq!(ticket.category_source, CategorySource::Auto);
    assert!(ticket.closed_at.is_none());
    assert_eq!(app.client.get_ticket(&user(), ticket.id).await.unwrap(), ticket);
}

#[tokio::test]
async fn invalid_ticket_text_is_refused_with_422_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        (json!({"title": "Lift", "description": "   "}), "description"),
        (json!({"title": "x".repeat(121), "description": "ok"}), "title"),
        (json!({"title": "", "description": "ok"}), "title"),
    ];
    for (body, field) in cases {
        let response = app.request(Method::POST, "/tickets").json(&body).send().await.unwrap();
        let problem = expect_problem(response, 422).await;
        assert_eq!(problem.field.as_deref(), Some(field));
    }
    let page = app.client.list_tickets(&staff("Ana"), &TicketListQuery::default()).await.unwrap();
    assert!(page.items.is_empty());
}

#[tokio::test]
async fn bad_json_bodies_get_problems() {
    let app = spawn_app().await;
    let send = |body: &'static str, content_type: &'static str| {
        app.request(Method::POST, "/tickets").header("content-type", content_type).body(body).send()
    };
    let problem = expect_problem(send("{\"title\": ", "application/json").await.unwrap(), 400).await;
    assert!(problem.detail.contains("not valid JSON"), "{}", problem.detail);
    let problem = expect_problem(
        send(r#"{"title":"a","description":"b","priority":1}"#, "application/json").await.unwrap(),
        422,
    )
    .await;
    assert!(problem.detail.contains("priority"), "{}", problem.detail);
    let problem = expect_problem(send(r#"{"title":"a"}"#, "application/json").await.unwrap(), 422).await;
    assert!(problem.detail.contains("description"), "{}", problem.detail);
    expect_problem(send(r#"{"title":"a","description":"b"}"#, "text/plain").await.unwrap(), 415).await;
    let huge = format!(r#"{{"title":"a","description":"{}"}}"#, "x".repeat(70 * 1024));
    let response = app
        .request(Method::POST, "/tickets")
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    expect_problem(response, 413).await;
}

#[tokio::test]
async fn missing_and_malformed_ticket_ids() {
    let app = spawn_app().await;
    let problem = problem_of(app.client.get_ticket(&staff("Ana"), 999).await.unwrap_err(), 404);
    assert_eq!(problem.detail, "ticket 999 does not exist");
    expect_problem(app.request(Method::GET, "/tickets/abc").send().await.unwrap(), 400).await;
    expect_problem(app.request(Method::GET, "/tickets/abc/messages").send().await.unwrap(), 400).await;
}

#[tokio::test]
async fn users_never_see_closed_tickets_staff_see_all() {
    let app = spawn_app().await;
    let open = app.create_in(Status::Open, "Open one").await;
    let active = app.create_in(Status::Active, "Active one").await;
    let closed = app.create_in(Status::Closed, "Closed one").await;

    let everything = TicketListQuery::default();
    let ids = |page: api::TicketPage| page.items.iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(ids(app.client.list_tickets(&user(), &everything).await.unwrap()), vec![active.id, open.id]);
    assert_eq!(
        ids(app.client.list_tickets(&staff("Ana"), &everything).await.unwrap()),
        vec![closed.id, active.id, open.id]
    );
    let users_list = app.client.list_tickets(&user(), &everything).await.unwrap();
    assert_eq!((users_list.total, users_list.total_exact), (2, true), "a user's total counts what they see");
    let staff_list = app.client.list_tickets(&staff("Ana"), &everything).await.unwrap();
    assert_eq!((staff_list.total, staff_list.total_exact), (3, true));
    let only_closed = TicketListQuery { status: Some(Status::Closed), ..Default::default() };
    let users_closed = app.client.list_tickets(&user(), &only_closed).await.unwrap();
    assert!(users_closed.items.is_empty());
    assert_eq!(users_closed.total, 0, "the closed tickets a user may not see are not counted either");
    assert_eq!(ids(app.client.list_tickets(&staff("Ana"), &only_closed).await.unwrap()), vec![closed.id]);

    let problem = problem_of(app.client.get_ticket(&user(), closed.id).await.unwrap_err(), 404);
    assert_eq!(problem.detail, format!("ticket {} does not exist", closed.id));
    assert_eq!(app.client.get_ticket(&staff("Ana"), closed.id).await.unwrap().status, Status::Closed);
    problem_of(app.client.list_events(&user(), closed.id).await.unwrap_err(), 404);
    let edit =
        UpdateTicketRequest { title: Some("Reopen?".into()), version: closed.version, ..Default::default() };
    problem_of(app.client.update_ticket(&user(), closed.id, &edit).await.unwrap_err(), 404);
    assert_eq!(app.client.update_ticket(&staff("Ana"), closed.id, &edit).await.unwrap().title, "Reopen?");
}

#[tokio::test]
async fn listing_filters_searches_and_pages() {
    let app = spawn_app().await;
    let mut made = Vec::new();
    for i in 0..5 {
        made.push(app.create(&format!("Printer {i} jammed"), "Paper is stuck in the printer.").await);
    }
    let other = app.create("Heating off", "Radiators cold in room 12").await;

    let search = TicketListQuery { q: Some("RADIATORS".into()), ..Default::default() };
    let page = app.client.list_tickets(&user(), &search).await.unwrap();
    assert_eq!(page.items.iter().map(|t| t.id).collect::<Vec<_>>(), vec![other.id]);
    for (q, expected) in
        [("cold heating", vec![other.id]), ("12 off", vec![other.id]), ("heating printer", vec![])]
    {
        let search = TicketListQuery { q: Some(q.into()), ..Default::default() };
        let page = app.client.list_tickets(&user(), &search).await.unwrap();
        assert_eq!(page.items.iter().map(|t| t.id).collect::<Vec<_>>(), expected, "every word of {q:?}");
    }

    let by_category = TicketListQuery { category: Some(other.category), ..Default::default() };
    let page = app.client.list_tickets(&user(), &by_category).await.unwrap();
    assert!(page.items.iter().all(|t| t.category == other.category));
    assert!(page.items.iter().any(|t| t.id == other.id));

    let mut seen = Vec::new();
    let mut query = TicketListQuery { limit: Some(4), ..Default::default() };
    loop {
        let page = app.client.list_tickets(&user(), &query).await.unwrap();
        assert!(page.items.len() <= 4);
        seen.extend(page.items.iter().map(|t| t.id));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    let mut expected: Vec<i64> = made.iter().map(|t| t.id).chain([other.id]).collect();
    expected.reverse();
    assert_eq!(seen, expected, "newest first, every ticket once");
}

#[tokio::test]
async fn bad_list_parameters_are_400_with_a_sentence() {
    let app = spawn_app().await;
    for query in ["limit=0", "limit=201", "limit=ten", "status=pending", "category=kitchen", "cursor=xyz"] {
        let response = app.request(Method::GET, &format!("/tickets?{query}")).send().await.unwrap();
        let problem = expect_problem(response, 400).await;
        assert!(problem.detail.len() > 20, "{query}: {}", problem.detail);
    }
    let response = app.request(Method::GET, "/tickets?status=&category=&q=&limit=").send().await.unwrap();
    assert_eq!(response.status(), 200, "empty form fields count as absent");
}

#[tokio::test]
async fn unknown_query_parameters_are_refused_by_name() {
    let app = spawn_app().await;
    let ticket = app.create_in(Status::Active, "Heating off").await;

    // A typo in a filter is refused, not silently ignored (which would list every ticket).
    let response = app.request(Method::GET, "/tickets?stauts=closed").send().await.unwrap();
    let problem = expect_problem(response, 400).await;
    assert_eq!(problem.field.as_deref(), Some("stauts"));
    assert_eq!(
        problem.detail,
        "unknown query parameter \"stauts\"; this endpoint takes status, category, q, limit, cursor and sort"
    );
    let response = app.request(Method::GET, "/tickets?limit=1&limit=2").send().await.unwrap();
    assert_eq!(expect_problem(response, 400).await.field.as_deref(), Some("limit"));

    // Endpoints that take no parameters refuse any, before doing anything.
    let one = format!("/tickets/{}", ticket.id);
    let refused = [
        app.request(Method::GET, &format!("{one}?expand=messages")),
        app.request(Method::GET, &format!("{one}/messages?after=3")),
        app.request(Method::POST, "/tickets?draft=1")
            .json(&json!({"title": "Lift", "description": "Stuck."})),
    ];
    for request in refused {
        let problem = expect_problem(request.send().await.unwrap(), 400).await;
        assert!(problem.detail.contains("this endpoint takes no query parameters"), "{}", problem.detail);
    }
    assert_eq!(app.client.changes(0, 100).await.unwrap().changes.len(), 1, "nothing was created");

    // The known parameters still work, in any letter case for the values, as the typed client
    // sends them.
    let response = app.request(Method::GET, "/tickets?status=ACTIVE&limit=5").send().await.unwrap();
    assert_eq!(response.status(), 200);
    let page: api::TicketPage = response.json().await.unwrap();
    assert_eq!(page.items.iter().map(|t| t.id).collect::<Vec<_>>(), vec![ticket.id]);
    let query = TicketListQuery {
        status: Some(Status::Active),
        category: Some(ticket.category),
        q: Some("heating".into()),
        limit: Some(5),
        cursor: None,
        sort: Some("-opened".into()),
    };
    assert_eq!(app.client.list_tickets(&staff("Ana"), &query).await.unwrap().items.len(), 1);
}

#[tokio::test]
async fn editing_needs_the_current_version() {
    let app = spawn_app().await;
    let ticket = app.create("Wifi slow", "The wifi in the library is slow.").await;
    let edit = UpdateTicketRequest {
        description: Some("The wifi on the library's 2nd floor drops every few minutes.".into()),
        version: ticket.version,
        ..Default::default()
    };
    let edited = app.client.update_ticket(&user(), ticket.id, &edit).await.unwrap();
    assert_eq!(edited.version, ticket.version + 1);
    assert_eq!(edited.title, "Wifi slow");
    assert!(edited.description.contains("2nd floor"));

    let stale =
        UpdateTicketRequest { title: Some("Mine".into()), version: ticket.version, ..Default::default() };
    let problem = problem_of(app.client.update_ticket(&user(), ticket.id, &stale).await.unwrap_err(), 409);
    assert_eq!(problem.field.as_deref(), Some("version"));
    assert!(problem.detail.contains("reload"), "{}", problem.detail);
    assert_eq!(app.client.get_ticket(&user(), ticket.id).await.unwrap(), edited, "nothing overwritten");

    // Staff starting work does not make the form opened before it stale.
    let active = app.client.set_status(&staff("Ana"), ticket.id, Status::Active).await.unwrap();
    assert_eq!(active.version, edited.version, "a transition keeps the version");
    let seen_before = UpdateTicketRequest {
        title: Some("Library wifi drops".into()),
        version: edited.version,
        ..Default::default()
    };
    let saved = app.client.update_ticket(&user(), ticket.id, &seen_before).await.unwrap();
    assert_eq!((saved.status, saved.version), (Status::Active, edited.version + 1));
}

#[tokio::test]
async fn only_staff_recategorise_and_edits_are_validated() {
    let app = spawn_app().await;
    let ticket = app.create("Canteen", "The canteen queue is an hour long every day.").await;
    let recategorise = UpdateTicketRequest {
        category: Some(Category::Services),
        version: ticket.version,
        ..Default::default()
    };
    let problem =
        problem_of(app.client.update_ticket(&user(), ticket.id, &recategorise).await.unwrap_err(), 403);
    assert!(problem.detail.contains("category"));
    let changed = app.client.update_ticket(&staff("Ana"), ticket.id, &recategorise).await.unwrap();
    assert_eq!(changed.category, Category::Services);
    assert_eq!(changed.category_source, CategorySource::Staff);

    let nothing = UpdateTicketRequest { version: changed.version, ..Default::default() };
    problem_of(app.client.update_ticket(&user(), ticket.id, &nothing).await.unwrap_err(), 422);
    let blank =
        UpdateTicketRequest { title: Some(" ".into()), version: changed.version, ..Default::default() };
    let problem = problem_of(app.client.update_ticket(&user(), ticket.id, &blank).await.unwrap_err(), 422);
    assert_eq!(problem.field.as_deref(), Some("title"));
    let response = app
        .request(Method::PATCH, &format!("/tickets/{}", ticket.id))
        .json(&json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(response, 422).await;
    assert!(problem.detail.contains("version"), "{}", problem.detail);
    problem_of(app.client.update_ticket(&staff("Ana"), 4242, &recategorise).await.unwrap_err(), 404);
}

#[tokio::test]
async fn status_moves_follow_the_state_machine() {
    let app = spawn_app().await;
    let ticket = app.create("Door", "The door to lab 4 does not lock.").await;
    let boss = staff("Ana");
    let problem =
        problem_of(app.client.set_status(&user(), ticket.id, Status::Active).await.unwrap_err(), 403);
    assert!(problem.detail.contains("staff"));
    let problem = problem_of(app.client.set_status(&boss, ticket.id, Status::Closed).await.unwrap_err(), 409);
    assert!(problem.detail.contains("open -> active"), "{}", problem.detail);
    let active = app.client.set_status(&boss, ticket.id, Status::Active).await.unwrap();
    assert_eq!((active.status, active.version), (Status::Active, 1), "a transition keeps the version");
    problem_of(app.client.set_status(&boss, ticket.id, Status::Active).await.unwrap_err(), 409);
    let closed = app.client.set_status(&boss, ticket.id, Status::Closed).await.unwrap();
    assert_eq!(closed.status, Status::Closed);
    assert!(closed.closed_at.is_some_and(|c| c >= closed.opened_at));
    problem_of(app.client.set_status(&boss, ticket.id, Status::Open).await.unwrap_err(), 409);
    problem_of(app.client.set_status(&boss, 4242, Status::Active).await.unwrap_err(), 404);
    let response = app
        .request(Method::POST, &format!("/tickets/{}/status", ticket.id))
        .header(api::ROLE_HEADER, "staff")
        .json(&json!({"status": "done"}))
        .send()
        .await
        .unwrap();
    expect_problem(response, 422).await;

    let events = app.client.list_events(&boss, ticket.id).await.unwrap();
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![EventKind::Created, EventKind::StatusChanged, EventKind::StatusChanged]);
    assert_eq!(events[1].actor_name.as_deref(), Some("Ana"));
    assert_eq!(events[2].to.as_deref(), Some("closed"));
}

#[tokio::test]
async fn staff_undo_a_closing_once_within_the_window() {
    let app = spawn_app().await;
    let boss = staff("Ana");
    let ticket = app.create_in(Status::Active, "The projector in room 12 is dead").await;
    problem_of(app.client.undo_close(&boss, ticket.id).await.unwrap_err(), 409);
    let closed = app.client.set_status(&boss, ticket.id, Status::Closed).await.unwrap();
    let view = app.client.ticket_view(&boss, ticket.id).await.unwrap();
    let until = view.undo_close_until.expect("staff are offered the undo");
    assert_eq!(until, closed.closed_at.unwrap().checked_add(domain::UNDO_CLOSE_WINDOW).unwrap());
    // Campus users cannot see a closed ticket, let alone reopen it.
    let problem = problem_of(app.client.undo_close(&user(), ticket.id).await.unwrap_err(), 403);
    assert!(problem.detail.contains("staff"), "{}", problem.detail);

    let undone = app.client.undo_close(&staff("Bo"), ticket.id).await.unwrap();
    assert_eq!((undone.status, undone.closed_at), (Status::Active, None));
    assert!(undone.updated_at >= closed.updated_at);
    assert_eq!(undone.version, closed.version, "an undo, like a transition, keeps the version");
    let again = app.client.get_ticket(&user(), ticket.id).await.unwrap();
    assert_eq!(again.status, Status::Active, "campus users see the ticket again");
    let view = app.client.ticket_view(&boss, ticket.id).await.unwrap();
    assert_eq!(view.undo_close_until, None);
    assert_eq!(view.transitions, vec![Status::Closed], "it can be closed again");

    let problem = problem_of(app.client.undo_close(&boss, ticket.id).await.unwrap_err(), 409);
    assert_eq!(problem.field.as_deref(), Some("status"));
    assert!(problem.detail.contains("not closed"), "a second undo says why: {}", problem.detail);
    problem_of(app.client.undo_close(&boss, 4242).await.unwrap_err(), 404);

    let events = app.client.list_events(&boss, ticket.id).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.kind, EventKind::StatusChanged);
    assert_eq!((last.from.as_deref(), last.to.as_deref()), (Some("closed"), Some("active")));
    assert_eq!(last.actor_name.as_deref(), Some("Bo"), "the log says who undid it");
}

#[tokio::test]
async fn an_undo_after_the_window_is_refused_and_the_ticket_stays_closed() {
    let app = spawn_app_with_undo_window(jiff::SignedDuration::ZERO).await;
    let boss = staff("Ana");
    let ticket = app.create_in(Status::Active, "Heating off in the library").await;
    app.client.set_status(&boss, ticket.id, Status::Closed).await.unwrap();
    assert_eq!(app.client.ticket_view(&boss, ticket.id).await.unwrap().undo_close_until, None);
    let problem = problem_of(app.client.undo_close(&boss, ticket.id).await.unwrap_err(), 409);
    assert!(problem.detail.contains("stays closed"), "{}", problem.detail);
    assert_eq!(app.client.get_ticket(&boss, ticket.id).await.unwrap().status, Status::Closed);
}

#[tokio::test]
async fn role_and_name_headers_are_checked() {
    let app = spawn_app().await;
    let body = CreateTicketRequest {
        title: "Bin".into(),
        description: "Bin overflowing".into(),
        reporter_email: None,
    };
    for (header, value) in [
        (api::ROLE_HEADER, "admin"),
        (api::ROLE_HEADER, ""),
        (api::NAME_HEADER, "%FF%FE"),
        (api::NAME_HEADER, &"x".repeat(61)),
    ] {
        let response =
            app.request(Method::POST, "/tickets").header(header, value).json(&body).send().await.unwrap();
        let problem = expect_problem(response, 400).await;
        assert!(
            problem.detail.contains("X-Campusdesk") || problem.detail.contains("x-campusdesk"),
            "{problem:?}"
        );
    }
    let response =
        app.request(Method::GET, "/tickets").header(api::ROLE_HEADER, "Staff").send().await.unwrap();
    assert_eq!(response.status(), 200, "roles are case-insensitive");
}
