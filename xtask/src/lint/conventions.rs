//! The spec's conventions, held to their registry (`trustly_customers_spec::conventions`):
//! they drive redaction, retries, the command line and the client's environments, so a typo or
//! a misplaced key must not pass as "not set".
//!
//! Every `x-` key is a row of the registry (an unknown one is refused, with the closest row's
//! name as a hint), every convention stands where its row lets it and holds the value its row
//! says. Then what one row cannot say alone: command names and environment names are unique,
//! a server has one, `x-idempotent-when-given` names what its operation has, and known values
//! are values of their schema ([`known_values`]).

use std::collections::HashMap;

use serde_json::Value;
use trustly_customers_spec::conventions::{
    self, Convention, ENVIRONMENT, IDEMPOTENT, IDEMPOTENT_WHEN_GIVEN, ValueType,
};
use trustly_customers_spec::escape_token;
use trustly_customers_spec::facts::{self, Location, decisions};

use super::known_values;
use super::objects::objects;
use super::{Problem, problem};

/// Commands the command line has besides the spec's operations.
const BUILT_IN_COMMANDS: [&str; 3] = ["help", "completions", "update"];

/// Runs every check of the conventions.
pub(super) fn check(doc: &Value, problems: &mut Vec<Problem>) {
    check_rows(doc, problems);
    check_environments(doc, problems);
    check_operations(doc, problems);
    known_values::check_schemas(doc, problems);
}

/// Every key that is a row, or looks like one, against its row.
fn check_rows(doc: &Value, problems: &mut Vec<Problem>) {
    for object in objects(doc) {
        for (key, value) in object.map {
            let at = format!("{}/{}", object.pointer, escape_token(key));
            // A keyword row found outside a schema (`nullable` on a parameter) is refused for
            // its place: nothing reads it there.
            let row = match conventions::by_name(key) {
                Some(row) => row,
                None if conventions::is_extension(key) => {
                    problem(problems, at, unknown_extension(key));
                    continue;
                }
                None => continue,
            };
            if !row.may_stand_on(object.places) {
                let message = format!(
                    "`{}` may stand only on {}: nothing reads it here",
                    row.name,
                    row.describe_places()
                );
                problem(problems, at, message);
            } else {
                check_value(row, value, &at, problems);
            }
        }
    }
}

fn unknown_extension(key: &str) -> String {
    let hint = match conventions::closest(key) {
        Some(row) => format!(" (did you mean `{}`?)", row.name),
        None => String::new(),
    };
    format!(
        "unknown extension `{key}`: the spec's conventions are the rows of \
         trustly_customers_spec::conventions{hint}"
    )
}

/// The value is of the row's type.
fn check_value(row: &Convention, value: &Value, at: &str, problems: &mut Vec<Problem>) {
    let fits = match row.value {
        ValueType::Flag => value.is_boolean(),
        ValueType::CommandName | ValueType::EnvironmentName => {
            value.as_str().is_some_and(is_command_name)
        }
        ValueType::GivenList => {
            let entries = value.as_array().filter(|list| !list.is_empty());
            for (i, entry) in entries.into_iter().flatten().enumerate() {
                if given(entry).is_none() {
                    let message = format!(
                        "each entry of `{}` must be one of `query: NAME`, `path: NAME`, \
                         `header: NAME` or `body: PROPERTY`",
                        row.name
                    );
                    problem(problems, format!("{at}/{i}"), message);
                }
            }
            entries.is_some()
        }
        ValueType::KnownValues => known_values::check_list(value, at, problems),
        ValueType::Decisions => {
            let entries = value.as_array().filter(|list| !list.is_empty());
            for (i, entry) in entries.into_iter().flatten().enumerate() {
                let [differs, ..] = decisions::FIELDS;
                if let Some(kind) = entry.get(differs).and_then(Value::as_str)
                    && is_decision(entry)
                    && !drift_kinds().iter().any(|k| k == kind)
                {
                    let message = format!(
                        "`{kind}` is not a kind of difference `cargo xtask drift` reports (the \
                         kinds of the spec diff's rules, such as `nullable` or `status-added`)"
                    );
                    problem(problems, format!("{at}/{i}/{differs}"), message);
                }
                if !is_decision(entry) {
                    let [differs, trustly, why] = decisions::FIELDS;
                    let message = format!(
                        "each entry of `{}` must be a map of `{differs}`, `{trustly}` and \
                         `{why}`, each a non-empty string, and nothing else",
                        row.name
                    );
                    problem(problems, format!("{at}/{i}"), message);
                }
            }
            entries.is_some()
        }
    };
    if !fits {
        let message = format!("`{}` must be {}", row.name, row.value.describe());
        problem(problems, at, message);
    }
}

/// The kinds of difference drift reports: those of the spec diff's rules.
fn drift_kinds() -> Vec<String> {
    spec_diff::wire::rules::RULES
        .iter()
        .flat_map(|r| r.kinds())
        .collect()
}

