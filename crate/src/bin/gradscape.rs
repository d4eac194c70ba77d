//! The native command line: trace a run as CSV or JSON, render a figure as SVG or PNG,
//! list what is built in, compute a model's gradients, train a network, tune learning
//! rates, test a network's learning rates, map the rate of momentum over (η, γ), record
//! a race as a GIF, slice a model's loss landscape.
//!
//! Bad input of any kind — a value out of range, a malformed or oversized file, a run
//! whose numbers overflow — exits with status 2 and one line naming the problem; a
//! closed pipe (`gradscape list | head`) ends the program quietly.

// Native only. Cargo still builds the package's binaries for wasm integration tests,
// where this becomes an empty program.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use clap::{Parser, Subcommand, ValueEnum};
use gradscape::config::Error;
use gradscape::lab::optimizers::{checked_tolerance, checked_view};
use gradscape::layout::{Layout, Margins};
use gradscape::nn::data::DATASETS;
use gradscape::nn::init::INITS;
use gradscape::nn::lr_range::{RangeRuns, RangeSettings, RangeTest, DEFAULT_RANGE};
use gradscape::nn::model::{parse_json, DataJson, Model, MODEL_LIMITS};
use gradscape::nn::normalize::NORMALIZATIONS;
use gradscape::nn::notation::layer_names;
use gradscape::nn::schedule::SCHEDULES;
use gradscape::nn::setup::{Setup, LIMITS, OUTPUTS};
use gradscape::nn::train::Stop;
use gradscape::nn::Activation;
use gradscape::rates::{self, Accelerated, RateMap, RateSetup};
use gradscape::render::{self, Camera, PathStyle};
use gradscape::run::{self, Status, Trajectory};
use gradscape::surface::ViewBox;
use gradscape::text::{json as json_text, number, printable};
use gradscape::{optim, surface, tune, Spec};
use plotters::prelude::*;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "gradscape/animate.rs"]
mod animate;
#[path = "gradscape/landscape.rs"]
mod landscape;

#[derive(Parser)]
#[command(
    name = "gradscape",
    version,
    about = "Optimizers on 2D loss surfaces and networks trained with backprop"
)]
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
    /// Draw the surface (filled contours, contour lines, minima) and paths as SVG or PNG,
    /// or with --camera the surface in 3-D with the paths on it.
    Render(RenderArgs),
    /// List the surfaces, optimizers and network choices with their parameters.
    List,
    /// A model's loss on some data and its exact gradients, as JSON.
    Backprop {
        /// {"layers": [{"W": [[…]], "b": […], "activation": "tanh"}, …], "l2": λ}; the last
        /// layer's activation names the output (an mdn's with "k": K beside it), and
        /// "normalize": {"kind": …} if its inputs are normalized
        #[arg(long)]
        model: PathBuf,
        /// {"X": [[…], …], "y": […]}
        #[arg(long)]
        data: PathBuf,
    },
    /// Train a network on a built-in dataset; print each epoch as CSV.
    Train(TrainArgs),
    /// Search each optimizer's learning rate over a log grid (same surface, start and
    /// steps); print each one's best lr and its final loss f(θ_K) as CSV.
    Tune(TuneArgs),
    /// The learning-rate range test of a network: a short run at each learning rate of a
    /// log grid, from the same initial weights, data and minibatches (schedule and early
    /// stopping off); print `lr,loss` as CSV, the full training loss after the run, `inf`
    /// where it diverged.
    LrRange(RangeArgs),
    /// The rate of convergence of momentum or Nesterov over a grid of learning rate ×
    /// momentum, one CSV row `lr,momentum,rate` per cell: on a quadratic the spectral
    /// radius of the iteration matrix, elsewhere (or with --empirical) the mean
    /// contraction per step of the distance to the nearest minimum over a run; a diverged
    /// run's rate is `inf`.
    Rates(RatesArgs),
    /// Record a race as an animated GIF that loops: the surface, then every optimizer's
    /// path growing iterate by iterate with its marker at the head, and a legend.
    Animate(animate::AnimateArgs),
    /// A model's training loss on a plane through its weights θ, g(a, b) =
    /// L_S(θ + a d₁ + b d₂), the loss `backprop` reports (L2 term included): `a,b,loss`
    /// for every point of an N × N grid, as CSV; `inf` where it overflows.
    Slice(landscape::SliceArgs),
    /// The training loss and accuracy on the line (1 − t)θ₀ + tθ₁ between two models'
    /// weights, t from −0.5 to 1.5: `t,loss,accuracy` as CSV (accuracy empty for a
    /// regression).
    Interpolate(landscape::InterpolateArgs),
}

