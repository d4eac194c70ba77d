//! A slice of a real network's loss landscape, as a surface: the training loss on the
//! plane through trained weights θ spanned by two directions d₁, d₂ of parameter space,
//!
//! g(a, b) = L_S(θ + a d₁ + b d₂),
//!
//! with L_S the full loss the network trains on (the mean data loss over the training
//! set S and λ Σ‖W‖²), as the network lab's landscape view draws it
//! ([`crate::nn::landscape`]). By the chain rule its derivatives are the network's,
//! projected:
//!
//! ∇g = (d₁ · ∇L_S, d₂ · ∇L_S),   ∇²g = [[d₁ᵀHd₁, d₁ᵀHd₂], [d₂ᵀHd₁, d₂ᵀHd₂]],
//!
//! ∇L_S by backprop and H dᵢ, the Hessian of L_S times dᵢ, exactly by forward-mode
//! differentiation through backprop ([`crate::nn::curvature`]). Every optimizer of the lab
//! then runs on the landscape of a network that was trained.
//!
//! Which network, data, weights and directions: [`crate::lab::slice`] rebuilds them from
//! the definition that travels in a link. Here the [`Landscape`] is given.

use super::{CriticalPoint, Hessian, Point, Surface, ViewBox};
use crate::config::Error;
use crate::nn::curvature;
use crate::nn::landscape::plane::check_fit;
use crate::nn::landscape::{Plane, PlaneLoss};
use crate::nn::network::{Backward, Forward, Network, Targets};
use crate::run::GRADIENT_TOLERANCE;
use nalgebra::DMatrix;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

/// The surface kind in a spec: `slice:{…}`, the definition ([`crate::lab::slice`]) as one
/// verbatim parameter.
pub const ID: &str = "slice";

/// What one map of a slice may cost — heatmap, contours or 3-D mesh, each one forward
/// pass over the training set per sample — in the units of [`evaluation_cost`]: about
/// 100 ms at the pace the page trains at (the bench's 2-8-8-2 tanh network, batch 10,
/// 220,000 updates a second, an update counted as three passes: about 10⁹ units a
/// second).
pub const MAP_BUDGET: usize = 100_000_000;

/// The fewest samples a side a map of a slice takes, however costly the network: a
/// coarser map would show no shape.
pub const FEWEST_SAMPLES: usize = 8;

/// The cost of one value of g, a forward pass of `network` over `samples` samples:
/// per sample, a multiply-add per weight and four per unit (its activation, and the
/// output's loss), which the passes' measured times follow within a factor of two
/// from 2-4-2 to 2-16-16-3 networks.
pub fn evaluation_cost(network: &Network, samples: usize) -> usize {
    let per_sample: usize = network
        .architecture
        .layers
        .iter()
        .map(|l| l.inputs * l.outputs + 4 * l.outputs)
        .sum();
    per_sample * samples
}

/// Newton's steps from θ in search of the stationary point near it: from close by it
/// converges quadratically, in a handful.
pub const NEWTON_STEPS: usize = 20;

/// A network, its training set and a plane through its weights: what a slice shows,
/// shared by every [`Slice`] of it (another view, another start).
#[derive(Clone, Debug)]
pub struct Landscape {
    network: Network,
    x: DMatrix<f64>,
    targets: Targets,
    plane: Plane,
    /// The stationary point found near θ, searched for once ([`Slice::critical_points`]).
    critical: OnceCell<Option<CriticalPoint>>,
}

