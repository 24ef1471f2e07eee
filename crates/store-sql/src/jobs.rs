//! Import jobs (`import_jobs`): their record, progress and outcome (see [`store::jobs`]).
//!
//! Every change of a job is a write of its own through [`SqlStore::write`] (on SQLite the
//! writer task's queue), except `done`, which is written by the import's own transaction
//! behind a check that the job is still `writing`: a job failed meanwhile (by the stale sweep
//! of another replica) makes the import roll back instead of storing tickets for a job that
//! says `failed`.

use domain::Actor;
use jiff::Timestamp;
use sqlx::{ColumnIndex, Executor, IntoArguments};
use store::plan;
use store::{ImportJob, ImportState, ImportedTicket, NewImportJob, StoreError};

use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// Columns of `import_jobs`, in [`ImportJobRow`]'s order (`-1` for a `NULL` total or row).
const JOB_COLUMNS: &str = "id, idempotency_key, sha256, bytes, actor_name, state, \
     COALESCE(total, -1) AS total, checked, written, ids, COALESCE(error_row, -1) AS error_row, \
     error, created_at, updated_at";

/// One row of `import_jobs` ([`JOB_COLUMNS`]).
#[derive(Debug, sqlx::FromRow)]
struct ImportJobRow {
    id: i64,
    idempotency_key: Option<String>,
    sha256: String,
    bytes: i64,
    actor_name: Option<String>,
    state: String,
    total: i64,
    checked: i64,
    written: i64,
    ids: String,
    error_row: i64,
    error: Option<String>,
    created_at: Instant,
    updated_at: Instant,
}

impl ImportJobRow {
    fn into_job(self) -> Result<ImportJob, StoreError> {
        let state = ImportState::parse(&self.state).ok_or_else(|| {
            StoreError::backend(anyhow::anyhow!("import_jobs.state holds {:?}, not a job state", self.state))
        })?;
        let ids = self
            .ids
            .split(',')
            .filter(|id| !id.is_empty())
            .map(|id| id.parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::backend(anyhow::anyhow!("import_jobs.ids is not a list of ids: {e}")))?;
        Ok(ImportJob {
            id: self.id,
            idempotency_key: self.idempotency_key,
            sha256: self.sha256,
            bytes: self.bytes,
            actor_name: self.actor_name,
            state,
            total: (self.total >= 0).then_some(self.total),
            checked: self.checked,
            written: self.written,
            ids,
            error_row: (self.error_row >= 0).then_some(self.error_row),
            error: self.error,
            created_at: self.created_at.0,
            updated_at: self.updated_at.0,
        })
    }
}

