//! Second-order forward-mode automatic differentiation in two variables.
//!
//! A [`Jet`] carries a function of (x, y) at one point to second order: its value u,
//! gradient ∇u and Hessian ∇²u (a hyper-dual number in x and y). Every operation maps
//! the jets of its operands to the jet of its result by the rules of calculus, so the
//! derivatives of a whole formula are exact up to rounding, with no step size as in
//! finite differences. Each rule is stated on the function that applies it; ∇u∇wᵀ is
//! the outer product of two gradients.

/// u(p), ∇u(p) and ∇²u(p) at one point p.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Jet {
    pub value: f64,
    /// (∂u/∂x, ∂u/∂y)
    pub gradient: [f64; 2],
    /// The symmetric Hessian's (∂²u/∂x², ∂²u/∂x∂y, ∂²u/∂y²).
    pub hessian: [f64; 3],
}

/// a bᵀ + b aᵀ, as (xx, xy, yy).
fn symmetric_outer(a: [f64; 2], b: [f64; 2]) -> [f64; 3] {
    [
        2.0 * a[0] * b[0],
        a[0] * b[1] + a[1] * b[0],
        2.0 * a[1] * b[1],
    ]
}

/// a aᵀ, as (xx, xy, yy).
fn outer_square(a: [f64; 2]) -> [f64; 3] {
    [a[0] * a[0], a[0] * a[1], a[1] * a[1]]
}

fn scaled2(s: f64, a: [f64; 2]) -> [f64; 2] {
    [s * a[0], s * a[1]]
}

fn scaled3(s: f64, a: [f64; 3]) -> [f64; 3] {
    [s * a[0], s * a[1], s * a[2]]
}

