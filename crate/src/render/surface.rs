use super::{chart, drawing, font, Chart, Layout};
use crate::config::Error;
use crate::field::{colour, Contour, Region};
use crate::surface::{CriticalKind, CriticalPoint, ViewBox};
use plotters::coord::Shift;
use plotters::prelude::*;

/// White background, axes with tick labels, and a border around the plot.
pub fn frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let mut chart = chart(area, layout, view)?;
    let ticks = |pixels: u32| ((pixels as f64 / layout.px(70.0)) as usize).clamp(2, 10);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(ticks(layout.plot_width()))
        .y_labels(ticks(layout.plot_height()))
        .label_style(font(layout, 12.0))
        .axis_style(BLACK.stroke_width(layout.px(1.0).round() as u32))
        .x_label_formatter(&|v: &f64| format_tick(*v))
        .y_label_formatter(&|v: &f64| format_tick(*v))
        .draw()
        .map_err(drawing)
}

/// Short tick labels: `-1.5`, `0`, `2e4`.
fn format_tick(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v.abs() >= 1e4 || v.abs() < 1e-3 {
        return format!("{v:.0e}");
    }
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn rgb([r, g, b]: [u8; 3]) -> RGBColor {
    RGBColor(r, g, b)
}

/// The heatmap in vector form: regions from [`crate::field::Field::filled_contours`],
/// painted in order.
pub fn filled_contours<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    regions: &[Region],
) -> Result<(), Error> {
    let mut chart = chart(area, layout, view)?;
    chart
        .draw_series(regions.iter().map(|region| {
            let ring = region.ring.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>();
            Polygon::new(ring, rgb(colour(region.unit)).filled())
        }))
        .map_err(drawing)?;
    Ok(())
}

/// What goes over the heatmap: contour lines, a border, minima and saddle points.
pub fn overlay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    contours: &[Contour],
    points: &[CriticalPoint],
) -> Result<(), Error> {
    let mut chart = chart(area, layout, view)?;
    contour_lines(&mut chart, layout, contours)?;
    let stroke = layout.px(1.0).max(1.0).round() as u32;
    chart
        .draw_series([Rectangle::new(
            [(view.x.0, view.y.0), (view.x.1, view.y.1)],
            BLACK.stroke_width(stroke),
        )])
        .map_err(drawing)?;
    critical_points(&mut chart, layout, points)
}

/// A contour line's colour at `unit` on the colour scale: darker on the lower levels,
/// so the floor of a valley reads at a glance.
pub fn contour_shade(unit: f64) -> RGBAColor {
    RGBAColor(40, 40, 60, 0.55 - 0.3 * unit)
}

/// Contour lines in [`contour_shade`].
fn contour_lines<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    layout: &Layout,
    contours: &[Contour],
) -> Result<(), Error> {
    let width = layout.px(1.0).max(1.0).round() as u32;
    for contour in contours {
        let shade = contour_shade(contour.unit);
        chart
            .draw_series(contour.lines.iter().map(|line| {
                PathElement::new(
                    line.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
                    shade.stroke_width(width),
                )
            }))
            .map_err(drawing)?;
    }
    Ok(())
}

/// Minima as white discs ringed in black with a black centre, saddle points as black
/// crosses.
fn critical_points<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    layout: &Layout,
    points: &[CriticalPoint],
) -> Result<(), Error> {
    let size = layout.px(6.0).round() as i32;
    let stroke = layout.px(2.0).round() as u32;
    let view = chart.x_range();
    let y_range = chart.y_range();
    for c in points {
        if !view.contains(&c.point[0]) || !y_range.contains(&c.point[1]) {
            continue;
        }
        let at = (c.point[0], c.point[1]);
        match c.kind {
            CriticalKind::Minimum => {
                chart
                    .draw_series([
                        Circle::new(at, size, WHITE.filled()),
                        Circle::new(at, size, BLACK.stroke_width(stroke)),
                    ])
                    .map_err(drawing)?;
                chart
                    .draw_series([Circle::new(at, size / 3, BLACK.filled())])
                    .map_err(drawing)?;
            }
            CriticalKind::Saddle => {
                chart
                    .draw_series([Cross::new(at, size, BLACK.stroke_width(stroke))])
                    .map_err(drawing)?;
            }
        }
    }
    Ok(())
}
