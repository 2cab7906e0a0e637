//! The one list of commands (`src/commands/list.rs`) against the two places that must follow it
//! by hand: the window's capabilities, and the UI's one module that calls the backend. (The
//! app manifest in `build.rs` and Tauri's handler in `lib.rs` are derived from the list.)

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The commands of `list.rs`: its `module::command,` lines.
fn listed() -> BTreeSet<String> {
    read("src/commands/list.rs")
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//"))
        .filter_map(|l| l.strip_suffix(','))
        .filter_map(|l| l.split_once("::"))
        .map(|(_, command)| command.to_string())
        .collect()
}

/// The app's own commands the main window is granted (`allow-<command>`, dashes for
/// underscores); Tauri's core permissions left out.
fn granted() -> BTreeSet<String> {
    let capabilities: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).unwrap();
    capabilities["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

/// The commands `ui/js/api.js` invokes, through its `call` or `change`.
fn called() -> BTreeSet<String> {
    let api = read("../ui/js/api.js");
    let mut found = BTreeSet::new();
    for start in ["call('", "change('"] {
        let mut rest = api.as_str();
        while let Some(at) = rest.find(start) {
            rest = &rest[at + start.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

fn differ(what: &str, list: &BTreeSet<String>, other: &BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    for missing in list.difference(other) {
        problems.push(format!("{missing}: in list.rs, not {what}"));
    }
    for extra in other.difference(list) {
        problems.push(format!("{extra}: {what}, not in list.rs"));
    }
    problems
}

#[test]
fn the_command_list_agrees_with_the_capabilities_and_the_ui() {
    let list = listed();
    assert!(list.len() > 40, "list.rs read as {list:?}");
    let mut problems = differ("granted in capabilities/default.json", &list, &granted());
    problems.extend(differ("called by ui/js/api.js", &list, &called()));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
