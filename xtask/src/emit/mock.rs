//! `crates/trustly-customers-mock/src/generated.rs`: the spec's names, for the emulator.
//!
//! The emulator's rules name properties, parameters and operations of the API (a customer's
//! `customerId`, the `externalId` query parameter, the properties of an error, the
//! `operationId` a handler answers) and the values it answers with (Trustly's error codes,
//! `x-known-values`). Written by hand, each name
//! would be a second statement of a fact the spec already makes; here each is a constant whose
//! value is read from the spec, so a rename in the spec renames it everywhere the emulator
//! uses it, and a property or value the emulator relies on that leaves the spec stops the
//! build.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use trustly_customers_spec::conventions::KNOWN_VALUES;
use trustly_customers_spec::facts::{self, Location};

use generated_code::docs::first_line;
use generated_code::module::constant_name;

/// The module's code: `schemas`, one module per component schema with properties and one
/// constant per property; `operations`, one module per operation with its `OPERATION_ID` and
/// one constant per parameter; `known_values`, one module per schema with known values and one
/// constant per value. Modules are named in snake_case, constants in SHOUTY_SNAKE_CASE;
/// two names that would collide are an error, not a silent overwrite.
pub fn emit(doc: &Value) -> Result<syn::File, String> {
    let mut schemas = Vec::new();
    let mut modules = Modules::of("schema", "names");
    let components = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    for (schema_name, schema) in components {
        let props = facts::properties(doc, schema);
        if props.is_empty() {
            continue;
        }
        let module = modules.claim(schema_name)?;
        let consts = constants(
            props.iter().map(|p| {
                let doc = match p.description() {
                    Some(d) => first_line(Some(d)),
                    None => format!("`{}` of `{schema_name}`.", p.name),
                };
                (p.name, doc)
            }),
            &format!("schema `{schema_name}`"),
        )?;
        let module_doc = format!(" The property names of `{schema_name}`.");
        schemas.push(quote! {
            #[doc = #module_doc]
            pub(crate) mod #module {
                #(#consts)*
            }
        });
    }

    let mut operations = Vec::new();
    let mut modules = Modules::of("operation", "names");
    for op in facts::operations(doc) {
        let module = modules.claim(op.id)?;
        let consts = constants(
            op.parameters.iter().map(|p| {
                let doc = match p.description {
                    Some(d) => first_line(Some(d)),
                    None => format!("`{}`, in the {}.", p.name, location(p.location)),
                };
                (p.name, doc)
            }),
            &format!("operation `{}`", op.id),
        )?;
        // The operation's own id beside its parameters' names: the emulator dispatches on it.
        if let Some(p) = op
            .parameters
            .iter()
            .find(|p| p.name.to_shouty_snake_case() == "OPERATION_ID")
        {
            return Err(format!(
                "operation `{}`: parameter `{}` would be the constant `OPERATION_ID`, which \
                 holds the operation's id",
                op.id, p.name
            ));
        }
        let id = op.id;
        let module_doc = format!(
            " The operation `{}` (`{} {}`): its id and its parameters' names.",
            op.id,
            op.method.to_uppercase(),
            op.path
        );
        operations.push(quote! {
            #[doc = #module_doc]
            pub(crate) mod #module {
                /// The operation's `operationId` in the spec.
                pub(crate) const OPERATION_ID: &str = #id;
                #(#consts)*
            }
        });
    }

    let known_values = known_values(doc)?;
    let known_values_doc = format!(
        " The values the spec names (`{}`), one module per schema: the emulator answers with \
         these, and with no value the spec does not name.",
        KNOWN_VALUES.name
    );

    let file = quote! {
        /// The property names of each component schema of the spec, one module per schema.
        #[allow(
            dead_code,
            reason = "every property of every schema is emitted; the emulator uses those its rules name"
        )]
        pub(crate) mod schemas {
            #(#schemas)*
        }

        /// Each operation of the spec, one module per operation: its `operationId` and its
        /// parameters' names (path, query and header).
        #[allow(
            dead_code,
            reason = "every parameter of every operation is emitted; the emulator uses those its rules name"
        )]
        pub(crate) mod operations {
            #(#operations)*
        }

        #[doc = #known_values_doc]
        #[allow(
            dead_code,
            reason = "every known value is emitted; the emulator uses those its rules answer with"
        )]
        pub(crate) mod known_values {
            #(#known_values)*
        }
    };
    syn::parse2(file).map_err(|e| format!("the emulator's names module does not parse: {e}"))
}

