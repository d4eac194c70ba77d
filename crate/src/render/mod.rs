//! Drawing with plotters, generic over its `DrawingBackend`: the page draws on a canvas,
//! the CLI writes SVG, from this same code.
//!
//! A figure is drawn in layers: [`frame`] (background, axes), the heatmap (an RGBA image
//! put by the page, or [`filled_contours`] in vector form), [`overlay`] (contour lines,
//! border, minima and saddles), then [`paths`] on top. The page keeps the first layers on
//! one canvas and redraws only the paths, on another, as they change. [`loss_chart`]
//! draws the loss against the iteration.

mod chart;
mod clip;
pub mod network;
mod paths;
mod surface;

pub use chart::{loss_chart, Series};
pub use paths::{paths, Highlight, PathStyle, PALETTE};
pub use surface::{filled_contours, frame, overlay};

use crate::field::Field;
use crate::surface::Surface;

/// A whole figure in vector form: frame, filled contours, contour lines, critical
/// points, then every path with a legend. The CLI writes it as SVG; the page exports it.
pub fn figure<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    surface: &dyn Surface,
    view: &ViewBox,
    styles: &[PathStyle],
) -> Result<(), Error> {
    let field = Field::sample(surface, *view, 160, 160);
    let levels = field.levels(15);
    frame(area, layout, view)?;
    filled_contours(area, layout, view, &field.filled_contours(&levels))?;
    overlay(
        area,
        layout,
        view,
        &field.contours(&levels),
        &surface.critical_points(),
    )?;
    paths(area, layout, view, styles, usize::MAX, None)
}

use crate::config::Error;
use crate::surface::{Point, ViewBox};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Where the plot sits in a backend of `width` × `height` device pixels.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    /// Device pixels per CSS pixel: line widths and fonts scale with it.
    pub pixel_ratio: f64,
    /// The plotting rectangle, in device pixels: left, top, right, bottom.
    pub plot: [i32; 4],
}

/// Margins around the plot in CSS pixels: room for tick labels on the left and below.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Margins {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Margins {
    /// The surface view: tick labels only.
    pub const SURFACE: Margins = Margins {
        left: 46.0,
        top: 8.0,
        right: 10.0,
        bottom: 28.0,
    };
    /// The loss chart: tick labels and axis names.
    pub const CHART: Margins = Margins {
        left: 64.0,
        top: 8.0,
        right: 12.0,
        bottom: 40.0,
    };
}

impl Layout {
    pub fn new(width: u32, height: u32, pixel_ratio: f64, margins: Margins) -> Layout {
        let r = if pixel_ratio.is_finite() {
            pixel_ratio.clamp(0.5, 8.0)
        } else {
            1.0
        };
        let px = |css: f64| (css * r).round() as i32;
        let (w, h) = (width.max(1) as i32, height.max(1) as i32);
        let left = px(margins.left).min(w / 3);
        let bottom = px(margins.bottom).min(h / 3);
        let top = px(margins.top).min(h / 8);
        let right = px(margins.right).min(w / 8);
        Layout {
            width,
            height,
            pixel_ratio: r,
            plot: [
                left,
                top,
                (w - right).max(left + 1),
                (h - bottom).max(top + 1),
            ],
        }
    }

    pub fn plot_width(&self) -> u32 {
        (self.plot[2] - self.plot[0]) as u32
    }

    pub fn plot_height(&self) -> u32 {
        (self.plot[3] - self.plot[1]) as u32
    }

    /// A length of `css` CSS pixels in device pixels.
    fn px(&self, css: f64) -> f64 {
        css * self.pixel_ratio
    }

    /// The surface point under device pixel (u, v).
    pub fn point_at(&self, view: &ViewBox, u: f64, v: f64) -> Point {
        let [left, top, right, bottom] = self.plot.map(f64::from);
        [
            view.x.0 + (u - left) / (right - left) * view.width(),
            view.y.1 - (v - top) / (bottom - top) * view.height(),
        ]
    }

    /// The device pixel (u, v) of a surface point: the inverse of [`Layout::point_at`].
    pub fn pixel_of(&self, view: &ViewBox, p: Point) -> (f64, f64) {
        let [left, top, right, bottom] = self.plot.map(f64::from);
        (
            left + (p[0] - view.x.0) / view.width() * (right - left),
            top + (view.y.1 - p[1]) / view.height() * (bottom - top),
        )
    }
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A builder whose plotting area will be exactly `layout.plot`.
fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    layout: &Layout,
) -> ChartBuilder<'a, 'b, DB> {
    let [left, top, right, bottom] = layout.plot;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(top)
        .margin_right(layout.width as i32 - right)
        .y_label_area_size(left)
        .x_label_area_size(layout.height as i32 - bottom);
    builder
}

/// A chart over `layout.plot` with `view`'s coordinates.
fn chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
) -> Result<Chart<'a, DB>, Error> {
    builder(area, layout)
        .build_cartesian_2d(view.x.0..view.x.1, view.y.0..view.y.1)
        .map_err(drawing)
}

fn drawing<E: std::fmt::Display>(error: E) -> Error {
    Error::new(format!("drawing failed: {error}"))
}

/// The font plotters uses for labels. Natively it must be registered from bytes (the
/// DejaVu Sans that the `dejavu` crate ships); in the browser the canvas has its own.
fn font(layout: &Layout, css_size: f64) -> TextStyle<'static> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static REGISTER: std::sync::Once = std::sync::Once::new();
        REGISTER.call_once(|| {
            let _ = plotters::style::register_font(
                "sans-serif",
                FontStyle::Normal,
                dejavu::sans::regular(),
            );
        });
    }
    ("sans-serif", layout.px(css_size))
        .into_font()
        .color(&BLACK)
}
