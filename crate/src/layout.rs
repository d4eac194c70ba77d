//! Where a plot sits on a canvas or in an SVG: its rectangle in device pixels, and the
//! map between the plane's points and those pixels, which drawing and pointer events
//! share.

use crate::surface::{Point, ViewBox};

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
    pub fn px(&self, css: f64) -> f64 {
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
