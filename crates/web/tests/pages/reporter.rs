//! The reporter's side over HTTP, as a browser without JavaScript sees it: the private link
//! from the report, the private page with and without a role, replies and their refusals, the
//! closed outcome, and "Go to ticket #".

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};

use crate::helpers::{cookie_value, spawn_app};

#[tokio::test]
async fn the_private_page_follows_the_ticket_to_its_outcome_for_whoever_holds_the_link() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let body = serde_urlencoded::to_string([
        ("title", "Heating in room B204 is off"),
        ("description", "The radiators are cold."),
        ("csrf", app.csrf.as_str()),
    ])
    .expect("encode the form");
    let response = app
        .http()
        .post(format!("{}/tickets", app.web))
        .header(COOKIE, &app.cookies)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("POST /tickets");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION].to_str().expect("a Location").to_owned();
    let id: i64 = location.trim_start_matches("/tickets/").parse().expect("a ticket number");
    let reported = cookie_value(&response, "campusdesk_reported").expect("the browser remembers the report");
    let (remembered_id, token) = reported.split_once('~').expect("id~token");
    assert_eq!(remembered_id, id.to_string());
    let token = token.to_owned();
    let with_memory = format!("{}; campusdesk_reported={reported}", app.cookies);
    app.cookies = with_memory.clone();
    let flash = cookie_value(&response, "campusdesk_created").expect("the one-time thank-you");
    app.cookies = format!("{with_memory}; campusdesk_created={flash}");
    let thanks = app.get(&location).await;
    app.cookies = with_memory.clone();
    assert!(thanks.html.contains(&format!("readonly value=\"{}/r/{token}\"", app.web)), "{}", thanks.html);
    let list = app.get("/tickets").await;
    assert!(list.html.contains("Reported from this browser"));
    assert!(list.html.contains(&format!("href=\"/r/{token}\">Heating in room B204 is off</a>")));

    // Another device: no role, no memory; only the CSRF cookie a first visit gets.
    let private = format!("/r/{token}");
    let user_cookies = std::mem::replace(&mut app.cookies, format!("campusdesk_csrf={}", app.csrf));
    let page = app.get(&private).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Heating in room B204 is off") && page.html.contains("Open"));
    assert!(page.html.contains(&format!("action=\"{private}/messages\"")));
    assert!(page.html.contains(&format!("name=\"csrf\" value=\"{}\"", app.csrf)));

    // A blank reply comes back with a sentence; a real one is posted.
    let refused = app.post(&format!("{private}/messages"), &[("body", "   ")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("must not be empty"), "{}", refused.html);
    let posted = app.follow(app.post(&format!("{private}/messages"), &[("body", "Still cold.")]).await).await;
    assert!(posted.html.contains("Your reply is posted") && posted.html.contains("Still cold."));

    // Staff close it: other users lose it, the link shows the outcome and takes no reply.
    app.enter("staff", "Sam").await;
    for to in ["active", "closed"] {
        let moved = app.post(&format!("/tickets/{id}/status"), &[("to", to)]).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.html);
    }
    app.cookies = format!("campusdesk_csrf={}", app.csrf);
    let page = app.get(&private).await;
    assert!(page.html.contains("This ticket is closed"), "{}", page.html);
    assert!(page.html.contains("Still cold.") && !page.html.contains("<textarea"));
    let late = app.post(&format!("{private}/messages"), &[("body", "Hello?")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.html.contains("is closed, so it takes no more messages"), "{}", late.html);

    // "Go to ticket #": the reporter's browser is led to the private page; another user is told.
    app.cookies = user_cookies;
    let go = app.get(&format!("/tickets?go=%23{id}")).await;
    assert_eq!((go.status, go.location.as_deref()), (StatusCode::SEE_OTHER, Some(private.as_str())));
    app.enter("user", "Cy").await;
    let go = app.get(&format!("/tickets?go={id}")).await;
    assert_eq!(go.status, StatusCode::NOT_FOUND);
    assert!(go.html.contains(&format!("Ticket #{id} was not found, or it is closed.")), "{}", go.html);
    let go = app.get("/tickets?go=heating").await;
    assert_eq!(go.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(go.html.contains("Type a ticket number, such as 334 or #334."));

    let unknown = app.get("/r/AAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.html.contains("There is no ticket at this private link."));
}
