//! Scratch PostgreSQL databases for tests, in this crate and in others (the ticket service's
//! tests, the whole-stack replica test): each test gets a fresh, uniquely named database that is
//! dropped when the test ends.
//!
//! The server comes from the environment variable [`URL_VAR`]
//! (`CAMPUSDESK_TEST_POSTGRES_URL`), e.g. `postgres://postgres@127.0.0.1:5432/postgres`: a URL
//! of a role that may create databases, naming any existing database to connect to for the
//! `CREATE DATABASE`. `scripts/test` sets it. When it is unset the helpers panic, so a test run
//! without PostgreSQL fails loudly instead of passing without having tested anything.
//!
//! ```ignore
//! let (store, _db) = store_postgres::testing::fresh_store().await;
//! // ... use store; the database is dropped with `_db`.
//! ```

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection as _, PgConnection};

use crate::PgStore;

/// The environment variable naming the PostgreSQL server tests use.
pub const URL_VAR: &str = "CAMPUSDESK_TEST_POSTGRES_URL";

/// The test server's URL from [`URL_VAR`].
///
/// # Panics
///
/// When the variable is unset or empty, with a sentence saying how to set it.
pub fn server_url() -> String {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "{URL_VAR} is not set, so the PostgreSQL tests cannot run. Run them through scripts/test \
             (which starts PostgreSQL and sets it), or start a server and set it yourself, e.g. \
             {URL_VAR}=postgres://postgres@127.0.0.1:5432/postgres cargo test"
        ),
    }
}

/// A uniquely named, empty database on the test server, dropped (`DROP DATABASE ... WITH
/// (FORCE)`, which also ends any connection still open to it) when this value is dropped.
///
/// Names are `cd_test_<process id>_<nanoseconds>_<counter>`, so tests running in parallel, in
/// one process or several, never share one. A database left behind by a killed test run has the
/// same prefix and can be dropped by hand.
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    url: String,
    server_url: String,
}

impl TestDatabase {
    /// Creates a fresh database on the server named by [`URL_VAR`].
    ///
    /// # Panics
    ///
    /// When [`URL_VAR`] is unset, the server cannot be reached, or it refuses to create the
    /// database; the message says which.
    pub async fn create() -> TestDatabase {
        let server_url = server_url();
        let name = unique_name();
        let mut admin = PgConnection::connect(&server_url).await.unwrap_or_else(|err| {
            panic!("cannot connect to the test PostgreSQL server {server_url:?} (from {URL_VAR}): {err}")
        });
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|err| panic!("cannot create the test database {name}: {err}"));
        // Closing politely is best effort: the server cleans up after a dropped connection too.
        let _ = admin.close().await;
        let url = database_url(&server_url, &name);
        TestDatabase { name, url, server_url }
    }

    /// The database's URL, for [`PgStore::open`] or a service's `--database-url`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name (`cd_test_...`).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop runs outside async code (maybe inside a runtime that must not block on itself):
        // do the DROP on a thread of its own with a small runtime of its own.
        let server_url = self.server_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&server_url).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                    .execute(&mut admin)
                    .await?;
                let _ = admin.close().await;
                Ok::<_, anyhow::Error>(())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(err)) => eprintln!("warning: cannot drop the test database {}: {err:#}", self.name),
            Err(_) => eprintln!("warning: dropping the test database {} panicked", self.name),
        }
    }
}

/// A [`PgStore`] on a fresh [`TestDatabase`]; keep the database value as long as the store.
///
/// # Panics
///
/// As [`TestDatabase::create`], or when the store cannot open the new database.
pub async fn fresh_store() -> (PgStore, TestDatabase) {
    let database = TestDatabase::create().await;
    let store = PgStore::open(database.url()).await.unwrap_or_else(|err| {
        panic!("cannot open a store on the test database: {:#}", anyhow::Error::new(err))
    });
    (store, database)
}

fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("cd_test_{}_{}_{}", std::process::id(), nanos, COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// `server_url` with its database path replaced by `name` (query options kept).
fn database_url(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_url_swaps_only_the_path() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "cd_test_1"),
            "postgres://postgres@127.0.0.1:5432/cd_test_1"
        );
        assert_eq!(database_url("postgres://u:p@db:5432", "x"), "postgres://u:p@db:5432/x");
        assert_eq!(
            database_url("postgresql://u@db/postgres?sslmode=disable", "x"),
            "postgresql://u@db/x?sslmode=disable"
        );
    }

    #[test]
    fn names_are_unique_within_a_process() {
        assert_ne!(unique_name(), unique_name());
    }
}
