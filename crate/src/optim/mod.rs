//! Gradient-based optimizers over a flat parameter vector θ, so that one implementation
//! serves a point of the plane and a network's weights alike.
//!
//! Each file is one method: its hyperparameters' table (a validated `...Config` whose
//! `Default`s come from the method's paper or from `torch.optim`, as the file says), its
//! state and its update rule ([`Update`]), and a doc comment with the maths. [`Method`]
//! does what every method shares: the gradient buffer, asking the [`Oracle`] for ∇L
//! (at the look-ahead point for Nesterov), and η for the schedules.

mod adadelta;
mod adagrad;
mod adam;
mod adamw;
pub mod explain;
mod lion;
mod momentum;
mod nadam;
mod nesterov;
mod newton;
mod noise;
mod rmsprop;
mod sgd;

pub use adadelta::{Adadelta, AdadeltaConfig};
pub use adagrad::{Adagrad, AdagradConfig};
pub use adam::{Adam, AdamConfig};
pub use adamw::{AdamW, AdamWConfig};
pub use explain::{Explained, Term};
pub use lion::{Lion, LionConfig};
pub use momentum::{Momentum, MomentumConfig};
pub use nadam::{NAdam, NAdamConfig};
pub use nesterov::{Nesterov, NesterovConfig};
pub(crate) use newton::symmetric_eigen;
pub use newton::{Newton, NewtonConfig};
pub use noise::{NoiseConfig, Noisy};
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use sgd::{Sgd, SgdConfig};

use crate::config::{Configuration, Control, Error, Parameter, Spec};

/// The controls that several methods' tables share, so each reads the same everywhere.
pub const LEARNING_RATE: Control = Control::new("learning rate").symbol("η").log(1e-5, 10.0);
pub const MOMENTUM: Control = Control::new("momentum").symbol("γ").linear(0.0, 0.999);
pub const FIRST_MOMENT: Control = Control::new("first moment").symbol("β₁").linear(0.0, 0.999);
pub const SECOND_MOMENT: Control = Control::new("second moment")
    .symbol("β₂")
    .linear(0.0, 0.9999);
pub const EPSILON: Control = Control::new("epsilon").symbol("ε").log(1e-12, 1.0);
pub const WEIGHT_DECAY: Control = Control::new("weight decay").symbol("λ").linear(0.0, 1.0);
pub const AMSGRAD: Control = Control::new("AMSGrad");
pub const BIAS_CORRECTION: Control = Control::new("bias correction");
/// σ of the gradient noise, on a surface and in the optimizer lab.
pub const GRADIENT_NOISE: Control = Control::new("gradient noise").symbol("σ").linear(0.0, 20.0);
pub const NOISE_SEED: Control = Control::new("noise seed").whole(0.0, 100.0);

/// What an optimizer may ask of the objective L(θ).
pub trait Oracle {
    /// Writes ∇L(θ) into `gradient`.
    fn gradient(&mut self, theta: &[f64], gradient: &mut [f64]);

    /// ∇²L(θ), row-major n × n, when the objective knows it exactly.
    fn hessian(&mut self, _theta: &[f64]) -> Option<Vec<f64>> {
        None
    }
}

/// One method: init (its state starts empty and is sized on the first step) and one
/// update θ ← θ − Δ.
pub trait Optimizer {
    fn step(&mut self, theta: &mut [f64], oracle: &mut dyn Oracle);

    /// η, which a learning-rate schedule may change between steps.
    fn learning_rate(&self) -> f64;
    fn set_learning_rate(&mut self, rate: f64);
}

/// A method that also takes its step apart. A trait of its own, built by [`explaining`]
/// only: a build of the core that never explains a step (the network lab's page, the
/// optimizer lab's first load) then holds none of the methods' explanations.
pub trait Explainer: Optimizer {
    /// Takes the same step as [`Optimizer::step`], bit for bit, and says what it used.
    fn explain(&mut self, theta: &mut [f64], oracle: &mut dyn Oracle) -> Explained;
}

/// A method's update rule and its state, which starts empty and is sized by the first
/// step.
pub trait Update: Default + Clone {
    type Config: Configuration + Rate;

    /// θ ← θ − Δ, given g = ∇L at [`Update::gradient_point`]; Newton also asks the
    /// oracle for the Hessian.
    fn update(&mut self, c: &Self::Config, theta: &mut [f64], g: &[f64], oracle: &mut dyn Oracle);

    /// Where ∇L is taken: θ, unless the method looks ahead.
    fn gradient_point<'a>(&'a mut self, _c: &Self::Config, theta: &'a [f64]) -> &'a [f64] {
        theta
    }

