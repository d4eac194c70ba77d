//! The learning-rate range test's chart (see [`crate::nn::lr_range`]): the training
//! loss after U updates against η on a log axis, with the lecture's "try η = 0.1 or even
//! η = 1" as two faint guides, so that where the loss falls, where it is lowest and
//! where training blows up can be read against the advice.

use super::axis::{Axis, Scale};
use super::chart::axes;
use super::{builder, drawing, font, Layout, DIVERGED};
use crate::config::Error;
use crate::text::significant;
use crate::tune::best;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The lecture's first tries: "η = 0.1 or even η = 1".
pub const GUIDES: [(f64, &str); 2] = [(0.1, "try 0.1"), (1.0, "try 1")];

/// What the chart shows: the rates computed so far, the span of the test, and the η
/// the network trains with now.
pub struct RangeChart<'a> {
    /// (η, L_S(θ_U)) in the order of η, +∞ where a run diverged; the rates not computed
    /// yet are simply absent.
    pub curve: &'a [(f64, f64)],
    /// The test's first and last η: the x axis.
    pub span: (f64, f64),
    /// U, the updates of every run.
    pub updates: usize,
    /// The η the network trains with, a vertical line where it is within the span.
    pub current: Option<f64>,
    /// The optimizer's colour.
    pub colour: RGBColor,
}

