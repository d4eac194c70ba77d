//! Training as the lecture describes it: XOR learned by a hidden layer, symmetric
//! initializations that cannot learn, initializations with their documented variances,
//! schedules, early stopping, the inspector and the gradient check.

use gradscape::lab::network::NetworkLab;
use gradscape::lab::network_presets;
use gradscape::nn::data::{Dataset, DATASETS};
use gradscape::nn::init::Init;
use gradscape::nn::inspect::{check_gradient, gradient_check, inspect, THRESHOLD};
use gradscape::nn::model::{Model, ModelJson};
use gradscape::nn::network::{Architecture, Network, Targets, Task};
use gradscape::nn::schedule::{EarlyStopping, Schedule, Scheduler};
use gradscape::nn::setup::Setup;
use gradscape::nn::train::{Stop, TrainConfig, Trainer};
use gradscape::nn::Activation;
use gradscape::{optim, Spec};
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;

fn trainer(
    dataset: &str,
    hidden: &[usize],
    activation: Activation,
    init: Init,
    optimizer: &str,
    config: TrainConfig,
) -> Trainer {
    let data = Dataset::from_spec(&Spec::parse(dataset).unwrap()).unwrap();
    let architecture =
        Architecture::mlp(2, hidden, activation, Task::Classes(data.classes)).unwrap();
    let network = Network {
        architecture,
        l2: 0.0,
    };
    let theta = init.parameters(
        &network.architecture,
        &mut Xoshiro256PlusPlus::seed_from_u64(3),
    );
    let method = optim::from_spec(&Spec::parse(optimizer).unwrap()).unwrap();
    Trainer::new(
        network,
        theta,
        method.optimizer,
        data.split(0.2, 0.0, 5),
        config,
    )
    .unwrap()
}

fn plain(batch_size: usize) -> TrainConfig {
    TrainConfig {
        batch_size,
        schedule: Schedule::Constant,
        early_stopping: None,
        seed: 1,
    }
}

#[test]
fn a_2_4_2_tanh_network_learns_xor_and_a_linear_model_cannot() {
    let mut t = trainer(
        "xor:n=200,noise=0.1,seed=1",
        &[4],
        Activation::Tanh,
        Init::GlorotUniform,
        "sgd:lr=0.3",
        plain(10),
    );
    for _ in 0..60 {
        t.run_epoch();
    }
    let last = t.history.last().unwrap();
    assert_eq!(last.train.accuracy, Some(1.0));
    assert_eq!(last.validation.unwrap().accuracy, Some(1.0));
    let mut linear = trainer(
        "xor:n=200,noise=0.1,seed=1",
        &[],
        Activation::Tanh,
        Init::GlorotUniform,
        "sgd:lr=0.3",
        plain(10),
    );
    for _ in 0..60 {
        linear.run_epoch();
    }
    assert!(
        linear.history.last().unwrap().train.accuracy.unwrap() < 0.8,
        "XOR needs a hidden layer"
    );
}

/// Rows of W¹ (each hidden unit's incoming weights) and columns of W² (its outgoing).
fn hidden_units(t: &Trainer) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let arch = &t.network.architecture;
    let w1 = arch.weights(&t.theta, 0);
    let w2 = arch.weights(&t.theta, 1);
    (
        w1.row_iter().map(|r| r.iter().copied().collect()).collect(),
        w2.column_iter()
            .map(|c| c.iter().copied().collect())
            .collect(),
    )
}

#[test]
fn zero_and_constant_inits_keep_every_hidden_unit_identical() {
    for (init, activation) in [
        (Init::Zero, Activation::Tanh),
        (Init::Zero, Activation::Sigmoid),
        (Init::Constant(0.3), Activation::Tanh),
    ] {
        let mut t = trainer(
            "moons:n=200,seed=2",
            &[5],
            activation,
            init,
            "sgd:lr=0.5",
            plain(10),
        );
        for _ in 0..10 {
            t.run_epoch();
        }
        let (incoming, outgoing) = hidden_units(&t);
        for unit in 1..5 {
            assert_eq!(
                incoming[unit], incoming[0],
                "{init:?}: incoming weights of unit {unit}"
            );
            assert_eq!(
                outgoing[unit], outgoing[0],
                "{init:?}: outgoing weights of unit {unit}"
            );
        }
        if (init, activation) == (Init::Zero, Activation::Tanh) {
            // tanh(0) = 0, so ∇W² = δ hᵀ = 0 and ∇h = (W²)ᵀ δ = 0: a saddle point.
            assert!(
                incoming
                    .iter()
                    .chain(&outgoing)
                    .flatten()
                    .all(|w| *w == 0.0),
                "no weight moves"
            );
        }
    }
}

