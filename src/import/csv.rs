//! CSV files of contacts: LinkedIn's `Connections.csv`, Google Contacts, Outlook, or any CSV with
//! a header row, whose columns are mapped to a client's fields by a guess the user can change.
//! The delimiter is sniffed (a comma, the semicolon European-locale Excel and Outlook write, a
//! tab, a bar), or given.

use crate::error::{Error, Result};
use crate::model::Fact;

use super::contact::{split_multi, Contact, KeyDate, Value};
use super::rows::{join_words, push_tags, split_tags};
use super::text::{decode, encoding_named, file_error};
use super::{Field, ImportOptions, Parsed, Skipped, PREVIEW_ROWS};

fn normal_header(h: &str) -> String {
    h.trim()
        .trim_matches('"')
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Header names, as the exporters write them in the languages Outlook and the spreadsheets of
/// Rapport's users are set to (English, German, French, Spanish, Portuguese, Italian, Dutch,
/// Russian, Japanese, Chinese), and the field each is.
const HEADERS: [(Field, &[&str]); 10] = [
    (
        Field::Name,
        &[
            "name",
            "full name",
            "display name",
            "contact name",
            "contact",
            "fn",
            "person",
            "nombre completo",
            "nom complet",
            "nome completo",
            "naam",
            "volledige naam",
            "名前",
            "氏名",
            "姓名",
            "фио",
            "полное имя",
        ],
    ),
    (
        Field::FirstName,
        &[
            "first name",
            "firstname",
            "first",
            "given name",
            "givenname",
            "forename",
            "vorname",
            "prénom",
            "nombre",
            "nome",
            "primo nome",
            "voornaam",
            "名",
            "имя",
            "名字",
        ],
    ),
    (
        Field::MiddleName,
        &[
            "middle name",
            "middle",
            "additional name",
            "middlename",
            "weitere vornamen",
            "deuxième prénom",
            "segundo nombre",
            "secondo nome",
            "tussenvoegsel",
            "отчество",
            "ミドル ネーム",
        ],
    ),
    (
        Field::LastName,
        &[
            "last name",
            "lastname",
            "last",
            "family name",
            "surname",
            "familyname",
            "nachname",
            "nom",
            "apellidos",
            "apellido",
            "sobrenome",
            "cognome",
            "achternaam",
            "姓",
            "фамилия",
        ],
    ),
    (
        Field::Organisation,
        &[
            "company",
            "organisation",
            "organization",
            "organization name",
            "org",
            "employer",
            "organization 1 - name",
            "company name",
            "account name",
            "firma",
            "unternehmen",
            "société",
            "entreprise",
            "organisation name",
            "empresa",
            "compañía",
            "organización",
            "organização",
            "azienda",
            "società",
            "bedrijf",
            "организация",
            "компания",
            "会社名",
            "会社",
            "公司",
            "單位",
            "单位",
        ],
    ),
    (
        Field::Role,
        &[
            "position",
            "job title",
            "role",
            "organization title",
            "jobtitle",
            "organization 1 - title",
            "job",
            "titre du poste",
            "fonction",
            "poste",
            "puesto",
            "cargo",
            "posizione",
            "functie",
            "должность",
            "役職",
            "职位",
            "職稱",
        ],
    ),
    (
        Field::Notes,
        &[
            "notes",
            "note",
            "comments",
            "comment",
            "description",
            "about",
            "profile",
            "notizen",
            "remarques",
            "notas",
            "observações",
            "notizie",
            "opmerkingen",
            "заметки",
            "メモ",
            "备注",
            "備註",
        ],
    ),
    (
        Field::Tags,
        &[
            "tags",
            "tag",
            "labels",
            "groups",
            "group membership",
            "categories",
            "category",
            "kategorien",
            "catégories",
            "categorías",
            "categorias",
            "categorie",
            "categorieën",
            "категории",
            "分類",
            "分类",
        ],
    ),
    (
        Field::Birthday,
        &[
            "birthday",
            "birth date",
            "date of birth",
            "bday",
            "geburtstag",
            "anniversaire",
            "cumpleaños",
            "aniversário",
            "compleanno",
            "verjaardag",
            "день рождения",
            "誕生日",
            "生日",
        ],
    ),
    (
        Field::Anniversary,
        &[
            "anniversary",
            "wedding anniversary",
            "jahrestag",
            "aniversario",
            "anniversario",
            "годовщина",
            "記念日",
            "纪念日",
        ],
    ),
];

/// The field a header most likely names; `has_job_title` tells Outlook's `Title` (Mr, Dr)
/// from a role.
pub fn guess_field(header: &str, has_job_title: bool) -> Field {
    let h = normal_header(header);
    let h = h.as_str();
    // A person's title (Mr, Frau, M.) is no role; other columns about an email or phone are not
    // one (its type, the name shown with it, a fax).
    let titles = [
        "title",
        "anrede",
        "titre",
        "tratamiento",
        "titolo",
        "aanhef",
        "обращение",
    ];
    let excluded = [
        "type",
        "typ",
        "label",
        "display",
        "angezeigt",
        "fax",
        "assistant",
        "assistent",
        "tty",
        "radio",
        "callback",
        "pager",
        "télécopie",
    ];
    if titles.contains(&h) && (has_job_title || h != "title") {
        return Field::Ignore;
    }
    if let Some((field, _)) = HEADERS.iter().find(|(_, names)| names.contains(&h)) {
        return *field;
    }
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    match h {
        "title" => Field::Role,
        "url" | "website" | "web page" | "web site" | "linkedin" | "linkedin url"
        | "profile url" | "connected on" | "website 1 - value" | "personal web page"
        | "webseite" | "web page 1" | "web page 2" | "sitio web" | "site web" => Field::Fact,
        _ if has(&excluded) => Field::Ignore,
        _ if has(&[
            "mail",
            "messagerie",
            "correo",
            "почт",
            "メール",
            "邮件",
            "郵件",
            "邮箱",
        ]) =>
        {
            Field::Email
        }
        _ if has(&[
            "phone",
            "mobile",
            "tel",
            "telefon",
            "téléphone",
            "teléfono",
            "telefone",
            "telefono",
            "móvil",
            "portable",
            "cell",
            "телефон",
            "電話",
            "电话",
            "手机",
            "手機",
        ]) =>
        {
            Field::Phone
        }
        _ => Field::Ignore,
    }
}

/// The guessed mapping of a header row.
pub fn guess_mapping(headers: &[String]) -> Vec<Field> {
    let has_job_title = headers.iter().any(|h| {
        let h = normal_header(h);
        h == "job title" || h == "titre du poste"
    });
    headers
        .iter()
        .map(|h| guess_field(h, has_job_title))
        .collect()
}

fn csv_source(headers: &[String]) -> &'static str {
    let has = |name: &str| headers.iter().any(|h| normal_header(h) == name);
    if has("connected on") {
        "LinkedIn connections"
    } else if has("e-mail 1 - value") || has("organization 1 - name") || has("organization name") {
        "Google Contacts"
    } else if (has("e-mail address") && (has("job title") || has("business phone")))
        || has("e-mail-adresse")
        || has("adresse de messagerie")
    {
        "Outlook contacts"
    } else if has("primary email") && has("display name") {
        "Thunderbird address book"
    } else {
        "CSV"
    }
}

