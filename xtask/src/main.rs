//! The project's pipeline: `cargo xtask build | serve | test | dist | bench`.
//!
//! Everything that knows how the wasm is built, served and tested lives here, so the
//! README and `.ci/run` only ever name these commands.

mod bench;
mod build;
mod dist;
mod pages;
mod serve;
mod test;
mod tools;
mod workspace;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(bin_name = "cargo xtask", about = "Build, serve and test gradscape")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile the core to wasm and generate the JS bindings into www/pkg.
    Build,
    /// Build, then serve www/ on http://127.0.0.1:PORT.
    Serve {
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Run every check: formatting, lints, native, wasm and browser tests.
    Test,
    /// Write dist/: the page as a static folder for any host.
    Dist,
    /// Time the page's own code in headless Chromium against peers; print a table.
    Bench,
    /// Cargo's runner for wasm tests; forwards to wasm-bindgen's test runner.
    #[command(hide = true)]
    WasmTestRunner {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Build => build::build().map(|()| true),
        Command::Serve { port } => serve::serve(port).map(|()| true),
        Command::Test => test::test(),
        Command::Bench => bench::bench().map(|()| true),
        Command::Dist => dist::dist().map(|()| true),
        Command::WasmTestRunner { args } => {
            let program = std::env::args_os().next().unwrap_or_default();
            wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(
                std::iter::once(program).chain(args),
            )
            .map(|()| true)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
