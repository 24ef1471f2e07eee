//! The in-memory read model of the analytics service and the three analyses computed from it.
//!
//! The model owns, per ticket id, only the four facts the analyses need: status, category,
//! `opened_at` and `closed_at`. It is built by applying change-feed entries ([`api::Change`]) in
//! order; each entry is a full snapshot of one ticket, so applying it replaces whatever the model
//! held for that id. The analyses are pure functions of the model plus an injected `now` (or
//! time zone), so they are tested with hand-computed numbers and no clock.
//!
//! Layout, chosen for a million tickets: one `Vec` of 24-byte `Copy` rows (times as microseconds
//! since the Unix epoch, UTC) plus a `HashMap` from ticket id to row index. No strings are kept.
//! Instants are therefore compared to the microsecond.
//!
//! What the analyses read is kept up to date by [`ReadModel::apply`] instead of computed per
//! request: the active count per category, the tickets not closed yet ordered by `opened_at`
//! (so "opened in the last X" reads only the tickets of the period), and the resolution times
//! per month of the model's time zone (each month's durations kept sorted, with their sum). So
//! answering costs the same at a million tickets as at ten.

use std::collections::{BTreeMap, HashMap};

use api::{
    ActiveByCategory, CategoryCount, Change, MonthResolution, Period, ResolutionReport, UnclosedBucket,
    UnclosedReport,
};
use domain::{Category, Status};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Microseconds in one hour.
const HOUR_US: i64 = 3_600_000_000;
/// Microseconds in one day (24 hours; UTC has no daylight saving time).
const DAY_US: i64 = 24 * HOUR_US;
/// Stored `closed_at` of a ticket that has none.
const NOT_CLOSED: i64 = i64::MIN;

/// The facts the model keeps about one ticket.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Row {
    /// `opened_at`, microseconds since the Unix epoch (UTC).
    opened_us: i64,
    /// `closed_at`, microseconds since the Unix epoch (UTC), or [`NOT_CLOSED`].
    closed_us: i64,
    status: Status,
    category: Category,
}

/// What the read model knows about one ticket, as returned by [`ReadModel::get`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketFacts {
    /// The ticket's status in its latest applied snapshot.
    pub status: Status,
    /// The ticket's category in its latest applied snapshot.
    pub category: Category,
    /// When the ticket was opened (UTC, microsecond precision).
    pub opened_at: Timestamp,
    /// When the ticket was closed (UTC, microsecond precision), if it was.
    pub closed_at: Option<Timestamp>,
}

/// The analytics read model: the latest snapshot of every ticket seen on the change feed,
/// reduced to status, category, `opened_at` and `closed_at`, plus the feed cursor.
///
/// Build it with [`ReadModel::apply`]; query it with [`ReadModel::unclosed`],
/// [`ReadModel::resolution_time`] and [`ReadModel::active_by_category`].
#[derive(Debug, Clone)]
pub struct ReadModel {
    rows: Vec<Row>,
    index: HashMap<i64, u32>,
    /// Active tickets per category, indexed by [`Category::index`]; kept up to date by `apply`.
    active: [u64; 3],
    /// Every ticket not closed yet, by `(opened_us, id)`; the value says whether it is active.
    unclosed: BTreeMap<(i64, i64), bool>,
    /// The time zone whose calendar months `months` uses.
    time_zone: TimeZone,
    /// The resolution times of closed tickets by the month (in `time_zone`) they were opened
    /// in; kept up to date by `apply`. Months without closed tickets are absent.
    months: BTreeMap<(i16, i8), Durations>,
    month_cache: MonthCache,
    cursor: i64,
}

/// The resolution times of one month's closed tickets, in microseconds, sorted, and their sum.
#[derive(Debug, Clone, Default)]
struct Durations {
    sorted: Vec<i64>,
    sum: i128,
}

impl Default for ReadModel {
    fn default() -> Self {
        Self::in_time_zone(TimeZone::UTC)
    }
}

