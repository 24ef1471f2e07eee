//! The writes: every change of a ticket, and the one insert path every row takes.
//!
//! A change runs in one transaction from [`Backend::begin_write`]: read the ticket (locking its
//! row where the backend locks rows), ask `store::plan` what to write (the rules live there,
//! once for both backends), write it, append the events, record a category correction, and
//! publish the ticket to the change feed ([`Backend::publish`]) as the last statement before
//! the commit.
//!
//! Every row of every table goes in through [`SqlStore::insert_rows`]: one new ticket, message,
//! event or correction; an import's tickets and threads; a restore's tables in batches, keeping
//! their ids. The column lists are written once, in the [`Table`] constants.

use domain::{Actor, CategorySource, Event, Message, MessageBody, Status, Ticket};
use jiff::Timestamp;
use sqlx::query_builder::Separated;
use sqlx::{ColumnIndex, Executor, IntoArguments, QueryBuilder};
use store::plan::{self, PlannedCorrection, PlannedEvent};
use store::{Correction, FeedEntry, ImportedTicket, NewTicket, StoreError, TicketEdit};

use crate::rows::{TICKET_COLUMNS, TicketRow, join_terms};
use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// Most values one insert statement binds: under SQLite's limit of 32,766 host parameters
/// (SQLite "Limits in SQLite", §9, since 3.32.0) and PostgreSQL's 65,535.
const MAX_BINDS: usize = 30_000;

/// A table rows are inserted into: its name, its id column and its other columns, in the
/// order of the values of an [`Insert`].
#[derive(Debug)]
pub(crate) struct Table {
    name: &'static str,
    id: &'static str,
    columns: &'static [&'static str],
}

pub(crate) const TICKETS: Table = Table {
    name: "tickets",
    id: "id",
    columns: &[
        "title",
        "description",
        "category",
        "category_source",
        "category_confidence",
        "category_terms",
        "needs_check",
        "auto_categorised",
        "status",
        "opened_at",
        "updated_at",
        "closed_at",
        "version",
        "message_count",
    ],
};

pub(crate) const MESSAGES: Table = Table {
    name: "messages",
    id: "id",
    columns: &["ticket_id", "author_role", "author_name", "body", "created_at"],
};

pub(crate) const EVENTS: Table = Table {
    name: "events",
    id: "id",
    columns: &["ticket_id", "kind", "actor_role", "actor_name", "from_value", "to_value", "at"],
};

pub(crate) const CORRECTIONS: Table = Table {
    name: "category_corrections",
    id: "id",
    columns: &[
        "ticket_id",
        "text",
        "from_category",
        "to_category",
        "from_source",
        "actor_name",
        "corrected_at",
    ],
};

pub(crate) const FEED: Table = Table { name: "changes", id: "seq", columns: &["ticket_id"] };

/// One value of an inserted row.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(Option<String>),
    At(Option<Timestamp>),
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(Some(text.to_owned()))
    }
}

/// One row to insert: its id when it keeps one (a restore), and its values in the table's
/// column order.
#[derive(Debug)]
pub(crate) struct Insert {
    pub(crate) id: Option<i64>,
    pub(crate) values: Vec<Value>,
}