impl Landscape {
    /// The loss of `network` on the samples `x` (one column each, as the network
    /// receives them) with `targets`, over `plane`: an error unless the data fit the
    /// network and the plane lies in its parameter space.
    pub fn new(
        network: Network,
        x: DMatrix<f64>,
        targets: Targets,
        plane: Plane,
    ) -> Result<Landscape, Error> {
        check_fit(&network.architecture, &x, &targets)?;
        for d in plane.directions() {
            curvature::check(&network.architecture, plane.origin(), &x, &targets, d)?;
        }
        Ok(Landscape {
            network,
            x,
            targets,
            plane,
            critical: OnceCell::new(),
        })
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The plane: θ, d₁ and d₂.
    pub fn plane(&self) -> &Plane {
        &self.plane
    }

    /// The training set, as the network receives it, and its targets.
    pub fn data(&self) -> (&DMatrix<f64>, &Targets) {
        (&self.x, &self.targets)
    }

    /// The cost of one value of g ([`evaluation_cost`]): a forward pass over the
    /// training set.
    pub fn cost(&self) -> usize {
        evaluation_cost(&self.network, self.x.ncols())
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// g on a [`Landscape`], shown over `view` and started from `start`.
pub struct Slice {
    landscape: Rc<Landscape>,
    view: ViewBox,
    start: Point,
    scratch: RefCell<Scratch>,
}

/// What the passes reuse, and g with ∇g at the last point whose gradient was asked
/// for: a run asks for the gradient at an iterate twice (whether it is stationary, then
/// the step) and for g there once more.
struct Scratch {
    /// g as the landscape view computes it.
    loss: PlaneLoss,
    weights: Vec<f64>,
    forward: Forward,
    backward: Backward,
    last: Option<(Point, f64, Point)>,
}

impl Slice {
    /// g on `landscape` over `view`, from `start`. The landscape is shared: a slice
    /// rebuilt for another view or start keeps its network and data.
    pub fn new(landscape: Rc<Landscape>, view: ViewBox, start: Point) -> Result<Slice, Error> {
        let loss = PlaneLoss::new(
            landscape.network.clone(),
            landscape.x.clone(),
            landscape.targets.clone(),
            landscape.plane.clone(),
        )?;
        let weights = vec![0.0; landscape.plane.origin().len()];
        Ok(Slice {
            landscape,
            view,
            start,
            scratch: RefCell::new(Scratch {
                loss,
                weights,
                forward: Forward::default(),
                backward: Backward::default(),
                last: None,
            }),
        })
    }

    pub fn landscape(&self) -> &Landscape {
        &self.landscape
    }

    /// g(p) and ∇g(p) by one forward and one backward pass, remembered for p.
    fn value_and_gradient(&self, p: Point) -> (f64, Point) {
        let mut scratch = self.scratch.borrow_mut();
        if let Some((at, value, gradient)) = scratch.last {
            if at == p {
                return (value, gradient);
            }
        }
        let Scratch {
            weights,
            forward,
            backward,
            ..
        } = &mut *scratch;
        let l = &self.landscape;
        l.plane.point_into(p, weights);
        let loss = l
            .network
            .loss_and_gradient_into(weights, &l.x, &l.targets, forward, backward);
        let [d1, d2] = l.plane.directions();
        let gradient = [dot(d1, &backward.gradient), dot(d2, &backward.gradient)];
        // As the landscape view's g: +∞ where the network's numbers overflow.
        let value = match loss.total() {
            v if v.is_nan() => f64::INFINITY,
            v => v,
        };
        scratch.last = Some((p, value, gradient));
        (value, gradient)
    }

    /// The point Newton's method p ← p − (∇²g)⁻¹∇g reaches from θ, (0, 0), within
    /// [`NEWTON_STEPS`] steps, if ‖∇g‖ < [`GRADIENT_TOLERANCE`] there (the runs' own
    /// test of a stationary point): a minimum if ∇²g is positive definite there, a
    /// saddle if it is indefinite. Where training converged, the minimum it found; where
    /// Newton does not converge, or stops on a maximum or a degenerate point, nothing.
    fn stationary_near_theta(&self) -> Option<CriticalPoint> {
        let mut p = [0.0, 0.0];
        for _ in 0..NEWTON_STEPS {
            let [gx, gy] = self.gradient(p);
            let [[a, b], [_, d]] = self.hessian(p);
            let det = a * d - b * b;
            if gx.hypot(gy) < GRADIENT_TOLERANCE {
                return match (det > 0.0 && a + d > 0.0, det < 0.0) {
                    (true, _) => Some(CriticalPoint::minimum(p[0], p[1])),
                    (_, true) => Some(CriticalPoint::saddle(p[0], p[1])),
                    _ => None,
                };
            }
            p = [
                p[0] - (d * gx - b * gy) / det,
                p[1] - (a * gy - b * gx) / det,
            ];
            if !(p[0].is_finite() && p[1].is_finite()) {
                return None;
            }
        }
        None
    }
}

impl Surface for Slice {
    /// L_S(θ + a d₁ + b d₂): one forward pass over the training set.
    fn value(&self, p: Point) -> f64 {
        let mut scratch = self.scratch.borrow_mut();
        match scratch.last {
            Some((at, value, _)) if at == p => value,
            _ => scratch.loss.loss(p),
        }
    }

    fn values(&self, points: &[Point], values: &mut [f64]) {
        let mut scratch = self.scratch.borrow_mut();
        for (v, &p) in values.iter_mut().zip(points) {
            *v = scratch.loss.loss(p);
        }
    }

    /// (d₁ · ∇L_S, d₂ · ∇L_S), ∇L_S by backprop.
    fn gradient(&self, p: Point) -> Point {
        self.value_and_gradient(p).1
    }

    /// dᵢᵀ H dⱼ from the exact products H d₁ and H d₂; the two off-diagonal entries,
    /// equal but for rounding, are averaged so that the matrix is symmetric.
    fn hessian(&self, p: Point) -> Hessian {
        let l = &self.landscape;
        let mut weights = vec![0.0; l.plane.origin().len()];
        l.plane.point_into(p, &mut weights);
        let [d1, d2] = l.plane.directions();
        let product = |d: &[f64]| {
            curvature::hessian_vector_product(&l.network, &weights, &l.x, &l.targets, d)
        };
        match (product(d1), product(d2)) {
            (Ok(h1), Ok(h2)) => {
                let across = 0.5 * (dot(d2, &h1) + dot(d1, &h2));
                [[dot(d1, &h1), across], [across, dot(d2, &h2)]]
            }
            // `Landscape::new` checked every size, so the products are always there.
            _ => [[f64::NAN; 2]; 2],
        }
    }

    fn view(&self) -> ViewBox {
        self.view
    }

    fn start(&self) -> Point {
        self.start
    }

    /// The stationary point Newton's method finds from θ, (0, 0), if it finds one
    /// ([`Slice::stationary_near_theta`]): a minimum where training converged; nothing
    /// else is claimed.
    fn critical_points(&self) -> Vec<CriticalPoint> {
        self.landscape
            .critical
            .get_or_init(|| self.stationary_near_theta())
            .iter()
            .copied()
            .collect()
    }

    /// As many a side as [`MAP_BUDGET`] affords forward passes over the training set,
    /// at least [`FEWEST_SAMPLES`].
    fn samples(&self) -> Option<usize> {
        let points = MAP_BUDGET / self.landscape.cost().max(1);
        Some(((points as f64).sqrt() as usize).max(FEWEST_SAMPLES))
    }
}