#[derive(clap::Args)]
struct RenderArgs {
    #[command(flatten)]
    run: RunArgs,
    /// An optimizer to draw; repeat for several.
    #[arg(long = "optimizer")]
    optimizers: Vec<String>,
    /// The file to write, e.g. figure.svg or figure.png
    #[arg(long)]
    out: PathBuf,
    /// The file's format [default: from --out's extension]
    #[arg(long, value_enum)]
    format: Option<Picture>,
    /// The figure's size WxH, 16 to 8192 pixels a side, e.g. 1280x720 [default: 800x600]
    #[arg(long, value_name = "WxH", value_parser = parse_size, allow_hyphen_values = true,
          conflicts_with_all = ["width", "height"])]
    size: Option<(u32, u32)>,
    /// The figure's width alone [default: 800]
    #[arg(long, allow_negative_numbers = true)]
    width: Option<u32>,
    /// The figure's height alone [default: 600]
    #[arg(long, allow_negative_numbers = true)]
    height: Option<u32>,
    /// A PNG's pixels per pixel of the figure, 0.5 to 8: the figure is laid out at
    /// --size and drawn S times as fine, e.g. 2 for a crisp slide
    #[arg(
        long,
        value_name = "S",
        default_value_t = 1.0,
        allow_negative_numbers = true
    )]
    scale: f64,
    /// Draw the surface in 3-D from a camera at YAW,PITCH degrees (yaw counter-clockwise
    /// from the side of y_min, pitch above the horizon; the page starts at -35,35) instead
    /// of the map.
    #[arg(long, value_parser = parse_camera, allow_hyphen_values = true)]
    camera: Option<Camera>,
}

/// What `render` writes: the figure in vectors, or in pixels.
#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Picture {
    Svg,
    Png,
}

impl Picture {
    fn name(self) -> &'static str {
        match self {
            Picture::Svg => "svg",
            Picture::Png => "png",
        }
    }
}

impl RenderArgs {
    /// `--format`, or else `--out`'s extension; when both are given they must agree.
    fn picture(&self) -> Result<Picture, Error> {
        let extension = self.out.extension().and_then(|e| e.to_str());
        let by_extension = extension.and_then(|e| Picture::from_str(e, true).ok());
        match (self.format, by_extension) {
            (Some(format), Some(implied)) if format != implied => Err(Error::new(format!(
                "--format {} contradicts --out {}; name a .{0} file or leave --format out",
                format.name(),
                self.out.display()
            ))),
            (Some(format), _) | (None, Some(format)) => Ok(format),
            (None, None) => Err(Error::new(format!(
                "cannot tell the format of --out {}: name a .svg or .png file, or give \
                 --format svg or png",
                self.out.display()
            ))),
        }
    }

    /// The figure's width and height, from `--size` or `--width` and `--height`.
    fn size(&self) -> Result<(u32, u32), Error> {
        let size = self
            .size
            .unwrap_or((self.width.unwrap_or(800), self.height.unwrap_or(600)));
        if !(16..=8192).contains(&size.0) || !(16..=8192).contains(&size.1) {
            return Err(Error::new(format!(
                "a figure of {} × {} is out of range; each side must be 16 to 8192 pixels",
                size.0, size.1
            )));
        }
        Ok(size)
    }

    /// `--scale`, in the range the layout accepts as a pixel ratio; an SVG has no pixels
    /// to scale.
    fn scale(&self, picture: Picture) -> Result<f64, Error> {
        if !(0.5..=8.0).contains(&self.scale) {
            return Err(Error::new(format!(
                "--scale {} is out of range; it must be 0.5 to 8",
                self.scale
            )));
        }
        if picture == Picture::Svg && self.scale != 1.0 {
            return Err(Error::new(
                "--scale is for PNG: an SVG is drawn in vectors, sharp at any size",
            ));
        }
        Ok(self.scale)
    }
}

#[derive(clap::Args)]
struct TuneArgs {
    /// The surface, NAME[:key=value,...]
    #[arg(long)]
    surface: String,
    /// An optimizer, NAME[:key=value,...]; repeat for several. Its lr is searched; its
    /// other parameters (noise and seed too) are kept.
    #[arg(long = "optimizer", required = true)]
    optimizers: Vec<String>,
    /// The start point X,Y (default: the surface's own)
    #[arg(long, value_parser = parse_point, allow_hyphen_values = true)]
    start: Option<[f64; 2]>,
    /// Number of updates of every run.
    #[arg(long, default_value_t = 100, allow_negative_numbers = true)]
    steps: usize,
    /// The smallest learning rate of the grid.
    #[arg(long, default_value_t = tune::DEFAULT_GRID.from, allow_negative_numbers = true)]
    from: f64,
    /// The largest learning rate of the grid.
    #[arg(long, default_value_t = tune::DEFAULT_GRID.to, allow_negative_numbers = true)]
    to: f64,
    /// How many learning rates, evenly spaced on a log scale, both ends included.
    #[arg(long, default_value_t = tune::DEFAULT_GRID.points, allow_negative_numbers = true)]
    points: u32,
    /// Print every grid point `optimizer,lr,loss` instead of the best ones.
    #[arg(long)]
    curve: bool,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
}