impl ReadModel {
    /// An empty model with cursor 0 (the change feed's `seq` values start above 0), keeping
    /// resolution times by UTC month.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty model keeping resolution times by the calendar months of `time_zone` (the
    /// campus time zone), which [`ReadModel::resolution_time`] then answers at once.
    pub fn in_time_zone(time_zone: TimeZone) -> Self {
        ReadModel {
            rows: Vec::new(),
            index: HashMap::new(),
            active: [0; 3],
            unclosed: BTreeMap::new(),
            time_zone,
            months: BTreeMap::new(),
            month_cache: MonthCache::default(),
            cursor: 0,
        }
    }

    /// The `seq` of the last change applied, 0 when none was. Pass it as `after` to the change
    /// feed to continue where the model stands.
    pub fn cursor(&self) -> i64 {
        self.cursor
    }

    /// Number of distinct tickets in the model.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the model holds no ticket yet.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// What the model knows about ticket `id`, if it has seen it.
    pub fn get(&self, id: i64) -> Option<TicketFacts> {
        let row = self.rows[*self.index.get(&id)? as usize];
        Some(TicketFacts {
            status: row.status,
            category: row.category,
            opened_at: from_us(row.opened_us),
            closed_at: (row.closed_us != NOT_CLOSED).then(|| from_us(row.closed_us)),
        })
    }

    /// Applies one change-feed entry and returns whether it changed the model.
    ///
    /// Idempotent and order-safe: a change whose `seq` is at or below [`ReadModel::cursor`] was
    /// already applied (or superseded) and is ignored (returns `false`). Otherwise the snapshot
    /// replaces whatever the model held for that ticket id, and the cursor moves to `seq`.
    pub fn apply(&mut self, change: &Change) -> bool {
        if change.seq <= self.cursor {
            return false;
        }
        self.cursor = change.seq;
        let ticket = &change.ticket;
        let row = Row {
            opened_us: ticket.opened_at.as_microsecond(),
            closed_us: ticket.closed_at.map_or(NOT_CLOSED, Timestamp::as_microsecond),
            status: ticket.status,
            category: ticket.category,
        };
        match self.index.get(&ticket.id) {
            Some(&slot) => {
                let old = std::mem::replace(&mut self.rows[slot as usize], row);
                if old.status == Status::Active {
                    self.active[old.category.index()] -= 1;
                }
                if old.status != Status::Closed {
                    self.unclosed.remove(&(old.opened_us, ticket.id));
                }
                self.forget_resolution(old);
            }
            None => {
                let slot = u32::try_from(self.rows.len()).expect("fewer than 4 billion tickets");
                self.index.insert(ticket.id, slot);
                self.rows.push(row);
            }
        }
        if row.status == Status::Active {
            self.active[row.category.index()] += 1;
        }
        if row.status != Status::Closed {
            self.unclosed.insert((row.opened_us, ticket.id), row.status == Status::Active);
        }
        if let Some(duration) = resolution_us(row) {
            let month = self.month_cache.month_of(row.opened_us, &self.time_zone);
            let durations = self.months.entry(month).or_default();
            let at = durations.sorted.partition_point(|&d| d < duration);
            durations.sorted.insert(at, duration);
            durations.sum += i128::from(duration);
        }
        true
    }

    /// Takes the resolution time of `old`, a row being replaced, out of its month.
    fn forget_resolution(&mut self, old: Row) {
        let Some(duration) = resolution_us(old) else { return };
        let month = self.month_cache.month_of(old.opened_us, &self.time_zone);
        if let Some(durations) = self.months.get_mut(&month) {
            let at = durations.sorted.partition_point(|&d| d < duration);
            if durations.sorted.get(at) == Some(&duration) {
                durations.sorted.remove(at);
                durations.sum -= i128::from(duration);
            }
            if durations.sorted.is_empty() {
                self.months.remove(&month);
            }
        }
    }

