//! Inside training, layer by layer: how large each update's gradient is beside the
//! weights it moves, ‖∇Wˡ L_B‖ / ‖Wˡ‖ (Frobenius norms), and how many hidden units no
//! longer pass a gradient back.
//!
//! Backprop multiplies ∇zˡ⁻¹ l = ((Wˡ)ᵀ ∇zˡ l) ⊙ g′(zˡ⁻¹) layer after layer, from the
//! output down. Where g′ is small the gradient that reaches the first layers shrinks
//! geometrically with depth: sigm′ = h(1 − h) ≤ ¼ everywhere, and ≈ 0 where a sigmoid or
//! tanh unit is saturated (its h near a bound); relu′ = 1_{z>0} is 0 for a unit that is
//! never positive, which then never learns again ("dead"). The ratio shows the first,
//! the fractions the second.

use super::network::{Architecture, Forward};
use super::values::LayerValues;
use super::Activation;
use serde::Serialize;
use std::ops::Range;
use wide::f64x2;

/// A sigmoid or tanh output is saturated within this distance of a bound (0 or 1 for
/// the sigmoid, −1 or 1 for tanh): there sigm′ = h(1 − h) < 0.0099 and
/// tanh′ = 1 − h² < 0.0199.
pub const SATURATION: f64 = 0.01;

/// One layer in one epoch. Biases are left out of both norms, as the L2 term leaves
/// them out: they start at zero, where a ratio to their norm has no meaning.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LayerRecord {
    /// The mean over the epoch's updates of ‖∇Wˡ L_B(θ)‖_F: the gradient the optimizer
    /// received (the L2 term's 2λWˡ included), at the θ it was taken at (Nesterov's
    /// look-ahead point). None before any update, and where it is not finite.
    pub gradient_norm: Option<f64>,
    /// The mean over the same updates of ‖Wˡ‖_F at that θ; before any update, ‖Wˡ‖ of
    /// the initial weights.
    pub weight_norm: f64,
    /// The mean over the epoch's updates of ‖∇Wˡ L_B‖ / ‖Wˡ‖: for SGD, the relative
    /// change an update makes to Wˡ, over η. An update where ‖Wˡ‖ = 0 (zero init) has no
    /// ratio and is left out of the mean; None when no update had one, and before any
    /// update.
    pub ratio: Option<f64>,
    /// A sigmoid or tanh hidden layer's share of its outputs hˡ on the training set,
    /// over every (unit, sample) pair, within [`SATURATION`] of a bound.
    pub saturated: Option<f64>,
    /// A ReLU hidden layer's share of its units that are positive on no training
    /// sample: relu′ = 0 on every sample, so no gradient reaches their weights.
    pub dead: Option<f64>,
}

/// Every layer's record for one epoch, epoch 0 being the initial weights.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerEpoch {
    pub epoch: usize,
    /// From the first hidden layer to the output layer.
    pub layers: Vec<LayerRecord>,
}

/// ‖∇Wˡ‖ and ‖Wˡ‖ of every layer, summed over an epoch's updates: O(parameters) per
/// update.
#[derive(Clone, Debug, Default)]
pub struct GradientFlow {
    /// Where each layer's Wˡ lies in θ.
    weights: Vec<Range<usize>>,
    /// (‖∇Wˡ‖, ‖Wˡ‖) of the gradient measured last, per layer.
    last: Vec<(f64, f64)>,
    sums: Vec<FlowSums>,
    updates: usize,
}

#[derive(Clone, Copy, Debug, Default)]
struct FlowSums {
    gradient: f64,
    weights: f64,
    ratio: f64,
    /// The updates that had a ratio (‖Wˡ‖ > 0).
    ratios: usize,
}

/// (‖g‖₂, ‖w‖₂) of two slices of one length, in one pass: each sum of squares in two
/// pairs of lanes, so that the additions do not wait on one another. It runs on every
/// update, where nalgebra's `norm` called twice takes twice as many instructions.
fn norms(g: &[f64], w: &[f64]) -> (f64, f64) {
    let mut sums = [f64x2::ZERO; 4];
    let (g_blocks, w_blocks) = (g.chunks_exact(4), w.chunks_exact(4));
    let rest = |blocks: &std::slice::ChunksExact<f64>| -> f64 {
        blocks.remainder().iter().map(|v| v * v).sum()
    };
    let (g_rest, w_rest) = (rest(&g_blocks), rest(&w_blocks));
    for (g, w) in g_blocks.zip(w_blocks) {
        let pair = |v: &[f64], k: usize| f64x2::new([v[k], v[k + 1]]);
        let (g0, g1, w0, w1) = (pair(g, 0), pair(g, 2), pair(w, 0), pair(w, 2));
        sums[0] += g0 * g0;
        sums[1] += g1 * g1;
        sums[2] += w0 * w0;
        sums[3] += w1 * w1;
    }
    let total = |a: f64x2, b: f64x2, rest: f64| {
        let [even, odd] = (a + b).to_array();
        (even + odd + rest).sqrt()
    };
    (
        total(sums[0], sums[1], g_rest),
        total(sums[2], sums[3], w_rest),
    )
}

