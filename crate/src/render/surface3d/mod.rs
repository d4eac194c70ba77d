//! The surface in perspective: a shaded mesh of f over the view box, its height on the
//! map's own scale (log, or linear where f is unbounded below: [`crate::field::Scale`]),
//! with the paths lifted onto it — the 3-D view of A. Radford's optimizer animations,
//! drawn by plotters' 3-D chart like every other picture.
//!
//! Hidden surfaces go by the painter's algorithm: the faces are painted from the back to
//! the front, ordered by the depth of their footprint on the (x, y) plane. For a height
//! field seen from above that order is exact: a point can only hide a point behind it
//! along the horizontal view direction, since the view ray climbs towards the camera.
//! What lies on the surface — paths, heads, critical points — is painted over it, faint
//! where the view ray from it to the camera passes under the surface.

mod axes;
mod camera;
mod mesh;
#[cfg(test)]
mod tests;

pub use camera::{Camera, CameraDegrees, CAMERA_DEGREES};
pub use mesh::{Mesh, MESH_SIDE};

use super::clip::{clip_polyline, decimate, inside};
use super::{drawing, font, Layout, LegendStyle, Margins, PathStyle};
use crate::config::Error;
use crate::field::colour;
use crate::surface::{CriticalKind, Point, Surface, ViewBox};
use axes::{chart3d, Chart3d};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::f64::consts::FRAC_1_SQRT_2;

/// Cube coordinates (before plotters scales them to pixels): a square base, the height
/// 0.4 of its side. On the log scale valleys have steep walls, and a taller box would
/// hide their floors, where the races run, from the default camera.
pub(super) const BASE: i32 = 1000;
pub(super) const HEIGHT: i32 = 400;

/// Light on the faces: a constant part and a Lambert part, cos of the angle between the
/// face's normal and the direction of the light (over the camera's left shoulder, 55°
/// above the horizon), so that slopes read.
const AMBIENT: f64 = 0.55;
const DIFFUSE: f64 = 0.45;

/// The margins of a 3-D view: the box is centred in what they leave.
pub const MARGINS_3D: Margins = Margins {
    left: 8.0,
    top: 8.0,
    right: 8.0,
    bottom: 8.0,
};

/// The chart's coordinates of a point at height h: plotters' 3-D charts stand on their
/// x–z plane with y up, and (y, h, x) keeps the surface's axes right-handed.
pub(super) fn at(p: (f64, f64), h: f64) -> (f64, f64, f64) {
    (p.1, h, p.0)
}

/// The block's sides under the surface: a light grey, so that only the surface carries
/// colour.
const WALL: [u8; 3] = [226, 226, 226];

/// `colour` darkened by the light on a face with `normal`: [`AMBIENT`] + [`DIFFUSE`] ·
/// max(0, n · l), l the unit vector towards the light.
fn lit([r, g, b]: [u8; 3], normal: [f64; 3], light: [f64; 3]) -> RGBColor {
    let length = (normal[0].powi(2) + normal[1].powi(2) + normal[2].powi(2)).sqrt();
    let lambert = if length > 0.0 {
        (normal[0] * light[0] + normal[1] * light[1] + normal[2] * light[2]) / length
    } else {
        1.0
    };
    let k = AMBIENT + DIFFUSE * lambert.max(0.0);
    let scale = |c: u8| (f64::from(c) * k).round() as u8;
    RGBColor(scale(r), scale(g), scale(b))
}

/// The unit vector towards the light: over the camera's left shoulder, 55° up, in the
/// unit square's coordinates (u along x, v along y, up).
fn light(camera: Camera) -> [f64; 3] {
    let (s, c) = camera.yaw().sin_cos();
    let towards_camera = (s, -c);
    let left = (-c, -s);
    let elevation = 55f64.to_radians();
    let horizontal = elevation.cos() * FRAC_1_SQRT_2;
    [
        horizontal * (towards_camera.0 + left.0),
        horizontal * (towards_camera.1 + left.1),
        elevation.sin(),
    ]
}

/// A stretch of a path's line on the surface, in chart coordinates: wholly in sight of
/// the camera, or wholly out of it.
struct Stretch {
    path: usize,
    in_sight: bool,
    points: Vec<(f64, f64, f64)>,
}

