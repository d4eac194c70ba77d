//! Running an optimizer on a surface: a [`Trajectory`] of iterates, their losses and
//! how the run ended.

use crate::config::{Error, Spec};
use crate::optim::{self, Configured, Noisy, Oracle};
use crate::surface::{self, Point, Surface};

/// An iterate with a coordinate beyond this magnitude has left any plotted region for
/// good: the run counts as diverged (as it does at the first non-finite value).
pub const DIVERGENCE_BOUND: f64 = 1e8;

/// A run stops as converged once the exact gradient norm ‖∇f(θₖ)‖ falls below this.
pub const GRADIENT_TOLERANCE: f64 = 1e-10;

/// The most steps one run may take.
pub const MAX_STEPS: usize = 1_000_000;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Status {
    /// All requested steps were taken.
    Running,
    /// ‖∇f(θₖ)‖ < [`GRADIENT_TOLERANCE`] at iterate k, the last one kept.
    Converged { step: usize },
    /// Update k gave a non-finite loss or left the ±[`DIVERGENCE_BOUND`] box; iterates
    /// 0..k−1 are kept, the bad one is not.
    Diverged { step: usize },
}

/// Iterates θ₀ (the start) .. θₖ and their losses f(θᵢ).
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    pub points: Vec<Point>,
    pub losses: Vec<f64>,
    pub status: Status,
}

/// A surface seen as an objective over θ = (x, y).
pub struct SurfaceOracle<'a>(pub &'a dyn Surface);

impl Oracle for SurfaceOracle<'_> {
    fn gradient(&mut self, theta: &[f64], gradient: &mut [f64]) {
        gradient.copy_from_slice(&self.0.gradient([theta[0], theta[1]]));
    }

    fn hessian(&mut self, theta: &[f64]) -> Option<Vec<f64>> {
        let [[xx, xy], [yx, yy]] = self.0.hessian([theta[0], theta[1]]);
        Some(vec![xx, xy, yx, yy])
    }
}

fn escaped(point: Point, loss: f64) -> bool {
    !loss.is_finite()
        || point
            .iter()
            .any(|c| !c.is_finite() || c.abs() > DIVERGENCE_BOUND)
}

fn stationary(surface: &dyn Surface, point: Point) -> bool {
    let [gx, gy] = surface.gradient(point);
    gx.hypot(gy) < GRADIENT_TOLERANCE
}

/// Runs `steps` updates of `method` from `start`. Never panics: a bad start or step
/// count is an error, a run that blows up is [`Status::Diverged`].
pub fn run(
    surface: &dyn Surface,
    method: &mut Configured,
    start: Point,
    steps: usize,
) -> Result<Trajectory, Error> {
    let start_loss = surface.value(start);
    if escaped(start, start_loss) {
        return Err(Error::new(format!(
            "start ({}, {}) must be finite, within ±{DIVERGENCE_BOUND:e}, with a finite loss",
            start[0], start[1]
        )));
    }
    if steps > MAX_STEPS {
        return Err(Error::new(format!(
            "steps = {steps} is too many; at most {MAX_STEPS}"
        )));
    }
    let mut points = Vec::with_capacity(steps + 1);
    let mut losses = Vec::with_capacity(steps + 1);
    points.push(start);
    losses.push(start_loss);
    let mut exact = SurfaceOracle(surface);
    let mut oracle = Noisy::new(&mut exact, &method.noise);
    let mut theta = start;
    let mut status = Status::Running;
    for step in 1..=steps {
        if stationary(surface, theta) {
            status = Status::Converged { step: step - 1 };
            break;
        }
        method.optimizer.step(&mut theta, &mut oracle);
        let loss = surface.value(theta);
        if escaped(theta, loss) {
            status = Status::Diverged { step };
            break;
        }
        points.push(theta);
        losses.push(loss);
    }
    if status == Status::Running && stationary(surface, theta) {
        status = Status::Converged { step: steps };
    }
    Ok(Trajectory {
        points,
        losses,
        status,
    })
}

/// Parses both specs and runs: the one entry point of the CLI's `trace` and the page.
pub fn trace(
    surface_spec: &str,
    optimizer_spec: &str,
    start: Point,
    steps: usize,
) -> Result<Trajectory, Error> {
    let surface = surface::from_spec(&Spec::parse(surface_spec)?)?;
    let mut method = optim::from_spec(&Spec::parse(optimizer_spec)?)?;
    run(surface.as_ref(), &mut method, start, steps)
}
