//! A cap on open long-lived streams, per client address and in total.

use std::collections::HashMap;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};

/// How many streams may be open at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// Open streams from one client address.
    pub per_client: usize,
    /// Open streams from everyone together.
    pub total: usize,
}

/// Why stream limits could not be read from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a stream limit: give PER_CLIENT/TOTAL, e.g. 16/256 (both at least 1)")]
pub struct StreamLimitsError(String);

impl FromStr for StreamLimits {
    type Err = StreamLimitsError;

    /// `PER_CLIENT/TOTAL`, e.g. `16/256`; both at least 1.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = || StreamLimitsError(text.to_owned());
        let (per_client, total) = text.split_once('/').ok_or_else(fail)?;
        let per_client: usize = per_client.trim().parse().map_err(|_| fail())?;
        let total: usize = total.trim().parse().map_err(|_| fail())?;
        if per_client == 0 || total == 0 {
            return Err(fail());
        }
        Ok(StreamLimits { per_client, total })
    }
}

impl std::fmt::Display for StreamLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.per_client, self.total)
    }
}

/// Why a stream was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StreamRefusal {
    /// This client address already holds [`StreamLimits::per_client`] streams.
    #[error("{0} streams are already open from your address; close one and try again")]
    PerClient(usize),
    /// [`StreamLimits::total`] streams are open.
    #[error("the server already holds {0} open streams, its limit; try again in a minute")]
    Total(usize),
}

/// The open streams of one service. Cheap to clone (shared counts).
#[derive(Debug, Clone)]
pub struct StreamSlots {
    limits: StreamLimits,
    open: Arc<Mutex<Open>>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// One open stream; dropping it (when the stream ends) frees the slot.
#[derive(Debug)]
pub struct StreamSlot {
    client: IpAddr,
    open: Arc<Mutex<Open>>,
}

fn lock(open: &Mutex<Open>) -> MutexGuard<'_, Open> {
    // The counts stay consistent even if a holder panicked: every change is one statement.
    open.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl StreamSlots {
    /// No stream open yet.
    pub fn new(limits: StreamLimits) -> Self {
        StreamSlots { limits, open: Arc::default() }
    }

    /// Takes a slot for a stream from `client`; keep the [`StreamSlot`] as long as the stream
    /// is open.
    ///
    /// Errors: [`StreamRefusal`] when `client` or everyone together is at the limit.
    pub fn open(&self, client: IpAddr) -> Result<StreamSlot, StreamRefusal> {
        let mut open = lock(&self.open);
        if open.total >= self.limits.total {
            return Err(StreamRefusal::Total(self.limits.total));
        }
        let mine = open.per_client.entry(client).or_insert(0);
        if *mine >= self.limits.per_client {
            return Err(StreamRefusal::PerClient(self.limits.per_client));
        }
        *mine += 1;
        open.total += 1;
        Ok(StreamSlot { client, open: Arc::clone(&self.open) })
    }

    /// How many streams are open now.
    pub fn open_count(&self) -> usize {
        lock(&self.open).total
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = lock(&self.open);
        open.total = open.total.saturating_sub(1);
        if let Some(mine) = open.per_client.get_mut(&self.client) {
            *mine = mine.saturating_sub(1);
            if *mine == 0 {
                open.per_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_per_client_and_in_total_and_freed_on_drop() {
        let slots = StreamSlots::new(StreamLimits { per_client: 2, total: 3 });
        let one: IpAddr = "10.0.0.1".parse().unwrap();
        let two: IpAddr = "10.0.0.2".parse().unwrap();
        let a = slots.open(one).unwrap();
        let _b = slots.open(one).unwrap();
        assert_eq!(slots.open(one).unwrap_err(), StreamRefusal::PerClient(2));
        let _c = slots.open(two).unwrap();
        assert_eq!(slots.open(two).unwrap_err(), StreamRefusal::Total(3));
        drop(a);
        assert_eq!(slots.open_count(), 2);
        assert!(slots.open(one).is_ok());
        assert_eq!("16/256".parse::<StreamLimits>().unwrap(), StreamLimits { per_client: 16, total: 256 });
        assert_eq!(StreamLimits { per_client: 2, total: 3 }.to_string(), "2/3");
        assert!("0/5".parse::<StreamLimits>().is_err() && "16".parse::<StreamLimits>().is_err());
    }
}
