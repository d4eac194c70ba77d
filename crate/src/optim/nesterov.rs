use super::explain::{heavy_ball, previous, vector, Step};
use super::{state, Explained, Oracle, Update, LEARNING_RATE, MOMENTUM};
use crate::config::Range;

crate::hyperparameters! {
    pub struct NesterovConfig("nesterov") {
        /// η, the learning rate
        learning_rate: f64 = 0.01, "lr", Some(Range::POSITIVE), LEARNING_RATE;
        /// γ, how much of the previous step is kept
        momentum: f64 = 0.9, "momentum", Some(Range::UNIT_OPEN), MOMENTUM;
    }
}

/// Nesterov's accelerated gradient as in the lecture: the gradient is taken at the
/// look-ahead point θ − γm,
///
/// mₜ = γ mₜ₋₁ + η ∇L(θₜ₋₁ − γ mₜ₋₁),  θₜ = θₜ₋₁ − mₜ,  m₀ = 0.
///
/// Defaults η = 0.01, γ = 0.9. `torch.optim.SGD(nesterov=True)` uses the reparametrized
/// form of Sutskever et al. (2013), whose iterates are the look-ahead points of these;
/// the lab follows the lecture.
#[derive(Clone, Default)]
pub struct Nesterov {
    velocity: Vec<f64>,
    look_ahead: Vec<f64>,
}

impl Update for Nesterov {
    type Config = NesterovConfig;

    /// θ − γm, where the gradient is taken.
    fn gradient_point<'a>(&'a mut self, c: &NesterovConfig, theta: &'a [f64]) -> &'a [f64] {
        let n = theta.len();
        let m = state(&mut self.velocity, n);
        let ahead = state(&mut self.look_ahead, n);
        for ((a, t), m) in ahead.iter_mut().zip(theta).zip(m.iter()) {
            *a = t - c.momentum * m;
        }
        ahead
    }

    fn update(&mut self, c: &NesterovConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        let m = state(&mut self.velocity, theta.len());
        for ((t, m), g) in theta.iter_mut().zip(m.iter_mut()).zip(g) {
            *m = c.momentum * *m + c.learning_rate * g;
            *t -= *m;
        }
    }

    fn explain(
        &self,
        before: &Self,
        c: &NesterovConfig,
        step: &Step,
        _: &mut dyn Oracle,
    ) -> Explained {
        let old = previous(&before.velocity, step.theta.len());
        let mut explained = heavy_ball(
            c.learning_rate,
            c.momentum,
            step,
            &old,
            &self.velocity,
            (
                "∇L(θ − γm)",
                "gradient at the look-ahead point",
                "η∇L(θ − γm)",
            ),
        );
        explained.narration = format!(
            "θ − γm = {}; {}",
            vector(&self.look_ahead),
            explained.narration
        );
        explained.look_ahead = Some(self.look_ahead.clone());
        explained
    }
}
