//! What the tests and benchmarks need beyond cargo: Debian's Chromium and ChromeDriver,
//! the wasm32 target, and the npm packages of tests/.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{bail, Context, Result};

use crate::workspace::{self, root, run_ok};

/// The browser the wasm and browser tests drive.
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Chromium and ChromeDriver, the wasm target and the npm packages of tests/, installed
/// when missing.
pub fn ensure_tools() -> Result<Tools> {
    let tools = ensure_chromium()?;
    println!(
        "chromium: {}\nchromedriver: {}",
        tools.chromium.display(),
        tools.chromedriver.display()
    );
    workspace::ensure_wasm_target()?;
    ensure_node_packages()?;
    Ok(tools)
}

fn ensure_chromium() -> Result<Tools> {
    if let Some(tools) = find_chromium() {
        return Ok(tools);
    }
    if !(is_root() && Path::new("/etc/debian_version").exists()) {
        bail!(
            "Chromium and ChromeDriver are needed for the wasm and browser tests; install them with\n\
             \n    sudo apt-get update && sudo apt-get install -y chromium chromium-driver\n\
             \n(on other systems, install Chromium and the matching ChromeDriver and put both on PATH)"
        );
    }
    run_ok(Command::new("apt-get").arg("update"))?;
    run_ok(
        Command::new("apt-get")
            .args(["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    find_chromium().context("chromium or chromedriver still missing after apt-get install")
}

fn find_chromium() -> Option<Tools> {
    Some(Tools {
        chromium: find_program("chromium")?,
        chromedriver: find_program("chromedriver")?,
    })
}

/// Debian's location first, then PATH.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH").unwrap_or_default();
    std::iter::once(PathBuf::from("/usr/bin"))
        .chain(env::split_paths(&path))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// `npm ci` in tests/ unless node_modules is already newer than the lock file.
fn ensure_node_packages() -> Result<()> {
    let tests = root().join("tests");
    // npm writes its copy of the lock file last, so an interrupted install counts as stale.
    let installed = modified(&tests.join("node_modules/.package-lock.json"));
    let locked = modified(&tests.join("package-lock.json"));
    if matches!((installed, locked), (Some(installed), Some(locked)) if installed >= locked) {
        return Ok(());
    }
    run_ok(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&tests),
    )
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|meta| meta.modified()).ok()
}
