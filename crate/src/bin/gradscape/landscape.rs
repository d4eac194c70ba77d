//! `slice` and `interpolate`: a model's training loss on a plane through its weights,
//! g(a, b) = L_S(θ + a d₁ + b d₂) (Li et al. 2018), and on the line between two models'
//! weights (Goodfellow et al. 2015); see `nn::landscape`.

use super::{read_text, CsvFormat, Outcome};
use gradscape::config::Error;
use gradscape::nn::landscape::{interpolate, Direction, Grid, Plane, PlaneLoss};
use gradscape::nn::model::{parse_json, DataJson, Model};
use gradscape::text::number;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct SliceArgs {
    /// The model whose weights θ are the centre of the plane, as `backprop` reads it
    #[arg(long)]
    model: PathBuf,
    /// The training set S, {"X": [[…], …], "y": […]}
    #[arg(long)]
    data: PathBuf,
    /// d₁: W<l>[<i>,<j>] (one weight: layer l from 0 for the first hidden layer, row i,
    /// column j, as the model's W [out][in]), b<l>[<i>] (one bias) or random:seed=S
    /// (Gaussian, each row of each W scaled to the norm of that row of θ, biases 0)
    #[arg(long)]
    dir1: String,
    /// d₂, as --dir1
    #[arg(long)]
    dir2: String,
    /// A or A,B: a runs over [−A, A] and b over [−B, B] (B = A if omitted)
    #[arg(long, value_name = "A[,B]", value_parser = parse_span, allow_hyphen_values = true)]
    span: [f64; 2],
    /// N: N × N points, 2 to 257, both ends of each span included, so the centre
    /// (0, 0), the model's own θ, is a point when N is odd
    #[arg(long, allow_negative_numbers = true)]
    grid: usize,
    #[arg(long, value_enum, default_value_t = CsvFormat::Csv)]
    format: CsvFormat,
}

#[derive(clap::Args)]
pub struct InterpolateArgs {
    /// The weights θ₀ at t = 0, e.g. the initial ones
    #[arg(long)]
    from: PathBuf,
    /// The weights θ₁ at t = 1, e.g. the trained ones, of the same layers, λ and
    /// normalization
    #[arg(long)]
    to: PathBuf,
    /// The training set S, {"X": [[…], …], "y": […]}
    #[arg(long)]
    data: PathBuf,
    /// How many values of t, evenly spread over [−0.5, 1.5], both ends included
    /// (2 to 1001)
    #[arg(long, allow_negative_numbers = true)]
    steps: usize,
}

fn parse_span(text: &str) -> Result<[f64; 2], String> {
    let parts: Vec<_> = text.split(',').map(|p| p.trim().parse::<f64>()).collect();
    match parts.as_slice() {
        [Ok(a)] => Ok([*a, *a]),
        [Ok(a), Ok(b)] => Ok([*a, *b]),
        _ => Err(format!("`{text}` is not a span A or A,B")),
    }
}

fn read_model(path: &Path) -> Result<Model, Error> {
    Model::from_json(&parse_json(&read_text(path)?, &path.display().to_string())?)
}

fn read_data(path: &Path) -> Result<DataJson, Error> {
    parse_json(&read_text(path)?, &path.display().to_string())
}

/// A loss as CSV writes it: `inf` where it overflowed.
fn loss_text(loss: f64) -> String {
    if loss.is_finite() {
        number(loss)
    } else {
        "inf".into()
    }
}

/// `slice`: `a,b,loss` for every point of the grid, a fastest, b from −B up.
pub fn slice(out: &mut dyn Write, args: &SliceArgs) -> Outcome {
    let CsvFormat::Csv = args.format;
    let grid = Grid::new(args.span, args.grid).map_err(|e| {
        Error::new(format!(
            "--span {} --grid {}: {e}",
            args.span.map(number).join(","),
            args.grid
        ))
    })?;
    let directions = [
        Direction::parse(&args.dir1).map_err(|e| Error::new(format!("--dir1: {e}")))?,
        Direction::parse(&args.dir2).map_err(|e| Error::new(format!("--dir2: {e}")))?,
    ];
    for (name, direction) in ["--dir1", "--dir2"].into_iter().zip(directions) {
        if let Direction::Pca { .. } = direction {
            return Err(Error::new(format!(
                "{name} {direction}: a principal direction needs the trajectory of a training run, which a model file does not hold; use W<l>[<i>,<j>], b<l>[<i>] or random:seed=S"
            ))
            .into());
        }
    }
    let model = read_model(&args.model)?;
    let (x, targets) = model.batch(&read_data(&args.data)?)?;
    let plane = Plane::through(&model.network, &model.theta, directions, None)?;
    let mut loss = PlaneLoss::new(model.network, x, targets, plane)?;
    writeln!(out, "a,b,loss")?;
    for point in grid.points() {
        let [a, b] = point;
        let value = loss_text(loss.loss(point));
        writeln!(out, "{},{},{value}", number(a), number(b))?;
    }
    Ok(())
}

/// `interpolate`: `t,loss,accuracy` along (1 − t)θ₀ + tθ₁, accuracy empty for a
/// regression.
pub fn interpolate_models(out: &mut dyn Write, args: &InterpolateArgs) -> Outcome {
    let (from, to) = (read_model(&args.from)?, read_model(&args.to)?);
    let names = (args.from.display(), args.to.display());
    if from.network.architecture != to.network.architecture {
        return Err(Error::new(format!(
            "{} and {} have different layers: the line between them needs the same network",
            names.0, names.1
        ))
        .into());
    }
    if from.network.l2 != to.network.l2 {
        return Err(Error::new(format!(
            "{} has l2 = {} and {} has l2 = {}: the loss along the line needs one λ",
            names.0,
            number(from.network.l2),
            names.1,
            number(to.network.l2)
        ))
        .into());
    }
    if from.normalize != to.normalize {
        return Err(Error::new(format!(
            "{} and {} normalize their inputs differently: the line between them needs the same inputs",
            names.0, names.1
        ))
        .into());
    }
    let (x, targets) = from.batch(&read_data(&args.data)?)?;
    let line = interpolate(
        &from.network,
        &x,
        &targets,
        [&from.theta, &to.theta],
        args.steps,
    )?;
    writeln!(out, "t,loss,accuracy")?;
    for point in line {
        let accuracy = point.accuracy.map(number).unwrap_or_default();
        writeln!(
            out,
            "{},{},{accuracy}",
            number(point.t),
            loss_text(point.loss)
        )?;
    }
    Ok(())
}
