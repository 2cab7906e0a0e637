//! The reminder loop: wakes on a short tick (or at once when the journal changes), asks the core
//! what is due and not yet fired, and shows one notification for it through
//! `tauri-plugin-notification`, then records it as fired in the journal.
//!
//! Due times are compared on the wall clock at every wake, so a reminder that fell due while the
//! machine slept, or while Rapport was closed, fires at the first wake after (a monotonic sleep
//! until the due moment would not advance through suspend).

use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{Local, Utc};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::JournalState;

/// How often the loop looks at the clock when nothing wakes it.
const TICK: Duration = Duration::from_secs(30);

/// The tick, which a debug build lets the end-to-end tests shorten (`RAPPORT_REMINDER_TICK_MS`)
/// so that they wait for the loop's looks, not for half-minutes.
fn tick() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("RAPPORT_REMINDER_TICK_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    TICK
}

/// Starts the loop on its own thread.
pub fn start(app: &AppHandle) {
    let (sender, receiver) = channel::<()>();
    // Every change to the journal wakes the loop: a touch may end an episode, a snooze move one.
    let _ = app
        .state::<JournalState>()
        .on_change
        .set(Mutex::new(sender));
    let app = app.clone();
    std::thread::Builder::new()
        .name("reminders".into())
        .spawn(move || run(app, receiver))
        .expect("the reminder thread starts");
}

fn run(app: AppHandle, wake: Receiver<()>) {
    let mut told_count = None;
    let tick = tick();
    let mut looks: u64 = 0;
    loop {
        let count = check(&app);
        looks += 1;
        // A debug build tells the window each look, so a test can wait for "the loop has looked
        // again" instead of sleeping through ticks to show that nothing happened.
        if cfg!(debug_assertions) {
            let _ = app.emit("reminders-checked", looks);
        }
        // Time alone makes someone due: the window hears of it, so Today never goes stale. The
        // first count is the one the window drew at start, so only a change is sent.
        if count.is_some() && count != told_count {
            if told_count.is_some() {
                let _ = app.emit("needs-changed", count);
            }
            told_count = count;
        }
        let wait = app
            .state::<JournalState>()
            .with(|j| j.next_due_moment(Utc::now()))
            .ok()
            .flatten()
            .and_then(|next| (next - Utc::now()).to_std().ok())
            .map_or(tick, |until| until.min(tick));
        match wake.recv_timeout(wait) {
            // Several changes in a burst need one look.
            Ok(()) => while wake.try_recv().is_ok() {},
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Fires what is due now, unless it is quiet hours; returns how many need the user (as Today
/// counts them). A failure here must not stop the loop: it tries again at the next wake.
fn check(app: &AppHandle) -> Option<u64> {
    let state = app.state::<JournalState>();
    let now = Utc::now();
    if let Some(locked) = state
        .locked
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_mut()
    {
        return check_locked(app, locked, now);
    }
    let mut count = None;
    let due = state.with(|j| {
        j.settle_future_touches(now)?;
        let needs = j.who_needs_me(now, 1)?;
        count = Some(needs.overdue_total + needs.follow_ups_total);
        crate::tray::show_count(app, needs.overdue_total + needs.follow_ups_total);
        if app.state::<crate::tray::Paused>().at(now) {
            return Ok(Vec::new());
        }
        j.reminders_to_tell(&now.with_timezone(&Local))
    });
    let Some(notice) = due
        .as_deref()
        .ok()
        .and_then(|due| rapport::notice(due, now))
    else {
        return count;
    };
    // The plugin sends in the background and reports success even when nobody listens, so the
    // server is asked first: a reminder nobody could see stays unfired and is told once a
    // notification server appears.
    let Some(server) = notification_server() else {
        return count;
    };
    // A server that reads markup in bodies would take a client named "Smith & Jones <M&A>" as
    // broken markup (and one named `<a href=…>` as a link): there the text is escaped. The
    // title is plain text on every server.
    let body = if server.body_markup {
        escape_markup(&notice.body)
    } else {
        notice.body.clone()
    };
    let shown = app
        .notification()
        .builder()
        .title(&notice.title)
        .body(&body)
        .show();
    if let (Ok(()), Ok(due)) = (shown, due) {
        let _ = state.with(|j| j.mark_fired(&due, now));
    }
    count
}

/// While the journal is locked: when more need the user than they were told of (someone fell
/// due since), one notification says how many, naming nobody and nothing of what was written.
fn check_locked(
    app: &AppHandle,
    locked: &mut crate::Locked,
    now: chrono::DateTime<Utc>,
) -> Option<u64> {
    let Some(&(_, count)) = locked.ahead.iter().rev().find(|(at, _)| *at <= now) else {
        return Some(locked.told);
    };
    crate::tray::show_count(app, count);
    let quiet = locked.quiet.contains(&now.with_timezone(&Local))
        || app.state::<crate::tray::Paused>().at(now);
    if count <= locked.told || quiet {
        return Some(count);
    }
    notification_server()?;
    let body = if count == 1 {
        "1 relationship needs a touch: unlock Rapport to see it.".to_string()
    } else {
        format!("{count} relationships need a touch: unlock Rapport to see them.")
    };
    if app
        .notification()
        .builder()
        .title("Rapport is locked")
        .body(&body)
        .show()
        .is_ok()
    {
        locked.told = count;
    }
    Some(count)
}

/// What the desktop's notification server said it does.
struct Server {
    /// It reads `<b>`, `<i>`, `<a href>` and entities in bodies.
    body_markup: bool,
}

/// The desktop's notification server, if one answers on the session bus (the bus starting it
/// if it knows how to).
fn notification_server() -> Option<Server> {
    let bus = zbus::blocking::Connection::session().ok()?;
    let reply = bus
        .call_method(
            Some("org.freedesktop.Notifications"),
            "/org/freedesktop/Notifications",
            Some("org.freedesktop.Notifications"),
            "GetCapabilities",
            &(),
        )
        .ok()?;
    let capabilities: Vec<String> = reply.body().deserialize().unwrap_or_default();
    Some(Server {
        body_markup: capabilities.iter().any(|c| c == "body-markup"),
    })
}

/// `text` as the notification spec's body markup shows it literally.
fn escape_markup(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}
