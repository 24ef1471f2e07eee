//! The demo data set: about six months of believable helpdesk history, generated from the
//! hand-written tickets in `demo/seed.csv` and loaded by `campusdesk up --demo`.
//!
//! The seed file's header is `category,title,description,thread`; `thread` holds the ticket's
//! messages, one per line, `user: ...`, `staff: ...` or `staff (Name): ...`, without times.
//! [`demo_csv`] gives each seed ticket an opening time, a status, a closing time and message
//! times, and writes the result in the import CSV format ([`crate::import`]).
//!
//! Everything is drawn from SplitMix64 with a fixed seed, so the output depends only on `now`.

use classifier::Classifier;
use domain::{Actor, Category, Description, Status, Title};
use jiff::Timestamp;
use store::TicketStore;

use crate::import::{COLUMNS, parse_import_csv};
use crate::thread::{ThreadLine, format_line, parse_thread};

/// The seed tickets, written for campusdesk.
const SEED: &str = include_str!("../demo/seed.csv");

/// How far back the demo history reaches, in days (about six months).
pub const HISTORY_DAYS: i64 = 183;
/// The demo data set has at least this many tickets (seed tickets are reused if it is shorter).
pub const MIN_TICKETS: usize = 320;
/// The "recent" window that holds most unclosed tickets, in days (three weeks).
const RECENT_DAYS: i64 = 21;

const DAY: i64 = 86_400;
const HOUR: f64 = 3_600.0;

/// The demo data set as an import CSV file (header
/// `title,description,status,opened_at,closed_at,category,thread`), for `now` (UTC).
///
/// - `opened_at` lies within the [`HISTORY_DAYS`] days before `now`, denser in the last three
///   weeks, mostly on weekdays between 08:00 and 18:00 UTC;
/// - a ticket is `closed` once its resolution time (drawn per category: IT 1 hour to 7 days,
///   facility 2 hours to 14 days, services 4 hours to 14 days, log-triangular) has passed,
///   except for half of the last three weeks' tickets (the backlog) and 4 % of older ones
///   (stuck); an unclosed ticket is still `open` with probability 0.6 in its first two
///   days, 0.3 until a week, 0.1 later, else `active`. So older tickets are mostly
///   closed and the last weeks mix all three statuses;
/// - `closed_at = opened_at + resolution time`, never after `now`; messages are dated between
///   `opened_at` and `closed_at` (or `now`), oldest first; open tickets keep only the
///   reporter's first messages, active ones a prefix of their thread.
///
/// The same `now` always gives the same file.
pub fn demo_csv(now: Timestamp) -> String {
    generate(&seed_tickets(SEED), now)
}

/// Loads the demo data set into `store` when it holds no tickets, as a staff import; returns
/// how many tickets were imported (0 when the store already had some).
///
/// Errors: the store failing, or the generated file not parsing (a bug; the tests check it).
pub async fn load_demo_if_empty(
    store: &dyn TicketStore,
    classifier: &Classifier,
    now: Timestamp,
) -> anyhow::Result<usize> {
    if store.count_tickets().await? > 0 {
        return Ok(0);
    }
    let tickets = parse_import_csv(&demo_csv(now), classifier)
        .map_err(|e| anyhow::anyhow!("the generated demo data does not parse: {e}"))?;
    Ok(store.import(tickets, &Actor::staff()).await?.len())
}

/// One hand-written seed ticket.
#[derive(Debug, Clone)]
struct SeedTicket {
    category: Category,
    title: Title,
    description: Description,
    thread: Vec<ThreadLine>,
}

/// Reads the seed file; rows that do not parse are skipped with a warning (the tests insist
/// there are none).
fn seed_tickets(text: &str) -> Vec<SeedTicket> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let mut seeds = Vec::new();
    for (index, record) in reader.records().enumerate() {
        match record.map_err(|e| e.to_string()).and_then(|r| parse_seed_row(&r)) {
            Ok(seed) => seeds.push(seed),
            Err(e) => tracing::warn!(row = index + 1, error = %e, "demo seed row skipped"),
        }
    }
    seeds
}

fn parse_seed_row(record: &csv::StringRecord) -> Result<SeedTicket, String> {
    if record.len() != 4 {
        return Err(format!("it has {} columns, expected 4", record.len()));
    }
    let field = |i: usize| record.get(i).unwrap_or("");
    Ok(SeedTicket {
        category: field(0).parse().map_err(|e: domain::ParseEnumError| e.to_string())?,
        title: Title::parse(field(1)).map_err(|e| e.to_string())?,
        description: Description::parse(field(2)).map_err(|e| e.to_string())?,
        thread: parse_thread(field(3))?,
    })
}

