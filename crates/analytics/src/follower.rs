//! Keeps the read model in step with the ticket service's change feed: catch up by pages from
//! the model's cursor, then follow the live stream, and start over from the cursor after any
//! failure, with a capped exponential back-off.

use std::time::Duration;

use api::{ClientError, TicketsClient};
use futures::StreamExt;

use crate::state::AppState;

/// Page size asked of `GET /api/v1/changes` while catching up.
pub const PAGE_LIMIT: u32 = 1000;

/// Delay before the first retry after a failure.
const FIRST_DELAY: Duration = Duration::from_millis(100);
/// Longest delay between retries.
const MAX_DELAY: Duration = Duration::from_secs(5);

/// Capped exponential back-off: 100 ms, 200 ms, 400 ms, ... doubling up to 5 s, back to 100 ms
/// after [`Backoff::reset`].
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { next: FIRST_DELAY }
    }
}

impl Backoff {
    /// The delay to wait now; the one after it is twice as long, at most 5 s.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(MAX_DELAY);
        delay
    }

    /// Starts again at 100 ms (after the feed answered).
    pub(crate) fn reset(&mut self) {
        self.next = FIRST_DELAY;
    }
}

/// Feeds `state`'s read model from the ticket service's change feed, forever.
///
/// Each round: fetch `GET /api/v1/changes?after=CURSOR&limit=1000` pages and apply them until a
/// page comes back empty; the first time that happens the state is marked ready
/// ([`AppState::mark_ready`]); then open `GET /api/v1/changes/stream?after=CURSOR` and apply each
/// change as it arrives. When anything fails (service down, bad answer) or the stream ends (the
/// ticket service restarted), the error is logged and the round starts again from the model's
/// cursor after a delay of 100 ms, doubling up to 5 s, and back to 100 ms once the feed answers
/// again. Changes seen twice are ignored by the model, so nothing is counted twice.
///
/// Never returns; spawn it, and abort the task to stop it.
pub async fn follow_changes(client: TicketsClient, state: AppState) {
    let mut backoff = Backoff::default();
    loop {
        match follow_round(&client, &state, &mut backoff).await {
            Ok(()) => tracing::info!(cursor = state.cursor(), "change stream ended; reconnecting"),
            Err(error) => tracing::warn!(
                cursor = state.cursor(),
                %error,
                "cannot read the ticket service's change feed; retrying"
            ),
        }
        tokio::time::sleep(backoff.next_delay()).await;
    }
}

/// One round: catch up by pages, then follow the stream until it ends (`Ok`) or fails.
async fn follow_round(
    client: &TicketsClient,
    state: &AppState,
    backoff: &mut Backoff,
) -> Result<(), ClientError> {
    loop {
        let page = client.changes(state.cursor(), PAGE_LIMIT).await?;
        if page.changes.is_empty() {
            break;
        }
        state.apply(&page.changes);
        backoff.reset();
    }
    if !state.is_ready() {
        state.mark_ready();
        tracing::info!(cursor = state.cursor(), "caught up with the change feed");
    }
    let stream = client.change_stream(state.cursor()).await?;
    backoff.reset();
    let mut stream = std::pin::pin!(stream);
    while let Some(change) = stream.next().await {
        state.apply(std::slice::from_ref(&change?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_five_seconds_and_resets() {
        let mut backoff = Backoff::default();
        let delays: Vec<u64> = (0..8).map(|_| backoff.next_delay().as_millis() as u64).collect();
        assert_eq!(delays, vec![100, 200, 400, 800, 1600, 3200, 5000, 5000]);
        backoff.reset();
        assert_eq!(backoff.next_delay(), Duration::from_millis(100));
    }
}
