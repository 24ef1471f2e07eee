//! Typed HTTP clients of the ticket and analytics services.

use std::net::IpAddr;
use std::time::Duration;

use domain::{Actor, Attachment, Event, Message, Status, Ticket};
use futures::{Stream, TryStreamExt};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::multipart::{Form, Part};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{
    ActiveByCategory, AttachmentBody, Change, ChangeFeedQuery, ChangePage, ChangeStreamQuery, Classification,
    ClassifierStatus, ClassifyRequest, ConfirmCategoryRequest, CreateTicketRequest, CreatedTicket,
    EmailUpdates, IDEMPOTENCY_KEY, ImportJobView, ImportReport, MessageWithAttachments, NAME_HEADER,
    NewMessageRequest, PROBLEM_CONTENT_TYPE, Period, PeriodQuery, Problem, ROLE_HEADER,
    ReporterLookupRequest, ReporterTicket, ReporterView, ResolutionReport, StatusRequest, TicketListQuery,
    TicketPage, TicketView, TicketWithAttachments, UnclosedReport, Unsubscribed, UpdateTicketRequest,
    UploadFile,
};

/// How often [`TicketsClient::wait_import`] asks for a job's progress: every 500 ms.
pub const IMPORT_POLL: std::time::Duration = std::time::Duration::from_millis(500);

/// Why a call to a campusdesk service failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The service refused the request and said why (RFC 9457 body).
    #[error("{0}")]
    Problem(Problem),
    /// 429: the caller is over a rate limit (or holds too many open streams). `problem.detail`
    /// is the sentence to show; `retry_after` the seconds the service asked to wait
    /// (`Retry-After`), when it said.
    #[error("{problem}")]
    RateLimited {
        /// The service's problem body (status 429); boxed to keep the error small.
        problem: Box<Problem>,
        /// Seconds to wait before trying again, from `Retry-After` (whole seconds).
        retry_after: Option<u64>,
    },
    /// The service could not be reached or the connection broke.
    #[error("the service could not be reached: {0}")]
    Http(#[from] reqwest::Error),
    /// The service answered something that is not the documented shape.
    #[error("the service answered {status} with an unexpected body: {body}")]
    Unexpected {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
    },
}

impl ClientError {
    /// The HTTP status the service answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Problem(p) => Some(p.status.as_u16()),
            ClientError::RateLimited { .. } => Some(429),
            ClientError::Http(e) => e.status().map(|s| s.as_u16()),
            ClientError::Unexpected { status, .. } => Some(*status),
        }
    }
}

/// How long the clients keep an idle connection for reuse: 30 seconds, below the services'
/// idle keep-alive timeout (60 seconds by default, see `serving::ConnectionLimits`), so a client
/// never sends a request on a connection the service is closing at that moment.
pub const POOL_IDLE: Duration = Duration::from_secs(30);

/// A `reqwest::Client` for calls between the services: idle connections are dropped after
/// [`POOL_IDLE`]. Share one per process (it holds the connection pool).
pub fn http_client() -> reqwest::Client {
    // Building fails only when the TLS backend cannot start; this client has none.
    reqwest::Client::builder().pool_idle_timeout(POOL_IDLE).build().unwrap_or_default()
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_CONTENT_TYPE));
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let bytes = response.bytes().await?;
    if status.is_success() {
        return serde_json::from_slice(&bytes).map_err(|e| ClientError::Unexpected {
            status: status.as_u16(),
            body: format!("{e}: {}", String::from_utf8_lossy(&bytes[..bytes.len().min(200)])),
        });
    }
    if is_problem && let Ok(problem) = serde_json::from_slice::<Problem>(&bytes) {
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(ClientError::RateLimited { problem: Box::new(problem), retry_after });
        }
        return Err(ClientError::Problem(problem));
    }
    Err(ClientError::Unexpected {
        status: status.as_u16(),
        body: String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned(),
    })
}

