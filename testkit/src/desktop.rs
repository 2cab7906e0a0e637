//! A desktop session of a test's own: a D-Bus session bus, and on it, if asked, a real GNOME
//! Keyring whose login keyring is made and unlocked with a test password, as at a login. Its
//! folders are temporary, so a test never sees the tester's own keyring.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The password the login keyring is made and unlocked with.
pub const LOGIN_PASSWORD: &str = "test login password";

/// A session bus, and its keyring daemon if it has one; both stop when it is dropped.
pub struct Desktop {
    home: tempfile::TempDir,
    bus: Child,
    keyring: Option<Child>,
    /// The bus's address, for a program's `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for child in self
            .keyring
            .iter_mut()
            .chain(std::iter::once(&mut self.bus))
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Desktop {
    /// A session bus with nothing on it: a desktop with no keyring.
    pub fn without_keyring() -> Desktop {
        let home = tempfile::tempdir().expect("a temporary home");
        let socket = home.path().join("bus");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs (package dbus)");
        // The daemon prints its address once it listens: the signal that the bus is up.
        let mut address = String::new();
        BufReader::new(bus.stdout.take().expect("its output"))
            .read_line(&mut address)
            .expect("the bus's address");
        Desktop {
            home,
            bus,
            keyring: None,
            address: address.trim().to_string(),
        }
    }

    /// A session bus with GNOME Keyring on it, unlocked with [`LOGIN_PASSWORD`]. Returns once
    /// `ready` (given the bus's address) says the keyring answers: the daemon takes its name on
    /// the bus and makes the login keyring some time after it starts, and says nothing when it
    /// has, so the keyring is asked until it answers, for at most 30 s.
    pub fn with_keyring<E: std::fmt::Display>(ready: impl Fn(&str) -> Result<(), E>) -> Desktop {
        let mut desktop = Desktop::without_keyring();
        let home = desktop.home.path();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &desktop.address)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", home)
            .env_remove("DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon runs (package gnome-keyring)");
        // The password on standard input, then its end: the daemon unlocks with it.
        let mut stdin = keyring.stdin.take().expect("its input");
        stdin
            .write_all(LOGIN_PASSWORD.as_bytes())
            .expect("the password written");
        drop(stdin);
        desktop.keyring = Some(keyring);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match ready(&desktop.address) {
                Ok(()) => break,
                Err(e) if Instant::now() > deadline => panic!("the keyring never came up: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        desktop
    }

    /// A folder of the session's own (for a program's `TMPDIR`).
    pub fn folder(&self, name: &str) -> PathBuf {
        let dir = self.home.path().join(name);
        std::fs::create_dir_all(&dir).expect("a folder in the session's home");
        dir
    }
}
