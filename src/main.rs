//! Browser entry point: renders [`threadline_app::App`] into `<body>`,
//! showing what the URL's fragment names.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // `#<scenario id>` or `#my-script` picks what the page shows first.
    let fragment = web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default();
    let mut props = threadline_app::AppProps::from_fragment(&fragment);
    // "My script" comes back as it was last edited in this browser.
    if props.my_script.is_some() {
        if let Some(stored) = threadline_app::components::app::stored_my_script() {
            props.my_script = Some(stored.into());
        }
    }
    yew::Renderer::<threadline_app::App>::with_props(props).render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("threadline-app runs in a browser: build it with scripts/build-web.sh");
    std::process::exit(2);
}
