//! Power cuts, simulated. The app's write path (`power-cut-writer`: the shell's calls into the
//! core) runs on a [`LazyDisk`], a file system that forgets every write not yet synced. At a
//! change drawn at random the power goes: the writer is killed, everything not durable is thrown
//! away, and the disk is mounted again, as a machine boots. Then, as the user would check it:
//! Rapport opens the journal normally, its pages are sound, every touch the writer was told was
//! saved is there (and nothing it was not told of but the one being saved), and every backup it
//! was told was taken is there, sound, holding what the journal held when it was taken.
//!
//! `RAPPORT_POWER_CUT_SEED` replays another sequence of cuts.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use rapport::Journal;
use rapport_testkit::lazy_disk::LazyDisk;
use rapport_testkit::SplitMix64;

const CUTS: usize = 50;
/// The cut falls within this many changes (writes, syncs, renames…) of the writer's start: a
/// little over one round of its write path, so each kind of step is cut in some runs.
const CHANGES_PER_RUN: i64 = 1_500;

/// What the writer was told was done, replayed from its acknowledgements.
#[derive(Default)]
struct Model {
    /// The touches the journal holds.
    touches: BTreeSet<String>,
    /// Each backup taken, by file name, and the touches it holds.
    backups: BTreeMap<String, BTreeSet<String>>,
}

fn summaries(path: &Path, what: &str) -> BTreeSet<String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap_or_else(|e| panic!("{what} opens read-only: {e}"));
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{what} can be checked: {e}"));
    assert_eq!(integrity, "ok", "{what} is sound");
    let mut stmt = conn
        .prepare("SELECT summary FROM entry WHERE kind <> 'note'")
        .unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn every_save_acknowledged_before_a_power_cut_is_there_after_it() {
    if !Path::new("/dev/fuse").exists() {
        eprintln!("skipped: this machine has no /dev/fuse, so no disk can be simulated");
        return;
    }
    let seed = std::env::var("RAPPORT_POWER_CUT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x05ee_dc07);
    eprintln!("power cuts drawn from seed {seed}");
    let mut rng = SplitMix64::new(seed);
    let root = tempfile::tempdir().unwrap();
    let at = root.path().join("disk");
    std::fs::create_dir(&at).unwrap();
    let disk = LazyDisk::new();
    let mut mounted = Some(disk.mount(&at).expect("the simulated disk mounts"));
    let data = at.join("data");
    let journal_path = data.join("journal.sqlite3");
    let backups_dir = rapport::backups_dir(&journal_path);

    let mut model = Model::default();
    let mut phases: BTreeMap<String, usize> = BTreeMap::new();
    for cut in 0..CUTS {
        let after = rng.between(1, CHANGES_PER_RUN) as u64;
        disk.cut_after(after);
        let mut writer = Command::new(env!("CARGO_BIN_EXE_power-cut-writer"))
            .arg(&data)
            .arg(format!("r{cut}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the writer starts");
        let stdout = writer.stdout.take().unwrap();
        let lines = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        let happened = disk.wait_for_cut(Duration::from_secs(300), || {
            matches!(writer.try_wait(), Ok(None))
        });
        let _ = writer.kill();
        let _ = writer.wait();
        let lines = lines.join().unwrap();
        let mut errors = String::new();
        let _ = writer.stderr.take().unwrap().read_to_string(&mut errors);
        assert!(
            happened,
            "cut {cut}: the writer stopped before the power did ({after} changes in): {errors}\n\
             last said: {:?}",
            lines.last()
        );

        // The power goes; the machine boots.
        drop(mounted.take());
        disk.power_cut();
        mounted = Some(disk.mount(&at).expect("the simulated disk mounts again"));

        // What the writer was told, step by step; and the step the power cut short.
        let mut pending: Option<String> = None;
        for line in &lines {
            if let Some(step) = line.strip_prefix("begin ") {
                pending = Some(step.to_string());
                continue;
            }
            pending = None;
            let (what, name) = line.split_once(' ').unwrap_or((line.as_str(), ""));
            match what {
                "touch" => {
                    model.touches.insert(name.to_string());
                }
                "backup" => {
                    model
                        .backups
                        .insert(name.to_string(), model.touches.clone());
                }
                "restore" => model.touches = model.backups[name].clone(),
                _ => {}
            }
        }
        let phase = pending
            .as_deref()
            .map_or("between steps", |p| p.split(' ').next().unwrap_or(p));
        *phases.entry(phase.to_string()).or_default() += 1;
        let context = format!("cut {cut} ({after} changes in, during {phase})");

        // Rapport opens it as it opens it at start, and finds no damaged page.
        let journal = Journal::open(&journal_path)
            .unwrap_or_else(|e| panic!("{context}: the journal does not open: {e}"));
        journal
            .check()
            .unwrap_or_else(|e| panic!("{context}: the journal is damaged: {e}"));
        drop(journal);
        let found = summaries(&journal_path, &format!("{context}: the journal"));
        let in_flight = pending.as_deref().and_then(|p| p.split_once(' '));
        match in_flight {
            Some(("touch", name)) => {
                let missing: Vec<_> = model.touches.difference(&found).collect();
                assert!(
                    missing.is_empty(),
                    "{context}: saved touches lost: {missing:?}"
                );
                let extra: Vec<_> = found.difference(&model.touches).collect();
                assert!(
                    extra.is_empty() || extra == [name],
                    "{context}: touches never saved appeared: {extra:?}"
                );
            }
            Some(("restore", name)) => assert!(
                found == model.touches || found == model.backups[name],
                "{context}: the journal is neither as it was ({} touches) nor the backup {name} \
                 ({} touches), but holds {}",
                model.touches.len(),
                model.backups[name].len(),
                found.len()
            ),
            _ => {
                let missing: Vec<_> = model.touches.difference(&found).collect();
                assert!(
                    missing.is_empty(),
                    "{context}: saved touches lost: {missing:?}"
                );
                let extra: Vec<_> = found.difference(&model.touches).collect();
                assert!(
                    extra.is_empty(),
                    "{context}: touches never saved appeared: {extra:?}"
                );
            }
        }
        model.touches = found;

        // Every backup it was told of is there, sound and whole; no broken file passes for one.
        let listed = rapport::list_backups(&backups_dir, None).expect("the backups folder reads");
        for backup in &listed {
            assert!(
                backup.problem.is_none(),
                "{context}: a backup that fails its check is listed: {backup:?}"
            );
        }
        let names: BTreeSet<String> = listed
            .iter()
            .filter_map(|b| Some(b.path.file_name()?.to_string_lossy().into_owned()))
            .collect();
        for (name, touches) in &model.backups {
            assert!(names.contains(name), "{context}: the backup {name} is gone");
            let held = summaries(
                &backups_dir.join(name),
                &format!("{context}: backup {name}"),
            );
            assert_eq!(
                &held, touches,
                "{context}: backup {name} holds other touches"
            );
        }
    }
    drop(mounted);
    eprintln!("cuts by the step they fell in: {phases:?}");
    eprintln!(
        "{} touches and {} backups survived {CUTS} cuts",
        model.touches.len(),
        model.backups.len()
    );
    for step in ["touch", "backup", "restore", "tidy"] {
        assert!(
            phases.get(step).is_some_and(|&n| n > 0),
            "no cut fell in a {step}: the cuts were {phases:?}"
        );
    }
}
