//! The pictures of image data: the validation digits with the network's predictions,
//! the confusion matrix, and the first layer's weights as images.
//!
//! Images sit in an [`ImageGrid`]. All of a grid's images make one RGBA mosaic, one
//! pixel per image pixel ([`ImageGrid::mosaic`]), which the page puts in a single call
//! and scales up smoothly; this module draws around it the frames, the labels and the
//! title, the same on a canvas and in SVG.

use super::network::unit_rgba;
use super::{drawing, font, Layout, PALETTE};
use crate::config::Error;
use crate::lab::images::{Confusion, Filters, Prediction};
use crate::text::significant;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

/// The height of the title band above a grid, in CSS pixels.
const TITLE: f64 = 22.0;

/// The digits' cells are at least this wide, in CSS pixels, so that each label fits.
const LEAST_CELL: f64 = 40.0;

/// The height of a digit's label, in CSS pixels.
const LABEL: f64 = 13.0;

/// What marks an error: the frame, its label and the badge with the true class
/// (vermillion, the colour-blind-safe red of the paths' palette).
pub const ERROR: RGBColor = PALETTE[1];

/// A grid of images on a canvas: `columns` × `rows` cells below a title band, each an
/// image of `shape` (rows, columns) pixels with a margin of one pixel around it and
/// `band` more pixels below it for a label, all scaled by `scale` device pixels per
/// image pixel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImageGrid {
    pub shape: [usize; 2],
    pub columns: usize,
    pub rows: usize,
    pub band: usize,
    pub scale: f64,
    /// The first cell's top-left corner, in device pixels.
    pub origin: (f64, f64),
}

impl ImageGrid {
    /// As many labelled cells as fit on `layout`'s canvas below the title, each at
    /// least [`LEAST_CELL`] CSS pixels wide with a label [`LABEL`] CSS pixels high: the
    /// cells span the width.
    pub fn filling(layout: &Layout, shape: [usize; 2]) -> ImageGrid {
        let (width, height) = (f64::from(layout.width), f64::from(layout.height));
        let top = layout.px(TITLE).min(height);
        let across = (shape[1] + 2) as f64;
        let columns = ((width / layout.px(LEAST_CELL)).floor() as usize).max(1);
        let scale = width / (columns as f64 * across);
        // A canvas with no width (while the page lays out) holds no cell.
        let band = if scale > 0.0 {
            (layout.px(LABEL) / scale).ceil() as usize
        } else {
            0
        };
        let tall = (shape[0] + 2 + band) as f64 * scale;
        let rows = if tall > 0.0 {
            ((height - top) / tall).floor() as usize
        } else {
            0
        };
        ImageGrid {
            shape,
            columns,
            rows,
            band,
            scale,
            origin: (0.0, top),
        }
    }

    /// All `count` images, as large as fit on `layout`'s canvas below the title,
    /// without labels, centred across.
    pub fn holding(layout: &Layout, shape: [usize; 2], count: usize) -> ImageGrid {
        let (width, height) = (f64::from(layout.width), f64::from(layout.height));
        let top = layout.px(TITLE).min(height);
        let (across, down) = ((shape[1] + 2) as f64, (shape[0] + 2) as f64);
        let count = count.max(1);
        let (columns, scale) = (1..=count)
            .map(|columns| {
                let rows = count.div_ceil(columns) as f64;
                let scale = (width / (columns as f64 * across)).min((height - top) / (rows * down));
                (columns, scale)
            })
            .fold(
                (1, f64::NEG_INFINITY),
                |best, c| if c.1 > best.1 { c } else { best },
            );
        let scale = scale.max(0.0);
        ImageGrid {
            shape,
            columns,
            rows: count.div_ceil(columns),
            band: 0,
            scale,
            origin: (0.5 * (width - columns as f64 * across * scale), top),
        }
    }

    pub fn cells(&self) -> usize {
        self.columns * self.rows
    }

    /// A cell's width and height, in image pixels.
    fn cell(&self) -> (usize, usize) {
        (self.shape[1] + 2, self.shape[0] + 2 + self.band)
    }

    /// The mosaic's width and height, in image pixels.
    pub fn mosaic_size(&self) -> (usize, usize) {
        let (w, h) = self.cell();
        (self.columns * w, self.rows * h)
    }