/// Each path up to iterate `upto`, clipped to the view box and lifted onto the surface
/// (see [`Mesh::lifted`]), in stretches in and out of the camera's sight (see
/// [`Mesh::in_sight`]). A straight step between two iterates is drawn through points
/// every half a face apart, each at its own f, so the line follows the surface over a
/// ridge rather than cutting through it; iterates piled within an eighth of a face of
/// each other are one.
fn stretches(
    (surface, mesh): (&dyn Surface, &Mesh),
    paths: &[PathStyle],
    upto: usize,
    camera: Camera,
) -> Vec<Stretch> {
    let view = mesh.view();
    let n = mesh.side() as f64;
    // A point in face widths from the corner (x_min, y_min).
    let faces = |p: (f64, f64)| {
        let (u, v) = mesh.unit_square(p);
        (u * n, v * n)
    };
    let mut out: Vec<Stretch> = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        let shown = &path.points[..path.points.len().min(upto.saturating_add(1))];
        let line: Vec<(f64, f64)> = shown.iter().map(|p| (p[0], p[1])).collect();
        let line = decimate(&line, faces, 1.0 / 8.0);
        for run in clip_polyline(&view, &line) {
            let mut dense = vec![run[0]];
            for pair in run.windows(2) {
                let (a, b) = (faces(pair[0]), faces(pair[1]));
                let cuts = (2.0 * (b.0 - a.0).abs().max((b.1 - a.1).abs()))
                    .ceil()
                    .clamp(1.0, 4.0 * n) as usize;
                dense.extend((1..=cuts).map(|k| {
                    let t = k as f64 / cuts as f64;
                    let (p, q) = (pair[0], pair[1]);
                    (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1))
                }));
            }
            let mut current: Option<Stretch> = None;
            for p in dense {
                let h = mesh.lifted(surface, p);
                let (point, in_sight) = (at(p, h), mesh.in_sight(p, h, camera));
                match &mut current {
                    Some(s) if s.in_sight == in_sight => s.points.push(point),
                    _ => {
                        // Each stretch starts where the last one ended, so they join.
                        let last = current.as_ref().and_then(|s| s.points.last().copied());
                        out.extend(current.take());
                        current = Some(Stretch {
                            path: index,
                            in_sight,
                            points: last.into_iter().chain([point]).collect(),
                        });
                    }
                }
            }
            out.extend(current);
        }
    }
    out
}

/// The 3-D view of `mesh`, filling the whole area: a box with the height axis on f's log
/// scale; the surface as the mesh's shaded faces painted from back to front on a block
/// with light grey sides (a face turned away from the camera is hidden by the surface
/// in front of it, and not painted); then each path up to iterate `upto`, the critical
/// points and each path's head in its method's shape (a divergence as a red-ringed
/// cross at the last finite iterate), each faint where the surface hides it from the
/// camera, so that a race can be followed behind a hill; and a legend of the paths'
/// labels when they have some.
pub fn surface3d<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    surface: &dyn Surface,
    mesh: &Mesh,
    paths: &[PathStyle],
    upto: usize,
    camera: Camera,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let mut chart = chart3d(area, layout, mesh, camera)?;
    let light = light(camera);
    let faces = mesh
        .back_to_front(camera)
        .into_iter()
        .filter_map(|cell| face(mesh, cell, camera, light));
    chart
        .draw_series(faces.chain(walls(mesh, camera, light)))
        .map_err(drawing)?;
    let width = layout.px(2.5).round().max(1.0) as u32;
    let mut stretches = stretches((surface, mesh), paths, upto, camera);
    // The hidden stretches first, under the ones in sight.
    stretches.sort_by_key(|s| s.in_sight);
    chart
        .draw_series(stretches.into_iter().map(|s| {
            let opacity = if s.in_sight { 1.0 } else { HIDDEN };
            let colour = paths[s.path].colour.mix(opacity);
            PathElement::new(s.points, colour.stroke_width(width))
        }))
        .map_err(drawing)?;
    critical_points(&mut chart, layout, (surface, mesh), camera)?;
    heads(&mut chart, layout, (surface, mesh), (paths, upto), camera)?;
    legend(&mut chart, layout, paths)
}

