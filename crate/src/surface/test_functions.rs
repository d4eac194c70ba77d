//! Classic test functions for optimization (Beale 1958, Himmelblau 1972, Booth,
//! Rastrigin 1974), as in the optimizer-comparison animations.

use super::{CriticalPoint, Hessian, Point, Surface, ViewBox};
use core::f64::consts::PI;

/// Beale's function f = Σᵢ rᵢ², rᵢ = cᵢ − x + xyⁱ, c = (1.5, 2.25, 2.625), i = 1, 2, 3:
/// flat plateaus and sharp ridges; minimum f(3, ½) = 0.
///
/// With ∂rᵢ/∂x = yⁱ − 1 and ∂rᵢ/∂y = i x yⁱ⁻¹:
/// ∇f = Σ 2rᵢ (∂rᵢ/∂x, ∂rᵢ/∂y);
/// ∇²f = Σ 2 (∇rᵢ ∇rᵢᵀ + rᵢ ∇²rᵢ), ∂²rᵢ/∂x∂y = i yⁱ⁻¹, ∂²rᵢ/∂y² = i(i − 1) x yⁱ⁻².
#[derive(Default)]
pub struct Beale;

const BEALE_C: [f64; 3] = [1.5, 2.25, 2.625];

/// For i = 1, 2, 3: (rᵢ, ∂rᵢ/∂x, ∂rᵢ/∂y, ∂²rᵢ/∂x∂y, ∂²rᵢ/∂y²).
fn beale_terms([x, y]: Point) -> [[f64; 5]; 3] {
    let powers = [1.0, y, y * y, y * y * y];
    core::array::from_fn(|k| {
        let i = (k + 1) as f64;
        let y_i = powers[k + 1];
        let y_i1 = powers[k];
        let y_i2 = if k == 0 { 0.0 } else { powers[k - 1] };
        [
            BEALE_C[k] - x + x * y_i,
            y_i - 1.0,
            i * x * y_i1,
            i * y_i1,
            i * (i - 1.0) * x * y_i2,
        ]
    })
}

impl Surface for Beale {
    fn value(&self, p: Point) -> f64 {
        beale_terms(p).iter().map(|t| t[0] * t[0]).sum()
    }

    fn gradient(&self, p: Point) -> Point {
        beale_terms(p).iter().fold([0.0, 0.0], |g, t| {
            [g[0] + 2.0 * t[0] * t[1], g[1] + 2.0 * t[0] * t[2]]
        })
    }

    fn hessian(&self, p: Point) -> Hessian {
        let [xx, xy, yy] = beale_terms(p).iter().fold([0.0; 3], |h, t| {
            let [r, rx, ry, rxy, ryy] = *t;
            [
                h[0] + 2.0 * rx * rx,
                h[1] + 2.0 * (rx * ry + r * rxy),
                h[2] + 2.0 * (ry * ry + r * ryy),
            ]
        });
        [[xx, xy], [xy, yy]]
    }

    fn view(&self) -> ViewBox {
        ViewBox::new(-4.5, 4.5, -4.5, 4.5)
    }

    fn start(&self) -> Point {
        [1.0, 1.5]
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum(3.0, 0.5)]
    }
}

/// Himmelblau's function f = (x² + y − 11)² + (x + y² − 7)²: four minima of value 0.
///
/// With a = x² + y − 11 and b = x + y² − 7: ∇f = (4xa + 2b, 2a + 4yb);
/// ∂²f/∂x² = 4a + 8x² + 2, ∂²f/∂x∂y = 4(x + y), ∂²f/∂y² = 4b + 8y² + 2.
#[derive(Default)]
pub struct Himmelblau;

impl Surface for Himmelblau {
    fn value(&self, [x, y]: Point) -> f64 {
        let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
        a * a + b * b
    }

    fn gradient(&self, [x, y]: Point) -> Point {
        let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
        [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b]
    }

    fn hessian(&self, [x, y]: Point) -> Hessian {
        let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
        let xy = 4.0 * (x + y);
        [
            [4.0 * a + 8.0 * x * x + 2.0, xy],
            [xy, 4.0 * b + 8.0 * y * y + 2.0],
        ]
    }

    fn view(&self) -> ViewBox {
        ViewBox::new(-6.0, 6.0, -6.0, 6.0)
    }

    fn start(&self) -> Point {
        [0.0, -0.5]
    }

    /// The minima, to the precision of f64 (refined by Newton's method).
    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![
            CriticalPoint::minimum(3.0, 2.0),
            CriticalPoint::minimum(-2.805118086952745, 3.131312518250573),
            CriticalPoint::minimum(-3.779310253377747, -3.28318599128617),
            CriticalPoint::minimum(3.584428340330492, -1.848126526964404),
        ]
    }
}

/// Booth's function f = (x + 2y − 7)² + (2x + y − 5)²: a quadratic bowl; minimum
/// f(1, 3) = 0.
///
/// ∇f = (10x + 8y − 34, 8x + 10y − 38), ∇²f = [[10, 8], [8, 10]].
#[derive(Default)]
pub struct Booth;

impl Surface for Booth {
    fn value(&self, [x, y]: Point) -> f64 {
        let (a, b) = (x + 2.0 * y - 7.0, 2.0 * x + y - 5.0);
        a * a + b * b
    }

    fn gradient(&self, [x, y]: Point) -> Point {
        [10.0 * x + 8.0 * y - 34.0, 8.0 * x + 10.0 * y - 38.0]
    }

    fn hessian(&self, _: Point) -> Hessian {
        [[10.0, 8.0], [8.0, 10.0]]
    }

    fn view(&self) -> ViewBox {
        ViewBox::new(-10.0, 10.0, -10.0, 10.0)
    }

    fn start(&self) -> Point {
        [-8.0, -6.0]
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum(1.0, 3.0)]
    }
}

/// Rastrigin's function f = 20 + x² − 10 cos 2πx + y² − 10 cos 2πy: a bowl covered in
/// local minima near every integer point; global minimum f(0, 0) = 0.
///
/// ∂f/∂x = 2x + 20π sin 2πx, ∂²f/∂x² = 2 + 40π² cos 2πx (likewise in y), ∂²f/∂x∂y = 0.
#[derive(Default)]
pub struct Rastrigin;

impl Surface for Rastrigin {
    fn value(&self, [x, y]: Point) -> f64 {
        20.0 + x * x - 10.0 * libm::cos(2.0 * PI * x) + y * y - 10.0 * libm::cos(2.0 * PI * y)
    }

    fn gradient(&self, [x, y]: Point) -> Point {
        let d = |t: f64| 2.0 * t + 20.0 * PI * libm::sin(2.0 * PI * t);
        [d(x), d(y)]
    }

    fn hessian(&self, [x, y]: Point) -> Hessian {
        let d2 = |t: f64| 2.0 + 40.0 * PI * PI * libm::cos(2.0 * PI * t);
        [[d2(x), 0.0], [0.0, d2(y)]]
    }

    fn view(&self) -> ViewBox {
        ViewBox::new(-5.12, 5.12, -5.12, 5.12)
    }

    fn start(&self) -> Point {
        [3.3, 2.6]
    }

    fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum(0.0, 0.0)]
    }
}
