//! Backpropagation against central finite differences, for every activation, loss and
//! depth; and the losses against their definitions.

mod support;

use gradscape::nn::inspect::inspect;
use gradscape::nn::network::{classify, Architecture, LayerShape, Network, Targets, Task};
use gradscape::nn::Activation;
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use support::{batch, random};
use wide::f64x2;

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
        Task::Gaussian(1),
        Task::Gaussian(2),
        Task::Mixture(1),
        Task::Mixture(3),
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

/// One output layer of `units` units and `activation` on the input x = 1 with W = 0:
/// its pre-activations z are the biases, so a test sets z directly.
fn output_layer(activation: Activation, units: usize) -> Network {
    Network {
        architecture: Architecture {
            layers: vec![LayerShape {
                inputs: 1,
                outputs: units,
                activation,
            }],
        }
        .validated()
        .unwrap(),
        l2: 0.0,
    }
}

/// The loss and ∇z l of one sample y on the output layer whose z is `z`.
fn at(network: &Network, z: &[f64], y: &[f64]) -> (f64, Vec<f64>) {
    let theta: Vec<f64> = vec![0.0; z.len()].into_iter().chain(z.to_vec()).collect();
    let x = DMatrix::from_vec(1, 1, vec![1.0]);
    let targets = Targets::Values(DMatrix::from_column_slice(y.len(), 1, y));
    let forward = network.forward(&theta, &x);
    let backward = network.backward(&theta, &forward, &targets);
    (
        network.data_loss(&forward, &targets),
        backward.pre[0].sample(0),
    )
}

/// |a − b| within `tolerance` of max(|b|, 1).
fn near(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * b.abs().max(1.0)
}

#[test]
fn the_gaussian_nll_and_its_gradient_are_the_hand_derived_formulas() {
    let network = output_layer(Activation::Gaussian, 2);
    let ln_2pi = (2.0 * std::f64::consts::PI).ln();
    for (mu, s, y) in [
        (0.3, -0.7, 1.1),
        (-2.0, 1.5, -2.5),
        (0.0, 0.0, 0.0),
        (1.0, -4.0, 0.9),
        (0.5, 3.0, -6.0),
    ] {
        let (loss, grad) = at(&network, &[mu, s], &[y]);
        // l = ½[ln 2π + z₂ + (y − μ)² e^(−z₂)]
        let expected = 0.5 * (ln_2pi + s + (y - mu).powi(2) * (-s).exp());
        assert!(near(loss, expected, 1e-14), "{loss} vs {expected}");
        // ∂l/∂μ = (μ − y)e^(−z₂), ∂l/∂z₂ = ½(1 − (y − μ)² e^(−z₂))
        let d_mu = (mu - y) * (-s).exp();
        let d_s = 0.5 * (1.0 - (y - mu).powi(2) * (-s).exp());
        assert!(near(grad[0], d_mu, 1e-14), "∂l/∂μ {} vs {d_mu}", grad[0]);
        assert!(near(grad[1], d_s, 1e-14), "∂l/∂z₂ {} vs {d_s}", grad[1]);
    }
    // f(x) = (μ, σ²).
    let theta = [0.0, 0.0, 0.4, -1.0];
    let f = network.forward(&theta, &DMatrix::from_vec(1, 1, vec![1.0]));
    let f = f.output().sample(0);
    assert_eq!(f[0], 0.4);
    assert!(near(f[1], (-1.0f64).exp(), 1e-15));
    // The inspector shows y, μ and σ = e^(z₂/2) beside ∇zᵒ l, under the name gaussian.
    let y = Targets::Values(DMatrix::from_vec(1, 1, vec![0.9]));
    let shown = inspect(&network, &theta, &[1.0], &y, 0.1);
    let trace = shown.gaussian.unwrap();
    assert_eq!((shown.target, trace.mean), (Some(vec![0.9]), vec![0.4]));
    assert!(near(trace.deviation[0], (-0.5f64).exp(), 1e-15));
    assert_eq!(shown.layers[0].activation, "gaussian");
    assert_eq!(
        shown.layers[0].grad_pre,
        at(&network, &[0.4, -1.0], &[0.9]).1
    );
    assert!(shown.mixture.is_none() && shown.one_hot.is_none());
}

