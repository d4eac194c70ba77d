//! The learning-rate range test: the loss after a short training against η, over
//! decades, so that the lecture's advice for SGD — "try a large value first: η = 0.1 or
//! even η = 1; divide by 10 and retry in case of divergence" — is one picture.
//!
//! Each η of a log grid gets a short run of its own: U minibatch updates from the same
//! initial θ (the setup's init and seed), on the same data, in the same minibatch order
//! (the setup's seed), with the setup's optimizer at that η and every other
//! hyperparameter of it kept. A run's score is the full training loss after its U
//! updates, L_S(θ_U) = −(1/|S|) Σ_{s∈S} log f(xˢ; θ_U)_{yˢ} + λ Σ‖W‖² (the data term of the
//! task's loss over the whole training set S, plus the L2 term), as the lab's curves
//! show it. A run that diverged (the trainer's `Stop::Diverged`: a non-finite loss or a
//! weight beyond ±1e8), or whose final loss is not finite, scores +∞. The schedule and
//! early stopping are off during the test: every update uses the η tested, and every
//! run lasts its U updates.
//!
//! Why short runs rather than Smith's single run (L. N. Smith, "Cyclical Learning Rates
//! for Training Neural Networks", WACV 2017, §3.3; fastai's `lr_find`), in which η grows
//! geometrically at every update while the loss is recorded: that run costs U times
//! less, but it mixes η with progress — the loss at a large η is measured on weights
//! that every smaller η has already trained, so a point says how η acts after a warm-up
//! at all smaller rates, and a rate that would diverge from the start may look fine.
//! Here each point is a whole run at one η from the start, which is what the lecture's
//! advice means: train at η = 1 and see whether it diverges, then at 0.1.
//!
//! The test is progressive: [`RangeTest::advance`] computes a few rates per call, so a
//! page fills the chart across frames and stays live.

use super::data::Split;
use super::network::Network;
use super::schedule::Schedule;
use super::setup::{network_optimizer, Setup};
use super::train::{Stop, TrainConfig, Trainer};
use crate::config::{Error, Spec};
use crate::tune::{best, with_learning_rate, Grid};
use serde::Serialize;

/// A range test's learning rates and updates: `points` rates spaced geometrically from
/// `from` to `to`, both included, each trained for `updates` updates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RangeSettings {
    pub from: f64,
    pub to: f64,
    pub points: u32,
    pub updates: usize,
}

/// The test's defaults: 50 rates from 10⁻⁵ to 10 (the learning-rate slider's range,
/// about seven a decade), 300 updates each.
pub const DEFAULT_RANGE: RangeSettings = RangeSettings {
    from: 1e-5,
    to: 10.0,
    points: 50,
    updates: 300,
};

/// The bounds a range test keeps to: rates up to `most_rate`, 2 to `most_points` of
/// them, 1 to `most_updates` updates each — a test of at most two million updates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RangeLimits {
    pub most_rate: f64,
    pub most_points: u32,
    pub most_updates: usize,
}

pub const RANGE_LIMITS: RangeLimits = RangeLimits {
    most_rate: 100.0,
    most_points: crate::tune::MAX_POINTS,
    most_updates: 10_000,
};

impl RangeSettings {
    /// Settings with 0 < `from` < `to` ≤ 100, 2 to 200 points and 1 to 10,000 updates.
    pub fn new(from: f64, to: f64, points: u32, updates: usize) -> Result<RangeSettings, Error> {
        let limits = RANGE_LIMITS;
        Grid::new(from, to, points)?;
        if to > limits.most_rate {
            return Err(Error::new(format!(
                "learning rates up to {to}: the largest must be at most {}",
                limits.most_rate
            )));
        }
        if !(1..=limits.most_updates).contains(&updates) {
            return Err(Error::new(format!(
                "updates = {updates} is out of range; each run takes 1 to {} updates",
                limits.most_updates
            )));
        }
        Ok(RangeSettings {
            from,
            to,
            points,
            updates,
        })
    }

