//! Each pass over the generator's output (xtask/src/passes) does what the spec says on a small
//! spec of its own, and fails loudly, naming the schema and property, when the generated code is
//! not shaped as it expects: a generator upgrade that changes its output cannot slip past.

use serde_json::{Value, json};
use xtask::passes;

/// A module shaped like the generator's: `mod types` with the given items.
fn module(types: &str) -> syn::File {
    syn::parse_str(&format!("pub mod types {{ {types} }}")).unwrap()
}

/// The passes over the types of `file`.
fn apply(file: &mut syn::File, doc: &Value) -> Result<(), String> {
    passes::apply_to_types(generated_code::module::types_mut(file)?, doc)
}

fn spec(schema: Value) -> Value {
    json!({"components": {"schemas": {"Thing": schema}}})
}

fn thing() -> Value {
    spec(json!({
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "x-pii": true},
            "note": {"type": "string", "nullable": true},
            "stamp": {"type": "integer", "readOnly": true}
        }
    }))
}

const THING: &str = r#"
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct Thing {
        pub id: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub note: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub stamp: ::std::option::Option<i64>,
    }
"#;

fn code(file: &syn::File) -> String {
    prettyplease::unparse(file)
}

#[test]
fn every_pass_carries_its_fact_into_the_code() {
    let mut file = module(THING);
    apply(&mut file, &thing()).unwrap();
    let code = code(&file);
    // nullable: a tri-state field, absent when skipped.
    assert!(
        code.contains("pub note: crate::Nullable<::std::string::String>"),
        "{code}"
    );
    assert!(
        code.contains("skip_serializing_if = \"crate::Nullable::is_absent\""),
        "{code}"
    );
    // x-pii: Debug derived no more; the field printed through the redaction helpers.
    assert!(!code.contains("Clone, Debug"), "{code}");
    assert!(
        code.contains(".field(\"id\", &crate::redact::Redacted)"),
        "{code}"
    );
    assert!(code.contains(".field(\"note\", &self.note)"), "{code}");
    // required and readOnly: new(id), a setter and a clear for note, none for stamp.
    assert!(
        code.contains("pub fn new(id: impl ::std::convert::Into<::std::string::String>)"),
        "{code}"
    );
    assert!(
        code.contains("pub fn note(") && code.contains("pub fn clear_note("),
        "{code}"
    );
    assert!(!code.contains("pub fn stamp("), "{code}");
}

#[test]
fn a_nullable_property_the_generator_did_not_make_an_option_is_an_error() {
    let shape = THING.replace(
        "pub note: ::std::option::Option<::std::string::String>",
        "pub note: ::std::string::String",
    );
    let error = apply(&mut module(&shape), &thing()).unwrap_err();
    assert!(error.contains("schema `Thing`, property `note`"), "{error}");
}

#[test]
fn a_serde_setting_the_nullable_pass_would_drop_is_an_error() {
    let shape = THING.replace(
        "#[serde(skip_serializing_if = \"::std::option::Option::is_none\")]\n        pub note",
        "#[serde(skip_serializing_if = \"::std::option::Option::is_none\", with = \"x\")]\n        pub note",
    );
    let error = apply(&mut module(&shape), &thing()).unwrap_err();
    assert!(
        error.contains("property `note`") && error.contains("with"),
        "{error}"
    );
}

#[test]
fn a_personal_type_that_no_longer_derives_debug_is_an_error() {
    let shape = THING.replace("Clone, Debug, PartialEq", "Clone, PartialEq");
    let error = apply(&mut module(&shape), &thing()).unwrap_err();
    assert!(
        error.contains("schema `Thing`") && error.contains("Debug"),
        "{error}"
    );
}

#[test]
fn a_property_with_no_field_is_an_error() {
    let shape = THING.replace("pub id: ::std::string::String,", "");
    let error = apply(&mut module(&shape), &thing()).unwrap_err();
    assert!(error.contains("`id`"), "{error}");
}

