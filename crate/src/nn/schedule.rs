//! Learning-rate schedules and early stopping, as the lecture's "learning tricks":
//! "multiply ηₜ by β < 1 after each update, or monitor validation loss and divide ηₜ
//! by 2 or 10 when no progress"; "stop when nll stops decreasing on the validation set".
//!
//! A schedule changes η between updates; momentum then follows the lecture's
//! m ← γm + ηₜ∇L (torch's SGD, whose buffer excludes η, differs once η changes).

use crate::config::{Configuration, Control, Error, Parameter, Range, Spec};

/// What η is multiplied by when a schedule decays it.
const FACTOR: Control = Control::new("factor").linear(0.05, 0.95);

crate::hyperparameters! {
    /// η ← βη after every update.
    pub struct ExponentialConfig("exponential") {
        /// β, the factor applied after every update
        decay: f64 = 0.999, "decay", Some(Range::new(0.0, 1.0, false, true)),
            Control::new("decay").symbol("β").linear(0.9, 1.0);
    }
}

crate::hyperparameters! {
    /// η ← factor·η every `every` epochs.
    pub struct StepConfig("step") {
        /// epochs between two decays
        every: f64 = 10.0, "every", Some(Range::new(1.0, 1e6, true, true)),
            Control::new("interval").whole(1.0, 100.0);
        /// the factor applied each time
        factor: f64 = 0.5, "factor", Some(Range::new(0.0, 1.0, false, true)), FACTOR;
    }
}

crate::hyperparameters! {
    /// Keras' ReduceLROnPlateau on the validation loss.
    pub struct PlateauConfig("plateau") {
        /// the factor applied when the validation loss stops improving
        factor: f64 = 0.5, "factor", Some(Range::new(0.0, 1.0, false, false)), FACTOR;
        /// epochs without improvement before η is reduced
        patience: f64 = 5.0, "patience", Some(Range::new(0.0, 1e6, true, true)),
            Control::new("plateau patience").whole(0.0, 50.0);
    }
}

/// One schedule as listed to users.
pub struct ScheduleEntry {
    pub id: &'static str,
    pub rule: &'static str,
    pub parameters: fn() -> Vec<Parameter>,
}

/// Every schedule, in the order the page lists them.
pub const SCHEDULES: &[ScheduleEntry] = &[
    ScheduleEntry {
        id: "constant",
        rule: "η stays as set",
        parameters: Vec::new,
    },
    ScheduleEntry {
        id: "exponential",
        rule: "η ← βη after every update",
        parameters: ExponentialConfig::parameters,
    },
    ScheduleEntry {
        id: "step",
        rule: "η ← factor·η every `every` epochs",
        parameters: StepConfig::parameters,
    },
    ScheduleEntry {
        id: "plateau",
        rule: "η ← factor·η when the validation loss has not improved for `patience` epochs",
        parameters: PlateauConfig::parameters,
    },
];

#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    Constant,
    Exponential(ExponentialConfig),
    Step(StepConfig),
    Plateau(PlateauConfig),
}

/// A loss improves on the best so far when it is lower by more than this fraction
/// (PyTorch's ReduceLROnPlateau default threshold, relative mode).
const IMPROVEMENT: f64 = 1e-4;

/// η never drops below this: further halving changes nothing a student can see.
const SMALLEST_RATE: f64 = 1e-12;

impl Schedule {
    /// `constant`, `exponential[:decay=β]`, `step[:every=E,factor=f]`,
    /// `plateau[:factor=f,patience=P]`.
    pub fn from_spec(spec: &Spec) -> Result<Schedule, Error> {
        Ok(match spec.id.as_str() {
            "constant" if spec.params.is_empty() => Schedule::Constant,
            "constant" => return Err(Error::new("constant: takes no parameters")),
            "exponential" => Schedule::Exponential(ExponentialConfig::from_params(&spec.params)?),
            "step" => Schedule::Step(StepConfig::from_params(&spec.params)?),
            "plateau" => Schedule::Plateau(PlateauConfig::from_params(&spec.params)?),
            other => {
                return Err(Error::new(format!(
                    "unknown schedule `{}`; expected constant, exponential, step or plateau",
                    crate::text::quoted(other)
                )))
            }
        })
    }
}

/// A schedule in progress.
#[derive(Clone, Debug)]
pub struct Scheduler {
    schedule: Schedule,
    best: f64,
    waited: usize,
}

impl Scheduler {
    pub fn new(schedule: Schedule) -> Self {
        Scheduler {
            schedule,
            best: f64::INFINITY,
            waited: 0,
        }
    }

    /// η after an update.
    pub fn after_update(&mut self, rate: f64) -> f64 {
        match &self.schedule {
            Schedule::Exponential(c) => (rate * c.decay).max(SMALLEST_RATE),
            _ => rate,
        }
    }

    /// η after epoch `epoch` (counted from 1) ended with `validation_loss`.
    pub fn after_epoch(&mut self, rate: f64, epoch: usize, validation_loss: f64) -> f64 {
        match &self.schedule {
            Schedule::Step(c) if epoch.is_multiple_of(c.every as usize) => {
                (rate * c.factor).max(SMALLEST_RATE)
            }
            Schedule::Plateau(c) => {
                if validation_loss < self.best * (1.0 - IMPROVEMENT) {
                    self.best = validation_loss;
                    self.waited = 0;
                    rate
                } else {
                    self.waited += 1;
                    if self.waited > c.patience as usize {
                        self.waited = 0;
                        (rate * c.factor).max(SMALLEST_RATE)
                    } else {
                        rate
                    }
                }
            }
            _ => rate,
        }
    }
}

/// Stop when the validation loss has not improved for `patience` epochs, and go back to
/// the best weights seen if `restore_best`. The trainer gives it the full loss L, data
/// term and λ Σ‖W‖², as it gives reduce-on-plateau.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EarlyStopping {
    pub patience: usize,
    pub restore_best: bool,
}

/// Early stopping in progress: the best validation loss, its epoch and its weights.
#[derive(Clone, Debug)]
pub struct Watch {
    pub rule: EarlyStopping,
    pub best: f64,
    pub best_epoch: usize,
    pub best_theta: Vec<f64>,
}

impl Watch {
    pub fn new(rule: EarlyStopping) -> Self {
        Watch {
            rule,
            best: f64::INFINITY,
            best_epoch: 0,
            best_theta: Vec::new(),
        }
    }

    /// Records epoch `epoch`; true when training should stop.
    pub fn should_stop(&mut self, epoch: usize, validation_loss: f64, theta: &[f64]) -> bool {
        if validation_loss < self.best {
            self.best = validation_loss;
            self.best_epoch = epoch;
            self.best_theta = theta.to_vec();
            return false;
        }
        epoch - self.best_epoch >= self.rule.patience
    }
}
