use super::{CriticalPoint, Hessian, Point, Surface, ViewBox};
use crate::config::{Control, Range};

crate::hyperparameters! {
    /// The quadratic's curvatures and orientation.
    pub struct QuadraticConfig("quadratic") {
        /// λ₁, curvature along u
        lambda1: f64 = 1.0, "lambda1", Some(Range::new(0.0, 1e4, false, true)),
            Control::new("curvature along u").symbol("λ₁").log(0.01, 100.0);
        /// λ₂, curvature along v
        lambda2: f64 = 10.0, "lambda2", Some(Range::new(0.0, 1e4, false, true)),
            Control::new("curvature along v").symbol("λ₂").log(0.01, 100.0);
        /// θ, rotation of the axes (u, v) in degrees
        angle: f64 = 0.0, "angle", Some(Range::new(-360.0, 360.0, true, true)),
            Control::new("rotation").symbol("θ°").linear(-90.0, 90.0);
    }
}

/// f = ½(λ₁u² + λ₂v²) with u = x cos θ + y sin θ, v = −x sin θ + y cos θ: the model of
/// every smooth minimum, whose condition number λ₂/λ₁ sets how gradient descent zig-zags.
///
/// With R the rotation by θ, f(p) = ½ pᵀ H p where H = Rᵀ diag(λ₁, λ₂) R is constant,
/// so ∇f(p) = H p.
pub struct Quadratic {
    hessian: Hessian,
}

impl Quadratic {
    pub fn new(config: QuadraticConfig) -> Self {
        let theta = config.angle.to_radians();
        let (s, c) = (libm::sin(theta), libm::cos(theta));
        let (l1, l2) = (config.lambda1, config.lambda2);
        let off_diagonal = (l1 - l2) * c * s;
        Quadratic {
            hessian: [
                [l1 * c * c + l2 * s * s, off_diagonal],
                [off_diagonal, l1 * s * s + l2 * c * c],
            ],
        }
    }
}

impl Surface for Quadratic {
    fn value(&self, p: Point) -> f64 {
        let g = self.gradient(p);
        0.5 * (p[0] * g[0] + p[1] * g[1])
    }

    fn gradient(&self, p: Point) -> Point {
        let h = &self.hessian;
        [
            h[0][0] * p[0] + h[0][1] * p[1],
            h[1][0] * p[0] + h[1][1] * p[1],
        ]
    }

    fn hessian(&self, _: Point) -> Hessian {
        self.hessian
    }

    fn view(&self) -> ViewBox {
        ViewBox::new(-3.0, 3.0, -3.0, 3.0)
    }

    fn start(&self) -> Point {
        [-2.5, 2.0]
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum(0.0, 0.0)]
    }
}
