//! One network-lab setup: every choice of the lecture's recipe — the data, the layers
//! and their activation, the output and its loss, the initialization, λ, the optimizer,
//! the minibatches, the schedule, early stopping, the validation split and the seed —
//! as one serde type with one validate-and-build step. The CLI's `train`, the page and
//! the tests all build their networks through it, so they accept the same setups and
//! refuse the same ones with the same words.

use super::data::{Dataset, Split};
use super::density::MOST_COMPONENTS;
use super::init::Init;
use super::network::{Architecture, Network, Targets, Task};
use super::normalize::{self, Preprocessing};
use super::schedule::{EarlyStopping, Schedule};
use super::train::{TrainConfig, Trainer};
use super::Activation;
use crate::config::{Configuration, Control, Error, Parameter, Problem, Range, Spec};
use crate::optim;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

/// The limits every setup keeps to, in the CLI and the page alike; the page's sliders
/// span them. They keep one update and one frame's work small enough for a browser.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Limits {
    pub hidden_layers: usize,
    pub units: usize,
    pub batch: usize,
    pub l2: f64,
    pub validation: f64,
    pub early_stopping: usize,
    pub seed: u64,
    pub epochs: usize,
    /// The largest |s| of a distortion s x + c, and the smallest is its inverse.
    pub distort_scale: f64,
    /// The largest |c| of a distortion s x + c.
    pub distort_shift: f64,
}

pub const LIMITS: Limits = Limits {
    hidden_layers: 6,
    units: 64,
    batch: 500,
    l2: 10.0,
    validation: 0.5,
    early_stopping: 1000,
    seed: u32::MAX as u64,
    epochs: 100_000,
    distort_scale: 1e6,
    distort_shift: 1e6,
};

/// Everything that decides a network's training. Every field has a default (a 2-8-8-2
/// tanh network learning the two moons with Adam, η = 0.01, in minibatches of 10), so a
/// setup may name only what differs. The defaults learn every built-in dataset within
/// ten seconds of the page, as `tests/training.rs` checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Setup {
    /// `NAME[:n=…,noise=…,k=…,seed=…]`
    pub dataset: Spec,
    /// Per input feature [s, c]: the network's feature j is sⱼ xⱼ + cⱼ (the data as
    /// the network receives it; the map and the points stay in x). Empty for none.
    pub distort: Vec<[f64; 2]>,
    /// `none`, `standard`, `quantile-uniform` or `quantile-normal` (see
    /// [`super::normalize`]), fitted on the distorted training split.
    pub normalize: String,
    /// Units per hidden layer; none gives a linear model.
    pub hidden: Vec<usize>,
    /// The hidden layers' g: sigmoid, tanh, relu or identity.
    pub activation: String,
    /// softmax (NLL), sigmoid (binary cross-entropy), identity (squared error), gaussian
    /// (Gaussian NLL) or `mdn[:k=K]` (a mixture of K Gaussians, 3 by default); `auto`
    /// picks softmax for classes and identity for regression.
    pub output: String,
    /// `zero`, `constant:c`, `normal:σ`, `uniform:a`, `glorot-uniform`,
    /// `glorot-normal`, `he` or `orthogonal`.
    pub init: String,
    /// λ of the L2 term λ Σ‖W‖².
    pub l2: f64,
    /// Any optimizer of [`crate::optim`] but Newton, `NAME[:key=value,...]`.
    pub optimizer: Spec,
    /// Samples per minibatch.
    pub batch: usize,
    /// `constant`, `exponential[:decay=β]`, `step[:every=E,factor=f]` or
    /// `plateau[:factor=f,patience=P]`.
    pub schedule: Spec,
    /// Epochs without a better validation loss before training stops; 0 never stops.
    pub early_stopping: usize,
    /// When early stopping ends training, go back to the best epoch's weights.
    pub restore_best: bool,
    /// The fraction of the points held out for validation.
    pub validation: f64,
    /// Seeds the initialization, the split and the order of the minibatches.
    pub seed: u64,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            dataset: Spec::named("moons"),
            distort: Vec::new(),
            normalize: "none".into(),
            hidden: vec![8, 8],
            activation: "tanh".into(),
            output: "auto".into(),
            init: "glorot-uniform".into(),
            l2: 0.0,
            optimizer: Spec::parse("adam:lr=0.01").expect("a valid spec"),
            batch: 10,
            schedule: Spec::named("constant"),
            early_stopping: 0,
            restore_best: true,
            validation: 0.2,
            seed: 0,
        }
    }
}

