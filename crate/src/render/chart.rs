use super::clip::decimate;
use super::{builder, drawing, font, Layout};
use crate::config::Error;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One optimizer's losses f(θ₀), f(θ₁), … and its colour.
pub struct Series<'a> {
    pub losses: &'a [f64],
    pub colour: RGBColor,
}

/// The loss against the iteration, 0 ..= `steps`, each series up to iterate `upto`, with
/// iterate `highlight` marked. The y axis is logarithmic when every loss is positive, as
/// on every surface bounded below by 0; linear otherwise (the saddles).
pub fn loss_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    series: &[Series],
    steps: usize,
    upto: usize,
    highlight: Option<usize>,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    if series.iter().all(|s| shown(s, upto).is_empty()) {
        return empty_chart(area, layout, steps);
    }
    let values = series.iter().flat_map(|s| shown(s, upto).iter().copied());
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let x_range = 0.0..(steps.max(1) as f64);
    let logarithmic = min > 0.0;
    // A diverging run would squash every other line: show at most a thousand times the
    // starting loss (or ten decades above it); lines leave through the top.
    let start = series
        .iter()
        .filter_map(|s| s.losses.first())
        .fold(0.0_f64, |a, l| a.max(l.abs()));
    let max = if logarithmic {
        max.min(start * 1e3).max(min * 1e10)
    } else {
        max.min(min + 1e3 * (start - min).abs().max(1.0))
    };
    let (min, max) = if min > max {
        (1e-3, 1.0)
    } else if logarithmic {
        // Leave a decade of room below zero-ish floors, but no more than twenty.
        (min.max(max * 1e-20), max.max(min * 10.0))
    } else if max - min < 1e-12 {
        (min - 1.0, max + 1.0)
    } else {
        (min, max)
    };
    let stroke = layout.px(2.0).round() as u32;
    let label = font(layout, 12.0);

    macro_rules! draw {
        ($chart:expr, $y_name:expr) => {{
            let mut chart = $chart.map_err(drawing)?;
            chart
                .configure_mesh()
                .light_line_style(BLACK.mix(0.05))
                .bold_line_style(BLACK.mix(0.1))
                .x_desc("iteration")
                .y_desc($y_name)
                .label_style(label.clone())
                .axis_desc_style(label.clone())
                .y_label_formatter(&|v: &f64| format_loss(*v))
                .x_label_formatter(&|v: &f64| format!("{v:.0}"))
                .x_labels(6)
                .y_labels(5)
                .draw()
                .map_err(drawing)?;
            for s in series {
                // Up to and including the first point off the top, which is pinned to it.
                let losses = shown(s, upto);
                let end = losses
                    .iter()
                    .position(|l| *l > max)
                    .map_or(losses.len(), |k| k + 1);
                let points: Vec<(f64, f64)> = losses[..end]
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| !logarithmic || **l > 0.0)
                    .map(|(k, l)| (k as f64, l.clamp(min, max)))
                    .collect();
                // Thousands of iterates share each pixel column: keep those a pixel apart.
                let pixel = |p: (f64, f64)| {
                    let (u, v) = chart.backend_coord(&p);
                    (f64::from(u), f64::from(v))
                };
                let points = decimate(&points, pixel, 1.0);
                chart
                    .draw_series(LineSeries::new(points, s.colour.stroke_width(stroke)))
                    .map_err(drawing)?;
            }
            if let Some(k) = highlight.filter(|k| *k <= upto.min(steps)) {
                let x = k as f64;
                chart
                    .draw_series([PathElement::new(
                        vec![(x, min), (x, max)],
                        BLACK.mix(0.5).stroke_width(layout.px(1.0).round() as u32),
                    )])
                    .map_err(drawing)?;
                let r = layout.px(4.0).round() as i32;
                chart
                    .draw_series(series.iter().filter_map(|s| {
                        let l = *s.losses.get(k)?;
                        (!logarithmic || l > 0.0)
                            .then(|| Circle::new((x, l.clamp(min, max)), r, s.colour.filled()))
                    }))
                    .map_err(drawing)?;
            }
        }};
    }
    // The axis name runs along the y axis: a short chart gets the short name.
    let tall = layout.plot_height() as f64 >= layout.px(150.0);
    if logarithmic {
        draw!(
            builder(area, layout).build_cartesian_2d(x_range, (min..max).log_scale()),
            if tall {
                "loss (log scale)"
            } else {
                "loss (log)"
            }
        );
    } else {
        draw!(
            builder(area, layout).build_cartesian_2d(x_range, min..max),
            "loss"
        );
    }
    Ok(())
}

/// Axes over the iterations with nothing on them, and a word on why.
fn empty_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    steps: usize,
) -> Result<(), Error> {
    let mut chart = builder(area, layout)
        .build_cartesian_2d(0.0..(steps.max(1) as f64), 0.0..1.0)
        .map_err(drawing)?;
    let label = font(layout, 12.0);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(BLACK.mix(0.05))
        .bold_line_style(BLACK.mix(0.1))
        .x_desc("iteration")
        .y_desc("loss")
        .label_style(label.clone())
        .axis_desc_style(label.clone())
        .y_labels(0)
        .x_label_formatter(&|v: &f64| format!("{v:.0}"))
        .x_labels(6)
        .draw()
        .map_err(drawing)?;
    let [left, top, right, bottom] = layout.plot;
    let centre = ((left + right) / 2, (top + bottom) / 2);
    let grey = BLACK.mix(0.6);
    let style = font(layout, 14.0)
        .color(&grey)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(
        "No optimizer is shown: tick one to see its loss",
        &style,
        centre,
    )
    .map_err(drawing)
}

/// The losses of iterates 0 ..= `upto`.
fn shown<'a>(s: &Series<'a>, upto: usize) -> &'a [f64] {
    &s.losses[..s.losses.len().min(upto.saturating_add(1))]
}

/// `1e-4`, `0.05`, `12`, `3e6`.
fn format_loss(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-2 {
        format!("{v:.0e}")
    } else {
        format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .into()
    }
}
