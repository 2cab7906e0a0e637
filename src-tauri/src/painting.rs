//! How WebKit draws the window, chosen before WebKit starts.
//!
//! WebKitGTK rasterizes pages with Skia on the GPU. On a machine without one (a virtual machine,
//! a remote desktop, a virtual display) its GL is Mesa's llvmpipe, which emulates the GPU on the
//! processor at several times the cost of Skia's own processor rasterizer. Measured with the app
//! benchmark on its 2-core machine without a GPU, where `perf` put 82% of the web process's time
//! in llvmpipe's threads while typing into search: Rapport after scrolling 2,000 timeline entries
//! held 364 MB instead of 447 MB, on Today 317 MB instead of 356 MB, and the longest frames while
//! typing took about 120 ms instead of about 220 ms.

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
