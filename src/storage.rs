//! The browser's `localStorage`: what the page remembers between visits.
//! Where storage is unavailable (private modes, sandboxed frames) reads give
//! nothing and writes quietly do nothing.

/// The `localStorage` key of the Python version the learner chose.
pub const PYTHON_KEY: &str = "threadline.python";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value kept under `key`, if any.
pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key`.
pub fn set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}