impl GradientFlow {
    pub fn new(architecture: &Architecture) -> GradientFlow {
        let layers = architecture.layers.len();
        GradientFlow {
            weights: (0..layers)
                .map(|l| {
                    let (w, b) = architecture.offsets(l);
                    w..b
                })
                .collect(),
            last: vec![(0.0, 0.0); layers],
            sums: vec![FlowSums::default(); layers],
            updates: 0,
        }
    }

    /// Measures ‖∇Wˡ‖ and ‖Wˡ‖ of a gradient taken at θ.
    pub fn measure(&mut self, theta: &[f64], gradient: &[f64]) {
        for (last, range) in self.last.iter_mut().zip(&self.weights) {
            *last = norms(&gradient[range.clone()], &theta[range.clone()]);
        }
    }

    /// Counts the gradient measured last in the epoch: its update was applied.
    pub fn accept(&mut self) {
        for (sums, &(gradient, weights)) in self.sums.iter_mut().zip(&self.last) {
            sums.gradient += gradient;
            sums.weights += weights;
            if weights > 0.0 {
                sums.ratio += gradient / weights;
                sums.ratios += 1;
            }
        }
        self.updates += 1;
    }

    /// Per layer, the epoch's means (gradient norm, weight norm, ratio), ‖Wˡ‖ at θ when
    /// there was no update; then starts the next epoch.
    fn finish(&mut self, theta: &[f64]) -> Vec<(Option<f64>, f64, Option<f64>)> {
        let finite = |v: f64| Some(v).filter(|v| v.is_finite());
        let updates = self.updates as f64;
        let means = self
            .sums
            .iter()
            .zip(&self.weights)
            .map(|(sums, range)| match self.updates {
                0 => (
                    None,
                    norms(&theta[range.clone()], &theta[range.clone()]).1,
                    None,
                ),
                _ => (
                    finite(sums.gradient / updates),
                    sums.weights / updates,
                    (sums.ratios > 0)
                        .then(|| sums.ratio / sums.ratios as f64)
                        .and_then(finite),
                ),
            })
            .collect();
        self.sums.fill(FlowSums::default());
        self.updates = 0;
        means
    }
}

/// What one hidden layer's outputs did on the training set.
#[derive(Clone, Debug, PartialEq)]
enum Units {
    /// sigmoid (bounds 0 and 1) or tanh (−1 and 1): the (unit, sample) values within
    /// [`SATURATION`] of a bound, of how many.
    Bounded {
        lower: f64,
        saturated: usize,
        values: usize,
    },
    /// relu: whether each unit was positive on some sample, of how many samples.
    Rectified { positive: Vec<bool>, samples: usize },
    /// identity (and the output layer): nothing to count.
    Unbounded,
}

/// The hidden units' saturation or death, counted over the forward passes of the
/// end-of-epoch evaluation on the training set, slice after slice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitActivity {
    layers: Vec<Units>,
}

