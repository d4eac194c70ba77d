//! The rate of convergence of momentum over a grid of learning rate η × momentum γ
//! (Goh, "Why Momentum Really Works", Distill 2017): in closed form on a quadratic,
//! measured from runs on any surface.
//!
//! **Closed form.** On f = ½ θᵀHθ the iteration decouples along H's eigenvectors; along
//! one with eigenvalue λ, x = uᵀθ and the velocity m = uᵀm evolve linearly. Heavy ball
//! (the lab's `momentum`: m ← γm + η∇L(θ); θ ← θ − m) gives
//!
//! (m, x)ₜ = [[γ, ηλ], [−γ, 1 − ηλ]] (m, x)ₜ₋₁,  trace 1 + γ − ηλ, determinant γ;
//!
//! Nesterov as the lab runs it (m ← γm + η∇L(θ − γm); θ ← θ − m) gives
//!
//! (m, x)ₜ = [[γ(1 − ηλ), ηλ], [−γ(1 − ηλ), 1 − ηλ]] (m, x)ₜ₋₁,
//! trace (1 + γ)(1 − ηλ), determinant γ(1 − ηλ).
//!
//! The error shrinks like ρᵏ with ρ the spectral radius of that matrix, so the rate of the
//! 2D quadratic is max(ρ(λ_min), ρ(λ_max)). Heavy ball is stable iff 0 < ηλ < 2(1 + γ),
//! critically damped (a double eigenvalue) where γ = (1 − √(ηλ))², and fastest at
//! η* = (2/(√λ_min + √λ_max))², γ* = ((√κ − 1)/(√κ + 1))² with rate (√κ − 1)/(√κ + 1)
//! (Polyak 1964). Nesterov is stable iff 0 < ηλ < 2(1 + γ)/(1 + 2γ), critically damped
//! where γ = (1 − √(ηλ))/(1 + √(ηλ)), and fastest at η = 4/(3λ_max + λ_min),
//! γ = (√(3κ + 1) − 2)/(√(3κ + 1) + 2) with rate 1 − 2/√(3κ + 1) (Lessard, Recht and
//! Packard 2016, §3.2).
//!
//! **Empirical.** On any surface, each cell runs the lab's own optimizer code from the
//! start for the steps (with the lab's gradient noise and seed, the same for every cell)
//! and measures the geometric-mean contraction r = (e_K / e₀)^(1/K) of the distance
//! e_k = ‖θ_k − θ*‖ to the nearest listed minimum: the quantity the closed form bounds,
//! so long runs on a quadratic give the closed form's number (`f − f*` would contract at
//! its square). On a surface that lists no minimum e_k = ‖∇f(θ_k)‖. A run stops early
//! once its error is below what double precision resolves ([`PRECISION_FLOOR`]; K is
//! then the steps taken), and
//! diverges, as in [`crate::run`], when an iterate leaves the ±[`DIVERGENCE_BOUND`] box
//! or is not finite: a class of its own, not a number.

use crate::config::{Error, Spec};
use crate::optim::{
    symmetric_eigen, Method, Momentum, MomentumConfig, Nesterov, NesterovConfig, NoiseConfig,
    Noisy, Optimizer, Update,
};
use crate::run::{SurfaceOracle, DIVERGENCE_BOUND, MAX_STEPS};
use crate::surface::{self, CriticalKind, Point, Surface, ViewBox};
use crate::text::number;
use serde::Serialize;

/// The fewest cells a side …
pub const MIN_CELLS: usize = 2;
/// … and the most.
pub const MAX_CELLS: usize = 512;
/// The default momentum range, [0, 0.99].
pub const MOMENTUM_RANGE: (f64, f64) = (0.0, 0.99);
/// The default learning-rate range is [1e-3, 4]/λ: with λ = λ_max it ends just past heavy
/// ball's stability limit at γ = 0.99 (ηλ_max < 3.98) and starts three decades below.
pub const LEARNING_RATE_SPAN: (f64, f64) = (1e-3, 4.0);
/// An empirical run stops once its error falls below what double precision resolves:
/// this fraction of the minimum's size max(|x*|, |y*|) (about 4500 units in the last
/// place), or of e₀ where the error is ‖∇f‖ …
pub const PRECISION_FLOOR: f64 = 1e-12;
/// … and at the latest after this fraction of e₀ (a minimum at 0 resolves any distance):
/// a hundred decades, so that a run's rate is measured over many steps, and the
/// constant C of e_k ≈ C ρᵏ fades from (e_K/e₀)^(1/K).
pub const DEEPEST_FLOOR: f64 = 1e-100;
/// The coarse picture: at most this many cells a side come first.
pub const COARSE_CELLS: usize = 16;

