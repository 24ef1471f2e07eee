//! Learning from staff: the background retrainer that folds staff category corrections into
//! the classifier, and the bookkeeping behind `GET /api/v1/classifier`.
//!
//! When staff change a ticket's category, the store records a [`store::Correction`] in the
//! same transaction and the `PATCH` handler calls [`AppState::corrections_changed`]. The
//! retrainer ([`spawn_retrainer`], started by [`crate::serve`]) wakes up, waits
//! [`RETRAIN_DEBOUNCE`] so a burst of corrections costs one training, then [`retrain`]s: it
//! loads every correction, keeps the latest one of each ticket (a later correction of the same
//! ticket supersedes an earlier one), trains a new model on a blocking thread (requests keep
//! being answered by the old model meanwhile) and swaps it in with
//! [`AppState::set_classifier`]. At start it trains once if corrections are stored, so what
//! staff taught survives a restart. With several ticket-service replicas on one database, a
//! correction taken by another replica arrives as a commit on the change feed: after every
//! commit the retrainer asks the store for corrections newer than the last one it learned, and
//! retrains when there are some, so every replica learns every correction.
//!
//! Training examples: the bundled corpus ([`classifier::builtin_corpus`]) with weight 1, then
//! each corrected text with weight [`classifier::CORRECTION_WEIGHT`] (measured by the
//! classifier crate so one correction moves near-identical texts without disturbing others), in
//! correction order, so the model is
//! the same for the same corrections (the classifier is deterministic).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use classifier::Classifier;
use jiff::Timestamp;
use store::{Correction, StoreError};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::AppState;

/// How long the retrainer waits after a correction before training, so several corrections
/// made in quick succession are learned in one training: 200 ms.
pub const RETRAIN_DEBOUNCE: Duration = Duration::from_millis(200);

/// What the retrainer knows about the model in use and the trainings asked for.
pub(crate) struct Learning {
    /// Woken by every recorded correction.
    wake: Notify,
    /// Bumped by every recorded correction.
    requested: AtomicU64,
    /// The value of `requested` the model in use has learned up to.
    learned: AtomicU64,
    /// A training is running now.
    running: AtomicBool,
    /// The id of the newest correction the model in use has learned (0: none).
    learned_correction: AtomicI64,
    /// When the model in use was trained and on how many distinct texts.
    model: Mutex<ModelInfo>,
}

/// Facts about the model in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ModelInfo {
    /// When it was trained (UTC); for the starting model, when the state was made.
    pub(crate) trained_at: Timestamp,
    /// Distinct training texts: corpus lines plus corrected texts.
    pub(crate) training_examples: usize,
}

impl Learning {
    /// Bookkeeping for a service starting with the bundled model.
    pub(crate) fn new(now: Timestamp) -> Self {
        Learning {
            wake: Notify::new(),
            requested: AtomicU64::new(0),
            learned: AtomicU64::new(0),
            running: AtomicBool::new(false),
            learned_correction: AtomicI64::new(0),
            model: Mutex::new(ModelInfo {
                trained_at: now,
                training_examples: classifier::builtin_corpus().len(),
            }),
        }
    }

