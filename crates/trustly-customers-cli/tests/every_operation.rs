//! Driven by the spec, whatever it declares: every operation is a command that sends its
//! request and prints the answer, and every property a customer may be sent comes back from the
//! emulator through `upsert` and `get`. An operation or a property added to the spec is covered
//! here with no edit.

mod common;

use base64::Engine as _;
use common::*;
use serde_json::Value;
use trustly_customers_spec::facts::{self, Location};
use trustly_customers_spec::sample::sample;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer as ScriptedServer, ResponseTemplate};

/// A sample of a component schema, without the properties the server owns.
fn writable_sample(component: &str) -> Value {
    let doc = trustly_customers_spec::document();
    let schema = facts::component(doc, component).expect("the component exists");
    let mut value = sample(doc, schema);
    if let Value::Object(map) = &mut value {
        facts::strip_read_only(doc, schema, map);
    }
    value
}

#[tokio::test]
async fn every_operation_is_a_command_that_sends_its_request() {
    let doc = trustly_customers_spec::document();
    let operations = facts::operations(doc);
    assert!(operations.len() >= 4);
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{ID}:{KEY}"))
    );
    for op in operations {
        let command = op.cli_name();
        let server = ScriptedServer::start().await;
        let answer = match op.success_component() {
            Some(component) => sample(doc, facts::component(doc, component).unwrap()),
            None => Value::Null,
        };
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
            .mount(&server)
            .await;

        let base_url = format!("{}/api/v1", server.uri());
        let mut args = vec!["--base-url".to_owned(), base_url, command.clone()];
        let mut path = op.path.to_owned();
        let mut query = Vec::new();
        for param in &op.parameters {
            let value = format!("{}-1", param.name);
            match param.location {
                Location::Path => {
                    path = path.replace(&format!("{{{}}}", param.name), &value);
                    args.push(value.clone());
                }
                Location::Query => {
                    args.push(format!("--{}", facts::kebab_case(param.name)));
                    args.push(value.clone());
                    query.push((param.name.to_owned(), value.clone()));
                }
                Location::Header | Location::Body => continue,
            }
        }
        let mut body = op.body_component().map(writable_sample);
        if let Some(Value::Object(map)) = &mut body {
            // A property named like a path parameter must agree with it.
            for param in op
                .parameters
                .iter()
                .filter(|p| p.location == Location::Path)
            {
                if map.contains_key(param.name) {
                    map.insert(param.name.to_owned(), format!("{}-1", param.name).into());
                }
            }
        }
        let file = body
            .as_ref()
            .map(|b| write_temp(&format!("{command}.json"), b));
        if let Some(file) = &file {
            args.extend(["--file".to_owned(), file.as_str().to_owned()]);
        }

        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = run(&args).await;
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 1, "{command}");
        let request = &requests[0];
        assert_eq!(
            request.method.as_str(),
            op.method.to_uppercase(),
            "{command}"
        );
        assert_eq!(request.url.path(), format!("/api/v1{path}"), "{command}");
        let mut sent_query: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        sent_query.sort();
        query.sort();
        assert_eq!(sent_query, query, "{command}");
        assert_eq!(
            request
                .headers
                .get("authorization")
                .map(|v| v.to_str().unwrap()),
            Some(basic.as_str()),
            "{command}"
        );
        match &body {
            Some(body) => {
                let sent: Value = serde_json::from_slice(&request.body).unwrap();
                assert_eq!(&sent, body, "{command}: the body as given");
            }
            None => assert!(request.body.is_empty(), "{command}"),
        }
        // What it prints is the answer: every string of it is there.
        let printed = run.json().to_string();
        for value in strings(&answer) {
            assert!(
                printed.contains(value),
                "{command}: {value} not printed: {printed}"
            );
        }
    }
}

fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(map) => map.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn every_writable_property_of_a_customer_round_trips_through_upsert_and_get() {
    let server = emulator().await;
    let url = server.base_url();
    let mut sent = writable_sample("Customer");
    // The server assigns ids (a sample id is not one it could have handed out), and the
    // emulator, one merchant's account, sets the merchant's.
    sent.as_object_mut().unwrap().remove("customerId");
    sent.as_object_mut().unwrap().remove("merchantId");
    let file = write_temp("every-property.json", &sent);

    let created = run(&["--base-url", &url, "upsert", "--file", file.as_str()]).await;
    assert_eq!(created.code, 0, "{}", created.stderr);
    let id = created.json()["customerId"].as_str().unwrap().to_owned();
    let fetched = run(&["--base-url", &url, "get", &id]).await;
    assert_eq!(fetched.code, 0, "{}", fetched.stderr);
    let fetched = fetched.json();
    let sent = sent.as_object().unwrap();
    assert!(sent.len() >= 15, "{sent:?}");
    for (name, value) in sent {
        assert_eq!(&fetched[name], value, "{name}");
    }
}