/// SplitMix64, the generator of Steele, Lea and Flood, "Fast Splittable Pseudorandom Number
/// Generators" (OOPSLA 2014), with the constants of Sebastiano Vigna's public-domain reference
/// implementation `splitmix64.c` (<https://prng.di.unimi.it/splitmix64.c>).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, from the top 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is below 2^-40 for the ranges used here).
    fn below(&mut self, n: i64) -> i64 {
        (self.next_u64() % n.max(1) as u64) as i64
    }

    /// Log-triangular in `[lo, hi]`: the mean of two uniforms on a log scale, so the median is
    /// the geometric mean `sqrt(lo * hi)` and long tails are rare.
    fn log_triangular(&mut self, lo: f64, hi: f64) -> f64 {
        let t = (self.unit() + self.unit()) / 2.0;
        (lo.ln() + (hi.ln() - lo.ln()) * t).exp()
    }
}

/// The fixed seed of the demo data set.
const SEED_STATE: u64 = 0x00ca_d0e5_4de5_c0de;

/// Resolution time range per category, in hours.
fn resolution_hours(category: Category) -> (f64, f64) {
    match category {
        Category::It => (1.0, 7.0 * 24.0),
        Category::Facility => (2.0, 14.0 * 24.0),
        Category::Services => (4.0, 14.0 * 24.0),
    }
}

/// A generated ticket, times in seconds since the Unix epoch (UTC).
struct DemoTicket<'a> {
    seed: &'a SeedTicket,
    status: Status,
    opened: i64,
    closed: Option<i64>,
    messages: Vec<(i64, &'a ThreadLine)>,
}

fn generate(seeds: &[SeedTicket], now: Timestamp) -> String {
    let mut rng = SplitMix64(SEED_STATE);
    let now_s = now.as_second();
    let count = if seeds.is_empty() { 0 } else { seeds.len().max(MIN_TICKETS) };
    let mut order: Vec<usize> = (0..seeds.len()).collect();
    // Fisher-Yates shuffle, so reused seed tickets do not come in file order.
    for i in (1..order.len()).rev() {
        let j = rng.below(i as i64 + 1) as usize;
        order.swap(i, j);
    }
    let mut tickets: Vec<DemoTicket<'_>> =
        (0..count).map(|i| demo_ticket(&seeds[order[i % seeds.len()]], now_s, &mut rng)).collect();
    tickets.sort_by_key(|t| t.opened);

    let mut out = COLUMNS.join(",");
    out.push('\n');
    for t in &tickets {
        let stamp = |s: i64| Timestamp::from_second(s).map(|t| t.to_string()).unwrap_or_default();
        let thread: Vec<String> = t
            .messages
            .iter()
            .map(|(at, line)| {
                let at = Timestamp::from_second(*at).unwrap_or(now);
                format_line(at, &line.author, line.body.as_str())
            })
            .collect();
        let fields = [
            t.seed.title.as_str().to_owned(),
            t.seed.description.as_str().to_owned(),
            t.status.as_str().to_owned(),
            stamp(t.opened),
            t.closed.map(stamp).unwrap_or_default(),
            t.seed.category.as_str().to_owned(),
            thread.join("\n"),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| format!("\"{}\"", f.replace('"', "\"\""))).collect();
        out.push_str(&quoted.join(","));
        out.push('\n');
    }
    out
}

/// When a ticket was opened: within the history, a fifth of them in the last three weeks,
/// three in four weekend days moved to a weekday, 85 % between 08:00 and 18:00 UTC, and at
/// least ten minutes before `now`.
fn opening_time(now_s: i64, rng: &mut SplitMix64) -> i64 {
    let today = now_s.div_euclid(DAY);
    for _ in 0..64 {
        let age_days = if rng.unit() < 0.2 { rng.below(RECENT_DAYS) } else { rng.below(HISTORY_DAYS) };
        let day = today - age_days;
        // 1970-01-01 was a Thursday: with Monday = 0, day 0 has weekday 3.
        let weekday = (day + 3).rem_euclid(7);
        if weekday >= 5 && rng.unit() < 0.75 {
            continue;
        }
        let second_of_day =
            if rng.unit() < 0.85 { 8 * 3_600 + rng.below(10 * 3_600) } else { rng.below(DAY) };
        let t = day * DAY + second_of_day;
        if t <= now_s - 600 && t > now_s - HISTORY_DAYS * DAY {
            return t;
        }
    }
    now_s - 600 - rng.below(RECENT_DAYS * DAY)
}

