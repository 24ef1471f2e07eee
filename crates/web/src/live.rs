//! Live updates (`GET /live`): the ticket service's change feed, proxied as server-sent events
//! for `static/live.js`. Each event is `event: change`, `id: SEQ`, `data: {"seq":..,"ticket":ID}`
//! — only which ticket changed, never its content: the script re-fetches the page it shows, so
//! what a role may see is decided by the pages as usual.
//!
//! One web process holds ONE upstream change stream ([`Hub`]), whatever the number of open
//! pages: it starts with the first live page, follows the feed from its head (reconnecting
//! from the last `seq` it saw when the stream breaks), and fans each change out to every open
//! page over a broadcast channel. A page's stream starts after `Last-Event-ID` (sent by a
//! reconnecting browser), else `?after=SEQ`, else the current head of the feed; the changes
//! between that point and the hub's are read by cursor first. A page too slow to keep up, like
//! a page open when the server shuts down, sees its stream end; the browser then reconnects by
//! itself. Open pages are capped per client address and in total
//! ([`serving::Limits::live_pages`]).

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use api::TicketsClient;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Deserialize;
use serving::{ClientAddr, StreamLimits, StreamRefusal, StreamSlots};
use tokio::sync::{broadcast, watch};

use crate::AppState;
use crate::error::{TICKET_SERVICE, WebError};
use crate::extract::WebQuery;
use crate::session::Session;

/// Page size used to walk to the head of the change feed and to catch a page up.
const HEAD_PAGE: u32 = 500;
/// At most this many pages of changes are read to catch a page up; further behind, it starts
/// from where the shared stream is (the script reloads what it shows on the next change).
const CATCH_UP_PAGES: usize = 4;
/// Changes a page may fall behind the shared stream before its own stream is ended.
const FAN_OUT_BUFFER: usize = 256;
/// Pause before the shared stream reconnects after it broke.
const RECONNECT: Duration = Duration::from_secs(1);

/// One change as the pages get it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LiveChange {
    seq: i64,
    ticket: i64,
}

/// The one upstream change stream of this web process and the pages listening to it.
#[derive(Debug)]
pub(crate) struct Hub {
    tickets: TicketsClient,
    changes: broadcast::Sender<LiveChange>,
    started: AtomicBool,
    /// The highest change-feed `seq` this process has seen (0 = none yet); lets a page find
    /// the head of the feed without reading it from the start each time.
    seq_hint: AtomicI64,
    stopping: watch::Receiver<bool>,
    pages: StreamSlots,
}

impl Hub {
    /// A hub reading from `tickets`; it connects when the first page subscribes and ends when
    /// `stopping` turns `true`.
    pub(crate) fn new(tickets: TicketsClient, stopping: watch::Receiver<bool>, pages: StreamLimits) -> Self {
        Hub {
            tickets,
            changes: broadcast::channel(FAN_OUT_BUFFER).0,
            started: AtomicBool::new(false),
            seq_hint: AtomicI64::new(0),
            stopping,
            pages: StreamSlots::new(pages),
        }
    }

    /// The changes the shared stream sees from now on; starts the shared stream the first time.
    fn subscribe(self: &Arc<Self>) -> broadcast::Receiver<LiveChange> {
        let receiver = self.changes.subscribe();
        if !self.started.swap(true, Ordering::AcqRel) {
            tokio::spawn(Arc::clone(self).follow());
        }
        receiver
    }

    /// The shared stream: from the head of the feed, reconnecting from the last `seq` seen,
    /// until the server stops.
    async fn follow(self: Arc<Self>) {
        let mut stopping = self.stopping.clone();
        let mut after = None;
        loop {
            if *stopping.borrow() {
                return;
            }
            let start = match after {
                Some(after) => Ok(after),
                None => self.head_seq().await,
            };
            match start {
                Ok(start) => {
                    after = Some(start);
                    match self.tickets.change_stream(start).await {
                        Ok(upstream) => {
                            let mut upstream = std::pin::pin!(upstream);
                            loop {
                                tokio::select! {
                                    _ = stopping.wait_for(|stop| *stop) => return,
                                    item = upstream.next() => match item {
                                        Some(Ok(change)) => {
                                            after = Some(change.seq);
                                            self.seq_hint.fetch_max(change.seq, Ordering::Relaxed);
                                            let change = LiveChange { seq: change.seq, ticket: change.ticket.id };
                                            // No page listening is fine: nothing to tell.
                                            let _ = self.changes.send(change);
                                        }
                                        Some(Err(err)) => {
                                            tracing::debug!(error = %err, "the shared change stream broke");
                                            break;
                                        }
                                        None => break,
                                    },
                                }
                            }
                        }
                        Err(err) => {
                            tracing::warn!(error = %err, "live updates: the change stream cannot be opened")
                        }
                    }
                }
                Err(err) => tracing::warn!(error = %err, "live updates: the change feed cannot be read"),
            }
            tokio::select! {
                _ = stopping.wait_for(|stop| *stop) => return,
                () = tokio::time::sleep(RECONNECT) => {}
            }
        }
    }