    /// The update just made (`step`), read from the state `before` it and `self` after
    /// it, with the same arithmetic as [`Update::update`].
    fn explain(
        &self,
        before: &Self,
        c: &Self::Config,
        step: &explain::Step,
        oracle: &mut dyn Oracle,
    ) -> Explained;
}

/// The learning rate η of a method's hyperparameters, which a schedule may change.
pub trait Rate {
    fn rate(&self) -> f64;
    fn set_rate(&mut self, rate: f64);
}

/// [`Rate`] for tables with a `learning_rate` field.
macro_rules! rates {
    ($($config:ty),*) => {$(
        impl Rate for $config {
            fn rate(&self) -> f64 {
                self.learning_rate
            }
            fn set_rate(&mut self, rate: f64) {
                self.learning_rate = rate;
            }
        }
    )*};
}

rates!(
    SgdConfig,
    MomentumConfig,
    NesterovConfig,
    AdagradConfig,
    RmsPropConfig,
    AdadeltaConfig,
    AdamConfig,
    AdamWConfig,
    NAdamConfig,
    LionConfig,
    NewtonConfig
);

/// A method at work: its hyperparameters, its state, and the gradient's buffer.
pub struct Method<U: Update> {
    config: U::Config,
    state: U,
    gradient: Vec<f64>,
}

impl<U: Update> Method<U> {
    pub fn new(config: U::Config) -> Self {
        Method {
            config,
            state: U::default(),
            gradient: Vec::new(),
        }
    }
}

impl<U: Update> Optimizer for Method<U> {
    fn step(&mut self, theta: &mut [f64], oracle: &mut dyn Oracle) {
        let g = state(&mut self.gradient, theta.len());
        oracle.gradient(self.state.gradient_point(&self.config, theta), g);
        self.state.update(&self.config, theta, g, oracle);
    }

    fn learning_rate(&self) -> f64 {
        self.config.rate()
    }

    fn set_learning_rate(&mut self, rate: f64) {
        self.config.set_rate(rate);
    }
}

impl<U: Update> Explainer for Method<U> {
    fn explain(&mut self, theta: &mut [f64], oracle: &mut dyn Oracle) -> Explained {
        let (before, start) = (self.state.clone(), theta.to_vec());
        self.step(theta, oracle);
        let step = explain::Step {
            theta: &start,
            gradient: &self.gradient,
            next: theta,
        };
        self.state.explain(&before, &self.config, &step, oracle)
    }
}

/// A state vector of length `n`, zero-filled the first time it is used.
pub(crate) fn state(vector: &mut Vec<f64>, n: usize) -> &mut [f64] {
    if vector.len() != n {
        vector.clear();
        vector.resize(n, 0.0);
    }
    vector
}

/// An optimizer configured from a spec, with the gradient noise that its spec asked for:
/// one that steps ([`from_spec`]) or one that also explains its steps ([`explaining`]).
pub struct Configured<O: ?Sized = dyn Optimizer> {
    pub optimizer: Box<O>,
    pub noise: NoiseConfig,
}

type Build = fn(&[(String, String)]) -> Result<Box<dyn Optimizer>, Error>;
type BuildExplainer = fn(&[(String, String)]) -> Result<Box<dyn Explainer>, Error>;

/// One built-in method, as listed to users.
pub struct Entry {
    pub id: &'static str,
    pub update: &'static str,
    pub parameters: fn() -> Vec<Parameter>,
    build: Build,
}

impl Entry {
    /// The method's own hyperparameters followed by `noise` and `seed`.
    pub fn all_parameters(&self) -> Vec<Parameter> {
        let mut all = (self.parameters)();
        all.extend(NoiseConfig::parameters());
        all
    }
}

fn build<U: Update + 'static>(params: &[(String, String)]) -> Result<Box<dyn Optimizer>, Error> {
    Ok(Box::new(Method::<U>::new(U::Config::from_params(params)?)))
}

fn build_explainer<U: Update + 'static>(
    params: &[(String, String)],
) -> Result<Box<dyn Explainer>, Error> {
    Ok(Box::new(Method::<U>::new(U::Config::from_params(params)?)))
}

/// Every method of [`CATALOGUE`], in its order, built as an [`Explainer`]: a list apart,
/// which only [`explaining`] reads, so that only a build that explains steps holds it.
const EXPLAINERS: [BuildExplainer; 11] = [
    build_explainer::<Sgd>,
    build_explainer::<Momentum>,
    build_explainer::<Nesterov>,
    build_explainer::<Adagrad>,
    build_explainer::<RmsProp>,
    build_explainer::<Adadelta>,
    build_explainer::<Adam>,
    build_explainer::<AdamW>,
    build_explainer::<NAdam>,
    build_explainer::<Lion>,
    build_explainer::<Newton>,
];

