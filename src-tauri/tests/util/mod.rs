// Shared by the end-to-end tests and the app benchmark, which uses only part of it.
#![allow(dead_code)]

//! Driving the real app: `tauri-driver` in front of WebKitWebDriver, under the Xvfb display and
//! D-Bus session that `make test` provides, one data folder per test, one test at a time.

use std::future::Future;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

pub mod keyring;
pub mod notifications;
pub mod tray;

/// One test at a time: two WebKit windows starting together on two cores make timing flaky,
/// and every app on the shared session bus would tell its reminders to whichever test's
/// notification daemon owns the name.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs one end-to-end test when its turn comes, and fails it if it takes longer than `limit`
/// (something in the chain that never answers would otherwise hang the suite). The limit counts
/// from the turn, so a journal "due in 15 seconds" made inside `test` is due 15 seconds into it.
pub async fn e2e(limit: Duration, test: impl Future<Output = ()>) {
    let _turn = TURN.lock().await;
    tokio::time::timeout(limit, test)
        .await
        .unwrap_or_else(|_| panic!("the test did not finish within {} s", limit.as_secs()));
}

/// How often [`eventually`] looks again.
const POLL: Duration = Duration::from_millis(50);

/// How long typing goes on finding the focused element anew when the one it found was replaced
/// before the keys reached it: a redraw is over in well under a second.
const STALE_RETRY: Duration = Duration::from_secs(5);

/// Waits until `probe` gives `Some`, looking every 50 ms for at most `limit`; fails naming
/// `what` was awaited. The one way the tests wait for a condition.
pub async fn eventually<T, F, Fut>(what: impl std::fmt::Display, limit: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(
            started.elapsed() < limit,
            "{what}: not within {:.1} s",
            limit.as_secs_f64()
        );
        tokio::time::sleep(POLL).await;
    }
}

/// A message made only when it is shown: what a failed wait last saw.
pub struct Lazy<'a, F: Fn() -> String>(pub &'a F);

impl<F: Fn() -> String> std::fmt::Display for Lazy<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&(self.0)())
    }
}

/// WebDriver's Enter key.
pub const ENTER: &str = "\u{E007}";

/// The running app, driven through WebDriver; closed and stopped when dropped.
pub struct App {
    pub client: Client,
    driver: Child,
    data_dir: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on loopback")
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return path.into();
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    home.join("bin").join("tauri-driver")
}

impl App {
    /// Starts the app with its journal in `data_dir` and waits for the first render.
    pub async fn start(data_dir: &Path) -> App {
        App::start_with(data_dir, &[]).await
    }

    /// As [`App::start`], with extra environment for the app (e.g. a dark GTK theme).
    pub async fn start_with(data_dir: &Path, env: &[(&str, &str)]) -> App {
        App::start_binary(env!("CARGO_BIN_EXE_rapport-desktop"), data_dir, env).await
    }

    /// Starts the program at `binary` (Rapport, or the benchmark's minimal window) and waits
    /// until its page says it is ready (`body[data-ready]`), and for Rapport, until its journal
    /// is open: see [`App::past_the_lock`].
    pub async fn start_binary(binary: &str, data_dir: &Path, env: &[(&str, &str)]) -> App {
        let app = App::launch(binary, data_dir, env).await;
        app.past_the_lock().await;
        app
    }

    /// Starts Rapport and leaves it where it first stops: at the screen asking for a passphrase,
    /// if its journal needs one.
    pub async fn start_at_the_lock(data_dir: &Path, env: &[(&str, &str)]) -> App {
        App::launch(env!("CARGO_BIN_EXE_rapport-desktop"), data_dir, env).await
    }

