use super::{Oracle, Update, LEARNING_RATE};
use crate::config::Range;

crate::hyperparameters! {
    pub struct SgdConfig("sgd") {
        /// η, the learning rate
        learning_rate: f64 = 0.01, "lr", Some(Range::POSITIVE), LEARNING_RATE;
    }
}

/// Gradient descent, the lecture's θ ← θ − η∇L(θ) (`torch.optim.SGD` without momentum).
/// Default η = 0.01.
#[derive(Default)]
pub struct Sgd;

impl Update for Sgd {
    type Config = SgdConfig;

    fn update(&mut self, c: &SgdConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        for (t, g) in theta.iter_mut().zip(g) {
            *t -= c.learning_rate * g;
        }
    }
}
