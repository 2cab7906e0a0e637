//! SQLCipher encrypts each page of a journal with AES-256-CBC and checks it with an HMAC; it
//! asks its crypto provider for both on every page read from disk or written to it. The
//! provider it is built with here is the system's OpenSSL 3, which fetches the algorithm by name
//! (`EVP_MAC_fetch`, the digest inside `EVP_MAC_init`, the implicit fetch of
//! `EVP_aes_256_cbc()`) and allocates a context on every call. Measured on the benchmark machine,
//! that bookkeeping cost more than the cryptography: 6.8 µs over a plain page's 1.4 µs, where
//! AES-256-CBC decryption and HMAC-SHA256 of 4 KiB take 0.4 µs and 2.1 µs
//! (`openssl speed -bytes 4096`).
//!
//! [`install`] hands those two calls, and the PBKDF2 that derives each connection's HMAC key, to
//! RustCrypto's `aes` + `cbc`, `hmac` + `sha2` and `pbkdf2` (which pick AES-NI and the SHA
//! extensions at run time) by changing SQLCipher's registered provider in place, which SQLCipher
//! provides for (`sqlcipher_get_provider`: "allow an application to fetch the current registered
//! provider and make minor changes to it"). Everything else stays OpenSSL's: random numbers, and
//! SHA-1 (which Rapport's journals never use). The bytes on disk are the same either way;
//! [`install`] proves it on a test page before changing anything, and leaves OpenSSL in place if
//! the answers differ or SQLCipher is not what this was written for.
//!
//! This crate is the one place that writes into SQLCipher's C structures, so that the journal
//! core keeps forbidding unsafe code.

// The crate exists to change a C structure through its pointer; each block says why it holds.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_uchar, c_void, CStr};
use std::sync::OnceLock;

use aes::Aes256;
use cbc::cipher::{consts::U16, BlockModeDecrypt, BlockModeEncrypt, InOutBuf, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha512};

const SQLITE_OK: c_int = 0;
const SQLITE_ERROR: c_int = 1;
const SQLCIPHER_DECRYPT: c_int = 0;
const SQLCIPHER_ENCRYPT: c_int = 1;
const SQLCIPHER_HMAC_SHA256: c_int = 1;
const SQLCIPHER_PBKDF2_HMAC_SHA256: c_int = 1;
const SQLCIPHER_PBKDF2_HMAC_SHA512: c_int = 2;
const KEY_LEN: usize = 32;
const BLOCK: usize = 16;

type HmacFn = unsafe extern "C" fn(
    ctx: *mut c_void,
    algorithm: c_int,
    key: *const c_uchar,
    key_sz: c_int,
    input: *const c_uchar,
    in_sz: c_int,
    input2: *const c_uchar,
    in2_sz: c_int,
    out: *mut c_uchar,
) -> c_int;

type CipherFn = unsafe extern "C" fn(
    ctx: *mut c_void,
    mode: c_int,
    key: *const c_uchar,
    key_sz: c_int,
    iv: *const c_uchar,
    input: *const c_uchar,
    in_sz: c_int,
    out: *mut c_uchar,
) -> c_int;

type KdfFn = unsafe extern "C" fn(
    ctx: *mut c_void,
    algorithm: c_int,
    pass: *const c_uchar,
    pass_sz: c_int,
    salt: *const c_uchar,
    salt_sz: c_int,
    workfactor: c_int,
    key_sz: c_int,
    key: *mut c_uchar,
) -> c_int;

type NameFn = unsafe extern "C" fn(ctx: *mut c_void) -> *const c_char;
type SizeFn = unsafe extern "C" fn(ctx: *mut c_void) -> c_int;
type HmacSizeFn = unsafe extern "C" fn(ctx: *mut c_void, algorithm: c_int) -> c_int;
type CtxFn = unsafe extern "C" fn(ctx: *mut *mut c_void) -> c_int;

