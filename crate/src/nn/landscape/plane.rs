//! A plane through the weights, θ + a d₁ + b d₂, and the training loss on it,
//! g(a, b) = L_S(θ + a d₁ + b d₂): one forward pass over the training set per point.

use super::direction::Direction;
use super::trajectory::Trajectory;
use crate::config::Error;
use crate::nn::network::{Architecture, Forward, Network, Targets, Task};
use nalgebra::DMatrix;

/// The largest grid side: 257 × 257 points (a power of two and its centre).
pub const MOST_SIDE: usize = 257;

/// A plane through `origin` spanned by two directions that are neither zero nor parallel.
#[derive(Clone, Debug, PartialEq)]
pub struct Plane {
    origin: Vec<f64>,
    directions: [Vec<f64>; 2],
    /// d₁·d₁, d₁·d₂, d₂·d₂: the normal equations of a projection.
    gram: [f64; 3],
    /// Whether d₁, d₂ are orthonormal (within rounding), so that the coordinates of a
    /// point are its dot products with them.
    orthonormal: bool,
    /// The share of the trajectory's variance along each direction, for a principal one.
    explained: [Option<f64>; 2],
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Plane {
    /// The plane through θ = `origin` along d₁, d₂: all three finite and of one length,
    /// each d nonzero, and d₁, d₂ not parallel (|cos ∠(d₁, d₂)| < 1 − 10⁻⁹).
    pub fn new(origin: Vec<f64>, directions: [Vec<f64>; 2]) -> Result<Plane, Error> {
        let n = origin.len();
        for (k, d) in directions.iter().enumerate() {
            if d.len() != n {
                return Err(Error::new(format!(
                    "d{} has {} values but θ has {n}",
                    k + 1,
                    d.len()
                )));
            }
        }
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        if !finite(&origin) || !directions.iter().all(|d| finite(d)) {
            return Err(Error::new("θ and the directions must be finite"));
        }
        let [d1, d2] = &directions;
        let gram = [dot(d1, d1), dot(d1, d2), dot(d2, d2)];
        for (k, norm_squared) in [gram[0], gram[2]].into_iter().enumerate() {
            if !(norm_squared > 0.0 && norm_squared.is_finite()) {
                return Err(Error::new(format!(
                    "d{} is zero: no plane (a random direction filter-normalized to weights that are all zero is zero; choose two weights instead)",
                    k + 1
                )));
            }
        }
        // d₁ ∥ d₂ when d₁·d₂² = ‖d₁‖²‖d₂‖²
        if gram[1] * gram[1] >= (1.0 - 1e-9) * gram[0] * gram[2] {
            return Err(Error::new(
                "d1 and d2 are parallel: they span a line, not a plane; choose two different directions",
            ));
        }
        let orthonormal = (gram[0] - 1.0).abs() <= 1e-12
            && (gram[2] - 1.0).abs() <= 1e-12
            && gram[1].abs() <= 1e-12;
        Ok(Plane {
            origin,
            directions,
            gram,
            orthonormal,
            explained: [None, None],
        })
    }

    /// The plane through θ along the vectors of `directions` for this network
    /// ([`Direction::vector`]); the trajectory is needed for principal directions, whose
    /// PCA is done once for both.
    pub fn through(
        network: &Network,
        theta: &[f64],
        directions: [Direction; 2],
        trajectory: Option<&Trajectory>,
    ) -> Result<Plane, Error> {
        let arch = &network.architecture;
        let principal = directions
            .iter()
            .any(|d| matches!(d, Direction::Pca { .. }));
        let pca = match (principal, trajectory) {
            (true, Some(trajectory)) => Some(trajectory.pca(theta)?),
            _ => None,
        };
        let mut vectors = [Vec::new(), Vec::new()];
        let mut explained = [None, None];
        for (k, direction) in directions.iter().enumerate() {
            match (direction, &pca) {
                (
                    Direction::Pca {
                        component: c @ 1..=2,
                    },
                    Some(pca),
                ) => {
                    vectors[k] = pca.directions[c - 1].clone();
                    explained[k] = Some(pca.explained[c - 1]);
                }
                _ => vectors[k] = direction.vector(arch, theta, trajectory)?,
            }
        }
        let plane = Plane::new(theta.to_vec(), vectors)
            .map_err(|e| Error::new(format!("{} and {}: {e}", directions[0], directions[1])))?;
        Ok(Plane { explained, ..plane })
    }

    /// θ, the centre of the plane.
    pub fn origin(&self) -> &[f64] {
        &self.origin
    }

    /// d₁ and d₂.
    pub fn directions(&self) -> &[Vec<f64>; 2] {
        &self.directions
    }

    /// For a principal direction, the share of the trajectory's variance along it.
    pub fn explained(&self) -> [Option<f64>; 2] {
        self.explained
    }

    /// θ + a d₁ + b d₂ into `out`, θ's length.
    pub fn point_into(&self, [a, b]: [f64; 2], out: &mut [f64]) {
        let [d1, d2] = &self.directions;
        for (((o, t), x), y) in out.iter_mut().zip(&self.origin).zip(d1).zip(d2) {
            *o = t + a * x + b * y;
        }
    }

    /// The coordinates (a, b) of θ′'s nearest point on the plane: with v = θ′ − θ,
    /// (d₁·v, d₂·v) when d₁, d₂ are orthonormal (principal directions, or two weights),
    /// else the least-squares solution of the normal equations
    /// [d₁·d₁ d₁·d₂; d₁·d₂ d₂·d₂] (a, b)ᵀ = (d₁·v, d₂·v)ᵀ (by Cramer's rule; the
    /// determinant is positive since d₁, d₂ are not parallel).
    pub fn project(&self, theta: &[f64]) -> Result<[f64; 2], Error> {
        if theta.len() != self.origin.len() {
            return Err(Error::new(format!(
                "θ has {} values but the plane's {}",
                theta.len(),
                self.origin.len()
            )));
        }
        let [d1, d2] = &self.directions;
        let along = |d: &[f64]| -> f64 {
            theta
                .iter()
                .zip(&self.origin)
                .zip(d)
                .map(|((t, o), d)| (t - o) * d)
                .sum()
        };
        let (r1, r2) = (along(d1), along(d2));
        if self.orthonormal {
            return Ok([r1, r2]);
        }
        let [g11, g12, g22] = self.gram;
        let determinant = g11 * g22 - g12 * g12;
        Ok([
            (g22 * r1 - g12 * r2) / determinant,
            (g11 * r2 - g12 * r1) / determinant,
        ])
    }

    /// The recorded trajectory on the plane: each point's epoch and coordinates.
    pub fn path(&self, trajectory: &Trajectory) -> Result<Vec<(usize, [f64; 2])>, Error> {
        trajectory
            .epochs()
            .iter()
            .zip(trajectory.points())
            .map(|(&epoch, theta)| Ok((epoch, self.project(theta)?)))
            .collect()
    }
}

/// The N × N points of a square grid over [−A, A] × [−B, B], both ends included (so the
/// centre (0, 0) is a point when N is odd).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub span: [f64; 2],
    pub side: usize,
}

