//! The keyring as a desktop has it: a real GNOME Keyring (`gnome-keyring-daemon`) on a D-Bus
//! session bus of the test's own, unlocked by a test password; and a bus with no keyring.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rapport_keyring::{Keyring, Trouble};

/// A desktop session of the test's own: its bus, and its keyring if it has one.
struct Desktop {
    _home: tempfile::TempDir,
    bus: Child,
    keyring: Option<Child>,
    address: String,
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
    /// A session bus with nothing on it.
    fn without_keyring() -> Desktop {
        let home = tempfile::tempdir().unwrap();
        let socket = home.path().join("bus");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs (package dbus)");
        // The daemon prints its address once it listens.
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        Desktop {
            _home: home,
            bus,
            keyring: None,
            address: address.trim().to_string(),
        }
    }

    /// A session bus with GNOME Keyring on it, its login keyring made and unlocked with
    /// `password`, as at a desktop login.
    fn with_keyring(password: &str) -> Desktop {
        let mut desktop = Desktop::without_keyring();
        let home = desktop._home.path();
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
        let mut stdin = keyring.stdin.take().unwrap();
        stdin.write_all(password.as_bytes()).unwrap();
        drop(stdin);
        desktop.keyring = Some(keyring);
        let ring = Keyring::on_bus(&desktop.address);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match ring.check() {
                Ok(()) => break,
                Err(e) if Instant::now() > deadline => panic!("the keyring never came up: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        desktop
    }

    fn keyring(&self) -> Keyring {
        Keyring::on_bus(&self.address)
    }
}

#[test]
fn a_key_kept_in_the_keyring_comes_back_for_its_journal_only() {
    let desktop = Desktop::with_keyring("test login password");
    let ring = desktop.keyring();
    let key = [7u8; 32];
    ring.store("/home/ada/.local/share/rapport", &key).unwrap();
    let back = ring.load("/home/ada/.local/share/rapport").unwrap();
    assert_eq!(back.as_deref().map(Vec::as_slice), Some(&key[..]));
    assert_eq!(
        ring.load("/media/usb/rapport").unwrap(),
        None,
        "another journal's"
    );

    // Stored again (a new key after a re-encryption), it replaces the first.
    ring.store("/home/ada/.local/share/rapport", &[9u8; 32])
        .unwrap();
    let back = ring
        .load("/home/ada/.local/share/rapport")
        .unwrap()
        .unwrap();
    assert_eq!(&back[..], &[9u8; 32][..]);

    ring.forget("/home/ada/.local/share/rapport").unwrap();
    assert_eq!(ring.load("/home/ada/.local/share/rapport").unwrap(), None);
}

#[test]
fn a_locked_keyring_is_said_locked_and_not_taken_for_an_empty_one() {
    let desktop = Desktop::with_keyring("test login password");
    let ring = desktop.keyring();
    ring.store("/home/ada/rapport", &[1u8; 32]).unwrap();
    ring.lock().unwrap();
    assert_eq!(ring.check(), Err(Trouble::Locked));
    assert_eq!(ring.load("/home/ada/rapport"), Err(Trouble::Locked));
    assert_eq!(
        ring.store("/home/ada/rapport", &[2u8; 32]),
        Err(Trouble::Locked)
    );
}

#[test]
fn a_desktop_with_no_keyring_is_told_from_one_that_is_locked() {
    let desktop = Desktop::without_keyring();
    let ring = desktop.keyring();
    let said = ring.load("/home/ada/rapport").unwrap_err();
    assert!(matches!(said, Trouble::NoKeyring(_)), "{said:?}");
    assert!(said.to_string().contains("has no keyring"), "{said}");
    // And with no session bus at all.
    let nowhere = Keyring::on_bus("unix:path=/nonexistent/rapport-test-bus");
    assert!(matches!(nowhere.check(), Err(Trouble::NoKeyring(_))));
}