/// The states a job may still leave, as an SQL list.
const UNFINISHED: &str = "('queued', 'validating', 'writing')";

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
    /// See [`store::TicketStore::create_import_job`].
    pub(crate) async fn insert_import_job(
        &self,
        new: NewImportJob,
        now: Timestamp,
    ) -> Result<(ImportJob, bool), StoreError> {
        let key = new.dedupe_key.clone();
        let inserted: Option<i64> = self
            .write(move |conn| {
                Box::pin(async move {
                    let id = sqlx::query_scalar::<_, i64>(
                        "INSERT INTO import_jobs (dedupe_key, idempotency_key, sha256, bytes, actor_name, \
                         state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6) \
                         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                    )
                    .bind(new.dedupe_key)
                    .bind(new.idempotency_key)
                    .bind(new.sha256)
                    .bind(new.bytes)
                    .bind(new.actor_name)
                    .bind(Instant(now))
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(failed::<B>("record an import job"))?;
                    Ok((id, 0))
                })
            })
            .await?;
        let job = match inserted {
            Some(id) => self.read_import_job("id = $1", id).await?,
            None => self.read_import_job("dedupe_key = $1", key).await?,
        };
        let job = job.ok_or_else(|| {
            StoreError::backend(anyhow::anyhow!("the import job just recorded cannot be read back"))
        })?;
        Ok((job, inserted.is_some()))
    }

    /// The job matching `condition` on the bound `value`, if any.
    async fn read_import_job<T>(&self, condition: &str, value: T) -> Result<Option<ImportJob>, StoreError>
    where
        T: Column<B::Db> + Send + 'static,
    {
        let sql = format!("SELECT {JOB_COLUMNS} FROM import_jobs WHERE {condition}");
        let row = sqlx::query_as::<_, ImportJobRow>(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .fetch_optional(self.pool())
            .await
            .map_err(failed::<B>("read an import job"))?;
        row.map(ImportJobRow::into_job).transpose()
    }

    /// See [`store::TicketStore::import_job`].
    pub(crate) async fn find_import_job(&self, id: i64) -> Result<Option<ImportJob>, StoreError> {
        self.read_import_job("id = $1", id).await
    }

    /// See [`store::TicketStore::import_job_by_digest`].
    pub(crate) async fn find_import_job_by_digest(
        &self,
        sha256: String,
    ) -> Result<Option<ImportJob>, StoreError> {
        self.read_import_job(
            "id = (SELECT MAX(id) FROM import_jobs WHERE sha256 = $1 AND state <> 'failed')",
            sha256,
        )
        .await
    }

    /// See [`store::TicketStore::report_import_job`].
    pub(crate) async fn progress_import_job(
        &self,
        id: i64,
        state: ImportState,
        total: Option<i64>,
        checked: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE import_jobs SET state = $2, total = COALESCE(NULLIF($3, -1), total), checked = $4, \
             updated_at = $5 WHERE id = $1 AND state IN {UNFINISHED} RETURNING id"
        );
        self.write(move |conn| {
            Box::pin(async move {
                let done = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                    .bind(id)
                    .bind(state.as_str().to_owned())
                    .bind(total.unwrap_or(-1))
                    .bind(checked)
                    .bind(Instant(now))
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(failed::<B>("record an import job's progress"))?;
                Ok((done.is_some(), 0))
            })
        })
        .await
    }

    /// See [`store::TicketStore::fail_import_job`] and
    /// [`store::TicketStore::fail_stale_import_jobs`]: fails the unfinished jobs matching
    /// `condition`, which reads the bound `value` as `$4`; returns how many.
    pub(crate) async fn fail_import_jobs<T>(
        &self,
        condition: &'static str,
        value: T,
        (error_row, error, release): (Option<i64>, String, bool),
        now: Timestamp,
    ) -> Result<u64, StoreError>
    where
        T: Column<B::Db> + Send + 'static,
    {
        let release = if release { ", dedupe_key = NULL" } else { "" };
        let sql = format!(
            "UPDATE import_jobs SET state = 'failed', error_row = NULLIF($1, -1), error = $2, \
             updated_at = $3{release} WHERE state IN {UNFINISHED} AND {condition} RETURNING id"
        );
        self.write(move |conn| {
            Box::pin(async move {
                let done = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                    .bind(error_row.unwrap_or(-1))
                    .bind(error)
                    .bind(Instant(now))
                    .bind(value)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(failed::<B>("mark import jobs failed"))?;
                Ok((u64::try_from(done.len()).unwrap_or(u64::MAX), 0))
            })
        })
        .await
    }

    /// See [`store::TicketStore::finish_import_job`].
    pub(crate) async fn finish_job(
        &self,
        id: i64,
        tickets: Vec<ImportedTicket>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Vec<i64>, StoreError> {
        plan::check_import(&tickets)?;
        let actor = actor.clone();
        let ids = self
            .write(move |conn| {
                Box::pin(async move {
                    let (ids, seq) = Self::import_in(conn, tickets, actor).await?;
                    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
                    let sql = format!(
                        "UPDATE import_jobs SET state = 'done', written = $2, ids = $3, updated_at = $4 \
                         WHERE id = $1 AND state IN {UNFINISHED} RETURNING id"
                    );
                    let done = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                        .bind(id)
                        .bind(i64::try_from(ids.len()).unwrap_or(i64::MAX))
                        .bind(list)
                        .bind(Instant(now))
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(failed::<B>("mark an import job done"))?;
                    if done.is_none() {
                        return Err(StoreError::backend(anyhow::anyhow!(
                            "import job {id} is no longer being written (it was marked failed meanwhile); \
                             nothing was imported"
                        )));
                    }
                    Ok((ids, seq))
                })
            })
            .await?;
        self.after_import(ids.len()).await;
        Ok(ids)
    }
}
