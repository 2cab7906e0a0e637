//! The app as a whole on the benchmark's 1,000,000-touch journal, next to a minimal Tauri window
//! built the same way and measured the same way in the same run: start-up to a rendered Today
//! view, total proportional set size (the app and its WebKit processes), and whether typing in
//! search ever stalls the window. Writes the "The app as a whole" section of BENCHMARKS.md.
//!
//! Run by `make bench` (under Xvfb, after the core benchmark has generated the journal).

#[path = "../tests/util/mod.rs"]
mod util;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use util::tray::app_processes;
use util::App;

const ROUNDS: usize = 5;
const START_TARGET_MS: f64 = 1500.0;
/// The start on an encrypted journal, against the same journal in plain text.
const SEALED_START_RATIO: f64 = 1.1;
const MEMORY_RATIO_MAX: f64 = 1.2;
/// A frame later than this is a stall a person notices while typing.
const FRAME_GAP_MAX_MS: f64 = 100.0;
/// Common words of the generated journal, typed into search one after another.
const TYPED_WORDS: [&str; 5] = ["with", "that", "they", "about", "their"];

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The 1M-touch journal the core benchmark generated and cached.
fn cached_journal() -> Res<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let dir = target.join("rapport-bench");
    let found = std::fs::read_dir(&dir)
        .ok()
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("-10000c-1000000t.sqlite3"))
        });
    found.ok_or_else(|| {
        format!(
            "no generated journal in {}: run the core benchmark first (`make bench` does)",
            dir.display()
        )
        .into()
    })
}

/// Proportional set size in kB of `pid` and every process descending from it.
fn pss_kb(pid: u32) -> u64 {
    let mut family = vec![pid];
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(child) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
            // The fields after the command name (which may hold spaces) start after its ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(parent) && !family.contains(&child) {
                family.push(child);
            }
        }
        i += 1;
    }
    family
        .iter()
        .map(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
                .unwrap_or_default()
                .lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0)
        })
        .sum()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

