//! The runs whose every bit must agree natively and in the browser, and their fixture.
//!
//! `tests/golden/native-bits.txt` holds, per run on a surface, the number of iterates,
//! the IEEE-754 bits of the last x, y and loss, and an FNV-1a digest of the bits of
//! every x, y and loss; per network trained, the bits of its last losses and a digest of
//! every epoch's metrics and of the final θ (networks on distorted, standardized and
//! quantile-normalized inputs too); all as computed natively. `tests/native_bits.rs` checks the native build against
//! it (and rewrites it with GRADSCAPE_BLESS=1); `tests/web.rs` checks Chromium.

use gradscape::nn::data::Dataset;
use gradscape::nn::init::Init;
use gradscape::nn::network::{Architecture, Network, Task};
use gradscape::nn::schedule::Schedule;
use gradscape::nn::setup::Setup;
use gradscape::nn::train::{TrainConfig, Trainer};
use gradscape::nn::Activation;
use gradscape::run::trace;
use gradscape::{optim, Spec};
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;

/// Every optimizer on surfaces that use each transcendental function of the core
/// (cos and sin, tanh, exp and log1p, and in a typed formula every function a formula
/// may call, pow included), with and without gradient noise.
pub fn runs() -> Vec<(String, String)> {
    let surfaces = [
        "rosenbrock:b=5",
        "rastrigin",
        "long-valley",
        "quadratic:angle=33",
        "formula:log(1+x^2) + sqrt(1+y^2) + atan2(y, 2+x^2)/4 + tanh(x)*cosh(y/4)/4 \
         + sinh(x/4)*tan(y/4) + (2+sin(x))^cos(y)/8 + exp(-x^2)*atan(y)/8 \
         + abs(x-y)^1.5/8 + min(x, y)^2/16 + max(x, -y)/16",
    ];
    let mut runs = Vec::new();
    for surface in surfaces {
        for entry in gradscape::optim::CATALOGUE {
            runs.push((surface.to_string(), entry.id.to_string()));
            runs.push((
                surface.to_string(),
                format!("{}:noise=0.7,seed=11", entry.id),
            ));
        }
    }
    runs
}

/// FNV-1a over the bytes of the values' bits.
fn digest(values: &[f64]) -> u64 {
    values
        .iter()
        .flat_map(|v| v.to_bits().to_le_bytes())
        .fold(0xcbf29ce484222325, |h, byte| {
            (h ^ byte as u64).wrapping_mul(0x100000001b3)
        })
}

/// One line per run: `surface optimizer iterates last-x last-y last-loss digest`, then
/// the [`network_lines`] and the [`normalized_lines`].
pub fn lines() -> Vec<String> {
    let surfaces = runs().into_iter().map(|(surface, optimizer)| {
        let t = trace(&surface, &optimizer, [-1.3, 1.7], 60).unwrap();
        let diverged = matches!(t.status, gradscape::run::Status::Diverged { .. });
        assert!(!diverged, "{surface} {optimizer} must not diverge");
        let values: Vec<f64> = t
            .points
            .iter()
            .zip(&t.losses)
            .flat_map(|(p, loss)| [p[0], p[1], *loss])
            .collect();
        let last: Vec<String> = values[values.len() - 3..]
            .iter()
            .map(|v| format!("{:016x}", v.to_bits()))
            .collect();
        format!(
            "{surface} {optimizer} {} {} {:016x}",
            t.points.len(),
            last.join(" "),
            digest(&values)
        )
    });
    surfaces
        .chain(network_lines())
        .chain(normalized_lines())
        .collect()
}

