use super::adam::{AdamConfig, Moments};
use super::{Optimizer, Oracle};
use crate::config::Range;

crate::hyperparameters! {
    /// `torch.optim.AdamW`'s hyperparameters and defaults.
    pub struct AdamWConfig("adamw") {
        /// η, the learning rate
        learning_rate: f64 = 1e-3, "lr", Some(Range::POSITIVE);
        /// β₁, decay of the first moment
        beta1: f64 = 0.9, "beta1", Some(Range::UNIT_OPEN);
        /// β₂, decay of the second moment
        beta2: f64 = 0.999, "beta2", Some(Range::UNIT_OPEN);
        /// ε, added to √v̂ in the denominator
        eps: f64 = 1e-8, "eps", Some(Range::POSITIVE);
        /// use the running maximum of v̂
        amsgrad: bool = false, "amsgrad", None;
        /// divide the moments by 1 − βᵗ
        bias_correction: bool = true, "bias_correction", None;
        /// λ, decoupled weight decay: θ shrinks by the factor 1 − ηλ each step
        weight_decay: f64 = 1e-2, "weight_decay", Some(Range::NON_NEGATIVE);
    }
}

/// AdamW (Loshchilov & Hutter 2019), exactly as `torch.optim.AdamW`: weight decay is
/// decoupled from the adaptive step,
///
/// θ ← θ (1 − ηλ), then the Adam update of θ with the gradient taken before the decay.
///
/// Defaults as Adam's, and λ = 0.01 (PyTorch's).
pub struct AdamW {
    weight_decay: f64,
    adam: AdamConfig,
    moments: Moments,
}

impl AdamW {
    pub fn new(config: AdamWConfig) -> Self {
        AdamW {
            weight_decay: config.weight_decay,
            adam: AdamConfig {
                learning_rate: config.learning_rate,
                beta1: config.beta1,
                beta2: config.beta2,
                eps: config.eps,
                amsgrad: config.amsgrad,
                bias_correction: config.bias_correction,
            },
            moments: Moments::default(),
        }
    }
}

impl Optimizer for AdamW {
    fn learning_rate(&self) -> f64 {
        self.adam.learning_rate
    }

    fn set_learning_rate(&mut self, rate: f64) {
        self.adam.learning_rate = rate;
    }

    fn step(&mut self, theta: &mut [f64], oracle: &mut dyn Oracle) {
        let decay = self.adam.learning_rate * self.weight_decay;
        self.moments.step(&self.adam, decay, theta, oracle);
    }
}