/// Face `cell` of the mesh as painted: the heatmap's colour of its mean height, lit;
/// `None` if it is turned away from the camera (n · w < 0, w towards the camera).
fn face(
    mesh: &Mesh,
    cell: usize,
    camera: Camera,
    light: [f64; 3],
) -> Option<Polygon<(f64, f64, f64)>> {
    let side = mesh.side();
    let (i, j) = (cell % side, cell / side);
    let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)].map(|(a, b)| mesh.vertex(a, b));
    let normal = normal(mesh, corners);
    let (s, c) = camera.yaw().sin_cos();
    let (sp, cp) = camera.pitch().sin_cos();
    let towards = [s * cp, -c * cp, sp];
    if (0..3).map(|k| normal[k] * towards[k]).sum::<f64>() < 0.0 {
        return None;
    }
    let unit = corners.iter().map(|c| c.1).sum::<f64>() / 4.0;
    let polygon: Vec<(f64, f64, f64)> = corners.iter().map(|(p, h)| at((p[0], p[1]), *h)).collect();
    Some(Polygon::new(
        polygon,
        lit(colour(unit), normal, light).filled(),
    ))
}

/// A face's normal n = (P₂ − P₀) × (P₃ − P₁), its corners P in the unit square with
/// heights scaled as drawn (so that angles are the drawing's); upwards.
fn normal(mesh: &Mesh, corners: [(Point, f64); 4]) -> [f64; 3] {
    let ratio = f64::from(HEIGHT) / f64::from(BASE);
    let position = |(p, h): (Point, f64)| {
        let (u, v) = mesh.unit_square((p[0], p[1]));
        [u, v, h * ratio]
    };
    let [p0, p1, p2, p3] = corners.map(position);
    let d = [p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]];
    let e = [p3[0] - p1[0], p3[1] - p1[1], p3[2] - p1[2]];
    [
        d[1] * e[2] - d[2] * e[1],
        d[2] * e[0] - d[0] * e[2],
        d[0] * e[1] - d[1] * e[0],
    ]
}

/// The sides of the block under the surface that face the camera, each one polygon from
/// the surface's edge down to the floor, light grey, lit as upright faces: without them
/// the underside of a surface rising towards the camera would show through its front
/// edge. They are nearer than every face, so they are painted last.
fn walls(
    mesh: &Mesh,
    camera: Camera,
    light: [f64; 3],
) -> impl Iterator<Item = Polygon<(f64, f64, f64)>> + '_ {
    let n = mesh.side();
    let (s, c) = camera.yaw().sin_cos();
    // Each side: its outward normal, its first vertex and the step to the next.
    let sides = [
        ((0.0, -1.0), (0, 0), (1, 0)),
        ((1.0, 0.0), (n, 0), (0, 1)),
        ((0.0, 1.0), (0, n), (1, 0)),
        ((-1.0, 0.0), (0, 0), (0, 1)),
    ];
    sides
        .into_iter()
        // Facing the camera, which lies towards (sin yaw, −cos yaw).
        .filter(move |(normal, _, _)| normal.0 * s - normal.1 * c > 0.0)
        .map(move |(normal, first, step)| {
            // The surface's profile along the side, then back along the floor.
            let edge: Vec<(Point, f64)> = (0..=n)
                .map(|k| mesh.vertex(first.0 + k * step.0, first.1 + k * step.1))
                .collect();
            let top = edge.iter().map(|(p, h)| at((p[0], p[1]), *h));
            let floor = [edge[n], edge[0]].map(|(p, _)| at((p[0], p[1]), 0.0));
            let fill = lit(WALL, [normal.0, normal.1, 0.0], light);
            Polygon::new(top.chain(floor).collect::<Vec<_>>(), fill.filled())
        })
}

/// How opaque a marker is where the surface hides it: still there, so a race can be
/// followed behind a hill, but plainly behind it.
const HIDDEN: f64 = 0.35;

/// Where a marker at `p` goes on the surface, and how opaque it is: 1 in sight of the
/// camera, [`HIDDEN`] out of it; `None` outside the view box.
fn placed(
    (surface, mesh): (&dyn Surface, &Mesh),
    p: Point,
    camera: Camera,
) -> Option<((f64, f64, f64), f64)> {
    let p = (p[0], p[1]);
    if !inside(&mesh.view(), p) {
        return None;
    }
    let h = mesh.lifted(surface, p);
    let opacity = if mesh.in_sight(p, h, camera) {
        1.0
    } else {
        HIDDEN
    };
    Some((at(p, h), opacity))
}

