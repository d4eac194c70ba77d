//! The 3-D view's box: its panels, the height axis on the map's scale of f and the x
//! and y axes along the floor.

use super::{at, Camera, Mesh, BASE, HEIGHT};
use crate::config::Error;
use crate::field;
use crate::render::axis::{decimal, steps_down, Axis, Scale};
use crate::render::{drawing, font, Layout};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged, ValueFormatter};
use plotters::coord::ranged3d::Cartesian3d;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::f64::consts::{FRAC_1_SQRT_2, FRAC_PI_2};
use std::ops::Range;

/// Room for the tick labels around the box, in CSS pixels.
const LABEL_ROOM: (f64, f64) = (52.0, 30.0);

/// The 3-D chart: x and y horizontal (as plotters' z and x), the height up.
pub(super) type Chart3d<'a, DB> = ChartContext<'a, DB, Cartesian3d<Axis, HeightAxis, Axis>>;

/// The height axis: f on the mesh's scale, its ticks at round values of f (see
/// [`height_ticks`]).
#[derive(Clone)]
pub(super) struct HeightAxis {
    ticks: Vec<(f64, f64)>,
}

impl Ranged for HeightAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let pixel = f64::from(limit.0) + v * f64::from(limit.1 - limit.0);
        if pixel.is_nan() {
            limit.0
        } else {
            pixel.round().clamp(-1e7, 1e7) as i32
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        self.ticks.iter().map(|t| t.0).collect()
    }

    fn range(&self) -> Range<f64> {
        0.0..1.0
    }
}

/// At most this many ticks on the height axis …
pub(super) const HEIGHT_TICKS: usize = 6;
/// … at least this far apart on it (as a fraction of its length).
pub(super) const HEIGHT_TICK_GAP: f64 = 0.1;

/// Ticks for f over [lo, hi] on the mesh's scale, as (height, f): round values taken
/// greedily, roundest first, where they are at least [`HEIGHT_TICK_GAP`] from every
/// tick taken. On the log scale, 0 and the powers of ten first (the decades of a loss
/// falling to its minimum), then multiples of 1-2-5 steps; on the linear scale, the
/// multiples of one 1-2-5 step, evenly spaced as the heights are.
pub(super) fn height_ticks(mesh: &Mesh, lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let largest = lo.abs().max(hi.abs());
    if !(hi > lo && largest.is_finite()) {
        return Vec::new();
    }
    let candidates = match mesh.scale() {
        field::Scale::Log => log_candidates(lo, hi),
        field::Scale::Linear => Axis::new(Scale::Linear, lo, hi)
            .map(|axis| axis.ticks(HEIGHT_TICKS))
            .unwrap_or_default(),
    };
    let mut ticks: Vec<(f64, f64)> = Vec::new();
    for v in candidates {
        let h = mesh.height(v);
        if ticks.iter().all(|t| (t.0 - h).abs() >= HEIGHT_TICK_GAP) {
            ticks.push((h, v));
            if ticks.len() == HEIGHT_TICKS {
                break;
            }
        }
    }
    ticks.sort_by(|a, b| a.0.total_cmp(&b.0));
    ticks
}

/// The ticks of `ticks` (as (height, f), sorted by height) that keep at least `gap` (a
/// fraction of the height axis) between each other, roundest first: 0, then the powers
/// of ten, then the rest, lowest first. On a small or steeply seen box the labels of a
/// log axis (0.1, 0.001, …) would otherwise print over each other.
pub(super) fn spaced(ticks: &[(f64, f64)], gap: f64) -> Vec<(f64, f64)> {
    let roundness = |f: f64| {
        if f == 0.0 {
            0
        } else if libm::log10(f.abs()).fract() == 0.0 {
            1
        } else {
            2
        }
    };
    let mut order = ticks.to_vec();
    order.sort_by_key(|t| roundness(t.1));
    let mut kept: Vec<(f64, f64)> = Vec::new();
    for t in order {
        if kept.iter().all(|k| (k.0 - t.0).abs() >= gap) {
            kept.push(t);
        }
    }
    kept.sort_by(|a, b| a.0.total_cmp(&b.0));
    kept
}

