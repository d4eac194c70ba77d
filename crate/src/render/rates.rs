//! The rate map's picture: learning rate η on a log axis, momentum γ on a linear one,
//! the cells as a heatmap with a colour bar, and in closed form the stability limit, the
//! critical-damping curves of λ_min and λ_max and the optimum; the current (η, γ) on top.
//!
//! Drawn in layers like the surface: [`rate_frame`], the heatmap (an RGBA image put by
//! the page, or [`rate_cells`] in vector form), then [`rate_overlay`] and
//! [`rate_marker`].

use super::axis::{Axis, Scale};
use super::chart::axes;
use super::{builder, drawing, font, marker, style_of, Layout, Shape};
use crate::config::Error;
use crate::layout::Margins;
use crate::rates::{
    critical_damping, rate_colour, rate_unit, stability_limit, Accelerated, Grid, RateMap,
    DIVERGED, SCALE_DECADES, STALLED,
};
use crate::text::number;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Tick labels and axis names on the left and below; the colour bar on the right (at
/// most an eighth of the width, see [`Layout::new`]).
pub const RATE_MARGINS: Margins = Margins {
    left: 64.0,
    top: 8.0,
    right: 76.0, // the colour bar and its labels, up to "0.9999"
    bottom: 40.0,
};

type RateChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// The map's axes: η on a log scale, γ linear, over the grid's ranges.
fn axes_of(grid: &Grid) -> Result<(Axis, Axis), Error> {
    Ok((
        Axis::new(Scale::Log, grid.lr.0, grid.lr.1)?,
        Axis::new(Scale::Linear, grid.momentum.0, grid.momentum.1)?,
    ))
}

fn chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    layout: &Layout,
    grid: &Grid,
) -> Result<RateChart<'a, DB>, Error> {
    let (x, y) = axes_of(grid)?;
    builder(area, layout)
        .build_cartesian_2d(x, y)
        .map_err(drawing)
}

/// White background, ticks and the axes' names.
pub fn rate_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    grid: &Grid,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let mut chart = chart(area, layout, grid)?;
    axes(&mut chart, layout, "learning rate η", "momentum γ")
}

/// The (η, γ) under device pixel (u, v), clamped to the ranges; None outside the plot.
pub fn rate_point_at(layout: &Layout, grid: &Grid, u: f64, v: f64) -> Option<(f64, f64)> {
    let [left, top, right, bottom] = layout.plot.map(f64::from);
    let (fx, fy) = ((u - left) / (right - left), (bottom - v) / (bottom - top));
    if !((0.0..=1.0).contains(&fx) && (0.0..=1.0).contains(&fy)) {
        return None;
    }
    let (x, y) = axes_of(grid).ok()?;
    Some((
        x.value_at(fx).clamp(grid.lr.0, grid.lr.1),
        y.value_at(fy).clamp(grid.momentum.0, grid.momentum.1),
    ))
}

fn rgb(c: [u8; 4]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// The heatmap in vector form, each cell (column i, row j) a rectangle reaching halfway
/// to its neighbours, runs of one colour in a row merged; pending cells left out.
pub fn rate_cells<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    map: &RateMap,
) -> Result<(), Error> {
    let grid = map.grid();
    let (x, y) = axes_of(grid)?;
    let mut chart = chart(area, layout, grid)?;
    let edge = |axis: &Axis, k: f64, n: usize| axis.value_at((k / (n - 1) as f64).clamp(0.0, 1.0));
    let mut cells = Vec::new();
    for j in 0..grid.rows {
        let (y0, y1) = (
            edge(&y, j as f64 - 0.5, grid.rows),
            edge(&y, j as f64 + 0.5, grid.rows),
        );
        let mut i = 0;
        while i < grid.columns {
            let colour = rate_colour(map.shown(i, j));
            let mut end = i + 1;
            while end < grid.columns && rate_colour(map.shown(end, j)) == colour {
                end += 1;
            }
            if colour[3] > 0 {
                let (x0, x1) = (
                    edge(&x, i as f64 - 0.5, grid.columns),
                    edge(&x, end as f64 - 0.5, grid.columns),
                );
                cells.push(Rectangle::new([(x0, y0), (x1, y1)], rgb(colour).filled()));
            }
            i = end;
        }
    }
    chart.draw_series(cells).map_err(drawing)?;
    Ok(())
}

