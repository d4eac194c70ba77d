//! The network lab's pictures: the decision map behind the data (for one input, the
//! fitted curve, a Gaussian's bands or a mixture's density), the network with its
//! weights, and the training curves.

use super::axis::{Axis, Scale};
use super::chart::{axes, iterations};
use super::{builder, chart, drawing, font, legend, Layout, LegendStyle, Sample, PALETTE};
use crate::config::Error;
use crate::lab::network::DataPoint;
use crate::nn::landscape::Direction;
use crate::nn::network::Architecture;
use crate::nn::notation;
use crate::nn::train::{EpochRecord, Watched};
use crate::nn::values::LayerValues;
use crate::surface::ViewBox;
use plotters::coord::Shift;
use plotters::element::{DashedPathElement, IntoDynElement};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One colour per class (up to 8): the paths' palette without its black, which a map
/// cannot blend well.
pub const CLASS_COLOURS: [RGBColor; 8] = [
    PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5], PALETTE[7], PALETTE[8],
];

/// The decision map as RGBA, from the network's outputs on a grid (its cells row by
/// row from the top): the class colours blended by probability, Σ p_c colour_c,
/// faded towards white as confidence drops — c = (max p − 1/K) / (1 − 1/K), so a point
/// the network cannot decide on is white. One sigmoid unit counts as K = 2 with
/// p = (1 − f, f).
pub fn decision_rgba(outputs: &LayerValues) -> Vec<u8> {
    let mut pixels = Vec::with_capacity(outputs.samples() * 4);
    let binary = outputs.units() == 1;
    let k = outputs.units().max(2);
    for i in 0..outputs.samples() {
        let p = |c: usize| match (binary, c) {
            (true, 0) => 1.0 - outputs.get(i, 0),
            (true, _) => outputs.get(i, 0),
            _ => outputs.get(i, c),
        };
        let (mut rgb, mut top) = ([0.0; 3], 0.0_f64);
        for (c, colour) in CLASS_COLOURS.iter().enumerate().take(k) {
            let pc = p(c);
            top = top.max(pc);
            for (channel, value) in rgb.iter_mut().zip([colour.0, colour.1, colour.2]) {
                *channel += pc * value as f64;
            }
        }
        let uniform = 1.0 / k as f64;
        let confidence = ((top - uniform) / (1.0 - uniform)).clamp(0.0, 1.0) * 0.75;
        for value in rgb {
            let v = 255.0 * (1.0 - confidence) + value * confidence;
            pixels.push(v.round_ties_even().clamp(0.0, 255.0) as u8);
        }
        pixels.push(255);
    }
    pixels
}

/// A heat colour for one hidden unit's activation h ∈ [lo, hi]: orange below the
/// middle, blue above, white at it.
pub fn unit_rgba(values: &[f64], lo: f64, hi: f64) -> Vec<u8> {
    let mid = 0.5 * (lo + hi);
    let half = (0.5 * (hi - lo)).max(1e-12);
    let mut pixels = Vec::with_capacity(values.len() * 4);
    for &v in values {
        let t = ((v - mid) / half).clamp(-1.0, 1.0);
        let target = if t >= 0.0 {
            CLASS_COLOURS[0]
        } else {
            CLASS_COLOURS[1]
        };
        let a = t.abs() * 0.85;
        for c in [target.0, target.1, target.2] {
            pixels.push((255.0 * (1.0 - a) + c as f64 * a).round_ties_even() as u8);
        }
        pixels.push(255);
    }
    pixels
}

/// The data over the map (drawn before by the caller): filled discs for training points,
/// rings for validation points, each in its class colour with a white edge.
pub fn data_points<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    points: &[DataPoint],
    highlight: Option<usize>,
) -> Result<(), Error> {
    let mut chart = chart(area, layout, view)?;
    let r = layout.px(3.5).round() as i32;
    let edge = layout.px(1.0).round().max(1.0) as u32;
    let colour = |p: &DataPoint| {
        p.class
            .map_or(BLACK, |c| CLASS_COLOURS[c % CLASS_COLOURS.len()])
    };
    chart
        .draw_series(points.iter().filter(|p| !p.validation).flat_map(|p| {
            [
                Circle::new(p.at, r + edge as i32, WHITE.filled()),
                Circle::new(p.at, r, colour(p).filled()),
            ]
        }))
        .map_err(drawing)?;
    chart
        .draw_series(points.iter().filter(|p| p.validation).flat_map(|p| {
            [
                Circle::new(p.at, r + edge as i32, WHITE.filled()),
                Circle::new(p.at, r, colour(p).stroke_width(2 * edge)),
            ]
        }))
        .map_err(drawing)?;
    if let Some(p) = highlight.and_then(|i| points.get(i)) {
        chart
            .draw_series([Circle::new(p.at, 3 * r, BLACK.stroke_width(2 * edge))])
            .map_err(drawing)?;
    }
    Ok(())
}