#[test]
fn each_init_has_its_documented_variance() {
    let (n_out, n_in) = (300, 200);
    let architecture = Architecture {
        layers: vec![gradscape::nn::LayerShape {
            inputs: n_in,
            outputs: n_out,
            activation: Activation::Identity,
        }],
    }
    .validated()
    .unwrap();
    let fans = (n_in + n_out) as f64;
    for (init, variance) in [
        (Init::Normal(0.01), 1e-4),
        (Init::Uniform(0.2), 0.04 / 3.0),
        (Init::GlorotUniform, 2.0 / fans),
        (Init::GlorotNormal, 2.0 / fans),
        (Init::He, 2.0 / n_in as f64),
    ] {
        let theta = init.parameters(&architecture, &mut Xoshiro256PlusPlus::seed_from_u64(11));
        let w = &theta[..n_out * n_in];
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        let var = w.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / w.len() as f64;
        assert!(mean.abs() < 0.02 * variance.sqrt(), "{init:?}: mean {mean}");
        assert!(
            (var / variance - 1.0).abs() < 0.02,
            "{init:?}: variance {var}, expected {variance}"
        );
        assert!(
            theta[n_out * n_in..].iter().all(|b| *b == 0.0),
            "biases start at zero"
        );
    }
    // Orthogonal: W Wᵀ = I for a wide W, Wᵀ W = I for a tall one.
    let theta =
        Init::Orthogonal.parameters(&architecture, &mut Xoshiro256PlusPlus::seed_from_u64(11));
    let w = DMatrix::from_column_slice(n_out, n_in, &theta[..n_out * n_in]);
    let gram = w.transpose() * &w;
    assert!((gram - DMatrix::identity(n_in, n_in)).abs().max() < 1e-12);
}

#[test]
fn schedules_change_the_learning_rate_as_documented() {
    let exponential = Schedule::from_spec(&Spec::parse("exponential:decay=0.9").unwrap()).unwrap();
    let mut s = Scheduler::new(exponential);
    let mut rate = 1.0;
    for _ in 0..10 {
        rate = s.after_update(rate);
    }
    assert!((rate - 0.9f64.powi(10)).abs() < 1e-15);

    let mut s = Scheduler::new(
        Schedule::from_spec(&Spec::parse("step:every=3,factor=0.5").unwrap()).unwrap(),
    );
    let rates: Vec<f64> = (1..=7)
        .scan(1.0, |r, epoch| {
            *r = s.after_epoch(*r, epoch, 1.0);
            Some(*r)
        })
        .collect();
    assert_eq!(rates, [1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25]);

    // Plateau: patience 2, so the third epoch without improvement halves η.
    let mut s = Scheduler::new(
        Schedule::from_spec(&Spec::parse("plateau:factor=0.5,patience=2").unwrap()).unwrap(),
    );
    let losses = [1.0, 0.8, 0.8, 0.79999, 0.9, 0.5, 0.6, 0.6, 0.6];
    let rates: Vec<f64> = losses
        .iter()
        .enumerate()
        .scan(1.0, |r, (i, &loss)| {
            *r = s.after_epoch(*r, i + 1, loss);
            Some(*r)
        })
        .collect();
    assert_eq!(rates, [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25]);
    assert!(Schedule::from_spec(&Spec::parse("step:factor=2").unwrap()).is_err());
}

