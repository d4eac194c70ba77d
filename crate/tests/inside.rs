//! Inside training: each layer's ‖∇Wˡ‖ and ‖Wˡ‖ against the inspector's gradients,
//! the saturated and dead units against hand counts, the loss early stopping and
//! reduce-on-plateau watch, and the inspector's ∂l/∂f(x) and output error against
//! central differences, for every loss.

mod support;

use gradscape::nn::data::{Dataset, Split};
use gradscape::nn::inspect::inspect;
use gradscape::nn::network::{Architecture, LayerShape, Network, Targets, Task};
use gradscape::nn::schedule::{Schedule, Scheduler};
use gradscape::nn::setup::Setup;
use gradscape::nn::train::{Stop, TrainConfig, Trainer};
use gradscape::nn::Activation;
use gradscape::{optim, Spec};
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use support::{batch, random};

fn setup(json: &str) -> Setup {
    serde_json::from_str(json).unwrap()
}

/// ‖M‖_F of a matrix given row by row.
fn frobenius(rows: &[Vec<f64>]) -> f64 {
    rows.iter().flatten().map(|v| v * v).sum::<f64>().sqrt()
}

#[test]
fn a_layer_s_gradient_norm_is_that_of_the_inspector_s_gradients_averaged_over_the_batch() {
    for l2 in [0.0, 0.01] {
        // The whole training set in one batch: one update an epoch, at θ₀.
        let s = setup(&format!(
            r#"{{"dataset": "moons:n=40", "hidden": [5, 4], "l2": {l2}, "optimizer": "sgd:lr=0.1", "batch": 500, "validation": 0}}"#
        ));
        let mut t = s.build().unwrap().trainer;
        let start = t.theta.clone();
        t.run_epoch();
        assert_eq!(t.updates, 1);
        let measured = &t.layer_history[1];
        assert_eq!(measured.epoch, 1);
        let arch = &t.network.architecture;
        let targets = t.data.train.targets_for(t.task()).unwrap();
        let n = t.data.train.len();
        for (l, record) in measured.layers.iter().enumerate() {
            // ∇Wˡ L_B = (1/n) Σᵢ ∇Wˡ lᵢ + 2λWˡ, from the inspector's per-point gradients.
            let w = arch.weights(&start, l);
            let mut mean = vec![vec![0.0; w.ncols()]; w.nrows()];
            for i in 0..n {
                let x: Vec<f64> = t.data.train.x.column(i).iter().copied().collect();
                let point = inspect(&t.network, &start, &x, &targets.select(&[i]), 0.1);
                for (row, point_row) in mean.iter_mut().zip(&point.layers[l].grad_weights) {
                    for (m, g) in row.iter_mut().zip(point_row) {
                        *m += g / n as f64;
                    }
                }
            }
            for (r, row) in mean.iter_mut().enumerate() {
                for (c, m) in row.iter_mut().enumerate() {
                    *m += 2.0 * l2 * w[(r, c)];
                }
            }
            let gradient = frobenius(&mean);
            let weights = w.iter().map(|v| v * v).sum::<f64>().sqrt();
            let measured_gradient = record.gradient_norm.unwrap();
            assert!(
                (measured_gradient - gradient).abs() <= 1e-12 * gradient,
                "λ = {l2}, layer {l}: {measured_gradient} vs {gradient}"
            );
            assert!((record.weight_norm - weights).abs() <= 1e-14 * weights);
            let ratio = record.ratio.unwrap();
            assert!((ratio - gradient / weights).abs() <= 1e-12 * ratio);
        }
        // Epoch 0 is the initial weights: their norms, no gradient yet.
        let initial = &t.layer_history[0];
        assert_eq!(initial.epoch, 0);
        for (l, record) in initial.layers.iter().enumerate() {
            assert_eq!((record.gradient_norm, record.ratio), (None, None));
            let weights = arch.weights(&start, l).norm();
            assert!((record.weight_norm - weights).abs() <= 1e-14 * weights);
        }
    }
}

