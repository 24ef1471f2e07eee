//! Response bodies of the analytics service (`/api/v1/analytics`).

use domain::Category;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// `GET /api/v1/analytics/unclosed?hours=N` or `?days=N`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UnclosedReport {
    /// Start of the period: `now - period` (UTC).
    pub since: Timestamp,
    /// End of the period: the time of the answer (UTC).
    pub until: Timestamp,
    /// Tickets opened at or after `since` that are not closed: `open + active`.
    pub count: u64,
    /// Of those, how many are `open`.
    pub open: u64,
    /// Of those, how many are `active`.
    pub active: u64,
    /// The same tickets by when they were opened, in equal slices of the period (hours for
    /// periods up to 48 hours, days otherwise), oldest first.
    pub buckets: Vec<UnclosedBucket>,
}

/// One slice of [`UnclosedReport::buckets`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UnclosedBucket {
    /// Start of the slice (UTC); the slice ends where the next one starts, the last at `until`.
    pub start: Timestamp,
    /// Unclosed tickets opened in the slice that are `open`.
    pub open: u64,
    /// Unclosed tickets opened in the slice that are `active`.
    pub active: u64,
}

/// `GET /api/v1/analytics/resolution-time`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResolutionReport {
    /// The campus time zone the months are counted in (IANA name, e.g. `Europe/Berlin`).
    pub time_zone: String,
    /// One entry per month that has closed tickets, oldest first.
    pub months: Vec<MonthResolution>,
}

/// Resolution time of the tickets opened in one month and closed since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthResolution {
    /// `YYYY-MM`, in the campus time zone, of `opened_at`.
    pub month: String,
    /// How many tickets opened that month are closed.
    pub closed: u64,
    /// Mean of `closed_at - opened_at`, in hours.
    pub mean_hours: f64,
    /// Median of the same, in hours (mean of the two middle values for an even count).
    pub median_hours: f64,
}

/// `GET /api/v1/analytics/active-by-category`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActiveByCategory {
    /// Every category, zero included, in the order facility, it, services.
    pub categories: Vec<CategoryCount>,
}

/// Number of `active` tickets in one category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryCount {
    /// The category.
    pub category: Category,
    /// Active tickets in it.
    pub active: u64,
}
