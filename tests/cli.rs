//! The `rapport` command: an import and an export from the command line, as a script would run
//! them, on a data folder of their own.

use std::path::Path;
use std::process::{Command, Output};

/// The passphrase the tests' journals are made with.
const PASSPHRASE: &str = "a test passphrase";

/// A session bus that is not there: the command sees a desktop with no keyring, and never
/// touches the keyring of whoever runs the tests.
const NO_BUS: &str = "unix:path=/nonexistent/rapport-test-bus";

/// Runs `rapport` with `args`, its journal's passphrase given on standard input.
fn rapport(args: &[&str]) -> Output {
    rapport_with(args, Some(PASSPHRASE))
}

/// Runs `rapport` with `args`, and with `--passphrase-stdin` if a passphrase is given.
fn rapport_with(args: &[&str], passphrase: Option<&str>) -> Output {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_rapport"));
    command
        .args(args)
        .env("DBUS_SESSION_BUS_ADDRESS", NO_BUS)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if passphrase.is_some() {
        command.arg("--passphrase-stdin");
    }
    let mut child = command.spawn().expect("the rapport command runs");
    let mut stdin = child.stdin.take().unwrap();
    if let Some(passphrase) = passphrase {
        // A command that fails before reading it has closed its end: that is its to say.
        let _ = writeln!(stdin, "{passphrase}");
    }
    drop(stdin);
    child.wait_with_output().expect("the rapport command runs")
}

/// Every file under `dir`, with its bytes.
fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    found
}

/// A journal the command makes is encrypted as the window's: no name from the imported file is
/// readable in any file of the data folder, and it opens with its passphrase only. Without a
/// keyring and without a passphrase, the command says what to give and makes no journal.
#[test]
fn a_journal_made_from_the_command_line_is_encrypted_and_opens_only_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let file = corpus("linkedin_connections_2024.csv");
    let imported = rapport(&["import", &file, "--journal", data]);
    assert!(imported.status.success(), "{imported:?}");
    let csv = rapport(&["export", "--journal", data, "--format", "csv"]);
    assert!(csv.status.success(), "{csv:?}");
    let exported = String::from_utf8(csv.stdout).unwrap();
    // A name the export shows is nowhere in the data folder's files.
    let name = "Priya Raman";
    assert!(exported.contains(name), "{exported}");
    let files = files_under(Path::new(data));
    assert!(files
        .iter()
        .any(|(p, _)| p.ends_with(rapport::KEY_FILE_NAME)));
    for (path, bytes) in &files {
        assert!(
            !bytes.windows(name.len()).any(|w| w == name.as_bytes()),
            "{name} readable in {}",
            path.display()
        );
    }

    let wrong = rapport_with(
        &["export", "--journal", data, "--format", "csv"],
        Some("not the passphrase"),
    );
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("passphrase does not open"), "{said}");

    let no_key = rapport_with(&["export", "--journal", data, "--format", "csv"], None);
    assert!(!no_key.status.success());
    let said = String::from_utf8_lossy(&no_key.stderr);
    assert!(
        said.contains("no keyring") && said.contains("--passphrase-stdin"),
        "{said}"
    );

    let other = dir.path().join("other");
    let refused = rapport_with(
        &["import", &file, "--journal", other.to_str().unwrap()],
        None,
    );
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("--passphrase-stdin"), "{said}");
    assert!(!other.join(rapport::FILE_NAME).exists());
}

fn corpus(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/imports")
        .join(file)
        .display()
        .to_string()
}

