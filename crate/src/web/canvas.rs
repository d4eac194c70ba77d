//! Canvases as plotters drawing areas, and the few raw 2D-context calls plotters lacks.

use crate::config::Error;
#[cfg(feature = "optimizer-lab")]
use crate::field::Contour;
#[cfg(feature = "optimizer-lab")]
use crate::render::contour_shade;
use crate::render::{Layout, Margins};
#[cfg(feature = "optimizer-lab")]
use crate::surface::ViewBox;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

pub fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, Error> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| Error::new("this browser gives no 2D canvas context"))
}

/// Where a plot with `margins` sits in the whole canvas, at `pixel_ratio`.
pub fn layout(canvas: &HtmlCanvasElement, pixel_ratio: f64, margins: Margins) -> Layout {
    Layout::new(canvas.width(), canvas.height(), pixel_ratio, margins)
}

/// The whole canvas as a drawing area, in device pixels, drawing lines with round joins
/// and caps (plotters sets neither, so the context keeps them), as the SVG figures do
/// (see [`crate::render::round_joins`]).
pub fn area(canvas: &HtmlCanvasElement) -> Result<DrawingArea<CanvasBackend, Shift>, Error> {
    let context = context(canvas)?;
    context.set_line_join("round");
    context.set_line_cap("round");
    CanvasBackend::with_canvas_object(canvas.clone())
        .map(|backend| backend.into_drawing_area())
        .ok_or_else(|| Error::new("this browser gives no 2D canvas context"))
}

/// Makes the canvas fully transparent (plotters can only paint over it).
pub fn clear(canvas: &HtmlCanvasElement) -> Result<(), Error> {
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    context(canvas)?.clear_rect(0.0, 0.0, w, h);
    Ok(())
}

/// Contour lines over the plot of `layout`, stroked through the 2D context at fractional
/// device pixels: plotters rounds every vertex to a whole pixel, which turns a gently
/// sloping line of short segments into a staircase.
#[cfg(feature = "optimizer-lab")]
pub fn stroke_contours(
    canvas: &HtmlCanvasElement,
    layout: &Layout,
    view: &ViewBox,
    contours: &[Contour],
) -> Result<(), Error> {
    let context = context(canvas)?;
    let [left, top, right, bottom] = layout.plot.map(f64::from);
    context.save();
    context.begin_path();
    context.rect(left, top, right - left, bottom - top);
    context.clip();
    context.set_line_width(layout.px(1.0).max(1.0).round());
    for contour in contours {
        let shade = contour_shade(contour.unit);
        let css = format!("rgba({}, {}, {}, {})", shade.0, shade.1, shade.2, shade.3);
        context.set_stroke_style_str(&css);
        context.begin_path();
        for line in &contour.lines {
            let mut pixels = line.iter().map(|p| layout.pixel_of(view, *p));
            if let Some((u, v)) = pixels.next() {
                context.move_to(u, v);
            }
            for (u, v) in pixels {
                context.line_to(u, v);
            }
        }
        context.stroke();
    }
    context.restore();
    Ok(())
}

/// Puts an RGBA image of `width` × `height` pixels with its top-left corner at (x, y):
/// the whole heatmap in one call.
pub fn put_image(
    canvas: &HtmlCanvasElement,
    rgba: &[u8],
    width: u32,
    (x, y): (i32, i32),
) -> Result<(), Error> {
    let image = ImageData::new_with_u8_clamped_array(Clamped(rgba), width)
        .map_err(|_| Error::new("cannot make the heatmap image"))?;
    context(canvas)?
        .put_image_data(&image, x as f64, y as f64)
        .map_err(|_| Error::new("cannot draw the heatmap image"))
}

/// Puts an RGBA image `width` pixels wide on `scratch`, then draws it scaled, smoothly,
/// into `(x, y, w, h)` of `canvas`: a coarse map filling a large view in two calls.
#[cfg(feature = "network-lab")]
pub fn put_scaled(
    canvas: &HtmlCanvasElement,
    scratch: &HtmlCanvasElement,
    rgba: &[u8],
    width: u32,
    (x, y, w, h): (i32, i32, i32, i32),
) -> Result<(), Error> {
    let height = (rgba.len() / 4) as u32 / width.max(1);
    if scratch.width() != width || scratch.height() != height {
        scratch.set_width(width);
        scratch.set_height(height);
    }
    put_image(scratch, rgba, width, (0, 0))?;
    let context = context(canvas)?;
    context.set_image_smoothing_enabled(true);
    context
        .draw_image_with_html_canvas_element_and_dw_and_dh(
            scratch, x as f64, y as f64, w as f64, h as f64,
        )
        .map_err(|_| Error::new("cannot draw the map"))
}
