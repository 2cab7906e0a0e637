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
        let dir = data_dir();
        util::seed(dir.path());
        let app = App::start(dir.path()).await;
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