/// One output, as listed to users: its loss, and the kinds of data it fits — `classes`
/// (K ≥ 2 class labels), `binary` (exactly 2 classes, so a 2-class dataset is both) or
/// `regression` (numbers).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct OutputEntry {
    pub id: &'static str,
    pub about: &'static str,
    pub tasks: &'static [&'static str],
}

/// The outputs, each with the loss it goes with and the targets it fits.
pub const OUTPUTS: &[OutputEntry] = &[
    OutputEntry {
        id: "softmax",
        about: "softmax with the mean NLL −log f(x)_y, for K ≥ 2 classes",
        tasks: &["classes", "binary"],
    },
    OutputEntry {
        id: "sigmoid",
        about: "one sigmoid unit with binary cross-entropy, for 2 classes",
        tasks: &["binary"],
    },
    OutputEntry {
        id: "identity",
        about: "identity with the squared error Σⱼ (f(x)ⱼ − yⱼ)², for regression",
        tasks: &["regression"],
    },
    OutputEntry {
        id: "gaussian",
        about: "a Gaussian N(μ, σ²) with μ = z₁ and log σ² = z₂, with the mean NLL ½[ln 2π + log σ² + (y − μ)²/σ²]: regression that predicts its own noise",
        tasks: &["regression"],
    },
    OutputEntry {
        id: "mdn",
        about: "a mixture of K Gaussians, πₖ = softmax(a)ₖ, μₖ and log σₖ², with the mean NLL −ln Σₖ πₖ N(y; μₖ, σₖ²): regression where y has several likely values at one x",
        tasks: &["regression"],
    },
];

impl OutputEntry {
    /// The parameters it takes, with defaults and ranges: an mdn's number of components.
    pub fn parameters(&self) -> Vec<Parameter> {
        match self.id {
            "mdn" => MixtureConfig::parameters(),
            _ => Vec::new(),
        }
    }
}

crate::hyperparameters! {
    /// What an mdn output takes.
    pub struct MixtureConfig("mdn") {
        /// how many Gaussians the mixture has, each with its weight, mean and variance
        k: u64 = 3, "k", Some(Range::new(1.0, MOST_COMPONENTS as f64, true, true)),
            Control::new("mixture components").symbol("K").whole(1.0, MOST_COMPONENTS as f64);
    }
}

/// An output as `Setup.output` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Auto,
    Softmax,
    Sigmoid,
    Identity,
    Gaussian,
    /// A mixture of this many Gaussians.
    Mixture(usize),
}

impl Output {
    /// `auto`, `softmax`, `sigmoid`, `identity`, `gaussian` or `mdn[:k=K]`, K from 1 to 8
    /// (3 when not given).
    pub fn parse(text: &str) -> Result<Output, Error> {
        let spec = Spec::parse(text).map_err(|e| Error::new(format!("output: {e}")))?;
        let output = match spec.id.as_str() {
            "auto" => Output::Auto,
            "softmax" => Output::Softmax,
            "sigmoid" => Output::Sigmoid,
            "identity" => Output::Identity,
            "gaussian" => Output::Gaussian,
            "mdn" => {
                let config = MixtureConfig::from_params(&spec.params)
                    .map_err(|e| Error::new(format!("output: {e}")))?;
                return Ok(Output::Mixture(config.k as usize));
            }
            id => {
                return Err(Error::new(format!(
                    "output: unknown output `{}`; expected softmax, sigmoid, identity, gaussian, mdn:k=K or auto",
                    crate::text::quoted(id)
                )))
            }
        };
        if let Some((key, _)) = spec.params.first() {
            return Err(Error::new(format!(
                "output: {} takes no parameters, not `{}`; only mdn takes k",
                spec.id,
                crate::text::quoted(key)
            )));
        }
        Ok(output)
    }