fn with_actor(request: RequestBuilder, actor: &Actor) -> RequestBuilder {
    let request = request.header(ROLE_HEADER, actor.role.as_str());
    match &actor.name {
        Some(name) => {
            request.header(NAME_HEADER, utf8_percent_encode(name.as_str(), NON_ALPHANUMERIC).to_string())
        }
        None => request,
    }
}

/// `form` with one part named `files` per file.
fn with_files(form: Form, files: Vec<UploadFile>) -> Form {
    files
        .into_iter()
        .fold(form, |form, file| form.part("files", Part::bytes(file.bytes).file_name(file.file_name)))
}

/// Client of the ticket service. Cheap to clone (shares one connection pool).
#[derive(Debug, Clone)]
pub struct TicketsClient {
    http: reqwest::Client,
    base: String,
    /// Sent as `X-Forwarded-For` with the rate-limited calls (see
    /// [`TicketsClient::on_behalf_of`]).
    forwarded_for: Option<IpAddr>,
}

impl TicketsClient {
    /// A client for the ticket service at `base_url` (e.g. `http://127.0.0.1:8081`, no trailing
    /// `/api/v1`).
    pub fn new(base_url: &str) -> Self {
        Self::with_http(http_client(), base_url)
    }

    /// The same, sharing an existing `reqwest::Client`.
    pub fn with_http(http: reqwest::Client, base_url: &str) -> Self {
        TicketsClient {
            http,
            base: format!("{}/api/v1", base_url.trim_end_matches('/')),
            forwarded_for: None,
        }
    }

