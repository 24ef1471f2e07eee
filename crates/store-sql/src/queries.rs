//! The reads: one ticket, the ticket list with its filters, threads, event logs, the change
//! feed, corrections and counts. Every statement is the same text on both backends.

use domain::{Category, Event, Message, Ticket};
use sqlx::{ColumnIndex, Executor, IntoArguments, Pool, QueryBuilder};
use store::search::SearchQuery;
use store::{
    Change, ClassifierCounts, Correction, SortField, SortKey, StoreError, TicketCursor, TicketPage,
    TicketQuery, Total,
};

use crate::rows::{
    CORRECTION_COLUMNS, ChangeRow, CorrectionRow, EVENT_COLUMNS, EventRow, MESSAGE_COLUMNS, MessageRow,
    TICKET_COLUMNS, TICKET_COLUMNS_OF_T, TicketRow, convert_all,
};
use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// Most tickets one [`store::TicketStore::list_tickets`] page returns.
pub(crate) const MAX_PAGE: u32 = 200;

/// From this many matching tickets on, a search walks the list newest first, checking each
/// ticket against the matches, and stops after one page ([`Backend::push_ticket_matches`]);
/// below it, it reads the matching tickets by id and sorts them.
///
/// Reading and sorting costs a lookup per match; walking costs a check per ticket passed,
/// about `page × total / matches` of them, so walking wins for many matches and loses badly for
/// few (a rare word would walk the whole list). Measured at a million tickets on SQLite: a
/// common word (70,000 matches) 25 ms read-and-sort against 7 ms walking. Counting the
/// matches up to this cap costs about 1.5 ms. A search that also filters on status or category
/// walks only the filtered tickets.
const PROBE_FROM: i64 = 10_000;

