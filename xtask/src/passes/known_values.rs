//! `x-known-values`: the values a schema names become constants of its type, and the type stays
//! open to every other value.

use quote::quote;
use serde_json::Value;
use syn::{Item, Type};

use generated_code::attrs::add_derives;
use generated_code::docs::one_line;
use generated_code::impls::implemented_traits;
use generated_code::module::{
    constant_name, find_struct_mut, newtype_inner, struct_position, type_name,
};
use generated_code::paths::last_ident;
use trustly_customers_spec::facts;

/// The integer types a newtype of an integer schema may wrap.
const INTEGERS: [&str; 12] = [
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
];

/// Every integer component schema with known values is a newtype (`ErrorCode(pub i32)`); this
/// gives it one associated constant per known value (`ErrorCode::ACCESS_CONTROL`, documented
/// with the value's description), `name()` and `description()` of a value (`None` for a value
/// the spec does not name), and the derives that let the constants stand as patterns in a
/// `match` (`PartialEq`, `Eq`), plus `Copy` and `Hash`.
///
/// Nothing else changes: the type still holds any integer of its kind (a code Trustly adds
/// decodes as itself, where an `enum` would fail to decode), and prints as the number
/// (the generator's `Display`, which this pass requires).
pub fn named_constants(items: &mut Vec<Item>, doc: &Value) -> Result<(), String> {
    for (schema_name, _, values) in facts::schemas_with_known_values(doc) {
        let name = type_name(schema_name);
        let implemented = implemented_traits(items, &name);
        let Some(item) = find_struct_mut(items, &name) else {
            return Err(format!(
                "schema `{schema_name}` has known values, but the generator emitted no \
                 newtype `{name}`"
            ));
        };
        let inner = newtype_inner(item).and_then(|ty| match ty {
            Type::Path(p) => Some(last_ident(&p.path)),
            _ => None,
        });
        if !inner.as_deref().is_some_and(|ty| INTEGERS.contains(&ty)) {
            return Err(format!(
                "schema `{schema_name}` has known values, but `{name}` is not a newtype of an \
                 integer; passes::known_values expects `struct {name}(pub i32)` or the like"
            ));
        }
        if !implemented.contains("Display") {
            return Err(format!(
                "schema `{schema_name}`: the generator gave `{name}` no `Display`; \
                 passes::known_values expects the generator's, which prints the number"
            ));
        }
        add_derives(&mut item.attrs, &["Copy", "PartialEq", "Eq", "Hash"]);
        let ident = item.ident.clone();

        let mut constants = Vec::new();
        let mut names = Vec::new();
        let mut descriptions = Vec::new();
        for known in &values {
            let constant = syn::parse_str::<syn::Ident>(&constant_name(known.name))
                .map_err(|e| format!("schema `{schema_name}`, `{}`: {e}", known.name))?;
            let literal = match known.value {
                Value::Number(n) if n.is_i64() || n.is_u64() => {
                    syn::parse_str::<syn::Expr>(&n.to_string()).map_err(|e| e.to_string())?
                }
                other => {
                    return Err(format!(
                        "schema `{schema_name}`: the known value `{}` is {other}, not an integer",
                        known.name
                    ));
                }
            };
            let description = one_line(known.description);
            let doc = format!(" {description}");
            constants.push(quote! {
                #[doc = #doc]
                pub const #constant: Self = Self(#literal);
            });
            let value_name = known.name;
            names.push(quote! { Self::#constant => ::std::option::Option::Some(#value_name), });
            descriptions
                .push(quote! { Self::#constant => ::std::option::Option::Some(#description), });
        }
        let name_doc = format!(
            " The name the spec gives a known value, such as `\"{}\"` for [`Self::{}`], or \
             `None` for a value it does not name.",
            values[0].name,
            constant_name(values[0].name)
        );
        // Right after the struct, before the generator's impls.
        let at = struct_position(items, &name).map_or(items.len(), |i| i + 1);
        items.insert(
            at,
            syn::parse_quote! {
                impl #ident {
                    #(#constants)*

                    #[doc = #name_doc]
                    pub fn name(&self) -> ::std::option::Option<&'static str> {
                        match *self {
                            #(#names)*
                            _ => ::std::option::Option::None,
                        }
                    }

                    /// What a known value means, as the spec describes it, or `None` for a value
                    /// it does not name.
                    pub fn description(&self) -> ::std::option::Option<&'static str> {
                        match *self {
                            #(#descriptions)*
                            _ => ::std::option::Option::None,
                        }
                    }
                }
            },
        );
    }
    Ok(())
}