/// Regression: the fitted function f(x) over the data.
pub fn fitted_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    curve: &[(f64, f64)],
) -> Result<(), Error> {
    let mut chart = chart(area, layout, view)?;
    let clipped: Vec<(f64, f64)> = curve
        .iter()
        .map(|&(x, y)| (x, y.clamp(view.y.0, view.y.1)))
        .collect();
    chart
        .draw_series([PathElement::new(
            clipped,
            BLACK.stroke_width(layout.px(2.5).round() as u32),
        )])
        .map_err(drawing)?;
    Ok(())
}

/// The bands' and the mean's colour: the first class colour.
const BAND: RGBColor = CLASS_COLOURS[0];

/// A gaussian output over the data: the bands μ ± 2σ and μ ± σ filled, translucent (the
/// inner one darker, where about 68% of y should fall, 95% within the outer), then the
/// mean μ(x) on top, and a legend naming the three in the corner they leave free.
pub fn gaussian_bands<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    (x, mean, deviation): (&[f64], &[f64], &[f64]),
) -> Result<(), Error> {
    let mut chart = chart(area, layout, view)?;
    let inside = |y: f64| y.clamp(view.y.0, view.y.1);
    // The band between μ − cσ and μ + cσ, clamped to the view: its visible part.
    let band = |c: f64| -> Vec<(f64, f64)> {
        let upper = x
            .iter()
            .zip(mean)
            .zip(deviation)
            .map(|((&x, &m), &s)| (x, inside(m + c * s)));
        let lower = x
            .iter()
            .zip(mean)
            .zip(deviation)
            .map(|((&x, &m), &s)| (x, inside(m - c * s)));
        let lower: Vec<_> = lower.collect();
        upper
            .chain(lower.into_iter().rev())
            .filter(|p| p.1.is_finite())
            .collect()
    };
    let swatch = layout.px(6.0) as i32;
    let w = layout.px(24.0) as i32;
    for (c, opacity, label) in [(2.0, 0.15, "μ ± 2σ"), (1.0, 0.3, "μ ± σ")] {
        let fill = BAND.mix(opacity).filled();
        chart
            .draw_series([Polygon::new(band(c), fill)])
            .map_err(drawing)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - swatch), (x + w, y + swatch)], fill));
    }
    let line = BLACK.stroke_width(layout.px(2.5).round() as u32);
    let curve: Vec<(f64, f64)> = x.iter().zip(mean).map(|(&x, &m)| (x, inside(m))).collect();
    chart
        .draw_series([PathElement::new(curve.clone(), line)])
        .map_err(drawing)?
        .label("mean μ(x)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + w, y)], line));
    let spread: Vec<(f64, f64)> = (0..x.len())
        .flat_map(|i| [-2.0, 0.0, 2.0].map(|c| (x[i], mean[i] + c * deviation[i])))
        .collect();
    map_legend(&mut chart, layout, view, &spread)
}

/// A mixture's density p(y | x) as RGBA, from [`crate::lab::network::Fit::Density`]'s
/// cells (each column scaled to its largest value, rows from the top): colorous's
/// sequential Blues, whose lightness falls steadily with the density, white where
/// there is none — so that, as on the decision map, the data and the lines drawn on
/// top stay readable, and each x's likeliest values of y stand out however spread.
pub fn density_rgba(cells: &[f64]) -> Vec<u8> {
    let mut pixels = Vec::with_capacity(cells.len() * 4);
    for &p in cells {
        let c = colorous::BLUES.eval_continuous(if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        });
        pixels.extend_from_slice(&[c.r, c.g, c.b, 255]);
    }
    pixels
}

/// The squared-error companion's colour: the second class colour, far from the Blues.
const SQUARED_ERROR: RGBColor = CLASS_COLOURS[1];

