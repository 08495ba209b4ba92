//! The wire rules, as data: one row per kind of change the walker can find.
//!
//! A row says what changed, its [`Effect`] on the set of valid messages, and why in one line.
//! The walker ([`super::diff`]) decides which row a difference between the two documents is and
//! records it with where it is; the classes come from the row's effect and the directions the
//! schema travels where it changed ([`super::classify`]): a narrower schema breaks clients where
//! they send it and the server side where it sends it.
//!
//! `kind` is what reports call the change (`property-added-required`); rows that split one kind
//! by its effect share it (a success status removed and an error status removed are both
//! `status-removed`). A `kind` with `{keyword}` stands for one kind per keyword of `keywords`.
//!
//! The spec's conventions have no rows of their own. Their registry
//! ([`trustly_customers_spec::conventions`]) gives each one a class
//! ([`DiffClass`](trustly_customers_spec::conventions::DiffClass)) and the reasons a change of
//! it is shown with; the rows of the conventions are one per way a change of a class can end
//! ([`Outcome`]: a promise made, a flag cleared), whatever the convention. Their kind is
//! `{convention}`: one kind per convention of that class and place it stands, made of its name
//! ([`crate::conventions`]: `operation-x-cli-name`, `readOnly`).
//!
//! Every row has a fixture case in `tests/fixtures/spec-changes/cases` that produces it
//! (`tests/tests/spec_diff.rs` checks both ways). Adding a rule: a row here, listed in
//! [`RULES`], a case there, and, for a new kind of comparison, the walker's detection.

use crate::conventions::{self, Outcome};

/// How a change moves the set of valid messages; the classes follow from it and the direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Fewer messages are valid.
    Narrower,
    /// More messages are valid.
    Wider,
    /// Some valid before are not now, and the reverse.
    Incompatible,
    /// Breaks clients whatever the direction.
    BreaksClients,
    /// Breaks the server side whatever the direction.
    BreaksServer,
    /// Breaks clients where the schema is sent by them, and nothing where it is received.
    NarrowerInRequests,
    /// Breaks the server side where the schema is sent by clients, and nothing where it is
    /// received.
    WiderInRequests,
    /// A new capability.
    Added,
    /// Text only.
    Docs,
}

/// One rule: a kind of change and what it means.
#[derive(Debug)]
pub struct Rule {
    /// Names the row; unique.
    pub id: &'static str,
    /// What reports call the change; `{keyword}` is one of `keywords`, `{convention}` a
    /// convention of the row's outcome.
    pub kind: &'static str,
    /// The keywords a `{keyword}` kind stands for (empty otherwise).
    pub keywords: &'static [&'static str],
    /// What changed, in one line.
    pub what: &'static str,
    /// Its effect, from which its classes follow.
    pub effect: Effect,
    /// Why it has its classes; `None` when that follows from the effect and the direction, or,
    /// for a row of the conventions, when the registry gives the reason.
    pub why: Option<&'static str>,
    /// For a row of the conventions, the outcome of a change it is (`None` otherwise).
    pub convention: Option<Outcome>,
}

impl Rule {
    /// The kinds this row reports: `kind`, one per keyword, or one per convention (and place)
    /// of its outcome.
    pub fn kinds(&self) -> Vec<String> {
        if let Some(outcome) = self.convention {
            conventions::kinds(outcome)
        } else if self.keywords.is_empty() {
            vec![self.kind.to_owned()]
        } else {
            self.keywords
                .iter()
                .map(|k| self.kind.replace("{keyword}", k))
                .collect()
        }
    }
}

/// The row of a change of a convention whose outcome is `outcome`. Each outcome has one
/// (`wire::tests` checks it); were one missing, the change would be unrecognised, not nothing.
pub fn convention_row(outcome: Outcome) -> &'static Rule {
    RULES
        .iter()
        .copied()
        .find(|r| r.convention == Some(outcome))
        .unwrap_or(&UNRECOGNISED_EXTENSION)
}

use Effect::*;

/// The outcome of a row of the conventions (`for Outcome` in `rules!`).
macro_rules! outcome {
    () => {
        None
    };
    ($outcome:ident) => {
        Some(Outcome::$outcome)
    };
}