    /// The output's id, as the catalogue lists it.
    pub fn id(self) -> &'static str {
        match self {
            Output::Auto => "auto",
            Output::Softmax => "softmax",
            Output::Sigmoid => "sigmoid",
            Output::Identity => "identity",
            Output::Gaussian => "gaussian",
            Output::Mixture(_) => "mdn",
        }
    }

    /// The output that fits `task`.
    pub fn of(task: Task) -> Output {
        match task {
            Task::Classes(_) => Output::Softmax,
            Task::Binary => Output::Sigmoid,
            Task::Regression(_) => Output::Identity,
            Task::Gaussian(_) => Output::Gaussian,
            Task::Mixture(k) => Output::Mixture(k),
        }
    }
}

/// A setup checked and turned into what trains: the whole dataset (the page edits it
/// and draws it), its split as drawn, what the network receives of an input, and a
/// trainer on the split as the network receives it.
pub struct Built {
    pub dataset: Dataset,
    /// The split in the data's own coordinates.
    pub split: Split,
    pub preprocessing: Preprocessing,
    pub trainer: Trainer,
}

/// Data built once and trained on by several setups: the whole dataset, its split in
/// the data's own coordinates, and what the network receives of an input.
pub type SharedData<'a> = (&'a Dataset, &'a Split, &'a Preprocessing);

impl Setup {
    /// `16,16`, or `none` (or nothing) for no hidden layer.
    pub fn parse_hidden(text: &str) -> Result<Vec<usize>, Error> {
        let text = text.trim();
        if text.is_empty() || text == "none" {
            return Ok(Vec::new());
        }
        text.split(',')
            .map(|part| {
                part.trim().parse().map_err(|_| {
                    Error::new(format!(
                        "hidden: `{part}` is not a number of units; write sizes such as 16,16 or none"
                    ))
                })
            })
            .collect()
    }

    /// `S1,C1,S2,C2,…`, a scale and a shift per input feature, or `none` (or nothing)
    /// for no distortion; the numbers' ranges are checked with the rest of the setup.
    pub fn parse_distort(text: &str) -> Result<Vec<[f64; 2]>, Error> {
        let text = text.trim();
        if text.is_empty() || text == "none" {
            return Ok(Vec::new());
        }
        let numbers = text
            .split(',')
            .map(|part| {
                part.trim().parse::<f64>().map_err(|_| {
                    Error::new(format!(
                        "distort: `{part}` is not a number; write a scale and a shift per input, such as 100,50,1,0, or none"
                    ))
                })
            })
            .collect::<Result<Vec<f64>, Error>>()?;
        if numbers.len() % 2 == 1 {
            return Err(Error::new(format!(
                "distort: {} numbers do not make pairs; write a scale and a shift per input, such as 100,50,1,0",
                numbers.len()
            )));
        }
        Ok(numbers.chunks(2).map(|pair| [pair[0], pair[1]]).collect())
    }

