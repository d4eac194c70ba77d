use super::{state, Optimizer, Oracle};
use crate::config::Range;

crate::hyperparameters! {
    pub struct MomentumConfig("momentum") {
        /// η, the learning rate
        learning_rate: f64 = 0.01, "lr", Some(Range::POSITIVE);
        /// γ, how much of the previous step is kept
        momentum: f64 = 0.9, "momentum", Some(Range::UNIT_OPEN);
    }
}

/// Heavy-ball momentum as in the lecture:
///
/// mₜ = γ mₜ₋₁ + η ∇L(θₜ₋₁),  θₜ = θₜ₋₁ − mₜ,  m₀ = 0.
///
/// Defaults η = 0.01, γ = 0.9 ("γ is typically set to 0.9"). For a constant η this is
/// exactly `torch.optim.SGD(lr=η, momentum=γ)`, whose buffer b = m/η
/// (b ← γb + g, θ ← θ − ηb); `tests/golden.rs` checks both against PyTorch.
pub struct Momentum {
    config: MomentumConfig,
    velocity: Vec<f64>,
    gradient: Vec<f64>,
}

impl Momentum {
    pub fn new(config: MomentumConfig) -> Self {
        Momentum {
            config,
            velocity: Vec::new(),
            gradient: Vec::new(),
        }
    }
}

impl Optimizer for Momentum {
    fn learning_rate(&self) -> f64 {
        self.config.learning_rate
    }

    fn set_learning_rate(&mut self, rate: f64) {
        self.config.learning_rate = rate;
    }

    fn step(&mut self, theta: &mut [f64], oracle: &mut dyn Oracle) {
        let n = theta.len();
        let g = state(&mut self.gradient, n);
        oracle.gradient(theta, g);
        let m = state(&mut self.velocity, n);
        let MomentumConfig {
            learning_rate,
            momentum,
        } = self.config;
        for ((t, m), g) in theta.iter_mut().zip(m.iter_mut()).zip(g.iter()) {
            *m = momentum * *m + learning_rate * g;
            *t -= *m;
        }
    }
}