/// The loss axis: logarithmic when the finite losses are positive and span a decade or
/// more, linear otherwise (a little room around them); 0 to 1 when there are none.
pub fn loss_axis(losses: impl Iterator<Item = f64>) -> Axis {
    let (min, max) = losses
        .filter(|l| l.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let fallback = || Axis::new(Scale::Linear, 0.0, 1.0).expect("a valid axis");
    if min > max {
        return fallback();
    }
    if min > 0.0 && max >= 10.0 * min {
        // At most twenty decades, with a little room at both ends.
        let lo = min.max(max * 1e-20);
        if let Ok(axis) = Axis::new(Scale::Log, lo / 1.25, max * 1.25) {
            return axis;
        }
    }
    let pad = 0.05 * (max - min).max(1e-3 * max.abs()).max(1e-12);
    let lo = if min >= 0.0 {
        (min - pad).max(0.0)
    } else {
        min - pad
    };
    Axis::new(Scale::Linear, lo, max + pad).unwrap_or_else(|_| fallback())
}

/// The chart: each computed η's loss as a point on a line in the optimizer's colour,
/// broken where a run diverged; each diverged η a red × on the top edge, the first
/// labelled "diverged"; the lowest loss marked by a larger disc and its η written
/// beside it; faint guides at η = 0.1 and 1 (where in the span); the current η
/// as a dark vertical line.
pub fn lr_range_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    chart: &RangeChart,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let (from, to) = chart.span;
    let x = Axis::new(Scale::Log, from, to)?;
    let y = loss_axis(chart.curve.iter().map(|p| p.1));
    let (lo, hi) = y.bounds();
    let name = match y.scale() {
        Scale::Log => format!("loss after {} updates (log scale)", chart.updates),
        _ => format!("loss after {} updates", chart.updates),
    };
    let mut plot = builder(area, layout)
        .build_cartesian_2d(x, y)
        .map_err(drawing)?;
    axes(&mut plot, layout, "learning rate η (log scale)", &name)?;
    let thin = layout.px(1.0).round().max(1.0) as u32;
    // The labels at the top take a row each, so that none covers another: the guides'
    // left of their lines, "diverged" under the crosses, "current η" beside its line.
    let (gap, row) = (layout.px(3.0) as i32, layout.px(13.0) as i32);
    let words = font(layout, 11.0);
    let grey = BLACK.mix(0.55);
    for (rate, label) in GUIDES.iter().filter(|g| (from..=to).contains(&g.0)) {
        plot.draw_series([PathElement::new(
            vec![(*rate, lo), (*rate, hi)],
            BLACK.mix(0.25).stroke_width(thin),
        )])
        .map_err(drawing)?;
        let (u, v) = plot.backend_coord(&(*rate, hi));
        let style = words
            .clone()
            .color(&grey)
            .pos(Pos::new(HPos::Right, VPos::Top));
        area.draw_text(label, &style, (u - gap, v + gap))
            .map_err(drawing)?;
    }
    if let Some(rate) = chart.current.filter(|r| (from..=to).contains(r)) {
        plot.draw_series([PathElement::new(
            vec![(rate, lo), (rate, hi)],
            BLACK.mix(0.7).stroke_width(2 * thin),
        )])
        .map_err(drawing)?;
        let (u, v) = plot.backend_coord(&(rate, hi));
        let (anchor, offset) = beside(u, layout, gap);
        let style = words.clone().pos(Pos::new(anchor, VPos::Top));
        area.draw_text("current η", &style, (u + offset, v + gap + 2 * row))
            .map_err(drawing)?;
    }
    // Stretches of finite losses; a diverged η ends one.
    let mut stretches = vec![Vec::new()];
    for &(rate, loss) in chart.curve {
        match stretches.last_mut() {
            Some(stretch) if loss.is_finite() => stretch.push((rate, loss.clamp(lo, hi))),
            Some(stretch) if !stretch.is_empty() => stretches.push(Vec::new()),
            _ => {}
        }
    }
    let stroke = layout.px(2.0).round() as u32;
    let line = chart.colour.stroke_width(stroke);
    let dot = layout.px(2.5).round() as i32;
    for stretch in stretches.iter().filter(|s| !s.is_empty()) {
        plot.draw_series([PathElement::new(stretch.clone(), line)])
            .map_err(drawing)?;
        plot.draw_series(
            stretch
                .iter()
                .map(|&p| Circle::new(p, dot, chart.colour.filled())),
        )
        .map_err(drawing)?;
    }
    let r = layout.px(4.5);
    let diverged: Vec<f64> = chart
        .curve
        .iter()
        .filter(|p| !p.1.is_finite())
        .map(|p| p.0)
        .collect();
    // Each × as two strokes in pixels (plotters' `Cross` would add its own code to the
    // page for this one use).
    let half = r as i32;
    for &rate in &diverged {
        let (u, v) = plot.backend_coord(&(rate, hi));
        for (a, b) in [
            ((-half, -half), (half, half)),
            ((-half, half), (half, -half)),
        ] {
            area.draw(&PathElement::new(
                vec![(u + a.0, v + a.1), (u + b.0, v + b.1)],
                DIVERGED.stroke_width(stroke),
            ))
            .map_err(drawing)?;
        }
    }
    if let Some(&first) = diverged.first() {
        let (u, v) = plot.backend_coord(&(first, hi));
        let (anchor, _) = beside(u, layout, gap);
        let style = words
            .clone()
            .color(&DIVERGED)
            .pos(Pos::new(anchor, VPos::Top));
        area.draw_text("diverged", &style, (u, v + gap + row))
            .map_err(drawing)?;
    }
    if let Some((rate, loss)) = best(chart.curve) {
        let at = (rate, loss.clamp(lo, hi));
        let (u, v) = plot.backend_coord(&at);
        // A disc with a white edge, larger than the line's dots.
        let (disc, edge) = ((1.5 * r) as i32, layout.px(1.5).round() as i32);
        area.draw(&Circle::new((u, v), disc + edge, WHITE.filled()))
            .map_err(drawing)?;
        area.draw(&Circle::new((u, v), disc, chart.colour.filled()))
            .map_err(drawing)?;
        let (anchor, offset) = beside(u, layout, (2.0 * r) as i32);
        let style = words.pos(Pos::new(anchor, VPos::Center));
        let label = format!("lowest: η = {}", significant(rate));
        area.draw_text(&label, &style, (u + offset, v))
            .map_err(drawing)?;
    }
    Ok(())
}

