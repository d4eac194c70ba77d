use super::explain::{map2, previous, vector, Step};
use super::{state, Explained, Oracle, Term, Update, EPSILON, LEARNING_RATE};
use crate::config::{Control, Range};

crate::hyperparameters! {
    /// `torch.optim.Adadelta`'s hyperparameters and defaults.
    pub struct AdadeltaConfig("adadelta") {
        /// η, a factor on the step (Zeiler's method has none: η = 1)
        learning_rate: f64 = 1.0, "lr", Some(Range::POSITIVE), LEARNING_RATE;
        /// ρ, decay of both running means
        rho: f64 = 0.9, "rho", Some(Range::UNIT_OPEN),
            Control::new("smoothing").symbol("ρ").linear(0.0, 0.9999);
        /// ε, inside both roots
        eps: f64 = 1e-6, "eps", Some(Range::POSITIVE), EPSILON;
    }
}

/// Adadelta (Zeiler 2012), exactly as `torch.optim.Adadelta`:
///
/// vₜ = ρ vₜ₋₁ + (1 − ρ) gₜ²,  Δₜ = √(uₜ₋₁ + ε) / √(vₜ + ε) · gₜ,
/// uₜ = ρ uₜ₋₁ + (1 − ρ) Δₜ²,  θₜ = θₜ₋₁ − η Δₜ,  v₀ = u₀ = 0.
///
/// The ratio of running root-mean-squares gives each step the units of θ. Defaults
/// η = 1, ρ = 0.9, ε = 1e-6 (PyTorch's).
#[derive(Clone, Default)]
pub struct Adadelta {
    mean_square_gradient: Vec<f64>,
    mean_square_update: Vec<f64>,
}

impl Update for Adadelta {
    type Config = AdadeltaConfig;

    fn update(&mut self, c: &AdadeltaConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        let n = theta.len();
        let AdadeltaConfig {
            learning_rate,
            rho,
            eps,
        } = *c;
        let v = state(&mut self.mean_square_gradient, n);
        let u = state(&mut self.mean_square_update, n);
        for i in 0..n {
            v[i] = rho * v[i] + (1.0 - rho) * g[i] * g[i];
            let delta = (u[i] + eps).sqrt() / (v[i] + eps).sqrt() * g[i];
            u[i] = rho * u[i] + (1.0 - rho) * delta * delta;
            theta[i] -= learning_rate * delta;
        }
    }

    fn explain(
        &self,
        before: &Self,
        c: &AdadeltaConfig,
        step: &Step,
        _: &mut dyn Oracle,
    ) -> Explained {
        let g = step.gradient;
        let old = previous(&before.mean_square_update, g.len());
        let (v, u) = (&self.mean_square_gradient, &self.mean_square_update);
        let ratio: Vec<f64> = (0..g.len())
            .map(|i| (old[i] + c.eps).sqrt() / (v[i] + c.eps).sqrt())
            .collect();
        let delta = map2(&ratio, g, |r, g| r * g);
        let scale: Vec<f64> = ratio.iter().map(|r| c.learning_rate * r).collect();
        let narration = format!(
            "v ← ρv + (1 − ρ)g² = {}; Δ = √(u + ε)/√(v + ε) g = {}; u ← ρu + (1 − ρ)Δ² = {}; θ ← θ − ηΔ = {}",
            vector(v),
            vector(&delta),
            vector(u),
            vector(step.next)
        );
        let terms = vec![
            Term::new("∇L(θ)", "gradient g", g.to_vec()),
            Term::new("v", "running mean of g²", v.clone()),
            Term::new("u", "running mean of Δ², as used", old),
            Term::new("Δ", "update Δ", delta),
        ];
        Explained::new(g, terms, narration).scaled(scale)
    }
}