/// The three counts of [`ClassifierCounts`], read in one statement.
#[derive(sqlx::FromRow)]
struct ClassifierCountsRow {
    auto_categorised: i64,
    corrected: i64,
    corrections: i64,
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
    /// The highest seq in the change feed (0 when it is empty).
    pub(crate) async fn latest_seq(pool: &Pool<B::Db>) -> Result<i64, StoreError> {
        sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(seq), 0) FROM changes")
            .fetch_one(pool)
            .await
            .map_err(failed::<B>("read the change feed position"))
    }

    /// Reads one ticket; `lock` is [`Backend::LOCK_ROW`] when the caller is about to change it
    /// (inside a write transaction), else empty. Errors: [`StoreError::NotFound`].
    pub(crate) async fn read_ticket(conn: &mut Conn<B>, id: i64, lock: &str) -> Result<Ticket, StoreError> {
        let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1{lock}");
        sqlx::query_as::<_, TicketRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(failed::<B>("read a ticket"))?
            .ok_or(StoreError::NotFound(id))?
            .into_ticket()
    }

    /// Errors: [`StoreError::NotFound`] when there is no ticket `id`.
    pub(crate) async fn ensure_ticket(conn: &mut Conn<B>, id: i64) -> Result<(), StoreError> {
        let found = sqlx::query_scalar::<_, i64>("SELECT id FROM tickets WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(failed::<B>("look up a ticket"))?;
        found.map(|_| ()).ok_or(StoreError::NotFound(id))
    }

    /// One page of the ticket list in the query's order; see [`TicketQuery`] for the filters.
    ///
    /// Keyset paging in every order: a page after a cursor reads the rows past it in the list's
    /// order, a page before a cursor reads the rows before it in the reverse order and flips
    /// them, so every page costs what the first one costs (an index walk, see the migrations).
    /// A backwards page that reaches the start of the list is read again as the first page, so
    /// "previous" always lands on a full first page.
    ///
    /// With a search, on a backend with [`Backend::WALK_FIRST`] whose estimate calls the words
    /// common, the page is first looked for in a bounded walk of the list ([`Self::walk_to_try`]);
    /// otherwise, or when the walk does not fill it, the matches are counted (up to
    /// [`PROBE_FROM`]) to choose how to read it.
    pub(crate) async fn query_tickets(
        pool: &Pool<B::Db>,
        query: &TicketQuery,
    ) -> Result<TicketPage, StoreError> {
        if let Some(cursor) = &query.cursor
            && !cursor.fits(query.sort)
        {
            return Err(StoreError::Backend(anyhow::anyhow!(
                "the cursor belongs to the order {}, not {}",
                cursor.sort,
                query.sort
            )));
        }
        let limit = query.limit.clamp(1, MAX_PAGE);
        let matches = match &query.search() {
            None => Matches::Unsearched,
            Some(search) => {
                if let Some(longest) = B::WALK_FIRST
                    && let Some(walk) = Self::walk_to_try(pool, search, longest, limit).await?
                    && let Some(page) = Self::page(pool, query, walk, limit).await?
                {
                    return Ok(page);
                }
                Matches::Counted(Self::count_matches(pool, search, PROBE_FROM).await?)
            }
        };
        let page = Self::page(pool, query, matches, limit).await?;
        page.ok_or_else(|| {
            StoreError::Backend(anyhow::anyhow!("listing tickets gave no page, which only a walk may do"))
        })
    }

    /// The walk to try first for `search` ([`Backend::WALK_FIRST`]), from the database's
    /// estimate of its matches ([`Backend::estimate_matches`]): if matches lie as densely as
    /// estimated, a page of `limit + 1` is found after `expected = (limit + 1) × tickets /
    /// estimated` tickets. When `expected` is at most `longest`, the walk may pass twice that
    /// (at least 100), so that it rarely falls short when the estimate holds and costs a
    /// bounded few milliseconds when it does not. `None`: count first (no estimate, or too few
    /// matches expected).
    async fn walk_to_try(
        pool: &Pool<B::Db>,
        search: &SearchQuery,
        longest: i64,
        limit: u32,
    ) -> Result<Option<Matches>, StoreError> {
        let tickets = Self::count_from_counters(pool, &TicketQuery::default()).await?;
        let Some(estimated) = B::estimate_matches(pool, search, tickets).await?.filter(|n| *n > 0) else {
            return Ok(None);
        };
        let expected = (i128::from(limit) + 1) * i128::from(tickets) / i128::from(estimated);
        if expected > i128::from(longest) {
            return Ok(None);
        }
        let budget = i64::try_from(expected * 2).unwrap_or(i64::MAX).max(100);
        Ok(Some(Matches::Walk { budget, estimated }))
    }

    /// The page of `query` read as `matches` says; `None` only for [`Matches::Walk`] when the
    /// walk did not find a whole page (the caller then counts and reads again).
    async fn page(
        pool: &Pool<B::Db>,
        query: &TicketQuery,
        matches: Matches,
        limit: u32,
    ) -> Result<Option<TicketPage>, StoreError> {
        let walk_first = matches!(matches, Matches::Walk { .. });
        let (mut items, total) = Self::read_rows(pool, query, matches, limit).await?;
        if walk_first && items.len() <= limit as usize {
            return Ok(None);
        }
        if let Some(cursor) = query.cursor.filter(|c| c.backwards) {
            if items.len() > limit as usize {
                items.truncate(limit as usize);
                items.reverse();
                let number = cursor.page;
                let prev = items.first().map(|t| TicketCursor::at(t, query.sort, true, earlier(number)));
                let next = items.last().map(|t| TicketCursor::at(t, query.sort, false, later(number)));
                return Ok(Some(TicketPage { items, next, prev, number, total: total.unwrap_or_default() }));
            }
            // Fewer than a page before the cursor: this is the start of the list.
            let first = TicketQuery { cursor: None, ..query.clone() };
            return Box::pin(Self::page(pool, &first, matches, limit)).await;
        }
        let total = match (total, matches) {
            (Some(total), _) => total,
            (None, Matches::Counted(count)) => Total { count, exact: false },
            (None, _) => Total { count: Self::count_from_counters(pool, query).await?, exact: true },
        };
        let pinned = match (query.search().and_then(|s| s.ticket_id), query.cursor) {
            (Some(id), None) => Self::read_listed(pool, query, id).await?,
            _ => None,
        };
        let number = match query.cursor {
            Some(cursor) => cursor.page,
            None => Some(1),
        };
        let sort = query.sort;
        let room = limit as usize - usize::from(pinned.is_some());
        let next = match items.get(room) {
            // A page of one that holds the pinned ticket: the next page starts at the first
            // other match, so the cursor sits just before it.
            Some(first) if room == 0 => {
                let mut cursor = TicketCursor::at(first, sort, false, later(number));
                cursor.id += if sort.descending { 1 } else { -1 };
                Some(cursor)
            }
            Some(_) => items.get(room - 1).map(|t| TicketCursor::at(t, sort, false, later(number))),
            None => None,
        };
        items.truncate(room);
        let prev = match query.cursor {
            Some(_) => items.first().map(|t| TicketCursor::at(t, sort, true, earlier(number))),
            None => None,
        };
        if let Some(ticket) = pinned {
            items.insert(0, ticket);
        }
        Ok(Some(TicketPage { items, next, prev, number, total }))
    }

    /// Up to `limit + 1` tickets of `query` from its cursor on, in the order of the walk (the
    /// reverse of the list's order for a backwards cursor), with the list's total as the rows
    /// carry it (`None` when no row came back).
    async fn read_rows(
        pool: &Pool<B::Db>,
        query: &TicketQuery,
        matches: Matches,
        limit: u32,
    ) -> Result<(Vec<Ticket>, Option<Total>), StoreError> {
        let search = query.search();
        let walk = match query.cursor {
            Some(cursor) if cursor.backwards => query.sort.reversed(),
            _ => query.sort,
        };
        // A key the filters pin to one value (by status within one status, by category within
        // one category) orders nothing: leaving it out lets the filter's index give the order
        // (SQLite otherwise sorts the matches in a temporary B-tree; see bench/README.md).
        let key_column = sort_column(walk.field).filter(|_| !pinned(query, walk.field));
        let direction = if walk.descending { " DESC" } else { " ASC" };
        let mut order = String::from(" ORDER BY ");
        if let Some(column) = key_column {
            order.push_str(&format!("{column}{direction}, "));
        }
        order.push_str(&format!("opened_at{direction}, id{direction}"));
        // Every row also carries the list's total in the same statement (one round trip to the
        // database less than asking apart): the count or estimate of the matches, or, without a
        // search, the exact total from the counters.
        let mut sql = QueryBuilder::<B::Db>::new(format!("SELECT {TICKET_COLUMNS}, "));
        match matches {
            Matches::Counted(count) | Matches::Walk { estimated: count, .. } => {
                sql.push_bind(count);
            }
            Matches::Unsearched => Self::push_counted(&mut sql, query),
        }
        sql.push(" AS total FROM ");
        if let Matches::Walk { .. } = matches {
            // The walk's first `budget` tickets, in the list's order, with the filters.
            sql.push("(SELECT * FROM ");
        }
        sql.push("tickets WHERE TRUE");
        Self::push_status_and_category(&mut sql, query);
        // The ticket a bare number names is pinned to the top of the first page (below), so no
        // page lists it among the other matches.
        if let Some(id) = search.as_ref().and_then(|s| s.ticket_id) {
            sql.push(" AND id <> ").push_bind(id);
        }
        if let Some(cursor) = query.cursor {
            // A row value compared as a whole: an index range on (key, opened_at, id).
            sql.push(" AND (");
            if let Some(column) = key_column {
                sql.push(column).push(", ");
            }
            sql.push("opened_at, id) ").push(if walk.descending { "<" } else { ">" }).push(" (");
            match cursor.key {
                _ if key_column.is_none() => {}
                SortKey::Opened => {}
                SortKey::Updated(at) => {
                    sql.push_bind(Instant(at)).push(", ");
                }
                SortKey::Status(status) => {
                    sql.push_bind(status.as_str().to_owned()).push(", ");
                }
                SortKey::Category(category) => {
                    sql.push_bind(category.as_str().to_owned()).push(", ");
                }
            }
            sql.push_bind(Instant(cursor.opened_at)).push(", ").push_bind(cursor.id).push(")");
        }
        if let Matches::Walk { budget, .. } = matches {
            sql.push(order.as_str()).push(" LIMIT ").push_bind(budget).push(") AS tickets WHERE TRUE");
        }
        if let Some(search) = &search {
            let many = match matches {
                Matches::Counted(count) => count >= PROBE_FROM,
                Matches::Walk { .. } | Matches::Unsearched => true,
            };
            sql.push(" AND ");
            B::push_ticket_matches(&mut sql, search, many);
        }
        sql.push(order.as_str());
        sql.push(" LIMIT ").push_bind(i64::from(limit) + 1);
        let rows =
            sql.build_query_as::<ListedRow>().fetch_all(pool).await.map_err(failed::<B>("list tickets"))?;
        let total = rows.first().map(|first| match matches {
            Matches::Unsearched => Total { count: first.total, exact: true },
            Matches::Counted(_) => Total { count: first.total, exact: false },
            // The estimate comes from statistics; never say fewer than the page shows.
            Matches::Walk { .. } => Total { count: first.total.max(rows.len() as i64), exact: false },
        });
        Ok((convert_all(rows, |row| row.ticket.into_ticket())?, total))
    }

    /// Ticket `id` when it passes the status and category filters of `query`, else `None`: the
    /// ticket a search for its number puts first.
    async fn read_listed(
        pool: &Pool<B::Db>,
        query: &TicketQuery,
        id: i64,
    ) -> Result<Option<Ticket>, StoreError> {
        let mut sql = QueryBuilder::<B::Db>::new(format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = "));
        sql.push_bind(id);
        Self::push_status_and_category(&mut sql, query);
        let row = sql
            .build_query_as::<TicketRow>()
            .fetch_optional(pool)
            .await
            .map_err(failed::<B>("read the ticket a number names"))?;
        row.map(TicketRow::into_ticket).transpose()
    }

    /// Appends the status and category filters of `query` (each ` AND ...`).
    fn push_status_and_category(sql: &mut QueryBuilder<B::Db>, query: &TicketQuery) {
        if !query.statuses.is_empty() {
            sql.push(" AND status IN (");
            let mut statuses = sql.separated(", ");
            for status in &query.statuses {
                statuses.push_bind(status.as_str().to_owned());
            }
            sql.push(")");
        }
        if let Some(category) = query.category {
            sql.push(" AND category = ").push_bind(Category::as_str(category).to_owned());
        }
    }

    /// Appends a subquery giving how many tickets pass the status and category filters of
    /// `query`, exactly, from the `ticket_counts` table the schema's triggers keep (at most
    /// nine rows read).
    fn push_counted(sql: &mut QueryBuilder<B::Db>, query: &TicketQuery) {
        sql.push("(SELECT CAST(COALESCE(SUM(tickets), 0) AS BIGINT) FROM ticket_counts WHERE TRUE");
        Self::push_status_and_category(sql, query);
        sql.push(")");
    }

    /// [`Self::push_counted`] on its own: the total of a list whose page is empty.
    pub(crate) async fn count_from_counters(
        pool: &Pool<B::Db>,
        query: &TicketQuery,
    ) -> Result<i64, StoreError> {
        let mut sql = QueryBuilder::<B::Db>::new("SELECT ");
        Self::push_counted(&mut sql, query);
        sql.build_query_scalar::<i64>().fetch_one(pool).await.map_err(failed::<B>("count tickets"))
    }

    /// How many tickets match `search`, counted up to `cap` (a count of `cap` means "at least").
    async fn count_matches(pool: &Pool<B::Db>, search: &SearchQuery, cap: i64) -> Result<i64, StoreError> {
        let mut sql = QueryBuilder::<B::Db>::new("SELECT COUNT(*) FROM (");
        B::push_matching_ids(&mut sql, search);
        sql.push(" LIMIT ").push_bind(cap).push(") AS matching");
        sql.build_query_scalar::<i64>().fetch_one(pool).await.map_err(failed::<B>("count search matches"))
    }

    /// The thread of ticket `ticket_id`, oldest first; with `None`, every message, by id.
    pub(crate) async fn read_messages(
        conn: &mut Conn<B>,
        ticket_id: Option<i64>,
    ) -> Result<Vec<Message>, StoreError> {
        let rows = match ticket_id {
            Some(id) => sqlx::query_as::<_, MessageRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages WHERE ticket_id = $1 ORDER BY created_at, id"
            )))
            .bind(id),
            None => sqlx::query_as::<_, MessageRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages ORDER BY id"
            ))),
        }
        .fetch_all(&mut *conn)
        .await
        .map_err(failed::<B>("read messages"))?;
        convert_all(rows, MessageRow::into_message)
    }

    /// The event log of ticket `ticket_id`, in order; with `None`, every event.
    pub(crate) async fn read_events(
        conn: &mut Conn<B>,
        ticket_id: Option<i64>,
    ) -> Result<Vec<Event>, StoreError> {
        let rows = match ticket_id {
            Some(id) => sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = $1 ORDER BY id"
            )))
            .bind(id),
            None => sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {EVENT_COLUMNS} FROM events ORDER BY id"
            ))),
        }
        .fetch_all(&mut *conn)
        .await
        .map_err(failed::<B>("read the event log"))?;
        convert_all(rows, EventRow::into_event)
    }

    /// Category corrections with an id above `after_id`, in id order (0: all of them).
    pub(crate) async fn read_corrections(
        conn: &mut Conn<B>,
        after_id: i64,
    ) -> Result<Vec<Correction>, StoreError> {
        let sql = format!("SELECT {CORRECTION_COLUMNS} FROM category_corrections WHERE id > $1 ORDER BY id");
        let rows = sqlx::query_as::<_, CorrectionRow>(sqlx::AssertSqlSafe(sql))
            .bind(after_id)
            .fetch_all(&mut *conn)
            .await
            .map_err(failed::<B>("read category corrections"))?;
        convert_all(rows, CorrectionRow::into_correction)
    }

    /// Up to `limit` change feed entries after seq `after`, each with its ticket.
    pub(crate) async fn read_changes(
        pool: &Pool<B::Db>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Change>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        // One statement, one snapshot: see the backend crates' docs for why each row is the
        // ticket's state as of the commit that wrote its seq, and why no change is skipped.
        let sql = format!(
            "SELECT c.seq, {TICKET_COLUMNS_OF_T} FROM changes c JOIN tickets t ON t.id = c.ticket_id \
             WHERE c.seq > $1 ORDER BY c.seq LIMIT $2"
        );
        let mut conn = pool.acquire().await.map_err(failed::<B>("get a connection"))?;
        let rows = sqlx::query_as::<_, ChangeRow>(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await
            .map_err(failed::<B>("read the change feed"))?;
        let mut changes = convert_all(rows, ChangeRow::into_change)?;
        // Attachments are written in the transaction of the change that brought them, so a
        // change read here has all of its own (a later change's may show up early, harmless:
        // that change follows).
        let ids: Vec<i64> = changes.iter().map(|c| c.ticket.id).collect();
        let mut attached = crate::attachments::by_ticket(Self::read_attachments_of(&mut conn, &ids).await?);
        for change in &mut changes {
            change.attachments = attached.remove(&change.ticket.id).unwrap_or_default();
        }
        Ok(changes)
    }

    /// How many tickets the store holds.
    pub(crate) async fn ticket_count(pool: &Pool<B::Db>) -> Result<i64, StoreError> {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tickets")
            .fetch_one(pool)
            .await
            .map_err(failed::<B>("count tickets"))
    }

    /// The classifier's counts, in one statement (one snapshot: they agree with each other).
    pub(crate) async fn read_classifier_counts(pool: &Pool<B::Db>) -> Result<ClassifierCounts, StoreError> {
        let row = sqlx::query_as::<_, ClassifierCountsRow>(
            "SELECT \
               (SELECT COUNT(*) FROM tickets WHERE auto_categorised) AS auto_categorised, \
               (SELECT COUNT(DISTINCT ticket_id) FROM category_corrections WHERE from_source = 'auto') \
                 AS corrected, \
               (SELECT COUNT(*) FROM category_corrections) AS corrections",
        )
        .fetch_one(pool)
        .await
        .map_err(failed::<B>("count the classifier's tickets"))?;
        Ok(ClassifierCounts {
            auto_categorised: row.auto_categorised,
            corrected: row.corrected,
            corrections: row.corrections,
        })
    }
}

