//! The journal encrypted at rest, as a user meets it: a real keyring (GNOME Keyring on a bus of
//! the test's own) keeps the key, Rapport opens without asking, and nothing typed is readable
//! in any file it writes.

use crate::util::keyring::{keyring, with_keyring};
use crate::util::{data_dir, seed, App, ENTER, PASSPHRASE};

/// Whether `text` is in `bytes`, as UTF-8 or as UTF-16 either way round.
fn shows(bytes: &[u8], text: &str) -> bool {
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    [text.as_bytes().to_vec(), le, be]
        .iter()
        .any(|n| bytes.windows(n.len()).any(|w| w == n.as_slice()))
}

/// A journal in `dir` encrypted with a new key that [`PASSPHRASE`] wraps in its key file, as a
/// desktop with no keyring keeps it; and the key.
fn encrypted_journal(dir: &std::path::Path) -> (rapport::Journal, rapport::Key) {
    let key = rapport::Key::generate().unwrap();
    rapport::write_key_file(&dir.join(rapport::KEY_FILE_NAME), &key, PASSPHRASE).unwrap();
    let journal = rapport::Journal::open_encrypted(dir.join(rapport::FILE_NAME), &key).unwrap();
    (journal, key)
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
        let desktop = with_keyring();
        let dir = data_dir();
        let temp = desktop.folder("tmp");
        let marker = format!("Zyxomarker{}", std::process::id());
        let temp_value = temp.display().to_string();
        let env = [
            ("DBUS_SESSION_BUS_ADDRESS", desktop.address.as_str()),
            ("TMPDIR", temp_value.as_str()),
        ];
        let app = App::start_with(dir.path(), &env).await;
        // The first run asks for a passphrase once, says what losing it means, and gives the
        // recovery key to keep.
        app.wait_for_text(".form-dialog", "should that keyring be lost").await;
        assert!(app.text(".form-dialog .warning").await.contains("nobody can open your journal"));
        app.type_into("#set-passphrase", PASSPHRASE).await;
        app.type_into("#set-passphrase-again", PASSPHRASE).await;
        app.click("#form-save").await;
        let recovery = app.text("#recovery-key").await;
        app.screenshot("first-run-recovery-key").await;
        app.click("#recovery-done").await;
        app.wait_gone("dialog[open]").await;
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
        let key = keyring(&desktop).load(&folder).unwrap().expect("the key in the keyring");
        let key = rapport::Key::from_bytes(key.as_slice().try_into().unwrap());
        let path = dir.path().join(rapport::FILE_NAME);
        let journal = rapport::Journal::open_encrypted(&path, &key).unwrap();
        assert_eq!(journal.counts().unwrap().touches, 4);
        drop(journal);
        assert!(rapport::Journal::open(&path).is_err(), "no key, no journal");
        // The passphrase and the recovery key stand for the same key.
        let file = dir.path().join(rapport::KEY_FILE_NAME);
        assert_eq!(rapport::read_key_file(&file, PASSPHRASE).unwrap().as_bytes(), key.as_bytes());
        assert_eq!(rapport::Key::from_recovery_text(&recovery).unwrap().as_bytes(), key.as_bytes());

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

        // A locked keyring is said as such, never passed over: the passphrase opens the
        // journal instead.
        keyring(&desktop).lock().unwrap();
        let app = App::start_at_the_lock(dir.path(), &env).await;
        app.wait_for_text("#journal-lock h1", "The keyring is locked").await;
        app.screenshot("keyring-locked").await;
        app.click("#use-passphrase").await;
        app.type_into("#unlock-passphrase", "not the passphrase").await;
        app.keys(ENTER).await;
        app.wait_for_text("#lock-error", "does not open your journal").await;
        app.type_into("#unlock-passphrase", PASSPHRASE).await;
        app.keys(ENTER).await;
        app.wait_for("body[data-ready] > #journal-lock[hidden]").await;
        app.open_client(&name).await;
        app.wait_for_text("#timeline", "Follow-up 2 on").await;
        app.stop().await;
    }
}

