//! E-mail updates (see [`store::outbox`]): the reporter's subscription, written with the new
//! ticket; the outbox row, written by a staff change in its own transaction
//! ([`SqlStore::queue_notification`]; a closing's row due only after the undo window, and
//! deleted unsent by an undo within it, `drop_pending_closed`); the sender's claims, sends
//! and retries; and the deletion of rows sent long ago (`prune_sent`).
//!
//! A claim is one write: it picks due rows that no sender holds (on PostgreSQL with
//! [`Backend::SKIP_LOCKED`], so replicas pass over each other's rows) and gives them a lease in
//! the same statement; the outer `WHERE` repeats the conditions, which PostgreSQL re-checks on
//! the row version it updates, so a row claimed by a concurrent transaction is never taken twice.

use jiff::Timestamp;
use sqlx::{ColumnIndex, Executor, IntoArguments};
use store::outbox::{NotificationKind, Subscription};
use store::{Notification, OutboxStatus, StoreError};

use crate::inserts::{Insert, OUTBOX};
use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// Columns of `subscriptions`, in [`SubscriptionRow`]'s order.
const SUBSCRIPTION_COLUMNS: &str = "id, ticket_id, address, token, created_at, unsubscribed_at";

/// Columns of `outbox`, in [`NotificationRow`]'s order.
pub(crate) const NOTIFICATION_COLUMNS: &str = "id, ticket_id, address, unsubscribe_token, kind, detail, \
     created_at, attempts, next_attempt_at, lease_until, sent_at, last_error";

/// One row of `subscriptions`.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SubscriptionRow {
    id: i64,
    ticket_id: i64,
    address: String,
    token: String,
    created_at: Instant,
    unsubscribed_at: Option<Instant>,
}

impl From<SubscriptionRow> for Subscription {
    fn from(row: SubscriptionRow) -> Self {
        Subscription {
            id: row.id,
            ticket_id: row.ticket_id,
            address: row.address,
            token: row.token,
            created_at: row.created_at.0,
            unsubscribed_at: row.unsubscribed_at.map(|at| at.0),
        }
    }
}

/// One row of `outbox`.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct NotificationRow {
    id: i64,
    ticket_id: i64,
    address: String,
    unsubscribe_token: String,
    kind: String,
    detail: String,
    created_at: Instant,
    attempts: i64,
    next_attempt_at: Instant,
    lease_until: Option<Instant>,
    sent_at: Option<Instant>,
    last_error: Option<String>,
}

impl NotificationRow {
    pub(crate) fn into_notification(self) -> Result<Notification, StoreError> {
        let kind = NotificationKind::parse(&self.kind).ok_or_else(|| {
            StoreError::backend(anyhow::anyhow!("outbox.kind holds {:?}, not a notification kind", self.kind))
        })?;
        Ok(Notification {
            id: self.id,
            ticket_id: self.ticket_id,
            address: self.address,
            unsubscribe_token: self.unsubscribe_token,
            kind,
            detail: self.detail,
            created_at: self.created_at.0,
            attempts: self.attempts,
            next_attempt_at: self.next_attempt_at.0,
            lease_until: self.lease_until.map(|at| at.0),
            sent_at: self.sent_at.map(|at| at.0),
            last_error: self.last_error,
        })
    }
}