/// Which momentum method a map is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Accelerated {
    /// Heavy ball, the lab's `momentum`.
    Momentum,
    Nesterov,
}

impl Accelerated {
    pub fn parse(name: &str) -> Result<Accelerated, Error> {
        match name {
            "momentum" => Ok(Accelerated::Momentum),
            "nesterov" => Ok(Accelerated::Nesterov),
            other => Err(Error::new(format!(
                "a rate map is of `momentum` or `nesterov`, not `{}`",
                crate::text::quoted(other)
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Accelerated::Momentum => "momentum",
            Accelerated::Nesterov => "nesterov",
        }
    }
}

/// The iteration matrix A with (m, x)ₜ = A (m, x)ₜ₋₁ along an eigenvector of curvature λ
/// (see the module's doc for both derivations).
pub fn iteration_matrix(
    method: Accelerated,
    learning_rate: f64,
    momentum: f64,
    curvature: f64,
) -> [[f64; 2]; 2] {
    let step = learning_rate * curvature;
    match method {
        Accelerated::Momentum => [[momentum, step], [-momentum, 1.0 - step]],
        Accelerated::Nesterov => {
            let kept = momentum * (1.0 - step);
            [[kept, step], [-kept, 1.0 - step]]
        }
    }
}

/// max |μ| over the eigenvalues μ = (T ± √(T² − 4D))/2 of a 2×2 matrix with trace T and
/// determinant D: (|T| + √(T² − 4D))/2 when they are real, √D when complex.
pub fn spectral_radius(a: [[f64; 2]; 2]) -> f64 {
    let trace = a[0][0] + a[1][1];
    let determinant = a[0][0] * a[1][1] - a[0][1] * a[1][0];
    let discriminant = trace * trace - 4.0 * determinant;
    if discriminant >= 0.0 {
        0.5 * (trace.abs() + discriminant.sqrt())
    } else {
        determinant.sqrt()
    }
}

/// The extreme eigenvalues of a constant Hessian.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Curvatures {
    pub min: f64,
    pub max: f64,
}

impl Curvatures {
    /// κ = λ_max / λ_min.
    pub fn condition(&self) -> f64 {
        self.max / self.min
    }
}

/// The eigenvalues of a symmetric 2×2 Hessian, in closed form (see Newton's method).
fn eigenvalues(h: [[f64; 2]; 2]) -> Curvatures {
    let ([large, small], _) = symmetric_eigen(&[h[0][0], h[0][1], h[1][0], h[1][1]]);
    Curvatures {
        min: large.min(small),
        max: large.max(small),
    }
}

/// The closed-form rate on a quadratic: max over λ ∈ {λ_min, λ_max} of the spectral
/// radius of the iteration matrix.
pub fn closed_form_rate(
    method: Accelerated,
    learning_rate: f64,
    momentum: f64,
    curvatures: Curvatures,
) -> f64 {
    [curvatures.min, curvatures.max]
        .map(|l| spectral_radius(iteration_matrix(method, learning_rate, momentum, l)))
        .into_iter()
        .fold(0.0, f64::max)
}

/// The largest stable learning rate at momentum γ for curvature λ (Jury's conditions
/// |D| < 1, |T| < 1 + D on the iteration matrix): 2(1 + γ)/λ for heavy ball,
/// 2(1 + γ)/((1 + 2γ)λ) for Nesterov.
pub fn stability_limit(method: Accelerated, momentum: f64, curvature: f64) -> f64 {
    match method {
        Accelerated::Momentum => 2.0 * (1.0 + momentum) / curvature,
        Accelerated::Nesterov => 2.0 * (1.0 + momentum) / ((1.0 + 2.0 * momentum) * curvature),
    }
}

/// The momentum that damps curvature λ critically at learning rate η (T² = 4D, a double
/// eigenvalue): (1 − √(ηλ))² for heavy ball, (1 − √(ηλ))/(1 + √(ηλ)) for Nesterov, which
/// has none beyond ηλ = 1.
pub fn critical_damping(method: Accelerated, learning_rate: f64, curvature: f64) -> Option<f64> {
    let root = (learning_rate * curvature).sqrt();
    match method {
        Accelerated::Momentum => Some((1.0 - root) * (1.0 - root)),
        Accelerated::Nesterov => (root <= 1.0).then(|| (1.0 - root) / (1.0 + root)),
    }
}

/// The fastest (η, γ) on a quadratic and its rate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Optimum {
    pub lr: f64,
    pub momentum: f64,
    pub rate: f64,
}

/// Heavy ball's optimum (Polyak), or Nesterov's (Lessard, Recht and Packard): see the
/// module's doc.
pub fn optimum(method: Accelerated, c: Curvatures) -> Optimum {
    let kappa = c.condition();
    match method {
        Accelerated::Momentum => {
            let (root_min, root_max, root_kappa) = (c.min.sqrt(), c.max.sqrt(), kappa.sqrt());
            let rate = (root_kappa - 1.0) / (root_kappa + 1.0);
            let lr = 2.0 / (root_min + root_max);
            Optimum {
                lr: lr * lr,
                momentum: rate * rate,
                rate,
            }
        }
        Accelerated::Nesterov => {
            let root = (3.0 * kappa + 1.0).sqrt();
            Optimum {
                lr: 4.0 / (3.0 * c.max + c.min),
                momentum: (root - 2.0) / (root + 2.0),
                rate: 1.0 - 2.0 / root,
            }
        }
    }
}

/// What one cell measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rate {
    /// The factor by which the error shrinks per step (1 or more: it does not).
    Contraction(f64),
    /// The run left the ±[`DIVERGENCE_BOUND`] box or became non-finite.
    Diverged,
}

