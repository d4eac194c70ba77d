//! The native command line: trace a run as CSV or JSON, render a figure as SVG, list
//! what is built in.

// Native only. Cargo still builds the package's binaries for wasm integration tests,
// where this becomes an empty program.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use clap::{Parser, Subcommand, ValueEnum};
use gradscape::config::Error;
use gradscape::nn::data::Dataset;
use gradscape::nn::init::Init;
use gradscape::nn::model::{DataJson, Model};
use gradscape::nn::network::{Architecture, Network, Task};
use gradscape::nn::schedule::{EarlyStopping, Schedule};
use gradscape::nn::train::{Stop, TrainConfig, Trainer};
use gradscape::nn::Activation;
use gradscape::render::{self, Layout, Margins, PathStyle, PALETTE};
use gradscape::run::{self, Status, Trajectory};
use gradscape::{optim, surface, Spec};
use plotters::prelude::*;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
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
    /// List the surfaces, optimizers and datasets with their parameters and defaults.
    List,
    /// A model's loss on some data and its exact gradients, as JSON.
    Backprop {
        /// {"layers": [{"W": [[…]], "b": […], "activation": "tanh"}, …], "l2": λ}
        #[arg(long)]
        model: std::path::PathBuf,
        /// {"X": [[…], …], "y": […]}
        #[arg(long)]
        data: std::path::PathBuf,
    },
    /// Train a network on a built-in dataset; print each epoch as CSV.
    Train(TrainArgs),
}

#[derive(clap::Args)]
struct TrainArgs {
    /// NAME[:n=…,noise=…,k=…,seed=…]: moons, circles, xor, blobs, spirals, curve
    #[arg(long)]
    dataset: String,
    /// Hidden layer sizes, e.g. 16,16 (none for a linear model)
    #[arg(long, value_delimiter = ',', num_args = 0..)]
    hidden: Vec<usize>,
    /// sigmoid, tanh, relu or identity
    #[arg(long, default_value = "tanh")]
    activation: String,
    /// softmax, sigmoid (two classes) or identity; by default softmax for classes and
    /// identity for the regression curve
    #[arg(long)]
    output: Option<String>,
    /// NAME[:key=value,...], as for surfaces
    #[arg(long, default_value = "sgd:lr=0.1")]
    optimizer: String,
    /// zero, constant:c, normal:σ, uniform:a, glorot-uniform, glorot-normal, he, orthogonal
    #[arg(long, default_value = "glorot-uniform")]
    init: String,
    #[arg(long, default_value_t = 10)]
    batch: usize,
    #[arg(long, default_value_t = 100)]
    epochs: usize,
    /// λ of the L2 term λ Σ‖W‖²
    #[arg(long, default_value_t = 0.0)]
    l2: f64,
    /// constant, exponential[:decay=β], step[:every=E,factor=f], plateau[:factor=f,patience=P]
    #[arg(long, default_value = "constant")]
    schedule: String,
    /// Stop after this many epochs without a better validation loss
    #[arg(long)]
    early_stopping: Option<usize>,
    /// With early stopping, go back to the best weights
    #[arg(long)]
    restore_best: bool,
    /// Fraction of the points held out for validation
    #[arg(long, default_value_t = 0.2)]
    validation: f64,
    /// Seeds the initialization, the split and the order of minibatches
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write the trained model here as JSON
    #[arg(long)]
    save: Option<std::path::PathBuf>,
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
    println!("\ndatasets (n, noise, k, seed):");
    for (id, about) in gradscape::nn::data::DATASETS {
        println!("  {id:<14} {about}");
    }
    println!("\noptimizers:");
    for entry in optim::CATALOGUE {
        println!("  {:<14} {}", entry.id, entry.update);
        show(entry.all_parameters());
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| Error::new(format!("{}: {e}", path.display())))
}

