//! The files the xtask writes beside the generated client, from the same spec and the parsed
//! generated code: the ergonomic client's operations and request types
//! (`crates/trustly-customers/src/generated.rs`), the command line's commands
//! (`crates/trustly-customers-cli/src/generated.rs`), and the emulator's names of the API's
//! properties and parameters (`crates/trustly-customers-mock/src/generated.rs`).
//!
//! They read the generated module (through `generated_code`, the one reader of it) rather than
//! re-deriving its names: a method, field or type is used exactly as the generator named it.
//! (The emulator's names are the spec's own, read from the spec alone.)

pub mod cli;
pub mod client;
pub mod mock;

use trustly_customers_spec::facts::Operation;

/// Doc text for an operation: summary, description, and the request it sends.
pub fn operation_doc(op: &Operation<'_>) -> String {
    let mut text = String::new();
    if let Some(summary) = op.summary() {
        text.push_str(summary);
        text.push_str("\n\n");
    }
    if let Some(description) = op.description() {
        text.push_str(description.trim_end());
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "Sends `{} {}` (operation `{}`).",
        op.method.to_uppercase(),
        op.path,
        op.id
    ));
    text
}
