//! The sender task: delivers the outbox (see [`crate::mail`]).
//!
//! It runs in every ticket-service process that has [`MailSettings`] and loops: claim up to
//! [`BATCH`] due notifications with a lease ([`store::TicketStore::claim_notifications`]), send
//! each over SMTP, then mark it sent, or record the failure so that it is due again after a
//! backoff (1 s doubling per attempt, up to [`MailSettings::max_backoff`]). Between rounds it
//! waits for a commit (any replica's, through [`store::TicketStore::watch_changes`]) or
//! [`POLL`], whichever comes first.
//!
//! Nothing is lost: a notification leaves the outbox's unsent rows only when the SMTP server
//! accepted it; an outage or a restart leaves it due, and a sender that died holding a lease
//! leaves it to be claimed again once the lease ends. Nothing is sent twice, with one window
//! left: the server accepted the message (its `250` reply) and the process died, or the
//! database failed, before the row was marked sent; that row is sent again after its lease.
//! The lease ([`lease_for`]) covers a whole batch sent at the SMTP timeout each, and a sender
//! stops working through its batch when its lease would end during the next send, so a lease
//! never runs out while its holder is still sending.
//!
//! Sent e-mails are deleted once they are older than [`MailSettings::keep_sent`]: at start and
//! then every [`PRUNE_EVERY`], in statements of [`PRUNE_BATCH`] rows ([`prune_sent`]).

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use store::Notification;
use tokio::task::JoinHandle;

use super::{MailSettings, TlsMode, message, private_link, render, unsubscribe_link};
use crate::AppState;

/// Most notifications claimed at once: 10.
pub const BATCH: u32 = 10;
/// How long one SMTP exchange may take before it counts as failed: 30 seconds.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest wait between two looks at the outbox when no commit wakes the sender: 1 second
/// (retries come due without a commit).
pub const POLL: Duration = Duration::from_secs(1);

/// How often the sender deletes the e-mails sent longer ago than it keeps them: hourly.
pub const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);
/// Most sent e-mails deleted in one statement (one short write each): 1,000.
pub const PRUNE_BATCH: u32 = 1_000;

/// Deletes the e-mails sent more than `keep` before `now` (UTC), [`PRUNE_BATCH`] at a time
/// until none is left (or the service shuts down), and returns how many it deleted. Unsent
/// e-mails are never deleted here.
///
/// Errors: the store failed to delete (what was deleted before stays deleted).
pub async fn prune_sent(state: &AppState, now: Timestamp, keep: Duration) -> anyhow::Result<u64> {
    prune_sent_in_batches(state, now, keep, PRUNE_BATCH).await
}

/// [`prune_sent`] with `batch` rows per statement.
async fn prune_sent_in_batches(
    state: &AppState,
    now: Timestamp,
    keep: Duration,
    batch: u32,
) -> anyhow::Result<u64> {
    let cutoff = SignedDuration::try_from(keep).ok().and_then(|keep| now.checked_sub(keep).ok());
    let Some(cutoff) = cutoff else { return Ok(0) };
    let stop = state.shutdown_signal();
    let mut deleted = 0;
    loop {
        let done = state.store().prune_sent_notifications(cutoff, batch).await?;
        deleted += done;
        if done < u64::from(batch) || *stop.borrow() {
            return Ok(deleted);
        }
    }
}

/// The SMTP client of `settings`: one connection per message (no pool), so a server that went
/// away and came back is simply reached again.
///
/// Errors: the TLS parameters cannot be built for the host.
pub fn transport(settings: &MailSettings) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let host = settings.host.as_str();
    let builder = match settings.tls {
        TlsMode::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        TlsMode::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
        TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
    };
    let mut builder = builder.port(settings.port).timeout(Some(SMTP_TIMEOUT));
    if let Some(login) = &settings.credentials {
        builder = builder.credentials(Credentials::new(login.user.clone(), login.password.clone()));
    }
    Ok(builder.build())
}

/// The lease a batch of `claimed` notifications needs: one SMTP timeout each, plus a minute.
pub fn lease_for(claimed: u32) -> Duration {
    SMTP_TIMEOUT * claimed + Duration::from_secs(60)
}

/// How long to wait before the next attempt after `attempts` failed ones: 1 s, 2 s, 4 s, ...
/// up to `max`.
pub fn backoff(attempts: i64, max: Duration) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    Duration::from_secs(1u64 << doublings).min(max)
}

/// `now` plus `wait` (`now` itself if that overflows).
fn later(now: Timestamp, wait: Duration) -> Timestamp {
    SignedDuration::try_from(wait).ok().and_then(|wait| now.checked_add(wait).ok()).unwrap_or(now)
}

/// Starts the sender when the state has mail settings; it ends when the service shuts down.
pub fn spawn_sender(state: AppState) -> Option<JoinHandle<()>> {
    let settings = Arc::clone(state.mail()?);
    Some(tokio::spawn(async move {
        let transport = match transport(&settings) {
            Ok(transport) => transport,
            Err(err) => {
                tracing::error!(error = ?err, "cannot set up the SMTP client; no e-mail updates are sent");
                return;
            }
        };
        tracing::info!(host = %settings.host, port = settings.port, "sending e-mail updates");
        let mut stop = state.shutdown_signal();
        let mut commits = state.store().watch_changes();
        let mut next_prune = tokio::time::Instant::now();
        loop {
            if let Some(keep) = settings.keep_sent
                && tokio::time::Instant::now() >= next_prune
            {
                next_prune += PRUNE_EVERY;
                match prune_sent(&state, state.now(), keep).await {
                    Ok(0) => {}
                    Ok(deleted) => {
                        tracing::info!(deleted, "deleted e-mails sent longer ago than they are kept")
                    }
                    Err(err) => {
                        tracing::warn!(error = ?err, "cannot delete old sent e-mails; trying again later")
                    }
                }
            }
            let sent_some = match deliver_due(&state, &settings, &transport).await {
                Ok(handled) => handled > 0,
                Err(err) => {
                    tracing::warn!(error = ?err, "cannot read the e-mail outbox; trying again");
                    false
                }
            };
            if sent_some {
                continue;
            }
            tokio::select! {
                changed = commits.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
                () = tokio::time::sleep(POLL) => {}
                _ = stop.wait_for(|stopping| *stopping) => return,
            }
        }
    }))
}

