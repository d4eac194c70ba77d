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

    /// g(z) to within 2e-6, several times faster than [`Activation::apply`]: for
    /// pictures of a network (its decision map, its units' maps), which show tens of
    /// thousands of points per frame in 8-bit colours that cannot tell 4e-3 apart.
    /// Training and every number shown use the exact [`Activation::apply`].
    #[inline]
    pub fn apply_for_picture(self, z: f64) -> f64 {
        match self {
            // sigm(z) = ½(1 + tanh(z/2))
            Activation::Sigmoid => 0.5 + 0.5 * picture_tanh(0.5 * z),
            Activation::Tanh => picture_tanh(z),
            g => g.apply(z),
        }
    }

    /// g applied to every value in place, exactly or for a picture; one loop per
    /// activation, so that the function is inlined into it.
    pub fn apply_all(self, values: &mut [f64], picture: bool) {
        fn each(values: &mut [f64], g: impl Fn(f64) -> f64) {
            values.iter_mut().for_each(|v| *v = g(*v));
        }
        match (self, picture) {
            (Activation::Tanh, false) => each(values, libm::tanh),
            (Activation::Tanh, true) => each(values, |z| Activation::Tanh.apply_for_picture(z)),
            (Activation::Sigmoid, false) => each(values, sigmoid),
            (Activation::Sigmoid, true) => {
                each(values, |z| Activation::Sigmoid.apply_for_picture(z))
            }
            (Activation::Relu, _) => each(values, |z| z.max(0.0)),
            (Activation::Identity | Activation::Softmax, _) => {}
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

/// tanh on [−8, 8] interpolated linearly between 4097 exact values (error ≤ h²/8 ·
/// max|tanh''| = 1.5e-6 for h = 1/256), and ±1 beyond (error ≤ 1 − tanh 8 = 2.3e-7).
fn picture_tanh(z: f64) -> f64 {
    const STEPS_PER_UNIT: f64 = 256.0;
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..=4096)
            .map(|i| libm::tanh(i as f64 / STEPS_PER_UNIT - 8.0))
            .collect()
    });
    if z.is_nan() {
        return z;
    }
    if z.abs() >= 8.0 {
        return z.signum();
    }
    let t = (z + 8.0) * STEPS_PER_UNIT;
    let i = (t as usize).min(4095);
    let f = t - i as f64;
    table[i] + f * (table[i + 1] - table[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picture_activations_are_within_2e6_of_the_exact_ones() {
        for i in -40000..=40000 {
            let z = i as f64 / 1000.0 + 0.0003;
            for g in Activation::HIDDEN {
                assert!(
                    (g.apply_for_picture(z) - g.apply(z)).abs() < 2e-6,
                    "{g:?}({z})"
                );
            }
        }
        assert!(Activation::Tanh.apply_for_picture(f64::NAN).is_nan());
    }
}