e2e_test! {
    /// A desktop with no keyring: the new journal asks for a passphrase before it is made
    /// (twice, the same, long enough), shows the recovery key, and then asks for the passphrase
    /// at each start; a wrong one is refused, saying so, with nothing changed.
    async fn without_a_keyring_the_journal_is_made_with_a_passphrase_and_opens_with_it() {
        let dir = data_dir();
        let app = App::start_at_the_lock(dir.path(), &[]).await;
        app.wait_for_text("#journal-lock h1", "Choose a passphrase").await;
        app.type_into("#choose-passphrase", "short").await;
        app.type_into("#choose-passphrase-again", "short").await;
        app.keys(ENTER).await;
        app.wait_for_text("#choose-passphrase-error", "at least 8").await;
        app.type_into("#choose-passphrase", PASSPHRASE).await;
        app.type_into("#choose-passphrase-again", "a test passphrasf").await;
        app.keys(ENTER).await;
        app.wait_for_text("#choose-passphrase-error", "differ").await;
        assert!(!dir.path().join(rapport::FILE_NAME).exists(), "no journal before the passphrase");
        app.type_into("#choose-passphrase-again", PASSPHRASE).await;
        app.screenshot("choose-passphrase").await;
        app.keys(ENTER).await;
        let recovery = app.text("#recovery-key").await;
        app.screenshot("new-journal-recovery-key").await;
        app.click("#recovery-done").await;
        app.wait_for("body[data-ready] > #journal-lock[hidden]").await;
        app.click("#welcome-log").await;
        app.wait_for("#log-client:focus").await;
        app.type_into("#log-client", "Grace Hopper").await;
        app.wait_for_text("#log-client-options", "as a new client").await;
        app.keys(ENTER).await;
        app.type_into("#log-summary", "Compilers").await;
        app.click("#log-save").await;
        app.wait_for_text("#toasts", "a new client").await;
        app.stop().await;

        let app = App::start_at_the_lock(dir.path(), &[]).await;
        app.wait_for_text("#journal-lock h1", "Unlock your journal").await;
        app.type_into("#unlock-passphrase", "a wrong passphrase").await;
        app.keys(ENTER).await;
        app.wait_for_text("#lock-error", "does not open your journal").await;
        app.wait_for("#unlock-passphrase:focus").await;
        app.screenshot("unlock-wrong-passphrase").await;
        app.type_into("#unlock-passphrase", PASSPHRASE).await;
        app.keys(ENTER).await;
        app.wait_for("body[data-ready] > #journal-lock[hidden]").await;
        app.open_client("Grace Hopper").await;
        app.wait_for_text("#timeline", "Compilers").await;
        app.stop().await;

        // The recovery key opens it too, where the passphrase is forgotten, and the passphrase
        // is chosen anew.
        let app = App::start_at_the_lock(dir.path(), &[]).await;
        app.click("#use-recovery").await;
        app.type_into("#unlock-recovery", &recovery.to_lowercase().replace('-', " ")).await;
        app.keys(ENTER).await;
        app.wait_for_text(".form-dialog", "Change the passphrase").await;
        app.type_into("#set-passphrase", "a new passphrase").await;
        app.type_into("#set-passphrase-again", "a new passphrase").await;
        app.click("#form-save").await;
        app.wait_for("body[data-ready] > #journal-lock[hidden]").await;
        app.open_client("Grace Hopper").await;
        app.wait_for_text("#timeline", "Compilers").await;
        app.stop().await;
        let file = dir.path().join(rapport::KEY_FILE_NAME);
        assert!(rapport::read_key_file(&file, "a new passphrase").is_ok());
        assert!(rapport::read_key_file(&file, PASSPHRASE).is_err());
    }
}