/// A dry run prints the report as JSON, in the documented shape, and writes nothing.
#[test]
fn a_dry_run_reports_in_json_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = corpus("linkedin_connections_2024.csv");
    let out = rapport(&[
        "import",
        &file,
        "--journal",
        data.to_str().unwrap(),
        "--dry-run",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["format"], "csv");
    assert_eq!(report["source"], "LinkedIn connections");
    assert_eq!(report["encoding"], "UTF-8");
    assert_eq!(report["delimiter"], ",");
    assert_eq!(report["imported"], serde_json::Value::Null);
    let first = &report["accepted"][0];
    assert_eq!(first["line"], 5);
    assert_eq!(first["name"], "Priya Raman");
    assert_eq!(first["organisation"], "Raman & Co, Chartered Accountants");
    assert_eq!(
        first["emails"],
        serde_json::json!(["priya.raman@example.in"])
    );
    assert_eq!(first["phones"], serde_json::json!([]));
    let skipped: Vec<u64> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["line"].as_u64().unwrap())
        .collect();
    assert_eq!(skipped, [6, 8, 11]);
    assert!(report["skipped"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("hide their data"));
    assert_eq!(report["warnings"][0]["line"], 9);
    assert_eq!(report["warnings"][0]["field"], "email");
    assert!(
        !data.join(rapport::FILE_NAME).exists(),
        "a dry run writes no journal"
    );
    // The window's preview reads the same file the same way.
    let j = rapport::Journal::open_in_memory().unwrap();
    let bytes = std::fs::read(&file).unwrap();
    let preview = j.preview_import(&bytes, &Default::default()).unwrap();
    assert_eq!(
        report["accepted"].as_array().unwrap().len(),
        preview.accepted
    );
}

