//! Element-wise activations g and their derivatives g', as on the lecture's slides.

use crate::config::Error;

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

    pub fn parse(name: &str) -> Result<Activation, Error> {
        [Activation::Softmax]
            .into_iter()
            .chain(Activation::HIDDEN)
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                Error::new(format!(
                    "unknown activation `{name}`; expected sigmoid, tanh, relu, identity or softmax"
                ))
            })
    }

    /// g(z) for an element-wise activation (softmax is applied per column elsewhere).
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => libm::tanh(z),
            Activation::Relu => z.max(0.0),
            Activation::Identity | Activation::Softmax => z,
        }
    }

    /// g'(z) from z and h = g(z), whichever is cheaper.
    pub fn derivative(self, z: f64, h: f64) -> f64 {
        match self {
            Activation::Sigmoid => h * (1.0 - h),
            Activation::Tanh => 1.0 - h * h,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Identity | Activation::Softmax => 1.0,
        }
    }
}

/// 1 / (1 + e^(−z)), without overflow for large |z|.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + libm::exp(-z))
    } else {
        let e = libm::exp(z);
        e / (1.0 + e)
    }
}

/// ln(1 + e^z), without overflow: max(z, 0) + ln(1 + e^(−|z|)).
pub fn softplus(z: f64) -> f64 {
    z.max(0.0) + libm::log1p(libm::exp(-z.abs()))
}