/// Minima as white discs ringed in black with a black centre, saddle points as black
/// crosses, as on the map, on the surface.
fn critical_points<DB: DrawingBackend>(
    chart: &mut Chart3d<DB>,
    layout: &Layout,
    on: (&dyn Surface, &Mesh),
    camera: Camera,
) -> Result<(), Error> {
    let size = layout.px(4.5).round() as i32;
    let stroke = layout.px(1.5).round().max(1.0) as u32;
    for c in on.0.critical_points() {
        let Some((at, opacity)) = placed(on, c.point, camera) else {
            continue;
        };
        let (white, black) = (WHITE.mix(opacity), BLACK.mix(opacity));
        match c.kind {
            CriticalKind::Minimum => chart
                .draw_series([EmptyElement::at(at)
                    + Circle::new((0, 0), size, white.filled())
                    + Circle::new((0, 0), size, black.stroke_width(stroke))
                    + Circle::new((0, 0), size / 3, black.filled())])
                .map(|_| ()),
            CriticalKind::Saddle => chart
                .draw_series([Cross::new(at, size, black.stroke_width(stroke))])
                .map(|_| ()),
        }
        .map_err(drawing)?;
    }
    Ok(())
}

/// Each path's head at iterate `upto` in its method's shape, large while a race is under
/// way and small at the end of a whole run; a diverged run's last finite iterate as a
/// red-ringed cross.
fn heads<DB: DrawingBackend>(
    chart: &mut Chart3d<DB>,
    layout: &Layout,
    on: (&dyn Surface, &Mesh),
    (paths, upto): (&[PathStyle], usize),
    camera: Camera,
) -> Result<(), Error> {
    let px = |css: f64| layout.px(css).round().max(1.0);
    for path in paths {
        let shown = &path.points[..path.points.len().min(upto.saturating_add(1))];
        let Some((at, opacity)) = shown.last().and_then(|&p| placed(on, p, camera)) else {
            continue;
        };
        let white = WHITE.mix(opacity);
        let complete = shown.len() == path.points.len();
        if complete && path.diverged {
            let red = RGBColor(200, 0, 0).mix(opacity);
            let (ring, cross, stroke) = (px(7.0) as i32, px(4.0) as i32, px(2.0) as u32);
            chart
                .draw_series([EmptyElement::at(at)
                    + Circle::new((0, 0), ring, white.filled())
                    + Circle::new((0, 0), ring, red.stroke_width(stroke))
                    + Cross::new((0, 0), cross, red.stroke_width(stroke))])
                .map_err(drawing)?;
        } else {
            // The method's marker (see `render::marker`), as opaque as it is in sight.
            let (r, edge) = if complete { (4.5, 1.5) } else { (7.0, 2.0) };
            let (r, edge) = (layout.px(r), layout.px(edge));
            chart
                .draw_series([EmptyElement::at(at)
                    + Polygon::new(path.shape.vertices(r + edge, (0, 0)), white.filled())
                    + Polygon::new(
                        path.shape.vertices(r, (0, 0)),
                        path.colour.mix(opacity).filled(),
                    )])
                .map_err(drawing)?;
        }
    }
    Ok(())
}

/// A legend of the paths' labels, as the map's: a stretch of line with the method's
/// marker on it (with plotters' default room for the samples and margin, 30 and 10
/// pixels).
fn legend<'c, DB: DrawingBackend + 'c>(
    chart: &mut Chart3d<'c, DB>,
    layout: &Layout,
    paths: &[PathStyle],
) -> Result<(), Error> {
    let entries = super::paths::labelled(paths, layout);
    if entries.is_empty() {
        return Ok(());
    }
    let style = LegendStyle {
        position: SeriesLabelPosition::UpperRight,
        sample_width: 30,
        margin: 10,
        font: font(layout, 12.0),
        background: WHITE.mix(0.85).into(),
        border: BLACK.mix(0.4).into(),
    };
    super::legend(&chart.plotting_area().strip_coord_spec(), &entries, &style)
}

/// The whole 3-D figure of `surface` over `view` from `camera`: the mesh sampled, then
/// [`surface3d`] with every path whole.
pub fn figure3d<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    surface: &dyn Surface,
    view: &ViewBox,
    paths: &[PathStyle],
    camera: Camera,
) -> Result<(), Error> {
    let mesh = Mesh::sample(surface, *view, MESH_SIDE);
    surface3d(area, layout, surface, &mesh, paths, usize::MAX, camera)
}
