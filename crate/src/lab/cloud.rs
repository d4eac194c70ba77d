//! A cloud of noisy runs: with gradient noise σ > 0 one run is one draw of a random
//! path, and N runs from the same start, differing only in their noise's seed, show
//! how far the method's answer spreads. Per method, the cloud's mean path and, per step,
//! the median loss and the band between the quartiles summarize it.

use crate::run::Trajectory;
use crate::surface::Point;

/// The most runs a cloud holds per optimizer.
pub const MOST_RUNS: usize = 100;

/// The quantiles the loss chart's band spans: the interquartile range, 25 % to 75 %.
pub const BAND: (f64, f64) = (0.25, 0.75);

/// The noise seed of run `j` of a cloud whose lab seed is `seed`: seed + j·2³². Run 0
/// is the lab's own run (the same seed, so the bold path is one of the cloud); the lab
/// seeds stay below 2³² (`LIMITS.seed`), so no two (seed, j) pairs share a seed and the
/// clouds of neighbouring seeds share no run. Every seed is expanded by SplitMix64 into
/// xoshiro256++'s state (see `optim::Noisy`), so nearby seeds give unrelated noise.
pub fn run_seed(seed: u64, j: usize) -> u64 {
    seed.wrapping_add((j as u64) << 32)
}

/// The q-quantile of `sorted` (ascending, non-empty) by linear interpolation between
/// order statistics (Hyndman and Fan's type 7, numpy's default): at h = (n − 1)q,
/// x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋₊₁₎ − x₍⌊h⌋₎).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let below = h.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    sorted[below] + (h - below as f64) * (sorted[above] - sorted[below])
}

/// What a method's cloud shows beside its runs, per step k.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// The mean of θ_k over the runs still alive at k.
    pub mean: Vec<Point>,
    /// The [`BAND`]'s lower quantile, the median and the upper quantile of f(θ_k) over
    /// the runs still alive at k.
    pub lower: Vec<f64>,
    pub median: Vec<f64>,
    pub upper: Vec<f64>,
}

/// The mean path and loss quantiles of `runs`. A run is alive at step k while it has an
/// iterate k: one that diverged at update d leaves from k = d on (its last finite
/// iterate is not carried forward, which would freeze it on screen), one stopped
/// because ∇f vanished leaves after its last iterate. The summary stops where the last
/// run does.
pub fn summarize(runs: &[Trajectory]) -> Summary {
    let length = runs.iter().map(|t| t.points.len()).max().unwrap_or(0);
    let mut summary = Summary::default();
    let mut losses = Vec::with_capacity(runs.len());
    for k in 0..length {
        let alive: Vec<&Trajectory> = runs.iter().filter(|t| t.points.len() > k).collect();
        let n = alive.len() as f64;
        let (sx, sy) = alive.iter().fold((0.0, 0.0), |(sx, sy), t| {
            (sx + t.points[k][0], sy + t.points[k][1])
        });
        summary.mean.push([sx / n, sy / n]);
        losses.clear();
        losses.extend(alive.iter().map(|t| t.losses[k]));
        losses.sort_by(f64::total_cmp);
        summary.lower.push(quantile(&losses, BAND.0));
        summary.median.push(quantile(&losses, 0.5));
        summary.upper.push(quantile(&losses, BAND.1));
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Status;

    fn run(points: &[Point], losses: &[f64], status: Status) -> Trajectory {
        Trajectory {
            points: points.to_vec(),
            losses: losses.to_vec(),
            status,
        }
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        // numpy.quantile([1, 2, 4, 10], [0.25, 0.5, 0.75]) = [1.75, 3, 5.5].
        let sorted = [1.0, 2.0, 4.0, 10.0];
        assert_eq!(quantile(&sorted, 0.25), 1.75);
        assert_eq!(quantile(&sorted, 0.5), 3.0);
        assert_eq!(quantile(&sorted, 0.75), 5.5);
        assert_eq!(
            (quantile(&sorted, 0.0), quantile(&sorted, 1.0)),
            (1.0, 10.0)
        );
        assert_eq!(quantile(&[7.0], 0.25), 7.0);
    }

    #[test]
    fn the_mean_path_and_quantiles_count_only_the_runs_alive() {
        let runs = [
            run(
                &[[0.0, 0.0], [1.0, 2.0], [2.0, 2.0]],
                &[5.0, 4.0, 1.0],
                Status::Running,
            ),
            run(
                &[[0.0, 0.0], [3.0, 0.0]],
                &[5.0, 10.0],
                Status::Diverged { step: 2 },
            ),
            run(
                &[[0.0, 0.0], [2.0, 1.0], [4.0, 0.0]],
                &[5.0, 1.0, 3.0],
                Status::Running,
            ),
        ];
        let s = summarize(&runs);
        assert_eq!(s.mean, [[0.0, 0.0], [2.0, 1.0], [3.0, 1.0]]);
        // Step 1: losses 1, 4, 10; step 2: the diverged run has left, 1 and 3.
        assert_eq!(s.median, [5.0, 4.0, 2.0]);
        assert_eq!(s.lower, [5.0, 2.5, 1.5]);
        assert_eq!(s.upper, [5.0, 7.0, 2.5]);
        assert_eq!(summarize(&[]), Summary::default());
    }

    #[test]
    fn run_zero_keeps_the_lab_s_seed_and_no_two_runs_share_one() {
        assert_eq!(run_seed(42, 0), 42);
        let seeds: std::collections::BTreeSet<u64> = [0, 1, u32::MAX as u64]
            .iter()
            .flat_map(|&s| (0..MOST_RUNS).map(move |j| run_seed(s, j)))
            .collect();
        assert_eq!(seeds.len(), 3 * MOST_RUNS);
    }
}
