//! What several test files share: random batches for networks, running the CLI, and
//! temporary files of their own. Each file uses some of it.
#![allow(dead_code)]

use gradscape::nn::network::{Targets, Task};
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::RngExt;
use std::path::PathBuf;
use std::process::{Command, Output};

/// `n` values uniform in [−scale, scale].
pub fn random(rng: &mut Xoshiro256PlusPlus, n: usize, scale: f64) -> Vec<f64> {
    (0..n)
        .map(|_| scale * (2.0 * rng.random::<f64>() - 1.0))
        .collect()
}

/// A batch of `n` samples in `inputs` dimensions with targets for `task`.
pub fn batch(
    rng: &mut Xoshiro256PlusPlus,
    inputs: usize,
    task: Task,
    n: usize,
) -> (DMatrix<f64>, Targets) {
    let x = DMatrix::from_vec(inputs, n, random(rng, inputs * n, 1.5));
    let targets = match task {
        Task::Classes(k) => Targets::Classes((0..n).map(|_| rng.random_range(0..k)).collect()),
        Task::Binary => Targets::Binary(
            (0..n)
                .map(|_| f64::from(rng.random_range(0..2u8)))
                .collect(),
        ),
        Task::Regression(d) | Task::Gaussian(d) => {
            Targets::Values(DMatrix::from_vec(d, n, random(rng, d * n, 1.0)))
        }
        Task::Mixture(_) => Targets::Values(DMatrix::from_vec(1, n, random(rng, n, 1.0))),
    };
    (x, targets)
}

/// The CLI, run with `args`.
pub fn gradscape(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(args)
        .output()
        .unwrap()
}

/// A temporary file holding `content`, of its own for each call: tests run in parallel.
pub fn temp(name: &str, content: &[u8]) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = format!("gradscape-{}-{n}-{name}", std::process::id());
    let path = std::env::temp_dir().join(file);
    std::fs::write(&path, content).unwrap();
    path
}

/// `gradscape backprop` on a model and data given as JSON text, through files that are
/// removed afterwards.
pub fn backprop(model: &[u8], data: &[u8]) -> Output {
    let (model, data) = (temp("model.json", model), temp("data.json", data));
    let output = gradscape(&[
        "backprop",
        "--model",
        model.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    for file in [model, data] {
        std::fs::remove_file(file).unwrap();
    }
    output
}
