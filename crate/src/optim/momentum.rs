use super::explain::{heavy_ball, previous, Step};
use super::{state, Explained, Oracle, Update, LEARNING_RATE, MOMENTUM};
use crate::config::Range;

crate::hyperparameters! {
    pub struct MomentumConfig("momentum") {
        /// η, the learning rate
        learning_rate: f64 = 0.01, "lr", Some(Range::POSITIVE), LEARNING_RATE;
        /// γ, how much of the previous step is kept
        momentum: f64 = 0.9, "momentum", Some(Range::UNIT_OPEN), MOMENTUM;
    }
}

/// Heavy-ball momentum as in the lecture:
///
/// mₜ = γ mₜ₋₁ + η ∇L(θₜ₋₁),  θₜ = θₜ₋₁ − mₜ,  m₀ = 0.
///
/// Defaults η = 0.01, γ = 0.9 ("γ is typically set to 0.9"). For a constant η this is
/// exactly `torch.optim.SGD(lr=η, momentum=γ)`, whose buffer b = m/η
/// (b ← γb + g, θ ← θ − ηb); `tests/golden.rs` checks both against PyTorch.
#[derive(Clone, Default)]
pub struct Momentum {
    velocity: Vec<f64>,
}

impl Update for Momentum {
    type Config = MomentumConfig;

    fn update(&mut self, c: &MomentumConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        let m = state(&mut self.velocity, theta.len());
        for ((t, m), g) in theta.iter_mut().zip(m.iter_mut()).zip(g) {
            *m = c.momentum * *m + c.learning_rate * g;
            *t -= *m;
        }
    }

    fn explain(
        &self,
        before: &Self,
        c: &MomentumConfig,
        step: &Step,
        _: &mut dyn Oracle,
    ) -> Explained {
        let old = previous(&before.velocity, step.theta.len());
        heavy_ball(
            c.learning_rate,
            c.momentum,
            step,
            &old,
            &self.velocity,
            ("∇L(θ)", "gradient", "η∇L(θ)"),
        )
    }
}