#[test]
fn a_string_schema_the_generator_made_fallible_is_an_error() {
    let doc = spec(json!({"type": "string"}));
    let shape = r#"
        #[derive(Clone, Debug)]
        pub struct Thing(::std::string::String);
        impl ::std::convert::TryFrom<&str> for Thing {
            type Error = ();
            fn try_from(value: &str) -> Result<Self, ()> { Ok(Self(value.into())) }
        }
    "#;
    let error = apply(&mut module(shape), &doc).unwrap_err();
    assert!(
        error.contains("schema `Thing`") && error.contains("fallible"),
        "{error}"
    );
}

fn known_codes() -> Value {
    spec(json!({
        "type": "integer",
        "format": "int32",
        "x-known-values": [
            {"value": 200, "name": "InvalidParameter", "description": "A parameter is\nnot valid."},
            {"value": -1, "name": "Below", "description": "Below zero."}
        ]
    }))
}

/// A newtype of an integer, shaped like the generator's.
const CODE: &str = r#"
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    #[serde(transparent)]
    pub struct Thing(pub i32);
    impl ::std::fmt::Display for Thing {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            self.0.fmt(f)
        }
    }
"#;

#[test]
fn known_values_are_constants_to_match_on() {
    let mut file = module(CODE);
    apply(&mut file, &known_codes()).unwrap();
    let thing = generated_code::module::types_struct(&file, "Thing").unwrap();
    let derived = generated_code::attrs::derived(&thing.attrs);
    for wanted in ["PartialEq", "Eq", "Copy", "Hash"] {
        assert!(derived.iter().any(|d| d == wanted), "{wanted}: {derived:?}");
    }
    let code = code(&file);
    assert!(
        code.contains(
            "/// A parameter is not valid.\n        pub const INVALID_PARAMETER: Self = Self(200);"
        ),
        "{code}"
    );
    assert!(code.contains("pub const BELOW: Self = Self(-1);"), "{code}");
    assert!(code.contains("Self::INVALID_PARAMETER =>"), "{code}");
    assert!(
        code.contains("::std::option::Option::Some(\"InvalidParameter\")"),
        "{code}"
    );
    assert!(
        code.contains("::std::option::Option::Some(\"A parameter is not valid.\")"),
        "{code}"
    );
    assert_eq!(
        code.matches("_ => ::std::option::Option::None").count(),
        2,
        "{code}"
    );
    // The impl follows the struct.
    let at = |text: &str| code.find(text).unwrap();
    assert!(
        at("pub struct Thing") < at("impl Thing {")
            && at("impl Thing {") < at("impl ::std::fmt::Display")
    );
}

#[test]
fn known_values_on_a_type_shaped_otherwise_are_an_error() {
    let not_integer = CODE.replace("pub struct Thing(pub i32);", "pub struct Thing(pub f64);");
    let error = apply(&mut module(&not_integer), &known_codes()).unwrap_err();
    assert!(
        error.contains("schema `Thing`") && error.contains("not a newtype of an integer"),
        "{error}"
    );
    let not_newtype = CODE.replace(
        "pub struct Thing(pub i32);",
        "pub struct Thing { pub code: i32 }",
    );
    let error = apply(&mut module(&not_newtype), &known_codes()).unwrap_err();
    assert!(error.contains("not a newtype of an integer"), "{error}");
    let error = apply(&mut module(""), &known_codes()).unwrap_err();
    assert!(error.contains("no newtype `Thing`"), "{error}");
    let start = CODE.find("impl ::std::fmt::Display").unwrap();
    let error = apply(&mut module(&CODE[..start]), &known_codes()).unwrap_err();
    assert!(
        error.contains("schema `Thing`") && error.contains("no `Display`"),
        "{error}"
    );
}

/// A method shaped like the generator's: the `api-version` header it adds to every request.
const METHOD: &str = r#"
    impl Client {
        pub async fn get_thing<'a>(&'a self) -> Result<(), ()> {
            let url = format!("{}/things", self.baseurl,);
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(Self::api_version()),
                );
            #[allow(unused_mut)]
            let mut request = self.client.get(url).headers(header_map).build()?;
            Ok(())
        }
    }
"#;

