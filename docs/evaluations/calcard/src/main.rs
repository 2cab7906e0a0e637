//! Throwaway: calcard 0.3 against Rapport's vCard reader on the corpus's vCard files.
use calcard::vcard::{VCard, VCardProperty, VCardValue};
use calcard::{Entry, Parser};

struct Want {
    name: &'static str,
    org: &'static str,
    email: &'static str,
    phone: &'static str,
    extra: &'static [&'static str],
}
const fn w(
    name: &'static str,
    org: &'static str,
    email: &'static str,
    phone: &'static str,
    extra: &'static [&'static str],
) -> Want {
    Want {
        name,
        org,
        email,
        phone,
        extra,
    }
}

fn files() -> Vec<(&'static str, Vec<Want>)> {
    vec![
        (
            "apple_contacts_v3.vcf",
            vec![
                w(
                    "Haruto Nakamura",
                    "Kobe Marine Insurance",
                    "haruto@kobe-marine.example",
                    "+81 90-0000-0005",
                    &[
                        "haruto.n@mail.example",
                        "+81 78-000-0006",
                        "--11-03",
                        "2015-05-30",
                    ],
                ),
                w("", "Harbourside Catering Ltd", "", "+44 20 0000 0007", &[]),
            ],
        ),
        (
            "google_contacts_v3_folded_utf8.vcf",
            vec![w(
                "Hélène Dubois-Lefèvre",
                "Banque Genevoise SA",
                "helene@genevoise.example",
                "+41 79 000 00 08",
                &[],
            )],
        ),
        (
            "android_v21_qp.vcf",
            vec![
                w(
                    "Ngozi Adébáyọ̀",
                    "Lagos Ports & Logistics",
                    "ngozi@example.ng",
                    "+234 803 000 0009",
                    &["+234 1 000 0010"],
                ),
                w("", "", "", "+234 809 000 0011", &[]),
            ],
        ),
        (
            "old_phone_v21_qp_no_charset_cp1251.vcf",
            vec![
                w(
                    "Сергей Васильев",
                    "ЗАО «Балтийская верфь»",
                    "sergey@verf.example",
                    "+7 812 000-00-12",
                    &[],
                ),
                w(
                    "Наталья Кузнецова",
                    "Сибирский банк",
                    "natalia@sibbank.example",
                    "+7 383 000-00-13",
                    &[],
                ),
                w(
                    "Дмитрий Орлов",
                    "Волга-Логистик",
                    "",
                    "+7 846 000-00-14",
                    &[],
                ),
            ],
        ),
        (
            "evolution_v3.vcf",
            vec![w(
                "Lars Gunnarsson",
                "Trondheim Fisk AS",
                "lars@gunnarsson.example",
                "+47 900 00 015",
                &["1969-02-28", "1995-08-12"],
            )],
        ),
        (
            "kaddressbook_v4.vcf",
            vec![w(
                "Mateus Oliveira",
                "Oliveira Tech Ltda",
                "mateus@oliveira-tech.example",
                "+55-11-90000-0016",
                &["mateus.o@mail.example", "1990-01-15", "2018-06-02"],
            )],
        ),
    ]
}

/// Everything a card says, flattened to strings per property name.
fn flatten(card: &VCard) -> Vec<(String, String)> {
    let mut out = vec![];
    for e in &card.entries {
        let name = match &e.name {
            VCardProperty::Other(o) => o.to_uppercase(),
            p => p.as_str().to_string(),
        };
        let mut parts = vec![];
        for v in &e.values {
            match v {
                VCardValue::Text(t) => parts.push(t.clone()),
                VCardValue::Component(c) => parts.push(c.join(";")),
                VCardValue::PartialDateTime(d) => parts.push(match (d.year, d.month, d.day) {
                    (Some(y), Some(m), Some(dd)) => format!("{y:04}-{m:02}-{dd:02}"),
                    (None, Some(m), Some(dd)) => format!("--{m:02}-{dd:02}"),
                    _ => format!("{d:?}"),
                }),
                VCardValue::Binary(_) => parts.push("<binary>".into()),
                other => parts.push(format!("{other:?}")),
            }
        }
        out.push((name, parts.join(";")));
    }
    out
}

fn calcard_cards(text: &str) -> (Vec<Vec<(String, String)>>, usize) {
    let mut parser = Parser::new(text);
    let mut cards = vec![];
    let mut bad = 0;
    loop {
        match parser.entry() {
            Entry::VCard(card) => cards.push(flatten(&card)),
            Entry::Eof => break,
            _ => bad += 1,
        }
    }
    (cards, bad)
}

