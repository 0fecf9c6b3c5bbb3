//! The page, in the binary: plain HTML, CSS and JavaScript modules written for it
//! (assets/inspector/), no CDN, no build step.

/// `(path, content type, text)`; `/` is `index.html`.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "/index.html",
        "text/html; charset=utf-8",
        include_str!("../../assets/inspector/index.html"),
    ),
    (
        "/style.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/inspector/style.css"),
    ),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/inspector/app.js"),
    ),
    (
        "/api.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/inspector/api.js"),
    ),
    (
        "/list.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/inspector/list.js"),
    ),
    (
        "/detail.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/inspector/detail.js"),
    ),
    (
        "/editor.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/inspector/editor.js"),
    ),
    (
        "/tools.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/inspector/tools.js"),
    ),
];

/// The asset at `path` (`/` is the page): its content type and text.
pub fn get(path: &str) -> Option<(&'static str, &'static str)> {
    let path = if path == "/" { "/index.html" } else { path };
    ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, ct, text)| (*ct, *text))
}
