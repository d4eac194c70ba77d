use super::axis::{Axis, Scale, MAX_TICKS, MIN_TICKS};
use super::clip::decimate;
use super::{builder, drawing, font, marker, Layout, Style};
use crate::config::Error;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One optimizer's losses f(θ₀), f(θ₁), … and how it is drawn.
pub struct Series<'a> {
    pub losses: &'a [f64],
    pub style: Style,
}

/// A cloud's loss per step: the median and the band between two quantiles (see
/// [`crate::lab::cloud::BAND`]), in its method's colour.
pub struct Band<'a> {
    pub lower: &'a [f64],
    pub median: &'a [f64],
    pub upper: &'a [f64],
    pub colour: RGBColor,
}

/// The loss against the iteration, 0 ..= `steps`, each series up to iterate `upto`, with
/// iterate `highlight` marked, on the y axis [`Axis::for_losses`] picks; under the
/// series, each cloud's band, translucent, and its median, dashed.
pub fn loss_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    (series, bands): (&[Series], &[Band]),
    steps: usize,
    upto: usize,
    highlight: Option<usize>,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    if series.iter().all(|s| shown(s, upto).is_empty()) {
        return empty_chart(
            area,
            layout,
            steps,
            "loss",
            "No optimizer is shown: tick one to see its loss",
        );
    }
    let values = series
        .iter()
        .flat_map(|s| shown(s, upto).iter().copied())
        .chain(bands.iter().flat_map(|b| {
            let band = [b.lower, b.upper];
            band.into_iter()
                .flat_map(|v| v[..v.len().min(upto.saturating_add(1))].iter().copied())
        }))
        .filter(|v| v.is_finite());
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let start = series
        .iter()
        .filter_map(|s| s.losses.first())
        .filter(|l| l.is_finite())
        .fold(0.0_f64, |a, l| a.max(l.abs()));
    let y = Axis::for_losses(min, max, start);
    let (lo, hi) = y.bounds();
    // The axis name runs along the y axis: a short chart gets the short name.
    let tall = layout.plot_height() as f64 >= layout.px(150.0);
    let name = match (y.scale(), tall) {
        (Scale::Linear, _) => "loss",
        (Scale::Log, true) => "loss (log scale)",
        (Scale::Log, false) => "loss (log)",
        (Scale::SymLog { .. }, true) => "loss (symmetric log)",
        (Scale::SymLog { .. }, false) => "loss (symlog)",
    };
    let mut chart = builder(area, layout)
        .build_cartesian_2d(iterations(steps)?, y)
        .map_err(drawing)?;
    axes(&mut chart, layout, "iteration", name)?;
    let stroke = layout.px(2.0).round() as u32;
    for b in bands {
        let end = b.lower.len().min(upto.saturating_add(1));
        let upper = b.upper[..end].iter().enumerate();
        let lower = b.lower[..end].iter().enumerate().rev();
        let outline: Vec<(f64, f64)> = upper
            .chain(lower)
            .map(|(k, l)| (k as f64, l.clamp(lo, hi)))
            .collect();
        chart
            .draw_series([Polygon::new(outline, b.colour.mix(0.2).filled())])
            .map_err(drawing)?;
        let median: Vec<(f64, f64)> = b.median[..end]
            .iter()
            .enumerate()
            .map(|(k, l)| (k as f64, l.clamp(lo, hi)))
            .collect();
        let pixel = |p: (f64, f64)| {
            let (u, v) = chart.backend_coord(&p);
            (f64::from(u), f64::from(v))
        };
        let median = decimate(&median, pixel, 1.0);
        let (dash, gap) = (layout.px(5.0).round() as i32, layout.px(3.0).round() as i32);
        chart
            .draw_series([plotters::element::DashedPathElement::new(
                median,
                dash,
                gap,
                b.colour.stroke_width(stroke),
            )])
            .map_err(drawing)?;
    }
    for s in series {
        // Up to and including the first point off the axis, which is pinned to its edge.
        let losses = shown(s, upto);
        let end = losses
            .iter()
            .position(|l| !(lo..=hi).contains(l))
            .map_or(losses.len(), |k| k + 1);
        let points: Vec<(f64, f64)> = losses[..end]
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_nan())
            .map(|(k, l)| (k as f64, l.clamp(lo, hi)))
            .collect();
        // Thousands of iterates share each pixel column: keep those a pixel apart.
        let pixel = |p: (f64, f64)| {
            let (u, v) = chart.backend_coord(&p);
            (f64::from(u), f64::from(v))
        };
        let points = decimate(&points, pixel, 1.0);
        chart
            .draw_series(LineSeries::new(points, s.style.colour.stroke_width(stroke)))
            .map_err(drawing)?;
    }
    if let Some(k) = highlight.filter(|k| *k <= upto.min(steps)) {
        let x = k as f64;
        chart
            .draw_series([PathElement::new(
                vec![(x, lo), (x, hi)],
                BLACK.mix(0.5).stroke_width(layout.px(1.0).round() as u32),
            )])
            .map_err(drawing)?;
        let (r, edge) = (layout.px(4.5), layout.px(1.5));
        chart
            .draw_series(series.iter().filter_map(|s| {
                let l = *s.losses.get(k)?;
                let at = (x, l.clamp(lo, hi));
                (!l.is_nan()).then(|| marker(at, s.style.shape, r, edge, s.style.colour))
            }))
            .map_err(drawing)?;
    }
    Ok(())
}