/// The mixture of z = (a, μ, s) at y, computed here from its definition:
/// (l, γ, ∇z l) with π = softmax(a), Nₖ = N(y; μₖ, e^(sₖ)), γₖ = πₖNₖ / Σⱼ πⱼNⱼ.
fn mixture_by_hand(z: &[f64], y: f64) -> (f64, Vec<f64>, Vec<f64>) {
    let k = z.len() / 3;
    let (a, mu, s) = (&z[..k], &z[k..2 * k], &z[2 * k..]);
    let e: Vec<f64> = a.iter().map(|a| a.exp()).collect();
    let total: f64 = e.iter().sum();
    let pi: Vec<f64> = e.iter().map(|e| e / total).collect();
    let variance: Vec<f64> = s.iter().map(|s| s.exp()).collect();
    let joint: Vec<f64> = (0..k)
        .map(|j| {
            let normal = (-(y - mu[j]).powi(2) / (2.0 * variance[j])).exp()
                / (2.0 * std::f64::consts::PI * variance[j]).sqrt();
            pi[j] * normal
        })
        .collect();
    let p: f64 = joint.iter().sum();
    let gamma: Vec<f64> = joint.iter().map(|j| j / p).collect();
    let mut grad = vec![0.0; 3 * k];
    for j in 0..k {
        grad[j] = pi[j] - gamma[j];
        grad[k + j] = gamma[j] * (mu[j] - y) / variance[j];
        grad[2 * k + j] = 0.5 * gamma[j] * (1.0 - (y - mu[j]).powi(2) / variance[j]);
    }
    (-p.ln(), gamma, grad)
}

#[test]
fn the_mixture_s_gradient_is_weighted_by_the_responsibilities() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(31);
    for k in 1..=8 {
        let network = output_layer(Activation::Mdn, 3 * k);
        for _ in 0..20 {
            let z = random(&mut rng, 3 * k, 2.0);
            let y = random(&mut rng, 1, 2.5)[0];
            let (loss, grad) = at(&network, &z, &[y]);
            let (expected, gamma, expected_grad) = mixture_by_hand(&z, y);
            assert!(near(loss, expected, 1e-13), "k = {k}: {loss} vs {expected}");
            for (u, (g, e)) in grad.iter().zip(&expected_grad).enumerate() {
                assert!(near(*g, *e, 1e-12), "k = {k}, unit {u}: {g} vs {e}");
            }
            // The inspector shows the same γ, a distribution over the components, and
            // σ = e^(s/2).
            let theta: Vec<f64> = vec![0.0; 3 * k].into_iter().chain(z.clone()).collect();
            let shown = inspect(
                &network,
                &theta,
                &[1.0],
                &Targets::Values(DMatrix::from_vec(1, 1, vec![y])),
                0.1,
            );
            let mixture = shown.mixture.unwrap();
            for (got, want) in mixture.responsibilities.iter().zip(&gamma) {
                assert!(near(*got, *want, 1e-13), "γ {got} vs {want}");
            }
            let total: f64 = mixture.responsibilities.iter().sum();
            assert!((total - 1.0).abs() < 1e-14);
            assert_eq!(mixture.means, z[k..2 * k]);
            for (sigma, s) in mixture.deviations.iter().zip(&z[2 * k..]) {
                assert!(near(*sigma, (s / 2.0).exp(), 1e-15));
            }
            assert_eq!(shown.layers[0].activation, "mdn");
            assert_eq!(shown.layers[0].grad_pre, grad);
        }
    }
}

