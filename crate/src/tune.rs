//! Fair tuning: each method's learning rate η searched over the same log grid, with the
//! same surface, start, step budget and gradient noise, and judged by the same number —
//! the final loss f(θ_K). A race between methods means little when one runs at its best
//! η and another at a poor one; this is the lecture's "tune the learning rate first".

use crate::config::{Error, Spec};
use crate::optim;
use crate::run::{self, Status};
use crate::surface::{Point, Surface};
use serde::Serialize;

/// The grid the lab searches by default: from 10⁻⁵ to 10, 25 points, four a decade
/// (η multiplied by 10^¼ ≈ 1.78 from one to the next), the learning-rate slider's range.
pub const DEFAULT_GRID: Grid = Grid {
    from: 1e-5,
    to: 10.0,
    points: 25,
};

/// The most points a grid may have.
pub const MAX_POINTS: u32 = 200;

/// A log grid of learning rates: `points` values from `from` to `to`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Grid {
    pub from: f64,
    pub to: f64,
    pub points: u32,
}

impl Grid {
    /// A grid with 0 < `from` < `to`, both finite, and 2 to [`MAX_POINTS`] points.
    pub fn new(from: f64, to: f64, points: u32) -> Result<Grid, Error> {
        if !(from.is_finite() && to.is_finite() && 0.0 < from && from < to) {
            return Err(Error::new(format!(
                "learning rates from {from} to {to}: the range must be finite with 0 < from < to"
            )));
        }
        if !(2..=MAX_POINTS).contains(&points) {
            return Err(Error::new(format!(
                "points = {points} is out of range; a grid has 2 to {MAX_POINTS} points"
            )));
        }
        Ok(Grid { from, to, points })
    }

    /// η_i = from · (to/from)^(i/(P−1)), i = 0 … P−1: geometric, the first exactly
    /// `from` and the last exactly `to`.
    pub fn rates(&self) -> Vec<f64> {
        let last = self.points - 1;
        let ratio = self.to / self.from;
        (0..self.points)
            .map(|i| match i {
                0 => self.from,
                i if i == last => self.to,
                i => self.from * libm::pow(ratio, f64::from(i) / f64::from(last)),
            })
            .collect()
    }
}

/// One method tuned: the final loss at every η of the grid (+∞ where the run diverged)
/// and the best η. As JSON, `{best: {lr, loss} | null, curve: [[lr, loss], …]}` with a
/// diverged run's loss `null` (JSON has no infinity).
#[derive(Clone, Debug, PartialEq)]
pub struct Tuned {
    /// (η, f(θ_K)) in the grid's order.
    pub curve: Vec<(f64, f64)>,
    /// The η with the lowest final loss, and that loss; `None` when every run diverged.
    pub best: Option<(f64, f64)>,
}

impl Serialize for Tuned {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Best {
            lr: f64,
            loss: f64,
        }
        #[derive(Serialize)]
        struct AsJson {
            best: Option<Best>,
            curve: Vec<(f64, Option<f64>)>,
        }
        AsJson {
            best: self.best.map(|(lr, loss)| Best { lr, loss }),
            curve: self
                .curve
                .iter()
                .map(|&(lr, loss)| (lr, loss.is_finite().then_some(loss)))
                .collect(),
        }
        .serialize(serializer)
    }
}

/// The final loss of each run of `spec` with its `lr` set to each η of `grid`, from
/// `start`, for `steps` updates; every other hyperparameter (noise and seed included)
/// is the spec's. Every method of the catalogue has an `lr`: Adadelta's scales its
/// update Δ and Newton's damps its step.
///
/// The final loss is f(θ_K) at the last iterate kept: a run that stops early because ∇f
/// vanished keeps its last loss; a run that diverged scores +∞. The best η is the
/// smallest η of those with the lowest final loss (ties go to the smaller, safer rate).
pub fn tune(
    surface: &dyn Surface,
    spec: &Spec,
    start: Point,
    steps: usize,
    grid: &Grid,
) -> Result<Tuned, Error> {
    if steps == 0 {
        return Err(Error::new("steps = 0: tuning needs at least one step"));
    }
    let mut curve = Vec::with_capacity(grid.points as usize);
    for rate in grid.rates() {
        let mut method = optim::from_spec(&with_learning_rate(spec, rate))?;
        let t = run::run(surface, &mut method, start, steps)?;
        let loss = match t.status {
            Status::Diverged { .. } => f64::INFINITY,
            _ => *t.losses.last().expect("a run keeps its start"),
        };
        curve.push((rate, loss));
    }
    Ok(Tuned {
        best: best(&curve),
        curve,
    })
}

/// `spec` with its `lr` set to `rate`, written so that it reads back as the same bits
/// (Rust's shortest round-trip digits); every other parameter kept.
pub fn with_learning_rate(spec: &Spec, rate: f64) -> Spec {
    let mut with_rate = spec.clone();
    with_rate.params.retain(|(key, _)| key != "lr");
    with_rate.params.push(("lr".into(), format!("{rate:e}")));
    with_rate
}

