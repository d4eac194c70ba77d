//! `cargo xtask build`: the core as wasm, plus its JS bindings in www/pkg.

use anyhow::{Context, Result};
use wasm_bindgen_cli_support::Bindgen;

use crate::workspace::{self, cargo, run_ok};

pub fn build() -> Result<()> {
    workspace::ensure_wasm_target()?;
    run_ok(cargo().args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "gradscape",
        "--lib",
    ]))?;

    let wasm = workspace::target_dir()?.join("wasm32-unknown-unknown/release/gradscape.wasm");
    let out = workspace::root().join("www/pkg");
    println!(
        "$ wasm-bindgen --target web {} --out-dir www/pkg",
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
    println!("bindings written to {}", out.display());
    Ok(())
}
