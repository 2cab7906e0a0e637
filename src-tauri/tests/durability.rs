//! Durability: the real app is killed (SIGKILL) in the middle of saving, round after round, and
//! every save it had acknowledged must be in the journal afterwards, which must be whole and open
//! again as usual.
//!
//! Each round starts the app on the same data folder, checks that the journal opens and shows its
//! client, then runs a loop in the page that logs touches through the real `log_touch` command as
//! fast as the app takes them (a few in flight at once), noting each one whose promise resolved.
//! The test reads those acknowledgements as they come, and after a short pseudo-random delay (a
//! fixed seed: the same delays every run) kills the app's process outright. Everything it had read
//! as acknowledged before the kill must then be in the file: same id, same summary. The journal
//! is encrypted, as a new user's is, and opened with its passphrase at each start.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use rapport::{ClientInput, Journal, Stage, TouchInput};
use rapport_testkit::SplitMix64;
use rusqlite::{Connection, OpenFlags};
use serde_json::json;

use crate::util::tray::{app_processes, processes_with_data_dir};
use crate::util::{add_touched, data_dir, eventually, App, PASSPHRASE};

/// Rounds of start, write, kill, check.
const ROUNDS: u64 = 16;
/// The fixed seed of the kill delays (SplitMix64).
const SEED: u64 = 0x5241_5054_4455_5241;
/// How long after the writing starts the kill comes: at least this…
const MIN_DELAY_MS: u64 = 150;
/// …and less than this.
const MAX_DELAY_MS: u64 = 1_500;
/// Saves in flight at once: the app's commands run on a pool, so some wait for the journal lock
/// while one commits, as when a person saves while the reminder loop reads.
const LANES: u64 = 3;
const CLIENT: &str = "Durable Client";

/// Starts the writing loop in the page: `LANES` lanes, each logging one touch after another
/// through the real command, pushing `[id, summary]` of each acknowledged save.
const START_WRITING: &str = r#"
const [round, clientId, lanes] = arguments;
const { invoke } = window.__TAURI__.core;
const state = { acked: [], errors: [], sent: 0 };
window.__durable = state;
let next = 0;
const lane = async () => {
  for (;;) {
    const n = next++;
    const summary = `durable-${round}-${n}`;
    state.sent += 1;
    try {
      const logged = await invoke('log_touch', {
        input: {
          client_id: clientId,
          kind: 'call',
          summary,
          body: `Round ${round}, save ${n}. `.repeat(1 + (n % 40)),
        },
      });
      state.acked.push([logged.touch.id, logged.touch.summary]);
    } catch (e) {
      state.errors.push(`${summary}: ${JSON.stringify(e)}`);
      return;
    }
  }
};
for (let i = 0; i < lanes; i++) lane();
return true;
"#;

/// The acknowledgements from index `arguments[0]` on, the errors, and how many saves were sent.
const READ_ACKS: &str = r#"
const state = window.__durable;
return { acked: state.acked.slice(arguments[0]), errors: state.errors, sent: state.sent };
"#;

/// A process this test started: its id and name (`/proc/<pid>/comm`).
#[derive(Debug)]
struct Process {
    pid: u32,
    name: String,
}

/// Every live process whose environment points at `data_dir`, with its name.
fn processes_of(data_dir: &Path) -> Vec<Process> {
    processes_with_data_dir(data_dir)
        .into_iter()
        .map(|pid| Process {
            pid,
            name: std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .unwrap_or_default()
                .trim()
                .to_string(),
        })
        .collect()
}

fn kill(signal: &str, pid: u32) {
    let status = std::process::Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .expect("kill runs");
    // It may have gone by itself in the meantime; that is not an error here.
    let _ = status;
}