/// Round values in [lo, hi], roundest first: 0, the powers of ten, then the multiples
/// of 1-2-5 steps from the span's down (a saddle's negative values).
fn log_candidates(lo: f64, hi: f64) -> Vec<f64> {
    let within = |v: &f64| (lo..=hi).contains(v);
    let largest = lo.abs().max(hi.abs());
    let top = libm::log10(largest).ceil() as i32;
    let decades = (top - 20..=top)
        .rev()
        .flat_map(|e| [decimal(1, e), decimal(-1, e)]);
    let span_top = libm::log10(hi - lo).ceil() as i32;
    let multiples = steps_down(span_top, span_top - 6).flat_map(|(m, e)| {
        let step = decimal(m, e);
        let (first, last) = ((lo / step).ceil(), (hi / step).floor());
        let few = last - first <= 50.0 && first.abs() < 1e15 && last.abs() < 1e15;
        few.then(|| (first as i64..=last as i64).map(move |k| decimal(k * m, e)))
            .into_iter()
            .flatten()
    });
    std::iter::once(0.0)
        .chain(decades)
        .chain(multiples)
        .filter(within)
        .collect()
}

/// The box, its panels and its three axes, for `camera`, scaled so that it fits the
/// plot at any yaw (the box does not breathe while it turns).
pub(super) fn chart3d<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    layout: &Layout,
    mesh: &Mesh,
    camera: Camera,
) -> Result<Chart3d<'a, DB>, Error> {
    let view = mesh.view();
    let [left, top, right, bottom] = layout.plot;
    // The box's half extent at scale 1: its base's half diagonal across, at any yaw;
    // that, foreshortened by the pitch, and half the height, up and down.
    let half_diagonal = f64::from(BASE) * FRAC_1_SQRT_2;
    let across = half_diagonal;
    let up = half_diagonal * camera.pitch().sin() + f64::from(HEIGHT) / 2.0 * camera.pitch().cos();
    let room = |pixels: u32, css: f64| (f64::from(pixels) / 2.0 - layout.px(css)).max(1.0);
    let scale = (room(layout.plot_width(), LABEL_ROOM.0) / across)
        .min(room(layout.plot_height(), LABEL_ROOM.1) / up);
    // A label needs 1.4 lines of its type between ticks; the height axis stands
    // HEIGHT · scale · cos(pitch) pixels tall on the screen.
    let tall = f64::from(HEIGHT) * scale * camera.pitch().cos();
    let ticks = spaced(mesh.ticks(), 1.4 * layout.px(12.0) / tall.max(1.0));
    let x = Axis::new(Scale::Linear, view.x.0, view.x.1)?;
    let y = Axis::new(Scale::Linear, view.y.0, view.y.1)?;
    let mut chart = ChartBuilder::on(area)
        .margin_left(left)
        .margin_top(top)
        .margin_right(layout.width as i32 - right)
        .margin_bottom(layout.height as i32 - bottom)
        .build_cartesian_3d(
            y,
            HeightAxis {
                ticks: ticks.clone(),
            },
            x,
        )
        .map_err(drawing)?;
    chart.set_3d_pixel_range((BASE, HEIGHT, BASE));
    chart.with_projection(|mut projection| {
        // Plotters' yaw 0 looks along its z axis, our x: a quarter turn more looks
        // along our y.
        projection.yaw = camera.yaw() - FRAC_PI_2;
        projection.pitch = camera.pitch();
        projection.scale = scale;
        projection.into_matrix()
    });
    let heights = |h: &f64| {
        ticks
            .iter()
            .find(|t| t.0 == *h)
            .map_or_else(String::new, |t| crate::text::tick(t.1))
    };
    chart
        .configure_axes()
        .label_style(font(layout, 12.0))
        .tick_size(layout.px(5.0).round() as i32)
        // x and y are labelled by `floor_axes`.
        .x_labels(0)
        .z_labels(0)
        .axis_panel_style(RGBColor(240, 240, 240).filled())
        .bold_grid_style(
            BLACK
                .mix(0.15)
                .stroke_width(layout.px(1.0).round().max(1.0) as u32),
        )
        .y_formatter(&heights)
        .draw()
        .map_err(drawing)?;
    floor_axes(
        &mut chart,
        layout,
        (&x, &y),
        camera,
        f64::from(BASE) * scale,
    )?;
    Ok(chart)
}

