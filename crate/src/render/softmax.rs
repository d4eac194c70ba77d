//! The slide "Softmax function" for the inspected point: the logits zᵒ as signed bars,
//! f(x) = softmax(zᵒ) as bars in [0, 1] with the target e(y) outlined, and the
//! Jacobian ∂f/∂zᵒ = diag(f) − f fᵀ as a K × K matrix of numbers (row i for f(x)ᵢ,
//! column j for zᵒⱼ), coloured blue positive, orange negative. A sigmoid output shows
//! its one logit, f(x) = sigm(zᵒ) and σ′ = f(1 − f) as a 1 × 1 matrix; an output fitted
//! to numbers has no softmax, and a note says so.

use super::axis::{Axis, Scale};
use super::digits::note;
use super::network::{unit_rgba, CLASS_COLOURS};
use super::{drawing, font, Layout};
use crate::config::Error;
use crate::nn::inspect::Inspection;
use crate::nn::Activation;
use crate::text::significant;
use nalgebra::DMatrix;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

/// What the panel shows of the output layer, from an inspection.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputLayer {
    pub activation: Activation,
    /// zᵒ's name as the lecture writes it: zᵒ, or z without a hidden layer.
    pub name: String,
    pub logits: Vec<f64>,
    pub output: Vec<f64>,
    /// The true class y (for a sigmoid, the label 0 or 1), when known.
    pub truth: Option<usize>,
    /// ∂f/∂z ([`Activation::jacobian`]); None for outputs fitted to numbers.
    pub jacobian: Option<DMatrix<f64>>,
}

impl OutputLayer {
    /// The output layer of `inspection`; `label` is the point's class when the
    /// inspection has no one-hot target (a sigmoid's).
    pub fn of(inspection: &Inspection, label: Option<usize>) -> Result<OutputLayer, Error> {
        let last = inspection
            .layers
            .last()
            .ok_or_else(|| Error::new("a network has layers"))?;
        let activation = Activation::parse(last.activation)?;
        let truth = inspection
            .one_hot
            .as_ref()
            .and_then(|e| e.iter().position(|&v| v == 1.0))
            .or(label);
        Ok(OutputLayer {
            activation,
            name: last.names.z.clone(),
            logits: last.pre.clone(),
            output: last.post.clone(),
            truth,
            jacobian: activation.jacobian(&last.post),
        })
    }
}

/// The panel: bars on the left (or above, on a tall canvas), the matrix beside them.
pub fn softmax_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    output: &OutputLayer,
) -> Result<(), Error> {
    let Some(jacobian) = &output.jacobian else {
        let why = format!(
            "softmax and its Jacobian are for classes: this output is {}",
            output.activation.name()
        );
        return note(area, layout, &why);
    };
    area.fill(&WHITE).map_err(drawing)?;
    let (w, h) = (layout.width as i32, layout.height as i32);
    let (bars, matrix) = if w >= h {
        area.split_horizontally(w / 2)
    } else {
        area.split_vertically(h / 2)
    };
    let (bw, bh) = bars.dim_in_pixel();
    let (logits, probabilities) = bars.split_vertically(bh as i32 / 2);
    let sigmoid = output.activation == Activation::Sigmoid;
    let z = &output.name;
    let part = |width: u32, height: u32| {
        Layout::new(width, height, layout.pixel_ratio, super::Margins::SURFACE)
    };
    let half = part(bw, bh / 2);
    let k = output.logits.len();
    let classes = |marked: bool| -> Vec<String> {
        (0..k)
            .map(|c| match output.truth {
                Some(y) if marked && y == c => format!("{c} = y"),
                _ => c.to_string(),
            })
            .collect()
    };
    if sigmoid {
        bar_chart(
            &logits,
            &half,
            &format!("the logit {z}"),
            (&output.logits, std::slice::from_ref(z)),
            None,
            None,
        )?;
        let title = match output.truth {
            Some(y) => format!("f(x) = sigm({z}), y = {y}"),
            None => format!("f(x) = sigm({z})"),
        };
        let label = ["P(Y = 1 | X = x)".to_string()];
        bar_chart(
            &probabilities,
            &half,
            &title,
            (&output.output, &label),
            Some((0.0, 1.0)),
            None,
        )?;
    } else {
        bar_chart(
            &logits,
            &half,
            &format!("the logits {z}"),
            (&output.logits, &classes(true)),
            None,
            output.truth,
        )?;
        let title = match output.truth {
            Some(_) => format!("f(x) = softmax({z}), e(y) outlined"),
            None => format!("f(x) = softmax({z})"),
        };
        bar_chart(
            &probabilities,
            &half,
            &title,
            (&output.output, &classes(false)),
            Some((0.0, 1.0)),
            output.truth,
        )?;
    }
    let (mw, mh) = matrix.dim_in_pixel();
    let title = if sigmoid {
        format!("σ′({z}) = f(1 − f)")
    } else {
        format!("∂f/∂{z} = diag(f) − f fᵀ")
    };
    jacobian_matrix(&matrix, &part(mw, mh), &title, z, jacobian)
}

