//! The native command line: trace a run as CSV or JSON, render a figure as SVG, list
//! what is built in.

// Native only. Cargo still builds the package's binaries for wasm integration tests,
// where this becomes an empty program.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use clap::{Parser, Subcommand, ValueEnum};
use gradscape::config::Error;
use gradscape::render::{self, Layout, Margins, PathStyle, PALETTE};
use gradscape::run::{self, Status, Trajectory};
use gradscape::{optim, surface, Spec};
use plotters::prelude::*;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "gradscape", version, about = "Optimizers on 2D loss surfaces")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one optimizer and print every iterate (row 0 is the start).
    Trace {
        #[command(flatten)]
        run: RunArgs,
        /// One optimizer, NAME[:key=value,...], e.g. adam:lr=0.01
        #[arg(long)]
        optimizer: String,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Draw the surface (filled contours, contour lines, minima) and paths as SVG.
    Render {
        #[command(flatten)]
        run: RunArgs,
        /// An optimizer to draw; repeat for several.
        #[arg(long = "optimizer")]
        optimizers: Vec<String>,
        /// The SVG file to write.
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long, default_value_t = 800)]
        width: u32,
        #[arg(long, default_value_t = 600)]
        height: u32,
    },
    /// List the surfaces and optimizers with their parameters and defaults.
    List,
}

#[derive(clap::Args)]
struct RunArgs {
    /// The surface, NAME[:key=value,...], e.g. quadratic:lambda2=20,angle=30
    #[arg(long)]
    surface: String,
    /// The start point X,Y (default: the surface's own)
    #[arg(long, value_parser = parse_point, allow_hyphen_values = true)]
    start: Option<[f64; 2]>,
    /// Number of updates.
    #[arg(long, default_value_t = 100)]
    steps: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

fn parse_point(text: &str) -> Result<[f64; 2], String> {
    let parts: Vec<_> = text.split(',').map(|p| p.trim().parse::<f64>()).collect();
    match parts.as_slice() {
        [Ok(x), Ok(y)] => Ok([*x, *y]),
        _ => Err(format!("`{text}` is not a point X,Y")),
    }
}

/// Shortest text that reads back as the same f64 (`0.1`, `1e-7`, `62.5`).
fn number(v: f64) -> String {
    format!("{v:?}")
}

fn trajectory(run: &RunArgs, optimizer: &str) -> Result<(Trajectory, [f64; 2]), Error> {
    let surface = surface::from_spec(&Spec::parse(&run.surface)?)?;
    let start = run.start.unwrap_or_else(|| surface.start());
    let mut method = optim::from_spec(&Spec::parse(optimizer)?)?;
    Ok((
        run::run(surface.as_ref(), &mut method, start, run.steps)?,
        start,
    ))
}

fn trace(run: &RunArgs, optimizer: &str, format: Format) -> Result<(), Error> {
    let (t, _) = trajectory(run, optimizer)?;
    match format {
        Format::Csv => {
            println!("step,x,y,loss");
            for (k, (p, loss)) in t.points.iter().zip(&t.losses).enumerate() {
                println!("{k},{},{},{}", number(p[0]), number(p[1]), number(*loss));
            }
        }
        Format::Json => {
            let rows: Vec<_> = t
                .points
                .iter()
                .zip(&t.losses)
                .map(|(p, loss)| [p[0], p[1], *loss])
                .collect();
            let json = serde_json::json!({ "points": rows, "status": t.status });
            println!("{json}");
        }
    }
    if let Status::Diverged { step } = t.status {
        eprintln!("diverged at step {step}");
    }
    Ok(())
}

fn render(
    run: &RunArgs,
    optimizers: &[String],
    out: &std::path::Path,
    size: (u32, u32),
) -> Result<(), Error> {
    if !(16..=8192).contains(&size.0) || !(16..=8192).contains(&size.1) {
        return Err(Error::new(
            "--width and --height must be between 16 and 8192",
        ));
    }
    let surface = surface::from_spec(&Spec::parse(&run.surface)?)?;
    let runs: Vec<_> = optimizers
        .iter()
        .map(|o| trajectory(run, o))
        .collect::<Result<_, _>>()?;
    let layout = Layout::new(size.0, size.1, 1.0, Margins::SURFACE);
    let area = SVGBackend::new(out, size).into_drawing_area();
    let styles: Vec<_> = runs
        .iter()
        .zip(optimizers)
        .enumerate()
        .map(|(i, ((t, _), label))| PathStyle {
            points: &t.points,
            colour: PALETTE[i % PALETTE.len()],
            label,
            diverged: matches!(t.status, Status::Diverged { .. }),
        })
        .collect();
    render::figure(&area, &layout, surface.as_ref(), &surface.view(), &styles)?;
    area.present()
        .map_err(|e| Error::new(format!("cannot write {}: {e}", out.display())))?;
    for ((t, _), label) in runs.iter().zip(optimizers) {
        if let Status::Diverged { step } = t.status {
            eprintln!("{label}: diverged at step {step}");
        }
    }
    Ok(())
}

fn list() {
    let show = |parameters: Vec<gradscape::config::Parameter>| {
        for p in parameters {
            let range = p.range.map(|r| format!(" in {r}")).unwrap_or_default();
            println!("    {:<26} {:<8}{range:<14} {}", p.key, p.default, p.about);
        }
    };
    println!("surfaces:");
    for entry in surface::CATALOGUE {
        println!("  {:<14} f = {}", entry.id, entry.formula);
        show((entry.parameters)());
    }
    println!("\noptimizers:");
    for entry in optim::CATALOGUE {
        println!("  {:<14} {}", entry.id, entry.update);
        show(entry.all_parameters());
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Trace {
            run,
            optimizer,
            format,
        } => trace(run, optimizer, *format),
        Command::Render {
            run,
            optimizers,
            out,
            width,
            height,
        } => render(run, optimizers, out, (*width, *height)),
        Command::List => {
            list();
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
