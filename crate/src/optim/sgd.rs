use super::explain::{scalar, vector, Step};
use super::{Explained, Oracle, Term, Update, LEARNING_RATE};
use crate::config::Range;

crate::hyperparameters! {
    pub struct SgdConfig("sgd") {
        /// η, the learning rate
        learning_rate: f64 = 0.01, "lr", Some(Range::POSITIVE), LEARNING_RATE;
    }
}

/// Gradient descent, the lecture's θ ← θ − η∇L(θ) (`torch.optim.SGD` without momentum).
/// Default η = 0.01.
#[derive(Clone, Default)]
pub struct Sgd;

impl Update for Sgd {
    type Config = SgdConfig;

    fn update(&mut self, c: &SgdConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        for (t, g) in theta.iter_mut().zip(g) {
            *t -= c.learning_rate * g;
        }
    }

    fn explain(&self, _: &Self, c: &SgdConfig, step: &Step, _: &mut dyn Oracle) -> Explained {
        let (theta, g) = (step.theta, step.gradient);
        let term: Vec<f64> = g.iter().map(|g| c.learning_rate * g).collect();
        let narration = format!(
            "θ ← θ − η∇L(θ) = {} − {}·{} = {}",
            vector(theta),
            scalar(c.learning_rate),
            vector(g),
            vector(step.next)
        );
        let terms = vec![
            Term::new("∇L(θ)", "gradient", g.to_vec()),
            Term::new("η∇L(θ)", "gradient step", term),
        ];
        Explained::new(g, terms, narration)
    }
}