impl Rate {
    /// As the CSV writes it: the number, or `inf` for a diverged run.
    pub fn text(self) -> String {
        match self {
            Rate::Contraction(r) => number(r),
            Rate::Diverged => "inf".into(),
        }
    }
}

/// The error e_k of the empirical rate: the distance to the nearest of `minima`, or with
/// none, ‖∇f(θ)‖ (squared, to save the roots).
fn error_squared(surface: &dyn Surface, minima: &[Point], p: Point) -> f64 {
    if minima.is_empty() {
        let [gx, gy] = surface.gradient(p);
        return gx * gx + gy * gy;
    }
    minima
        .iter()
        .map(|m| (p[0] - m[0]) * (p[0] - m[0]) + (p[1] - m[1]) * (p[1] - m[1]))
        .fold(f64::INFINITY, f64::min)
}

/// One run of the lab's code for method `U` and its contraction (see the module's doc).
fn contraction<U: Update>(
    config: U::Config,
    run: &Run,
    surface: &dyn Surface,
    minima: &[Point],
) -> Rate {
    let mut method = Method::<U>::new(config);
    let mut exact = SurfaceOracle(surface);
    let mut oracle = Noisy::new(&mut exact, &run.noise);
    let mut theta = run.start;
    let first = error_squared(surface, minima, theta);
    if first == 0.0 {
        return Rate::Contraction(0.0);
    }
    let floor = if minima.is_empty() {
        first.sqrt() * PRECISION_FLOOR
    } else {
        let size = minima
            .iter()
            .fold(0.0_f64, |a, m| a.max(m[0].abs()).max(m[1].abs()));
        (size * PRECISION_FLOOR).max(first.sqrt() * DEEPEST_FLOOR)
    };
    let floor = floor * floor;
    let mut last = first;
    let mut taken = 0;
    for step in 1..=run.steps {
        method.step(&mut theta, &mut oracle);
        if theta
            .iter()
            .any(|c| !c.is_finite() || c.abs() > DIVERGENCE_BOUND)
        {
            return Rate::Diverged;
        }
        (last, taken) = (error_squared(surface, minima, theta), step);
        if last <= floor {
            break;
        }
    }
    if !last.is_finite() {
        return Rate::Diverged;
    }
    // (e_K / e₀)^(1/K) = exp(ln(e_K² / e₀²) / 2K)
    Rate::Contraction(libm::exp(libm::log(last / first) / (2.0 * taken as f64)))
}

