//! Browser entry point: renders [`threadline_app::App`] into `<body>`,
//! showing what the URL's fragment names.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // `#<scenario id>` or `#my-script` picks what the page shows first.
    let fragment = web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default();
    let props = threadline_app::AppProps::from_fragment(&fragment);
    yew::Renderer::<threadline_app::App>::with_props(props).render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("threadline-app runs in a browser: build it with scripts/build-web.sh");
    std::process::exit(2);
}