#[test]
fn requests_carry_no_api_version_header() {
    let mut file: syn::File = syn::parse_str(METHOD).unwrap();
    passes::headers::no_api_version_header(&mut file).unwrap();
    let code = code(&file);
    assert!(
        !code.contains("api-version") && !code.contains("header_map"),
        "{code}"
    );
    assert!(code.contains("self.client.get(url).build()?"), "{code}");

    // A method without the header means the generator changed: revisit the pass.
    let error = passes::headers::no_api_version_header(&mut file).unwrap_err();
    assert!(error.contains("method `get_thing`"), "{error}");
}

/// Methods shaped like the generator's: a doc comment giving the path, a path parameter
/// encoded into the URL, and answers read with `ResponseValue::from_response`.
const OPERATIONS: &str = r#"
    impl Client {
        /// Reads a thing.
        ///
        /// Sends a `GET` request to `/things/{thingId}`
        pub async fn get_thing<'a>(&'a self, thing_id: &'a types::ThingId) -> Result<ResponseValue<types::Thing>, Error<()>> {
            let url = format!("{}/things/{}", self.baseurl, encode_path(&thing_id.to_string()),);
            let response = self.exec(url).await?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                404u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
        /// Sends a `GET` request to `/things`
        pub async fn list_things<'a>(&'a self) -> Result<ResponseValue<types::Things>, Error<()>> {
            let url = format!("{}/things", self.baseurl,);
            let response = self.exec(url).await?;
            ResponseValue::from_response(response).await
        }
    }
"#;

#[test]
fn every_call_moves_its_answer_and_checks_and_encodes_its_path_in_place() {
    let mut file: syn::File = syn::parse_str(OPERATIONS).unwrap();
    passes::per_call::path_segments_encoded_in_place(&mut file).unwrap();
    passes::per_call::response_headers_moved(&mut file).unwrap();
    let code = code(&file);
    assert!(
        !code.contains("encode_path") && !code.contains("ResponseValue::from_response"),
        "{code}"
    );
    // Checked, named as the spec names it, and returned from before the request is built.
    assert!(
        code.contains(r#"::path_segment::PathSegment::checked("thingId", thing_id) ?,"#),
        "{code}"
    );
    // A URL without path parameters is left as it is.
    assert!(
        code.contains(r#"let url = format!("{}/things", self.baseurl,);"#),
        "{code}"
    );
    assert_eq!(
        code.matches("crate::response::from_response(response)")
            .count(),
        3,
        "{code}"
    );
}

#[test]
fn a_call_shaped_otherwise_is_an_error_naming_its_method() {
    let fails = |shape: String| {
        let mut file: syn::File = syn::parse_str(&shape).unwrap();
        passes::per_call::path_segments_encoded_in_place(&mut file)
            .and_then(|()| passes::per_call::response_headers_moved(&mut file))
            .unwrap_err()
    };
    // A path parameter encoded another way.
    let error = fails(OPERATIONS.replace(
        "encode_path(&thing_id.to_string())",
        "encode_path(thing_id.as_str())",
    ));
    assert!(
        error.contains("method `get_thing`") && error.contains("thing_id . as_str ()"),
        "{error}"
    );
    // A path parameter the doc comment's path does not name.
    let error = fails(OPERATIONS.replace("/things/{thingId}`", "/things`"));
    assert!(
        error.contains("method `get_thing`")
            && error.contains("names 0 path parameters, its URL has 1"),
        "{error}"
    );
    // No path in the doc comment.
    let error = fails(OPERATIONS.replace("Sends a `GET` request to `/things/{thingId}`", ""));
    assert!(
        error.contains("method `get_thing`") && error.contains("gives no path"),
        "{error}"
    );
    // A URL built another way.
    let error = fails(OPERATIONS.replace("let url = format!", "let url = concat!"));
    assert!(
        error.contains("method `get_thing`") && error.contains("0 URLs"),
        "{error}"
    );
    // An answer of a generated type read another way.
    let error = fails(OPERATIONS.replace(
        "ResponseValue::from_response(response).await\n",
        "ResponseValue::read(response).await\n",
    ));
    assert!(
        error.contains("method `list_things`") && error.contains("from_response"),
        "{error}"
    );
}