    /// Where the mosaic goes on the canvas: x, y, width and height in device pixels.
    pub fn placement(&self) -> (i32, i32, i32, i32) {
        let (w, h) = self.mosaic_size();
        (
            self.origin.0.round() as i32,
            self.origin.1.round() as i32,
            (w as f64 * self.scale).round() as i32,
            (h as f64 * self.scale).round() as i32,
        )
    }

    /// Cell `index`'s rectangle in device pixels: left, top, right, bottom.
    pub fn cell_box(&self, index: usize) -> [f64; 4] {
        let (w, h) = self.cell();
        let (column, row) = (index % self.columns.max(1), index / self.columns.max(1));
        let left = self.origin.0 + (column * w) as f64 * self.scale;
        let top = self.origin.1 + (row * h) as f64 * self.scale;
        [
            left,
            top,
            left + w as f64 * self.scale,
            top + h as f64 * self.scale,
        ]
    }

    /// Cell `index`'s image in device pixels: left, top, right, bottom.
    pub fn image_box(&self, index: usize) -> [f64; 4] {
        let [left, top, ..] = self.cell_box(index);
        let s = self.scale;
        [
            left + s,
            top + s,
            left + s * (1 + self.shape[1]) as f64,
            top + s * (1 + self.shape[0]) as f64,
        ]
    }

    /// The cell under device pixel (u, v), if any.
    pub fn cell_at(&self, u: f64, v: f64) -> Option<usize> {
        let (w, h) = self.cell();
        let column = (u - self.origin.0) / (w as f64 * self.scale);
        let row = (v - self.origin.1) / (h as f64 * self.scale);
        let inside = |t: f64, n: usize| t >= 0.0 && t < n as f64;
        (inside(column, self.columns) && inside(row, self.rows))
            .then(|| row as usize * self.columns + column as usize)
    }

    /// The mosaic of the first `count` cells' images as RGBA, white between them:
    /// `colour(cell, pixel)` gives pixel `pixel` (row by row) of cell `cell`'s image.
    pub fn mosaic(&self, count: usize, colour: impl Fn(usize, usize) -> [u8; 3]) -> Vec<u8> {
        let (width, height) = self.mosaic_size();
        let (w, h) = self.cell();
        let mut rgba = vec![255; width * height * 4];
        for cell in 0..count.min(self.cells()) {
            let (x0, y0) = ((cell % self.columns) * w + 1, (cell / self.columns) * h + 1);
            for p in 0..self.shape[0] * self.shape[1] {
                let (x, y) = (x0 + p % self.shape[1], y0 + p / self.shape[1]);
                let at = 4 * (y * width + x);
                rgba[at..at + 3].copy_from_slice(&colour(cell, p));
            }
        }
        rgba
    }
}

/// An input in [0, 1] (a digit's pixel over 16) as grey ink on white paper: 0 white, 1
/// black.
pub fn ink(x: f64) -> [u8; 3] {
    [(255.0 * (1.0 - x.clamp(0.0, 1.0))).round() as u8; 3]
}

