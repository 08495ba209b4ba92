//! The values a schema names (`x-known-values`) are constants of its generated type, and the
//! type stays open: Trustly's error codes, `types::ErrorCode`.

use serde_json::{Value, json};
use trustly_customers_api::types::{ErrorCode, ErrorDetail};
use trustly_customers_spec::facts;

#[test]
fn every_known_code_of_the_spec_is_named_and_described() {
    let spec = workspace_tests::spec_json();
    let schema = facts::component(&spec, "ErrorCode").expect("the spec has ErrorCode");
    let known = facts::known_values(schema);
    assert!(known.len() >= 10, "{} known codes", known.len());
    for value in known {
        let code = ErrorCode(i32::try_from(value.value.as_i64().unwrap()).unwrap());
        assert_eq!(code.name(), Some(value.name), "{code}");
        let description: Vec<&str> = value.description.split_whitespace().collect();
        assert_eq!(code.description(), Some(description.join(" ").as_str()));
    }
}

#[test]
fn codes_decode_as_their_constants_and_match() {
    let detail: ErrorDetail = serde_json::from_value(json!({
        "domain": "com.paywithmybank.merchantgateway.v1.exception.AccessControlException",
        "code": 375,
        "message": "Access not authorized"
    }))
    .unwrap();
    assert_eq!(detail.code, ErrorCode::ACCESS_CONTROL);
    let what = match detail.code {
        ErrorCode::INVALID_PARAMETER => "request",
        ErrorCode::ACCESS_CONTROL => "credentials",
        _ => "other",
    };
    assert_eq!(what, "credentials");
    assert_eq!(ErrorCode::INVALID_PARAMETER, ErrorCode(200));
    assert_eq!(ErrorCode::INTERNAL.0, 100);
    assert_eq!(ErrorCode::from(150), ErrorCode::REMOTE);
    assert_eq!(i32::from(ErrorCode::FRAUD_ANALYSIS), 390);
}

#[test]
fn an_unknown_code_decodes_as_itself_and_goes_back_the_same() {
    let body = json!({"domain": "d", "code": 4242, "message": "m"});
    let detail: ErrorDetail = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(detail.code, ErrorCode(4242));
    assert_eq!(detail.code.name(), None);
    assert_eq!(detail.code.description(), None);
    let sent: Value = serde_json::to_value(&detail).unwrap();
    assert_eq!(sent, body);
    // What the schema refuses still fails: a code is an int32.
    let too_big = json!({"domain": "d", "code": 1_i64 << 40, "message": "m"});
    assert!(serde_json::from_value::<ErrorDetail>(too_big).is_err());
}

#[test]
fn a_code_prints_as_its_number() {
    assert_eq!(ErrorCode::ACCESS_CONTROL.to_string(), "375");
    assert_eq!(ErrorCode(4242).to_string(), "4242");
    assert_eq!(
        "375".parse::<ErrorCode>().unwrap(),
        ErrorCode::ACCESS_CONTROL
    );
    let detail: ErrorDetail =
        serde_json::from_value(json!({"domain": "d", "code": 200, "message": "secret"})).unwrap();
    let debug = format!("{detail:?}");
    assert!(debug.contains("code: ErrorCode(200)"), "{debug}");
    assert!(!debug.contains("secret"), "{debug}");
}