    /// The tests' desktop has no keyring: a new journal asks for a passphrase before it is
    /// made, and an encrypted journal for its passphrase at each start. The test's user chooses
    /// [`PASSPHRASE`] (and goes past the recovery key) or types it, and the journal opens.
    pub async fn past_the_lock(&self) {
        let at = |css: &'static str| async move {
            self.client
                .find_all(Locator::Css(css))
                .await
                .is_ok_and(|found| !found.is_empty())
        };
        if at("#choose-form").await {
            self.type_into("#choose-passphrase", PASSPHRASE).await;
            self.type_into("#choose-passphrase-again", PASSPHRASE).await;
            self.click("#choose-submit").await;
            self.click("#recovery-done").await;
        } else if at("#unlock-form").await {
            self.type_into("#unlock-passphrase", PASSPHRASE).await;
            self.click("#unlock-submit").await;
        } else {
            return;
        }
        // The page is loaded anew once the journal is open.
        self.wait_for("body[data-ready] > #journal-lock[hidden]")
            .await;
    }

    async fn launch(binary: &str, data_dir: &Path, env: &[(&str, &str)]) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the end-to-end tests need a display: run them through `make test` (Xvfb)"
        );
        let port = free_port();
        let driver_path = tauri_driver();
        let driver = Command::new(&driver_path)
            .args(["--port", &port.to_string()])
            .args(["--native-port", &free_port().to_string()])
            .env("RAPPORT_DATA_DIR", data_dir)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_path.display()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": binary }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("no WebDriver session within 30 s: {e}"),
            }
        };
        let app = App {
            client,
            driver,
            data_dir: data_dir.to_path_buf(),
        };
        app.wait_for("body[data-ready]").await;
        app
    }

    /// Waits up to 15 s for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    /// Waits up to 15 s until nothing matches `css` (a view drawn anew, a dialog closed).
    pub async fn wait_gone(&self, css: &str) {
        eventually(format!("{css} to go"), Duration::from_secs(15), || async {
            let left = self.client.find_all(Locator::Css(css)).await;
            left.unwrap_or_default().is_empty().then_some(())
        })
        .await
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap()
    }

    /// Points at the element matching `css` and clicks it, as a person does: the pointer over
    /// it first, so what shows on hover (a row's quiet actions) is there to click.
    /// A click can be refused for a moment while a dialog closes or a view redraws; it is
    /// tried again for up to 5 s, as a person would click again.
    pub async fn click(&self, css: &str) {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction};
        let started = Instant::now();
        loop {
            let element = self.wait_for(css).await;
            let point = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
                element: element.clone(),
                duration: None,
                x: 0.0,
                y: 0.0,
            });
            // A pointer that cannot get there (the element gone meanwhile) is the click's to say.
            let _ = self.client.perform_actions(point).await;
            match element.click().await {
                Ok(()) => return,
                Err(e) if started.elapsed() > Duration::from_secs(5) => {
                    panic!("cannot click {css}: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Types `text` into the element matching `css`, after clearing it.
    pub async fn type_into(&self, css: &str, text: &str) {
        // As with [`App::keys`], a field drawn anew between finding it and typing is found
        // again; it is cleared first, so a second try leaves the text in it once.
        let started = Instant::now();
        loop {
            let input = self.wait_for(css).await;
            let typed = match input.clear().await {
                Ok(()) => input.send_keys(text).await,
                Err(e) => Err(e),
            };
            match typed {
                Ok(()) => return,
                Err(e) if e.is_stale_element_reference() && started.elapsed() < STALE_RETRY => {}
                Err(e) => panic!("could not type into {css}: {e}"),
            }
        }
    }

    /// Sends keys to whatever has the focus (e.g. `"\u{E007}"`, WebDriver's Enter).
    pub async fn keys(&self, keys: &str) {
        // The focused element can be drawn anew between finding it and typing (a view redrawn
        // as the journal changes, a reminder's count arriving). WebDriver then refuses it as
        // stale before sending a key, and the keys go to whatever has the focus now, as a
        // person's would.
        let started = Instant::now();
        loop {
            let focused = self.client.active_element().await.unwrap();
            match focused.send_keys(keys).await {
                Ok(()) => return,
                Err(e) if e.is_stale_element_reference() && started.elapsed() < STALE_RETRY => {}
                Err(e) => panic!("could not type {keys:?}: {e}"),
            }
        }
    }

    /// Waits up to 15 s until the text of `css` contains `wanted`; returns that text.
    pub async fn wait_for_text(&self, css: &str, wanted: &str) -> String {
        self.wait_for_text_within(css, wanted, 15).await
    }

    /// As [`App::wait_for_text`], waiting up to `seconds`.
    pub async fn wait_for_text_within(&self, css: &str, wanted: &str, seconds: u64) -> String {
        let last = std::cell::RefCell::new(String::new());
        let limit = Duration::from_secs(seconds);
        let what = || format!("{css} to say {wanted:?} (it says {:?})", last.borrow());
        let found = eventually(Lazy(&what), limit, || async {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            let found = text.contains(wanted).then(|| text.clone());
            *last.borrow_mut() = text;
            found
        });
        found.await
    }

    /// Types `keys` into whatever has the focus as fast as WebDriver can send them, a key going
    /// down and up for each character, with no pause: a hurried user, ahead of the app. Ctrl
    /// (`\u{E009}`) and Shift (`\u{E008}`) stay down until the NULL key (`\u{E000}`), as in
    /// `send_keys`. Unlike [`App::keys`], nothing is focused first: the keys go where the app
    /// left the focus.
    pub async fn type_fast(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        const MODIFIERS: [char; 2] = ['\u{E009}', '\u{E008}'];
        const NULL: char = '\u{E000}';
        let mut actions = KeyActions::new("keyboard".into());
        let mut held = Vec::new();
        for key in keys.chars() {
            if MODIFIERS.contains(&key) {
                actions = actions.then(KeyAction::Down { value: key });
                held.push(key);
            } else if key == NULL {
                for value in held.drain(..) {
                    actions = actions.then(KeyAction::Up { value });
                }
            } else {
                actions = actions
                    .then(KeyAction::Down { value: key })
                    .then(KeyAction::Up { value: key });
            }
        }
        for value in held {
            actions = actions.then(KeyAction::Up { value });
        }
        self.client.perform_actions(actions).await.unwrap();
    }

    /// Opens the log dialog as a user does from anywhere, with Ctrl L.
    pub async fn open_log(&self) {
        self.keys("\u{E009}l\u{E000}").await;
        self.wait_for("#log-dialog[open]").await;
    }

    /// Closes the log dialog with Esc, as a user does when nothing is written in it.
    pub async fn close_log(&self) {
        self.keys("\u{E00C}").await;
        self.wait_for("#log-dialog:not([open])").await;
    }

    /// Runs `script` in the page and returns what it returns.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("the page could not run {script:?}: {e}"))
    }

    /// Opens the client page of `name` from the client list, as a user clicks through to it.
    pub async fn open_client(&self, name: &str) {
        self.click("a[data-nav=clients]").await;
        self.wait_for_text("#clients tbody", name).await;
        let link = self
            .client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::LinkText(name))
            .await
            .unwrap_or_else(|e| panic!("no link to {name} in the client list: {e}"));
        match link.click().await {
            Ok(()) => {}
            // The list was drawn anew under the pointer: its new link is the one to click.
            Err(e) if e.is_stale_element_reference() => {
                let link = Locator::LinkText(name);
                self.client.find(link).await.unwrap().click().await.unwrap();
            }
            Err(e) => panic!("cannot click the link to {name}: {e}"),
        }
        self.wait_for_text("#client-name", name).await;
    }

    /// Chooses `file` in the import's file field.
    pub async fn choose_import(&self, file: &Path) {
        let field = self.wait_for("#import-file").await;
        field.send_keys(file.to_str().unwrap()).await.unwrap();
    }

    /// Waits until the page has drawn two more frames: whatever a script's scroll or a resize
    /// set off (its handlers, the layout after them) has run.
    pub async fn frames(&self) {
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                vec![],
            )
            .await
            .expect("the page draws frames");
    }

    /// How many times the reminder loop has looked at the journal, as it tells the window in
    /// debug builds; `None` until it has told once since the first call.
    async fn reminder_looks(&self) -> Option<u64> {
        self.client
            .execute(
                "if (!window.__reminderLooks) {
                     window.__reminderLooks = { n: null };
                     window.__TAURI__.event.listen('reminders-checked',
                         (e) => { window.__reminderLooks.n = e.payload; });
                 }
                 return window.__reminderLooks.n;",
                vec![],
            )
            .await
            .unwrap()
            .as_u64()
    }

    /// Waits until the reminder loop has looked at the journal at least once from start to end
    /// after this call (two more looks: one may have been under way), so that what it would
    /// tell by now, it has told. Set a short [`REMINDER_TICK`] for the app, or each look is a
    /// half-minute apart.
    pub async fn wait_for_a_reminder_look(&self) {
        let limit = Duration::from_secs(70);
        let first = eventually("a look of the reminder loop", limit, || {
            self.reminder_looks()
        })
        .await;
        eventually("two more looks of the reminder loop", limit, || async {
            self.reminder_looks().await.filter(|n| *n >= first + 2)
        })
        .await;
    }

    /// Saves what the window shows as `e2e-screenshots/<name>.png` at the workspace root.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("e2e-screenshots")
            .join(format!("{name}.png"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, png).unwrap();
    }

    /// Closes the window and stops the driver.
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        stop(&mut self.driver, &self.data_dir);
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // A failed assertion skips stop(); the driver and the app still go.
        stop(&mut self.driver, &self.data_dir);
    }
}

