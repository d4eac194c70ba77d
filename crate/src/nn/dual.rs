//! Dual numbers, for derivatives in one direction by forward-mode differentiation.
//!
//! A dual number a + bε with ε² = 0 carries a quantity u(θ + t v) at t = 0 and its
//! derivative along v: `value` = u, `tangent` = ∂u/∂t = ∇u · v. Arithmetic on them is
//! arithmetic on first-order Taylor series, so every rule below is a rule of calculus:
//!
//! (a + bε) ± (c + dε) = (a ± c) + (b ± d)ε,   (a + bε)(c + dε) = ac + (ad + bc)ε,
//! (a + bε)/(c + dε) = a/c + (bc − ad)/c² ε,   g(a + bε) = g(a) + g′(a) b ε.
//!
//! Code written once over [`Real`] computes plain numbers with `f64` and, with [`Dual`],
//! the same numbers together with their derivatives: run through backprop, which
//! computes ∇L(θ), it gives ∇L(θ) and d/dt ∇L(θ + t v) = H v, the Hessian times v
//! (forward over backward: [`super::curvature`]). The derivatives are exact up to
//! rounding, with no step size as in finite differences.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// A number the losses and passes can be written over once: `f64`, or a [`Dual`].
/// With `f64`, every operation is the plain one (libm's functions), so code written
/// over `Real` computes the same bits as written for `f64`.
pub trait Real:
    Copy
    + Add<Output = Self>
    + Add<f64, Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Mul<f64, Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// A number that does not depend on θ.
    fn constant(c: f64) -> Self;
    /// The plain number, for comparisons and tests of range.
    fn value(self) -> f64;
    /// eˣ
    fn exp(self) -> Self;
    /// ln x
    fn ln(self) -> Self;
    /// tanh x
    fn tanh(self) -> Self;
    /// sigm(x) = 1 / (1 + e^(−x)), without overflow for large |x|.
    fn sigmoid(self) -> Self;
}

impl Real for f64 {
    fn constant(c: f64) -> f64 {
        c
    }
    fn value(self) -> f64 {
        self
    }
    fn exp(self) -> f64 {
        libm::exp(self)
    }
    fn ln(self) -> f64 {
        libm::log(self)
    }
    fn tanh(self) -> f64 {
        libm::tanh(self)
    }
    fn sigmoid(self) -> f64 {
        // e^(−|x|) ≤ 1 never overflows: sigm(x) = 1/(1 + e^(−x)) for x ≥ 0, and
        // e^x/(1 + e^x) for x < 0.
        let e = libm::exp(-self.abs());
        if self >= 0.0 {
            1.0 / (1.0 + e)
        } else {
            e / (1.0 + e)
        }
    }
}

/// u + u′ε: a value and its derivative along one direction.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Dual {
    pub value: f64,
    pub tangent: f64,
}

impl Dual {
    pub const fn new(value: f64, tangent: f64) -> Dual {
        Dual { value, tangent }
    }

    /// g(u) given g(u) and g′(u): g(u) + g′(u) u′ ε (the chain rule).
    fn chain(self, g: f64, slope: f64) -> Dual {
        Dual::new(g, slope * self.tangent)
    }
}

impl Add for Dual {
    type Output = Dual;
    fn add(self, o: Dual) -> Dual {
        Dual::new(self.value + o.value, self.tangent + o.tangent)
    }
}

impl Add<f64> for Dual {
    type Output = Dual;
    fn add(self, c: f64) -> Dual {
        Dual::new(self.value + c, self.tangent)
    }
}

impl Sub for Dual {
    type Output = Dual;
    fn sub(self, o: Dual) -> Dual {
        Dual::new(self.value - o.value, self.tangent - o.tangent)
    }
}

impl Mul for Dual {
    type Output = Dual;
    /// (uw)′ = u′w + uw′
    fn mul(self, o: Dual) -> Dual {
        Dual::new(
            self.value * o.value,
            self.tangent * o.value + self.value * o.tangent,
        )
    }
}

