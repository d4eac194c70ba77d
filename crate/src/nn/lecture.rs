//! Backpropagation exactly as the lecture writes it: one sample, plain vectors and
//! matrices, one line per formula of the slides. This is the code to read next to
//! them. The lab trains with [`super::network`], which computes the same numbers two
//! samples per instruction; the tests check it against this, on networks of every
//! shape, activation and output, to 1e-12.
//!
//! For layers l = 1 … L with W of shape [out, in] (for one hidden layer, Wʰ then Wᵒ):
//!
//! forward:   h⁰ = x,   zˡ = Wˡ hˡ⁻¹ + bˡ,   hˡ = g(zˡ),   f(x) = o(zᴸ)
//! loss:      l = −log f(x)_y (softmax),  −[y log f + (1 − y) log(1 − f)] (sigmoid),
//!            Σⱼ (f(x)ⱼ − yⱼ)² (identity),  −ln N(y; μ, σ²) (gaussian),
//!            −ln Σₖ πₖ N(y; μₖ, σₖ²) (mdn)
//! backward:  ∇zᴸ l = f(x) − e(y),  f(x) − y,  2(f(x) − y),
//!            ((μ − y)/σ², ½(1 − (y − μ)²/σ²)),
//!            (π − γ, γ ⊙ (μ − y)/σ², ½ γ ⊙ (1 − (y − μ)²/σ²))
//!            ∇Wˡ l = ∇zˡ l · (hˡ⁻¹)ᵀ,   ∇bˡ l = ∇zˡ l,
//!            ∇hˡ⁻¹ l = (Wˡ)ᵀ ∇zˡ l,   ∇zˡ⁻¹ l = ∇hˡ⁻¹ l ⊙ g'(zˡ⁻¹)
//!
//! For the gaussian, zᴸ = (μ, log σ²); for the mdn, zᴸ = (a, μ, log σ²) with π = softmax(a)
//! and γₖ = πₖ N(y; μₖ, σₖ²) / Σⱼ πⱼ N(y; μⱼ, σⱼ²) (see [`super::density`]).

use super::density::LN_2PI;
use super::Activation;
use nalgebra::{DMatrix, DVector};

/// One layer: z = W h + b, then g (for the last layer, the output function).
pub struct Layer {
    pub w: DMatrix<f64>,
    pub b: DVector<f64>,
    pub g: Activation,
}

/// What a sample is labelled with.
pub enum Target {
    /// A class y ∈ [0, K − 1], for softmax.
    Class(usize),
    /// y ∈ {0, 1}, for one sigmoid unit.
    Binary(f64),
    /// y ∈ Rᵈ, for identity and gaussian outputs; y ∈ R for an mdn.
    Values(DVector<f64>),
}

/// Every quantity of the derivation for one sample, layer by layer (index l − 1 for
/// layer l).
pub struct Backprop {
    /// zˡ and hˡ; the last h is f(x).
    pub z: Vec<DVector<f64>>,
    pub h: Vec<DVector<f64>>,
    pub loss: f64,
    pub grad_z: Vec<DVector<f64>>,
    pub grad_w: Vec<DMatrix<f64>>,
    pub grad_b: Vec<DVector<f64>>,
    /// ∇hˡ⁻¹ l, what flows to the layer below.
    pub grad_h: Vec<DVector<f64>>,
}

/// g(z), element by element.
fn g(activation: Activation, z: &DVector<f64>) -> DVector<f64> {
    match activation {
        Activation::Sigmoid => z.map(|z| 1.0 / (1.0 + libm::exp(-z))),
        Activation::Tanh => z.map(libm::tanh),
        Activation::Relu => z.map(|z| z.max(0.0)),
        Activation::Identity => z.clone(),
        Activation::Softmax => softmax(z),
        // (μ, σ²) = (z₁, e^(z₂))
        Activation::Gaussian => {
            let d = z.len() / 2;
            let mut f = z.clone();
            f.rows_mut(d, d).apply(|s| *s = libm::exp(*s));
            f
        }
        // (π, μ, σ²) = (softmax(a), μ, e^(s))
        Activation::Mdn => {
            let k = z.len() / 3;
            let mut f = z.clone();
            f.rows_mut(0, k)
                .copy_from(&softmax(&z.rows(0, k).into_owned()));
            f.rows_mut(2 * k, k).apply(|s| *s = libm::exp(*s));
            f
        }
    }
}

/// softmax(z) = e^z / Σⱼ e^{zⱼ}, shifted by max z.
fn softmax(z: &DVector<f64>) -> DVector<f64> {
    let max = z.max();
    let e = z.map(|z| libm::exp(z - max));
    let sum = e.sum();
    e / sum
}

/// g'(z) for a hidden layer: sigm(1 − sigm), 1 − tanh², 1_{z>0}, 1.
fn g_prime(activation: Activation, z: &DVector<f64>, h: &DVector<f64>) -> DVector<f64> {
    match activation {
        Activation::Sigmoid => h.map(|h| h * (1.0 - h)),
        Activation::Tanh => h.map(|h| 1.0 - h * h),
        Activation::Relu => z.map(|z| if z > 0.0 { 1.0 } else { 0.0 }),
        Activation::Identity | Activation::Softmax | Activation::Gaussian | Activation::Mdn => {
            z.map(|_| 1.0)
        }
    }
}

