//! The weights θ a training run went through, recorded once per epoch, and their principal
//! directions (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets", §7).

use crate::config::Error;
use nalgebra::{DMatrix, SymmetricEigen};

/// At most this many points are kept: enough for a smooth path on the plane, and few enough
/// that the principal directions (an eigen decomposition of points × points) take
/// milliseconds.
pub const MOST: usize = 256;

/// At most this many numbers are kept over all points (8 MiB), so that a large network
/// keeps fewer points: MOST for up to 4096 parameters.
pub const MOST_VALUES: usize = 1 << 20;

/// θ₀ (the weights training started from) and θ after each finished epoch. When the
/// points would exceed their budget, every second one is dropped (θ₀ kept) and from then
/// on only every second epoch of those recorded before is: the points stay evenly spread
/// over the run, `stride` epochs apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    parameters: usize,
    /// The points one after another, each `parameters` long.
    values: Vec<f64>,
    epochs: Vec<usize>,
    /// Epochs between two recorded points.
    stride: usize,
    capacity: usize,
}

/// The top two principal directions of a trajectory, and the share of its variance
/// each explains.
#[derive(Clone, Debug, PartialEq)]
pub struct Pca {
    /// Unit vectors, orthogonal to each other.
    pub directions: [Vec<f64>; 2],
    /// λₖ / Σⱼ λⱼ: each in [0, 1], and their sum at most 1.
    pub explained: [f64; 2],
}

impl Trajectory {
    /// A trajectory starting from θ at `epoch` (0 for the initial weights).
    pub fn new(epoch: usize, theta: &[f64]) -> Trajectory {
        let parameters = theta.len();
        Trajectory {
            parameters,
            values: theta.to_vec(),
            epochs: vec![epoch],
            stride: 1,
            capacity: (MOST_VALUES / parameters.max(1)).clamp(2, MOST),
        }
    }

    /// Records θ at the end of `epoch`, if the stride keeps that epoch; a θ of another
    /// length, or an epoch not after the last recorded one, is ignored.
    pub fn record(&mut self, epoch: usize, theta: &[f64]) {
        let first = self.epochs[0];
        let last = *self.epochs.last().expect("θ₀ is always kept");
        if theta.len() != self.parameters
            || epoch <= last
            || !(epoch - first).is_multiple_of(self.stride)
        {
            return;
        }
        if self.epochs.len() == self.capacity {
            self.thin();
            if !(epoch - first).is_multiple_of(self.stride) {
                return;
            }
        }
        self.values.extend_from_slice(theta);
        self.epochs.push(epoch);
    }

    /// Keeps the points 0, 2, 4, … and doubles the stride.
    fn thin(&mut self) {
        let n = self.parameters;
        let kept = self.epochs.len().div_ceil(2);
        for k in 1..kept {
            self.values.copy_within(2 * k * n..(2 * k + 1) * n, k * n);
            self.epochs[k] = self.epochs[2 * k];
        }
        self.values.truncate(kept * n);
        self.epochs.truncate(kept);
        self.stride *= 2;
    }

    /// The number of recorded points.
    pub fn len(&self) -> usize {
        self.epochs.len()
    }

    /// Never true: θ₀ is always there.
    pub fn is_empty(&self) -> bool {
        self.epochs.is_empty()
    }

    /// How many points are kept at most before thinning, for this network's size.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The recorded points, θ₀ first.
    pub fn points(&self) -> impl ExactSizeIterator<Item = &[f64]> {
        self.values.chunks_exact(self.parameters.max(1))
    }

    /// The epoch of each point.
    pub fn epochs(&self) -> &[usize] {
        &self.epochs
    }