/// `struct sqlcipher_provider` of SQLCipher 4 (unchanged from 4.0 to 4.14, the version bundled
/// by libsqlite3-sys 0.38): its fields in order.
#[repr(C)]
struct Provider {
    init: Option<unsafe extern "C" fn() -> c_int>,
    shutdown: Option<unsafe extern "C" fn()>,
    get_provider_name: Option<NameFn>,
    add_random: Option<unsafe extern "C" fn(*mut c_void, *const c_void, c_int) -> c_int>,
    random: Option<unsafe extern "C" fn(*mut c_void, *mut c_void, c_int) -> c_int>,
    hmac: Option<HmacFn>,
    kdf: Option<KdfFn>,
    cipher: Option<CipherFn>,
    get_cipher: Option<NameFn>,
    get_key_sz: Option<SizeFn>,
    get_iv_sz: Option<SizeFn>,
    get_block_sz: Option<SizeFn>,
    get_hmac_sz: Option<HmacSizeFn>,
    ctx_init: Option<CtxFn>,
    ctx_free: Option<CtxFn>,
    fips_status: Option<SizeFn>,
    get_provider_version: Option<NameFn>,
    next: *mut Provider,
}

extern "C" {
    fn sqlcipher_get_provider() -> *mut Provider;
}

/// The provider's own functions, for what RustCrypto does not take over.
struct Original {
    hmac: HmacFn,
    cipher: CipherFn,
    kdf: KdfFn,
}

static ORIGINAL: OnceLock<Original> = OnceLock::new();

/// What `PRAGMA cipher_provider` answers once [`install`] has changed the provider (SQLCipher's
/// own says `openssl`).
pub const PROVIDER_NAME: &CStr = c"rustcrypto+openssl";

/// Why [`install`] left SQLCipher's own provider in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotInstalled(pub &'static str);

impl std::fmt::Display for NotInstalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Has SQLCipher encrypt and check pages with RustCrypto from now on, in this process. Call it
/// before the first keyed connection; later calls return the first call's answer. On `Err`
/// nothing was changed and SQLCipher goes on with OpenSSL alone: slower, the same bytes.
pub fn install() -> Result<(), NotInstalled> {
    static DONE: OnceLock<Result<(), NotInstalled>> = OnceLock::new();
    DONE.get_or_init(|| {
        // SAFETY: `swap` reads SQLCipher's provider only after SQLite is initialised (which
        // registers it), and writes two function pointers of the same C signature into it.
        unsafe { swap() }
    })
    .clone()
}

/// Whether [`install`] has changed the provider in this process.
pub fn installed() -> bool {
    ORIGINAL.get().is_some()
}

