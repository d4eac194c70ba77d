use super::explain::{vector, Step};
use super::{state, Explained, Oracle, Term, Update, EPSILON, LEARNING_RATE};
use crate::config::{Control, Range};

crate::hyperparameters! {
    /// `torch.optim.Adagrad`'s hyperparameters and defaults.
    pub struct AdagradConfig("adagrad") {
        /// η, the learning rate
        learning_rate: f64 = 0.01, "lr", Some(Range::POSITIVE), LEARNING_RATE;
        /// ε, added to √s in the denominator
        eps: f64 = 1e-10, "eps", Some(Range::POSITIVE), EPSILON;
        /// decay of η with the step count t: ηₜ = η / (1 + (t − 1)·lr_decay)
        lr_decay: f64 = 0.0, "lr_decay", Some(Range::NON_NEGATIVE),
            Control::new("rate decay").linear(0.0, 1.0);
        /// s₀, the accumulator's starting value
        initial_accumulator_value: f64 = 0.0, "initial_accumulator_value", Some(Range::NON_NEGATIVE),
            Control::new("initial accumulator").symbol("s₀").linear(0.0, 10.0);
    }
}

/// Adagrad (Duchi, Hazan & Singer 2011), exactly as `torch.optim.Adagrad`:
///
/// ηₜ = η / (1 + (t − 1)·lr_decay),  sₜ = sₜ₋₁ + gₜ²,  θₜ = θₜ₋₁ − ηₜ gₜ / (√sₜ + ε),
///
/// with s₀ = `initial_accumulator_value`. Defaults η = 0.01, ε = 1e-10, lr_decay = 0,
/// s₀ = 0 (PyTorch's). Each coordinate's step shrinks as its squared gradients add up.
#[derive(Clone, Default)]
pub struct Adagrad {
    steps: u64,
    sum_of_squares: Vec<f64>,
}

impl Update for Adagrad {
    type Config = AdagradConfig;

    fn update(&mut self, c: &AdagradConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        if self.steps == 0 {
            self.sum_of_squares = vec![c.initial_accumulator_value; theta.len()];
        }
        self.steps += 1;
        let s = state(&mut self.sum_of_squares, theta.len());
        let rate = c.learning_rate / (1.0 + (self.steps - 1) as f64 * c.lr_decay);
        for ((t, s), g) in theta.iter_mut().zip(s.iter_mut()).zip(g) {
            *s += g * g;
            *t -= rate * g / (s.sqrt() + c.eps);
        }
    }

    fn explain(&self, _: &Self, c: &AdagradConfig, step: &Step, _: &mut dyn Oracle) -> Explained {
        let g = step.gradient;
        let s = &self.sum_of_squares;
        let rate = c.learning_rate / (1.0 + (self.steps - 1) as f64 * c.lr_decay);
        let scale: Vec<f64> = s.iter().map(|s| rate / (s.sqrt() + c.eps)).collect();
        let narration = format!(
            "s ← s + g² = {}; η/(√s + ε) = {}; θ ← θ − η g / (√s + ε) = {}",
            vector(s),
            vector(&scale),
            vector(step.next)
        );
        let terms = vec![
            Term::new("∇L(θ)", "gradient g", g.to_vec()),
            Term::new("s", "sum of squared gradients s", s.clone()),
        ];
        Explained::new(g, terms, narration).scaled(scale)
    }
}
