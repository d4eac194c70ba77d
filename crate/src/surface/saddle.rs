use super::{CriticalPoint, Hessian, Point, Surface, ViewBox};

/// f = x² − y²: the simplest saddle. The origin is a critical point where plain gradient
/// descent started on the x-axis stalls; any offset in y grows like (1 + 2η)^k.
///
/// ∇f = (2x, −2y), ∇²f = diag(2, −2).
#[derive(Default)]
pub struct Saddle;

impl Surface for Saddle {
    fn value(&self, [x, y]: Point) -> f64 {
        x * x - y * y
    }

    fn gradient(&self, [x, y]: Point) -> Point {
        [2.0 * x, -2.0 * y]
    }

    fn hessian(&self, _: Point) -> Hessian {
        [[2.0, 0.0], [0.0, -2.0]]
    }

    fn view(&self) -> ViewBox {
        ViewBox::new(-2.0, 2.0, -2.0, 2.0)
    }

    fn start(&self) -> Point {
        [-1.8, 0.01]
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::saddle(0.0, 0.0)]
    }
}

/// f = x³ − 3xy²: the monkey saddle, three valleys around a degenerate critical point
/// at the origin, where the Hessian vanishes.
///
/// ∇f = (3x² − 3y², −6xy), ∇²f = [[6x, −6y], [−6y, −6x]].
#[derive(Default)]
pub struct MonkeySaddle;

impl Surface for MonkeySaddle {
    fn value(&self, [x, y]: Point) -> f64 {
        x * x * x - 3.0 * x * y * y
    }

    fn gradient(&self, [x, y]: Point) -> Point {
        [3.0 * (x * x - y * y), -6.0 * x * y]
    }

    fn hessian(&self, [x, y]: Point) -> Hessian {
        [[6.0 * x, -6.0 * y], [-6.0 * y, -6.0 * x]]
    }

    fn view(&self) -> ViewBox {
        ViewBox::new(-2.0, 2.0, -2.0, 2.0)
    }

    fn start(&self) -> Point {
        [1.5, 0.05]
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::saddle(0.0, 0.0)]
    }
}
