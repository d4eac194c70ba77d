//! A cloud of noisy runs on the surface: every run of a method thin and faint in its
//! colour, under its mean path, dashed over a white halo so that it reads apart from the
//! method's own run (solid, dotted at every iterate), which [`super::paths`] draws on top.

use super::clip::{clip_polyline, decimate};
use super::{chart, drawing, Layout};
use crate::config::Error;
use crate::surface::{Point, ViewBox};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One method's cloud: its runs, their mean path and its colour.
pub struct CloudStyle<'a> {
    pub runs: Vec<&'a [Point]>,
    pub mean: &'a [Point],
    pub colour: RGBColor,
}

/// How opaque each of `n` runs is: 3/n within [0.08, 0.4], so that a cloud of 5 runs
/// and one of 100 are about as dark where most runs pass.
pub fn faint(n: usize) -> f64 {
    (3.0 / n.max(1) as f64).clamp(0.08, 0.4)
}

/// Every cloud's runs up to iterate `upto`, one CSS pixel wide, then every mean path.
pub fn cloud<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    clouds: &[CloudStyle],
    upto: usize,
) -> Result<(), Error> {
    let mut chart = chart(area, layout, view)?;
    let px = |css: f64| layout.px(css).round().max(1.0) as u32;
    let pixel = |p: (f64, f64)| layout.pixel_of(view, [p.0, p.1]);
    let runs = |points: &[Point]| {
        let shown = &points[..points.len().min(upto.saturating_add(1))];
        let line: Vec<(f64, f64)> = shown.iter().map(|p| (p[0], p[1])).collect();
        clip_polyline(view, &decimate(&line, pixel, 0.5))
    };
    for c in clouds {
        let style = c.colour.mix(faint(c.runs.len())).stroke_width(px(1.0));
        chart
            .draw_series(
                c.runs
                    .iter()
                    .flat_map(|points| runs(points))
                    .map(|run| PathElement::new(run, style)),
            )
            .map_err(drawing)?;
    }
    let (dash, gap) = (layout.px(6.0).round() as i32, layout.px(4.0).round() as i32);
    for c in clouds {
        for run in runs(c.mean) {
            chart
                .draw_series([PathElement::new(
                    run.clone(),
                    WHITE.mix(0.8).stroke_width(px(5.0)),
                )])
                .map_err(drawing)?;
            chart
                .draw_series([plotters::element::DashedPathElement::new(
                    run,
                    dash,
                    gap,
                    c.colour.stroke_width(px(3.0)),
                )])
                .map_err(drawing)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;

    #[test]
    fn runs_are_faint_and_thin_and_the_mean_dashed_over_a_halo() {
        let view = ViewBox::new(-1.0, 1.0, -1.0, 1.0);
        let layout = Layout::new(300, 300, 1.0, Margins::SURFACE);
        let a: Vec<Point> = (0..=10).map(|k| [-0.9 + 0.18 * k as f64, 0.5]).collect();
        let b: Vec<Point> = (0..=10).map(|k| [-0.9 + 0.18 * k as f64, -0.5]).collect();
        let mean: Vec<Point> = (0..=10).map(|k| [-0.9 + 0.18 * k as f64, 0.0]).collect();
        let colour = RGBColor(213, 94, 0);
        let clouds = [CloudStyle {
            runs: vec![&a, &b],
            mean: &mean,
            colour,
        }];
        let svg = super::super::svg((300, 300), |area| {
            cloud(area, &layout, &view, &clouds, usize::MAX)
        });
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let stroked: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("stroke") == Some("#D55E00"))
            .map(|n| {
                (
                    n.tag_name().name().to_string(),
                    n.attribute("stroke-width").unwrap().to_string(),
                    n.attribute("opacity").unwrap().parse::<f64>().unwrap(),
                )
            })
            .collect();
        // Two faint runs, then the mean in dashes, several strokes of 3 pixels.
        assert_eq!(stroked[0], ("polyline".into(), "1".into(), 0.4));
        assert_eq!(stroked[1], ("polyline".into(), "1".into(), 0.4));
        let dashes = &stroked[2..];
        assert!(dashes.len() > 5, "{svg}");
        assert!(
            dashes.iter().all(|d| d.1 == "3" && d.2 == 1.0),
            "{dashes:?}"
        );
        assert_eq!((faint(100), faint(10), faint(1)), (0.08, 0.3, 0.4));
    }
}