#[test]
fn early_stopping_stops_and_restores_the_best_weights() {
    let config = TrainConfig {
        batch_size: 5,
        schedule: Schedule::Constant,
        early_stopping: Some(EarlyStopping {
            patience: 3,
            restore_best: true,
        }),
        seed: 1,
    };
    // A large network on few noisy points overfits, so the validation loss turns up.
    let mut t = trainer(
        "moons:n=60,noise=0.35,seed=4",
        &[32, 32],
        Activation::Relu,
        Init::He,
        "adam:lr=0.01",
        config,
    );
    for _ in 0..500 {
        t.run_epoch();
        if t.stopped.is_some() {
            break;
        }
    }
    let Some(Stop::EarlyStopped { epoch, best_epoch }) = t.stopped else {
        panic!("did not stop early: {:?}", t.stopped)
    };
    assert_eq!(epoch, best_epoch + 3);
    let best = t.history[best_epoch - 1].validation.unwrap().data_loss;
    assert!(t
        .history
        .iter()
        .all(|r| r.validation.unwrap().data_loss >= best));
    let validation = t.data.validation.clone();
    let now = t.evaluate(&validation.x, &validation.targets).data_loss;
    assert_eq!(
        now, best,
        "the restored weights are those of the best epoch"
    );
}

#[test]
fn a_diverging_run_stops_without_keeping_a_bad_update() {
    let mut t = trainer(
        "spirals:n=100,seed=1",
        &[8],
        Activation::Relu,
        Init::He,
        "sgd:lr=1e6",
        plain(10),
    );
    for _ in 0..20 {
        t.run_epoch();
    }
    assert!(
        matches!(t.stopped, Some(Stop::Diverged { .. })),
        "{:?}",
        t.stopped
    );
    assert!(t.theta.iter().all(|v| v.is_finite()));
}

#[test]
fn the_inspector_shows_the_lectures_quantities() {
    let architecture = Architecture::mlp(2, &[3], Activation::Tanh, Task::Classes(3)).unwrap();
    let network = Network {
        architecture,
        l2: 0.1,
    };
    let theta = Init::GlorotNormal.parameters(
        &network.architecture,
        &mut Xoshiro256PlusPlus::seed_from_u64(9),
    );
    let x = [0.4, -0.7];
    let target = Targets::Classes(vec![2]);
    let i = inspect(&network, &theta, &x, &target, 0.1);
    let (hidden, output) = (&i.layers[0], &i.layers[1]);
    assert_eq!(hidden.input, x);
    // Named as the slides name them, with the weights they name.
    let n = |t: &gradscape::nn::inspect::LayerTrace| {
        let n = &t.names;
        [&*n.z, &*n.h, &*n.w, &*n.b, &*n.input].map(String::from)
    };
    assert_eq!(n(hidden), ["zʰ", "h", "Wʰ", "bʰ", "x"]);
    assert_eq!(n(output), ["zᵒ", "f(x)", "Wᵒ", "bᵒ", "h"]);
    let arch = &network.architecture;
    for (l, layer) in i.layers.iter().enumerate() {
        let w = arch.weights(&theta, l);
        assert_eq!(layer.weights.len(), w.nrows());
        for (r, row) in layer.weights.iter().enumerate() {
            assert_eq!(row.as_slice(), w.row(r).iter().copied().collect::<Vec<_>>());
        }
        assert_eq!(layer.biases.as_slice(), arch.biases(&theta, l).as_slice());
    }
    assert_eq!(i.one_hot, Some(vec![0.0, 0.0, 1.0]));
    // ∇zᵒ l = f(x) − e(y); ∇bᵒ l = ∇zᵒ l; ∇Wᵒ l = ∇zᵒ l · hᵀ.
    for c in 0..3 {
        assert!(
            (output.grad_pre[c] - (i.output[c] - i.one_hot.as_ref().unwrap()[c])).abs() < 1e-15
        );
        assert_eq!(output.grad_biases[c], output.grad_pre[c]);
        for j in 0..3 {
            assert!(
                (output.grad_weights[c][j] - output.grad_pre[c] * hidden.post[j]).abs() < 1e-15
            );
        }
    }
    // ∇zʰ l = ∇h l ⊙ tanh'(zʰ).
    for j in 0..3 {
        let expected = output.grad_input[j] * (1.0 - hidden.post[j] * hidden.post[j]);
        assert!((hidden.grad_pre[j] - expected).abs() < 1e-15);
    }
    assert!((i.loss_before + i.output[2].ln()).abs() < 1e-12);
    assert!(
        i.loss_after < i.loss_before,
        "a small step lowers the sample's loss"
    );
}

