//! The surface sampled for the 3-D view, and what is in sight on it.

use super::axes::height_ticks;
use super::{Camera, BASE, HEIGHT};
use crate::field::{Field, Scale};
use crate::surface::{Point, Surface, ViewBox};

/// Quads a side of the mesh: 1,600 faces, fine enough for the valleys of the built-in
/// surfaces to read, few enough to paint on every pointer event.
pub const MESH_SIDE: usize = 40;

/// Samples of f a face's side across, per vertex: see [`Mesh`]. Even, so that a vertex
/// lies between two of them.
const SAMPLES: usize = 4;
const _: () = assert!(SAMPLES >= 2 && SAMPLES.is_multiple_of(2));

/// The surface as the 3-D view draws it: the height of every vertex of a `side` ×
/// `side` grid of quads over the view box.
///
/// A vertex's height is the mean of [`Mesh::height`] over the face-sized square around
/// it, sampled [`SAMPLES`]² times (fewer on the box's edges): a box filter at the
/// mesh's resolution. Point samples alias: on the log scale a narrow valley such as
/// Rosenbrock's is far deeper than it is wide in faces, and its floor, drawn through f
/// at the vertices, dips wherever a vertex happens to fall near it.
pub struct Mesh {
    /// f at the centres of `side · SAMPLES` cells a side, and the map's scale chosen for
    /// and fitted to them, as the heatmap's is to its pixels.
    field: Field,
    /// (side + 1)² heights, row by row from y_min.
    heights: Vec<f64>,
    /// The height axis's ticks, as (height, f).
    ticks: Vec<(f64, f64)>,
    view: ViewBox,
    side: usize,
}

impl Mesh {
    /// `side` quads a side, fewer on a surface that affords fewer samples than their
    /// [`SAMPLES`] each ([`Surface::samples`]).
    pub fn sample(surface: &dyn Surface, view: ViewBox, side: usize) -> Mesh {
        let most = surface.samples().map_or(usize::MAX, |most| most / SAMPLES);
        let side = side.min(most).clamp(1, 512);
        let fine = side * SAMPLES;
        let field = Field::sample(surface, view, fine, fine);
        let units: Vec<f64> = field.values.iter().map(|&f| field.unit(f)).collect();
        // Vertex i sits between fine cells i·SAMPLES − 1 and i·SAMPLES.
        let around = |i: usize| {
            (i * SAMPLES).saturating_sub(SAMPLES / 2)..(i * SAMPLES + SAMPLES / 2).min(fine)
        };
        let mut heights = Vec::with_capacity((side + 1) * (side + 1));
        for j in 0..=side {
            for i in 0..=side {
                let (mut sum, mut count) = (0.0, 0.0);
                for row in around(j) {
                    for column in around(i) {
                        sum += units[row * fine + column];
                        count += 1.0;
                    }
                }
                heights.push(sum / count);
            }
        }
        let mut mesh = Mesh {
            field,
            heights,
            ticks: Vec::new(),
            view,
            side,
        };
        if let Some((lo, hi)) = mesh.range() {
            mesh.ticks = height_ticks(&mesh, lo, hi);
        }
        mesh
    }

    pub fn view(&self) -> ViewBox {
        self.view
    }

    pub fn side(&self) -> usize {
        self.side
    }

    /// The height of f on the drawing's vertical axis, in [0, 1]: exactly where the
    /// heatmap puts f on its colour scale ([`Field::unit`], the map's scale fitted to
    /// the mesh's samples), so a face is as high as its colour says.
    pub fn height(&self, f: f64) -> f64 {
        self.field.unit(f)
    }

    /// The height's scale: log, or linear where f is unbounded below in the view (see
    /// [`crate::field::Scale`]).
    pub fn scale(&self) -> Scale {
        self.field.scale()
    }

    /// Vertex (i, j), i along x and j along y from the corner (x_min, y_min): its point
    /// and its height.
    pub(super) fn vertex(&self, i: usize, j: usize) -> (Point, f64) {
        let n = self.side as f64;
        let point = [
            self.view.x.0 + i as f64 / n * self.view.width(),
            self.view.y.0 + j as f64 / n * self.view.height(),
        ];
        (point, self.heights[j * (self.side + 1) + i])
    }

    /// The drawn surface's height at `p` in the view box: the bilinear interpolation
    /// of the heights of the corners of its face.
    pub(super) fn drawn(&self, p: (f64, f64)) -> f64 {
        self.drawn_at(self.unit_square(p))
    }

