//! Backpropagation against central finite differences, for every activation, loss and
//! depth; and the losses against their definitions.

mod support;

use gradscape::nn::network::{classify, Architecture, LayerShape, Network, Targets, Task};
use gradscape::nn::Activation;
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use support::{batch, random};

/// max over parameters of |analytic − numeric| / max(1, |numeric|), with central
/// differences of step 1e-6.
fn worst_error(network: &Network, theta: &[f64], x: &DMatrix<f64>, targets: &Targets) -> f64 {
    let (_, gradient) = network.loss_and_gradient(theta, x, targets);
    let mut worst: f64 = 0.0;
    for i in 0..theta.len() {
        let h = 1e-6;
        let (mut plus, mut minus) = (theta.to_vec(), theta.to_vec());
        plus[i] += h;
        minus[i] -= h;
        let numeric = (network.loss(&plus, x, targets).total()
            - network.loss(&minus, x, targets).total())
            / (2.0 * h);
        worst = worst.max((gradient[i] - numeric).abs() / numeric.abs().max(1.0));
    }
    worst
}

#[test]
fn backprop_matches_finite_differences_for_every_activation_loss_and_depth() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    for task in [
        Task::Classes(3),
        Task::Classes(2),
        Task::Binary,
        Task::Regression(2),
    ] {
        for activation in Activation::HIDDEN {
            for hidden in [&[][..], &[4], &[5, 3], &[3, 4, 3]] {
                let architecture = Architecture::mlp(2, hidden, activation, task).unwrap();
                let network = Network {
                    architecture,
                    l2: 0.03,
                };
                let theta = random(&mut rng, network.architecture.parameter_count(), 0.8);
                let (x, targets) = batch(&mut rng, 2, task, 7);
                if activation == Activation::Relu {
                    // Finite differences are only valid away from ReLU's kink.
                    let forward = network.forward(&theta, &x);
                    let near_kink = forward.pre[..forward.pre.len() - 1]
                        .iter()
                        .flat_map(|z| z.iter())
                        .any(|z| z.abs() < 1e-4);
                    if near_kink {
                        continue;
                    }
                }
                let error = worst_error(&network, &theta, &x, &targets);
                assert!(error < 1e-6, "{task:?} {activation:?} {hidden:?}: {error}");
            }
        }
    }
}

#[test]
fn softmax_nll_matches_its_definition_and_its_gradient_is_f_minus_e_y() {
    let architecture = Architecture {
        layers: vec![LayerShape {
            inputs: 1,
            outputs: 3,
            activation: Activation::Softmax,
        }],
    };
    let network = Network {
        architecture,
        l2: 0.0,
    };
    // W = (1, 2, 3)ᵀ, b = 0, x = 1: z = (1, 2, 3), f = softmax(z).
    let theta = [1.0, 2.0, 3.0, 0.0, 0.0, 0.0];
    let x = DMatrix::from_vec(1, 1, vec![1.0]);
    let targets = Targets::Classes(vec![0]);
    let forward = network.forward(&theta, &x);
    let e: Vec<f64> = [1.0f64, 2.0, 3.0].iter().map(|z| z.exp()).collect();
    let sum: f64 = e.iter().sum();
    let f: Vec<f64> = e.iter().map(|v| v / sum).collect();
    for (got, want) in forward.output().sample(0).iter().zip(&f) {
        assert!((got - want).abs() < 1e-15);
    }
    assert!((network.data_loss(&forward, &targets) + f[0].ln()).abs() < 1e-14);
    let backward = network.backward(&theta, &forward, &targets);
    let expected = [f[0] - 1.0, f[1], f[2]];
    for (got, want) in backward.pre[0].sample(0).iter().zip(expected) {
        assert!((got - want).abs() < 1e-15, "∇zᵒ l = f(x) − e(y)");
    }
}

