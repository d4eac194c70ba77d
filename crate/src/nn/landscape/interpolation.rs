//! The loss along the straight line between two weights, (1 − t)θ₀ + tθ₁ for t in
//! [−0.5, 1.5] (Goodfellow, Vinyals & Saxe 2015, "Qualitatively characterizing neural
//! network optimization problems"): from the initial weights to the trained ones it
//! usually falls smoothly, with no bump in between.

use super::plane::check_fit;
use crate::config::Error;
use crate::nn::network::{Forward, Network, Targets};
use crate::nn::train::metrics;
use nalgebra::DMatrix;

/// The largest number of steps along the line.
pub const MOST_STEPS: usize = 1001;

/// The first and last t: half the segment beyond each end.
pub const T_RANGE: [f64; 2] = [-0.5, 1.5];

/// One point of the line.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Interpolated {
    pub t: f64,
    /// The full training loss, data term and λ Σ‖W‖², as training reports it; +∞ where
    /// the network's numbers overflow.
    pub loss: f64,
    /// The share of samples classified right, for a classification task.
    pub accuracy: Option<f64>,
}

/// L_S and the accuracy at (1 − t)`from` + t`to` for `steps` values of t evenly spread
/// over [−0.5, 1.5], both ends included.
pub fn interpolate(
    network: &Network,
    x: &DMatrix<f64>,
    targets: &Targets,
    [from, to]: [&[f64]; 2],
    steps: usize,
) -> Result<Vec<Interpolated>, Error> {
    check_fit(&network.architecture, x, targets)?;
    let count = network.architecture.parameter_count();
    for (name, theta) in [("the first", from), ("the second", to)] {
        if theta.len() != count {
            return Err(Error::new(format!(
                "{name} weights have {} values but the network has {count} parameters",
                theta.len()
            )));
        }
    }
    if !(2..=MOST_STEPS).contains(&steps) {
        return Err(Error::new(format!(
            "{steps} steps is out of range; it must be 2 to {MOST_STEPS}"
        )));
    }
    let [low, high] = T_RANGE;
    let (mut theta, mut forward) = (vec![0.0; count], Forward::default());
    Ok((0..steps)
        .map(|k| {
            let t = if k + 1 == steps {
                high
            } else {
                low + (high - low) * k as f64 / (steps - 1) as f64
            };
            for ((p, a), b) in theta.iter_mut().zip(from).zip(to) {
                *p = (1.0 - t) * a + t * b;
            }
            let m = metrics(network, &theta, x, targets, &mut forward);
            let loss = m.loss();
            Interpolated {
                t,
                loss: if loss.is_nan() { f64::INFINITY } else { loss },
                accuracy: m.accuracy,
            }
        })
        .collect())
}