fn sum3(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

impl Jet {
    /// A constant c: ∇c = 0, ∇²c = 0.
    pub const fn constant(c: f64) -> Jet {
        Jet {
            value: c,
            gradient: [0.0; 2],
            hessian: [0.0; 3],
        }
    }

    /// The variable x at x: ∇x = (1, 0), ∇²x = 0.
    pub const fn x(x: f64) -> Jet {
        Jet {
            value: x,
            gradient: [1.0, 0.0],
            hessian: [0.0; 3],
        }
    }

    /// The variable y at y: ∇y = (0, 1), ∇²y = 0.
    pub const fn y(y: f64) -> Jet {
        Jet {
            value: y,
            gradient: [0.0, 1.0],
            hessian: [0.0; 3],
        }
    }

    /// g(u) for a function g of one variable, given [g(u), g′(u), g″(u)] (chain rule to
    /// second order): ∇g(u) = g′(u)∇u, ∇²g(u) = g″(u)∇u∇uᵀ + g′(u)∇²u.
    pub fn chain(self, [g, g1, g2]: [f64; 3]) -> Jet {
        Jet {
            value: g,
            gradient: scaled2(g1, self.gradient),
            hessian: sum3(
                scaled3(g2, outer_square(self.gradient)),
                scaled3(g1, self.hessian),
            ),
        }
    }

    /// h(u, w) for a function h of two variables, given its value, (h_u, h_w) and
    /// (h_uu, h_uw, h_ww) at (u, w) (chain rule to second order):
    /// ∇h = h_u∇u + h_w∇w,
    /// ∇²h = h_uu∇u∇uᵀ + h_uw(∇u∇wᵀ + ∇w∇uᵀ) + h_ww∇w∇wᵀ + h_u∇²u + h_w∇²w.
    pub fn chain2(self, w: Jet, value: f64, first: [f64; 2], second: [f64; 3]) -> Jet {
        let u = self;
        let [hu, hw] = first;
        let [huu, huw, hww] = second;
        Jet {
            value,
            gradient: [
                hu * u.gradient[0] + hw * w.gradient[0],
                hu * u.gradient[1] + hw * w.gradient[1],
            ],
            hessian: sum3(
                sum3(
                    scaled3(huu, outer_square(u.gradient)),
                    sum3(
                        scaled3(huw, symmetric_outer(u.gradient, w.gradient)),
                        scaled3(hww, outer_square(w.gradient)),
                    ),
                ),
                sum3(scaled3(hu, u.hessian), scaled3(hw, w.hessian)),
            ),
        }
    }
}

impl core::ops::Neg for Jet {
    type Output = Jet;

    /// −u: every part negated.
    fn neg(self) -> Jet {
        Jet {
            value: -self.value,
            gradient: scaled2(-1.0, self.gradient),
            hessian: scaled3(-1.0, self.hessian),
        }
    }
}

impl core::ops::Add for Jet {
    type Output = Jet;

    /// u + w: ∇ and ∇² add.
    fn add(self, w: Jet) -> Jet {
        Jet {
            value: self.value + w.value,
            gradient: [
                self.gradient[0] + w.gradient[0],
                self.gradient[1] + w.gradient[1],
            ],
            hessian: sum3(self.hessian, w.hessian),
        }
    }
}

impl core::ops::Sub for Jet {
    type Output = Jet;

    /// u − w: ∇ and ∇² subtract.
    fn sub(self, w: Jet) -> Jet {
        Jet {
            value: self.value - w.value,
            gradient: [
                self.gradient[0] - w.gradient[0],
                self.gradient[1] - w.gradient[1],
            ],
            hessian: sum3(self.hessian, scaled3(-1.0, w.hessian)),
        }
    }
}

impl core::ops::Mul for Jet {
    type Output = Jet;

    /// u·w (product rule): ∇(uw) = w∇u + u∇w,
    /// ∇²(uw) = w∇²u + u∇²w + ∇u∇wᵀ + ∇w∇uᵀ.
    fn mul(self, w: Jet) -> Jet {
        let u = self;
        Jet {
            value: u.value * w.value,
            gradient: [
                w.value * u.gradient[0] + u.value * w.gradient[0],
                w.value * u.gradient[1] + u.value * w.gradient[1],
            ],
            hessian: sum3(
                sum3(scaled3(w.value, u.hessian), scaled3(u.value, w.hessian)),
                symmetric_outer(u.gradient, w.gradient),
            ),
        }
    }
}

impl core::ops::Div for Jet {
    type Output = Jet;

    /// q = u/w (quotient rule, from u = qw differentiated twice):
    /// ∇q = (∇u − q∇w)/w, ∇²q = (∇²u − ∇q∇wᵀ − ∇w∇qᵀ − q∇²w)/w.
    fn div(self, w: Jet) -> Jet {
        let u = self;
        let q = u.value / w.value;
        let gradient = [
            (u.gradient[0] - q * w.gradient[0]) / w.value,
            (u.gradient[1] - q * w.gradient[1]) / w.value,
        ];
        let numerator = sum3(
            u.hessian,
            sum3(
                scaled3(-1.0, symmetric_outer(gradient, w.gradient)),
                scaled3(-q, w.hessian),
            ),
        );
        Jet {
            value: q,
            gradient,
            hessian: scaled3(1.0 / w.value, numerator),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_and_quotients_follow_their_rules_on_polynomials() {
        // u = x²y at (2, 3): ∇ = (2xy, x²) = (12, 4), ∇² = (2y, 2x, 0) = (6, 4, 0).
        let (x, y) = (Jet::x(2.0), Jet::y(3.0));
        let u = x * x * y;
        assert_eq!(u.value, 12.0);
        assert_eq!(u.gradient, [12.0, 4.0]);
        assert_eq!(u.hessian, [6.0, 4.0, 0.0]);
        // q = x/y at (2, 4): ∇ = (1/y, −x/y²) = (0.25, −0.125),
        // ∇² = (0, −1/y², 2x/y³) = (0, −0.0625, 0.0625).
        let q = Jet::x(2.0) / Jet::y(4.0);
        assert_eq!(q.value, 0.5);
        assert_eq!(q.gradient, [0.25, -0.125]);
        assert_eq!(q.hessian, [0.0, -0.0625, 0.0625]);
    }

    #[test]
    fn the_chain_rule_of_two_variables_reduces_to_the_product() {
        // h(u, w) = uw: h_u = w, h_w = u, h_uu = 0, h_uw = 1, h_ww = 0.
        let (u, w) = (Jet::x(1.5) * Jet::y(0.5), Jet::y(0.5) - Jet::x(1.5));
        let by_chain = u.chain2(w, u.value * w.value, [w.value, u.value], [0.0, 1.0, 0.0]);
        let by_product = u * w;
        assert_eq!(by_chain.value, by_product.value);
        for (a, b) in by_chain.gradient.iter().zip(&by_product.gradient) {
            assert!((a - b).abs() < 1e-15);
        }
        for (a, b) in by_chain.hessian.iter().zip(&by_product.hessian) {
            assert!((a - b).abs() < 1e-15);
        }
    }
}
