//! Paths that coincide: on the saddle x² − y² started on its ridge, SGD, momentum and
//! Nesterov all run along y = 0 and each would hide the one drawn before. A stretch of
//! a path lying on earlier paths is drawn beside them instead, moved by a few pixels
//! along its normal per path beneath, so that every colour shows.

use crate::layout::Layout;
use crate::surface::ViewBox;

/// Side of the cells, in device pixels, in which lines count as coinciding.
const CELL: f64 = 3.0;

/// Cells of the plot that drawn lines pass through, each with the set of paths (one bit
/// per path, the 32 first) through it.
pub struct Occupied {
    columns: usize,
    rows: usize,
    left: f64,
    top: f64,
    cells: Vec<u32>,
}

impl Occupied {
    pub fn new(layout: &Layout) -> Occupied {
        let [left, top, right, bottom] = layout.plot.map(f64::from);
        let columns = ((right - left) / CELL).ceil().max(1.0) as usize;
        let rows = ((bottom - top) / CELL).ceil().max(1.0) as usize;
        Occupied {
            columns,
            rows,
            left,
            top,
            cells: vec![0; columns * rows],
        }
    }

    fn cell(&self, (u, v): (f64, f64)) -> Option<usize> {
        let (i, j) = ((u - self.left) / CELL, (v - self.top) / CELL);
        let inside =
            (0.0..self.columns as f64).contains(&i) && (0.0..self.rows as f64).contains(&j);
        inside.then(|| j as usize * self.columns + i as usize)
    }

    /// The paths through pixel (u, v).
    fn at(&self, pixel: (f64, f64)) -> u32 {
        self.cell(pixel).map_or(0, |c| self.cells[c])
    }

    /// Marks the cells the polyline through `pixels` crosses as taken by path `index`.
    pub fn mark(&mut self, pixels: &[(f64, f64)], index: usize) {
        let bit = 1_u32 << (index % 32);
        for pair in pixels.windows(2) {
            let ((u0, v0), (u1, v1)) = (pair[0], pair[1]);
            let length = (u1 - u0).hypot(v1 - v0);
            // A segment leaving the plot far behind is clipped when drawn: mark none of it.
            if !length.is_finite() || length > 1e5 {
                continue;
            }
            let steps = (length / (0.5 * CELL)).ceil() as usize;
            for k in 0..=steps {
                let t = k as f64 / steps.max(1) as f64;
                if let Some(c) = self.cell((u0 + t * (u1 - u0), v0 + t * (v1 - v0))) {
                    self.cells[c] |= bit;
                }
            }
        }
    }

    /// The path through `pixels`, each vertex that lies with a neighbour on earlier
    /// paths moved along the path's normal there by `gap` pixels per such path.
    pub fn beside(&self, pixels: &[(f64, f64)], gap: f64) -> Vec<(f64, f64)> {
        let taken: Vec<u32> = pixels.iter().map(|p| self.at(*p)).collect();
        let mut normal = (0.0, 1.0);
        (0..pixels.len())
            .map(|i| {
                let neighbours =
                    taken[i.saturating_sub(1)] | taken.get(i + 1).copied().unwrap_or(0);
                let beneath = (taken[i] & neighbours).count_ones();
                let (before, after) = (
                    pixels[i.saturating_sub(1)],
                    pixels[(i + 1).min(pixels.len() - 1)],
                );
                let (du, dv) = (after.0 - before.0, after.1 - before.1);
                let length = du.hypot(dv);
                if length > 1e-9 {
                    // One side for a line whichever way it is run: down, or right.
                    let n = (-dv / length, du / length);
                    normal = if n.1 < 0.0 || (n.1 == 0.0 && n.0 < 0.0) {
                        (-n.0, -n.1)
                    } else {
                        n
                    };
                }
                let shift = f64::from(beneath) * gap;
                (
                    pixels[i].0 + shift * normal.0,
                    pixels[i].1 + shift * normal.1,
                )
            })
            .collect()
    }
}

/// `line` (in `view`'s coordinates) moved beside the paths already in `occupied`, which
/// then holds it as path `index`.
pub fn beside(
    line: &[(f64, f64)],
    layout: &Layout,
    view: &ViewBox,
    occupied: &mut Occupied,
    (index, gap): (usize, f64),
) -> Vec<(f64, f64)> {
    let pixels: Vec<(f64, f64)> = line
        .iter()
        .map(|p| layout.pixel_of(view, [p.0, p.1]))
        .collect();
    let moved = occupied.beside(&pixels, gap);
    occupied.mark(&pixels, index);
    line.iter()
        .zip(pixels.iter().zip(&moved))
        .map(|(p, (before, after))| {
            if before == after {
                *p
            } else {
                let q = layout.point_at(view, after.0, after.1);
                (q[0], q[1])
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;

    #[test]
    fn a_path_on_another_is_moved_beside_it_and_one_apart_is_not() {
        let layout = Layout::new(200, 200, 1.0, Margins::SURFACE);
        let view = ViewBox::new(-1.0, 1.0, -1.0, 1.0);
        let mut occupied = Occupied::new(&layout);
        let first: Vec<(f64, f64)> = (0..=10).map(|k| (-0.9 + 0.15 * k as f64, 0.0)).collect();
        assert_eq!(
            beside(&first, &layout, &view, &mut occupied, (0, 3.0)),
            first
        );
        // Along the same line with other iterates: beside it, by 3 pixels.
        let second: Vec<(f64, f64)> = (0..=7).map(|k| (-0.8 + 0.2 * k as f64, 0.0)).collect();
        let moved = beside(&second, &layout, &view, &mut occupied, (1, 3.0));
        for (p, q) in second.iter().zip(&moved) {
            let (a, b) = (
                layout.pixel_of(&view, [p.0, p.1]),
                layout.pixel_of(&view, [q.0, q.1]),
            );
            assert!((a.0 - b.0).abs() < 1e-9 && ((a.1 - b.1).abs() - 3.0).abs() < 1e-9);
        }
        // A third on both: twice as far. One that only crosses them stays.
        let third = beside(&second, &layout, &view, &mut occupied, (2, 3.0));
        let shift = layout.pixel_of(&view, [third[3].0, third[3].1]).1
            - layout.pixel_of(&view, [second[3].0, second[3].1]).1;
        assert!((shift.abs() - 6.0).abs() < 1e-9, "{shift}");
        let crossing = vec![
            (0.05, -0.9),
            (0.05, -0.45),
            (0.05, 0.0),
            (0.05, 0.45),
            (0.05, 0.9),
        ];
        assert_eq!(
            beside(&crossing, &layout, &view, &mut occupied, (3, 3.0)),
            crossing
        );
    }
}
