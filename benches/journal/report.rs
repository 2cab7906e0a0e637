//! `BENCHMARKS.md`: the rows, the journal, the machine and the notes.

use std::fmt::Write as _;

use rapport_testkit::{GenerateOptions, GENERATOR_VERSION};
use rusqlite::Connection;

use crate::cache::Generation;
use crate::timing::{Row, RATIO_MAX};
use crate::{Args, Res};

/// Why an operation's floor cannot meet its target on this machine.
pub(crate) fn why_floor(name: &str) -> &'static str {
    if name.starts_with("search") {
        "every typed word matches as a prefix; prefixes of one to four letters have indexes of \
         their own, but a longer one merges the index entries of every word that starts with it \
         before the newest 50 are known."
    } else if name.starts_with("log a touch") {
        "a durable commit waits for the disk to confirm (fsync of the write-ahead log, with \
         synchronous = FULL), and this machine's disk takes that long; the work before the sync \
         is a small part of it."
    } else if name.starts_with("timeline") {
        "the page's total counts the client's whole timeline, which for the busiest clients is \
         tens of thousands of index entries."
    } else if name.starts_with("who needs me") {
        "the generated journal is a stress case: more than half of its 10,000 relationships are \
         overdue, and the totals count every one of them (one index entry and one row each)."
    } else {
        "see the figures above."
    }
}

pub(crate) fn journal_counts(conn: &Connection) -> Res<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for (label, sql) in [
        ("clients", "SELECT count(*) FROM client"),
        (
            "archived clients",
            "SELECT count(*) FROM client WHERE archived_at IS NOT NULL",
        ),
        (
            "organisations",
            "SELECT count(DISTINCT organisation) FROM client WHERE organisation <> ''",
        ),
        ("touches", "SELECT count(*) FROM entry WHERE kind <> 'note'"),
        ("notes", "SELECT count(*) FROM entry WHERE kind = 'note'"),
        ("follow-ups", "SELECT count(*) FROM follow_up"),
        (
            "open follow-ups",
            "SELECT count(*) FROM follow_up WHERE done_at IS NULL",
        ),
        ("stage changes", "SELECT count(*) FROM stage_change"),
        ("introductions", "SELECT count(*) FROM introduction"),
        ("tags", "SELECT count(*) FROM client_tag"),
        ("facts", "SELECT count(*) FROM client_fact"),
        (
            "largest timeline (entries)",
            "SELECT max(n) FROM (SELECT count(*) AS n FROM entry GROUP BY client_id)",
        ),
        (
            "smallest timeline (entries)",
            "SELECT min(n) FROM (SELECT count(*) AS n FROM entry GROUP BY client_id)",
        ),
    ] {
        out.push((label, conn.query_row(sql, [], |r| r.get(0))?));
    }
    Ok(out)
}

pub(crate) fn ms(v: f64) -> String {
    if v < 1.0 {
        format!("{v:.3} ms")
    } else {
        format!("{v:.2} ms")
    }
}

fn machine() -> Vec<(String, String)> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let ram = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or("unknown".into(), |kb| {
            format!("{:.1} GB", kb / 1024.0 / 1024.0)
        });
    let os = read("/etc/os-release")
        .lines()
        .find(|l| l.starts_with("PRETTY_NAME="))
        .map(|l| {
            l.trim_start_matches("PRETTY_NAME=")
                .trim_matches('"')
                .to_string()
        })
        .unwrap_or_else(|| std::env::consts::OS.into());
    let kernel = read("/proc/sys/kernel/osrelease").trim().to_string();
    let rustc = std::process::Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    vec![
        ("CPU".into(), cpu),
        ("cores".into(), cores.to_string()),
        ("RAM".into(), ram),
        ("OS".into(), format!("{os}, Linux {kernel}")),
        ("rustc".into(), rustc),
        (
            "SQLite".into(),
            format!("{} (bundled)", rusqlite::version()),
        ),
    ]
}

