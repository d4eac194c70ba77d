//! Each run's name in the legend: how its setup differs from the first run's, in a few
//! words ("Adam, η = 0.001", "init He", "batch 100"). The first run is named by its
//! optimizer and η, and by its own value of every other setting some run changes, so
//! that each difference reads against it.

use crate::config::{Spec, Value};
use crate::nn::init::Init;
use crate::nn::schedule::Schedule;
use crate::nn::setup::Setup;
use crate::optim::CATALOGUE;
use crate::text::tick;

/// A setting a run may change, with the words that name its value.
#[derive(Clone, Copy)]
struct Field {
    of: fn(&Setup) -> String,
}

/// Every setting but the data (which the runs share) and the optimizer (named apart),
/// in the order a label lists them.
const FIELDS: [Field; 10] = [
    Field { of: schedule },
    Field { of: init },
    Field { of: activation },
    Field {
        of: |s| format!("hidden {}", hidden(&s.hidden)),
    },
    Field {
        of: |s| format!("output {}", s.output),
    },
    Field {
        of: |s| format!("batch {}", s.batch),
    },
    Field {
        of: |s| format!("L2 λ = {}", tick(s.l2)),
    },
    Field { of: early_stopping },
    Field {
        of: |s| {
            if s.restore_best {
                "restores the best epoch".into()
            } else {
                "keeps the last weights".into()
            }
        },
    },
    Field {
        of: |s| format!("seed {}", s.seed),
    },
];

/// One label per setup: the first by its optimizer and η and its values of whatever
/// the others change; each other by what differs from the first, or "same as run 1".
pub fn labels(setups: &[Setup]) -> Vec<String> {
    let Some(first) = setups.first() else {
        return Vec::new();
    };
    let changed: Vec<Field> = FIELDS
        .into_iter()
        .filter(|f| setups[1..].iter().any(|s| (f.of)(s) != (f.of)(first)))
        .collect();
    let mut own = vec![optimizer(&first.optimizer)];
    own.extend(changed.iter().map(|f| (f.of)(first)));
    let mut labels = vec![own.join("; ")];
    labels.extend(setups[1..].iter().map(|s| {
        let mut parts = Vec::new();
        if let Some(change) = optimizer_change(&first.optimizer, &s.optimizer) {
            parts.push(change);
        }
        parts.extend(
            FIELDS
                .iter()
                .map(|f| (f.of)(s))
                .zip(FIELDS.iter().map(|f| (f.of)(first)))
                .filter(|(mine, theirs)| mine != theirs)
                .map(|(mine, _)| mine),
        );
        if parts.is_empty() {
            "same as run 1".into()
        } else {
            parts.join("; ")
        }
    }));
    labels
}

/// The optimizer's name as PyTorch spells it (momentum and Nesterov as the lecture
/// does), or its id.
fn method_name(id: &str) -> &str {
    match id {
        "sgd" => "SGD",
        "momentum" => "momentum",
        "nesterov" => "Nesterov",
        "adagrad" => "Adagrad",
        "rmsprop" => "RMSprop",
        "adadelta" => "Adadelta",
        "adam" => "Adam",
        "adamw" => "AdamW",
        "nadam" => "NAdam",
        "lion" => "Lion",
        other => other,
    }
}

/// A hyperparameter of `spec` as written or by default: its key, its symbol (or
/// label) and its value's text.
struct Hyperparameter {
    key: &'static str,
    symbol: &'static str,
    boolean: bool,
    value: String,
}

impl Hyperparameter {
    /// "η = 0.01", "AMSGrad", "no AMSGrad".
    fn phrase(&self) -> String {
        match (self.boolean, self.value.as_str()) {
            (true, "true") => self.symbol.into(),
            (true, _) => format!("no {}", self.symbol),
            (false, value) => match f64::parse(value) {
                Some(v) => format!("{} = {}", self.symbol, tick(v)),
                None => format!("{} = {value}", self.symbol),
            },
        }
    }