impl Insert {
    /// The row of `ticket` (its id kept when `keep_id`); `auto_categorised` says whether the
    /// classifier chose its category when it entered campusdesk.
    pub(crate) fn ticket(ticket: &Ticket, auto_categorised: bool, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(ticket.id),
            values: vec![
                ticket.title.as_str().into(),
                ticket.description.as_str().into(),
                ticket.category.as_str().into(),
                ticket.category_source.as_str().into(),
                Value::Real(ticket.category_confidence),
                Value::Text(Some(join_terms(&ticket.category_terms))),
                Value::Bool(ticket.needs_check),
                Value::Bool(auto_categorised),
                ticket.status.as_str().into(),
                Value::At(Some(ticket.opened_at)),
                Value::At(Some(ticket.updated_at)),
                Value::At(ticket.closed_at),
                Value::Int(ticket.version),
                Value::Int(ticket.message_count),
            ],
        }
    }

    pub(crate) fn message(message: &Message, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(message.id),
            values: vec![
                Value::Int(message.ticket_id),
                message.author_role.as_str().into(),
                Value::Text(message.author_name.clone()),
                message.body.as_str().into(),
                Value::At(Some(message.created_at)),
            ],
        }
    }

    pub(crate) fn event(event: &Event, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(event.id),
            values: vec![
                Value::Int(event.ticket_id),
                event.kind.as_str().into(),
                event.actor_role.as_str().into(),
                Value::Text(event.actor_name.clone()),
                Value::Text(event.from.clone()),
                Value::Text(event.to.clone()),
                Value::At(Some(event.at)),
            ],
        }
    }

    pub(crate) fn correction(correction: &Correction, keep_id: bool) -> Insert {
        Insert {
            id: keep_id.then_some(correction.id),
            values: vec![
                Value::Int(correction.ticket_id),
                correction.text.as_str().into(),
                correction.from_category.as_str().into(),
                correction.to_category.as_str().into(),
                correction.from_source.as_str().into(),
                Value::Text(correction.actor_name.clone()),
                Value::At(Some(correction.corrected_at)),
            ],
        }
    }

    pub(crate) fn feed_entry(entry: &FeedEntry) -> Insert {
        Insert { id: Some(entry.seq), values: vec![Value::Int(entry.ticket_id)] }
    }
}

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
    /// Inserts `rows` into `table`, in batches, and returns the ids they got (or kept), in
    /// order for a single row. Rows either all keep their ids ([`Backend::KEEP_IDS`]) or none
    /// does.
    pub(crate) async fn insert_rows(
        conn: &mut Conn<B>,
        table: &Table,
        rows: Vec<Insert>,
    ) -> Result<Vec<i64>, StoreError> {
        let keep_ids = rows.first().is_some_and(|row| row.id.is_some());
        let per_batch = (MAX_BINDS / (table.columns.len() + 1)).max(1);
        let mut ids = Vec::with_capacity(rows.len());
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut sql = QueryBuilder::<B::Db>::new(format!("INSERT INTO {} (", table.name));
            if keep_ids {
                sql.push(table.id).push(", ");
            }
            sql.push(table.columns.join(", ")).push(")");
            if keep_ids {
                sql.push(B::KEEP_IDS);
            }
            sql.push(" ");
            sql.push_values(rows.by_ref().take(per_batch), |mut row, insert| {
                if keep_ids {
                    row.push_bind(insert.id.unwrap_or_default());
                }
                for value in insert.values {
                    Self::bind(&mut row, value);
                }
            });
            sql.push(format!(" RETURNING {}", table.id));
            let batch = sql
                .build_query_scalar::<i64>()
                .fetch_all(&mut *conn)
                .await
                .map_err(failed::<B>("insert rows"))?;
            ids.extend(batch);
        }
        Ok(ids)
    }

    /// Inserts one row with a fresh id and returns it.
    async fn insert_one(conn: &mut Conn<B>, table: &Table, row: Insert) -> Result<i64, StoreError> {
        let ids = Self::insert_rows(conn, table, vec![row]).await?;
        ids.first().copied().ok_or_else(|| {
            StoreError::backend(anyhow::anyhow!("{}: inserting into {} returned no id", B::NAME, table.name))
        })
    }

    fn bind(row: &mut Separated<'_, B::Db, &'static str>, value: Value) {
        match value {
            Value::Int(n) => row.push_bind(n),
            Value::Real(x) => row.push_bind(x),
            Value::Bool(b) => row.push_bind(b),
            Value::Text(text) => row.push_bind(text),
            Value::At(at) => row.push_bind(at.map(Instant)),
        };
    }

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
        let seq = B::publish(&mut write.tx, &ids).await?;
        self.commit(write, seq).await?;
        tracing::info!(tickets = ids.len(), "imported tickets");
        Ok(ids)
    }
}
