//! The ticket list, `GET /tickets`.

use axum_extra::extract::CookieJar;
use fluent_bundle::FluentValue;

use crate::catalogue::Lang;

use super::*;
use crate::reporter::{ReportedRow, reported, reported_rows};

/// Query of `GET /tickets`; blank values mean "any".
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) cursor: Option<String>,
    /// The order, in the ticket service's syntax (`-opened`, `status`, ...; see [`SORTS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) sort: Option<String>,
    /// Tickets per page, one of [`PAGE_SIZES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) size: Option<String>,
    /// "Go to ticket #": a ticket number, `334` or `#334`, to open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) go: Option<String>,
}

/// `templates/tickets/list.html`.
#[derive(Template)]
#[template(path = "tickets/list.html")]
pub(crate) struct ListTemplate {
    pub(crate) layout: Layout,
    pub(crate) is_staff: bool,
    pub(crate) rows: Vec<TicketRow>,
    pub(crate) statuses: Vec<Choice>,
    pub(crate) categories: Vec<Choice>,
    pub(crate) q: String,
    /// Shown next to the search box (the typed text stays in it); no list is shown then.
    pub(crate) search_error: Option<String>,
    /// The ticket service refused to list as asked (a 400): shown instead of the list.
    pub(crate) list_error: Option<String>,
    pub(crate) filtered: bool,
    pub(crate) next_url: Option<String>,
    pub(crate) prev_url: Option<String>,
    pub(crate) first_url: Option<String>,
    /// The order choices ([`SORTS`]), the current one selected.
    pub(crate) sorts: Vec<Choice>,
    /// The current order's name in the catalogues ([`SORTS`]: `newest`, `status-az`, ...), for
    /// the table's caption.
    pub(crate) sort_name: &'static str,
    /// The page size choices ([`PAGE_SIZES`]), the current one selected.
    pub(crate) sizes: Vec<Choice>,
    /// "Page 2 of 7 · 160 tickets" (or without the page number when it is not known).
    pub(crate) pages_label: String,
    /// The CSV export of this list (same filters, search and order), for staff.
    pub(crate) export_url: Option<String>,
    /// What was typed in "Go to ticket #", kept when it did not lead anywhere.
    pub(crate) go: String,
    /// Why "Go to ticket #" did not open a ticket, next to the box.
    pub(crate) go_error: Option<String>,
    /// "Reported from this browser", newest first (first page only).
    pub(crate) reported: Vec<ReportedRow>,
}

/// The orders the list offers: the ticket service's sort syntax and the order's name in the
/// catalogues (`list-sort` and `list-caption` select on it).
pub(crate) const SORTS: [(&str, &str); 8] = [
    ("-opened", "newest"),
    ("opened", "oldest"),
    ("-updated", "recent"),
    ("updated", "least-recent"),
    ("status", "status-az"),
    ("-status", "status-za"),
    ("category", "category-az"),
    ("-category", "category-za"),
];

/// The page sizes the list offers; the first is the default.
pub(crate) const PAGE_SIZES: [(&str, u32); 3] = [("25", 25), ("50", 50), ("100", 100)];

