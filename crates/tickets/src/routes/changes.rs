//! The change feed: `GET /api/v1/changes?after=SEQ&limit=N` (pull by cursor) and
//! `GET /api/v1/changes/stream?after=SEQ` (server-sent events, live).
//!
//! Both serve ticket snapshots in commit order; each ticket appears once, at the position of
//! its latest change, so replaying the feed from 0 yields every ticket's current state. Staff
//! (and the services, which read it as staff) get every ticket; a campus user never sees closed
//! tickets, so for a `user` caller closed snapshots are left out while the cursor still moves
//! past them.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use api::{Change, ChangeFeedQuery, ChangePage, ChangeStreamQuery, Problem, RoleHeaders};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use domain::Role;
use futures::{Stream, StreamExt};
use serving::ClientAddr;
use store::TicketStore;
use tokio::sync::watch;

use crate::extract::{Actor, ApiQuery};
use crate::{AppError, AppState};

/// Default page size of `GET /changes`.
const DEFAULT_LIMIT: u32 = 100;
/// Largest page size of `GET /changes`.
const MAX_LIMIT: u32 = 1000;
/// Page size the stream catches up with.
const STREAM_PAGE: u32 = 500;
/// How often the stream sends a keep-alive comment when idle.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `after` if it is a feed position (0 or more); the refusal names `source` and quotes `raw`,
/// the text it was read from.
fn position(after: Option<i64>, source: &str, raw: &str) -> Result<i64, AppError> {
    after.filter(|after| *after >= 0).ok_or_else(|| {
        AppError::BadRequest(format!("{source} must be a change sequence number, 0 or more; got {raw:?}"))
    })
}

fn to_wire(change: store::Change) -> Change {
    Change { seq: change.seq, ticket: change.ticket, attachments: change.attachments }
}

/// Whether the caller may see this change: staff all, users no closed tickets.
fn visible(change: &store::Change, role: Role) -> bool {
    change.ticket.status.visible_to(role)
}

/// `GET /changes?after=SEQ&limit=N`: up to `limit` (default 100, 1 to 1000) changes with
/// `seq > after` (default 0). `next` is the last `seq` returned, or `after` when there is
/// nothing new. The query is read as [`ChangeFeedQuery`]. Errors: 400 for an unknown
/// parameter or a bad `after` or `limit`.
#[utoipa::path(
    get,
    path = "/changes",
    tag = "changes",
    params(RoleHeaders, ChangeFeedQuery),
    responses(
        (status = 200, description = "changes after the cursor, in commit order", body = ChangePage),
        (status = 400, description = "the role headers are invalid, or a query parameter is unknown, repeated or has a bad value (field names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_changes(
    State(state): State<AppState>,
    Actor(actor): Actor,
    ApiQuery(params): ApiQuery<ChangeFeedQuery>,
) -> Result<Json<ChangePage>, AppError> {
    let after = params.after.unwrap_or(0);
    let after = position(Some(after), "after", &after.to_string())?;
    let limit = super::page_size(params.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let page = state.store().changes(after, limit).await?;
    let next = page.last().map_or(after, |c| c.seq);
    let changes = page.into_iter().filter(|c| visible(c, actor.role)).map(to_wire).collect();
    Ok(Json(ChangePage { changes, next }))
}

/// `GET /changes/stream?after=SEQ`: every change with `seq > after` as a server-sent event
/// `event: change`, `id: <seq>`, `data: <Change JSON>`, first catching up in pages, then live
/// as changes commit. Without `after`, the `Last-Event-ID` header (sent by reconnecting
/// browsers) is the start; without either, 0. Idle connections get a keep-alive comment every
/// 15 seconds. The stream ends when the service shuts down or the store fails (the client then
/// reconnects from the last id it saw). The query is read as [`ChangeStreamQuery`]. Errors: 400
/// for an unknown parameter (`limit` included) or a bad `after` or `Last-Event-ID`; 429 when the
/// client address already holds its share of open streams, 503 when the service holds its
/// limit (both with `Retry-After`).
#[utoipa::path(
    get,
    path = "/changes/stream",
    tag = "changes",
    params(RoleHeaders, ChangeStreamQuery, ("Last-Event-ID" = Option<String>, Header, description = "Resume after this seq when after is not given (what an EventSource sends on reconnecting).")),
    responses(
        (status = 200, description = "server-sent events: one event per change, its id the seq and its data a Change; a keep-alive comment every 15 seconds", body = String, content_type = "text/event-stream"),
        (status = 400, description = "the role headers are invalid, or a query parameter is unknown, repeated or has a bad value, or Last-Event-ID is not a feed position", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "this client address already holds its share of open change streams; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
    )
)]
pub(crate) async fn stream_changes(
    State(state): State<AppState>,
    Actor(actor): Actor,
    client: ClientAddr,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<ChangeStreamQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let after = match (params.after, headers.get("last-event-id")) {
        (Some(after), _) => position(Some(after), "after", &after.to_string())?,
        (None, Some(value)) => {
            let raw = String::from_utf8_lossy(value.as_bytes());
            position(raw.trim().parse().ok(), "the Last-Event-ID header", &raw)?
        }
        (None, None) => 0,
    };
    // Held by the stream: the slot is free again when the stream ends.
    let slot = state.throttle().open_stream(client)?;
    let feed = Feed {
        store: Arc::clone(state.store()),
        commits: state.store().watch_changes(),
        after,
        role: actor.role,
        pending: VecDeque::new(),
    };
    let mut shutdown = state.shutdown_signal();
    let events = futures::stream::unfold(feed, Feed::next_event)
        .take_until(async move {
            // An error means the sender is gone, which also means the service is stopping.
            let _ = shutdown.wait_for(|stopping| *stopping).await;
        })
        .map(move |event| {
            let _open = &slot;
            Ok(event)
        });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// The state of one stream: where it is in the feed and what it fetched but has not sent.
struct Feed {
    store: Arc<dyn TicketStore>,
    commits: watch::Receiver<i64>,
    after: i64,
    role: Role,
    pending: VecDeque<store::Change>,
}

impl Feed {
    /// The next event, waiting for a commit when the stream has caught up; `None` ends it.
    async fn next_event(mut self) -> Option<(Event, Feed)> {
        loop {
            if let Some(change) = self.pending.pop_front() {
                let event = change_event(to_wire(change))?;
                return Some((event, self));
            }
            // Mark the current commit as seen *before* reading, so a commit that lands after the
            // read wakes the wait below instead of being missed.
            self.commits.borrow_and_update();
            match self.store.changes(self.after, STREAM_PAGE).await {
                Ok(changes) if !changes.is_empty() => {
                    // Skip what the caller may not see, but move the cursor past it.
                    self.after = changes.last().map_or(self.after, |c| c.seq);
                    let role = self.role;
                    self.pending.extend(changes.into_iter().filter(|c| visible(c, role)));
                }
                Ok(_) => {
                    if self.commits.changed().await.is_err() {
                        return None;
                    }
                }
                Err(err) => {
                    tracing::error!(error = %err, after = self.after, "change stream: reading the feed failed");
                    return None;
                }
            }
        }
    }
}

fn change_event(change: Change) -> Option<Event> {
    match serde_json::to_string(&change) {
        Ok(data) => Some(Event::default().event("change").id(change.seq.to_string()).data(data)),
        Err(err) => {
            tracing::error!(error = %err, seq = change.seq, "change stream: a change could not be encoded");
            None
        }
    }
}
