//! `campusdesk import FILE`: uploads the file as an import job, follows it with a progress bar
//! on standard error (drawn only on a terminal) and prints the outcome.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use api::{ImportJobState, ImportJobView, TicketsClient};
use domain::Actor;
use indicatif::{ProgressBar, ProgressStyle};

/// Imports `file` through the ticket service at `tickets_url` as staff; returns the sentence
/// to print on success. With `idempotency_key`, rerunning the command after a lost answer
/// finds the same job (without one, the file's digest does).
///
/// Errors: the file cannot be read, the service refuses it (the sentence names the bad row) or
/// cannot be reached, or the job fails.
pub(crate) async fn run(
    tickets_url: &str,
    file: &Path,
    idempotency_key: Option<&str>,
) -> anyhow::Result<String> {
    let csv = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let client = TicketsClient::new(tickets_url);
    let actor = Actor::staff();
    let job = client.start_import(&actor, csv, idempotency_key).await.context("the import was refused")?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} rows ({elapsed})")
            .context("the progress bar's template")?
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let outcome = client.wait_import(&actor, job.clone(), |now| show(&bar, now)).await;
    bar.finish_and_clear();
    let report = outcome.with_context(|| format!("import job {} failed", job.id))?;
    Ok(format!("imported {} tickets from {} (import job {})", report.imported, file.display(), job.id))
}

/// Moves the bar to the job's state: rows checked while validating, written once done.
fn show(bar: &ProgressBar, job: &ImportJobView) {
    if let Some(total) = job.total {
        bar.set_length(u64::try_from(total).unwrap_or(0));
    }
    let position = if job.state == ImportJobState::Done { job.written } else { job.checked };
    bar.set_position(u64::try_from(position).unwrap_or(0));
    bar.set_message(job.state.as_str());
}
