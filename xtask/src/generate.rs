//! Spec in, formatted Rust out: the generator's settings, the panic guard around it, formatting
//! and the header of the generated file.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use generated_code::module::type_count;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use sha2::{Digest, Sha256};

use crate::{deviations, emit, passes};

/// The generator version whose output is checked in. Cargo.toml pins it exactly; a test compares
/// the two against Cargo.lock, so a bump cannot leave this stale.
pub const PROGENITOR_VERSION: &str = "0.15.1";
/// The formatter version, pinned and tested the same way.
pub const PRETTYPLEASE_VERSION: &str = "0.3.0";

/// Why generation failed.
#[derive(Debug)]
pub enum GenerateError {
    /// The generator returned an error.
    Rejected(String),
    /// The generator panicked; the message and where.
    Panicked(String),
    /// The generator's output did not parse as Rust (a generator bug).
    Unparsable(String),
    /// A pass or an emitter found the generated code not shaped as it expects.
    Pass(String),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenerateError::Rejected(m) => write!(f, "the generator rejected the spec: {m}"),
            GenerateError::Panicked(m) => write!(f, "the generator crashed on the spec: {m}"),
            GenerateError::Unparsable(m) => write!(f, "the generator produced invalid Rust: {m}"),
            GenerateError::Pass(m) => write!(f, "cannot carry the spec into the code: {m}"),
        }
    }
}

/// Generated code, before the header.
#[derive(Debug)]
pub struct Output {
    /// The formatted module.
    pub code: String,
    /// Number of public types in `types`.
    pub types: usize,
}

/// Every generated file: the generated client crate's module, the ergonomic client's, the
/// command line's and the emulator's.
#[derive(Debug)]
pub struct Files {
    /// `crates/trustly-customers-api/src/generated.rs`.
    pub api: String,
    /// `crates/trustly-customers/src/generated.rs`.
    pub client: String,
    /// `crates/trustly-customers-cli/src/generated.rs`.
    pub cli: String,
    /// `crates/trustly-customers-mock/src/generated.rs`.
    pub mock: String,
    /// Number of public types in the generated client's `types`.
    pub types: usize,
}

/// The settings every generation uses: see the crate docs of `trustly-customers-api` for why
/// the positional interface.
pub fn settings(doc: &serde_json::Value) -> GenerationSettings {
    let mut settings = base_settings();
    deviations::apply(&mut settings, doc);
    settings
}

/// The settings without the deviations; tests use it to show each deviation is still needed.
pub fn base_settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        // Credentials, user agent, timeout and a response observer, applied by the
        // hand-written `impl ClientHooks for Client` in the generated crate's hooks.rs; without
        // that impl the crate does not compile.
        .with_inner_type(quote::quote!(crate::RequestSettings))
        .with_hooks(HooksMode::Expected);
    settings
}

/// The generator's module, parsed, before any pass.
pub fn api_module(
    openapi: &openapiv3::OpenAPI,
    settings: &GenerationSettings,
) -> Result<syn::File, GenerateError> {
    let tokens = catch_panic(|| Generator::new(settings).generate_tokens(openapi))
        .map_err(GenerateError::Panicked)?
        .map_err(|e| GenerateError::Rejected(e.to_string()))?;
    syn::parse2(tokens).map_err(|e| GenerateError::Unparsable(e.to_string()))
}

/// Generates and formats the generator's module alone, with no pass (for the deviation tests).
pub fn generate(
    openapi: &openapiv3::OpenAPI,
    settings: &GenerationSettings,
) -> Result<Output, GenerateError> {
    let file = api_module(openapi, settings)?;
    Ok(Output {
        types: type_count(&file),
        code: format(&file)?,
    })
}

/// Every generated file's code (without the header), for the spec `doc`.
pub fn generate_all(
    openapi: &openapiv3::OpenAPI,
    doc: &serde_json::Value,
) -> Result<Files, GenerateError> {
    let mut api = api_module(openapi, &settings(doc))?;
    let types = type_count(&api);
    passes::apply(&mut api, doc).map_err(GenerateError::Pass)?;
    let client = emit::client::emit(&api, doc).map_err(GenerateError::Pass)?;
    let cli = emit::cli::emit(&api, doc).map_err(GenerateError::Pass)?;
    let mock = emit::mock::emit(doc).map_err(GenerateError::Pass)?;
    Ok(Files {
        api: format(&api)?,
        client: format(&client)?,
        cli: format(&cli)?,
        mock: format(&mock)?,
        types,
    })
}

/// prettyplease, then the generator's own blank lines between items.
pub fn format(file: &syn::File) -> Result<String, GenerateError> {
    catch_panic(|| progenitor_impl::space_out_items(prettyplease::unparse(file)))
        .map_err(GenerateError::Panicked)?
        .map_err(|e| GenerateError::Unparsable(e.to_string()))
}

/// The header that opens a generated file. `@generated` in the first lines also tells
/// rustfmt to leave the file as prettyplease wrote it.
pub fn header(spec_display: &str, spec_text: &str) -> String {
    let hash = Sha256::digest(spec_text.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "// @generated by `cargo xtask codegen`. Do not edit: change the spec and regenerate.\n\
         //\n\
         // spec:       {spec_display} (sha256 {hex})\n\
         // generator:  progenitor-impl {PROGENITOR_VERSION} and xtask's passes, formatted by prettyplease {PRETTYPLEASE_VERSION}\n\
         // regenerate: cargo xtask codegen\n\
         // freshness:  cargo xtask codegen --check\n\n"
    )
}

/// Only one generation at a time swaps the process-wide panic hook.
static HOOK_LOCK: Mutex<()> = Mutex::new(());

/// Runs `f`, turning a panic into `Err(message at location)` without printing a backtrace.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let _guard = HOOK_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let captured = std::sync::Arc::new(Mutex::new(None::<String>));
    let sink = captured.clone();
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let location = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        *sink.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{message}{location}"));
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|_| {
        captured
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "unknown panic".into())
    })
}
