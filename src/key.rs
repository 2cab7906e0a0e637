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

/// Keys `conn` with `key`: the first statement on it, since SQLCipher reads nothing of the file
/// before it has a key.
pub(crate) fn apply(conn: &rusqlite::Connection, key: &Key) -> rusqlite::Result<()> {
    // SQLCipher writes a line to standard error for each page it cannot decrypt; Rapport says
    // what that means in its own error (`WrongKey`), so the lines would only be noise.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    conn.pragma_update(None, "key", &*key.pragma_value())
}

/// The page cache of a connection to an encrypted journal, in KiB (negative, as SQLite takes
/// it): 64 MiB, where a journal in plain text keeps SQLite's 2 MiB. A page missing from the
/// cache is read from the operating system's cache either way, but an encrypted one must then
/// be checked (HMAC-SHA512) and decrypted, some 7 µs per 4 KiB page on this machine against
/// under 1 µs for a plain copy; the bigger cache keeps what was read decrypted. It fills only
/// as pages are read, so a journal of a few thousand touches (a few MB) never reaches it.
pub const ENCRYPTED_CACHE_KIB: i64 = -65536;

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}
