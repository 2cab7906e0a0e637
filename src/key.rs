//! The journal's data key: 32 random bytes with which SQLCipher encrypts every page of the
//! journal, its write-ahead log and its backups.
//!
//! A raw key, not a passphrase: SQLCipher derives nothing from it, so opening the journal costs
//! no key stretching. Where the key is kept (the desktop's keyring, or wrapped by a passphrase
//! in a file beside the journal) is for the shell to decide; the core only uses it. The bytes
//! are wiped from memory when the key is dropped, and never printed.

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The length of a data key, in bytes: AES-256's key.
pub const KEY_LEN: usize = 32;

/// A journal's data key.
#[derive(Clone)]
pub struct Key(Zeroizing<[u8; KEY_LEN]>);

impl Key {
    /// A new key, from the operating system's random source.
    pub fn generate() -> Result<Key> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(bytes.as_mut()).map_err(|e| Error::Io {
            context: "Making a key from the system's random source",
            path: std::path::PathBuf::from("getrandom"),
            source: std::io::Error::other(e.to_string()),
        })?;
        Ok(Key(bytes))
    }

    /// The key made of these bytes (read back from where it is kept).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Key {
        Key(Zeroizing::new(bytes))
    }

    /// The key's bytes, to be kept.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The value of SQLCipher's `PRAGMA key` for this raw key: `x'…'`, 64 hexadecimal digits.
    pub(crate) fn pragma_value(&self) -> Zeroizing<String> {
        let mut value = Zeroizing::new(String::with_capacity(3 + 2 * KEY_LEN));
        value.push_str("x'");
        for byte in self.0.iter() {
            value.push(char::from(b"0123456789ABCDEF"[usize::from(byte >> 4)]));
            value.push(char::from(b"0123456789ABCDEF"[usize::from(byte & 15)]));
        }
        value.push('\'');
        value
    }
}

/// The page authentication Rapport's journals use, in place of SQLCipher 4's default
/// HMAC-SHA512. Each page read from disk into SQLite's cache is checked by it, so it is most of
/// what a page costs to read: SHA-256 runs on the processor's SHA extensions (on x86 since 2016,
/// on ARMv8), about twice SHA-512's speed there (`openssl speed -bytes 4096 -evp sha256`), and a
/// 256-bit tag is as strong a check against a changed page. AES-256-CBC and the random IV per
/// page stay SQLCipher's. Every keyed connection, attached copy and backup says the same, or
/// the journal reads as if the key were wrong: [`apply`] and [`apply_to`] set it.
pub const HMAC_ALGORITHM: &str = "HMAC_SHA256";

/// Keys `conn` with `key`: the first statements on it, since SQLCipher reads nothing of the file
/// before it has a key and its cipher settings. The settings apply to the main database; one
/// attached with a key gets them from [`apply_to`].
///
/// Public so that a program reading a Rapport journal outside the core (a test, the benchmark's
/// hand-written SQL) keys it exactly as the core does.
pub fn apply(conn: &rusqlite::Connection, key: &Key) -> rusqlite::Result<()> {
    // SQLCipher writes a line to standard error for each page it cannot decrypt; Rapport says
    // what that means in its own error (`WrongKey`), so the lines would only be noise. The
    // level is the process's, set once; failing, it would only leave those lines.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let _ = conn.pragma_update(None, "cipher_log_level", "NONE");
    });
    // Pages encrypted and checked by RustCrypto, a third of what OpenSSL 3 costs per page here.
    // Should it decline (a SQLCipher it was not written for), OpenSSL goes on: the same bytes.
    let _ = rapport_cipher::install();
    conn.pragma_update(None, "key", &*key.pragma_value())?;
    conn.pragma_update(None, "cipher_hmac_algorithm", HMAC_ALGORITHM)
}

/// Gives the database attached to `conn` as `schema` (with `ATTACH … KEY`) Rapport's cipher
/// settings, before anything of it is read or written.
pub(crate) fn apply_to(conn: &rusqlite::Connection, schema: &str) -> rusqlite::Result<()> {
    conn.pragma_update(Some(schema), "cipher_hmac_algorithm", HMAC_ALGORITHM)
}

/// The page cache of a connection to an encrypted journal, in KiB (negative, as SQLite takes
/// it): 64 MiB, where a journal in plain text keeps SQLite's 2 MiB. A page missing from the
/// cache is read from the operating system's cache either way, but an encrypted one must then
/// be checked ([`HMAC_ALGORITHM`]) and decrypted, some 5 µs per 4 KiB page on the benchmark
/// machine against 2.3 µs for a plain copy; the bigger cache keeps what was read decrypted. It
/// fills only as pages are read, so a journal of a few thousand touches (a few MB) never
/// reaches it.
pub const ENCRYPTED_CACHE_KIB: i64 = -65536;

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}
