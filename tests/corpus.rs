//! The corpus of what exporters really write (`tests/data/imports/`, described in its
//! `SOURCES.md`): every file is read as Rapport guesses it, with nothing chosen by hand, and each
//! client comes out with the right name, organisation, email, phone and dates, in the right
//! script; the rows that say nothing of anyone are the only ones left out.

use rapport::{Fact, ImportFormat, Journal, Parsed};

use crate::util::no_options;

/// One client as the file should give it: name, organisation, email, phone, and facts that
/// must be among its facts.
struct Client {
    name: &'static str,
    organisation: &'static str,
    email: &'static str,
    phone: &'static str,
    facts: &'static [(&'static str, &'static str)],
}

const fn c(
    name: &'static str,
    organisation: &'static str,
    email: &'static str,
    phone: &'static str,
    facts: &'static [(&'static str, &'static str)],
) -> Client {
    Client {
        name,
        organisation,
        email,
        phone,
        facts,
    }
}

/// A file of the corpus and what it must give.
struct Expected {
    file: &'static str,
    source: &'static str,
    encoding: &'static str,
    delimiter: Option<char>,
    clients: &'static [Client],
    /// The lines left out.
    skipped: &'static [u64],
    /// The fields warned about, in order.
    warned: &'static [&'static str],
}

