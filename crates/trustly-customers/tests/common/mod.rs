//! Helpers shared by the integration tests: a client pointed at a local wiremock server and
//! fixtures full of recognisable fake personal data. (A client of the local emulator is
//! `trustly_customers::test_util::LocalEmulator`.)
#![allow(dead_code, unreachable_pub)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tracing_subscriber::fmt::MakeWriter;
use trustly_customers::{
    Address, Client, Credentials, CustomData, DriverLicense, ExternalId, NewCustomer, RetryPolicy,
};
use wiremock::MockServer;

pub const ACCESS_ID: &str = "test-access-id";
pub const ACCESS_KEY: &str = "test-access-key";
/// base64("test-access-id:test-access-key")
pub const EXPECTED_AUTHORIZATION: &str = "Basic dGVzdC1hY2Nlc3MtaWQ6dGVzdC1hY2Nlc3Mta2V5";

/// Every personal value used in the fixtures: none may appear in any Debug, Display or log.
pub const PERSONAL_VALUES: &[&str] = &[
    "Jane Q Secret",
    "1 Hidden Lane",
    "Apt 42b",
    "90210",
    "jane.secret@example.com",
    "+15550001111",
    "123-45-6789",
    "1984-02-29",
    "NAT-777888999",
    "PERSON-5551234",
    "DL-X9Y8Z7",
    "loyalty-secret-value",
    // The externalId: personal by the spec's decision (merchants derive it from emails).
    "ext-42",
    ACCESS_KEY,
    ACCESS_ID,
    "dGVzdC1hY2Nlc3MtaWQ6dGVzdC1hY2Nlc3Mta2V5",
];

/// A loopback port that refuses every connection, for as long as the value lives: a socket
/// bound to it that never listens. (A port that was merely free a moment ago could be taken
/// by another test's server in between, which would then answer.)
pub struct Refusing {
    _bound: tokio::net::TcpSocket,
    port: u16,
}

impl Refusing {
    pub fn new() -> Refusing {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket
            .bind("127.0.0.1:0".parse().expect("an address"))
            .expect("a loopback port");
        let port = socket.local_addr().expect("its address").port();
        Refusing {
            _bound: socket,
            port,
        }
    }

    pub fn uri(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// A client for `server` with small, fast retry delays.
pub fn client_for(server: &MockServer) -> Client {
    builder_for(&server.uri())
        .build()
        .expect("a loopback client builds")
}

pub fn builder_for(uri: &str) -> trustly_customers::ClientBuilder {
    Client::builder(Credentials::new(ACCESS_ID, ACCESS_KEY))
        .base_url(&format!("{uri}/api/v1"))
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .max_retries(3)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(500)),
        )
}

/// A customer as the API returns it, with every property set.
pub fn full_customer_json() -> Value {
    json!({
        "name": "Jane Q Secret",
        "address": {
            "country": "US",
            "address1": "1 Hidden Lane",
            "address2": "Apt 42b",
            "city": "Beverly Hills",
            "state": "CA",
            "zip": "90210"
        },
        "phone": "+15550001111",
        "email": "jane.secret@example.com",
        "taxId": "123-45-6789",
        "dateOfBirth": "1984-02-29",
        "createdAt": 1555696836548i64,
        "updatedAt": 1555696899999i64,
        "customerId": "1002580963",
        "externalId": "ext-42",
        "merchantId": "1002463580",
        "enrollDate": 1555696800000i64,
        "vip": 2,
        "currency": "USD",
        "balance": "10.00",
        "organizationNumber": "ORG-1",
        "externalTier": "Gold",
        "personId": "PERSON-5551234",
        "customData": {"loyalty": "loyalty-secret-value", "n": 1},
        "driverLicense": {"number": "DL-X9Y8Z7", "state": "CA"},
        "nationalId": "NAT-777888999"
    })
}

pub fn customer_response() -> Value {
    json!({ "customer": full_customer_json() })
}

/// A new customer with every settable property.
pub fn full_new_customer() -> NewCustomer {
    NewCustomer::new(
        "Jane Q Secret",
        Address::new("US")
            .address1("1 Hidden Lane")
            .address2("Apt 42b")
            .city("Beverly Hills")
            .state("CA")
            .zip("90210"),
        "+15550001111",
        "jane.secret@example.com",
    )
    .external_id(ExternalId::from("ext-42"))
    .tax_id("123-45-6789")
    .date_of_birth("1984-02-29")
    .vip(2)
    .person_id("PERSON-5551234")
    .national_id("NAT-777888999")
    .driver_license(DriverLicense::new("DL-X9Y8Z7", "CA"))
    .custom_data(custom_data(json!({"loyalty": "loyalty-secret-value"})))
}

/// Custom data from a JSON object.
pub fn custom_data(object: Value) -> CustomData {
    match object {
        Value::Object(map) => CustomData::from(map),
        other => panic!("custom data is an object, not {other}"),
    }
}

/// A new customer naming no customer (no customerId, no externalId).
pub fn anonymous_new_customer() -> NewCustomer {
    NewCustomer::new(
        "Jane Q Secret",
        Address::new("US"),
        "+15550001111",
        "jane.secret@example.com",
    )
}

/// Asserts that `text` holds none of the fixtures' personal values or credentials.
pub fn assert_no_personal_data(text: &str) {
    for value in PERSONAL_VALUES {
        assert!(!text.contains(value), "{value:?} leaked into: {text}");
    }
}

pub fn error_body(code: i32, message: &str) -> Value {
    json!({"errors": [{
        "domain": "com.paywithmybank.merchantgateway.v1.exception.InvalidParameterException",
        "code": code,
        "message": message
    }]})
}

/// Collects everything a `fmt` subscriber writes, to read back as text.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
