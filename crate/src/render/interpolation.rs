//! 1-D interpolation (Goodfellow, Vinyals and Saxe 2015, "Qualitatively characterizing
//! neural network optimization problems"): the training loss L_S and the accuracy along
//! the line (1 − t)θ₀ + tθ from the initial weights θ₀ to the weights θ now, for t from
//! −0.5 to 1.5, with guides where the line passes θ₀ (t = 0) and θ (t = 1).

use super::axis::{Axis, Scale};
use super::chart::axes;
use super::lr_range::loss_axis;
use super::{drawing, font, Layout, Margins};
use crate::config::Error;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Ticks and names on the left, below and, for the accuracy, on the right.
pub const INTERPOLATION_MARGINS: Margins = Margins {
    left: 64.0,
    top: 20.0,
    right: 40.0,
    bottom: 40.0,
};

/// The right axis's name.
const ACCURACY: &str = "accuracy % (dashed)";

/// The chart's t axis.
pub const T_RANGE: (f64, f64) = (-0.5, 1.5);

/// What the chart shows.
pub struct Line<'a> {
    /// t along (1 − t)θ₀ + tθ, in increasing order …
    pub t: &'a [f64],
    /// … L_S there (non-finite where the loss overflowed) …
    pub loss: &'a [f64],
    /// … and the accuracy in [0, 1] (empty for regression, which has none).
    pub accuracy: &'a [f64],
    /// The loss line's colour (the optimizer's).
    pub colour: RGBColor,
}

