//! Grouped writes: one writer task commits queued writes in batches.
//!
//! On a backend with [`Backend::GROUP_COMMIT`] (SQLite), every write of the store is a job sent
//! to one task. The task takes the first queued job, begins a write transaction, then takes
//! every job queued meanwhile (at most [`MAX_BATCH`]) and runs them one after the other in that
//! transaction, each after a savepoint of its own: a job that fails is rolled back to its
//! savepoint and answered with its error, and the others go on. Then the task commits once and answers
//! every caller whose job succeeded. The commit is the one flush to stable storage of the
//! batch, so N writes queued together cost one `fsync` instead of N: this is group commit
//! (Gray and Reuter, *Transaction Processing: Concepts and Techniques*, 1993, §9.4.7), done
//! above the database because SQLite serialises its writers and flushes at every commit.
//!
//! New tickets are the most frequent write, so consecutive creates in a batch are written
//! together: one statement per table for all of them ([`SqlStore::create_many`]), which turns
//! the per-statement round trips to the database, not the flush, into the cost of a batch.
//!
//! A caller is answered only after the commit returned, so a success means the write is on
//! stable storage (SQLite's `synchronous = FULL`). When the commit fails, every job of the
//! batch is answered with the commit's error, and none of them is stored.
//!
//! The change feed stays in commit order: jobs publish in the order they run, inside the one
//! transaction, and the watch moves to the batch's last seq after the commit.
//!
//! A backend without group commit (PostgreSQL, whose writers commit in parallel and share its
//! own group commit) runs each job in a transaction of its own, in the caller's task.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Weak;

use domain::{Actor, Ticket};
use jiff::Timestamp;
use sqlx::{ColumnIndex, Executor, IntoArguments};
use store::{NewTicket, StoreError};
use tokio::sync::{mpsc, oneshot};

use crate::{Args, Backend, Column, Conn, Instant, Row, Shared, SqlStore, advance, failed};

/// Most writes one transaction takes: bounds how long the first caller of a batch waits for
/// the last one's work.
pub(crate) const MAX_BATCH: usize = 256;

/// How many writes may wait for the writer before callers wait to queue (back-pressure).
pub(crate) const QUEUE: usize = 4_096;

/// What a write job's future resolves to: its value and the last change feed seq it published
/// (0 when it published none).
pub type JobFuture<'c, T> = Pin<Box<dyn Future<Output = Result<(T, i64), StoreError>> + Send + 'c>>;

/// A job's value with its type erased, as it crosses the queue.
type Value = Box<dyn Any + Send>;

/// A job whose value's type is erased.
type Job<B> = Box<dyn for<'c> FnOnce(&'c mut Conn<B>) -> JobFuture<'c, Value> + Send>;

/// Boxes `job` (a function, so that the closure's signature is inferred from the bound).
fn erase<B: Backend, F>(job: F) -> Job<B>
where
    F: for<'c> FnOnce(&'c mut Conn<B>) -> JobFuture<'c, Value> + Send + 'static,
{
    Box::new(job)
}

/// A new ticket to write, as [`SqlStore::create_many`] takes it.
pub(crate) struct Create {
    pub(crate) new: NewTicket,
    pub(crate) actor: Actor,
    pub(crate) now: Timestamp,
}

/// A write waiting for the writer, and where its answer goes.
pub(crate) enum Queued<B: Backend> {
    /// Any write, as a job.
    Job { job: Job<B>, reply: oneshot::Sender<Result<Value, StoreError>> },
    /// A new ticket: consecutive ones are written together.
    Create { create: Create, reply: oneshot::Sender<Result<Ticket, StoreError>> },
}

impl<B: Backend> Queued<B> {
    /// Answers a write that did not run with `error`.
    fn refuse(self, error: StoreError) {
        // A caller that went away needs no answer.
        let _ = match self {
            Queued::Job { reply, .. } => reply.send(Err(error)).is_ok(),
            Queued::Create { reply, .. } => reply.send(Err(error)).is_ok(),
        };
    }
}