fn demo_ticket<'a>(seed: &'a SeedTicket, now_s: i64, rng: &mut SplitMix64) -> DemoTicket<'a> {
    let opened = opening_time(now_s, rng);
    let (lo, hi) = resolution_hours(seed.category);
    let resolution = ((rng.log_triangular(lo, hi) * HOUR) as i64).max(600);
    let age = now_s - opened;
    // Share of unclosed tickets nobody has taken yet: most of the last two days', fewer later.
    let untaken_share = if age < 2 * DAY {
        0.6
    } else if age < 7 * DAY {
        0.3
    } else {
        0.1
    };
    let unresolved_share = if age < RECENT_DAYS * DAY { 0.5 } else { 0.04 };
    let unresolved = rng.unit() < unresolved_share;
    let (status, closed) = if !unresolved && opened + resolution <= now_s {
        (Status::Closed, Some(opened + resolution))
    } else if rng.unit() < untaken_share {
        (Status::Open, None)
    } else {
        (Status::Active, None)
    };

    let lines: Vec<&ThreadLine> = match status {
        Status::Closed => seed.thread.iter().collect(),
        Status::Active if seed.thread.len() >= 2 => {
            let keep = 1 + rng.below(seed.thread.len() as i64 - 1) as usize;
            seed.thread.iter().take(keep).collect()
        }
        Status::Active => seed.thread.iter().collect(),
        Status::Open => seed.thread.iter().take_while(|l| l.author.role == domain::Role::User).collect(),
    };
    let end = closed.unwrap_or(now_s);
    let span = (end - opened).max(1);
    let mut times: Vec<i64> = lines.iter().map(|_| opened + 1 + rng.below(span)).collect();
    times.sort_unstable();
    if let (Some(last), Some(closed)) = (times.last_mut(), closed) {
        // The last word on a closed ticket comes as it is closed.
        *last = closed;
    }
    let times = times.into_iter().map(|t| t.min(end));
    DemoTicket { seed, status, opened, closed, messages: times.zip(lines).collect() }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-21T09:14:03Z".parse().unwrap()
    }

    #[test]
    fn every_seed_row_is_valid() {
        let rows = csv::Reader::from_reader(SEED.as_bytes()).records().count();
        assert_eq!(seed_tickets(SEED).len(), rows);
        assert!(rows > 0);
    }

    #[test]
    fn same_now_same_file() {
        assert_eq!(demo_csv(now()), demo_csv(now()));
        assert_ne!(demo_csv(now()), demo_csv("2026-11-22T09:14:03Z".parse().unwrap()));
    }

    #[test]
    fn demo_file_imports_with_consistent_times() {
        let now = now();
        let tickets = parse_import_csv(&demo_csv(now), &Classifier::builtin()).unwrap();
        assert!(tickets.len() >= 300, "{} tickets", tickets.len());
        let oldest = now - jiff::SignedDuration::from_hours(24 * HISTORY_DAYS);
        for t in &tickets {
            assert!(t.opened_at >= oldest && t.opened_at < now, "{}", t.opened_at);
            if let Some(closed) = t.closed_at {
                assert!(closed >= t.opened_at && closed <= now);
            }
            let end = t.closed_at.unwrap_or(now);
            for m in &t.messages {
                assert!(m.created_at >= t.opened_at && m.created_at <= end);
            }
        }
        for status in Status::ALL {
            assert!(tickets.iter().any(|t| t.status == status), "no {status} ticket");
        }
    }

    #[test]
    fn old_tickets_are_mostly_closed_and_recent_ones_mixed() {
        let now = now();
        let tickets = parse_import_csv(&demo_csv(now), &Classifier::builtin()).unwrap();
        let recent_edge = now - jiff::SignedDuration::from_hours(24 * RECENT_DAYS);
        let (old, recent): (Vec<_>, Vec<_>) = tickets.iter().partition(|t| t.opened_at < recent_edge);
        let closed_old = old.iter().filter(|t| t.status == Status::Closed).count();
        assert!(closed_old * 10 >= old.len() * 9, "{closed_old} of {} old tickets closed", old.len());
        for status in [Status::Open, Status::Active] {
            assert!(recent.iter().filter(|t| t.status == status).count() >= 3, "few recent {status} tickets");
        }
    }

    #[test]
    fn tiny_seed_is_reused_up_to_the_minimum() {
        let seed = "category,title,description,thread\nit,Wifi down,No wifi in the library,\"user: help\nstaff (Ana): fixed\"\n";
        let csv = generate(&seed_tickets(seed), now());
        let tickets = parse_import_csv(&csv, &Classifier::builtin()).unwrap();
        assert_eq!(tickets.len(), MIN_TICKETS);
        assert!(tickets.iter().all(|t| t.category == Category::It));
        let closed = tickets.iter().find(|t| t.status == Status::Closed).unwrap();
        assert_eq!(closed.messages.len(), 2);
        assert_eq!(closed.messages[1].created_at, closed.closed_at.unwrap());
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // The test vector of the Rosetta Code task "Pseudo-random numbers/Splitmix64": seed 1234567.
        let mut rng = SplitMix64(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }
}
