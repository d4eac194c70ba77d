//! `cargo xtask bench`: builds the page, then times its own code in headless Chromium
//! against peers in the same run (tests/bench/bench.mjs prints the table).

use std::process::Command;

use anyhow::Result;

use crate::build;
use crate::tools::ensure_tools;
use crate::workspace::{root, run_ok};

pub fn bench() -> Result<()> {
    let tools = ensure_tools()?;
    build::build_with(&["bench"])?;
    run_ok(
        Command::new("node")
            .current_dir(root())
            .arg("tests/bench/bench.mjs")
            .env("CHROMIUM", &tools.chromium),
    )
}