fn backprop(model: &std::path::Path, data: &std::path::Path) -> Result<(), Error> {
    let model = Model::from_json(&read_json(model)?)?;
    let (x, targets) = model.batch(&read_json::<DataJson>(data)?)?;
    let (loss, gradient) = model.network.loss_and_gradient(&model.theta, &x, &targets);
    let grads = Model {
        network: model.network.clone(),
        theta: gradient,
    }
    .to_json();
    let grads: Vec<_> = grads
        .layers
        .iter()
        .map(|l| serde_json::json!({ "W": l.w, "b": l.b }))
        .collect();
    println!(
        "{}",
        serde_json::json!({ "loss": loss.total(), "grads": grads })
    );
    Ok(())
}

fn train(args: &TrainArgs) -> Result<(), Error> {
    let data = Dataset::from_spec(&Spec::parse(&args.dataset)?)?;
    let hidden_activation = Activation::parse(&args.activation)?;
    if !Activation::HIDDEN.contains(&hidden_activation) {
        return Err(Error::new(
            "--activation must be sigmoid, tanh, relu or identity",
        ));
    }
    let output = args.output.as_deref().unwrap_or(if data.classes == 0 {
        "identity"
    } else {
        "softmax"
    });
    let task = match output {
        "softmax" if data.classes >= 2 => Task::Classes(data.classes),
        "sigmoid" if data.classes == 2 => Task::Binary,
        "identity" => Task::Regression(if data.classes == 0 { 1 } else { data.classes }),
        _ => {
            return Err(Error::new(format!(
                "--output {output} does not fit this dataset ({} classes)",
                data.classes
            )))
        }
    };
    if args.hidden.len() > 6 || args.hidden.iter().any(|&h| !(1..=64).contains(&h)) {
        return Err(Error::new("--hidden takes 0 to 6 layers of 1 to 64 units"));
    }
    if !(args.l2.is_finite() && args.l2 >= 0.0) {
        return Err(Error::new("--l2 must be a finite number ≥ 0"));
    }
    let architecture = Architecture::mlp(data.x.nrows(), &args.hidden, hidden_activation, task)?;
    let network = Network {
        architecture,
        l2: args.l2,
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(args.seed);
    let theta = Init::parse(&args.init)?.parameters(&network.architecture, &mut rng);
    let method = optim::from_spec(&Spec::parse(&args.optimizer)?)?;
    let config = TrainConfig {
        batch_size: args.batch,
        schedule: Schedule::from_spec(&Spec::parse(&args.schedule)?)?,
        early_stopping: args.early_stopping.map(|patience| EarlyStopping {
            patience,
            restore_best: args.restore_best,
        }),
        seed: args.seed,
    };
    let split = data.split(args.validation, 0.0, args.seed);
    let mut trainer = Trainer::new(network, theta, method.optimizer, split, config)?;
    println!("epoch,updates,lr,train_loss,train_l2,train_accuracy,val_loss,val_accuracy");
    let optional = |v: Option<f64>| v.map(number).unwrap_or_default();
    for _ in 0..args.epochs {
        trainer.run_epoch();
        if let Some(r) = trainer.history.last().filter(|r| r.epoch == trainer.epoch) {
            let validation = r.validation.unwrap_or_default();
            println!(
                "{},{},{},{},{},{},{},{}",
                r.epoch,
                r.updates,
                number(r.learning_rate),
                number(r.train.data_loss),
                number(r.train.regularization),
                optional(r.train.accuracy),
                optional(r.validation.map(|v| v.data_loss)),
                optional(validation.accuracy),
            );
        }
        if let Some(stop) = trainer.stopped {
            match stop {
                Stop::Diverged { update } => eprintln!("diverged at update {update}"),
                Stop::EarlyStopped { epoch, best_epoch } => {
                    eprintln!("stopped early at epoch {epoch}; best epoch {best_epoch}")
                }
            }
            break;
        }
    }
    if let Some(path) = &args.save {
        let model = Model {
            network: trainer.network.clone(),
            theta: trainer.theta.clone(),
        };
        let text = serde_json::to_string_pretty(&model.to_json()).expect("a model serializes");
        std::fs::write(path, text + "\n")
            .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
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
        Command::Backprop { model, data } => backprop(model, data),
        Command::Train(args) => train(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
