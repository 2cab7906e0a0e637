//! The generated benchmark journal, cached under the target folder by generator version, seed
//! and size, with how long its making took.

use std::path::PathBuf;
use std::time::Instant;

use rapport::Journal;
use rapport_testkit::{generate, GenerateOptions, Generated, GENERATOR_VERSION};

use crate::{target_dir, Res};

/// How the journal came to be: generated in this run, or reused with the timing of its making.
pub(crate) struct Generation {
    pub(crate) seconds: f64,
    pub(crate) touches: u64,
    pub(crate) fresh: bool,
    pub(crate) summary: Generated,
}

pub(crate) fn generated_journal(
    options: &GenerateOptions,
    regenerate: bool,
) -> Res<(PathBuf, Generation)> {
    let dir = target_dir().join("rapport-bench");
    std::fs::create_dir_all(&dir)?;
    let key = format!(
        "journal-g{GENERATOR_VERSION}-seed{}-{}c-{}t",
        options.seed, options.clients, options.touches
    );
    let cached = dir.join(format!("{key}.sqlite3"));
    let meta = dir.join(format!("{key}.meta"));
    if !regenerate && cached.exists() {
        if let Some(generation) = std::fs::read_to_string(&meta)
            .ok()
            .and_then(|m| read_meta(&m))
        {
            eprintln!(
                "Reusing {} (--regenerate to make it again)",
                cached.display()
            );
            return Ok((cached, generation));
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", cached.display()));
    }
    eprintln!(
        "Generating {} clients, {} touches into {} ...",
        options.clients,
        options.touches,
        cached.display()
    );
    let start = Instant::now();
    let mut journal = Journal::open(&cached)?;
    let summary = generate(&mut journal, options)?;
    drop(journal);
    let seconds = start.elapsed().as_secs_f64();
    eprintln!("Generated in {seconds:.1} s");
    let s = &summary;
    std::fs::write(
        &meta,
        format!(
            "{seconds} {} {} {} {} {} {} {} {} {} {}",
            s.clients,
            s.archived,
            s.touches,
            s.notes,
            s.follow_ups,
            s.open_follow_ups,
            s.stage_changes,
            s.introductions,
            s.busiest_client,
            s.busiest_entries
        ),
    )?;
    Ok((
        cached,
        Generation {
            seconds,
            touches: summary.touches,
            fresh: true,
            summary,
        },
    ))
}

fn read_meta(text: &str) -> Option<Generation> {
    let mut it = text.split_whitespace();
    let seconds: f64 = it.next()?.parse().ok()?;
    let mut n = || it.next().and_then(|v| v.parse::<i64>().ok());
    let summary = Generated {
        clients: n()? as u64,
        archived: n()? as u64,
        touches: n()? as u64,
        notes: n()? as u64,
        follow_ups: n()? as u64,
        open_follow_ups: n()? as u64,
        stage_changes: n()? as u64,
        introductions: n()? as u64,
        busiest_client: n()?,
        busiest_entries: n()? as u64,
    };
    Some(Generation {
        seconds,
        touches: summary.touches,
        fresh: false,
        summary,
    })
}
