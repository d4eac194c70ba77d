//! A hidden layer's pre-activations zˡ = Wˡ hˡ⁻¹ + bˡ over the training inputs, and the
//! share of them where g′(zˡ) is (nearly) zero: there the unit has saturated (sigmoid,
//! tanh) or is off (ReLU), and backprop's ∇zˡ l = ∇hˡ l ⊙ g′(zˡ) passes (almost) nothing
//! down through it.

use super::network::Network;
use super::notation::layer_names;
use super::Activation;
use crate::config::Error;
use crate::text::number;
use nalgebra::DMatrix;
use serde::Serialize;

/// The pre-activations are taken over the first this many training inputs at most, so
/// that a histogram of them costs one small forward pass whatever the data.
pub const MOST_SAMPLES: usize = 2000;

/// Below this g′ a unit counts as saturated: ∇zˡ l is then under a hundredth of ∇hˡ l.
pub const SATURATED: f64 = 0.01;

/// Hidden layer `layer`'s pre-activations over the first training inputs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreActivations {
    /// The hidden layer, from 1 (the first) to L − 1 (the last before the output).
    pub layer: usize,
    /// Its pre-activation as the lecture names it: zʰ, z⁽²⁾, …
    pub name: String,
    pub activation: Activation,
    /// How many training inputs, the first ones (at most [`MOST_SAMPLES`]).
    pub samples: usize,
    pub units: usize,
    /// zˡ on each sample, unit by unit within a sample: samples × units values.
    #[serde(skip)]
    pub values: Vec<f64>,
    /// The share of the values where g′(zˡ) < [`SATURATED`] (for ReLU, where g′ = 0).
    pub saturated: f64,
    /// That share in words, as the activation panel writes it.
    pub note: String,
}

/// zˡ for hidden layer `layer` (1 … L − 1) on the first [`MOST_SAMPLES`] columns of `x`,
/// the training inputs as the network receives them, at θ.
pub fn pre_activations(
    network: &Network,
    theta: &[f64],
    x: &DMatrix<f64>,
    layer: usize,
) -> Result<PreActivations, Error> {
    let arch = &network.architecture;
    let hidden = arch.layers.len() - 1;
    if hidden == 0 {
        return Err(Error::new("this network has no hidden layer"));
    }
    if !(1..=hidden).contains(&layer) {
        return Err(Error::new(format!(
            "there is no hidden layer {layer}: this network has hidden layers 1 to {hidden}"
        )));
    }
    let samples = x.ncols().min(MOST_SAMPLES);
    let forward = network.forward(theta, &x.columns(0, samples).into_owned());
    let z = &forward.pre[layer - 1];
    let values: Vec<f64> = z.iter().collect();
    let activation = arch.layers[layer - 1].activation;
    let slopes = activation.curve(&values).map_or_else(Vec::new, |c| c.1);
    let saturated = if values.is_empty() {
        0.0
    } else {
        slopes.iter().filter(|&&s| s < SATURATED).count() as f64 / values.len() as f64
    };
    let name = layer_names(arch)[layer - 1].z.clone();
    let note = note(activation, &name, samples, saturated);
    Ok(PreActivations {
        layer,
        name,
        activation,
        samples,
        units: z.units(),
        values,
        saturated,
        note,
    })
}