macro_rules! rules {
    ($($(#[$doc:meta])* $name:ident: $id:literal, $kind:literal $([$($kw:literal),*])? $(for $outcome:ident)?, $effect:expr, $why:expr, $what:literal;)*) => {
        $(
            $(#[$doc])*
            #[doc = $what]
            pub static $name: Rule = Rule {
                id: $id,
                kind: $kind,
                keywords: &[$($($kw),*)?],
                what: $what,
                effect: $effect,
                why: $why,
                convention: outcome!($($outcome)?),
            };
        )*
        /// Every row, in the order of the walk.
        pub static RULES: &[&Rule] = &[$(&$name),*];
    };
}

const UNRECOGNISED_WHY: &str =
    "a keyword this diff does not classify; taken as breaking until it does";

rules! {
    // The document.
    OPENAPI_VERSION: "openapi-version", "openapi-version", Incompatible,
        Some("another OpenAPI version can change what every keyword means"),
        "the document's OpenAPI version";
    DOCUMENT_TEXT: "document-text", "{keyword}" ["info", "tags", "externalDocs"], Docs, None,
        "the document's info, tags or external docs";
    EXAMPLES: "examples", "examples", Docs, None, "a shared example (`components.examples`)";
    UNRECOGNISED: "unrecognised", "unrecognised", Incompatible, Some(UNRECOGNISED_WHY),
        "a keyword the walker does not compare, anywhere";
    UNRECOGNISED_EXTENSION: "unrecognised-extension", "unrecognised-extension", Incompatible,
        Some("an extension this diff does not know; taken as breaking until it is classified"),
        "an `x-` key that is not one of the spec's conventions";

    // The spec's conventions, wherever they stand: a row per outcome of a class, the reason
    // from the registry.
    CONVENTION_DOCUMENTATION: "convention-documentation", "{convention}" for Documentation,
        Docs, None, "a convention whose change leaves the wire the same (an operation's command name)";
    CONVENTION_CHOSEN_BY_CLIENTS: "convention-chosen-by-clients", "{convention}"
        for ChosenByClients, BreaksClients, None,
        "a convention clients choose by (a server's environment name)";
    CONVENTION_WIDENS_SET: "convention-widens-set", "{convention}" for WidensSet, Wider, None,
        "a convention that widens what is valid is set (`null` is now valid)";
    CONVENTION_WIDENS_CLEARED: "convention-widens-cleared", "{convention}" for WidensCleared,
        Narrower, None, "a convention that widens what is valid is cleared (`null` is no longer valid)";
    CONVENTION_SERVER_OWNED_SET: "convention-server-owned-set", "{convention}"
        for ServerOwnedSet, NarrowerInRequests, None,
        "a convention that gives a value to the server is set (a property is now the server's)";
    CONVENTION_SERVER_OWNED_CLEARED: "convention-server-owned-cleared", "{convention}"
        for ServerOwnedCleared, WiderInRequests, None,
        "a convention that gives a value to the server is cleared";
    CONVENTION_PROMISE_MADE: "convention-promise-made", "{convention}" for PromiseMade,
        BreaksServer, None, "a promise of the server is made (an operation is now safe to repeat)";
    CONVENTION_PROMISE_WITHDRAWN: "convention-promise-withdrawn", "{convention}"
        for PromiseWithdrawn, BreaksClients, None,
        "a promise of the server is withdrawn (an operation is no longer safe to repeat)";
    CONVENTION_PROMISE_CHANGED: "convention-promise-changed", "{convention}" for PromiseChanged,
        Incompatible, None,
        "a promise of the server is kept, but promises otherwise (other requests are safe to repeat)";

    // Servers.
    SERVER_REMOVED: "server-removed", "server-removed", BreaksClients,
        Some("clients configured with this server lose it"), "a server's URL is gone";
    SERVER_ADDED: "server-added", "server-added", Added,
        Some("a new server; the old ones stay"), "a server with a new URL";
    SERVER_DEFAULT: "server-default", "server-default", BreaksClients,
        Some("clients that take the default now reach another server"),
        "the first server, the default, is another";
    SERVER_VARIABLES: "server-variables", "server-variables", Incompatible, None,
        "a server's URL variables";
    SERVER_DESCRIPTION: "server-description", "server-description", Docs, None,
        "a server's description";

    // Security schemes and requirements.
    SECURITY_SCHEME_REMOVED: "security-scheme-removed", "security-scheme-removed", BreaksClients,
        Some("clients that authenticate with it cannot any more"), "a security scheme is gone";
    SECURITY_SCHEME_ADDED: "security-scheme-added", "security-scheme-added", Added,
        Some("a new way to authenticate; nothing requires it yet"), "a new security scheme";
    SECURITY_SCHEME_CHANGED: "security-scheme-changed", "security-scheme-changed", Incompatible,
        Some("credentials sent the old way are not the ones the server reads now"),
        "a security scheme's type, location or parameters";
    SECURITY_SCHEME_DESCRIPTION: "security-scheme-description", "security-scheme-description",
        Docs, None, "a security scheme's description";
    SECURITY_SCHEME_RENAMED: "security-scheme-renamed", "security-scheme-renamed", Docs,
        Some("a scheme's name is the document's own, never sent; the credentials are the same"),
        "a security scheme is named otherwise, and says the same";
    SECURITY_REMOVED: "security-removed", "security-removed", BreaksClients,
        Some("clients that authenticate this way are refused"),
        "a way of authenticating an operation accepted is no longer accepted";
    SECURITY_ADDED: "security-added", "security-added", BreaksServer,
        Some("the server must accept this way of authenticating"),
        "an operation accepts a new way of authenticating";

    // Operations.
    OPERATION_REMOVED: "operation-removed", "operation-removed", BreaksClients,
        Some("clients that call it get an error"), "an operation (method and path) is gone";
    OPERATION_ADDED: "operation-added", "operation-added", Added,
        Some("a new operation; existing calls are unchanged"), "a new operation";
    PATH_PARAMETER_RENAMED: "path-parameter-renamed", "path-parameter-renamed", Docs,
        Some("the URL is the same; only the name of its parameter changed"),
        "a path template's parameter name (`/customers/{id}` for `/customers/{customerId}`)";
    OPERATION_ID: "operation-id", "operation-id", Docs,
        Some("the wire is the same; generated code names its method after it"),
        "an operation's operationId";
    OPERATION_TEXT: "operation-text", "operation-{keyword}"
        ["summary", "description", "tags", "externalDocs", "deprecated"], Docs, None,
        "an operation's summary, description, tags, external docs or deprecation";

    // Parameters.
    PARAMETER_REMOVED_REQUIRED: "parameter-removed-required", "parameter-removed", BreaksClients,
        Some("clients send it and the server no longer reads it"), "a required parameter is gone";
    PARAMETER_REMOVED_OPTIONAL: "parameter-removed-optional", "parameter-removed", BreaksClients,
        Some("clients that send it lose what it did"), "an optional parameter is gone";
    PARAMETER_MOVED: "parameter-moved", "parameter-moved", Incompatible,
        Some("clients send it where the server no longer reads it"),
        "a parameter is read from another place (query, header, path, cookie)";
    PARAMETER_ADDED_REQUIRED: "parameter-added-required", "parameter-added-required",
        BreaksClients, Some("clients written before do not send it, and are refused"),
        "a new required parameter";
    PARAMETER_ADDED_OPTIONAL: "parameter-added", "parameter-added", Added,
        Some("clients that do not send it are answered as before"), "a new optional parameter";
    PARAMETER_MADE_REQUIRED: "parameter-made-required", "parameter-required", Narrower, None,
        "a parameter is now required";
    PARAMETER_MADE_OPTIONAL: "parameter-made-optional", "parameter-required", Wider, None,
        "a parameter is now optional";
    PARAMETER_SERIALISATION: "parameter-serialisation", "parameter-{keyword}"
        ["style", "explode", "allowReserved", "allowEmptyValue", "content"], Incompatible,
        Some("the same value is written differently on the wire"),
        "how a parameter's value is written (style, explode, reserved characters, content)";
    PARAMETER_TEXT: "parameter-text", "parameter-{keyword}"
        ["description", "example", "examples", "deprecated"], Docs, None,
        "a parameter's description, examples or deprecation";

    // Request bodies.
    REQUEST_BODY_REMOVED: "request-body-removed", "request-body-removed", BreaksClients,
        Some("clients send a body the server no longer reads"), "an operation's request body is gone";
    REQUEST_BODY_ADDED_REQUIRED: "request-body-added-required", "request-body-added-required",
        BreaksClients, Some("clients written before send no body, and are refused"),
        "a new required request body";
    REQUEST_BODY_ADDED_OPTIONAL: "request-body-added", "request-body-added", Added,
        Some("clients that send none are answered as before"), "a new optional request body";
    REQUEST_BODY_MADE_REQUIRED: "request-body-made-required", "request-body-required", Narrower,
        None, "a request body is now required";
    REQUEST_BODY_MADE_OPTIONAL: "request-body-made-optional", "request-body-required", Wider,
        None, "a request body is now optional";
    REQUEST_BODY_DESCRIPTION: "request-body-description", "request-body-description", Docs, None,
        "a request body's description";

    // Media types, in requests and responses.
    REQUEST_MEDIA_TYPE_REMOVED: "request-media-type-removed", "media-type-removed", BreaksClients,
        Some("clients that send this media type are refused"),
        "a media type of a request body is gone";
    RESPONSE_MEDIA_TYPE_REMOVED: "response-media-type-removed", "media-type-removed",
        BreaksClients, Some("clients that read this media type get another"),
        "a media type of a response is gone";
    REQUEST_MEDIA_TYPE_ADDED: "request-media-type-added", "media-type-added", Added,
        Some("clients may also send this media type"), "a request body takes a new media type";
    RESPONSE_MEDIA_TYPE_ADDED: "response-media-type-added", "media-type-added", BreaksClients,
        Some("the server may now answer in a media type clients do not read"),
        "a response comes in a new media type";
    MEDIA_TYPE_EXAMPLE: "example", "example", Docs, None, "a media type's example or examples";
    MEDIA_TYPE_ENCODING: "media-type-encoding", "media-type-encoding", Incompatible, None,
        "a media type's encoding of its properties";
    MEDIA_TYPE_SCHEMA: "media-type-schema", "media-type-schema", Incompatible, None,
        "a media type gained or lost its schema";

    // Responses.
    SUCCESS_STATUS_REMOVED: "success-status-removed", "status-removed", Incompatible,
        Some("clients that succeed on it now see another status; the server must stop sending it"),
        "a 2xx response is gone";
    ERROR_STATUS_REMOVED: "error-status-removed", "status-removed", BreaksServer,
        Some("the server must stop answering it; clients' handling of it goes unused"),
        "an error (or other non-2xx) response is gone";
    SUCCESS_STATUS_ADDED: "success-status-added", "status-added", BreaksClients,
        Some("clients may now get a success they do not expect"),
        "a new 2xx (or `default`) response";
    ERROR_STATUS_ADDED: "error-status-added", "status-added", Added,
        Some("documents an error; clients already treat an undocumented status as one"),
        "a new error response";
    RESPONSE_DESCRIPTION: "response-description", "response-description", Docs, None,
        "a response's description";
    RESPONSE_HEADER_REMOVED: "response-header-removed", "response-header-removed", BreaksClients,
        Some("clients that read it find nothing"), "a response header is gone";
    RESPONSE_HEADER_ADDED: "response-header-added", "response-header-added", Added,
        Some("clients that do not read it are unaffected"), "a new response header";

    // Schemas.
    REFERENCE_UNFOLLOWED: "reference-unfollowed", "reference-unfollowed", Incompatible,
        Some("what the schema it refers to allows is not compared, so it is taken as breaking"),
        "a reference this diff cannot follow, to another file or to nothing, points elsewhere";
    SCHEMA_REFERENCE: "schema-reference", "schema-reference", Docs,
        Some("a reference to another schema; what it allows is compared below"),
        "a schema refers to another component (or is written inline); what each allows is compared";
    TYPE_NARROWED: "type-narrowed", "type", Narrower, None,
        "a schema admits fewer JSON types (`number` to `integer`, any to `string`)";
    TYPE_WIDENED: "type-widened", "type", Wider, None,
        "a schema admits more JSON types (`integer` to `number`, `string` to any)";
    TYPE_CHANGED: "type-changed", "type", Incompatible, None,
        "a schema admits other JSON types (`string` to `boolean`)";
    FORMAT_ADDED: "format-added", "format", Narrower, None, "a `format` where there was none";
    FORMAT_REMOVED: "format-removed", "format", Wider, None, "a `format` is gone";
    FORMAT_WIDENED: "format-widened", "format", Wider, None,
        "`int32` to `int64`, `float` to `double`";
    FORMAT_NARROWED: "format-narrowed", "format", Narrower, None,
        "`int64` to `int32`, `double` to `float`";
    FORMAT_CHANGED: "format-changed", "format", Incompatible, None, "another `format`";
    CONSTRAINT_ADDED: "constraint-added", "constraint", Narrower, None,
        "a new bound, `pattern`, `multipleOf`, or `exclusive…`/`uniqueItems` set";
    CONSTRAINT_REMOVED: "constraint-removed", "constraint", Wider, None,
        "a bound, `pattern` or `multipleOf` gone, or `exclusive…`/`uniqueItems` cleared";
    CONSTRAINT_TIGHTENED: "constraint-tightened", "constraint", Narrower, None,
        "a lower maximum or a higher minimum (length, value, items, properties)";
    CONSTRAINT_LOOSENED: "constraint-loosened", "constraint", Wider, None,
        "a higher maximum or a lower minimum";
    CONSTRAINT_CHANGED: "constraint-changed", "constraint", Incompatible, None,
        "another `pattern` or `multipleOf`";
    ENUM_ADDED: "enum-added", "enum", Narrower, None, "values now limited to a list";
    ENUM_REMOVED: "enum-removed", "enum", Wider, None, "values no longer limited to a list";
    ENUM_VALUE_ADDED: "enum-value-added", "enum-value-added", Wider, None, "a value added to a list";
    ENUM_VALUE_REMOVED: "enum-value-removed", "enum-value-removed", Narrower, None,
        "a value removed from a list";
    PROPERTY_REMOVED: "property-removed", "property-removed", BreaksClients,
        Some("clients that send it lose it, and clients that read it find nothing"),
        "a property is gone";
    PROPERTY_ADDED_REQUIRED: "property-added-required", "property-added-required", Narrower,
        None, "a new required property";
    PROPERTY_ADDED_OPTIONAL: "property-added", "property-added", Added,
        Some("optional in requests, and an unknown property to older clients"),
        "a new optional property";
    PROPERTY_MADE_REQUIRED: "property-made-required", "property-required", Narrower, None,
        "a property (or a name in `required`) is now required";
    PROPERTY_MADE_OPTIONAL: "property-made-optional", "property-required", Wider, None,
        "a property (or a name in `required`) is now optional";
    ADDITIONAL_PROPERTIES_NARROWED: "additional-properties-narrowed", "additional-properties",
        Narrower, None, "an object is closed to other properties, or they are now constrained";
    ADDITIONAL_PROPERTIES_WIDENED: "additional-properties-widened", "additional-properties",
        Wider, None, "an object is open to other properties, or they are no longer constrained";
    ITEMS_ADDED: "items-added", "items", Narrower, None, "an array's items are now constrained";
    ITEMS_REMOVED: "items-removed", "items", Wider, None, "an array's items are no longer constrained";
    COMPOSITION_ADDED: "composition-added", "composition", Narrower, None,
        "an `allOf`, `oneOf` or `anyOf` where there was none";
    COMPOSITION_REMOVED: "composition-removed", "composition", Wider, None,
        "an `allOf`, `oneOf` or `anyOf` is gone";
    ALL_OF_BRANCH_ADDED: "all-of-branch-added", "composition", Narrower, None,
        "one more schema a value must match (`allOf`)";
    ALL_OF_BRANCH_REMOVED: "all-of-branch-removed", "composition", Wider, None,
        "one schema fewer a value must match (`allOf`)";
    ALTERNATIVE_ADDED: "alternative-added", "composition", Wider, None,
        "one more schema a value may match (`oneOf`, `anyOf`)";
    ALTERNATIVE_REMOVED: "alternative-removed", "composition", Narrower, None,
        "one schema fewer a value may match (`oneOf`, `anyOf`)";
    NOT: "not", "not", Incompatible, None, "what a value must not be (`not`)";
    WRITE_ONLY_SET: "write-only-set", "writeOnly", BreaksClients,
        Some("clients that read it from answers stop getting it"),
        "a property is now only sent by clients (`writeOnly`)";
    WRITE_ONLY_CLEARED: "write-only-cleared", "writeOnly", BreaksServer,
        Some("the server must now send it in answers"), "a property is no longer write-only";
    DEFAULT: "default", "default", BreaksClients,
        Some("clients that leave it out get another value"), "a schema's `default`";
    SCHEMA_TEXT: "schema-text", "schema-text", Docs, None,
        "a schema's description, title, example, external docs, deprecation or xml";
    UNUSED_SCHEMA_REMOVED: "unused-schema-removed", "unused-schema-removed", Docs, None,
        "a component schema no operation used is gone";
    UNUSED_SCHEMA_CHANGED: "unused-schema-changed", "unused-schema-changed", Docs, None,
        "a component schema no operation uses changed";
    UNUSED_SCHEMA_ADDED: "unused-schema-added", "unused-schema-added", Docs, None,
        "a new component schema no operation uses yet";
}