/// Over a mixture's density (its `side` × `side` cells, as [`density_rgba`] takes them):
/// the squared-error network's f(x) dashed, on a white halo, and a legend naming the
/// density and the line, where neither the line nor the denser half of the cells is.
pub fn mixture_overlay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    (side, cells): (usize, &[f64]),
    curve: &[(f64, f64)],
) -> Result<(), Error> {
    let mut chart = chart(area, layout, view)?;
    let w = layout.px(24.0) as i32;
    let swatch = layout.px(6.0) as i32;
    let c = colorous::BLUES.eval_continuous(0.8);
    let shade = RGBColor(c.r, c.g, c.b);
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
        .map_err(drawing)?
        .label("mixture density p(y | x)")
        .legend(move |(x, y)| {
            Rectangle::new([(x, y - swatch), (x + w, y + swatch)], shade.filled())
        });
    let visible: Vec<(f64, f64)> = curve
        .iter()
        .map(|&(x, y)| (x, y.clamp(view.y.0, view.y.1)))
        .filter(|p| p.1.is_finite())
        .collect();
    let stroke = layout.px(2.5).round() as u32;
    let (dash, gap) = (layout.px(8.0) as u32, layout.px(5.0) as u32);
    let halo = WHITE.stroke_width(stroke + 2 * layout.px(1.5).round() as u32);
    let dashed = SQUARED_ERROR.stroke_width(stroke);
    chart
        .draw_series([PathElement::new(visible.clone(), halo)])
        .map_err(drawing)?;
    chart
        .draw_series(DashedLineSeries::new(visible, dash, gap, dashed))
        .map_err(drawing)?
        .label("squared error f(x)")
        .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + w, y)], dash, gap, dashed));
    let side = side.max(1);
    let dense = cells
        .iter()
        .enumerate()
        .filter(|(_, &p)| p > 0.5)
        .map(|(i, _)| {
            let (column, row) = ((i % side) as f64 + 0.5, (i / side) as f64 + 0.5);
            let fraction = side as f64;
            (
                view.x.0 + column / fraction * view.width(),
                view.y.1 - row / fraction * view.height(),
            )
        });
    let avoid: Vec<(f64, f64)> = curve.iter().copied().chain(dense).collect();
    map_legend(&mut chart, layout, view, &avoid)
}

/// The map's legend, in the corner of the plot where the fewest of `points` fall.
fn map_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut super::Chart<'a, DB>,
    layout: &Layout,
    view: &ViewBox,
    points: &[(f64, f64)],
) -> Result<(), Error> {
    let corner = quiet_corner(points.iter().map(|&(x, y)| {
        (
            (x - view.x.0) / view.width(),
            (y - view.y.0) / view.height(),
        )
    }));
    chart
        .configure_series_labels()
        .position(corner)
        .margin(layout.px(4.0) as u32)
        .legend_area_size(layout.px(28.0) as u32)
        .label_font(font(layout, 11.0))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(drawing)
}

/// Where the network diagram puts unit `j` of layer `l` (layer 0 is the input), in
/// device pixels, and the side of a unit's square; a band along the top holds each
/// column's name.
pub struct Diagram {
    pub columns: Vec<usize>,
    /// x, then each hidden layer's h, then f(x) ([`notation::column_names`]).
    pub names: Vec<String>,
    pub width: f64,
    pub height: f64,
    pub unit: f64,
    /// The height of the band of names, above every unit.
    pub band: f64,
}

/// Units drawn per layer at most; wider layers show their first ones.
pub const MAX_DRAWN_UNITS: usize = 12;

/// The names' size in CSS pixels, and their band's height.
const NAME_SIZE: f64 = 13.0;
const NAME_BAND: f64 = 20.0;

impl Diagram {
    pub fn new(architecture: &Architecture, layout: &Layout) -> Diagram {
        let (width, height) = (f64::from(layout.width), f64::from(layout.height));
        let band = layout.px(NAME_BAND).min(height / 4.0);
        let mut columns = vec![architecture.inputs()];
        columns.extend(architecture.layers.iter().map(|l| l.outputs));
        let columns: Vec<usize> = columns
            .into_iter()
            .map(|c| c.min(MAX_DRAWN_UNITS))
            .collect();
        let tallest = columns.iter().copied().max().unwrap_or(1) as f64;
        let unit = ((height - band) / (tallest * 1.5))
            .min(width / (columns.len() as f64 * 2.5))
            .min(64.0);
        Diagram {
            columns,
            names: notation::column_names(architecture),
            width,
            height,
            unit,
            band,
        }
    }

