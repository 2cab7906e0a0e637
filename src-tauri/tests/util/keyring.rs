//! A desktop session of a test's own with a real keyring: testkit's [`Desktop`], ready once
//! Rapport's own keyring client gets an answer from it.

use rapport_keyring::Keyring;
pub use rapport_testkit::desktop::Desktop;

/// A desktop session with GNOME Keyring on its bus, unlocked as at a login.
pub fn with_keyring() -> Desktop {
    Desktop::with_keyring(|bus| Keyring::on_bus(bus).check())
}

/// The keyring of `desktop`, as the app reaches it.
pub fn keyring(desktop: &Desktop) -> Keyring {
    Keyring::on_bus(&desktop.address)
}
