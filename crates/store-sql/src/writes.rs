//! The writes: every change of a ticket.
//!
//! A change runs in one transaction from [`Backend::begin_write`]: read the ticket (locking its
//! row where the backend locks rows), ask `store::plan` what to write (the rules live there,
//! once for both backends), write it, append the events, record a category correction, and
//! publish the ticket to the change feed ([`Backend::publish`]) as the last statement before
//! the commit.
//!
//! Every row goes in through the one insert path (`inserts`).

use domain::{Actor, Attachment, CategorySource, Event, Message, MessageBody, Status, Ticket};
use jiff::{SignedDuration, Timestamp};
use sqlx::{ColumnIndex, Executor, IntoArguments};
use store::outbox::{self, NotificationKind};
use store::plan::{self, PlannedCorrection, PlannedEvent};
use store::search;
use store::{Correction, ImportedTicket, NewAttachment, NewTicket, StoreError, Subscription, TicketEdit};

use crate::inserts::{CORRECTIONS, EVENTS, Insert, MESSAGES, SUBSCRIPTIONS, TICKETS};
use crate::rows::{TICKET_COLUMNS, TicketRow};
use crate::writer::Create;
use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// Search documents written per statement by an import.
const SEARCH_BATCH: usize = 1_000;

/// `at` as the database keeps it: whole microseconds (finer parts dropped).
pub(crate) fn stored(at: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(at.as_microsecond()).unwrap_or(at)
}

/// The event log entry `event` of ticket `ticket_id` (its id drawn at insert).
fn event_of(ticket_id: i64, event: &PlannedEvent) -> Event {
    Event {
        id: 0,
        ticket_id,
        kind: event.kind,
        actor_role: event.actor.role,
        actor_name: event.actor.name.as_ref().map(|n| n.as_str().to_owned()),
        from: event.from.clone(),
        to: event.to.clone(),
        at: event.at,
    }
}

