//! The connection loop against slow and idle clients: `/healthz` keeps answering while many
//! connections send half a request or nothing, and the server closes those connections.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use serving::ConnectionLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Far above what any step below needs: a broken server fails the test instead of hanging it.
const GIVE_UP: Duration = Duration::from_secs(60);

/// A service with only `/healthz`, on a random port, with tight limits.
async fn start(limits: ConnectionLimits) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/echo", axum::routing::post(|body: String| async move { body }));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serving::serve(listener, app, limits, async move {
        let _ = stopped.await;
    }));
    (addr.to_string(), stop)
}

/// Waits until the server closes `stream` (end of file or a reset), reading whatever it sends.
async fn closed_by_server(stream: &mut TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    tokio::time::timeout(GIVE_UP, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("the server closed the connection");
    seen
}

#[tokio::test]
async fn slow_loris_connections_do_not_stop_healthz_and_half_sent_requests_are_closed() {
    let limits = ConnectionLimits {
        max_connections: 16,
        header_read_timeout: Duration::from_millis(500),
        idle_timeout: Duration::from_secs(1),
    };
    let (addr, _stop) = start(limits).await;
    // Four times as many connections as the service takes: half send half a request head and
    // stop, half send nothing at all.
    let mut lorises = Vec::new();
    for n in 0..64 {
        let mut stream = TcpStream::connect(&addr).await.expect("connect");
        if n % 2 == 0 {
            stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: campus\r\nX-Slow: ").await.expect("write");
        }
        lorises.push(stream);
    }
    let health = tokio::time::timeout(GIVE_UP, reqwest::get(format!("http://{addr}/healthz")))
        .await
        .expect("/healthz answered while the slow connections were open")
        .expect("/healthz answered");
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.expect("body"), "ok");
    for stream in &mut lorises {
        let answer = closed_by_server(stream).await;
        assert!(
            answer.is_empty(),
            "a half-sent request gets no answer: {}",
            String::from_utf8_lossy(&answer)
        );
    }
}

#[tokio::test]
async fn a_request_body_that_stalls_fails_and_a_steady_one_is_read() {
    let limits = ConnectionLimits {
        max_connections: 4,
        header_read_timeout: Duration::from_millis(500),
        idle_timeout: Duration::from_secs(30),
    };
    let (addr, _stop) = start(limits).await;
    // Promises 100 bytes, sends 10 and stops: the request fails instead of waiting for ever.
    let mut dripping = TcpStream::connect(&addr).await.expect("connect");
    dripping
        .write_all(b"POST /echo HTTP/1.1\r\nHost: campus\r\nContent-Length: 100\r\n\r\n0123456789")
        .await
        .expect("write");
    let answer = closed_by_server(&mut dripping).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "a stalled body fails its request: {answer}");
    // A body that arrives in pieces, each within the limit, is read in full.
    let mut steady = TcpStream::connect(&addr).await.expect("connect");
    steady
        .write_all(
            b"POST /echo HTTP/1.1\r\nHost: campus\r\nContent-Length: 6\r\nConnection: close\r\n\r\nabc",
        )
        .await
        .expect("write");
    tokio::time::sleep(Duration::from_millis(100)).await;
    steady.write_all(b"def").await.expect("write");
    let answer = closed_by_server(&mut steady).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("abcdef"), "{answer}");
}

#[tokio::test]
async fn requests_hyper_cannot_read_get_a_problem_body_with_a_sentence() {
    let (addr, _stop) = start(ConnectionLimits::default()).await;
    let too_many_headers: String = (0..120).map(|n| format!("X-Header-{n}: {n}\r\n")).collect();
    for (request, status) in [
        ("GET /healthz HTTP/1.1\r\nHost: campus\r\nX-Bad: a\x01b\r\n\r\n".to_owned(), "400"),
        (format!("GET /healthz HTTP/1.1\r\nHost: campus\r\n{too_many_headers}\r\n"), "431"),
        ("NOT HTTP AT ALL\r\n\r\n".to_owned(), "400"),
    ] {
        let mut stream = TcpStream::connect(&addr).await.expect("connect");
        stream.write_all(request.as_bytes()).await.expect("write");
        let answer = closed_by_server(&mut stream).await;
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with(&format!("HTTP/1.1 {status} ")), "{answer}");
        assert!(answer.contains("content-type: application/problem+json"), "{answer}");
        let body = answer.split("\r\n\r\n").nth(1).expect("a body");
        let problem: serde_json::Value = serde_json::from_str(body).expect("a JSON problem");
        assert_eq!(problem["status"].to_string(), status);
        assert!(problem["detail"].as_str().expect("a sentence").ends_with("Nothing was done."));
    }
    // Once a connection's request has reached the service, its answers pass untouched.
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: campus\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let answer = closed_by_server(&mut stream).await;
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_answer() {
    let limits = ConnectionLimits {
        max_connections: 4,
        header_read_timeout: Duration::from_secs(30),
        idle_timeout: Duration::from_millis(300),
    };
    let (addr, _stop) = start(limits).await;
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: campus\r\n\r\n").await.expect("write");
    let answer = closed_by_server(&mut stream).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok"), "the whole answer came before the close: {answer}");
}

#[tokio::test]
async fn a_stop_closes_idle_connections_and_returns() {
    let limits = ConnectionLimits { max_connections: 4, ..ConnectionLimits::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let app = Router::new().route("/healthz", get(|| async { "ok" }));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serving::serve(listener, app, limits, async move {
        let _ = stopped.await;
    }));
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: campus\r\n\r\n").await.expect("write");
    let mut buf = [0u8; 256];
    let n = idle.read(&mut buf).await.expect("an answer");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    stop.send(()).expect("the server runs");
    tokio::time::timeout(GIVE_UP, server)
        .await
        .expect("serve returned")
        .expect("no panic")
        .expect("no error");
    closed_by_server(&mut idle).await;
}
