//! The backprop inspector: every quantity of the lecture's derivation for one sample,
//! and a gradient check of backprop against central finite differences.

use super::density;
use super::network::{Network, Targets, Task};
use super::notation::{layer_names, LayerNames};
use crate::config::Error;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// One layer of the derivation, for one sample x.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerTrace {
    /// The layer's symbols as the lecture writes them (see [`super::notation`]).
    pub names: LayerNames,
    pub activation: &'static str,
    /// Wˡ, row by row (shape [out, in])
    pub weights: Vec<Vec<f64>>,
    /// bˡ
    pub biases: Vec<f64>,
    /// hˡ⁻¹ (h⁰ = x)
    pub input: Vec<f64>,
    /// zˡ = Wˡ hˡ⁻¹ + bˡ
    pub pre: Vec<f64>,
    /// hˡ = g(zˡ); f(x) for the output layer
    pub post: Vec<f64>,
    /// ∇zˡ l; for the output layer f(x) − e(y) (softmax, sigmoid), 2(f(x) − y)
    /// (identity), (∂l/∂μ, ∂l/∂log σ²) (gaussian) or (∂l/∂a, ∂l/∂μ, ∂l/∂log σ²) (mdn)
    pub grad_pre: Vec<f64>,
    /// ∇Wˡ l = ∇zˡ l · (hˡ⁻¹)ᵀ, row by row
    pub grad_weights: Vec<Vec<f64>>,
    /// ∇bˡ l = ∇zˡ l
    pub grad_biases: Vec<f64>,
    /// ∇hˡ⁻¹ l = (Wˡ)ᵀ ∇zˡ l
    pub grad_input: Vec<f64>,
}

/// Backprop on one sample, as on the slides (the per-sample loss l, without the L2
/// term), and what one gradient step of size η on it does to l.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inspection {
    /// x = h⁰, the input as the network receives it
    pub x: Vec<f64>,
    pub output: Vec<f64>,
    /// ∂l/∂f(x), the loss's derivative in each output before the output function's
    /// Jacobian turns it into ∇zᵒ l (see [`output_gradient`]).
    pub grad_output: Vec<f64>,
    /// e(y), the one-hot target, for softmax outputs
    pub one_hot: Option<Vec<f64>>,
    /// y, for outputs fitted to numbers (identity, gaussian, mdn)
    pub target: Option<Vec<f64>>,
    /// The predicted N(μ, σ²) of each target, for a gaussian output
    pub gaussian: Option<GaussianTrace>,
    /// The predicted mixture and each component's share of y, for an mdn output
    pub mixture: Option<MixtureTrace>,
    pub layers: Vec<LayerTrace>,
    pub loss_before: f64,
    pub loss_after: f64,
    pub learning_rate: f64,
}

/// A gaussian output's prediction for one sample, per target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GaussianTrace {
    /// μ = z₁
    pub mean: Vec<f64>,
    /// σ = e^(z₂/2)
    pub deviation: Vec<f64>,
}

/// An mdn output's prediction for one sample, per component k.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MixtureTrace {
    /// πₖ = softmax(a)ₖ
    pub weights: Vec<f64>,
    /// μₖ
    pub means: Vec<f64>,
    /// σₖ = e^(sₖ/2)
    pub deviations: Vec<f64>,
    /// γₖ = πₖ N(y; μₖ, σₖ²) / Σⱼ πⱼ N(y; μⱼ, σⱼ²), the posterior probability that y
    /// came from component k, which weights every gradient of the output units
    pub responsibilities: Vec<f64>,
}

