//! How WebKit draws the window, chosen before WebKit starts.
//!
//! WebKitGTK rasterizes pages with Skia on the GPU. On a machine without one (a virtual machine,
//! a remote desktop, a virtual display) its GL is Mesa's llvmpipe, which emulates the GPU on the
//! processor at several times the cost of Skia's own processor rasterizer: there, Rapport asks
//! WebKit for Skia's processor rasterizer instead, for less memory and shorter frames (the
//! figures are in the commit that made the choice, and the app benchmark's rows in
//! `BENCHMARKS.md`).
//!
//! Once the window exists, [`configure`] switches off the WebKit features in [`FEATURES_OFF`].

use std::path::Path;

/// WebKit's switch for Skia's processor rasterizer.
pub const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// The environment Rapport gives WebKit on this machine: `(name, value)` pairs to set.
/// Empty where there is a GPU, or where the user has chosen for themselves.
pub fn choice() -> Vec<(&'static str, &'static str)> {
    choice_for(
        Path::new("/dev/dri"),
        std::env::var_os(CPU_RENDERING).is_some(),
    )
}

/// [`choice`] for a machine whose devices are under `dri`, where the user has or has not set the
/// variable themselves.
pub fn choice_for(dri: &Path, chosen_by_user: bool) -> Vec<(&'static str, &'static str)> {
    if chosen_by_user || has_render_node(dri) {
        Vec::new()
    } else {
        vec![(CPU_RENDERING, "1")]
    }
}

/// Whether `dri` holds a GPU render node (`renderD128` and on), through which Mesa would reach
/// real hardware.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Applies [`choice`]. Called first thing, before any thread is started: WebKit reads these once,
/// in its web process, which inherits them.
pub fn choose() {
    for (name, value) in choice() {
        std::env::set_var(name, value);
    }
}

/// WebKit features Rapport switches off in its webview, by WebKit's own identifiers.
///
/// `AsyncOverflowScrolling` gives every scrolling box of the page (Rapport's view is one) layers
/// of its own, scrolled on the compositor's thread, each tiled over the view and a margin of
/// content around it, and painted into textures kept beside the tiles. Switched off, the view is
/// painted with the page on its own thread: less memory after a long scroll, and a frame of
/// scrolling no dearer, since painting the view anew costs less than keeping its layers in step
/// (the app benchmark's memory rows measure it).
pub const FEATURES_OFF: &[&str] = &["AsyncOverflowScrolling"];

