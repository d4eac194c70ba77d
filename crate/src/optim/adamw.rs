use super::adam::{Adam, AdamConfig};
use super::explain::{vector, Step};
use super::{
    Explained, Oracle, Term, Update, AMSGRAD, BIAS_CORRECTION, EPSILON, FIRST_MOMENT,
    LEARNING_RATE, SECOND_MOMENT, WEIGHT_DECAY,
};
use crate::config::Range;

crate::hyperparameters! {
    /// `torch.optim.AdamW`'s hyperparameters and defaults.
    pub struct AdamWConfig("adamw") {
        /// η, the learning rate
        learning_rate: f64 = 1e-3, "lr", Some(Range::POSITIVE), LEARNING_RATE;
        /// β₁, decay of the first moment
        beta1: f64 = 0.9, "beta1", Some(Range::UNIT_OPEN), FIRST_MOMENT;
        /// β₂, decay of the second moment
        beta2: f64 = 0.999, "beta2", Some(Range::UNIT_OPEN), SECOND_MOMENT;
        /// ε, added to √v̂ in the denominator
        eps: f64 = 1e-8, "eps", Some(Range::POSITIVE), EPSILON;
        /// use the running maximum of v̂
        amsgrad: bool = false, "amsgrad", None, AMSGRAD;
        /// divide the moments by 1 − βᵗ
        bias_correction: bool = true, "bias_correction", None, BIAS_CORRECTION;
        /// λ, decoupled weight decay: θ shrinks by the factor 1 − ηλ each step
        weight_decay: f64 = 1e-2, "weight_decay", Some(Range::NON_NEGATIVE), WEIGHT_DECAY;
    }
}

/// AdamW (Loshchilov & Hutter 2019), exactly as `torch.optim.AdamW`: weight decay is
/// decoupled from the adaptive step,
///
/// θ ← θ (1 − ηλ), then the Adam update of θ with the gradient taken before the decay.
///
/// Defaults as Adam's, and λ = 0.01 (PyTorch's).
#[derive(Clone, Default)]
pub struct AdamW {
    adam: Adam,
}

/// Adam's hyperparameters within AdamW's.
fn adam(c: &AdamWConfig) -> AdamConfig {
    AdamConfig {
        learning_rate: c.learning_rate,
        beta1: c.beta1,
        beta2: c.beta2,
        eps: c.eps,
        amsgrad: c.amsgrad,
        bias_correction: c.bias_correction,
    }
}

impl Update for AdamW {
    type Config = AdamWConfig;

    fn update(&mut self, c: &AdamWConfig, theta: &mut [f64], g: &[f64], oracle: &mut dyn Oracle) {
        for t in theta.iter_mut() {
            *t *= 1.0 - c.learning_rate * c.weight_decay;
        }
        self.adam.update(&adam(c), theta, g, oracle);
    }

    fn explain(&self, _: &Self, c: &AdamWConfig, step: &Step, _: &mut dyn Oracle) -> Explained {
        let decay: Vec<f64> = step
            .theta
            .iter()
            .map(|t| c.learning_rate * c.weight_decay * t)
            .collect();
        let mut explained = self.adam.moments(&adam(c), step);
        explained.narration = format!(
            "θ ← θ(1 − ηλ) = θ − {}, then {}",
            vector(&decay),
            explained.narration
        );
        explained
            .terms
            .insert(1, Term::new("ηλθ", "decoupled weight decay ηλθ", decay));
        explained
    }
}