/// Where a record really starts: the reader reports the offset before the line break (and
/// blank lines) that precede it.
fn record_start(raw: &[u8], offset: u64) -> u64 {
    let mut i = usize::try_from(offset).unwrap_or(usize::MAX).min(raw.len());
    while i < raw.len() && (raw[i] == b'\r' || raw[i] == b'\n') {
        i += 1;
    }
    i as u64
}

/// The line (from 1) holding byte `offset`, given the offsets of every line break.
fn line_at(newlines: &[u64], offset: u64) -> u64 {
    newlines.partition_point(|&n| n < offset) as u64 + 1
}

fn is_name_field(f: &Field) -> bool {
    matches!(
        f,
        Field::Name | Field::FirstName | Field::MiddleName | Field::LastName
    )
}

/// Every record of a CSV text with the line it starts on, and a problem for a record that
/// cannot be read (the reader cannot go on reliably past one).
fn records(text: &str, delimiter: u8) -> (Vec<(u64, Vec<String>)>, Vec<Skipped>) {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // Lines are counted from byte offsets: a record's own line count would not see the
    // line breaks inside quoted fields of earlier records the same way an editor does.
    let raw = text.as_bytes();
    let newlines: Vec<u64> = raw
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i as u64)
        .collect();
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    let mut problems = Vec::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => records.push((
                record
                    .position()
                    .map_or(0, |p| line_at(&newlines, record_start(raw, p.byte()))),
                record.iter().map(str::to_string).collect(),
            )),
            Err(e) => {
                let line = e
                    .position()
                    .map_or(0, |p| line_at(&newlines, record_start(raw, p.byte())));
                problems.push(Skipped {
                    line,
                    reason: format!("cannot be read as CSV, nor can what follows it: {e}"),
                });
                break;
            }
        }
    }
    (records, problems)
}

