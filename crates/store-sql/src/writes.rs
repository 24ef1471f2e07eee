//! The writes: every change of a ticket.
//!
//! A change runs in one transaction from [`Backend::begin_write`]: read the ticket (locking its
//! row where the backend locks rows), ask `store::plan` what to write (the rules live there,
//! once for both backends), write it, append the events, record a category correction, and
//! publish the ticket to the change feed ([`Backend::publish`]) as the last statement before
//! the commit.
//!
//! Every row goes in through the one insert path (`inserts`).

use domain::{Actor, CategorySource, Event, Message, MessageBody, Status, Ticket};
use jiff::Timestamp;
use sqlx::{ColumnIndex, Executor, IntoArguments};
use store::plan::{self, PlannedCorrection, PlannedEvent};
use store::search;
use store::{Correction, ImportedTicket, NewTicket, StoreError, TicketEdit};

use crate::inserts::{CORRECTIONS, EVENTS, Insert, MESSAGES, TICKETS};
use crate::rows::{TICKET_COLUMNS, TicketRow};
use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// `at` as the database keeps it: whole microseconds (finer parts dropped).
fn stored(at: Timestamp) -> Timestamp {
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
        let now = stored(now);
        let mut write = self.inner.backend.begin_write(&self.inner.pool).await?;
        let mut ticket = Ticket {
            id: 0,
            title: new.title.as_str().to_owned(),
            description: new.description.as_str().to_owned(),
            category: new.category,
            category_source: CategorySource::Auto,
            category_confidence: new.category_confidence,
            category_terms: new.category_terms,
            needs_check: new.needs_check,
            status: Status::Open,
            opened_at: now,
            updated_at: now,
            closed_at: None,
            version: 1,
            message_count: 0,
        };
        ticket.id = Self::insert_one(&mut write.tx, &TICKETS, Insert::ticket(&ticket, true, false)).await?;
        Self::append_event(&mut write.tx, ticket.id, &plan::created(actor, now)).await?;
        // A new ticket has no thread yet: its document is its title and description.
        let words = search::document(&ticket.title, &ticket.description, []);
        B::write_search(&mut write.tx, &[(ticket.id, words)]).await?;
        let seq = B::publish(&mut write.tx, &[ticket.id]).await?;
        self.commit(write, seq).await?;
        Ok(ticket)
    }

    pub(crate) async fn update(
        &self,
        id: i64,
        edit: TicketEdit,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        let mut write = self.inner.backend.begin_write(&self.inner.pool).await?;
        let before = Self::read_ticket(&mut write.tx, id, B::LOCK_ROW).await?;
        let Some(plan) = plan::edit(&before, edit, actor, now)? else {
            // Nothing to change: no new version, event or change feed entry.
            return Ok(before);
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
            .fetch_one(&mut *write.tx)
            .await
            .map_err(failed::<B>("update a ticket"))?
            .into_ticket()?;
        for event in &plan.events {
            Self::append_event(&mut write.tx, id, event).await?;
        }
        if let Some(correction) = &plan.correction {
            Self::record_correction(&mut write.tx, id, correction).await?;
        }
        if plan.title.is_some() || plan.description.is_some() {
            Self::index_tickets(&mut write.tx, &[id]).await?;
        }
        let seq = B::publish(&mut write.tx, &[id]).await?;
        self.commit(write, seq).await?;
        Ok(after)
    }

    pub(crate) async fn change_status(
        &self,
        id: i64,
        to: Status,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Ticket, StoreError> {
        let mut write = self.inner.backend.begin_write(&self.inner.pool).await?;
        let before = Self::read_ticket(&mut write.tx, id, B::LOCK_ROW).await?;
        let plan = plan::transition(&before, to, actor, now)?;
        let sql = format!(
            "UPDATE tickets SET status = $2, closed_at = $3, updated_at = $4 WHERE id = $1 RETURNING {TICKET_COLUMNS}"
        );
        let after = sqlx::query_as::<_, TicketRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(plan.status.as_str().to_owned())
            .bind(plan.closed_at.map(Instant))
            .bind(Instant(now))
            .fetch_one(&mut *write.tx)
            .await
            .map_err(failed::<B>("change a ticket's status"))?
            .into_ticket()?;
        Self::append_event(&mut write.tx, id, &plan.event).await?;
        let seq = B::publish(&mut write.tx, &[id]).await?;
        self.commit(write, seq).await?;
        Ok(after)
    }

    pub(crate) async fn post_message(
        &self,
        ticket_id: i64,
        body: MessageBody,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Message, StoreError> {
        let now = stored(now);
        let mut write = self.inner.backend.begin_write(&self.inner.pool).await?;
        // Counting first locks the ticket's row (PostgreSQL), so its messages get ids in
        // posting order.
        let counted = sqlx::query_scalar::<_, i64>(
            "UPDATE tickets SET message_count = message_count + 1, updated_at = $2 WHERE id = $1 RETURNING id",
        )
        .bind(ticket_id)
        .bind(Instant(now))
        .fetch_optional(&mut *write.tx)
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
        message.id = Self::insert_one(&mut write.tx, &MESSAGES, Insert::message(&message, false)).await?;
        Self::append_event(&mut write.tx, ticket_id, &plan::message_posted(actor, message.id, now)).await?;
        Self::index_tickets(&mut write.tx, &[ticket_id]).await?;
        let seq = B::publish(&mut write.tx, &[ticket_id]).await?;
        self.commit(write, seq).await?;
        Ok(message)
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
        let mut write = self.inner.backend.begin_write(&self.inner.pool).await?;
        let mut ids = Vec::with_capacity(tickets.len());
        let mut documents = Vec::with_capacity(tickets.len());
        for imported in &tickets {
            let plan = plan::import(imported, actor);
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
            let id = Self::insert_one(&mut write.tx, &TICKETS, Insert::ticket(&ticket, auto, false)).await?;
            Self::append_event(&mut write.tx, id, &plan.created).await?;
            // The thread in the order it is stored (oldest first), as a rebuild reads it.
            let thread: Vec<&str> = plan.thread.iter().map(|m| m.body.as_str()).collect();
            let words = search::document(imported.title.as_str(), imported.description.as_str(), thread);
            documents.push((id, words));
            for posted in plan.thread {
                let message = Message {
                    id: 0,
                    ticket_id: id,
                    author_role: posted.author.role,
                    author_name: posted.author.name.as_ref().map(|n| n.as_str().to_owned()),
                    body: posted.body.as_str().to_owned(),
                    created_at: posted.created_at,
                };
                let message_id =
                    Self::insert_one(&mut write.tx, &MESSAGES, Insert::message(&message, false)).await?;
                let event = plan::message_posted(&posted.author, message_id, posted.created_at);
                Self::append_event(&mut write.tx, id, &event).await?;
            }
            if let Some(closed) = &plan.closed {
                Self::append_event(&mut write.tx, id, closed).await?;
            }
            ids.push(id);
        }
        for batch in documents.chunks(500) {
            B::write_search(&mut write.tx, batch).await?;
        }
        let seq = B::publish(&mut write.tx, &ids).await?;
        self.commit(write, seq).await?;
        tracing::info!(tickets = ids.len(), "imported tickets");
        Ok(ids)
    }
}