    /// The same client, telling the ticket service that its requests are made for the person
    /// at `client`: the rate-limited calls (creating a ticket, posting a message, classifying)
    /// carry `X-Forwarded-For: CLIENT`. The ticket service counts its rate limits per that
    /// address when this process's address is one of its trusted proxies; otherwise it ignores
    /// the header and counts this process's address.
    pub fn on_behalf_of(&self, client: IpAddr) -> TicketsClient {
        TicketsClient { forwarded_for: Some(client), ..self.clone() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn forward(&self, request: RequestBuilder) -> RequestBuilder {
        match self.forwarded_for {
            Some(client) => request.header("x-forwarded-for", client.to_string()),
            None => request,
        }
    }

    /// `POST /tickets`: reports a new ticket; the answer carries its private reporter token.
    /// Errors: 400/422 problems for invalid text.
    pub async fn report_ticket(
        &self,
        actor: &Actor,
        request: &CreateTicketRequest,
    ) -> Result<CreatedTicket, ClientError> {
        let post = self.forward(self.http.post(self.url("/tickets")));
        decode(with_actor(post, actor).json(request).send().await?).await
    }

    /// [`TicketsClient::report_ticket`], keeping only the ticket.
    pub async fn create_ticket(
        &self,
        actor: &Actor,
        request: &CreateTicketRequest,
    ) -> Result<Ticket, ClientError> {
        Ok(self.report_ticket(actor, request).await?.ticket)
    }

    /// The path of a reporter endpoint for `token` (percent-encoded: a token is only ever a
    /// path segment), followed by `rest`.
    fn reporter_url(&self, token: &str, rest: &str) -> String {
        self.url(&format!("/reporter/{}{rest}", utf8_percent_encode(token, NON_ALPHANUMERIC)))
    }

    /// `GET /reporter/{token}`: the ticket a private link opens, with its thread (closed
    /// tickets too). Errors: 404 problem for a token no ticket holds.
    pub async fn reporter_view(&self, token: &str) -> Result<ReporterView, ClientError> {
        decode(self.http.get(self.reporter_url(token, "")).send().await?).await
    }

    /// `POST /reporter/{token}/messages`: the reporter replies, under `actor`'s name (the role
    /// is always `user`). Errors: 404 for an unknown token, 409 once the ticket is closed,
    /// 422 for an invalid body.
    pub async fn reporter_reply(
        &self,
        actor: &Actor,
        token: &str,
        body: &str,
    ) -> Result<Message, ClientError> {
        let url = self.reporter_url(token, "/messages");
        let request = NewMessageRequest { body: body.to_owned() };
        decode(with_actor(self.forward(self.http.post(url)), actor).json(&request).send().await?).await
    }

    /// `POST /reporter/lookup`: the tickets of up to 100 private tokens, in their order;
    /// unknown tokens are left out.
    pub async fn reporter_lookup(&self, tokens: &[String]) -> Result<Vec<ReporterTicket>, ClientError> {
        let request = ReporterLookupRequest { tokens: tokens.to_vec() };
        decode(self.http.post(self.url("/reporter/lookup")).json(&request).send().await?).await
    }

    /// `GET /tickets`: one page of tickets, newest first.
    pub async fn list_tickets(
        &self,
        actor: &Actor,
        query: &TicketListQuery,
    ) -> Result<TicketPage, ClientError> {
        decode(with_actor(self.http.get(self.url("/tickets")), actor).query(query).send().await?).await
    }

    /// `GET /tickets/{id}`. Errors: 404 problem (also for a user asking for a closed ticket).
    pub async fn get_ticket(&self, actor: &Actor, id: i64) -> Result<Ticket, ClientError> {
        decode(with_actor(self.http.get(self.url(&format!("/tickets/{id}"))), actor).send().await?).await
    }

    /// `PATCH /tickets/{id}`. Errors: 409 on a stale version, 403/404/422 as documented.
    pub async fn update_ticket(
        &self,
        actor: &Actor,
        id: i64,
        request: &UpdateTicketRequest,
    ) -> Result<Ticket, ClientError> {
        let url = self.url(&format!("/tickets/{id}"));
        decode(with_actor(self.http.patch(url), actor).json(request).send().await?).await
    }

    /// `POST /tickets/{id}/status`. Errors: 403 for users, 409 for a move the state machine refuses.
    pub async fn set_status(&self, actor: &Actor, id: i64, status: Status) -> Result<Ticket, ClientError> {
        let url = self.url(&format!("/tickets/{id}/status"));
        decode(with_actor(self.http.post(url), actor).json(&StatusRequest { status }).send().await?).await
    }

    /// `POST /tickets/{id}/undo-close`: staff undo the closing of a ticket closed moments ago;
    /// it is active again. Errors: 403 for a user, 404, 409 when the ticket is not closed or the
    /// undo window has passed.
    pub async fn undo_close(&self, actor: &Actor, id: i64) -> Result<Ticket, ClientError> {
        let url = self.url(&format!("/tickets/{id}/undo-close"));
        decode(with_actor(self.http.post(url), actor).send().await?).await
    }

    /// `GET /tickets/{id}/view`: the ticket with its thread, (staff) its event log and what
    /// `actor` may do next, in one call. Errors: 404 when missing or, for a user, closed.
    pub async fn ticket_view(&self, actor: &Actor, id: i64) -> Result<TicketView, ClientError> {
        decode(with_actor(self.http.get(self.url(&format!("/tickets/{id}/view"))), actor).send().await?).await
    }

    /// `POST /tickets/{id}/category/confirm`: staff confirm the ticket's category as it is.
    /// Errors: 403 for a user, 404, 409 on a stale `version`.
    pub async fn confirm_category(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
    ) -> Result<Ticket, ClientError> {
        let url = self.url(&format!("/tickets/{id}/category/confirm"));
        let request = ConfirmCategoryRequest { version };
        decode(with_actor(self.http.post(url), actor).json(&request).send().await?).await
    }

    /// `GET /tickets/{id}/messages`: the thread, oldest first.
    pub async fn list_messages(&self, actor: &Actor, id: i64) -> Result<Vec<Message>, ClientError> {
        decode(with_actor(self.http.get(self.url(&format!("/tickets/{id}/messages"))), actor).send().await?)
            .await
    }

    /// `POST /tickets/{id}/messages`: posts a message as `actor`.
    pub async fn post_message(&self, actor: &Actor, id: i64, body: &str) -> Result<Message, ClientError> {
        let url = self.url(&format!("/tickets/{id}/messages"));
        let request = NewMessageRequest { body: body.to_owned() };
        decode(with_actor(self.forward(self.http.post(url)), actor).json(&request).send().await?).await
    }

    /// `POST /ticket-uploads`: reports a new ticket with files (and the reporter's e-mail
    /// address when `request` has one), in one request (stored together or not at all); the
    /// answer carries the private reporter token. Errors: 413/422 problems naming the refused file, as for
    /// [`TicketsClient::create_ticket`] otherwise.
    pub async fn create_ticket_with_files(
        &self,
        actor: &Actor,
        request: &CreateTicketRequest,
        files: Vec<UploadFile>,
    ) -> Result<TicketWithAttachments, ClientError> {
        let mut form =
            Form::new().text("title", request.title.clone()).text("description", request.description.clone());
        if let Some(email) = &request.reporter_email {
            form = form.text("reporter_email", email.clone());
        }
        let form = with_files(form, files);
        let post = self.forward(self.http.post(self.url("/ticket-uploads")));
        decode(with_actor(post, actor).multipart(form).send().await?).await
    }

    /// `POST /tickets/{id}/message-uploads`: posts a message with files, in one request.
    /// Errors: as [`TicketsClient::create_ticket_with_files`], and 404.
    pub async fn post_message_with_files(
        &self,
        actor: &Actor,
        id: i64,
        body: &str,
        files: Vec<UploadFile>,
    ) -> Result<MessageWithAttachments, ClientError> {
        let form = with_files(Form::new().text("body", body.to_owned()), files);
        let url = self.url(&format!("/tickets/{id}/message-uploads"));
        decode(with_actor(self.forward(self.http.post(url)), actor).multipart(form).send().await?).await
    }

    /// `GET /tickets/{id}/attachments`: the metadata of the ticket's attachments, oldest first.
    pub async fn list_attachments(&self, actor: &Actor, id: i64) -> Result<Vec<Attachment>, ClientError> {
        let get = self.http.get(self.url(&format!("/tickets/{id}/attachments")));
        decode(with_actor(get, actor).send().await?).await
    }

    /// `GET /attachments/{id}` (or `/attachments/{id}/thumbnail` with `thumbnail`): the file's
    /// bytes with the type and disposition the service serves them with. Errors: 404 problem.
    pub async fn attachment(
        &self,
        actor: &Actor,
        id: i64,
        thumbnail: bool,
    ) -> Result<AttachmentBody, ClientError> {
        let path =
            if thumbnail { format!("/attachments/{id}/thumbnail") } else { format!("/attachments/{id}") };
        file_body(with_actor(self.http.get(self.url(&path)), actor).send().await?).await
    }

    /// `GET /reporter/{token}/attachments/{id}` (or its `/thumbnail`): a file of the ticket
    /// whose private token is `token`, in any status. Errors: 404 problem (unknown token, or
    /// no such attachment on that ticket).
    pub async fn reporter_attachment(
        &self,
        token: &str,
        id: i64,
        thumbnail: bool,
    ) -> Result<AttachmentBody, ClientError> {
        let rest =
            if thumbnail { format!("/attachments/{id}/thumbnail") } else { format!("/attachments/{id}") };
        file_body(self.http.get(self.reporter_url(token, &rest)).send().await?).await
    }
}

/// A served file's bytes with its type and disposition, or the problem of a refusal.
async fn file_body(response: reqwest::Response) -> Result<AttachmentBody, ClientError> {
    if !response.status().is_success() {
        let status = response.status().as_u16();
        return match decode::<serde_json::Value>(response).await {
            Err(err) => Err(err),
            Ok(body) => Err(ClientError::Unexpected { status, body: body.to_string() }),
        };
    }
    let header = |name: reqwest::header::HeaderName| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let content_disposition = header(reqwest::header::CONTENT_DISPOSITION);
    let bytes = response.bytes().await?.to_vec();
    Ok(AttachmentBody { content_type, content_disposition, bytes })
}

impl TicketsClient {
    /// `GET /tickets/{id}/events`: the ticket's event log, oldest first.
    pub async fn list_events(&self, actor: &Actor, id: i64) -> Result<Vec<Event>, ClientError> {
        decode(with_actor(self.http.get(self.url(&format!("/tickets/{id}/events"))), actor).send().await?)
            .await
    }

    /// `GET /changes?after=SEQ&limit=N`: the next page of the change feed. Read as staff (the
    /// readers are services), so closed tickets are included.
    pub async fn changes(&self, after: i64, limit: u32) -> Result<ChangePage, ClientError> {
        let request = with_actor(self.http.get(self.url("/changes")), &Actor::staff())
            .query(&ChangeFeedQuery { after: Some(after), limit: Some(limit) });
        decode(request.send().await?).await
    }

    /// `GET /changes/stream?after=SEQ`: the change feed as server-sent events, live. The stream
    /// ends when the connection does; reconnect with the last `seq` seen.
    pub async fn change_stream(
        &self,
        after: i64,
    ) -> Result<impl Stream<Item = Result<Change, ClientError>> + Send + use<>, ClientError> {
        let request = with_actor(self.http.get(self.url("/changes/stream")), &Actor::staff());
        let response = request.query(&ChangeStreamQuery { after: Some(after) }).send().await?;
        if response.status() != StatusCode::OK {
            return Err(decode::<serde_json::Value>(response)
                .await
                .err()
                .unwrap_or(ClientError::Unexpected { status: 200, body: "not an event stream".into() }));
        }
        use eventsource_stream::Eventsource;
        Ok(response
            .bytes_stream()
            .eventsource()
            .map_err(|e| ClientError::Unexpected { status: 200, body: e.to_string() })
            .try_filter_map(|event| async move {
                if event.event != "change" {
                    return Ok(None);
                }
                serde_json::from_str::<Change>(&event.data)
                    .map(Some)
                    .map_err(|e| ClientError::Unexpected { status: 200, body: e.to_string() })
            }))
    }

    /// `POST /import`: imports a CSV file, all or nothing, and returns once it is stored. A
    /// small file is answered at once (201); for a larger one the service answers 202 with a
    /// job, which this follows (see [`TicketsClient::wait_import`]).
    ///
    /// Errors: the problem of a refused or failed import (422 naming the bad row, 403 for a
    /// user, 413 for a file over 20 MiB), or the service becoming unreachable.
    pub async fn import_csv(&self, actor: &Actor, csv: String) -> Result<ImportReport, ClientError> {
        let request =
            with_actor(self.http.post(self.url("/import")), actor).header("content-type", "text/csv");
        let response = request.body(csv).send().await?;
        if response.status() == StatusCode::ACCEPTED {
            let job: ImportJobView = decode(response).await?;
            return self.wait_import(actor, job, |_| {}).await;
        }
        decode(response).await
    }

    /// `POST /imports`: uploads a CSV file and returns its import job (202) at once, without
    /// waiting for it. With `idempotency_key`, a retry returns the same job instead of
    /// importing twice (so does the same file sent again without a key while its job has not
    /// failed). Errors: 403 for a user, 413, 415, 422 for a key used with another file.
    pub async fn start_import(
        &self,
        actor: &Actor,
        csv: impl Into<reqwest::Body>,
        idempotency_key: Option<&str>,
    ) -> Result<ImportJobView, ClientError> {
        let mut request =
            with_actor(self.http.post(self.url("/imports")), actor).header("content-type", "text/csv");
        if let Some(key) = idempotency_key {
            request = request.header(IDEMPOTENCY_KEY, key);
        }
        decode(request.body(csv).send().await?).await
    }

    /// `GET /imports/{id}`: the import job now. Errors: 404 for no such job, 403 for a user.
    pub async fn import_job(&self, actor: &Actor, id: i64) -> Result<ImportJobView, ClientError> {
        decode(with_actor(self.http.get(self.url(&format!("/imports/{id}"))), actor).send().await?).await
    }

    /// Follows `job` until it ends, calling `progress` with each state read (every
    /// [`IMPORT_POLL`]), and returns its outcome.
    ///
    /// Errors: the job's problem when it failed (422 naming the row: nothing was imported), or
    /// the service becoming unreachable.
    pub async fn wait_import(
        &self,
        actor: &Actor,
        mut job: ImportJobView,
        mut progress: impl FnMut(&ImportJobView),
    ) -> Result<ImportReport, ClientError> {
        loop {
            progress(&job);
            if job.state.is_final() {
                break;
            }
            tokio::time::sleep(IMPORT_POLL).await;
            job = self.import_job(actor, job.id).await?;
        }
        match (job.outcome, job.problem) {
            (Some(report), _) => Ok(report),
            (None, Some(problem)) => Err(ClientError::Problem(problem)),
            (None, None) => Err(ClientError::Unexpected {
                status: 200,
                body: format!("import job {} ended {} without an outcome", job.id, job.state.as_str()),
            }),
        }
    }

    /// `POST /classify`: the category a text would get, without creating anything.
    pub async fn classify(&self, text: &str) -> Result<Classification, ClientError> {
        let request = ClassifyRequest { text: text.to_owned() };
        decode(self.forward(self.http.post(self.url("/classify"))).json(&request).send().await?).await
    }

    /// `GET /classifier`: the model in use, staff corrections and the accuracy of automatic
    /// categories.
    pub async fn classifier_status(&self) -> Result<ClassifierStatus, ClientError> {
        decode(self.http.get(self.url("/classifier")).send().await?).await
    }

    /// `GET /email-updates`: whether reporters can get e-mail updates (an SMTP server is
    /// configured).
    pub async fn email_updates(&self) -> Result<EmailUpdates, ClientError> {
        decode(self.http.get(self.url("/email-updates")).send().await?).await
    }

    /// `POST /unsubscribe/{token}`: the reporter holding this unsubscribe token gets no more
    /// e-mails about the ticket. Errors: 404 for a token no subscription has.
    pub async fn unsubscribe(&self, token: &str) -> Result<Unsubscribed, ClientError> {
        let token = utf8_percent_encode(token, NON_ALPHANUMERIC);
        decode(self.forward(self.http.post(self.url(&format!("/unsubscribe/{token}")))).send().await?).await
    }
}

/// Client of the analytics service. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AnalyticsClient {
    http: reqwest::Client,
    /// The service's address without a trailing slash (where `/healthz` is).
    root: String,
    base: String,
}

/// Body of the analytics service's `GET /healthz` (the part [`AnalyticsClient::cursor`] reads).
#[derive(Debug, Deserialize)]
struct AnalyticsHealth {
    cursor: i64,
}

impl AnalyticsClient {
    /// A client for the analytics service at `base_url` (e.g. `http://127.0.0.1:8082`).
    pub fn new(base_url: &str) -> Self {
        Self::with_http(http_client(), base_url)
    }

