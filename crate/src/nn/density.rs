//! Outputs that predict a distribution of the number y rather than y alone: as softmax
//! makes f(x) a distribution over classes, these make it a density p(y | x), and the loss
//! is again its negative log-likelihood, −ln p(y | x), per sample.
//!
//! - `gaussian` (heteroscedastic regression): N(y; μ, σ²) with μ = z₁ and log σ² = z₂,
//!   so the network predicts its own noise at every x;
//!   l = ½[ln 2π + z₂ + (y − μ)² e^(−z₂)].
//! - `mdn`, a mixture density network (Bishop, *Mixture Density Networks*, 1994): K
//!   Gaussians with weights πₖ = softmax(a)ₖ, means μₖ and log variances sₖ = log σₖ²,
//!   from 3K output units (a₁…a_K, μ₁…μ_K, s₁…s_K); l = −ln Σₖ πₖ N(y; μₖ, σₖ²), which
//!   can put its mass on several branches where y | x has several modes.
//!
//! Both are computed through the standardised residual u = (y − μ) e^(−s/2) = (y − μ)/σ,
//! so that u² = (y − μ)² e^(−s) stays finite where e^(−s) alone would overflow
//! (s < −709), and the mixture through log-sum-exp, so that neither huge logits nor a y
//! far from every component overflows. Every exponential and logarithm is libm's, so the
//! browser computes the same bits as a native build.
//!
//! The NLLs and their gradients are written over [`Real`], so that [`super::curvature`]
//! differentiates them once more, exactly, with dual numbers; with `f64` they compute
//! the plain numbers.

use super::dual::Real;

/// ln 2π (to the nearest double), the constant of every Gaussian log-density.
pub const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// The most components a mixture has.
pub const MOST_COMPONENTS: usize = 8;

/// The Gaussian NLL of y with μ = `mean` and s = log σ² = `log_variance`, and its
/// gradient: (l, ∂l/∂μ, ∂l/∂s), where
///
/// l = ½(ln 2π + s + u²),   ∂l/∂μ = (μ − y) e^(−s) = −u e^(−s/2),   ∂l/∂s = ½(1 − u²)
///
/// with u = (y − μ) e^(−s/2): the mean moves by the residual over σ², and the log
/// variance settles where the squared residual equals σ² (u² = 1).
///
/// Written over [`Real`], so that forward-mode differentiation runs through it: with
/// `f64` it computes the plain numbers.
pub fn gaussian<T: Real>(y: f64, mean: T, log_variance: T) -> (T, T, T) {
    let inverse_deviation = (log_variance * -0.5).exp();
    let u = (T::constant(y) - mean) * inverse_deviation;
    (
        (log_variance + LN_2PI + u * u) * 0.5,
        -u * inverse_deviation,
        (T::constant(1.0) - u * u) * 0.5,
    )
}

/// ln Σᵢ e^(vᵢ), shifted by the largest vᵢ so that no exponential overflows: −∞ when
/// every vᵢ is.
fn log_sum_exp<T: Real>(values: &[T]) -> T {
    let max = values
        .iter()
        .copied()
        .fold(T::constant(f64::NEG_INFINITY), |max, v| {
            if v.value() > max.value() {
                v
            } else {
                max
            }
        });
    if max.value().is_infinite() {
        return max;
    }
    let sum = values
        .iter()
        .fold(T::constant(0.0), |sum, &v| sum + (v - max).exp());
    max + sum.ln()
}

/// The mixture's 3K output units z = (a, μ, s) split into its logits, means and log
/// variances.
fn split<T>(z: &[T]) -> (&[T], &[T], &[T]) {
    let k = z.len() / 3;
    let (logits, rest) = z.split_at(k);
    let (means, log_variances) = rest.split_at(k);
    (logits, means, &log_variances[..k])
}

/// The mixture's NLL of y, l = −ln Σₖ πₖ N(y; μₖ, σₖ²), and into `responsibilities` the
/// posterior probability of each component given y,
///
/// γₖ = πₖ N(y; μₖ, σₖ²) / Σⱼ πⱼ N(y; μⱼ, σⱼ²),
///
/// from the output units z = (a₁…a_K, μ₁…μ_K, s₁…s_K). In logs: ln πₖ = aₖ − ln Σⱼ e^(aⱼ),
/// ln Nₖ = −½(ln 2π + sₖ + uₖ²), l = −ln Σₖ e^(ln πₖ + ln Nₖ) and
/// γₖ = e^(ln πₖ + ln Nₖ + l), each sum by log-sum-exp.
pub fn responsibilities<T: Real>(y: f64, z: &[T], responsibilities: &mut [T]) -> T {
    let (logits, means, log_variances) = split(z);
    let normalizer = log_sum_exp(logits);
    let mut log_joint = [T::constant(0.0); MOST_COMPONENTS];
    let log_joint = &mut log_joint[..logits.len()];
    for (((joint, &a), &mean), &s) in log_joint
        .iter_mut()
        .zip(logits)
        .zip(means)
        .zip(log_variances)
    {
        let u = (T::constant(y) - mean) * (s * -0.5).exp();
        *joint = a - normalizer - (s + LN_2PI + u * u) * 0.5;
    }
    let log_likelihood = log_sum_exp(log_joint);
    for (gamma, &joint) in responsibilities.iter_mut().zip(log_joint.iter()) {
        *gamma = (joint - log_likelihood).exp();
    }
    -log_likelihood
}

