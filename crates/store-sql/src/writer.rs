//! Grouped writes: one writer task commits queued writes in batches.
//!
//! On a backend with [`Backend::GROUP_COMMIT`] (SQLite), every write of the store is a job sent
//! to one task. The task takes the first queued job, begins a write transaction, then takes
//! every job queued meanwhile (at most [`MAX_BATCH`]) and runs them one after the other in that
//! transaction, each inside its own savepoint: a job that fails is rolled back to its savepoint
//! and answered with its error, and the others go on. Then the task commits once and answers
//! every caller whose job succeeded. The commit is the one flush to stable storage of the
//! batch, so N writes queued together cost one `fsync` instead of N: this is group commit
//! (Gray and Reuter, *Transaction Processing: Concepts and Techniques*, 1993, §9.4.7), done
//! above the database because SQLite serialises its writers and flushes at every commit.
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

use sqlx::{Executor, IntoArguments};
use store::StoreError;
use tokio::sync::{mpsc, oneshot};

use crate::{Args, Backend, Conn, Shared, SqlStore, advance, failed};

/// Most jobs one transaction takes: bounds how long the first caller of a batch waits for the
/// last one's work.
pub(crate) const MAX_BATCH: usize = 256;

/// How many jobs may wait for the writer before callers wait to queue (back-pressure).
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

/// A job waiting for the writer, and where its answer goes.
pub(crate) struct Queued<B: Backend> {
    job: Job<B>,
    reply: oneshot::Sender<Result<Value, StoreError>>,
}

/// The sending side of a store's writer queue.
pub(crate) type Queue<B> = mpsc::Sender<Queued<B>>;

impl<B> SqlStore<B>
where
    B: Backend,
    for<'c> &'c mut Conn<B>: Executor<'c, Database = B::Db>,
    Args<B>: IntoArguments<B::Db>,
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
        queue.send(Queued { job, reply }).await.map_err(|_| writer_gone::<B>())?;
        let value = answer.await.map_err(|_| writer_gone::<B>())??;
        value.downcast::<T>().map(|value| *value).map_err(|_| {
            StoreError::backend(anyhow::anyhow!("{}: a write was answered with another job's value", B::NAME))
        })
    }

    /// Writes queued for the writer task and not yet taken into a batch: 0 on a backend
    /// without group commit. For monitoring and tests.
    pub fn queued_writes(&self) -> usize {
        self.inner.queue.as_ref().map_or(0, |queue| queue.max_capacity() - queue.capacity())
    }
}

/// The error of a write whose store was closed or dropped before the writer answered.
fn writer_gone<B: Backend>() -> StoreError {
    StoreError::backend(anyhow::anyhow!("{}: the store was closed before the write was done", B::NAME))
}

/// Starts the writer task of a store (see the module docs); it ends when the store is dropped.
pub(crate) fn start<B>(shared: Weak<Shared<B>>) -> Queue<B>
where
    B: Backend,
    for<'c> &'c mut Conn<B>: Executor<'c, Database = B::Db>,
    Args<B>: IntoArguments<B::Db>,
{
    let (queue, jobs) = mpsc::channel(QUEUE);
    tokio::spawn(run(shared, jobs));
    queue
}

/// The writer task: one batch after the other, until the store is gone.
async fn run<B>(shared: Weak<Shared<B>>, mut jobs: mpsc::Receiver<Queued<B>>)
where
    B: Backend,
    for<'c> &'c mut Conn<B>: Executor<'c, Database = B::Db>,
    Args<B>: IntoArguments<B::Db>,
{
    while let Some(first) = jobs.recv().await {
        let Some(shared) = shared.upgrade() else { return };
        let mut batch = vec![first];
        let done = commit_batch(&shared, &mut batch, &mut jobs).await;
        answer(done, batch);
    }
}

/// A job of a batch after it ran: where its answer goes and what it was.
type Ran = (oneshot::Sender<Result<Value, StoreError>>, Result<Value, StoreError>);

/// Begins a transaction, takes the jobs queued behind `batch`'s first into it, runs each in a
/// savepoint and commits. Returns the batch's outcome and each job that ran, with its own
/// outcome; jobs left in `batch` did not run.
async fn commit_batch<B>(
    shared: &Shared<B>,
    batch: &mut Vec<Queued<B>>,
    jobs: &mut mpsc::Receiver<Queued<B>>,
) -> (Result<(), StoreError>, Vec<Ran>)
where
    B: Backend,
    for<'c> &'c mut Conn<B>: Executor<'c, Database = B::Db>,
    Args<B>: IntoArguments<B::Db>,
{
    let mut write = match shared.backend.begin_write(&shared.pool).await {
        Ok(write) => write,
        Err(err) => return (Err(err), Vec::new()),
    };
    // Jobs that queued while the transaction began join it.
    while batch.len() < MAX_BATCH {
        match jobs.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    let mut ran = Vec::with_capacity(batch.len());
    let mut last_seq = 0;
    let mut queued = std::mem::take(batch).into_iter();
    while let Some(Queued { job, reply }) = queued.next() {
        if let Err(err) = statement::<B>(&mut write.tx, "SAVEPOINT job").await {
            batch.push(Queued { job, reply });
            batch.extend(queued);
            return (Err(err), ran);
        }
        let outcome = job(&mut write.tx).await;
        let end: &[&'static str] = match &outcome {
            Ok((_, seq)) => {
                last_seq = last_seq.max(*seq);
                &["RELEASE job"]
            }
            Err(_) => &["ROLLBACK TO job", "RELEASE job"],
        };
        ran.push((reply, outcome.map(|(value, _)| value)));
        let mut ended = Ok(());
        for sql in end {
            ended = statement::<B>(&mut write.tx, sql).await;
            if ended.is_err() {
                break;
            }
        }
        if let Err(err) = ended {
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
async fn statement<B>(conn: &mut Conn<B>, sql: &'static str) -> Result<(), StoreError>
where
    B: Backend,
    for<'c> &'c mut Conn<B>: Executor<'c, Database = B::Db>,
    Args<B>: IntoArguments<B::Db>,
{
    sqlx::query(sql).execute(&mut *conn).await.map_err(failed::<B>("run a write in its savepoint"))?;
    Ok(())
}

/// Answers the callers of a batch: each job that ran with its value when the batch committed,
/// else with the batch's error; a failed job with its own error; a job left `unrun`
/// with the batch's error.
fn answer<B: Backend>(done: (Result<(), StoreError>, Vec<Ran>), unrun: Vec<Queued<B>>) {
    let (committed, ran) = done;
    let failure = committed.err().map(|err| match err {
        StoreError::Backend(cause) => format!("{cause:#}"),
        other => other.to_string(),
    });
    let batch_error = || StoreError::backend(anyhow::anyhow!("{}", failure.as_deref().unwrap_or_default()));
    for (reply, outcome) in ran {
        // A caller that went away does not take back its write.
        let _ = reply.send(match outcome {
            Ok(value) if failure.is_none() => Ok(value),
            Ok(_) => Err(batch_error()),
            Err(err) => Err(err),
        });
    }
    for Queued { reply, .. } in unrun {
        let _ = reply.send(Err(batch_error()));
    }
}
