//! Keeping the full-text index ([`store::search`]) in step with the tickets: every change of a
//! ticket's title, description or thread rewrites its search document in the same transaction
//! ([`SqlStore::index_tickets`]), and a store whose index was built by another version of
//! `store::search::document` (or never, as after the migration that added it) rebuilds it at
//! open ([`SqlStore::ensure_search_index`]).

use std::collections::HashMap;

use sqlx::{ColumnIndex, Executor, IntoArguments, Pool, QueryBuilder};
use store::StoreError;
use store::search::{INDEX_VERSION, document};

use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// Tickets indexed per statement batch (and per transaction when rebuilding).
const BATCH: usize = 500;

#[derive(sqlx::FromRow)]
struct TextsRow {
    id: i64,
    title: String,
    description: String,
}

#[derive(sqlx::FromRow)]
struct BodyRow {
    ticket_id: i64,
    body: String,
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
    /// Rewrites the search documents of `ticket_ids` from their title, description and
    /// messages as this transaction sees them (rows locked where the backend locks rows, so a
    /// concurrent change cannot slip in between the read and the write).
    pub(crate) async fn index_tickets(conn: &mut Conn<B>, ticket_ids: &[i64]) -> Result<(), StoreError> {
        for batch in ticket_ids.chunks(BATCH) {
            let mut sql =
                QueryBuilder::<B::Db>::new("SELECT id, title, description FROM tickets WHERE id IN (");
            let mut ids = sql.separated(", ");
            for id in batch {
                ids.push_bind(*id);
            }
            sql.push(format!(") ORDER BY id{}", B::LOCK_ROW));
            let tickets = sql
                .build_query_as::<TextsRow>()
                .fetch_all(&mut *conn)
                .await
                .map_err(failed::<B>("read tickets to index"))?;
            let mut sql =
                QueryBuilder::<B::Db>::new("SELECT ticket_id, body FROM messages WHERE ticket_id IN (");
            let mut ids = sql.separated(", ");
            for id in batch {
                ids.push_bind(*id);
            }
            sql.push(") ORDER BY ticket_id, created_at, id");
            let bodies = sql
                .build_query_as::<BodyRow>()
                .fetch_all(&mut *conn)
                .await
                .map_err(failed::<B>("read messages to index"))?;
            let mut threads: HashMap<i64, Vec<String>> = HashMap::new();
            for row in bodies {
                threads.entry(row.ticket_id).or_default().push(row.body);
            }
            let documents: Vec<(i64, String)> = tickets
                .iter()
                .map(|t| {
                    let thread = threads.get(&t.id).map(Vec::as_slice).unwrap_or_default();
                    (t.id, document(&t.title, &t.description, thread.iter().map(String::as_str)))
                })
                .collect();
            B::write_search(conn, &documents).await?;
        }
        Ok(())
    }

    /// Rebuilds the search index when it was built by another [`INDEX_VERSION`] (or never),
    /// in transactions of [`BATCH`] tickets, then records the version.
    pub(crate) async fn ensure_search_index(pool: &Pool<B::Db>, backend: &B) -> Result<(), StoreError> {
        let version = sqlx::query_scalar::<_, i64>("SELECT MAX(version) FROM search_index")
            .fetch_one(pool)
            .await
            .map_err(failed::<B>("read the search index version"))?;
        if version == INDEX_VERSION {
            return Ok(());
        }
        tracing::info!(from = version, to = INDEX_VERSION, "building the search index");
        let mut after = 0;
        let mut indexed = 0;
        loop {
            let mut write = backend.begin_write(pool).await?;
            let ids =
                sqlx::query_scalar::<_, i64>("SELECT id FROM tickets WHERE id > $1 ORDER BY id LIMIT $2")
                    .bind(after)
                    .bind(BATCH as i64)
                    .fetch_all(&mut *write.tx)
                    .await
                    .map_err(failed::<B>("list tickets to index"))?;
            let Some(&last) = ids.last() else { break };
            Self::index_tickets(&mut write.tx, &ids).await?;
            write.tx.commit().await.map_err(failed::<B>("commit a search index batch"))?;
            after = last;
            indexed += ids.len();
        }
        sqlx::query("UPDATE search_index SET version = $1")
            .bind(INDEX_VERSION)
            .execute(pool)
            .await
            .map_err(failed::<B>("record the search index version"))?;
        tracing::info!(tickets = indexed, "built the search index");
        Ok(())
    }
}
