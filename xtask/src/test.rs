//! `cargo xtask test`: the project's one test command, as run by `.ci/run`.
//!
//! Every step runs even when an earlier one failed, so one run shows everything that
//! is wrong. The last line of output is always `N passed, M failed`.

use std::env;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::ops::{Add, AddAssign};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use anyhow::{bail, Context, Result};

use crate::dist;
use crate::tools::{ensure_tools, Tools};
use crate::workspace::{self, cargo, display, root, run};

const STEPS: usize = 6;

pub fn test() -> Result<bool> {
    let mut report = Report::default();

    report.header("tools");
    let tools = match ensure_tools() {
        Ok(tools) => tools,
        // Without the tools the remaining steps would only fail in confusing ways.
        Err(error) => {
            report.record("tools", failed(error));
            return Ok(report.finish());
        }
    };

    report.step("fmt", fmt);
    report.step("clippy", clippy);
    report.step("native tests", native_tests);
    report.step("wasm tests", || wasm_tests(&tools));
    report.step("browser tests", || browser_tests(&tools));
    Ok(report.finish())
}

/// Passed and failed checks: a test, or a command such as `cargo fmt` that counts as one.
#[derive(Clone, Copy, Default)]
struct Counts {
    passed: u64,
    failed: u64,
}

impl Counts {
    const PASSED: Counts = Counts {
        passed: 1,
        failed: 0,
    };
    const FAILED: Counts = Counts {
        passed: 0,
        failed: 1,
    };

    fn check(ok: bool) -> Counts {
        if ok {
            Counts::PASSED
        } else {
            Counts::FAILED
        }
    }

    /// A command that failed without reporting a failing test (a compile error, a
    /// crash, a missing browser) still counts as one failure.
    fn settle(mut self, status: ExitStatus) -> Counts {
        if !status.success() && self.failed == 0 {
            self.failed = 1;
        }
        self
    }
}

impl Add for Counts {
    type Output = Counts;
    fn add(self, other: Counts) -> Counts {
        Counts {
            passed: self.passed + other.passed,
            failed: self.failed + other.failed,
        }
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        *self = *self + other;
    }
}

/// A step that could not run at all counts as one failure.
fn failed(error: anyhow::Error) -> Counts {
    eprintln!("error: {error:#}");
    Counts::FAILED
}

#[derive(Default)]
struct Report {
    steps_started: usize,
    total: Counts,
    failed_steps: Vec<&'static str>,
}

impl Report {
    fn header(&mut self, name: &str) {
        self.steps_started += 1;
        println!("\n==> [{}/{STEPS}] {name}", self.steps_started);
    }

    fn record(&mut self, name: &'static str, counts: Counts) {
        let verdict = if counts.failed == 0 { "ok" } else { "FAILED" };
        println!(
            "<== {name}: {verdict} ({} passed, {} failed)",
            counts.passed, counts.failed
        );
        if counts.failed > 0 {
            self.failed_steps.push(name);
        }
        self.total += counts;
    }

    fn step(&mut self, name: &'static str, run: impl FnOnce() -> Result<Counts>) {
        self.header(name);
        let counts = run().unwrap_or_else(failed);
        self.record(name, counts);
    }

    /// Prints the summary, ending with the `N passed, M failed` line; true if all passed.
    fn finish(self) -> bool {
        println!();
        if !self.failed_steps.is_empty() {
            println!("failed steps: {}", self.failed_steps.join(", "));
        }
        println!("{} passed, {} failed", self.total.passed, self.total.failed);
        self.total.failed == 0
    }
}

// Steps 2 and 3: formatting and lints, one check per command.

fn fmt() -> Result<Counts> {
    let status = run(cargo().args(["fmt", "--all", "--check"]))?;
    Ok(Counts::check(status.success()))
}

fn clippy() -> Result<Counts> {
    let deny = ["--", "-D", "warnings"];
    let native = run(cargo()
        .args(["clippy", "--workspace", "--all-targets"])
        .args(deny))?;
    // The wasm boundary (src/web) only compiles for wasm, one build per lab, the
    // optimizer lab's views and the recorders: lint each.
    let mut counts = Counts::check(native.success());
    for features in [
        "optimizer-lab,bench",
        "optimizer-views",
        "network-lab",
        "media",
    ] {
        let wasm = run(cargo()
            .args(["clippy", "-p", "gradscape", "--lib", "--features", features])
            .args(["--target", "wasm32-unknown-unknown"])
            .args(deny))?;
        counts += Counts::check(wasm.success());
    }
    Ok(counts)
}

// Steps 4 and 5: cargo test, natively and in headless Chromium.

fn native_tests() -> Result<Counts> {
    run_libtest(cargo().args(["test", "--workspace"]))
}

