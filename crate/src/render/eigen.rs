//! "Decomposing the error" (Goh, "Why Momentum Really Works", Distill 2017): on a
//! quadratic, each run's distance to the minimum split along the Hessian's
//! eigenvectors, |uᵢᵀ(θₖ − θ*)| against k on a log axis, u₁ solid and u₂ dashed. Gradient
//! descent shrinks each by |1 − ηλᵢ| per step: two straight lines of different slopes.

use super::axis::{Axis, Scale};
use super::chart::{axes, empty_chart, iterations};
use super::{builder, drawing, font, Layout, Style};
use crate::config::Error;
use crate::text::significant;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One run's error along u₁ and u₂ per iterate, and how its method is drawn.
pub struct EigenSeries<'a> {
    pub errors: &'a [[f64; 2]],
    pub style: Style,
}

/// The y axis spans at most this many decades below its top: below 1e-16 of the largest
/// error, what is left is the rounding of θₖ.
const DECADES: f64 = 16.0;
/// What the chart's y axis shows.
const QUANTITY: &str = "|uᵢᵀ(θ − θ*)|";

/// The chart, each series up to iterate `upto`, over iterations 0 ..= `steps`, with the
/// legend "u₁ (λ = …) solid, u₂ (λ = …) dashed"; `eigenvalues` is `None` off a
/// quadratic, where the chart is empty axes with a note, as when no series is shown.
pub fn eigen_error_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    series: &[EigenSeries],
    eigenvalues: Option<[f64; 2]>,
    steps: usize,
    upto: usize,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let shown = |s: &EigenSeries<'_>| s.errors.len().min(upto.saturating_add(1));
    let values = series
        .iter()
        .flat_map(|s| s.errors[..shown(s)].iter().flatten().copied())
        .filter(|v| v.is_finite() && *v > 0.0);
    let (min, max) = values.fold((f64::INFINITY, 0.0_f64), |(a, b), v| (a.min(v), b.max(v)));
    let Some(lambdas) = eigenvalues else {
        return empty_chart(
            area,
            layout,
            steps,
            QUANTITY,
            "Only on a quadratic, whose eigenvectors are the same everywhere",
        );
    };
    if max == 0.0 {
        return empty_chart(
            area,
            layout,
            steps,
            QUANTITY,
            "No optimizer is shown: tick one to see its error",
        );
    }
    let top = libm::pow(10.0, libm::ceil(libm::log10(max)));
    let bottom =
        libm::pow(10.0, libm::floor(libm::log10(min))).max(top * libm::pow(10.0, -DECADES));
    let bottom = if bottom < top { bottom } else { top / 10.0 };
    let y = Axis::new(Scale::Log, bottom, top)?;
    let mut chart = builder(area, layout)
        .build_cartesian_2d(iterations(steps)?, y)
        .map_err(drawing)?;
    axes(&mut chart, layout, "iteration", QUANTITY)?;
    let stroke = layout.px(2.0).round() as u32;
    let (dash, gap) = (layout.px(6.0) as i32, layout.px(4.0) as i32);
    for s in series {
        for i in 0..2 {
            // Pinned to the bottom once below it (an exact 0 included).
            let points: Vec<(f64, f64)> = s.errors[..shown(s)]
                .iter()
                .enumerate()
                .filter(|(_, e)| !e[i].is_nan())
                .map(|(k, e)| (k as f64, e[i].clamp(bottom, top)))
                .collect();
            let style = s.style.colour.stroke_width(stroke);
            if i == 0 {
                chart
                    .draw_series([PathElement::new(points, style)])
                    .map_err(drawing)?;
            } else {
                chart
                    .draw_series([DashedPathElement::new(points, dash, gap, style)])
                    .map_err(drawing)?;
            }
        }
    }
    let [_, top_pixel, right, _] = layout.plot;
    let legend = format!(
        "u₁ (λ = {}) solid, u₂ (λ = {}) dashed",
        significant(lambdas[0]),
        significant(lambdas[1])
    );
    let style = font(layout, 12.0).pos(Pos::new(HPos::Right, VPos::Top));
    let inset = layout.px(6.0) as i32;
    area.draw_text(&legend, &style, (right - inset, top_pixel + inset))
        .map_err(drawing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::optimizers::{OptimizerLab, Settings};
    use crate::layout::Margins;

    fn chart(json: &str, upto: usize) -> String {
        let settings: Settings = serde_json::from_str(json).unwrap();
        let lab = OptimizerLab::open(&settings).0;
        let styles = lab.styles();
        let (lambdas, errors) = match lab.eigen_errors() {
            Some((g, e)) => (Some(g.eigenvalues), e),
            None => (None, Vec::new()),
        };
        let series: Vec<EigenSeries> = errors
            .iter()
            .map(|(i, e)| EigenSeries {
                errors: e,
                style: styles[*i],
            })
            .collect();
        let layout = Layout::new(480, 240, 1.0, Margins::CHART);
        let steps = lab.settings().steps;
        super::super::svg((480, 240), |area| {
            eigen_error_chart(area, &layout, &series, lambdas, steps, upto)
        })
    }

    fn texts(svg: &str) -> Vec<(String, Option<String>)> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                (
                    n.text().unwrap_or("").trim().to_string(),
                    n.attribute("text-anchor").map(str::to_string),
                )
            })
            .collect()
    }

    const QUADRATIC: &str = r#"{"surface": "quadratic:lambda1=1,lambda2=10,angle=30",
        "start": [-2.5, 2], "steps": 60, "optimizers": ["sgd:lr=0.15", "momentum:lr=0.02"]}"#;

    #[test]
    fn the_chart_ticks_decades_and_names_both_eigenvalues() {
        let svg = chart(QUADRATIC, 60);
        let texts = texts(&svg);
        let legend = "u₁ (λ = 1) solid, u₂ (λ = 10) dashed";
        let y: Vec<&String> = texts
            .iter()
            .filter(|t| t.1.as_deref() == Some("end") && t.0 != legend)
            .map(|t| &t.0)
            .collect();
        assert!(y.len() >= 3, "{y:?}");
        for label in &y {
            let v: f64 = label
                .parse()
                .unwrap_or_else(|_| panic!("{label:?} in {y:?}"));
            assert_eq!(**label, crate::text::tick(v));
            // Decades on the log axis.
            let decade = libm::log10(v);
            assert!((decade - decade.round()).abs() < 1e-9, "{label}");
        }
        assert!(texts.iter().any(|t| t.0 == legend));
        // Two lines per run: u₁ as one polyline, u₂ in dashes.
        let polylines = svg.matches("stroke-width=\"2\"").count();
        assert!(polylines > 4, "{polylines}");
    }

    #[test]
    fn off_a_quadratic_the_chart_says_why_it_is_empty() {
        let svg = chart(r#"{"surface": "booth"}"#, 100);
        assert!(svg.contains("Only on a quadratic"));
        let svg = chart(
            r#"{"surface": "quadratic", "optimizers": [{"id": "sgd", "enabled": false}]}"#,
            100,
        );
        assert!(svg.contains("No optimizer is shown"));
    }
}