pub fn inspect(
    network: &Network,
    theta: &[f64],
    x: &[f64],
    target: &Targets,
    learning_rate: f64,
) -> Inspection {
    let per_sample = Network {
        architecture: network.architecture.clone(),
        l2: 0.0,
    };
    let arch = &network.architecture;
    let input = DMatrix::from_column_slice(x.len(), 1, x);
    let forward = per_sample.forward(theta, &input);
    let backward = per_sample.backward(theta, &forward, target);
    let rows = |m: &DMatrix<f64>| -> Vec<Vec<f64>> {
        m.row_iter().map(|r| r.iter().copied().collect()).collect()
    };
    let layers = arch
        .layers
        .iter()
        .zip(layer_names(arch))
        .enumerate()
        .map(|(l, (shape, names))| {
            let (w, b) = arch.offsets(l);
            let grad_w =
                DMatrix::from_column_slice(shape.outputs, shape.inputs, &backward.gradient[w..b]);
            let grad_pre = backward.pre[l].sample(0);
            let weights = arch.weights(theta, l).into_owned();
            let grad_input = weights.tr_mul(&DVector::from_column_slice(&grad_pre));
            LayerTrace {
                names,
                activation: shape.activation.name(),
                weights: rows(&weights),
                biases: arch.biases(theta, l).iter().copied().collect(),
                input: forward.post[l].sample(0),
                pre: forward.pre[l].sample(0),
                post: forward.post[l + 1].sample(0),
                grad_pre,
                grad_weights: rows(&grad_w),
                grad_biases: backward.gradient[b..b + shape.outputs].to_vec(),
                grad_input: grad_input.iter().copied().collect(),
            }
        })
        .collect();
    let after: Vec<f64> = theta
        .iter()
        .zip(&backward.gradient)
        .map(|(t, g)| t - learning_rate * g)
        .collect();
    let one_hot = match target {
        Targets::Classes(y) => {
            let k = arch.layers.last().map_or(0, |s| s.outputs);
            Some((0..k).map(|c| f64::from(u8::from(c == y[0]))).collect())
        }
        _ => None,
    };
    let (z, f) = (
        forward.pre[arch.layers.len() - 1].sample(0),
        forward.output().sample(0),
    );
    let deviation = |s: &[f64]| s.iter().map(|s| libm::exp(0.5 * s)).collect::<Vec<_>>();
    let numbers = match target {
        Targets::Values(y) => Some(y.column(0).iter().copied().collect::<Vec<_>>()),
        _ => None,
    };
    let (gaussian, mixture) = match (arch.task(), &numbers) {
        (Task::Gaussian(d), _) => (
            Some(GaussianTrace {
                mean: z[..d].to_vec(),
                deviation: deviation(&z[d..]),
            }),
            None,
        ),
        (Task::Mixture(k), Some(y)) => {
            let mut responsibilities = vec![0.0; k];
            density::responsibilities(y[0], &z, &mut responsibilities);
            let trace = MixtureTrace {
                weights: f[..k].to_vec(),
                means: z[k..2 * k].to_vec(),
                deviations: deviation(&z[2 * k..]),
                responsibilities,
            };
            (None, Some(trace))
        }
        _ => (None, None),
    };
    let loss_before = per_sample.data_loss(&forward, target);
    Inspection {
        x: x.to_vec(),
        grad_output: output_gradient(arch.task(), &z, &f, target, loss_before),
        output: f,
        one_hot,
        target: numbers,
        gaussian,
        mixture,
        layers,
        loss_before,
        loss_after: per_sample.loss(&after, &input, target).data,
        learning_rate,
    }
}