/// Stops the driver, then makes sure the app is gone too: an app left running would tell its
/// reminders to the next test's notification daemon.
fn stop(driver: &mut Child, data_dir: &Path) {
    stop_driver(driver);
    let started = Instant::now();
    loop {
        let left = tray::app_processes(data_dir);
        if left.is_empty() {
            return;
        }
        if started.elapsed() > Duration::from_secs(10) {
            panic!("the app ({left:?}) would not stop");
        }
        for pid in left {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Stops tauri-driver with SIGTERM, which it passes on to WebKitWebDriver (a SIGKILL would leave
/// that running); SIGKILL only if it has not gone within 5 s.
fn stop_driver(driver: &mut Child) {
    if matches!(driver.try_wait(), Ok(Some(_))) {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &driver.id().to_string()])
        .status();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        if matches!(driver.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = driver.kill();
    let _ = driver.wait();
}

/// Adds `client` at `stage`, `added_days_ago`, with `touch` logged `touched_days_ago` (its
/// `client_id` and `at` are filled in); returns the client's id.
pub fn add_touched(
    journal: &mut rapport::Journal,
    client: rapport::ClientInput,
    stage: rapport::Stage,
    added_days_ago: i64,
    touch: rapport::TouchInput,
    touched_days_ago: i64,
) -> i64 {
    let now = chrono::Utc::now();
    let id = journal
        .create_client(&client, stage, now - chrono::Duration::days(added_days_ago))
        .unwrap()
        .id;
    let at = now - chrono::Duration::days(touched_days_ago);
    journal
        .log_touch(
            &rapport::TouchInput {
                client_id: id,
                at: Some(at),
                ..touch
            },
            now,
        )
        .unwrap();
    id
}

/// The app started on a fresh data folder holding [`seed`]'s journal; the folder lives as long
/// as what is returned.
pub async fn seeded_app() -> (tempfile::TempDir, App) {
    let dir = data_dir();
    seed(dir.path());
    let app = App::start(dir.path()).await;
    (dir, app)
}

/// The passphrase of the journals the tests make through the window.
pub const PASSPHRASE: &str = "a test passphrase";

/// Opens the journal in `dir` from the test, as the app opens it: in plain text as seeded, or
/// encrypted with the key [`PASSPHRASE`] wraps.
pub fn open_journal(dir: &Path) -> rapport::Journal {
    let path = dir.join(rapport::FILE_NAME);
    if rapport::Journal::in_plain_text(&path) {
        return rapport::Journal::open(&path).unwrap();
    }
    let key = rapport::read_key_file(&dir.join(rapport::KEY_FILE_NAME), PASSPHRASE).unwrap();
    rapport::Journal::open_encrypted(&path, &key).unwrap()
}

/// A fresh data folder for one test.
pub fn data_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary data folder")
}

/// How long most tests may take, from their turn.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(120);

/// The reminder loop's tick for tests that watch it (`RAPPORT_REMINDER_TICK_MS`, read by debug
/// builds only): a look every quarter of a second instead of every half-minute.
pub const REMINDER_TICK: (&str, &str) = ("RAPPORT_REMINDER_TICK_MS", "250");

/// A journal written through the core, as a user's would be after some weeks of work.
pub fn seed(dir: &std::path::Path) {
    let now = chrono::Utc::now();
    let mut j = rapport::Journal::open(dir.join(rapport::FILE_NAME)).unwrap();
    let ada = rapport::ClientInput {
        name: "Ada Lovelace".into(),
        organisation: "Analytical Engines".into(),
        cadence_days: Some(14),
        ..Default::default()
    };
    let meeting = rapport::TouchInput {
        kind: rapport::TouchKind::Meeting,
        summary: "Reviewed the engine plans".into(),
        follow_up: Some(rapport::FollowUpDraft {
            what: "Send the Bernoulli notes".into(),
            due_at: now - chrono::Duration::days(3),
        }),
        ..Default::default()
    };
    add_touched(&mut j, ada, rapport::Stage::Foothold, 90, meeting, 40);
    let grace = rapport::ClientInput {
        name: "Grace Hopper".into(),
        organisation: "Navy Computing".into(),
        ..Default::default()
    };
    let call = rapport::TouchInput {
        summary: "COBOL standards call".into(),
        ..Default::default()
    };
    add_touched(&mut j, grace, rapport::Stage::OnlyMe, 300, call, 2);
}
