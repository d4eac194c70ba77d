//! Minibatch training, as in the lecture's SGD: each epoch shuffles the training set
//! (seeded), then steps the optimizer once per batch B with ∇θ L_B(θ), until all of S
//! is covered. After each epoch the train and validation losses are measured, the
//! schedule may change η, and early stopping may end training. Beside the losses, each
//! epoch records what happened inside, layer by layer ([`super::diagnostics`]).

use super::data::{shuffle, Dataset, Split};
use super::diagnostics::{layer_epoch, GradientFlow, LayerEpoch, UnitActivity};
use super::landscape::Trajectory;
use super::network::{classify, Backward, Forward, Loss, LossSum, Network, Targets, Task};
use super::schedule::{EarlyStopping, Schedule, Scheduler, Watch};
use crate::config::Error;
use crate::optim::{Optimizer, Oracle};
use crate::run::DIVERGENCE_BOUND;
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;

/// How to train.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    pub batch_size: usize,
    pub schedule: Schedule,
    pub early_stopping: Option<EarlyStopping>,
    /// Seeds the order of the minibatches.
    pub seed: u64,
}

/// The loss (data term and L2 term apart) and, for classification, the accuracy.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Metrics {
    pub data_loss: f64,
    pub regularization: f64,
    pub accuracy: Option<f64>,
}

impl Metrics {
    /// The full loss L = data loss + λ Σ‖W‖², which training minimizes.
    pub fn loss(&self) -> f64 {
        self.data_loss + self.regularization
    }
}

/// One finished epoch.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct EpochRecord {
    pub epoch: usize,
    pub updates: usize,
    pub learning_rate: f64,
    pub train: Metrics,
    pub validation: Option<Metrics>,
}

/// Why training stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stop {
    /// Update `update` gave a non-finite loss or a weight beyond ±1e8, as a run on a
    /// surface does; it was not applied.
    Diverged { update: usize },
    /// The validation loss stopped improving; the weights are those of `best_epoch`
    /// if early stopping restores them.
    EarlyStopped { epoch: usize, best_epoch: usize },
}

/// What one call of [`Trainer::work`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// One minibatch update; `epoch_done` when it was the epoch's last, whose
    /// evaluation comes next.
    Updated { epoch_done: bool },
    /// A slice of the end-of-epoch evaluation; `recorded` when it was the last and the
    /// epoch is in the history. Before the first update, slices of the initial weights'
    /// evaluation on the training set (for [`Trainer::layer_history`]'s epoch 0), which
    /// records no epoch.
    Evaluated { recorded: bool },
    /// Nothing: training has stopped.
    Stopped,
}

/// Samples per slice of the end-of-epoch evaluation, so that a page can spread a large
/// set's evaluation over frames: even, as the passes pair samples, and a multiple of
/// 256, as the NLL's products run. Slices give the same bits as one pass.
pub const EVALUATION_SLICE: usize = 512;

/// One part of the split's loss and accuracy, added up slice by slice.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    loss: LossSum,
    correct: usize,
    done: usize,
}

impl Tally {
    /// Evaluates the next slice of `x`; true once every sample has been.
    fn advance(
        &mut self,
        network: &Network,
        theta: &[f64],
        x: &DMatrix<f64>,
        targets: &Targets,
        forward: &mut Forward,
    ) -> bool {
        let n = x.ncols();
        let end = (self.done + EVALUATION_SLICE).min(n);
        if self.done < end {
            let slice = x.columns_range(self.done..end);
            network.forward_slice_into(theta, slice, forward);
            self.loss.add(forward, targets, self.done);
            let predicted = classify(forward);
            self.correct += predicted
                .iter()
                .enumerate()
                .filter(|(i, &p)| match targets {
                    Targets::Classes(y) => y[self.done + i] == p,
                    Targets::Binary(y) => y[self.done + i] == p as f64,
                    Targets::Values(_) => false,
                })
                .count();
            self.done = end;
        }
        self.done == n
    }

    fn metrics(&self, network: &Network, theta: &[f64], targets: &Targets) -> Metrics {
        Metrics {
            data_loss: self.loss.mean(),
            regularization: network.regularization(theta),
            accuracy: match targets {
                Targets::Values(_) => None,
                _ => Some(self.correct as f64 / self.done.max(1) as f64),
            },
        }
    }
}

/// The end-of-epoch evaluation in progress: the training set, then the validation set;
/// or, `initial`, the initial weights' units on the training set alone.
#[derive(Clone, Copy, Debug, Default)]
struct Evaluation {
    train: Tally,
    validation: Tally,
    initial: bool,
}