async fn pid_of(data_dir: &Path) -> Res<u32> {
    let started = Instant::now();
    loop {
        if let Some(pid) = app_processes(data_dir).first() {
            return Ok(*pid);
        }
        if started.elapsed() > Duration::from_secs(10) {
            return Err("the app's process was not found".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Lets the processes settle (the page's first work done, memory returned) before measuring.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(3)).await;
}

/// The minimal window's memory once its page has settled, started with `env`.
async fn minimal_pss(binary: &str, data_dir: &Path, env: &[(&str, &str)]) -> Res<u64> {
    let minimal = App::start_binary(binary, data_dir, env).await;
    settle().await;
    let pss = pss_kb(pid_of(data_dir).await?);
    minimal.stop().await;
    Ok(pss)
}

/// Starts `binary` `ROUNDS` times with `env`; returns each start's milliseconds to a ready page.
async fn starts(binary: &str, data_dir: &Path, env: &[(&str, &str)], ready: &str) -> Res<Vec<f64>> {
    let mut times = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let app = App::start_binary(binary, data_dir, env).await;
        app.wait_for(ready).await;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        app.stop().await;
    }
    Ok(times)
}

/// Scrolls the busiest client's timeline until `n` entries have been loaded. Counted from the
/// timeline's own tally: it holds only the entries near the view as elements, and elements
/// fetched through WebDriver would be kept alive by it, spoiling the measure of memory.
async fn scroll_timeline(app: &App, n: u64) -> Res<u64> {
    let started = Instant::now();
    loop {
        let loaded = app
            .client
            .execute(
                "return Number(document.getElementById('timeline')?.dataset.loaded ?? 0)",
                vec![],
            )
            .await?
            .as_u64()
            .unwrap_or(0);
        if loaded >= n {
            return Ok(loaded);
        }
        if started.elapsed() > Duration::from_secs(240) {
            return Err(format!("the timeline stopped loading after {loaded} entries").into());
        }
        app.client
            .execute("document.getElementById('view').scrollTop = 1e9", vec![])
            .await?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Scrolls the view up by 30 px every frame for 3 s from the page's own animation frames, as a
/// steady wheel would; returns the time between frames (median, 95th percentile, worst), in ms.
async fn scroll_frames(app: &App) -> Res<[f64; 3]> {
    let found = app
        .client
        .execute_async(
            r#"const done = arguments[0];
               const view = document.getElementById('view');
               const frames = [];
               const tick = (t) => {
                 frames.push(t);
                 view.scrollTop -= 30;
                 if (t - frames[0] < 3000 && view.scrollTop > 0) { requestAnimationFrame(tick); return; }
                 const gaps = frames.slice(1).map((f, i) => f - frames[i]).sort((a, b) => a - b);
                 done(gaps.length < 10 ? null : [gaps[gaps.length >> 1], gaps[Math.floor(gaps.length * 0.95)], gaps.at(-1)]);
               };
               requestAnimationFrame(tick);"#,
            vec![],
        )
        .await?;
    let gaps: Vec<f64> = found
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    match gaps[..] {
        [p50, p95, max] => Ok([p50, p95, max]),
        _ => Err("the timeline could not be scrolled for the frame measure".into()),
    }
}

/// What typing one word into search showed: the longest gap between frames while a query was
/// running, the longest gap over the whole typing (drawing the results included), and the time
/// from the last key to its results on screen.
struct Typed {
    while_querying: f64,
    overall: f64,
    answered: f64,
}

/// Types `word` into the search box a key every 60 ms, from within the page, while the page
/// records every frame and when a search is in flight. The keys are dispatched by a script
/// in the page rather than sent through WebDriver: WebDriver's key injection and its polling run
/// on the page's thread too, and would be measured with the page. The script gives up after
/// 20 s, within WebDriver's own 30 s limit for a script, so that the error says what happened.
async fn type_in_search(app: &App, word: &str) -> Res<Typed> {
    let found = app
        .client
        .execute_async(
            r#"const [word, done] = arguments;
               const input = document.getElementById('search-input');
               const results = document.getElementById('search-results');
               // The search page marks its results busy while the journal is asked.
               const queries = [];
               const busy = new MutationObserver(() => {
                 const now = performance.now();
                 if (results.getAttribute('aria-busy') === 'true') {
                   if (!queries.length || queries.at(-1).to !== Infinity) queries.push({ from: now, to: Infinity });
                 } else if (queries.length && queries.at(-1).to === Infinity) {
                   queries.at(-1).to = now;
                 }
               });
               busy.observe(results, { attributes: true, attributeFilter: ['aria-busy'] });
               const frames = [];
               let stop = false;
               const tick = (t) => { frames.push(t); if (!stop) requestAnimationFrame(tick); };
               requestAnimationFrame(tick);
               let typed = 0;
               const key = () => {
                 input.value = word.slice(0, ++typed);
                 input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: word[typed - 1] }));
                 if (typed < word.length) { setTimeout(key, 60); return; }
                 const last = performance.now();
                 const wait = () => {
                   if (results.dataset.query !== word) {
                     if (performance.now() - last > 20000) { stop = true; busy.disconnect(); done(null); return; }
                     setTimeout(wait, 5); return;
                   }
                   const answered = performance.now() - last;
                   setTimeout(() => {
                     stop = true;
                     busy.disconnect();
                     let overall = 0, querying = 0;
                     for (let i = 1; i < frames.length; i++) {
                       const gap = frames[i] - frames[i - 1];
                       overall = Math.max(overall, gap);
                       if (queries.some((q) => q.from < frames[i] && q.to > frames[i - 1])) querying = Math.max(querying, gap);
                     }
                     done({ overall, querying, answered });
                   }, 300);
                 };
                 wait();
               };
               setTimeout(key, 200);"#,
            vec![word.into()],
        )
        .await?;
    if found.is_null() {
        app.screenshot("bench-search").await;
        return Err(format!(
            "no search results for {word:?} within 20 s of typing (e2e-screenshots/bench-search.png)"
        )
        .into());
    }
    let ms = |k: &str| found[k].as_f64().unwrap_or(f64::INFINITY);
    Ok(Typed {
        while_querying: ms("querying"),
        overall: ms("overall"),
        answered: ms("answered"),
    })
}

fn busiest_client(journal: &Path) -> Res<i64> {
    let conn =
        rusqlite::Connection::open_with_flags(journal, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Ok(conn.query_row(
        "SELECT client_id FROM entry GROUP BY client_id ORDER BY count(*) DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores, Xvfb 1280×800×24")
}

fn write_section(section: &str) -> Res<()> {
    let path = root().join("BENCHMARKS.md");
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    const HEAD: &str = "\n## The app as a whole";
    let kept = existing.split(HEAD).next().unwrap_or("").trim_end();
    std::fs::write(&path, format!("{kept}\n{HEAD}\n\n{section}"))?;
    Ok(())
}

async fn run() -> Res<()> {
    let cached = cached_journal()?;
    let data = tempfile::tempdir()?;
    let journal = data.path().join(rapport::FILE_NAME);
    eprintln!("copying {}", cached.display());
    std::fs::copy(&cached, &journal)?;
    // Today's backup taken first, as it is on any start but the day's first: the measured
    // starts are then not sharing the machine with copying and checking 1.2 GB.
    eprintln!("taking today's backup");
    rapport::Journal::open(&journal)?
        .back_up_now(data.path().join(rapport::BACKUPS_DIR), chrono::Utc::now())?;
    let minimal_dir = tempfile::tempdir()?;
    let rapport_bin = env!("CARGO_BIN_EXE_rapport-desktop");
    let minimal_bin = env!("CARGO_BIN_EXE_minimal-window");

    // Rapport chooses how WebKit paints before it starts (see `painting`); the minimal window is
    // given the same choice, so that both are measured painting the same way. It is measured with
    // WebKit's own choice as well, for comparison.
    let painting = rapport_desktop::painting::choice();

    // Start-up: Rapport to its Today view drawn from the journal, the minimal window to its page.
    eprintln!("start-up");
    let _ = starts(rapport_bin, data.path(), &[], "#needs").await?; // the first start warms the disk cache
    let mut ours_start = starts(rapport_bin, data.path(), &[], "#needs").await?;
    let mut floor_start = starts(
        minimal_bin,
        minimal_dir.path(),
        &painting,
        "body[data-ready]",
    )
    .await?;

    // Start-up on the same journal encrypted, its key in a real keyring (GNOME Keyring on a bus
    // of its own, unlocked as at a login): what a new user's start costs, with nothing asked.
    // The keyring first: started after gigabytes were written, its first sync waited behind
    // their writeback for more than the 30 s it is given to come up.
    let desktop = util::keyring::with_keyring();
    eprintln!("encrypting a copy of the journal");
    let sealed = tempfile::tempdir()?;
    let sealed_journal = sealed.path().join(rapport::FILE_NAME);
    std::fs::copy(&journal, &sealed_journal)?;
    let key = rapport::Key::generate()?;
    rapport::encrypt_journal(&sealed_journal, &key)?;
    rapport::Journal::open_encrypted(&sealed_journal, &key)?
        .back_up_now(sealed.path().join(rapport::BACKUPS_DIR), chrono::Utc::now())?;
    // Written out before the timings, so that no start-up competes with that writeback.
    std::process::Command::new("sync").status()?;
    util::keyring::keyring(&desktop)
        .store(
            &rapport_keyring::journal_name(sealed.path()),
            key.as_bytes(),
        )
        .map_err(|t| t.to_string())?;
    let keyed = [("DBUS_SESSION_BUS_ADDRESS", desktop.address.as_str())];
    eprintln!("start-up, encrypted");
    let _ = starts(rapport_bin, sealed.path(), &keyed, "#needs").await?;
    let mut sealed_start = starts(rapport_bin, sealed.path(), &keyed, "#needs").await?;
    drop(desktop);

    // Memory: the minimal window; Rapport on Today; Rapport after 2,000 timeline entries.
    eprintln!("memory");
    let floor_pss = minimal_pss(minimal_bin, minimal_dir.path(), &painting).await?;
    let webkit_default_pss = minimal_pss(minimal_bin, minimal_dir.path(), &[]).await?;
    let app = App::start_binary(rapport_bin, data.path(), &[]).await;
    app.wait_for("#needs").await;
    settle().await;
    let pid = pid_of(data.path()).await?;
    let today_pss = pss_kb(pid);
    let busiest = busiest_client(&journal)?;
    app.client
        .execute(&format!("location.hash = '#/client/{busiest}'"), vec![])
        .await?;
    // The timeline itself, not an entry: an entry held by WebDriver would outlive its page.
    app.wait_for("#timeline:not([data-loaded='0'])").await;
    eprintln!("scrolling the timeline of client {busiest}");
    let scrolled = scroll_timeline(&app, 2000).await?;
    settle().await;
    let timeline_pss = pss_kb(pid);
    eprintln!("scrolling by frames");
    let scrolling = scroll_frames(&app).await?;

    // Responsiveness: common words typed into search, a key at a time.
    eprintln!("typing in search");
    app.client
        .execute("location.hash = '#/search'", vec![])
        .await?;
    app.wait_for("#search-input").await;
    let mut typed = Vec::new();
    for word in TYPED_WORDS {
        typed.push(type_in_search(&app, word).await?);
    }
    app.stop().await;

    let start_p50 = median(&mut ours_start);
    let start_max = ours_start.last().copied().unwrap_or(0.0);
    let floor_p50 = median(&mut floor_start);
    let mb = |kb: u64| kb as f64 / 1024.0;
    let verdict = |ok: bool| if ok { "pass" } else { "**miss**" };
    let mut out = String::new();
    out.push_str(&format!(
        "Machine: {}. Each start is measured from the WebDriver session request (which launches \
         the program) to the page being ready: Rapport's Today view drawn from the journal \
         (`#needs`), the minimal window's one-line page. {ROUNDS} starts each, after one start \
         that warms the disk cache. Proportional set size is summed over the program's process and \
         every process under it (WebKit's web and network processes), from \
         `/proc/PID/smaps_rollup`, 3 s after the page settles.\n\n",
        machine()
    ));
    let painted = if painting.is_empty() {
        "WebKit's own choice of painting (this machine has a GPU)".to_string()
    } else {
        format!(
            "painting as Rapport chooses on this machine ({})",
            painting
                .iter()
                .map(|(k, v)| format!("`{k}={v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    out.push_str(&format!(
        "The minimal window is measured {painted}, and its webview is set up as Rapport's is \
         (WebKit features switched off: {}). With WebKit's own choice of painting it took {:.0} \
         MB; the last column gives the ratio to that.\n\n",
        rapport_desktop::painting::FEATURES_OFF
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", "),
        mb(webkit_default_pss)
    ));
    out.push_str("| measure | Rapport | minimal window | ratio | target | pass/miss | ratio to WebKit's own choice |\n");
    out.push_str("| --- | ---: | ---: | ---: | --- | --- | ---: |\n");
    out.push_str(&format!(
        "| start to a rendered Today (median of {ROUNDS}; slowest) | {start_p50:.0} ms; {start_max:.0} ms | {floor_p50:.0} ms | {:.2} | < {START_TARGET_MS:.0} ms | {} | — |\n",
        start_p50 / floor_p50,
        verdict(start_max < START_TARGET_MS)
    ));
    for (label, pss) in [
        ("memory on Today", today_pss),
        (
            &*format!("memory after scrolling {scrolled} timeline entries"),
            timeline_pss,
        ),
    ] {
        let ratio = pss as f64 / floor_pss as f64;
        out.push_str(&format!(
            "| {label} (PSS) | {:.0} MB | {:.0} MB | {ratio:.2} | ≤ {MEMORY_RATIO_MAX}× minimal | {} | {:.2} |\n",
            mb(pss),
            mb(floor_pss),
            verdict(ratio <= MEMORY_RATIO_MAX),
            pss as f64 / webkit_default_pss as f64
        ));
    }
    let sealed_p50 = median(&mut sealed_start);
    let sealed_max = sealed_start.last().copied().unwrap_or(0.0);
    let sealed_ratio = sealed_p50 / start_p50;
    out.push_str(&format!(
        "| start to a rendered Today, the journal encrypted, its key in the keyring (median of {ROUNDS}; slowest; ratio to the plain journal's start) | {sealed_p50:.0} ms; {sealed_max:.0} ms | — | {sealed_ratio:.2} | ≤ {SEALED_START_RATIO}× the plain start | {} | — |\n",
        verdict(sealed_ratio <= SEALED_START_RATIO && sealed_max < START_TARGET_MS)
    ));
    let [scroll_p50, scroll_p95, scroll_max] = scrolling;
    out.push_str(&format!(
        "| scrolling that timeline back up, 30 px a frame for 3 s: time between frames (median; 95th percentile; worst) | {scroll_p50:.0} ms; {scroll_p95:.0} ms; {scroll_max:.0} ms | — | — | — | — | — |\n"
    ));
    let worst = |f: fn(&Typed) -> f64| typed.iter().map(f).fold(0.0, f64::max);
    let middle = |f: fn(&Typed) -> f64| median(&mut typed.iter().map(f).collect::<Vec<_>>());
    let words = TYPED_WORDS.map(|w| format!("\"{w}\"")).join(", ");
    let querying = worst(|t| t.while_querying);
    let overall = worst(|t| t.overall);
    out.push_str(&format!(
        "| typing {words} into search: longest gap between frames while a query ran (median; worst) | {:.0} ms; {querying:.0} ms | — | — | < {FRAME_GAP_MAX_MS:.0} ms (never blocks) | {} | — |\n",
        middle(|t| t.while_querying),
        verdict(querying < FRAME_GAP_MAX_MS)
    ));
    out.push_str(&format!(
        "| the same, from the first key to 300 ms after the results are drawn (median; worst) | {:.0} ms; {overall:.0} ms | — | — | < {FRAME_GAP_MAX_MS:.0} ms (no visible stall) | {} | — |\n",
        middle(|t| t.overall),
        verdict(overall < FRAME_GAP_MAX_MS)
    ));
    out.push_str(&format!(
        "| the same: last key to its results shown (median; worst) | {:.0} ms; {:.0} ms | — | — | — | — | — |\n",
        middle(|t| t.answered),
        worst(|t| t.answered)
    ));
    out.push_str(
        "\nThe journal is the core benchmark's (see above), copied into a data folder of its own. \
         Search runs off the window's thread (every command is `async`). Each word is typed by a \
         script in the page, a key every 60 ms (so the search box's 100 ms pause asks once, after \
         the last key), while the page records every frame and when the search page marks its \
         results busy (`aria-busy`, while the journal is asked); WebDriver only starts the script \
         and reads its result. The last key to results shown includes that 100 ms pause. The \
         scrolling row moves the view from the page's own animation frames, just after the \
         memory is measured, and times the frames it got.\n",
    );
    println!("{out}");
    write_section(&out)?;
    eprintln!("Wrote BENCHMARKS.md");
    Ok(())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("app benchmark failed: {e}");
        std::process::exit(1);
    }
}