e2e_test! {
    /// A journal in plain text from an earlier Rapport, with a backup: Today offers to encrypt
    /// it; with the user's agreement (and a passphrase, there being no keyring) it is encrypted
    /// with everything in it, its old backup encrypted too, and it opens with the passphrase.
    async fn an_old_journal_in_plain_text_is_encrypted_when_the_user_agrees_with_nothing_lost() {
        let dir = data_dir();
        seed(dir.path());
        let path = dir.path().join(rapport::FILE_NAME);
        let before = {
            let journal = rapport::Journal::open(&path).unwrap();
            journal
                .back_up_now(rapport::backups_dir(&path), chrono::Utc::now())
                .unwrap();
            journal.counts().unwrap()
        };
        let app = App::start(dir.path()).await;
        app.wait_for_text("#encrypt-banner", "plain text").await;
        app.screenshot("encrypt-offer").await;
        app.click("#encrypt-offer").await;
        app.wait_for_text(".form-dialog", "no keyring").await;
        app.click("#form-save").await;
        app.wait_for_text("#encrypt-passphrase-error", "at least 8").await;
        app.type_into("#encrypt-passphrase", PASSPHRASE).await;
        app.type_into("#encrypt-passphrase-again", PASSPHRASE).await;
        app.click("#form-save").await;
        app.wait_for_text(".recovery-dialog", "Your journal is encrypted").await;
        app.wait_for_text("#old-backups", "1 backup from before is still in plain text").await;
        app.click("#encrypt-old-backups").await;
        app.wait_for_text("#old-backups", "1 backup encrypted").await;
        app.click("#recovery-done").await;
        app.wait_gone("#encrypt-banner").await;
        app.wait_for_text("#today-summary", "overdue").await;
        app.stop().await;

        assert!(!rapport::Journal::in_plain_text(&path));
        let key = rapport::read_key_file(&dir.path().join(rapport::KEY_FILE_NAME), PASSPHRASE)
            .unwrap();
        let journal = rapport::Journal::open_encrypted(&path, &key).unwrap();
        assert_eq!(journal.counts().unwrap(), before);
        drop(journal);
        assert!(rapport::plaintext_backups(rapport::backups_dir(&path)).unwrap().is_empty());
        let listed = rapport::list_backups(rapport::backups_dir(&path), Some(&key)).unwrap();
        assert!(listed.iter().all(|b| b.problem.is_none()), "{listed:?}");
        for file in files_under(dir.path()) {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert!(!shows(&bytes, "Bernoulli"), "{} is readable", file.display());
        }

        let app = App::start(dir.path()).await;
        app.wait_for_text("#needs", "Ada Lovelace").await;
        assert!(app.client.find(fantoccini::Locator::Css("#encrypt-banner")).await.is_err());
        app.stop().await;
    }
}

e2e_test! {
    /// A journal opened by its passphrase (no keyring) locks when the desktop locks its screen
    /// and after the idle time chosen; while locked, a reminder still comes for someone who
    /// falls due, naming nobody and nothing written; the passphrase opens it again.
    async fn a_journal_opened_by_its_passphrase_locks_at_the_screen_lock_and_when_idle() {
        use crate::util::notifications::Notifications;
        let dir = data_dir();
        let path = dir.path().join(rapport::FILE_NAME);
        let (mut j, key) = encrypted_journal(dir.path());
        let t = chrono::NaiveTime::from_hms_opt(0, 0, 0).unwrap();
        j.set_quiet_hours(rapport::QuietHours { start: t, end: t }).unwrap();
        // Someone whose 14-day rhythm runs out 12 seconds into the test.
        j.create_client(
            &rapport::ClientInput {
                name: "Secretname Client".into(),
                cadence_days: Some(14),
                ..Default::default()
            },
            rapport::Stage::MeToo,
            chrono::Utc::now() - chrono::Duration::days(14) + chrono::Duration::seconds(12),
        )
        .unwrap();
        drop(j);
        let daemon = Notifications::start().await;
        let env = [crate::util::REMINDER_TICK, ("RAPPORT_IDLE_MINUTE_MS", "1500")];
        // The helper types the passphrase at the screen that asks for it.
        let app = App::start_with(dir.path(), &env).await;
        app.wait_for_text("#needs-empty", "Nobody is waiting").await;
        assert!(daemon.shown().is_empty(), "nobody is due yet: {:?}", daemon.shown());

        // The desktop locks its screen: so does Rapport, at once.
        let bus = zbus::Connection::session().await.unwrap();
        bus.emit_signal(
            None::<&str>,
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            "ActiveChanged",
            &(true,),
        )
        .await
        .unwrap();
        app.wait_for_text("#journal-lock h1", "Unlock your journal").await;
        assert!(app.text("#journal-lock").await.contains("Rapport is locked"));

        // The client falls due while it is locked: told, naming nobody.
        let shown = daemon.wait_for(1, 30).await;
        assert_eq!(shown[0].summary, "Rapport is locked");
        assert_eq!(
            shown[0].body,
            "1 relationship needs a touch: unlock Rapport to see it."
        );
        app.screenshot("locked").await;

        app.type_into("#unlock-passphrase", PASSPHRASE).await;
        app.keys(ENTER).await;
        app.wait_for_text("#needs", "Secretname Client").await;

        // Idle for the time chosen (a minute, made 1.5 s here): locked again.
        app.click("a[data-nav=settings]").await;
        app.click("#lock-after option[value='1']").await;
        app.wait_for_text("#toasts", "Idle lock saved").await;
        app.wait_for_text_within("#journal-lock h1", "Unlock your journal", 20).await;
        app.type_into("#unlock-passphrase", PASSPHRASE).await;
        app.keys(ENTER).await;
        app.wait_for("body[data-ready] > #journal-lock[hidden]").await;
        app.stop().await;
        let j = rapport::Journal::open_encrypted(&path, &key).unwrap();
        assert_eq!(j.lock_after_minutes().unwrap(), 1);
    }
}