/// The column a list ordered by `field` sorts on before `opened_at` and `id`; `None` for
/// `opened_at` itself.
fn sort_column(field: SortField) -> Option<&'static str> {
    match field {
        SortField::Opened => None,
        SortField::Updated => Some("updated_at"),
        SortField::Status => Some("status"),
        SortField::Category => Some("category"),
    }
}

/// Whether the filters of `query` leave a single value of `field` (which then orders nothing).
fn pinned(query: &TicketQuery, field: SortField) -> bool {
    match field {
        SortField::Status => query.statuses.len() == 1,
        SortField::Category => query.category.is_some(),
        SortField::Opened | SortField::Updated => false,
    }
}

/// The number of the page before page `number`, when known (none before page 1).
fn earlier(number: Option<u32>) -> Option<u32> {
    number.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0)
}

/// The number of the page after page `number`, when known.
fn later(number: Option<u32>) -> Option<u32> {
    number.and_then(|n| n.checked_add(1))
}

/// How a list read finds the tickets that match its search.
#[derive(Debug, Clone, Copy)]
enum Matches {
    /// The list has no search: every ticket the filters pass is listed.
    Unsearched,
    /// This many tickets match the search (counted up to [`PROBE_FROM`]), which decides whether
    /// the matches are looked up or the list walked ([`Backend::push_ticket_matches`]).
    Counted(i64),
    /// Not counted: walk at most `budget` tickets of the list in order, checking each against
    /// the search ([`Backend::WALK_FIRST`]).
    Walk {
        /// The most tickets the walk passes.
        budget: i64,
        /// How many tickets the database estimates match ([`Backend::estimate_matches`]),
        /// given as the list's total.
        estimated: i64,
    },
}

/// A row of the ticket list: the ticket and the list's total (see [`SqlStore::read_rows`]).
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    ticket: TicketRow,
    total: i64,
}