    /// Centre of unit `j` in column `l`.
    pub fn centre(&self, l: usize, j: usize) -> (f64, f64) {
        let n = self.columns.len() as f64;
        let x = (l as f64 + 0.5) * self.width / n;
        let count = self.columns[l] as f64;
        let middle = self.band + (self.height - self.band) / 2.0;
        let y = middle + (j as f64 - (count - 1.0) / 2.0) * self.unit * 1.5;
        (x, y)
    }

    /// The parameter drawn under device pixel (u, v): the square of unit j of column
    /// l ≥ 1 is its bias bˡ⁻¹[j] (layers counted from 0 for the first hidden one); an
    /// edge within 4 CSS pixels of its line is the weight Wˡ[i, j] from unit j of column
    /// l to unit i of column l + 1 (the nearest, where edges meet); None elsewhere, and
    /// on an input, which has no bias.
    pub fn parameter_at(&self, layout: &Layout, (u, v): (f64, f64)) -> Option<Direction> {
        let half = self.unit / 2.0;
        for (l, &count) in self.columns.iter().enumerate() {
            for j in 0..count {
                let (x, y) = self.centre(l, j);
                if (u - x).abs() <= half && (v - y).abs() <= half {
                    return l
                        .checked_sub(1)
                        .map(|layer| Direction::Bias { layer, row: j });
                }
            }
        }
        let reach = layout.px(4.0);
        let mut nearest: Option<(f64, Direction)> = None;
        for layer in 0..self.columns.len() - 1 {
            for row in 0..self.columns[layer + 1] {
                for column in 0..self.columns[layer] {
                    let from = self.centre(layer, column);
                    let to = self.centre(layer + 1, row);
                    let distance = segment_distance((u, v), from, to);
                    if distance <= reach && nearest.is_none_or(|(d, _)| distance < d) {
                        let weight = Direction::Weight { layer, row, column };
                        nearest = Some((distance, weight));
                    }
                }
            }
        }
        nearest.map(|(_, weight)| weight)
    }
}

/// The distance from p to the segment a–b.
fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length_squared = dx * dx + dy * dy;
    let t = if length_squared > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length_squared).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

/// Edges coloured by sign (blue positive, orange negative) and as wide as |w| relative
/// to the largest weight, then the units as framed squares the caller fills with each
/// unit's output map.
pub fn network_edges<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    diagram: &Diagram,
    architecture: &Architecture,
    theta: &[f64],
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let largest = (0..architecture.layers.len())
        .map(|l| architecture.weights(theta, l).amax())
        .fold(1e-12, f64::max);
    for (l, _) in architecture.layers.iter().enumerate() {
        let w = architecture.weights(theta, l);
        for i in 0..diagram.columns[l + 1] {
            for j in 0..diagram.columns[l] {
                let weight = w[(i, j)];
                let (x0, y0) = diagram.centre(l, j);
                let (x1, y1) = diagram.centre(l + 1, i);
                let colour = if weight >= 0.0 {
                    CLASS_COLOURS[0]
                } else {
                    CLASS_COLOURS[1]
                };
                let strength = (weight.abs() / largest).sqrt();
                let width = (layout.px(0.5) + layout.px(4.0) * strength)
                    .round()
                    .max(1.0) as u32;
                area.draw(&PathElement::new(
                    vec![(x0 as i32, y0 as i32), (x1 as i32, y1 as i32)],
                    colour.mix(0.25 + 0.75 * strength).stroke_width(width),
                ))
                .map_err(drawing)?;
            }
        }
    }
    let half = diagram.unit / 2.0;
    for (l, &count) in diagram.columns.iter().enumerate() {
        for j in 0..count {
            let (x, y) = diagram.centre(l, j);
            let corners = [
                ((x - half) as i32, (y - half) as i32),
                ((x + half) as i32, (y + half) as i32),
            ];
            area.draw(&Rectangle::new(corners, WHITE.filled()))
                .map_err(drawing)?;
            area.draw(&Rectangle::new(
                corners,
                BLACK.mix(0.6).stroke_width(layout.px(1.0).round() as u32),
            ))
            .map_err(drawing)?;
        }
    }
    let grey = BLACK.mix(0.7);
    let style = font(layout, NAME_SIZE)
        .color(&grey)
        .pos(Pos::new(HPos::Center, VPos::Center));
    for (l, name) in diagram.names.iter().enumerate() {
        let (x, _) = diagram.centre(l, 0);
        area.draw_text(name, &style, (x as i32, (diagram.band / 2.0) as i32))
            .map_err(drawing)?;
    }
    Ok(())
}

