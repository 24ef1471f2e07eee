//! Limits per client address: the rate limit on writes answers 429 with `Retry-After` and
//! lets the client in again; addresses forwarded by a trusted proxy count apart, those from an
//! untrusted peer do not; change streams are capped per client; slow-loris connections are
//! closed while `/healthz` keeps answering.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, expect_problem, spawn_app_with};

/// Gives up waiting after this long, so a broken limiter fails instead of hanging.
const GIVE_UP: Duration = Duration::from_secs(60);

/// Limits with `writes` new tickets (and messages, and imports) at once, then one a second.
fn writes_in_a_row(burst: u32, trusted_proxies: &str) -> stack::Limits {
    stack::Limits {
        writes: stack::RateQuota { per_minute: 60, burst },
        trusted_proxies: trusted_proxies.parse().expect("a proxy list"),
        ..stack::Limits::default()
    }
}

/// `POST /tickets` as a user, claiming to be forwarded for `forwarded_for` when given.
async fn create(app: &TestApp, forwarded_for: Option<&str>) -> reqwest::Response {
    let mut request = app
        .request(Method::POST, "/tickets")
        .header("x-campusdesk-role", "user")
        .json(&json!({"title": "Wifi down", "description": "No eduroam in the library."}));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.expect("the ticket service answers")
}

/// Polls until `create` is accepted again (a wait-for, not a timed assertion).
async fn until_accepted(app: &TestApp, forwarded_for: Option<&str>) {
    tokio::time::timeout(GIVE_UP, async {
        loop {
            let response = create(app, forwarded_for).await;
            if response.status() == StatusCode::CREATED {
                return;
            }
            assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the client is let in again");
}

#[tokio::test]
async fn over_the_quota_creates_get_429_with_retry_after_and_the_client_recovers() {
    let app = spawn_app_with(writes_in_a_row(2, "127.0.0.0/8")).await;
    for _ in 0..2 {
        assert_eq!(create(&app, None).await.status(), StatusCode::CREATED);
    }
    let refused = create(&app, None).await;
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after >= 1, "Retry-After is whole seconds, at least 1");
    let problem = expect_problem(refused, 429).await;
    assert_eq!(problem.title, "Too many requests");
    assert!(problem.detail.contains("Too many new tickets from your address"), "{}", problem.detail);
    assert!(problem.detail.contains("Try again in"), "{}", problem.detail);
    // Messages count apart: the refused creates did not use up their quota.
    let ticket = app.client.list_tickets(&crate::helpers::user(), &Default::default()).await.unwrap();
    let id = ticket.items[0].id;
    let posted = app
        .request(Method::POST, &format!("/tickets/{id}/messages"))
        .header("x-campusdesk-role", "user")
        .json(&json!({"body": "Still down."}))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::CREATED);
    until_accepted(&app, None).await;
    let total = app.client.list_tickets(&crate::helpers::user(), &Default::default()).await.unwrap().total;
    assert_eq!(total, 3, "the refused request stored nothing");
}

#[tokio::test]
async fn the_typed_client_reports_a_rate_limit_with_its_sentence_and_wait() {
    let app = spawn_app_with(writes_in_a_row(1, "127.0.0.0/8")).await;
    app.create("Lift stuck", "Between floors two and three.").await;
    let request = api::CreateTicketRequest {
        title: "Lift stuck".into(),
        description: "Again.".into(),
        reporter_email: None,
    };
    let err = app.client.create_ticket(&crate::helpers::user(), &request).await.unwrap_err();
    match err {
        api::ClientError::RateLimited { problem, retry_after } => {
            assert_eq!(problem.status, StatusCode::TOO_MANY_REQUESTS);
            assert!(problem.detail.contains("Try again in"));
            assert!(retry_after.is_some_and(|s| s >= 1), "{retry_after:?}");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn clients_forwarded_by_a_trusted_proxy_are_limited_apart() {
    // The test talks from 127.0.0.1, a trusted proxy here, like the web UI in `campusdesk up`.
    let app = spawn_app_with(writes_in_a_row(1, "127.0.0.0/8,::1")).await;
    assert_eq!(create(&app, Some("198.51.100.1")).await.status(), StatusCode::CREATED);
    assert_eq!(create(&app, Some("198.51.100.1")).await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(create(&app, Some("198.51.100.2")).await.status(), StatusCode::CREATED);
    // A proxy chain: the nearest untrusted address counts, whatever the client claimed.
    let chained = create(&app, Some("203.0.113.7, 198.51.100.1")).await;
    assert_eq!(chained.status(), StatusCode::TOO_MANY_REQUESTS, "198.51.100.1 is still over");
}

#[tokio::test]
async fn an_untrusted_peer_cannot_dodge_the_limit_with_x_forwarded_for() {
    let app = spawn_app_with(writes_in_a_row(1, "")).await;
    assert_eq!(create(&app, Some("198.51.100.1")).await.status(), StatusCode::CREATED);
    let dodging = create(&app, Some("198.51.100.2")).await;
    assert_eq!(
        dodging.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the header is ignored: same peer, same bucket"
    );
}

#[tokio::test]
async fn change_streams_are_capped_per_client() {
    let limits = stack::Limits {
        change_streams: stack::StreamLimits { per_client: 1, total: 8 },
        ..stack::Limits::default()
    };
    let app = spawn_app_with(limits).await;
    let open = |app: &TestApp| {
        app.request(Method::GET, "/changes/stream").header("x-campusdesk-role", "staff").send()
    };
    let first = open(&app).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let second = open(&app).await.unwrap();
    assert!(second.headers().contains_key("retry-after"));
    let problem = expect_problem(second, 429).await;
    assert!(problem.detail.contains("already open from your address"), "{}", problem.detail);
    drop(first);
    tokio::time::timeout(GIVE_UP, async {
        loop {
            if open(&app).await.unwrap().status() == StatusCode::OK {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("a closed stream frees its slot");
}

#[tokio::test]
async fn slow_loris_connections_do_not_stop_healthz_and_are_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limits = stack::Limits {
        connections: stack::ConnectionLimits {
            max_connections: 32,
            header_read_timeout: Duration::from_millis(500),
            idle_timeout: Duration::from_secs(1),
        },
        ..stack::Limits::default()
    };
    let app = spawn_app_with(limits).await;
    let addr = app.base_url.trim_start_matches("http://").to_owned();
    // Three times the connection cap: half send half a request head and stop, half send nothing.
    let mut lorises = Vec::new();
    for n in 0..96 {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.expect("connect");
        if n % 2 == 0 {
            stream.write_all(b"POST /api/v1/tickets HTTP/1.1\r\nHost: campus\r\nX-Slow: ").await.unwrap();
        }
        lorises.push(stream);
    }
    let health = tokio::time::timeout(GIVE_UP, app.request(Method::GET, "//healthz").send())
        .await
        .expect("/healthz answered while the slow connections were open")
        .expect("/healthz answered");
    assert_eq!(health.status(), StatusCode::OK);
    for stream in &mut lorises {
        let mut buf = [0u8; 256];
        let read = tokio::time::timeout(GIVE_UP, stream.read(&mut buf)).await.expect("the server closed it");
        assert!(matches!(read, Ok(0) | Err(_)), "closed without an answer");
    }
}