    /// The output `auto` picks: softmax for classes, identity for regression.
    pub fn output_for_auto(&self, classes: usize) -> &'static str {
        if classes == 0 {
            "identity"
        } else {
            "softmax"
        }
    }

    /// Every problem with this setup, field by field, each field checked on its own and
    /// then against the data; empty when it builds.
    pub fn problems(&self) -> Vec<Problem> {
        self.check().err().unwrap_or_default()
    }

    /// The setup checked and built, or its first problem.
    pub fn build(&self) -> Result<Built, Error> {
        self.check().map_err(first_problem)
    }

    /// The setup built on data of one's own instead of its `dataset`: split as `split`
    /// says, or else by the setup's validation fraction and seed.
    pub fn build_on(&self, dataset: Dataset, split: Option<Split>) -> Result<Built, Error> {
        self.check_on(Ok(dataset), split, None)
            .map_err(first_problem)
    }

    /// The setup checked and built on data another setup built: `data`'s dataset, split
    /// and preprocessing in place of the ones its own fields would make. Its seed still
    /// seeds the initialization and the order of the minibatches, so runs that differ
    /// only in seed differ on the same split.
    pub fn build_beside(
        &self,
        (dataset, split, preprocessing): SharedData,
    ) -> Result<Built, Error> {
        self.check_on(
            Ok(dataset.clone()),
            Some(split.clone()),
            Some(preprocessing.clone()),
        )
        .map_err(first_problem)
    }

    /// This setup with every field that has a problem set back to its default (and
    /// then any field that the new data makes wrong), with the problems met.
    pub fn repaired(&self) -> (Setup, Vec<Problem>) {
        self.repaired_by(Setup::problems)
    }

    /// [`Setup::repaired`] for data of one's own: an output or a distortion that does
    /// not fit `dataset` goes back to its default (`auto`, none).
    pub fn repaired_on(&self, dataset: &Dataset) -> (Setup, Vec<Problem>) {
        self.repaired_by(|setup| {
            setup
                .check_on(Ok(dataset.clone()), None, None)
                .err()
                .unwrap_or_default()
        })
    }

    fn repaired_by(&self, problems: impl Fn(&Setup) -> Vec<Problem>) -> (Setup, Vec<Problem>) {
        let mut setup = self.clone();
        let mut met = Vec::new();
        let defaults = Setup::default();
        // Each round resets at least one field to its default, which the default
        // setup proves valid, so a few rounds always end it.
        for _ in 0..4 {
            let problems = problems(&setup);
            if problems.is_empty() {
                break;
            }
            for problem in &problems {
                setup.reset(problem.field, &defaults);
            }
            met.extend(problems);
        }
        (setup, met)
    }

    fn reset(&mut self, field: &str, defaults: &Setup) {
        match field {
            "dataset" => self.dataset = defaults.dataset.clone(),
            "distort" => self.distort = defaults.distort.clone(),
            "normalize" => self.normalize = defaults.normalize.clone(),
            "hidden" => self.hidden = defaults.hidden.clone(),
            "activation" => self.activation = defaults.activation.clone(),
            "output" => self.output = defaults.output.clone(),
            "init" => self.init = defaults.init.clone(),
            "l2" => self.l2 = defaults.l2,
            "optimizer" => self.optimizer = defaults.optimizer.clone(),
            "batch" => self.batch = defaults.batch,
            "schedule" => self.schedule = defaults.schedule.clone(),
            "early_stopping" => self.early_stopping = defaults.early_stopping,
            "validation" => self.validation = defaults.validation,
            "seed" => self.seed = defaults.seed,
            _ => {}
        }
    }

    fn check(&self) -> Result<Built, Vec<Problem>> {
        let dataset = Dataset::from_spec(&self.dataset).map_err(|e| Problem::new("dataset", e.0));
        self.check_on(dataset, None, None)
    }

    /// Every field checked, then against `dataset` (or the problem that made none),
    /// split as `split` says or else by the validation fraction and the seed, its inputs
    /// preprocessed as `preprocessing` says or else as fitted on the training split.
    fn check_on(
        &self,
        dataset: Result<Dataset, Problem>,
        split: Option<Split>,
        preprocessing: Option<Preprocessing>,
    ) -> Result<Built, Vec<Problem>> {
        let mut problems = Vec::new();
        let dataset = dataset
            .and_then(|d| match d.is_empty() {
                true => Err(Problem::new("dataset", "dataset: there are no points")),
                false => Ok(d),
            })
            .map_err(|p| problems.push(p));
        let mut field =
            |field: &'static str, message: String| problems.push(Problem { field, message });
        let limits = LIMITS;
        if let Some(message) = self.distortion_problem(&dataset) {
            field("distort", message);
        }
        if let Err(e) = normalize::known(&self.normalize) {
            field("normalize", e.0);
        }
        if self.hidden.len() > limits.hidden_layers
            || self
                .hidden
                .iter()
                .any(|&h| !(1..=limits.units).contains(&h))
        {
            field(
                "hidden",
                format!(
                    "hidden: {:?} is not 0 to {} layers of 1 to {} units",
                    self.hidden, limits.hidden_layers, limits.units
                ),
            );
        }
        let activation = Activation::parse(&self.activation)
            .ok()
            .filter(|a| Activation::HIDDEN.contains(a));
        if activation.is_none() {
            field(
                "activation",
                format!(
                    "activation: `{}` is not a hidden activation; expected sigmoid, tanh, relu or identity",
                    self.activation
                ),
            );
        }
        let output = Output::parse(&self.output).map_err(|e| field("output", e.0));
        let init = Init::parse(&self.init).map_err(|e| field("init", e.0));
        if !(self.l2.is_finite() && (0.0..=limits.l2).contains(&self.l2)) {
            field(
                "l2",
                format!(
                    "l2: λ = {} is out of range; it must be in [0, {}]",
                    self.l2, limits.l2
                ),
            );
        }
        let optimizer = network_optimizer(&self.optimizer).map_err(|e| field("optimizer", e.0));
        if !(1..=limits.batch).contains(&self.batch) {
            field(
                "batch",
                format!(
                    "batch: {} is out of range; it must be 1 to {}",
                    self.batch, limits.batch
                ),
            );
        }
        let schedule = Schedule::from_spec(&self.schedule).map_err(|e| field("schedule", e.0));
        if self.early_stopping > limits.early_stopping {
            field(
                "early_stopping",
                format!(
                    "early stopping: a patience of {} epochs is out of range; it must be 0 (off) to {}",
                    self.early_stopping, limits.early_stopping
                ),
            );
        }
        if !(self.validation.is_finite() && (0.0..=limits.validation).contains(&self.validation)) {
            field(
                "validation",
                format!(
                    "validation: {} is out of range; the fraction held out must be in [0, {}]",
                    self.validation, limits.validation
                ),
            );
        }
        if self.seed > limits.seed {
            field(
                "seed",
                format!(
                    "seed: {} is out of range; it must be 0 to {}",
                    self.seed, limits.seed
                ),
            );
        }
        let task = match (&dataset, output) {
            (Ok(data), Ok(output)) => task(output, data).map_err(|e| field("output", e.0)),
            _ => Err(()),
        };
        match (dataset, activation, task, init, optimizer, schedule) {
            (Ok(dataset), Some(activation), Ok(task), Ok(init), Ok(method), Ok(schedule))
                if problems.is_empty() =>
            {
                let architecture =
                    Architecture::mlp(dataset.x.nrows(), &self.hidden, activation, task).map_err(
                        |e| {
                            vec![Problem {
                                field: "hidden",
                                message: e.0,
                            }]
                        },
                    )?;
                let network = Network {
                    architecture,
                    l2: self.l2,
                };
                let theta = self.initial(init, &network.architecture);
                let config = TrainConfig {
                    batch_size: self.batch,
                    schedule,
                    early_stopping: (self.early_stopping > 0).then_some(EarlyStopping {
                        patience: self.early_stopping,
                        restore_best: self.restore_best,
                    }),
                    seed: self.seed,
                };
                let split = split.unwrap_or_else(|| dataset.split(self.validation, 0.0, self.seed));
                let preprocessing = match preprocessing {
                    Some(preprocessing) => preprocessing,
                    None => Preprocessing::fit(&self.distort, &self.normalize, &split.train.x)
                        .map_err(|e| vec![Problem::new("normalize", e.0)])?,
                };
                let inputs = preprocessing.received_split(&split);
                let trainer =
                    Trainer::new(network, theta, method, inputs, config).map_err(|e| {
                        vec![Problem {
                            field: "dataset",
                            message: e.0,
                        }]
                    })?;
                Ok(Built {
                    dataset,
                    split,
                    preprocessing,
                    trainer,
                })
            }
            _ => Err(problems),
        }
    }
}