/// Loss (log scale) and accuracy per epoch: training solid, validation dashed. When
/// early stopping or reduce-on-plateau is on, the loss panel's legend names the loss
/// they watch on the curve they watch, and says so.
pub fn training_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    history: &[EpochRecord],
    classification: bool,
    watched: Option<&Watched>,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let (loss_area, accuracy_area) = if classification {
        area.split_horizontally(layout.width as i32 / 2)
    } else {
        (area.clone(), area.clone())
    };
    let epochs = history.last().map_or(1, |r| r.epoch).max(1);
    let series = |pick: fn(&EpochRecord) -> Option<f64>| -> Vec<(f64, f64)> {
        history
            .iter()
            .filter_map(|r| Some((r.epoch as f64, pick(r)?)))
            .filter(|p| p.1.is_finite())
            .collect()
    };
    let train_loss = series(|r| Some(r.train.data_loss + r.train.regularization));
    let validation_loss = series(|r| r.validation.map(|v| v.data_loss + v.regularization));
    let (lo, hi) = train_loss
        .iter()
        .chain(&validation_loss)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    let start = train_loss.first().map_or(hi, |p| p.1);
    let half = Layout::new(
        if classification {
            layout.width / 2
        } else {
            layout.width
        },
        layout.height,
        layout.pixel_ratio,
        super::Margins::CHART,
    );
    let loss_axis = loss_axis(lo, hi, start);
    let name = match loss_axis.scale() {
        Scale::Log => "loss (log scale)",
        Scale::SymLog { .. } => "loss (symmetric log)",
        Scale::Linear => "loss",
    };
    curves(
        &loss_area,
        &half,
        (epochs, loss_axis, name),
        [train_loss, validation_loss],
        watched,
    )?;
    if classification {
        curves(
            &accuracy_area,
            &half,
            (epochs, Axis::new(Scale::Linear, 0.0, 1.0)?, "accuracy"),
            [
                series(|r| r.train.accuracy),
                series(|r| r.validation.and_then(|v| v.accuracy)),
            ],
            None,
        )?;
    }
    Ok(())
}

/// One panel of training curves: training solid black, validation dashed, and a legend
/// saying so in the corner the curves leave free, with the loss early stopping or
/// reduce-on-plateau watches named on its curve and a line saying which watches it.
/// The loss axis: as the optimizer lab's ([`Axis::for_losses`]), but linear for a loss
/// that dips below zero while staying within a thousand times its start — a Gaussian's
/// or a mixture's NLL is the log of a density, which exceeds 1 where the network is
/// sure: a symmetric log would spend most of the axis on the last hundredths around 0.
pub(super) fn loss_axis(lo: f64, hi: f64, start: f64) -> Axis {
    let span = hi - lo;
    if lo < 0.0 && span.is_finite() && span <= 1e3 * start.abs().max(1e-3) {
        let pad = 0.05 * span.max(1e-6);
        if let Ok(axis) = Axis::new(Scale::Linear, lo - pad, hi + pad) {
            return axis;
        }
    }
    Axis::for_losses(lo, hi, start)
}

