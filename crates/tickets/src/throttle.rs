//! The ticket service's limits per client address: rate limits on the writes a script could
//! flood (creating tickets, posting messages, imports) and on classification, and the cap on
//! open change streams. The client address is the peer's, or the `X-Forwarded-For` address a
//! trusted proxy (the web UI, a load balancer) forwarded ([`serving::ClientAddr`]).

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serving::{ClientAddr, Limits, RateLimit, StreamRefusal, StreamSlot, StreamSlots};

use crate::{AppError, AppState};

/// The limits in force and their counters; one per service process, shared by every request.
#[derive(Debug)]
pub(crate) struct Throttle {
    limits: Limits,
    creates: RateLimit,
    messages: RateLimit,
    imports: RateLimit,
    classify: RateLimit,
    streams: StreamSlots,
}

/// An action with a rate limit of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Message,
    Import,
    Classify,
}

impl Action {
    /// The limited action `method` on the route `path` (as routed, with or without `/api/v1`).
    fn of(method: &Method, path: &str) -> Option<Action> {
        if method != Method::POST {
            return None;
        }
        match path.strip_prefix("/api/v1").unwrap_or(path) {
            "/tickets" | "/ticket-uploads" => Some(Action::Create),
            "/tickets/{id}/messages" | "/tickets/{id}/message-uploads" | "/reporter/{token}/messages" => {
                Some(Action::Message)
            }
            "/import" | "/imports" => Some(Action::Import),
            "/classify" => Some(Action::Classify),
            _ => None,
        }
    }

    /// What the person did too often, for the sentence.
    fn plural(self) -> &'static str {
        match self {
            Action::Create => "new tickets",
            Action::Message => "messages",
            Action::Import => "imports",
            Action::Classify => "category suggestions",
        }
    }
}

impl Throttle {
    pub(crate) fn new(limits: Limits) -> Self {
        Throttle {
            creates: RateLimit::new(limits.writes),
            messages: RateLimit::new(limits.writes),
            imports: RateLimit::new(limits.writes),
            classify: RateLimit::new(limits.classify),
            streams: StreamSlots::new(limits.change_streams),
            limits,
        }
    }

    /// The limits in force.
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    fn limit(&self, action: Action) -> &RateLimit {
        match action {
            Action::Create => &self.creates,
            Action::Message => &self.messages,
            Action::Import => &self.imports,
            Action::Classify => &self.classify,
        }
    }

    /// A slot for a change stream from `client`. Errors: 429 when `client` holds as many as
    /// it may, 503 when the service does; both with `Retry-After`.
    pub(crate) fn open_stream(&self, client: ClientAddr) -> Result<StreamSlot, AppError> {
        self.streams.open(client.0).map_err(|refusal| AppError::TooManyRequests {
            message: format!("No change stream was opened: {refusal}."),
            retry_after: 30,
            everyone: matches!(refusal, StreamRefusal::Total(_)),
        })
    }
}

/// Middleware: answers 429 (problem, `Retry-After` in seconds) when the client is over the
/// rate limit of the action the request is, before the handler reads the body.
pub(crate) async fn limit_rate(
    State(state): State<AppState>,
    client: ClientAddr,
    request: Request,
    next: Next,
) -> Response {
    let action = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|path| Action::of(request.method(), path.as_str()));
    if let Some(action) = action {
        let limit = state.throttle().limit(action);
        if let Err(wait) = limit.check(client.0) {
            let seconds = wait.seconds();
            tracing::info!(client = %client.0, ?action, "rate limited");
            return AppError::TooManyRequests {
                message: format!(
                    "Too many {} from your address: at most {} a minute are accepted. Try again in {} {}.",
                    action.plural(),
                    limit.quota().per_minute,
                    seconds,
                    if seconds == 1 { "second" } else { "seconds" },
                ),
                retry_after: seconds,
                everyone: false,
            }
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limited_actions_are_the_writes_and_classify() {
        assert_eq!(Action::of(&Method::POST, "/api/v1/tickets"), Some(Action::Create));
        assert_eq!(Action::of(&Method::POST, "/tickets/{id}/messages"), Some(Action::Message));
        assert_eq!(Action::of(&Method::POST, "/api/v1/import"), Some(Action::Import));
        assert_eq!(Action::of(&Method::POST, "/api/v1/classify"), Some(Action::Classify));
        assert_eq!(Action::of(&Method::GET, "/api/v1/tickets"), None);
        assert_eq!(Action::of(&Method::PATCH, "/api/v1/tickets/{id}"), None);
        assert_eq!(Action::of(&Method::POST, "/api/v1/tickets/{id}/status"), None);
    }
}
