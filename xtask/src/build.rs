//! `cargo xtask build`: the core as wasm, plus its JS bindings in www/pkg, and the
//! digits' file beside them.

use std::fs;

use anyhow::{Context, Result};
use wasm_bindgen_cli_support::Bindgen;

use crate::pages;
use crate::workspace::{self, cargo, run_ok};

/// The core's wasm builds, `www/pkg/DIR/` from the crate's FEATURE: each lab's page
/// loads a build with its own lab only; the optimizer lab fetches the build with its
/// further views (3-D, the panels, an explained step, SVG) and typed formulas when one
/// is first shown, and a page imports the recorders (GIF, MP4) only when a user exports
/// a race.
pub const PACKAGES: [(&str, &str); 4] = [
    ("optimizers", "optimizer-lab"),
    ("optimizer-views", "optimizer-views"),
    ("network", "network-lab"),
    ("media", "media"),
];

/// The page: each of the core's wasm builds with its bindings, and the HTML shells.
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
    for (dir, package) in PACKAGES {
        let features = [&[package][..], features].concat().join(",");
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
        let mut output = Bindgen::new()
            .input_path(&wasm)
            .web(true)?
            // Keep `new URL('gradscape_bg.wasm', import.meta.url)` as init()'s default,
            // so the page can call init() with no arguments.
            .omit_default_module_path(false)
            .typescript(false)
            .generate_output()
            .with_context(|| format!("generating bindings for {}", wasm.display()))?;
        drop_foreign_exports(output.wasm_mut());
        output
            .emit(&out)
            .with_context(|| format!("writing {}", out.display()))?;
        let glue = out.join("gradscape.js");
        let js =
            fs::read_to_string(&glue).with_context(|| format!("reading {}", glue.display()))?;
        fs::write(&glue, without_doc_comments(&js))
            .with_context(|| format!("writing {}", glue.display()))?;
    }
    // The digits, which the network lab's page fetches only when they are chosen.
    let digits = workspace::root().join(DIGITS);
    fs::copy(&digits, pkg.join("digits.bin"))
        .with_context(|| format!("copying {}", digits.display()))?;
    println!("bindings and digits.bin written to {}", pkg.display());
    Ok(())
}

/// The digits dataset's file (see crate/data/README.md), served as `pkg/digits.bin`.
const DIGITS: &str = "crate/data/digits.bin";

/// Functions of a dependency's C interface, by prefix: the MP4 muxer's (`muxide_…`).
/// Rust exports every `#[no_mangle]` function of every crate from a cdylib, which keeps
/// it and all it calls (the muxer's fragmented and audio writers: 100 KB of wasm) though
/// nothing in the page calls it.
const FOREIGN_EXPORTS: [&str; 1] = ["muxide_"];

/// Removes the [`FOREIGN_EXPORTS`], then the code only they reached.
fn drop_foreign_exports(module: &mut walrus::Module) {
    let foreign: Vec<walrus::ExportId> = module
        .exports
        .iter()
        .filter(|e| FOREIGN_EXPORTS.iter().any(|p| e.name.starts_with(p)))
        .map(|e| e.id())
        .collect();
    for id in foreign {
        module.exports.delete(id);
    }
    walrus::passes::gc::run(module);
}

/// The bindings without their doc comments. wasm-bindgen copies the Rust doc comment of
/// every exported function into the JS as JSDoc: a quarter of the gzipped glue, which
/// every visit would download; the Rust source (src/web) keeps them. A comment alone on
/// its lines goes with its indentation and line break.
fn without_doc_comments(js: &str) -> String {
    let mut kept = String::with_capacity(js.len());
    let mut rest = js;
    while let Some(start) = rest.find("/**") {
        let Some(length) = rest[start..].find("*/") else {
            break;
        };
        let line = rest[..start].rfind('\n').map_or(0, |i| i + 1);
        let alone = rest[line..start].trim().is_empty();
        kept.push_str(&rest[..if alone { line } else { start }]);
        let end = start + length + 2;
        rest = match rest[end..].strip_prefix('\n') {
            Some(after) if alone => after,
            _ => &rest[end..],
        };
    }
    kept.push_str(rest);
    kept
}

#[cfg(test)]
mod tests {
    use super::without_doc_comments;

    #[test]
    fn doc_comments_go_and_the_code_stays() {
        let js = "export class Lab {\n    /**\n     * Draws.\n     * @param {number} x\n     */\n    draw(x) { return x /* not a doc */; }\n}\nconst a = 1; /** trailing */ const b = 2;\n";
        assert_eq!(
            without_doc_comments(js),
            "export class Lab {\n    draw(x) { return x /* not a doc */; }\n}\nconst a = 1;  const b = 2;\n"
        );
    }

    #[test]
    fn an_unclosed_comment_is_left_as_it_is() {
        assert_eq!(without_doc_comments("a /** b"), "a /** b");
    }
}
