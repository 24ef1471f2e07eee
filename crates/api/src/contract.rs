//! Pieces the two services' OpenAPI documents share: the problem answers every operation can
//! give ([`add_problem_to_every_operation`]).

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
