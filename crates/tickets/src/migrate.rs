//! `campusdesk migrate-data`: copying a whole campus (tickets, messages, events, corrections,
//! change feed, attachments and their files) from one database into an empty one, then
//! verifying the copy.

use std::path::PathBuf;

use anyhow::Context;

/// What [`migrate_data`] copied, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// Tickets copied.
    pub tickets: i64,
    /// Messages copied.
    pub messages: i64,
    /// Event log entries copied.
    pub events: i64,
    /// Category corrections copied.
    pub corrections: i64,
    /// Attachments copied (each with its file and thumbnail).
    pub attachments: i64,
}

impl std::fmt::Display for Migrated {
    /// `copied 1,902 tickets, 5,120 messages, 9,874 events, 12 corrections, 40 attachments;
    /// counts verified`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "copied {} tickets, {} messages, {} events, {} corrections, {} attachments; counts verified",
            thousands(self.tickets),
            thousands(self.messages),
            thousands(self.events),
            thousands(self.corrections),
            thousands(self.attachments),
        )
    }
}

/// Copies everything from the database at `from` into the empty database at `to` in one
/// transaction, then checks that the target's counts and its whole export equal the source's.
/// Both are store URLs (`sqlite://PATH`, `postgres://...`); schemas are brought up to date first,
/// as any start does.
///
/// Errors (each a sentence; the target is left untouched unless the copy committed): a source
/// SQLite file that does not exist, a database that cannot be opened, a target that already
/// holds tickets, a failed write, a copy that does not match.
pub async fn migrate_data(from: &str, to: &str) -> anyhow::Result<Migrated> {
    if let Some(path) = sqlite_file(from)
        && !path.exists()
    {
        anyhow::bail!(
            "the source database {} does not exist; --from must name the campusdesk.db file of the \
             campus to copy",
            path.display()
        );
    }
    let source = crate::open_store(from).await.context("cannot open the source database (--from)")?;
    let target = crate::open_store(to).await.context("cannot open the target database (--to)")?;
    let held = target.counts().await.context("cannot count what the target database holds")?;
    if held.tickets > 0 {
        anyhow::bail!(
            "the target database already holds {} tickets; migrate-data copies only into an empty \
             database, so nothing was written",
            thousands(held.tickets)
        );
    }
    let snapshot = source.export().await.context("cannot read the source database")?;
    let expected = snapshot.counts();
    tracing::info!(tickets = expected.tickets, "read the source database; writing the target");
    target.restore(&snapshot).await.context("cannot write the target database (nothing was written)")?;

    let copied = target.counts().await.context("cannot count the copy")?;
    if copied != expected {
        anyhow::bail!(
            "the copy does not match the source: the source holds {expected:?}, the target {copied:?}"
        );
    }
    let copy = target.export().await.context("cannot read the copy back to verify it")?;
    if let Some(difference) = snapshot.first_difference(&copy) {
        anyhow::bail!("the copy does not match the source: {difference}");
    }
    Ok(Migrated {
        tickets: expected.tickets,
        messages: expected.messages,
        events: expected.events,
        corrections: expected.corrections,
        attachments: expected.attachments,
    })
}

/// The file of a `sqlite://PATH` or `sqlite:PATH` URL (without `?options`); `None` for other
/// URLs and in-memory databases.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.trim().strip_prefix("sqlite:")?;
    let path = rest.strip_prefix("//").unwrap_or(rest);
    let path = path.split_once('?').map_or(path, |(path, _)| path);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// `n` with a comma between each group of three digits, e.g. `1,902`.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(333), "333");
        assert_eq!(thousands(1_902), "1,902");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-12_345), "-12,345");
    }

    #[test]
    fn sqlite_file_reads_both_url_forms() {
        assert_eq!(sqlite_file("sqlite:///var/lib/desk.db"), Some(PathBuf::from("/var/lib/desk.db")));
        assert_eq!(sqlite_file("sqlite://data/desk.db?mode=rwc"), Some(PathBuf::from("data/desk.db")));
        assert_eq!(sqlite_file("sqlite:desk.db"), Some(PathBuf::from("desk.db")));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u@h/db"), None);
    }
}