impl Mul<f64> for Dual {
    type Output = Dual;
    fn mul(self, c: f64) -> Dual {
        Dual::new(self.value * c, self.tangent * c)
    }
}

impl Div for Dual {
    type Output = Dual;
    /// (u/w)′ = (u′ − (u/w) w′)/w
    fn div(self, o: Dual) -> Dual {
        let q = self.value / o.value;
        Dual::new(q, (self.tangent - q * o.tangent) / o.value)
    }
}

impl Neg for Dual {
    type Output = Dual;
    fn neg(self) -> Dual {
        Dual::new(-self.value, -self.tangent)
    }
}

impl Real for Dual {
    fn constant(c: f64) -> Dual {
        Dual::new(c, 0.0)
    }
    fn value(self) -> f64 {
        self.value
    }
    /// (eᵘ)′ = eᵘ u′
    fn exp(self) -> Dual {
        let e = libm::exp(self.value);
        self.chain(e, e)
    }
    /// (ln u)′ = u′/u
    fn ln(self) -> Dual {
        self.chain(libm::log(self.value), 1.0 / self.value)
    }
    /// (tanh u)′ = (1 − tanh² u) u′
    fn tanh(self) -> Dual {
        let t = libm::tanh(self.value);
        self.chain(t, 1.0 - t * t)
    }
    /// sigm′ = sigm (1 − sigm), finite however large |u| is.
    fn sigmoid(self) -> Dual {
        let s = self.value.sigmoid();
        self.chain(s, s * (1.0 - s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each rule against a central difference of the same function in f64, along
    /// u(t) = u₀ + t, w(t) = w₀ − 2t.
    #[test]
    fn every_rule_is_the_derivative() {
        let (u0, w0) = (0.7, -1.3);
        type Case = (&'static str, fn(Dual, Dual) -> Dual, fn(f64, f64) -> f64);
        let cases: [Case; 9] = [
            ("u + w", |u, w| u + w, |u, w| u + w),
            ("u − w", |u, w| u - w, |u, w| u - w),
            ("u w", |u, w| u * w, |u, w| u * w),
            ("u / w", |u, w| u / w, |u, w| u / w),
            (
                "3u + 2 − w",
                |u, w| u * 3.0 + 2.0 - w,
                |u, w| u * 3.0 + 2.0 - w,
            ),
            ("exp(u w)", |u, w| (u * w).exp(), |u, w| libm::exp(u * w)),
            ("ln(u) · w", |u, w| u.ln() * w, |u, w| libm::log(u) * w),
            (
                "tanh(u − w)",
                |u, w| (u - w).tanh(),
                |u, w| libm::tanh(u - w),
            ),
            (
                "sigm(−u w)",
                |u, w| (-(u * w)).sigmoid(),
                |u, w| (-(u * w)).sigmoid(),
            ),
        ];
        // Central differences err by h² f‴/6 ≈ 1e-10 plus rounding ε|f|/h ≈ 1e-11.
        let h = 1e-5;
        for (name, dual, plain) in cases {
            let d = dual(Dual::new(u0, 1.0), Dual::new(w0, -2.0));
            let at = |t: f64| plain(u0 + t, w0 - 2.0 * t);
            assert_eq!(d.value, at(0.0), "{name}");
            let numeric = (at(h) - at(-h)) / (2.0 * h);
            assert!(
                (d.tangent - numeric).abs() < 1e-8,
                "{name}: {} against {numeric}",
                d.tangent
            );
        }
    }

    #[test]
    fn the_sigmoid_and_its_slope_stay_finite_far_out() {
        for x in [-800.0, -40.0, 40.0, 800.0] {
            let s = Dual::new(x, 1.0).sigmoid();
            assert!(s.value.is_finite() && s.tangent.is_finite(), "{x}: {s:?}");
            assert!((0.0..=1.0).contains(&s.value) && s.tangent >= 0.0);
        }
        assert_eq!(0.0f64.sigmoid(), 0.5);
    }
}
