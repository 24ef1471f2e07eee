//! The accept loop every service runs on: hyper's HTTP/1.1 connections with a cap on how many
//! are open, a header-read timeout, an idle keep-alive timeout and graceful shutdown.
//!
//! Each connection has a watchdog that knows whether a request is being answered (from the
//! moment its head was read until its response body was sent) and when the last byte arrived:
//! between requests, the first byte of the next head starts the header-read clock and silence
//! runs the idle clock; while a request is answered (a slow import, a live stream) neither
//! runs, but a request body that stalls longer than the header-read timeout fails its request.
//! A connection whose clock runs out is closed.

use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::time::Instant;
use tower::ServiceExt as _;
use tower_http::timeout::TimeoutBody;

/// The connection rules of one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections open at once; when all are taken, new ones wait in the listen queue until
    /// one closes. Keep it below the process's open-file limit (`ulimit -n`).
    pub max_connections: usize,
    /// Time a client has to send a request's head (request line and headers) in full,
    /// counted from its first byte (or, on a new connection, from when it was accepted). Also
    /// the longest pause allowed between two pieces of a request body: a body that stalls
    /// longer fails its request (the handler sees a body error and answers 400).
    pub header_read_timeout: Duration,
    /// Time a connection may sit with no request being answered and no byte arriving before
    /// it is closed (keep-alive between requests, or a connection that never sends).
    pub idle_timeout: Duration,
}

impl Default for ConnectionLimits {
    /// 1,024 connections, 20 seconds to send a head, 60 seconds idle.
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// Serves `app` on `listener` under `limits` until `shutdown` completes; then stops accepting,
/// closes idle connections, lets requests in flight finish (a live stream must end by itself,
/// e.g. on the service's own stop signal) and returns once every connection has closed.
///
/// Handlers see the peer's address as `ConnectInfo<SocketAddr>` (and through
/// [`crate::ClientAddr`]). An accept error (e.g. out of file descriptors) is logged and
/// retried after a short pause; it does not end the loop.
///
/// Errors: none today; the `io::Result` keeps room for listener failures that should end it.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let permits = Arc::new(Semaphore::new(max));
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(err) => {
                tracing::error!(error = %err, "accepting a connection failed; retrying in a moment");
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(Duration::from_millis(200)) => continue,
                }
            }
        };
        let app = app.clone();
        let stopping = stopping.clone();
        tokio::spawn(async move {
            serve_connection(stream, peer, app, limits, stopping).await;
            drop(permit);
        });
    }
    drop(listener);
    stop.send_replace(true);
    // Every connection holds a permit until it has closed.
    let _all = permits.acquire_many(max as u32).await;
    Ok(())
}

/// Serves one connection until it closes, its watchdog expires, or (after a stop) its last
/// request has been answered.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let watchdog = Arc::new(Watchdog::new());
    let io = TokioIo::new(Watched { inner: stream, watchdog: Arc::clone(&watchdog), refusal: None });
    let on_request = Arc::clone(&watchdog);
    let service = app
        .map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            // A body that stalls (no byte for the header-read timeout) fails the request: a
            // client dripping an upload cannot hold the connection, and the handler's slot,
            // for ever.
            request.map(|body| TimeoutBody::new(limits.header_read_timeout, body))
        })
        .map_response(move |response: Response<Body>| {
            let answering = Answering(Arc::clone(&on_request));
            response.map(|body| Tracked { body, _answering: answering })
        });
    // hyper calls the service once a head has been read: from then until the response body
    // has been sent (`Answering` dropped with it) the request is being answered.
    let on_call = Arc::clone(&watchdog);
    let service = tower::service_fn(move |request: Request<Incoming>| {
        on_call.head_read();
        service.clone().oneshot(request)
    });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(io, TowerToHyperService::new(service));
    let mut connection = pin!(connection);
    let expired = watchdog.expired(limits);
    let mut expired = pin!(expired);
    let mut closing = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(%peer, error = %err, "connection ended with an error");
                }
                return;
            }
            reason = &mut expired => {
                tracing::debug!(%peer, reason, "closing the connection");
                return;
            }
            _ = stopping.wait_for(|stop| *stop), if !closing => {
                connection.as_mut().graceful_shutdown();
                closing = true;
            }
        }
    }
}

/// What a connection's watchdog knows.
#[derive(Debug)]
struct Watchdog {
    state: Mutex<State>,
    changed: Notify,
}

#[derive(Debug)]
struct State {
    /// Requests whose head was read and whose response body is not sent yet.
    answering: usize,
    /// Between requests: when the first byte of the next head arrived.
    head_started: Option<Instant>,
    /// Between requests: since when.
    idle_since: Instant,
    /// Whether the connection has seen a request yet.
    fresh: bool,
}