#[derive(clap::Args)]
struct RatesArgs {
    /// The surface, NAME[:key=value,...], e.g. quadratic:lambda2=20
    #[arg(long)]
    surface: String,
    /// momentum or nesterov
    #[arg(long)]
    optimizer: String,
    /// Learning rates A..B, log-spaced, both included [default: 1e-3/λ..4/λ, λ the
    /// largest curvature at the quadratic's or the nearest minimum]
    #[arg(long, value_parser = parse_range, allow_hyphen_values = true)]
    lr: Option<(f64, f64)>,
    /// Momenta C..D, evenly spaced, both included [default: 0..0.99]
    #[arg(long, value_parser = parse_range, allow_hyphen_values = true)]
    momentum: Option<(f64, f64)>,
    /// N (N × N cells) or NxM (N learning rates × M momenta), 2 to 512 a side
    #[arg(long, value_parser = parse_grid, default_value = "64")]
    grid: (usize, usize),
    /// The start point X,Y of every run (default: the surface's own)
    #[arg(long, value_parser = parse_point, allow_hyphen_values = true)]
    start: Option<[f64; 2]>,
    /// The region X0,X1,Y0,Y1 where a formula's minima are looked for (default: the
    /// surface's own)
    #[arg(long, value_parser = parse_view, allow_hyphen_values = true)]
    view: Option<ViewBox>,
    /// Updates per run.
    #[arg(long, default_value_t = 200, allow_negative_numbers = true)]
    steps: usize,
    /// Measure every cell from runs, even on a quadratic.
    #[arg(long)]
    empirical: bool,
    #[arg(long, value_enum, default_value_t = CsvFormat::Csv)]
    format: CsvFormat,
}

/// The one format of the commands that print a table.
#[derive(Clone, Copy, ValueEnum)]
enum CsvFormat {
    Csv,
}

/// `train`: a network's setup, how long to train it and where to save it.
#[derive(clap::Args)]
struct TrainArgs {
    #[command(flatten)]
    setup: SetupArgs,
    /// Epochs to train [default: 100]
    #[arg(long, default_value_t = 100, allow_negative_numbers = true)]
    epochs: usize,
    /// Write the trained model here as JSON
    #[arg(long)]
    save: Option<PathBuf>,
}

/// `lr-range`: a network's setup and the learning rates to test it at.
#[derive(clap::Args)]
struct RangeArgs {
    #[command(flatten)]
    setup: SetupArgs,
    /// The smallest learning rate.
    #[arg(long, default_value_t = DEFAULT_RANGE.from, allow_negative_numbers = true)]
    from: f64,
    /// The largest learning rate, at most 100.
    #[arg(long, default_value_t = DEFAULT_RANGE.to, allow_negative_numbers = true)]
    to: f64,
    /// How many learning rates, spaced geometrically, both ends included (2 to 200).
    #[arg(long, default_value_t = DEFAULT_RANGE.points, allow_negative_numbers = true)]
    points: u32,
    /// Updates of each run, from the same initial weights (1 to 10000).
    #[arg(long, default_value_t = DEFAULT_RANGE.updates, allow_negative_numbers = true)]
    updates: usize,
}