unsafe fn swap() -> Result<(), NotInstalled> {
    if libsqlite3_sys::sqlite3_initialize() != SQLITE_OK {
        return Err(NotInstalled("SQLite did not initialise"));
    }
    let p = sqlcipher_get_provider();
    if p.is_null() {
        return Err(NotInstalled("SQLCipher has no crypto provider registered"));
    }
    // SAFETY: a registered provider lives until SQLite shuts down, which Rapport never asks.
    let provider = &mut *p;
    let (
        Some(hmac),
        Some(cipher),
        Some(kdf),
        Some(get_cipher),
        Some(key_sz),
        Some(iv_sz),
        Some(block_sz),
        Some(hmac_sz),
        Some(ctx_init),
        Some(ctx_free),
    ) = (
        provider.hmac,
        provider.cipher,
        provider.kdf,
        provider.get_cipher,
        provider.get_key_sz,
        provider.get_iv_sz,
        provider.get_block_sz,
        provider.get_hmac_sz,
        provider.ctx_init,
        provider.ctx_free,
    )
    else {
        return Err(NotInstalled("SQLCipher's provider lacks a function"));
    };
    let mut ctx: *mut c_void = std::ptr::null_mut();
    if ctx_init(&mut ctx) != SQLITE_OK {
        return Err(NotInstalled("SQLCipher's provider would not start"));
    }
    let name = get_cipher(ctx);
    let is_aes_256_cbc = !name.is_null()
        && CStr::from_ptr(name)
            .to_bytes()
            .eq_ignore_ascii_case(b"aes-256-cbc");
    let checked = if !is_aes_256_cbc
        || key_sz(ctx) != KEY_LEN as c_int
        || iv_sz(ctx) != BLOCK as c_int
        || block_sz(ctx) != BLOCK as c_int
        || hmac_sz(ctx, SQLCIPHER_HMAC_SHA256) != 32
    {
        Err(NotInstalled("SQLCipher's cipher is not AES-256-CBC"))
    } else {
        same_answers(ctx, hmac, cipher, kdf)
    };
    ctx_free(&mut ctx);
    checked?;
    let _ = ORIGINAL.set(Original { hmac, cipher, kdf });
    // Aligned pointer-sized stores: a connection keyed meanwhile on another thread sees either
    // function, and both give the same bytes.
    provider.hmac = Some(rustcrypto_hmac);
    provider.cipher = Some(rustcrypto_cipher);
    provider.kdf = Some(rustcrypto_kdf);
    provider.get_provider_name = Some(provider_name);
    Ok(())
}

/// Encrypts, decrypts and authenticates a test page with SQLCipher's functions and with
/// RustCrypto's, and compares every byte.
unsafe fn same_answers(
    ctx: *mut c_void,
    hmac: HmacFn,
    cipher: CipherFn,
    kdf: KdfFn,
) -> Result<(), NotInstalled> {
    let key: Vec<u8> = (0..KEY_LEN).map(|i| (i * 7 + 1) as u8).collect();
    let iv: Vec<u8> = (0..BLOCK).map(|i| (i * 13 + 5) as u8).collect();
    // A page's data as SQLCipher encrypts it: 4 KiB less the IV and the HMAC reserved at its end.
    let page: Vec<u8> = (0..4048).map(|i| (i * 31 % 251) as u8).collect();
    let pgno = 7u32.to_le_bytes();
    let len = page.len() as c_int;
    let run_cipher = |f: CipherFn, mode: c_int, input: &[u8]| {
        let mut out = vec![0u8; input.len()];
        let rc = f(
            ctx,
            mode,
            key.as_ptr(),
            KEY_LEN as c_int,
            iv.as_ptr(),
            input.as_ptr(),
            len,
            out.as_mut_ptr(),
        );
        (rc, out)
    };
    let theirs = run_cipher(cipher, SQLCIPHER_ENCRYPT, &page);
    let ours = run_cipher(rustcrypto_cipher, SQLCIPHER_ENCRYPT, &page);
    if theirs.0 != SQLITE_OK || theirs != ours || ours.1 == page {
        return Err(NotInstalled(
            "RustCrypto's AES-256-CBC differs from SQLCipher's",
        ));
    }
    let back_theirs = run_cipher(cipher, SQLCIPHER_DECRYPT, &ours.1);
    let back_ours = run_cipher(rustcrypto_cipher, SQLCIPHER_DECRYPT, &theirs.1);
    if back_theirs != (SQLITE_OK, page.clone()) || back_ours != (SQLITE_OK, page.clone()) {
        return Err(NotInstalled(
            "RustCrypto's AES-256-CBC decrypts differently",
        ));
    }
    let run_hmac = |f: HmacFn, second: bool| {
        let mut out = [0u8; 32];
        let (in2, in2_sz) = if second {
            (pgno.as_ptr(), pgno.len() as c_int)
        } else {
            (std::ptr::null(), 0)
        };
        let rc = f(
            ctx,
            SQLCIPHER_HMAC_SHA256,
            key.as_ptr(),
            KEY_LEN as c_int,
            page.as_ptr(),
            len,
            in2,
            in2_sz,
            out.as_mut_ptr(),
        );
        (rc, out)
    };
    for second in [true, false] {
        let theirs = run_hmac(hmac, second);
        if theirs.0 != SQLITE_OK || theirs != run_hmac(rustcrypto_hmac, second) {
            return Err(NotInstalled(
                "RustCrypto's HMAC-SHA256 differs from SQLCipher's",
            ));
        }
    }
    let salt = &page[..16];
    for algorithm in [SQLCIPHER_PBKDF2_HMAC_SHA256, SQLCIPHER_PBKDF2_HMAC_SHA512] {
        let run_kdf = |f: KdfFn| {
            let mut out = [0u8; KEY_LEN];
            let rc = f(
                ctx,
                algorithm,
                key.as_ptr(),
                KEY_LEN as c_int,
                salt.as_ptr(),
                salt.len() as c_int,
                3,
                KEY_LEN as c_int,
                out.as_mut_ptr(),
            );
            (rc, out)
        };
        let theirs = run_kdf(kdf);
        if theirs.0 != SQLITE_OK || theirs != run_kdf(rustcrypto_kdf) {
            return Err(NotInstalled("RustCrypto's PBKDF2 differs from SQLCipher's"));
        }
    }
    Ok(())
}