    /// η_i = from · (to/from)^(i/(P−1)), i = 0 … P−1, the first exactly `from` and the
    /// last exactly `to` (the tuning grid's).
    pub fn rates(&self) -> Vec<f64> {
        Grid {
            from: self.from,
            to: self.to,
            points: self.points,
        }
        .rates()
    }
}

/// What every run of a range test shares: the network, its initial θ, the data as the
/// network receives it, the optimizer (its `lr` aside), the minibatch size and the
/// seed of the minibatches' order.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeRuns {
    pub network: Network,
    pub initial: Vec<f64>,
    pub data: Split,
    /// The optimizer's spec without its `lr`.
    pub optimizer: Spec,
    pub batch: usize,
    pub seed: u64,
}

impl RangeRuns {
    /// The runs of `setup`, on the data, split and inputs its `train` gets.
    pub fn of_setup(setup: &Setup) -> Result<RangeRuns, Error> {
        let trainer = setup.build()?.trainer;
        Ok(RangeRuns::new(
            trainer.network,
            trainer.theta,
            trainer.data,
            setup,
        ))
    }

    /// Runs of `network` from θ = `initial` on `data`, with the optimizer, minibatch
    /// size and seed of `setup`.
    pub fn new(network: Network, initial: Vec<f64>, data: Split, setup: &Setup) -> RangeRuns {
        let mut optimizer = setup.optimizer.clone();
        optimizer.params.retain(|(key, _)| key != "lr");
        RangeRuns {
            network,
            initial,
            data,
            optimizer,
            batch: setup.batch,
            seed: setup.seed,
        }
    }

    /// The run at η = `rate`, not yet started: a constant η, no early stopping.
    pub fn trainer(&self, rate: f64) -> Result<Trainer, Error> {
        let optimizer = network_optimizer(&with_learning_rate(&self.optimizer, rate))?;
        let config = TrainConfig {
            batch_size: self.batch,
            schedule: Schedule::Constant,
            early_stopping: None,
            seed: self.seed,
        };
        Trainer::new(
            self.network.clone(),
            self.initial.clone(),
            optimizer,
            self.data.clone(),
            config,
        )
    }

    /// L_S(θ_U), the full training loss (data term and L2 term) after `updates` updates
    /// at η = `rate`; +∞ when the run diverged or the loss is not finite.
    pub fn loss_at(&self, rate: f64, updates: usize) -> Result<f64, Error> {
        let mut trainer = self.trainer(rate)?;
        for _ in 0..updates {
            if trainer.stopped.is_some() {
                break;
            }
            trainer.update();
        }
        if let Some(Stop::Diverged { .. }) = trainer.stopped {
            return Ok(f64::INFINITY);
        }
        let train = &trainer.data.train;
        let metrics = trainer.evaluate(&train.x, &train.targets_for(trainer.task())?);
        let loss = metrics.data_loss + metrics.regularization;
        Ok(if loss.is_finite() {
            loss
        } else {
            f64::INFINITY
        })
    }
}

/// A range test under way: the rates, and the losses of those computed so far, in the
/// rates' order.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeTest {
    runs: RangeRuns,
    settings: RangeSettings,
    rates: Vec<f64>,
    losses: Vec<f64>,
}

/// One rate's result as JSON: its loss, or `null` and `diverged: true` (JSON has no
/// infinity).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RangePoint {
    pub lr: f64,
    pub loss: Option<f64>,
    pub diverged: bool,
}

/// A range test as the page reads it: its settings, the rates computed so far (in
/// order, from `from`), whether every rate is, and the rate of the lowest loss so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RangeReport {
    #[serde(flatten)]
    pub settings: RangeSettings,
    pub computed: Vec<RangePoint>,
    pub done: bool,
    pub best: Option<RangePoint>,
}

impl RangeTest {
    /// A test of `runs` over `settings`, nothing computed yet. Refused when there is no
    /// training point or the optimizer cannot train the network.
    pub fn new(runs: RangeRuns, settings: RangeSettings) -> Result<RangeTest, Error> {
        if runs.data.train.is_empty() {
            return Err(Error::new(
                "the range test trains on the training points, and there are none",
            ));
        }
        runs.trainer(settings.from)?;
        Ok(RangeTest {
            rates: settings.rates(),
            losses: Vec::with_capacity(settings.points as usize),
            runs,
            settings,
        })
    }