/// The sending side of a store's writer queue.
pub(crate) type Queue<B> = mpsc::Sender<Queued<B>>;

/// A write of a batch after it ran: answers its caller, given the batch's failure (`None`
/// when the batch committed).
type Ran = Box<dyn FnOnce(Option<&str>) + Send>;

/// The answer of a write that ran with `outcome`, once the batch's fate is known: its value
/// when the batch committed, the batch's error when it did not, its own error when it failed.
fn answer_when_done<T: Send + 'static>(
    reply: oneshot::Sender<Result<T, StoreError>>,
    outcome: Result<T, StoreError>,
) -> Ran {
    Box::new(move |failure| {
        let _ = reply.send(match (outcome, failure) {
            (Ok(value), None) => Ok(value),
            (Ok(_), Some(failure)) => Err(batch_error(failure)),
            (Err(err), _) => Err(err),
        });
    })
}

/// The error each caller of a batch that did not commit gets (one per caller: errors are not
/// `Clone`).
fn batch_error(failure: &str) -> StoreError {
    StoreError::backend(anyhow::anyhow!("{failure}"))
}

/// The error of a write whose store was closed or dropped before the writer answered.
fn writer_gone<B: Backend>() -> StoreError {
    StoreError::backend(anyhow::anyhow!("{}: the store was closed before the write was done", B::NAME))
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
    /// Runs `job` in a write transaction and returns its value once the transaction is
    /// committed (durably, on SQLite). `job` gets the transaction's connection and returns its
    /// value and the last change feed seq it published, or 0.
    ///
    /// Errors: the job's own error (its writes are rolled back), or [`StoreError::Backend`]
    /// when the transaction cannot begin or commit, or the store was closed.
    pub(crate) async fn write<T, F>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Conn<B>) -> JobFuture<'c, T> + Send + 'static,
    {
        let Some(queue) = &self.inner.queue else {
            let mut write = self.inner.backend.begin_write(&self.inner.pool).await?;
            let (value, seq) = job(&mut write.tx).await?;
            self.commit(write, seq).await?;
            return Ok(value);
        };
        let (reply, answer) = oneshot::channel();
        let job = erase::<B, _>(move |conn| {
            Box::pin(async move {
                let (value, seq) = job(conn).await?;
                Ok((Box::new(value) as Value, seq))
            })
        });
        queue.send(Queued::Job { job, reply }).await.map_err(|_| writer_gone::<B>())?;
        let value = answer.await.map_err(|_| writer_gone::<B>())??;
        value.downcast::<T>().map(|value| *value).map_err(|_| {
            StoreError::backend(anyhow::anyhow!("{}: a write was answered with another job's value", B::NAME))
        })
    }

    /// Writes a new ticket (see [`store::TicketStore::create_ticket`]), together with the other
    /// creates queued beside it where the backend groups writes.
    ///
    /// Errors: as [`SqlStore::write`].
    pub(crate) async fn write_create(&self, create: Create) -> Result<Ticket, StoreError> {
        let Some(queue) = &self.inner.queue else {
            let mut tickets = self.write(move |conn| Box::pin(Self::create_many(conn, vec![create]))).await?;
            return tickets.pop().ok_or_else(|| writer_gone::<B>());
        };
        let (reply, answer) = oneshot::channel();
        queue.send(Queued::Create { create, reply }).await.map_err(|_| writer_gone::<B>())?;
        answer.await.map_err(|_| writer_gone::<B>())?
    }

    /// Writes queued for the writer task and not yet taken into a batch: 0 on a backend
    /// without group commit. For monitoring and tests.
    pub fn queued_writes(&self) -> usize {
        self.inner.queue.as_ref().map_or(0, |queue| queue.max_capacity() - queue.capacity())
    }

    /// Starts the writer task of a store (see the module docs); it ends when the store is
    /// dropped.
    pub(crate) fn start_writer(shared: Weak<Shared<B>>) -> Queue<B> {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(Self::run_writer(shared, jobs));
        queue
    }

    /// The writer task: one batch after the other, until the store is gone.
    async fn run_writer(shared: Weak<Shared<B>>, mut jobs: mpsc::Receiver<Queued<B>>) {
        while let Some(first) = jobs.recv().await {
            let Some(shared) = shared.upgrade() else { return };
            let mut batch = vec![first];
            let (committed, ran) = Self::commit_batch(&shared, &mut batch, &mut jobs).await;
            let failure = committed.err().map(|err| match err {
                StoreError::Backend(cause) => format!("{cause:#}"),
                other => other.to_string(),
            });
            for answer in ran {
                answer(failure.as_deref());
            }
            for unrun in batch {
                unrun.refuse(batch_error(failure.as_deref().unwrap_or("the write was not run")));
            }
        }
    }

    /// Begins a transaction, takes the writes queued behind `batch`'s first into it, runs each
    /// (or each run of consecutive creates) after a savepoint and commits. Returns the batch's
    /// outcome and the answers of the writes that ran; writes left in `batch` did not run.
    async fn commit_batch(
        shared: &Shared<B>,
        batch: &mut Vec<Queued<B>>,
        jobs: &mut mpsc::Receiver<Queued<B>>,
    ) -> (Result<(), StoreError>, Vec<Ran>) {
        let mut write = match shared.backend.begin_write(&shared.pool).await {
            Ok(write) => write,
            Err(err) => return (Err(err), Vec::new()),
        };
        // Writes that queued while the transaction began join it.
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut ran: Vec<Ran> = Vec::with_capacity(batch.len());
        let mut last_seq = 0;
        let mut queued = std::mem::take(batch).into_iter().peekable();
        while let Some(next) = queued.next() {
            if let Err(err) = Self::statement(&mut write.tx, "SAVEPOINT job").await {
                batch.push(next);
                batch.extend(queued);
                return (Err(err), ran);
            }
            let failed = match next {
                Queued::Job { job, reply } => {
                    let outcome = job(&mut write.tx).await;
                    let failed = outcome.is_err();
                    let outcome = outcome.map(|(value, seq)| {
                        last_seq = last_seq.max(seq);
                        value
                    });
                    ran.push(answer_when_done(reply, outcome));
                    failed
                }
                Queued::Create { create, reply } => {
                    let mut creates = vec![create];
                    let mut replies = vec![reply];
                    while let Some(Queued::Create { .. }) = queued.peek() {
                        if let Some(Queued::Create { create, reply }) = queued.next() {
                            creates.push(create);
                            replies.push(reply);
                        }
                    }
                    match Self::create_many(&mut write.tx, creates).await {
                        Ok((tickets, seq)) => {
                            last_seq = last_seq.max(seq);
                            for (reply, ticket) in replies.into_iter().zip(tickets) {
                                ran.push(answer_when_done(reply, Ok(ticket)));
                            }
                            false
                        }
                        Err(err) => {
                            let failure = format!("{:#}", anyhow::Error::new(err));
                            for reply in replies {
                                ran.push(answer_when_done(reply, Err(batch_error(&failure))));
                            }
                            true
                        }
                    }
                }
            };
            // A failed write is undone to its savepoint. Savepoints of writes that succeeded
            // are not released one by one: the commit releases them all, one statement less
            // per write.
            if failed && let Err(err) = Self::statement(&mut write.tx, "ROLLBACK TO job").await {
                batch.extend(queued);
                return (Err(err), ran);
            }
        }
        let committed = write.tx.commit().await.map_err(failed::<B>("commit"));
        if committed.is_ok() {
            advance(&shared.latest, last_seq);
        }
        (committed, ran)
    }

    /// Runs one savepoint statement.
    async fn statement(conn: &mut Conn<B>, sql: &'static str) -> Result<(), StoreError> {
        sqlx::query(sql).execute(&mut *conn).await.map_err(failed::<B>("run a write in its savepoint"))?;
        Ok(())
    }
}