/// Every built-in method, in the order the page lists them.
pub const CATALOGUE: &[Entry] = &[
    Entry {
        id: "sgd",
        update: "θ ← θ − η∇L(θ)",
        parameters: SgdConfig::parameters,
        build: build::<Sgd>,
    },
    Entry {
        id: "momentum",
        update: "m ← γm + η∇L(θ); θ ← θ − m",
        parameters: MomentumConfig::parameters,
        build: build::<Momentum>,
    },
    Entry {
        id: "nesterov",
        update: "m ← γm + η∇L(θ − γm); θ ← θ − m",
        parameters: NesterovConfig::parameters,
        build: build::<Nesterov>,
    },
    Entry {
        id: "adagrad",
        update: "s ← s + g²; θ ← θ − η g / (√s + ε)",
        parameters: AdagradConfig::parameters,
        build: build::<Adagrad>,
    },
    Entry {
        id: "rmsprop",
        update: "v ← αv + (1 − α)g²; θ ← θ − η g / (√v + ε)",
        parameters: RmsPropConfig::parameters,
        build: build::<RmsProp>,
    },
    Entry {
        id: "adadelta",
        update: "v ← ρv + (1 − ρ)g²; Δ = √(u + ε)/√(v + ε) g; u ← ρu + (1 − ρ)Δ²; θ ← θ − ηΔ",
        parameters: AdadeltaConfig::parameters,
        build: build::<Adadelta>,
    },
    Entry {
        id: "adam",
        update: "m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − η m̂ / (√v̂ + ε)",
        parameters: AdamConfig::parameters,
        build: build::<Adam>,
    },
    Entry {
        id: "adamw",
        update: "θ ← θ(1 − ηλ), then the Adam update",
        parameters: AdamWConfig::parameters,
        build: build::<AdamW>,
    },
    Entry {
        id: "nadam",
        update: "Adam with Nesterov momentum and the momentum schedule μₜ",
        parameters: NAdamConfig::parameters,
        build: build::<NAdam>,
    },
    Entry {
        id: "lion",
        update: "θ ← θ − η(sign(β₁m + (1 − β₁)g) + λθ); m ← β₂m + (1 − β₂)g",
        parameters: LionConfig::parameters,
        build: build::<Lion>,
    },
    Entry {
        id: "newton",
        update: "θ ← θ − η [∇²L(θ)]⁻¹ ∇L(θ)",
        parameters: NewtonConfig::parameters,
        build: build::<Newton>,
    },
];

/// Builds an optimizer from `NAME[:key=value,...]`; `noise` and `seed` may be given
/// to every method.
pub fn from_spec(spec: &Spec) -> Result<Configured, Error> {
    let (entry, own, noise) = configure(spec)?;
    Ok(Configured {
        optimizer: (entry.build)(&own)?,
        noise,
    })
}

/// [`from_spec`]'s optimizer, built to explain its steps too.
pub fn explaining(spec: &Spec) -> Result<Configured<dyn Explainer>, Error> {
    let (entry, own, noise) = configure(spec)?;
    let place = CATALOGUE.iter().position(|e| e.id == entry.id);
    let build = place
        .and_then(|i| EXPLAINERS.get(i))
        .ok_or_else(|| Error::new(format!("{} cannot explain its steps", entry.id)))?;
    Ok(Configured {
        optimizer: build(&own)?,
        noise,
    })
}

/// A method's own parameters, as `key=value` pairs.
type Params = Vec<(String, String)>;

/// The spec's method, its own parameters, and the gradient noise of its `noise` and
/// `seed`.
fn configure(spec: &Spec) -> Result<(&'static Entry, Params, NoiseConfig), Error> {
    let entry = CATALOGUE
        .iter()
        .find(|entry| entry.id == spec.id)
        .ok_or_else(|| {
            let ids: Vec<_> = CATALOGUE.iter().map(|e| e.id).collect();
            Error::new(format!(
                "unknown optimizer `{}`; expected one of: {}",
                crate::text::quoted(&spec.id),
                ids.join(", ")
            ))
        })?;
    let (noise, own): (Vec<_>, Vec<_>) = spec
        .params
        .iter()
        .cloned()
        .partition(|(key, _)| key == "noise" || key == "seed");
    let noise = NoiseConfig::from_params(&noise)
        .map_err(|e| Error::new(e.0.replacen("gradient noise", entry.id, 1)))?;
    Ok((entry, own, noise))
}