#[test]
fn zero_weights_have_no_ratio_and_every_value_is_finite() {
    let mut t = setup(
        r#"{"dataset": "moons:n=40", "hidden": [8], "init": "zero", "optimizer": "sgd:lr=0.3"}"#,
    )
    .build()
    .unwrap()
    .trainer;
    (0..3).for_each(|_| t.run_epoch());
    for epoch in &t.layer_history[1..] {
        for record in &epoch.layers {
            // No gradient reaches a zero weight (the zero-init saddle) and ‖W‖ = 0.
            assert_eq!(
                (record.gradient_norm, record.weight_norm, record.ratio),
                (Some(0.0), 0.0, None)
            );
        }
    }
    let json = serde_json::to_string(&t.layer_history).unwrap();
    assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
}

/// A trainer of one input through one hidden layer of `activation` with weights `w` and
/// biases `b` (one per unit), its output layer zero, on the points `xs`.
fn one_input(activation: Activation, w: &[f64], b: &[f64], xs: &[f64]) -> Trainer {
    let units = w.len();
    let architecture = Architecture {
        layers: vec![
            LayerShape {
                inputs: 1,
                outputs: units,
                activation,
            },
            LayerShape {
                inputs: units,
                outputs: 2,
                activation: Activation::Softmax,
            },
        ],
    }
    .validated()
    .unwrap();
    let mut theta = [w, b].concat();
    theta.extend(std::iter::repeat_n(0.0, 2 * units + 2));
    let points = |xs: &[f64]| Dataset {
        x: DMatrix::from_row_slice(1, xs.len(), xs),
        targets: Targets::Classes((0..xs.len()).map(|i| i % 2).collect()),
        classes: 2,
    };
    let data = Split {
        train: points(xs),
        validation: points(&[]),
        test: points(&[]),
    };
    let config = TrainConfig {
        batch_size: 2,
        schedule: Schedule::Constant,
        early_stopping: None,
        seed: 0,
    };
    let network = Network {
        architecture,
        l2: 0.0,
    };
    let sgd = optim::from_spec(&Spec::parse("sgd:lr=0.1").unwrap()).unwrap();
    Trainer::new(network, theta, sgd.optimizer, data, config).unwrap()
}

/// The first hidden layer's record of the initial weights.
fn initial(mut t: Trainer) -> gradscape::nn::diagnostics::LayerRecord {
    while t.layer_history.is_empty() {
        t.work();
    }
    assert_eq!(t.updates, 0);
    t.layer_history[0].layers[0]
}

#[test]
fn saturated_and_dead_units_are_counted_as_by_hand() {
    // Five points, an odd number (a spare lane in the passes).
    let xs = [-2.0, 0.0, 0.2, 3.0, -0.5];
    // sigm(t) is within 0.01 of 0 or 1 where |t| > ln 99 = 4.6: of h = sigm(x),
    // sigm(10x), sigm(−10x), none at x = −2 for the first, both others (|20|); none
    // at 0 and 0.2 (|2| at most); both others at 3 (|30|) and at −0.5 (|5|): 6 of 15.
    let sigmoid = initial(one_input(
        Activation::Sigmoid,
        &[1.0, 10.0, -10.0],
        &[0.0; 3],
        &xs,
    ));
    assert_eq!((sigmoid.saturated, sigmoid.dead), (Some(6.0 / 15.0), None));
    // tanh(t) beyond ±0.99 where |t| > atanh 0.99 = 2.65: tanh(x) at x = 3; tanh(3x)
    // at x = −2 and 3: 3 of 10.
    let tanh = initial(one_input(Activation::Tanh, &[1.0, 3.0], &[0.0; 2], &xs));
    assert_eq!(tanh.saturated, Some(3.0 / 10.0));
    // relu(x) is positive at 0.2 and 3, relu(−x) at −2 and −0.5; relu(0x − 1) never,
    // relu(x − 5) never (x ≤ 3): 2 dead units of 4.
    let relu = initial(one_input(
        Activation::Relu,
        &[1.0, -1.0, 0.0, 1.0],
        &[0.0, 0.0, -1.0, -5.0],
        &xs,
    ));
    assert_eq!((relu.saturated, relu.dead), (None, Some(0.5)));
    let identity = initial(one_input(Activation::Identity, &[1.0], &[0.0], &xs));
    assert_eq!((identity.saturated, identity.dead), (None, None));
}

