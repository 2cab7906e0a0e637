//! The journal encrypted at rest, as a user meets it: a real keyring (GNOME Keyring on a bus of
//! the test's own) keeps the key, Rapport opens without asking, and nothing typed is readable
//! in any file it writes.

use crate::util::keyring::Desktop;
use crate::util::{data_dir, App, ENTER};

/// Whether `text` is in `bytes`, as UTF-8 or as UTF-16 either way round.
fn shows(bytes: &[u8], text: &str) -> bool {
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    [text.as_bytes().to_vec(), le, be]
        .iter()
        .any(|n| bytes.windows(n.len()).any(|w| w == n.as_slice()))
}

/// Every file under `dir`, subfolders included.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

e2e_test! {
    /// A new user on a desktop with a keyring: the journal is encrypted from its first write,
    /// its key kept in the keyring; a client, touches and notes typed with a marker, and a
    /// backup taken, leave the marker in no file of the data folder, the backups folder or the
    /// app's temporary folder; and the next start opens the journal without asking anything.
    async fn a_new_journal_is_encrypted_with_its_key_in_the_keyring_and_no_file_shows_what_was_typed() {
        let desktop = Desktop::with_keyring();
        let dir = data_dir();
        let temp = desktop.folder("tmp");
        let marker = format!("Zyxomarker{}", std::process::id());
        let temp_value = temp.display().to_string();
        let env = [
            ("DBUS_SESSION_BUS_ADDRESS", desktop.address.as_str()),
            ("TMPDIR", temp_value.as_str()),
        ];
        let app = App::start_with(dir.path(), &env).await;
        app.wait_for_text("#welcome", "Welcome to Rapport").await;
        app.click("#welcome-log").await;
        let name = format!("Ada {marker}");
        app.type_into("#log-client", &name).await;
        app.wait_for_text("#log-client-options", "as a new client").await;
        app.keys(ENTER).await;
        app.type_into("#log-summary", &format!("Call about {marker}")).await;
        app.type_into("#log-body", &format!("She said {marker} twice.")).await;
        app.click("#log-save").await;
        app.wait_for_text("#toasts", "a new client").await;
        // The welcome gives way to Today once there is a client; the next touches are logged
        // from there. (Typed during that swap, a shortcut was once lost: see the closing note.)
        app.wait_for("#log-dialog:not([open])").await;
        app.wait_for("#today-summary").await;
        for n in 0..3 {
            app.js("document.activeElement?.blur()").await;
            app.type_fast(&format!("\u{E009}l\u{E000}{name}{ENTER}")).await;
            app.wait_for("#log-summary:focus").await;
            app.type_into("#log-summary", &format!("Follow-up {n} on {marker}")).await;
            app.click("#log-save").await;
            app.wait_for_text("#toasts", &format!("Touch logged with {name}")).await;
        }
        app.click("a[data-nav=settings]").await;
        app.click("#backup-now").await;
        app.wait_for_text("#toasts", "Backed up and checked").await;
        app.stop().await;

        // The key is in the keyring, and opens the journal; nothing opens it without.
        let folder = std::fs::canonicalize(dir.path()).unwrap().display().to_string();
        let key = desktop.keyring().load(&folder).unwrap().expect("the key in the keyring");
        let key = rapport::Key::from_bytes(key.as_slice().try_into().unwrap());
        let path = dir.path().join(rapport::FILE_NAME);
        let journal = rapport::Journal::open_encrypted(&path, &key).unwrap();
        assert_eq!(journal.counts().unwrap().touches, 4);
        drop(journal);
        assert!(rapport::Journal::open(&path).is_err(), "no key, no journal");

        let mut scanned = files_under(dir.path());
        scanned.extend(files_under(&temp));
        assert!(
            scanned.iter().any(|p| p.starts_with(rapport::backups_dir(&path))),
            "a backup is among the files: {scanned:?}"
        );
        for file in &scanned {
            let bytes = std::fs::read(file).unwrap_or_default();
            assert!(!shows(&bytes, &marker), "{} shows what was typed", file.display());
        }

        // The next start opens it through the keyring, asking nothing.
        let app = App::start_with(dir.path(), &env).await;
        app.open_client(&name).await;
        app.wait_for_text("#timeline", "Follow-up 2 on").await;
        app.screenshot("encrypted-journal-opened-through-the-keyring").await;
        app.stop().await;
    }
}
