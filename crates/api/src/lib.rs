//! The wire contract of campusdesk: JSON request and response types of the ticket service
//! (`/api/v1`) and the analytics service (`/api/v1/analytics`), the RFC 9457 [`Problem`] body,
//! the role headers, the analysis [`Period`] with its limits, the query types of both APIs and
//! the one way their query strings are read and refused ([`query`]), and typed HTTP clients
//! ([`TicketsClient`], [`AnalyticsClient`]).
//!
//! The ticket, message and event records themselves are the domain types ([`domain::Ticket`],
//! [`domain::Message`], [`domain::Event`]), which serialise to the documented JSON.

mod analytics;
mod attachments;
mod client;
pub mod contract;
mod imports;
mod period;
mod problem;
pub mod query;
mod tickets;

pub use analytics::{
    ActiveByCategory, CategoryCount, MonthResolution, ResolutionReport, UnclosedBucket, UnclosedReport,
};
pub use attachments::{
    AttachmentBody, AttachmentLimits, FILE_CSP, MessageUpload, MessageWithAttachments, TicketUpload,
    TicketWithAttachments, UploadFile, set_file_headers,
};
pub use client::{AnalyticsClient, ClientError, IMPORT_POLL, POOL_IDLE, TicketsClient, http_client};
pub use imports::{IDEMPOTENCY_KEY, IMPORT_FILE_LIMIT, ImportJobState, ImportJobView, RESPOND_ASYNC};
pub use period::{Period, PeriodError, PeriodQuery, PeriodUnit};
pub use problem::{PROBLEM_CONTENT_TYPE, Problem};
pub use query::{NoQuery, QueryError, parse_query};
pub use tickets::{
    Change, ChangeFeedQuery, ChangePage, ChangeStreamQuery, Classification, ClassifierStatus,
    ClassifyRequest, ConfirmCategoryRequest, CreateTicketRequest, CreatedTicket, EmailUpdates, ImportReport,
    NewMessageRequest, ReporterEmail, ReporterLookupRequest, ReporterTicket, ReporterView, StatusRequest,
    TicketListQuery, TicketPage, TicketView, Unsubscribed, UpdateTicketRequest,
};

/// Request header declaring the caller's role: `user` (default when missing) or `staff`.
pub const ROLE_HEADER: &str = "x-campusdesk-role";
/// Request header carrying the caller's optional display name (UTF-8, percent-encoded).
pub const NAME_HEADER: &str = "x-campusdesk-name";

/// The two role headers as OpenAPI header parameters, for the endpoints that read them (the
/// ticket service's `Actor` extractor). Only a description: nothing builds or reads this type.
#[derive(Debug, Clone, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct RoleHeaders {
    /// The caller's declared role, `user` or `staff` (any letter case); `user` when missing.
    /// An unknown role gets 400.
    #[param(rename = "X-Campusdesk-Role", nullable = false)]
    pub role: Option<domain::Role>,
    /// The caller's optional display name: UTF-8, percent-encoded, at most 60 characters once
    /// decoded, one line. An invalid name gets 400.
    #[param(rename = "X-Campusdesk-Name", nullable = false, max_length = 180)]
    pub name: Option<String>,
}