/// Every choice of a network; what is left out takes the lab's default (`Setup`).
#[derive(clap::Args)]
struct SetupArgs {
    /// NAME[:n=…,noise=…,k=…,seed=…]: moons, circles, xor, blobs, spirals, curve,
    /// noisy-curve, two-branches, or digits (scikit-learn's 8×8 handwritten digits; no
    /// parameters)
    #[arg(long)]
    dataset: Option<String>,
    /// Distort input j to Sj·xj + Cj before the network: S1,C1,S2,C2,… one scale and
    /// shift per input, e.g. 100,50,1,0, or none [default: none]
    #[arg(long, value_name = "S1,C1,…", value_parser = parse_distort, allow_hyphen_values = true)]
    distort: Option<Distort>,
    /// none, standard ((x − mean) / std), quantile-uniform or quantile-normal, fitted
    /// on the training split [default: none]
    #[arg(long)]
    normalize: Option<String>,
    /// Hidden layer sizes, e.g. 16,16, or none for a linear model [default: 8,8]
    #[arg(long, value_parser = parse_hidden, num_args = 0..=1, default_missing_value = "none")]
    hidden: Option<Hidden>,
    /// sigmoid, tanh, relu or identity [default: tanh]
    #[arg(long)]
    activation: Option<String>,
    /// softmax, sigmoid (two classes), or for regression identity, gaussian or
    /// mdn[:k=K] (a mixture of K = 1 to 8 Gaussians, 3 by default) [default: the data's]
    #[arg(long)]
    output: Option<String>,
    /// NAME[:key=value,...], any optimizer but newton [default: adam:lr=0.01]
    #[arg(long)]
    optimizer: Option<String>,
    /// zero, constant:c, normal:σ, uniform:a, glorot-uniform, glorot-normal, he, orthogonal
    #[arg(long)]
    init: Option<String>,
    /// Samples per minibatch [default: 10]
    #[arg(long, allow_negative_numbers = true)]
    batch: Option<usize>,
    /// λ of the L2 term λ Σ‖W‖² [default: 0]
    #[arg(long, allow_negative_numbers = true)]
    l2: Option<f64>,
    /// constant, exponential[:decay=β], step[:every=E,factor=f], plateau[:factor=f,patience=P]
    #[arg(long)]
    schedule: Option<String>,
    /// Stop after this many epochs without a better validation loss
    #[arg(long, allow_negative_numbers = true)]
    early_stopping: Option<usize>,
    /// With early stopping, go back to the best weights [default: true]
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    restore_best: Option<bool>,
    /// Fraction of the points held out for validation [default: 0.2]
    #[arg(long, allow_negative_numbers = true)]
    validation: Option<f64>,
    /// Seeds the initialization, the split and the order of minibatches [default: 0]
    #[arg(long, allow_negative_numbers = true)]
    seed: Option<u64>,
}

#[derive(clap::Args)]
struct RunArgs {
    /// The surface, NAME[:key=value,...], e.g. quadratic:lambda2=20,angle=30, or
    /// formula:EXPR, e.g. 'formula:(1-x)^2+100*(y-x^2)^2'
    #[arg(long)]
    surface: String,
    /// The start point X,Y (default: the surface's own)
    #[arg(long, value_parser = parse_point, allow_hyphen_values = true)]
    start: Option<[f64; 2]>,
    /// The region X0,X1,Y0,Y1 drawn, and where a formula's minima are looked for
    /// (default: the surface's own)
    #[arg(long, value_parser = parse_view, allow_hyphen_values = true)]
    view: Option<ViewBox>,
    /// Number of updates.
    #[arg(long, default_value_t = 100, allow_negative_numbers = true)]
    steps: usize,
    /// A run has converged once it stays this close to a known minimum.
    #[arg(long, default_value_t = run::DEFAULT_TOLERANCE, allow_negative_numbers = true)]
    tolerance: f64,
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

fn parse_view(text: &str) -> Result<ViewBox, String> {
    let parts: Vec<_> = text.split(',').map(|p| p.trim().parse::<f64>()).collect();
    match parts.as_slice() {
        [Ok(x0), Ok(x1), Ok(y0), Ok(y1)] => {
            checked_view(ViewBox::new(*x0, *x1, *y0, *y1)).map_err(|e| e.0)
        }
        _ => Err(format!("`{text}` is not a view X0,X1,Y0,Y1")),
    }
}

fn parse_camera(text: &str) -> Result<Camera, String> {
    let [yaw, pitch] =
        parse_point(text).map_err(|_| format!("`{text}` is not a camera YAW,PITCH"))?;
    Camera::from_degrees(yaw, pitch).map_err(|e| e.0)
}

fn parse_range(text: &str) -> Result<(f64, f64), String> {
    match text
        .split_once("..")
        .map(|(a, b)| (a.trim().parse(), b.trim().parse()))
    {
        Some((Ok(a), Ok(b))) => Ok((a, b)),
        _ => Err(format!("`{text}` is not a range A..B")),
    }
}

/// A figure's size, `WxH`.
fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let side = |t: &str| t.trim().parse::<u32>().ok();
    text.split_once(['x', '×'])
        .and_then(|(w, h)| Some((side(w)?, side(h)?)))
        .ok_or_else(|| format!("`{text}` is not a size WxH, e.g. 1280x720"))
}

fn parse_grid(text: &str) -> Result<(usize, usize), String> {
    let side = |t: &str| t.trim().parse::<usize>();
    let parsed = match text.split_once(['x', '×']) {
        Some((n, m)) => side(n).and_then(|n| Ok((n, side(m)?))),
        None => side(text).map(|n| (n, n)),
    };
    parsed.map_err(|_| format!("`{text}` is not a grid N or NxM"))
}

