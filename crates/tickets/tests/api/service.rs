//! Service-wide behaviour: health, classification, unknown routes and methods, store URLs.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{expect_problem, problem_of, spawn_app};

#[tokio::test]
async fn health_answers_ok() {
    let app = spawn_app().await;
    let response = app.request(Method::GET, "//healthz").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap(), json!({"status": "ok"}));
}

#[tokio::test]
async fn classify_suggests_a_category_without_creating_anything() {
    let app = spawn_app().await;
    let answer = app.client.classify("The projector in lecture hall 3 does not turn on").await.unwrap();
    assert!((0.0..=1.0).contains(&answer.confidence));
    let problem = problem_of(app.client.classify("   ").await.unwrap_err(), 422);
    assert_eq!(problem.field.as_deref(), Some("text"));
    assert!(app.client.changes(0, 10).await.unwrap().changes.is_empty());
}

#[tokio::test]
async fn unknown_paths_and_methods_get_problems() {
    let app = spawn_app().await;
    expect_problem(app.request(Method::GET, "/nothing-here").send().await.unwrap(), 404).await;
    expect_problem(app.request(Method::GET, "//favicon.ico").send().await.unwrap(), 404).await;
    let response = app.request(Method::DELETE, "/tickets/1").send().await.unwrap();
    let allow = response.headers().get("allow").map(|v| v.to_str().unwrap().to_owned());
    expect_problem(response, 405).await;
    assert!(allow.is_some_and(|a| a.contains("PATCH")));
    expect_problem(app.request(Method::PUT, "/changes").send().await.unwrap(), 405).await;
    expect_problem(app.request(Method::POST, "//healthz").send().await.unwrap(), 405).await;
}

#[tokio::test]
async fn store_urls_name_the_supported_schemes() {
    let err = tickets::open_store("mysql://user:secret@localhost/db").await.err().unwrap();
    let message = format!("{err:#}");
    assert!(message.contains("sqlite://") && message.contains("postgres://"), "{message}");
    // A PostgreSQL server that is not there: a clear error that does not repeat the password.
    let err = tickets::open_store("postgres://user:secret@127.0.0.1:1/db").await.err().unwrap();
    let message = format!("{err:#}");
    assert!(message.contains("PostgreSQL") && !message.contains("secret"), "{message}");
}

#[tokio::test]
async fn shutdown_ends_live_streams_and_returns() {
    use futures::StreamExt;
    let app = spawn_app().await;
    app.create("Lift", "Stuck again.").await;
    let mut stream = Box::pin(app.client.change_stream(0).await.unwrap());
    let wait = std::time::Duration::from_secs(20);
    tokio::time::timeout(wait, stream.next()).await.unwrap().unwrap().unwrap();
    let stopping = tokio::spawn(app.stop());
    let end = tokio::time::timeout(wait, stream.next()).await.expect("the stream ends on shutdown");
    assert!(end.is_none_or(|item| item.is_err()), "no more changes after shutdown");
    tokio::time::timeout(wait, stopping).await.expect("serve returns").unwrap().unwrap();
}

#[tokio::test]
async fn answers_are_compressed_when_asked_but_the_change_stream_is_not() {
    let app = spawn_app().await;
    app.create("Lift stuck", "The lift in building B stops between floors.").await;
    for encoding in ["gzip", "br"] {
        let response =
            app.request(Method::GET, "/tickets").header("accept-encoding", encoding).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-encoding"],
            encoding,
            "the list is compressed with {encoding}"
        );
    }
    let plain = app.request(Method::GET, "/tickets").send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none(), "nothing asked, nothing compressed");
    let stream =
        app.request(Method::GET, "/changes/stream").header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(stream.status(), 200);
    assert!(stream.headers().get("content-encoding").is_none(), "server-sent events flow uncompressed");
}

#[tokio::test]
async fn text_of_only_invisible_characters_is_refused_as_blank() {
    let app = spawn_app().await;
    // Zero-width space, zero-width joiner, byte order mark, word joiner: nothing to read.
    let invisible = "\u{200B}\u{200D} \u{FEFF}\u{2060}";
    let response = app
        .request(Method::POST, "/tickets")
        .json(&json!({"title": "Lift stuck", "description": invisible}))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(response, 422).await;
    assert_eq!(problem.field.as_deref(), Some("description"));
    assert!(problem.detail.contains("must not be empty"), "{}", problem.detail);
    let ticket = app.create("Lift stuck", "Between floor 2 and 3.").await;
    let response = app
        .request(Method::POST, &format!("/tickets/{}/messages", ticket.id))
        .json(&json!({"body": "\u{200B}"}))
        .send()
        .await
        .unwrap();
    expect_problem(response, 422).await;
    assert!(app.client.list_messages(&crate::helpers::user(), ticket.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn every_refusal_of_our_code_is_a_problem() {
    let app = spawn_app().await;
    let ticket = app.create("Lift stuck", "Between floor 2 and 3.").await;
    let one = format!("/tickets/{}", ticket.id);
    let cases = [
        (
            "invalid UTF-8 in JSON",
            app.request(Method::POST, "/tickets")
                .header("content-type", "application/json")
                .body(b"{\"title\":\"a\xff\",\"description\":\"b\"}".to_vec()),
            400,
        ),
        (
            "too large",
            app.request(Method::POST, "/tickets")
                .header("content-type", "application/json")
                .body(vec![b' '; 70 * 1024]),
            413,
        ),
        (
            "not JSON",
            app.request(Method::POST, "/tickets").header("content-type", "text/plain").body("hi"),
            415,
        ),
        ("id not a number", app.request(Method::GET, "/tickets/abc"), 400),
        ("id not a number, messages", app.request(Method::GET, "/tickets/abc/messages"), 400),
        ("unknown query parameter", app.request(Method::GET, &format!("{one}?x=1")), 400),
        ("bad percent-encoding in the query", app.request(Method::GET, "/tickets?q=%FF"), 400),
        ("bad role header", app.request(Method::GET, &one).header("x-campusdesk-role", "admin"), 400),
        ("bad name header", app.request(Method::GET, &one).header("x-campusdesk-name", "%FF"), 400),
        ("unknown method", app.request(Method::OPTIONS, &one), 405),
        ("unknown path", app.request(Method::GET, "/tickets/1/nothing"), 404),
    ];
    for (what, request, status) in cases {
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{what}");
        let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(content_type.as_deref(), Some("application/problem+json"), "{what}");
        expect_problem(response, status).await;
    }
}
