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
//! `create`, `replace`, `find`, `update`), called on a client (`ClientBuilder`'s, with no
//! retries: a retry would only repeat the same answer, after a delay) whose requests all go
//! to a server on 127.0.0.1 (`loopback.rs`) that answers with this answer (`update` reads,
//! then writes: both get it). So the answer takes the path a server's does, through the
//! socket, hyper's parsing, the response size cap, the generated decoding and the client's
//! errors, and nothing of the harness is in the crates.
//!
//! The answer is written as HTTP/1.1 carries it: the status line, the headers (but for a
//! `Content-Length` or `Transfer-Encoding` of the input's, which would misplace the end of the
//! body), a `Content-Length` of the body, and the body. Statuses that HTTP/1.1 sends without a
//! body (1xx, 204, 304) are sent without it; a 1xx status is the last thing sent on its
//! connection, which is then closed.
//!
//! Asserted: no panic; a call succeeds only on a 200; an error knows the status, unless the
//! HTTP client refuses the answer's head before the client sees it (an interim status with no
//! final one after it, or more headers than it reads: a transport failure, which then knows
//! none); no personal value of the body is in the error's `Display`, `Debug`, sources or API
//! errors, or in the `Debug` of what a successful call returns; the access key is in none of
//! them; and an error shows none of the credentials (the access key, the access id, the token
//! of their `Authorization` value), in any case of their letters, even when the answer
//! quotes them.

use std::io::Write as _;
use std::ops::Range;

use trustly_customers::types::{CustomerId, ExternalId};
use trustly_customers::{
    Address, Client, Credentials, CustomerPatch, ErrorKind, NewCustomer, RetryPolicy,
};

use crate::loopback::{Server, Wire};
use crate::pii::{self, Personal};

/// The credentials of the client under test.
pub const ACCESS_ID: &str = "fuzz-access-id";
/// Looked for in every text: the client must never show it.
pub const ACCESS_KEY: &str = "fuzz-access-key";
/// base64("fuzz-access-id:fuzz-access-key"): the token of the client's `Authorization` value.
const AUTHORIZATION_TOKEN: &str = "ZnV6ei1hY2Nlc3MtaWQ6ZnV6ei1hY2Nlc3Mta2V5";

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

    /// The answer as the server writes it (see the module docs).
    fn wire(&self, data: &[u8]) -> Wire {
        let status = self.status;
        let body = if self.bodiless() {
            &[][..]
        } else {
            &data[self.body.clone()]
        };
        let mut bytes = Vec::with_capacity(128 + data.len());
        let reason = status.canonical_reason().unwrap_or("");
        write!(bytes, "HTTP/1.1 {} {reason}\r\n", status.as_u16()).expect("written");
        for (name, value) in self.headers_written() {
            bytes.extend_from_slice(name.as_str().as_bytes());
            bytes.extend_from_slice(b": ");
            bytes.extend_from_slice(value.as_bytes());
            bytes.extend_from_slice(b"\r\n");
        }
        if !self.bodiless() {
            write!(bytes, "content-length: {}\r\n", body.len()).expect("written");
        }
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(body);
        Wire {
            bytes: bytes.into(),
            close: status.is_informational(),
        }
    }

    /// Whether HTTP/1.1 sends this status without a body.
    fn bodiless(&self) -> bool {
        self.status.is_informational() || matches!(self.status.as_u16(), 204 | 304)
    }

    /// The input's headers but those that say where the body ends, which the server writes.
    fn headers_written(&self) -> impl Iterator<Item = (&http::HeaderName, &http::HeaderValue)> {
        self.headers.iter().filter(|(name, _)| {
            *name != http::header::CONTENT_LENGTH && *name != http::header::TRANSFER_ENCODING
        })
    }

    /// Whether the HTTP client hands the answer's head to the client: a final status (or 101,
    /// which hyper hands over as the end of HTTP on the connection), and no more headers than
    /// hyper reads.
    fn head_reaches_the_client(&self) -> bool {
        let headers = self.headers_written().count() + usize::from(!self.bodiless());
        (!self.status.is_informational() || self.status == http::StatusCode::SWITCHING_PROTOCOLS)
            && headers <= MAX_HEADERS
    }
}

/// How many headers hyper's HTTP/1 client reads in a response head, at most.
const MAX_HEADERS: usize = 100;

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One runtime, one server and one client per thread, made once: tests run on several
/// threads. The runtime has one thread, which runs the server beside the client.
struct Harness {
    runtime: tokio::runtime::Runtime,
    server: Server,
    client: Client,
}

impl Harness {
    fn start() -> Harness {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let server = runtime.block_on(Server::start());
        let client = Client::builder(Credentials::new(ACCESS_ID, ACCESS_KEY))
            .base_url(&format!("http://{}/api/v1", server.addr()))
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("a client of a loopback server");
        Harness {
            runtime,
            server,
            client,
        }
    }
}

thread_local! {
    static HARNESS: Harness = Harness::start();
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
    let outcome = HARNESS.with(|harness| {
        harness.server.answer_with(answer.wire(data));
        harness.runtime.block_on(call(&harness.client, &answer))
    });
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
        Err(error) if !answer.head_reaches_the_client() => {
            assert_eq!(
                (error.kind(), error.status()),
                (ErrorKind::Transport, None),
                "an answer the HTTP client refuses: {error}"
            );
            error_texts(&error)
        }
        Err(error) => {
            assert_eq!(
                error.status(),
                Some(answer.status.as_u16()),
                "the error does not know the status of the answer: {error}"
            );
            error_texts(&error)
        }
    }
}

/// What the client says of a failed call, once it is checked to show no credential.
fn error_texts(error: &trustly_customers::Error) -> Vec<String> {
    let texts = all_error_texts(error);
    for text in &texts {
        let lower = text.to_ascii_lowercase();
        for secret in [ACCESS_KEY, ACCESS_ID, AUTHORIZATION_TOKEN] {
            assert!(
                !lower.contains(&secret.to_ascii_lowercase()),
                "a credential ({secret}) is shown in:\n{text}"
            );
        }
    }
    texts
}

/// What the client says of a failed call.
fn all_error_texts(error: &trustly_customers::Error) -> Vec<String> {
    let mut texts = vec![
        error.to_string(),
        format!("{error:?}"),
        format!("{:?}", error.api_errors()),
    ];
    if let Some(excerpt) = error.body_excerpt() {
        texts.push(excerpt.to_string());
        texts.push(format!("{excerpt:?}"));
    }
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        texts.push(s.to_string());
        texts.push(format!("{s:?}"));
        source = s.source();
    }
    texts
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