#[test]
fn units_are_counted_on_the_training_set_at_each_epoch_s_end_across_evaluation_slices() {
    for activation in ["tanh", "relu", "sigmoid"] {
        // 1040 training points: three slices of the end-of-epoch evaluation.
        let mut t = setup(&format!(
            r#"{{"dataset": "spirals:n=1300", "hidden": [8, 6], "activation": "{activation}", "init": "normal:2", "optimizer": "sgd:lr=0.5"}}"#
        ))
        .build()
        .unwrap()
        .trainer;
        assert!(t.data.train.len() > 2 * gradscape::nn::train::EVALUATION_SLICE);
        t.run_epoch();
        t.run_epoch();
        let forward = t.network.forward(&t.theta, &t.data.train.x);
        let hidden = &t.layer_history[2].layers[..2];
        for (l, (record, h)) in hidden.iter().zip(&forward.post[1..]).enumerate() {
            let values: Vec<f64> = h.iter().collect();
            match activation {
                "relu" => {
                    let dead = (0..h.units())
                        .filter(|&u| h.unit(u).iter().all(|&v| v <= 0.0))
                        .count();
                    assert_eq!(record.dead, Some(dead as f64 / h.units() as f64));
                }
                _ => {
                    let lower = if activation == "tanh" { -1.0 } else { 0.0 };
                    let saturated = values
                        .iter()
                        .filter(|&&v| v < lower + 0.01 || v > 0.99)
                        .count();
                    let share = saturated as f64 / values.len() as f64;
                    assert_eq!(record.saturated, Some(share), "{activation} {l}");
                    assert!(share > 0.0, "{activation}: the test counts something");
                }
            }
        }
        assert_eq!(t.layer_history.len(), t.history.len() + 1);
    }
}

#[test]
fn early_stopping_watches_the_full_validation_loss() {
    // λ = 0.03: the L2 term moves the best epoch one way or the other.
    let mut t = setup(
        r#"{"dataset": "moons:n=80,noise=0.35", "hidden": [16, 16], "l2": 0.03, "optimizer": "adam:lr=0.01", "early_stopping": 5}"#,
    )
    .build()
    .unwrap()
    .trainer;
    for _ in 0..300 {
        t.run_epoch();
        if t.stopped.is_some() {
            break;
        }
    }
    let Some(Stop::EarlyStopped { epoch, best_epoch }) = t.stopped else {
        panic!("it stops early: {:?}", t.stopped)
    };
    assert_eq!(epoch, best_epoch + 5);
    let validation = |e: usize| t.history[e - 1].validation.unwrap();
    let best_by = |loss: &dyn Fn(usize) -> f64| {
        (1..=epoch)
            .min_by(|&a, &b| loss(a).total_cmp(&loss(b)))
            .unwrap()
    };
    // The best epoch is that of the full loss L = NLL + λΣ‖W‖², the validation curve;
    // the NLL alone would have picked another.
    assert_eq!(best_epoch, best_by(&|e| validation(e).loss()));
    assert_ne!(best_epoch, best_by(&|e| validation(e).data_loss));
    let targets = t.data.validation.targets_for(t.task()).unwrap();
    let restored = t.evaluate(&t.data.validation.x, &targets);
    assert_eq!(restored.loss(), validation(best_epoch).loss());
    let watched = t.watched().unwrap();
    assert_eq!(
        (watched.loss.as_str(), watched.by, watched.validation),
        ("NLL + λΣ‖W‖²", "early stopping", true)
    );
}

