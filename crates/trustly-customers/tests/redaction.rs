//! No secret or personal value in any Debug, Display or log line; the Debug forms are
//! snapshotted so a change to what they show is reviewed.

mod common;

use common::*;
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use trustly_customers::{Address, Credentials, Customer, CustomerId, CustomerPatch, ExternalId};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn full_customer() -> Customer {
    serde_json::from_value(full_customer_json()).unwrap()
}

#[test]
fn debug_of_a_fully_populated_customer_is_redacted() {
    let text = format!("{:#?}", full_customer());
    assert_no_personal_data(&text);
    insta::assert_snapshot!("customer_debug", text);
}

#[test]
fn debug_of_a_new_customer_is_redacted() {
    let text = format!("{:#?}", full_new_customer());
    assert_no_personal_data(&text);
    insta::assert_snapshot!("new_customer_debug", text);
}

#[test]
fn debug_of_a_patch_is_redacted() {
    let patch = CustomerPatch::new()
        .name("Jane Q Secret")
        .email("jane.secret@example.com")
        .tax_id("123-45-6789")
        .clear_national_id()
        .person_id("PERSON-5551234")
        .date_of_birth("1984-02-29")
        .address(Address::new("US").address1("1 Hidden Lane").zip("90210"));
    let text = format!("{patch:#?}");
    assert_no_personal_data(&text);
    insta::assert_snapshot!("patch_debug", text);
}

#[test]
fn debug_of_credentials_and_client_show_no_secret() {
    let credentials = Credentials::new(ACCESS_ID, ACCESS_KEY);
    assert_no_personal_data(&format!("{credentials:?}"));
    let client = builder_for("http://127.0.0.1:9").build().unwrap();
    assert_no_personal_data(&format!("{client:?}"));
    let builder = builder_for("http://127.0.0.1:9");
    assert_no_personal_data(&format!("{builder:?}"));
}

#[tokio::test]
async fn logs_have_one_span_per_call_with_its_fields_and_no_personal_data() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/customers/missing"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(error_body(200, "no jane.secret@example.com")),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/customers/broken"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"customer":{"name":"Jane Q Secret","email":"jane.secret@example.com""#,
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/customers"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"customers": [full_customer_json()]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/customers/1002580963"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_response()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_response()))
        .mount(&server)
        .await;

    let client = client_for(&server);
    let mut outputs = Vec::new();
    let c = client
        .create_or_update_customer(None, &full_new_customer())
        .await
        .unwrap();
    outputs.push(format!("{c:?}"));
    client
        .get_customer(&CustomerId::from("1002580963"))
        .await
        .unwrap();
    client
        .find_customer_by_external_id(&ExternalId::from("ext-42"))
        .await
        .unwrap();
    client.list_customers(None, None).await.unwrap();
    let patch = CustomerPatch::new().tax_id("123-45-6789");
    client
        .update_customer(&CustomerId::from("1002580963"), &patch)
        .await
        .unwrap();
    for id in ["missing", "broken"] {
        let e = client
            .get_customer(&CustomerId::from(id))
            .await
            .unwrap_err();
        outputs.push(e.to_string());
        outputs.push(format!("{e:?}"));
    }
    let refusing = Refusing::new();
    let refused = builder_for(&refusing.uri()).build().unwrap();
    let e = refused
        .create_or_update_customer(None, &full_new_customer())
        .await
        .unwrap_err();
    outputs.push(e.to_string());
    outputs.push(format!("{e:?}"));

    let log = captured.text();
    assert_no_personal_data(&log);
    for output in &outputs {
        assert_no_personal_data(output);
    }
    // A URL only as the operation's path, its ids as placeholders, and no query: a query
    // carries the externalId, and a path the customer's id.
    for text in outputs.iter().chain([&log]) {
        for url_part in [
            "externalId=",
            "customerId=",
            "/customers/1002580963",
            "/customers/missing",
            "/customers/broken",
        ] {
            assert!(!text.contains(url_part), "{url_part:?} in {text}");
        }
    }
    let errors: Vec<&String> = outputs
        .iter()
        .filter(|o| o.contains("customer: "))
        .collect();
    assert_eq!(errors.len(), 3, "{outputs:?}");
    for error in errors {
        assert!(error.contains("/api/v1/customers"), "{error}");
    }
    assert!(
        log.contains("url=\"http://") && log.contains("/api/v1/customers/{customerId}\""),
        "{log}"
    );
    // One span per call, closed with its fields recorded; the update's read and write are
    // two calls inside one span that counts them.
    let closes: Vec<&str> = log.lines().filter(|l| l.contains("close")).collect();
    let (calls, others): (Vec<&str>, Vec<&str>) = closes
        .iter()
        .partition(|l| l.contains("trustly_customers.call{"));
    assert_eq!(calls.len(), 9, "{log}");
    for line in &calls {
        for field in ["operation=", "method=", "url=", "attempt=", "latency_ms="] {
            assert!(line.contains(field), "{field} missing in {line}");
        }
    }
    assert_eq!(others.len(), 1, "{log}");
    assert!(others[0].contains("trustly_customers.update{"), "{log}");
    assert!(others[0].contains("requests=2"), "{log}");
    assert!(
        log.contains("operation=\"create_or_update_customer\""),
        "{log}"
    );
    assert!(log.contains("status=503"), "{log}");
    assert!(log.contains("retrying"), "{log}");
    assert!(log.contains("status=404"), "{log}");
}

