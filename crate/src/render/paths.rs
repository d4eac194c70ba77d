use super::{chart, drawing, font, Layout};
use crate::config::Error;
use crate::surface::{Point, ViewBox};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The Okabe–Ito palette, distinguishable with every common colour-vision deficiency.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// One optimizer's path as drawn: its iterates, colour, legend label and whether it
/// diverged after its last point.
pub struct PathStyle<'a> {
    pub points: &'a [Point],
    pub colour: RGBColor,
    pub label: &'a str,
    pub diverged: bool,
}

/// Each path as a polyline with a dot at every iterate, over a white halo; the start as
/// a ring, a divergence as a red-ringed cross at the last finite point; and a legend.
pub fn paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    paths: &[PathStyle],
) -> Result<(), Error> {
    let mut chart = chart(area, layout, view)?;
    let px = |css: f64| layout.px(css).round().max(1.0);
    for path in paths {
        let line: Vec<(f64, f64)> = path.points.iter().map(|p| (p[0], p[1])).collect();
        chart
            .draw_series([PathElement::new(
                line.clone(),
                WHITE.mix(0.8).stroke_width(px(4.0) as u32),
            )])
            .map_err(drawing)?;
        let colour = path.colour;
        let series = chart
            .draw_series([PathElement::new(
                line.clone(),
                colour.stroke_width(px(2.0) as u32),
            )])
            .map_err(drawing)?;
        if !path.label.is_empty() {
            let w = px(14.0) as i32;
            series.label(path.label).legend(move |(x, y)| {
                Rectangle::new([(x, y - 2), (x + w, y + 2)], colour.filled())
            });
        }
        let dot = px(2.0) as i32;
        chart
            .draw_series(line.iter().map(|&p| Circle::new(p, dot, colour.filled())))
            .map_err(drawing)?;
        if let (Some(&first), Some(&last)) = (line.first(), line.last()) {
            chart
                .draw_series([Circle::new(
                    first,
                    px(5.0) as i32,
                    colour.stroke_width(px(2.0) as u32),
                )])
                .map_err(drawing)?;
            if path.diverged {
                let red = RGBColor(200, 0, 0);
                chart
                    .draw_series([
                        Circle::new(last, px(7.0) as i32, WHITE.filled()),
                        Circle::new(last, px(7.0) as i32, red.stroke_width(px(2.0) as u32)),
                    ])
                    .map_err(drawing)?;
                chart
                    .draw_series([Cross::new(
                        last,
                        px(4.0) as i32,
                        red.stroke_width(px(2.0) as u32),
                    )])
                    .map_err(drawing)?;
            }
        }
    }
    if paths.iter().any(|p| !p.label.is_empty()) {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(font(layout, 12.0))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(drawing)?;
    }
    Ok(())
}