    /// Computes up to `count` more rates, in order; true once every rate is computed.
    pub fn advance(&mut self, count: usize) -> Result<bool, Error> {
        for _ in 0..count {
            let Some(&rate) = self.rates.get(self.losses.len()) else {
                break;
            };
            let loss = self.runs.loss_at(rate, self.settings.updates)?;
            self.losses.push(loss);
        }
        Ok(self.is_done())
    }

    pub fn is_done(&self) -> bool {
        self.losses.len() == self.rates.len()
    }

    /// Every rate of the test, computed or not.
    pub fn rates(&self) -> &[f64] {
        &self.rates
    }

    /// (η, L_S(θ_U)) for the rates computed so far, +∞ where a run diverged.
    pub fn curve(&self) -> Vec<(f64, f64)> {
        self.rates
            .iter()
            .copied()
            .zip(self.losses.clone())
            .collect()
    }

    pub fn settings(&self) -> RangeSettings {
        self.settings
    }

    pub fn runs(&self) -> &RangeRuns {
        &self.runs
    }

    /// The computed rate with the lowest loss (the smaller rate on a tie), if any run
    /// did not diverge.
    pub fn best(&self) -> Option<(f64, f64)> {
        best(&self.curve())
    }

    pub fn report(&self) -> RangeReport {
        let point = |(lr, loss): (f64, f64)| RangePoint {
            lr,
            loss: loss.is_finite().then_some(loss),
            diverged: !loss.is_finite(),
        };
        RangeReport {
            settings: self.settings,
            computed: self.curve().into_iter().map(point).collect(),
            done: self.is_done(),
            best: self.best().map(point),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(json: &str) -> Setup {
        serde_json::from_str(json).unwrap()
    }

    fn test_of(json: &str, settings: RangeSettings) -> RangeTest {
        RangeTest::new(RangeRuns::of_setup(&setup(json)).unwrap(), settings).unwrap()
    }

    #[test]
    fn the_rates_are_geometric_and_hold_both_ends() {
        let test = test_of("{}", RangeSettings::new(1e-4, 3.0, 9, 1).unwrap());
        let rates = test.rates();
        assert_eq!((rates.len(), rates[0], rates[8]), (9, 1e-4, 3.0));
        let ratio = libm::pow(3.0 / 1e-4, 1.0 / 8.0);
        for pair in rates.windows(2) {
            assert!((pair[1] / pair[0] / ratio - 1.0).abs() < 1e-12, "{pair:?}");
        }
        assert_eq!(DEFAULT_RANGE.rates().len(), 50);
    }

    /// L_S(θ_U) of `setup` trained for `updates` updates by its own trainer, computed
    /// with the network's loss over the whole training set.
    fn trained_loss(setup: &Setup, updates: usize) -> f64 {
        let mut trainer = setup.build().unwrap().trainer;
        (0..updates).for_each(|_| {
            trainer.update();
        });
        let train = &trainer.data.train;
        trainer
            .network
            .loss(&trainer.theta, &train.x, &train.targets)
            .total()
    }

    #[test]
    fn each_rate_is_the_setup_trained_at_that_rate_from_the_start_bit_for_bit() {
        // A schedule and early stopping in the setup: the test turns both off, so each
        // point is the setup with a constant η and no early stopping.
        let base = r#"{"dataset": "moons:n=90", "hidden": [5], "l2": 0.001, "batch": 7, "seed": 3"#;
        let scheduled = setup(&format!(
            r#"{base}, "optimizer": "momentum:momentum=0.8,lr=0.5",
                "schedule": "exponential:decay=0.9", "early_stopping": 1}}"#
        ));
        let mut test = RangeTest::new(
            RangeRuns::of_setup(&scheduled).unwrap(),
            RangeSettings::new(0.01, 1.0, 3, 40).unwrap(),
        )
        .unwrap();
        assert!(test.advance(10).unwrap());
        for (rate, loss) in test.curve() {
            let plain = setup(&format!(
                r#"{base}, "optimizer": "momentum:momentum=0.8,lr={rate:e}"}}"#
            ));
            assert_eq!(loss, trained_loss(&plain, 40), "η = {rate}");
            let mut decayed = scheduled.clone();
            decayed.optimizer = plain.optimizer.clone();
            assert_ne!(loss, trained_loss(&decayed, 40), "η = {rate}");
        }
    }

