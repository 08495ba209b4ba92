//! The one reader of the Rust that `cargo xtask codegen` generates: progenitor's module (the
//! generated crate's `generated.rs`) and the files written beside it.
//!
//! Everything that looks into that code with `syn` goes through here: the passes (which then
//! change what they found), the emitters, the public-surface listing of the snapshot test, and
//! the Rust half of the spec diff. So a change in the generator's output shape is met in one
//! place.
//!
//! | module | reads |
//! |---|---|
//! | [`module`] | `mod types`, its type names, the struct a component schema became, the names given to schemas and their known values |
//! | [`impls`] | the traits a type implements by hand |
//! | [`fields`] | a field's JSON name (`#[serde(rename)]`), how it holds its value (`Option`, `Nullable`, `Box`) |
//! | [`attrs`] | derives, serde words, `#[non_exhaustive]`, doc comments |
//! | [`docs`] | the text of doc comments and help, from the spec's descriptions |
//! | [`paths`] | paths and types: the last segment, `types::X`, a type made to mean the same from another crate |
//! | [`methods`] | the client's operation methods, paired with the spec's operations |
//! | [`api`] | every public entry of a file, with its signature, for the semver comparison |
//! | [`cli`] | the command line's commands, options and positionals |
//! | [`surface`] | the readable listing of the generated crate's public surface |

pub mod api;
pub mod attrs;
pub mod cli;
pub mod docs;
pub mod fields;
pub mod impls;
pub mod methods;
pub mod module;
pub mod paths;
pub mod surface;

/// Parses a generated file, naming `what` it is in the error.
pub fn parse(code: &str, what: &str) -> Result<syn::File, String> {
    syn::parse_file(code).map_err(|e| format!("{what} does not parse: {e}"))
}