    /// Tickets opened in the `period` before `now` that are not closed yet.
    ///
    /// Formula: `since = now - period`; a ticket counts when `opened_at >= since` (so one opened
    /// exactly at `since` counts) and its status is `open` or `active`. `count = open + active`.
    /// A ticket whose `opened_at` is after `now` (clock skew between services) still counts.
    ///
    /// Buckets: the period is cut into slices from `since`, one hour long for periods up to
    /// 48 hours and one day (24 hours) long otherwise; there are `ceil(period / slice)` of them,
    /// oldest first, the last one ending at `until = now` (it is shorter when the period is not a
    /// whole number of slices, e.g. `hours=60`). A ticket falls in slice
    /// `floor((opened_at - since) / slice)`, clamped to the last slice; so the buckets add up to
    /// the counts.
    pub fn unclosed(&self, now: Timestamp, period: Period) -> UnclosedReport {
        let now_us = now.as_microsecond();
        let period_us = i64::from(period.total_hours()) * HOUR_US;
        let since_us = now_us - period_us;
        let slice_us = if period.total_hours() <= 48 { HOUR_US } else { DAY_US };
        let slices = usize::try_from((period_us + slice_us - 1) / slice_us).unwrap_or(1).max(1);
        let mut buckets = vec![[0u64; 2]; slices];
        for (&(opened_us, _), &active) in self.unclosed.range((since_us, i64::MIN)..) {
            let slice = usize::try_from((opened_us - since_us) / slice_us).unwrap_or(0).min(slices - 1);
            buckets[slice][usize::from(active)] += 1;
        }
        let open = buckets.iter().map(|b| b[0]).sum::<u64>();
        let active = buckets.iter().map(|b| b[1]).sum::<u64>();
        UnclosedReport {
            since: from_us(since_us),
            until: now,
            count: open + active,
            open,
            active,
            buckets: buckets
                .iter()
                .zip(0i64..)
                .map(|(b, i)| UnclosedBucket {
                    start: from_us(since_us + i * slice_us),
                    open: b[0],
                    active: b[1],
                })
                .collect(),
        }
    }

    /// Resolution time of closed tickets, grouped by the month in which they were opened.
    ///
    /// Formula: for every ticket whose status is `closed` (and has a `closed_at`), resolution
    /// time = `closed_at - opened_at`, in hours (microseconds / 3,600,000,000, fractional). The
    /// month is the calendar month (`YYYY-MM`) of `opened_at` as seen on a wall clock in `tz`,
    /// the campus time zone: 2026-09-30T23:30Z is October in `Europe/Berlin`. Per month:
    /// `closed` = number of such tickets, `mean_hours` = sum / count, `median_hours` = the middle
    /// value of the sorted times, or the mean of the two middle values for an even count.
    /// Months without closed tickets are left out; months are listed oldest first.
    ///
    /// In the model's own time zone ([`ReadModel::in_time_zone`]) the answer is read from the
    /// months `apply` keeps (one line per month); any other zone is computed from every row.
    pub fn resolution_time(&self, tz: &TimeZone) -> ResolutionReport {
        let months = if time_zone_name(tz) == time_zone_name(&self.time_zone) {
            self.months.iter().map(|(&month, durations)| month_resolution(month, durations)).collect()
        } else {
            let mut months: BTreeMap<(i16, i8), Durations> = BTreeMap::new();
            let mut cache = MonthCache::default();
            for &row in &self.rows {
                if let Some(duration) = resolution_us(row) {
                    let durations = months.entry(cache.month_of(row.opened_us, tz)).or_default();
                    durations.sorted.push(duration);
                    durations.sum += i128::from(duration);
                }
            }
            months
                .into_iter()
                .map(|(month, mut durations)| {
                    durations.sorted.sort_unstable();
                    month_resolution(month, &durations)
                })
                .collect()
        };
        ResolutionReport { time_zone: time_zone_name(tz), months }
    }

    /// Number of tickets whose status is `active`, per category.
    ///
    /// Every category is listed, zero included, in the order facility, it, services
    /// ([`Category::ALL`]). The counts are kept up to date by [`ReadModel::apply`], so this is
    /// constant time.
    pub fn active_by_category(&self) -> ActiveByCategory {
        ActiveByCategory {
            categories: Category::ALL
                .into_iter()
                .map(|category| CategoryCount { category, active: self.active[category.index()] })
                .collect(),
        }
    }
}

/// The resolution time of `row` in microseconds (`closed_at - opened_at`), when it is closed.
fn resolution_us(row: Row) -> Option<i64> {
    (row.status == Status::Closed && row.closed_us != NOT_CLOSED).then(|| row.closed_us - row.opened_us)
}

