//! Streams and rates of the web UI: live pages share one upstream change stream, and role changes over
//! the session rate limit bring the entry page back with a sentence.

use futures::StreamExt;
use reqwest::StatusCode;
use reqwest::header::COOKIE;

use crate::helpers::{spawn_app_with, wait_until};

#[tokio::test]
async fn open_live_pages_share_one_upstream_change_stream() {
    // The ticket service lets 127.0.0.1 hold two change streams: the analytics service's and
    // ONE for the web UI. A web UI opening a stream per page would be refused from the second.
    let limits = stack::Limits {
        change_streams: stack::StreamLimits { per_client: 2, total: 2 },
        ..stack::Limits::default()
    };
    let mut app = spawn_app_with(limits).await;
    app.enter("staff", "").await;
    let mut pages = Vec::new();
    for _ in 0..5 {
        let response = app
            .http()
            .get(format!("{}/live", app.web))
            .header(COOKIE, &app.cookies)
            .send()
            .await
            .expect("GET /live");
        assert_eq!(response.status(), StatusCode::OK);
        pages.push(response.bytes_stream());
    }
    let id = app.report("Projector dead", "Room A1 projector shows nothing.").await;
    let expected = format!("\"ticket\":{id}");
    for stream in &mut pages {
        let mut seen = String::new();
        while !seen.contains(&expected) {
            let chunk = stream.next().await.expect("the stream stays open").expect("a chunk");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[tokio::test]
async fn too_many_role_changes_bring_the_entry_page_back_with_a_sentence() {
    let limits =
        stack::Limits { sessions: stack::RateQuota { per_minute: 60, burst: 1 }, ..stack::Limits::default() };
    let app = spawn_app_with(limits).await;
    let first = app.post("/session", &[("role", "user"), ("name", "")]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let refused = app.post("/session", &[("role", "staff"), ("name", "Ana")]).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.html.contains("Your role was changed too often"), "{}", refused.html);
    assert!(refused.html.contains("value=\"Ana\""), "the typed name is kept");
    wait_until("role changes are accepted again", || async {
        app.post("/session", &[("role", "staff"), ("name", "Ana")]).await.status == StatusCode::SEE_OTHER
    })
    .await;
}
