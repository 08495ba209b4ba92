//! `mock_request`: requests to the emulator through the router it serves, in process
//! (`trustly_customers_mock::fuzzing`, feature `fuzzing`), on a new emulator per input.
//!
//! The input is up to four requests, separated by a line `===`, each written like HTTP/1.1
//! without the version:
//!
//! ```text
//! POST /api/v1/customers?externalId=4567890
//! content-type: application/json
//!
//! {"name":"Joe User",...}
//! ===
//! GET /api/v1/customers?externalId=4567890
//! ```
//!
//! The head ends at the first empty line (without one, after its first line). Only
//! `content-type` and `authorization` are read from it; without `authorization` the request
//! carries the default credentials. A request that HTTP cannot carry (a method or path with
//! spaces, say) is skipped.
//!
//! Asserted: no panic; no answer is a server error (nothing here can fail on the emulator's
//! side: there is no data file), but 501 for an operation it does not model; every error answer is Trustly's error body and every success
//! the spec's `CustomerResponse` or `CustomerList`; no personal value of any request (its body,
//! or a personal query parameter such as `externalId`) is in an error answer, and the access
//! key is in no answer.

use std::ops::Range;

use serde_json::Value;
use trustly_customers_mock::fuzzing::Emulator;

use crate::pii::{self, Personal};

/// Requests per input: enough to create, change, read and list one customer.
const MAX_REQUESTS: usize = 4;

/// One request, as where its parts are in the input.
#[derive(Debug, Clone)]
struct Request {
    method: Range<usize>,
    target: Range<usize>,
    content_type: Option<Range<usize>>,
    authorization: Option<Range<usize>>,
    body: Range<usize>,
}

fn parse(data: &[u8]) -> Vec<Request> {
    let mut requests = Vec::new();
    let mut start = 0;
    while start <= data.len() && requests.len() < MAX_REQUESTS {
        let end = find(&data[start..], b"\n===\n").map_or(data.len(), |at| start + at);
        requests.push(parse_one(data, start..end));
        start = end + b"\n===\n".len();
    }
    requests
}

fn parse_one(data: &[u8], range: Range<usize>) -> Request {
    let chunk = &data[range.clone()];
    let (head_len, body_start) = match find(chunk, b"\n\n") {
        Some(at) => (at, at + 2),
        None => match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => (at, at + 1),
            None => (chunk.len(), chunk.len()),
        },
    };
    let mut lines = Vec::new();
    let mut at = range.start;
    for line in chunk[..head_len].split(|&b| b == b'\n') {
        lines.push(at..at + line.len());
        at += line.len() + 1;
    }
    let first = lines.first().cloned().unwrap_or(range.start..range.start);
    let space = data[first.clone()]
        .iter()
        .position(|&b| b == b' ')
        .map_or(first.end, |p| first.start + p);
    let method = first.start..space;
    let target = (space + 1).min(first.end)..first.end;
    let mut request = Request {
        method,
        target,
        content_type: None,
        authorization: None,
        body: range.start + body_start..range.end,
    };
    for line in &lines[1..] {
        let text = &data[line.clone()];
        let Some(colon) = text.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = text[..colon].trim_ascii().to_ascii_lowercase();
        let value = trim(data, line.start + colon + 1..line.end);
        match name.as_slice() {
            b"content-type" => request.content_type = Some(value),
            b"authorization" => request.authorization = Some(value),
            _ => {}
        }
    }
    request
}

/// `range` without the spaces and tabs at either end.
fn trim(data: &[u8], mut range: Range<usize>) -> Range<usize> {
    while range.start < range.end && matches!(data[range.start], b' ' | b'\t') {
        range.start += 1;
    }
    while range.end > range.start && matches!(data[range.end - 1], b' ' | b'\t') {
        range.end -= 1;
    }
    range
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Runs one input, asserting everything the module docs list.
pub fn run(data: &[u8]) {
    let requests = parse(data);
    let answers = answers(data);
    let mut personal = Personal::new();
    for request in &requests {
        if let Some(q) = data[request.target.clone()].iter().position(|&b| b == b'?') {
            personal.query(data, request.target.start + q + 1..request.target.end);
        }
        personal.json(data, request.body.clone(), false);
    }
    let errors = error_texts(&answers);
    personal.assert_not_shown(data, &errors, |disguised| {
        error_texts(&answers_of(disguised))
    });
    let all: Vec<String> = answers
        .iter()
        .map(|(_, body)| String::from_utf8_lossy(body).into_owned())
        .collect();
    pii::assert_secret_not_shown(data, trustly_customers_mock::DEFAULT_ACCESS_KEY, &all);
}

/// The emulator's answers to the input's requests, each checked against the spec.
fn answers(data: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let answers = answers_of(data);
    for (status, body) in &answers {
        let text = String::from_utf8_lossy(body);
        // A path the API does not serve is answered with a plain-text 404, not Trustly's error
        // body: the body's absence is what tells a client a wrong base URL from a missing
        // customer.
        if *status == 404 && body.starts_with(b"no such endpoint;") {
            continue;
        }
        // 501 is the answer to an operation of the spec the emulator does not model yet.
        assert!(
            *status < 500 || *status == 501,
            "a server error: HTTP {status}: {text}"
        );
        let value: Value = serde_json::from_slice(body)
            .unwrap_or_else(|e| panic!("HTTP {status}: the answer is not JSON ({e}): {text}"));
        let component = if *status >= 400 {
            "ErrorBody"
        } else if value.get("customers").is_some() {
            "CustomerList"
        } else {
            "CustomerResponse"
        };
        let violations = trustly_customers_spec::check_component(component, &value);
        assert!(
            violations.is_empty(),
            "HTTP {status}: the answer is not a {component}: {violations:?}\n{text}"
        );
        if *status >= 400 {
            let errors = value["errors"].as_array().map_or(0, Vec::len);
            assert!(
                errors > 0,
                "HTTP {status}: an error body with no error: {text}"
            );
        }
    }
    answers
}

/// The answers, unchecked.
fn answers_of(data: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let emulator = Emulator::new();
    let part = |r: &Range<usize>| &data[r.clone()];
    parse(data)
        .iter()
        .filter_map(|r| {
            emulator.handle(
                part(&r.method),
                part(&r.target),
                r.content_type.as_ref().map(part),
                r.authorization.as_ref().map(part),
                part(&r.body),
            )
        })
        .collect()
}

/// What the error answers say: each body as sent, and each message as a client reads it.
fn error_texts(answers: &[(u16, Vec<u8>)]) -> Vec<String> {
    let mut texts = Vec::new();
    for (status, body) in answers {
        if *status < 400 {
            continue;
        }
        texts.push(String::from_utf8_lossy(body).into_owned());
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            for error in value["errors"].as_array().into_iter().flatten() {
                if let Some(message) = error["message"].as_str() {
                    texts.push(message.to_owned());
                }
            }
        }
    }
    texts
}