/// An x axis of iterations or epochs 0 ..= `last`, ticked at whole numbers.
pub(super) fn iterations(last: usize) -> Result<Axis, Error> {
    Ok(Axis::new(Scale::Linear, 0.0, last.max(1) as f64)?.integers())
}

/// How many x ticks fit: one per 60 CSS pixels.
fn across(layout: &Layout) -> usize {
    ((layout.plot_width() as f64 / layout.px(60.0)) as usize).clamp(MIN_TICKS, MAX_TICKS)
}

/// The grid, ticks and names every chart shares: 1-2-5 ticks, as many as fit (see
/// [`Axis::ticks`]), labelled by [`crate::text::tick`]; faint lines at the ticks only.
pub(super) fn axes<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<Axis, Axis>>,
    layout: &Layout,
    x_name: &str,
    y_name: &str,
) -> Result<(), Error> {
    let label = font(layout, 12.0);
    let up = (layout.plot_height() as f64 / layout.px(28.0)) as usize;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.1))
        .x_desc(x_name)
        .y_desc(y_name)
        .label_style(label.clone())
        .axis_desc_style(label)
        .x_labels(across(layout))
        .y_labels(up.clamp(MIN_TICKS, MAX_TICKS))
        .draw()
        .map_err(drawing)
}

/// Axes over the iterations, the y axis named `quantity`, with nothing on them, and a
/// word on why: the loss chart's and the eigen-error chart's when they have no line.
pub(super) fn empty_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    steps: usize,
    quantity: &str,
    why: &str,
) -> Result<(), Error> {
    let mut chart = builder(area, layout)
        .build_cartesian_2d(iterations(steps)?, Axis::new(Scale::Linear, 0.0, 1.0)?)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.1))
        .x_desc("iteration")
        .y_desc(quantity)
        .label_style(font(layout, 12.0))
        .axis_desc_style(font(layout, 12.0))
        .y_labels(0)
        .x_labels(across(layout))
        .draw()
        .map_err(drawing)?;
    let [left, top, right, bottom] = layout.plot;
    let centre = ((left + right) / 2, (top + bottom) / 2);
    let grey = BLACK.mix(0.6);
    let style = font(layout, 14.0)
        .color(&grey)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(why, &style, centre).map_err(drawing)
}

