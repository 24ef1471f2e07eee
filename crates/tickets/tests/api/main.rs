//! Integration tests of the ticket service over HTTP: one test binary, a fresh service and
//! SQLite file per test (see `helpers::spawn_app`).

#![allow(clippy::unwrap_used)]

mod attachments;
mod changes;
mod contract;
mod helpers;
mod import;
mod learning;
mod limits;
mod messages;
mod reporter;
mod service;
mod sorting;
mod tickets;
mod view;
