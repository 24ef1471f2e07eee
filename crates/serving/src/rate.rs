//! Rate limits per client address: GCRA buckets from `governor`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// How often one client address may do an action: `per_minute` on average, and up to `burst`
/// at once after a quiet spell. `per_minute` 0 turns the limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateQuota {
    /// Actions a minute, sustained; 0 means no limit.
    pub per_minute: u32,
    /// Actions allowed in a row before the pace applies (at least 1 when the limit is on).
    pub burst: u32,
}

impl RateQuota {
    /// No limit.
    pub const OFF: RateQuota = RateQuota { per_minute: 0, burst: 0 };
}

/// When the tracked addresses reach this many, the ones whose buckets are full again are
/// forgotten before the next is added (bounded memory under a scan from many addresses).
const FORGET_AT: usize = 10_000;

/// An action's limit, counted per client address; [`RateLimit::check`] takes one unit. Cheap to
/// share behind an `Arc`; one instance per action, so actions do not eat each other's quota.
#[derive(Debug)]
pub struct RateLimit {
    quota: RateQuota,
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

/// How long a client must wait before the action is allowed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, rounded up and at least 1: the `Retry-After` header's value.
    pub fn seconds(self) -> u64 {
        let secs = self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0);
        secs.max(1)
    }
}

impl RateLimit {
    /// A limit with `quota` (off when `quota.per_minute` is 0; a burst of 0 counts as 1).
    pub fn new(quota: RateQuota) -> Self {
        let limiter = NonZeroU32::new(quota.per_minute).map(|per_minute| {
            let burst = NonZeroU32::new(quota.burst).unwrap_or(NonZeroU32::MIN);
            RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst))
        });
        RateLimit { quota, limiter }
    }

    /// The quota it enforces.
    pub fn quota(&self) -> RateQuota {
        self.quota
    }

    /// Takes one unit for `client`: `Ok` when allowed, else how long until it would be.
    ///
    /// Errors: [`RetryAfter`] when `client` is over the quota.
    pub fn check(&self, client: IpAddr) -> Result<(), RetryAfter> {
        let Some(limiter) = &self.limiter else { return Ok(()) };
        if limiter.len() >= FORGET_AT {
            limiter.retain_recent();
        }
        limiter
            .check_key(&client)
            .map_err(|not_until| RetryAfter(not_until.wait_time_from(DefaultClock::default().now())))
    }
}

/// Why a quota could not be read from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a rate: give PER_MINUTE or PER_MINUTE/BURST, e.g. 120/60 (0 turns the limit off)")]
pub struct RateQuotaError(String);

impl FromStr for RateQuota {
    type Err = RateQuotaError;

    /// `PER_MINUTE` (burst equal to it) or `PER_MINUTE/BURST`, e.g. `120/60`; `0` is off.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = || RateQuotaError(text.to_owned());
        let (rate, burst) = match text.trim().split_once('/') {
            Some((rate, burst)) => (rate.trim(), Some(burst.trim())),
            None => (text.trim(), None),
        };
        let per_minute: u32 = rate.parse().map_err(|_| fail())?;
        let burst = match burst {
            Some(burst) => burst.parse().map_err(|_| fail())?,
            None => per_minute,
        };
        if per_minute > 0 && burst == 0 {
            return Err(fail());
        }
        Ok(RateQuota { per_minute, burst })
    }
}

impl std::fmt::Display for RateQuota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.per_minute, self.burst)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_client_waits_and_others_do_not() {
        let limit = RateLimit::new(RateQuota { per_minute: 60, burst: 3 });
        let one: IpAddr = "10.0.0.1".parse().unwrap();
        let two: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(limit.check(one).is_ok());
        }
        let wait = limit.check(one).unwrap_err();
        assert!((1..=1).contains(&wait.seconds()), "one a second: {wait:?}");
        assert!(limit.check(two).is_ok(), "another address has its own bucket");
    }

    #[test]
    fn zero_is_off_and_quotas_read_from_text() {
        let off = RateLimit::new(RateQuota::OFF);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        assert!((0..1000).all(|_| off.check(ip).is_ok()));
        assert_eq!("120/60".parse::<RateQuota>().unwrap(), RateQuota { per_minute: 120, burst: 60 });
        assert_eq!("30".parse::<RateQuota>().unwrap(), RateQuota { per_minute: 30, burst: 30 });
        assert_eq!("0".parse::<RateQuota>().unwrap(), RateQuota::OFF);
        assert!("10/0".parse::<RateQuota>().is_err());
        assert!("fast".parse::<RateQuota>().unwrap_err().to_string().contains("120/60"));
        assert_eq!(RetryAfter(Duration::from_millis(1500)).seconds(), 2);
        assert_eq!(RetryAfter(Duration::ZERO).seconds(), 1);
    }
}