    /// [`Mesh::drawn`] at (u, v) of the unit square.
    pub(super) fn drawn_at(&self, (u, v): (f64, f64)) -> f64 {
        let n = self.side as f64;
        let (s, t) = ((u * n).clamp(0.0, n), (v * n).clamp(0.0, n));
        let (i, j) = (
            (s as usize).min(self.side - 1),
            (t as usize).min(self.side - 1),
        );
        let (a, b) = (s - i as f64, t - j as f64);
        let h = |i: usize, j: usize| self.heights[j * (self.side + 1) + i];
        (1.0 - b) * ((1.0 - a) * h(i, j) + a * h(i + 1, j))
            + b * ((1.0 - a) * h(i, j + 1) + a * h(i + 1, j + 1))
    }

    /// Where a point of a path or a marker at `p` is drawn: [`LIFT`] above the surface,
    /// the higher of f's own height and the drawn surface's (the filtered faces lie
    /// above a narrow valley's floor and below a sharp ridge's crest).
    pub(super) fn lifted(&self, surface: &dyn Surface, p: (f64, f64)) -> f64 {
        self.height(surface.value([p.0, p.1])).max(self.drawn(p)) + LIFT
    }

    /// Whether a point at `p` and height `h` is in sight of `camera`: whether the view
    /// ray from it to the camera — towards (sin yaw, −cos yaw) on the unit square,
    /// rising tan(pitch) · BASE / HEIGHT of the height axis per unit — stays above the
    /// drawn surface, walked half a face at a time from a face away, until it leaves
    /// the box or rises above its top. Where it leaves through a side, the side was
    /// checked at the surface's edge just before. The walk starts a face away because
    /// a marker is about a face wide: the slopes of the pit it sits in cut into its
    /// edge, not its middle. A bump of at most [`SIGHT_TOLERANCE`] hides nothing
    /// either: the faces are flat, not the bilinear patches the walk reads, and a
    /// filtered valley floor ripples by a few hundredths.
    pub(super) fn in_sight(&self, p: (f64, f64), h: f64, camera: Camera) -> bool {
        let (u, v) = self.unit_square(p);
        let (s, c) = camera.yaw().sin_cos();
        let rise = camera.pitch().tan() * f64::from(BASE) / f64::from(HEIGHT);
        let step = 0.5 / self.side as f64;
        let within = |t: f64| (0.0..=1.0).contains(&t);
        (2..)
            .map(|k| k as f64 * step)
            .map(|d| ((u + d * s, v - d * c), h + d * rise))
            .take_while(|&((u, v), height)| within(u) && within(v) && height <= 1.0)
            .all(|(at, height)| self.drawn_at(at) <= height + SIGHT_TOLERANCE)
    }

    /// The height axis's ticks, as (height, f) (see [`height_ticks`]).
    pub(super) fn ticks(&self) -> &[(f64, f64)] {
        &self.ticks
    }

    /// The lowest and highest finite f sampled.
    pub(super) fn range(&self) -> Option<(f64, f64)> {
        let (lo, hi) = self
            .field
            .values
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        (lo <= hi).then_some((lo, hi))
    }

    /// `p` in the view box normalized to [0, 1]².
    pub(super) fn unit_square(&self, p: (f64, f64)) -> (f64, f64) {
        (
            (p.0 - self.view.x.0) / self.view.width(),
            (p.1 - self.view.y.0) / self.view.height(),
        )
    }

    /// Every quad, as i + j · side, from the farthest to the nearest for `camera`.
    pub(super) fn back_to_front(&self, camera: Camera) -> Vec<usize> {
        let n = self.side as f64;
        let depth = |cell: usize| {
            let (i, j) = (cell % self.side, cell / self.side);
            camera.depth(((i as f64 + 0.5) / n, (j as f64 + 0.5) / n))
        };
        let mut cells: Vec<(f64, usize)> =
            (0..self.side * self.side).map(|c| (depth(c), c)).collect();
        cells.sort_by(|a, b| b.0.total_cmp(&a.0));
        cells.into_iter().map(|(_, c)| c).collect()
    }
}

/// How far a path or a marker is lifted above the surface, as a fraction of the height
/// axis: a face is painted as one flat polygon through its four corners, which a
/// bilinear patch only approximates, and 1% keeps a line on the surface clear of the
/// faces around it.
pub const LIFT: f64 = 0.01;

/// How far above the view ray the drawn surface must rise to hide a point, as a
/// fraction of the height axis: two or three pixels on a screen.
const SIGHT_TOLERANCE: f64 = 2.0 * LIFT;
