//! Polylines clipped to the view, so paths that leave it (or diverge) never draw over
//! the axes, in any backend, and never reach pixel coordinates that overflow.

use crate::surface::ViewBox;

/// The part of segment a→b inside `view` (Liang–Barsky), as parameters t₀ ≤ t₁ in [0, 1].
fn clip_segment(view: &ViewBox, a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.0 - view.x.0),
        (dx, view.x.1 - a.0),
        (-dy, a.1 - view.y.0),
        (dy, view.y.1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t.0 = t.0.max(r);
            } else {
                t.1 = t.1.min(r);
            }
        }
    }
    (t.0 <= t.1).then_some(t)
}

/// The visible runs of a polyline.
pub fn clip_polyline(view: &ViewBox, points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let lerp =
        |a: (f64, f64), b: (f64, f64), t: f64| (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    if let [only] = points {
        if clip_segment(view, *only, *only).is_some() {
            runs.push(vec![*only]);
        }
        return runs;
    }
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        match clip_segment(view, a, b) {
            Some((t0, t1)) => {
                if current.is_empty() || t0 > 0.0 {
                    if !current.is_empty() {
                        runs.push(std::mem::take(&mut current));
                    }
                    current.push(lerp(a, b, t0));
                }
                current.push(lerp(a, b, t1));
                if t1 < 1.0 {
                    runs.push(std::mem::take(&mut current));
                }
            }
            None => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

pub fn inside(view: &ViewBox, p: (f64, f64)) -> bool {
    view.x.0 <= p.0 && p.0 <= view.x.1 && view.y.0 <= p.1 && p.1 <= view.y.1
}

/// The points of a polyline a screen can tell apart: each kept point is at least
/// `spacing` device pixels (through `pixel`) from the last one kept, and the last point
/// is always kept. A run of thousands of iterates that a converging optimizer piles
/// into a few pixels becomes a handful of points, and looks the same.
pub fn decimate(
    points: &[(f64, f64)],
    pixel: impl Fn((f64, f64)) -> (f64, f64),
    spacing: f64,
) -> Vec<(f64, f64)> {
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len().min(4096));
    let mut last: Option<(f64, f64)> = None;
    for (i, &p) in points.iter().enumerate() {
        let here = pixel(p);
        let apart = last.is_none_or(|l| (l.0 - here.0).abs().max((l.1 - here.1).abs()) >= spacing);
        if apart || i + 1 == points.len() {
            kept.push(p);
            last = Some(here);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: ViewBox = ViewBox::new(0.0, 1.0, 0.0, 1.0);

    #[test]
    fn a_path_through_the_view_is_cut_at_its_edges() {
        let runs = clip_polyline(&VIEW, &[(-1.0, 0.5), (0.5, 0.5), (0.5, 2.0), (0.7, 0.5)]);
        assert_eq!(
            runs,
            vec![
                vec![(0.0, 0.5), (0.5, 0.5), (0.5, 1.0)],
                vec![(0.6333333333333333, 1.0), (0.7, 0.5)]
            ]
        );
    }

    #[test]
    fn paths_outside_and_huge_coordinates_vanish() {
        assert!(clip_polyline(&VIEW, &[(2.0, 2.0), (3.0, 5.0)]).is_empty());
        let runs = clip_polyline(&VIEW, &[(0.5, 0.5), (1e300, -1e300)]);
        assert_eq!(runs.len(), 1);
        assert!(runs[0].iter().all(|p| inside(&VIEW, *p)));
    }
}