/// What every empirical cell shares: the start, the steps and the gradient noise.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub start: Point,
    pub steps: usize,
    pub noise: NoiseConfig,
}

/// The empirical rate of `method` at (η, γ) on `surface` (see the module's doc).
pub fn empirical_rate(
    surface: &dyn Surface,
    method: Accelerated,
    learning_rate: f64,
    momentum: f64,
    run: &Run,
) -> Rate {
    let minima = minima(surface);
    empirical(surface, &minima, method, learning_rate, momentum, run)
}

fn empirical(
    surface: &dyn Surface,
    minima: &[Point],
    method: Accelerated,
    learning_rate: f64,
    momentum: f64,
    run: &Run,
) -> Rate {
    match method {
        Accelerated::Momentum => contraction::<Momentum>(
            MomentumConfig {
                learning_rate,
                momentum,
            },
            run,
            surface,
            minima,
        ),
        Accelerated::Nesterov => contraction::<Nesterov>(
            NesterovConfig {
                learning_rate,
                momentum,
            },
            run,
            surface,
            minima,
        ),
    }
}

fn minima(surface: &dyn Surface) -> Vec<Point> {
    surface
        .critical_points()
        .iter()
        .filter(|c| c.kind == CriticalKind::Minimum)
        .map(|c| c.point)
        .collect()
}

/// A grid of `columns` learning rates, evenly spaced in log η from `lr.0` to `lr.1`
/// inclusive, by `rows` momenta, evenly spaced from `momentum.0` to `momentum.1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub columns: usize,
    pub rows: usize,
    pub lr: (f64, f64),
    pub momentum: (f64, f64),
}

impl Grid {
    /// A grid of 2 to 512 cells a side over 0 < η_min < η_max < ∞ and
    /// 0 ≤ γ_min < γ_max < 1.
    pub fn new(
        columns: usize,
        rows: usize,
        lr: (f64, f64),
        momentum: (f64, f64),
    ) -> Result<Grid, Error> {
        let sides = MIN_CELLS..=MAX_CELLS;
        if !sides.contains(&columns) || !sides.contains(&rows) {
            return Err(Error::new(format!(
                "a rate map of {columns} × {rows} cells cannot be made: each side must have \
                 {MIN_CELLS} to {MAX_CELLS} cells"
            )));
        }
        if !(lr.0 > 0.0 && lr.0 < lr.1 && lr.1.is_finite()) {
            return Err(Error::new(format!(
                "learning rates {}..{} are not a range: give 0 < min < max < ∞",
                lr.0, lr.1
            )));
        }
        if !(momentum.0 >= 0.0 && momentum.0 < momentum.1 && momentum.1 < 1.0) {
            return Err(Error::new(format!(
                "momenta {}..{} are not a range: give 0 ≤ min < max < 1",
                momentum.0, momentum.1
            )));
        }
        Ok(Grid {
            columns,
            rows,
            lr,
            momentum,
        })
    }

    /// η of column i: lr.0 (lr.1 / lr.0)^(i/(columns − 1)), the ends exact.
    pub fn lr_of(&self, column: usize) -> f64 {
        if column + 1 >= self.columns {
            return self.lr.1;
        }
        let t = column as f64 / (self.columns - 1) as f64;
        let (a, b) = (libm::log10(self.lr.0), libm::log10(self.lr.1));
        if column == 0 {
            self.lr.0
        } else {
            libm::exp10(a + t * (b - a))
        }
    }

    /// γ of row j (row 0 the smallest), the ends exact.
    pub fn momentum_of(&self, row: usize) -> f64 {
        if row + 1 >= self.rows {
            return self.momentum.1;
        }
        let t = row as f64 / (self.rows - 1) as f64;
        self.momentum.0 + t * (self.momentum.1 - self.momentum.0)
    }

    /// The cells' count.
    pub fn cells(&self) -> usize {
        self.columns * self.rows
    }
}

/// The first stride: the smallest power of two that leaves at most [`COARSE_CELLS`]
/// cells a side.
pub fn coarse_stride(columns: usize, rows: usize) -> usize {
    let mut stride = 1;
    while (columns.max(rows) - 1) / stride + 1 > COARSE_CELLS {
        stride *= 2;
    }
    stride
}

