//! The keyring as a desktop has it: a real GNOME Keyring (`gnome-keyring-daemon`) on a D-Bus
//! session bus of the test's own, unlocked by a test password; and a bus with no keyring.

use rapport_keyring::{Keyring, Trouble};
use rapport_testkit::desktop::Desktop;

/// A desktop session with GNOME Keyring, once its keyring answers.
fn with_keyring() -> Desktop {
    Desktop::with_keyring(|bus| Keyring::on_bus(bus).check())
}

#[test]
fn a_key_kept_in_the_keyring_comes_back_for_its_journal_only() {
    let desktop = with_keyring();
    let ring = Keyring::on_bus(&desktop.address);
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
    let desktop = with_keyring();
    let ring = Keyring::on_bus(&desktop.address);
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
    let ring = Keyring::on_bus(&desktop.address);
    let said = ring.load("/home/ada/rapport").unwrap_err();
    assert!(matches!(said, Trouble::NoKeyring(_)), "{said:?}");
    assert!(said.to_string().contains("has no keyring"), "{said}");
    // And with no session bus at all.
    let nowhere = Keyring::on_bus("unix:path=/nonexistent/rapport-test-bus");
    assert!(matches!(nowhere.check(), Err(Trouble::NoKeyring(_))));
}
