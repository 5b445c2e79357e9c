//! Browser entry point: renders [`threadline_app::App`] into `<body>`.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    yew::Renderer::<threadline_app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("threadline-app runs in a browser: build it with scripts/build-web.sh");
    std::process::exit(2);
}
