//! The shared state of the analytics service: the read model behind a lock, whether the first
//! catch-up with the change feed has finished, the clock and the campus time zone.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use api::Change;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::read_model::ReadModel;

/// The clock the analyses read `now` from (UTC).
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

struct Shared {
    model: RwLock<ReadModel>,
    ready: AtomicBool,
}

/// State shared by the HTTP handlers and the change-feed follower. Cheap to clone: clones share
/// the same read model and readiness flag.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
    clock: Clock,
    time_zone: TimeZone,
}

impl AppState {
    /// An empty, not yet ready state whose clock is the system clock ([`Timestamp::now`]) and
    /// whose months are counted in `time_zone` (the campus time zone).
    pub fn new(time_zone: TimeZone) -> Self {
        AppState {
            shared: Arc::new(Shared {
                model: RwLock::new(ReadModel::in_time_zone(time_zone.clone())),
                ready: AtomicBool::new(false),
            }),
            clock: Arc::new(Timestamp::now),
            time_zone,
        }
    }

    /// The same state with another clock, e.g. a fixed instant in tests.
    pub fn with_clock(mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The current instant according to the state's clock (UTC).
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// The campus time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// Applies change-feed entries in order under one write lock (see [`ReadModel::apply`]) and
    /// returns how many changed the model.
    pub fn apply(&self, changes: &[Change]) -> usize {
        let mut model = self.shared.model.write().unwrap_or_else(PoisonError::into_inner);
        changes.iter().filter(|change| model.apply(change)).count()
    }

    /// Runs `f` on the read model under a read lock. Keep `f` short and free of I/O.
    pub fn read<R>(&self, f: impl FnOnce(&ReadModel) -> R) -> R {
        f(&self.shared.model.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// The read model's cursor: the `seq` of the last change applied (0 for none).
    pub fn cursor(&self) -> i64 {
        self.read(ReadModel::cursor)
    }

    /// Whether the first catch-up with the change feed has finished, so answers are complete.
    pub fn is_ready(&self) -> bool {
        self.shared.ready.load(Ordering::Acquire)
    }

    /// Records that the first catch-up has finished; called by [`crate::follow_changes`]. It
    /// stays set from then on (later outages of the ticket service leave answers slightly stale,
    /// not incomplete).
    pub fn mark_ready(&self) {
        self.shared.ready.store(true, Ordering::Release);
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("cursor", &self.cursor())
            .field("ready", &self.is_ready())
            .field("time_zone", &self.time_zone)
            .finish_non_exhaustive()
    }
}