fn wasm_tests(tools: &Tools) -> Result<Counts> {
    let target = workspace::target_dir()?;
    fs::create_dir_all(&target)?;
    // Chromium's background services cannot reach the network here and slow every
    // start-up while they retry; the runner itself adds headless and no-sandbox.
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": tools.chromium,
            "args": [
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        }
    });
    let capabilities_path = target.join("webdriver.json");
    fs::write(&capabilities_path, capabilities.to_string())?;

    // Cargo runs each wasm test binary through this very executable.
    let runner = format!("{} wasm-test-runner", env::current_exe()?.display());
    run_libtest(
        cargo()
            .args([
                "test",
                "-p",
                "gradscape",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .args(["--test", "web", "--features", "optimizer-views,network-lab"])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
            .env("CHROMEDRIVER", &tools.chromedriver)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &capabilities_path),
    )
}

/// Runs a `cargo test`, echoing its output while summing libtest's result lines.
fn run_libtest(command: &mut Command) -> Result<Counts> {
    println!("$ {}", display(command));
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{}`", display(command)))?;
    let mut counts = Counts::default();
    let mut reader = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line)? > 0 {
        std::io::stdout().write_all(&line)?;
        counts += parse_libtest_line(&String::from_utf8_lossy(&line));
        line.clear();
    }
    Ok(counts.settle(child.wait()?))
}

/// Reads `test result: ok. 3 passed; 0 failed; 1 ignored; ...`, as printed by libtest
/// and by wasm-bindgen-test.
fn parse_libtest_line(line: &str) -> Counts {
    let mut counts = Counts::default();
    let Some(result) = line.trim().strip_prefix("test result: ") else {
        return counts;
    };
    for part in result.split(';') {
        // "ok. 3 passed" or " 0 failed": the number is the second-to-last word.
        let words: Vec<&str> = part.split_whitespace().collect();
        let [.., number, label] = words[..] else {
            continue;
        };
        let Ok(number) = number.parse::<u64>() else {
            continue;
        };
        match label {
            "passed" => counts.passed += number,
            "failed" => counts.failed += number,
            _ => {}
        }
    }
    counts
}

// Step 6: the page in Chromium, driven by node's test runner and playwright-core.

fn browser_tests(tools: &Tools) -> Result<Counts> {
    // dist/ includes the build, and the tests check it under its CSP. They compare the
    // page's exports with the CLI's output: the binary the native tests built and ran.
    let built = dist::dist().map(|()| Counts::PASSED).unwrap_or_else(failed);
    if built.failed > 0 {
        return Ok(built);
    }
    Ok(built + node_tests(tools).unwrap_or_else(failed))
}

fn node_tests(tools: &Tools) -> Result<Counts> {
    // node 20's --test does not expand globs itself. Paths are relative to the root,
    // node's working directory, to keep the log readable.
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("tests"))?
        .map(|entry| entry.map(|entry| Path::new("tests").join(entry.file_name())))
        .collect::<Result<_, _>>()?;
    files.retain(|path| path.to_string_lossy().ends_with(".test.mjs"));
    files.sort();
    if files.is_empty() {
        bail!("no tests/*.test.mjs files");
    }

    // The spec reporter is for people; the TAP copy ends in a summary that is easy to read.
    let tap = workspace::target_dir()?.join("browser-tests.tap");
    if tap.exists() {
        fs::remove_file(&tap)?;
    }
    let status = run(Command::new("node")
        .current_dir(root())
        .args([
            "--test",
            // A test that hangs fails after two minutes instead of stalling the run.
            "--test-timeout=120000",
            "--test-reporter=spec",
            "--test-reporter-destination=stdout",
        ])
        .arg("--test-reporter=tap")
        .arg(format!("--test-reporter-destination={}", tap.display()))
        .args(&files)
        .env("CHROMIUM", &tools.chromium)
        .env(
            "GRADSCAPE_CLI",
            workspace::target_dir()?.join("debug/gradscape"),
        ))?;
    let summary = fs::read_to_string(&tap).unwrap_or_default();
    Ok(parse_tap_summary(&summary).settle(status))
}

/// Reads node's TAP summary: `# pass 3`, `# fail 1`, `# cancelled 0` (timeouts and
/// tests cut short by a failing hook count as failures).
fn parse_tap_summary(tap: &str) -> Counts {
    let mut counts = Counts::default();
    for line in tap.lines() {
        let Some((label, number)) = line
            .strip_prefix("# ")
            .and_then(|rest| rest.split_once(' '))
        else {
            continue;
        };
        let Ok(number) = number.trim().parse::<u64>() else {
            continue;
        };
        match label {
            "pass" => counts.passed += number,
            "fail" | "cancelled" => counts.failed += number,
            _ => {}
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_results() {
        let ok = parse_libtest_line(
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
        );
        assert_eq!((ok.passed, ok.failed), (12, 0));
        let failed = parse_libtest_line("test result: FAILED. 3 passed; 2 failed; 0 ignored");
        assert_eq!((failed.passed, failed.failed), (3, 2));
        let other = parse_libtest_line("test optim::adam::matches_torch ... ok");
        assert_eq!((other.passed, other.failed), (0, 0));
    }

    #[test]
    fn reads_tap_summary() {
        let tap = "ok 1 - a\n# tests 4\n# suites 0\n# pass 2\n# fail 1\n# cancelled 1\n# skipped 0\n# duration_ms 12.5\n";
        let counts = parse_tap_summary(tap);
        assert_eq!((counts.passed, counts.failed), (2, 2));
    }
}