/// The validation digits in `grid` (its cells in the validation set's order, so that
/// they stay put while the network trains): white paper, then `put_images` (which puts
/// the grid's mosaic), then under each digit the predicted class and its probability
/// ("7 · 98%", rounded down), each error in a vermillion frame with its true class in
/// the corner, the digit numbered `selected` ringed in black, and the title
/// "validation: E errors of N".
pub fn digit_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    grid: &ImageGrid,
    predictions: &[Prediction],
    selected: Option<usize>,
    put_images: impl FnOnce() -> Result<(), Error>,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    put_images()?;
    let errors = predictions.iter().filter(|p| !p.correct()).count();
    let shown = predictions.len().min(grid.cells());
    let mut title = match (predictions.len(), errors) {
        (0, _) => "no validation digits: hold some out to see them here".to_string(),
        (n, 1) => format!("validation: 1 error of {n}"),
        (n, e) => format!("validation: {e} errors of {n}"),
    };
    if shown < predictions.len() {
        title.push_str(&format!(" · the first {shown} shown"));
    }
    draw_title(area, layout, &title)?;
    let size = layout.px(10.0).min(0.8 * grid.band as f64 * grid.scale);
    let line = layout.px(2.0).round().max(1.0) as u32;
    let badge = layout.px(11.0).min(0.5 * grid.shape[1] as f64 * grid.scale);
    for (cell, p) in predictions.iter().enumerate().take(shown) {
        let [left, top, right, bottom] = grid.image_box(cell);
        let centre = (0.5 * (left + right)) as i32;
        let colour = if p.correct() { BLACK } else { ERROR };
        let percent = (100.0 * p.probability).floor().clamp(0.0, 100.0);
        let label = format!("{}\u{202f}·\u{202f}{percent}%", p.class);
        let style = font(layout, size / layout.pixel_ratio)
            .color(&colour)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let below = bottom + 0.5 * (grid.scale + grid.band as f64 * grid.scale);
        area.draw_text(&label, &style, (centre, below as i32))
            .map_err(drawing)?;
        if !p.correct() {
            let corners = [(left as i32, top as i32), (right as i32, bottom as i32)];
            area.draw(&Rectangle::new(corners, ERROR.stroke_width(line)))
                .map_err(drawing)?;
            let corner = [
                (left as i32, top as i32),
                ((left + badge) as i32, (top + badge) as i32),
            ];
            area.draw(&Rectangle::new(corner, ERROR.filled()))
                .map_err(drawing)?;
            let style = font(layout, 0.85 * badge / layout.pixel_ratio)
                .color(&WHITE)
                .pos(Pos::new(HPos::Center, VPos::Center));
            let middle = ((left + 0.5 * badge) as i32, (top + 0.5 * badge) as i32);
            area.draw_text(&p.truth.to_string(), &style, middle)
                .map_err(drawing)?;
        }
        if selected == Some(p.index) {
            let [l, t, r, b] = grid.cell_box(cell);
            let inset = 0.5 * f64::from(line);
            let corners = [
                ((l + inset) as i32, (t + inset) as i32),
                ((r - inset) as i32, (b - inset) as i32),
            ];
            area.draw(&Rectangle::new(corners, BLACK.stroke_width(line)))
                .map_err(drawing)?;
        }
    }
    Ok(())
}

/// The confusion matrix: row y (the true class), column ŷ (the predicted one), each
/// cell coloured by its count on a perceptual sequential map (colorous' blues, by the
/// square root of count / largest count, so that a single error shows beside a full
/// diagonal) with the count written in it, zeros faint.
pub fn confusion_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    confusion: &Confusion,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let k = confusion.classes.max(1);
    let (width, height) = (f64::from(layout.width), f64::from(layout.height));
    let (left, top) = (layout.px(44.0), layout.px(40.0));
    let side = (width - left - layout.px(8.0))
        .min(height - top - layout.px(8.0))
        .max(0.0);
    let cell = side / k as f64;
    let x0 = left + 0.5 * (width - left - layout.px(8.0) - side).max(0.0);
    let largest = confusion.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let number = layout.px(12.0).min(0.45 * cell);
    let label = font(layout, 12.0);
    let grey = BLACK.mix(0.25);
    for truth in 0..k {
        for predicted in 0..k {
            let count = confusion.count(truth, predicted);
            let t = (count as f64 / largest).sqrt();
            let c = colorous::BLUES.eval_continuous(t);
            let (x, y) = (x0 + predicted as f64 * cell, top + truth as f64 * cell);
            let corners = [(x as i32, y as i32), ((x + cell) as i32, (y + cell) as i32)];
            area.draw(&Rectangle::new(corners, RGBColor(c.r, c.g, c.b).filled()))
                .map_err(drawing)?;
            let ink = match (count, t > 0.55) {
                (0, _) => grey,
                (_, true) => WHITE.mix(1.0),
                _ => BLACK.mix(1.0),
            };
            let style = font(layout, number / layout.pixel_ratio)
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            let centre = ((x + 0.5 * cell) as i32, (y + 0.5 * cell) as i32);
            area.draw_text(&count.to_string(), &style, centre)
                .map_err(drawing)?;
        }
    }
    // The classes along both edges, and the axes' names.
    let centred = label.pos(Pos::new(HPos::Center, VPos::Center));
    for c in 0..k {
        let middle = (c as f64 + 0.5) * cell;
        let column = ((x0 + middle) as i32, (top - layout.px(8.0)) as i32);
        area.draw_text(&c.to_string(), &centred, column)
            .map_err(drawing)?;
        let row = ((x0 - layout.px(10.0)) as i32, (top + middle) as i32);
        area.draw_text(&c.to_string(), &centred, row)
            .map_err(drawing)?;
    }
    let across = ((x0 + 0.5 * side) as i32, layout.px(12.0) as i32);
    area.draw_text("predicted class ŷ", &centred, across)
        .map_err(drawing)?;
    let up = centred.transform(FontTransform::Rotate270);
    let down = ((x0 - layout.px(30.0)) as i32, (top + 0.5 * side) as i32);
    area.draw_text("true class y", &up, down).map_err(drawing)
}