/// Points (η, γ) of `curve` sampled at 400 learning rates across the map, split where it
/// leaves the momentum range.
fn sampled(grid: &Grid, curve: impl Fn(f64) -> Option<f64>) -> Vec<Vec<(f64, f64)>> {
    let x = Axis::new(Scale::Log, grid.lr.0, grid.lr.1);
    let Ok(x) = x else {
        return Vec::new();
    };
    let mut runs = vec![Vec::new()];
    for k in 0..=400 {
        let lr = x.value_at(k as f64 / 400.0);
        match curve(lr).filter(|g| (grid.momentum.0..=grid.momentum.1).contains(g)) {
            Some(g) => runs.last_mut().expect("one run at least").push((lr, g)),
            None => runs.push(Vec::new()),
        }
    }
    runs.retain(|r| r.len() > 1);
    runs
}

/// The whole picture as SVG text of `size` pixels, the cells in vector form.
pub fn rate_svg(map: &RateMap, size: (u32, u32), current: (f64, f64)) -> Result<String, Error> {
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, size).into_drawing_area();
        let layout = Layout::new(size.0, size.1, 1.0, RATE_MARGINS);
        rate_frame(&area, &layout, map.grid())?;
        rate_cells(&area, &layout, map)?;
        rate_overlay(&area, &layout, map)?;
        rate_marker(&area, &layout, map, current)?;
        area.present().map_err(drawing)?;
    }
    Ok(super::round_joins(&text))
}

/// A line in the map's styles: the stability limit black on a white halo, critical
/// damping white on a dark one, dashed for λ_min.
#[derive(Clone, Copy, PartialEq)]
enum Line {
    Limit,
    CriticalMax,
    CriticalMin,
}

impl Line {
    /// Through `pixels`, device pixels of `area`.
    fn draw<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        layout: &Layout,
        pixels: Vec<(i32, i32)>,
    ) -> Result<(), Error> {
        let width = |css: f64| layout.px(css).max(1.0).round() as u32;
        let (halo, core) = match self {
            Line::Limit => (
                WHITE.stroke_width(width(4.0)),
                BLACK.stroke_width(width(2.0)),
            ),
            _ => (
                BLACK.mix(0.55).stroke_width(width(3.5)),
                WHITE.stroke_width(width(1.5)),
            ),
        };
        for style in [halo, core] {
            if self == Line::CriticalMin {
                let (dash, gap) = (layout.px(6.0) as i32, layout.px(4.0) as i32);
                area.draw(&DashedPathElement::new(pixels.clone(), dash, gap, style))
            } else {
                area.draw(&PathElement::new(pixels.clone(), style))
            }
            .map_err(drawing)?;
        }
        Ok(())
    }
}