/// The page is no taller than the window: a screen that fits shows no scroll bar.
const FITS_WITHOUT_SCROLLING: &str = "return document.scrollingElement.scrollHeight <= innerHeight";

e2e_test! {
    /// The screens of encryption as a demanding user sees them, in light and dark, at the
    /// largest and the smallest window: the unlock screen, the Privacy card, the passphrase
    /// dialog, the recovery key, Today's offer to encrypt a journal in plain text and its
    /// dialog, and the first start's choice of a passphrase, each with its main button within
    /// the window.
    async fn the_unlock_screen_and_the_privacy_card_fit_in_light_and_dark() {
        let dir = data_dir();
        drop(encrypted_journal(dir.path()));
        let within = |css: &'static str| {
            format!(
                "const r = document.querySelector({css:?}).getBoundingClientRect();
                 return r.width > 0 && r.top >= 0 && r.left >= 0
                   && r.bottom <= innerHeight && r.right <= innerWidth"
            )
        };
        for (theme, env, size) in [
            ("light", &[][..], (1280, 800)),
            ("dark", &[("GTK_THEME", "Adwaita:dark")][..], (800, 600)),
        ] {
            let name = |view: &str| format!("{view}-{theme}-{}x{}", size.0, size.1);
            let app = App::start_at_the_lock(dir.path(), env).await;
            app.client.set_window_size(size.0, size.1).await.unwrap();
            app.frames().await;
            app.wait_for("#unlock-passphrase:focus").await;
            assert_eq!(app.js(&within("#unlock-submit")).await, true, "{theme}");
            assert_eq!(app.js(FITS_WITHOUT_SCROLLING).await, true, "{theme}: no scroll bar");
            app.screenshot(&name("unlock")).await;
            app.keys(PASSPHRASE).await;
            app.keys(ENTER).await;
            app.wait_for("body[data-ready] > #journal-lock[hidden]").await;
            app.client.set_window_size(size.0, size.1).await.unwrap();
            app.click("a[data-nav=settings]").await;
            app.wait_for_text("#privacy-state", "encrypted").await;
            app.js("document.getElementById('privacy').scrollIntoView()").await;
            app.frames().await;
            app.screenshot(&name("privacy-card")).await;
            app.click("#privacy-passphrase").await;
            app.wait_for("#set-passphrase:focus").await;
            app.frames().await;
            assert_eq!(app.js(&within(".form-dialog #form-save")).await, true, "{theme}");
            app.screenshot(&name("change-passphrase")).await;
            app.keys("\u{E00C}").await;
            app.wait_gone("dialog[open]").await;
            app.wait_for("#privacy-passphrase:focus").await;
            app.click("#privacy-recovery").await;
            app.wait_for("#recovery-done:focus").await;
            app.frames().await;
            assert_eq!(app.js(&within("#recovery-done")).await, true, "{theme}");
            app.screenshot(&name("recovery-key")).await;
            app.keys(ENTER).await;
            app.wait_gone("dialog[open]").await;
            app.wait_for("#privacy-recovery:focus").await;
            app.stop().await;

            // A journal in plain text from an earlier Rapport: Today's offer, and its dialog.
            let plain = data_dir();
            seed(plain.path());
            let app = App::start_with(plain.path(), env).await;
            app.client.set_window_size(size.0, size.1).await.unwrap();
            app.wait_for("#encrypt-banner").await;
            app.frames().await;
            assert_eq!(app.js(&within("#encrypt-offer")).await, true, "{theme}");
            app.screenshot(&name("encrypt-offer")).await;
            app.click("#encrypt-offer").await;
            app.wait_for("#encrypt-passphrase:focus").await;
            app.frames().await;
            assert_eq!(app.js(&within(".form-dialog #form-save")).await, true, "{theme}");
            app.screenshot(&name("encrypt-dialog")).await;
            app.keys("\u{E00C}").await;
            app.wait_gone("dialog[open]").await;
            app.wait_for("#encrypt-offer:focus").await;
            app.stop().await;

            // The first start on a desktop with no keyring: a passphrase is chosen first.
            let fresh = data_dir();
            let app = App::start_at_the_lock(fresh.path(), env).await;
            app.client.set_window_size(size.0, size.1).await.unwrap();
            app.wait_for("#choose-passphrase:focus").await;
            app.frames().await;
            assert_eq!(app.js(&within("#choose-submit")).await, true, "{theme}");
            assert_eq!(app.js(FITS_WITHOUT_SCROLLING).await, true, "{theme}: no scroll bar");
            app.screenshot(&name("choose-passphrase")).await;
            app.stop().await;
        }
    }
}

