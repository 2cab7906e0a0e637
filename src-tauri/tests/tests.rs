//! The desktop app end to end, one binary: the real app in a real WebKit window under Xvfb,
//! driven through WebDriver, on a private D-Bus session bus, one test at a time
//! ([`util::e2e`]), each with its own data folder. Tests wait on signals (an element, a
//! notification, the reminder loop's looks), never on the clock.

/// An end-to-end test: a `#[tokio::test]` on the multi-threaded runtime that runs in its turn
/// ([`util::e2e`]) and fails if it takes longer than [`util::TEST_TIMEOUT`], or the limit given
/// after `within`. Written once here so that each test is only its story.
macro_rules! e2e_test {
    ($(#[$meta:meta])* async fn $name:ident() $body:block) => {
        e2e_test!($(#[$meta])* async fn $name() within $crate::util::TEST_TIMEOUT; $body);
    };
    ($(#[$meta:meta])* async fn $name:ident() within $limit:expr; $body:block) => {
        $(#[$meta])*
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            $crate::util::e2e($limit, async $body).await;
        }
    };
}

/// The one list of commands against the capabilities and the UI.
mod commands;
/// The daily jobs by mouse and keyboard: menus visible, typing never ahead of the app.
mod daily;
/// Saves acknowledged before a SIGKILL are all in the journal.
mod durability;
/// The journal encrypted at rest, its key in a real keyring.
mod encryption;
/// Faults real machines have, met by the shell: a journal that cannot be opened again.
mod faults;
/// A new user's first days, and the sample journal.
mod journey;
/// Opening the journal, and the files it refuses to open.
mod opening;
/// How the window is drawn on this machine.
mod painting;
/// Desktop notifications and the tray, on the test's own session bus.
mod reminders;

/// The README's run command, as a user types it.
mod run_command;
/// Settings, backups, exports and imports from the Settings view.
mod settings;
/// Long timelines: loading as they scroll, holding little, keeping the reader's place.
mod timeline;
/// An older journal upgraded while the window says so.
mod upgrade;

mod util;