/// A module per component schema with known values: `pub(crate) const NAME: i64 = value;` for
/// each, with its description.
fn known_values(doc: &Value) -> Result<Vec<TokenStream>, String> {
    let mut out = Vec::new();
    let mut modules = Modules::of("schema", "known values");
    for (schema_name, _, values) in facts::schemas_with_known_values(doc) {
        let module = modules.claim(schema_name)?;
        let mut consts = Vec::new();
        for known in values {
            let constant = ident(
                &constant_name(known.name),
                &format!("schema `{schema_name}`, `{}`", known.name),
            )?;
            // The emulator's JSON numbers are `i64`.
            let Some(value) = known.value.as_i64() else {
                return Err(format!(
                    "schema `{schema_name}`: the known value `{}` ({}) is not an i64, which the \
                     emulator answers with",
                    known.name, known.value
                ));
            };
            let value = proc_macro2::Literal::i64_unsuffixed(value);
            let doc = format!(" {}", first_line(Some(known.description)));
            consts.push(quote! {
                #[doc = #doc]
                pub(crate) const #constant: i64 = #value;
            });
        }
        let module_doc = format!(" The values `{schema_name}` names.");
        out.push(quote! {
            #[doc = #module_doc]
            pub(crate) mod #module {
                #(#consts)*
            }
        });
    }
    Ok(out)
}

/// `pub(crate) const NAME: &str = "name";` for each `(name, doc)`.
fn constants<'a>(
    names: impl Iterator<Item = (&'a str, String)>,
    owner: &str,
) -> Result<Vec<TokenStream>, String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (name, doc) in names {
        let constant = ident(&name.to_shouty_snake_case(), &format!("{owner}, `{name}`"))?;
        if !seen.insert(constant.to_string()) {
            return Err(format!(
                "{owner}: `{name}` and another name would both be the constant `{constant}`"
            ));
        }
        let doc = format!(" {doc}");
        out.push(quote! {
            #[doc = #doc]
            pub(crate) const #constant: &str = #name;
        });
    }
    Ok(out)
}

/// The modules of one group of the generated file, named after what they hold, in snake_case:
/// two names that would make the same module are an error, not a silent overwrite.
struct Modules {
    /// What each module is named after: `schema`, `operation`.
    kind: &'static str,
    /// What each module holds: `names`, `known values`.
    holds: &'static str,
    taken: BTreeSet<String>,
}

impl Modules {
    fn of(kind: &'static str, holds: &'static str) -> Self {
        Modules {
            kind,
            holds,
            taken: BTreeSet::new(),
        }
    }

    /// The module for `name` (a schema's or an operation's), unless another took it.
    fn claim(&mut self, name: &str) -> Result<syn::Ident, String> {
        let (kind, holds) = (self.kind, self.holds);
        let module = ident(&name.to_snake_case(), &format!("{kind} `{name}`"))?;
        if !self.taken.insert(module.to_string()) {
            return Err(format!(
                "{kind} `{name}`: another {kind}'s {holds} would also be module `{module}`"
            ));
        }
        Ok(module)
    }
}

/// `text` as an identifier: itself if it is one, else with `_` after a keyword (`type_`) or
/// before a leading digit (`_9LIVES`).
fn ident(text: &str, what: &str) -> Result<syn::Ident, String> {
    [text.to_owned(), format!("{text}_"), format!("_{text}")]
        .iter()
        .find_map(|candidate| syn::parse_str::<syn::Ident>(candidate).ok())
        .ok_or_else(|| format!("{what}: `{text}` cannot be made a Rust identifier"))
}