fn date_digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// How many of the wanted contacts calcard's output carries, field by field.
fn score(cards: &[Vec<(String, String)>], wants: &[Want]) -> (usize, usize, Vec<String>) {
    let (mut ok, mut total, mut misses) = (0, 0, vec![]);
    for want in wants {
        let card = cards.iter().find(|c| {
            c.iter().any(|(k, v)| {
                (k == "TEL" && v.contains(want.phone))
                    || (!want.name.is_empty() && k == "FN" && v == want.name)
            })
        });
        let mut check = |what: &str, wanted: &str, found: bool| {
            if wanted.is_empty() {
                return;
            }
            total += 1;
            if found {
                ok += 1
            } else {
                misses.push(format!("{what} {wanted:?}"))
            }
        };
        let has = |key: &str, wanted: &str| {
            card.map(|c| {
                c.iter().any(|(k, v)| {
                    k == key
                        && (v == wanted
                            || v.starts_with(&format!("{wanted};"))
                            || v.contains(wanted))
                })
            })
            .unwrap_or(false)
        };
        check("name", want.name, has("FN", want.name));
        check("org", want.org, has("ORG", want.org));
        check("email", want.email, has("EMAIL", want.email));
        check("phone", want.phone, has("TEL", want.phone));
        for extra in want.extra {
            let found = card
                .map(|c| {
                    c.iter().any(|(_, v)| {
                        v.contains(extra)
                            || (extra.len() >= 8 && date_digits(v).contains(&date_digits(extra)))
                    })
                })
                .unwrap_or(false);
            check("extra", extra, found);
        }
    }
    (ok, total, misses)
}

fn unfold(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r'
            && bytes.get(i + 1) == Some(&b'\n')
            && matches!(bytes.get(i + 2), Some(b' ' | b'\t'))
        {
            i += 3;
        } else if bytes[i] == b'\n' && matches!(bytes.get(i + 1), Some(b' ' | b'\t')) {
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn detect(bytes: &[u8]) -> String {
    let mut d = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    d.feed(bytes, true);
    let enc = d.guess(None, chardetng::Utf8Detection::Allow);
    enc.decode(bytes).0.into_owned()
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/data/imports");
    let (mut sums, mut totals) = ([0usize; 3], 0usize);
    for (file, wants) in files() {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        // A: as calcard's API takes it, the file read as UTF-8.
        let (a, a_bad) = calcard_cards(&String::from_utf8_lossy(&bytes));
        // B: Rapport's byte work first (unfold, then detect the encoding), calcard after.
        let (b, b_bad) = calcard_cards(&detect(&unfold(&bytes)));
        // C: Rapport's own reader.
        let report = rapport::report(&bytes, &rapport::ImportOptions::default()).unwrap();
        let c: Vec<Vec<(String, String)>> = report
            .accepted
            .iter()
            .map(|r| {
                let mut v = vec![
                    ("FN".to_string(), r.name.clone()),
                    ("ORG".to_string(), r.organisation.clone()),
                ];
                v.extend(r.emails.iter().map(|e| ("EMAIL".to_string(), e.clone())));
                v.extend(r.phones.iter().map(|p| ("TEL".to_string(), p.clone())));
                v.extend(
                    r.dates
                        .iter()
                        .map(|f| ("DATE".to_string(), f.value.clone())),
                );
                v
            })
            .collect();
        let sa = score(&a, &wants);
        let sb = score(&b, &wants);
        let sc = score(&c, &wants);
        totals += sa.1;
        sums[0] += sa.0;
        sums[1] += sb.0;
        sums[2] += sc.0;
        println!("{file}: {} fields\n  calcard (UTF-8 as given): {} ok, {} unparsed entries, misses {:?}\n  calcard (after unfold+detect): {} ok, {} unparsed, misses {:?}\n  rapport: {} ok, misses {:?}",
            sa.1, sa.0, a_bad, sa.2, sb.0, b_bad, sb.2, sc.0, sc.2);
        if std::env::var("DUMP").is_ok() {
            println!("  A cards: {a:#?}");
        }
    }
    println!("TOTAL fields {totals}: calcard as given {}, calcard after Rapport's byte work {}, rapport {}", sums[0], sums[1], sums[2]);
}