/// The mixture's NLL of y (see [`responsibilities`]) and into `gradient` its gradient
/// with respect to z = (a, μ, s), where every term carries the responsibilities γ:
///
/// ∂l/∂aₖ = πₖ − γₖ,   ∂l/∂μₖ = γₖ (μₖ − y)/σₖ²,   ∂l/∂sₖ = ½ γₖ (1 − (y − μₖ)²/σₖ²).
///
/// From l = −ln p with p = Σₖ πₖNₖ: ∂l/∂θ = −(1/p) Σₖ ∂(πₖNₖ)/∂θ = −Σₖ γₖ ∂ln(πₖNₖ)/∂θ.
/// For a mean or log variance only Nₖ depends on it, so its gradient is component k's
/// own Gaussian gradient ([`gaussian`]) weighted by γₖ; for a logit,
/// ∂ln πₖ/∂aⱼ = 1_{j=k} − πⱼ gives −Σₖ γₖ(1_{j=k} − πⱼ) = πⱼ − γⱼ since Σₖ γₖ = 1: the
/// softmax's f − e(y), with the posterior γ in place of the one-hot target.
///
/// Where γₖ underflows to 0 (component k explains y less than e^(−745) times as well as
/// the mixture, as when y lies 39 of its σ away and another component fits y), μₖ and
/// sₖ get their limit 0: γₖ vanishes as e^(−uₖ²/2), faster than uₖ e^(−sₖ/2) or uₖ²
/// grow, and 0 × ∞ would be NaN.
pub fn mixture<T: Real>(y: f64, z: &[T], gradient: &mut [T]) -> T {
    let (logits, means, log_variances) = split(z);
    let k = logits.len();
    let mut gamma = [T::constant(0.0); MOST_COMPONENTS];
    let gamma = &mut gamma[..k];
    let loss = responsibilities(y, z, gamma);
    let normalizer = log_sum_exp(logits);
    for j in 0..k {
        let weight = (logits[j] - normalizer).exp();
        gradient[j] = weight - gamma[j];
        if gamma[j].value() == 0.0 {
            gradient[k + j] = T::constant(0.0);
            gradient[2 * k + j] = T::constant(0.0);
            continue;
        }
        let inverse_deviation = (log_variances[j] * -0.5).exp();
        let u = (T::constant(y) - means[j]) * inverse_deviation;
        gradient[k + j] = -gamma[j] * u * inverse_deviation;
        gradient[2 * k + j] = gamma[j] * 0.5 * (T::constant(1.0) - u * u);
    }
    loss
}

/// p(y | x) of a mixture from its output f(x) = (π, μ, σ²):
/// Σₖ πₖ e^(−(y − μₖ)²/2σₖ²) / √(2πσₖ²). A Gaussian output is the mixture of one.
pub fn mixture_density(f: &[f64], y: f64) -> f64 {
    let k = f.len() / 3;
    (0..k)
        .map(|j| {
            let (weight, mean, variance) = (f[j], f[k + j], f[2 * k + j]);
            let r = y - mean;
            weight * libm::exp(-0.5 * r * r / variance)
                / libm::sqrt(2.0 * core::f64::consts::PI * variance)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mixture_of_one_is_the_gaussian() {
        // One component: π = 1, γ = 1, and the gradient of the logit vanishes.
        let (y, mean, s) = (0.7, -0.2, 0.3);
        let (loss, d_mean, d_s) = gaussian(y, mean, s);
        let mut gradient = [0.0; 3];
        let mixed = mixture(y, &[5.0, mean, s], &mut gradient);
        assert!((mixed - loss).abs() < 1e-15);
        assert!(gradient[0].abs() < 1e-15);
        assert!((gradient[1] - d_mean).abs() < 1e-15 && (gradient[2] - d_s).abs() < 1e-15);
        let f = [1.0, mean, libm::exp(s)];
        assert!((libm::log(mixture_density(&f, y)) + loss).abs() < 1e-14);
    }

    #[test]
    fn responsibilities_sum_to_one_and_follow_the_nearer_component() {
        // Two equally weighted components at ∓1 with σ = e⁻¹, and y by the second.
        let z = [0.0, 0.0, -1.0, 1.0, -2.0, -2.0];
        let mut gamma = [0.0; 2];
        responsibilities(0.9, &z, &mut gamma);
        assert!((gamma[0] + gamma[1] - 1.0).abs() < 1e-15);
        assert!(gamma[1] > 0.99, "{gamma:?}");
    }
}
