//! Element-wise activations g and their derivatives g', as on the lecture's slides.

use super::exp;
use crate::config::Error;
use wide::f64x2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// sigm(z) = 1 / (1 + e^(−z)); sigm' = sigm (1 − sigm)
    Sigmoid,
    /// tanh(z); tanh' = 1 − tanh²
    Tanh,
    /// relu(z) = max(0, z); relu' = 1_{z>0}
    Relu,
    /// z; 1
    Identity,
    /// softmax(z)ᵢ = e^{zᵢ} / Σⱼ e^{zⱼ}: output layers only, where it meets the NLL
    Softmax,
    /// A Gaussian per target, 2 units each: the d means, then the d log variances;
    /// f(x) = (μ, σ²) with σ² = e^{z}. Output layers only, with the Gaussian NLL
    /// ([`super::density`]).
    Gaussian,
    /// A mixture of K Gaussians over one target, 3K units: K logits, K means, K log
    /// variances; f(x) = (π, μ, σ²) with π = softmax(a) and σ² = e^{s}. Output layers
    /// only, with the mixture's NLL ([`super::density`]).
    Mdn,
}

impl Activation {
    pub const HIDDEN: [Activation; 4] = [
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::Identity,
    ];

    /// The activations only an output layer has, each with its loss.
    pub const OUTPUT_ONLY: [Activation; 3] =
        [Activation::Softmax, Activation::Gaussian, Activation::Mdn];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Identity => "identity",
            Activation::Softmax => "softmax",
            Activation::Gaussian => "gaussian",
            Activation::Mdn => "mdn",
        }
    }

    /// g and g', as on the slides.
    pub fn formulas(self) -> (&'static str, &'static str) {
        match self {
            Activation::Sigmoid => ("sigm(z) = 1 / (1 + e^(−z))", "sigm(z)(1 − sigm(z))"),
            Activation::Tanh => ("tanh(z) = (e^(2z) − 1) / (e^(2z) + 1)", "1 − tanh(z)²"),
            Activation::Relu => ("relu(z) = max(0, z)", "1 if z > 0, else 0"),
            Activation::Identity => ("z", "1"),
            Activation::Softmax => ("softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)", "f(x)ᵢ(1_{i=j} − f(x)ⱼ)"),
            Activation::Gaussian => ("μ = z₁, σ² = e^(z₂)", "1 and σ²"),
            Activation::Mdn => (
                "πₖ = softmax(a)ₖ, μₖ, σₖ² = e^(sₖ)",
                "πₖ(1_{k=j} − πⱼ), 1 and σₖ²",
            ),
        }
    }

    pub fn parse(name: &str) -> Result<Activation, Error> {
        Activation::OUTPUT_ONLY
            .into_iter()
            .chain(Activation::HIDDEN)
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                Error::new(format!(
                    "unknown activation `{}`; expected sigmoid, tanh, relu, identity, softmax, gaussian or mdn",
                    crate::text::quoted(name)
                ))
            })
    }

    /// g applied to every value in place, two at a time, exactly or for a picture
    /// ([`exp::picture`]); one loop per activation, so that g is inlined into it.
    pub fn apply_all(self, values: &mut [f64x2], picture: bool) {
        fn each(values: &mut [f64x2], g: impl Fn(f64x2) -> f64x2) {
            values.iter_mut().for_each(|v| *v = g(*v));
        }
        match (self, picture) {
            (Activation::Sigmoid, false) => each(values, exp::sigmoid),
            (Activation::Sigmoid, true) => each(values, exp::picture::sigmoid),
            (Activation::Tanh, false) => each(values, exp::tanh),
            (Activation::Tanh, true) => each(values, exp::picture::tanh),
            (Activation::Relu, _) => {
                each(values, |z| z.simd_gt(f64x2::ZERO).select(z, f64x2::ZERO))
            }
            // The output-only functions act on groups of units: `Network::forward` applies
            // them.
            (
                Activation::Identity | Activation::Softmax | Activation::Gaussian | Activation::Mdn,
                _,
            ) => {}
        }
    }

    /// g'(z), from z or from h = g(z), whichever is cheaper; two values at a time.
    #[inline(always)]
    pub fn derivative(self, z: f64x2, h: f64x2) -> f64x2 {
        match self {
            Activation::Sigmoid => h * (f64x2::ONE - h),
            Activation::Tanh => f64x2::ONE - h * h,
            Activation::Relu => z.simd_gt(f64x2::ZERO).select(f64x2::ONE, f64x2::ZERO),
            Activation::Identity | Activation::Softmax | Activation::Gaussian | Activation::Mdn => {
                f64x2::ONE
            }
        }
    }
}

/// ln(1 + e^z), without overflow: max(z, 0) + ln(1 + e^(−|z|)).
pub fn softplus(z: f64) -> f64 {
    z.max(0.0) + libm::log1p(libm::exp(-z.abs()))
}