/// The first of `problems` as an error.
fn first_problem(problems: Vec<Problem>) -> Error {
    problems.into_iter().next().map_or_else(
        || Error::new("the setup cannot be built"),
        |p| Error::new(p.message),
    )
}

impl Setup {
    /// θ before any update, as the setup's init draws it from the setup's seed for
    /// `architecture`: every W from the init, every b zero.
    pub fn initial_parameters(&self, architecture: &Architecture) -> Result<Vec<f64>, Error> {
        Ok(self.initial(Init::parse(&self.init)?, architecture))
    }

    fn initial(&self, init: Init, architecture: &Architecture) -> Vec<f64> {
        init.parameters(
            architecture,
            &mut Xoshiro256PlusPlus::seed_from_u64(self.seed),
        )
    }

    /// What is wrong with `distort`, if anything: a number out of range, or (once the
    /// data is known) a length other than its number of inputs.
    fn distortion_problem(&self, dataset: &Result<Dataset, ()>) -> Option<String> {
        let limits = LIMITS;
        let (most_scale, most_shift) = (limits.distort_scale, limits.distort_shift);
        if let Some(j) = self.distort.iter().position(|&[scale, shift]| {
            !((1.0 / most_scale..=most_scale).contains(&scale.abs()) && shift.abs() <= most_shift)
        }) {
            let [scale, shift] = self.distort[j];
            return Some(format!(
                "distort: feature {} is scaled by {scale} and shifted by {shift}; the scale's size must be in [{}, {most_scale}] and the shift in [−{most_shift}, {most_shift}]",
                j + 1,
                1.0 / most_scale
            ));
        }
        match dataset {
            Ok(data) if !self.distort.is_empty() && self.distort.len() != data.x.nrows() => {
                Some(format!(
                    "distort: {} pairs of scale and shift for data of {} inputs; give one pair per input, or none",
                    self.distort.len(),
                    data.x.nrows()
                ))
            }
            _ => None,
        }
    }
}

