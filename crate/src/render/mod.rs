//! Drawing with plotters, generic over its `DrawingBackend`: the page draws on a canvas,
//! the CLI writes SVG or PNG ([`bitmap`]), from this same code.
//!
//! A figure is drawn in layers: [`frame`] (background, axes), the heatmap (an RGBA image
//! put by the page, or [`filled_contours`] in vector form), [`overlay`] (contour lines,
//! border, minima and saddles), then [`paths`] on top. The page keeps the first layers on
//! one canvas and redraws only the paths, on another, as they change; a [`cloud`] of
//! noisy runs goes under the paths. A [`Backdrop`] is those first layers computed once
//! for a layout, which a recording of a race draws under each of its frames. [`loss_chart`] draws the loss against the
//! iteration, [`tune_chart`] the final loss against η; [`rate_frame`], [`rate_cells`]
//! and [`rate_overlay`] the rate map over (η, γ), [`rate_marker`] its current point.
//! [`surface3d`] draws the surface in perspective instead of the map, with the paths on
//! it, in one call. For the network lab, besides [`network`] and [`digits`], the slides'
//! own panels: [`activation`] (g and g′ over a histogram of zˡ), [`softmax`] (with its
//! Jacobian) and [`backprop`] (the passes played on the network drawing).

pub mod activation;
mod anatomy;
pub mod axis;
pub mod backprop;
#[cfg(not(target_arch = "wasm32"))]
pub mod bitmap;
mod chart;
mod clip;
mod cloud;
pub mod diagnostics;
pub mod digits;
mod eigen;
pub mod interpolation;
pub mod landscape;
mod legend;
pub mod lr_range;
pub mod network;
mod overlap;
mod paths;
mod race;
mod rates;
pub mod runs;
pub mod softmax;
mod style;
mod surface;
mod surface3d;
mod tune_chart;

pub use anatomy::{anatomy, geometry, ELLIPSE_SIZE};
#[cfg(not(target_arch = "wasm32"))]
pub use bitmap::LikeCanvas;
pub use chart::{loss_chart, Band, Series};
pub use cloud::{cloud, faint, CloudStyle};
pub use eigen::{eigen_error_chart, EigenSeries};
pub use legend::{legend, LegendStyle, Sample};
pub use paths::{paths, vector_paths, Highlight, PathStyle, DIVERGED, PALETTE};
#[cfg(not(target_arch = "wasm32"))]
pub use race::backdrop;
pub use race::Backdrop;
pub use rates::{
    rate_cells, rate_frame, rate_marker, rate_overlay, rate_point_at, rate_svg, RATE_MARGINS,
};
pub use style::{marker, method_colours, style_of, styles_of, Shape, Style};
pub use surface::{contour_shade, filled_contours, frame, overlay};
pub use surface3d::{
    figure3d, surface3d, Camera, CameraDegrees, Mesh, CAMERA_DEGREES, MARGINS_3D, MESH_SIDE,
};
pub use tune_chart::{tune_chart, TuneCurve};

use crate::field::Field;
use crate::surface::Surface;

/// Samples a side of a figure's filled contours and lines (fewer where the surface
/// affords fewer, see [`Surface::samples`]).
const FIGURE_SAMPLES: usize = 160;

/// A whole figure in vector form: frame, filled contours, contour lines, critical
/// points, then every path with a legend. The CLI writes it as SVG or PNG; the page
/// exports it.
pub fn figure<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    surface: &dyn Surface,
    view: &ViewBox,
    styles: &[PathStyle],
) -> Result<(), Error> {
    let side = surface
        .samples()
        .map_or(FIGURE_SAMPLES, |most| most.min(FIGURE_SAMPLES));
    let field = Field::sample(surface, *view, side, side);
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
    vector_paths(area, layout, view, styles)
}

/// An SVG drawing with round joins and caps on every line, as the canvas draws them
/// (see `web::canvas::area`): paths over a white halo would otherwise show the halo's
/// mitred spikes at every sharp turn. The attributes are set on the root element, from
/// which every line inherits them.
pub fn round_joins(svg: &str) -> String {
    svg.replacen(
        "<svg ",
        r#"<svg stroke-linejoin="round" stroke-linecap="round" "#,
        1,
    )
}

use crate::config::Error;
pub use crate::layout::{Layout, Margins};
use crate::surface::ViewBox;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

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
    // By its family, not by name: a name is parsed with `str::to_lowercase` (see [`legend`]).
    FontDesc::new(
        FontFamily::SansSerif,
        layout.px(css_size),
        FontStyle::Normal,
    )
    .color(&BLACK)
}

/// The texts of an SVG drawing, trimmed, in document order: what native tests read.
#[cfg(test)]
fn svg_texts(svg: &str) -> Vec<String> {
    roxmltree::Document::parse(svg)
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

/// An SVG `points` attribute as (x, y) pairs: a polyline or polygon the native tests read.
#[cfg(test)]
fn svg_points(attribute: &str) -> Vec<(f64, f64)> {
    attribute
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// The u of every vertical polyline of an SVG drawing that spans at least `height`
/// pixels: the guides a chart draws across its plot.
#[cfg(test)]
fn svg_verticals(svg: &str, height: f64) -> Vec<f64> {
    roxmltree::Document::parse(svg)
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .filter_map(|n| {
            let p = svg_points(n.attribute("points").unwrap());
            let spans = p.len() == 2 && p[0].0 == p[1].0 && (p[0].1 - p[1].1).abs() >= height;
            spans.then_some(p[0].0)
        })
        .collect()
}

/// A drawing as SVG text, `width` × `height`, for the native tests to read.
#[cfg(test)]
fn svg(
    (width, height): (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), Error>,
) -> String {
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
        draw(&area).unwrap();
        area.present().unwrap();
    }
    text
}
