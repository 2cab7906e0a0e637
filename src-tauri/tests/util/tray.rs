//! A stand-in tray: owns `org.kde.StatusNotifierWatcher` on the test's own session bus, as a
//! desktop panel does, so the app's tray icon registers with it. The test then reads the icon's
//! menu and clicks its items over `com.canonical.dbusmenu`, the way a panel does when a person
//! clicks them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use zbus::object_server::SignalEmitter;
use zbus::zvariant::{OwnedObjectPath, Value};

/// A tray icon that registered: the bus name it lives on and its object path.
#[derive(Debug, Clone)]
struct Item {
    bus_name: String,
    path: String,
}

struct Watcher {
    items: Arc<Mutex<Vec<Item>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    async fn register_status_notifier_item(
        &self,
        service: String,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        // An item names either its object path (on the caller's connection) or a bus name.
        let item = if service.starts_with('/') {
            Item {
                bus_name: sender,
                path: service,
            }
        } else {
            Item {
                bus_name: service,
                path: "/StatusNotifierItem".into(),
            }
        };
        let full = format!("{}{}", item.bus_name, item.path);
        self.items.lock().unwrap().push(item);
        let _ = Self::status_notifier_item_registered(&emitter, &full).await;
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items
            .lock()
            .unwrap()
            .iter()
            .map(|i| format!("{}{}", i.bus_name, i.path))
            .collect()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;
}

/// The running stand-in panel; gives up the watcher's name when dropped.
pub struct Tray {
    items: Arc<Mutex<Vec<Item>>>,
    connection: zbus::Connection,
}

/// One entry of the tray icon's menu.
#[derive(Debug, Clone)]
pub struct MenuEntry {
    pub id: i32,
    pub label: String,
}

impl Tray {
    /// Takes `org.kde.StatusNotifierWatcher` on the session bus of `dbus-run-session`.
    pub async fn start() -> Tray {
        let items = Arc::new(Mutex::new(Vec::new()));
        let connection = zbus::connection::Builder::session()
            .unwrap()
            .name("org.kde.StatusNotifierWatcher")
            .unwrap()
            .serve_at(
                "/StatusNotifierWatcher",
                Watcher {
                    items: items.clone(),
                },
            )
            .unwrap()
            .build()
            .await
            .expect("the stand-in tray owns org.kde.StatusNotifierWatcher");
        Tray { items, connection }
    }

    /// Waits up to 15 s for the app's icon to register; returns it.
    async fn item(&self) -> Item {
        let limit = Duration::from_secs(15);
        super::eventually("a tray icon registered", limit, || async {
            self.items.lock().unwrap().last().cloned()
        })
        .await
    }

    async fn item_proxy(&self) -> (Item, zbus::Proxy<'static>) {
        let item = self.item().await;
        let proxy = zbus::Proxy::new_owned(
            self.connection.clone(),
            item.bus_name.clone(),
            item.path.clone(),
            "org.kde.StatusNotifierItem".to_string(),
        )
        .await
        .unwrap();
        (item, proxy)
    }

    /// The label shown beside the icon (Ayatana's extension of the protocol), empty when none.
    pub async fn label(&self) -> String {
        let (_, proxy) = self.item_proxy().await;
        // Read afresh each time: the cached value would lag behind the app's changes.
        let reply = self
            .connection
            .call_method(
                Some(proxy.destination().to_owned()),
                proxy.path().to_owned(),
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &("org.kde.StatusNotifierItem", "XAyatanaLabel"),
            )
            .await
            .unwrap();
        let value: zbus::zvariant::OwnedValue = reply.body().deserialize().unwrap();
        String::try_from(value).unwrap_or_default()
    }

    /// Waits up to 15 s for the label beside the icon to read `wanted`.
    pub async fn wait_for_label(&self, wanted: &str) {
        let limit = Duration::from_secs(15);
        super::eventually(
            format!("the tray label to read {wanted:?}"),
            limit,
            || async { (self.label().await == wanted).then_some(()) },
        )
        .await
    }

    async fn menu_path(&self) -> (String, OwnedObjectPath) {
        let (item, proxy) = self.item_proxy().await;
        let menu: OwnedObjectPath = proxy.get_property("Menu").await.unwrap();
        (item.bus_name, menu)
    }

    /// The entries of the icon's menu, in order.
    pub async fn menu(&self) -> Vec<MenuEntry> {
        let (bus_name, menu) = self.menu_path().await;
        let reply = self
            .connection
            .call_method(
                Some(bus_name.as_str()),
                menu.as_str(),
                Some("com.canonical.dbusmenu"),
                "GetLayout",
                &(0i32, -1i32, Vec::<String>::new()),
            )
            .await
            .unwrap();
        let body = reply.body();
        // (revision, layout): read as one dynamic structure, the layout's children being variants.
        let reply: zbus::zvariant::Structure = body.deserialize().unwrap();
        let mut entries = Vec::new();
        collect(&reply.fields()[1], &mut entries);
        entries
    }

    /// Clicks the menu entry whose label contains `label`, as a panel does.
    pub async fn click(&self, label: &str) {
        let entries = self.menu().await;
        let entry = entries
            .iter()
            .find(|e| e.label.contains(label))
            .unwrap_or_else(|| panic!("no tray menu entry {label:?} in {entries:?}"));
        let (bus_name, menu) = self.menu_path().await;
        self.connection
            .call_method(
                Some(bus_name.as_str()),
                menu.as_str(),
                Some("com.canonical.dbusmenu"),
                "Event",
                &(entry.id, "clicked", Value::from(0i32), 0u32),
            )
            .await
            .unwrap();
    }
}

/// Walks a dbusmenu layout `(id, properties, children)`, children being variants of the same.
fn collect(node: &Value, out: &mut Vec<MenuEntry>) {
    let node = match node {
        Value::Value(inner) => inner.as_ref(),
        other => other,
    };
    let Value::Structure(s) = node else { return };
    let fields = s.fields();
    let (Some(Value::I32(id)), Some(Value::Dict(props)), Some(Value::Array(children))) =
        (fields.first(), fields.get(1), fields.get(2))
    else {
        return;
    };
    let label: Option<String> = props.get::<&str, String>(&"label").ok().flatten();
    if let Some(label) = label {
        // GTK marks mnemonics with underscores; a panel shows the label without them.
        out.push(MenuEntry {
            id: *id,
            label: label.replace('_', ""),
        });
    }
    for child in children.iter() {
        collect(child, out);
    }
}

/// The `/proc` ids of the live processes started with `RAPPORT_DATA_DIR` set to `data_dir`:
/// tauri-driver, WebKitWebDriver, the app and what it started. A zombie has no environment left
/// and is not among them.
pub fn processes_with_data_dir(data_dir: &std::path::Path) -> Vec<u32> {
    let wanted = format!("RAPPORT_DATA_DIR={}", data_dir.display());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            environ.split(|b| *b == 0).any(|v| v == wanted.as_bytes())
        })
        .collect()
}

/// Of those, the app's own process (Rapport, or the benchmark's minimal window).
pub fn app_processes(data_dir: &std::path::Path) -> Vec<u32> {
    processes_with_data_dir(data_dir)
        .into_iter()
        .filter(|pid| {
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
            exe.file_name()
                .is_some_and(|n| n == "rapport-desktop" || n == "minimal-window")
        })
        .collect()
}
