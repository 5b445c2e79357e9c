//! Browser entry point: renders [`threadline_app::App`] into `<body>`,
//! showing what the URL's fragment names.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // The query sets up embed mode; the fragment is a share link (or an old
    // `#<scenario id>` / `#my-script`).
    let location = web_sys::window().map(|window| window.location());
    let query = location.as_ref().and_then(|l| l.search().ok()).unwrap_or_default();
    let fragment = location.as_ref().and_then(|l| l.hash().ok()).unwrap_or_default();
    let stored = threadline_app::components::app::stored_my_script();
    let props = threadline_app::AppProps::from_url(&query, &fragment, stored);
    // An embedding page's `theme=` wins over the learner's remembered choice.
    let theme = threadline_app::share::parse_query(&query).theme;
    let choice = theme.or_else(threadline_app::components::theme_toggle::stored_choice);
    threadline_app::components::theme_toggle::apply_choice(choice);
    yew::Renderer::<threadline_app::App>::with_props(props).render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("threadline-app runs in a browser: build it with scripts/build-web.sh");
    std::process::exit(2);
}