#[test]
fn reduce_on_plateau_watches_the_full_validation_loss() {
    let json = r#"{"dataset": "moons:n=80,noise=0.35", "hidden": [16, 16], "l2": 0.03, "optimizer": "sgd:lr=0.3", "schedule": "plateau:patience=2"}"#;
    let mut t = setup(json).build().unwrap().trainer;
    (0..40).for_each(|_| t.run_epoch());
    let rates: Vec<f64> = t.history.iter().map(|r| r.learning_rate).collect();
    // Each epoch's η is what the schedule made of the one before and its loss.
    let replay = |loss: fn(&gradscape::nn::train::Metrics) -> f64| -> Vec<f64> {
        let schedule = Schedule::from_spec(&Spec::parse("plateau:patience=2").unwrap()).unwrap();
        let mut scheduler = Scheduler::new(schedule);
        let mut rate = rates[0];
        let mut replayed = vec![rate];
        for (e, record) in t.history.iter().enumerate().take(rates.len() - 1) {
            rate = scheduler.after_epoch(rate, e + 1, loss(&record.validation.unwrap()));
            replayed.push(rate);
        }
        replayed
    };
    assert_eq!(replay(|m| m.loss()), rates);
    assert_ne!(
        replay(|m| m.data_loss),
        rates,
        "the NLL alone halves η elsewhere"
    );
    assert_eq!(t.watched().unwrap().by, "plateau");
    let both = setup(
        r#"{"dataset": "moons:n=80", "schedule": "plateau", "early_stopping": 10, "validation": 0}"#,
    );
    let watched = both.build().unwrap().trainer.watched().unwrap();
    assert_eq!(
        (watched.loss.as_str(), watched.by, watched.validation),
        ("NLL", "early stopping and plateau", false)
    );
    assert!(setup("{}").build().unwrap().trainer.watched().is_none());
}

/// l(f, y) from its definition, for each output: what ∂l/∂f is checked against.
fn loss_of_output(task: Task, f: &[f64], target: &Targets) -> f64 {
    let normal = |y: f64, mean: f64, variance: f64| {
        (-(y - mean) * (y - mean) / (2.0 * variance)).exp()
            / (2.0 * std::f64::consts::PI * variance).sqrt()
    };
    match (task, target) {
        (Task::Classes(_), Targets::Classes(y)) => -f[y[0]].ln(),
        (Task::Binary, Targets::Binary(y)) => {
            -(y[0] * f[0].ln() + (1.0 - y[0]) * (1.0 - f[0]).ln())
        }
        (Task::Regression(_), Targets::Values(y)) => f
            .iter()
            .enumerate()
            .map(|(u, f)| (f - y[(u, 0)]).powi(2))
            .sum(),
        (Task::Gaussian(d), Targets::Values(y)) => (0..d)
            .map(|u| -normal(y[(u, 0)], f[u], f[d + u]).ln())
            .sum(),
        (Task::Mixture(k), Targets::Values(y)) => -(0..k)
            .map(|j| f[j] * normal(y[(0, 0)], f[k + j], f[2 * k + j]))
            .sum::<f64>()
            .ln(),
        _ => unreachable!("targets fit the task"),
    }
}

const TASKS: [Task; 6] = [
    Task::Classes(3),
    Task::Binary,
    Task::Regression(2),
    Task::Gaussian(2),
    Task::Mixture(1),
    Task::Mixture(3),
];