impl<B> SqlStore<B>
where
    B: Backend,
    for<'c> &'c mut Conn<B>: Executor<'c, Database = B::Db>,
    Args<B>: IntoArguments<B::Db>,
    for<'a> &'a str: ColumnIndex<Row<B>>,
    usize: ColumnIndex<Row<B>>,
    i64: Column<B::Db>,
    f64: Column<B::Db>,
    bool: Column<B::Db>,
    String: Column<B::Db>,
    Option<String>: Column<B::Db>,
    Instant: Column<B::Db>,
    Option<Instant>: Column<B::Db>,
    Option<i64>: Column<B::Db>,
    Vec<u8>: Column<B::Db>,
{
    /// The subscription of ticket `ticket_id`, if it has one.
    pub(crate) async fn read_subscription(
        conn: &mut Conn<B>,
        ticket_id: i64,
    ) -> Result<Option<Subscription>, StoreError> {
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE ticket_id = $1");
        let row = sqlx::query_as::<_, SubscriptionRow>(sqlx::AssertSqlSafe(sql))
            .bind(ticket_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(failed::<B>("read a subscription"))?;
        Ok(row.map(Subscription::from))
    }

    /// Every subscription, by id.
    pub(crate) async fn read_subscriptions(conn: &mut Conn<B>) -> Result<Vec<Subscription>, StoreError> {
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions ORDER BY id");
        let rows = sqlx::query_as::<_, SubscriptionRow>(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await
            .map_err(failed::<B>("read subscriptions"))?;
        Ok(rows.into_iter().map(Subscription::from).collect())
    }

    /// The whole outbox, by id.
    pub(crate) async fn read_notifications(conn: &mut Conn<B>) -> Result<Vec<Notification>, StoreError> {
        let sql = format!("SELECT {NOTIFICATION_COLUMNS} FROM outbox ORDER BY id");
        sqlx::query_as::<_, NotificationRow>(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await
            .map_err(failed::<B>("read the outbox"))?
            .into_iter()
            .map(NotificationRow::into_notification)
            .collect()
    }

    /// See [`store::TicketStore::outbox_status`].
    pub(crate) async fn read_outbox_status(conn: &mut Conn<B>) -> Result<OutboxStatus, StoreError> {
        let (unsent, failing) = sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), COUNT(last_error) FROM outbox WHERE sent_at IS NULL",
        )
        .fetch_one(&mut *conn)
        .await
        .map_err(failed::<B>("count unsent notifications"))?;
        Ok(OutboxStatus { unsent, failing })
    }

    /// Writes the notification of a change of ticket `ticket_id` at `now`, due at `due`, into
    /// the outbox when its reporter is subscribed; nothing otherwise. Called inside the change's
    /// transaction.
    pub(crate) async fn queue_notification(
        conn: &mut Conn<B>,
        ticket_id: i64,
        kind: NotificationKind,
        detail: &str,
        now: Timestamp,
        due: Timestamp,
    ) -> Result<(), StoreError> {
        let Some(subscription) = Self::read_subscription(conn, ticket_id).await? else { return Ok(()) };
        if subscription.unsubscribed_at.is_some() {
            return Ok(());
        }
        let notification = Notification {
            id: 0,
            ticket_id,
            address: subscription.address,
            unsubscribe_token: subscription.token,
            kind,
            detail: detail.to_owned(),
            created_at: now,
            attempts: 0,
            next_attempt_at: due,
            lease_until: None,
            sent_at: None,
            last_error: None,
        };
        Self::insert_one(conn, &OUTBOX, Insert::notification(&notification, false)).await?;
        Ok(())
    }

    /// Deletes the unsent "closed" notification of ticket `ticket_id` that no sender holds at
    /// `now` (its lease, if any, has ended). Returns whether there was one: `false` when the
    /// e-mail already went out, a sender is sending it, or none was written (no subscription).
    /// Called inside the undo's transaction.
    pub(crate) async fn drop_pending_closed(
        conn: &mut Conn<B>,
        ticket_id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let dropped = sqlx::query_scalar::<_, i64>(
            "DELETE FROM outbox \
             WHERE ticket_id = $1 AND kind = $2 AND detail = $3 AND sent_at IS NULL \
               AND (lease_until IS NULL OR lease_until <= $4) \
             RETURNING id",
        )
        .bind(ticket_id)
        .bind(NotificationKind::Status.as_str().to_owned())
        .bind(domain::Status::Closed.as_str().to_owned())
        .bind(Instant(now))
        .fetch_all(&mut *conn)
        .await
        .map_err(failed::<B>("drop an unsent closed notification"))?;
        Ok(!dropped.is_empty())
    }

    /// See [`store::TicketStore::unsubscribe`].
    pub(crate) async fn stop_subscription(
        &self,
        token: String,
        now: Timestamp,
    ) -> Result<Option<i64>, StoreError> {
        self.write(move |conn| {
            Box::pin(async move {
                let ticket_id = sqlx::query_scalar::<_, i64>(
                    "UPDATE subscriptions SET unsubscribed_at = COALESCE(unsubscribed_at, $2) \
                     WHERE token = $1 RETURNING ticket_id",
                )
                .bind(token)
                .bind(Instant(now))
                .fetch_optional(&mut *conn)
                .await
                .map_err(failed::<B>("unsubscribe"))?;
                if let Some(ticket_id) = ticket_id {
                    sqlx::query_scalar::<_, i64>(
                        "DELETE FROM outbox WHERE ticket_id = $1 AND sent_at IS NULL RETURNING id",
                    )
                    .bind(ticket_id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(failed::<B>("drop unsent notifications"))?;
                }
                Ok((ticket_id, 0))
            })
        })
        .await
    }

    /// See [`store::TicketStore::claim_notifications`].
    pub(crate) async fn claim_due(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError> {
        let free = "sent_at IS NULL AND (lease_until IS NULL OR lease_until <= $1)";
        let sql = format!(
            "UPDATE outbox SET lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE {free} AND next_attempt_at <= $1 \
                          ORDER BY id LIMIT $3{skip}) \
               AND {free} \
             RETURNING {NOTIFICATION_COLUMNS}",
            skip = B::SKIP_LOCKED,
        );
        let mut claimed = self
            .write(move |conn| {
                Box::pin(async move {
                    let rows = sqlx::query_as::<_, NotificationRow>(sqlx::AssertSqlSafe(sql))
                        .bind(Instant(now))
                        .bind(Instant(lease_until))
                        .bind(i64::from(limit))
                        .fetch_all(&mut *conn)
                        .await
                        .map_err(failed::<B>("claim notifications"))?;
                    let claimed =
                        rows.into_iter()
                            .map(NotificationRow::into_notification)
                            .collect::<Result<Vec<_>, _>>()?;
                    Ok((claimed, 0))
                })
            })
            .await?;
        // RETURNING's order is unspecified: oldest first, as the sender sends them.
        claimed.sort_by_key(|n| n.id);
        Ok(claimed)
    }

    /// Ends the lease of unsent notification `id`: sent at `sent` or due again at `retry_at`
    /// with `error`.
    pub(crate) async fn finish_notification(
        &self,
        id: i64,
        sent: Option<Timestamp>,
        retry_at: Option<Timestamp>,
        error: Option<String>,
    ) -> Result<bool, StoreError> {
        self.write(move |conn| {
            Box::pin(async move {
                let done = sqlx::query_scalar::<_, i64>(
                    "UPDATE outbox SET lease_until = NULL, sent_at = $2, \
                     next_attempt_at = COALESCE($3, next_attempt_at), last_error = $4 \
                     WHERE id = $1 AND sent_at IS NULL RETURNING id",
                )
                .bind(id)
                .bind(sent.map(Instant))
                .bind(retry_at.map(Instant))
                .bind(error)
                .fetch_optional(&mut *conn)
                .await
                .map_err(failed::<B>("record a notification's outcome"))?;
                Ok((done.is_some(), 0))
            })
        })
        .await
    }

    /// See [`store::TicketStore::prune_sent_notifications`]. The oldest sent rows come first in
    /// id order, so the walk of the primary key stops soon after them.
    pub(crate) async fn prune_sent(&self, sent_before: Timestamp, limit: u32) -> Result<u64, StoreError> {
        self.write(move |conn| {
            Box::pin(async move {
                let deleted = sqlx::query_scalar::<_, i64>(
                    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox \
                     WHERE sent_at IS NOT NULL AND sent_at < $1 ORDER BY id LIMIT $2) RETURNING id",
                )
                .bind(Instant(sent_before))
                .bind(i64::from(limit))
                .fetch_all(&mut *conn)
                .await
                .map_err(failed::<B>("delete sent notifications"))?;
                Ok((deleted.len() as u64, 0))
            })
        })
        .await
    }
}