    /// Notes a new correction and wakes the retrainer.
    pub(crate) fn corrections_changed(&self) {
        self.requested.fetch_add(1, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// True while a correction has not been learned yet or a training runs.
    pub(crate) fn retraining(&self) -> bool {
        self.running.load(Ordering::SeqCst)
            || self.requested.load(Ordering::SeqCst) > self.learned.load(Ordering::SeqCst)
    }

    /// The model in use's facts.
    pub(crate) fn model(&self) -> ModelInfo {
        match self.model.lock() {
            Ok(info) => *info,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    fn set_model(&self, info: ModelInfo) {
        match self.model.lock() {
            Ok(mut guard) => *guard = info,
            Err(poisoned) => *poisoned.into_inner() = info,
        }
    }
}

/// `at` cut to whole microseconds, the precision of every other instant campusdesk reports.
fn to_micros(at: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(at.as_microsecond()).unwrap_or(at)
}

/// The corrections the model learns: the latest of each ticket, in correction order.
pub(crate) fn latest_per_ticket(corrections: Vec<Correction>) -> Vec<Correction> {
    let mut by_ticket: BTreeMap<i64, Correction> = BTreeMap::new();
    for correction in corrections {
        match by_ticket.get(&correction.ticket_id) {
            Some(kept) if kept.id > correction.id => {}
            _ => {
                by_ticket.insert(correction.ticket_id, correction);
            }
        }
    }
    let mut latest: Vec<Correction> = by_ticket.into_values().collect();
    latest.sort_by_key(|c| c.id);
    latest
}

/// A model trained on the bundled corpus (weight 1) and `corrections` (weight
/// [`classifier::CORRECTION_WEIGHT`] each). CPU-bound: call it on a blocking thread.
pub fn train_with_corrections(corrections: &[Correction]) -> Classifier {
    let corpus = classifier::builtin_corpus();
    let examples = corpus
        .iter()
        .map(|(text, category)| (text.as_str(), *category, 1.0))
        .chain(corrections.iter().map(|c| (c.text.as_str(), c.to_category, classifier::CORRECTION_WEIGHT)));
    Classifier::train_weighted(examples)
}

/// What one [`retrain`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retrained {
    /// Distinct corrected texts the new model learned.
    pub corrected_texts: usize,
    /// Distinct training texts in all (corpus lines plus corrected texts).
    pub training_examples: usize,
}

/// Trains a new model on the bundled corpus plus every stored correction (the latest of each
/// ticket) on a blocking thread, and swaps it into `state`. Requests are answered by the old
/// model until the swap.
///
/// Errors: [`StoreError`] when the corrections cannot be read (the old model stays), or
/// [`StoreError::Backend`] if the training thread fails.
pub async fn retrain(state: &AppState) -> Result<Retrained, StoreError> {
    let learning = state.learning();
    let asked = learning.requested.load(Ordering::SeqCst);
    learning.running.store(true, Ordering::SeqCst);
    let outcome = train_and_swap(state).await;
    // Even a failed attempt settles what was asked so far: the next correction tries again.
    learning.learned.fetch_max(asked, Ordering::SeqCst);
    learning.running.store(false, Ordering::SeqCst);
    outcome
}

async fn train_and_swap(state: &AppState) -> Result<Retrained, StoreError> {
    let all = state.store().list_corrections(0).await?;
    let newest = all.iter().map(|c| c.id).max().unwrap_or(0);
    let corrections = latest_per_ticket(all);
    let corrected_texts = corrections.len();
    let started = std::time::Instant::now();
    let model = tokio::task::spawn_blocking(move || train_with_corrections(&corrections))
        .await
        .map_err(|err| StoreError::backend(anyhow::anyhow!("the training thread failed: {err}")))?;
    let training_examples = classifier::builtin_corpus().len() + corrected_texts;
    state.set_classifier(std::sync::Arc::new(model));
    state.learning().learned_correction.fetch_max(newest, Ordering::SeqCst);
    state.learning().set_model(ModelInfo { trained_at: to_micros(state.now()), training_examples });
    tracing::info!(
        corrected_texts,
        training_examples,
        millis = started.elapsed().as_millis() as u64,
        "the classifier was retrained with staff corrections"
    );
    Ok(Retrained { corrected_texts, training_examples })
}

/// Whether the store holds a correction newer than the newest one the model in use learned,
/// e.g. one taken by another replica. A store error counts as "no": the next commit asks again.
async fn has_unlearned_corrections(state: &AppState) -> bool {
    let learned = state.learning().learned_correction.load(Ordering::SeqCst);
    match state.store().list_corrections(learned).await {
        Ok(newer) => !newer.is_empty(),
        Err(err) => {
            tracing::warn!(error = ?err, "could not check for new corrections");
            false
        }
    }
}

/// Starts the retrainer for `state` (see the module docs): it trains once at start when
/// corrections are stored, then after every [`AppState::corrections_changed`] (debounced by
/// [`RETRAIN_DEBOUNCE`]), until the state's shutdown signal. [`crate::serve`] starts it; tests
/// that mount [`crate::router`] themselves may start it too. Must be called inside a Tokio
/// runtime.
pub fn spawn_retrainer(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut stop = state.shutdown_signal();
        match state.store().list_corrections(0).await {
            Ok(stored) if !stored.is_empty() => {
                if let Err(err) = retrain(&state).await {
                    tracing::warn!(error = ?err, "could not train on the stored corrections at start");
                }
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = ?err, "could not read the stored corrections at start"),
        }
        let mut commits = state.store().watch_changes();
        loop {
            let woken_by_correction = tokio::select! {
                () = state.learning().wake.notified() => true,
                changed = commits.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    false
                }
                _ = stop.wait_for(|stopping| *stopping) => return,
            };
            // A commit from anywhere (this or another replica) may carry a correction.
            if !woken_by_correction && !has_unlearned_corrections(&state).await {
                continue;
            }
            tokio::select! {
                () = tokio::time::sleep(RETRAIN_DEBOUNCE) => {}
                _ = stop.wait_for(|stopping| *stopping) => return,
            }
            if let Err(err) = retrain(&state).await {
                tracing::warn!(error = ?err, "retraining with the staff corrections failed; the old model stays");
            }
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use domain::{Category, CategorySource};

    fn correction(id: i64, ticket_id: i64, to: Category) -> Correction {
        Correction {
            id,
            ticket_id,
            text: format!("text of {ticket_id}"),
            from_category: Category::Facility,
            to_category: to,
            from_source: CategorySource::Auto,
            actor_name: None,
            corrected_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_later_correction_of_a_ticket_supersedes_an_earlier_one() {
        let all = vec![
            correction(1, 10, Category::It),
            correction(2, 20, Category::It),
            correction(3, 10, Category::Services),
        ];
        let latest = latest_per_ticket(all);
        let kept: Vec<_> = latest.iter().map(|c| (c.id, c.ticket_id, c.to_category)).collect();
        assert_eq!(kept, [(2, 20, Category::It), (3, 10, Category::Services)]);
    }

    #[tokio::test]
    async fn corrections_stored_before_a_start_are_learned_at_start() {
        use domain::{Actor, Description, Title};
        use std::sync::Arc;
        use store::{NewTicket, TicketEdit, TicketStore};

        let store = store_sqlite::SqliteStore::open("sqlite::memory:").await.unwrap();
        let model = Classifier::builtin();
        let (title, description) =
            ("Zorblax beeping", "The zorblax in room Q7 is making the beeping noise again");
        let near = "Zorblax beeping\nThe zorblax in room Q9 makes the beeping noise again";
        let wrong = model.classify(&domain::classifier_input(title, description)).category;
        let right = Category::ALL.into_iter().find(|c| *c != wrong).unwrap();
        let new = NewTicket {
            title: Title::parse(title).unwrap(),
            description: Description::parse(description).unwrap(),
            category: wrong,
            category_confidence: 0.7,
            category_terms: Vec::new(),
            needs_check: false,
            reporter: None,
        };
        let ticket = store.create_ticket(new, &Actor::staff(), Timestamp::now()).await.unwrap();
        let fix = TicketEdit { category: Some(right), expected_version: 1, ..TicketEdit::default() };
        store.update_ticket(ticket.id, fix, &Actor::staff(), Timestamp::now()).await.unwrap();

        // A service starting on this database: the retrainer learns the stored correction.
        let state = AppState::new(Arc::new(store), Arc::new(model));
        assert_ne!(state.classifier().classify(near).category, right, "the bundled model files it elsewhere");
        let retrainer = spawn_retrainer(state.clone());
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while state.classifier().classify(near).category != right {
            assert!(std::time::Instant::now() < deadline, "the stored correction was never learned");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(state.learning().model().training_examples, classifier::builtin_corpus().len() + 1);
        retrainer.abort();

        // Retraining again on the same corrections gives the same answer (deterministic).
        let again = retrain(&state).await.unwrap();
        assert_eq!(again.corrected_texts, 1);
        assert_eq!(state.classifier().classify(near).category, right);
    }

    #[test]
    fn the_bookkeeping_says_retraining_until_the_request_is_learned() {
        let learning = Learning::new(Timestamp::UNIX_EPOCH);
        assert!(!learning.retraining());
        learning.corrections_changed();
        assert!(learning.retraining(), "a correction not learned yet means retraining");
        learning.learned.fetch_max(1, Ordering::SeqCst);
        assert!(!learning.retraining());
    }
}