/// The mapping of a header row: `mapping` as given (one field per cell) or a guess; either
/// must map a column to a name.
fn mapping_of(headers: &[String], mapping: Option<&[Field]>) -> Result<Vec<Field>> {
    let mapping = match mapping {
        Some(m) if m.len() != headers.len() => {
            return Err(Error::invalid(
                "mapping",
                format!(
                    "has {} columns but the file's header has {}",
                    m.len(),
                    headers.len()
                ),
            ))
        }
        Some(m) => m.to_vec(),
        None => guess_mapping(headers),
    };
    if !mapping.iter().any(is_name_field) {
        return Err(Error::invalid(
            "mapping",
            "no column is mapped to a name (name, or first and last name)",
        ));
    }
    Ok(mapping)
}

/// The delimiter a CSV text most likely uses: of comma, semicolon, tab and bar, the one that
/// splits the most of its first lines into the same number (two or more) of fields.
pub fn sniff_delimiter(text: &str) -> char {
    let sample: String = text.lines().take(40).collect::<Vec<_>>().join("\n");
    let mut best = (',', 0usize);
    for delimiter in [',', ';', '\t', '|'] {
        let (records, _) = records(&sample, delimiter as u8);
        let mut counts: std::collections::HashMap<usize, usize> = Default::default();
        for (_, cells) in &records {
            if cells.len() >= 2 {
                *counts.entry(cells.len()).or_default() += 1;
            }
        }
        let agreeing = counts.values().copied().max().unwrap_or(0);
        if agreeing > best.1 {
            best = (delimiter, agreeing);
        }
    }
    best.0
}

/// A CSV row as a contact, through its mapping.
fn contact(line: u64, headers: &[String], mapping: &[Field], cells: &[String]) -> Contact {
    let mut c = Contact {
        line,
        ..Contact::default()
    };
    let (mut first, mut middle, mut last) = (Vec::new(), Vec::new(), Vec::new());
    for ((field, header), cell) in mapping.iter().zip(headers).zip(cells) {
        let value = cell.trim();
        if value.is_empty() {
            continue;
        }
        let fill = |slot: &mut String| {
            if slot.is_empty() {
                *slot = value.to_string();
            }
        };
        match field {
            Field::Ignore => {}
            Field::Name => fill(&mut c.name),
            Field::FirstName => first.push(value),
            Field::MiddleName => middle.push(value),
            Field::LastName => last.push(value),
            Field::Organisation => fill(&mut c.organisation),
            Field::Role => fill(&mut c.role),
            Field::Email => c.emails.extend(split_multi(value).map(|v| Value {
                label: label_of(header),
                ..Value::new(v)
            })),
            Field::Phone => c.phones.extend(split_multi(value).map(|v| Value {
                label: label_of(header),
                ..Value::new(v)
            })),
            Field::Notes => c.notes.push(value.to_string()),
            Field::Tags => push_tags(&mut c.tags, split_tags(value)),
            Field::Fact => c.facts.push(Fact {
                label: fact_label(header),
                value: value.to_string(),
            }),
            Field::Birthday | Field::Anniversary if no_date(value) => {}
            Field::Birthday => c.dates.push(KeyDate {
                label: "Birthday",
                text: value.to_string(),
            }),
            Field::Anniversary => c.dates.push(KeyDate {
                label: "Anniversary",
                text: value.to_string(),
            }),
        }
    }
    if c.name.is_empty() {
        // Chinese, Japanese and Korean names are written family name first.
        let family_first = first
            .iter()
            .chain(&last)
            .all(|part| part.chars().all(is_cjk));
        let (mut parts, tail) = if family_first {
            (last, first)
        } else {
            (first, last)
        };
        parts.extend(middle);
        parts.extend(tail);
        c.name = join_words(&parts);
    }
    c
}

