//! Live wake-ups across replicas: the background task that follows PostgreSQL's
//! `LISTEN campusdesk_changes` and moves the store's change watch forward.
//!
//! Every write transaction calls `pg_notify('campusdesk_changes', <last seq>)`; PostgreSQL
//! delivers the notification to every listening session when (and only if) the transaction
//! commits (PostgreSQL manual, `NOTIFY`). So every [`crate::PgStore`] on the database, in any
//! process, learns of every commit.
//!
//! Notifications sent while the listening connection is down are lost, so after every
//! (re)connection, once `LISTEN` is in place, the task re-reads `MAX(seq)` from the feed: a commit
//! before that read is in the maximum, a commit after it is notified. A slow poll of `MAX(seq)`
//! runs besides, as a safety net for a connection that died without the socket noticing.

use std::time::Duration;

use sqlx::postgres::PgListener;
use store_sql::FeedWatch;
use tokio::sync::oneshot;

use crate::PgBackend;

/// The notification channel the write transactions announce their seq on.
pub(crate) const CHANNEL: &str = "campusdesk_changes";

/// First wait before reconnecting a lost listener; doubles per failure up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(100);

/// Longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Follows the change notifications of the database at `url` for the store watched by `feed`
/// until `stop` fires or is dropped (the store is dropped), or the store is closed.
/// `poll_every` is the period of the safety-net re-read of `MAX(seq)`, `None` for none.
pub(crate) async fn follow(
    url: String,
    feed: FeedWatch<PgBackend>,
    poll_every: Option<Duration>,
    stop: oneshot::Receiver<()>,
) {
    let polling = async {
        match poll_every {
            Some(period) => poll(&feed, period).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = stop => {}
        _ = listen(&url, &feed) => {}
        _ = polling => {}
    }
}

/// The LISTEN loop; returns only when the store is gone.
async fn listen(url: &str, feed: &FeedWatch<PgBackend>) {
    let mut backoff = MIN_BACKOFF;
    loop {
        match subscribe(url).await {
            Ok(mut listener) => {
                backoff = MIN_BACKOFF;
                if !feed.resync().await {
                    return;
                }
                loop {
                    match listener.try_recv().await {
                        Ok(Some(notification)) => {
                            match notification.payload().parse::<i64>() {
                                Ok(seq) => {
                                    if !feed.advance(seq) {
                                        return;
                                    }
                                }
                                // Not one of ours (someone else NOTIFYing the channel): read the
                                // position instead of trusting the payload.
                                Err(_) => {
                                    if !feed.resync().await {
                                        return;
                                    }
                                }
                            }
                        }
                        // The connection was lost and has been re-established (LISTEN included):
                        // notifications in between are gone, so read the position afresh.
                        Ok(None) => {
                            if !feed.resync().await {
                                return;
                            }
                        }
                        Err(err) => {
                            tracing::warn!(error = ?err, "the change notification listener failed; reconnecting");
                            break;
                        }
                    }
                }
            }
            Err(err) => {
                tracing::warn!(error = ?err, ?backoff, "cannot listen for change notifications; retrying");
            }
        }
        if feed.is_gone() {
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// A listener on its own single connection (not taken from the store's pool), subscribed.
async fn subscribe(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// The safety-net poll; returns only when the store is gone.
async fn poll(feed: &FeedWatch<PgBackend>, period: Duration) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await; // the first tick is immediate; the position was just read at open
    loop {
        tick.tick().await;
        if !feed.resync().await {
            return;
        }
    }
}