/// Cell indices (row × columns + column) coarse to fine: the cells at multiples of the
/// [`coarse_stride`] s first (at most 16 × 16, covering the map in blocks), then those at
/// multiples of s/2 not yet listed, and so on to every cell; each level row by row.
pub fn progressive_order(columns: usize, rows: usize) -> Vec<u32> {
    let mut order = Vec::with_capacity(columns * rows);
    let top = coarse_stride(columns, rows);
    let mut stride = top;
    while stride >= 1 {
        for j in (0..rows).step_by(stride) {
            for i in (0..columns).step_by(stride) {
                let coarser = stride < top && i % (2 * stride) == 0 && j % (2 * stride) == 0;
                if !coarser {
                    order.push((j * columns + i) as u32);
                }
            }
        }
        stride /= 2;
    }
    order
}

/// The cell whose value cell (i, j) of a `columns` × `rows` grid filled in
/// [`progressive_order`] shows, as an index (row × columns + column): itself once
/// `computed`, while it is pending the finest computed cell whose block covers it (the
/// nearest multiple of a stride, the last one of a side covering the side's end); None
/// before the coarse pass has reached it.
pub fn shown_cell(
    columns: usize,
    rows: usize,
    i: usize,
    j: usize,
    computed: impl Fn(usize) -> bool,
) -> Option<usize> {
    let top = coarse_stride(columns, rows);
    let mut stride = 1;
    while stride <= top {
        let nearest = |c: usize, n: usize| {
            let last = (n - 1) / stride * stride;
            ((c + stride / 2) / stride * stride).min(last)
        };
        let k = nearest(j, rows) * columns + nearest(i, columns);
        if computed(k) {
            return Some(k);
        }
        stride *= 2;
    }
    None
}

/// Everything a map is made from.
#[derive(Clone, Debug, PartialEq)]
pub struct RateSetup {
    pub surface: Spec,
    pub method: Accelerated,
    /// From runs even on a quadratic; forced on every other surface.
    pub empirical: bool,
    pub run: Run,
    pub columns: usize,
    pub rows: usize,
    /// None: the default range (see [`default_learning_rates`]).
    pub lr: Option<(f64, f64)>,
    /// None: [`MOMENTUM_RANGE`].
    pub momentum: Option<(f64, f64)>,
}

/// [1e-3, 4]/λ ([`LEARNING_RATE_SPAN`]) with λ the largest curvature where the runs end
/// up: λ_max on a quadratic; on another surface the largest eigenvalue of the Hessian at
/// the listed minimum nearest the start, or with none listed the largest |eigenvalue| at
/// the start (λ = 1 if that is 0).
pub fn default_learning_rates(surface: &dyn Surface, start: Point) -> (f64, f64) {
    let nearest = minima(surface).into_iter().min_by(|a, b| {
        let d = |m: &Point| (m[0] - start[0]).hypot(m[1] - start[1]);
        d(a).total_cmp(&d(b))
    });
    let c = eigenvalues(surface.hessian(nearest.unwrap_or(start)));
    let lambda = c.max.abs().max(c.min.abs());
    let lambda = if lambda.is_finite() && lambda > 0.0 {
        lambda
    } else {
        1.0
    };
    (LEARNING_RATE_SPAN.0 / lambda, LEARNING_RATE_SPAN.1 / lambda)
}

/// A rate map, filled progressively by [`RateMap::refine`].
pub struct RateMap {
    setup: RateSetup,
    surface: Box<dyn Surface>,
    minima: Vec<Point>,
    grid: Grid,
    /// Some on a quadratic unless the setup asks for runs.
    curvatures: Option<Curvatures>,
    cells: Vec<Option<Rate>>,
    order: Vec<u32>,
    next: usize,
}

/// What the page shows about a map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RateInfo {
    pub method: Accelerated,
    pub empirical: bool,
    pub columns: usize,
    pub rows: usize,
    pub lr: [f64; 2],
    pub momentum: [f64; 2],
    pub done: bool,
    pub computed: usize,
    pub measure: &'static str,
    pub optimum: Option<Optimum>,
}

impl RateMap {
    /// Validates the setup; no cell is computed yet.
    pub fn new(setup: RateSetup) -> Result<RateMap, Error> {
        RateMap::in_view(setup, None)
    }

