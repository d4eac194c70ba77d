use super::explain::{vector, Step};
use super::{
    state, Explained, Oracle, Term, Update, AMSGRAD, BIAS_CORRECTION, EPSILON, FIRST_MOMENT,
    LEARNING_RATE, SECOND_MOMENT,
};
use crate::config::Range;

crate::hyperparameters! {
    /// `torch.optim.Adam`'s hyperparameters and defaults, plus a switch for teaching.
    pub struct AdamConfig("adam") {
        /// η, the learning rate
        learning_rate: f64 = 1e-3, "lr", Some(Range::POSITIVE), LEARNING_RATE;
        /// β₁, decay of the first moment (the mean of g)
        beta1: f64 = 0.9, "beta1", Some(Range::UNIT_OPEN), FIRST_MOMENT;
        /// β₂, decay of the second moment (the mean of g²)
        beta2: f64 = 0.999, "beta2", Some(Range::UNIT_OPEN), SECOND_MOMENT;
        /// ε, added to √v̂ in the denominator
        eps: f64 = 1e-8, "eps", Some(Range::POSITIVE), EPSILON;
        /// divide by the running maximum of v̂ (Reddi, Kale & Kumar 2018)
        amsgrad: bool = false, "amsgrad", None, AMSGRAD;
        /// divide the moments by 1 − βᵗ; off shows why Adam needs it
        bias_correction: bool = true, "bias_correction", None, BIAS_CORRECTION;
    }
}

/// Adam (Kingma & Ba 2015), exactly as `torch.optim.Adam`:
///
/// mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ,  vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²,
/// m̂ₜ = mₜ / (1 − β₁ᵗ),  v̂ₜ = vₜ / (1 − β₂ᵗ),  θₜ = θₜ₋₁ − η m̂ₜ / (√v̂ₜ + ε),
///
/// with m₀ = v₀ = 0. Defaults η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8 (the paper's and
/// PyTorch's). `amsgrad` uses max(v₁..vₜ) in place of vₜ; `bias_correction = false`
/// drops the 1 − βᵗ factors, so the first steps are tiny: the reason the paper adds them.
/// AdamW shares these moments.
#[derive(Clone, Default)]
pub struct Adam {
    steps: i32,
    first_moment: Vec<f64>,
    second_moment: Vec<f64>,
    max_second_moment: Vec<f64>,
}

impl Adam {
    /// The step just made, from the moments after it: m̂ = m/(1 − β₁ᵗ),
    /// v̂ = v/(1 − β₂ᵗ) (with `amsgrad` the running maximum of v), and the step size
    /// η/(√v̂ + ε) of each coordinate, as [`Update::update`] computes them.
    pub(super) fn moments(&self, c: &AdamConfig, step: &Step) -> Explained {
        let g = step.gradient;
        let (correction1, correction2) = if c.bias_correction {
            (
                1.0 - libm::pow(c.beta1, self.steps as f64),
                1.0 - libm::pow(c.beta2, self.steps as f64),
            )
        } else {
            (1.0, 1.0)
        };
        let second = if c.amsgrad {
            &self.max_second_moment
        } else {
            &self.second_moment
        };
        let root_correction2 = correction2.sqrt();
        let m_hat: Vec<f64> = self.first_moment.iter().map(|m| m / correction1).collect();
        let v_hat: Vec<f64> = second.iter().map(|v| v / correction2).collect();
        let scale: Vec<f64> = second
            .iter()
            .map(|v| c.learning_rate / (v.sqrt() / root_correction2 + c.eps))
            .collect();
        let corrected = match (c.bias_correction, c.amsgrad) {
            (true, false) => "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)",
            (true, true) => "m̂ = m/(1 − β₁ᵗ), v̂ = max(v)/(1 − β₂ᵗ)",
            (false, false) => "m̂ = m, v̂ = v (no bias correction)",
            (false, true) => "m̂ = m, v̂ = max(v) (no bias correction)",
        };
        let narration = format!(
            "m ← β₁m + (1 − β₁)g = {}; v ← β₂v + (1 − β₂)g² = {}; t = {}: {corrected}: m̂ = {}, v̂ = {}; η/(√v̂ + ε) = {}; θ ← θ − η m̂ / (√v̂ + ε) = {}",
            vector(&self.first_moment),
            vector(&self.second_moment),
            self.steps,
            vector(&m_hat),
            vector(&v_hat),
            vector(&scale),
            vector(step.next)
        );
        let terms = vec![
            Term::new("∇L(θ)", "gradient g", g.to_vec()),
            Term::new("m", "first moment m", self.first_moment.clone()),
            Term::new("v", "second moment v", self.second_moment.clone()),
            Term::new("m̂", "bias-corrected first moment m̂", m_hat),
            Term::new("v̂", "bias-corrected second moment v̂", v_hat),
        ];
        Explained::new(g, terms, narration).scaled(scale)
    }
}

impl Update for Adam {
    type Config = AdamConfig;

    /// As `torch.optim.Adam`'s single-tensor path computes it:
    /// θₜ = θₜ₋₁ − η/(1 − β₁ᵗ) · mₜ / (√vₜ/√(1 − β₂ᵗ) + ε).
    fn update(&mut self, c: &AdamConfig, theta: &mut [f64], g: &[f64], _: &mut dyn Oracle) {
        let n = theta.len();
        self.steps = self.steps.saturating_add(1);
        let (correction1, correction2) = if c.bias_correction {
            (
                1.0 - libm::pow(c.beta1, self.steps as f64),
                1.0 - libm::pow(c.beta2, self.steps as f64),
            )
        } else {
            (1.0, 1.0)
        };
        let step_size = c.learning_rate / correction1;
        let root_correction2 = correction2.sqrt();
        let m = state(&mut self.first_moment, n);
        let v = state(&mut self.second_moment, n);
        let v_max = state(&mut self.max_second_moment, n);
        for i in 0..n {
            m[i] += (1.0 - c.beta1) * (g[i] - m[i]);
            v[i] = c.beta2 * v[i] + (1.0 - c.beta2) * g[i] * g[i];
            let second = if c.amsgrad {
                v_max[i] = v_max[i].max(v[i]);
                v_max[i]
            } else {
                v[i]
            };
            theta[i] -= step_size * m[i] / (second.sqrt() / root_correction2 + c.eps);
        }
    }

    fn explain(&self, _: &Self, c: &AdamConfig, step: &Step, _: &mut dyn Oracle) -> Explained {
        self.moments(c, step)
    }
}