impl Grid {
    /// A span A, B > 0 and finite, and a side N of 2 to [`MOST_SIDE`].
    pub fn new(span: [f64; 2], side: usize) -> Result<Grid, Error> {
        for (name, s) in ["a", "b"].into_iter().zip(span) {
            if !(s.is_finite() && s > 0.0) {
                return Err(Error::new(format!(
                    "the span of {name} is {s}; it must be a finite number > 0"
                )));
            }
        }
        if !(2..=MOST_SIDE).contains(&side) {
            return Err(Error::new(format!(
                "a grid of {side} × {side} points is out of range; the side must be 2 to {MOST_SIDE}"
            )));
        }
        Ok(Grid { span, side })
    }

    /// The k-th of the N values from −s to s: −s + 2sk/(N − 1).
    pub fn value(&self, axis: usize, k: usize) -> f64 {
        let s = self.span[axis];
        if k + 1 == self.side {
            return s;
        }
        -s + 2.0 * s * k as f64 / (self.side - 1) as f64
    }

    /// Every point, a varying fastest: (a_i, b_j) at index j N + i.
    pub fn points(&self) -> Vec<[f64; 2]> {
        (0..self.side)
            .flat_map(|j| (0..self.side).map(move |i| [self.value(0, i), self.value(1, j)]))
            .collect()
    }
}