/// Hidden layer sizes, as `--hidden` gives them.
#[derive(Clone)]
struct Hidden(Vec<usize>);

fn parse_hidden(text: &str) -> Result<Hidden, String> {
    Setup::parse_hidden(text).map(Hidden).map_err(|e| e.0)
}

/// Pairs of scale and shift, as `--distort` gives them.
#[derive(Clone)]
struct Distort(Vec<[f64; 2]>);

fn parse_distort(text: &str) -> Result<Distort, String> {
    Setup::parse_distort(text).map(Distort).map_err(|e| e.0)
}

/// Why a command stopped early: bad input, or a reader that closed the pipe.
enum Failure {
    Input(Error),
    Closed,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Input(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Failure::Closed
        } else {
            Failure::Input(Error::new(format!("cannot write the output: {error}")))
        }
    }
}

type Outcome = Result<(), Failure>;

/// A run of `optimizer` with the run's settings, and its outcome.
fn trajectory(args: &RunArgs, optimizer: &str) -> Result<(Trajectory, run::Outcome), Error> {
    let tolerance = checked_tolerance(args.tolerance)?;
    let surface = surface::from_spec_in(&Spec::parse(&args.surface)?, args.view)?;
    let start = args.start.unwrap_or_else(|| surface.start());
    let mut method = optim::from_spec(&Spec::parse(optimizer)?)?;
    let t = run::run(surface.as_ref(), &mut method, start, args.steps)?;
    let outcome = run::Outcome::of(surface.as_ref(), &t, tolerance);
    Ok((t, outcome))
}

fn trace(out: &mut dyn Write, run: &RunArgs, optimizer: &str, format: Format) -> Outcome {
    let (t, outcome) = trajectory(run, optimizer)?;
    match format {
        Format::Csv => {
            writeln!(out, "step,x,y,loss")?;
            for (k, (p, loss)) in t.points.iter().zip(&t.losses).enumerate() {
                writeln!(
                    out,
                    "{k},{},{},{}",
                    number(p[0]),
                    number(p[1]),
                    number(*loss)
                )?;
            }
        }
        Format::Json => {
            let rows: Vec<_> = t
                .points
                .iter()
                .zip(&t.losses)
                .map(|(p, loss)| [p[0], p[1], *loss])
                .collect();
            // A struct, not a map: its fields keep their order, as the page's export writes them.
            #[derive(serde::Serialize)]
            struct Traced {
                points: Vec<[f64; 3]>,
                status: run::Status,
                outcome: run::Outcome,
            }
            let traced = Traced {
                points: rows,
                status: t.status,
                outcome,
            };
            writeln!(out, "{}", json_text(&traced, false))?;
        }
    }
    // Said once every row is out: a reader that closed the pipe wanted none of it.
    out.flush()?;
    eprintln!("{outcome}");
    Ok(())
}

/// How each run is drawn: its method's colour and marker, labelled with its spec as given.
fn path_styles<'a>(
    runs: &'a [(Trajectory, run::Outcome)],
    optimizers: &'a [String],
) -> Result<Vec<PathStyle<'a>>, Error> {
    let ids: Vec<Spec> = optimizers
        .iter()
        .map(|o| Spec::parse(o))
        .collect::<Result<_, _>>()?;
    let looks = render::styles_of(ids.iter().map(|s| s.id.as_str()));
    Ok(runs
        .iter()
        .zip(optimizers)
        .zip(looks)
        .map(|(((t, _), label), look)| PathStyle {
            points: &t.points,
            colour: look.colour,
            shape: look.shape,
            label,
            diverged: matches!(t.status, Status::Diverged { .. }),
        })
        .collect())
}

/// The map, or with a camera the surface in 3-D: the same drawing on any backend.
fn picture_of<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    layout: &Layout,
    surface: &dyn surface::Surface,
    view: &ViewBox,
    styles: &[PathStyle],
    camera: Option<Camera>,
) -> Result<(), Error> {
    match camera {
        Some(camera) => render::figure3d(area, layout, surface, view, styles, camera),
        None => render::figure(area, layout, surface, view, styles),
    }
}

