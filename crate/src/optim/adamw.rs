use super::adam::{Adam, AdamConfig};
use super::{
    Oracle, Update, AMSGRAD, BIAS_CORRECTION, EPSILON, FIRST_MOMENT, LEARNING_RATE, SECOND_MOMENT,
    WEIGHT_DECAY,
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
#[derive(Default)]
pub struct AdamW {
    adam: Adam,
}

impl Update for AdamW {
    type Config = AdamWConfig;

    fn update(&mut self, c: &AdamWConfig, theta: &mut [f64], g: &[f64], oracle: &mut dyn Oracle) {
        for t in theta.iter_mut() {
            *t *= 1.0 - c.learning_rate * c.weight_decay;
        }
        let adam = AdamConfig {
            learning_rate: c.learning_rate,
            beta1: c.beta1,
            beta2: c.beta2,
            eps: c.eps,
            amsgrad: c.amsgrad,
            bias_correction: c.bias_correction,
        };
        self.adam.update(&adam, theta, g, oracle);
    }
}