    /// The `seq` of the newest change in the feed, walking forward from the highest `seq` this
    /// process has seen (so only the first call reads far).
    async fn head_seq(&self) -> Result<i64, api::ClientError> {
        let mut after = self.seq_hint.load(Ordering::Relaxed);
        loop {
            let page = self.tickets.changes(after, HEAD_PAGE).await?;
            if page.changes.is_empty() || page.next <= after {
                break;
            }
            after = page.next;
        }
        self.seq_hint.fetch_max(after, Ordering::Relaxed);
        Ok(after)
    }

    /// The changes after `after`, read by cursor (at most [`CATCH_UP_PAGES`] pages).
    async fn catch_up(&self, after: i64) -> Result<Vec<LiveChange>, api::ClientError> {
        let mut changes = Vec::new();
        let mut after = after;
        for _ in 0..CATCH_UP_PAGES {
            let page = self.tickets.changes(after, HEAD_PAGE).await?;
            if page.changes.is_empty() || page.next <= after {
                break;
            }
            changes.extend(page.changes.iter().map(|c| LiveChange { seq: c.seq, ticket: c.ticket.id }));
            after = page.next;
        }
        self.seq_hint.fetch_max(after, Ordering::Relaxed);
        Ok(changes)
    }
}

/// Query of `GET /live`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LiveQuery {
    after: Option<i64>,
}

/// The SSE `data` of one change: its `seq` and the ticket id.
pub(crate) fn change_data(seq: i64, ticket: i64) -> String {
    serde_json::json!({ "seq": seq, "ticket": ticket }).to_string()
}

fn change_event(change: LiveChange) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event("change")
        .id(change.seq.to_string())
        .data(change_data(change.seq, change.ticket)))
}

/// `GET /live?after=SEQ`: server-sent events, one per change of any ticket. Needs a role
/// (without one: redirect to `/`). Errors: 502 page when the ticket service cannot be reached;
/// 429 (this address holds its share of live pages) or 503 (the server holds its limit), with
/// `Retry-After`, when no more live pages may be open.
pub(crate) async fn stream_changes(
    State(state): State<AppState>,
    _session: Session,
    client: ClientAddr,
    headers: HeaderMap,
    WebQuery(query): WebQuery<LiveQuery>,
) -> Result<Response, WebError> {
    let hub = &state.live;
    let slot = match hub.pages.open(client.0) {
        Ok(slot) => slot,
        Err(refusal) => return Ok(refuse(refusal)),
    };
    let last_event_id =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    let shared = hub.subscribe();
    let after = match last_event_id.or(query.after) {
        Some(after) => after.max(0),
        None => hub.head_seq().await.map_err(|e| WebError::from_client(TICKET_SERVICE, e))?,
    };
    let backlog = hub.catch_up(after).await.map_err(|e| WebError::from_client(TICKET_SERVICE, e))?;
    let last = backlog.last().map_or(after, |change| change.seq);
    let live = futures::stream::unfold((shared, last), |(mut shared, mut last)| async move {
        loop {
            match shared.recv().await {
                Ok(change) if change.seq > last => {
                    last = change.seq;
                    return Some((change, (shared, last)));
                }
                Ok(_) => {}
                // Lagged behind or the hub is gone: end; the browser reconnects and catches up.
                Err(_) => return None,
            }
        }
    });
    let mut stopping = state.stopping.subscribe();
    let stopped = async move {
        // An error means the sender is gone: the server is being dropped, so stop too.
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    let events = futures::stream::iter(backlog).chain(live).take_until(stopped).map(move |change| {
        // The page's slot is held as long as its stream is open.
        let _open = &slot;
        change_event(change)
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()).into_response())
}

/// The answer when no more live pages may be open: 429 or 503 with `Retry-After` and a sentence.
fn refuse(refusal: StreamRefusal) -> Response {
    let status = match refusal {
        StreamRefusal::PerClient(_) => StatusCode::TOO_MANY_REQUESTS,
        StreamRefusal::Total(_) => StatusCode::SERVICE_UNAVAILABLE,
    };
    let sentence = format!("Live updates are off for this page: {refusal}. The page itself still works.");
    let mut response = (status, sentence).into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    response
}