fn render(args: &RenderArgs) -> Outcome {
    let picture = args.picture()?;
    let (width, height) = args.size()?;
    let scale = args.scale(picture)?;
    let run = &args.run;
    // The lab's check, so the CLI refuses what the page refuses, with or without runs.
    checked_tolerance(run.tolerance)?;
    let surface = surface::from_spec_in(&Spec::parse(&run.surface)?, run.view)?;
    let view = run.view.unwrap_or_else(|| surface.view());
    let runs: Vec<_> = args
        .optimizers
        .iter()
        .map(|o| trajectory(run, o))
        .collect::<Result<_, _>>()?;
    let margins = if args.camera.is_some() {
        render::MARGINS_3D
    } else {
        Margins::SURFACE
    };
    let styles = path_styles(&runs, &args.optimizers)?;
    let bytes = match picture {
        Picture::Svg => {
            let layout = Layout::new(width, height, 1.0, margins);
            let mut text = String::new();
            {
                let area = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
                picture_of(
                    &area,
                    &layout,
                    surface.as_ref(),
                    &view,
                    &styles,
                    args.camera,
                )?;
                area.present()
                    .map_err(|e| Error::new(format!("drawing failed: {e}")))?;
            }
            render::round_joins(&text).into_bytes()
        }
        Picture::Png => {
            // Laid out at width × height, drawn with `scale` device pixels to each: lines,
            // type and margins grow with it, as on a screen of that devicePixelRatio.
            let device = |side: u32| (f64::from(side) * scale).round() as u32;
            let layout = Layout::new(device(width), device(height), scale, margins);
            render::bitmap::png(&layout, |area| {
                picture_of(area, &layout, surface.as_ref(), &view, &styles, args.camera)
            })?
        }
    };
    let out = &args.out;
    std::fs::write(out, bytes)
        .map_err(|e| Error::new(format!("cannot write {}: {e}", out.display())))?;
    for ((_, outcome), label) in runs.iter().zip(&args.optimizers) {
        eprintln!("{label}: {outcome}");
    }
    Ok(())
}

fn list(out: &mut dyn Write) -> Outcome {
    let show = |out: &mut dyn Write, parameters: Vec<gradscape::config::Parameter>| {
        for p in parameters {
            let range = p.range.map(|r| format!(" in {r}")).unwrap_or_default();
            writeln!(
                out,
                "    {:<26} {:<8}{range:<14} {}",
                p.key, p.default, p.about
            )?;
        }
        Ok::<(), io::Error>(())
    };
    writeln!(out, "surfaces:")?;
    for entry in surface::CATALOGUE {
        writeln!(out, "  {:<14} f = {}", entry.id, entry.formula)?;
        show(out, (entry.parameters)())?;
    }
    writeln!(out, "\noptimizers:")?;
    for entry in optim::CATALOGUE {
        writeln!(out, "  {:<14} {}", entry.id, entry.update)?;
        show(out, entry.all_parameters())?;
    }
    writeln!(out, "\ndatasets:")?;
    for entry in DATASETS {
        writeln!(out, "  {:<14} {}", entry.id, entry.about)?;
        show(out, entry.parameters())?;
    }
    writeln!(out, "\ninput normalizations:")?;
    for entry in NORMALIZATIONS {
        writeln!(out, "  {:<14} {}", entry.id, entry.about)?;
    }
    writeln!(out, "\nhidden activations:")?;
    for a in Activation::HIDDEN {
        let (g, derivative) = a.formulas();
        writeln!(out, "  {:<14} {g}; g' = {derivative}", a.name())?;
    }
    writeln!(out, "\noutputs:")?;
    for entry in OUTPUTS {
        writeln!(out, "  {:<14} {}", entry.id, entry.about)?;
        show(out, entry.parameters())?;
    }
    writeln!(out, "\ninitializations:")?;
    for init in INITS {
        let scale = init
            .scale
            .map(|(symbol, default)| format!(":{symbol} (default {default})"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<14} {}",
            format!("{}{scale}", init.id),
            init.about
        )?;
    }
    writeln!(out, "\nschedules:")?;
    for entry in SCHEDULES {
        writeln!(out, "  {:<14} {}", entry.id, entry.rule)?;
        show(out, (entry.parameters)())?;
    }
    Ok(())
}