/// The task an output makes of a dataset, or why it does not fit.
fn task(output: Output, data: &Dataset) -> Result<Task, Error> {
    // The number of values each target has, for regression.
    let d = match &data.targets {
        Targets::Values(y) => y.nrows(),
        _ => 1,
    };
    match (output, data.classes) {
        (Output::Auto, 0) | (Output::Identity, 0) => Ok(Task::Regression(d)),
        (Output::Auto | Output::Softmax, k) if k >= 2 => Ok(Task::Classes(k)),
        (Output::Sigmoid, 2) => Ok(Task::Binary),
        (Output::Gaussian, 0) => Ok(Task::Gaussian(d)),
        (Output::Mixture(k), 0) if d == 1 => Ok(Task::Mixture(k)),
        (Output::Mixture(_), 0) => Err(Error::new(format!(
            "output: an mdn models one number per sample, but this dataset's targets have {d}; use gaussian"
        ))),
        (output, 0) => Err(Error::new(format!(
            "output: {} needs class labels, but this dataset is a regression; use identity, gaussian or mdn",
            output.id()
        ))),
        (Output::Sigmoid, k) => Err(Error::new(format!(
            "output: one sigmoid unit separates 2 classes, but this dataset has {k}; use softmax"
        ))),
        (Output::Identity, k) => Err(Error::new(format!(
            "output: identity (the squared error) needs numeric targets, but this dataset has {k} classes; use softmax"
        ))),
        (output, k) => Err(Error::new(format!(
            "output: {} (a predicted density of a number) needs numeric targets, but this dataset has {k} classes; use softmax",
            output.id()
        ))),
    }
}

