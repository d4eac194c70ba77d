//! `cargo xtask build`: the core as wasm, plus its JS bindings in www/pkg.

use std::fs;

use anyhow::{Context, Result};
use wasm_bindgen_cli_support::Bindgen;

use crate::pages;
use crate::workspace::{self, cargo, run_ok};

/// Each lab's page loads a build of the core with its own lab only: `www/pkg/DIR/` from
/// the crate's FEATURE.
pub const LABS: [(&str, &str); 2] = [("optimizers", "optimizer-lab"), ("network", "network-lab")];

/// The page: each lab's core as wasm with its bindings, and the HTML shells.
pub fn build() -> Result<()> {
    build_with(&[])
}

/// [`build`] with more of the core's features (the benchmark's `bench`).
pub fn build_with(features: &[&str]) -> Result<()> {
    workspace::ensure_wasm_target()?;
    pages::write()?;
    let pkg = workspace::root().join("www/pkg");
    if pkg.exists() {
        fs::remove_dir_all(&pkg).context("clearing www/pkg")?;
    }
    for (dir, lab) in LABS {
        let features = [&[lab][..], features].concat().join(",");
        run_ok(cargo().args([
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "gradscape",
            "--lib",
            "--features",
            &features,
        ]))?;
        let wasm = workspace::target_dir()?.join("wasm32-unknown-unknown/release/gradscape.wasm");
        let out = pkg.join(dir);
        println!(
            "$ wasm-bindgen --target web {} --out-dir www/pkg/{dir}",
            wasm.display()
        );
        Bindgen::new()
            .input_path(&wasm)
            .web(true)?
            // Keep `new URL('gradscape_bg.wasm', import.meta.url)` as init()'s default,
            // so the page can call init() with no arguments.
            .omit_default_module_path(false)
            .typescript(false)
            .generate(&out)
            .with_context(|| format!("generating bindings for {}", wasm.display()))?;
    }
    println!("bindings written to {}", pkg.display());
    Ok(())
}
