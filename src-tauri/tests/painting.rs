//! How the window is drawn: the system's dark preference followed, and WebKit set up for this
//! machine (processor rasterizing without a GPU, the features Rapport switches off).

use crate::util::{self, data_dir, App};

e2e_test! {
    async fn the_theme_follows_the_systems_dark_preference() {
        let background = |app: App| async move {
            let colour = app
                .wait_for("body")
                .await
                .css_value("background-color")
                .await
                .unwrap();
            app.stop().await;
            colour
        };
        let dir = data_dir();
        util::seed(dir.path());
        let light = background(App::start(dir.path()).await).await;
        let app = App::start_with(dir.path(), &[("GTK_THEME", "Adwaita:dark")]).await;
        app.screenshot("today-dark").await;
        let dark = background(app).await;
        assert_eq!(light, "rgb(245, 243, 238)", "warm paper in the light theme");
        assert_eq!(dark, "rgb(15, 24, 27)", "deep teal-black in the dark theme");
    }
}

#[test]
fn without_a_gpu_render_node_webkit_is_asked_to_rasterize_on_the_processor() {
    use rapport_desktop::painting::{choice_for, CPU_RENDERING};
    let dri = tempfile::tempdir().unwrap();
    assert_eq!(choice_for(dri.path(), false), vec![(CPU_RENDERING, "1")]);
    assert_eq!(
        choice_for(&dri.path().join("missing"), false),
        vec![(CPU_RENDERING, "1")]
    );
    // A display-only card without a render node is no GPU to rasterize on.
    std::fs::write(dri.path().join("card0"), "").unwrap();
    assert_eq!(choice_for(dri.path(), false), vec![(CPU_RENDERING, "1")]);
    // The user's own setting, either way, is left alone; so is a machine with a GPU.
    assert!(choice_for(dri.path(), true).is_empty());
    std::fs::write(dri.path().join("renderD128"), "").unwrap();
    assert!(choice_for(dri.path(), false).is_empty());
}

#[test]
fn this_webkit_has_each_feature_rapport_switches_off() {
    // A feature renamed or removed in a later WebKit would be left on without a word but a line
    // on the app's standard error, and its memory come back: this names it.
    use rapport_desktop::painting::{webkit_features, FEATURES_OFF};
    let known = webkit_features();
    assert!(known.len() > 50, "WebKit's feature list: {known:?}");
    for name in FEATURES_OFF {
        assert!(
            known.iter().any(|k| k == name),
            "{name} is not among {known:?}"
        );
    }
}

e2e_test! {
    async fn the_web_process_paints_as_the_app_chose_for_this_machine() {
        let (dir, app) = crate::util::seeded_app().await;
        // WebKit reads the choice in its web process, which must have been started with it.
        let web: Vec<Vec<u8>> = util::tray::processes_with_data_dir(dir.path())
            .into_iter()
            .filter(|pid| {
                std::fs::read_link(format!("/proc/{pid}/exe"))
                    .is_ok_and(|exe| exe.ends_with("WebKitWebProcess"))
            })
            .map(|pid| std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default())
            .collect();
        assert!(!web.is_empty(), "no web process of the app's found");
        // The user's own setting is passed on as it is; otherwise the app's choice is set.
        use rapport_desktop::painting::{choice, CPU_RENDERING};
        let expected = std::env::var(CPU_RENDERING)
            .ok()
            .or_else(|| choice().first().map(|(_, v)| v.to_string()));
        let prefix = format!("{CPU_RENDERING}=");
        for environ in &web {
            let value = environ
                .split(|b| *b == 0)
                .filter_map(|v| std::str::from_utf8(v).ok())
                .find_map(|v| v.strip_prefix(&prefix).map(str::to_string));
            assert_eq!(value, expected, "{CPU_RENDERING} in the web process");
        }
        app.stop().await;
    }
}