#[test]
fn extreme_densities_give_finite_losses_and_gradients() {
    let finite =
        |(loss, grad): &(f64, Vec<f64>)| loss.is_finite() && grad.iter().all(|g| g.is_finite());
    let gaussian = output_layer(Activation::Gaussian, 2);
    // A huge predicted variance: l = ½(ln 2π + 700 + e^(−700)), ∂l/∂z₂ = ½.
    let wide = at(&gaussian, &[0.0, 700.0], &[1.0]);
    assert!(finite(&wide), "{wide:?}");
    assert!(near(
        wide.0,
        0.5 * ((2.0 * std::f64::consts::PI).ln() + 700.0),
        1e-15
    ));
    assert_eq!(wide.1[1], 0.5);
    // A tiny one, 1 away from y: l = ½(ln 2π − 700 + e^700), finite though e^700 is huge.
    let narrow = at(&gaussian, &[0.0, -700.0], &[1.0]);
    assert!(finite(&narrow), "{narrow:?}");
    assert!(near(narrow.0, 0.5 * 700f64.exp(), 1e-13));
    assert!(near(narrow.1[0], -(700f64.exp()), 1e-13));
    // A mixture with huge logits, tiny and huge variances, and y far from every mean.
    let mdn = output_layer(Activation::Mdn, 9);
    for (z, y) in [
        (vec![1e5, -1e5, 0.0, 0.0, 1.0, -1.0, 0.0, 0.0, 0.0], 0.5),
        (vec![0.0, 0.0, 0.0, -1.0, 0.0, 1.0, 700.0, -700.0, 0.0], 3.0),
        (vec![0.0, 1.0, 2.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0], 1e6),
        (
            vec![3e2, -3e2, 0.0, -1.0, 0.0, 1.0, -700.0, 2.0, 700.0],
            -1e4,
        ),
    ] {
        let (loss, grad) = at(&mdn, &z, &[y]);
        assert!(
            finite(&(loss, grad.clone())),
            "{z:?} at {y}: {loss} {grad:?}"
        );
        // ∂l/∂a = π − γ sums to 0, as Σ π = Σ γ = 1.
        let logits: f64 = grad[..3].iter().sum();
        assert!(logits.abs() < 1e-12, "{logits}");
    }
    // y a million from means 0 and 1 of σ = 1: l ≈ the nearer component's ½(ln 2π + u²)
    // − ln π, and all of y's responsibility goes to it.
    let (loss, grad) = at(
        &mdn,
        &[0.0, 0.0, 0.0, 0.0, 1.0, -5.0, 0.0, 0.0, 0.0],
        &[1e6],
    );
    let u: f64 = 1e6 - 1.0;
    let expected = 0.5 * ((2.0 * std::f64::consts::PI).ln() + u * u) + 3f64.ln();
    assert!(near(loss, expected, 1e-15), "{loss} vs {expected}");
    assert!(near(grad[1], 1.0 / 3.0 - 1.0, 1e-15));
    assert!(near(grad[4], -u, 1e-15));
    // The network stops, rather than drawing NaN, only where the loss itself overflows.
    let (loss, _) = at(&mdn, &[0.0; 9], &[1e200]);
    assert_eq!(loss, f64::INFINITY);
}

#[test]
fn density_outputs_need_units_that_fit() {
    let mdn = |units: usize| {
        Architecture {
            layers: vec![LayerShape {
                inputs: 1,
                outputs: units,
                activation: Activation::Mdn,
            }],
        }
        .validated()
    };
    assert!(mdn(24).is_ok());
    assert!(mdn(27).unwrap_err().0.contains("1 to 8 components"));
    assert!(mdn(4).unwrap_err().0.contains("3 units per component"));
    let gaussian = Architecture {
        layers: vec![LayerShape {
            inputs: 1,
            outputs: 3,
            activation: Activation::Gaussian,
        }],
    };
    assert!(gaussian
        .validated()
        .unwrap_err()
        .0
        .contains("2 units per target"));
    let hidden = Architecture {
        layers: vec![
            LayerShape {
                inputs: 1,
                outputs: 2,
                activation: Activation::Gaussian,
            },
            LayerShape {
                inputs: 2,
                outputs: 1,
                activation: Activation::Identity,
            },
        ],
    };
    assert!(hidden
        .validated()
        .unwrap_err()
        .0
        .contains("gaussian belongs to the output layer only"));
    let arch = Architecture::mlp(1, &[4], Activation::Tanh, Task::Mixture(5)).unwrap();
    assert_eq!(arch.task(), Task::Mixture(5));
    assert_eq!(arch.layers[1].outputs, 15);
}

