//! The backend-neutral test suite: every [`crate::TicketStore`] backend runs these.
//!
//! Filled in by the store-sqlite work; see `store_suite!`.
