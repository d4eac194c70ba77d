//! The backprop inspector: every quantity of the lecture's derivation for one sample,
//! and a gradient check of backprop against central finite differences.

use super::network::{Network, Targets};
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// One layer of the derivation, for one sample x.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerTrace {
    pub activation: &'static str,
    /// hˡ⁻¹ (h⁰ = x)
    pub input: Vec<f64>,
    /// zˡ = Wˡ hˡ⁻¹ + bˡ
    pub pre: Vec<f64>,
    /// hˡ = g(zˡ); f(x) for the output layer
    pub post: Vec<f64>,
    /// ∇zˡ l; for the output layer f(x) − e(y)
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
    pub x: Vec<f64>,
    pub output: Vec<f64>,
    /// e(y), the one-hot target, for softmax outputs
    pub one_hot: Option<Vec<f64>>,
    pub layers: Vec<LayerTrace>,
    pub loss_before: f64,
    pub loss_after: f64,
    pub learning_rate: f64,
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
    let layers = arch
        .layers
        .iter()
        .enumerate()
        .map(|(l, shape)| {
            let (w, b) = arch.offsets(l);
            let grad_w =
                DMatrix::from_column_slice(shape.outputs, shape.inputs, &backward.gradient[w..b]);
            let grad_pre = backward.pre[l].sample(0);
            let grad_input = arch
                .weights(theta, l)
                .tr_mul(&DVector::from_column_slice(&grad_pre));
            LayerTrace {
                activation: shape.activation.name(),
                input: forward.post[l].sample(0),
                pre: forward.pre[l].sample(0),
                post: forward.post[l + 1].sample(0),
                grad_pre,
                grad_weights: grad_w
                    .row_iter()
                    .map(|r| r.iter().copied().collect())
                    .collect(),
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
    Inspection {
        x: x.to_vec(),
        output: forward.output().sample(0),
        one_hot,
        layers,
        loss_before: per_sample.data_loss(&forward, target),
        loss_after: per_sample.loss(&after, &input, target).data,
        learning_rate,
    }
}

/// Backprop's gradient of the full loss against central differences, per parameter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradientCheck {
    /// maxᵢ |gᵢ − ĝᵢ| / max(|gᵢ| + |ĝᵢ|, 1e-8), ĝ the central difference
    pub max_relative_error: f64,
    /// The same, per layer.
    pub per_layer: Vec<f64>,
    /// How many parameters were checked, of how many.
    pub parameters: usize,
    pub checked: usize,
}

/// Checks at most this many parameters, evenly spread over θ: two losses each.
pub const MOST_PARAMETERS: usize = 200;

pub fn gradient_check(
    network: &Network,
    theta: &[f64],
    x: &DMatrix<f64>,
    targets: &Targets,
) -> GradientCheck {
    let (_, gradient) = network.loss_and_gradient(theta, x, targets);
    let arch = &network.architecture;
    let mut per_layer = vec![0.0_f64; arch.layers.len()];
    let mut probe = theta.to_vec();
    let stride = theta.len().div_ceil(MOST_PARAMETERS).max(1);
    for (i, g) in gradient.iter().enumerate().step_by(stride) {
        let h = 1e-5 * theta[i].abs().max(1.0);
        probe[i] = theta[i] + h;
        let plus = network.loss(&probe, x, targets).total();
        probe[i] = theta[i] - h;
        let minus = network.loss(&probe, x, targets).total();
        probe[i] = theta[i];
        let numeric = (plus - minus) / (2.0 * h);
        let error = (g - numeric).abs() / (g.abs() + numeric.abs()).max(1e-8);
        let layer = (0..arch.layers.len())
            .rev()
            .find(|&l| arch.offsets(l).0 <= i)
            .unwrap_or(0);
        per_layer[layer] = per_layer[layer].max(error);
    }
    GradientCheck {
        max_relative_error: per_layer.iter().copied().fold(0.0, f64::max),
        per_layer,
        parameters: theta.len(),
        checked: theta.len().div_ceil(stride),
    }
}