#[test]
fn the_gradient_check_confirms_backprop() {
    for activation in [Activation::Sigmoid, Activation::Tanh] {
        let architecture = Architecture::mlp(2, &[6, 4], activation, Task::Binary).unwrap();
        let network = Network {
            architecture,
            l2: 0.01,
        };
        let theta = Init::GlorotNormal.parameters(
            &network.architecture,
            &mut Xoshiro256PlusPlus::seed_from_u64(2),
        );
        let data = Dataset::from_spec(&Spec::parse("circles:n=50").unwrap()).unwrap();
        let targets = data.targets_for(Task::Binary).unwrap();
        let check = gradient_check(&network, &theta, &data.x, &targets);
        assert_eq!(check.per_layer.len(), 3);
        assert!(check.passed, "{activation:?}: {check:?}");
        assert_eq!(check.threshold, THRESHOLD);
    }
}

#[test]
fn backprop_passes_the_gradient_check_by_orders_of_magnitude() {
    // The default and every preset's network, before and after training: saturated
    // sigmoids (the worst, 1.4e-7), ReLUs, symmetric and zero starts, a run that
    // diverged.
    let mut setups = vec![Setup::default()];
    setups.extend(network_presets().into_iter().map(|p| p.settings));
    for setup in setups {
        let mut lab = NetworkLab::open(&setup);
        for epochs in [0, 30] {
            while lab.trainer().epoch < epochs && lab.trainer().stopped.is_none() {
                lab.train(1);
            }
            let check = lab.gradient_check().unwrap();
            assert!(check.passed, "{setup:?} at epoch {epochs}: {check:?}");
            assert!(
                check.max_relative_error < 0.1 * THRESHOLD,
                "{setup:?} at epoch {epochs}: {check:?}"
            );
        }
    }
}

#[test]
fn a_wrong_gradient_fails_the_gradient_check() {
    let architecture = Architecture::mlp(2, &[6], Activation::Tanh, Task::Classes(2)).unwrap();
    let network = Network {
        architecture,
        l2: 0.0,
    };
    let theta = Init::GlorotUniform.parameters(
        &network.architecture,
        &mut Xoshiro256PlusPlus::seed_from_u64(4),
    );
    let data = Dataset::from_spec(&Spec::parse("moons:n=20").unwrap()).unwrap();
    let targets = data.targets_for(Task::Classes(2)).unwrap();
    let (_, gradient) = network.loss_and_gradient(&theta, &data.x, &targets);
    let right = check_gradient(&network, &theta, &data.x, &targets, &gradient).unwrap();
    assert!(right.passed, "{right:?}");
    // One entry 0.1% off: |0.001 g| / (|g| + |1.001 g|) ≈ 5e-4, fifty times the threshold.
    let largest = (0..gradient.len())
        .max_by(|&a, &b| gradient[a].abs().total_cmp(&gradient[b].abs()))
        .unwrap();
    let mut wrong = gradient.clone();
    wrong[largest] *= 1.001;
    let check = check_gradient(&network, &theta, &data.x, &targets, &wrong).unwrap();
    assert!(!check.passed, "{check:?}");
    assert!((check.max_relative_error - 0.001 / 2.001).abs() < 1e-6);
    // A sign slip in one small entry fails as well.
    let smallest = (0..gradient.len())
        .filter(|&i| gradient[i] != 0.0)
        .min_by(|&a, &b| gradient[a].abs().total_cmp(&gradient[b].abs()))
        .unwrap();
    let mut flipped = gradient.clone();
    flipped[smallest] = -flipped[smallest];
    let check = check_gradient(&network, &theta, &data.x, &targets, &flipped).unwrap();
    assert!(!check.passed, "{:e}: {check:?}", gradient[smallest]);
    // A gradient of the wrong length is refused.
    assert!(check_gradient(&network, &theta, &data.x, &targets, &gradient[1..]).is_err());
}