/// An optimizer for a network: any of [`crate::optim`] but Newton, whose exact Hessian
/// only the plane has, and without gradient noise, since a minibatch's gradient is
/// noisy already.
pub fn network_optimizer(spec: &Spec) -> Result<Box<dyn optim::Optimizer>, Error> {
    if spec.id == "newton" {
        return Err(Error::new(
            "optimizer: newton needs the exact Hessian, which only the optimizer lab's surfaces have; pick another optimizer",
        ));
    }
    if let Some((key, _)) = spec
        .params
        .iter()
        .find(|(k, _)| k == "noise" || k == "seed")
    {
        return Err(Error::new(format!(
            "optimizer: {}'s `{key}` adds noise to a surface's gradient; a network's minibatch gradient is noisy already, so training takes no noise",
            spec.id
        )));
    }
    Ok(optim::from_spec(spec)?.optimizer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(json: &str) -> Setup {
        serde_json::from_str(json).unwrap()
    }

    fn fields(setup: &Setup) -> Vec<&'static str> {
        setup.problems().iter().map(|p| p.field).collect()
    }

    #[test]
    fn the_default_setup_builds() {
        let built = Setup::default().build().unwrap();
        assert_eq!(built.trainer.task(), Task::Classes(2));
        assert_eq!(
            built.trainer.theta.len(),
            (2 * 8 + 8) + (8 * 8 + 8) + (8 * 2 + 2)
        );
    }

    #[test]
    fn every_field_is_checked_and_named() {
        let bad = setup(
            r#"{"dataset": "moons:n=3", "distort": [[0, 1]], "normalize": "minmax",
                "hidden": [0], "activation": "softmax", "output": "mdn:k=0",
                "init": "normal:-1", "l2": 11, "optimizer": "adam:lr=0", "batch": 0,
                "schedule": "step:every=0", "early_stopping": 1001, "validation": 0.6,
                "seed": 4294967296}"#,
        );
        assert_eq!(
            fields(&bad),
            [
                "dataset",
                "distort",
                "normalize",
                "hidden",
                "activation",
                "output",
                "init",
                "l2",
                "optimizer",
                "batch",
                "schedule",
                "early_stopping",
                "validation",
                "seed"
            ]
        );
        let (repaired, met) = bad.repaired();
        assert_eq!(repaired, Setup::default());
        assert_eq!(met.len(), 14);
    }

    #[test]
    fn outputs_must_fit_the_data() {
        assert_eq!(
            fields(&setup(r#"{"dataset": "spirals", "output": "sigmoid"}"#)),
            ["output"]
        );
        assert_eq!(
            fields(&setup(r#"{"dataset": "curve", "output": "softmax"}"#)),
            ["output"]
        );
        assert_eq!(fields(&setup(r#"{"output": "identity"}"#)), ["output"]);
        assert!(
            fields(&setup(r#"{"dataset": "curve"}"#)).is_empty(),
            "auto picks identity"
        );
        assert!(fields(&setup(r#"{"output": "sigmoid"}"#)).is_empty());
        // A bad dataset leaves the output unjudged; once the data is reset, it is.
        let (repaired, met) = setup(r#"{"dataset": "curve:n=2", "output": "identity"}"#).repaired();
        assert_eq!(
            met.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["dataset", "output"]
        );
        assert_eq!(repaired.output, "auto");
    }

    #[test]
    fn density_outputs_fit_numbers_and_an_mdn_takes_1_to_8_components() {
        assert_eq!(Output::parse("mdn"), Ok(Output::Mixture(3)));
        assert_eq!(Output::parse("mdn:k=8"), Ok(Output::Mixture(8)));
        assert_eq!(Output::parse("gaussian"), Ok(Output::Gaussian));
        for (output, words) in [
            ("mdn:k=0", "k = 0 is out of range; it must be in [1, 8]"),
            ("mdn:k=100", "k = 100 is out of range"),
            ("mdn:k=2.5", "not a whole number"),
            ("mdn:m=2", "unknown parameter `m`"),
            ("gaussian:k=2", "gaussian takes no parameters"),
            ("poisson", "unknown output `poisson`"),
        ] {
            let problems = setup(&format!(
                r#"{{"dataset": "two-branches", "output": "{output}"}}"#
            ))
            .problems();
            assert_eq!(problems.len(), 1, "{output}");
            assert_eq!(problems[0].field, "output");
            assert!(
                problems[0].message.contains(words),
                "{output}: {problems:?}"
            );
        }
        let task = |json: &str| setup(json).build().map(|b| b.trainer.task());
        assert_eq!(
            task(r#"{"dataset": "noisy-curve", "output": "gaussian"}"#),
            Ok(Task::Gaussian(1))
        );
        assert_eq!(
            task(r#"{"dataset": "curve", "output": "mdn:k=5"}"#),
            Ok(Task::Mixture(5))
        );
        // A density of a number does not fit class labels, as identity does not.
        for output in ["gaussian", "mdn"] {
            let problems = setup(&format!(r#"{{"output": "{output}"}}"#)).problems();
            assert_eq!(problems[0].field, "output");
            assert!(problems[0].message.contains("needs numeric targets"));
        }
        let (repaired, _) = setup(r#"{"dataset": "curve", "output": "mdn:k=9"}"#).repaired();
        assert_eq!(repaired.output, "auto");
    }

    #[test]
    fn a_distortion_needs_a_pair_per_input_within_the_limits() {
        assert!(fields(&setup(r#"{"distort": [[100, 50], [1, 0]]}"#)).is_empty());
        assert!(fields(&setup(r#"{"distort": [[-1e6, 1e6], [1e-6, -1e6]]}"#)).is_empty());
        for bad in [
            r#"[[100, 50]]"#,
            r#"[[1, 0], [1, 0], [1, 0]]"#,
            r#"[[0, 0], [1, 0]]"#,
            r#"[[1e-7, 0], [1, 0]]"#,
            r#"[[2e6, 0], [1, 0]]"#,
            r#"[[1, 2e6], [1, 0]]"#,
        ] {
            let problems = setup(&format!(r#"{{"distort": {bad}}}"#)).problems();
            assert_eq!(problems.len(), 1, "{bad}");
            assert_eq!(problems[0].field, "distort", "{bad}");
        }
        // One pair for the curve's one input; a dataset reset makes two pairs wrong.
        assert!(fields(&setup(r#"{"dataset": "curve", "distort": [[3, 1]]}"#)).is_empty());
        let (repaired, met) = setup(r#"{"dataset": "curve:n=2", "distort": [[3, 1]]}"#).repaired();
        assert_eq!(
            met.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["dataset", "distort"]
        );
        assert!(repaired.distort.is_empty());
        assert_eq!(
            Setup::parse_distort("100, 50,1,0").unwrap(),
            [[100.0, 50.0], [1.0, 0.0]]
        );
        assert_eq!(
            Setup::parse_distort("none").unwrap(),
            Vec::<[f64; 2]>::new()
        );
        assert!(Setup::parse_distort("100,50,1").is_err());
        assert!(Setup::parse_distort("100,x").is_err());
    }

    #[test]
    fn the_network_trains_on_distorted_normalized_inputs_fitted_on_its_training_split() {
        let built = setup(
            r#"{"dataset": "blobs:n=50", "distort": [[100, 50], [1, 0]], "normalize": "standard", "validation": 0.4}"#,
        )
        .build()
        .unwrap();
        let (raw, received) = (&built.split, &built.trainer.data);
        assert_eq!(received, &built.preprocessing.received_split(raw));
        // The raw split is the data's own; the network's is distorted, then
        // standardized with the training split's mean and std.
        assert_eq!(raw, &built.dataset.split(0.4, 0.0, 0));
        let distorted = built.preprocessing.distorted(&raw.validation.x);
        assert_eq!(distorted[(0, 3)], 100.0 * raw.validation.x[(0, 3)] + 50.0);
        let train = &received.train.x;
        for j in 0..2 {
            let mean = train.row(j).mean();
            let variance = train.row(j).iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 30.0;
            assert!(mean.abs() < 1e-12 && (variance - 1.0).abs() < 1e-12, "{j}");
        }
        let normalizer = built.preprocessing.normalizer.as_ref().unwrap();
        assert_eq!(received.validation.x, normalizer.transform(&distorted));
        assert_eq!(received.validation.targets, raw.validation.targets);
    }

    #[test]
    fn a_network_takes_no_newton_and_no_gradient_noise() {
        assert!(setup(r#"{"optimizer": "newton"}"#).problems()[0]
            .message
            .contains("Hessian"));
        let noisy = setup(r#"{"optimizer": "sgd:lr=0.1,noise=1,seed=7"}"#);
        assert!(noisy.problems()[0].message.contains("noise"));
    }

    #[test]
    fn hidden_layers_read_as_the_cli_and_links_write_them() {
        assert_eq!(Setup::parse_hidden("16, 16").unwrap(), [16, 16]);
        assert_eq!(Setup::parse_hidden("none").unwrap(), Vec::<usize>::new());
        assert_eq!(Setup::parse_hidden("").unwrap(), Vec::<usize>::new());
        assert!(Setup::parse_hidden("16,x").is_err());
    }
}
