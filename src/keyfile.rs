//! The journal's data key wrapped by a passphrase, in a file beside the journal: the way back
//! in when the desktop's keyring is lost, and the only place the key is kept on desktops with
//! no keyring. And the recovery key: the data key itself as text to print.
//!
//! The file (`journal.key`, 0600, JSON) holds the key encrypted with XChaCha20-Poly1305 under a
//! key derived from the passphrase by Argon2id ([`ARGON2_MEMORY_KIB`], [`ARGON2_PASSES`],
//! [`ARGON2_LANES`]; a random 16-byte salt). The parameters are authenticated with it, so a
//! file changed to weaker ones does not open. A SHA-256 checksum over the file's fields tells a
//! damaged file from a wrong passphrase. Changing the passphrase rewrites this file only: the
//! journal stays encrypted with the same data key.

use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::key::{Key, KEY_LEN};

/// The key file's name, in the data folder beside the journal.
pub const KEY_FILE_NAME: &str = "journal.key";
/// Argon2id's memory, in KiB: 64 MiB, RFC 9106's second recommended setting. About half a
/// second on a laptop, once per passphrase typed; a guesser pays it for every guess.
pub const ARGON2_MEMORY_KIB: u32 = 64 * 1024;
/// Argon2id's passes over that memory.
pub const ARGON2_PASSES: u32 = 3;
/// Argon2id's lanes: one, so deriving the key never takes more than one core from the desktop.
pub const ARGON2_LANES: u32 = 1;
/// The shortest passphrase taken.
pub const PASSPHRASE_MIN_CHARS: usize = 8;

const FORMAT: &str = "rapport-wrapped-key-1";
const CIPHER: &str = "xchacha20poly1305";
const KDF: &str = "argon2id";
/// Limits on what a key file may ask of the machine: a file edited to ask for 100 GiB is
/// damaged, not obeyed.
const MEMORY_KIB_LIMITS: std::ops::RangeInclusive<u32> = 8 * 1024..=4 * 1024 * 1024;
const PASSES_LIMITS: std::ops::RangeInclusive<u32> = 1..=64;
const LANES_LIMITS: std::ops::RangeInclusive<u32> = 1..=16;

#[derive(Debug, Serialize, Deserialize)]
struct KeyFile {
    format: String,
    kdf: Kdf,
    cipher: String,
    nonce: String,
    wrapped: String,
    checksum: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Kdf {
    algorithm: String,
    version: u32,
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    salt: String,
}

impl KeyFile {
    /// What the cipher authenticates besides the key: every parameter of the file.
    fn associated(&self) -> String {
        let k = &self.kdf;
        format!(
            "{}|{}|{}|{}|{}|{}|{}|{}",
            self.format,
            k.algorithm,
            k.version,
            k.memory_kib,
            k.passes,
            k.lanes,
            k.salt,
            self.cipher
        )
    }