/// Whether `c` is a Chinese, Japanese or Korean character (or the space between two names).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
        || c == ' '
}

/// Outlook writes `0/0/00` for a date it does not have.
fn no_date(value: &str) -> bool {
    value.chars().all(|c| !c.is_ascii_digit() || c == '0')
}

/// The kind an email or phone column names: Outlook's `Business Phone` is `business`, Google's
/// `Phone 1 - Value` none (its kind is in another column).
fn label_of(header: &str) -> String {
    const GENERIC: [&str; 12] = [
        "e",
        "mail",
        "email",
        "address",
        "adresse",
        "phone",
        "value",
        "number",
        "telephone",
        "telefon",
        "nummer",
        "de",
    ];
    let h = normal_header(header);
    let words: Vec<&str> = h
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !GENERIC.contains(w) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    words.join(" ")
}

/// A column's header as a fact's label: Google's `Website 1 - Value` is `Website`.
fn fact_label(header: &str) -> String {
    let h = header.trim();
    let h = h.strip_suffix(" - Value").unwrap_or(h);
    h.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ')
        .to_string()
}

/// Reads a CSV file of clients: its text (in `options.encoding`, or the one detected), its
/// delimiter (given, or sniffed), its header row (skipping a preamble such as LinkedIn's notes),
/// and its columns (mapped as given, or by a guess); makes a client of each row, or says why not.
pub fn parse_csv(bytes: &[u8], options: &ImportOptions) -> Result<Parsed> {
    let forced = options
        .encoding
        .as_deref()
        .map(encoding_named)
        .transpose()?;
    let text = decode(bytes, forced)?;
    let delimiter = match options.delimiter {
        Some(d) if d.is_ascii() && d != '"' && !d.is_ascii_alphanumeric() => d,
        Some(d) => {
            return Err(Error::invalid(
                "delimiter",
                format!("{d:?} cannot separate CSV fields; try a comma, a semicolon or a tab"),
            ))
        }
        None => sniff_delimiter(&text.text),
    };
    let (records, read_errors) = records(&text.text, delimiter as u8);
    // The header: the first of the first rows that names at least two known fields, one of
    // them a name; else the first row.
    let header_at = records
        .iter()
        .take(30)
        .position(|(_, cells)| {
            let guessed = guess_mapping(cells);
            guessed.iter().filter(|f| **f != Field::Ignore).count() >= 2
                && guessed.iter().any(is_name_field)
        })
        .unwrap_or(0);
    let Some((header_line, headers)) = records.get(header_at).cloned() else {
        return Err(file_error("the file has no rows"));
    };
    let mapping = mapping_of(&headers, options.mapping.as_deref())?;
    let mut parsed = Parsed {
        source: csv_source(&headers).into(),
        encoding: text.encoding.into(),
        delimiter: Some(delimiter),
        headers,
        mapping,
        header_line: Some(header_line),
        sample_rows: Vec::new(),
        rows: Vec::new(),
        skipped: read_errors,
        warnings: Vec::new(),
    };
    let width = parsed.headers.len();
    for (line, mut cells) in records.into_iter().skip(header_at + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() > width {
            if cells[width..].iter().any(|c| !c.trim().is_empty()) {
                parsed.skipped.push(Skipped {
                    line,
                    reason: format!(
                        "has {} fields but the header has {width}: its values cannot be told \
                         apart (a delimiter inside a field that is not quoted?)",
                        cells.len()
                    ),
                });
                continue;
            }
            cells.truncate(width);
        }
        cells.resize(width, String::new());
        if parsed.sample_rows.len() < PREVIEW_ROWS {
            parsed.sample_rows.push(cells.clone());
        }
        let shaped = contact(line, &parsed.headers, &parsed.mapping, &cells).shape();
        parsed.take(shaped);
    }
    parsed.skipped.sort_by_key(|p| p.line);
    parsed.importable()
}