/// The strings of `value` (a sample of `schema`), split into those under a property the spec
/// marks `x-pii` (itself, or its schema, or a property above it) and the others.
fn strings_by_personal<'v>(
    doc: &serde_json::Value,
    schema: &serde_json::Value,
    value: &'v serde_json::Value,
    personal: bool,
    out: &mut (Vec<&'v str>, Vec<&'v str>),
) {
    use trustly_customers_spec::facts;
    let resolved = facts::resolve(doc, schema);
    let personal = personal || facts::is_pii(resolved);
    match value {
        serde_json::Value::String(s) if personal => out.0.push(s),
        serde_json::Value::String(s) => out.1.push(s),
        serde_json::Value::Object(map) => {
            let schema = facts::component_ref(resolved)
                .and_then(|c| facts::component(doc, c))
                .unwrap_or(resolved);
            let props = facts::properties(doc, schema);
            for (name, child) in map {
                match props.iter().find(|p| p.name == name) {
                    Some(p) => strings_by_personal(doc, p.schema, child, personal || p.pii, out),
                    // Entries of a free-form object (custom data) share its schema.
                    None => strings_by_personal(doc, schema, child, personal, out),
                }
            }
        }
        _ => {}
    }
}

#[test]
fn a_personal_id_displays_redacted_and_gives_its_text_when_asked() {
    let id = ExternalId::from("ext-42");
    assert_eq!(id.to_string(), "<redacted>");
    assert_eq!(format!("{id:?}"), "ExternalId(<redacted>)");
    assert_eq!(id.as_ref() as &str, "ext-42");
    assert_eq!(String::from(id), "ext-42");
    // An id that is not personal prints as itself.
    assert_eq!(CustomerId::from("1002580963").to_string(), "1002580963");
}

/// Driven by the spec: whatever properties `Customer` has, `Debug` hides the value of every one
/// marked `x-pii` (at any depth) and shows every other.
#[test]
fn debug_hides_every_personal_property_the_spec_marks_and_shows_the_others() {
    let doc = trustly_customers_spec::document();
    let schema = &doc["components"]["schemas"]["Customer"];
    let sample = trustly_customers_spec::sample::sample(doc, schema);
    let customer: Customer = serde_json::from_value(sample.clone()).unwrap();
    let text = format!("{customer:?}");
    let mut strings = (Vec::new(), Vec::new());
    strings_by_personal(doc, schema, &sample, false, &mut strings);
    let (personal, public) = strings;
    assert!(
        personal.len() >= 10 && public.len() >= 5,
        "{personal:?} {public:?}"
    );
    for value in personal {
        assert!(!text.contains(value), "{value:?} shown: {text}");
    }
    for value in public {
        assert!(text.contains(value), "{value:?} hidden: {text}");
    }
}

#[tokio::test]
async fn the_span_and_attempt_events_time_the_call_in_milliseconds() {
    // A response delayed by 150 ms: the call's `latency_ms` and the attempt's `elapsed_ms`
    // are at least that, and at most the wall time the test measured around the call.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(customer_response())
                .set_delay(std::time::Duration::from_millis(150)),
        )
        .mount(&server)
        .await;
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let client = client_for(&server);
    let started = std::time::Instant::now();
    client
        .get_customer(&CustomerId::from("1002580963"))
        .await
        .unwrap();
    let wall_ms = started.elapsed().as_secs_f64() * 1e3;
    let log = captured.text();
    for field in ["latency_ms=", "elapsed_ms="] {
        let value: f64 = log
            .split(field)
            .nth(1)
            .and_then(|rest| rest.split([' ', '}', ',', '\n']).next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {field} in {log}"));
        assert!(
            (150.0..=wall_ms).contains(&value),
            "{field}{value} is not within 150..={wall_ms} ms: {log}"
        );
    }
}
