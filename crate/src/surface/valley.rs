use super::{CriticalPoint, Hessian, Point, Surface, ViewBox};

/// A long narrow valley whose floor descends gently, as in the classic animations of
/// optimizers: f = ½ ln cosh(x − 8) + 5y².
///
/// Across the valley the curvature is 10, so steps of plain gradient descent above
/// η = 0.2 bounce from wall to wall; along it the floor falls with slope ½ tanh(x − 8),
/// about ½ until the smooth minimum f(8, 0) = 0. Methods that accumulate or rescale
/// the gradient (momentum, Adam, RMSprop) run down it; SGD crawls.
///
/// ∇f = (½ tanh(x − 8), 10y), ∇²f = diag(½(1 − tanh²(x − 8)), 10).
#[derive(Default)]
pub struct LongValley;

const FLOOR_END: f64 = 8.0;

/// ln cosh u = |u| + ln(1 + e^(−2|u|)) − ln 2, which never overflows.
fn ln_cosh(u: f64) -> f64 {
    let a = u.abs();
    a + libm::log1p(libm::exp(-2.0 * a)) - core::f64::consts::LN_2
}

impl Surface for LongValley {
    fn value(&self, [x, y]: Point) -> f64 {
        0.5 * ln_cosh(x - FLOOR_END) + 5.0 * y * y
    }

    fn gradient(&self, [x, y]: Point) -> Point {
        [0.5 * libm::tanh(x - FLOOR_END), 10.0 * y]
    }

    fn hessian(&self, [x, _]: Point) -> Hessian {
        let t = libm::tanh(x - FLOOR_END);
        [[0.5 * (1.0 - t * t), 0.0], [0.0, 10.0]]
    }

    fn view(&self) -> ViewBox {
        ViewBox::new(-10.0, 10.0, -3.0, 3.0)
    }

    fn start(&self) -> Point {
        [-8.0, 2.0]
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum(FLOOR_END, 0.0)]
    }
}
