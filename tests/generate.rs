//! The benchmark journal generator: deterministic, seeded, written through the API; and the
//! batches it writes in.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use rapport::{Error, NoteInput, TouchInput};
use rapport_testkit::{generate, GenerateOptions, Generated};

use crate::util::*;

fn small(seed: u64) -> GenerateOptions {
    GenerateOptions {
        clients: 50,
        organisations: 12,
        touches: 2_000,
        years: 2,
        seed,
        now: day(0),
    }
}

/// Every row of every table the generator writes, hashed in id order.
fn content_hash(journal: &TestJournal) -> u64 {
    let conn = journal.raw();
    let mut hasher = DefaultHasher::new();
    for sql in [
        "SELECT id, name, sort_name, organisation, role, email, phone, profile, cadence_days,
                stage, compatibility, knowledge, trust, created_at, archived_at, snoozed_until,
                last_touch_at, due_at, facts_text, tags_text FROM client ORDER BY id",
        "SELECT client_id, position, label, value FROM client_fact ORDER BY id",
        "SELECT client_id, tag FROM client_tag ORDER BY client_id, tag",
        "SELECT id, client_id, kind, at, summary, body, gave_value, asked, created_at
         FROM entry ORDER BY id",
        "SELECT id, client_id, touch_id, what, due_at, created_at, done_at, snoozed_until
         FROM follow_up ORDER BY id",
        "SELECT id, client_id, stage, at, note FROM stage_change ORDER BY id",
        "SELECT id, introducer_id, introduced_id, at, note FROM introduction ORDER BY id",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..columns {
                format!("{:?}", r.get_ref(i).unwrap()).hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

fn generated(seed: u64) -> (TestJournal, Generated, u64) {
    let mut j = TestJournal::new();
    let summary = generate(&mut j.journal, &small(seed)).expect("generates");
    let hash = content_hash(&j);
    (j, summary, hash)
}

#[test]
fn the_same_seed_gives_the_same_journal_and_another_seed_another() {
    let (a, summary_a, hash_a) = generated(7);
    let (b, summary_b, hash_b) = generated(7);
    assert_eq!(summary_a, summary_b);
    assert_eq!(a.counts(), b.counts());
    assert_eq!(hash_a, hash_b, "same seed, same rows");
    let (c, summary_c, hash_c) = generated(8);
    assert_ne!(hash_a, hash_c, "another seed, another journal");
    assert_ne!(summary_a, summary_c);
    drop(c);
}

#[test]
fn a_generated_journal_is_what_the_summary_says_and_reads_back_through_the_api() {
    let (j, summary, _) = generated(3);
    let counts: std::collections::HashMap<String, i64> = j.counts().into_iter().collect();
    assert_eq!(counts["client"], 50);
    assert_eq!(summary.clients, 50);
    assert_eq!(summary.touches, 2_000);
    assert_eq!(summary.notes, 200);
    assert_eq!(counts["entry"], 2_200);
    assert_eq!(counts["follow_up"] as u64, summary.follow_ups);
    assert_eq!(counts["introduction"] as u64, summary.introductions);
    // Each client's first stage, and the moves after it.
    assert_eq!(counts["stage_change"] as u64, 50 + summary.stage_changes);
    assert!(summary.follow_ups > 100 && summary.open_follow_ups > 0);
    assert!(summary.open_follow_ups < summary.follow_ups);
    // Skewed: the busiest client has many times the average.
    assert!(summary.busiest_entries > 5 * 2_200 / 50, "{summary:?}");
    let now = day(0);
    // Nothing is dated after `now`, and the API reads it all back.
    let newest: i64 = j
        .raw()
        .query_row("SELECT max(at) FROM entry", [], |r| r.get(0))
        .unwrap();
    assert!(newest <= now.timestamp());
    let page = j.timeline(summary.busiest_client, None, 50).unwrap();
    assert_eq!(page.entries.len(), 50);
    assert!(page.total >= summary.busiest_entries);
    assert!(!j.who_needs_me(now, 50).unwrap().items.is_empty());
    assert!(!j.search("the", 10).unwrap().entries.is_empty());
    j.assert_search_index_consistent();
}

#[test]
fn a_batch_is_written_whole_or_not_at_all() {
    let mut j = TestJournal::new();
    let id = j.add("Ada", day(0)).id;
    let call = |client_id| TouchInput {
        client_id,
        summary: "Call".into(),
        ..Default::default()
    };
    j.bulk(|j| {
        for _ in 0..3 {
            j.log_touch(&call(id), day(1))?;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(
        j.timeline(id, None, 50).unwrap().total,
        4,
        "3 touches and a stage"
    );

    // A write refused inside the batch undoes the batch, even when the batch goes on.
    let before = j.counts();
    let result = j.bulk(|j| {
        j.log_touch(&call(id), day(2))?;
        let refused = j.log_touch(&call(999), day(2));
        assert!(matches!(refused, Err(Error::NotFound { .. })));
        j.add_note(
            &NoteInput {
                client_id: id,
                body: "after".into(),
                ..Default::default()
            },
            day(2),
        )?;
        Ok(())
    });
    assert!(result.is_err());
    assert_eq!(j.counts(), before);

    // An error returned by the batch undoes it too; batches do not nest.
    let result: rapport::Result<()> = j.bulk(|j| {
        j.log_touch(&call(id), day(3))?;
        assert!(j.bulk(|_| Ok(())).is_err());
        Err(Error::invalid("test", "stop"))
    });
    assert!(result.is_err());
    assert_eq!(j.counts(), before);

    // And the journal works as before afterwards.
    j.log_touch(&call(id), day(4)).unwrap();
    j.reopen();
    assert_eq!(j.timeline(id, None, 50).unwrap().total, 5);
    j.assert_search_index_consistent();
}

#[test]
fn the_benchmark_journal_is_the_size_the_readme_promises() {
    let o = GenerateOptions::benchmark(1);
    assert_eq!(
        (o.clients, o.organisations, o.touches, o.years),
        (10_000, 1_500, 1_000_000, 10)
    );
}
