//! The journal's data key in the desktop's keyring, through the freedesktop Secret Service API.
//!
//! One item per journal in the keyring's default collection, found by its attributes
//! (`application` = `rapport`, `journal` = the data folder's path). Rapport tells apart the
//! three ways the key can fail to come back, because each asks something else of the user:
//! [`Trouble::NoKeyring`] (this desktop has none: use the passphrase), [`Trouble::Locked`] (it
//! has one, locked: ask the desktop to unlock it, never fall back silently), and `Ok(None)`
//! from [`Keyring::load`] (the keyring is there and open but has no key for this journal: ask
//! for the passphrase).
//!
//! The calls run on a small runtime of their own, on a thread of their own, so they can be made
//! from anywhere: the window's command threads, its async setup, or the command line.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::future::Future;

use secret_service::{EncryptionType, SecretService};
use zeroize::Zeroizing;

/// Why the keyring could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trouble {
    /// No Secret Service answers on this desktop's session bus (or there is no session bus).
    NoKeyring(String),
    /// The keyring is there but locked.
    Locked,
    /// It answered, with an error: the desktop's words.
    Failed(String),
}

impl std::fmt::Display for Trouble {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Trouble::NoKeyring(why) => write!(f, "this desktop has no keyring ({why})"),
            Trouble::Locked => f.write_str("the desktop's keyring is locked"),
            Trouble::Failed(why) => write!(f, "the desktop's keyring failed: {why}"),
        }
    }
}

impl std::error::Error for Trouble {}

fn trouble(e: secret_service::Error) -> Trouble {
    use secret_service::Error as E;
    match e {
        E::Unavailable => Trouble::NoKeyring("no Secret Service on the session bus".into()),
        E::Locked => Trouble::Locked,
        E::Prompt | E::PromptDisconnected => Trouble::Locked,
        E::NoResult => Trouble::NoKeyring("it has no default collection".into()),
        other => Trouble::Failed(other.to_string()),
    }
}

/// The name a journal's key is kept under: its data folder's full path, the same whether the
/// window or the command line asks.
pub fn journal_name(folder: &std::path::Path) -> String {
    std::fs::canonicalize(folder)
        .unwrap_or_else(|_| folder.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Where the keyring is asked: the session bus, or a bus at an address of its own (a test's).
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    address: Option<String>,
}

const APPLICATION: &str = "rapport";
const CONTENT_TYPE: &str = "application/octet-stream";

impl Keyring {
    /// The keyring on the desktop's session bus.
    pub fn session() -> Keyring {
        Keyring { address: None }
    }

    /// The keyring on the bus at `address` (`unix:path=…`).
    pub fn on_bus(address: &str) -> Keyring {
        Keyring {
            address: Some(address.to_string()),
        }
    }

    /// Runs `work` against the Secret Service, on a runtime and thread of its own.
    fn with<T, F, Fut>(&self, work: F) -> Result<T, Trouble>
    where
        T: Send + 'static,
        F: FnOnce(SecretService<'static>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, Trouble>>,
    {
        let address = self.address.clone();
        let ran = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Trouble::Failed(e.to_string()))?;
            runtime.block_on(async move {
                let conn = match &address {
                    Some(address) => zbus::connection::Builder::address(address.as_str())
                        .map_err(|e| Trouble::NoKeyring(e.to_string()))?
                        .build()
                        .await
                        .map_err(|e| Trouble::NoKeyring(e.to_string()))?,
                    None => zbus::Connection::session()
                        .await
                        .map_err(|e| Trouble::NoKeyring(e.to_string()))?,
                };
                let service = SecretService::connect_with_existing(EncryptionType::Dh, conn)
                    .await
                    .map_err(|e| match e {
                        // Nobody owns the Secret Service's name: no keyring on this desktop.
                        secret_service::Error::Zbus(_) | secret_service::Error::ZbusFdo(_) => {
                            Trouble::NoKeyring(e.to_string())
                        }
                        other => trouble(other),
                    })?;
                work(service).await
            })
        });
        ran.join()
            .unwrap_or_else(|_| Err(Trouble::Failed("the keyring's thread stopped".into())))
    }

    /// Whether the keyring is there and unlocked.
    pub fn check(&self) -> Result<(), Trouble> {
        self.with(|service| async move {
            let collection = service.get_default_collection().await.map_err(trouble)?;
            if collection.is_locked().await.map_err(trouble)? {
                return Err(Trouble::Locked);
            }
            Ok(())
        })
    }

    /// The key kept for the journal in `folder`, or `None` if the keyring holds none for it.
    pub fn load(&self, folder: &str) -> Result<Option<Zeroizing<Vec<u8>>>, Trouble> {
        let folder = folder.to_string();
        self.with(move |service| async move {
            let collection = service.get_default_collection().await.map_err(trouble)?;
            if collection.is_locked().await.map_err(trouble)? {
                return Err(Trouble::Locked);
            }
            let attributes = HashMap::from([("application", APPLICATION), ("journal", &folder)]);
            let items = collection.search_items(attributes).await.map_err(trouble)?;
            match items.first() {
                Some(item) => Ok(Some(Zeroizing::new(
                    item.get_secret().await.map_err(trouble)?,
                ))),
                None => Ok(None),
            }
        })
    }

    /// Keeps `key` for the journal in `folder`, replacing any kept before.
    pub fn store(&self, folder: &str, key: &[u8]) -> Result<(), Trouble> {
        let folder = folder.to_string();
        let key = Zeroizing::new(key.to_vec());
        self.with(move |service| async move {
            let collection = service.get_default_collection().await.map_err(trouble)?;
            if collection.is_locked().await.map_err(trouble)? {
                return Err(Trouble::Locked);
            }
            let attributes = HashMap::from([("application", APPLICATION), ("journal", &folder)]);
            let label = format!("Rapport journal key ({folder})");
            collection
                .create_item(&label, attributes, &key, true, CONTENT_TYPE)
                .await
                .map_err(trouble)?;
            Ok(())
        })
    }

    /// Removes the key kept for the journal in `folder`, if any.
    pub fn forget(&self, folder: &str) -> Result<(), Trouble> {
        let folder = folder.to_string();
        self.with(move |service| async move {
            let collection = service.get_default_collection().await.map_err(trouble)?;
            let attributes = HashMap::from([("application", APPLICATION), ("journal", &folder)]);
            for item in collection.search_items(attributes).await.map_err(trouble)? {
                item.delete().await.map_err(trouble)?;
            }
            Ok(())
        })
    }

    /// Asks the desktop to unlock the keyring's default collection: it shows its own prompt for
    /// the login password, and this returns once the user has answered ([`Trouble::Locked`]
    /// if they dismissed it).
    pub fn unlock(&self) -> Result<(), Trouble> {
        self.with(|service| async move {
            let collection = service.get_default_collection().await.map_err(trouble)?;
            collection.unlock().await.map_err(trouble)?;
            if collection.is_locked().await.map_err(trouble)? {
                return Err(Trouble::Locked);
            }
            Ok(())
        })
    }

    /// Locks the keyring's default collection, as the desktop does at its screen lock.
    pub fn lock(&self) -> Result<(), Trouble> {
        self.with(|service| async move {
            let collection = service.get_default_collection().await.map_err(trouble)?;
            collection.lock().await.map_err(trouble)
        })
    }
}