unsafe extern "C" fn provider_name(_ctx: *mut c_void) -> *const c_char {
    PROVIDER_NAME.as_ptr()
}

/// `hmac` of the provider: HMAC-SHA256 of `input` then `input2` (the page's ciphertext and IV,
/// then its number) by RustCrypto; any other algorithm by the original provider.
unsafe extern "C" fn rustcrypto_hmac(
    ctx: *mut c_void,
    algorithm: c_int,
    key: *const c_uchar,
    key_sz: c_int,
    input: *const c_uchar,
    in_sz: c_int,
    input2: *const c_uchar,
    in2_sz: c_int,
    out: *mut c_uchar,
) -> c_int {
    let plain_args = algorithm == SQLCIPHER_HMAC_SHA256
        && !key.is_null()
        && key_sz > 0
        && !input.is_null()
        && in_sz >= 0
        && !out.is_null()
        && (input2.is_null() || in2_sz >= 0);
    if !plain_args {
        return match ORIGINAL.get() {
            Some(o) => (o.hmac)(
                ctx, algorithm, key, key_sz, input, in_sz, input2, in2_sz, out,
            ),
            // Only reached in `same_answers`, always with plain arguments.
            None => SQLITE_ERROR,
        };
    }
    // SAFETY: SQLCipher passes buffers of the sizes it gives, and `out` of the HMAC's size
    // (`get_hmac_sz`, checked to be 32 in `swap`).
    let key = std::slice::from_raw_parts(key, key_sz as usize);
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key) else {
        return SQLITE_ERROR;
    };
    mac.update(std::slice::from_raw_parts(input, in_sz as usize));
    if !input2.is_null() {
        mac.update(std::slice::from_raw_parts(input2, in2_sz as usize));
    }
    let tag = mac.finalize().into_bytes();
    std::ptr::copy_nonoverlapping(tag.as_ptr(), out, tag.len());
    SQLITE_OK
}

