//! A ticket's message thread.

use domain::{Role, Status};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{expect_problem, problem_of, spawn_app, staff, user};

#[tokio::test]
async fn messages_carry_the_declared_role_and_name_oldest_first() {
    let app = spawn_app().await;
    let ticket = app.create("Lift", "The lift in building B is stuck.").await;
    let first = app.client.post_message(&user(), ticket.id, "It is on floor 3.").await.unwrap();
    assert_eq!((first.author_role, first.author_name.as_deref()), (Role::User, None));
    let response = app
        .request(Method::POST, &format!("/tickets/{}/messages", ticket.id))
        .header(api::ROLE_HEADER, "staff")
        .header(api::NAME_HEADER, utf8_percent_encode("Zoë Müller", NON_ALPHANUMERIC).to_string())
        .json(&json!({"body": "  A technician is on the way.  "}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let second: domain::Message = response.json().await.unwrap();
    assert_eq!(second.author_role, Role::Staff);
    assert_eq!(second.author_name.as_deref(), Some("Zoë Müller"));
    assert_eq!(second.body, "A technician is on the way.");
    assert_eq!(second.ticket_id, ticket.id);

    let thread = app.client.list_messages(&user(), ticket.id).await.unwrap();
    assert_eq!(thread, vec![first, second]);
    let ticket = app.client.get_ticket(&user(), ticket.id).await.unwrap();
    assert_eq!((ticket.message_count, ticket.version), (2, 1), "messages do not bump the version");
}

#[tokio::test]
async fn empty_messages_and_missing_tickets_are_refused() {
    let app = spawn_app().await;
    let ticket = app.create("Lift", "The lift in building B is stuck.").await;
    let problem = problem_of(app.client.post_message(&user(), ticket.id, " \n ").await.unwrap_err(), 422);
    assert_eq!(problem.field.as_deref(), Some("body"));
    problem_of(app.client.post_message(&user(), 777, "hello").await.unwrap_err(), 404);
    problem_of(app.client.list_messages(&user(), 777).await.unwrap_err(), 404);
    let response = app
        .request(Method::POST, &format!("/tickets/{}/messages", ticket.id))
        .json(&json!({"text": "wrong field"}))
        .send()
        .await
        .unwrap();
    expect_problem(response, 422).await;
    assert!(app.client.list_messages(&user(), ticket.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn users_cannot_read_or_write_the_thread_of_a_closed_ticket() {
    let app = spawn_app().await;
    let closed = app.create_in(Status::Closed, "Old problem").await;
    problem_of(app.client.list_messages(&user(), closed.id).await.unwrap_err(), 404);
    problem_of(app.client.post_message(&user(), closed.id, "Still broken").await.unwrap_err(), 404);
    let note = app.client.post_message(&staff("Ana"), closed.id, "Closing note").await.unwrap();
    assert_eq!(app.client.list_messages(&staff("Ana"), closed.id).await.unwrap(), vec![note]);
}