/// Where a label goes beside pixel column `u`, `gap` away: to its right in the left
/// three quarters of the plot, else to its left.
fn beside(u: i32, layout: &Layout, gap: i32) -> (HPos, i32) {
    let [left, _, right, _] = layout.plot;
    match u < left + 3 * (right - left) / 4 {
        true => (HPos::Left, gap),
        false => (HPos::Right, -gap),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;
    use crate::render::style_of;
    use crate::tune::Grid;

    fn chart_svg(curve: &[(f64, f64)], current: Option<f64>) -> (String, Layout) {
        let layout = Layout::new(480, 300, 1.0, Margins::CHART);
        let chart = RangeChart {
            curve,
            span: (1e-4, 10.0),
            updates: 300,
            current,
            colour: style_of("adam", 0).colour,
        };
        let svg = super::super::svg((480, 300), |area| lr_range_chart(area, &layout, &chart));
        (svg, layout)
    }

    fn texts(doc: &roxmltree::Document) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect()
    }

    fn number(n: &roxmltree::Node, attribute: &str) -> f64 {
        n.attribute(attribute).unwrap().parse().unwrap()
    }

    fn points(n: &roxmltree::Node) -> Vec<(f64, f64)> {
        crate::render::svg_points(n.attribute("points").unwrap())
    }

    /// A test's first seven rates of 11: losses falling over three decades, then two
    /// runs that diverged.
    fn partial() -> Vec<(f64, f64)> {
        let rates = Grid::new(1e-4, 10.0, 11).unwrap().rates();
        let losses = [0.7, 0.6, 0.3, 0.02, 0.001, f64::INFINITY, f64::INFINITY];
        rates.into_iter().zip(losses).collect()
    }

    #[test]
    fn the_computed_rates_are_drawn_the_diverged_on_the_top_edge_once_named() {
        let (svg, layout) = chart_svg(&partial(), Some(0.01));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let colour = style_of("adam", 0).colour;
        let hex = format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2);
        // One line through the five finite losses: the four rates not computed yet are
        // absent, not drawn as anything.
        let lines: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(&hex))
            .collect();
        assert_eq!(lines.len(), 1, "{svg}");
        assert_eq!(points(&lines[0]).len(), 5);
        // Two red crosses (two strokes each) centred on the top edge.
        let red: Vec<Vec<(f64, f64)>> = doc
            .descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some("#C80000"))
            .map(|n| points(&n))
            .collect();
        assert_eq!(red.len(), 4, "{svg}");
        let top = f64::from(layout.plot[1]);
        for stroke in &red {
            let mid = 0.5 * (stroke[0].1 + stroke[1].1);
            assert!((mid - top).abs() <= 1.0, "{mid} vs {top}");
        }
        let texts = texts(&doc);
        assert_eq!(texts.iter().filter(|t| *t == "diverged").count(), 1);
        // The losses span three decades: a log axis.
        assert!(texts
            .iter()
            .any(|t| t.ends_with("(log scale)") && t.starts_with("loss after 300")));
        assert!(texts.iter().any(|t| t == "lowest: η = 0.01"), "{texts:?}");
        for word in ["try 0.1", "try 1", "current η"] {
            assert_eq!(texts.iter().filter(|t| *t == word).count(), 1, "{word}");
        }
    }

    #[test]
    fn the_lowest_loss_guides_and_current_rate_sit_at_their_rates() {
        let curve = partial();
        let (svg, layout) = chart_svg(&curve, Some(0.01));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let x = Axis::new(Scale::Log, 1e-4, 10.0).unwrap();
        let [left, top, right, bottom] = layout.plot.map(f64::from);
        let u = |rate: f64| left + x.fraction(rate) * (right - left);
        // The vertical lines span the plot: guides at 0.1 and 1, the current η at 0.01.
        let verticals = crate::render::svg_verticals(&svg, bottom - top - 1.0);
        for rate in [0.01, 0.1, 1.0] {
            assert!(
                verticals.iter().any(|v| (v - u(rate)).abs() <= 1.5),
                "{rate}: {verticals:?}"
            );
        }
        // The lowest loss's disc: the largest circle in the optimizer's colour, at
        // (1e-2, 1e-3).
        let colour = style_of("adam", 0).colour;
        let hex = format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2);
        let disc = doc
            .descendants()
            .filter(|n| n.has_tag_name("circle") && n.attribute("fill") == Some(&hex))
            .max_by(|a, b| number(a, "r").total_cmp(&number(b, "r")))
            .unwrap();
        let centre = number(&disc, "cx");
        assert!((centre - u(curve[4].0)).abs() <= 2.0, "{centre}");
    }

    #[test]
    fn losses_within_a_decade_are_on_a_linear_axis_and_nothing_is_an_empty_chart() {
        let axis = loss_axis([0.3, 0.5, f64::INFINITY].into_iter());
        assert_eq!(axis.scale(), Scale::Linear);
        let (lo, hi) = axis.bounds();
        assert!(lo < 0.3 && hi > 0.5 && lo >= 0.0, "{lo} {hi}");
        assert_eq!(loss_axis([0.01, 0.5].into_iter()).scale(), Scale::Log);
        assert_eq!(loss_axis([-0.5, 2.0].into_iter()).scale(), Scale::Linear);
        assert_eq!(loss_axis(std::iter::empty()).bounds(), (0.0, 1.0));
        // No rate computed yet, or every one diverged: axes, no line, no marker.
        for curve in [vec![], vec![(1e-4, f64::INFINITY)]] {
            let (svg, _) = chart_svg(&curve, None);
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let texts = texts(&doc);
            assert!(!texts.iter().any(|t| t.starts_with("lowest")));
            assert!(!texts.iter().any(|t| t == "current η"));
            assert_eq!(
                texts.iter().filter(|t| *t == "diverged").count(),
                curve.len()
            );
        }
    }
}