    /// The top two principal directions of θ₀, …, θₜ about θₜ = `current` (the weights
    /// now, added as the last point unless it is the last recorded one), as Li et al.
    /// do: PCA of the rows of M = [θ₀ − θₜ; …; θₜ − θₜ] (centred on their mean, as their
    /// scikit-learn PCA does). With n points of p parameters, n ≪ p, it goes through the
    /// small Gram matrix G = X Xᵀ (n × n) of the centred rows X rather than the p × p
    /// covariance: if G uₖ = λₖ uₖ, then XᵀX (Xᵀuₖ) = λₖ (Xᵀuₖ), so dₖ = Xᵀuₖ / ‖Xᵀuₖ‖
    /// and the share of variance is λₖ / tr G. Each dₖ points from θₜ towards θ₀
    /// ((θ₀ − θₜ)·dₖ ≥ 0), so the path comes in from positive coordinates.
    pub fn pca(&self, current: &[f64]) -> Result<Pca, Error> {
        let n = self.parameters;
        if current.len() != n {
            return Err(Error::new(format!(
                "the trajectory has {n} parameters per point but θ has {}",
                current.len()
            )));
        }
        let last = self.points().last().expect("θ₀ is always kept");
        let mut rows: Vec<&[f64]> = self.points().collect();
        if last != current {
            rows.push(current);
        }
        if rows.len() < 3 {
            return Err(Error::new(format!(
                "the principal directions need weights from 3 epochs or more, not {}: train a little first",
                rows.len()
            )));
        }
        let count = rows.len() as f64;
        let mean: Vec<f64> = (0..n)
            .map(|i| rows.iter().map(|r| r[i]).sum::<f64>() / count)
            .collect();
        let centred = DMatrix::from_fn(rows.len(), n, |k, i| rows[k][i] - mean[i]);
        let gram = &centred * centred.transpose();
        let trace = gram.trace();
        let eigen = SymmetricEigen::new(gram);
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
        let start: Vec<f64> = rows[0].iter().zip(current).map(|(a, b)| a - b).collect();
        let mut directions = [Vec::new(), Vec::new()];
        let mut explained = [0.0; 2];
        for (k, &j) in order.iter().take(2).enumerate() {
            let lambda = eigen.eigenvalues[j].max(0.0);
            // a share this small is rounding: the points span fewer directions than k + 1
            if !(trace > 0.0 && lambda > 1e-12 * trace) {
                return Err(Error::new(format!(
                    "the weights recorded so far lie on {}: there is no principal direction {}",
                    if k == 0 { "one point" } else { "one line" },
                    k + 1
                )));
            }
            let mut d = centred.tr_mul(&eigen.eigenvectors.column(j));
            let norm = d.norm();
            d /= norm;
            if d.iter().zip(&start).map(|(a, b)| a * b).sum::<f64>() < 0.0 {
                d.neg_mut();
            }
            directions[k] = d.as_slice().to_vec();
            explained[k] = lambda / trace;
        }
        Ok(Pca {
            directions,
            explained,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dot(a: &[f64], b: &[f64]) -> f64 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    /// An orthonormal pair u, v in R⁷ that is not along the axes.
    fn pair() -> (Vec<f64>, Vec<f64>) {
        let u: Vec<f64> = [1.0, 2.0, -1.0, 0.5, 3.0, 0.0, -2.0].to_vec();
        let nu = dot(&u, &u).sqrt();
        let u: Vec<f64> = u.iter().map(|x| x / nu).collect();
        let w = [0.3, -1.0, 2.0, 1.0, 0.0, 1.5, 0.7];
        let along = dot(&w, &u);
        let v: Vec<f64> = w.iter().zip(&u).map(|(w, u)| w - along * u).collect();
        let nv = dot(&v, &v).sqrt();
        (u, v.iter().map(|x| x / nv).collect())
    }

    fn point(centre: &[f64], (u, v): &(Vec<f64>, Vec<f64>), a: f64, b: f64) -> Vec<f64> {
        (0..centre.len())
            .map(|i| centre[i] + a * u[i] + b * v[i])
            .collect()
    }

    #[test]
    fn a_trajectory_in_a_plane_has_that_plane_and_its_variances() {
        let centre = [0.5, -1.0, 2.0, 0.0, 1.0, 3.0, -0.5];
        let axes = pair();
        // coordinates (3, 1), (−3, 1), (0, −2), then θₜ = (0, 0): mean 0, no covariance,
        // variances 18 and 6 (shares ¾ and ¼)
        let mut trajectory = Trajectory::new(0, &point(&centre, &axes, 3.0, 1.0));
        trajectory.record(1, &point(&centre, &axes, -3.0, 1.0));
        trajectory.record(2, &point(&centre, &axes, 0.0, -2.0));
        let pca = trajectory.pca(&centre).unwrap();
        for (k, axis) in [&axes.0, &axes.1].into_iter().enumerate() {
            for (d, a) in pca.directions[k].iter().zip(axis) {
                assert!((d - a).abs() < 1e-12, "direction {k}: {d} vs {a}");
            }
        }
        assert!(
            (pca.explained[0] - 0.75).abs() < 1e-12,
            "{:?}",
            pca.explained
        );
        assert!(
            (pca.explained[1] - 0.25).abs() < 1e-12,
            "{:?}",
            pca.explained
        );
        // the current weights, when they are the last point recorded, count once
        trajectory.record(3, &centre);
        assert_eq!(trajectory.pca(&centre).unwrap().explained, pca.explained);
    }

    #[test]
    fn a_random_trajectory_gives_orthonormal_directions_and_shares_at_most_one() {
        let mut state = 1_u64;
        let mut next = move || {
            // a small linear congruential generator: any spread of points will do
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut theta: Vec<f64> = (0..40).map(|_| next()).collect();
        let mut trajectory = Trajectory::new(0, &theta);
        for epoch in 1..30 {
            theta.iter_mut().for_each(|t| *t = 0.9 * *t + 0.1 * next());
            trajectory.record(epoch, &theta);
        }
        let pca = trajectory.pca(&theta).unwrap();
        let [d1, d2] = &pca.directions;
        assert!((dot(d1, d1) - 1.0).abs() < 1e-12);
        assert!((dot(d2, d2) - 1.0).abs() < 1e-12);
        assert!(dot(d1, d2).abs() < 1e-12);
        let [e1, e2] = pca.explained;
        assert!(e1 >= e2 && e2 > 0.0 && e1 + e2 <= 1.0, "{e1} {e2}");
        let start: Vec<f64> = trajectory
            .points()
            .next()
            .unwrap()
            .iter()
            .zip(&theta)
            .map(|(a, b)| a - b)
            .collect();
        assert!(dot(d1, &start) >= 0.0 && dot(d2, &start) >= 0.0);
    }

    #[test]
    fn too_few_points_or_a_line_have_no_second_direction() {
        let centre = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let axes = pair();
        let mut trajectory = Trajectory::new(0, &point(&centre, &axes, 2.0, 0.0));
        let error = trajectory.pca(&centre).unwrap_err().to_string();
        assert!(error.contains("3 epochs or more"), "{error}");
        trajectory.record(1, &point(&centre, &axes, 1.0, 0.0));
        let error = trajectory.pca(&centre).unwrap_err().to_string();
        assert!(error.contains("one line"), "{error}");
        let mut still = Trajectory::new(0, &centre);
        still.record(1, &centre);
        still.record(2, &centre);
        let error = still.pca(&centre).unwrap_err().to_string();
        assert!(error.contains("one point"), "{error}");
        let error = trajectory.pca(&centre[1..]).unwrap_err().to_string();
        assert!(error.contains("7 parameters"), "{error}");
    }

    #[test]
    fn a_long_run_is_thinned_evenly_keeping_the_start() {
        let theta = vec![0.0; MOST_VALUES / 8];
        let mut trajectory = Trajectory::new(0, &theta);
        assert_eq!(trajectory.capacity(), 8);
        for epoch in 1..=40 {
            let theta = vec![epoch as f64; theta.len()];
            trajectory.record(epoch, &theta);
            assert!(trajectory.len() <= 8);
        }
        // 0, 1, …, 7 fill it; at 8 it keeps 0, 2, 4, 6; at 16 0, 4, 8, 12; at 32
        // 0, 8, 16, 24
        assert_eq!(trajectory.epochs(), &[0, 8, 16, 24, 32, 40]);
        for (point, &epoch) in trajectory.points().zip(trajectory.epochs()) {
            assert!(point.iter().all(|&v| v == epoch as f64), "epoch {epoch}");
        }
        // an epoch already recorded, or one of another network, is not recorded again
        trajectory.record(40, &theta);
        trajectory.record(48, &theta[1..]);
        assert_eq!(trajectory.len(), 6);
    }
}
