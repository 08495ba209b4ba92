//! `crates/trustly-customers-cli/src/generated.rs`: one command per operation of the spec.

use heck::{ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use trustly_customers_spec::facts::{self, Location};

use generated_code::docs::first_line;
use generated_code::fields::{Holder, holder};
use generated_code::methods::{Method, methods};
use generated_code::module::{type_name, type_names};
use generated_code::paths::{dereferenced, qualify, types_name};

/// The module's code: `commands()`, the clap command of every operation; `run`, which sends
/// the operation a parsed command names through the ergonomic client; and a module per
/// operation holding the spec's names it is run by (its command, body schema and parameters),
/// which the commands written by hand on top of an operation use too.
///
/// A command is named by the operation's `x-cli-name`, else its operationId in kebab-case.
/// Path parameters are positional arguments, query parameters `--kebab-case` options, a JSON
/// body comes from `--file PATH` or `-` (stdin). A success body that the client unwraps to a
/// record prints as that record; one it unwraps to a list prints inside its envelope, as the
/// API sent it.
pub fn emit(api: &syn::File, doc: &Value) -> Result<syn::File, String> {
    let names = type_names(api);
    let methods = methods(api, doc)?;
    let mut commands = Vec::new();
    let mut arms = Vec::new();
    let mut spec_names = Vec::new();
    for m in &methods {
        let (command, arm, names) = command(api, doc, m, &names)?;
        commands.push(command);
        arms.push(arm);
        spec_names.push(names);
    }
    let file = quote! {
        use clap::{Arg, ArgMatches, Command};
        use trustly_customers::{Client, types};

        use crate::body::{read_body, with_body};
        use crate::exit::Failure;
        use crate::output::{in_envelope, to_json};
        use crate::params::{non_empty, required};

        #(#spec_names)*

        /// One command per operation of the spec.
        pub(crate) fn commands() -> Vec<Command> {
            Vec::from([#(#commands),*])
        }

        /// Runs the operation the command `name` stands for, returning what to print.
        pub(crate) async fn run(
            client: &Client,
            name: &str,
            args: &ArgMatches,
        ) -> Result<serde_json::Value, Failure> {
            match name {
                #(#arms)*
                other => Err(Failure::usage(format!("unknown command {other:?}"))),
            }
        }
    };
    syn::parse2(file).map_err(|e| format!("the command-line module does not parse: {e}"))
}

fn command(
    api: &syn::File,
    doc: &Value,
    m: &Method<'_>,
    names: &std::collections::BTreeSet<String>,
) -> Result<(TokenStream, TokenStream, TokenStream), String> {
    let op = &m.op;
    let module = &m.name;
    let cli_name = op.cli_name();
    let mut spec_names = SpecNames::new(op.id, &cli_name);
    let about = op.summary().unwrap_or(op.id).to_owned();
    let long_about = format!(
        "{}{}\n\nSends `{} {}` (operation `{}`).",
        about,
        op.description()
            .map(|d| format!("\n\n{}", d.trim_end()))
            .unwrap_or_default(),
        op.method.to_uppercase(),
        op.path,
        op.id
    );
    let mut args = Vec::new();
    let mut with_body = false;
    let mut reads = Vec::new();
    let mut call_args = Vec::new();
    for (ident, ty) in &m.params {
        if ident == "body" {
            let component = op.body_component().ok_or_else(|| {
                format!(
                    "operation `{}`: a body parameter, but no JSON body schema",
                    op.id
                )
            })?;
            let body_type = new_form_or_api(doc, component);
            with_body = true;
            let body = spec_names.add("BODY", " The schema of the request body.", component)?;
            let mut path = Vec::new();
            for p in op
                .parameters
                .iter()
                .filter(|p| p.location == Location::Path)
            {
                let name = spec_names.parameter(p.name)?;
                let ident = format_ident!("{}", p.name.to_snake_case());
                path.push(quote!((#module::#name, #ident.as_ref())));
            }
            reads.push(
                quote!(let body: #body_type = read_body(args, #module::#body, &[#(#path),*])?;),
            );
            call_args.push(quote!(&body));
            continue;
        }
        let Some(param) = op
            .parameters
            .iter()
            .find(|p| *ident == p.name.to_snake_case())
        else {
            return Err(format!(
                "operation `{}`: the generated parameter `{ident}` matches no parameter of the spec",
                op.id
            ));
        };
        let id = param.name;
        let id_name = spec_names.parameter(id)?;
        let help = first_line(param.description);
        let inner = match holder(ty) {
            Holder::Option(t) => t,
            _ => ty.clone(),
        };
        let inner = dereferenced(&inner);
        let value_type = qualify(&inner, names);
        let schema = facts::resolve(doc, param.schema);
        let parser = if schema.get("type").and_then(Value::as_str) == Some("string") {
            quote!(non_empty::<#value_type>())
        } else {
            quote!(clap::value_parser!(#value_type))
        };
        let value_name = param.name.to_shouty_snake_case();
        match param.location {
            Location::Path => {
                args.push(quote!(.arg(
                    Arg::new(#id).value_name(#value_name).required(true).help(#help).value_parser(#parser)
                )));
                reads.push(quote!(let #ident: &#value_type = required(args, #module::#id_name)?;));
                call_args.push(quote!(#ident));
            }
            Location::Query | Location::Header => {
                let long = facts::kebab_case(param.name);
                let required_flag = param.required;
                args.push(quote!(.arg(
                    Arg::new(#id).long(#long).value_name(#value_name).required(#required_flag).help(#help).value_parser(#parser)
                )));
                if matches!(holder(ty), Holder::Option(_)) {
                    reads.push(
                        quote!(let #ident: Option<&#value_type> = args.get_one(#module::#id_name);),
                    );
                } else {
                    reads.push(
                        quote!(let #ident: &#value_type = required(args, #module::#id_name)?;),
                    );
                }
                call_args.push(quote!(#ident));
            }
            Location::Body => unreachable!("parameters are never in the body"),
        }
    }
    let method = &m.name;
    let print = print_expression(doc, &m.success)?;
    let mut command = quote! {
        Command::new(#cli_name)
            .about(#about)
            .long_about(#long_about)
            #(#args)*
    };
    if with_body {
        command = quote!(with_body(#command));
    }
    let arm = quote! {
        #module::COMMAND => {
            #(#reads)*
            let value = client.#method(#(#call_args),*).await?;
            #print
        }
    };
    let _ = api;
    Ok((command, arm, spec_names.module(module)))
}

/// The spec's names an operation's command is run by, as constants of a module named after
/// the operation's method: hand-written commands built on an operation (`update`) take them
/// from there, so no name of the spec is written by hand in the command line.
struct SpecNames {
    /// The operationId.
    operation: String,
    items: Vec<TokenStream>,
    /// Each constant's value.
    values: std::collections::BTreeMap<String, String>,
}

impl SpecNames {
    /// The names of operation `id`, starting with its `COMMAND`.
    fn new(id: &str, command: &str) -> SpecNames {
        SpecNames {
            operation: id.to_owned(),
            items: Vec::from([quote! {
                /// The command.
                pub(crate) const COMMAND: &str = #command;
            }]),
            values: std::collections::BTreeMap::from([("COMMAND".to_owned(), command.to_owned())]),
        }
    }

    /// The constant of a parameter: `customerId` is `CUSTOMER_ID`.
    fn parameter(&mut self, name: &str) -> Result<syn::Ident, String> {
        self.add(
            &name.to_shouty_snake_case(),
            &format!(" The parameter `{name}`."),
            name,
        )
    }

    /// The constant `constant` holding `value`, added on first use. Two values for one
    /// constant (parameters spelt alike, or one named `body`) are an error, not a clash in the
    /// generated code.
    fn add(&mut self, constant: &str, doc: &str, value: &str) -> Result<syn::Ident, String> {
        let ident = format_ident!("{constant}");
        match self.values.get(constant) {
            Some(held) if held == value => return Ok(ident),
            Some(held) => {
                return Err(format!(
                    "operation `{}`: `{held}` and `{value}` would both be the command line's \
                     constant `{constant}`",
                    self.operation
                ));
            }
            None => {}
        }
        self.values.insert(constant.to_owned(), value.to_owned());
        self.items
            .push(quote!(#[doc = #doc] pub(crate) const #ident: &str = #value;));
        Ok(ident)
    }

    /// The module, named `ident`.
    fn module(self, ident: &syn::Ident) -> TokenStream {
        let doc = format!(
            " The spec's names of operation `{}`, which its command is run by.",
            self.operation
        );
        let items = self.items;
        quote! {
            #[doc = #doc]
            pub(crate) mod #ident {
                #(#items)*
            }
        }
    }
}

/// The request type the client's method takes for a body schema.
fn new_form_or_api(doc: &Value, component: &str) -> TokenStream {
    let name = type_name(component);
    let has_required =
        facts::component(doc, component).is_some_and(|s| !facts::required(doc, s).is_empty());
    if has_required {
        let ident = format_ident!("New{name}");
        quote!(trustly_customers::#ident)
    } else {
        let ident = format_ident!("{name}");
        quote!(types::#ident)
    }
}

/// What to print: a record as itself, a list inside the envelope it came in.
fn print_expression(doc: &Value, success: &syn::Type) -> Result<TokenStream, String> {
    let Some(type_name) = types_name(success) else {
        return Ok(quote!(to_json(&value)));
    };
    let Some(schema) = facts::component(doc, &type_name) else {
        return Ok(quote!(to_json(&value)));
    };
    let props = facts::properties(doc, schema);
    Ok(match props.as_slice() {
        [only] if only.required => {
            let is_array = facts::resolve(doc, only.schema)
                .get("type")
                .and_then(Value::as_str)
                == Some("array");
            if is_array {
                let key = only.name;
                quote!(Ok(in_envelope(#key, to_json(&value)?)))
            } else {
                quote!(to_json(&value))
            }
        }
        _ => quote!(to_json(&value)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_used_twice_is_one_constant() {
        let mut names = SpecNames::new("replaceCustomer", "replace");
        let first = names.parameter("customerId").unwrap();
        let again = names.parameter("customerId").unwrap();
        assert_eq!(
            (first.to_string(), again.to_string()),
            ("CUSTOMER_ID".into(), "CUSTOMER_ID".into())
        );
        let module = names.module(&format_ident!("replace_customer")).to_string();
        assert_eq!(module.matches("const CUSTOMER_ID").count(), 1, "{module}");
        assert!(
            module.contains(r#"const COMMAND : & str = "replace""#),
            "{module}"
        );
    }

    #[test]
    fn two_names_for_one_constant_are_an_error_not_a_clash_in_the_code() {
        let mut names = SpecNames::new("replaceCustomer", "replace");
        names.add("BODY", " The body.", "Customer").unwrap();
        let error = names.parameter("body").unwrap_err();
        assert!(error.contains("`Customer` and `body`"), "{error}");
        assert!(error.contains("replaceCustomer"), "{error}");
        let mut names = SpecNames::new("listCustomers", "list");
        names.parameter("customerId").unwrap();
        assert!(names.parameter("customer_id").is_err());
    }
}