/// The loss on the left axis (log scale when it spans a decade or more, see
/// [`loss_axis`]) as a solid line with a dot at each t, broken where it is not finite;
/// the accuracy dashed in grey on the right axis, 0 to 100%; faint guides at t = 0 and
/// t = 1 named θ₀ and θ.
pub fn interpolation_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    line: &Line,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let x = Axis::new(Scale::Linear, T_RANGE.0, T_RANGE.1)?;
    let y = loss_axis(line.loss.iter().copied());
    let percent = Axis::new(Scale::Linear, 0.0, 100.0)?;
    let [left, top, right, bottom] = layout.plot;
    let classification = !line.accuracy.is_empty();
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .y_label_area_size(left)
        .right_y_label_area_size(layout.width as i32 - right)
        .x_label_area_size(layout.height as i32 - bottom)
        .build_cartesian_2d(x, y)
        .map_err(drawing)?
        .set_secondary_coord(x, percent);
    let name = match y.scale() {
        Scale::Log => "training loss L_S (log scale)",
        _ => "training loss L_S",
    };
    axes(&mut chart, layout, "t along (1 − t)θ₀ + tθ", name)?;
    if classification {
        let label = font(layout, 12.0);
        chart
            .configure_secondary_axes()
            .label_style(label.clone())
            .y_labels(6)
            .draw()
            .map_err(drawing)?;
        // The right axis's name above it: beside the axis it would need more width
        // than a chart beside the landscape has.
        let (u, v) = chart.borrow_secondary().backend_coord(&(T_RANGE.1, 100.0));
        let above = label.pos(Pos::new(HPos::Right, VPos::Bottom));
        area.draw_text(ACCURACY, &above, (u, v - layout.px(4.0) as i32))
            .map_err(drawing)?;
    }
    let (lo, hi) = y.bounds();
    let thin = layout.px(1.0).round().max(1.0) as u32;
    let grey = BLACK.mix(0.6);
    let words = font(layout, 11.0)
        .color(&grey)
        .pos(Pos::new(HPos::Left, VPos::Top));
    for (t, name) in [(0.0, "θ₀"), (1.0, "θ")] {
        chart
            .draw_series([PathElement::new(
                vec![(t, lo), (t, hi)],
                BLACK.mix(0.3).stroke_width(thin),
            )])
            .map_err(drawing)?;
        let (u, v) = chart.backend_coord(&(t, hi));
        let gap = layout.px(4.0) as i32;
        area.draw_text(name, &words, (u + gap, v + gap))
            .map_err(drawing)?;
    }
    let stroke = layout.px(2.0).round() as u32;
    if classification {
        let accuracy: Vec<(f64, f64)> = line
            .t
            .iter()
            .zip(line.accuracy)
            .filter(|p| p.1.is_finite())
            .map(|(&t, &a)| (t, 100.0 * a.clamp(0.0, 1.0)))
            .collect();
        let (dash, gap) = (layout.px(5.0).round() as i32, layout.px(3.0).round() as i32);
        chart
            .draw_secondary_series([DashedPathElement::new(
                accuracy,
                dash,
                gap,
                BLACK.mix(0.55).stroke_width(stroke),
            )])
            .map_err(drawing)?;
    }
    // Stretches of finite losses.
    let mut stretches = vec![Vec::new()];
    for (&t, &loss) in line.t.iter().zip(line.loss) {
        match stretches.last_mut() {
            Some(stretch) if loss.is_finite() => stretch.push((t, loss.clamp(lo, hi))),
            Some(stretch) if !stretch.is_empty() => stretches.push(Vec::new()),
            _ => {}
        }
    }
    let dot = layout.px(2.0).round() as i32;
    for stretch in stretches.iter().filter(|s| !s.is_empty()) {
        chart
            .draw_series([PathElement::new(
                stretch.clone(),
                line.colour.stroke_width(stroke),
            )])
            .map_err(drawing)?;
        chart
            .draw_series(
                stretch
                    .iter()
                    .map(|&p| Circle::new(p, dot, line.colour.filled())),
            )
            .map_err(drawing)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{style_of, svg, svg_texts};

    fn number(n: &roxmltree::Node, key: &str) -> f64 {
        n.attribute(key).unwrap().parse().unwrap()
    }

    /// t from −0.5 to 1.5 in steps of 0.1, a loss falling over two decades from θ₀ to
    /// θ and rising beyond, and an accuracy rising from a half to all.
    fn line_of(colour: RGBColor) -> (Vec<f64>, Vec<f64>, Vec<f64>, RGBColor) {
        let t: Vec<f64> = (0..=20).map(|k| -0.5 + 0.1 * k as f64).collect();
        let loss = t
            .iter()
            .map(|t| 0.7 * libm::exp10(-2.0 * t * (2.0 - t)))
            .collect();
        let accuracy = t.iter().map(|t| (0.5 + 0.5 * t).clamp(0.0, 1.0)).collect();
        (t, loss, accuracy, colour)
    }

    fn chart_svg(line: &Line, layout: &Layout) -> String {
        svg((layout.width, layout.height), |area| {
            interpolation_chart(area, layout, line)
        })
    }

    #[test]
    fn loss_over_decades_is_on_a_log_axis_with_accuracy_on_the_right() {
        let colour = style_of("adam", 0).colour;
        let (t, loss, accuracy, colour) = line_of(colour);
        let layout = Layout::new(480, 260, 1.0, INTERPOLATION_MARGINS);
        let line = Line {
            t: &t,
            loss: &loss,
            accuracy: &accuracy,
            colour,
        };
        let svg = chart_svg(&line, &layout);
        let texts = svg_texts(&svg);
        for word in [
            "training loss L_S (log scale)",
            "accuracy % (dashed)",
            "θ₀",
            "θ",
            "t along (1 − t)θ₀ + tθ",
        ] {
            assert_eq!(
                texts.iter().filter(|t| *t == word).count(),
                1,
                "{word}: {texts:?}"
            );
        }
        assert!(texts.iter().any(|t| t == "100"), "{texts:?}");
        // The guides: vertical lines across the plot at t = 0 and t = 1.
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let [left, top, right, bottom] = layout.plot.map(f64::from);
        let u = |t: f64| left + (t - T_RANGE.0) / (T_RANGE.1 - T_RANGE.0) * (right - left);
        let verticals = crate::render::svg_verticals(&svg, bottom - top - 1.0);
        for t in [0.0, 1.0] {
            assert!(
                verticals.iter().any(|v| (v - u(t)).abs() <= 1.5),
                "{t}: {verticals:?}"
            );
        }
        // A dot per t in the loss's colour; the lowest, at t = 1, lowest on the chart.
        let hex = format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2);
        let dots: Vec<(f64, f64)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("circle") && n.attribute("fill") == Some(&hex))
            .map(|n| (number(&n, "cx"), number(&n, "cy")))
            .collect();
        assert_eq!(dots.len(), t.len());
        let lowest = dots.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert!((lowest.0 - u(1.0)).abs() <= 1.5, "{lowest:?}");
    }

    #[test]
    fn regression_has_no_accuracy_axis_and_an_overflowed_loss_breaks_the_line() {
        let colour = style_of("momentum", 0).colour;
        let (t, mut loss, _, colour) = line_of(colour);
        loss[3] = f64::INFINITY;
        let flat: Vec<f64> = loss.iter().map(|l| 0.3 + 0.01 * l.min(1.0)).collect();
        let layout = Layout::new(480, 260, 1.0, INTERPOLATION_MARGINS);
        // Broken at the overflow, on a log axis; within a decade, whole on a linear one.
        for (losses, stretches, name) in [
            (&loss, 2, "training loss L_S (log scale)"),
            (&flat, 1, "training loss L_S"),
        ] {
            let line = Line {
                t: &t,
                loss: losses,
                accuracy: &[],
                colour,
            };
            let svg = chart_svg(&line, &layout);
            let texts = svg_texts(&svg);
            assert!(
                !texts.iter().any(|t| t.starts_with("accuracy")),
                "{texts:?}"
            );
            assert!(texts.iter().any(|t| t == name), "{texts:?}");
            let hex = format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2);
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let lines = doc
                .descendants()
                .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(&hex))
                .count();
            assert_eq!(lines, stretches, "{name}");
        }
    }
}
