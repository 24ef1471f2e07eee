//! Pieces the two services' OpenAPI documents share: the problem answers every operation can
//! give ([`add_problem_to_every_operation`], [`with_problems`]) and the document's JSON, built
//! once ([`json_once`]).

use std::sync::OnceLock;

use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};

use crate::PROBLEM_CONTENT_TYPE;

/// Adds a `status` answer with an RFC 9457 [`crate::Problem`] body (`application/problem+json`)
/// and `description` to every operation of `document` that does not describe that status yet.
/// For answers any endpoint can give, such as 500 (a database fault) and 503 (a time limit).
pub fn add_problem_to_every_operation(document: &mut OpenApi, status: u16, description: &str) {
    let problem = ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_CONTENT_TYPE,
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
        .build();
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            operation.responses.responses.entry(status.to_string()).or_insert_with(|| problem.clone().into());
        }
    }
}

/// `document` with each `(status, description)` of `answers` added to every operation
/// ([`add_problem_to_every_operation`]), e.g. `&[(500, "a fault in the service")]`.
pub fn with_problems(mut document: OpenApi, answers: &[(u16, &str)]) -> OpenApi {
    for (status, description) in answers {
        add_problem_to_every_operation(&mut document, *status, description);
    }
    document
}

/// The JSON of the document `build` makes, built on the first call and kept in `cell` for the
/// life of the process (a service's document never changes while it runs). Empty if it could
/// not be serialised, which a document built from types never is.
pub fn json_once(cell: &'static OnceLock<String>, build: fn() -> OpenApi) -> &'static str {
    cell.get_or_init(|| build().to_json().unwrap_or_default())
}