/// Whether an entry of a list of decisions is a map of exactly their fields, each a
/// non-empty string.
fn is_decision(entry: &Value) -> bool {
    entry.as_object().is_some_and(|m| {
        m.len() == decisions::FIELDS.len()
            && decisions::FIELDS.iter().all(|k| {
                m.get(*k)
                    .and_then(Value::as_str)
                    .is_some_and(|v| !v.trim().is_empty())
            })
    })
}

/// An entry of `x-idempotent-when-given`: (where, name), if well formed.
fn given(entry: &Value) -> Option<(Location, &str)> {
    let map = entry.as_object().filter(|m| m.len() == 1)?;
    let (place, name) = map.iter().next()?;
    Some((Location::parse(place)?, name.as_str()?))
}

/// Clients pick a server by its `x-environment` name, and take the first as their default.
fn check_environments(doc: &Value, problems: &mut Vec<Problem>) {
    let servers = doc.get("servers").and_then(Value::as_array);
    let mut seen: Vec<&str> = Vec::new();
    for (i, server) in servers.into_iter().flatten().enumerate() {
        // A value that is not a name is refused by `check_value`.
        let Some(name) = server
            .get(ENVIRONMENT.name)
            .and_then(Value::as_str)
            .filter(|name| is_command_name(name))
        else {
            continue;
        };
        if seen.contains(&name) {
            let at = format!("/servers/{i}/{}", ENVIRONMENT.name);
            let message = format!("`{}` `{name}` names two servers", ENVIRONMENT.name);
            problem(problems, at, message);
        } else {
            seen.push(name);
        }
    }
    if seen.is_empty() {
        let at = if servers.is_some() { "/servers" } else { "" };
        let message = format!(
            "no server has an `{}` name: clients need one to connect to by default",
            ENVIRONMENT.name
        );
        problem(problems, at, message);
    }
}

/// Each operation's command is its own, and its idempotency names what it has.
fn check_operations(doc: &Value, problems: &mut Vec<Problem>) {
    let mut commands: HashMap<String, String> = BUILT_IN_COMMANDS
        .iter()
        .map(|c| ((*c).to_owned(), "the command line itself".to_owned()))
        .collect();
    for op in facts::operations(doc) {
        let op_ptr = format!("/paths/{}/{}", escape_token(op.path), op.method);
        let name = format!("{} {}", op.method.to_uppercase(), op.path);
        let command = op.cli_name();
        if let Some(first) = commands.get(&command) {
            let message =
                format!("operation {name} gives the command `{command}`, already taken by {first}");
            problem(problems, op_ptr.clone(), message);
        } else {
            commands.insert(command, format!("#{op_ptr}"));
        }
        check_idempotency(doc, &op, &op_ptr, &name, problems);
    }
}

/// `x-idempotent-when-given` names parameters the operation has, or properties of its body, and
/// does not stand beside `x-idempotent`.
fn check_idempotency(
    doc: &Value,
    op: &facts::Operation<'_>,
    op_ptr: &str,
    name: &str,
    problems: &mut Vec<Problem>,
) {
    let Some(entries) = op
        .object
        .get(IDEMPOTENT_WHEN_GIVEN.name)
        .and_then(Value::as_array)
    else {
        return;
    };
    let list_ptr = format!("{op_ptr}/{}", IDEMPOTENT_WHEN_GIVEN.name);
    if op.object.get(IDEMPOTENT.name).is_some() {
        let message = format!(
            "operation {name} has both `{}` and `{}`; keep one",
            IDEMPOTENT.name, IDEMPOTENT_WHEN_GIVEN.name
        );
        problem(problems, list_ptr.clone(), message);
    }
    let body_properties: Vec<&str> = op
        .body_component()
        .and_then(|c| facts::component(doc, c))
        .map(|schema| {
            facts::properties(doc, schema)
                .iter()
                .map(|p| p.name)
                .collect()
        })
        .unwrap_or_default();
    for (i, entry) in entries.iter().enumerate() {
        // A malformed entry is refused by `check_value`.
        let Some((location, given)) = given(entry) else {
            continue;
        };
        let known = if location == Location::Body {
            body_properties.contains(&given)
        } else {
            op.parameters
                .iter()
                .any(|p| p.name == given && p.location == location)
        };
        if !known {
            let message = if location == Location::Body {
                format!("operation {name} has no body property `{given}`")
            } else {
                let place = location.as_str();
                format!("operation {name} has no {place} parameter `{given}`")
            };
            problem(problems, format!("{list_ptr}/{i}"), message);
        }
    }
}

/// `get`, `get-customer-notes`: lowercase words joined by `-`. The rule of
/// [`ValueType::CommandName`] and [`ValueType::EnvironmentName`], and of the names the command
/// line derives from operationIds.
fn is_command_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && name.as_bytes()[0].is_ascii_lowercase()
}
