use super::{CriticalPoint, Hessian, Point, Surface, ViewBox};
use crate::config::{Control, Range};

crate::hyperparameters! {
    /// Rosenbrock's a and b.
    pub struct RosenbrockConfig("rosenbrock") {
        /// a, the minimum sits at (a, a²)
        a: f64 = 1.0, "a", Some(Range::new(-10.0, 10.0, true, true)),
            Control::new("minimum x").symbol("a").linear(-3.0, 3.0);
        /// b, the steepness of the valley walls
        b: f64 = 100.0, "b", Some(Range::new(0.0, 1e4, false, true)),
            Control::new("wall steepness").symbol("b").log(0.1, 1000.0);
    }
}

/// Rosenbrock's function f = (a − x)² + b(y − x²)² (Rosenbrock 1960): a curved, flat
/// valley with steep walls; minimum f(a, a²) = 0.
///
/// ∂f/∂x = −2(a − x) − 4bx(y − x²), ∂f/∂y = 2b(y − x²);
/// ∂²f/∂x² = 2 − 4by + 12bx², ∂²f/∂x∂y = −4bx, ∂²f/∂y² = 2b.
pub struct Rosenbrock {
    a: f64,
    b: f64,
}

impl Rosenbrock {
    pub fn new(config: RosenbrockConfig) -> Self {
        Rosenbrock {
            a: config.a,
            b: config.b,
        }
    }
}

impl Surface for Rosenbrock {
    fn value(&self, [x, y]: Point) -> f64 {
        let ridge = y - x * x;
        (self.a - x) * (self.a - x) + self.b * ridge * ridge
    }

    fn gradient(&self, [x, y]: Point) -> Point {
        let ridge = y - x * x;
        [
            -2.0 * (self.a - x) - 4.0 * self.b * x * ridge,
            2.0 * self.b * ridge,
        ]
    }

    fn hessian(&self, [x, y]: Point) -> Hessian {
        let b = self.b;
        let xy = -4.0 * b * x;
        [[2.0 - 4.0 * b * y + 12.0 * b * x * x, xy], [xy, 2.0 * b]]
    }

    fn view(&self) -> ViewBox {
        let a = self.a;
        ViewBox::new(
            a.min(-a) - 1.0,
            a.max(-a) + 1.0,
            -1.0,
            (a * a).max(1.0) + 2.0,
        )
    }

    fn start(&self) -> Point {
        [-1.5, 1.5]
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum(self.a, self.a * self.a)]
    }
}

/// The surface of Distill's "Why Momentum Really Works" hero figure,
/// f = (1 − x)² + 20(3y − x²)²: a banana-shaped valley; minimum f(1, 1/3) = 0.
///
/// ∂f/∂x = −2(1 − x) − 80x(3y − x²), ∂f/∂y = 120(3y − x²);
/// ∂²f/∂x² = 2 − 240y + 240x², ∂²f/∂x∂y = −240x, ∂²f/∂y² = 360.
#[derive(Default)]
pub struct Banana;

impl Surface for Banana {
    fn value(&self, [x, y]: Point) -> f64 {
        let ridge = 3.0 * y - x * x;
        (1.0 - x) * (1.0 - x) + 20.0 * ridge * ridge
    }

    fn gradient(&self, [x, y]: Point) -> Point {
        let ridge = 3.0 * y - x * x;
        [-2.0 * (1.0 - x) - 80.0 * x * ridge, 120.0 * ridge]
    }

    fn hessian(&self, [x, y]: Point) -> Hessian {
        let xy = -240.0 * x;
        [[2.0 - 240.0 * y + 240.0 * x * x, xy], [xy, 360.0]]
    }

    fn view(&self) -> ViewBox {
        ViewBox::new(-2.0, 2.0, -0.5, 1.5)
    }

    fn start(&self) -> Point {
        [-1.2, 1.0]
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum(1.0, 1.0 / 3.0)]
    }
}