/// The targets of every part of the split, as the network's task needs them.
struct Parts {
    train: Targets,
    validation: Targets,
}

pub struct Trainer {
    pub network: Network,
    pub theta: Vec<f64>,
    pub data: Split,
    targets: Parts,
    optimizer: Box<dyn Optimizer>,
    config: TrainConfig,
    scheduler: Scheduler,
    watch: Option<Watch>,
    rng: Xoshiro256PlusPlus,
    order: Vec<usize>,
    position: usize,
    pub epoch: usize,
    pub updates: usize,
    pub stopped: Option<Stop>,
    pub history: Vec<EpochRecord>,
    /// Each layer's gradient norms and units, per epoch: the initial weights' (epoch
    /// 0), then one per epoch of `history`.
    pub layer_history: Vec<LayerEpoch>,
    /// θ at the start and after each epoch (before early stopping restores the best):
    /// the path drawn on the loss landscape.
    pub trajectory: Trajectory,
    /// The evaluation of the epoch just ended, while it is being done slice by slice.
    pending: Option<Evaluation>,
    /// The current epoch's gradient norms, update by update.
    flow: GradientFlow,
    /// The units of the evaluation in progress.
    units: UnitActivity,
    buffers: Buffers,
}

/// What one update needs, allocated once: the batch, both passes, the previous θ.
#[derive(Default)]
struct Buffers {
    x: DMatrix<f64>,
    targets: Option<Targets>,
    forward: Forward,
    backward: Backward,
    previous: Vec<f64>,
    /// The forward pass over a whole part of the split, after each epoch.
    evaluation: Forward,
}

/// ∇θ L_B(θ) on one minibatch B, its layers' norms measured as it is taken.
struct Batch<'a> {
    network: &'a Network,
    x: &'a DMatrix<f64>,
    targets: &'a Targets,
    forward: &'a mut Forward,
    backward: &'a mut Backward,
    flow: &'a mut GradientFlow,
    loss: Loss,
}

impl Oracle for Batch<'_> {
    fn gradient(&mut self, theta: &[f64], gradient: &mut [f64]) {
        self.loss = self.network.loss_and_gradient_into(
            theta,
            self.x,
            self.targets,
            self.forward,
            self.backward,
        );
        gradient.copy_from_slice(&self.backward.gradient);
        self.flow.measure(theta, gradient);
    }
}

impl Trainer {
    pub fn new(
        network: Network,
        theta: Vec<f64>,
        optimizer: Box<dyn Optimizer>,
        data: Split,
        config: TrainConfig,
    ) -> Result<Trainer, Error> {
        let task = network.architecture.task();
        if data.train.x.nrows() != network.architecture.inputs() {
            return Err(Error::new(format!(
                "the data has {} inputs but the network takes {}",
                data.train.x.nrows(),
                network.architecture.inputs()
            )));
        }
        if theta.len() != network.architecture.parameter_count() {
            return Err(Error::new("θ does not fit the architecture"));
        }
        if config.batch_size == 0 {
            return Err(Error::new("the batch size must be at least 1"));
        }
        let targets = Parts {
            train: data.train.targets_for(task)?,
            validation: data.validation.targets_for(task)?,
        };
        let order = (0..data.train.len()).collect();
        let architecture = &network.architecture;
        let trajectory = Trajectory::new(0, &theta);
        Ok(Trainer {
            flow: GradientFlow::new(architecture),
            units: UnitActivity::new(architecture),
            scheduler: Scheduler::new(config.schedule.clone()),
            watch: config.early_stopping.map(Watch::new),
            rng: Xoshiro256PlusPlus::seed_from_u64(config.seed),
            network,
            theta,
            data,
            targets,
            optimizer,
            config,
            order,
            position: 0,
            epoch: 0,
            updates: 0,
            stopped: None,
            history: Vec::new(),
            layer_history: Vec::new(),
            trajectory,
            pending: Some(Evaluation {
                initial: true,
                ..Evaluation::default()
            }),
            buffers: Buffers::default(),
        })
    }

    /// Trains on `train` from the next update on, keeping θ and the optimizer's state:
    /// a new epoch starts.
    pub fn replace_training_set(&mut self, train: Dataset) -> Result<(), Error> {
        self.finish_evaluation();
        self.targets.train = train.targets_for(self.task())?;
        self.order = (0..train.len()).collect();
        self.position = 0;
        self.data.train = train;
        Ok(())
    }

