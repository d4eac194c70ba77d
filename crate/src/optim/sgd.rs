use super::{state, Optimizer, Oracle};
use crate::config::Range;

crate::hyperparameters! {
    pub struct SgdConfig("sgd") {
        /// η, the learning rate
        learning_rate: f64 = 0.01, "lr", Some(Range::POSITIVE);
    }
}

/// Gradient descent, the lecture's θ ← θ − η∇L(θ) (`torch.optim.SGD` without momentum).
/// Default η = 0.01.
pub struct Sgd {
    config: SgdConfig,
    gradient: Vec<f64>,
}

impl Sgd {
    pub fn new(config: SgdConfig) -> Self {
        Sgd {
            config,
            gradient: Vec::new(),
        }
    }
}

impl Optimizer for Sgd {
    fn learning_rate(&self) -> f64 {
        self.config.learning_rate
    }

    fn set_learning_rate(&mut self, rate: f64) {
        self.config.learning_rate = rate;
    }

    fn step(&mut self, theta: &mut [f64], oracle: &mut dyn Oracle) {
        let g = state(&mut self.gradient, theta.len());
        oracle.gradient(theta, g);
        for (t, g) in theta.iter_mut().zip(g.iter()) {
            *t -= self.config.learning_rate * g;
        }
    }
}