fn curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    (epochs, y, name): (usize, Axis, &str),
    [training, validation]: [Vec<(f64, f64)>; 2],
    watched: Option<&Watched>,
) -> Result<(), Error> {
    let mut chart = builder(area, layout)
        .build_cartesian_2d(iterations(epochs)?, y)
        .map_err(drawing)?;
    axes(&mut chart, layout, "epoch", name)?;
    let (lo, hi) = y.bounds();
    let pinned = |points: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        points
            .into_iter()
            .map(|(x, v)| (x, v.clamp(lo, hi)))
            .collect()
    };
    let (training, validation) = (pinned(training), pinned(validation));
    let corner = quiet_corner(
        training
            .iter()
            .chain(&validation)
            .map(|&(x, v)| (x / epochs.max(1) as f64, y.fraction(v))),
    );
    let stroke = layout.px(2.0).round() as u32;
    let (dash, gap) = (layout.px(6.0) as u32, layout.px(4.0) as u32);
    let solid = BLACK.stroke_width(stroke);
    let dashed = VALIDATION.stroke_width(stroke);
    let w = layout.px(24.0) as i32;
    chart
        .draw_series(LineSeries::new(training, solid))
        .map_err(drawing)?;
    let has_validation = !validation.is_empty();
    chart
        .draw_series(DashedLineSeries::new(validation, dash, gap, dashed))
        .map_err(drawing)?;
    if has_validation || watched.is_some() {
        let named = |curve: &str, on: bool| match watched {
            Some(w) if w.validation == on => format!("{curve}: {}", w.loss),
            _ => curve.to_string(),
        };
        let (training_name, validation_name) =
            (named("training", false), named("validation", true));
        let mut entries: Vec<(&str, Sample<DB>)> = vec![(
            &training_name,
            Box::new(move |(x, y)| PathElement::new(vec![(x, y), (x + w, y)], solid).into_dyn()),
        )];
        if has_validation {
            entries.push((
                &validation_name,
                Box::new(move |(x, y)| {
                    DashedPathElement::new(vec![(x, y), (x + w, y)], dash, gap, dashed).into_dyn()
                }),
            ));
        }
        let note = watched.map(|w| {
            let verb = if w.by.contains(" and ") {
                "watch"
            } else {
                "watches"
            };
            format!("{} {verb} it", w.by)
        });
        if let Some(note) = &note {
            // Under the curve it names (the last entry): a line without a sample.
            entries.push((note, Box::new(|at| EmptyElement::at(at).into_dyn())));
        }
        let style = LegendStyle::chart(layout, corner, font(layout, 11.0));
        legend(&chart.plotting_area().strip_coord_spec(), &entries, &style)?;
    }
    Ok(())
}

/// Validation curves' colour.
const VALIDATION: RGBColor = CLASS_COLOURS[1];

