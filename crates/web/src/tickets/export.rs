//! The CSV export of the ticket list, `GET /tickets/export.csv` (staff only): exactly the
//! list the same filters, search and order show, every page of it, streamed.

use api::TicketsClient;
use axum::body::{Body, Bytes};
use axum::http::header;
use domain::Actor;
use futures::stream::{self, Stream};

use super::list::{ListQuery, check_search, list_order};
use super::*;

/// Tickets fetched from the ticket service per step of the export (its largest page).
const EXPORT_PAGE: u32 = 200;

/// The columns of the export, in order.
const COLUMNS: [&str; 8] = ["id", "title", "status", "category", "opened", "updated", "closed", "reporter"];

/// The export's address for the list `query` (its cursor and page size are left out).
pub(super) fn export_url(query: &ListQuery) -> String {
    let query = ListQuery { cursor: None, size: None, go: None, ..query.clone() };
    match serde_urlencoded::to_string(&query) {
        Ok(qs) if !qs.is_empty() => format!("/tickets/export.csv?{qs}"),
        _ => "/tickets/export.csv".to_owned(),
    }
}

/// `GET /tickets/export.csv?status=&category=&q=&sort=`: the filtered, sorted ticket list as
/// CSV (RFC 4180, UTF-8, a header row, then one row per ticket with the columns id, title,
/// status, category, opened, updated, closed (RFC 3339, UTC; empty while not closed) and
/// reporter (empty: the list does not carry it)), as an attachment named
/// `campusdesk-tickets.csv`. The pages are read from the ticket service one after the other
/// while the answer is sent, so the list is never held whole in memory. Cells are escaped
/// against spreadsheet formula injection ([`defuse`]).
///
/// Errors: 403 page for campus users; 400 page for a filter, order or search the list refuses
/// (the first page is read before the answer starts); the error page when the ticket service
/// cannot be reached. A failure after the first page ends the download early.
pub(crate) async fn export_tickets(
    State(state): State<AppState>,
    session: Session,
    WebQuery(query): WebQuery<ListQuery>,
) -> Result<Response, WebError> {
    if !session.is_staff() {
        return Err(WebError::Forbidden("Only helpdesk staff can download the ticket list.".to_owned()));
    }
    let status = non_blank(query.status.as_deref())
        .map(|s| s.parse::<Status>())
        .transpose()
        .map_err(|e| WebError::BadRequest(format!("The status filter is not valid: {e}.")))?;
    let category = non_blank(query.category.as_deref())
        .map(|s| s.parse::<Category>())
        .transpose()
        .map_err(|e| WebError::BadRequest(format!("The category filter is not valid: {e}.")))?;
    let q = check_search(query.q.as_deref()).map_err(WebError::BadRequest)?;
    let (sort, _) = list_order(&query)?;
    let request = TicketListQuery {
        status,
        category,
        q,
        limit: Some(EXPORT_PAGE),
        cursor: None,
        sort: sort.map(str::to_owned),
    };
    let actor = session.actor();
    let first = match state.tickets.list_tickets(&actor, &request).await {
        Ok(page) => page,
        Err(err) => {
            return Err(match read_failure(&err) {
                Failure::Refused(problem) => WebError::BadRequest(sentence(problem)),
                _ => WebError::from_client(TICKET_SERVICE, err),
            });
        }
    };
    let body = Body::from_stream(rows(state.tickets.clone(), actor, request, first));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"campusdesk-tickets.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

/// Where the export's walk over the pages stands.
struct Walk {
    client: TicketsClient,
    actor: Actor,
    request: TicketListQuery,
    /// The page to write next (the first one is read before the answer starts).
    page: Option<api::TicketPage>,
    /// The header row is written with the first page.
    header: bool,
}

/// The CSV text, one chunk per page of the list, starting with `first`.
fn rows(
    client: TicketsClient,
    actor: Actor,
    request: TicketListQuery,
    first: api::TicketPage,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let walk = Walk { client, actor, request, page: Some(first), header: true };
    stream::unfold(Some(walk), |walk| async move {
        let mut walk = walk?;
        let page = match walk.page.take() {
            Some(page) => page,
            None => match walk.client.list_tickets(&walk.actor, &walk.request).await {
                Ok(page) => page,
                Err(err) => {
                    tracing::warn!(error = %err, "the CSV export stopped: a page could not be read");
                    return Some((Err(std::io::Error::other(err.to_string())), None));
                }
            },
        };
        let chunk = match write_page(&page.items, std::mem::take(&mut walk.header)) {
            Ok(chunk) => chunk,
            Err(err) => return Some((Err(std::io::Error::other(err)), None)),
        };
        let next = match page.next_cursor {
            Some(cursor) => {
                walk.request.cursor = Some(cursor);
                Some(walk)
            }
            None => None,
        };
        Some((Ok(Bytes::from(chunk)), next))
    })
}

/// The CSV rows of `tickets` (after the header row when `header`), quoted by the `csv` crate.
fn write_page(tickets: &[Ticket], header: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    if header {
        out.write_record(COLUMNS)?;
    }
    for ticket in tickets {
        out.write_record([
            ticket.id.to_string(),
            defuse(&ticket.title),
            ticket.status.as_str().to_owned(),
            ticket.category.as_str().to_owned(),
            ticket.opened_at.to_string(),
            ticket.updated_at.to_string(),
            ticket.closed_at.map(|at| at.to_string()).unwrap_or_default(),
            String::new(),
        ])?;
    }
    out.into_inner().map_err(|err| csv::Error::from(err.into_error()))
}

/// `text` made safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading `'`, so it is shown as text rather than run as a
/// formula. Source: OWASP, "CSV Injection"
/// (<https://owasp.org/www-community/attacks/CSV_Injection>).
pub(crate) fn defuse(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quoting_is_the_csv_crates() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(defuse(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(defuse("Printer jam"), "Printer jam");
        assert_eq!(defuse(""), "");
    }
}