/// "zʰ on 320 training points: 12% where g′ < 0.01 (saturated)", by the activation.
fn note(activation: Activation, name: &str, samples: usize, saturated: f64) -> String {
    let points = if samples == 1 { "point" } else { "points" };
    let share = format!("{}%", number((1000.0 * saturated).round() / 10.0));
    let on = format!("{name} on {samples} training {points}");
    match activation {
        Activation::Relu => format!("{on}: {share} where g′ = 0 (the unit is off)"),
        Activation::Identity => format!("{on}: g′ = 1 everywhere, nothing saturates"),
        _ => format!("{on}: {share} where g′ < {SATURATED} (saturated)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::network::{Architecture, Task};
    use nalgebra::DVector;

    fn network(activation: Activation) -> (Network, Vec<f64>) {
        let architecture = Architecture::mlp(2, &[5, 4], activation, Task::Classes(3)).unwrap();
        // Weights large enough that some units saturate and some ReLUs are off.
        let theta = (0..architecture.parameter_count())
            .map(|i| 3.0 * libm::sin(1.7 * i as f64 + 0.3))
            .collect();
        let network = Network {
            architecture,
            l2: 0.0,
        };
        (network, theta)
    }

    fn inputs(n: usize) -> DMatrix<f64> {
        DMatrix::from_fn(2, n, |r, c| libm::cos(0.37 * c as f64 + r as f64))
    }

    #[test]
    fn pre_activations_are_those_of_a_plain_forward_pass() {
        for activation in Activation::HIDDEN {
            let (network, theta) = network(activation);
            let x = inputs(30);
            let arch = &network.architecture;
            for layer in [1, 2] {
                let p = pre_activations(&network, &theta, &x, layer).unwrap();
                assert_eq!((p.samples, p.units), (30, arch.layers[layer - 1].outputs));
                for s in 0..30 {
                    // z = W h + b, layer after layer, with libm's g.
                    let mut h = DVector::from_iterator(2, x.column(s).iter().copied());
                    let mut z = h.clone();
                    for l in 0..layer {
                        z = arch.weights(&theta, l) * &h + arch.biases(&theta, l);
                        h = z.map(|z| match activation {
                            Activation::Sigmoid => 1.0 / (1.0 + libm::exp(-z)),
                            Activation::Tanh => libm::tanh(z),
                            Activation::Relu => z.max(0.0),
                            _ => z,
                        });
                    }
                    for u in 0..p.units {
                        let got = p.values[s * p.units + u];
                        assert!((got - z[u]).abs() < 1e-12, "{activation:?} {layer} {s} {u}");
                    }
                }
                let (_, slopes) = activation.curve(&p.values).unwrap();
                let count = slopes.iter().filter(|&&g| g < SATURATED).count();
                assert_eq!(p.saturated, count as f64 / p.values.len() as f64);
            }
        }
    }

    #[test]
    fn the_saturated_share_and_its_note_follow_the_activation() {
        let x = inputs(40);
        let share = |activation| {
            let (network, theta) = network(activation);
            pre_activations(&network, &theta, &x, 1).unwrap()
        };
        let relu = share(Activation::Relu);
        let off = relu.values.iter().filter(|&&z| z <= 0.0).count();
        assert!(off > 0 && off < relu.values.len());
        assert_eq!(relu.saturated, off as f64 / relu.values.len() as f64);
        assert!(relu.note.contains("where g′ = 0"), "{}", relu.note);
        assert!(
            relu.note.starts_with("z⁽¹⁾ on 40 training points"),
            "{}",
            relu.note
        );
        let tanh = share(Activation::Tanh);
        let flat = tanh.values.iter().filter(|z| z.abs() > 3.0).count();
        assert!(tanh.saturated > 0.0 && tanh.saturated >= flat as f64 / 200.0);
        assert!(
            tanh.note.contains("where g′ < 0.01 (saturated)"),
            "{}",
            tanh.note
        );
        let identity = share(Activation::Identity);
        assert_eq!(identity.saturated, 0.0);
        assert!(identity.note.contains("nothing saturates"));
    }

    #[test]
    fn only_hidden_layers_have_a_histogram_and_the_sample_is_capped() {
        let (network, theta) = network(Activation::Tanh);
        for layer in [0, 3, usize::MAX] {
            let error = pre_activations(&network, &theta, &inputs(5), layer).unwrap_err();
            assert!(
                error.to_string().contains("hidden layers 1 to 2"),
                "{error}"
            );
        }
        let p = pre_activations(&network, &theta, &inputs(MOST_SAMPLES + 7), 2).unwrap();
        assert_eq!(p.samples, MOST_SAMPLES);
        assert_eq!(p.values.len(), MOST_SAMPLES * 4);
        let linear = Network {
            architecture: Architecture::mlp(2, &[], Activation::Tanh, Task::Binary).unwrap(),
            l2: 0.0,
        };
        let error = pre_activations(&linear, &[0.0; 3], &inputs(5), 1).unwrap_err();
        assert_eq!(error.to_string(), "this network has no hidden layer");
    }
}