e2e_test! {
    /// A backup brought over from another computer's Rapport (another journal, another key)
    /// is listed as another journal's, refused with the wrong passphrase, and restored with that
    /// journal's passphrase, its key file copied beside it; the journal keeps its own key.
    async fn a_backup_of_another_journal_is_restored_with_that_journals_passphrase() {
        let dir = data_dir();
        let (mut journal, key) = encrypted_journal(dir.path());
        let client = |name: &str| rapport::ClientInput {
            name: name.into(),
            ..Default::default()
        };
        let now = chrono::Utc::now();
        journal.create_client(&client("Ada Lovelace"), rapport::Stage::MeToo, now).unwrap();
        drop(journal);

        let elsewhere = data_dir();
        let their_passphrase = "the old laptop's passphrase";
        let their_key = rapport::Key::generate().unwrap();
        let their_key_file = elsewhere.path().join(rapport::KEY_FILE_NAME);
        rapport::write_key_file(&their_key_file, &their_key, their_passphrase).unwrap();
        let their_path = elsewhere.path().join(rapport::FILE_NAME);
        let mut theirs = rapport::Journal::open_encrypted(&their_path, &their_key).unwrap();
        for name in ["Grace Hopper", "Katherine Johnson"] {
            theirs.create_client(&client(name), rapport::Stage::MeToo, now).unwrap();
        }
        let made = theirs.back_up_now(rapport::backups_dir(&their_path), now).unwrap();
        drop(theirs);
        // Brought over as the README says: the backup and, beside it, that journal's key file.
        let backups = rapport::backups_dir(dir.path().join(rapport::FILE_NAME));
        rapport::create_private_dir(&backups).unwrap();
        let copied = backups.join(made.path.file_name().unwrap());
        std::fs::copy(&made.path, &copied).unwrap();
        std::fs::copy(&their_key_file, copied.with_extension("key")).unwrap();

        let app = App::start(dir.path()).await;
        app.click("a[data-nav=settings]").await;
        app.wait_for_text("#backup-list", "Another journal’s backup").await;
        app.click("#backup-list tbody tr .row-actions button").await;
        app.wait_for("#other-secret:focus").await;
        // This journal's own passphrase is not that journal's: refused, the dialog kept.
        app.type_into("#other-secret", PASSPHRASE).await;
        app.keys(ENTER).await;
        app.wait_for_text(".form-dialog .form-error", "opens no key file").await;
        app.screenshot("restore-another-journal").await;
        app.js("document.getElementById('other-secret').value = ''").await;
        app.type_into("#other-secret", their_passphrase).await;
        app.keys(ENTER).await;
        app.wait_for_text("#toasts", "Restored the backup").await;
        app.wait_gone("dialog[open]").await;
        app.keys("2").await;
        app.wait_for_text("main", "Katherine Johnson").await;
        assert!(!app.text("main").await.contains("Ada Lovelace"));
        app.stop().await;

        // The journal holds that journal's clients under this journal's key; the one it
        // replaced is kept aside; the next start asks this journal's passphrase, as before.
        let path = dir.path().join(rapport::FILE_NAME);
        let journal = rapport::Journal::open_encrypted(&path, &key).unwrap();
        assert_eq!(journal.counts().unwrap().clients, 2);
        drop(journal);
        assert!(rapport::Journal::open_encrypted(&path, &their_key).is_err());
        assert_eq!(
            rapport::read_key_file(&dir.path().join(rapport::KEY_FILE_NAME), PASSPHRASE)
                .unwrap()
                .as_bytes(),
            key.as_bytes()
        );
        let aside = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("journal-before-restore-"))
            .count();
        assert_eq!(aside, 1, "the journal it replaced is kept aside");
        let app = App::start(dir.path()).await;
        app.keys("2").await;
        app.wait_for_text("main", "Grace Hopper").await;
        app.stop().await;
    }
}
