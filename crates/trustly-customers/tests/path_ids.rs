//! A customer id always reaches the server as the last segment of the URL path, whatever its
//! characters: the operation addresses that customer and nothing else. An id that cannot be
//! one segment is refused before anything is sent.
//!
//! Property-based: proptest draws a new seed each run (failures it finds are kept in
//! `proptest-regressions/` and replayed first), so every run tries ids no earlier run did.

mod common;

use common::*;
use std::sync::LazyLock;

use proptest::prelude::*;
use serde_json::json;
use trustly_customers::{Client, CustomerId, ErrorKind};

use wiremock::{Mock, MockServer, ResponseTemplate};

/// What the client must refuse: exactly the ids that cannot be one path segment.
fn cannot_be_a_segment(id: &str) -> bool {
    matches!(id, "" | "." | "..") || id.chars().any(|c| c == '\\' || c.is_control())
}

/// The id a path segment names, percent-decoded.
fn decoded(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Ids built from the characters a URL treats specially, and any characters at all.
fn ids() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(
            prop::sample::select(vec![
                '.', '/', '\\', '%', '?', '#', ' ', '\t', '\r', '\n', '\0', ';', '&', '=', '+',
                '2', 'e', 'E', 'f', 'é', '😀', '\u{7f}', '\u{85}', '[', ']', '@', ':', '~'
            ]),
            0..6
        )
        .prop_map(|chars| chars.into_iter().collect()),
        any::<String>(),
        "[0-9]{1,12}",
    ]
}

/// One runtime and one server for every case: starting a server per case is most of the
/// time otherwise.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
});
static SERVER: LazyLock<MockServer> = LazyLock::new(|| {
    let server = RUNTIME.block_on(MockServer::start());
    RUNTIME.block_on(
        Mock::given(wiremock::matchers::any())
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"customer": full_customer_json()})),
            )
            .mount(&server),
    );
    server
});
static CLIENT: LazyLock<Client> = LazyLock::new(|| client_for(&SERVER));

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("tests/path_ids.proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_id_is_sent_as_the_last_path_segment_or_refused(id in ids()) {
        let (server, client) = (&*SERVER, &*CLIENT);
        RUNTIME.block_on(async {
            // The server keeps every case's requests; this case's come after these.
            let earlier = server.received_requests().await.unwrap().len();
            let customer_id = CustomerId::from(id.as_str());
            let read = client.get_customer(&customer_id).await;
            let replaced = client.replace_customer(&customer_id, &full_new_customer()).await;
            let requests = server.received_requests().await.unwrap().split_off(earlier);
            if cannot_be_a_segment(&id) {
                prop_assert_eq!(read.unwrap_err().kind(), ErrorKind::Config);
                prop_assert_eq!(replaced.unwrap_err().kind(), ErrorKind::Config);
                prop_assert!(requests.is_empty(), "{:?} was sent", id);
            } else {
                read.unwrap();
                replaced.unwrap();
                prop_assert_eq!(requests.len(), 2);
                for request in &requests {
                    let path = request.url.path();
                    let segment = path.strip_prefix("/api/v1/customers/");
                    prop_assert!(segment.is_some(), "{:?} was sent to {}", id, path);
                    let segment = segment.unwrap();
                    prop_assert!(!segment.contains('/'), "{:?} was sent to {}", id, path);
                    prop_assert_eq!(decoded(segment), id.clone(), "sent to {}", path);
                    prop_assert_eq!(request.url.query(), None);
                }
            }
            Ok(())
        })?;
    }
}