/// The height of a part's title band, in CSS pixels.
const TITLE: f64 = 20.0;

/// A cell of the matrix is at most this wide, in CSS pixels: a sigmoid's one cell too.
const MOST_CELL: f64 = 72.0;

/// Signed bars, one per unit, each named under it, over a y axis through 0 (or over
/// `range`), each in its class's colour; `marked`'s bar outlined up to 1 (the target
/// e(y)) on a [0, 1] axis, else its own bar outlined.
fn bar_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    title: &str,
    (values, names): (&[f64], &[String]),
    range: Option<(f64, f64)>,
    marked: Option<usize>,
) -> Result<(), Error> {
    let k = values.len().max(1);
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = range.unwrap_or_else(|| {
        let (lo, hi) = finite.fold((0.0_f64, 0.0_f64), |(a, b), v| (a.min(v), b.max(v)));
        let pad = 0.1 * (hi - lo).max(1e-9);
        (lo - if lo < 0.0 { pad } else { 0.0 }, hi + pad)
    });
    let x_axis = Axis::new(Scale::Linear, -0.5, k as f64 - 0.5)?;
    let y_axis = Axis::new(Scale::Linear, lo, hi)?;
    let [left, _, right, bottom] = layout.plot;
    let top = layout.px(TITLE) as i32;
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .margin_right(layout.width as i32 - right)
        .y_label_area_size(left)
        .x_label_area_size(layout.height as i32 - bottom)
        .build_cartesian_2d(x_axis, y_axis)
        .map_err(drawing)?;
    let up = ((bottom - top) as f64 / layout.px(24.0)) as usize;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.1))
        .label_style(font(layout, 11.0))
        .x_labels(0)
        .y_labels(up.max(2))
        .draw()
        .map_err(drawing)?;
    let edge = layout.px(1.5).round().max(1.0) as u32;
    for (c, &v) in values.iter().enumerate() {
        let colour = CLASS_COLOURS[if k == 1 { 1 } else { c % CLASS_COLOURS.len() }];
        let (x0, x1) = (c as f64 - 0.35, c as f64 + 0.35);
        let v = if v.is_finite() { v.clamp(lo, hi) } else { 0.0 };
        let bar = [(x0, 0.0_f64.clamp(lo, hi)), (x1, v)];
        chart
            .draw_series([Rectangle::new(bar, colour.mix(0.8).filled())])
            .map_err(drawing)?;
        if marked == Some(c) {
            let outline = match range {
                Some(_) => [(x0, 0.0), (x1, 1.0)],
                None => bar,
            };
            chart
                .draw_series([Rectangle::new(outline, BLACK.stroke_width(edge))])
                .map_err(drawing)?;
        }
    }
    // The zero line, then each bar's class under it.
    chart
        .draw_series([PathElement::new(
            vec![
                (-0.5, 0.0_f64.clamp(lo, hi)),
                (k as f64 - 0.5, 0.0_f64.clamp(lo, hi)),
            ],
            BLACK.mix(0.6).stroke_width(1),
        )])
        .map_err(drawing)?;
    let style = font(layout, 11.0).pos(Pos::new(HPos::Center, VPos::Top));
    for (c, name) in names.iter().enumerate() {
        let u = left + (x_axis.fraction(c as f64) * f64::from(right - left)).round() as i32;
        area.draw_text(name, &style, (u, bottom + layout.px(4.0) as i32))
            .map_err(drawing)?;
    }
    let style = font(layout, 12.0).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw_text(title, &style, (left, top / 2))
        .map_err(drawing)
}