    /// [`RateMap::new`], with the minima of a surface that searches for them (a
    /// formula) looked for in `view` (see [`surface::from_spec_in`]).
    pub fn in_view(setup: RateSetup, view: Option<ViewBox>) -> Result<RateMap, Error> {
        let surface = surface::from_spec_in(&setup.surface, view)?;
        let start = setup.run.start;
        if start
            .iter()
            .any(|c| !c.is_finite() || c.abs() > DIVERGENCE_BOUND)
        {
            return Err(Error::new(format!(
                "start ({}, {}) must be finite, within ±{DIVERGENCE_BOUND:e}",
                start[0], start[1]
            )));
        }
        if !(1..=MAX_STEPS).contains(&setup.run.steps) {
            return Err(Error::new(format!(
                "steps = {} is out of range; a rate map takes 1 to {MAX_STEPS}",
                setup.run.steps
            )));
        }
        let noise = setup.run.noise.noise;
        if !(noise.is_finite() && noise >= 0.0) {
            return Err(Error::new(format!(
                "gradient noise σ = {noise} must be finite and at least 0"
            )));
        }
        let lr = setup
            .lr
            .unwrap_or_else(|| default_learning_rates(surface.as_ref(), start));
        let momentum = setup.momentum.unwrap_or(MOMENTUM_RANGE);
        let grid = Grid::new(setup.columns, setup.rows, lr, momentum)?;
        let curvatures = (setup.surface.id == "quadratic" && !setup.empirical)
            .then(|| eigenvalues(surface.hessian([0.0, 0.0])));
        Ok(RateMap {
            minima: minima(surface.as_ref()),
            surface,
            cells: vec![None; grid.cells()],
            order: progressive_order(grid.columns, grid.rows),
            next: 0,
            grid,
            curvatures,
            setup,
        })
    }

    pub fn setup(&self) -> &RateSetup {
        &self.setup
    }

    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    pub fn method(&self) -> Accelerated {
        self.setup.method
    }

    /// λ_min and λ_max when the map is in closed form.
    pub fn curvatures(&self) -> Option<Curvatures> {
        self.curvatures
    }

    /// The optimum when the map is in closed form.
    pub fn optimum(&self) -> Option<Optimum> {
        self.curvatures.map(|c| optimum(self.setup.method, c))
    }

    /// The rate at (η, γ), as a cell measures it.
    pub fn rate_at(&self, learning_rate: f64, momentum: f64) -> Rate {
        match self.curvatures {
            Some(c) => Rate::Contraction(closed_form_rate(
                self.setup.method,
                learning_rate,
                momentum,
                c,
            )),
            None => empirical(
                self.surface.as_ref(),
                &self.minima,
                self.setup.method,
                learning_rate,
                momentum,
                &self.setup.run,
            ),
        }
    }

    /// Computes up to `cells` more cells in [`progressive_order`]; true once all are.
    pub fn refine(&mut self, cells: usize) -> bool {
        let end = self.next.saturating_add(cells).min(self.order.len());
        for k in self.next..end {
            let index = self.order[k] as usize;
            let (i, j) = (index % self.grid.columns, index / self.grid.columns);
            self.cells[index] = Some(self.rate_at(self.grid.lr_of(i), self.grid.momentum_of(j)));
        }
        self.next = end;
        self.done()
    }

    pub fn done(&self) -> bool {
        self.next == self.order.len()
    }

    pub fn computed(&self) -> usize {
        self.next
    }

    /// Cell (column i, row j), if computed.
    pub fn cell(&self, i: usize, j: usize) -> Option<Rate> {
        self.cells[j * self.grid.columns + i]
    }

    /// What cell (i, j) shows: its own rate, or while it is pending, that of the cell
    /// covering it ([`shown_cell`]).
    pub fn shown(&self, i: usize, j: usize) -> Option<Rate> {
        let (columns, rows) = (self.grid.columns, self.grid.rows);
        shown_cell(columns, rows, i, j, |k| self.cells[k].is_some()).and_then(|k| self.cells[k])
    }

