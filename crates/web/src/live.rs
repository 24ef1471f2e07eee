//! Live updates (`GET /live`): the ticket service's change feed, proxied as server-sent events
//! for `static/live.js`. Each event is `event: change`, `id: SEQ`, `data: {"seq":..,"ticket":ID}`
//! — only which ticket changed, never its content: the script re-fetches the page it shows, so
//! what a role may see is decided by the pages as usual.
//!
//! The stream starts after `Last-Event-ID` (sent by a reconnecting browser), else `?after=SEQ`,
//! else the current head of the feed. It ends when the upstream stream ends or the server shuts
//! down; the browser then reconnects by itself.

use std::convert::Infallible;
use std::future::ready;
use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use serde::Deserialize;

use crate::AppState;
use crate::error::{TICKET_SERVICE, WebError};
use crate::extract::WebQuery;
use crate::session::Session;

/// Page size used to walk to the head of the change feed.
const HEAD_PAGE: u32 = 500;

/// Query of `GET /live`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LiveQuery {
    after: Option<i64>,
}

/// The `seq` of the newest change in the feed, walking forward from the highest `seq` this
/// process has seen (so only the first call reads far).
async fn head_seq(state: &AppState) -> Result<i64, WebError> {
    let mut after = state.seq_hint.load(Ordering::Relaxed);
    loop {
        let page = state
            .tickets
            .changes(after, HEAD_PAGE)
            .await
            .map_err(|e| WebError::from_client(TICKET_SERVICE, e))?;
        if page.changes.is_empty() || page.next <= after {
            break;
        }
        after = page.next;
    }
    state.seq_hint.fetch_max(after, Ordering::Relaxed);
    Ok(after)
}

/// The SSE `data` of one change: its `seq` and the ticket id.
pub(crate) fn change_data(seq: i64, ticket: i64) -> String {
    serde_json::json!({ "seq": seq, "ticket": ticket }).to_string()
}

/// `GET /live?after=SEQ`: server-sent events, one per change of any ticket. Needs a role
/// (without one: redirect to `/`). Errors: 502 page when the ticket service cannot be reached.
pub(crate) async fn stream_changes(
    State(state): State<AppState>,
    _session: Session,
    headers: HeaderMap,
    WebQuery(query): WebQuery<LiveQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, WebError> {
    let last_event_id =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    let after = match last_event_id.or(query.after) {
        Some(after) => after.max(0),
        None => head_seq(&state).await?,
    };
    let upstream =
        state.tickets.change_stream(after).await.map_err(|e| WebError::from_client(TICKET_SERVICE, e))?;
    let hint = state.seq_hint.clone();
    let mut stopping = state.stopping.subscribe();
    let stopped = async move {
        // An error means the sender is gone: the server is being dropped, so stop too.
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    let events = upstream
        .take_while(|item| {
            if let Err(err) = item {
                tracing::debug!(error = %err, "the change stream ended");
            }
            ready(item.is_ok())
        })
        .filter_map(move |item| {
            ready(item.ok().map(|change| {
                hint.fetch_max(change.seq, Ordering::Relaxed);
                Ok(Event::default()
                    .event("change")
                    .id(change.seq.to_string())
                    .data(change_data(change.seq, change.ticket.id)))
            }))
        })
        .take_until(stopped);
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