#[test]
fn models_round_trip_through_json() {
    let architecture = Architecture::mlp(2, &[3], Activation::Relu, Task::Classes(4)).unwrap();
    let network = Network {
        architecture,
        l2: 0.25,
    };
    let theta = Init::He.parameters(
        &network.architecture,
        &mut Xoshiro256PlusPlus::seed_from_u64(1),
    );
    let model = Model {
        network,
        theta,
        normalize: None,
    };
    let text = serde_json::to_string(&model.to_json()).unwrap();
    let back = Model::from_json(&serde_json::from_str::<ModelJson>(&text).unwrap()).unwrap();
    assert_eq!(back, model);
    // W is written as [out, in] rows.
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["layers"][0]["W"].as_array().unwrap().len(), 3);
    assert_eq!(json["layers"][0]["W"][0].as_array().unwrap().len(), 2);
    assert_eq!(json["layers"][1]["activation"], "softmax");
    // A density output names itself, an mdn with its k beside.
    for (task, activation, k) in [
        (Task::Gaussian(2), "gaussian", None),
        (Task::Mixture(4), "mdn", Some(4)),
    ] {
        let network = Network {
            architecture: Architecture::mlp(2, &[3], Activation::Tanh, task).unwrap(),
            l2: 0.0,
        };
        let theta = vec![0.5; network.architecture.parameter_count()];
        let model = Model {
            network,
            theta,
            normalize: None,
        };
        let text = serde_json::to_string(&model.to_json()).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["layers"][1]["activation"], activation);
        assert_eq!(json["layers"][1]["k"].as_u64(), k);
        let back = Model::from_json(&serde_json::from_str::<ModelJson>(&text).unwrap()).unwrap();
        assert_eq!(back, model);
    }
}

#[test]
fn datasets_are_seeded_balanced_and_checked() {
    let spec = |s: &str| Dataset::from_spec(&Spec::parse(s).unwrap());
    for name in [
        "moons",
        "circles",
        "xor",
        "blobs:k=5",
        "spirals:k=4",
        "curve",
        "noisy-curve",
        "two-branches",
    ] {
        let a = spec(&format!(
            "{name}{}n=90,seed=3",
            if name.contains(':') { "," } else { ":" }
        ))
        .unwrap();
        let b = spec(&format!(
            "{name}{}n=90,seed=3",
            if name.contains(':') { "," } else { ":" }
        ))
        .unwrap();
        assert_eq!(a, b, "{name} is reproducible");
        assert_eq!(a.len(), 90);
        if let Targets::Classes(y) = &a.targets {
            for c in 0..a.classes {
                let count = y.iter().filter(|&&l| l == c).count();
                assert!(count.abs_diff(90 / a.classes) <= 1, "{name}: balanced");
            }
        }
    }
    assert!(spec("moons:n=2")
        .unwrap_err()
        .0
        .contains("n = 2 is out of range"));
    assert!(spec("moons:n=2.5")
        .unwrap_err()
        .0
        .contains("is not a whole number"));
    assert!(spec("moons:k=3")
        .unwrap_err()
        .0
        .contains("only blobs and spirals take k"));
    assert!(spec("galaxy").unwrap_err().0.contains("unknown dataset"));
    assert!(spec("two-branches:k=2").is_err());
    let split = spec("moons:n=100").unwrap().split(0.2, 0.1, 1);
    assert_eq!(
        (split.train.len(), split.validation.len(), split.test.len()),
        (70, 20, 10)
    );
}

/// The targets of a 1-D dataset and their residuals from `curve`, with x.
fn residuals(spec: &str, curve: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    let data = Dataset::from_spec(&Spec::parse(spec).unwrap()).unwrap();
    let Targets::Values(y) = &data.targets else {
        panic!("{spec} is a regression")
    };
    (0..data.len())
        .map(|i| (data.x[(0, i)], y[(0, i)] - curve(data.x[(0, i)])))
        .collect()
}

#[test]
fn the_noisy_curve_s_noise_grows_thirteenfold_from_the_middle_to_the_ends() {
    let curve = |x: f64| libm::sin(3.0 * x) + x / 2.0;
    let points = residuals("noisy-curve:n=20000,seed=5", curve);
    // Residuals over σ(x) = noise (0.25 + 3|x|), noise = 0.1, which is 0.025 at x = 0 and
    // 13 times that at |x| = 1: a standard normal's, of root mean square 1, in each
    // third of |x| (some 6700 points each, so within 3%).
    for third in 0..3 {
        let band = |x: f64| (3.0 * x.abs()).floor() as usize == third;
        let u: Vec<f64> = points
            .iter()
            .filter(|p| band(p.0))
            .map(|(x, r)| r / (0.1 * (0.25 + 3.0 * x.abs())))
            .collect();
        let rms = (u.iter().map(|u| u * u).sum::<f64>() / u.len() as f64).sqrt();
        assert!((rms - 1.0).abs() < 0.03, "third {third}: {rms}");
    }
    // Without noise, the curve itself.
    let exact = residuals("noisy-curve:n=50,noise=0", curve);
    assert!(exact.iter().all(|p| p.1 == 0.0));
}