const CORPUS: &[Expected] = &[
    Expected {
        file: "linkedin_connections_2024.csv",
        source: "LinkedIn connections",
        encoding: "UTF-8",
        delimiter: Some(','),
        clients: &[
            c(
                "Priya Raman",
                "Raman & Co, Chartered Accountants",
                "priya.raman@example.in",
                "",
                &[("Connected On", "14 Feb 2024")],
            ),
            c("Tomás Ó Briain", "Aer Lingus Cargo", "", "", &[]),
            c("佐藤 美咲", "楽天グループ", "", "", &[]),
            c(
                "Jean-Luc Picard \"JL\"",
                "Starfleet Consulting",
                "jl.picard@example.fr",
                "",
                &[("URL", "https://www.linkedin.com/in/jlpicard")],
            ),
        ],
        skipped: &[6, 8, 11],
        warned: &["email"],
    },
    Expected {
        file: "google_contacts_2024.csv",
        source: "Google Contacts",
        encoding: "UTF-8",
        delimiter: Some(','),
        clients: &[
            c(
                "Sofia Lindqvist",
                "Nordvind AB",
                "sofia.lindqvist@nordvind.example",
                "+46 70 000 00 01",
                &[
                    ("Email", "sofia@lindqvist.example"),
                    ("Phone", "+46 8 000 000 02"),
                    ("Birthday", "1984-07-19"),
                ],
            ),
            c(
                "Fjord Freight ASA",
                "Fjord Freight ASA",
                "booking@fjordfreight.example",
                "+47 22 00 00 03",
                &[("Website", "https://fjordfreight.example")],
            ),
            c(
                "Kwame Mensah",
                "",
                "kwame.mensah@example.com",
                "+233 20 000 0004",
                &[("Birthday", "--03-21")],
            ),
        ],
        skipped: &[6],
        warned: &["name", "email"],
    },
    Expected {
        file: "outlook_de_semicolon.csv",
        source: "Outlook contacts",
        encoding: "windows-1252",
        delimiter: Some(';'),
        clients: &[
            c(
                "Jürgen Weiß",
                "Müller & Söhne GmbH",
                "juergen.weiss@mueller-soehne.example",
                "+49 711 000000-0",
                &[
                    ("Phone (mobiltelefon)", "+49 170 0000001"),
                    ("Birthday", "1971-03-12"),
                ],
            ),
            c(
                "Ånne Øberg",
                "Öko Bau AG",
                "anne.oberg@oekobau.example",
                "+49 89 000000-1",
                &[
                    ("Email", "a.oberg@privat.example"),
                    ("Anniversary", "2001-06-14"),
                ],
            ),
        ],
        skipped: &[],
        warned: &[],
    },
    Expected {
        file: "outlook_us_windows1252.csv",
        source: "Outlook contacts",
        encoding: "windows-1252",
        delimiter: Some(','),
        clients: &[
            c(
                "Renée Côté",
                "Café Olé Inc.",
                "renee.cote@cafeole.example",
                "(514) 555-0101",
                &[("Birthday", "1979-04-02")],
            ),
            c(
                "Globex Corporation",
                "Globex Corporation",
                "info@globex.example",
                "(212) 555-0199",
                &[],
            ),
        ],
        skipped: &[],
        warned: &["name"],
    },
    Expected {
        file: "thunderbird_addressbook.csv",
        source: "Thunderbird address book",
        encoding: "UTF-8",
        delimiter: Some(','),
        clients: &[
            c(
                "Oksana Kovalenko",
                "Dnipro Agro",
                "oksana@kovalenko.example",
                "+380 44 000 0001",
                &[
                    ("Email (secondary)", "oksana.k@mail.example"),
                    ("Phone (mobile)", "+380 67 000 0002"),
                ],
            ),
            c(
                "noreply-billing@saas.example",
                "",
                "noreply-billing@saas.example",
                "",
                &[],
            ),
        ],
        skipped: &[],
        warned: &["name"],
    },
    Expected {
        file: "excel_unicode_text_utf16le_nobom.txt.csv",
        source: "CSV",
        encoding: "UTF-16LE",
        delimiter: Some('\t'),
        clients: &[
            c(
                "Łukasz Żółw",
                "Polska Miedź S.A.",
                "lukasz@miedz.example",
                "+48 600 000 001",
                &[],
            ),
            c(
                "Ελένη Παπαδοπούλου",
                "Αθηνά Ναυτιλιακή",
                "elevi@athina.example",
                "+30 210 000 0002",
                &[],
            ),
        ],
        skipped: &[],
        warned: &[],
    },
    Expected {
        file: "japanese_shift_jis.csv",
        source: "CSV",
        encoding: "Shift_JIS",
        delimiter: Some(','),
        clients: &[
            c(
                "山田 太郎",
                "株式会社サクラ",
                "taro.yamada@sakura.example",
                "03-0000-0001",
                &[("Phone (携帯電話)", "090-0000-0001")],
            ),
            c(
                "鈴木 花子",
                "みどり商事",
                "hanako@midori.example",
                "06-0000-0002",
                &[],
            ),
        ],
        skipped: &[],
        warned: &[],
    },
    Expected {
        file: "russian_windows1251.csv",
        source: "CSV",
        encoding: "windows-1251",
        delimiter: Some(','),
        clients: &[
            c(
                "Иван Петров",
                "ООО «Северный ветер»",
                "ivan.petrov@veter.example",
                "+7 495 000-00-01",
                &[],
            ),
            c(
                "Ольга Смирнова",
                "АО «Уральская сталь»",
                "olga@stal.example",
                "+7 343 000-00-02",
                &[],
            ),
        ],
        skipped: &[],
        warned: &[],
    },
    Expected {
        file: "russian_koi8r.csv",
        source: "CSV",
        // KOI8-U is KOI8-R and a few Ukrainian letters: the Russian text reads the same.
        encoding: "KOI8-U",
        delimiter: Some(','),
        clients: &[
            c(
                "Иван Петров",
                "ООО \"Северный ветер\"",
                "ivan.petrov@veter.example",
                "+7 495 000-00-01",
                &[],
            ),
            c(
                "Ольга Смирнова",
                "АО \"Уральская сталь\"",
                "olga@stal.example",
                "+7 343 000-00-02",
                &[],
            ),
        ],
        skipped: &[],
        warned: &[],
    },
    Expected {
        file: "chinese_gbk.csv",
        source: "CSV",
        encoding: "GBK",
        delimiter: Some(','),
        clients: &[
            c(
                "王小明",
                "上海远航贸易有限公司",
                "xiaoming.wang@yuanhang.example",
                "+86 21 0000 0001",
                &[],
            ),
            c(
                "李娜",
                "北京长城科技",
                "li.na@changcheng.example",
                "+86 10 0000 0002",
                &[],
            ),
        ],
        skipped: &[],
        warned: &[],
    },
    Expected {
        file: "chinese_big5.csv",
        source: "CSV",
        encoding: "Big5",
        delimiter: Some(','),
        clients: &[
            c(
                "陳志明",
                "台北航運股份有限公司",
                "chen@taipei-shipping.example",
                "+886 2 0000 0001",
                &[],
            ),
            c(
                "林美玲",
                "高雄鋼鐵",
                "meiling.lin@kh-steel.example",
                "+886 7 000 0002",
                &[],
            ),
        ],
        skipped: &[],
        warned: &[],
    },
    Expected {
        file: "apple_contacts_v3.vcf",
        source: "vCard 3.0",
        encoding: "UTF-8",
        delimiter: None,
        clients: &[
            c(
                "Haruto Nakamura",
                "Kobe Marine Insurance",
                "haruto@kobe-marine.example",
                "+81 90-0000-0005",
                &[
                    ("Email (home)", "haruto.n@mail.example"),
                    ("Phone (work)", "+81 78-000-0006"),
                    ("Birthday", "--11-03"),
                    ("Anniversary", "2015-05-30"),
                    ("Department", "Underwriting"),
                ],
            ),
            c(
                "Harbourside Catering Ltd",
                "Harbourside Catering Ltd",
                "",
                "+44 20 0000 0007",
                &[],
            ),
        ],
        skipped: &[],
        warned: &["name"],
    },
    Expected {
        file: "google_contacts_v3_folded_utf8.vcf",
        source: "vCard 3.0",
        encoding: "UTF-8",
        delimiter: None,
        clients: &[c(
            "Hélène Dubois-Lefèvre",
            "Banque Genevoise SA",
            "helene@genevoise.example",
            "+41 79 000 00 08",
            &[],
        )],
        skipped: &[],
        warned: &[],
    },
    Expected {
        file: "android_v21_qp.vcf",
        source: "vCard 2.1",
        encoding: "UTF-8",
        delimiter: None,
        clients: &[
            c(
                "Ngozi Adébáyọ̀",
                "Lagos Ports & Logistics",
                "ngozi@example.ng",
                "+234 803 000 0009",
                &[("Phone (work)", "+234 1 000 0010")],
            ),
            c("+234 809 000 0011", "", "", "+234 809 000 0011", &[]),
        ],
        skipped: &[],
        warned: &["name"],
    },
    Expected {
        file: "old_phone_v21_qp_no_charset_cp1251.vcf",
        source: "vCard 2.1",
        encoding: "UTF-8",
        delimiter: None,
        clients: &[
            c(
                "Сергей Васильев",
                "ЗАО «Балтийская верфь»",
                "sergey@verf.example",
                "+7 812 000-00-12",
                &[],
            ),
            c(
                "Наталья Кузнецова",
                "Сибирский банк",
                "natalia@sibbank.example",
                "+7 383 000-00-13",
                &[],
            ),
            c(
                "Дмитрий Орлов",
                "Волга-Логистик",
                "",
                "+7 846 000-00-14",
                &[],
            ),
        ],
        skipped: &[],
        warned: &[],
    },
    Expected {
        file: "evolution_v3.vcf",
        source: "vCard 3.0",
        encoding: "UTF-8",
        delimiter: None,
        clients: &[c(
            "Lars Gunnarsson",
            "Trondheim Fisk AS",
            "lars@gunnarsson.example",
            "+47 900 00 015",
            &[("Birthday", "1969-02-28"), ("Anniversary", "1995-08-12")],
        )],
        skipped: &[],
        warned: &["email"],
    },
    Expected {
        file: "kaddressbook_v4.vcf",
        source: "vCard 4.0",
        encoding: "UTF-8",
        delimiter: None,
        clients: &[c(
            "Mateus Oliveira",
            "Oliveira Tech Ltda",
            "mateus@oliveira-tech.example",
            "+55-11-90000-0016",
            &[
                ("Email (home)", "mateus.o@mail.example"),
                ("Birthday", "1990-01-15"),
                ("Anniversary", "2018-06-02"),
                ("URL", "https://oliveira-tech.example"),
            ],
        )],
        skipped: &[14],
        warned: &[],
    },
];

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/imports")
}