    /// Measures the validation loss on `validation` from the next end of an epoch on,
    /// keeping θ, the optimizer's state and the epoch under way.
    pub fn replace_validation_set(&mut self, validation: Dataset) -> Result<(), Error> {
        self.finish_evaluation();
        self.targets.validation = validation.targets_for(self.task())?;
        self.data.validation = validation;
        Ok(())
    }

    pub fn learning_rate(&self) -> f64 {
        self.optimizer.learning_rate()
    }

    /// Whether an epoch has ended and its evaluation is still to finish: the next
    /// [`Trainer::work`] does a slice of it rather than an update.
    pub fn evaluating(&self) -> bool {
        self.pending.is_some()
    }

    /// One minibatch update, and if it ended an epoch, the epoch's evaluation: true
    /// if it finished an epoch. Does nothing once stopped.
    pub fn update(&mut self) -> bool {
        self.finish_evaluation();
        let ended = self.work() == Work::Updated { epoch_done: true };
        self.finish_evaluation();
        ended
    }

    /// Updates until the current epoch ends and is evaluated (or training stops).
    pub fn run_epoch(&mut self) {
        while self.stopped.is_none() && !self.update() {}
    }

    /// One unit of work, small whatever the data: a minibatch update, or a slice of
    /// [`EVALUATION_SLICE`] samples of the end-of-epoch evaluation that must come
    /// before the next update. The page calls it until its frame's time is up.
    pub fn work(&mut self) -> Work {
        if let Some(mut evaluation) = self.pending.take() {
            if !self.evaluate_slice(&mut evaluation) {
                self.pending = Some(evaluation);
                return Work::Evaluated { recorded: false };
            }
            let epoch = self.epoch + usize::from(!evaluation.initial);
            let layers = layer_epoch(epoch, &mut self.flow, &mut self.units, &self.theta);
            self.layer_history.push(layers);
            if evaluation.initial {
                return Work::Evaluated { recorded: false };
            }
            self.record_epoch(evaluation);
            return Work::Evaluated { recorded: true };
        }
        if self.stopped.is_some() || self.data.train.is_empty() {
            return Work::Stopped;
        }
        if self.position == 0 {
            shuffle(&mut self.order, &mut self.rng);
        }
        let end = (self.position + self.config.batch_size).min(self.order.len());
        let indices = &self.order[self.position..end];
        let buffers = &mut self.buffers;
        let x = &self.data.train.x;
        if buffers.x.shape() != (x.nrows(), indices.len()) {
            buffers.x = DMatrix::zeros(x.nrows(), indices.len());
        }
        for (j, &i) in indices.iter().enumerate() {
            buffers.x.set_column(j, &x.column(i));
        }
        let targets = buffers
            .targets
            .get_or_insert_with(|| self.targets.train.select(&[]));
        self.targets.train.select_into(indices, targets);
        let mut oracle = Batch {
            network: &self.network,
            x: &buffers.x,
            targets,
            forward: &mut buffers.forward,
            backward: &mut buffers.backward,
            flow: &mut self.flow,
            loss: Loss::default(),
        };
        buffers.previous.clear();
        buffers.previous.extend_from_slice(&self.theta);
        self.optimizer.step(&mut self.theta, &mut oracle);
        let loss = oracle.loss;
        self.updates += 1;
        let escaped = |t: &f64| !t.is_finite() || t.abs() > DIVERGENCE_BOUND;
        if !loss.total().is_finite() || self.theta.iter().any(escaped) {
            self.theta.copy_from_slice(&buffers.previous);
            self.stopped = Some(Stop::Diverged {
                update: self.updates,
            });
            return Work::Updated { epoch_done: false };
        }
        self.flow.accept();
        let rate = self.scheduler.after_update(self.optimizer.learning_rate());
        self.optimizer.set_learning_rate(rate);
        self.position = end;
        let epoch_done = self.position == self.order.len();
        if epoch_done {
            self.position = 0;
            self.pending = Some(Evaluation::default());
        }
        Work::Updated { epoch_done }
    }

    /// Completes an end-of-epoch evaluation in progress, if any.
    fn finish_evaluation(&mut self) {
        while self.pending.is_some() {
            self.work();
        }
    }