/// The corner of a plot with the fewest of `points` (as fractions across and up) in a
/// legend-sized box there: the top right, else the bottom right, top left, bottom left.
pub(super) fn quiet_corner(
    points: impl Iterator<Item = (f64, f64)> + Clone,
) -> SeriesLabelPosition {
    let corners = [
        (SeriesLabelPosition::UpperRight, (0.55, 1.0), (0.6, 1.0)),
        (SeriesLabelPosition::LowerRight, (0.55, 1.0), (0.0, 0.4)),
        (SeriesLabelPosition::UpperLeft, (0.0, 0.45), (0.6, 1.0)),
        (SeriesLabelPosition::LowerLeft, (0.0, 0.45), (0.0, 0.4)),
    ];
    corners
        .into_iter()
        .min_by_key(|(_, (x0, x1), (y0, y1))| {
            points
                .clone()
                .filter(|(x, y)| (*x0..=*x1).contains(x) && (*y0..=*y1).contains(y))
                .count()
        })
        .map_or(SeriesLabelPosition::UpperRight, |(corner, _, _)| corner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::train::Metrics;
    use crate::render::svg_texts as texts;

    /// A history whose loss falls from 0.52 to 0.31 (under a decade) and whose accuracy
    /// rises to 0.9: training solid, validation a little behind.
    fn history() -> Vec<EpochRecord> {
        (0..=40)
            .map(|epoch| {
                let t = epoch as f64 / 40.0;
                let metrics = |lag: f64| Metrics {
                    data_loss: 0.31 + 0.21 * (1.0 - t).powi(2) + lag,
                    regularization: 0.0,
                    accuracy: Some(0.5 + 0.4 * t.sqrt() - lag),
                };
                EpochRecord {
                    epoch,
                    updates: epoch * 10,
                    learning_rate: 0.1,
                    train: metrics(0.0),
                    validation: Some(metrics(0.02)),
                }
            })
            .collect()
    }

    #[test]
    fn a_unit_s_square_is_its_bias_and_an_edge_s_middle_its_weight() {
        use crate::nn::network::Task;
        use crate::nn::Activation;
        use crate::render::Margins;
        // 2-16-3, its hidden layer drawn as its first 12 units; and 1-5-1, whose edges
        // fan out from one unit and meet no other between their ends.
        let wide = Architecture::mlp(2, &[16], Activation::Tanh, Task::Classes(3)).unwrap();
        let fan = Architecture::mlp(1, &[5], Activation::Tanh, Task::Regression(1)).unwrap();
        for (arch, hidden, apart) in [(&wide, 12, false), (&fan, 5, true)] {
            let (inputs, outputs) = (arch.inputs(), arch.layers[1].outputs);
            for ratio in [1.0, 2.0] {
                let (w, h) = ((480.0 * ratio) as u32, (300.0 * ratio) as u32);
                let layout = Layout::new(w, h, ratio, Margins::SURFACE);
                let diagram = Diagram::new(arch, &layout);
                let at = |p: (f64, f64)| diagram.parameter_at(&layout, p);
                let name = |p: (f64, f64)| at(p).map(|d| d.to_string());
                // Inputs have no bias; hidden and output units have theirs.
                assert_eq!(at(diagram.centre(0, 0)), None);
                let last = hidden - 1;
                assert_eq!(name(diagram.centre(1, last)), Some(format!("b0[{last}]")));
                assert_eq!(name(diagram.centre(2, 0)).as_deref(), Some("b1[0]"));
                // The middle of every edge: that edge's weight, W[out, in] as in the
                // model JSON, or where edges cross there, one through that point.
                for (layer, rows, columns) in [(0, hidden, inputs), (1, outputs, hidden)] {
                    for row in 0..rows {
                        for column in 0..columns {
                            let a = diagram.centre(layer, column);
                            let b = diagram.centre(layer + 1, row);
                            let middle = (0.5 * (a.0 + b.0), 0.5 * (a.1 + b.1));
                            let edge = format!("W{layer}[{row},{column}]");
                            let Some(Direction::Weight {
                                layer: l,
                                row: i,
                                column: j,
                            }) = at(middle)
                            else {
                                panic!("{edge}: {:?}", at(middle))
                            };
                            let through = segment_distance(
                                middle,
                                diagram.centre(l, j),
                                diagram.centre(l + 1, i),
                            );
                            assert!(through < 1e-9, "{edge}");
                            if apart {
                                assert_eq!(name(middle), Some(edge.clone()));
                                let aside = (middle.0, middle.1 + layout.px(3.0));
                                assert_eq!(name(aside), Some(edge));
                            }
                        }
                    }
                }
                // Far from every edge and unit: nothing.
                assert_eq!(at((1.0, 1.0)), None);
                assert_eq!(at((f64::from(w) - 1.0, f64::from(h) - 1.0)), None);
            }
        }
    }

    #[test]
    fn both_curve_panels_have_three_labels_and_a_legend() {
        let layout = Layout::new(640, 240, 1.0, super::super::Margins::CHART);
        let svg = super::super::svg((640, 240), |area| {
            training_curves(area, &layout, &history(), true, None)
        });
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let texts: Vec<(String, Option<&str>)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                let text = n.text().unwrap_or("").trim().to_string();
                (text, n.attribute("text-anchor"))
            })
            .collect();
        // Y labels are right-aligned: each panel has at least three, in the one format.
        let y_labels: Vec<&String> = texts
            .iter()
            .filter(|(_, anchor)| *anchor == Some("end"))
            .map(|(t, _)| t)
            .collect();
        assert!(y_labels.len() >= 6, "{y_labels:?}");
        for label in &y_labels {
            assert_eq!(**label, crate::text::tick(label.parse().unwrap()));
        }
        for name in ["training", "validation"] {
            let count = texts.iter().filter(|(t, _)| t == name).count();
            assert_eq!(count, 2, "{name}: {texts:?}");
        }
    }

    #[test]
    fn the_legend_names_the_loss_early_stopping_or_plateau_watches_on_its_curve() {
        let layout = Layout::new(640, 240, 1.0, super::super::Margins::CHART);
        let draw = |history: &[EpochRecord], watched: &Watched| {
            let svg = super::super::svg((640, 240), |area| {
                training_curves(area, &layout, history, true, Some(watched))
            });
            texts(&svg)
        };
        let watched = Watched {
            loss: "NLL + λΣ‖W‖²".into(),
            by: "early stopping",
            validation: true,
        };
        let labels = draw(&history(), &watched);
        for label in [
            "training",
            "validation: NLL + λΣ‖W‖²",
            "early stopping watches it",
        ] {
            assert!(labels.iter().any(|t| t == label), "{label}: {labels:?}");
        }
        // Without a validation set both watch the training loss, and say so.
        let training_only: Vec<EpochRecord> = history()
            .into_iter()
            .map(|r| EpochRecord {
                validation: None,
                ..r
            })
            .collect();
        let watched = Watched {
            loss: "NLL".into(),
            by: "early stopping and plateau",
            validation: false,
        };
        let labels = draw(&training_only, &watched);
        for label in ["training: NLL", "early stopping and plateau watch it"] {
            assert!(labels.iter().any(|t| t == label), "{label}: {labels:?}");
        }
        assert!(!labels.iter().any(|t| t.starts_with("validation")));
    }

    #[test]
    fn a_negative_nll_is_charted_on_a_linear_axis_and_a_saddle_s_fall_on_a_symmetric_log() {
        // A Gaussian's NLL from 0.49 to −0.53: linear, with room around it.
        let axis = loss_axis(-0.53, 0.49, 0.49);
        assert_eq!(axis.scale(), Scale::Linear);
        let (lo, hi) = axis.bounds();
        assert!(lo < -0.53 && hi > 0.49 && hi - lo < 1.2, "{lo} {hi}");
        // Positive losses keep the log scale, a fall to −10¹⁵ the symmetric log.
        assert_eq!(loss_axis(0.3, 0.5, 0.5).scale(), Scale::Log);
        assert!(matches!(
            loss_axis(-1e15, 1.0, 1.0).scale(),
            Scale::SymLog { .. }
        ));
    }

    #[test]
    fn a_gaussian_s_bands_and_a_mixture_s_line_are_named_in_a_legend() {
        let layout = Layout::new(400, 300, 1.0, super::super::Margins::SURFACE);
        let view = ViewBox::new(-1.0, 1.0, -2.0, 2.0);
        let x: Vec<f64> = (0..50).map(|i| -1.0 + i as f64 / 24.5).collect();
        let mean: Vec<f64> = x.iter().map(|x| x.sin()).collect();
        let deviation: Vec<f64> = x.iter().map(|x| 0.05 + 0.3 * x.abs()).collect();
        let svg = super::super::svg((400, 300), |area| {
            gaussian_bands(area, &layout, &view, (&x, &mean, &deviation))
        });
        let labels = texts(&svg);
        for label in ["μ ± 2σ", "μ ± σ", "mean μ(x)"] {
            assert!(labels.iter().any(|t| t == label), "{label}: {labels:?}");
        }
        // Two filled bands, the outer lighter.
        let polygons: Vec<_> = roxmltree::Document::parse(&svg)
            .unwrap()
            .descendants()
            .filter(|n| n.has_tag_name("polygon"))
            .map(|n| n.attribute("opacity").unwrap().parse::<f64>().unwrap())
            .collect();
        assert_eq!(polygons, [0.15, 0.3]);
        let curve: Vec<(f64, f64)> = x.iter().map(|&x| (x, 0.0)).collect();
        let cells = vec![0.0; 16];
        let svg = super::super::svg((400, 300), |area| {
            mixture_overlay(area, &layout, &view, (4, &cells), &curve)
        });
        let labels = texts(&svg);
        for label in ["mixture density p(y | x)", "squared error f(x)"] {
            assert!(labels.iter().any(|t| t == label), "{label}: {labels:?}");
        }
    }

    #[test]
    fn the_density_darkens_steadily_from_white() {
        let pixels = density_rgba(&[0.0, 0.25, 0.5, 0.75, 1.0, f64::NAN, 2.0]);
        let lightness: Vec<u32> = pixels
            .chunks_exact(4)
            .map(|p| p[..3].iter().map(|&c| u32::from(c)).sum())
            .collect();
        assert!(
            lightness[0] > 3 * 240,
            "white where there is none: {pixels:?}"
        );
        assert!(
            lightness[..5].windows(2).all(|w| w[1] < w[0]),
            "{lightness:?}"
        );
        assert_eq!(lightness[5], lightness[0], "nothing drawn for NaN");
        assert_eq!(lightness[6], lightness[4]);
        assert!(pixels.chunks_exact(4).all(|p| p[3] == 255));
    }

    #[test]
    fn the_legend_goes_where_no_curve_passes() {
        // Falling curves leave the top right free; rising ones the bottom right.
        let falling = (0..=10).map(|k| (k as f64 / 10.0, 1.0 - k as f64 / 10.0));
        assert_eq!(quiet_corner(falling), SeriesLabelPosition::UpperRight);
        let rising = (0..=10).map(|k| (k as f64 / 10.0, (k as f64 / 10.0).sqrt()));
        assert_eq!(quiet_corner(rising), SeriesLabelPosition::LowerRight);
    }
}
