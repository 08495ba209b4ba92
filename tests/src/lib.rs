//! Helpers for the workspace tests in `tests/*.rs`: where things are, the spec as JSON, and the
//! public-surface listing of the generated crate.

pub use generated_code::surface;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_owned()
}

/// The project's spec file.
pub fn spec_path() -> PathBuf {
    root().join("openapi/customers.yaml")
}

/// The checked-in generated module.
pub fn generated_path() -> PathBuf {
    root().join("crates/trustly-customers-api/src/generated.rs")
}

/// Runs `cargo xtask` with `args` in-process, the same code path as the binary:
/// (exit code, stdout, stderr).
pub fn xtask<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (u8, String, String) {
    let args = args.iter().map(|a| a.as_ref().to_owned());
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = xtask::run(args, &mut stdout, &mut stderr);
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("xtask prints UTF-8");
    (code, text(stdout), text(stderr))
}

/// `cargo xtask codegen --spec SPEC --out-dir DIR [extra...]`, in-process.
pub fn codegen(spec: &Path, out_dir: &Path, extra: &[&str]) -> (u8, String, String) {
    let mut args: Vec<std::ffi::OsString> = vec![
        "codegen".into(),
        "--spec".into(),
        spec.into(),
        "--out-dir".into(),
        out_dir.into(),
    ];
    args.extend(extra.iter().map(Into::into));
    xtask(&args)
}

/// The project's spec as JSON (YAML anchors resolved).
pub fn spec_json() -> serde_json::Value {
    let text = std::fs::read_to_string(spec_path()).expect("the spec is readable");
    serde_saphyr::from_str(&text).expect("the spec is valid YAML")
}

/// Every example in the spec's media types: (JSON pointer of the example value, the component
/// schema its media type names, the value). Examples given by `$ref` are resolved.
pub fn spec_examples(spec: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    let mut out = Vec::new();
    collect_examples(spec, spec, "", &mut out);
    out
}

fn collect_examples(
    spec: &serde_json::Value,
    node: &serde_json::Value,
    at: &str,
    out: &mut Vec<(String, String, serde_json::Value)>,
) {
    use serde_json::Value;
    let Value::Object(map) = node else { return };
    let schema_ref = map
        .get("schema")
        .and_then(|s| s.get("$ref"))
        .and_then(Value::as_str);
    if let (Some(schema_ref), Some(Value::Object(examples))) = (schema_ref, map.get("examples")) {
        let component = schema_ref.rsplit('/').next().unwrap_or_default().to_owned();
        for (name, example) in examples {
            let example = match example.get("$ref").and_then(Value::as_str) {
                Some(target) => spec.pointer(&target[1..]).expect("example refs resolve"),
                None => example,
            };
            let value = example.get("value").expect("examples have a value").clone();
            out.push((
                format!("{at}/examples/{name}/value"),
                component.clone(),
                value,
            ));
        }
    }
    for (key, value) in map {
        if key != "examples" && key != "schema" {
            collect_examples(
                spec,
                value,
                &format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                out,
            );
        }
    }
}

/// JSON Patch (RFC 6902) for the spec-change fixtures: `add`, `remove`, `replace` and `move`.
pub mod json_patch {
    use serde_json::Value;

    /// Applies one operation to `doc`.
    pub fn apply(doc: &mut Value, op: &Value) -> Result<(), String> {
        let path = op["path"].as_str().ok_or("an operation without a path")?;
        match op["op"].as_str() {
            Some("add") => add(doc, path, op["value"].clone()),
            Some("remove") => remove(doc, path).map(drop),
            Some("replace") => {
                remove(doc, path)?;
                add(doc, path, op["value"].clone())
            }
            Some("move") => {
                let from = op["from"].as_str().ok_or("move without from")?;
                let value = remove(doc, from)?;
                add(doc, path, value)
            }
            other => Err(format!("unsupported operation {other:?}")),
        }
    }

    fn split(path: &str) -> Result<(&str, String), String> {
        let (parent, last) = path
            .rsplit_once('/')
            .ok_or(format!("bad pointer {path:?}"))?;
        Ok((parent, last.replace("~1", "/").replace("~0", "~")))
    }

    fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
        let (parent, last) = split(path)?;
        match doc.pointer_mut(parent) {
            Some(Value::Object(m)) => {
                m.insert(last, value);
                Ok(())
            }
            Some(Value::Array(l)) if last == "-" => {
                l.push(value);
                Ok(())
            }
            Some(Value::Array(l)) => {
                let i: usize = last.parse().map_err(|_| format!("bad index in {path}"))?;
                if i > l.len() {
                    return Err(format!("{path}: index out of range"));
                }
                l.insert(i, value);
                Ok(())
            }
            _ => Err(format!("{path}: no parent")),
        }
    }

    fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
        let (parent, last) = split(path)?;
        match doc.pointer_mut(parent) {
            Some(Value::Object(m)) => m
                .shift_remove(&last)
                .ok_or(format!("{path}: nothing to remove")),
            Some(Value::Array(l)) => {
                let i: usize = last.parse().map_err(|_| format!("bad index in {path}"))?;
                if i >= l.len() {
                    return Err(format!("{path}: index out of range"));
                }
                Ok(l.remove(i))
            }
            _ => Err(format!("{path}: no parent")),
        }
    }
}