/// How far from an end of a horizontal axis its first labelled tick may be, as a
/// fraction of it: the x and y axes meet at the box's nearest corner, where their end
/// labels would print over each other.
const END_CLEARANCE: f64 = 0.08;

/// The x and y axes along the floor's two edges nearest the camera, whatever its yaw
/// (plotters' own choice of edge can fall on the far side of the box, behind the
/// surface): ticks, labels, and the axis's name beyond them — once the box turns, the
/// ranges alone may not tell x from y.
fn floor_axes<DB: DrawingBackend>(
    chart: &mut Chart3d<DB>,
    layout: &Layout,
    (x, y): (&Axis, &Axis),
    camera: Camera,
    side: f64,
) -> Result<(), Error> {
    // Out of the box, as fractions of the other axis (`side` pixels long on the screen):
    // tick ends, labels, names; the labels a line of their type out at least, the names
    // two, and a tick every five lines' worth of the axis at most.
    let line = layout.px(12.0) / side.max(1.0);
    const TICK: f64 = 0.025;
    let label_out = (1.2 * line).max(0.07);
    let name_out = label_out + (1.6 * line).max(0.08);
    let count = ((1.0 / (5.0 * line)).floor() as usize).clamp(2, 5);
    let (s, c) = camera.yaw().sin_cos();
    let (xs, ys) = (x.bounds(), y.bounds());
    // The near edge of the other axis, and the way out of the box from it.
    let y_edge = if c >= 0.0 { (ys.0, -1.0) } else { (ys.1, 1.0) };
    let x_edge = if s >= 0.0 { (xs.1, 1.0) } else { (xs.0, -1.0) };
    let out_y = |k: f64| y_edge.0 + y_edge.1 * k * (ys.1 - ys.0);
    let out_x = |k: f64| x_edge.0 + x_edge.1 * k * (xs.1 - xs.0);
    let label = font(layout, 12.0).pos(Pos::new(HPos::Center, VPos::Center));
    let name = font(layout, 14.0).pos(Pos::new(HPos::Center, VPos::Center));
    let stroke = BLACK
        .mix(0.8)
        .stroke_width(layout.px(1.0).round().max(1.0) as u32);
    let clear =
        |axis: &Axis, v: &f64| (END_CLEARANCE..=1.0 - END_CLEARANCE).contains(&axis.fraction(*v));
    let mut elements: Vec<DynElement<DB, (f64, f64, f64)>> = vec![
        PathElement::new(
            vec![at((xs.0, y_edge.0), 0.0), at((xs.1, y_edge.0), 0.0)],
            stroke,
        )
        .into_dyn(),
        PathElement::new(
            vec![at((x_edge.0, ys.0), 0.0), at((x_edge.0, ys.1), 0.0)],
            stroke,
        )
        .into_dyn(),
        Text::new(
            "x",
            at(((xs.0 + xs.1) / 2.0, out_y(name_out)), 0.0),
            name.clone(),
        )
        .into_dyn(),
        Text::new("y", at((out_x(name_out), (ys.0 + ys.1) / 2.0), 0.0), name).into_dyn(),
    ];
    for v in x.ticks(count).into_iter().filter(|v| clear(x, v)) {
        elements.push(
            PathElement::new(
                vec![at((v, y_edge.0), 0.0), at((v, out_y(TICK)), 0.0)],
                stroke,
            )
            .into_dyn(),
        );
        elements.push(
            Text::new(
                Axis::format(&v),
                at((v, out_y(label_out)), 0.0),
                label.clone(),
            )
            .into_dyn(),
        );
    }
    for v in y.ticks(count).into_iter().filter(|v| clear(y, v)) {
        elements.push(
            PathElement::new(
                vec![at((x_edge.0, v), 0.0), at((out_x(TICK), v), 0.0)],
                stroke,
            )
            .into_dyn(),
        );
        elements.push(
            Text::new(
                Axis::format(&v),
                at((out_x(label_out), v), 0.0),
                label.clone(),
            )
            .into_dyn(),
        );
    }
    chart.draw_series(elements).map_err(drawing)?;
    Ok(())
}