/// The first layer's weights in `grid`, one image per unit (row j of W), on white
/// paper: `put_images` puts the grid's mosaic of [`filter_colours`]; each image gets a
/// faint frame (a weight near 0 is white), and the title names W and the shared scale.
pub fn filter_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    grid: &ImageGrid,
    filters: &Filters,
    put_images: impl FnOnce() -> Result<(), Error>,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    put_images()?;
    let faint = BLACK.mix(0.2);
    for unit in 0..filters.rows.len().min(grid.cells()) {
        let [left, top, right, bottom] = grid.image_box(unit);
        let corners = [(left as i32, top as i32), (right as i32, bottom as i32)];
        area.draw(&Rectangle::new(corners, faint.stroke_width(1)))
            .map_err(drawing)?;
    }
    let scale = significant(filters.scale);
    let name = &filters.name;
    // The longest title that fits the width (at about half an em a character, as the
    // sans-serif's lower case runs), down to the scale alone: an embed's type is large.
    let room = (layout.width as f64 - layout.px(8.0)) / layout.px(12.0 * 0.5);
    let title = [
        format!("{name}: a unit's weights per row, as an image · blue +, orange −, ±{scale}"),
        format!("{name}, a unit per image · blue +, orange −, ±{scale}"),
        format!("{name} · ±{scale}"),
    ]
    .into_iter()
    .find(|t| t.chars().count() as f64 <= room)
    .unwrap_or_else(|| format!("±{scale}"));
    draw_title(area, layout, &title)
}

/// Each unit's weights as colours: the network diagram's diverging map (blue for
/// positive, orange for negative, white for 0, as its edges), on one scale for all
/// units, ±max |Wⱼᵢ|, so that images compare.
pub fn filter_colours(filters: &Filters) -> Vec<Vec<[u8; 3]>> {
    let scale = filters.scale.max(1e-12);
    filters
        .rows
        .iter()
        .map(|row| {
            unit_rgba(row, -scale, scale)
                .chunks_exact(4)
                .map(|p| [p[0], p[1], p[2]])
                .collect()
        })
        .collect()
}

/// A view with nothing to show: white, and why, centred.
pub fn note<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    why: &str,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let grey = BLACK.mix(0.6);
    let style = font(layout, 14.0)
        .color(&grey)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let centre = (layout.width as i32 / 2, layout.height as i32 / 2);
    area.draw_text(why, &style, centre).map_err(drawing)
}