/// ∂l/∂f(x) for one sample, from its output layer's z and f = f(x), its target y and its
/// loss l:
///
/// - softmax with the NLL l = −ln f_y: ∂l/∂fᵢ = −1_{i=y}/f_y, taken as −e^l (f_y = e^(−l)),
///   which stays finite where f_y underflows;
/// - a sigmoid with cross-entropy l = −[y ln f + (1 − y) ln(1 − f)]:
///   −y/f + (1 − y)/(1 − f), taken as −y(1 + e^(−z)) + (1 − y)(1 + e^z) (1/f = 1 + e^(−z)),
///   finite where f rounds to 0 or 1;
/// - identity with the squared error Σⱼ (fⱼ − yⱼ)²: 2(fⱼ − yⱼ);
/// - a gaussian, f = (μ, σ²): ∂l/∂μ = (μ − y)/σ², ∂l/∂σ² = ½(1/σ² − (y − μ)²/σ⁴);
/// - an mdn, f = (π, μ, σ²) with p = Σⱼ πⱼ Nⱼ and Nₖ = N(y; μₖ, σₖ²): ∂l/∂πₖ = −Nₖ/p,
///   ∂l/∂μₖ = γₖ(μₖ − y)/σₖ², ∂l/∂σₖ² = ½γₖ(1/σₖ² − (y − μₖ)²/σₖ⁴), each π taken as a free
///   variable (softmax's Jacobian then gives ∂l/∂aₖ = πₖ − γₖ).
///
/// The densities' derivatives in σ² are those in s = log σ² ([`density`]) times
/// ∂s/∂σ² = e^(−s).
pub fn output_gradient(task: Task, z: &[f64], f: &[f64], target: &Targets, loss: f64) -> Vec<f64> {
    // ∂l/∂s · e^(−s), 0 where ∂l/∂s is (e^(−s) may overflow there).
    let by_variance = |by_log_variance: f64, s: f64| {
        if by_log_variance == 0.0 {
            0.0
        } else {
            by_log_variance * libm::exp(-s)
        }
    };
    match (task, target) {
        (Task::Classes(k), Targets::Classes(y)) => (0..k)
            .map(|i| if i == y[0] { -libm::exp(loss) } else { 0.0 })
            .collect(),
        (Task::Binary, Targets::Binary(y)) => {
            let (y, z) = (y[0], z[0]);
            vec![-y * (1.0 + libm::exp(-z)) + (1.0 - y) * (1.0 + libm::exp(z))]
        }
        (Task::Gaussian(d), Targets::Values(y)) => {
            let mut gradient = vec![0.0; 2 * d];
            for u in 0..d {
                let (_, by_mean, by_log_variance) = density::gaussian(y[(u, 0)], z[u], z[d + u]);
                gradient[u] = by_mean;
                gradient[d + u] = by_variance(by_log_variance, z[d + u]);
            }
            gradient
        }
        (Task::Mixture(k), Targets::Values(y)) => {
            let y = y[(0, 0)];
            let mut gradient = vec![0.0; 3 * k];
            density::mixture(y, z, &mut gradient);
            for j in 0..k {
                let (mean, s) = (z[k + j], z[2 * k + j]);
                let u = (y - mean) * libm::exp(-0.5 * s);
                // −Nₖ/p = −e^(ln Nₖ + l), with ln Nₖ = −½(ln 2π + s + u²).
                gradient[j] = -libm::exp(loss - 0.5 * (density::LN_2PI + s + u * u));
                gradient[2 * k + j] = by_variance(gradient[2 * k + j], s);
            }
            gradient
        }
        (_, Targets::Values(y)) => f
            .iter()
            .enumerate()
            .map(|(u, f)| 2.0 * (f - y[(u, 0)]))
            .collect(),
        // A target of another kind than the output: no derivative to show.
        _ => Vec::new(),
    }
}

/// A gradient against central differences, per parameter, with a verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradientCheck {
    /// maxᵢ |gᵢ − ĝᵢ| / max(|gᵢ| + |ĝᵢ|, τᵢ), ĝ the central difference and τᵢ the
    /// scale below which it cannot resolve a gradient (see [`ROUNDING_MARGIN`])
    pub max_relative_error: f64,
    /// The same, per layer.
    pub per_layer: Vec<f64>,
    /// How many parameters were checked, of how many.
    pub parameters: usize,
    pub checked: usize,
    /// [`THRESHOLD`]: a gradient passes when its largest relative error is below it.
    pub threshold: f64,
    /// max_relative_error < threshold
    pub passed: bool,
}

/// Checks at most this many parameters, evenly spread over θ: two losses each.
pub const MOST_PARAMETERS: usize = 200;

/// The relative step of the central difference: hᵢ = 1e-5 · max(|θᵢ|, 1), which
/// balances its truncation error (h²/6 · ∂³L) against its rounding error (ε |L| / h).
pub const STEP: f64 = 1e-5;

