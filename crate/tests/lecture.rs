//! The fast passes (two samples per SIMD instruction, the network's own exp and tanh)
//! against backprop as the lecture writes it (`nn::lecture`), on random networks of
//! every depth, width, hidden activation and output, with odd and even batches: the
//! same loss and gradients to 1e-12, and the inspector's every quantity too.

use gradscape::nn::inspect::inspect;
use gradscape::nn::lecture::{self, Layer, Target};
use gradscape::nn::network::{Architecture, Network, Targets, Task};
use gradscape::nn::Activation;
use nalgebra::{DMatrix, DVector};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

mod support;

/// The lecture's layers for θ.
fn layers(arch: &Architecture, theta: &[f64]) -> Vec<Layer> {
    arch.layers
        .iter()
        .enumerate()
        .map(|(l, shape)| Layer {
            w: arch.weights(theta, l).into_owned(),
            b: arch.biases(theta, l).into_owned(),
            g: shape.activation,
        })
        .collect()
}

fn target(targets: &Targets, i: usize) -> Target {
    match targets {
        Targets::Classes(y) => Target::Class(y[i]),
        Targets::Binary(y) => Target::Binary(y[i]),
        Targets::Values(y) => Target::Values(y.column(i).into_owned()),
    }
}

/// |a − b| ≤ 1e-12 of the largest magnitude among `scale`'s values (a gradient's
/// entries are sums whose terms may cancel, so each is measured against its layer's).
fn close(a: &[f64], b: &[f64], what: &str) {
    let scale = b.iter().fold(1e-300_f64, |m, v| m.max(v.abs()));
    for (i, (a, b)) in a.iter().zip(b).enumerate() {
        assert!(
            (a - b).abs() <= 1e-12 * scale,
            "{what}[{i}]: {a} against the lecture's {b}"
        );
    }
    assert_eq!(a.len(), b.len(), "{what}");
}

/// A loss to 1e-12 of max(|l|, 1): a confident softmax's NLL is ln Σⱼ e^(zⱼ − max z)
/// = ln(1 + ε) for a tiny ε, whose rounding (of 1 + ε) is absolute, some 1e-16.
fn close_loss(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-12 * b.abs().max(1.0),
        "{what}: {a} against the lecture's {b}"
    );
}

/// A random network, batch and θ; `case` picks the output (every one in six cases) and
/// the hidden activation (in four).
fn random_case(
    rng: &mut Xoshiro256PlusPlus,
    case: usize,
) -> (Network, Vec<f64>, DMatrix<f64>, Targets) {
    let inputs = rng.random_range(1..5);
    let task = match case % 6 {
        0 => Task::Classes(rng.random_range(2..6)),
        1 => Task::Binary,
        2 => Task::Regression(rng.random_range(1..4)),
        3 => Task::Gaussian(rng.random_range(1..3)),
        4 => Task::Mixture(rng.random_range(1..9)),
        _ => Task::Classes(2),
    };
    let depth = rng.random_range(0..4);
    let hidden: Vec<usize> = (0..depth).map(|_| rng.random_range(1..8)).collect();
    let activation = Activation::HIDDEN[case % 4];
    let architecture = Architecture::mlp(inputs, &hidden, activation, task).unwrap();
    let network = Network {
        l2: if case.is_multiple_of(3) {
            0.0
        } else {
            0.01 * (case % 7) as f64
        },
        architecture,
    };
    let theta = support::random(rng, network.architecture.parameter_count(), 1.2);
    let n = rng.random_range(1..10);
    let (x, targets) = support::batch(rng, inputs, task, n);
    (network, theta, x, targets)
}

#[test]
fn the_fast_passes_compute_the_lectures_loss_and_gradients() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2024);
    for case in 0..400 {
        let (network, theta, x, targets) = random_case(&mut rng, case);
        let arch = &network.architecture;
        let lecture = layers(arch, &theta);
        let n = x.ncols();
        // The lecture's mean over the batch, plus λ Σ‖W‖² and its gradient 2λW.
        let passes: Vec<_> = (0..n)
            .map(|i| lecture::backprop(&lecture, &x.column(i).into_owned(), &target(&targets, i)))
            .collect();
        let l2 = network.l2;
        let loss = passes.iter().map(|p| p.loss).sum::<f64>() / n as f64
            + l2 * lecture.iter().map(|l| l.w.norm_squared()).sum::<f64>();
        let (fast_loss, gradient) = network.loss_and_gradient(&theta, &x, &targets);
        close_loss(fast_loss.total(), loss, &format!("case {case}: loss"));
        for (l, layer) in lecture.iter().enumerate() {
            let mean_w = passes
                .iter()
                .fold(DMatrix::zeros(layer.w.nrows(), layer.w.ncols()), |s, p| {
                    s + &p.grad_w[l]
                })
                / n as f64
                + 2.0 * l2 * &layer.w;
            let mean_b = passes
                .iter()
                .fold(DVector::zeros(layer.b.len()), |s, p| s + &p.grad_b[l])
                / n as f64;
            let (w, b) = arch.offsets(l);
            let what = format!("case {case}, layer {l}, {:?}", arch.layers[l]);
            close(&gradient[w..b], mean_w.as_slice(), &format!("{what}: ∇W"));
            close(
                &gradient[b..b + layer.b.len()],
                mean_b.as_slice(),
                &format!("{what}: ∇b"),
            );
        }
    }
}

#[test]
fn the_inspector_shows_the_lectures_quantities() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    for case in 0..100 {
        let (network, theta, x, targets) = random_case(&mut rng, case);
        let lecture = layers(&network.architecture, &theta);
        let sample = x.column(0).into_owned();
        let target0 = targets.select(&[0]);
        let ours = inspect(&network, &theta, sample.as_slice(), &target0, 0.1);
        let theirs = lecture::backprop(&lecture, &sample, &target(&targets, 0));
        close_loss(ours.loss_before, theirs.loss, &format!("case {case}: l"));
        for (l, layer) in ours.layers.iter().enumerate() {
            let what = |q: &str| format!("case {case}, layer {l}: {q}");
            close(&layer.pre, theirs.z[l].as_slice(), &what("z"));
            close(&layer.post, theirs.h[l].as_slice(), &what("h"));
            close(&layer.grad_pre, theirs.grad_z[l].as_slice(), &what("∇z"));
            close(&layer.grad_biases, theirs.grad_b[l].as_slice(), &what("∇b"));
            close(
                &layer.grad_input,
                theirs.grad_h[l].as_slice(),
                &what("∇h below"),
            );
            let rows: Vec<f64> = layer.grad_weights.iter().flatten().copied().collect();
            let expected: Vec<f64> = theirs.grad_w[l].transpose().iter().copied().collect();
            close(&rows, &expected, &what("∇W"));
        }
    }
}