/// The Jacobian as a grid of cells with their numbers (where they fit), on one
/// diverging scale ±max |∂fᵢ/∂zⱼ|; the rows' and columns' indices along the edges and
/// what they stand for.
fn jacobian_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    title: &str,
    z: &str,
    jacobian: &DMatrix<f64>,
) -> Result<(), Error> {
    let k = jacobian.nrows().max(1);
    let (width, height) = (f64::from(layout.width), f64::from(layout.height));
    let (left, top) = (layout.px(44.0), layout.px(TITLE + 26.0));
    let side = (width - left - layout.px(8.0))
        .min(height - top - layout.px(8.0))
        .max(0.0);
    let cell = (side / k as f64).min(layout.px(MOST_CELL));
    let side = cell * k as f64;
    let x0 = left + 0.5 * (width - left - layout.px(8.0) - side).max(0.0);
    let scale = jacobian
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    let size = layout.px(11.0).min(0.4 * cell);
    for i in 0..jacobian.nrows() {
        for j in 0..jacobian.ncols() {
            let v = jacobian[(i, j)];
            let rgba = unit_rgba(&[v], -scale.max(1e-300), scale.max(1e-300));
            let (x, y) = (x0 + j as f64 * cell, top + i as f64 * cell);
            let corners = [(x as i32, y as i32), ((x + cell) as i32, (y + cell) as i32)];
            area.draw(&Rectangle::new(
                corners,
                RGBColor(rgba[0], rgba[1], rgba[2]).filled(),
            ))
            .map_err(drawing)?;
            area.draw(&Rectangle::new(corners, BLACK.mix(0.12).stroke_width(1)))
                .map_err(drawing)?;
            // The number, smaller if need be to fit the cell, and not below 6 px.
            let number = significant(v);
            let size = size.min(0.92 * cell / (0.64 * number.chars().count() as f64));
            if size >= layout.px(6.0) {
                let dark = scale > 0.0 && v.abs() / scale > 0.6;
                let style = font(layout, size / layout.pixel_ratio)
                    .color(if dark { &WHITE } else { &BLACK })
                    .pos(Pos::new(HPos::Center, VPos::Center));
                let centre = ((x + 0.5 * cell) as i32, (y + 0.5 * cell) as i32);
                area.draw_text(&number, &style, centre).map_err(drawing)?;
            }
        }
    }
    let label = font(layout, 11.0).pos(Pos::new(HPos::Center, VPos::Center));
    for c in 0..k {
        let middle = (c as f64 + 0.5) * cell;
        let column = ((x0 + middle) as i32, (top - layout.px(8.0)) as i32);
        area.draw_text(&c.to_string(), &label, column)
            .map_err(drawing)?;
        let row = ((x0 - layout.px(10.0)) as i32, (top + middle) as i32);
        area.draw_text(&c.to_string(), &label, row)
            .map_err(drawing)?;
    }
    let across = ((x0 + 0.5 * side) as i32, (top - layout.px(22.0)) as i32);
    area.draw_text(&format!("column j: {z}ⱼ"), &label, across)
        .map_err(drawing)?;
    let up = label.transform(FontTransform::Rotate270);
    let down = ((x0 - layout.px(28.0)) as i32, (top + 0.5 * side) as i32);
    area.draw_text("row i: f(x)ᵢ", &up, down).map_err(drawing)?;
    let style = font(layout, 12.0).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw_text(
        title,
        &style,
        (layout.px(4.0) as i32, layout.px(TITLE / 2.0) as i32),
    )
    .map_err(drawing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;
    use crate::nn::inspect::inspect;
    use crate::nn::network::{Architecture, Network, Targets, Task};

    fn inspection(task: Task, target: Targets) -> Inspection {
        let architecture = Architecture::mlp(2, &[4], Activation::Relu, task).unwrap();
        let theta: Vec<f64> = (0..architecture.parameter_count())
            .map(|i| libm::cos(1.9 * i as f64 + 0.2))
            .collect();
        let network = Network {
            architecture,
            l2: 0.0,
        };
        inspect(&network, &theta, &[0.3, 0.8], &target, 0.1)
    }

    fn texts(output: &OutputLayer, (width, height): (u32, u32)) -> Vec<String> {
        let layout = Layout::new(width, height, 1.0, Margins::SURFACE);
        let svg = super::super::svg((width, height), |area| softmax_panel(area, &layout, output));
        super::super::svg_texts(&svg)
    }

    #[test]
    fn the_softmax_panel_writes_the_jacobian_of_the_inspected_point() {
        let i = inspection(Task::Classes(4), Targets::Classes(vec![2]));
        let output = OutputLayer::of(&i, None).unwrap();
        assert_eq!(output.truth, Some(2));
        assert_eq!(output.logits, i.layers[1].pre);
        assert_eq!(output.output, i.output);
        let f = &i.output;
        let jacobian = output.jacobian.as_ref().unwrap();
        for (width, height) in [(720, 300), (360, 640)] {
            let texts = texts(&output, (width, height));
            for r in 0..4 {
                for c in 0..4 {
                    // diag(f) − f fᵀ, each entry written in its cell.
                    let want = if r == c {
                        f[r] * (1.0 - f[r])
                    } else {
                        -f[r] * f[c]
                    };
                    assert!((jacobian[(r, c)] - want).abs() < 1e-16);
                    let number = significant(jacobian[(r, c)]);
                    assert!(texts.contains(&number), "{number} not in {texts:?}");
                }
            }
            for label in [
                "the logits zᵒ",
                "f(x) = softmax(zᵒ), e(y) outlined",
                "∂f/∂zᵒ = diag(f) − f fᵀ",
                "column j: zᵒⱼ",
                "row i: f(x)ᵢ",
                "2 = y",
            ] {
                assert!(texts.iter().any(|t| t == label), "{label}: {texts:?}");
            }
        }
    }

    #[test]
    fn a_sigmoid_has_a_one_by_one_jacobian_and_a_regression_a_note() {
        let i = inspection(Task::Binary, Targets::Binary(vec![1.0]));
        let output = OutputLayer::of(&i, Some(1)).unwrap();
        let f = i.output[0];
        let written = texts(&output, (600, 300));
        for label in [
            "the logit zᵒ".to_string(),
            "f(x) = sigm(zᵒ), y = 1".to_string(),
            "σ′(zᵒ) = f(1 − f)".to_string(),
            "P(Y = 1 | X = x)".to_string(),
            significant(f * (1.0 - f)),
        ] {
            assert!(written.contains(&label), "{label}: {written:?}");
        }
        let i = inspection(
            Task::Regression(1),
            Targets::Values(nalgebra::DMatrix::from_element(1, 1, 0.5)),
        );
        let output = OutputLayer::of(&i, None).unwrap();
        assert!(output.jacobian.is_none());
        assert_eq!(
            texts(&output, (600, 300)),
            ["softmax and its Jacobian are for classes: this output is identity"]
        );
    }
}