impl UnitActivity {
    pub fn new(architecture: &Architecture) -> UnitActivity {
        let hidden = architecture.layers.len() - 1;
        let layers = architecture
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| match layer.activation {
                _ if l == hidden => Units::Unbounded,
                Activation::Sigmoid | Activation::Tanh => Units::Bounded {
                    lower: if layer.activation == Activation::Sigmoid {
                        0.0
                    } else {
                        -1.0
                    },
                    saturated: 0,
                    values: 0,
                },
                Activation::Relu => Units::Rectified {
                    positive: vec![false; layer.outputs],
                    samples: 0,
                },
                _ => Units::Unbounded,
            })
            .collect();
        UnitActivity { layers }
    }

    /// Counts the hidden outputs hˡ of a forward pass (`post[l + 1]` for layer l).
    pub fn observe(&mut self, forward: &Forward) {
        for (units, h) in self.layers.iter_mut().zip(&forward.post[1..]) {
            match units {
                Units::Bounded {
                    lower,
                    saturated,
                    values,
                } => {
                    // Within SATURATION of lower or 1: farther than the half-width less
                    // SATURATION from the middle (h < 0.01 or h > 0.99 for the sigmoid,
                    // up to the rounding of h − ½ and 0.49).
                    let half = 0.5 * (1.0 - *lower);
                    *saturated += count_outside(h, *lower + half, half - SATURATION);
                    *values += h.units() * h.samples();
                }
                Units::Rectified { positive, samples } => {
                    mark_positive(h, positive);
                    *samples += h.samples();
                }
                Units::Unbounded => {}
            }
        }
    }

    /// Per layer, (saturated, dead) as [`LayerRecord`] has them, of what was observed
    /// since the last call; then starts again.
    fn finish(&mut self) -> Vec<(Option<f64>, Option<f64>)> {
        self.layers
            .iter_mut()
            .map(|units| match units {
                Units::Bounded {
                    saturated, values, ..
                } => {
                    let share = (*values > 0).then(|| *saturated as f64 / *values as f64);
                    (*saturated, *values) = (0, 0);
                    (share, None)
                }
                Units::Rectified { positive, samples } => {
                    let dead = positive.iter().filter(|p| !**p).count();
                    let share = (*samples > 0).then(|| dead as f64 / positive.len() as f64);
                    positive.fill(false);
                    *samples = 0;
                    (None, share)
                }
                Units::Unbounded => (None, None),
            })
            .collect()
    }
}

/// How many values of `h` lie farther than `radius` from `centre`, two samples at a
/// time: each comparison's mask (all ones where true) keeps 1.0 or clears it, and the
/// ones add up, in two sums so that the additions do not wait on one another.
fn count_outside(h: &LayerValues, centre: f64, radius: f64) -> usize {
    let (centre, radius) = (f64x2::splat(centre), f64x2::splat(radius));
    let outside = |v: f64x2| (v - centre).abs().simd_gt(radius) & f64x2::ONE;
    let pairs = h.samples().div_ceil(2);
    let values = h.pairs(0..pairs);
    let mut blocks = values.chunks_exact(2);
    let (mut first, mut second) = (f64x2::ZERO, f64x2::ZERO);
    for block in &mut blocks {
        first += outside(block[0]);
        second += outside(block[1]);
    }
    first += blocks
        .remainder()
        .iter()
        .fold(f64x2::ZERO, |c, &v| c + outside(v));
    let [even, odd] = (first + second).to_array();
    // An odd pass's spare lane (odd) repeats its last sample, counted once.
    let spare = match h.samples() % 2 {
        1 => h
            .pairs(pairs - 1..pairs)
            .iter()
            .map(|&v| outside(v).to_array()[1])
            .sum(),
        _ => 0.0,
    };
    (even + odd - spare) as usize
}

/// Marks each unit of `h` that is positive on some sample (an odd pass's spare lane
/// repeats its last sample, so it changes nothing).
fn mark_positive(h: &LayerValues, positive: &mut [bool]) {
    let pairs = h.samples().div_ceil(2);
    for pair in h.pairs(0..pairs).chunks_exact(h.units()) {
        for (p, v) in positive.iter_mut().zip(pair) {
            *p |= v.simd_gt(f64x2::ZERO).any();
        }
    }
}

/// The record of an epoch (or of the initial weights, before any update) from what
/// `flow` and `units` gathered, at θ as it is now.
pub fn layer_epoch(
    epoch: usize,
    flow: &mut GradientFlow,
    units: &mut UnitActivity,
    theta: &[f64],
) -> LayerEpoch {
    let layers = flow
        .finish(theta)
        .into_iter()
        .zip(units.finish())
        .map(
            |((gradient_norm, weight_norm, ratio), (saturated, dead))| LayerRecord {
                gradient_norm,
                weight_norm,
                ratio,
                saturated,
                dead,
            },
        )
        .collect();
    LayerEpoch { epoch, layers }
}

/// What one layer's records are, for a page to label them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerKey {
    /// The layer's weights as the lecture names them: W⁽¹⁾, Wʰ, Wᵒ, …
    pub weights: String,
    /// Its activation: `sigmoid`, `tanh`, `relu`, `identity`, or the output's.
    pub activation: &'static str,
    /// `saturated` or `dead`, the share its records carry; None for identity and the
    /// output layer.
    pub units: Option<&'static str>,
}