#[test]
fn the_inspector_s_loss_by_output_matches_central_differences_for_every_loss() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    for task in TASKS {
        let network = Network {
            architecture: Architecture::mlp(2, &[4], Activation::Tanh, task).unwrap(),
            l2: 0.1,
        };
        for sample in 0..4 {
            let theta = random(&mut rng, network.architecture.parameter_count(), 0.9);
            let (x, target) = batch(&mut rng, 2, task, 1);
            let shown = inspect(&network, &theta, x.as_slice(), &target, 0.1);
            let f = &shown.output;
            assert_eq!(shown.grad_output.len(), f.len());
            // The definition at f(x) is the inspector's loss (without the L2 term).
            let l = loss_of_output(task, f, &target);
            assert!((l - shown.loss_before).abs() < 1e-12 * l.abs().max(1.0));
            for (i, &analytic) in shown.grad_output.iter().enumerate() {
                let h = 1e-6 * f[i].abs().max(1e-3);
                let at = |v: f64| {
                    let mut moved = f.clone();
                    moved[i] = v;
                    loss_of_output(task, &moved, &target)
                };
                let numeric = (at(f[i] + h) - at(f[i] - h)) / (2.0 * h);
                assert!(
                    (analytic - numeric).abs() <= 1e-6 * numeric.abs().max(1.0),
                    "{task:?} sample {sample} output {i}: {analytic} vs {numeric}"
                );
            }
            // And the output function's Jacobian takes it to ∇zᵒ l, the output error.
            let error = &shown.layers.last().unwrap().grad_pre;
            let by_output = &shown.grad_output;
            let chained: Vec<f64> = match task {
                // ∂l/∂zⱼ = Σᵢ ∂l/∂fᵢ fᵢ(1_{i=j} − fⱼ)
                Task::Classes(k) => (0..k)
                    .map(|j| {
                        (0..k)
                            .map(|i| by_output[i] * f[i] * (f64::from(u8::from(i == j)) - f[j]))
                            .sum()
                    })
                    .collect(),
                Task::Binary => vec![by_output[0] * f[0] * (1.0 - f[0])],
                Task::Regression(_) => by_output.clone(),
                // μ = z₁, σ² = e^(z₂): ∂σ²/∂z₂ = σ².
                Task::Gaussian(d) => (0..2 * d)
                    .map(|u| by_output[u] * if u < d { 1.0 } else { f[u] })
                    .collect(),
                // π = softmax(a), μ, σ² = e^s.
                Task::Mixture(k) => (0..3 * k)
                    .map(|u| match u {
                        u if u < k => (0..k)
                            .map(|i| by_output[i] * f[i] * (f64::from(u8::from(i == u)) - f[u]))
                            .sum(),
                        u if u < 2 * k => by_output[u],
                        u => by_output[u] * f[u],
                    })
                    .collect(),
            };
            for (c, e) in chained.iter().zip(error) {
                assert!(
                    (c - e).abs() < 1e-9 * e.abs().max(1.0),
                    "{task:?}: {chained:?} vs {error:?}"
                );
            }
        }
    }
}

#[test]
fn the_inspector_s_output_error_matches_central_differences_for_every_loss() {
    // ∂l/∂zᵒ = ∂l/∂bᵒ, as zᵒ = Wᵒh + bᵒ: the loss moved through each output bias.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(6);
    for task in TASKS {
        let network = Network {
            architecture: Architecture::mlp(2, &[3], Activation::Sigmoid, task).unwrap(),
            l2: 0.0,
        };
        let arch = &network.architecture;
        let output = arch.layers.len() - 1;
        let (_, b) = arch.offsets(output);
        for _ in 0..4 {
            let theta = random(&mut rng, arch.parameter_count(), 0.9);
            let (x, target) = batch(&mut rng, 2, task, 1);
            let shown = inspect(&network, &theta, x.as_slice(), &target, 0.1);
            for (u, &analytic) in shown.layers[output].grad_pre.iter().enumerate() {
                let h = 1e-6;
                let loss = |shift: f64| {
                    let mut moved = theta.clone();
                    moved[b + u] += shift;
                    network.loss(&moved, &x, &target).data
                };
                let numeric = (loss(h) - loss(-h)) / (2.0 * h);
                assert!(
                    (analytic - numeric).abs() < 1e-7 * numeric.abs().max(1.0),
                    "{task:?} unit {u}: {analytic} vs {numeric}"
                );
            }
        }
    }
}

#[test]
fn a_saturated_sigmoid_s_loss_by_output_stays_finite() {
    // zᵒ = 40: f rounds to 1, where −y/f + (1 − y)/(1 − f) would divide by zero.
    let network = Network {
        architecture: Architecture::mlp(1, &[], Activation::Identity, Task::Binary).unwrap(),
        l2: 0.0,
    };
    let shown = inspect(
        &network,
        &[1.0, 0.0],
        &[40.0],
        &Targets::Binary(vec![0.0]),
        0.1,
    );
    assert_eq!(shown.output[0], 1.0);
    let expected = 1.0 + 40f64.exp();
    assert!((shown.grad_output[0] - expected).abs() < 1e-15 * expected);
}