/// Every zˡ, ∇zˡ l and gradient entry of the passes has the bits of its sum taken one
/// term at a time in the passes' order, whatever the layer's shape and the number of
/// samples: zᵣ = bᵣ + Σ_c W[r, c] h_c in order of c; ∇zˡ⁻¹_c = (Σ_r W[r, c] δ_r) g'(z_c)
/// in order of r; ∇W[r, c] = (Σ over the even samples of δ_r h_c) + (Σ over the odd
/// ones) + 2λW[r, c], each in order of the samples; ∇b[r] likewise with h = 1. However
/// the passes group rows, pairs of samples or columns to share loads, no sum changes.
#[test]
fn the_passes_add_every_sum_in_order_whatever_the_shapes() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(12);
    let shapes: [(usize, &[usize], Task); 7] = [
        (1, &[], Task::Binary),
        (2, &[1], Task::Classes(3)),
        (3, &[5, 7], Task::Regression(1)),
        (2, &[16, 16], Task::Classes(3)),
        (5, &[9], Task::Regression(6)),
        (1, &[64], Task::Classes(2)),
        (7, &[2, 3, 4], Task::Gaussian(1)),
    ];
    for (inputs, hidden, task) in shapes {
        for activation in Activation::HIDDEN {
            for n in [1, 2, 3, 4, 5, 7, 10, 67] {
                let network = Network {
                    architecture: Architecture::mlp(inputs, hidden, activation, task).unwrap(),
                    l2: 0.03,
                };
                let arch = &network.architecture;
                let theta = random(&mut rng, arch.parameter_count(), 0.8);
                let (x, targets) = batch(&mut rng, inputs, task, n);
                let forward = network.forward(&theta, &x);
                let backward = network.backward(&theta, &forward, &targets);
                let case = format!("{inputs} {hidden:?} {task:?} {activation:?}, {n} samples");
                for (l, layer) in arch.layers.iter().enumerate() {
                    let (w, b) = (arch.weights(&theta, l), arch.biases(&theta, l));
                    let (h, z) = (&forward.post[l], &forward.pre[l]);
                    let delta = &backward.pre[l];
                    for r in 0..layer.outputs {
                        for i in 0..n {
                            let sum =
                                (0..layer.inputs).fold(b[r], |s, c| s + w[(r, c)] * h.get(i, c));
                            assert_eq!(
                                z.get(i, r).to_bits(),
                                sum.to_bits(),
                                "z {l} {r} {i}: {case}"
                            );
                        }
                        let lanes = |h: &dyn Fn(usize) -> f64| {
                            let half = |first| {
                                (first..n)
                                    .step_by(2)
                                    .fold(0.0, |s, i| s + delta.get(i, r) * h(i))
                            };
                            half(0) + half(1)
                        };
                        let (w_start, b_start) = arch.offsets(l);
                        let bias = lanes(&|_| 1.0);
                        assert_eq!(
                            backward.gradient[b_start + r].to_bits(),
                            bias.to_bits(),
                            "∇b {l} {r}: {case}"
                        );
                        for c in 0..layer.inputs {
                            let weight = lanes(&|i| h.get(i, c)) + 2.0 * network.l2 * w[(r, c)];
                            let at = w_start + c * layer.outputs + r;
                            assert_eq!(
                                backward.gradient[at].to_bits(),
                                weight.to_bits(),
                                "∇W {l} {r} {c}: {case}"
                            );
                        }
                    }
                    if l == 0 {
                        continue;
                    }
                    let (below, g) = (&backward.pre[l - 1], arch.layers[l - 1].activation);
                    for c in 0..layer.inputs {
                        for i in 0..n {
                            let sum = (0..layer.outputs)
                                .fold(0.0, |s, r| s + w[(r, c)] * delta.get(i, r));
                            let slope = g.derivative(
                                f64x2::splat(forward.pre[l - 1].get(i, c)),
                                f64x2::splat(h.get(i, c)),
                            );
                            let expected = sum * slope.to_array()[0];
                            assert_eq!(
                                below.get(i, c).to_bits(),
                                expected.to_bits(),
                                "∇z {} {c} {i}: {case}",
                                l - 1
                            );
                        }
                    }
                }
            }
        }
    }
}
