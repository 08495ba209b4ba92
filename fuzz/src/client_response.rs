//! `client_response`: the client's decoding of an answer (a customer, a list, an error body,
//! anything else), with the excerpt of a body it cannot decode.
//!
//! The input is an answer written like HTTP/1.1, with the operation in place of the version:
//!
//! ```text
//! get 200
//! content-type: application/json
//!
//! {"customer":{"name":"Joe User",...}}
//! ```
//!
//! The head ends at the first empty line (without one, after its first line); an unknown
//! operation is `get`, a status that is not one is 200, a header line that is not a valid
//! header is left out. The operation is one of the client's methods (`get`, `list`, `upsert`,
//! `create`, `replace`, `find`, `update`), called on a client whose requests are all answered
//! with this answer (`update` reads, then writes: both get it), through the client's own path
//! (`trustly_customers::fuzzing`, feature `fuzzing`).
//!
//! Asserted: no panic; a call succeeds only on a 200; an error knows the status; no personal
//! value of the body is in the error's `Display`, `Debug`, sources or API errors, or in the
//! `Debug` of what a successful call returns; the access key is in none of them.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use trustly_customers::types::{CustomerId, ExternalId};
use trustly_customers::{Address, Client, CustomerPatch, NewCustomer};

use crate::pii::{self, Personal};

/// The credentials of the client under test.
pub const ACCESS_ID: &str = "fuzz-access-id";
/// Looked for in every text: the client must never show it.
pub const ACCESS_KEY: &str = "fuzz-access-key";

/// One answer, as the input describes it.
#[derive(Debug, Clone)]
struct Answer {
    operation: String,
    status: http::StatusCode,
    headers: http::HeaderMap,
    body: Range<usize>,
}

impl Answer {
    fn parse(data: &[u8]) -> Answer {
        let (head, body) = match find(data, b"\n\n") {
            Some(at) => (&data[..at], at + 2..data.len()),
            None => match data.iter().position(|&b| b == b'\n') {
                Some(at) => (&data[..at], at + 1..data.len()),
                None => (data, data.len()..data.len()),
            },
        };
        let mut lines = head.split(|&b| b == b'\n');
        let first = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
        let mut words = first.split_whitespace();
        let operation = words.next().unwrap_or("get").to_owned();
        let status = words
            .next()
            .and_then(|s| s.parse::<u16>().ok())
            .and_then(|n| http::StatusCode::from_u16(n).ok())
            .unwrap_or(http::StatusCode::OK);
        let mut headers = http::HeaderMap::new();
        for line in lines {
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                continue;
            };
            let name = http::HeaderName::from_bytes(line[..colon].trim_ascii());
            let value = http::HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
            if let (Ok(name), Ok(value)) = (name, value) {
                headers.append(name, value);
            }
        }
        Answer {
            operation,
            status,
            headers,
            body,
        }
    }

    fn response(&self, data: &[u8]) -> http::Response<Vec<u8>> {
        let mut response = http::Response::new(data[self.body.clone()].to_vec());
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        response
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

thread_local! {
    /// The answer every request of this thread's client gets: the input being run.
    static ANSWER: RefCell<http::Response<Vec<u8>>> = RefCell::new(http::Response::new(Vec::new()));
    /// One runtime and one client per thread, made once: tests run on several threads.
    static HARNESS: (tokio::runtime::Runtime, Client) = (
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime"),
        trustly_customers::fuzzing::client(
            Arc::new(|_request: &reqwest::Request| ANSWER.with(|a| clone_response(&a.borrow()))),
            ACCESS_ID,
            ACCESS_KEY,
        ),
    );
}

fn clone_response(response: &http::Response<Vec<u8>>) -> http::Response<Vec<u8>> {
    let mut copy = http::Response::new(response.body().clone());
    *copy.status_mut() = response.status();
    *copy.headers_mut() = response.headers().clone();
    copy
}

/// Runs one input, asserting everything the module docs list.
pub fn run(data: &[u8]) {
    let answer = Answer::parse(data);
    let shown = texts(data);
    let mut personal = Personal::new();
    personal.json(data, answer.body.clone(), false);
    personal.assert_not_shown(data, &shown, texts);
    pii::assert_secret_not_shown(data, ACCESS_KEY, &shown);
}

/// What the client says of the answer `data` describes: its error's texts, or the `Debug` of
/// what it returned.
fn texts(data: &[u8]) -> Vec<String> {
    let answer = Answer::parse(data);
    ANSWER.with(|a| *a.borrow_mut() = answer.response(data));
    let outcome = HARNESS.with(|(runtime, client)| runtime.block_on(call(client, &answer)));
    match outcome {
        // `find` reads a 404 as "none": a success with nothing to show.
        Ok(None) => Vec::new(),
        Ok(Some(shown)) => {
            assert_eq!(
                answer.status,
                http::StatusCode::OK,
                "a call succeeded on HTTP {}",
                answer.status
            );
            vec![shown]
        }
        Err(error) => {
            assert_eq!(
                error.status(),
                Some(answer.status.as_u16()),
                "the error does not know the status of the answer: {error}"
            );
            let mut texts = vec![
                error.to_string(),
                format!("{error:?}"),
                format!("{:?}", error.api_errors()),
            ];
            if let Some(excerpt) = error.body_excerpt() {
                texts.push(excerpt.to_string());
                texts.push(format!("{excerpt:?}"));
            }
            let mut source = std::error::Error::source(&error);
            while let Some(s) = source {
                texts.push(s.to_string());
                texts.push(format!("{s:?}"));
                source = s.source();
            }
            texts
        }
    }
}

/// Calls the operation the answer names: the `Debug` of what it returned, or `None` for a
/// `find` answered 404 (none).
async fn call(
    client: &Client,
    answer: &Answer,
) -> Result<Option<String>, trustly_customers::Error> {
    let id = CustomerId::from("1002580963".to_owned());
    let external_id = ExternalId::from("4567890".to_owned());
    let new = || {
        NewCustomer::new(
            "Joe User",
            Address::new("US").zip("94063"),
            "+16505551212",
            "joe.user@mail.com",
        )
    };
    Ok(Some(match answer.operation.as_str() {
        "list" => format!(
            "{:?}",
            client.list_customers(None, Some(&external_id)).await?
        ),
        "upsert" => format!(
            "{:?}",
            client
                .upsert_customer_by_external_id(&external_id, &new())
                .await?
        ),
        "create" => format!(
            "{:?}",
            client.create_or_update_customer(None, &new()).await?
        ),
        "replace" => format!("{:?}", client.replace_customer(&id, &new()).await?),
        "find" => match client.find_customer_by_external_id(&external_id).await {
            Ok(None) if answer.status == http::StatusCode::NOT_FOUND => return Ok(None),
            other => format!("{:?}", other?),
        },
        "update" => {
            let patch = CustomerPatch::new().clear_tax_id().phone("+16505550000");
            format!("{:?}", client.update_customer(&id, &patch).await?)
        }
        _ => format!("{:?}", client.get_customer(&id).await?),
    }))
}
