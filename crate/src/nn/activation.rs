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
}

impl Activation {
    pub const HIDDEN: [Activation; 4] = [
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::Identity,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Identity => "identity",
            Activation::Softmax => "softmax",
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
        }
    }

    pub fn parse(name: &str) -> Result<Activation, Error> {
        [Activation::Softmax]
            .into_iter()
            .chain(Activation::HIDDEN)
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                Error::new(format!(
                    "unknown activation `{}`; expected sigmoid, tanh, relu, identity or softmax",
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
            (Activation::Identity | Activation::Softmax, _) => {}
        }
    }

    /// g'(z), from z or from h = g(z), whichever is cheaper; two values at a time.
    #[inline(always)]
    pub fn derivative(self, z: f64x2, h: f64x2) -> f64x2 {
        match self {
            Activation::Sigmoid => h * (f64x2::ONE - h),
            Activation::Tanh => f64x2::ONE - h * h,
            Activation::Relu => z.simd_gt(f64x2::ZERO).select(f64x2::ONE, f64x2::ZERO),
            Activation::Identity | Activation::Softmax => f64x2::ONE,
        }
    }
}

/// ln(1 + e^z), without overflow: max(z, 0) + ln(1 + e^(−|z|)).
pub fn softplus(z: f64) -> f64 {
    z.max(0.0) + libm::log1p(libm::exp(-z.abs()))
}
