//! The OpenAPI document at `/api/v1/openapi.json` describes the routes the service really
//! serves: every documented operation is routed, every routed method of a documented path is
//! documented, and every documented error answer is a problem body.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::spawn_app;

/// The HTTP methods an OpenAPI path item may hold.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The documented operations: (path, lowercase method, operation object).
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let paths = document["paths"].as_object().expect("the document has paths");
    let mut found = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.push((path.clone(), method.to_owned(), operation.clone()));
            }
        }
    }
    found
}

async fn fetch_document(app: &crate::helpers::TestApp) -> Value {
    let response = app.request(Method::GET, "/openapi.json").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_the_api() {
    let app = spawn_app().await;
    let document = fetch_document(&app).await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"), "{}", document["openapi"]);
    let listed: Vec<String> =
        operations(&document).into_iter().map(|(path, method, _)| format!("{method} {path}")).collect();
    for expected in [
        "get /api/v1/tickets",
        "post /api/v1/tickets",
        "patch /api/v1/tickets/{id}",
        "post /api/v1/tickets/{id}/messages",
        "get /api/v1/changes/stream",
        "post /api/v1/import",
        "get /healthz",
        "get /api/v1/openapi.json",
    ] {
        assert!(listed.iter().any(|op| op == expected), "{expected} is missing from {listed:?}");
    }
}

#[tokio::test]
async fn every_route_of_the_router_is_in_the_document_and_back() {
    let app = spawn_app().await;
    let document = fetch_document(&app).await;
    let operations = operations(&document);
    let mut paths: Vec<&String> = operations.iter().map(|(path, _, _)| path).collect();
    paths.dedup();
    for path in paths {
        let concrete = path.replace("{id}", "1");
        let url = format!("{}{concrete}", app.base_url);
        // A method no route has: the answer is 405 and `Allow` lists what the router serves on
        // this path, which must be exactly what the document lists.
        let response = app.http.request(Method::TRACE, &url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "TRACE {path}");
        let allow = response.headers().get("allow").expect("405 with Allow").to_str().unwrap().to_owned();
        let mut routed: Vec<String> = allow
            .split(',')
            .map(|m| m.trim().to_ascii_lowercase())
            .filter(|m| m != "head" && !m.is_empty())
            .collect();
        routed.sort();
        let mut documented: Vec<String> =
            operations.iter().filter(|(p, _, _)| p == path).map(|(_, m, _)| m.clone()).collect();
        documented.sort();
        assert_eq!(routed, documented, "methods served on {path} (Allow: {allow}) differ from the document");
    }
    // Every documented operation reaches a handler: no fallback 404 ("there is nothing at").
    for (path, method, _) in &operations {
        if path.ends_with("/stream") {
            continue; // never ends; routed, as the Allow check above shows
        }
        let url = format!("{}{}", app.base_url, path.replace("{id}", "1"));
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
        let response = app.http.request(method.clone(), &url).send().await.unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED && !body.contains("there is nothing at"),
            "{method} {path} is documented but not routed: {status} {body}"
        );
    }
}

#[tokio::test]
async fn every_documented_error_is_a_problem_body() {
    let app = spawn_app().await;
    let document = fetch_document(&app).await;
    assert!(document["components"]["schemas"]["Problem"].is_object());
    for (path, method, operation) in operations(&document) {
        let responses = operation["responses"].as_object().expect("responses");
        for status in ["500", "503"] {
            assert!(responses.contains_key(status), "{method} {path} does not list {status}");
        }
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let content = response["content"].as_object().expect("error answers have a body");
                let keys: Vec<&String> = content.keys().collect();
                assert_eq!(keys, ["application/problem+json"], "{method} {path} {status}");
            }
        }
    }
    // The write endpoints a client may be rate limited on say so, with Retry-After.
    let create = &document["paths"]["/api/v1/tickets"]["post"]["responses"]["429"];
    assert!(create["headers"]["Retry-After"].is_object(), "{create}");
}
