//! The tuning chart: each method's final loss against its learning rate η, both on log
//! axes, as in the lecture's "tune the learning rate first" plot.

use super::axis::{Axis, Scale};
use super::chart::axes;
use super::{builder, drawing, marker, Layout, Style};
use crate::config::Error;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One method's curve: (η, f(θ_K)) with +∞ where the run diverged, its best point and
/// how the method is drawn.
pub struct TuneCurve<'a> {
    pub curve: &'a [(f64, f64)],
    pub best: Option<(f64, f64)>,
    pub style: Style,
}

/// Final loss against η from `from` to `to` (log scale): each method's finite losses as
/// a line in its colour, broken where a run diverged, its best η marked by its method's
/// marker, and each diverged η as a × on the top edge. The y axis is the loss chart's
/// ([`Axis::for_losses`], `start` the largest |f(θ₀)|): logarithmic when every loss is
/// positive, symmetric-logarithmic otherwise.
pub fn tune_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    curves: &[TuneCurve],
    (from, to): (f64, f64),
    start: f64,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let finite = curves
        .iter()
        .flat_map(|c| c.curve.iter().map(|p| p.1))
        .filter(|l| l.is_finite());
    let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let y = Axis::for_losses(min, max, start);
    let (lo, hi) = y.bounds();
    let x = Axis::new(Scale::Log, from, to)?;
    let name = match y.scale() {
        Scale::Log => "final loss (log scale)",
        _ => "final loss",
    };
    let mut chart = builder(area, layout)
        .build_cartesian_2d(x, y)
        .map_err(drawing)?;
    axes(&mut chart, layout, "learning rate η (log scale)", name)?;
    let stroke = layout.px(2.0).round() as u32;
    let (r, edge) = (layout.px(4.5), layout.px(1.5));
    for c in curves {
        // Stretches of finite losses; a diverged η ends one.
        let mut stretch: Vec<(f64, f64)> = Vec::new();
        let mut stretches = Vec::new();
        for &(rate, loss) in c.curve {
            if loss.is_finite() {
                stretch.push((rate, loss.clamp(lo, hi)));
            } else if !stretch.is_empty() {
                stretches.push(std::mem::take(&mut stretch));
            }
        }
        stretches.push(stretch);
        chart
            .draw_series(
                stretches
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| PathElement::new(s, c.style.colour.stroke_width(stroke))),
            )
            .map_err(drawing)?;
        let crosses = c
            .curve
            .iter()
            .filter(|p| !p.1.is_finite())
            .map(|p| Cross::new((p.0, hi), r as i32, c.style.colour.stroke_width(stroke)));
        chart.draw_series(crosses).map_err(drawing)?;
        if let Some((rate, loss)) = c.best {
            let at = (rate, loss.clamp(lo, hi));
            chart
                .draw_series([marker(at, c.style.shape, 1.5 * r, edge, c.style.colour)])
                .map_err(drawing)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;
    use crate::render::style_of;
    use crate::tune::{best, Grid};

    #[test]
    fn diverged_rates_sit_on_the_top_edge_and_the_best_is_marked() {
        let rates = Grid::new(1e-3, 1.0, 4).unwrap().rates();
        let curve: Vec<(f64, f64)> = rates
            .iter()
            .zip([1.0, 0.1, 0.01, f64::INFINITY])
            .map(|(r, l)| (*r, l))
            .collect();
        let style = style_of("adam", 0);
        let curves = [TuneCurve {
            curve: &curve,
            best: best(&curve),
            style,
        }];
        let layout = Layout::new(400, 300, 1.0, Margins::CHART);
        let svg = super::super::svg((400, 300), |area| {
            tune_chart(area, &layout, &curves, (1e-3, 1.0), 1.0)
        });
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let colour = format!(
            "#{:02X}{:02X}{:02X}",
            style.colour.0, style.colour.1, style.colour.2
        );
        let stroked = |tag: &str| {
            doc.descendants()
                .filter(|n| n.has_tag_name(tag) && n.attribute("stroke") == Some(&colour))
                .collect::<Vec<_>>()
        };
        // One line through the three finite losses …
        let lines = stroked("polyline");
        assert_eq!(lines.len(), 1, "{svg}");
        let line = lines[0].attribute("points").unwrap();
        assert_eq!(line.split_whitespace().count(), 3);
        // … and the diverged η's × on the top edge.
        let strokes = stroked("line");
        assert_eq!(strokes.len(), 2, "{svg}");
        let y = |n: &roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
        let mid = strokes.iter().map(|n| y(n, "y1") + y(n, "y2")).sum::<f64>() / 4.0;
        let top = f64::from(layout.plot[1]);
        assert!((mid - top).abs() <= 1.0, "{mid} vs {top}");
        let markers = doc
            .descendants()
            .filter(|n| n.has_tag_name("polygon") && n.attribute("fill") == Some(&colour))
            .count();
        assert_eq!(markers, 1);
    }
}