/// The contrast ratios (WCAG 2) of the window's main colour pairs, read from its theme.
const CONTRASTS: &str = "
    const v = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    const lum = (hex) => {
      const c = hex.replace('#', '').match(/../g).map((h) => parseInt(h, 16) / 255)
        .map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(v(a)), lum(v(b))].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    return {
      text: ratio('--text', '--surface'),
      text_on_page: ratio('--text', '--bg'),
      muted: ratio('--muted', '--surface'),
      muted_on_page: ratio('--muted', '--bg'),
      placeholder: ratio('--muted', '--surface'),
      accent_text: ratio('--accent', '--surface'),
      button_text: ratio('--on-accent', '--accent'),
      highlight_bar: ratio('--accent', '--highlight'),
      focus_ring: ratio('--focus', '--surface'),
      danger_text: ratio('--danger', '--surface'),
    };";

e2e_test! {
    /// Text meets WCAG AA (4.5:1) and focus and highlight indicators 3:1, in both themes; a
    /// placeholder is the quiet colour and slanted, never mistaken for what was typed.
    async fn the_main_colours_have_the_contrast_wcag_asks_in_both_themes() {
        let dir = data_dir();
        util::seed(dir.path());
        for env in [&[][..], &[("GTK_THEME", "Adwaita:dark")][..]] {
            let app = App::start_with(dir.path(), env).await;
            let ratios = app.js(CONTRASTS).await;
            for (pair, floor) in [
                ("text", 4.5),
                ("text_on_page", 4.5),
                ("muted", 4.5),
                ("muted_on_page", 4.5),
                ("placeholder", 4.5),
                ("accent_text", 4.5),
                ("button_text", 4.5),
                ("danger_text", 4.5),
                ("highlight_bar", 3.0),
                ("focus_ring", 3.0),
            ] {
                let r = ratios[pair].as_f64().unwrap();
                assert!(r >= floor, "{pair}: {r:.2} < {floor} ({env:?})");
            }
            // WebKit computes no style for a pseudo-element: the stylesheet's rule is read.
            let placeholder = app
                .js("return [...document.styleSheets].flatMap((s) => [...s.cssRules])
                       .find((r) => r.selectorText === '::placeholder')?.style.fontStyle ?? ''")
                .await;
            assert_eq!(placeholder, "italic", "{env:?}");
            app.stop().await;
        }
    }
}

e2e_test! {
    /// Every view, and the log dialog, drawn in light and dark at 1280x800 and 800x600, saved
    /// for a person to look at (`e2e-screenshots/views/`); none overflows sideways, and at the
    /// smaller size a client's timeline starts within the first screen.
    async fn every_view_fits_its_window_in_both_themes_and_both_sizes() within crate::util::TEST_TIMEOUT * 2; {
        let dir = data_dir();
        util::seed(dir.path());
        // A long name and organisation, which must stay on one line in the client list.
        rapport::Journal::open(dir.path().join(rapport::FILE_NAME))
            .unwrap()
            .create_client(
                &rapport::ClientInput {
                    name: "María Eugenia de Alcántara y Villafranca-Montgomery".into(),
                    organisation: "Compañía Transatlántica de Inversiones y Desarrollo".into(),
                    ..Default::default()
                },
                rapport::Stage::MeToo,
                chrono::Utc::now(),
            )
            .unwrap();
        let views = [
            ("today", "#/today", "#needs"),
            ("clients", "#/clients", "#clients tbody tr"),
            ("search", "#/search?q=engine", "#search-results .result"),
            ("client", "#/client/1", "#timeline .entry"),
            ("settings", "#/settings", "#backups"),
        ];
        for (theme, env) in [("light", &[][..]), ("dark", &[("GTK_THEME", "Adwaita:dark")][..])] {
            let app = App::start_with(dir.path(), env).await;
            for (width, height) in [(1280, 800), (800, 600)] {
                app.client.set_window_size(width, height).await.unwrap();
                for (name, hash, ready) in views {
                    app.js(&format!("location.hash = {hash:?}")).await;
                    app.wait_for(ready).await;
                    app.frames().await;
                    app.screenshot(&format!("views/{name}-{theme}-{width}x{height}")).await;
                    let sideways = app
                        .js("const v = document.getElementById('view');
                             return [v.scrollWidth - v.clientWidth, document.documentElement.scrollWidth - innerWidth]")
                        .await;
                    assert_eq!(sideways, serde_json::json!([0, 0]), "{name} overflows at {width}x{height} ({theme})");
                    if name == "clients" {
                        let wrapped = app
                            .js("return [...document.querySelectorAll('.client-name, .client-org')]
                                   .filter((n) => n.getBoundingClientRect().height
                                     >= 2 * parseFloat(getComputedStyle(n).fontSize))
                                   .map((n) => n.textContent)")
                            .await;
                        assert_eq!(wrapped, serde_json::json!([]), "names wrap at {width}x{height}");
                    }
                    if name == "client" {
                    let top = app
                        .js("return document.getElementById('timeline').getBoundingClientRect().top < innerHeight")
                        .await;
                    assert_eq!(top, true, "the timeline is below the first screen at {width}x{height}");
                    }
                }
                app.open_log().await;
                app.screenshot(&format!("views/log-{theme}-{width}x{height}")).await;
                app.close_log().await;
                let size = format!("{theme}-{width}x{height}");
                every_menu_opens_on_top(&app, &size).await;
            }
            app.stop().await;
        }
    }
}

/// Whether the element at the centre of the first `css` is inside it (what a click there would
/// reach), and the whole of it is within the window.
async fn on_top(app: &App, css: &str) -> bool {
    let script = format!(
        "const m = document.querySelector({css:?});
         if (!m) return false;
         const r = m.getBoundingClientRect();
         const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
         return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight
           && r.right <= innerWidth && m.contains(hit);"
    );
    app.js(&script).await == true
}

/// Opens every menu, popover and dialog of the daily views in turn, as a user does, checks each
/// is on top and whole where it opens, and saves a picture of it (`views/menu-*-{size}`).
async fn every_menu_opens_on_top(app: &App, size: &str) {
    let shown = |name: &'static str, css: &'static str| async move {
        app.wait_for(css).await;
        app.frames().await;
        app.screenshot(&format!("views/menu-{name}-{size}")).await;
        assert!(
            on_top(app, css).await,
            "{name} ({css}) is hidden or cut off at {size}"
        );
    };
    let esc = "\u{E00C}";
    // Today: a row's Snooze menu.
    app.js("location.hash = '#/today'").await;
    app.click("#needs .need .menu > button").await;
    shown("snooze-today", ".menu-list").await;
    app.keys(esc).await;
    app.wait_gone(".menu-list").await;
    // The client page: an open follow-up's Snooze menu, the follow-up edited, the stage moved.
    app.js("location.hash = '#/client/1'").await;
    app.click("#client-follow-ups .menu > button").await;
    shown("snooze-client", ".menu-list").await;
    app.keys(esc).await;
    app.wait_gone(".menu-list").await;
    app.click("#client-follow-ups [data-action=edit]").await;
    shown("edit-follow-up", ".form-dialog").await;
    app.keys(esc).await;
    app.wait_gone(".form-dialog").await;
    app.js("const s = document.getElementById('stage-select');
            s.value = 'me_first'; s.dispatchEvent(new Event('change'));")
        .await;
    shown("stage-move", "dialog[role=alertdialog]").await;
    app.click("dialog[role=alertdialog] .button:not(#confirm-yes)")
        .await;
    app.wait_gone("dialog[role=alertdialog]").await;
    // The log dialog's suggestions (opened from Today, so the cursor is in the client field),
    // and the shortcuts overlay.
    app.js("location.hash = '#/today'").await;
    app.wait_for("#needs").await;
    app.open_log().await;
    app.type_fast("a").await;
    shown("log-suggestions", "#log-client-options:not([hidden])").await;
    app.js("document.getElementById('log-client').value = ''")
        .await;
    app.js("document.getElementById('log-dialog').close()")
        .await;
    app.keys("?").await;
    shown("shortcuts", "#shortcuts-dialog[open]").await;
    app.keys(esc).await;
    app.wait_gone("#shortcuts-dialog[open]").await;
}