/// Every layer's key, from the first hidden layer to the output layer.
pub fn layer_keys(architecture: &Architecture) -> Vec<LayerKey> {
    let hidden = architecture.layers.len() - 1;
    architecture
        .layers
        .iter()
        .zip(super::notation::layer_names(architecture))
        .enumerate()
        .map(|(l, (layer, names))| LayerKey {
            weights: names.w,
            activation: layer.activation.name(),
            units: match layer.activation {
                _ if l == hidden => None,
                Activation::Sigmoid | Activation::Tanh => Some("saturated"),
                Activation::Relu => Some("dead"),
                _ => None,
            },
        })
        .collect()
}

/// The layer history as the page takes it: each layer's key, and the records.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerHistory<'a> {
    pub layers: Vec<LayerKey>,
    pub epochs: &'a [LayerEpoch],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::network::Task;

    #[test]
    fn an_epoch_s_norms_are_means_over_its_updates_and_a_zero_layer_has_no_ratio() {
        // 1 → 2 → softmax(2): W¹ is θ[0..2], Wᵒ is θ[4..8].
        let arch = Architecture::mlp(1, &[2], Activation::Tanh, Task::Classes(2)).unwrap();
        let mut flow = GradientFlow::new(&arch);
        let mut theta = vec![3.0, 4.0, 9.0, 9.0, 0.0, 0.0, 0.0, 0.0, 9.0, 9.0];
        let mut gradient = vec![0.0, 5.0, 9.0, 9.0, 1.0, 0.0, 0.0, 0.0, 9.0, 9.0];
        flow.measure(&theta, &gradient);
        flow.accept();
        // A second update at other weights: ‖W¹‖ = 10, ‖∇W¹‖ = 1; Wᵒ = (0, 0, 0, 2).
        theta[..2].copy_from_slice(&[6.0, 8.0]);
        gradient[..2].copy_from_slice(&[1.0, 0.0]);
        theta[7] = 2.0;
        gradient[4] = 3.0;
        flow.measure(&theta, &gradient);
        flow.accept();
        // An update measured but not applied (it diverged) does not count.
        flow.measure(&theta, &vec![1e9; theta.len()]);
        let means = flow.finish(&theta);
        // W¹: ‖∇W‖ 5 then 1, ‖W‖ 5 then 10, ratios 1 and 0.1.
        assert_eq!(means[0], (Some(3.0), 7.5, Some(0.55)));
        // Wᵒ: zero at the first update (no ratio), 2 at the second (ratio 3/2).
        assert_eq!(means[1], (Some(2.0), 1.0, Some(1.5)));
        // The next epoch starts empty: before its first update, ‖W‖ at θ.
        assert_eq!(flow.finish(&theta)[0], (None, 10.0, None));
    }

    #[test]
    fn the_page_gets_each_layer_s_name_and_measure_then_the_records() {
        let layer = |inputs, outputs, activation| crate::nn::LayerShape {
            inputs,
            outputs,
            activation,
        };
        let arch = Architecture {
            layers: vec![
                layer(2, 3, Activation::Sigmoid),
                layer(3, 3, Activation::Relu),
                layer(3, 3, Activation::Identity),
                layer(3, 2, Activation::Softmax),
            ],
        }
        .validated()
        .unwrap();
        let mut units = UnitActivity::new(&arch);
        let theta = vec![0.5; arch.parameter_count()];
        let epoch = layer_epoch(0, &mut GradientFlow::new(&arch), &mut units, &theta);
        let history = LayerHistory {
            layers: layer_keys(&arch),
            epochs: &[epoch],
        };
        let json = serde_json::to_value(&history).unwrap();
        let keys: Vec<(&str, &str, Option<&str>)> = json["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                let text = |field: &str| k[field].as_str();
                (
                    text("weights").unwrap(),
                    text("activation").unwrap(),
                    text("units"),
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("W⁽¹⁾", "sigmoid", Some("saturated")),
                ("W⁽²⁾", "relu", Some("dead")),
                ("W⁽³⁾", "identity", None),
                ("Wᵒ", "softmax", None),
            ]
        );
        // Nothing observed yet: no share, and null rather than NaN.
        let layers = &json["epochs"][0]["layers"];
        assert_eq!(json["epochs"][0]["epoch"], 0);
        assert!(layers[0]["ratio"].is_null() && layers[0]["saturated"].is_null());
        assert!(layers[1]["dead"].is_null());
        // ‖W¹‖ of six weights of ½.
        assert_eq!(layers[0]["weight_norm"], 1.5f64.sqrt());
    }
}