/// A JSON file's text: a regular file of at most the model limit's size.
fn read_text(path: &Path) -> Result<String, Error> {
    let cannot =
        |e: &dyn std::fmt::Display| Error::new(format!("cannot read {}: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if !meta.is_file() {
        return Err(Error::new(format!(
            "{} is not a regular file; give the path of a JSON file",
            path.display()
        )));
    }
    let limit = MODEL_LIMITS.file_bytes;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::new(format!(
            "{} is larger than {} MiB",
            path.display(),
            limit >> 20
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| Error::new(format!("{} is not UTF-8 text", path.display())))
}

fn backprop(out: &mut dyn Write, model: &Path, data: &Path) -> Outcome {
    let model = Model::from_json(&parse_json(
        &read_text(model)?,
        &model.display().to_string(),
    )?)?;
    let data: DataJson = parse_json(&read_text(data)?, &data.display().to_string())?;
    let (x, targets) = model.batch(&data)?;
    let (loss, gradient) = model.loss_and_gradient(&x, &targets)?;
    let grads = Model {
        network: model.network.clone(),
        theta: gradient,
        normalize: None,
    }
    .to_json();
    // Each layer's ∇W l and ∇b l under the lecture's names for the layer (Wʰ, bᵒ, …).
    let grads: Vec<_> = grads
        .layers
        .iter()
        .zip(layer_names(&model.network.architecture))
        .map(|(l, names)| serde_json::json!({ "names": names, "W": l.w, "b": l.b }))
        .collect();
    let json = serde_json::json!({ "loss": loss.total(), "grads": grads });
    writeln!(out, "{}", json_text(&json, false))?;
    Ok(())
}

impl SetupArgs {
    /// The setup these options describe: the default one with each given option.
    fn setup(&self) -> Result<Setup, Error> {
        let mut setup = Setup::default();
        let spec = |text: &Option<String>, into: &mut Spec| -> Result<(), Error> {
            if let Some(text) = text {
                *into = Spec::parse(text)?;
            }
            Ok(())
        };
        spec(&self.dataset, &mut setup.dataset)?;
        spec(&self.optimizer, &mut setup.optimizer)?;
        spec(&self.schedule, &mut setup.schedule)?;
        let text = |value: &Option<String>, into: &mut String| {
            if let Some(value) = value {
                value.clone_into(into);
            }
        };
        text(&self.normalize, &mut setup.normalize);
        text(&self.activation, &mut setup.activation);
        text(&self.output, &mut setup.output);
        text(&self.init, &mut setup.init);
        if let Some(Hidden(sizes)) = &self.hidden {
            setup.hidden.clone_from(sizes);
        }
        if let Some(Distort(pairs)) = &self.distort {
            setup.distort.clone_from(pairs);
        }
        setup.batch = self.batch.unwrap_or(setup.batch);
        setup.l2 = self.l2.unwrap_or(setup.l2);
        setup.early_stopping = self.early_stopping.unwrap_or(setup.early_stopping);
        setup.restore_best = self.restore_best.unwrap_or(setup.restore_best);
        setup.validation = self.validation.unwrap_or(setup.validation);
        setup.seed = self.seed.unwrap_or(setup.seed);
        Ok(setup)
    }
}

fn train(out: &mut dyn Write, args: &TrainArgs) -> Outcome {
    if !(1..=LIMITS.epochs).contains(&args.epochs) {
        return Err(Error::new(format!(
            "--epochs {} is out of range; it must be 1 to {}",
            args.epochs, LIMITS.epochs
        ))
        .into());
    }
    let built = args.setup.setup()?.build()?;
    let mut trainer = built.trainer;
    // Opened before training, so an unwritable path fails at once.
    let mut save = match &args.save {
        Some(path) => Some(
            std::fs::File::create(path)
                .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))?,
        ),
        None => None,
    };
    writeln!(
        out,
        "epoch,updates,lr,train_loss,train_l2,train_accuracy,val_loss,val_accuracy"
    )?;
    let optional = |v: Option<f64>| v.map(number).unwrap_or_default();
    for _ in 0..args.epochs {
        trainer.run_epoch();
        if let Some(r) = trainer.history.last().filter(|r| r.epoch == trainer.epoch) {
            let validation = r.validation.unwrap_or_default();
            writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                r.epoch,
                r.updates,
                number(r.learning_rate),
                number(r.train.data_loss),
                number(r.train.regularization),
                optional(r.train.accuracy),
                optional(r.validation.map(|v| v.data_loss)),
                optional(validation.accuracy),
            )?;
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
    if let (Some(file), Some(path)) = (&mut save, &args.save) {
        let model = Model {
            network: trainer.network.clone(),
            theta: trainer.theta.clone(),
            normalize: built.preprocessing.normalizer,
        };
        file.write_all(model.to_text().as_bytes())
            .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// `tune`: one row per optimizer, `optimizer,lr,loss` (empty lr and loss when every run
/// diverged), or with `--curve` one per grid point (loss `Infinity` where a run
/// diverged); as JSON, `[{optimizer, best: {lr, loss} | null, curve: [[lr, loss|null]]}]`.
fn tune_rates(out: &mut dyn Write, args: &TuneArgs) -> Outcome {
    let grid = tune::Grid::new(args.from, args.to, args.points)?;
    if !(1..=run::MAX_STEPS).contains(&args.steps) {
        return Err(Error::new(format!(
            "--steps {} is out of range; it must be 1 to {}",
            args.steps,
            run::MAX_STEPS
        ))
        .into());
    }
    let surface = surface::from_spec(&Spec::parse(&args.surface)?)?;
    let start = args.start.unwrap_or_else(|| surface.start());
    let tuned = args
        .optimizers
        .iter()
        .map(|text| {
            let spec = Spec::parse(text)?;
            let tuned = tune::tune(surface.as_ref(), &spec, start, args.steps, &grid)?;
            Ok((spec.id, tuned))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    match (args.format, args.curve) {
        (Format::Csv, false) => {
            writeln!(out, "optimizer,lr,loss")?;
            for (id, t) in &tuned {
                let (lr, loss) = t.best.map_or((String::new(), String::new()), |(lr, loss)| {
                    (number(lr), number(loss))
                });
                writeln!(out, "{id},{lr},{loss}")?;
            }
        }
        (Format::Csv, true) => {
            writeln!(out, "optimizer,lr,loss")?;
            for (id, t) in &tuned {
                for (lr, loss) in &t.curve {
                    writeln!(out, "{id},{},{}", number(*lr), number(*loss))?;
                }
            }
        }
        (Format::Json, _) => {
            #[derive(serde::Serialize)]
            struct Row<'a> {
                optimizer: &'a str,
                #[serde(flatten)]
                tuned: &'a tune::Tuned,
            }
            let rows: Vec<_> = tuned
                .iter()
                .map(|(id, tuned)| Row {
                    optimizer: id,
                    tuned,
                })
                .collect();
            writeln!(out, "{}", json_text(&rows, false))?;
        }
    }
    for (id, t) in &tuned {
        if t.best.is_none() {
            eprintln!("{id}: every run diverged");
        }
    }
    Ok(())
}

/// `lr-range`: `lr,loss`, one row per learning rate from `--from` to `--to`, the loss
/// after `--updates` updates from the same initial weights (`inf` for a run that
/// diverged); see `nn::lr_range`.
fn lr_range(out: &mut dyn Write, args: &RangeArgs) -> Outcome {
    let settings = RangeSettings::new(args.from, args.to, args.points, args.updates)?;
    let runs = RangeRuns::of_setup(&args.setup.setup()?)?;
    let mut test = RangeTest::new(runs, settings)?;
    test.advance(usize::MAX)?;
    writeln!(out, "lr,loss")?;
    for (lr, loss) in test.curve() {
        let loss = if loss.is_finite() {
            number(loss)
        } else {
            "inf".into()
        };
        writeln!(out, "{},{loss}", number(lr))?;
    }
    Ok(())
}

fn rates(out: &mut dyn Write, args: &RatesArgs) -> Outcome {
    let CsvFormat::Csv = args.format;
    let spec = Spec::parse(&args.surface)?;
    let surface = surface::from_spec_in(&spec, args.view)?;
    let setup = RateSetup {
        method: Accelerated::parse(&args.optimizer)?,
        empirical: args.empirical,
        run: rates::Run {
            start: args.start.unwrap_or_else(|| surface.start()),
            steps: args.steps,
            noise: optim::NoiseConfig::default(),
        },
        columns: args.grid.0,
        rows: args.grid.1,
        lr: args.lr,
        momentum: args.momentum,
        surface: spec,
    };
    let mut map = RateMap::in_view(setup, args.view)?;
    map.refine(usize::MAX);
    write!(out, "{}", map.csv())?;
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help and --version
            let _ = write!(io::stdout(), "{error}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            let text = error.to_string();
            let first = text.lines().next().unwrap_or("error: bad arguments");
            eprintln!("{} (see --help)", printable(first));
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = match &cli.command {
        Command::Trace {
            run,
            optimizer,
            format,
        } => trace(&mut out, run, optimizer, *format),
        Command::Render(args) => render(args),
        Command::List => list(&mut out),
        Command::Backprop { model, data } => backprop(&mut out, model, data),
        Command::Train(args) => train(&mut out, args),
        Command::Tune(args) => tune_rates(&mut out, args),
        Command::LrRange(args) => lr_range(&mut out, args),
        Command::Rates(args) => rates(&mut out, args),
        Command::Animate(args) => animate::animate(args),
        Command::Slice(args) => landscape::slice(&mut out, args),
        Command::Interpolate(args) => landscape::interpolate_models(&mut out, args),
    };
    let result = result.and_then(|()| out.flush().map_err(Failure::from));
    match result {
        Ok(()) | Err(Failure::Closed) => ExitCode::SUCCESS,
        Err(Failure::Input(error)) => {
            eprintln!("error: {}", printable(&error.0).replace('\n', " "));
            ExitCode::from(2)
        }
    }
}