/// One month of the resolution report from its sorted durations: count, mean and median, in
/// hours (see [`ReadModel::resolution_time`] for the formula).
fn month_resolution((year, month): (i16, i8), durations: &Durations) -> MonthResolution {
    let sorted = &durations.sorted;
    let n = sorted.len();
    let median_us = if n % 2 == 1 {
        sorted[n / 2] as f64
    } else {
        (sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0
    };
    MonthResolution {
        month: format!("{year:04}-{month:02}"),
        closed: n as u64,
        mean_hours: durations.sum as f64 / n as f64 / HOUR_US as f64,
        median_hours: median_us / HOUR_US as f64,
    }
}

/// Converts microseconds since the epoch back to a timestamp. Only values that came from a
/// timestamp (or lie between two of them) are converted, so the fallback is never used.
fn from_us(us: i64) -> Timestamp {
    Timestamp::from_microsecond(us).unwrap_or(if us < 0 { Timestamp::MIN } else { Timestamp::MAX })
}

/// The name a report gives the campus time zone: its IANA name, or its fixed offset.
pub(crate) fn time_zone_name(tz: &TimeZone) -> String {
    match (tz.iana_name(), tz.to_fixed_offset()) {
        (Some(name), _) => name.to_owned(),
        (None, Ok(offset)) => format!("UTC{offset}"),
        (None, Err(_)) => "local".to_owned(),
    }
}

/// Remembers the UTC bounds of the last month looked up, so that tickets opened in the same
/// month (the usual case: the feed is mostly in opening order) skip the time zone lookup.
#[derive(Debug, Clone, Default)]
struct MonthCache {
    /// `[start, end)` in microseconds and the `(year, month)` it stands for.
    range: Option<(i64, i64, (i16, i8))>,
}

impl MonthCache {
    fn month_of(&mut self, opened_us: i64, tz: &TimeZone) -> (i16, i8) {
        if let Some((start, end, key)) = self.range
            && (start..end).contains(&opened_us)
        {
            return key;
        }
        let civil = tz.to_datetime(from_us(opened_us));
        let key = (civil.year(), civil.month());
        let (next_year, next_month) = if key.1 == 12 { (key.0 + 1, 1) } else { (key.0, key.1 + 1) };
        let bound = |year: i16, month: i8| {
            let first = Date::new(year, month, 1).ok()?;
            tz.to_timestamp(first.to_datetime(jiff::civil::Time::midnight()))
                .ok()
                .map(Timestamp::as_microsecond)
        };
        self.range = match (bound(key.0, key.1), bound(next_year, next_month)) {
            (Some(start), Some(end)) => Some((start, end, key)),
            _ => None,
        };
        key
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use api::PeriodUnit;
    use domain::{CategorySource, Ticket};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn ticket(id: i64, status: Status, category: Category, opened: &str, closed: Option<&str>) -> Ticket {
        Ticket {
            id,
            title: format!("Ticket {id}"),
            description: "Something is broken.".to_owned(),
            category,
            category_source: CategorySource::Auto,
            category_confidence: 0.9,
            category_terms: Vec::new(),
            needs_check: false,
            status,
            opened_at: ts(opened),
            updated_at: ts(closed.unwrap_or(opened)),
            closed_at: closed.map(ts),
            version: 1,
            message_count: 0,
        }
    }

    /// Applies `tickets` as changes with seq 1, 2, 3, ...
    fn model_of(tickets: Vec<Ticket>) -> ReadModel {
        let mut model = ReadModel::new();
        for (ticket, seq) in tickets.into_iter().zip(1..) {
            assert!(model.apply(&Change { seq, ticket, attachments: Vec::new() }));
        }
        model
    }

    fn open(id: i64, opened: &str) -> Ticket {
        ticket(id, Status::Open, Category::It, opened, None)
    }

    fn closed(id: i64, opened: &str, closed: &str) -> Ticket {
        ticket(id, Status::Closed, Category::Facility, opened, Some(closed))
    }

    const NOW: &str = "2026-11-21T12:00:00Z";

    fn hours(n: u32) -> Period {
        Period::new(PeriodUnit::Hours, n).unwrap()
    }

    #[test]
    fn rows_stay_small() {
        assert!(std::mem::size_of::<Row>() <= 24, "a row is {} bytes", std::mem::size_of::<Row>());
    }

    #[test]
    fn ticket_opened_exactly_at_the_period_start_counts_one_microsecond_earlier_does_not() {
        let model = model_of(vec![
            open(1, "2026-11-20T12:00:00Z"),
            open(2, "2026-11-20T11:59:59.999999Z"),
            ticket(3, Status::Active, Category::Services, "2026-11-21T11:59:00Z", None),
        ]);
        let report = model.unclosed(ts(NOW), hours(24));
        assert_eq!(report.since, ts("2026-11-20T12:00:00Z"));
        assert_eq!(report.until, ts(NOW));
        assert_eq!((report.count, report.open, report.active), (2, 1, 1));
    }

    #[test]
    fn closed_tickets_are_not_unclosed() {
        let model = model_of(vec![
            open(1, "2026-11-21T10:00:00Z"),
            closed(2, "2026-11-21T10:00:00Z", "2026-11-21T11:00:00Z"),
        ]);
        let report = model.unclosed(ts(NOW), hours(24));
        assert_eq!((report.count, report.open, report.active), (1, 1, 0));
    }

    #[test]
    fn short_periods_are_bucketed_by_hour_oldest_first() {
        let model = model_of(vec![
            open(1, "2026-11-21T09:00:00Z"), // first hour of the 3-hour period
            open(2, "2026-11-21T09:59:59Z"), // still the first hour
            ticket(3, Status::Active, Category::It, "2026-11-21T11:30:00Z", None), // third hour
            open(4, "2026-11-21T12:05:00Z"), // after now (clock skew): counted in the last hour
        ]);
        let report = model.unclosed(ts(NOW), hours(3));
        let buckets: Vec<_> =
            report.buckets.iter().map(|b| (b.start.to_string(), b.open, b.active)).collect();
        assert_eq!(
            buckets,
            vec![
                ("2026-11-21T09:00:00Z".to_owned(), 2, 0),
                ("2026-11-21T10:00:00Z".to_owned(), 0, 0),
                ("2026-11-21T11:00:00Z".to_owned(), 1, 1),
            ]
        );
        assert_eq!(report.count, 4);
    }

    #[test]
    fn long_periods_are_bucketed_by_day() {
        let model = model_of(vec![open(1, "2026-11-14T12:00:00Z"), open(2, "2026-11-21T11:00:00Z")]);
        let days = Period::new(PeriodUnit::Days, 7).unwrap();
        let report = model.unclosed(ts(NOW), days);
        assert_eq!(report.buckets.len(), 7);
        assert_eq!(report.buckets[0].start, ts("2026-11-14T12:00:00Z"));
        assert_eq!(report.buckets[6].start, ts("2026-11-20T12:00:00Z"));
        assert_eq!(report.buckets[0].open, 1);
        assert_eq!(report.buckets[6].open, 1);
        // 48 hours is still hourly; 49 hours is 3 daily slices, the last one 1 hour long.
        assert_eq!(model.unclosed(ts(NOW), hours(48)).buckets.len(), 48);
        assert_eq!(model.unclosed(ts(NOW), hours(49)).buckets.len(), 3);
    }

    #[test]
    fn a_ticket_moving_through_its_life_is_counted_once_in_its_latest_state() {
        let opened = "2026-11-21T08:00:00Z";
        let mut model = ReadModel::new();
        model.apply(&Change { seq: 1, ticket: open(7, opened), attachments: Vec::new() });
        assert_eq!(model.unclosed(ts(NOW), hours(24)).open, 1);
        model.apply(&Change {
            seq: 2,
            ticket: ticket(7, Status::Active, Category::It, opened, None),
            attachments: Vec::new(),
        });
        let report = model.unclosed(ts(NOW), hours(24));
        assert_eq!((report.count, report.open, report.active), (1, 0, 1));
        assert_eq!(model.active_by_category().categories[1].active, 1);
        model.apply(&Change {
            seq: 3,
            ticket: ticket(7, Status::Closed, Category::It, opened, Some("2026-11-21T10:00:00Z")),
            attachments: Vec::new(),
        });
        assert_eq!(model.len(), 1);
        assert_eq!(model.unclosed(ts(NOW), hours(24)).count, 0);
        assert!(model.active_by_category().categories.iter().all(|c| c.active == 0));
        let months = model.resolution_time(&TimeZone::UTC).months;
        assert_eq!(months.len(), 1);
        assert_eq!((months[0].closed, months[0].mean_hours), (1, 2.0));
        assert_eq!(model.cursor(), 3);
    }

    #[test]
    fn stale_and_repeated_changes_are_ignored() {
        let opened = "2026-11-21T08:00:00Z";
        let mut model = ReadModel::new();
        let active = Change {
            seq: 5,
            ticket: ticket(1, Status::Active, Category::It, opened, None),
            attachments: Vec::new(),
        };
        assert!(model.apply(&active));
        assert!(!model.apply(&active), "the same change again");
        assert!(
            !model.apply(&Change { seq: 4, ticket: open(1, opened), attachments: Vec::new() }),
            "an older snapshot"
        );
        assert_eq!(model.cursor(), 5);
        assert_eq!(model.get(1).unwrap().status, Status::Active);
        assert_eq!(model.active_by_category().categories[1].active, 1);
    }

    #[test]
    fn recategorised_active_ticket_moves_between_categories() {
        let opened = "2026-11-21T08:00:00Z";
        let mut model = ReadModel::new();
        model.apply(&Change {
            seq: 1,
            ticket: ticket(1, Status::Active, Category::It, opened, None),
            attachments: Vec::new(),
        });
        model.apply(&Change {
            seq: 2,
            ticket: ticket(1, Status::Active, Category::Facility, opened, None),
            attachments: Vec::new(),
        });
        let counts: Vec<_> = model.active_by_category().categories.iter().map(|c| c.active).collect();
        assert_eq!(counts, vec![1, 0, 0]);
    }

    /// The months and the unclosed tickets `apply` keeps give exactly what a scan of every row
    /// gives, through openings, closings, re-categorisations, replaced closing times and
    /// repeated snapshots.
    #[test]
    fn kept_analyses_equal_a_scan_of_every_row() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let mut kept = ReadModel::in_time_zone(berlin.clone());
        let mut scanned = ReadModel::new();
        // A linear congruential generator (Knuth's MMIX constants): the same steps every run.
        let mut state: u64 = 42;
        let mut next = |bound: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        let start = ts("2026-01-01T00:00:00Z").as_microsecond();
        for seq in 1..=3_000 {
            let id = 1 + next(400) as i64;
            let opened_us = start + (id * 7_919 % 300) * DAY_US + (id % 24) * HOUR_US;
            let opened = from_us(opened_us).to_string();
            let category = Category::ALL[next(3) as usize];
            let ticket = match next(3) {
                0 => ticket(id, Status::Open, category, &opened, None),
                1 => ticket(id, Status::Active, category, &opened, None),
                _ => {
                    let closed = from_us(opened_us + 1 + next(90 * 24) as i64 * HOUR_US / 3).to_string();
                    ticket(id, Status::Closed, category, &opened, Some(&closed))
                }
            };
            let change = Change { seq, ticket, attachments: Vec::new() };
            kept.apply(&change);
            scanned.apply(&change);
            if seq % 500 == 0 {
                assert_eq!(
                    kept.resolution_time(&berlin),
                    scanned.resolution_time(&berlin),
                    "after {seq} changes"
                );
                for (now, period) in
                    [("2026-06-01T00:00:00Z", hours(24 * 60)), ("2026-10-01T00:00:00Z", hours(30))]
                {
                    let since_us = ts(now).as_microsecond() - i64::from(period.total_hours()) * HOUR_US;
                    let by_scan = |status| {
                        kept.rows.iter().filter(|r| r.status == status && r.opened_us >= since_us).count()
                            as u64
                    };
                    let report = kept.unclosed(ts(now), period);
                    assert_eq!(
                        (report.open, report.active),
                        (by_scan(Status::Open), by_scan(Status::Active))
                    );
                }
            }
        }
        assert!(kept.resolution_time(&berlin).months.len() > 6, "the changes span many months");
    }

    #[test]
    fn months_are_those_of_the_campus_time_zone() {
        let model = model_of(vec![
            closed(1, "2026-09-30T23:30:00Z", "2026-10-01T01:30:00Z"),
            closed(2, "2026-09-30T21:30:00Z", "2026-09-30T22:30:00Z"),
        ]);
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let report = model.resolution_time(&berlin);
        assert_eq!(report.time_zone, "Europe/Berlin");
        let months: Vec<_> =
            report.months.iter().map(|m| (m.month.as_str(), m.closed, m.mean_hours)).collect();
        // 21:30Z is 23:30 in Berlin (UTC+2 in September): still September.
        assert_eq!(months, vec![("2026-09", 1, 1.0), ("2026-10", 1, 2.0)]);
        let utc = model.resolution_time(&TimeZone::UTC);
        assert_eq!(utc.time_zone, "UTC");
        assert_eq!(utc.months.iter().map(|m| m.month.as_str()).collect::<Vec<_>>(), vec!["2026-09"]);
    }

    #[test]
    fn month_cache_does_not_leak_across_month_boundaries() {
        // Alternating months, out of order: every ticket must land in its own month.
        let model = model_of(vec![
            closed(1, "2026-03-15T00:00:00Z", "2026-03-15T01:00:00Z"),
            closed(2, "2026-01-31T23:00:00Z", "2026-02-01T01:00:00Z"),
            closed(3, "2026-03-31T23:59:59Z", "2026-04-01T02:59:59Z"),
            closed(4, "2026-04-01T00:00:00Z", "2026-04-01T04:00:00Z"),
        ]);
        let report = model.resolution_time(&TimeZone::UTC);
        let months: Vec<_> =
            report.months.iter().map(|m| (m.month.as_str(), m.closed, m.mean_hours)).collect();
        assert_eq!(months, vec![("2026-01", 1, 2.0), ("2026-03", 2, 2.0), ("2026-04", 1, 4.0)]);
    }

    #[test]
    fn mean_and_median_for_odd_and_even_counts() {
        // October: 1 h, 2 h, 6 h -> mean 3, median 2.
        // November: 1 h, 2 h, 4 h, 9 h -> mean 4, median (2 + 4) / 2 = 3.
        let model = model_of(vec![
            closed(1, "2026-10-05T10:00:00Z", "2026-10-05T16:00:00Z"),
            closed(2, "2026-10-06T10:00:00Z", "2026-10-06T11:00:00Z"),
            closed(3, "2026-10-07T10:00:00Z", "2026-10-07T12:00:00Z"),
            closed(4, "2026-11-02T10:00:00Z", "2026-11-02T19:00:00Z"),
            closed(5, "2026-11-03T10:00:00Z", "2026-11-03T11:00:00Z"),
            closed(6, "2026-11-04T10:00:00Z", "2026-11-04T14:00:00Z"),
            closed(7, "2026-11-05T10:00:00Z", "2026-11-05T12:00:00Z"),
            open(8, "2026-11-05T10:00:00Z"),
        ]);
        let report = model.resolution_time(&TimeZone::UTC);
        let months: Vec<_> = report
            .months
            .iter()
            .map(|m| (m.month.as_str(), m.closed, m.mean_hours, m.median_hours))
            .collect();
        assert_eq!(months, vec![("2026-10", 3, 3.0, 2.0), ("2026-11", 4, 4.0, 3.0)]);
    }

    #[test]
    fn fractional_hours_are_kept() {
        let model = model_of(vec![closed(1, "2026-10-05T10:00:00Z", "2026-10-05T10:30:00Z")]);
        assert_eq!(model.resolution_time(&TimeZone::UTC).months[0].median_hours, 0.5);
    }

    #[test]
    fn empty_model_answers_zero_everywhere() {
        let model = ReadModel::new();
        assert_eq!(model.cursor(), 0);
        assert!(model.is_empty());
        let report = model.unclosed(ts(NOW), hours(2));
        assert_eq!((report.count, report.open, report.active), (0, 0, 0));
        assert_eq!(report.buckets.len(), 2);
        assert!(model.resolution_time(&TimeZone::UTC).months.is_empty());
        let categories: Vec<_> =
            model.active_by_category().categories.iter().map(|c| (c.category, c.active)).collect();
        assert_eq!(categories, vec![(Category::Facility, 0), (Category::It, 0), (Category::Services, 0)]);
    }
}