    /// The same, sharing an existing `reqwest::Client`.
    pub fn with_http(http: reqwest::Client, base_url: &str) -> Self {
        let root = base_url.trim_end_matches('/').to_owned();
        AnalyticsClient { http, base: format!("{root}/api/v1/analytics"), root }
    }

    /// `GET /healthz`: the `seq` of the last change of the ticket service's feed the read model
    /// reflects (0 before any), so a caller can tell whether an answer already includes a change
    /// it saw. Errors: a 503 problem while the first load of the feed still runs.
    pub async fn cursor(&self) -> Result<i64, ClientError> {
        let health: AnalyticsHealth =
            decode(self.http.get(format!("{}/healthz", self.root)).send().await?).await?;
        Ok(health.cursor)
    }

    /// `GET /unclosed?hours=N` or `?days=N`, as `period` was given.
    pub async fn unclosed(&self, period: Period) -> Result<UnclosedReport, ClientError> {
        let request = self.http.get(format!("{}/unclosed", self.base)).query(&PeriodQuery::from(period));
        decode(request.send().await?).await
    }

    /// `GET /resolution-time`.
    pub async fn resolution_time(&self) -> Result<ResolutionReport, ClientError> {
        decode(self.http.get(format!("{}/resolution-time", self.base)).send().await?).await
    }

    /// `GET /active-by-category`.
    pub async fn active_by_category(&self) -> Result<ActiveByCategory, ClientError> {
        decode(self.http.get(format!("{}/active-by-category", self.base)).send().await?).await
    }
}
