//! The reporters' private links (`store::reporter`): drawing a token for every ticket that
//! enters the store, and the two reads that use them.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::Ticket;
use sqlx::{ColumnIndex, Executor, IntoArguments, Pool, QueryBuilder};
use store::StoreError;

use crate::inserts::{Insert, REPORTER_LINKS, Value};
use crate::rows::{TICKET_COLUMNS_OF_T, TicketRow};
use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// Most tokens one [`SqlStore::find_reporter_tickets`] statement binds.
const TOKENS_PER_STATEMENT: usize = 500;

/// A fresh token: 128 bits from the operating system's random source, base64url without
/// padding ([`domain::REPORTER_TOKEN_CHARS`] characters).
///
/// Errors: [`StoreError::Backend`] when the random source fails (nothing is stored then).
pub(crate) fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes).map_err(|err| {
        StoreError::backend(anyhow::anyhow!("the operating system's random source failed: {err}"))
    })?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// One `reporter_links` row joined with its ticket.
#[derive(Debug, sqlx::FromRow)]
struct ReporterTicketRow {
    token: String,
    #[sqlx(flatten)]
    ticket: TicketRow,
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
    /// Gives each of the new tickets `ticket_ids` a fresh token, inside their write.
    pub(crate) async fn link_reporters(conn: &mut Conn<B>, ticket_ids: &[i64]) -> Result<(), StoreError> {
        let rows = ticket_ids
            .iter()
            .map(|&id| Ok(Insert { id: Some(id), values: vec![Value::Text(Some(new_token()?))] }))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Self::insert_rows(conn, &REPORTER_LINKS, rows).await?;
        Ok(())
    }

    /// See [`store::TicketStore::reporter_token`].
    pub(crate) async fn find_reporter_token(
        pool: &Pool<B::Db>,
        ticket_id: i64,
    ) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar::<_, String>("SELECT token FROM reporter_links WHERE ticket_id = $1")
            .bind(ticket_id)
            .fetch_optional(pool)
            .await
            .map_err(failed::<B>("read a reporter link"))
    }

    /// See [`store::TicketStore::reporter_tickets`].
    pub(crate) async fn find_reporter_tickets(
        pool: &Pool<B::Db>,
        tokens: &[String],
    ) -> Result<Vec<(String, Ticket)>, StoreError> {
        let mut wanted: Vec<&String> = Vec::with_capacity(tokens.len());
        for token in tokens.iter().filter(|t| domain::is_reporter_token(t)) {
            if !wanted.contains(&token) {
                wanted.push(token);
            }
        }
        let mut found = Vec::with_capacity(wanted.len());
        for chunk in wanted.chunks(TOKENS_PER_STATEMENT) {
            let mut sql = QueryBuilder::<B::Db>::new(format!(
                "SELECT l.token, {TICKET_COLUMNS_OF_T} FROM reporter_links l \
                 JOIN tickets t ON t.id = l.ticket_id WHERE l.token IN ("
            ));
            let mut list = sql.separated(", ");
            for token in chunk {
                list.push_bind((*token).clone());
            }
            sql.push(")");
            let rows = sql
                .build_query_as::<ReporterTicketRow>()
                .fetch_all(pool)
                .await
                .map_err(failed::<B>("read tickets by their reporter links"))?;
            for row in rows {
                found.push((row.token, row.ticket.into_ticket()?));
            }
        }
        // In the order the tokens were given.
        found.sort_by_key(|(token, _)| wanted.iter().position(|w| *w == token));
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_base64url_of_128_bits_and_differ() {
        let a = new_token().expect("a token");
        let b = new_token().expect("another token");
        assert!(domain::is_reporter_token(&a), "{a}");
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).expect("base64url").len(), 16);
        assert_ne!(a, b);
    }
}