/// Backprop on one sample (x, y), without the L2 term.
pub fn backprop(layers: &[Layer], x: &DVector<f64>, y: &Target) -> Backprop {
    let (mut z, mut h) = (Vec::new(), Vec::new());
    let mut input = x.clone();
    for layer in layers {
        let zl = &layer.w * &input + &layer.b;
        let hl = g(layer.g, &zl);
        input = hl.clone();
        z.push(zl);
        h.push(hl);
    }
    let f = h.last().expect("a network has layers");
    let zo = z.last().expect("a network has layers");
    let output = layers.last().expect("a network has layers").g;
    let (loss, mut delta) = match y {
        Target::Values(y) if output == Activation::Gaussian => {
            // l = ½ Σⱼ [ln 2π + sⱼ + (yⱼ − μⱼ)² e^(−sⱼ)];
            // ∂l/∂μ = (μ − y) e^(−s),  ∂l/∂s = ½(1 − (y − μ)² e^(−s))
            let d = y.len();
            let (mu, s) = (zo.rows(0, d), zo.rows(d, d));
            let precision = s.map(|s| libm::exp(-s));
            let residual = y - mu;
            let squared = residual.component_mul(&residual).component_mul(&precision);
            let loss = 0.5 * (d as f64 * LN_2PI + s.sum() + squared.sum());
            let mut delta = DVector::zeros(2 * d);
            delta
                .rows_mut(0, d)
                .copy_from(&(-residual.component_mul(&precision)));
            delta
                .rows_mut(d, d)
                .copy_from(&squared.map(|q| 0.5 * (1.0 - q)));
            (loss, delta)
        }
        Target::Values(y) if output == Activation::Mdn => {
            // ln πₖ + ln Nₖ = ln πₖ − ½[ln 2π + sₖ + (y − μₖ)² e^(−sₖ)];
            // l = −ln Σₖ e^(ln πₖ + ln Nₖ);  γₖ = e^(ln πₖ + ln Nₖ + l);
            // ∂l/∂aₖ = πₖ − γₖ,  ∂l/∂μₖ = γₖ(μₖ − y)e^(−sₖ),  ∂l/∂sₖ = ½γₖ(1 − (y − μₖ)²e^(−sₖ))
            let k = zo.len() / 3;
            let (pi, mu, s) = (f.rows(0, k), zo.rows(k, k), zo.rows(2 * k, k));
            let precision = s.map(|s| libm::exp(-s));
            let residual = mu.map(|m| y[0] - m);
            let squared = residual.component_mul(&residual).component_mul(&precision);
            let log_joint = DVector::from_fn(k, |j, _| {
                libm::log(pi[j]) - 0.5 * (LN_2PI + s[j] + squared[j])
            });
            let max = log_joint.max();
            let loss = -(max + libm::log(log_joint.map(|v| libm::exp(v - max)).sum()));
            let gamma = log_joint.map(|v| libm::exp(v + loss));
            let mut delta = DVector::zeros(3 * k);
            delta.rows_mut(0, k).copy_from(&(pi - &gamma));
            delta
                .rows_mut(k, k)
                .copy_from(&(-gamma.component_mul(&residual).component_mul(&precision)));
            delta
                .rows_mut(2 * k, k)
                .copy_from(&gamma.zip_map(&squared, |g, q| 0.5 * g * (1.0 - q)));
            (loss, delta)
        }
        Target::Class(y) => {
            let log_sum_exp = zo.max() + libm::log(zo.map(|v| libm::exp(v - zo.max())).sum());
            let mut e = DVector::zeros(f.len());
            e[*y] = 1.0;
            (log_sum_exp - zo[*y], f - e)
        }
        Target::Binary(y) => {
            // −[y log f + (1 − y) log(1 − f)] = softplus(z) − y z, from the logit.
            let softplus = zo[0].max(0.0) + libm::log1p(libm::exp(-zo[0].abs()));
            (softplus - y * zo[0], f.map(|f| f - y))
        }
        Target::Values(y) => ((f - y).norm_squared(), 2.0 * (f - y)),
    };
    let n = layers.len();
    let (mut grad_z, mut grad_w, mut grad_b, mut grad_h) = (vec![], vec![], vec![], vec![]);
    for l in (0..n).rev() {
        let below = if l == 0 { x } else { &h[l - 1] };
        grad_w.push(&delta * below.transpose());
        grad_b.push(delta.clone());
        let up = layers[l].w.transpose() * &delta;
        grad_z.push(delta);
        delta = if l == 0 {
            up.clone()
        } else {
            up.component_mul(&g_prime(layers[l - 1].g, &z[l - 1], &h[l - 1]))
        };
        grad_h.push(up);
    }
    for v in [&mut grad_z, &mut grad_b, &mut grad_h] {
        v.reverse();
    }
    grad_w.reverse();
    Backprop {
        z,
        h,
        loss,
        grad_z,
        grad_w,
        grad_b,
        grad_h,
    }
}
