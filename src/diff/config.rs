//! The image config fields people ask about when two builds differ: the
//! platform, `created`, and the run settings (env, entrypoint, cmd, labels,
//! user, exposed ports, volumes, working directory, stop signal). Each
//! difference is one [`FieldChange`]; environment variables and labels are
//! compared one by one.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// One field that differs; `null` on a side that does not have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// `mediaType`, `config.env.PATH`, `config.labels.version`,
    /// `annotations.org.opencontainers.image.created`, …
    pub field: String,
    pub from: Value,
    pub to: Value,
}

impl FieldChange {
    pub fn new(field: impl Into<String>, from: Value, to: Value) -> FieldChange {
        FieldChange {
            field: field.into(),
            from,
            to,
        }
    }
}

/// Top-level config fields compared as they are.
const TOP_FIELDS: [&str; 5] = ["architecture", "os", "variant", "created", "author"];

/// Run settings under `config`, compared as whole values: (key in the
/// config, name in the report).
const RUN_FIELDS: [(&str, &str); 5] = [
    ("Entrypoint", "entrypoint"),
    ("Cmd", "cmd"),
    ("User", "user"),
    ("WorkingDir", "workingDir"),
    ("StopSignal", "stopSignal"),
];

/// The changes between two image configs (parsed JSON; `Value::Null` for a
/// side without one).
pub fn config_changes(left: &Value, right: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for key in TOP_FIELDS {
        push_if_differs(&mut out, key, field(left, key), field(right, key));
    }
    let (left_run, right_run) = (field(left, "config"), field(right, "config"));
    for (key, name) in RUN_FIELDS {
        push_if_differs(
            &mut out,
            &format!("config.{name}"),
            field(&left_run, key),
            field(&right_run, key),
        );
    }
    keyed_changes(
        &mut out,
        "config.env",
        &env_map(&left_run),
        &env_map(&right_run),
    );
    keyed_changes(
        &mut out,
        "config.labels",
        &object_map(&field(&left_run, "Labels")),
        &object_map(&field(&right_run, "Labels")),
    );
    for (key, name) in [("ExposedPorts", "exposedPorts"), ("Volumes", "volumes")] {
        push_if_differs(
            &mut out,
            &format!("config.{name}"),
            key_list(&field(&left_run, key)),
            key_list(&field(&right_run, key)),
        );
    }
    out
}

/// Changes of two string maps, one per key: `prefix.KEY`.
pub fn keyed_changes(
    out: &mut Vec<FieldChange>,
    prefix: &str,
    left: &BTreeMap<String, String>,
    right: &BTreeMap<String, String>,
) {
    let keys: std::collections::BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    for key in keys {
        let (from, to) = (left.get(key), right.get(key));
        if from != to {
            let value = |v: Option<&String>| v.map_or(Value::Null, |s| Value::String(s.clone()));
            out.push(FieldChange::new(
                format!("{prefix}.{key}"),
                value(from),
                value(to),
            ));
        }
    }
}

fn push_if_differs(out: &mut Vec<FieldChange>, name: &str, from: Value, to: Value) {
    if from != to {
        out.push(FieldChange::new(name, from, to));
    }
}

fn field(value: &Value, key: &str) -> Value {
    value.get(key).cloned().unwrap_or(Value::Null)
}

/// `Env` as a map; a later `KEY=` wins, as it does for the runtime.
fn env_map(run: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in run
        .get("Env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(text) = item.as_str() {
            let (key, value) = text.split_once('=').unwrap_or((text, ""));
            out.insert(key.to_owned(), value.to_owned());
        }
    }
    out
}

fn object_map(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            (k.clone(), text)
        })
        .collect()
}

/// An object used as a set (`{"80/tcp": {}}`) as its sorted keys; `null`
/// when absent or empty, so that `{}` and a missing field are the same.
fn key_list(value: &Value) -> Value {
    let keys: Vec<Value> = value
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .map(|k| Value::String(k.clone()))
        .collect();
    if keys.is_empty() {
        Value::Null
    } else {
        Value::Array(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_each_changed_field_and_nothing_else() {
        let left = json!({
            "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
            "config": {"Env": ["PATH=/usr/bin", "OLD=1"], "Cmd": ["run"], "User": "app",
                       "Labels": {"version": "1", "team": "a"}, "ExposedPorts": {"80/tcp": {}}}
        });
        let right = json!({
            "architecture": "amd64", "os": "linux", "created": "2024-02-01T00:00:00Z",
            "config": {"Env": ["PATH=/usr/local/bin:/usr/bin", "NEW=2"], "Cmd": ["run"],
                       "User": "app", "Labels": {"version": "2", "team": "a"},
                       "ExposedPorts": {"80/tcp": {}, "443/tcp": {}}, "Entrypoint": ["/init"]}
        });
        let changes = config_changes(&left, &right);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "created",
                "config.entrypoint",
                "config.env.NEW",
                "config.env.OLD",
                "config.env.PATH",
                "config.labels.version",
                "config.exposedPorts"
            ]
        );
        assert_eq!(changes[2].from, Value::Null);
        assert_eq!(changes[2].to, json!("2"));
        assert_eq!(changes[3].to, Value::Null);
        assert_eq!(changes[6].to, json!(["443/tcp", "80/tcp"]));
        assert!(config_changes(&left, &left).is_empty());
        let no_ports = json!({"config": {"ExposedPorts": {}}});
        assert!(config_changes(&no_ports, &json!({"config": {}})).is_empty());
    }
}