/// One round: claims due notifications and sends them. Returns how many it handled (sent or
/// failed).
///
/// Errors: the store failed to claim.
async fn deliver_due(
    state: &AppState,
    settings: &MailSettings,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
) -> anyhow::Result<usize> {
    let now = state.now();
    let lease_until = later(now, lease_for(BATCH));
    let claimed = state.store().claim_notifications(now, lease_until, BATCH).await?;
    let mut handled = 0;
    let stop = state.shutdown_signal();
    for notification in claimed {
        if *stop.borrow() {
            // Shutting down: the rest are claimed again after the lease.
            break;
        }
        if later(state.now(), SMTP_TIMEOUT) >= lease_until {
            // The lease could end during this send; the rest are claimed again after it.
            break;
        }
        handled += 1;
        match send(state, settings, transport, &notification).await {
            Ok(()) => {
                if let Err(err) = state.store().notification_sent(notification.id, state.now()).await {
                    // The one window for a second send: accepted by the server, not marked.
                    tracing::error!(error = ?err, id = notification.id, "sent an e-mail but cannot mark it sent");
                }
            }
            Err(err) => {
                let wait = backoff(notification.attempts, settings.max_backoff);
                let error = format!("{err:#}");
                tracing::warn!(id = notification.id, attempts = notification.attempts, error = %error, "sending an e-mail update failed; will retry");
                let retry_at = later(state.now(), wait);
                if let Err(err) = state.store().notification_failed(notification.id, retry_at, &error).await {
                    tracing::warn!(error = ?err, id = notification.id, "cannot record a failed e-mail; its lease will end");
                }
            }
        }
    }
    Ok(handled)
}

/// Renders and sends one notification.
async fn send(
    state: &AppState,
    settings: &MailSettings,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    notification: &Notification,
) -> anyhow::Result<()> {
    let origin = settings.public_url.as_str();
    let link = private_link(state.store().as_ref(), origin, notification.ticket_id).await?;
    let email = render(notification, &link, &unsubscribe_link(origin, &notification.unsubscribe_token));
    let message = message(&settings.from, &email)?;
    transport.send(message).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let max = Duration::from_secs(60);
        let waits: Vec<u64> = (1..=8).map(|attempts| backoff(attempts, max).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(backoff(0, max), Duration::from_secs(1));
        assert_eq!(backoff(i64::MAX, max), max);
    }

    #[test]
    fn a_batch_lease_outlasts_its_sends() {
        assert!(lease_for(BATCH) > SMTP_TIMEOUT * BATCH);
    }

    #[tokio::test]
    async fn e_mails_sent_longer_ago_than_kept_are_deleted_in_batches() {
        use classifier::Classifier;
        use domain::{Actor, AuthorName, Category, Description, MessageBody, Role, Title};
        use jiff::ToSpan;
        use store::{NewSubscription, NewTicket, TicketStore};

        let dir = tempfile::tempdir().expect("a folder");
        let url = format!("sqlite://{}", dir.path().join("tickets.db").display());
        let store: Arc<dyn TicketStore> =
            Arc::new(store_sqlite::SqliteStore::open(&url).await.expect("a database"));
        let state = AppState::new(Arc::clone(&store), Arc::new(Classifier::builtin()));
        let day = |n: i64| Timestamp::UNIX_EPOCH + (n * 24).hours();
        let new = NewTicket {
            title: Title::parse("Heating off").expect("a title"),
            description: Description::parse("Room 12 is cold").expect("a description"),
            category: Category::Facility,
            category_confidence: 0.9,
            category_terms: Vec::new(),
            needs_check: false,
            reporter: Some(NewSubscription { address: "bo@campus.example".into(), token: "t".repeat(32) }),
        };
        let staff = Actor { role: Role::Staff, name: Some(AuthorName::parse("Desk").expect("a name")) };
        let ticket = store.create_ticket(new, &staff, day(0)).await.expect("a ticket");
        for n in 0..6 {
            let text = MessageBody::parse(&format!("Update {n}")).expect("a message");
            store.add_message(ticket.id, text, &staff, day(1)).await.expect("posting");
        }
        let claimed = store.claim_notifications(day(1), day(2), 10).await.expect("claiming");
        // Five sent on day 1, the sixth on day 40.
        for (mail, sent) in claimed.iter().zip([1, 1, 1, 1, 1, 40]) {
            assert!(store.notification_sent(mail.id, day(sent)).await.expect("marking sent"));
        }

        let keep = Duration::from_secs(30 * 24 * 60 * 60);
        assert_eq!(prune_sent_in_batches(&state, day(31), keep, 2).await.expect("pruning"), 0, "day 1 + 30");
        assert_eq!(
            prune_sent_in_batches(&state, day(32), keep, 2).await.expect("pruning"),
            5,
            "three batches"
        );
        assert_eq!(store.counts().await.expect("counting").notifications, 1, "the one sent on day 40");
        assert_eq!(prune_sent(&state, day(32), Duration::MAX).await.expect("pruning"), 0, "kept forever");
    }
}