/// Waits up to `seconds` until no process of `data_dir` is left; returns what is left.
async fn wait_until_gone(data_dir: &Path, seconds: u64) -> Vec<Process> {
    let started = Instant::now();
    loop {
        let left = processes_of(data_dir);
        if left.is_empty() || started.elapsed() > Duration::from_secs(seconds) {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Ends the round's driver chain once the app is dead. tauri-driver is asked to stop first: on
/// SIGTERM it stops WebKitWebDriver too, which the SIGKILL that `App`'s drop sends would leave
/// running, orphaned. A WebKitWebDriver still there once tauri-driver has gone is stopped by its
/// id. Nothing of the round may be left running.
async fn stop_drivers(app: App, data_dir: &Path) {
    let named = |name: &str| -> Vec<u32> {
        processes_of(data_dir)
            .into_iter()
            .filter(|p| p.name == name)
            .map(|p| p.pid)
            .collect()
    };
    for pid in named("tauri-driver") {
        kill("-TERM", pid);
    }
    let started = Instant::now();
    while !named("tauri-driver").is_empty() && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for pid in named("WebKitWebDriver") {
        eprintln!("WebKitWebDriver {pid} outlived tauri-driver; stopping it");
        kill("-TERM", pid);
    }
    drop(app);
    let left = wait_until_gone(data_dir, 10).await;
    assert!(left.is_empty(), "left running after the round: {left:?}");
}

/// Reads the journal after a kill, read-only, without letting SQLite change it: the file must be
/// whole and hold every acknowledged save. Returns how many touches of this test it holds.
fn check_journal(path: &Path, key: &rapport::Key, acked: &BTreeMap<i64, String>) -> usize {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("the journal opens read-only after the kill");
    rapport::key_connection(&conn, key).unwrap();
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(integrity, ["ok"], "integrity_check after the kill");
    let foreign: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(foreign, 0, "foreign keys broken after the kill");

    let stored: BTreeMap<i64, String> = conn
        .prepare("SELECT id, summary FROM entry WHERE summary LIKE 'durable-%'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let missing: Vec<(&i64, &String)> = acked
        .iter()
        .filter(|(id, summary)| stored.get(id) != Some(summary))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged saves are not in the journal, e.g. {:?}",
        missing.len(),
        acked.len(),
        &missing[..missing.len().min(5)]
    );
    assert!(stored.len() >= acked.len());
    stored.len()
}

/// Starts the app on `dir` and checks that the journal opened as usual: its client is listed
/// (a journal that cannot be opened shows the reason instead, and no clients).
async fn start_and_check(dir: &Path) -> App {
    let app = App::start(dir).await;
    app.click("a[data-nav=clients]").await;
    app.wait_for_text("#clients tbody", CLIENT).await;
    app
}

e2e_test! {
    async fn acknowledged_saves_survive_the_app_being_killed_mid_write() within Duration::from_secs(300); {
        let began = Instant::now();
        let dir = data_dir();
        let path = dir.path().join(rapport::FILE_NAME);
        // The journal is encrypted, as a new user's is: its key wrapped by the passphrase the
        // app is given at each start.
        let key = rapport::Key::generate().unwrap();
        rapport::write_key_file(&dir.path().join(rapport::KEY_FILE_NAME), &key, PASSPHRASE)
            .unwrap();
        let client_id = {
            let mut j = Journal::open_encrypted(&path, &key).unwrap();
            let client = ClientInput {
                name: CLIENT.into(),
                ..Default::default()
            };
            let touch = TouchInput {
                summary: "First call".into(),
                ..Default::default()
            };
            add_touched(&mut j, client, Stage::Foothold, 30, touch, 2)
        };

        // A fixed generator, so every run kills at the same moments.
        let mut rng = SplitMix64::new(SEED);
        // Every save acknowledged in any round so far: id → summary.
        let mut acked: BTreeMap<i64, String> = BTreeMap::new();
        let mut in_flight_at_kills = 0;
        for round in 0..ROUNDS {
            let delay = Duration::from_millis(rng.between(MIN_DELAY_MS as i64, MAX_DELAY_MS as i64 - 1) as u64);
            let app = start_and_check(dir.path()).await;
            let pids = app_processes(dir.path());
            assert_eq!(pids.len(), 1, "one app process: {pids:?}");

            app.client
                .execute(
                    START_WRITING,
                    vec![json!(round), json!(client_id), json!(LANES)],
                )
                .await
                .expect("the writing loop starts");
            let writing = Instant::now();
            let mut this_round = 0usize;
            let mut sent;
            loop {
                let read = app
                    .client
                    .execute(READ_ACKS, vec![json!(this_round)])
                    .await
                    .expect("the page answers while the app runs");
                let errors = read["errors"].as_array().cloned().unwrap_or_default();
                assert!(errors.is_empty(), "a save was refused: {errors:?}");
                sent = read["sent"].as_u64().unwrap_or(0);
                for ack in read["acked"].as_array().expect("a list of saves") {
                    let (Some(id), Some(summary)) = (ack[0].as_i64(), ack[1].as_str()) else {
                        panic!("an acknowledgement without id and summary: {ack}");
                    };
                    assert!(
                        acked.insert(id, summary.to_string()).is_none(),
                        "id {id} acknowledged twice: an acknowledged save was lost and its id reused"
                    );
                    this_round += 1;
                }
                if writing.elapsed() >= delay {
                    break;
                }
                // Acknowledgements are read as they come until the round's moment to kill:
                // that moment, not a condition, is what this round is about.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            // Straight after the last reading: whatever was acknowledged then must survive.
            kill("-KILL", pids[0]);
            eventually("the app gone after SIGKILL", Duration::from_secs(10), || async {
                app_processes(dir.path()).is_empty().then_some(())
            })
            .await;
            stop_drivers(app, dir.path()).await;

            let stored = check_journal(&path, &key, &acked);
            let in_flight = sent.saturating_sub(this_round as u64);
            in_flight_at_kills += in_flight;
            eprintln!(
                "round {round}: killed after {} ms; {this_round} saves acknowledged, \
                 {in_flight} more sent; journal holds all {} acknowledged so far ({stored} stored)",
                delay.as_millis(),
                acked.len(),
            );
            assert!(
                this_round > 0,
                "round {round} saved nothing before the kill"
            );
        }

        // The last kill too leaves a journal that the app opens as usual and the core reads.
        // Closed as a person closes it this time (with no tray on this bus, closing quits).
        let app = start_and_check(dir.path()).await;
        app.client
            .clone()
            .close()
            .await
            .expect("the session closes");
        let limit = Duration::from_secs(15);
        eventually("the app gone once its window closed", limit, || async {
            app_processes(dir.path()).is_empty().then_some(())
        })
        .await;
        stop_drivers(app, dir.path()).await;
        check_journal(&path, &key, &acked);
        let journal = Journal::open_encrypted(&path, &key).expect("the core opens the journal");
        drop(journal);
        let conn = Connection::open(&path).unwrap();
        rapport::key_connection(&conn, &key).unwrap();
        conn.execute(
            "INSERT INTO entry_fts (entry_fts) VALUES ('integrity-check')",
            [],
        )
        .expect("the search index agrees with the entries");
        drop(conn);
        assert!(!Journal::in_plain_text(&path), "the journal stayed encrypted");

        eprintln!(
            "{ROUNDS} kills, {} acknowledged saves checked after each, {in_flight_at_kills} \
             unacknowledged saves in flight at the kills, in {:.1} s",
            acked.len(),
            began.elapsed().as_secs_f64()
        );
    }
}