/// The losses of iterates 0 ..= `upto`.
fn shown<'a>(s: &Series<'a>, upto: usize) -> &'a [f64] {
    &s.losses[..s.losses.len().min(upto.saturating_add(1))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::optimizer_presets;
    use crate::lab::optimizers::OptimizerLab;
    use crate::layout::Margins;

    /// The chart's y tick labels: right-aligned, left of the plot.
    fn y_labels(svg: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("end"))
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect()
    }

    /// The points of every 2-pixel polyline: the series (the axes are thinner).
    fn lines(svg: &str) -> Vec<Vec<(f64, f64)>> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
            .map(|n| crate::render::svg_points(n.attribute("points").unwrap()))
            .collect()
    }

    fn chart_of(title: &str) -> String {
        let preset = optimizer_presets()
            .into_iter()
            .find(|p| p.title == title)
            .unwrap();
        let (lab, _) = OptimizerLab::open(&preset.settings);
        let styles = lab.styles();
        let series: Vec<Series> = lab
            .shown()
            .map(|(i, t)| Series {
                losses: &t.losses,
                style: styles[i],
            })
            .collect();
        let layout = Layout::new(480, 240, 1.0, Margins::CHART);
        let steps = lab.settings().steps;
        super::super::svg((480, 240), |area| {
            loss_chart(area, &layout, (&series, &[]), steps, steps, None)
        })
    }

    #[test]
    fn the_saddles_chart_shows_every_line_apart() {
        let svg = chart_of("Saddle point race");
        let labels = y_labels(&svg);
        assert!(labels.len() >= MIN_TICKS, "{labels:?}");
        assert!(labels.iter().any(|l| l.starts_with("-1e")), "{labels:?}");
        let lines = lines(&svg);
        // Every line, the ones settling near 0 too, rises or falls over many rows.
        assert!(lines.len() >= 2);
        for line in &lines {
            let rows: std::collections::BTreeSet<i64> =
                line.iter().map(|p| p.1.round() as i64).collect();
            assert!(rows.len() >= 10, "{line:?}");
        }
    }

    #[test]
    fn a_cloud_s_band_spans_its_quartiles_under_a_dashed_median() {
        let (lower, median, upper) = ([1.0, 0.1, 0.01], [2.0, 0.2, 0.02], [4.0, 0.4, 0.04]);
        let colour = RGBColor(10, 20, 30);
        let band = Band {
            lower: &lower,
            median: &median,
            upper: &upper,
            colour,
        };
        let style = crate::render::style_of("nesterov", 0);
        let losses = [2.0, 0.2, 0.02];
        let series = [Series {
            losses: &losses,
            style,
        }];
        let layout = Layout::new(480, 240, 1.0, Margins::CHART);
        let svg = super::super::svg((480, 240), |area| {
            loss_chart(area, &layout, (&series, &[band]), 2, 2, None)
        });
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let band = doc
            .descendants()
            .find(|n| n.has_tag_name("polygon") && n.attribute("fill") == Some("#0A141E"))
            .unwrap();
        assert_eq!(band.attribute("opacity"), Some("0.2"));
        let ys: Vec<f64> = band
            .attribute("points")
            .unwrap()
            .split_whitespace()
            .map(|p| p.split_once(',').unwrap().1.parse().unwrap())
            .collect();
        // The outline runs along the upper quartile, then back along the lower one.
        assert_eq!(ys.len(), 6);
        assert!(ys[0] < ys[5] && ys[2] < ys[3], "{ys:?}");
        // The median lies along the series' own losses, in dashes.
        let dashes = doc
            .descendants()
            .filter(|n| n.attribute("stroke") == Some("#0A141E"))
            .count();
        assert!(dashes >= 3, "{svg}");
    }

    #[test]
    fn a_chart_under_a_decade_has_three_labels_in_one_format() {
        let labels = y_labels(&chart_of("Adam with and without bias correction"));
        assert!(labels.len() >= MIN_TICKS, "{labels:?}");
        for label in &labels {
            let value: f64 = label.parse().unwrap();
            assert_eq!(*label, crate::text::tick(value));
            assert!(!label.contains("e+") && !label.contains(".0e"), "{label}");
        }
    }
}
