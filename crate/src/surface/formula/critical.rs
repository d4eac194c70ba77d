//! Critical points of a typed formula, found numerically: Newton's method with the
//! exact Hessian from a grid of starts over the view, each point kept where the
//! gradient vanishes and classified by its Hessian.

use super::jet::Jet;
use crate::surface::{CriticalKind, CriticalPoint, Point, ViewBox};

/// Starts per side: a 9 × 9 grid of cell centres over the view.
pub const GRID: usize = 9;

/// Newton steps from each start, at most.
const NEWTON_STEPS: usize = 100;

/// The starts: the centres of a [`GRID`] × [`GRID`] grid of cells over `view`, row
/// by row from the top left.
pub fn grid(view: ViewBox) -> impl Iterator<Item = Point> {
    let n = GRID as f64;
    (0..GRID).flat_map(move |row| {
        (0..GRID).map(move |column| {
            [
                view.x.0 + (column as f64 + 0.5) / n * view.width(),
                view.y.1 - (row as f64 + 0.5) / n * view.height(),
            ]
        })
    })
}

fn norm([a, b]: [f64; 2]) -> f64 {
    a.hypot(b)
}

/// Newton's method θ ← θ − (∇²f)⁻¹∇f from `start`, each step at most `radius` long
/// (a step along −∇f where the Hessian is singular): the last iterate, once a step
/// is below rounding or after [`NEWTON_STEPS`]; None where ∇f is not finite.
fn newton(jet: &impl Fn(Point) -> Jet, start: Point, radius: f64) -> Option<Point> {
    let mut p = start;
    for _ in 0..NEWTON_STEPS {
        let j = jet(p);
        let [gx, gy] = j.gradient;
        if !(gx.is_finite() && gy.is_finite()) {
            return None;
        }
        if gx == 0.0 && gy == 0.0 {
            break;
        }
        // (∇²f)⁻¹ = [[d, −b], [−b, a]] / (ad − b²) for ∇²f = [[a, b], [b, d]].
        let [a, b, d] = j.hessian;
        let det = a * d - b * b;
        let newton = [-(d * gx - b * gy) / det, -(a * gy - b * gx) / det];
        let step = if newton.iter().all(|s| s.is_finite()) {
            newton
        } else {
            [-gx, -gy]
        };
        let length = norm(step);
        let shrink = if length > radius {
            radius / length
        } else {
            1.0
        };
        p = [p[0] + shrink * step[0], p[1] + shrink * step[1]];
        if length <= 1e-15 * (1.0 + norm(p)) {
            break;
        }
    }
    Some(p)
}

/// The minima (∇²f positive definite) and saddles (∇²f indefinite) inside `view` that
/// Newton's method reaches from the [`grid`]: a point counts where
/// ‖∇f‖ ≤ 10⁻⁹ · the largest ‖∇f‖ at the starts, and two closer than 10⁻⁶ of the
/// view's diagonal are one. Maxima and degenerate points (det ∇²f = 0) are not listed;
/// nor is anything on a surface flat at every start. Minima come first, lowest first.
pub fn search(jet: impl Fn(Point) -> Jet, view: ViewBox) -> Vec<CriticalPoint> {
    let scale = grid(view)
        .map(|p| norm(jet(p).gradient))
        .filter(|g| g.is_finite())
        .fold(0.0, f64::max);
    if scale == 0.0 {
        return Vec::new();
    }
    let radius = view.width().max(view.height()) / GRID as f64;
    let same = 1e-6 * view.width().hypot(view.height());
    let inside = |[x, y]: Point| view.x.0 <= x && x <= view.x.1 && view.y.0 <= y && y <= view.y.1;
    let mut found: Vec<(CriticalPoint, f64)> = Vec::new();
    for start in grid(view) {
        let Some(p) = newton(&jet, start, radius) else {
            continue;
        };
        let j = jet(p);
        if !(norm(j.gradient) <= 1e-9 * scale && j.value.is_finite() && inside(p)) {
            continue;
        }
        let [a, b, d] = j.hessian;
        let det = a * d - b * b;
        let kind = if det > 0.0 && a > 0.0 {
            CriticalKind::Minimum
        } else if det < 0.0 {
            CriticalKind::Saddle
        } else {
            continue;
        };
        let distance = |q: Point| (q[0] - p[0]).hypot(q[1] - p[1]);
        if found.iter().all(|(c, _)| distance(c.point) > same) {
            found.push((CriticalPoint { point: p, kind }, j.value));
        }
    }
    found.sort_by(|(c, f), (d, g)| {
        let saddle = |k: CriticalKind| k == CriticalKind::Saddle;
        saddle(c.kind)
            .cmp(&saddle(d.kind))
            .then(f.total_cmp(g))
            .then(c.point[0].total_cmp(&d.point[0]))
            .then(c.point[1].total_cmp(&d.point[1]))
    });
    found.into_iter().map(|(c, _)| c).collect()
}