fn read(bytes: &[u8]) -> Parsed {
    match ImportFormat::of(bytes) {
        ImportFormat::Vcard => rapport::parse_vcard(bytes, &no_options()),
        _ => rapport::parse_csv(bytes, &no_options()),
    }
    .unwrap()
}

/// Every file reads as the table says, and nothing in the folder is left out of the table.
#[test]
fn every_file_of_the_corpus_gives_the_clients_it_holds() {
    let mut listed: Vec<&str> = CORPUS.iter().map(|e| e.file).collect();
    listed.sort_unstable();
    let mut present: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "SOURCES.md")
        .collect();
    present.sort_unstable();
    assert_eq!(
        present, listed,
        "the table and the folder hold the same files"
    );
    let sources = std::fs::read_to_string(dir().join("SOURCES.md")).unwrap();
    for expected in CORPUS {
        let file = expected.file;
        assert!(sources.contains(file), "{file} is described in SOURCES.md");
        let parsed = read(&std::fs::read(dir().join(file)).unwrap());
        assert_eq!(parsed.source, expected.source, "{file}");
        assert_eq!(parsed.encoding, expected.encoding, "{file}");
        assert_eq!(parsed.delimiter, expected.delimiter, "{file}");
        let got: Vec<(&str, &str, &str, &str)> = parsed
            .rows
            .iter()
            .map(|r| {
                let c = &r.client;
                (
                    c.name.as_str(),
                    c.organisation.as_str(),
                    c.email.as_str(),
                    c.phone.as_str(),
                )
            })
            .collect();
        let wanted: Vec<(&str, &str, &str, &str)> = expected
            .clients
            .iter()
            .map(|c| (c.name, c.organisation, c.email, c.phone))
            .collect();
        assert_eq!(got, wanted, "{file}");
        for (row, client) in parsed.rows.iter().zip(expected.clients) {
            for (label, value) in client.facts {
                let fact = Fact {
                    label: label.to_string(),
                    value: value.to_string(),
                };
                assert!(
                    row.client.facts.contains(&fact),
                    "{file}, {}: no {label} = {value} among {:?}",
                    client.name,
                    row.client.facts
                );
            }
        }
        let skipped: Vec<u64> = parsed.skipped.iter().map(|s| s.line).collect();
        assert_eq!(skipped, expected.skipped, "{file}: {:?}", parsed.skipped);
        let warned: Vec<&str> = parsed.warnings.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(warned, expected.warned, "{file}: {:?}", parsed.warnings);
    }
}