impl Watchdog {
    fn new() -> Self {
        Watchdog {
            state: Mutex::new(State {
                answering: 0,
                head_started: None,
                idle_since: Instant::now(),
                fresh: true,
            }),
            changed: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Bytes arrived from the client.
    fn bytes_read(&self) {
        let mut state = self.lock();
        if state.answering == 0 && state.head_started.is_none() {
            state.head_started = Some(Instant::now());
            drop(state);
            self.changed.notify_one();
        }
    }

    /// A request's head was read in full: it is being answered.
    fn head_read(&self) {
        let mut state = self.lock();
        state.answering += 1;
        state.head_started = None;
        state.fresh = false;
        drop(state);
        self.changed.notify_one();
    }

    /// Whether no request of this connection has reached the service yet.
    fn is_fresh(&self) -> bool {
        self.lock().fresh
    }

    /// A response body was sent (or dropped).
    fn answered(&self) {
        let mut state = self.lock();
        state.answering = state.answering.saturating_sub(1);
        state.idle_since = Instant::now();
        drop(state);
        self.changed.notify_one();
    }

    /// Completes when a clock runs out, with the reason for the log.
    async fn expired(&self, limits: ConnectionLimits) -> &'static str {
        loop {
            let changed = self.changed.notified();
            let deadline = {
                let state = self.lock();
                if state.answering > 0 {
                    None
                } else if let Some(started) = state.head_started {
                    Some((started + limits.header_read_timeout, "the request head took too long"))
                } else if state.fresh {
                    // A new connection that sends nothing gets the header-read time, not more.
                    let wait = limits.header_read_timeout.min(limits.idle_timeout);
                    Some((state.idle_since + wait, "no request arrived"))
                } else {
                    Some((state.idle_since + limits.idle_timeout, "idle keep-alive"))
                }
            };
            match deadline {
                None => changed.await,
                Some((deadline, reason)) => {
                    tokio::select! {
                        () = changed => {}
                        () = tokio::time::sleep_until(deadline) => return reason,
                    }
                }
            }
        }
    }
}

/// A request counted by [`Watchdog::head_read`]; dropped with its response body, it ends the
/// count.
#[derive(Debug)]
struct Answering(Arc<Watchdog>);

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.answered();
    }
}

/// A response body that tells the watchdog when it has been sent (hyper drops it then).
struct Tracked {
    body: Body,
    _answering: Answering,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The TCP stream, telling the watchdog when bytes arrive, and putting a problem body into
/// hyper's own refusals.
struct Watched {
    inner: TcpStream,
    watchdog: Arc<Watchdog>,
    /// The answer being written instead of hyper's bare refusal, and how much of it is written.
    refusal: Option<(Vec<u8>, usize)>,
}

/// The answer sent instead of hyper's own refusal of a request it could not read (hyper
/// answers those itself, with an empty body, before any service code runs): the same status,
/// an RFC 9457 problem body with a sentence, and `Connection: close` (hyper closes it).
///
/// `written` is what hyper wrote: it starts with a status line such as `HTTP/1.1 431 ...`.
fn refusal_for(written: &[u8]) -> Vec<u8> {
    let status = written.get(9..12).and_then(|code| std::str::from_utf8(code).ok()).unwrap_or("400");
    let (status, title, detail) = match status {
        "431" => (
            431,
            "Request Header Fields Too Large",
            "The request's headers are too large or too many (at most 100 headers), so it was not read. Nothing was done.",
        ),
        "414" => {
            (414, "URI Too Long", "The request's address is too long, so it was not read. Nothing was done.")
        }
        "505" => (
            505,
            "HTTP Version Not Supported",
            "The request uses an HTTP version this service does not speak; use HTTP/1.1. Nothing was done.",
        ),
        _ => (
            400,
            "Bad Request",
            "The request could not be read: its request line or a header is malformed (for example a control \
             character in a header value). Nothing was done.",
        ),
    };
    let body = format!(r#"{{"type":"about:blank","title":"{title}","status":{status},"detail":"{detail}"}}"#);
    format!(
        "HTTP/1.1 {status} {title}\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

impl Watched {
    /// Whether `data`, about to be written, is hyper's own refusal: a status line written on a
    /// connection none of whose requests reached the service (after the first one has, the
    /// bytes of an answer are the service's, and are passed on untouched).
    fn is_refusal(&self, data: &[u8]) -> bool {
        (data.starts_with(b"HTTP/1.1 ") || data.starts_with(b"HTTP/1.0 ")) && self.watchdog.is_fresh()
    }

    /// Writes what is left of the replacement refusal; ready once all of it is written.
    fn poll_refusal(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some((bytes, written)) = &mut self.refusal else { return Poll::Ready(Ok(())) };
        while *written < bytes.len() {
            match Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *written += n,
                Poll::Ready(Err(err)) => return Poll::Ready(Err(err)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.watchdog.bytes_read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        if self.refusal.is_none() && self.is_refusal(data) {
            self.refusal = Some((refusal_for(data), 0));
        }
        if self.refusal.is_some() {
            // hyper's bytes are taken as written; ours go out instead (hyper closes afterwards).
            return self.poll_refusal(cx).map_ok(|()| data.len());
        }
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let first = bufs.iter().find(|b| !b.is_empty()).map_or(&[][..], |b| &b[..]);
        if self.refusal.is_none() && self.is_refusal(first) {
            self.refusal = Some((refusal_for(first), 0));
        }
        if self.refusal.is_some() {
            let total = bufs.iter().map(|b| b.len()).sum();
            return self.poll_refusal(cx).map_ok(|()| total);
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_refusal(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_refusal(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