    /// The sentence that says what a cell's number is.
    pub fn measure(&self) -> &'static str {
        match (self.curvatures, self.minima.is_empty()) {
            (Some(_), _) => {
                "spectral radius of the iteration matrix: the error shrinks by this factor \
                 each step (1 or more: it never converges)"
            }
            (None, false) => {
                "(‖θ_K − θ*‖ / ‖θ₀ − θ*‖)^(1/K): the factor by which the distance to the \
                 nearest minimum shrank per step, on average over the run"
            }
            (None, true) => {
                "(‖∇f(θ_K)‖ / ‖∇f(θ₀)‖)^(1/K): the factor by which the gradient shrank per \
                 step, on average over the run (this surface lists no minimum)"
            }
        }
    }

    pub fn info(&self) -> RateInfo {
        RateInfo {
            method: self.setup.method,
            empirical: self.curvatures.is_none(),
            columns: self.grid.columns,
            rows: self.grid.rows,
            lr: [self.grid.lr.0, self.grid.lr.1],
            momentum: [self.grid.momentum.0, self.grid.momentum.1],
            done: self.done(),
            computed: self.computed(),
            measure: self.measure(),
            optimum: self.optimum(),
        }
    }

    /// `lr,momentum,rate`, then one row per computed cell, row by row from the smallest
    /// momentum, each by increasing η; a diverged cell's rate is `inf`.
    pub fn csv(&self) -> String {
        let mut text = String::from("lr,momentum,rate\n");
        for j in 0..self.grid.rows {
            for i in 0..self.grid.columns {
                if let Some(rate) = self.cell(i, j) {
                    text.push_str(&format!(
                        "{},{},{}\n",
                        number(self.grid.lr_of(i)),
                        number(self.grid.momentum_of(j)),
                        rate.text()
                    ));
                }
            }
        }
        text
    }

    /// The map as `width` × `height` RGBA pixels, top row first (largest γ), each pixel
    /// the colour of the nearest cell as [`RateMap::shown`]; pending cells transparent.
    pub fn rgba(&self, width: usize, height: usize) -> Vec<u8> {
        let nearest = |pixel: usize, pixels: usize, cells: usize| {
            let f = (pixel as f64 + 0.5) / pixels as f64;
            ((f * (cells - 1) as f64).round() as usize).min(cells - 1)
        };
        let columns: Vec<usize> = (0..width)
            .map(|u| nearest(u, width, self.grid.columns))
            .collect();
        // Each cell's colour once, then copied to its pixels.
        let colours: Vec<[u8; 4]> = (0..self.grid.cells())
            .map(|k| rate_colour(self.shown(k % self.grid.columns, k / self.grid.columns)))
            .collect();
        let mut pixels = vec![0; width * height * 4];
        for (v, row) in pixels.chunks_exact_mut(width * 4).enumerate() {
            let j = self.grid.rows - 1 - nearest(v, height, self.grid.rows);
            let colours = &colours[j * self.grid.columns..(j + 1) * self.grid.columns];
            for (pixel, &i) in row.chunks_exact_mut(4).zip(&columns) {
                pixel.copy_from_slice(&colours[i]);
            }
        }
        pixels
    }
}

/// Rates from 1 − 10⁻⁴ to 0 span the colour scale, on the axis t = −log₁₀(1 − r): each
/// tick a tenfold faster approach (0.9, 0.99, 0.999: 10, 100, 1000 steps per decade).
pub const SCALE_DECADES: f64 = 4.0;

/// Where a rate r < 1 sits on the colour scale: 0 at r = 0, 1 at r ≥ 1 − 10⁻⁴.
pub fn rate_unit(rate: f64) -> f64 {
    (-libm::log10(1.0 - rate.clamp(0.0, 1.0)) / SCALE_DECADES).clamp(0.0, 1.0)
}

/// A rate of 1 or more: no progress.
pub const STALLED: [u8; 4] = [205, 205, 205, 255];
/// A diverged run.
pub const DIVERGED: [u8; 4] = [110, 110, 110, 255];

/// A cell's colour: viridis from yellow (fast, r = 0) to dark purple (slow, r → 1), light
/// grey for r ≥ 1, dark grey for a diverged run, transparent while pending.
pub fn rate_colour(rate: Option<Rate>) -> [u8; 4] {
    match rate {
        None => [0, 0, 0, 0],
        Some(Rate::Diverged) => DIVERGED,
        Some(Rate::Contraction(r)) if r >= 1.0 || r.is_nan() => STALLED,
        Some(Rate::Contraction(r)) => {
            let c = colorous::VIRIDIS.eval_continuous(1.0 - rate_unit(r));
            [c.r, c.g, c.b, 255]
        }
    }
}