#[test]
fn two_branches_put_half_the_points_on_each() {
    let points = residuals("two-branches:n=101,noise=0", |_| 0.0);
    let on = |sign: f64| {
        points
            .iter()
            .filter(|(x, y)| *y == sign * libm::sqrt(1.0 + x))
            .count()
    };
    assert_eq!((on(1.0), on(-1.0)), (51, 50));
}

#[test]
fn an_epoch_evaluated_in_slices_sums_the_same_bits_as_one_pass() {
    for (dataset, output) in [
        ("spirals:n=1300", "softmax"),
        ("noisy-curve:n=1300", "gaussian"),
        ("two-branches:n=1300", "mdn:k=4"),
    ] {
        let setup = Setup {
            dataset: Spec::parse(dataset).unwrap(),
            output: output.into(),
            validation: 0.0,
            ..Setup::default()
        };
        let mut t = setup.build().unwrap().trainer;
        t.run_epoch();
        assert!(t.data.train.len() > 2 * gradscape::nn::train::EVALUATION_SLICE);
        let targets = t.data.train.targets_for(t.task()).unwrap();
        let forward = t.network.forward(&t.theta, &t.data.train.x);
        let whole = t.network.data_loss(&forward, &targets);
        let sliced = t.history[0].train.data_loss;
        assert_eq!(
            sliced.to_bits(),
            whole.to_bits(),
            "{output}: {sliced} vs {whole}"
        );
    }
}

/// Ten seconds of the page at its default speed of 4 updates a frame, counting 30
/// frames a second: half what a browser aims for, as a slow laptop or the end-of-epoch
/// evaluations may take. An update of the default network takes some 10 µs natively.
const TEN_SECONDS: usize = 1200;

#[test]
fn the_defaults_succeed_visibly_on_every_dataset_within_ten_seconds() {
    for entry in DATASETS {
        let setup = Setup {
            dataset: Spec::named(entry.id),
            ..Setup::default()
        };
        let mut t = setup.build().unwrap().trainer;
        (0..TEN_SECONDS).for_each(|_| {
            t.update();
        });
        assert_eq!(t.stopped, None);
        let targets = t.data.train.targets_for(t.task()).unwrap();
        let train = t.evaluate(&t.data.train.x, &targets);
        match (entry.id, train.accuracy) {
            // Squared error within three times the noise's variance, 0.1²: the
            // constant fit's is about 0.96.
            ("curve", None) => assert!(train.data_loss < 0.03, "{train:?}"),
            // The noise's variance averages 0.1² E[(0.25 + 3|x|)²] = 0.038 over x, the
            // least squared error any fit can reach: the default is within 1.6 times it.
            ("noisy-curve", None) => assert!(train.data_loss < 0.06, "{train:?}"),
            // The best a squared-error fit can do is the mean of y at each x, 0, with
            // E[1 + x] + 0.1² = 1.01: the default gets within 2% of it.
            ("two-branches", None) => assert!(train.data_loss < 1.03, "{train:?}"),
            // The arms overlap near the centre under noise 0.1, where no classifier
            // does better than about 91%; success is the map following the arms: the
            // noise-free arms classified right, but for their ends at the centre, where
            // they meet.
            ("spirals", Some(accuracy)) => {
                assert!(accuracy >= 0.85, "{train:?}");
                let arms =
                    Dataset::from_spec(&Spec::parse("spirals:noise=0,n=600").unwrap()).unwrap();
                let targets = arms.targets_for(t.task()).unwrap();
                let on_arms = t.evaluate(&arms.x, &targets).accuracy.unwrap();
                assert!(on_arms >= 0.95, "{on_arms}");
            }
            (_, Some(accuracy)) => assert!(accuracy >= 0.97, "{}: {train:?}", entry.id),
            (id, None) => panic!("{id} has no accuracy"),
        }
    }
}
