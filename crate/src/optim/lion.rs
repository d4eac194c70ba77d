use super::explain::{map2, previous, scalar, vector, Step};
use super::{state, Explained, Oracle, Term, Update, LEARNING_RATE, WEIGHT_DECAY};
use crate::config::{Control, Range};

crate::hyperparameters! {
    /// Lion's hyperparameters, with the paper's defaults.
    pub struct LionConfig("lion") {
        /// η, the learning rate: every coordinate moves by exactly η (plus decay)
        learning_rate: f64 = 1e-4, "lr", Some(Range::POSITIVE), LEARNING_RATE;
        /// β₁, interpolation between momentum and gradient for the update's sign
        beta1: f64 = 0.9, "beta1", Some(Range::UNIT_OPEN),
            Control::new("sign mix").symbol("β₁").linear(0.0, 0.999);
        /// β₂, decay of the momentum
        beta2: f64 = 0.99, "beta2", Some(Range::UNIT_OPEN),
            Control::new("momentum decay").symbol("β₂").linear(0.0, 0.9999);
        /// λ, decoupled weight decay
        weight_decay: f64 = 0.0, "weight_decay", Some(Range::NON_NEGATIVE), WEIGHT_DECAY;
    }
}

/// Lion, "EvoLved Sign Momentum" (Chen et al. 2023, Algorithm 2):
///
/// c = β₁m + (1 − β₁)g,  θ ← θ − η(sign(c) + λθ),  m ← β₂m + (1 − β₂)g,
///
/// with m₀ = 0 and sign(0) = 0. Defaults η = 1e-4, β₁ = 0.9, β₂ = 0.99, λ = 0 (the
/// paper's). The step has the same size in every coordinate, so on a 2D surface Lion
/// moves along diagonals and axes.
#[derive(Clone, Default)]
pub struct Lion {
    momentum: Vec<f64>,
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

impl Update for Lion {
    type Config = LionConfig;

    fn update(&mut self, c: &LionConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        let m = state(&mut self.momentum, theta.len());
        for i in 0..theta.len() {
            let direction = sign(c.beta1 * m[i] + (1.0 - c.beta1) * g[i]);
            theta[i] -= c.learning_rate * (direction + c.weight_decay * theta[i]);
            m[i] = c.beta2 * m[i] + (1.0 - c.beta2) * g[i];
        }
    }

    fn explain(&self, before: &Self, c: &LionConfig, step: &Step, _: &mut dyn Oracle) -> Explained {
        let g = step.gradient;
        let old = previous(&before.momentum, g.len());
        let mix = map2(&old, g, |m, g| c.beta1 * m + (1.0 - c.beta1) * g);
        let direction: Vec<f64> = mix.iter().map(|x| sign(*x)).collect();
        let decay: Vec<f64> = step
            .theta
            .iter()
            .map(|t| c.learning_rate * c.weight_decay * t)
            .collect();
        let narration = format!(
            "β₁m + (1 − β₁)g = {}; θ ← θ − η(sign(β₁m + (1 − β₁)g) + λθ) = {} − {}·({} + {}·{}) = {}; m ← β₂m + (1 − β₂)g = {}",
            vector(&mix),
            vector(step.theta),
            scalar(c.learning_rate),
            vector(&direction),
            scalar(c.weight_decay),
            vector(step.theta),
            vector(step.next),
            vector(&self.momentum)
        );
        let terms = vec![
            Term::new("∇L(θ)", "gradient g", g.to_vec()),
            Term::new("c", "interpolation β₁m + (1 − β₁)g", mix),
            Term::new("sign(c)", "direction sign(c)", direction),
            Term::new("ηλθ", "decoupled weight decay ηλθ", decay),
            Term::new("m", "momentum m", self.momentum.clone()),
        ];
        Explained::new(g, terms, narration)
    }
}