/// The stability limit, critical damping and optimum (closed form only), the border, a
/// legend and the colour bar.
pub fn rate_overlay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    map: &RateMap,
) -> Result<(), Error> {
    let grid = *map.grid();
    let method = map.method();
    let mut chart = chart(area, layout, &grid)?;
    let label = font(layout, 11.0);
    let stroke = |css: f64| layout.px(css).max(1.0).round() as u32;
    let mut legend: Vec<(Key, &str)> = Vec::new();
    let plot = layout.plot;
    let clip = area.clone().shrink(
        (plot[0], plot[1]),
        ((plot[2] - plot[0]) as u32, (plot[3] - plot[1]) as u32),
    );
    // A curve's points as pixels of the plot's own area, which clips them.
    let inner = |run: Vec<(f64, f64)>| -> Vec<(i32, i32)> {
        run.iter()
            .map(|p| {
                let (u, v) = chart.backend_coord(p);
                (u - plot[0], v - plot[1])
            })
            .collect()
    };
    if let Some(c) = map.curvatures() {
        for (lambda, line) in [(c.max, Line::CriticalMax), (c.min, Line::CriticalMin)] {
            for run in sampled(&grid, |lr| critical_damping(method, lr, lambda)) {
                line.draw(&clip, layout, inner(run))?;
            }
        }
        // The limit η(γ) is monotone in γ: bisect for the γ of each η.
        let limit = |lr: f64| {
            let (g0, g1) = grid.momentum;
            let at = |g: f64| stability_limit(method, g, c.max) - lr;
            if at(g0).signum() == at(g1).signum() {
                return None;
            }
            let (mut a, mut b) = (g0, g1);
            for _ in 0..60 {
                let m = 0.5 * (a + b);
                if at(m).signum() == at(a).signum() {
                    a = m;
                } else {
                    b = m;
                }
            }
            Some(0.5 * (a + b))
        };
        for run in sampled(&grid, limit) {
            Line::Limit.draw(&clip, layout, inner(run))?;
        }
        legend.push((
            Key::Line(Line::Limit),
            match method {
                Accelerated::Momentum => "stability limit ηλ_max = 2(1 + γ)",
                Accelerated::Nesterov => "stability limit ηλ_max = 2(1 + γ)/(1 + 2γ)",
            },
        ));
        legend.push((Key::Line(Line::CriticalMax), "critical damping of λ_max"));
        legend.push((Key::Line(Line::CriticalMin), "critical damping of λ_min"));
        if let Some(best) = map.optimum() {
            let inside = (grid.lr.0..=grid.lr.1).contains(&best.lr)
                && (grid.momentum.0..=grid.momentum.1).contains(&best.momentum);
            if inside {
                let at = (best.lr, best.momentum);
                chart
                    .draw_series([marker(
                        at,
                        Shape::Star,
                        layout.px(6.0),
                        layout.px(1.5),
                        BLACK,
                    )])
                    .map_err(drawing)?;
                let (u, v) = chart.backend_coord(&at);
                let right_half = u > (plot[0] + plot[2]) / 2;
                let (side, offset) = if right_half {
                    (HPos::Right, -layout.px(10.0))
                } else {
                    (HPos::Left, layout.px(10.0))
                };
                let style = label.clone().pos(Pos::new(side, VPos::Center));
                let text = format!("optimum, rate {}", crate::text::significant(best.rate));
                area.draw_text(&text, &style, (u + offset as i32, v))
                    .map_err(drawing)?;
            }
        }
    }
    legend.push((Key::Swatch(STALLED), "rate ≥ 1"));
    if map.curvatures().is_none() {
        legend.push((Key::Swatch(DIVERGED), "diverged"));
    }
    draw_legend(area, layout, &legend)?;
    let [left, top, right, bottom] = plot;
    area.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        BLACK.stroke_width(stroke(1.0)),
    ))
    .map_err(drawing)?;
    colour_bar(area, layout)
}

/// The current (η, γ) as a marker of the method's own shape and colour, clamped to the
/// map: on a layer of its own in the page, redrawn as a slider moves while the map
/// beneath stays.
pub fn rate_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    map: &RateMap,
    current: (f64, f64),
) -> Result<(), Error> {
    let grid = *map.grid();
    let method = map.method();
    let mut chart = chart(area, layout, &grid)?;
    let here = (
        current.0.clamp(grid.lr.0, grid.lr.1),
        current.1.clamp(grid.momentum.0, grid.momentum.1),
    );
    if here.0.is_finite() && here.1.is_finite() {
        let look = style_of(method.name(), 0);
        chart
            .draw_series([marker(
                here,
                look.shape,
                layout.px(5.5),
                layout.px(2.0),
                look.colour,
            )])
            .map_err(drawing)?;
    }
    Ok(())
}

/// What a legend row shows beside its text.
enum Key {
    Line(Line),
    Swatch([u8; 4]),
}

/// A white box in the plot's bottom-left corner (the slow region, which the curves
/// leave free), one row per line or swatch.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    rows: &[(Key, &str)],
) -> Result<(), Error> {
    let px = |css: f64| layout.px(css).round() as i32;
    let [left, _, _, bottom] = layout.plot;
    let longest = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0) as f64;
    let (row, width) = (px(15.0), px(36.0 + 5.6 * longest));
    let height = row * rows.len() as i32 + px(6.0);
    let (x0, y0) = (left + px(6.0), bottom - px(6.0) - height);
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + width, y0 + height)],
        WHITE.mix(0.88).filled(),
    ))
    .map_err(drawing)?;
    let label = font(layout, 11.0).pos(Pos::new(HPos::Left, VPos::Center));
    for (k, (key, text)) in rows.iter().enumerate() {
        let v = y0 + px(3.0) + row * k as i32 + row / 2;
        let (a, b) = (x0 + px(5.0), x0 + px(25.0));
        match key {
            Key::Line(line) => line.draw(area, layout, vec![(a, v), (b, v)])?,
            Key::Swatch(colour) => area
                .draw(&Rectangle::new(
                    [(a + px(4.0), v - px(5.0)), (b - px(4.0), v + px(5.0))],
                    rgb(*colour).filled(),
                ))
                .map_err(drawing)?,
        }
        area.draw_text(text, &label, (b + px(5.0), v))
            .map_err(drawing)?;
    }
    Ok(())
}