/// The verdict's threshold on the largest relative error. Backprop in f64 stays below
/// 1e-6 on the default and every preset's network, trained or not (the saturated
/// sigmoids of N(0, 10²), the worst, at 1.4e-7; most below 1e-8), while a gradient
/// with a single entry 0.1% off scores 5e-4.
pub const THRESHOLD: f64 = 1e-5;

/// The central difference (L(θ + hᵢ) − L(θ − hᵢ)) / 2hᵢ carries a rounding error of
/// about ε |L| / hᵢ (ε = 2⁻⁵²), some 1e-11 for a loss near 1: a gradient entry of that
/// size cannot be told from zero, and one of 1e-9 only to a percent. So entries are
/// compared relative to |gᵢ| + |ĝᵢ|, but never to less than τᵢ = 10⁷ · ε · max(|L|, 1) / hᵢ
/// (2e-4 for a loss near 1 and |θᵢ| ≤ 1): below it the check is absolute, and still
/// catches any entry wrong by more than τᵢ · [`THRESHOLD`].
pub const ROUNDING_MARGIN: f64 = 1e7;

/// Backprop's gradient of the full loss (data term and L2 term) against central
/// differences.
pub fn gradient_check(
    network: &Network,
    theta: &[f64],
    x: &DMatrix<f64>,
    targets: &Targets,
) -> GradientCheck {
    let (loss, gradient) = network.loss_and_gradient(theta, x, targets);
    compare(network, theta, x, targets, loss.total(), &gradient)
}

/// Any claimed gradient of the full loss at θ against central differences: how the
/// check judges backprop, and what it says of a wrong gradient.
pub fn check_gradient(
    network: &Network,
    theta: &[f64],
    x: &DMatrix<f64>,
    targets: &Targets,
    gradient: &[f64],
) -> Result<GradientCheck, Error> {
    if gradient.len() != theta.len() {
        return Err(Error::new(format!(
            "a gradient of {} entries does not fit θ of {}",
            gradient.len(),
            theta.len()
        )));
    }
    let loss = network.loss(theta, x, targets).total();
    Ok(compare(network, theta, x, targets, loss, gradient))
}

/// `gradient` (at θ, where the loss is `loss`) against central differences.
fn compare(
    network: &Network,
    theta: &[f64],
    x: &DMatrix<f64>,
    targets: &Targets,
    loss: f64,
    gradient: &[f64],
) -> GradientCheck {
    let arch = &network.architecture;
    let mut per_layer = vec![0.0_f64; arch.layers.len()];
    let mut probe = theta.to_vec();
    let stride = theta.len().div_ceil(MOST_PARAMETERS).max(1);
    for (i, g) in gradient.iter().enumerate().step_by(stride) {
        let h = STEP * theta[i].abs().max(1.0);
        probe[i] = theta[i] + h;
        let plus = network.loss(&probe, x, targets).total();
        probe[i] = theta[i] - h;
        let minus = network.loss(&probe, x, targets).total();
        probe[i] = theta[i];
        let numeric = (plus - minus) / (2.0 * h);
        // A non-finite loss or gradient fails the check rather than vanish from the max.
        let error = if [loss, numeric, *g].iter().all(|v| v.is_finite()) {
            let unresolved = ROUNDING_MARGIN * f64::EPSILON * loss.abs().max(1.0) / h;
            (g - numeric).abs() / (g.abs() + numeric.abs()).max(unresolved)
        } else {
            f64::INFINITY
        };
        let layer = (0..arch.layers.len())
            .rev()
            .find(|&l| arch.offsets(l).0 <= i)
            .unwrap_or(0);
        per_layer[layer] = per_layer[layer].max(error);
    }
    let max_relative_error = per_layer.iter().copied().fold(0.0, f64::max);
    GradientCheck {
        max_relative_error,
        per_layer,
        parameters: theta.len(),
        checked: theta.len().div_ceil(stride),
        threshold: THRESHOLD,
        passed: max_relative_error < THRESHOLD,
    }
}
