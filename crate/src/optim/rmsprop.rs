use super::explain::{vector, Step};
use super::{state, Explained, Oracle, Term, Update, EPSILON, LEARNING_RATE};
use crate::config::{Control, Range};

crate::hyperparameters! {
    /// `torch.optim.RMSprop`'s hyperparameters and defaults.
    pub struct RmsPropConfig("rmsprop") {
        /// η, the learning rate
        learning_rate: f64 = 0.01, "lr", Some(Range::POSITIVE), LEARNING_RATE;
        /// α, decay of the running mean of g²
        alpha: f64 = 0.99, "alpha", Some(Range::UNIT_OPEN),
            Control::new("smoothing").symbol("α").linear(0.0, 0.9999);
        /// ε, added to the root in the denominator
        eps: f64 = 1e-8, "eps", Some(Range::POSITIVE), EPSILON;
        /// μ, momentum applied to the normalized step
        momentum: f64 = 0.0, "momentum", Some(Range::UNIT_OPEN),
            Control::new("momentum").symbol("μ").linear(0.0, 0.999);
        /// divide by the running standard deviation of g instead of its root mean square
        centered: bool = false, "centered", None, Control::new("centered");
    }
}

/// RMSprop (Tieleman & Hinton 2012), exactly as `torch.optim.RMSprop`:
///
/// vₜ = α vₜ₋₁ + (1 − α) gₜ²;  centered: aₜ = α aₜ₋₁ + (1 − α) gₜ, d = √(vₜ − aₜ²) + ε,
/// otherwise d = √vₜ + ε;  with momentum μ > 0: bₜ = μ bₜ₋₁ + gₜ/d, θₜ = θₜ₋₁ − η bₜ;
/// else θₜ = θₜ₋₁ − η gₜ/d.  All state starts at zero.
///
/// Defaults η = 0.01, α = 0.99, ε = 1e-8, μ = 0, not centered (PyTorch's).
#[derive(Clone, Default)]
pub struct RmsProp {
    mean_square: Vec<f64>,
    mean: Vec<f64>,
    buffer: Vec<f64>,
}

impl Update for RmsProp {
    type Config = RmsPropConfig;

    fn update(&mut self, c: &RmsPropConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        let n = theta.len();
        let v = state(&mut self.mean_square, n);
        let a = state(&mut self.mean, n);
        let b = state(&mut self.buffer, n);
        for i in 0..n {
            v[i] = c.alpha * v[i] + (1.0 - c.alpha) * g[i] * g[i];
            let denominator = if c.centered {
                a[i] += (1.0 - c.alpha) * (g[i] - a[i]);
                (v[i] - a[i] * a[i]).sqrt() + c.eps
            } else {
                v[i].sqrt() + c.eps
            };
            if c.momentum > 0.0 {
                b[i] = c.momentum * b[i] + g[i] / denominator;
                theta[i] -= c.learning_rate * b[i];
            } else {
                theta[i] -= c.learning_rate * g[i] / denominator;
            }
        }
    }

    fn explain(&self, _: &Self, c: &RmsPropConfig, step: &Step, _: &mut dyn Oracle) -> Explained {
        let g = step.gradient;
        let (v, a, b) = (&self.mean_square, &self.mean, &self.buffer);
        let denominator: Vec<f64> = (0..g.len())
            .map(|i| {
                if c.centered {
                    (v[i] - a[i] * a[i]).sqrt() + c.eps
                } else {
                    v[i].sqrt() + c.eps
                }
            })
            .collect();
        let scale: Vec<f64> = denominator.iter().map(|d| c.learning_rate / d).collect();
        let root = if c.centered { "√(v − a²)" } else { "√v" };
        let mut narration = format!("v ← αv + (1 − α)g² = {}; ", vector(v));
        let mut terms = vec![
            Term::new("∇L(θ)", "gradient g", g.to_vec()),
            Term::new("v", "running mean of g²", v.clone()),
        ];
        if c.centered {
            narration += &format!("a ← αa + (1 − α)g = {}; ", vector(a));
            terms.push(Term::new("a", "running mean of g", a.clone()));
        }
        narration += &format!("η/({root} + ε) = {}; ", vector(&scale));
        if c.momentum > 0.0 {
            narration += &format!(
                "b ← μb + g/({root} + ε) = {}; θ ← θ − ηb = {}",
                vector(b),
                vector(step.next)
            );
            terms.push(Term::new("b", "momentum buffer b", b.clone()));
        } else {
            narration += &format!("θ ← θ − η g / ({root} + ε) = {}", vector(step.next));
        }
        Explained::new(g, terms, narration).scaled(scale)
    }
}