/// The colour scale beside the plot: r from 0 (bottom) to 1 − 10⁻⁴ (top) with ticks at
/// 0, 0.9, 0.99, 0.999, 0.9999, each a tenfold slower approach.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
) -> Result<(), Error> {
    let [_, top, right, bottom] = layout.plot;
    let px = |css: f64| layout.px(css).round() as i32;
    let (x0, x1) = (right + px(8.0), right + px(18.0));
    let label = font(layout, 10.0).pos(Pos::new(HPos::Left, VPos::Center));
    let height = f64::from(bottom - top);
    let steps = 64;
    for k in 0..steps {
        // Slice k from the bottom shows the rate at the middle of its span of the scale.
        let unit = (k as f64 + 0.5) / steps as f64;
        let rate = 1.0 - libm::exp10(-unit * SCALE_DECADES);
        let colour = rate_colour(Some(crate::rates::Rate::Contraction(rate)));
        let v0 = bottom - (k as f64 * height / steps as f64).round() as i32;
        let v1 = bottom - ((k + 1) as f64 * height / steps as f64).round() as i32;
        area.draw(&Rectangle::new([(x0, v1), (x1, v0)], rgb(colour).filled()))
            .map_err(drawing)?;
    }
    for rate in [0.0, 0.9, 0.99, 0.999, 0.9999] {
        let v = bottom - (rate_unit(rate) * height).round() as i32;
        area.draw(&PathElement::new(
            vec![(x1, v), (x1 + px(3.0), v)],
            BLACK.stroke_width(layout.px(1.0).max(1.0).round() as u32),
        ))
        .map_err(drawing)?;
        area.draw_text(&number(rate), &label, (x1 + px(4.0), v))
            .map_err(drawing)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::NoiseConfig;
    use crate::rates::{RateSetup, Run};

    fn map(surface: &str) -> RateMap {
        let mut map = RateMap::new(RateSetup {
            surface: crate::Spec::parse(surface).unwrap(),
            method: Accelerated::Momentum,
            empirical: false,
            run: Run {
                start: [-2.5, 2.0],
                steps: 100,
                noise: NoiseConfig::default(),
            },
            columns: 24,
            rows: 16,
            lr: None,
            momentum: None,
        })
        .unwrap();
        map.refine(usize::MAX);
        map
    }

    fn picture(map: &RateMap) -> String {
        rate_svg(map, (480, 320), (0.05, 0.5)).unwrap()
    }

    #[test]
    fn the_picture_names_its_axes_curves_and_optimum() {
        let svg = picture(&map("quadratic:lambda1=1,lambda2=10"));
        for text in [
            "learning rate η",
            "momentum γ",
            "stability limit",
            "critical damping of λ_max",
            "optimum, rate 0.519",
            "0.9999",
            "rate ≥ 1",
        ] {
            assert!(svg.contains(text), "{text}");
        }
        assert!(!svg.contains("diverged"));
        let empirical = picture(&map("booth"));
        assert!(empirical.contains("diverged") && !empirical.contains("optimum"));
    }

    #[test]
    fn a_pixel_reads_back_the_point_drawn_there() {
        let map = map("quadratic");
        let layout = Layout::new(480, 320, 1.0, RATE_MARGINS);
        let grid = map.grid();
        let [left, top, right, bottom] = layout.plot.map(f64::from);
        let (lr, g) = rate_point_at(&layout, grid, left, bottom).unwrap();
        assert_eq!((lr, g), (grid.lr.0, grid.momentum.0));
        let (lr, g) = rate_point_at(&layout, grid, right, top).unwrap();
        assert!((lr / grid.lr.1 - 1.0).abs() < 1e-12 && (g - grid.momentum.1).abs() < 1e-12);
        let middle = rate_point_at(&layout, grid, (left + right) / 2.0, top).unwrap();
        assert!((middle.0 - (grid.lr.0 * grid.lr.1).sqrt()).abs() < 1e-9 * middle.0);
        assert_eq!(rate_point_at(&layout, grid, left - 1.0, top), None);
        assert_eq!(rate_point_at(&layout, grid, left, bottom + 1.0), None);
    }
}