/// Networks that use each activation and each output (a gaussian's and a mixture's NLL
/// included, with their libm exponentials and log-sum-exps), trained for a few epochs with
/// batches of odd and even sizes: one line each, `dataset activation optimizer batch
/// train-loss validation-loss digest`.
pub fn network_lines() -> Vec<String> {
    let runs = [
        (
            "spirals:k=3,n=150,seed=2",
            "tanh",
            Task::Classes(3),
            "adam:lr=0.01",
            10,
        ),
        (
            "moons:n=120,seed=4",
            "sigmoid",
            Task::Binary,
            "momentum:lr=0.3",
            7,
        ),
        (
            "circles:n=120,seed=5",
            "relu",
            Task::Classes(2),
            "sgd:lr=0.2",
            1,
        ),
        (
            "curve:n=90,seed=6",
            "identity",
            Task::Regression(1),
            "rmsprop:lr=0.01",
            4,
        ),
        (
            "noisy-curve:n=90,seed=7",
            "tanh",
            Task::Gaussian(1),
            "adam:lr=0.01",
            5,
        ),
        (
            "two-branches:n=90,seed=8",
            "tanh",
            Task::Mixture(3),
            "nadam:lr=0.01",
            6,
        ),
    ];
    runs.into_iter()
        .map(|(dataset, activation, task, optimizer, batch)| {
            let data = Dataset::from_spec(&Spec::parse(dataset).unwrap()).unwrap();
            let activation = Activation::parse(activation).unwrap();
            let network = Network {
                architecture: Architecture::mlp(data.x.nrows(), &[5, 4], activation, task).unwrap(),
                l2: 0.001,
            };
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
            let theta = Init::GlorotUniform.parameters(&network.architecture, &mut rng);
            let method = optim::from_spec(&Spec::parse(optimizer).unwrap()).unwrap();
            let config = TrainConfig {
                batch_size: batch,
                schedule: Schedule::Constant,
                early_stopping: None,
                seed: 3,
            };
            let split = data.split(0.25, 0.0, 8);
            let trainer = Trainer::new(network, theta, method.optimizer, split, config).unwrap();
            format!(
                "{dataset} {} {optimizer} {batch} {}",
                activation.name(),
                trained(trainer)
            )
        })
        .collect()
}

/// Networks built from setups whose inputs are distorted, then standardized or
/// quantile-normalized to a normal marginal (which takes Φ⁻¹, logarithms and square
/// roots): one line each, `setup train-loss validation-loss digest`.
pub fn normalized_lines() -> Vec<String> {
    [
        r#"{"dataset": "spirals:k=3,n=150,seed=2", "distort": [[100, 50], [-0.5, 3]], "normalize": "standard", "hidden": [5, 4], "l2": 0.001, "optimizer": "adam:lr=0.01", "validation": 0.25, "seed": 3}"#,
        r#"{"dataset": "moons:n=120,seed=4", "distort": [[3, -1], [1, 0]], "normalize": "quantile-normal", "hidden": [5, 4], "activation": "sigmoid", "l2": 0.001, "optimizer": "momentum:lr=0.3", "batch": 7, "validation": 0.25, "seed": 3}"#,
    ]
    .into_iter()
    .map(|json| {
        let setup: Setup = serde_json::from_str(json).unwrap();
        let trainer = setup.build().unwrap().trainer;
        format!("{} {} {}", setup.dataset, setup.normalize, trained(trainer))
    })
    .collect()
}

/// Four epochs of `trainer`: `train-loss validation-loss digest`, the last epoch's
/// losses and a digest of every epoch's metrics and of the final θ.
fn trained(mut trainer: Trainer) -> String {
    for _ in 0..4 {
        trainer.run_epoch();
    }
    let last = trainer.history.last().unwrap();
    let validation = last.validation.unwrap().data_loss;
    let mut values: Vec<f64> = trainer
        .history
        .iter()
        .flat_map(|r| {
            let (t, v) = (r.train, r.validation.unwrap());
            [
                t.data_loss,
                t.regularization,
                t.accuracy.unwrap_or(-1.0),
                v.data_loss,
            ]
        })
        .collect();
    values.extend(&trainer.theta);
    format!(
        "{:016x} {:016x} {:016x}",
        last.train.data_loss.to_bits(),
        validation.to_bits(),
        digest(&values)
    )
}

pub const FIXTURE: &str = include_str!("../golden/native-bits.txt");
