// Shared by two test binaries (app.rs, reminders.rs); each uses only part of it.
#![allow(dead_code)]

//! Driving the real app: `tauri-driver` in front of WebKitWebDriver, under the Xvfb display and
//! D-Bus session that `make test` provides, one data folder per test.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

pub mod notifications;
pub mod tray;

/// One app at a time: two WebKit windows starting together on two cores make timing flaky.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The running app, driven through WebDriver; closed and stopped when dropped.
pub struct App {
    pub client: Client,
    driver: Child,
    data_dir: PathBuf,
    _turn: tokio::sync::MutexGuard<'static, ()>,
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
    /// until its page says it is ready (`body[data-ready]`).
    pub async fn start_binary(binary: &str, data_dir: &Path, env: &[(&str, &str)]) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the end-to-end tests need a display: run them through `make test` (Xvfb)"
        );
        let turn = ONE_AT_A_TIME.lock().await;
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
            _turn: turn,
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
        let started = Instant::now();
        while !self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
            .is_empty()
        {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{css} is still there after 15 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap()
    }

    /// Clicks the element matching `css`.
    /// A click can be refused for a moment while a dialog closes or a view redraws; it is
    /// tried again for up to 5 s, as a person would click again.
    pub async fn click(&self, css: &str) {
        let started = Instant::now();
        loop {
            match self.wait_for(css).await.click().await {
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
        let input = self.wait_for(css).await;
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    /// Sends keys to whatever has the focus (e.g. `"\u{E007}"`, WebDriver's Enter).
    pub async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// Waits up to 15 s until the text of `css` contains `wanted`; returns that text.
    pub async fn wait_for_text(&self, css: &str, wanted: &str) -> String {
        self.wait_for_text_within(css, wanted, 15).await
    }

    /// As [`App::wait_for_text`], waiting up to `seconds`.
    pub async fn wait_for_text_within(&self, css: &str, wanted: &str, seconds: u64) -> String {
        let started = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(wanted) {
                return text;
            }
            if started.elapsed() > Duration::from_secs(seconds) {
                panic!("{css} never said {wanted:?}; it says {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves what the window shows as `e2e-screenshots/<name>.png` at the workspace root.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
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

/// A fresh data folder for one test.
pub fn data_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary data folder")
}

/// Stops a run that would otherwise hang if something in the chain never answers.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(120);
