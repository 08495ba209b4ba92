//! An answer's envelope (`{"customer": …}`) holds its record in a `Box`.
//!
//! A success answer of one record comes wrapped in an object whose only property is that
//! record. The generator makes the record a plain field, so the envelope is as large as the
//! record (a `Customer` is some 650 bytes), and an answer is moved by value out of every layer
//! of futures it passes through on its way to the caller: the body's decoding, the generated
//! operation, the client's attempts and its operation method. Each move copies it into memory
//! the call had not touched, which costs more in cache misses than in instructions
//! (`crates/trustly-customers/benches/README.md`). Boxed, the record is written once, where it
//! is decoded, and every layer moves a pointer.

use std::collections::BTreeSet;

use generated_code::fields::carrying_mut;
use generated_code::module::{schema_struct_mut, type_name};
use serde_json::Value;
use syn::{Item, Type, parse_quote};
use trustly_customers_spec::facts;

/// Boxes the record of every envelope: the component schema of a 2xx answer whose only
/// property is required and refers to a component object schema. Fails, naming the schema and
/// property, when the generator no longer gives that property the record's own type.
pub fn boxed_records(items: &mut [Item], doc: &Value) -> Result<(), String> {
    let mut envelopes = BTreeSet::new();
    for op in facts::operations(doc) {
        let Some(envelope) = op.success_component() else {
            continue;
        };
        let Some(schema) = facts::component(doc, envelope) else {
            continue;
        };
        let properties = facts::properties(doc, schema);
        let [only] = properties.as_slice() else {
            continue;
        };
        let Some(record) = facts::component_ref(only.schema) else {
            continue;
        };
        let is_object = facts::component(doc, record)
            .is_some_and(|s| s.get("properties").is_some_and(Value::is_object));
        if only.required && is_object {
            envelopes.insert((envelope, only.name, record));
        }
    }
    for (envelope, property, record) in envelopes {
        let item = schema_struct_mut(items, envelope)?;
        let field = carrying_mut(item, envelope, property)?;
        let expected = type_name(record);
        let plain = matches!(&field.ty, Type::Path(p)
            if p.qself.is_none()
                && p.path.segments.len() == 1
                && p.path.segments[0].ident == expected
                && p.path.segments[0].arguments.is_empty());
        if !plain {
            return Err(format!(
                "schema `{envelope}`, property `{property}`: expected the generator to give it \
                 the type `{expected}`, to box"
            ));
        }
        let ty = field.ty.clone();
        field.ty = parse_quote!(::std::boxed::Box<#ty>);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        serde_json::json!({
            "paths": {
                "/customers/{id}": {
                    "get": {
                        "operationId": "getCustomer",
                        "responses": {"200": {"content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/CustomerResponse"}}}}}
                    }
                },
                "/customers": {
                    "get": {
                        "operationId": "listCustomers",
                        "responses": {"200": {"content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/CustomerList"}}}}}
                    }
                }
            },
            "components": {"schemas": {
                "CustomerResponse": {
                    "type": "object",
                    "required": ["customer"],
                    "properties": {"customer": {"$ref": "#/components/schemas/Customer"}}
                },
                "CustomerList": {
                    "type": "object",
                    "required": ["customers"],
                    "properties": {"customers": {"type": "array",
                        "items": {"$ref": "#/components/schemas/Customer"}}}
                },
                "Customer": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}}
                }
            }}
        })
    }

    fn items() -> Vec<Item> {
        vec![
            parse_quote!(
                pub struct CustomerResponse {
                    pub customer: Customer,
                }
            ),
            parse_quote!(
                pub struct CustomerList {
                    pub customers: ::std::vec::Vec<Customer>,
                }
            ),
            parse_quote!(
                pub struct Customer {
                    pub name: ::std::string::String,
                }
            ),
        ]
    }

    fn field_type(items: &[Item], name: &str) -> String {
        let Some(Item::Struct(s)) = items
            .iter()
            .find(|i| matches!(i, Item::Struct(s) if s.ident == name))
        else {
            panic!("no struct {name}");
        };
        let ty = &s.fields.iter().next().unwrap().ty;
        quote::quote!(#ty).to_string()
    }

    #[test]
    fn an_envelope_of_one_record_holds_it_boxed_and_a_list_is_left_alone() {
        let mut items = items();
        boxed_records(&mut items, &doc()).unwrap();
        assert_eq!(
            field_type(&items, "CustomerResponse"),
            ":: std :: boxed :: Box < Customer >"
        );
        assert_eq!(
            field_type(&items, "CustomerList"),
            ":: std :: vec :: Vec < Customer >"
        );
        assert_eq!(field_type(&items, "Customer"), ":: std :: string :: String");
    }

    #[test]
    fn an_optional_record_is_not_an_envelope() {
        let mut doc = doc();
        doc["components"]["schemas"]["CustomerResponse"]["required"] = serde_json::json!([]);
        let mut items = items();
        boxed_records(&mut items, &doc).unwrap();
        assert_eq!(field_type(&items, "CustomerResponse"), "Customer");
    }

    #[test]
    fn a_field_the_generator_typed_otherwise_fails_naming_it() {
        let mut items = items();
        items[0] = parse_quote!(
            pub struct CustomerResponse {
                pub customer: ::std::option::Option<Customer>,
            }
        );
        let error = boxed_records(&mut items, &doc()).unwrap_err();
        assert!(
            error.contains("schema `CustomerResponse`, property `customer`"),
            "{error}"
        );
    }

    #[test]
    fn an_envelope_shared_by_several_operations_is_boxed_once() {
        let mut doc = doc();
        doc["paths"]["/customers"]["post"] = doc["paths"]["/customers/{id}"]["get"].clone();
        doc["paths"]["/customers"]["post"]["operationId"] = "createCustomer".into();
        let mut items = items();
        boxed_records(&mut items, &doc).unwrap();
        assert_eq!(
            field_type(&items, "CustomerResponse"),
            ":: std :: boxed :: Box < Customer >"
        );
    }
}