    #[test]
    fn a_run_that_diverges_scores_infinity_and_the_best_is_the_lowest_loss() {
        // Gradient descent on the curve with ReLU units blows up at η = 10.
        let json = r#"{"dataset": "curve:n=50", "activation": "relu", "optimizer": "sgd"}"#;
        let mut test = test_of(json, RangeSettings::new(0.01, 10.0, 4, 50).unwrap());
        test.advance(4).unwrap();
        let curve = test.curve();
        assert_eq!(curve[3].1, f64::INFINITY);
        let mut at_ten = RangeRuns::of_setup(&setup(json))
            .unwrap()
            .trainer(10.0)
            .unwrap();
        (0..50).for_each(|_| {
            at_ten.update();
        });
        assert!(matches!(at_ten.stopped, Some(Stop::Diverged { .. })));
        let lowest = curve[..3]
            .iter()
            .copied()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        assert_eq!(test.best(), Some(lowest));
        let report = serde_json::to_value(test.report()).unwrap();
        assert_eq!(
            report["computed"][3],
            serde_json::json!({"lr": 10.0, "loss": null, "diverged": true})
        );
        assert_eq!(report["best"]["lr"], lowest.0);
        assert_eq!(
            (&report["points"], &report["done"]),
            (&4.into(), &true.into())
        );
    }

    #[test]
    fn the_test_fills_in_a_few_rates_per_call_as_at_once() {
        let json = r#"{"dataset": "xor:n=40", "hidden": [3]}"#;
        let settings = RangeSettings::new(1e-3, 1.0, 5, 20).unwrap();
        let mut whole = test_of(json, settings);
        assert!(whole.advance(usize::MAX).unwrap());
        let mut part = test_of(json, settings);
        assert!(part.curve().is_empty() && part.best().is_none());
        assert!(!part.advance(2).unwrap());
        assert_eq!(part.curve(), whole.curve()[..2]);
        assert_eq!(part.report().computed.len(), 2);
        assert!(!part.report().done);
        assert!(part.advance(3).unwrap());
        assert!(part.advance(1).unwrap(), "nothing left to do");
        assert_eq!(part.curve(), whole.curve());
    }

    #[test]
    fn bad_settings_and_runs_are_refused_with_their_range() {
        for (from, to, points, updates, named) in [
            (0.0, 1.0, 10, 10, "0 < from < to"),
            (1.0, 0.5, 10, 10, "0 < from < to"),
            (f64::NAN, 1.0, 10, 10, "0 < from < to"),
            (1e-3, f64::INFINITY, 10, 10, "0 < from < to"),
            (1e-3, 101.0, 10, 10, "at most 100"),
            (1e-3, 1.0, 1, 10, "2 to 200"),
            (1e-3, 1.0, 201, 10, "2 to 200"),
            (1e-3, 1.0, 10, 0, "1 to 10000"),
            (1e-3, 1.0, 10, 10_001, "1 to 10000"),
        ] {
            let message = RangeSettings::new(from, to, points, updates).unwrap_err().0;
            assert!(message.contains(named), "{message}");
        }
        assert!(RangeSettings::new(1e-5, 100.0, 200, 10_000).is_ok());
        let mut runs = RangeRuns::of_setup(&Setup::default()).unwrap();
        let mut empty = runs.clone();
        empty.data.train = empty.data.train.select(&[]);
        let message = RangeTest::new(empty, DEFAULT_RANGE).unwrap_err().0;
        assert!(message.contains("there are none"), "{message}");
        runs.optimizer = Spec::named("newton");
        assert!(RangeTest::new(runs, DEFAULT_RANGE).is_err());
    }
}