/// The point of `curve` with the lowest finite loss, the first one on a tie.
pub fn best(curve: &[(f64, f64)]) -> Option<(f64, f64)> {
    curve
        .iter()
        .copied()
        .filter(|p| p.1.is_finite())
        .fold(None, |best, p| match best {
            Some(b) if b.1 <= p.1 => Some(b),
            _ => Some(p),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface;

    #[test]
    fn the_grid_is_geometric_and_holds_both_ends() {
        let rates = DEFAULT_GRID.rates();
        assert_eq!(rates.len(), 25);
        assert_eq!((rates[0], rates[24]), (1e-5, 10.0));
        let step = libm::pow(10.0, 0.25);
        for pair in rates.windows(2) {
            assert!((pair[1] / pair[0] - step).abs() < 1e-12, "{pair:?}");
        }
        assert_eq!(Grid::new(0.5, 2.0, 2).unwrap().rates(), [0.5, 2.0]);
    }

    #[test]
    fn bad_grids_are_refused_with_the_valid_range() {
        for (from, to, points, named) in [
            (1.0, 1.0, 25, "0 < from < to"),
            (2.0, 1.0, 25, "0 < from < to"),
            (0.0, 1.0, 25, "0 < from < to"),
            (f64::NAN, 1.0, 25, "0 < from < to"),
            (1e-3, f64::INFINITY, 25, "0 < from < to"),
            (1e-3, 1.0, 0, "2 to 200"),
            (1e-3, 1.0, 1, "2 to 200"),
            (1e-3, 1.0, 1_000_000, "2 to 200"),
        ] {
            let message = Grid::new(from, to, points).unwrap_err().0;
            assert!(message.contains(named), "{message}");
        }
    }

    #[test]
    fn the_best_is_the_lowest_loss_and_ties_go_to_the_smaller_rate() {
        let inf = f64::INFINITY;
        assert_eq!(
            best(&[(0.1, 3.0), (0.2, 1.0), (0.4, 1.0), (0.8, inf)]),
            Some((0.2, 1.0))
        );
        assert_eq!(
            best(&[(0.1, inf), (0.2, -2.0), (0.4, 5.0)]),
            Some((0.2, -2.0))
        );
        assert_eq!(best(&[(0.1, inf), (0.2, inf)]), None);
    }

    #[test]
    fn a_run_that_diverges_scores_infinity() {
        // Gradient descent on ½(x² + 10y²) diverges for η > 2/10.
        let quadratic = surface::from_spec(&Spec::named("quadratic")).unwrap();
        let grid = Grid::new(0.19, 0.21, 2).unwrap();
        let tuned = tune(
            quadratic.as_ref(),
            &Spec::named("sgd"),
            [1.0, 1.0],
            200,
            &grid,
        )
        .unwrap();
        assert!(tuned.curve[0].1.is_finite());
        assert_eq!(tuned.curve[1].1, f64::INFINITY);
        assert_eq!(tuned.best, Some(tuned.curve[0]));
        let json = serde_json::to_value(&tuned).unwrap();
        assert_eq!(json["curve"][1], serde_json::json!([0.21, null]));
        assert_eq!(json["best"]["lr"], 0.19);
    }

    #[test]
    fn tuning_finds_gradient_descent_s_best_rate_on_a_quadratic() {
        // On ½ pᵀHp, GD contracts by max |1 − ηλ| over H's eigenvalues, least at
        // η* = 2/(λ_min + λ_max); the tuned η lies within a grid step of it.
        for (lambda1, lambda2, angle) in [(1.0, 10.0, 0.0), (0.5, 20.0, 30.0), (2.0, 3.0, -60.0)] {
            let spec = Spec::parse(&format!(
                "quadratic:lambda1={lambda1},lambda2={lambda2},angle={angle}"
            ))
            .unwrap();
            let quadratic = surface::from_spec(&spec).unwrap();
            let start = quadratic.start();
            let tuned = tune(
                quadratic.as_ref(),
                &Spec::named("sgd"),
                start,
                100,
                &DEFAULT_GRID,
            )
            .unwrap();
            let optimum = 2.0 / (lambda1 + lambda2);
            let (rate, _) = tuned.best.unwrap();
            let step = libm::pow(10.0, 0.25);
            assert!(
                rate / optimum < step && optimum / rate < step,
                "λ = ({lambda1}, {lambda2}): tuned {rate}, optimum {optimum}"
            );
        }
    }

    #[test]
    fn noise_and_seed_stay_the_spec_s_and_an_lr_given_is_replaced() {
        let banana = surface::from_spec(&Spec::named("banana")).unwrap();
        let grid = Grid::new(1e-3, 1e-2, 3).unwrap();
        let run = |text: &str| {
            tune(
                banana.as_ref(),
                &Spec::parse(text).unwrap(),
                banana.start(),
                50,
                &grid,
            )
            .unwrap()
        };
        let noisy = run("adam:noise=1,seed=3");
        assert_eq!(noisy, run("adam:lr=5,noise=1,seed=3"));
        assert_ne!(noisy, run("adam:noise=1,seed=4"));
        let exact = surface::from_spec(&Spec::named("banana")).unwrap();
        let mut method =
            optim::from_spec(&Spec::parse("adam:lr=1e-2,noise=1,seed=3").unwrap()).unwrap();
        let t = run::run(exact.as_ref(), &mut method, banana.start(), 50).unwrap();
        assert_eq!(noisy.curve[2].1, *t.losses.last().unwrap());
    }
}
