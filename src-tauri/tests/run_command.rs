//! The README's run command, as a user types it: `make run` in a clone builds Rapport and opens
//! its window. Nothing else starts the app this way (the other tests start the built binary
//! through WebDriver), so without this test the command a new user meets first could break
//! unnoticed.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rapport::{ClientInput, Journal, Stage, TouchInput};

use crate::util::{self, e2e, eventually};

/// Long enough for `make run` to build Rapport from nothing on a 2-core machine (a cold release
/// build takes about 6 minutes), then start it.
const BUILD_AND_START: Duration = Duration::from_secs(30 * 60);

/// The title the window takes once it has drawn Today (the UI names the window after its view).
const TODAY_TITLE: &str = "Today · Rapport";

/// The names of the windows on the display (`xwininfo -root -tree`), one per line.
fn window_names() -> String {
    let out = Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .expect("xwininfo (x11-utils), which `make test` installs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Everything `make run` printed so far, to say why it failed.
fn output_of(log: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = std::fs::File::open(log) {
        let _ = f.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// Stops `make run` and everything it started (cargo, the app, WebKit's processes): they share
/// the process group the test gave `make`. SIGTERM, then SIGKILL for what is left after 5 s.
async fn stop_group(make: &mut Child, data_dir: &Path) {
    let group = format!("-{}", make.id());
    let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
    // SIGTERM's grace: polled, and cut short as soon as all is gone.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        if matches!(make.try_wait(), Ok(Some(_))) && util::tray::app_processes(data_dir).is_empty()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = make.wait();
    eventually("the app stopped", Duration::from_secs(5), || async {
        util::tray::app_processes(data_dir).is_empty().then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn make_run_builds_and_opens_the_window_on_today() {
    // Its turn covers the build too: a release build beside another test's app would slow it.
    e2e(BUILD_AND_START + Duration::from_secs(60), make_run()).await;
}

async fn make_run() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "this test needs a display: run it through `make test` (Xvfb)"
    );
    let dir = util::data_dir();
    // A journal with someone in it, so the window draws Today (an empty one greets instead).
    {
        let mut journal = Journal::open(dir.path().join(rapport::FILE_NAME)).unwrap();
        let client = ClientInput {
            name: "Ada Lovelace".into(),
            ..Default::default()
        };
        util::add_touched(
            &mut journal,
            client,
            Stage::Foothold,
            60,
            TouchInput::default(),
            40,
        );
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let log = dir.path().join("make-run.log");
    let mut command = Command::new("make");
    command
        .arg("run")
        .current_dir(&root)
        .env("RAPPORT_DATA_DIR", dir.path())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::options().append(true).open(&log).unwrap())
        // Its own process group, so that stopping it stops all it started.
        .process_group(0);
    // As a user's shell would start it: not as a child of cargo or of `make test`.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        let from_cargo = key == "CARGO" || (key.starts_with("CARGO_") && key != "CARGO_HOME");
        let from_make = ["MAKEFLAGS", "MAKELEVEL", "MFLAGS"].contains(&key.as_ref());
        if from_cargo || from_make {
            command.env_remove(key.as_ref());
        }
    }
    let mut make = command.spawn().expect("make");

    let started = Instant::now();
    let outcome = loop {
        if window_names().contains(TODAY_TITLE) {
            break Ok(());
        }
        if let Ok(Some(status)) = make.try_wait() {
            break Err(format!(
                "`make run` stopped ({status}) before the window drew Today"
            ));
        }
        if started.elapsed() > BUILD_AND_START {
            break Err(format!(
                "no window titled {TODAY_TITLE:?} within {} minutes",
                BUILD_AND_START.as_secs() / 60
            ));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    stop_group(&mut make, dir.path()).await;
    if let Err(why) = outcome {
        panic!("{why}; it printed:\n{}", output_of(&log));
    }
    // The window opened the journal of the test's own folder, and left it whole.
    let check = rusqlite::Connection::open(dir.path().join(rapport::FILE_NAME)).unwrap();
    let integrity: String = check
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}
