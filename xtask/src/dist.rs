//! `cargo xtask dist`: the page as a self-contained static folder, dist/, that works
//! from any static host, offline, and under a strict Content-Security-Policy.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use flate2::write::GzEncoder;
use flate2::Compression;

use crate::build;
use crate::workspace::root;

/// The policy the page is tested under; hosts that read `_headers` (Netlify,
/// Cloudflare Pages) apply it as it is.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

pub fn dist() -> Result<()> {
    build::build()?;
    let www = root().join("www");
    let dist = root().join("dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).context("clearing dist/")?;
    }
    copy_tree(&www, &dist)?;
    // The shells' template is for the build, not the host.
    fs::remove_file(dist.join("page.html"))?;
    fs::write(
        dist.join("_headers"),
        format!(
            "/*\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n/*.wasm\n  Content-Type: application/wasm\n"
        ),
    )?;
    let (files, bytes, gzipped) = measure(&dist)?;
    println!(
        "dist/: {files} files, {:.1} KiB, {:.1} KiB gzipped (gzip -9, file by file)",
        bytes as f64 / 1024.0,
        gzipped as f64 / 1024.0
    );
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Files, bytes, and bytes after gzip -9, of everything under `dir`.
fn measure(dir: &Path) -> Result<(usize, u64, u64)> {
    let mut totals = (0, 0, 0);
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            let (f, b, g) = measure(&entry.path())?;
            totals = (totals.0 + f, totals.1 + b, totals.2 + g);
        } else {
            let content = fs::read(entry.path())?;
            let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
            gzip.write_all(&content)?;
            let compressed = gzip.finish()?.len() as u64;
            totals = (
                totals.0 + 1,
                totals.1 + content.len() as u64,
                totals.2 + compressed,
            );
        }
    }
    Ok(totals)
}
