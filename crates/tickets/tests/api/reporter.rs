//! The reporter's private link: the token only in the 201 of `POST /tickets`, the reporter's
//! view (closed tickets too), replies, and unknown tokens.

use api::CreateTicketRequest;
use domain::{Role, Status};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{expect_problem, problem_of, spawn_app, staff, user};

fn report(title: &str) -> CreateTicketRequest {
    CreateTicketRequest {
        title: title.into(),
        description: "The heating in room B204 is off.".into(),
        reporter_email: None,
    }
}

#[tokio::test]
async fn the_token_is_in_the_201_only_and_never_in_a_read() {
    let app = spawn_app().await;
    let response = app.request(Method::POST, "/tickets").json(&report("Heating off")).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let token = created["reporter_token"].as_str().expect("the 201 carries reporter_token").to_owned();
    assert_eq!(token.len(), 22, "128 bits in base64url: {token}");
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
    let id = created["id"].as_i64().expect("the ticket's fields are there too");
    assert_eq!(created["status"], "open");

    let other = app.client.report_ticket(&user(), &report("Wifi down")).await.unwrap();
    assert_ne!(other.reporter_token, token, "every ticket has its own token");

    app.client.post_message(&staff("Ana"), id, "A technician is on the way.").await.unwrap();
    for path in [
        format!("/tickets/{id}"),
        format!("/tickets/{id}/view"),
        format!("/tickets/{id}/messages"),
        format!("/tickets/{id}/events"),
        "/tickets".to_owned(),
        "/tickets?q=heating".to_owned(),
        "/changes".to_owned(),
    ] {
        for role in ["user", "staff"] {
            let response =
                app.request(Method::GET, &path).header(api::ROLE_HEADER, role).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            let body = response.text().await.unwrap();
            assert!(!body.contains(&token), "GET {path} as {role} shows the private token");
            assert!(!body.contains("reporter_token"), "GET {path} as {role} names the token");
        }
    }
}

#[tokio::test]
async fn the_reporter_follows_the_thread_replies_and_reads_the_closed_outcome() {
    let app = spawn_app().await;
    let created = app.client.report_ticket(&user(), &report("Heating off")).await.unwrap();
    let (id, token) = (created.ticket.id, created.reporter_token);
    let view = app.client.reporter_view(&token).await.unwrap();
    assert_eq!((view.ticket.id, view.ticket.status, view.can_reply), (id, Status::Open, true));
    assert!(view.messages.is_empty());

    app.client.post_message(&staff("Ana"), id, "Which radiator?").await.unwrap();
    // The reply is the reporter's, whatever role the caller declares; the name is kept.
    let response = app
        .request(Method::POST, &format!("/reporter/{token}/messages"))
        .header(api::ROLE_HEADER, "staff")
        .header(api::NAME_HEADER, "Ben")
        .json(&json!({"body": "The one under the window."}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let reply: domain::Message = response.json().await.unwrap();
    assert_eq!((reply.author_role, reply.author_name.as_deref()), (Role::User, Some("Ben")));
    assert_eq!(reply.ticket_id, id);

    let boss = staff("Ana");
    app.client.set_status(&boss, id, Status::Active).await.unwrap();
    app.client.post_message(&boss, id, "Fixed: the valve was stuck.").await.unwrap();
    app.client.set_status(&boss, id, Status::Closed).await.unwrap();
    let err = app.client.get_ticket(&user(), id).await.unwrap_err();
    problem_of(err, 404);

    let view = app.client.reporter_view(&token).await.unwrap();
    assert_eq!(view.ticket.status, Status::Closed, "the reporter sees the closed ticket");
    assert!(view.ticket.closed_at.is_some());
    assert!(!view.can_reply);
    let bodies: Vec<&str> = view.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["Which radiator?", "The one under the window.", "Fixed: the valve was stuck."]);

    let err = app.client.reporter_reply(&user(), &token, "Thanks!").await.unwrap_err();
    let problem = problem_of(err, 409);
    assert!(problem.detail.contains("closed"), "{problem:?}");
    assert_eq!(app.client.reporter_view(&token).await.unwrap().messages.len(), 3, "nothing was added");
}

#[tokio::test]
async fn an_unknown_token_is_a_404_that_says_nothing_more() {
    let app = spawn_app().await;
    let created = app.client.report_ticket(&user(), &report("Heating off")).await.unwrap();
    let mut wrong = created.reporter_token.clone();
    wrong.replace_range(0..1, if wrong.starts_with('A') { "B" } else { "A" });
    let mut details = Vec::new();
    for token in [wrong.as_str(), "short", "AAAAAAAAAAAAAAAAAAAAA%2F", "..%2F..%2Ftickets"] {
        let problem = expect_problem(
            app.request(Method::GET, &format!("/reporter/{token}")).send().await.unwrap(),
            404,
        )
        .await;
        details.push(problem.detail);
        let response = app
            .request(Method::POST, &format!("/reporter/{token}/messages"))
            .json(&json!({"body": "hello"}))
            .send()
            .await
            .unwrap();
        details.push(expect_problem(response, 404).await.detail);
    }
    assert!(details.windows(2).all(|w| w[0] == w[1]), "one sentence for every unknown link: {details:?}");
    assert!(details[0].contains("private link"), "{}", details[0]);
    assert!(app.client.reporter_view(&created.reporter_token).await.is_ok());
}

#[tokio::test]
async fn lookup_answers_the_tickets_of_the_tokens_in_their_order() {
    let app = spawn_app().await;
    let first = app.client.report_ticket(&user(), &report("Heating off")).await.unwrap();
    let second = app.client.report_ticket(&user(), &report("Wifi down")).await.unwrap();
    let boss = staff("Ana");
    app.client.set_status(&boss, first.ticket.id, Status::Active).await.unwrap();
    app.client.set_status(&boss, first.ticket.id, Status::Closed).await.unwrap();
    let tokens =
        vec![second.reporter_token.clone(), "AAAAAAAAAAAAAAAAAAAAAA".into(), first.reporter_token.clone()];
    let found = app.client.reporter_lookup(&tokens).await.unwrap();
    let summary: Vec<(&str, i64, Status)> =
        found.iter().map(|f| (f.token.as_str(), f.ticket.id, f.ticket.status)).collect();
    assert_eq!(
        summary,
        [
            (second.reporter_token.as_str(), second.ticket.id, Status::Open),
            (first.reporter_token.as_str(), first.ticket.id, Status::Closed),
        ]
    );
    let many: Vec<String> = (0..101).map(|i| format!("{i:0>22}")).collect();
    let problem = problem_of(app.client.reporter_lookup(&many).await.unwrap_err(), 422);
    assert_eq!(problem.field.as_deref(), Some("tokens"));
}
