use super::{state, Optimizer, Oracle};
use crate::config::Range;

crate::hyperparameters! {
    pub struct NesterovConfig("nesterov") {
        /// η, the learning rate
        learning_rate: f64 = 0.01, "lr", Some(Range::POSITIVE);
        /// γ, how much of the previous step is kept
        momentum: f64 = 0.9, "momentum", Some(Range::UNIT_OPEN);
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
pub struct Nesterov {
    config: NesterovConfig,
    velocity: Vec<f64>,
    look_ahead: Vec<f64>,
    gradient: Vec<f64>,
}

impl Nesterov {
    pub fn new(config: NesterovConfig) -> Self {
        Nesterov {
            config,
            velocity: Vec::new(),
            look_ahead: Vec::new(),
            gradient: Vec::new(),
        }
    }
}

impl Optimizer for Nesterov {
    fn learning_rate(&self) -> f64 {
        self.config.learning_rate
    }

    fn set_learning_rate(&mut self, rate: f64) {
        self.config.learning_rate = rate;
    }

    fn step(&mut self, theta: &mut [f64], oracle: &mut dyn Oracle) {
        let n = theta.len();
        let NesterovConfig {
            learning_rate,
            momentum,
        } = self.config;
        let m = state(&mut self.velocity, n);
        let ahead = state(&mut self.look_ahead, n);
        for ((a, t), m) in ahead.iter_mut().zip(theta.iter()).zip(m.iter()) {
            *a = t - momentum * m;
        }
        let g = state(&mut self.gradient, n);
        oracle.gradient(ahead, g);
        for ((t, m), g) in theta.iter_mut().zip(m.iter_mut()).zip(g.iter()) {
            *m = momentum * *m + learning_rate * g;
            *t -= *m;
        }
    }
}