    /// Whether two values are the same number (0.010 and 0.01), or the same text.
    fn same_value(&self, other: &Hyperparameter) -> bool {
        match (f64::parse(&self.value), f64::parse(&other.value)) {
            (Some(a), Some(b)) => a == b,
            _ => self.value == other.value,
        }
    }
}

/// Every hyperparameter of the method `spec` names, with its value; none for an
/// unknown method.
fn hyperparameters(spec: &Spec) -> Vec<Hyperparameter> {
    let Some(entry) = CATALOGUE.iter().find(|e| e.id == spec.id) else {
        return Vec::new();
    };
    (entry.parameters)()
        .into_iter()
        .map(|p| {
            let written = spec.params.iter().find(|(k, _)| k == p.key);
            Hyperparameter {
                key: p.key,
                symbol: p.symbol.unwrap_or(p.label),
                boolean: p.kind == bool::KIND,
                value: written.map_or(p.default, |(_, v)| v.clone()),
            }
        })
        .collect()
}

/// "Adam, η = 0.01", and every other hyperparameter away from its default:
/// "momentum, η = 0.05, γ = 0.5".
fn optimizer(spec: &Spec) -> String {
    let defaults = hyperparameters(&Spec::named(&spec.id));
    let mut parts = vec![method_name(&spec.id).to_string()];
    parts.extend(
        hyperparameters(spec)
            .iter()
            .zip(&defaults)
            .filter(|(h, default)| h.key == "lr" || !h.same_value(default))
            .map(|(h, _)| h.phrase()),
    );
    parts.join(", ")
}

/// How `run`'s optimizer differs from `first`'s: another method named in full, or the
/// same one's changed hyperparameters ("η = 0.001"); None when they are the same.
fn optimizer_change(first: &Spec, run: &Spec) -> Option<String> {
    if first.id != run.id {
        return Some(optimizer(run));
    }
    let changed: Vec<String> = hyperparameters(run)
        .iter()
        .zip(hyperparameters(first).iter())
        .filter(|(mine, theirs)| !mine.same_value(theirs))
        .map(|(mine, _)| mine.phrase())
        .collect();
    (!changed.is_empty()).then(|| changed.join(", "))
}

/// "constant η", "exponential schedule ×0.999", "step schedule every 10 ×0.5",
/// "plateau schedule ×0.5, patience 5".
fn schedule(setup: &Setup) -> String {
    match Schedule::from_spec(&setup.schedule) {
        Ok(Schedule::Constant) => "constant η".into(),
        Ok(Schedule::Exponential(c)) => format!("exponential schedule ×{}", tick(c.decay)),
        Ok(Schedule::Step(c)) => {
            format!("step schedule every {} ×{}", tick(c.every), tick(c.factor))
        }
        Ok(Schedule::Plateau(c)) => format!(
            "plateau schedule ×{}, patience {}",
            tick(c.factor),
            tick(c.patience)
        ),
        Err(_) => format!("schedule {}", setup.schedule),
    }
}

/// "init He", "init N(0, 0.01²)", "init Glorot uniform".
fn init(setup: &Setup) -> String {
    let name = match Init::parse(&setup.init) {
        Ok(Init::Zero) => "zero".into(),
        Ok(Init::Constant(c)) => format!("constant {}", tick(c)),
        Ok(Init::Normal(sigma)) => format!("N(0, {}²)", tick(sigma)),
        Ok(Init::Uniform(a)) => format!("U(±{})", tick(a)),
        Ok(Init::GlorotUniform) => "Glorot uniform".into(),
        Ok(Init::GlorotNormal) => "Glorot normal".into(),
        Ok(Init::He) => "He".into(),
        Ok(Init::Orthogonal) => "orthogonal".into(),
        Err(_) => setup.init.clone(),
    };
    format!("init {name}")
}

/// "activation ReLU", "activation tanh".
fn activation(setup: &Setup) -> String {
    let name = match setup.activation.as_str() {
        "relu" => "ReLU",
        other => other,
    };
    format!("activation {name}")
}

/// "16,16", or "none".
fn hidden(units: &[usize]) -> String {
    if units.is_empty() {
        return "none".into();
    }
    let sizes: Vec<String> = units.iter().map(usize::to_string).collect();
    sizes.join(",")
}

