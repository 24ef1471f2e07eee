//! The backend-neutral store suite (`store::suite`) run on fresh SQLite files, one per test.

use store_sqlite::SqliteStore;

/// A fresh, migrated database in its own temporary directory (deleted when the test ends).
async fn fresh_store() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory for the test database");
    let url = format!("sqlite://{}", dir.path().join("campusdesk.db").display());
    let store = SqliteStore::open(&url).await.expect("opening a fresh SQLite store");
    (store, dir)
}

store::store_suite!(fresh_store);