/// A grid's title, in its band along the top.
fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    title: &str,
) -> Result<(), Error> {
    let style = font(layout, 12.0).pos(Pos::new(HPos::Left, VPos::Center));
    let at = (layout.px(4.0) as i32, layout.px(0.5 * TITLE) as i32);
    area.draw_text(title, &style, at).map_err(drawing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;

    fn layout(width: u32, height: u32, pixel_ratio: f64) -> Layout {
        Layout::new(width, height, pixel_ratio, Margins::SURFACE)
    }

    #[test]
    fn the_weights_title_shortens_to_fit() {
        let filters = Filters {
            name: "Wʰ".into(),
            rows: vec![vec![0.5; 64]],
            scale: 0.5,
        };
        let title = |width: u32| {
            let layout = layout(width, 300, 1.0);
            let grid = ImageGrid::holding(&layout, [8, 8], 1);
            let svg = crate::render::svg((width, 300), |area| {
                filter_grid(area, &layout, &grid, &filters, || Ok(()))
            });
            texts(&svg)
                .into_iter()
                .map(|(t, _)| t)
                .find(|t| t.contains('±'))
                .unwrap()
        };
        assert!(title(600).contains("a unit's weights per row"));
        assert_eq!(title(320), "Wʰ, a unit per image · blue +, orange −, ±0.5");
        assert_eq!(title(100), "Wʰ · ±0.5");
        assert_eq!(title(40), "±0.5");
    }

    /// The SVG's texts, with their fill colours.
    fn texts(svg: &str) -> Vec<(String, String)> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                let text = n.text().unwrap_or("").trim().to_string();
                (text, n.attribute("fill").unwrap_or("").to_string())
            })
            .collect()
    }

    /// The SVG's rectangles as [x, y, width, height], with their fill and stroke.
    fn rects(svg: &str) -> Vec<([f64; 4], String, String)> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("rect"))
            .map(|n| {
                let v = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
                let colour = |k: &str| n.attribute(k).unwrap_or("").to_string();
                (
                    [v("x"), v("y"), v("width"), v("height")],
                    colour("fill"),
                    colour("stroke"),
                )
            })
            .collect()
    }

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    #[test]
    fn digit_cells_are_wide_enough_and_fill_the_canvas() {
        for (width, height, ratio) in [(600, 600, 1.0), (1200, 900, 2.0), (333, 517, 1.5)] {
            let layout = layout(width, height, ratio);
            let grid = ImageGrid::filling(&layout, [8, 8]);
            let [left, top, right, bottom] = grid.cell_box(0);
            assert!(right - left >= layout.px(LEAST_CELL), "{grid:?}");
            // The label's band is as high as a label.
            assert!(grid.band as f64 * grid.scale >= layout.px(LABEL));
            let [.., r, b] = grid.cell_box(grid.cells() - 1);
            assert!(
                (r - f64::from(width)).abs() < 1e-9,
                "the cells span the width"
            );
            assert!(b <= f64::from(height) && f64::from(height) - b < bottom - top);
            assert!(top >= layout.px(TITLE), "below the title");
            // One more column would make cells narrower than the least.
            let narrower = f64::from(width) / (grid.columns + 1) as f64;
            assert!(narrower < layout.px(LEAST_CELL));
        }
        for (width, height) in [(20, 20), (0, 0), (0, 500), (1, 1), (500, 0)] {
            let tiny = ImageGrid::filling(&layout(width, height, 1.0), [8, 8]);
            assert_eq!(tiny.cells(), 0, "{width} × {height}");
            assert!(tiny.mosaic(5, |_, _| [0; 3]).is_empty());
            assert_eq!(tiny.cell_at(0.0, 0.0), None);
            let held = ImageGrid::holding(&layout(width, height, 1.0), [8, 8], 32);
            assert!(held.scale >= 0.0 && held.cell_at(0.0, 0.0).is_none());
        }
    }

    #[test]
    fn the_pointer_finds_the_cell_it_is_over() {
        let grid = ImageGrid::filling(&layout(500, 400, 1.0), [8, 8]);
        for cell in [0, 1, grid.columns, grid.cells() - 1] {
            let [left, top, right, bottom] = grid.cell_box(cell);
            assert_eq!(grid.cell_at(left + 0.5, top + 0.5), Some(cell));
            assert_eq!(grid.cell_at(right - 0.5, bottom - 0.5), Some(cell));
        }
        assert_eq!(grid.cell_at(10.0, 5.0), None, "the title");
        assert_eq!(grid.cell_at(-1.0, 100.0), None);
        assert_eq!(grid.cell_at(500.5, 100.0), None);
        let [.., bottom] = grid.cell_box(grid.cells() - 1);
        assert_eq!(grid.cell_at(10.0, bottom + 1.0), None);
    }

    #[test]
    fn the_mosaic_puts_each_image_in_its_cell_on_white() {
        let grid = ImageGrid {
            shape: [8, 8],
            columns: 3,
            rows: 2,
            band: 2,
            scale: 4.0,
            origin: (0.0, 22.0),
        };
        let (width, height) = grid.mosaic_size();
        assert_eq!((width, height), (30, 24));
        // Five images of one grey each, the value their cell's number.
        let rgba = grid.mosaic(5, |cell, _| [cell as u8; 3]);
        assert_eq!(rgba.len(), 4 * width * height);
        let at = |x: usize, y: usize| &rgba[4 * (y * width + x)..][..4];
        // Cell 4 (second row, second column) spans x 11 ..= 18, y 13 ..= 20.
        assert_eq!(at(11, 13), [4, 4, 4, 255]);
        assert_eq!(at(18, 20), [4, 4, 4, 255]);
        for (x, y) in [(10, 13), (19, 13), (11, 12), (11, 21), (25, 15)] {
            assert_eq!(at(x, y), [255; 4], "({x}, {y}) is paper");
        }
        // The image's pixels go row by row: pixel 9 is row 1, column 1.
        let rgba = grid.mosaic(1, |_, p| [p as u8; 3]);
        assert_eq!(rgba[4 * (2 * width + 2)], 9);
        assert_eq!(grid.placement(), (0, 22, 120, 96));
        assert_eq!(ink(0.0), [255; 3]);
        assert_eq!(ink(1.0), [0; 3]);
        assert_eq!(ink(0.5), [128; 3]);
    }

    #[test]
    fn the_grid_of_digits_labels_each_and_marks_the_errors() {
        let layout = layout(400, 300, 1.0);
        let grid = ImageGrid::filling(&layout, [8, 8]);
        let shown = grid.cells();
        // More digits than fit; digits 3 and 11 wrong (11 is not shown, but counted).
        let predictions: Vec<Prediction> = (0..shown + 5)
            .map(|i| Prediction {
                index: 100 + i,
                class: i % 10,
                probability: 0.987,
                truth: if i == 3 || i == shown + 1 {
                    9 - i % 10
                } else {
                    i % 10
                },
            })
            .collect();
        let mut put = false;
        let svg = super::super::svg((400, 300), |area| {
            digit_grid(area, &layout, &grid, &predictions, Some(101), || {
                put = true;
                Ok(())
            })
        });
        assert!(put, "the images are put");
        let texts = texts(&svg);
        assert_eq!(
            texts[0].0,
            format!(
                "validation: 2 errors of {} · the first {shown} shown",
                shown + 5
            )
        );
        let labels: Vec<&(String, String)> = texts.iter().filter(|t| t.0.contains('%')).collect();
        assert_eq!(labels.len(), shown);
        assert_eq!(
            labels[3].0, "3\u{202f}·\u{202f}98%",
            "the probability rounded down"
        );
        let error = hex(ERROR);
        let red: Vec<usize> = (0..shown).filter(|&i| labels[i].1 == error).collect();
        assert_eq!(red, [3]);
        // The error's frame is its image's, and its badge says the true class, 6.
        let rects = rects(&svg);
        let [left, top, right, bottom] = grid.image_box(3);
        let framed = rects.iter().filter(|r| r.2 == error).collect::<Vec<_>>();
        assert_eq!(framed.len(), 1);
        let [x, y, w, h] = framed[0].0;
        assert!((x - left).abs() <= 1.0 && (y - top).abs() <= 1.0);
        assert!((x + w - right).abs() <= 1.0 && (y + h - bottom).abs() <= 1.0);
        assert!(rects.iter().any(|r| r.1 == error), "a badge");
        assert!(texts.iter().any(|t| t.0 == "6" && t.1 == "#FFFFFF"));
        // Digit 101 (cell 1) is ringed in black, around its cell.
        let ringed: Vec<_> = rects.iter().filter(|r| r.2 == "#000000").collect();
        assert_eq!(ringed.len(), 1);
        let [l, t, r, _] = grid.cell_box(1);
        let [x, y, w, _] = ringed[0].0;
        assert!(l <= x && x < l + 2.0 && t <= y && x + w <= r);
    }

    #[test]
    fn without_validation_digits_the_title_says_so() {
        let layout = layout(300, 200, 1.0);
        let grid = ImageGrid::filling(&layout, [8, 8]);
        let svg = super::super::svg((300, 200), |area| {
            digit_grid(area, &layout, &grid, &[], None, || Ok(()))
        });
        assert!(texts(&svg)[0].0.starts_with("no validation digits"));
    }

    #[test]
    fn the_confusion_matrix_writes_every_count_in_its_cell() {
        let k = 10;
        let counts: Vec<usize> = (0..k * k)
            .map(|i| match (i / k, i % k) {
                (y, p) if y == p => 30 + y,
                (4, 9) => 3,
                (8, 1) => 1,
                _ => 0,
            })
            .collect();
        let confusion = Confusion { classes: k, counts };
        let layout = layout(420, 400, 1.0);
        let svg = super::super::svg((420, 400), |area| {
            confusion_matrix(area, &layout, &confusion)
        });
        let texts = texts(&svg);
        let numbers: Vec<usize> = texts[..k * k]
            .iter()
            .map(|t| t.0.parse().unwrap())
            .collect();
        assert_eq!(
            numbers, confusion.counts,
            "row by row: true class, then predicted"
        );
        assert!(texts.iter().any(|t| t.0 == "predicted class ŷ"));
        assert!(texts.iter().any(|t| t.0 == "true class y"));
        // The cells: square, one per count, darker for larger counts, and the lone
        // error darker than an empty cell.
        let cells: Vec<_> = rects(&svg).into_iter().skip(1).collect();
        assert_eq!(cells.len(), k * k);
        let luminance = |fill: &str| {
            let v = |i: usize| u32::from_str_radix(&fill[i..i + 2], 16).unwrap();
            v(1) + v(3) + v(5)
        };
        let cell = |y: usize, p: usize| &cells[y * k + p];
        assert!(cell(0, 0).0[2] > 30.0 && (cell(0, 0).0[2] - cell(0, 0).0[3]).abs() <= 1.0);
        assert!(luminance(&cell(9, 9).1) < luminance(&cell(0, 0).1));
        assert!(luminance(&cell(0, 0).1) < luminance(&cell(4, 9).1));
        assert!(luminance(&cell(4, 9).1) < luminance(&cell(8, 1).1));
        assert!(luminance(&cell(8, 1).1) < luminance(&cell(2, 3).1));
        // Counts on dark cells are white.
        assert_eq!(texts[0].1, "#FFFFFF");
    }

    #[test]
    fn every_filter_is_drawn_on_one_shared_diverging_scale() {
        let filters = Filters {
            name: "Wʰ".into(),
            rows: vec![vec![0.5, -0.5, 0.0], vec![0.1, -0.1, 0.0]],
            scale: 0.5,
        };
        let c = filter_colours(&filters);
        // Blue for positive, orange for negative, as the diagram's edges; 0 white.
        let blue = |p: [u8; 3]| p[2] > p[0];
        let orange = |p: [u8; 3]| p[0] > p[2];
        assert!(blue(c[0][0]) && orange(c[0][1]) && blue(c[1][0]) && orange(c[1][1]));
        assert_eq!((c[0][2], c[1][2]), ([255; 3], [255; 3]));
        // One scale for all: row 1's weights, a fifth of row 0's, are a fifth as dark.
        let ink = |p: [u8; 3]| f64::from(3 * 255 - p.iter().map(|&v| u32::from(v)).sum::<u32>());
        for (large, small) in c[0].iter().zip(&c[1]).take(2) {
            let ratio = ink(*large) / ink(*small);
            assert!((4.5..5.5).contains(&ratio), "{ratio}");
        }
    }

    #[test]
    fn the_filters_are_framed_under_a_title_naming_w_and_its_scale() {
        let filters = Filters {
            name: "W⁽¹⁾".into(),
            rows: vec![vec![0.25; 64]; 5],
            scale: 0.25,
        };
        let layout = layout(400, 300, 1.0);
        let grid = ImageGrid::holding(&layout, [8, 8], 5);
        let svg = super::super::svg((400, 300), |area| {
            filter_grid(area, &layout, &grid, &filters, || Ok(()))
        });
        let frames: Vec<_> = rects(&svg)
            .into_iter()
            .filter(|r| r.2 == "#000000")
            .collect();
        assert_eq!(frames.len(), 5);
        let [left, top, ..] = grid.image_box(4);
        assert!((frames[4].0[0] - left).abs() <= 1.0 && (frames[4].0[1] - top).abs() <= 1.0);
        let title = &texts(&svg)[0].0;
        assert!(
            title.starts_with("W⁽¹⁾") && title.ends_with("±0.25"),
            "{title}"
        );
    }

    #[test]
    fn the_largest_grid_holds_every_filter() {
        for (count, width, height) in [
            (64, 600, 622),
            (32, 800, 300),
            (1, 100, 100),
            (10, 300, 500),
        ] {
            let layout = layout(width, height, 1.0);
            let grid = ImageGrid::holding(&layout, [8, 8], count);
            assert!(grid.cells() >= count && grid.cells() - count < grid.columns);
            let [left, top, ..] = grid.cell_box(0);
            let [.., right, bottom] = grid.cell_box(grid.cells() - 1);
            assert!(left >= -1e-9 && right <= f64::from(width) + 1e-9);
            assert!(top >= layout.px(TITLE) && bottom <= f64::from(height) + 1e-9);
        }
        let square = ImageGrid::holding(&layout(600, 622, 1.0), [8, 8], 64);
        assert_eq!((square.columns, square.rows), (8, 8));
        let wide = ImageGrid::holding(&layout(800, 300, 1.0), [8, 8], 32);
        assert_eq!((wide.columns, wide.rows), (11, 3));
    }
}
