//! What every campusdesk service does at its edge, shared by the ticket service, the analytics
//! service and the web UI so the three behave alike:
//!
//! - [`serve`] runs an axum [`Router`](axum::Router) on a listener with the connection rules
//!   of [`ConnectionLimits`]: a cap on open connections, a header-read timeout, an idle
//!   keep-alive timeout, and graceful shutdown;
//! - [`ClientAddr`] is the address of the person (or script) behind a request: the peer's
//!   address, or the `X-Forwarded-For` address when the peer is one of the
//!   [`TrustedProxies`] ([`resolve_client`] works it out once per request);
//! - [`RateLimit`] limits an action per client address ([`RateQuota`]: so many a minute, with a
//!   burst), answering how long to wait when over;
//! - [`StreamSlots`] caps open long-lived streams (change streams, live pages) per client
//!   address and in total ([`StreamLimits`]).
//!
//! [`Limits`] bundles every knob with the defaults a campus wants; `docs/operations.md` lists
//! them with the flags and environment variables that change them.

mod client;
mod conn;
mod rate;
mod streams;

pub use client::{ClientAddr, TrustedProxies, TrustedProxiesError, resolve_client};
pub use conn::{ConnectionLimits, serve};
pub use rate::{RateLimit, RateQuota, RateQuotaError, RetryAfter};
pub use streams::{StreamLimits, StreamLimitsError, StreamRefusal, StreamSlot, StreamSlots};

/// Every limit a campusdesk service applies at its edge. Each service reads the parts that
/// concern it: all three the [`ConnectionLimits`]; the ticket service the cap on change
/// streams and the write and classify quotas; the web UI the cap on live pages and the session
/// quota; the ticket service and the web UI the trusted proxies.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Open connections, header-read and idle timeouts.
    pub connections: ConnectionLimits,
    /// Ticket service: open change streams (`/api/v1/changes/stream`), per client and in total.
    /// Its readers are services (each analytics replica, each web process), not people.
    pub change_streams: StreamLimits,
    /// Web UI: open live pages (`/live`), per client address and in total. Behind one campus
    /// NAT many people share an address, so the share per address is large.
    pub live_pages: StreamLimits,
    /// Ticket service: creating tickets, posting messages and imports, per client address
    /// (each of the three counted on its own).
    pub writes: RateQuota,
    /// Ticket service: `POST /api/v1/classify` (the report form's live category hint).
    pub classify: RateQuota,
    /// Web UI: `POST /session` (choosing a role and a name).
    pub sessions: RateQuota,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
}

impl Default for Limits {
    /// The campus defaults (see `docs/operations.md` for why): 1,024 connections, 20 s to send a
    /// request head, 60 s idle keep-alive; change streams 16 per client and 256 in all; live
    /// pages 256 per client and 768 in all; 120 writes a minute with a burst of 60, 600
    /// classifications a minute with a burst of 120, 30 session changes a minute with a burst
    /// of 30; loopback trusted as a proxy.
    fn default() -> Self {
        Limits {
            connections: ConnectionLimits::default(),
            change_streams: StreamLimits { per_client: 16, total: 256 },
            live_pages: StreamLimits { per_client: 256, total: 768 },
            writes: RateQuota { per_minute: 120, burst: 60 },
            classify: RateQuota { per_minute: 600, burst: 120 },
            sessions: RateQuota { per_minute: 30, burst: 30 },
            trusted_proxies: TrustedProxies::loopback(),
        }
    }
}

impl Limits {
    /// The same limits with every rate limit off (benchmarks, tests that write a lot).
    pub fn without_rate_limits(self) -> Self {
        Limits { writes: RateQuota::OFF, classify: RateQuota::OFF, sessions: RateQuota::OFF, ..self }
    }
}