#[test]
fn the_mean_nll_of_many_samples_is_the_mean_of_their_own() {
    // More than one run of 256 samples, an odd count (a spare lane), and logits far
    // apart, so that the normalizers multiplied together span many binades.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
    let architecture = Architecture::mlp(2, &[5], Activation::Tanh, Task::Classes(8)).unwrap();
    let network = Network {
        architecture,
        l2: 0.0,
    };
    let theta = random(&mut rng, network.architecture.parameter_count(), 4.0);
    let (x, targets) = batch(&mut rng, 2, Task::Classes(8), 601);
    let Targets::Classes(y) = &targets else {
        unreachable!()
    };
    let forward = network.forward(&theta, &x);
    let f = forward.output();
    let each: f64 = y.iter().enumerate().map(|(i, &c)| -f.get(i, c).ln()).sum();
    let mean = network.data_loss(&forward, &targets);
    assert!(
        (mean - each / 601.0).abs() < 1e-12 * mean,
        "{mean} vs {}",
        each / 601.0
    );
    // And each sample's loss alone is the same as within the batch.
    let one = Targets::Classes(vec![y[300]]);
    let alone = network.data_loss(
        &network.forward(&theta, &x.columns(300, 1).into_owned()),
        &one,
    );
    assert!((alone + f.get(300, y[300]).ln()).abs() < 1e-14);
}

#[test]
fn ties_between_classes_go_to_the_last() {
    // Zero weights: every class equally likely for every sample.
    let architecture = Architecture::mlp(2, &[], Activation::Tanh, Task::Classes(3)).unwrap();
    let network = Network {
        architecture,
        l2: 0.0,
    };
    let theta = vec![0.0; network.architecture.parameter_count()];
    let x = DMatrix::from_vec(2, 3, vec![0.1, 0.2, -1.0, 3.0, 0.5, 0.5]);
    assert_eq!(classify(&network.forward(&theta, &x)), vec![2, 2, 2]);
}

#[test]
fn the_l2_term_covers_weights_but_not_biases() {
    let architecture = Architecture::mlp(2, &[2], Activation::Tanh, Task::Binary).unwrap();
    let network = Network {
        architecture,
        l2: 0.5,
    };
    let mut theta = vec![0.0; network.architecture.parameter_count()];
    let (w0, b0) = network.architecture.offsets(0);
    theta[w0] = 2.0; // a weight
    theta[b0] = 10.0; // a bias
    assert_eq!(network.regularization(&theta), 0.5 * 4.0);
}

#[test]
fn extreme_logits_give_finite_losses_and_gradients() {
    let architecture = Architecture::mlp(2, &[3], Activation::Sigmoid, Task::Classes(3)).unwrap();
    let network = Network {
        architecture,
        l2: 0.0,
    };
    let theta = vec![300.0; network.architecture.parameter_count()];
    let x = DMatrix::from_vec(2, 2, vec![5.0, -5.0, 1.0, 1.0]);
    let (loss, gradient) = network.loss_and_gradient(&theta, &x, &Targets::Classes(vec![0, 2]));
    assert!(loss.total().is_finite() && gradient.iter().all(|g| g.is_finite()));
    let binary = Network {
        architecture: Architecture::mlp(2, &[], Activation::Tanh, Task::Binary).unwrap(),
        l2: 0.0,
    };
    let (loss, _) =
        binary.loss_and_gradient(&[800.0, 800.0, 0.0], &x, &Targets::Binary(vec![0.0, 0.0]));
    assert!(
        loss.total().is_finite() && loss.total() > 500.0,
        "softplus(1600) / 2"
    );
}

#[test]
fn shapes_that_do_not_fit_are_named() {
    let error = Architecture {
        layers: vec![
            LayerShape {
                inputs: 2,
                outputs: 3,
                activation: Activation::Tanh,
            },
            LayerShape {
                inputs: 4,
                outputs: 2,
                activation: Activation::Softmax,
            },
        ],
    }
    .validated()
    .unwrap_err();
    assert_eq!(error.0, "layer 0 has 3 outputs but layer 1 takes 4 inputs");
    let error = Architecture::mlp(2, &[3], Activation::Tanh, Task::Classes(1)).unwrap_err();
    assert!(error.0.contains("softmax needs at least 2 outputs"));
}
