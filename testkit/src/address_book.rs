//! Address books as exporters write them, generated: a LinkedIn `Connections.csv` and a vCard
//! file of as many contacts as asked, with the oddities of real ones at their usual rates
//! (members who hide their data, company cards, second emails, birthdays), for the import
//! benchmark. The same seed gives the same bytes.

use crate::random::SplitMix64;
use crate::words::{FIRST_NAMES, LAST_NAMES, ORG_KINDS, ORG_WORDS, ROLES};

fn pick<'a>(rng: &mut SplitMix64, words: &[&'a str]) -> &'a str {
    words[rng.below(words.len() as u64) as usize]
}

/// A person: first and last name, organisation, role, email (`i` keeps each one apart).
fn person(rng: &mut SplitMix64, i: usize) -> (String, String, String, String, String) {
    let first = pick(rng, FIRST_NAMES).to_string();
    let last = pick(rng, LAST_NAMES).to_string();
    let org = format!("{} {}", pick(rng, ORG_WORDS), pick(rng, ORG_KINDS));
    let role = pick(rng, ROLES).to_string();
    let email = format!(
        "{}.{}{i}@{}.example",
        first.to_lowercase(),
        last.to_lowercase(),
        org.split(' ').next().unwrap_or("org").to_lowercase()
    );
    (first, last, org, role, email)
}

/// A LinkedIn `Connections.csv` of `rows` connections: its preamble and header, about one row
/// in twenty of a member who hides their data, about half with an email.
pub fn linkedin_csv(rows: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = String::from(
        "Notes:\n\"When exporting your connection data, you may notice that some of the email \
         addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,\
         Connected On\n",
    );
    for i in 0..rows {
        let day = 1 + rng.below(28);
        let year = 2010 + rng.below(15);
        if rng.below(20) == 0 {
            out.push_str(&format!(",,,,,,{day:02} Mar {year}\n"));
            continue;
        }
        let (first, last, org, role, email) = person(&mut rng, i);
        let email = if rng.below(2) == 0 {
            email
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{first},{last},https://www.linkedin.com/in/{}-{i},{email},\"{org}, Ltd\",{role},\
             {day:02} Mar {year}\n",
            first.to_lowercase()
        ));
    }
    out.into_bytes()
}

/// A vCard 3.0 file of `cards` contacts: names, organisations, one or two emails (one
/// preferred), phones, birthdays for one in four, and about one in twenty a company card.
pub fn vcard(cards: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = String::new();
    for i in 0..cards {
        let (first, last, org, role, email) = person(&mut rng, i);
        out.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\n");
        if rng.below(20) == 0 {
            out.push_str(&format!(
                "N:;;;;\r\nFN:\r\nORG:{org};\r\nX-ABShowAs:COMPANY\r\n"
            ));
        } else {
            out.push_str(&format!(
                "N:{last};{first};;;\r\nFN:{first} {last}\r\nORG:{org};\r\n"
            ));
            out.push_str(&format!("TITLE:{role}\r\n"));
        }
        out.push_str(&format!("EMAIL;type=INTERNET;type=pref:{email}\r\n"));
        if rng.below(3) == 0 {
            out.push_str(&format!("EMAIL;type=INTERNET;type=HOME:home.{email}\r\n"));
        }
        out.push_str(&format!(
            "TEL;type=CELL:+44 7700 {:06}\r\n",
            rng.below(1_000_000)
        ));
        if rng.below(4) == 0 {
            out.push_str(&format!(
                "BDAY:{}-{:02}-{:02}\r\n",
                1950 + rng.below(50),
                1 + rng.below(12),
                1 + rng.below(28)
            ));
        }
        out.push_str("END:VCARD\r\n");
    }
    out.into_bytes()
}