/// `cipher` of the provider: AES-256-CBC without padding by RustCrypto, from `input` into a
/// distinct `out` of the same length; anything else by the original provider.
unsafe extern "C" fn rustcrypto_cipher(
    ctx: *mut c_void,
    mode: c_int,
    key: *const c_uchar,
    key_sz: c_int,
    iv: *const c_uchar,
    input: *const c_uchar,
    in_sz: c_int,
    out: *mut c_uchar,
) -> c_int {
    let len = usize::try_from(in_sz).unwrap_or(0);
    let disjoint = {
        let (i, o) = (input as usize, out as usize);
        i.saturating_add(len) <= o || o.saturating_add(len) <= i
    };
    let plain_args = (mode == SQLCIPHER_ENCRYPT || mode == SQLCIPHER_DECRYPT)
        && key_sz == KEY_LEN as c_int
        && !key.is_null()
        && !iv.is_null()
        && !input.is_null()
        && !out.is_null()
        && len > 0
        && len % BLOCK == 0
        && disjoint;
    if !plain_args {
        return match ORIGINAL.get() {
            Some(o) => (o.cipher)(ctx, mode, key, key_sz, iv, input, in_sz, out),
            None => SQLITE_ERROR,
        };
    }
    // SAFETY: SQLCipher passes a key of `key_sz`, an IV of `get_iv_sz` (16), and two buffers of
    // `in_sz` bytes; they do not overlap (checked above).
    let key = std::slice::from_raw_parts(key, KEY_LEN);
    let iv = std::slice::from_raw_parts(iv, BLOCK);
    let input = std::slice::from_raw_parts(input, len);
    let output = std::slice::from_raw_parts_mut(out, len);
    let Ok(buf) = InOutBuf::new(input, output) else {
        return SQLITE_ERROR;
    };
    let (blocks, _) = buf.into_chunks::<U16>();
    if mode == SQLCIPHER_ENCRYPT {
        match cbc::Encryptor::<Aes256>::new_from_slices(key, iv) {
            Ok(mut c) => c.encrypt_blocks_inout(blocks),
            Err(_) => return SQLITE_ERROR,
        }
    } else {
        match cbc::Decryptor::<Aes256>::new_from_slices(key, iv) {
            Ok(mut c) => c.decrypt_blocks_inout(blocks),
            Err(_) => return SQLITE_ERROR,
        }
    }
    SQLITE_OK
}

/// `kdf` of the provider: PBKDF2 with HMAC-SHA256 or HMAC-SHA512 by RustCrypto (SQLCipher
/// derives each connection's HMAC key this way, with 2 rounds for a raw key: OpenSSL 3 spent
/// more on its lookups than on the rounds); SHA-1 by the original provider.
unsafe extern "C" fn rustcrypto_kdf(
    ctx: *mut c_void,
    algorithm: c_int,
    pass: *const c_uchar,
    pass_sz: c_int,
    salt: *const c_uchar,
    salt_sz: c_int,
    workfactor: c_int,
    key_sz: c_int,
    key: *mut c_uchar,
) -> c_int {
    let plain_args = (algorithm == SQLCIPHER_PBKDF2_HMAC_SHA256
        || algorithm == SQLCIPHER_PBKDF2_HMAC_SHA512)
        && !pass.is_null()
        && pass_sz >= 0
        && !salt.is_null()
        && salt_sz >= 0
        && workfactor > 0
        && !key.is_null()
        && key_sz > 0;
    if !plain_args {
        return match ORIGINAL.get() {
            Some(o) => (o.kdf)(
                ctx, algorithm, pass, pass_sz, salt, salt_sz, workfactor, key_sz, key,
            ),
            None => SQLITE_ERROR,
        };
    }
    // SAFETY: SQLCipher passes a passphrase and a salt of the sizes it gives, and room for
    // `key_sz` bytes of key.
    let pass = std::slice::from_raw_parts(pass, pass_sz as usize);
    let salt = std::slice::from_raw_parts(salt, salt_sz as usize);
    let out = std::slice::from_raw_parts_mut(key, key_sz as usize);
    let rounds = workfactor as u32;
    let derived = if algorithm == SQLCIPHER_PBKDF2_HMAC_SHA512 {
        pbkdf2::pbkdf2::<Hmac<Sha512>>(pass, salt, rounds, out)
    } else {
        pbkdf2::pbkdf2::<Hmac<Sha256>>(pass, salt, rounds, out)
    };
    match derived {
        Ok(()) => SQLITE_OK,
        Err(_) => SQLITE_ERROR,
    }
}