    fn checksum(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(self.associated());
        hash.update(b"|");
        hash.update(&self.nonce);
        hash.update(b"|");
        hash.update(&self.wrapped);
        hex::encode(hash.finalize())
    }
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io {
        context: "Drawing random bytes from the system",
        path: std::path::PathBuf::from("getrandom"),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(bytes)
}

/// The key-encryption key Argon2id derives from `passphrase` with the file's parameters.
fn derive(passphrase: &str, kdf: &Kdf, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(32))
        .map_err(|e| Error::invalid("passphrase", format!("cannot be derived: {e}")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| Error::invalid("passphrase", format!("cannot be derived: {e}")))?;
    Ok(out)
}

/// A passphrase Rapport accepts: long enough that a guesser at half a second a guess is slowed
/// for real. Its words are the user's; nothing else is asked of it.
pub fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < PASSPHRASE_MIN_CHARS {
        return Err(Error::invalid(
            "passphrase",
            format!("must be at least {PASSPHRASE_MIN_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Writes `key` wrapped by `passphrase` to `path` (0600, whole or not at all), replacing the
/// file there: this is also how the passphrase is changed.
pub fn write_key_file(path: &Path, key: &Key, passphrase: &str) -> Result<()> {
    check_passphrase(passphrase)?;
    let salt = random::<16>()?;
    let nonce = random::<24>()?;
    let mut file = KeyFile {
        format: FORMAT.into(),
        kdf: Kdf {
            algorithm: KDF.into(),
            version: 0x13,
            memory_kib: ARGON2_MEMORY_KIB,
            passes: ARGON2_PASSES,
            lanes: ARGON2_LANES,
            salt: hex::encode(salt),
        },
        cipher: CIPHER.into(),
        nonce: hex::encode(nonce),
        wrapped: String::new(),
        checksum: String::new(),
    };
    let kek = derive(passphrase, &file.kdf, &salt)?;
    let aad = file.associated();
    let wrapped = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&kek[..]))
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.as_bytes(),
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| Error::invalid("passphrase", "the key could not be wrapped"))?;
    file.wrapped = hex::encode(wrapped);
    file.checksum = file.checksum();
    let json = serde_json::to_vec_pretty(&file).map_err(|e| Error::Io {
        context: "Writing the key file",
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    crate::files::write_private(path, &json)
}

/// The data key in the key file at `path`, unwrapped with `passphrase`.
///
/// [`Error::WrongPassphrase`] when the passphrase does not open it; [`Error::KeyFileDamaged`]
/// when the file is not one, or was changed; an I/O error naming the file when it is missing.
pub fn read_key_file(path: &Path, passphrase: &str) -> Result<Key> {
    let damaged = |detail: &str| Error::KeyFileDamaged {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    };
    let bytes = std::fs::read(path).map_err(Error::io("Reading the key file", path))?;
    let file: KeyFile = serde_json::from_slice(&bytes)
        .map_err(|e| damaged(&format!("it is not a key file: {e}")))?;
    if file.format != FORMAT || file.cipher != CIPHER || file.kdf.algorithm != KDF {
        return Err(damaged("it is of another kind or version"));
    }
    if file.checksum() != file.checksum {
        return Err(damaged("its contents do not match its checksum"));
    }
    let k = &file.kdf;
    if k.version != 0x13
        || !MEMORY_KIB_LIMITS.contains(&k.memory_kib)
        || !PASSES_LIMITS.contains(&k.passes)
        || !LANES_LIMITS.contains(&k.lanes)
    {
        return Err(damaged("its key derivation settings are out of bounds"));
    }
    let salt = hex::decode(&k.salt).map_err(|_| damaged("its salt is not hexadecimal"))?;
    let nonce = hex::decode(&file.nonce)
        .ok()
        .filter(|n| n.len() == 24)
        .ok_or_else(|| damaged("its nonce is not 24 bytes"))?;
    let wrapped = hex::decode(&file.wrapped)
        .ok()
        .filter(|w| w.len() == KEY_LEN + 16)
        .ok_or_else(|| damaged("its wrapped key is not the length of one"))?;
    let kek = derive(passphrase, k, &salt)?;
    let aad = file.associated();
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&kek[..]))
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &wrapped,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| Error::WrongPassphrase {
                path: path.to_path_buf(),
            })?,
    );
    let mut bytes = [0u8; KEY_LEN];
    bytes.copy_from_slice(&plain);
    let key = Key::from_bytes(bytes);
    zeroize::Zeroize::zeroize(&mut bytes);
    Ok(key)
}

/// RFC 4648's base-32 alphabet: letters and digits a person copies without confusing them.
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

impl Key {
    /// The key as a recovery key to print or write down: its 32 bytes and a 2-byte check, in
    /// base 32, in groups of five letters and digits. With it, the journal opens without the
    /// passphrase and without the keyring.
    pub fn recovery_text(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(KEY_LEN + 2));
        bytes.extend_from_slice(self.as_bytes());
        bytes.extend_from_slice(&Sha256::digest(self.as_bytes())[..2]);
        let mut text = Zeroizing::new(String::new());
        let (mut buffer, mut bits, mut written) = (0u32, 0u32, 0usize);
        let mut push = |digit: u32, text: &mut String| {
            if written > 0 && written % 5 == 0 {
                text.push('-');
            }
            text.push(char::from(BASE32[digit as usize]));
            written += 1;
        };
        for &byte in bytes.iter() {
            buffer = (buffer << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                push((buffer >> bits) & 31, &mut text);
            }
        }
        if bits > 0 {
            push((buffer << (5 - bits)) & 31, &mut text);
        }
        text
    }

    /// The key a recovery key stands for, as typed: case, spaces and dashes do not matter, and
    /// 0, 1 and 8 are read as O, I and B. [`Error::Invalid`] (`recovery_key`) when a character
    /// is not one of its alphabet or the check does not match (a character mistyped).
    pub fn from_recovery_text(text: &str) -> Result<Key> {
        let wrong = |why: &str| Error::invalid("recovery_key", why.to_string());
        let mut bytes = Zeroizing::new(Vec::with_capacity(KEY_LEN + 2));
        let (mut buffer, mut bits) = (0u32, 0u32);
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                c => c,
            };
            let digit = BASE32
                .iter()
                .position(|&b| char::from(b) == c)
                .ok_or_else(|| wrong(&format!("{c:?} is not a character of a recovery key")))?;
            buffer = (buffer << 5) | digit as u32;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        if bytes.len() != KEY_LEN + 2 {
            return Err(wrong("is not the length of a recovery key"));
        }
        let (key, check) = bytes.split_at(KEY_LEN);
        if Sha256::digest(key)[..2] != *check {
            return Err(wrong("has a character wrong: check each group again"));
        }
        let mut raw = [0u8; KEY_LEN];
        raw.copy_from_slice(key);
        let made = Key::from_bytes(raw);
        zeroize::Zeroize::zeroize(&mut raw);
        Ok(made)
    }
}
