//! The fuzz targets' checks (`fuzz/bodies.rs`) run as plain tests over their seed corpora
//! (`fuzz/corpus/<target>/`) and over every input a fuzzer ever crashed on
//! (`tests/fuzz_regressions/<target>/`), so `cargo test` needs neither nightly nor libFuzzer.

#[path = "../fuzz/bodies.rs"]
mod bodies;

fn replay(target: &str, body: fn(&[u8])) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for dir in [
        root.join("fuzz/corpus").join(target),
        root.join("tests/fuzz_regressions").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| body(&data));
            assert!(outcome.is_ok(), "{target}: {} fails", path.display());
            ran += 1;
        }
    }
    assert!(ran > 0, "{target}: no corpus");
}

#[test]
fn csv_corpus() {
    replay("csv", bodies::csv);
}

#[test]
fn vcard_corpus() {
    replay("vcard", bodies::vcard);
}

#[test]
fn json_corpus() {
    replay("json", bodies::json);
}

#[test]
fn parse_due_corpus() {
    replay("parse_due", bodies::parse_due_phrase);
}

/// Writes the JSON seed: `cargo test -p rapport -- --ignored write_json_seed`.
#[test]
#[ignore = "writes the fuzz seed into fuzz/corpus; run on purpose, not as a check"]
fn write_json_seed() {
    let j = crate::export_import::rich_journal();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::write(
        root.join("fuzz/corpus/json/rich.json"),
        j.export_json(crate::util::day(31)).unwrap(),
    )
    .unwrap();
}
