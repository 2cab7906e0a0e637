//! A desktop session of a test's own with a real keyring: a D-Bus session bus and GNOME
//! Keyring on it, its login keyring made and unlocked with a test password, as at a login.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Desktop {
    home: tempfile::TempDir,
    bus: Child,
    keyring: Child,
    /// The bus's address, for the app's `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Desktop {
    pub fn with_keyring() -> Desktop {
        let home = tempfile::tempdir().unwrap();
        let socket = home.path().join("bus");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs (package dbus)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .env_remove("DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon runs (package gnome-keyring)");
        let mut stdin = keyring.stdin.take().unwrap();
        stdin.write_all(b"test login password").unwrap();
        drop(stdin);
        let ring = rapport_keyring::Keyring::on_bus(&address);
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Err(e) = ring.check() {
            assert!(Instant::now() < deadline, "the keyring never came up: {e}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Desktop {
            home,
            bus,
            keyring,
            address,
        }
    }

    pub fn keyring(&self) -> rapport_keyring::Keyring {
        rapport_keyring::Keyring::on_bus(&self.address)
    }

    /// A folder of the session's own (for the app's `TMPDIR`).
    pub fn folder(&self, name: &str) -> std::path::PathBuf {
        let dir = self.home.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
