//! Running an optimizer on a surface: a [`Trajectory`] of iterates, their losses and
//! how the run ended; and its [`Outcome`], what a student reads of it: the final loss,
//! the distance to the nearest known minimum, and whether it converged.

use crate::config::{Error, Spec};
use crate::optim::{self, Configured, Noisy, Oracle};
use crate::surface::{self, CriticalKind, Point, Surface};
use crate::text::significant;
use std::fmt;

/// An iterate with a coordinate beyond this magnitude has left any plotted region for
/// good: the run counts as diverged (as it does at the first non-finite value).
pub const DIVERGENCE_BOUND: f64 = 1e8;

/// A run stops, stationary, once the exact gradient norm ‖∇f(θₖ)‖ falls below this:
/// nothing would move any more, and the run stays short.
pub const GRADIENT_TOLERANCE: f64 = 1e-10;

/// How close to a minimum a run must stay to count as converged, by default: 0.01, a
/// distance a student can read off the axes of every built-in view (4 to 20 units
/// across). On the gallery's presets, the runs whose captions say they get there come
/// within it in their step budgets, and those said to stall, spiral or fall behind stay
/// well outside it (`tests/presets.rs` checks both).
pub const DEFAULT_TOLERANCE: f64 = 0.01;

/// The most steps one run may take.
pub const MAX_STEPS: usize = 1_000_000;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Status {
    /// All requested steps were taken.
    Running,
    /// ‖∇f(θₖ)‖ < [`GRADIENT_TOLERANCE`] at iterate k, the last one kept: a critical
    /// point, a minimum or not.
    Stationary { step: usize },
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
            status = Status::Stationary { step: step - 1 };
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
        status = Status::Stationary { step: steps };
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

/// What a run came to, as the status line and the CLI say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    /// None of the below: it took every step and ends farther than the tolerance from
    /// every known minimum and saddle (not there yet, or crawling).
    Running,
    /// From iterate `step` on, every iterate is within the tolerance of the same known
    /// minimum.
    Converged,
    /// Not converged, but from iterate `step` on every iterate is within the tolerance
    /// of a critical point that is not a known minimum: a listed saddle, or the point
    /// where the run stopped because ∇f vanished (an unlisted local minimum or saddle).
    Stationary,
    /// Update `step` gave a non-finite loss or left the ±[`DIVERGENCE_BOUND`] box.
    Diverged,
}

/// A run judged against its surface's known critical points, with a tolerance on the
/// distance ‖θₖ − θ*‖.
///
/// Converged means *stays* within the tolerance: a run that passes by a minimum and
/// swings out again (momentum overshooting, noisy gradients) converges only once it
/// stays, so `step` never names an arrival the picture then contradicts. A distance,
/// not ‖∇f‖, is what is compared: the tolerance is then in the units of the axes on
/// every surface, where a gradient's size depends on the surface's scale. A surface
/// that lists no minimum (the saddles) has no distance; there a run is at best
/// stationary, near the saddle it lists or where ∇f vanished.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Outcome {
    pub kind: OutcomeKind,
    /// Converged or stationary: the first iterate of the stretch within the tolerance
    /// that lasts to the end; diverged: the update that failed; running: the steps
    /// taken.
    pub step: usize,
    /// Iterates kept, the start included.
    pub iterates: usize,
    /// f(θ_K) at the last iterate kept, θ_K.
    pub loss: f64,
    /// ‖θ_K − θ*‖ to the nearest known minimum θ*; `null` when the surface lists
    /// none.
    pub distance: Option<f64>,
    /// That θ*, `[x, y]`; `null` when the surface lists no minimum.
    pub minimum: Option<Point>,
}

fn distance(a: Point, b: Point) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// The point of `points` nearest `p`, and how far it is.
fn nearest(p: Point, points: &[Point]) -> Option<(Point, f64)> {
    points
        .iter()
        .map(|&q| (q, distance(p, q)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// The first iterate from which every later one is within `tolerance` of `target`.
fn settled(points: &[Point], target: Point, tolerance: f64) -> usize {
    points
        .iter()
        .rposition(|&p| distance(p, target) > tolerance)
        .map_or(0, |k| k + 1)
}

impl Outcome {
    /// Judges `t`, a run on `surface`, with `tolerance` (a distance in the plane).
    pub fn of(surface: &dyn Surface, t: &Trajectory, tolerance: f64) -> Outcome {
        let critical = surface.critical_points();
        let of_kind = |kind| -> Vec<Point> {
            critical
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| c.point)
                .collect()
        };
        let (minima, saddles) = (
            of_kind(CriticalKind::Minimum),
            of_kind(CriticalKind::Saddle),
        );
        let (Some(&last), Some(&loss)) = (t.points.last(), t.losses.last()) else {
            return Outcome {
                kind: OutcomeKind::Running,
                step: 0,
                iterates: 0,
                loss: f64::NAN,
                distance: None,
                minimum: None,
            };
        };
        let closest = nearest(last, &minima);
        let within = |near: Option<(Point, f64)>| near.filter(|n| n.1 <= tolerance).map(|n| n.0);
        let critical_here = match t.status {
            Status::Stationary { .. } => Some(last),
            _ => within(nearest(last, &saddles)),
        };
        let (kind, step) = match (t.status, within(closest), critical_here) {
            (Status::Diverged { step }, _, _) => (OutcomeKind::Diverged, step),
            (_, Some(minimum), _) => (
                OutcomeKind::Converged,
                settled(&t.points, minimum, tolerance),
            ),
            (_, None, Some(point)) => (
                OutcomeKind::Stationary,
                settled(&t.points, point, tolerance),
            ),
            _ => (OutcomeKind::Running, t.points.len() - 1),
        };
        Outcome {
            kind,
            step,
            iterates: t.points.len(),
            loss,
            distance: closest.map(|n| n.1),
            minimum: closest.map(|n| n.0),
        }
    }
}

impl OutcomeKind {
    /// The word JSON and the status line use: `converged`.
    pub fn name(self) -> &'static str {
        match self {
            OutcomeKind::Running => "running",
            OutcomeKind::Converged => "converged",
            OutcomeKind::Stationary => "stationary",
            OutcomeKind::Diverged => "diverged",
        }
    }
}

impl fmt::Display for Outcome {
    /// `converged at step 62 · f = 3.21e-7 · 0.000412 from (1, 1)`, or `diverged at step
    /// 186`: three significant digits, as many as a status line needs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at step {}", self.kind.name(), self.step)?;
        if self.kind == OutcomeKind::Diverged {
            return Ok(());
        }
        write!(f, " · f = {}", significant(self.loss))?;
        if let (Some(d), Some([x, y])) = (self.distance, self.minimum) {
            write!(
                f,
                " · {} from ({}, {})",
                significant(d),
                significant(x),
                significant(y)
            )?;
        }
        Ok(())
    }
}