/// A status change [`SqlStore::change_status`] writes: a step of the state machine, or the undo
/// of a closing allowed for the given window after it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum StatusChange {
    /// `open -> active` or `active -> closed` ([`plan::transition`]); a closing's e-mail is due
    /// only after the undo window given.
    To(Status, SignedDuration),
    /// `closed -> active` right after closing ([`plan::undo_close`]).
    UndoClose(SignedDuration),
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
    async fn append_event(
        conn: &mut Conn<B>,
        ticket_id: i64,
        event: &PlannedEvent,
    ) -> Result<(), StoreError> {
        Self::insert_one(conn, &EVENTS, Insert::event(&event_of(ticket_id, event), false)).await?;
        Ok(())
    }

    /// Records a planned staff category correction of ticket `ticket_id`. Takes the feed lock
    /// first, so correction ids, which the learning loop tails like feed seqs, are drawn in
    /// commit order.
    async fn record_correction(
        conn: &mut Conn<B>,
        ticket_id: i64,
        planned: &PlannedCorrection,
    ) -> Result<(), StoreError> {
        B::lock_feed(conn).await?;
        let correction = Correction {
            id: 0,
            ticket_id,
            text: planned.text.clone(),
            from_category: planned.from_category,
            to_category: planned.to_category,
            from_source: planned.from_source,
            actor_name: planned.actor_name.clone(),
            corrected_at: planned.corrected_at,
        };
        Self::insert_one(conn, &CORRECTIONS, Insert::correction(&correction, false)).await?;
        Ok(())
    }

    pub(crate) async fn create(
        &self,
        new: NewTicket,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        self.write_create(Create { new, actor: actor.clone(), now }).await
    }

    /// Writes new tickets, one statement per table for all of them, and publishes them in
    /// order. Returns the tickets and the last seq.
    pub(crate) async fn create_many(
        conn: &mut Conn<B>,
        creates: Vec<Create>,
    ) -> Result<(Vec<Ticket>, i64), StoreError> {
        let tickets = Self::insert_created(conn, &creates).await?;
        let ids: Vec<i64> = tickets.iter().map(|ticket| ticket.id).collect();
        let seq = B::publish(conn, &ids).await?;
        Ok((tickets, seq))
    }

    /// Writes a new ticket and its attachments (see
    /// [`store::TicketStore::create_ticket_with_attachments`]) in one transaction.
    pub(crate) async fn create_with_attachments(
        &self,
        create: Create,
        attachments: Vec<NewAttachment>,
    ) -> Result<(Ticket, Vec<Attachment>), StoreError> {
        self.write(move |conn| {
            Box::pin(async move {
                let now = stored(create.now);
                let ticket =
                    Self::insert_created(conn, std::slice::from_ref(&create)).await?.pop().ok_or_else(
                        || StoreError::backend(anyhow::anyhow!("{}: no ticket was written", B::NAME)),
                    )?;
                let attached = Self::insert_attachments(conn, ticket.id, None, attachments, now).await?;
                let seq = B::publish(conn, &[ticket.id]).await?;
                Ok(((ticket, attached), seq))
            })
        })
        .await
    }

    /// Writes new tickets, one statement per table for all of them, and returns them with their
    /// ids; the caller publishes them.
    async fn insert_created(conn: &mut Conn<B>, creates: &[Create]) -> Result<Vec<Ticket>, StoreError> {
        let mut tickets: Vec<Ticket> = creates
            .iter()
            .map(|create| {
                let now = stored(create.now);
                Ticket {
                    id: 0,
                    title: create.new.title.as_str().to_owned(),
                    description: create.new.description.as_str().to_owned(),
                    category: create.new.category,
                    category_source: CategorySource::Auto,
                    category_confidence: create.new.category_confidence,
                    category_terms: create.new.category_terms.clone(),
                    needs_check: create.new.needs_check,
                    status: Status::Open,
                    opened_at: now,
                    updated_at: now,
                    closed_at: None,
                    version: 1,
                    message_count: 0,
                }
            })
            .collect();
        let rows = tickets.iter().map(|ticket| Insert::ticket(ticket, true, false)).collect();
        let ids = Self::insert_rows(conn, &TICKETS, rows).await?;
        for (ticket, id) in tickets.iter_mut().zip(&ids) {
            ticket.id = *id;
        }
        let events = tickets
            .iter()
            .zip(creates)
            .map(|(ticket, create)| {
                let created = plan::created(&create.actor, ticket.opened_at);
                Insert::event(&event_of(ticket.id, &created), false)
            })
            .collect();
        Self::insert_rows(conn, &EVENTS, events).await?;
        let subscriptions: Vec<_> = tickets
            .iter()
            .zip(creates)
            .filter_map(|(ticket, create)| {
                let reporter = create.new.reporter.as_ref()?;
                let subscription = Subscription {
                    id: 0,
                    ticket_id: ticket.id,
                    address: reporter.address.clone(),
                    token: reporter.token.clone(),
                    created_at: ticket.opened_at,
                    unsubscribed_at: None,
                };
                Some(Insert::subscription(&subscription, false))
            })
            .collect();
        if !subscriptions.is_empty() {
            Self::insert_rows(conn, &SUBSCRIPTIONS, subscriptions).await?;
        }
        // A new ticket has no thread yet: its document is its title and description.
        let documents: Vec<_> = tickets
            .iter()
            .map(|ticket| (ticket.id, search::document(&ticket.title, &ticket.description, [])))
            .collect();
        B::write_search(conn, &documents).await?;
        Self::link_reporters(conn, &ids).await?;
        Ok(tickets)
    }

    pub(crate) async fn update(
        &self,
        id: i64,
        edit: TicketEdit,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        let actor = actor.clone();
        self.write(move |conn| Box::pin(Self::update_in(conn, id, edit, actor, now))).await
    }

    async fn update_in(
        conn: &mut Conn<B>,
        id: i64,
        edit: TicketEdit,
        actor: Actor,
        now: Timestamp,
    ) -> Result<(Ticket, i64), StoreError> {
        let before = Self::read_ticket(conn, id, B::LOCK_ROW).await?;
        let Some(plan) = plan::edit(&before, edit, &actor, now)? else {
            // Nothing to change: no new version, event or change feed entry.
            return Ok((before, 0));
        };
        let sql = format!(
            "UPDATE tickets SET \
               title = COALESCE($2, title), \
               description = COALESCE($3, description), \
               category = COALESCE($4, category), \
               category_source = CASE WHEN CAST($4 AS TEXT) IS NULL THEN category_source ELSE 'staff' END, \
               category_confidence = CASE WHEN CAST($4 AS TEXT) IS NULL THEN category_confidence ELSE 1.0 END, \
               category_terms = CASE WHEN CAST($4 AS TEXT) IS NULL THEN category_terms ELSE '' END, \
               needs_check = CASE WHEN CAST($4 AS TEXT) IS NULL THEN needs_check ELSE FALSE END, \
               version = version + 1, updated_at = $5 \
             WHERE id = $1 RETURNING {TICKET_COLUMNS}"
        );
        let after = sqlx::query_as::<_, TicketRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(plan.title.as_ref().map(|t| t.as_str().to_owned()))
            .bind(plan.description.as_ref().map(|d| d.as_str().to_owned()))
            .bind(plan.category.map(|c| c.as_str().to_owned()))
            .bind(Instant(now))
            .fetch_one(&mut *conn)
            .await
            .map_err(failed::<B>("update a ticket"))?
            .into_ticket()?;
        for event in &plan.events {
            Self::append_event(conn, id, event).await?;
        }
        if let Some(correction) = &plan.correction {
            Self::record_correction(conn, id, correction).await?;
        }
        if plan.title.is_some() || plan.description.is_some() {
            Self::index_tickets(conn, &[id]).await?;
        }
        let seq = B::publish(conn, &[id]).await?;
        Ok((after, seq))
    }

    pub(crate) async fn change_status(
        &self,
        id: i64,
        change: StatusChange,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        let actor = actor.clone();
        self.write(move |conn| Box::pin(Self::change_status_in(conn, id, change, actor, now))).await
    }

    async fn change_status_in(
        conn: &mut Conn<B>,
        id: i64,
        change: StatusChange,
        actor: Actor,
        now: Timestamp,
    ) -> Result<(Ticket, i64), StoreError> {
        let before = Self::read_ticket(conn, id, B::LOCK_ROW).await?;
        let plan = match change {
            StatusChange::To(to, _) => plan::transition(&before, to, &actor, now)?,
            StatusChange::UndoClose(window) => plan::undo_close(&before, &actor, now, window)?,
        };
        let sql = format!(
            "UPDATE tickets SET status = $2, closed_at = $3, updated_at = $4 WHERE id = $1 RETURNING {TICKET_COLUMNS}"
        );
        let after = sqlx::query_as::<_, TicketRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(plan.status.as_str().to_owned())
            .bind(plan.closed_at.map(Instant))
            .bind(Instant(now))
            .fetch_one(&mut *conn)
            .await
            .map_err(failed::<B>("change a ticket's status"))?
            .into_ticket()?;
        Self::append_event(conn, id, &plan.event).await?;
        if outbox::notifies(&actor) {
            match change {
                StatusChange::To(_, undo_window) => {
                    // A closing's e-mail waits out the undo window, so an undo can drop it.
                    let due = match plan.status {
                        Status::Closed => {
                            now.checked_add(undo_window.max(SignedDuration::ZERO)).unwrap_or(now)
                        }
                        _ => now,
                    };
                    let detail = plan.status.as_str();
                    Self::queue_notification(conn, id, NotificationKind::Status, detail, now, due).await?;
                }
                StatusChange::UndoClose(_) => {
                    // The reporter never heard of the closing when its e-mail is still unsent:
                    // drop it and say nothing. Once it went out, tell them of the reopening.
                    if !Self::drop_pending_closed(conn, id, now).await? {
                        Self::queue_notification(conn, id, NotificationKind::Status, "reopened", now, now)
                            .await?;
                    }
                }
            }
        }
        let seq = B::publish(conn, &[id]).await?;
        Ok((after, seq))
    }

    pub(crate) async fn post_message(
        &self,
        ticket_id: i64,
        body: MessageBody,
        actor: &Actor,
        attachments: Vec<NewAttachment>,
        now: Timestamp,
    ) -> Result<(Message, Vec<Attachment>), StoreError> {
        let actor = actor.clone();
        self.write(move |conn| {
            Box::pin(Self::post_message_in(conn, ticket_id, body, actor, attachments, now))
        })
        .await
    }

    /// Writes a message and its attachments, then publishes the ticket.
    async fn post_message_in(
        conn: &mut Conn<B>,
        ticket_id: i64,
        body: MessageBody,
        actor: Actor,
        attachments: Vec<NewAttachment>,
        now: Timestamp,
    ) -> Result<((Message, Vec<Attachment>), i64), StoreError> {
        let now = stored(now);
        // Counting first locks the ticket's row (PostgreSQL), so its messages get ids in
        // posting order.
        let counted = sqlx::query_scalar::<_, i64>(
            "UPDATE tickets SET message_count = message_count + 1, updated_at = $2 WHERE id = $1 RETURNING id",
        )
        .bind(ticket_id)
        .bind(Instant(now))
        .fetch_optional(&mut *conn)
        .await
        .map_err(failed::<B>("count a message"))?;
        if counted.is_none() {
            return Err(StoreError::NotFound(ticket_id));
        }
        let mut message = Message {
            id: 0,
            ticket_id,
            author_role: actor.role,
            author_name: actor.name.as_ref().map(|n| n.as_str().to_owned()),
            body: body.as_str().to_owned(),
            created_at: now,
        };
        message.id = Self::insert_one(conn, &MESSAGES, Insert::message(&message, false)).await?;
        Self::append_event(conn, ticket_id, &plan::message_posted(&actor, message.id, now)).await?;
        if outbox::notifies(&actor) {
            Self::queue_notification(conn, ticket_id, NotificationKind::Message, &message.body, now, now)
                .await?;
        }
        let attached = Self::insert_attachments(conn, ticket_id, Some(message.id), attachments, now).await?;
        Self::index_tickets(conn, &[ticket_id]).await?;
        let seq = B::publish(conn, &[ticket_id]).await?;
        Ok(((message, attached), seq))
    }

    /// Imports `tickets` in one transaction (see [`store::TicketStore::import`]); the event
    /// log says what is known and nothing more ([`plan::import`]).
    pub(crate) async fn import_tickets(
        &self,
        tickets: Vec<ImportedTicket>,
        actor: &Actor,
    ) -> Result<Vec<i64>, StoreError> {
        plan::check_import(&tickets)?;
        if tickets.is_empty() {
            return Ok(Vec::new());
        }
        let actor = actor.clone();
        let ids = self.write(move |conn| Box::pin(Self::import_in(conn, tickets, actor))).await?;
        tracing::info!(tickets = ids.len(), "imported tickets");
        self.after_import(ids.len()).await;
        Ok(ids)
    }

    /// After an import of `added` tickets has committed: once it makes up a tenth of all
    /// tickets or more (the share from which PostgreSQL's autovacuum re-analyses a table,
    /// `autovacuum_analyze_scale_factor`), lets the backend refresh the statistics its planner
    /// and [`Backend::estimate_matches`] read ([`Backend::refresh_statistics`]), so that
    /// searches right after a large import do not plan on guesses. A failure is logged, not
    /// returned: the tickets are in.
    pub(crate) async fn after_import(&self, added: usize) {
        let pool = &self.inner.pool;
        let refreshed = async {
            let tickets = Self::count_from_counters(pool, &store::TicketQuery::default()).await?;
            if i64::try_from(added).unwrap_or(i64::MAX).saturating_mul(10) < tickets {
                return Ok(false);
            }
            B::refresh_statistics(pool).await.map(|()| true)
        };
        match refreshed.await {
            Ok(true) => tracing::debug!(added, "refreshed the database's statistics after an import"),
            Ok(false) => {}
            Err(err) => {
                tracing::warn!(error = ?err, "cannot refresh the database's statistics after an import")
            }
        }
    }

    /// Writes an import table by table, each in statements of many rows: the tickets, then
    /// every thread's messages, then the event log in each ticket's order (created, each
    /// message, closed), the search documents and the change feed.
    pub(crate) async fn import_in(
        conn: &mut Conn<B>,
        tickets: Vec<ImportedTicket>,
        actor: Actor,
    ) -> Result<(Vec<i64>, i64), StoreError> {
        let plans: Vec<_> = tickets.iter().map(|imported| plan::import(imported, &actor)).collect();
        let rows = tickets.iter().zip(&plans).map(|(imported, plan)| {
            let ticket = Ticket {
                id: 0,
                title: imported.title.as_str().to_owned(),
                description: imported.description.as_str().to_owned(),
                category: imported.category,
                category_source: imported.category_source,
                category_confidence: imported.category_confidence,
                category_terms: imported.category_terms.clone(),
                needs_check: imported.needs_check,
                status: imported.status,
                opened_at: imported.opened_at,
                updated_at: plan.updated_at,
                closed_at: imported.closed_at,
                version: 1,
                message_count: plan.message_count,
            };
            let auto = imported.category_source == CategorySource::Auto;
            Insert::ticket(&ticket, auto, false)
        });
        let ids = Self::insert_rows(conn, &TICKETS, rows.collect()).await?;

        // The threads in the order they are stored (oldest first), as a rebuild reads them.
        let messages = ids.iter().zip(&plans).flat_map(|(&ticket_id, plan)| {
            plan.thread.iter().map(move |posted| {
                let message = Message {
                    id: 0,
                    ticket_id,
                    author_role: posted.author.role,
                    author_name: posted.author.name.as_ref().map(|n| n.as_str().to_owned()),
                    body: posted.body.as_str().to_owned(),
                    created_at: posted.created_at,
                };
                Insert::message(&message, false)
            })
        });
        let message_ids = Self::insert_rows(conn, &MESSAGES, messages.collect()).await?;

        let mut message_ids = message_ids.into_iter();
        let mut events = Vec::new();
        let mut documents = Vec::with_capacity(ids.len());
        for ((&ticket_id, plan), imported) in ids.iter().zip(&plans).zip(&tickets) {
            events.push(Insert::event(&event_of(ticket_id, &plan.created), false));
            for (posted, message_id) in plan.thread.iter().zip(message_ids.by_ref()) {
                let posted_event = plan::message_posted(&posted.author, message_id, posted.created_at);
                events.push(Insert::event(&event_of(ticket_id, &posted_event), false));
            }
            if let Some(closed) = &plan.closed {
                events.push(Insert::event(&event_of(ticket_id, closed), false));
            }
            let thread = plan.thread.iter().map(|m| m.body.as_str());
            documents.push((
                ticket_id,
                search::document(imported.title.as_str(), imported.description.as_str(), thread),
            ));
        }
        Self::insert_rows(conn, &EVENTS, events).await?;
        for batch in documents.chunks(SEARCH_BATCH) {
            B::write_search(conn, batch).await?;
        }
        Self::link_reporters(conn, &ids).await?;
        let seq = B::publish(conn, &ids).await?;
        Ok((ids, seq))
    }
}
