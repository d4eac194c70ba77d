use super::explain::{map2, scalar, vector, Step};
use super::{
    state, Explained, Oracle, Term, Update, EPSILON, FIRST_MOMENT, LEARNING_RATE, SECOND_MOMENT,
};
use crate::config::{Control, Range};

crate::hyperparameters! {
    /// `torch.optim.NAdam`'s hyperparameters and defaults.
    pub struct NAdamConfig("nadam") {
        /// η, the learning rate
        learning_rate: f64 = 2e-3, "lr", Some(Range::POSITIVE), LEARNING_RATE;
        /// β₁, decay of the first moment
        beta1: f64 = 0.9, "beta1", Some(Range::UNIT_OPEN), FIRST_MOMENT;
        /// β₂, decay of the second moment
        beta2: f64 = 0.999, "beta2", Some(Range::UNIT_OPEN), SECOND_MOMENT;
        /// ε, added to √v̂ in the denominator
        eps: f64 = 1e-8, "eps", Some(Range::POSITIVE), EPSILON;
        /// ψ, sets the momentum schedule μₜ = β₁(1 − ½·0.96^(tψ))
        momentum_decay: f64 = 4e-3, "momentum_decay", Some(Range::NON_NEGATIVE),
            Control::new("momentum decay").symbol("ψ").linear(0.0, 0.1);
    }
}

/// NAdam (Dozat 2016), Adam with Nesterov momentum, exactly as `torch.optim.NAdam`:
///
/// μₜ = β₁(1 − ½·0.96^(tψ)),  mₜ = β₁mₜ₋₁ + (1 − β₁)gₜ,  vₜ = β₂vₜ₋₁ + (1 − β₂)gₜ²,
/// d = √(vₜ/(1 − β₂ᵗ)) + ε,
/// θₜ = θₜ₋₁ − η(1 − μₜ)/(1 − Πᵢ≤ₜ μᵢ) · gₜ/d − η μₜ₊₁/(1 − Πᵢ≤ₜ₊₁ μᵢ) · mₜ/d.
///
/// Defaults η = 2e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, ψ = 4e-3 (PyTorch's).
#[derive(Clone)]
pub struct NAdam {
    steps: i32,
    mu_product: f64,
    first_moment: Vec<f64>,
    second_moment: Vec<f64>,
}

impl Default for NAdam {
    fn default() -> Self {
        NAdam {
            steps: 0,
            mu_product: 1.0,
            first_moment: Vec::new(),
            second_moment: Vec::new(),
        }
    }
}

/// μₜ = β₁(1 − ½ · 0.96^(t ψ)).
fn mu(c: &NAdamConfig, t: i32) -> f64 {
    c.beta1 * (1.0 - 0.5 * libm::pow(0.96, t as f64 * c.momentum_decay))
}

impl Update for NAdam {
    type Config = NAdamConfig;

    fn update(&mut self, c: &NAdamConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        let n = theta.len();
        self.steps = self.steps.saturating_add(1);
        let (mu, mu_next) = (mu(c, self.steps), mu(c, self.steps.saturating_add(1)));
        self.mu_product *= mu;
        let correction2 = 1.0 - libm::pow(c.beta2, self.steps as f64);
        let gradient_weight = c.learning_rate * (1.0 - mu) / (1.0 - self.mu_product);
        let moment_weight = c.learning_rate * mu_next / (1.0 - self.mu_product * mu_next);
        let m = state(&mut self.first_moment, n);
        let v = state(&mut self.second_moment, n);
        for i in 0..n {
            m[i] += (1.0 - c.beta1) * (g[i] - m[i]);
            v[i] = c.beta2 * v[i] + (1.0 - c.beta2) * g[i] * g[i];
            let denominator = (v[i] / correction2).sqrt() + c.eps;
            theta[i] -= gradient_weight * g[i] / denominator;
            theta[i] -= moment_weight * m[i] / denominator;
        }
    }

    fn explain(&self, _: &Self, c: &NAdamConfig, step: &Step, _: &mut dyn Oracle) -> Explained {
        let g = step.gradient;
        let (mu, mu_next) = (mu(c, self.steps), mu(c, self.steps.saturating_add(1)));
        let correction2 = 1.0 - libm::pow(c.beta2, self.steps as f64);
        let gradient_weight = (1.0 - mu) / (1.0 - self.mu_product);
        let moment_weight = mu_next / (1.0 - self.mu_product * mu_next);
        let (m, v) = (&self.first_moment, &self.second_moment);
        let m_hat: Vec<f64> = map2(g, m, |g, m| gradient_weight * g + moment_weight * m);
        let v_hat: Vec<f64> = v.iter().map(|v| v / correction2).collect();
        let scale: Vec<f64> = v
            .iter()
            .map(|v| c.learning_rate / ((v / correction2).sqrt() + c.eps))
            .collect();
        let narration = format!(
            "μₜ = {}, μₜ₊₁ = {}; m ← β₁m + (1 − β₁)g = {}; v ← β₂v + (1 − β₂)g² = {}; m̂ = (1 − μₜ)/(1 − Πμ)·g + μₜ₊₁/(1 − Πμ·μₜ₊₁)·m = {}, v̂ = v/(1 − β₂ᵗ) = {}; η/(√v̂ + ε) = {}; θ ← θ − η m̂ / (√v̂ + ε) = {}",
            scalar(mu),
            scalar(mu_next),
            vector(m),
            vector(v),
            vector(&m_hat),
            vector(&v_hat),
            vector(&scale),
            vector(step.next)
        );
        let terms = vec![
            Term::new("∇L(θ)", "gradient g", g.to_vec()),
            Term::new("m", "first moment m", m.clone()),
            Term::new("v", "second moment v", v.clone()),
            Term::new("m̂", "Nesterov first moment m̂", m_hat),
            Term::new("v̂", "bias-corrected second moment v̂", v_hat),
        ];
        Explained::new(g, terms, narration).scaled(scale)
    }
}