    /// The next slice of `evaluation`: training points first (their hidden units
    /// counted), then validation points; true when both are done, or the training
    /// points for the initial evaluation.
    fn evaluate_slice(&mut self, evaluation: &mut Evaluation) -> bool {
        let (network, theta) = (&self.network, &self.theta);
        let forward = &mut self.buffers.evaluation;
        let (train, validation) = (&self.data.train, &self.data.validation);
        if evaluation.train.done < train.len() {
            let done =
                evaluation
                    .train
                    .advance(network, theta, &train.x, &self.targets.train, forward);
            self.units.observe(forward);
            return done && evaluation.initial;
        }
        if evaluation.initial {
            return true;
        }
        let (x, y) = (&validation.x, &self.targets.validation);
        evaluation.validation.advance(network, theta, x, y, forward)
    }

    /// Records the epoch just evaluated, then lets the schedule and early stopping act
    /// on the loss L they watch: the full loss, data term and λ Σ‖W‖², that the
    /// validation curve shows (as Keras' `val_loss` adds the layers' regularization
    /// penalties: `Trainer.compute_loss` sums them with the compiled loss), of the
    /// validation set, or of the training set when there is none.
    fn record_epoch(&mut self, evaluation: Evaluation) {
        self.epoch += 1;
        let (network, theta) = (&self.network, &self.theta);
        let train = evaluation
            .train
            .metrics(network, theta, &self.targets.train);
        let validation = (!self.data.validation.is_empty()).then(|| {
            evaluation
                .validation
                .metrics(network, theta, &self.targets.validation)
        });
        self.history.push(EpochRecord {
            epoch: self.epoch,
            updates: self.updates,
            learning_rate: self.optimizer.learning_rate(),
            train,
            validation,
        });
        self.trajectory.record(self.epoch, &self.theta);
        let monitored = validation.unwrap_or(train).loss();
        let rate =
            self.scheduler
                .after_epoch(self.optimizer.learning_rate(), self.epoch, monitored);
        self.optimizer.set_learning_rate(rate);
        if let Some(watch) = &mut self.watch {
            if watch.should_stop(self.epoch, monitored, &self.theta) {
                if watch.rule.restore_best {
                    self.theta = watch.best_theta.clone();
                }
                self.stopped = Some(Stop::EarlyStopped {
                    epoch: self.epoch,
                    best_epoch: watch.best_epoch,
                });
            }
        }
    }

    /// The loss and accuracy of the current θ on `x`.
    pub fn evaluate(&self, x: &DMatrix<f64>, targets: &Targets) -> Metrics {
        metrics(
            &self.network,
            &self.theta,
            x,
            targets,
            &mut Forward::default(),
        )
    }

    pub fn task(&self) -> Task {
        self.network.architecture.task()
    }

    /// The training set's targets, in the form the network's output needs.
    pub fn train_targets(&self) -> &Targets {
        &self.targets.train
    }

    /// What early stopping and reduce-on-plateau watch, if either is on.
    pub fn watched(&self) -> Option<Watched> {
        let plateau = matches!(self.config.schedule, Schedule::Plateau(_));
        let by = match (self.watch.is_some(), plateau) {
            (true, true) => "early stopping and plateau",
            (true, false) => "early stopping",
            (false, true) => "plateau",
            (false, false) => return None,
        };
        let data = match self.task() {
            Task::Classes(_) => "NLL",
            Task::Binary => "cross-entropy",
            Task::Regression(_) => "squared error",
            Task::Gaussian(_) => "Gaussian NLL",
            Task::Mixture(_) => "mixture NLL",
        };
        Some(Watched {
            loss: if self.network.l2 == 0.0 {
                data.to_string()
            } else {
                format!("{data} + λΣ‖W‖²")
            },
            by,
            validation: !self.data.validation.is_empty(),
        })
    }
}

/// The loss that early stopping and reduce-on-plateau watch, as the loss chart names it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Watched {
    /// The full loss L they compare: the data term's name (`NLL`, `cross-entropy`,
    /// `squared error`, `Gaussian NLL`, `mixture NLL`), with `+ λΣ‖W‖²` when λ > 0.
    pub loss: String,
    /// `early stopping`, `plateau`, or `early stopping and plateau`.
    pub by: &'static str,
    /// On the validation set, or on the training set when there is none.
    pub validation: bool,
}

/// The loss and, for classification, the accuracy of `network` at θ on `x`, with
/// `forward` as the buffers of the pass: what an epoch records.
pub fn metrics(
    network: &Network,
    theta: &[f64],
    x: &DMatrix<f64>,
    targets: &Targets,
    forward: &mut Forward,
) -> Metrics {
    let mut tally = Tally::default();
    while !tally.advance(network, theta, x, targets, forward) {}
    tally.metrics(network, theta, targets)
}