/// Notes and tags come through whole too, where a fold or a soft break cut them.
#[test]
fn notes_folded_inside_a_character_or_broken_softly_read_whole() {
    let note = |file: &str| {
        read(&std::fs::read(dir().join(file)).unwrap()).rows[0]
            .client
            .profile
            .clone()
    };
    assert_eq!(
        note("google_contacts_v3_folded_utf8.vcf"),
        "Rencontrée à Genève — aime le thé vert, déteste les réunions après 17 h ; deux \
         filles, Chloé et Zoé."
    );
    assert_eq!(note("android_v21_qp.vcf"), "Mẹ́ta ọmọ; prefers WhatsApp");
    assert_eq!(
        note("old_phone_v21_qp_no_charset_cp1251.vcf"),
        "Главный инженер, любит рыбалку и шахматы."
    );
    assert_eq!(
        note("google_contacts_2024.csv"),
        "Sauna after the board meeting.\nTwo boys."
    );
}

/// The whole corpus imports into one journal: every accepted row written, nothing refused.
#[test]
fn the_whole_corpus_imports() {
    let mut journal = Journal::open_in_memory().unwrap();
    let mut total = 0;
    for expected in CORPUS {
        let bytes = std::fs::read(dir().join(expected.file)).unwrap();
        let imported = journal
            .import(
                &bytes,
                &no_options(),
                &rapport::DuplicateChoices::default(),
                crate::util::t0(),
            )
            .unwrap();
        assert_eq!(
            imported.client_ids.len(),
            expected.clients.len(),
            "{}",
            expected.file
        );
        assert_eq!(
            imported.skipped_rows,
            expected.skipped.len(),
            "{}",
            expected.file
        );
        total += imported.client_ids.len();
    }
    assert_eq!(journal.counts().unwrap().clients as usize, total);
}
