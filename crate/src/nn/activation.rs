//! Element-wise activations g and their derivatives g', as on the lecture's slides.

use super::exp;
use crate::config::Error;
use nalgebra::DMatrix;
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

impl Activation {
    /// g(z) and g′(z) at each z, as the passes compute them (the same functions, two
    /// values at a time): for the element-wise activations only, the hidden layers'
    /// (sigmoid, tanh, relu, identity); the output-only functions act on groups of units.
    pub fn curve(self, z: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
        if Activation::OUTPUT_ONLY.contains(&self) {
            return None;
        }
        let pairs: Vec<f64x2> = z
            .chunks(2)
            .map(|c| f64x2::new([c[0], *c.get(1).unwrap_or(&0.0)]))
            .collect();
        let mut h = pairs.clone();
        self.apply_all(&mut h, false);
        let slope: Vec<f64x2> = pairs
            .iter()
            .zip(&h)
            .map(|(&z, &h)| self.derivative(z, h))
            .collect();
        let first = |v: &[f64x2]| -> Vec<f64> {
            v.iter().flat_map(|p| p.to_array()).take(z.len()).collect()
        };
        Some((first(&h), first(&slope)))
    }

    /// The output function's Jacobian ∂f/∂z at f = f(x), row i for fᵢ, column j for
    /// zⱼ: for softmax, as on the slide, ∂softmax(z)ᵢ/∂zⱼ = fᵢ(1 − fᵢ) if i = j and
    /// −fᵢ fⱼ otherwise, that is diag(f) − f fᵀ; for one sigmoid unit, σ′ = f(1 − f).
    /// None for the outputs fitted to numbers.
    pub fn jacobian(self, f: &[f64]) -> Option<DMatrix<f64>> {
        match self {
            Activation::Softmax => Some(DMatrix::from_fn(f.len(), f.len(), |i, j| {
                f[i] * (f64::from(u8::from(i == j)) - f[j])
            })),
            Activation::Sigmoid if f.len() == 1 => {
                Some(DMatrix::from_element(1, 1, f[0] * (1.0 - f[0])))
            }
            _ => None,
        }
    }
}

/// ln(1 + e^z), without overflow: max(z, 0) + ln(1 + e^(−|z|)).
pub fn softplus(z: f64) -> f64 {
    z.max(0.0) + libm::log1p(libm::exp(-z.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::network::{Architecture, LayerShape, Network};

    /// f(z) for one sample through an output layer with W = I and b = 0: the network's
    /// own softmax or sigmoid.
    fn output(activation: Activation, z: &[f64]) -> Vec<f64> {
        let k = z.len();
        let architecture = Architecture {
            layers: vec![LayerShape {
                inputs: k,
                outputs: k,
                activation,
            }],
        }
        .validated()
        .unwrap();
        let mut theta = vec![0.0; architecture.parameter_count()];
        for i in 0..k {
            theta[i * k + i] = 1.0;
        }
        let network = Network {
            architecture,
            l2: 0.0,
        };
        let x = DMatrix::from_column_slice(k, 1, z);
        network.forward(&theta, &x).output().sample(0)
    }

    #[test]
    fn the_output_jacobian_matches_central_differences() {
        let cases: [(Activation, &[f64]); 4] = [
            (Activation::Softmax, &[0.3, -1.2, 2.0]),
            (Activation::Softmax, &[4.0, -3.5, 0.0, 1.25, -0.5]),
            (Activation::Sigmoid, &[0.7]),
            (Activation::Sigmoid, &[-3.0]),
        ];
        for (activation, z) in cases {
            let f = output(activation, z);
            let jacobian = activation.jacobian(&f).unwrap();
            assert_eq!(jacobian.shape(), (z.len(), z.len()));
            let h = 1e-6;
            for j in 0..z.len() {
                let moved = |by: f64| {
                    let mut z = z.to_vec();
                    z[j] += by;
                    output(activation, &z)
                };
                let (plus, minus) = (moved(h), moved(-h));
                for i in 0..z.len() {
                    let numeric = (plus[i] - minus[i]) / (2.0 * h);
                    let error = (jacobian[(i, j)] - numeric).abs();
                    assert!(error < 1e-9, "{activation:?} {z:?} ({i}, {j}): {error}");
                }
            }
        }
        // Each column of softmax's sums to 0: the outputs always add up to 1.
        let f = output(Activation::Softmax, &[1.0, 2.0, 3.0]);
        let jacobian = Activation::Softmax.jacobian(&f).unwrap();
        for j in 0..3 {
            assert!(jacobian.column(j).sum().abs() < 1e-15);
        }
        assert!(Activation::Identity.jacobian(&[1.0]).is_none());
        assert!(Activation::Gaussian.jacobian(&[1.0, 2.0]).is_none());
    }

    #[test]
    fn the_curves_are_g_and_its_derivative() {
        let z = [-30.0, -2.0, -0.5, 0.0, 0.25, 1.5, 30.0];
        for activation in Activation::HIDDEN {
            let (g, slope) = activation.curve(&z).unwrap();
            assert_eq!((g.len(), slope.len()), (z.len(), z.len()));
            for (k, &z) in z.iter().enumerate() {
                let (exact, derivative) = match activation {
                    Activation::Sigmoid => {
                        let s = 1.0 / (1.0 + libm::exp(-z));
                        (s, s * (1.0 - s))
                    }
                    Activation::Tanh => (libm::tanh(z), 1.0 - libm::tanh(z).powi(2)),
                    Activation::Relu => (z.max(0.0), f64::from(u8::from(z > 0.0))),
                    _ => (z, 1.0),
                };
                assert!((g[k] - exact).abs() < 1e-15, "{activation:?} g({z})");
                assert!(
                    (slope[k] - derivative).abs() < 1e-15,
                    "{activation:?} g′({z})"
                );
            }
        }
        assert!(Activation::Softmax.curve(&z).is_none());
    }
}