/// "no early stopping", "early stopping after 10".
fn early_stopping(setup: &Setup) -> String {
    match setup.early_stopping {
        0 => "no early stopping".into(),
        patience => format!("early stopping after {patience}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(json: &str) -> Setup {
        serde_json::from_str(json).unwrap()
    }

    fn labelled(jsons: &[&str]) -> Vec<String> {
        labels(&jsons.iter().map(|j| setup(j)).collect::<Vec<_>>())
    }

    #[test]
    fn the_first_run_is_named_by_its_optimizer_and_the_others_by_their_difference() {
        assert_eq!(labelled(&["{}"]), ["Adam, η = 0.01"]);
        assert_eq!(
            labelled(&[
                "{}",
                r#"{"optimizer": "adam:lr=0.001"}"#,
                r#"{"init": "he"}"#,
                r#"{"batch": 100}"#,
                r#"{"hidden": [16, 16]}"#,
                r#"{"l2": 0.001}"#,
            ]),
            [
                "Adam, η = 0.01; init Glorot uniform; hidden 8,8; batch 10; L2 λ = 0",
                "η = 0.001",
                "init He",
                "batch 100",
                "hidden 16,16",
                "L2 λ = 0.001",
            ]
        );
        assert_eq!(
            labelled(&[
                r#"{"optimizer": "momentum:lr=0.05,momentum=0.9", "schedule": "step:every=10"}"#,
                r#"{"optimizer": "adam:lr=3e-4", "schedule": "step:every=10"}"#,
                r#"{"optimizer": "momentum:lr=0.05", "schedule": "step:every=10", "seed": 3}"#,
                r#"{"optimizer": "momentum:lr=0.050,momentum=0.5", "schedule": "plateau"}"#,
            ]),
            [
                "momentum, η = 0.05; step schedule every 10 ×0.5; seed 0",
                "Adam, η = 3e-4",
                "seed 3",
                "γ = 0.5; plateau schedule ×0.5, patience 5",
            ]
        );
    }

    #[test]
    fn every_setting_a_run_may_change_has_words() {
        let first = "{}";
        let changes = [
            (
                r#"{"schedule": "exponential"}"#,
                "exponential schedule ×0.999",
            ),
            (r#"{"init": "normal:0.01"}"#, "init N(0, 0.01²)"),
            (r#"{"init": "zero"}"#, "init zero"),
            (r#"{"init": "constant:0.5"}"#, "init constant 0.5"),
            (r#"{"init": "uniform:0.1"}"#, "init U(±0.1)"),
            (r#"{"init": "glorot-normal"}"#, "init Glorot normal"),
            (r#"{"init": "orthogonal"}"#, "init orthogonal"),
            (r#"{"activation": "relu"}"#, "activation ReLU"),
            (r#"{"hidden": []}"#, "hidden none"),
            (r#"{"output": "sigmoid"}"#, "output sigmoid"),
            (r#"{"early_stopping": 10}"#, "early stopping after 10"),
            (r#"{"restore_best": false}"#, "keeps the last weights"),
            (r#"{"optimizer": "adam:lr=0.01,amsgrad=true"}"#, "AMSGrad"),
            (r#"{"optimizer": "sgd:lr=0.1"}"#, "SGD, η = 0.1"),
            (
                r#"{"optimizer": "momentum:lr=0.1,momentum=0.5"}"#,
                "momentum, η = 0.1, γ = 0.5",
            ),
            (
                r#"{"optimizer": "rmsprop:lr=0.001,alpha=0.9"}"#,
                "RMSprop, η = 0.001, α = 0.9",
            ),
        ];
        for (run, words) in changes {
            assert_eq!(labelled(&[first, run])[1], words, "{run}");
        }
        // The same settings written differently are the same.
        assert_eq!(
            labelled(&[
                first,
                r#"{"optimizer": "adam:lr=0.010", "init": "glorot-uniform"}"#
            ])[1],
            "same as run 1"
        );
    }
}