/// Switches off [`FEATURES_OFF`] in `window`'s webview, before its page is laid out. A WebKit
/// without one of them, or without the feature API (WebKitGTK before 2.42), is left as it is:
/// Rapport works the same, with more memory.
pub fn configure(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        let done = window.with_webview(|webview| {
            use webkit2gtk::WebViewExt;
            let Some(settings) = webview.inner().settings() else {
                return;
            };
            let switched = features::switch_off(&settings, FEATURES_OFF);
            for name in FEATURES_OFF.iter().filter(|n| !switched.contains(n)) {
                eprintln!("Rapport: this WebKit has no feature {name} to switch off");
            }
        });
        if let Err(e) = done {
            eprintln!("Rapport: WebKit's features were left as they were: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// The identifiers of the features this machine's WebKit knows (empty without the feature API).
pub fn webkit_features() -> Vec<String> {
    #[cfg(target_os = "linux")]
    return features::all();
    #[cfg(not(target_os = "linux"))]
    Vec::new()
}

/// WebKitGTK's feature API (since 2.42), which the `webkit2gtk` crate does not bind. Its
/// functions are looked up in the loaded library at run time, so that Rapport still starts on an
/// older WebKit, which lacks them.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
mod features {
    use std::ffi::{c_char, c_int, c_void, CStr};

    use webkit2gtk::glib::translate::ToGlibPtr;

    type List = *mut c_void;
    type Feature = *mut c_void;

    /// The functions of the API, with the signatures of WebKitGTK's `WebKitFeature.h` and
    /// `WebKitSettings.h`.
    struct Api {
        all_features: unsafe extern "C" fn() -> List,
        list_length: unsafe extern "C" fn(List) -> usize,
        list_get: unsafe extern "C" fn(List, usize) -> Feature,
        list_unref: unsafe extern "C" fn(List),
        identifier: unsafe extern "C" fn(Feature) -> *const c_char,
        set_enabled: unsafe extern "C" fn(*mut webkit2gtk::ffi::WebKitSettings, Feature, c_int),
    }

    /// WebKitGTK's library, by the name the `webkit2gtk` crate links: the app has it loaded
    /// already; a process that has not (a test) loads it here.
    const LIBRARY: &CStr = c"libwebkit2gtk-4.1.so.0";

    fn api() -> Option<Api> {
        // SAFETY: opens the library the webview runs on (or finds it open); the handle is kept
        // for the life of the process, as the library is anyway.
        let library = unsafe { libc::dlopen(LIBRARY.as_ptr(), libc::RTLD_LAZY) };
        if library.is_null() {
            return None;
        }
        let symbol = |name: &CStr| {
            // SAFETY: a look-up by name in the open library; nothing is called.
            let found = unsafe { libc::dlsym(library, name.as_ptr()) };
            (!found.is_null()).then_some(found)
        };
        // SAFETY: each symbol is WebKitGTK's function of that name, whose C signature is the
        // one the field is declared with.
        unsafe {
            Some(Api {
                all_features: function(symbol(c"webkit_settings_get_all_features")?),
                list_length: function(symbol(c"webkit_feature_list_get_length")?),
                list_get: function(symbol(c"webkit_feature_list_get")?),
                list_unref: function(symbol(c"webkit_feature_list_unref")?),
                identifier: function(symbol(c"webkit_feature_get_identifier")?),
                set_enabled: function(symbol(c"webkit_settings_set_feature_enabled")?),
            })
        }
    }

    /// The C function at `address`, as the function pointer type `F` the caller declares.
    ///
    /// # Safety
    /// `address` must be a function whose C signature is `F`'s.
    unsafe fn function<F: Copy>(address: *mut c_void) -> F {
        assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<*mut c_void>());
        // SAFETY: `F` is a function pointer of the same size (checked), and the caller vouches
        // for its signature.
        unsafe { std::mem::transmute_copy(&address) }
    }

    /// Calls `each` with every feature WebKit knows and its identifier.
    fn for_each(api: &Api, mut each: impl FnMut(Feature, &str)) {
        // SAFETY: the list is WebKit's, owned here (transfer full) until unreferenced below; its
        // features and their identifiers live as long as it does, and are used only before.
        unsafe {
            let list = (api.all_features)();
            if list.is_null() {
                return;
            }
            for i in 0..(api.list_length)(list) {
                let feature = (api.list_get)(list, i);
                if feature.is_null() {
                    continue;
                }
                let id = (api.identifier)(feature);
                if !id.is_null() {
                    each(feature, &CStr::from_ptr(id).to_string_lossy());
                }
            }
            (api.list_unref)(list);
        }
    }

    pub fn all() -> Vec<String> {
        let mut names = Vec::new();
        if let Some(api) = api() {
            for_each(&api, |_, id| names.push(id.to_string()));
        }
        names
    }

    /// Switches off the features named in `names`; returns those found (and so switched off).
    pub fn switch_off(
        settings: &webkit2gtk::Settings,
        names: &[&'static str],
    ) -> Vec<&'static str> {
        let Some(api) = api() else {
            return Vec::new();
        };
        let raw: *mut webkit2gtk::ffi::WebKitSettings = settings.to_glib_none().0;
        let mut switched = Vec::new();
        for_each(&api, |feature, id| {
            if let Some(name) = names.iter().find(|n| **n == id) {
                // SAFETY: `raw` is the live settings object borrowed above, `feature` one of
                // the list's, alive for this call.
                unsafe { (api.set_enabled)(raw, feature, 0) };
                switched.push(*name);
            }
        });
        switched
    }
}
