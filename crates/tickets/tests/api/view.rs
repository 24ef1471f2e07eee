//! The ticket page in one call (`GET /tickets/{id}/view`) and confirming a category
//! (`POST /tickets/{id}/category/confirm`): what the ticket service decides so the UI only
//! renders.

use domain::{CategorySource, EventKind, Status};

use reqwest::Method;

use crate::helpers::{expect_problem, problem_of, spawn_app, staff, user};

#[tokio::test]
async fn the_view_holds_the_ticket_its_thread_its_events_and_the_next_moves() {
    let app = spawn_app().await;
    let ticket = app.create("Wifi down in the library", "Eduroam drops every few minutes on floor 2.").await;
    assert!(!ticket.category_terms.is_empty(), "the deciding words are kept at creation: {ticket:?}");
    app.client.post_message(&user(), ticket.id, "Still down this morning.").await.unwrap();

    let view = app.client.ticket_view(&staff("Ana"), ticket.id).await.unwrap();
    assert_eq!(view.ticket.message_count, 1);
    assert_eq!(view.ticket.category_terms, ticket.category_terms, "the stored words, not new ones");
    assert_eq!(view.messages.len(), 1);
    assert_eq!(view.messages[0].body, "Still down this morning.");
    let kinds: Vec<EventKind> = view.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Created, EventKind::MessagePosted]);
    assert_eq!(view.transitions, [Status::Active], "staff may start work on an open ticket");
    assert!(view.can_confirm_category, "an automatic category may be confirmed");

    let as_user = app.client.ticket_view(&user(), ticket.id).await.unwrap();
    assert!(as_user.transitions.is_empty(), "campus users move no ticket");
    assert!(!as_user.can_confirm_category);
    assert_eq!(as_user.ticket, view.ticket);

    let closed = app.create_in(Status::Closed, "Old problem").await;
    let view = app.client.ticket_view(&staff("Ana"), closed.id).await.unwrap();
    assert!(view.transitions.is_empty(), "closing is final");
    let err = app.client.ticket_view(&user(), closed.id).await.unwrap_err();
    problem_of(err, 404);
    problem_of(app.client.ticket_view(&user(), 999_999).await.unwrap_err(), 404);

    let response =
        app.request(Method::GET, &format!("/tickets/{}/view?events=no", ticket.id)).send().await.unwrap();
    let problem = expect_problem(response, 400).await;
    assert_eq!(problem.field.as_deref(), Some("events"), "an unknown parameter is refused by name");
}

#[tokio::test]
async fn an_uncertain_category_needs_checking_until_staff_confirm_it() {
    let app = spawn_app().await;
    // Words the classifier has never seen: it is not sure.
    let ticket = app.create("Zorbl quandix", "Vemtrup glorfin asktel brumwick.").await;
    assert!(ticket.needs_check, "{ticket:?}");

    let err = app.client.confirm_category(&user(), ticket.id, ticket.version).await.unwrap_err();
    assert!(problem_of(err, 403).detail.contains("staff"));
    let err = app.client.confirm_category(&staff("Ana"), ticket.id, ticket.version + 1).await.unwrap_err();
    problem_of(err, 409);

    let confirmed = app.client.confirm_category(&staff("Ana"), ticket.id, ticket.version).await.unwrap();
    assert_eq!(confirmed.category, ticket.category, "confirming keeps the category");
    assert_eq!(confirmed.category_source, CategorySource::Staff);
    assert_eq!(confirmed.category_confidence, 1.0);
    assert!(!confirmed.needs_check);
    assert!(confirmed.category_terms.is_empty(), "staff, not words, decided it now");
    assert_eq!(confirmed.version, ticket.version + 1);

    let view = app.client.ticket_view(&staff("Ana"), ticket.id).await.unwrap();
    assert!(!view.can_confirm_category, "nothing left to confirm");
    let last = view.events.last().unwrap();
    assert_eq!(last.kind, EventKind::CategoryChanged);
    assert_eq!(last.from, last.to, "a confirmation: from and to the same category");
    let status = app.client.classifier_status().await.unwrap();
    assert_eq!(status.corrections, 0, "a confirmation is no correction: the classifier was right");

    // Confirming again changes nothing.
    let again = app.client.confirm_category(&staff("Ana"), ticket.id, confirmed.version).await.unwrap();
    assert_eq!(again, confirmed);
}