/// An import writes the accepted clients; an export reads them back, to a file or to the output.
#[test]
fn an_import_then_an_export_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let out = rapport(&[
        "import",
        &corpus("apple_contacts_v3.vcf"),
        "--journal",
        data,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Haruto Nakamura · Kobe Marine Insurance"),
        "{text}"
    );
    assert!(text.contains("Birthday --11-03"), "{text}");
    assert!(text.contains("Imported 2 clients into"), "{text}");
    let csv = rapport(&["export", "--journal", data, "--format", "csv"]);
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("id,name,organisation"), "{csv}");
    assert!(csv.contains("Harbourside Catering Ltd"), "{csv}");
    let file = dir.path().join("journal.json");
    let json = rapport(&[
        "export",
        "--journal",
        data,
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(json.status.success());
    let export = rapport::parse_journal_json(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(export.clients.len(), 2);
}

/// A wrong command says what is wrong (exit 2); a file that cannot be read names it (exit 1).
#[test]
fn a_wrong_command_or_a_missing_file_says_what_is_wrong() {
    let out = rapport(&["import", "contacts.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--journal DIR is needed"));
    let out = rapport(&["export", "--journal", "/nonexistent", "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("choose json, csv"));
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(&[
        "import",
        "/nonexistent/contacts.csv",
        "--journal",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/contacts.csv"));
    let out = rapport(&["--help"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("rapport import FILE --journal DIR"));
}

/// Runs `script` with `sh` in a mount namespace of its own, as root there: the tmpfs it mounts
/// (a small real disk) is seen by nothing else and goes when it ends. `None` where the system
/// forbids unprivileged user namespaces (Ubuntu 24.04's AppArmor default), said on standard error.
fn in_own_mounts(script: &str) -> Option<()> {
    let ran = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .output()
        .expect("unshare (util-linux) runs");
    let why = String::from_utf8_lossy(&ran.stderr);
    if !ran.status.success() && why.contains("unshare:") {
        // No small disk can be made without root there. Said, not hidden; CI runs as root.
        eprintln!("SKIPPED: no mount namespace for a small disk here: {why}");
        return None;
    }
    assert!(ran.status.success(), "the disk could not be set up: {why}");
    Some(())
}

/// The `rapport` command's run inside [`in_own_mounts`] was refused (exit status 1) for the
/// full disk, by its own words on standard error, as the script wrote them into `out`.
fn refused_for_a_full_disk(out: &Path) {
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let stderr = read("stderr");
    assert_eq!(read("status").trim(), "1", "refused: {stderr}");
    assert!(
        stderr.contains("full") || stderr.contains("No space left"),
        "the reason names the full disk: {stderr}"
    );
}

/// Fills `journal` with a generated history of 5,000 touches: over 2 MB, more than the 1 MB
/// disks of these tests hold.
fn generate_over_2_mb(journal: &mut rapport::Journal, seed: u64) {
    let options = rapport_testkit::GenerateOptions {
        clients: 100,
        organisations: 20,
        touches: 5_000,
        years: 2,
        seed,
        now: chrono::Utc::now(),
    };
    rapport_testkit::generate(journal, &options).unwrap();
}

/// A backup onto a disk that fills up half way: refused with the reason, no half-written copy
/// left in the backups folder, and the journal as it was.
#[test]
fn a_backup_that_fills_the_disk_leaves_no_half_copy_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join(rapport::BACKUPS_DIR)).unwrap();
    let path = data.join(rapport::FILE_NAME);
    let before = {
        let mut j = rapport::Journal::open(&path).unwrap();
        generate_over_2_mb(&mut j, 3);
        j.counts().unwrap()
    };
    assert!(
        std::fs::metadata(&path).unwrap().len() > 2 << 20,
        "larger than the disk"
    );
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let script = format!(
        "set -e
         mount -t tmpfs -o size=1m tmpfs '{backups}'
         set +e
         '{rapport}' backup --journal '{data}' 2> '{out}/stderr'
         echo $? > '{out}/status'
         ls -A '{backups}' > '{out}/listing'",
        backups = data.join(rapport::BACKUPS_DIR).display(),
        data = data.display(),
        rapport = env!("CARGO_BIN_EXE_rapport"),
        out = out.display(),
    );
    if in_own_mounts(&script).is_none() {
        return;
    }
    refused_for_a_full_disk(&out);
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert_eq!(
        read("listing").trim(),
        "",
        "nothing left half-written in the folder"
    );
    let journal = rapport::Journal::open(&path).unwrap();
    journal.check().expect("the journal is whole");
    assert_eq!(journal.counts().unwrap(), before, "the journal as it was");
}

/// A restore onto a disk without room for the backup's copy: refused with the reason, the
/// journal in place as it was, and no copy left beside it.
#[test]
fn a_restore_that_fills_the_disk_leaves_the_journal_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let made = dir.path().join("made");
    std::fs::create_dir_all(&made).unwrap();
    let backup = {
        let mut j = rapport::Journal::open(made.join(rapport::FILE_NAME)).unwrap();
        generate_over_2_mb(&mut j, 4);
        j.backup_into(dir.path().join("backups"), chrono::Utc::now())
            .unwrap()
    };
    assert!(backup.size > 2 << 20, "larger than the room left");
    // The journal to replace: a small one, alone on a 1 MB disk.
    let small = dir.path().join("small");
    std::fs::create_dir_all(&small).unwrap();
    {
        let mut j = rapport::Journal::open(small.join(rapport::FILE_NAME)).unwrap();
        j.create_client(
            &rapport::ClientInput {
                name: "Kept".into(),
                ..Default::default()
            },
            rapport::Stage::MeToo,
            chrono::Utc::now(),
        )
        .unwrap();
    }
    let data = dir.path().join("data");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let script = format!(
        "set -e
         mount -t tmpfs -o size=1m tmpfs '{data}'
         cp '{small}/{file}' '{data}/'
         set +e
         '{rapport}' restore '{backup}' --journal '{data}' 2> '{out}/stderr'
         echo $? > '{out}/status'
         ls -A '{data}' > '{out}/listing'
         cp '{data}/{file}' '{out}/'",
        data = data.display(),
        small = small.display(),
        file = rapport::FILE_NAME,
        rapport = env!("CARGO_BIN_EXE_rapport"),
        backup = backup.path.display(),
        out = out.display(),
    );
    if in_own_mounts(&script).is_none() {
        return;
    }
    refused_for_a_full_disk(&out);
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert_eq!(
        read("listing").trim(),
        rapport::FILE_NAME,
        "the journal alone: no copy, nothing set aside"
    );
    let journal = rapport::Journal::open(out.join(rapport::FILE_NAME)).unwrap();
    journal.check().expect("the journal is whole");
    assert_eq!(
        journal.counts().unwrap().clients,
        1,
        "the journal as it was"
    );
}

/// An import into a journal on a disk that fills up half way: refused with the reason, and the
/// journal exactly as it was, whole. The disk is a real one, a 1 MB tmpfs mounted in a mount
/// namespace of the test's own (`unshare`, as an unprivileged user may on Linux), the journal
/// copied onto it, the import run there by the `rapport` command, and the files copied back out
/// to be looked at.
#[test]
fn an_import_that_fills_the_disk_writes_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed");
    {
        std::fs::create_dir_all(&seed).unwrap();
        let mut j = rapport::Journal::open(seed.join(rapport::FILE_NAME)).unwrap();
        for i in 0..20 {
            j.create_client(
                &rapport::ClientInput {
                    name: format!("Before {i}"),
                    ..Default::default()
                },
                rapport::Stage::MeToo,
                chrono::Utc::now(),
            )
            .unwrap();
        }
    }
    let csv = dir.path().join("connections.csv");
    std::fs::write(&csv, rapport_testkit::address_book::linkedin_csv(30_000, 1)).unwrap();
    let disk = dir.path().join("disk");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&disk).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let script = format!(
        "set -e
         mount -t tmpfs -o size=1m tmpfs '{disk}'
         cp '{seed}/{file}' '{disk}/'
         set +e
         '{rapport}' import '{csv}' --journal '{disk}' 2> '{out}/stderr'
         echo $? > '{out}/status'
         cp '{disk}/{file}'* '{out}/'",
        disk = disk.display(),
        seed = seed.display(),
        file = rapport::FILE_NAME,
        rapport = env!("CARGO_BIN_EXE_rapport"),
        csv = csv.display(),
        out = out.display(),
    );
    if in_own_mounts(&script).is_none() {
        return;
    }
    let status = std::fs::read_to_string(out.join("status")).unwrap();
    let stderr = std::fs::read_to_string(out.join("stderr")).unwrap();
    assert_eq!(status.trim(), "1", "refused: {stderr}");
    assert!(
        stderr.contains("full"),
        "the reason names the full disk: {stderr}"
    );
    let journal = rapport::Journal::open(out.join(rapport::FILE_NAME)).unwrap();
    journal.check().expect("the journal is whole");
    assert_eq!(journal.counts().unwrap().clients, 20, "exactly as it was");
}

/// A restore from the command line while the window has the journal open is refused, and
/// stays refused after the window opened and closed a second connection to it (as its
/// background upkeep does): a file handle closed in the app's process must not let go of the
/// locks that tell other programs the journal is in use.
#[test]
fn a_restore_is_refused_while_the_journal_is_open_even_after_a_side_connection_closed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    let mut open = rapport::Journal::open(&path).unwrap();
    open.create_client(
        &rapport::ClientInput {
            name: "Ada".into(),
            ..Default::default()
        },
        rapport::Stage::default(),
        chrono::Utc::now(),
    )
    .unwrap();
    let backup = open
        .back_up_now(rapport::backups_dir(&path), chrono::Utc::now())
        .unwrap();
    let journal = dir.path().display().to_string();
    let backup = backup.path.display().to_string();
    let first = rapport(&["restore", &backup, "--journal", &journal]);
    assert!(!first.status.success(), "refused while open");

    drop(rapport::Journal::open(&path).unwrap());
    let again = rapport(&["restore", &backup, "--journal", &journal]);
    assert!(
        !again.status.success(),
        "refused while open, after a side connection: {}",
        String::from_utf8_lossy(&again.stdout)
    );
    drop(open);
}