pub(crate) fn render(
    args: &Args,
    options: &GenerateOptions,
    generation: &Generation,
    file_mb: f64,
    counts: &[(&str, i64)],
    rows: &[Row],
    notes: &[String],
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Benchmarks");
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "<!-- Written by `make bench` (benches/journal.rs). Do not edit by hand: run the command. -->"
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Written by `make bench`{}: never edit this file by hand. Each operation is timed over many \
         iterations after a warm-up, with the client, word or moment varied in a fixed order, \
         ours and the floor taking turns (so both meet the same load on the machine); \
         *ours* is the journal core's API, the *floor* the same answer fetched by the best \
         hand-written SQL over the same file, in the same run. Ratio = ours / floor at p50. \
         A row passes when it meets its target and its ratio is at most {RATIO_MAX}, or the \
         limit its target column gives (an import may take twice its floor; a preview's floor \
         only splits the file into records, so its ratio is shown for information).",
        if args.quick { " --quick" } else { "" }
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "| operation | ours p50 | ours p99 | floor p50 | floor p99 | ratio (p50) | target (p50 / p99) | pass/miss |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    for r in rows {
        let (fp50, fp99) = r
            .floor
            .map_or(("—".into(), "—".into()), |f| (ms(f.p50), ms(f.p99)));
        let ratio = r.ratio().map_or("—".into(), |x| format!("{x:.2}"));
        let most = r.ratio_max.unwrap_or(RATIO_MAX);
        // A row whose floor does far less than it (a preview beside the bare splitting of the
        // file) shows its ratio for information only.
        let bound = most.is_finite().then(|| format!("≤ {most}× floor"));
        let target = match (r.target, bound) {
            (Some((a, b)), bound) => {
                let time = if a == b {
                    format!("p99 < {a} ms")
                } else {
                    format!("< {a} / {b} ms")
                };
                match bound {
                    Some(bound) => format!("{time}, {bound}"),
                    None => time,
                }
            }
            (None, bound) => bound.unwrap_or_else(|| "—".into()),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {fp50} | {fp99} | {ratio} | {target} | {} |",
            r.name,
            ms(r.ours.p50),
            ms(r.ours.p99),
            if r.pass() { "pass" } else { "**miss**" }
        );
    }
    let rate = generation.touches as f64 / generation.seconds.max(1e-9);
    let _ =
        writeln!(
        s,
        "| generate the whole journal (ours only) | {:.1} s | — | — | — | — | a few minutes | {} |",
        generation.seconds,
        if generation.seconds <= 300.0 { "pass" } else { "**miss**" }
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Generation: {:.1} s for {} touches, {:.0} touches/s (with the notes, follow-ups, stage \
         moves and introductions around them), all through the core's API in `Journal::bulk` \
         batches; {}.",
        generation.seconds,
        generation.touches,
        rate,
        if generation.fresh {
            "measured in this run"
        } else {
            "measured when the cached journal was generated (`make bench BENCH_ARGS=--regenerate` \
             measures it again)"
        }
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "## The journal");
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "`rapport_testkit::generate` version {GENERATOR_VERSION}, seed {}: {} clients in {} \
         organisations, {} touches over {} years ending {}. File: {file_mb:.0} MB. Busiest client: \
         id {} with {} touches and notes.",
        options.seed,
        options.clients,
        options.organisations,
        options.touches,
        options.years,
        options.now.format("%Y-%m-%d %H:%M UTC"),
        generation.summary.busiest_client,
        generation.summary.busiest_entries
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "| rows | count |");
    let _ = writeln!(s, "| --- | ---: |");
    for (label, n) in counts {
        let _ = writeln!(s, "| {label} | {n} |");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "## The machine");
    let _ = writeln!(s);
    for (k, v) in machine() {
        let _ = writeln!(s, "- {k}: {v}");
    }
    let _ = writeln!(
        s,
        "- command: `make bench` (`cargo bench -p rapport --bench journal`), release profile; \
         the journal file is a fresh copy of the cached one, read warm from the page cache"
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "## Notes");
    let _ = writeln!(s);
    for n in notes {
        let _ = writeln!(s, "- {n}");
    }
    s
}