/// The choices of `options` with `selected` (or the first) selected.
fn choices<T>(
    options: &[(&'static str, T)],
    selected: &str,
    label: impl Fn(&(&'static str, T)) -> String,
) -> Vec<Choice> {
    let known = options.iter().any(|(value, _)| *value == selected);
    options
        .iter()
        .enumerate()
        .map(|(i, option)| Choice {
            value: option.0,
            label: label(option),
            selected: if known { option.0 == selected } else { i == 0 },
        })
        .collect()
}

/// The list's order and page size as asked for: the sort text (`None`: the default order) and
/// the page size. Errors: a sentence for an order or a size the list does not offer.
pub(super) fn list_order(query: &ListQuery) -> Result<(Option<&'static str>, u32), WebError> {
    let sort = match non_blank(query.sort.as_deref()) {
        None => None,
        Some(text) => Some(
            SORTS
                .iter()
                .find(|(value, _)| *value == text)
                .map(|(value, _)| *value)
                .ok_or_else(|| WebError::BadRequest(crate::language::current().t("list-sort-invalid")))?,
        ),
    };
    let size = match non_blank(query.size.as_deref()) {
        None => PAGE_SIZE,
        Some(text) => PAGE_SIZES
            .iter()
            .find(|(value, _)| *value == text)
            .map(|(_, n)| *n)
            .ok_or_else(|| WebError::BadRequest(crate::language::current().t("list-size-invalid")))?,
    };
    Ok((sort, size))
}

/// The words for the order named `name` (see [`SORTS`]) in `lang`: "Newest first", "Neueste
/// zuerst".
pub(super) fn sort_label(name: &str, lang: Lang) -> String {
    lang.t_with("list-sort", &[("sort", name.into())])
}

/// "Page 2 of 7 · 160 tickets" ("Pagina 2 di 7 · 160 ticket"), from the ticket service's page,
/// in `lang`; "about 160 tickets" when the count is an estimate, and without the page number
/// when it is not known.
pub(super) fn pages_label(answer: &api::TicketPage, lang: Lang) -> String {
    let count = [("count", FluentValue::from(answer.total))];
    let tickets = lang.t_with(if answer.total_exact { "list-total" } else { "list-total-about" }, &count);
    let pages = answer.page_count.max(1);
    match answer.page {
        Some(page) => lang.t_with(
            "list-page-of",
            &[
                ("page", FluentValue::from(page)),
                ("pages", FluentValue::from(pages.max(page))),
                ("tickets", tickets.into()),
            ],
        ),
        None => lang
            .t_with("list-page-count", &[("pages", FluentValue::from(pages)), ("tickets", tickets.into())]),
    }
}

pub(super) fn list_url(query: &ListQuery) -> String {
    match serde_urlencoded::to_string(query) {
        Ok(qs) if !qs.is_empty() => format!("/tickets?{qs}"),
        _ => "/tickets".to_owned(),
    }
}

/// The search text of the list as typed (surrounding blanks dropped), or the inline message
/// when it is longer than the ticket service accepts.
pub(super) fn check_search(q: Option<&str>) -> Result<Option<String>, String> {
    match non_blank(q) {
        Some(q) if q.chars().count() > MAX_SEARCH_CHARS => Err(crate::language::current()
            .t_with("list-search-too-long", &[("max", FluentValue::from(MAX_SEARCH_CHARS))])),
        other => Ok(other.map(str::to_owned)),
    }
}

/// The ticket number in a "Go to ticket #" text: `334` or `#334` (blanks around allowed).
pub(super) fn ticket_number(text: &str) -> Option<i64> {
    let text = text.trim();
    let digits = text.strip_prefix('#').unwrap_or(text).trim_start();
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|id| *id > 0)
}

/// Where "Go to ticket #" with `text` leads: the ticket's page when this person may see it,
/// else the private link when this browser reported it; otherwise the sentence to show.
async fn go_to(state: &AppState, session: &Session, jar: &CookieJar, text: &str) -> Result<String, String> {
    let lang = crate::language::current();
    let Some(id) = ticket_number(text) else {
        return Err(lang.t("list-go-not-a-number"));
    };
    // The number as typed, without a thousands separator.
    let number = [("id", FluentValue::from(id.to_string()))];
    match state.tickets.get_ticket(&session.actor(), id).await {
        Ok(_) => Ok(format!("/tickets/{id}")),
        Err(err) => match read_failure(&err) {
            Failure::NotFound(_) => match reported(jar).into_iter().find(|r| r.id == id) {
                Some(mine) => Ok(format!("/r/{}", mine.token)),
                None if session.is_staff() => Err(lang.t_with("list-go-no-ticket", &number)),
                None => Err(lang.t_with("list-go-not-found", &number)),
            },
            _ => Err(sentence_of_failure(&err)),
        },
    }
}

/// A failed call's sentence for a box on the page.
fn sentence_of_failure(err: &ClientError) -> String {
    match read_failure(err) {
        Failure::Refused(problem) => sentence(problem),
        _ => crate::language::current().t("list-go-unreachable"),
    }
}

/// `GET /tickets`: campus users see the open and active tickets; staff see all of them with
/// status / category filters. Everyone gets a text search, "Go to ticket #" (`go`: a number
/// opens that ticket when the person may see it, else a sentence next to the box; 404, or 422
/// for text that is no number) and, on the first page, the tickets this browser reported
/// (closed ones too, linked to their private pages). A search text over 200
/// characters re-renders the page with a message next to the search box (422); a request the
/// ticket service refuses (400, e.g. a cursor from elsewhere) shows its sentence in place of
/// the list (400). Errors: the error page when the ticket service cannot be reached.
pub(crate) async fn list_tickets(
    State(state): State<AppState>,
    session: Session,
    jar: CookieJar,
    WebQuery(query): WebQuery<ListQuery>,
) -> Result<Response, WebError> {
    let is_staff = session.is_staff();
    let lang = crate::language::current();
    let mut go_error = None;
    if let Some(go) = non_blank(query.go.as_deref()) {
        match go_to(&state, &session, &jar, go).await {
            Ok(url) => return Ok(Redirect::to(&url).into_response()),
            Err(message) => go_error = Some(message),
        }
    }
    let (status, category) = if is_staff {
        let status = non_blank(query.status.as_deref())
            .map(|s| s.parse::<Status>())
            .transpose()
            .map_err(|_| WebError::BadRequest(lang.t("list-status-invalid")))?;
        let category = non_blank(query.category.as_deref())
            .map(|s| s.parse::<Category>())
            .transpose()
            .map_err(|_| WebError::BadRequest(lang.t("list-category-invalid")))?;
        (status, category)
    } else {
        (None, None)
    };
    let (q, search_error) = match check_search(query.q.as_deref()) {
        Ok(q) => (q, None),
        Err(message) => (None, Some(message)),
    };
    let cursor = non_blank(query.cursor.as_deref()).map(str::to_owned);
    let (sort, size) = list_order(&query)?;
    let mut page = ListTemplate {
        layout: session.layout(Section::Tickets).live_list(),
        is_staff,
        rows: Vec::new(),
        statuses: status_choices(status),
        categories: category_choices(category, true),
        q: q.clone().unwrap_or_default(),
        search_error,
        list_error: None,
        filtered: status.is_some() || category.is_some() || q.is_some(),
        next_url: None,
        prev_url: None,
        first_url: None,
        sorts: choices(&SORTS, sort.unwrap_or_default(), |(_, name)| sort_label(name, lang)),
        sizes: choices(&PAGE_SIZES, &size.to_string(), |(value, _)| (*value).to_owned()),
        sort_name: SORTS.iter().find(|(value, _)| Some(*value) == sort).map_or(SORTS[0].1, |(_, name)| name),
        pages_label: String::new(),
        export_url: None,
        go: if go_error.is_some() { query.go.clone().unwrap_or_default() } else { String::new() },
        go_error,
        reported: Vec::new(),
    };
    if page.search_error.is_some() {
        // Keep what was typed, exactly, so it can be shortened.
        page.q = query.q.clone().unwrap_or_default();
        return Ok(HtmlTemplate::with_status(page, StatusCode::UNPROCESSABLE_ENTITY).into_response());
    }
    let request = TicketListQuery {
        status,
        category,
        q: q.clone(),
        limit: Some(size),
        cursor: cursor.clone(),
        sort: sort.map(str::to_owned),
    };
    let answer = match state.tickets.list_tickets(&session.actor(), &request).await {
        Ok(answer) => answer,
        Err(err) => match read_failure(&err) {
            Failure::Refused(problem) => {
                page.list_error = Some(sentence(problem));
                return Ok(HtmlTemplate::with_status(page, problem.status).into_response());
            }
            _ => return Err(WebError::from_client(TICKET_SERVICE, err)),
        },
    };

    let first = ListQuery {
        status: status.map(|s| s.as_str().to_owned()),
        category: category.map(|c| c.as_str().to_owned()),
        q,
        cursor: None,
        go: None,
        sort: sort.map(str::to_owned),
        size: (size != PAGE_SIZE).then(|| size.to_string()),
    };
    page.pages_label = pages_label(&answer, lang);
    page.next_url = answer.next_cursor.map(|c| list_url(&ListQuery { cursor: Some(c), ..first.clone() }));
    page.prev_url = answer.prev_cursor.map(|c| list_url(&ListQuery { cursor: Some(c), ..first.clone() }));
    page.first_url = cursor.as_ref().filter(|_| answer.page != Some(1)).map(|_| list_url(&first));
    if is_staff {
        page.export_url = Some(super::export::export_url(&ListQuery { size: None, ..first.clone() }));
    }
    page.rows = answer.items.iter().map(|t| TicketRow::new(t, &state.tz)).collect();
    if cursor.is_none() {
        page.reported = reported_rows(&state, &jar).await?;
    }
    let status = match (&page.go_error, query.go.as_deref().and_then(ticket_number)) {
        (None, _) => StatusCode::OK,
        (Some(_), Some(_)) => StatusCode::NOT_FOUND,
        (Some(_), None) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(HtmlTemplate::with_status(page, status).into_response())
}
