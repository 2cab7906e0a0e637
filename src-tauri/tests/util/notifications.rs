//! A stand-in notification daemon: owns `org.freedesktop.Notifications` on the test's own
//! session bus and records every `Notify` call, so a test sees exactly what a desktop would show.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use zbus::zvariant::OwnedValue;

/// One notification as the daemon received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub summary: String,
    pub body: String,
}

struct Daemon {
    shown: Arc<Mutex<Vec<Shown>>>,
    capabilities: Vec<String>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Daemon {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        shown.push(Shown { summary, body });
        shown.len() as u32
    }

    fn close_notification(&self, _id: u32) {}

    fn get_capabilities(&self) -> Vec<String> {
        self.capabilities.clone()
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "rapport-test-daemon".into(),
            "rapport".into(),
            "1".into(),
            "1.2".into(),
        )
    }
}

/// The running daemon; releases the bus name when dropped.
pub struct Notifications {
    shown: Arc<Mutex<Vec<Shown>>>,
    _connection: zbus::Connection,
}

impl Notifications {
    /// Takes `org.freedesktop.Notifications` on the session bus of `dbus-run-session`, as a
    /// server that shows bodies as plain text.
    pub async fn start() -> Notifications {
        Self::start_with(&["body"]).await
    }

    /// As [`Notifications::start`], saying it has `capabilities` (`body-markup`: it reads
    /// markup in bodies, as GNOME's, KDE's and dunst do).
    pub async fn start_with(capabilities: &[&str]) -> Notifications {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "the notification tests need a session bus: run them through `make test`"
        );
        let shown = Arc::new(Mutex::new(Vec::new()));
        let connection = zbus::connection::Builder::session()
            .unwrap()
            .name("org.freedesktop.Notifications")
            .unwrap()
            .serve_at(
                "/org/freedesktop/Notifications",
                Daemon {
                    shown: shown.clone(),
                    capabilities: capabilities.iter().map(|c| c.to_string()).collect(),
                },
            )
            .unwrap()
            .build()
            .await
            .expect("own org.freedesktop.Notifications on the session bus");
        Notifications {
            shown,
            _connection: connection,
        }
    }

    /// Everything shown so far.
    pub fn shown(&self) -> Vec<Shown> {
        self.shown.lock().unwrap().clone()
    }

    /// Waits up to `seconds` for at least `n` notifications; returns all shown.
    pub async fn wait_for(&self, n: usize, seconds: u64) -> Vec<Shown> {
        let limit = std::time::Duration::from_secs(seconds);
        super::eventually(format!("{n} notifications"), limit, || async {
            let shown = self.shown();
            (shown.len() >= n).then_some(shown)
        })
        .await
    }
}