/// Whether `x` and `targets` are a training set the network can be evaluated on: as
/// many inputs as its first layer takes, one target per sample, of the kind its output
/// predicts.
pub fn check_fit(arch: &Architecture, x: &DMatrix<f64>, targets: &Targets) -> Result<(), Error> {
    if x.nrows() != arch.inputs() {
        return Err(Error::new(format!(
            "the data has {} inputs but the network takes {}",
            x.nrows(),
            arch.inputs()
        )));
    }
    if x.ncols() == 0 {
        return Err(Error::new("the data has no samples"));
    }
    if targets.len() != x.ncols() {
        return Err(Error::new(format!(
            "the data has {} samples but {} targets",
            x.ncols(),
            targets.len()
        )));
    }
    let fits = match (targets, arch.task()) {
        (Targets::Classes(y), Task::Classes(k)) => y.iter().all(|&c| c < k),
        (Targets::Binary(y), Task::Binary) => y.iter().all(|&c| c == 0.0 || c == 1.0),
        (Targets::Values(y), task) => task.values() == Some(y.nrows()),
        _ => false,
    };
    if !fits {
        return Err(Error::new(format!(
            "the data's targets do not fit the network's output ({:?})",
            arch.task()
        )));
    }
    Ok(())
}

/// Whether `plane` lies in the parameter space of `network`.
fn fits(network: &Network, plane: &Plane) -> Result<(), Error> {
    let count = network.architecture.parameter_count();
    if plane.origin.len() != count {
        return Err(Error::new(format!(
            "the plane lies in {} dimensions but the network has {count} parameters",
            plane.origin.len()
        )));
    }
    Ok(())
}

/// g(a, b) = L_S(θ + a d₁ + b d₂) on a training set S: the full training loss, mean data
/// term plus λ Σ‖W‖², exactly as training reports it ([`Network::loss`]), with the
/// buffers of the pass kept from point to point.
#[derive(Clone, Debug)]
pub struct PlaneLoss {
    network: Network,
    x: DMatrix<f64>,
    targets: Targets,
    plane: Plane,
    shifted: Vec<f64>,
    forward: Forward,
}

impl PlaneLoss {
    /// The loss of `network` on (`x`, `targets`) over `plane`, which must lie in this
    /// network's parameter space.
    pub fn new(
        network: Network,
        x: DMatrix<f64>,
        targets: Targets,
        plane: Plane,
    ) -> Result<PlaneLoss, Error> {
        check_fit(&network.architecture, &x, &targets)?;
        fits(&network, &plane)?;
        Ok(PlaneLoss {
            shifted: vec![0.0; plane.origin.len()],
            network,
            x,
            targets,
            plane,
            forward: Forward::default(),
        })
    }

    /// Moves to another plane of the same network and data (as training moves θ).
    pub fn set_plane(&mut self, plane: Plane) -> Result<(), Error> {
        fits(&self.network, &plane)?;
        self.plane = plane;
        Ok(())
    }

    pub fn plane(&self) -> &Plane {
        &self.plane
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    /// g(a, b); +∞ where the network's numbers overflow.
    pub fn loss(&mut self, point: [f64; 2]) -> f64 {
        self.plane.point_into(point, &mut self.shifted);
        let theta = &self.shifted;
        self.network.forward_into(theta, &self.x, &mut self.forward);
        let loss = self.network.data_loss(&self.forward, &self.targets)
            + self.network.regularization(theta);
        if loss.is_nan() {
            f64::INFINITY
        } else {
            loss
        }
    }

    /// g at each of `points`, into `out` (cleared first).
    pub fn losses(&mut self, points: &[[f64; 2]], out: &mut Vec<f64>) {
        out.clear();
        out.extend(points.iter().map(|&p| self.loss(p)));
    }
}
