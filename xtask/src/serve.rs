//! `cargo xtask serve`: build, then serve www/ as static files on localhost.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use rouille::{Request, Response};

use crate::{build, workspace};

pub fn serve(port: u16) -> Result<()> {
    build::build()?;
    let root = workspace::root()
        .join("www")
        .canonicalize()
        .context("www/ is missing")?;
    let server = rouille::Server::new(("127.0.0.1", port), move |request| {
        rouille::log(request, std::io::stdout(), || respond(&root, request))
    })
    .map_err(|error| anyhow!("cannot listen on 127.0.0.1:{port}: {error}"))?;
    println!("serving www/ on http://127.0.0.1:{port}/ (Ctrl-C to stop)");
    server.run();
    Ok(())
}

fn respond(root: &Path, request: &Request) -> Response {
    let Some(path) = resolve(root, &request.url()) else {
        return Response::empty_404();
    };
    match File::open(&path) {
        // Always revalidate, so a reload after a rebuild picks up the new wasm.
        Ok(file) => Response::from_file(content_type(&path), file)
            .with_unique_header("Cache-Control", "no-cache"),
        Err(_) => Response::empty_404(),
    }
}

/// Maps a URL path to a file under `root`; a directory means its index.html.
/// Returns `None` for anything that does not exist or would leave `root`.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for part in url
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
    {
        if part == ".." || part.contains('\\') {
            return None;
        }
        path.push(part);
    }
    if path.is_dir() {
        path.push("index.html");
    }
    // Canonicalising resolves symlinks too, which must not lead out of the root either.
    let path = path.canonicalize().ok()?;
    (path.starts_with(root) && path.is_file()).then_some(path)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        // Module scripts are only run when served with a JavaScript MIME type.
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        // Required by WebAssembly.instantiateStreaming.
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}