fn location(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "headers",
        Location::Body => "body",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(property: &str, parameter: &str) -> Value {
        json!({
            "paths": {"/things": {"get": {
                "operationId": "listThings",
                "parameters": [{"name": parameter, "in": "query", "schema": {"type": "string"}}]
            }}},
            "components": {"schemas": {
                "Thing": {"type": "object", "properties": {
                    property: {"type": "string", "description": "Its id.\n\nMore."},
                    "plain": {"type": "string"}
                }},
                "Id": {"type": "string"}
            }}
        })
    }

    fn emitted(doc: &Value) -> String {
        prettyplease::unparse(&emit(doc).unwrap())
    }

    #[test]
    fn each_property_and_parameter_is_a_constant_with_the_spec_value() {
        let code = emitted(&spec("thingId", "externalRef"));
        assert!(
            code.contains("pub(crate) const THING_ID: &str = \"thingId\";"),
            "{code}"
        );
        assert!(code.contains("/// Its id.\n"), "the first line: {code}");
        assert!(code.contains("/// `plain` of `Thing`."), "{code}");
        assert!(code.contains("pub(crate) mod thing {"), "{code}");
        assert!(code.contains("pub(crate) mod list_things {"), "{code}");
        assert!(
            code.contains("pub(crate) const EXTERNAL_REF: &str = \"externalRef\";"),
            "{code}"
        );
        assert!(
            !code.contains("mod id"),
            "no module for a schema without properties"
        );
    }

    #[test]
    fn each_operation_has_a_module_with_its_id_parameters_or_not() {
        let mut doc = spec("thingId", "externalRef");
        doc["paths"]["/things"]["post"] = json!({"operationId": "addThing"});
        let code = emitted(&doc);
        for (module, id) in [("list_things", "listThings"), ("add_thing", "addThing")] {
            let start = code
                .find(&format!("pub(crate) mod {module} {{"))
                .expect(module);
            let end = start + code[start..].find('}').unwrap();
            assert!(
                code[start..end]
                    .contains(&format!("pub(crate) const OPERATION_ID: &str = \"{id}\";")),
                "{module}: {code}"
            );
        }
        doc["paths"]["/things"]["get"]["parameters"][0]["name"] = json!("operation_id");
        let e = emit(&doc).err().unwrap();
        assert!(e.contains("parameter `operation_id`"), "{e}");
    }

    #[test]
    fn a_rename_in_the_spec_renames_the_constant_and_its_value() {
        let code = emitted(&spec("thingKey", "externalKey"));
        assert!(
            code.contains("pub(crate) const THING_KEY: &str = \"thingKey\";"),
            "{code}"
        );
        assert!(
            code.contains("pub(crate) const EXTERNAL_KEY: &str = \"externalKey\";"),
            "{code}"
        );
        assert!(
            !code.contains("thingId") && !code.contains("THING_ID"),
            "{code}"
        );
    }

    #[test]
    fn names_that_collide_or_are_not_identifiers_are_errors() {
        let collide = spec("plain", "q");
        let mut collide = collide;
        collide["components"]["schemas"]["Thing"]["properties"]["Plain"] =
            json!({"type": "string"});
        let e = emit(&collide).err().unwrap();
        assert!(e.contains("the constant `PLAIN`"), "{e}");
        let e = emit(&spec("_", "q")).err().unwrap();
        assert!(e.contains("cannot be made a Rust identifier"), "{e}");
    }

    #[test]
    fn schemas_or_operations_that_would_share_a_module_are_errors() {
        let mut schemas = spec("id", "q");
        schemas["components"]["schemas"]["thing"] =
            json!({"type": "object", "properties": {"id": {"type": "string"}}});
        let e = emit(&schemas).err().unwrap();
        assert_eq!(
            e,
            "schema `thing`: another schema's names would also be module `thing`"
        );
        let mut operations = spec("id", "q");
        operations["paths"]["/other"] = json!({"get": {"operationId": "list_things"}});
        let e = emit(&operations).err().unwrap();
        assert_eq!(
            e,
            "operation `list_things`: another operation's names would also be module \
             `list_things`"
        );
    }

    #[test]
    fn each_known_value_is_a_constant_with_its_value() {
        let mut doc = spec("thingId", "q");
        doc["components"]["schemas"]["Code"] = json!({
            "type": "integer",
            "x-known-values": [
                {"value": 375, "name": "AccessControl", "description": "Refused.\n\nMore."},
                {"value": -1, "name": "Below", "description": "Below zero."}
            ]
        });
        let code = emitted(&doc);
        assert!(code.contains("pub(crate) mod code {"), "{code}");
        assert!(
            code.contains("/// Refused.\n        pub(crate) const ACCESS_CONTROL: i64 = 375;"),
            "{code}"
        );
        assert!(code.contains("pub(crate) const BELOW: i64 = -1;"), "{code}");
        doc["components"]["schemas"]["Code"]["x-known-values"][0]["value"] = json!(1.5);
        let e = emit(&doc).err().unwrap();
        assert!(e.contains("`AccessControl` (1.5) is not an i64"), "{e}");
    }

    #[test]
    fn keywords_and_leading_digits_still_make_identifiers() {
        let mut doc = spec("9lives", "q");
        doc["components"]["schemas"]["Type"] = json!({"properties": {"a": {"type": "string"}}});
        let code = emitted(&doc);
        assert!(
            code.contains("pub(crate) const _9LIVES: &str = \"9lives\";"),
            "{code}"
        );
        assert!(code.contains("pub(crate) mod type_ {"), "{code}");
    }
}
