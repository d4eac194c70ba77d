//! Drawings on a bitmap as the page's canvas draws them (a PNG figure, the frames of an
//! animated GIF): plotters' bitmap backend draws in RGB through [`LikeCanvas`], which
//! strokes wide lines with round joins and places every glyph where the font puts it;
//! the `png` crate encodes a figure. Natively only; the page draws on its canvas.
//!
//! plotters (0.3.7) rasterizes text with ab_glyph at each glyph's advance but drops the
//! glyph's left side bearing, so letters stand unevenly apart ("ada m"). [`LikeCanvas`]
//! lays the glyphs out as plotters measures them (advances and kerning, the baseline
//! half the font size below the top) and draws each at its own position, subpixel and
//! bearing included. Natively the one font is DejaVu Sans (see `super::font`).
//!
//! The encoder is `png` itself rather than plotters' `bitmap_encoder` feature, which
//! goes through the `image` crate with its JPEG and BMP codecs: only PNG is written.

use super::Layout;
use crate::config::Error;
use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// The most device pixels an image may have: 8192² (64 Mi), 192 MiB of RGB to draw in.
pub const MAX_PIXELS: u64 = 8192 * 8192;

/// CSS pixels per inch: a figure laid out at W CSS pixels is W/96 inches wide.
const CSS_PIXELS_PER_INCH: f64 = 96.0;
const METRES_PER_INCH: f64 = 0.0254;

/// What a PNG is drawn on: plotters' bitmap, its lines stroked as the canvas strokes them.
pub type Backend<'a> = LikeCanvas<BitMapBackend<'a>>;

/// The PNG file of a drawing on `layout.width` × `layout.height` device pixels.
///
/// The file records its physical size (PNG's pHYs chunk) as the figure's size in CSS
/// pixels at 96 per inch, i.e. 96 × `layout.pixel_ratio` device pixels per inch, so
/// that Beamer and PowerPoint place a figure drawn at any ratio at the same size: a
/// 1280 × 720 figure is 13⅓ × 7½ inches, a whole 16:9 slide.
pub fn png(
    layout: &Layout,
    draw: impl FnOnce(&DrawingArea<Backend<'_>, Shift>) -> Result<(), Error>,
) -> Result<Vec<u8>, Error> {
    let (width, height) = (layout.width, layout.height);
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 || pixels > MAX_PIXELS {
        return Err(Error::new(format!(
            "an image of {width} × {height} pixels is too large: at most {MAX_PIXELS} pixels \
             (8192 × 8192)"
        )));
    }
    // Three bytes (R, G, B) per pixel, as the backend draws them.
    let mut rgb = vec![0u8; 3 * pixels as usize];
    {
        let backend = BitMapBackend::with_buffer_and_format(&mut rgb, (width, height))
            .map_err(|e| Error::new(format!("drawing failed: {e}")))?;
        let area = LikeCanvas(backend).into_drawing_area();
        draw(&area)?;
        area.present()
            .map_err(|e| Error::new(format!("drawing failed: {e}")))?;
    }
    let per_metre = (CSS_PIXELS_PER_INCH * layout.pixel_ratio / METRES_PER_INCH).round() as u32;
    let mut file = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut file, width, height);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.set_pixel_dims(Some(::png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: ::png::Unit::Meter,
    }));
    encoder
        .write_header()
        .and_then(|mut writer| {
            writer.write_image_data(&rgb)?;
            writer.finish()
        })
        .map_err(|e| Error::new(format!("cannot encode the PNG: {e}")))?;
    Ok(file)
}

/// A backend whose lines are stroked with round joins and caps, each pixel painted once.
///
/// plotters' own `draw_path` fills a wide polyline as one polygon whose outline runs
/// half the width to either side; where the line turns back on itself (momentum
/// swinging across a valley) that outline crosses itself, and the fill leaves gaps and
/// fills wedges. Here a pixel is painted when its centre lies within w/2 of the
/// polyline: the union, over its segments, of the capsules of points within w/2 of a
/// segment. That is the stroke with round joins and caps that the canvas
/// (`lineJoin = "round"`) and the SVG ([`super::round_joins`]) draw. Each pixel is
/// painted once, so a translucent line (the paths' white halo, contour lines) is as
/// light where it overlaps itself as elsewhere.
pub struct LikeCanvas<DB>(pub DB);

impl<DB: DrawingBackend> LikeCanvas<DB> {
    fn stroke(
        &mut self,
        path: &[BackendCoord],
        width: u32,
        colour: BackendColor,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some(&first) = path.first() else {
            return Ok(());
        };
        if width == 0 || colour.alpha == 0.0 {
            return Ok(());
        }
        let (columns, rows) = self.get_size();
        let r = f64::from(width) / 2.0;
        // Pixel (x, y) spans [x, x + 1] × [y, y + 1]. An odd width centres the line on
        // its pixels' centres, an even one on their corners, so that a straight line w
        // wide covers exactly w rows or columns.
        let shift = if width % 2 == 1 { 0.5 } else { 0.0 };
        let point = |p: BackendCoord| (f64::from(p.0) + shift, f64::from(p.1) + shift);
        let dot = [first, first];
        let segments = if path.len() == 1 {
            dot.windows(2)
        } else {
            path.windows(2)
        };
        // Each row's painted runs of columns, first-to-last inclusive.
        let mut runs: Vec<Vec<(i32, i32)>> = vec![Vec::new(); rows as usize];
        for segment in segments {
            let (a, b) = (point(segment[0]), point(segment[1]));
            let top = (a.1.min(b.1) - r - 0.5).floor().max(0.0);
            let bottom = (a.1.max(b.1) + r - 0.5).ceil().min(f64::from(rows) - 1.0);
            if top > bottom {
                continue;
            }
            let (top, bottom) = (top as usize, bottom as usize);
            for (y, row) in runs.iter_mut().enumerate().take(bottom + 1).skip(top) {
                let Some((left, right)) = capsule_row(a, b, r, y as f64 + 0.5) else {
                    continue;
                };
                // The columns whose centres x + ½ lie in [left, right].
                let left = (left - 0.5).ceil().max(0.0);
                let right = (right - 0.5).floor().min(f64::from(columns) - 1.0);
                if left <= right {
                    row.push((left as i32, right as i32));
                }
            }
        }
        for (y, row) in runs.iter_mut().enumerate() {
            row.sort_unstable();
            let mut merged: Option<(i32, i32)> = None;
            for &(left, right) in row.iter() {
                merged = match merged {
                    Some((start, end)) if left <= end + 1 => Some((start, end.max(right))),
                    _ => {
                        if let Some((start, end)) = merged {
                            self.0
                                .draw_line((start, y as i32), (end, y as i32), &colour)?;
                        }
                        Some((left, right))
                    }
                };
            }
            if let Some((start, end)) = merged {
                self.0
                    .draw_line((start, y as i32), (end, y as i32), &colour)?;
            }
        }
        Ok(())
    }
}

fn font_error<E, F: std::error::Error + Send + Sync + 'static>(error: F) -> DrawingErrorKind<E>
where
    E: std::error::Error + Send + Sync,
{
    DrawingErrorKind::FontError(Box::new(error))
}

/// Where the horizontal line at height `y` crosses the capsule of the points within `r`
/// of the segment from `a` to `b`. The capsule is convex, so that is one interval: the
/// hull of the line's crossings of the discs of radius r at both ends and of the
/// rectangle a + s (b − a) + t n, s ∈ [0, 1], |t| ≤ r, n the unit normal, between them.
fn capsule_row(a: (f64, f64), b: (f64, f64), r: f64, y: f64) -> Option<(f64, f64)> {
    let mut span: Option<(f64, f64)> = None;
    let mut widen = |from: f64, to: f64| {
        span = Some(span.map_or((from, to), |(l, h)| (l.min(from), h.max(to))));
    };
    for centre in [a, b] {
        let dy = y - centre.1;
        if dy.abs() <= r {
            let half = (r * r - dy * dy).sqrt();
            widen(centre.0 - half, centre.0 + half);
        }
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx.hypot(dy);
    if length > 0.0 {
        let n = (-dy / length * r, dx / length * r);
        let corners = [
            (a.0 + n.0, a.1 + n.1),
            (b.0 + n.0, b.1 + n.1),
            (b.0 - n.0, b.1 - n.1),
            (a.0 - n.0, a.1 - n.1),
        ];
        for (i, p) in corners.iter().enumerate() {
            let q = corners[(i + 1) % 4];
            if p.1 == q.1 {
                if p.1 == y {
                    widen(p.0.min(q.0), p.0.max(q.0));
                }
            } else if (p.1 - y) * (q.1 - y) <= 0.0 {
                let x = p.0 + (y - p.1) / (q.1 - p.1) * (q.0 - p.0);
                widen(x, x);
            }
        }
    }
    span
}

/// Every call but a stroke and a text goes to the bitmap as it is.
impl<DB: DrawingBackend> DrawingBackend for LikeCanvas<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        colour: BackendColor,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.0.draw_pixel(point, colour)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        if style.stroke_width() > 1 {
            self.stroke(&[from, to], style.stroke_width(), style.color())
        } else {
            self.0.draw_line(from, to, style)
        }
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let path: Vec<_> = path.into_iter().collect();
        self.stroke(&path, style.stroke_width(), style.color())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.0.fill_polygon(vertices, style)
    }

    /// As plotters' own `draw_text` places the text (its anchor, its rotation), but
    /// each glyph at its position.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        at: BackendCoord,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let font = FontRef::try_from_slice(dejavu::sans::regular()).map_err(font_error)?;
        let scale = PxScale::from(style.size() as f32);
        let scaled = font.as_scaled(scale);
        let baseline = style.size() as f32 / 2.0;
        let mut glyphs = Vec::new();
        let mut x = 0.0;
        let mut previous = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(before) = previous {
                x += scaled.kern(before, id);
            }
            glyphs.push(id.with_scale_and_position(scale, point(x, baseline)));
            x += scaled.h_advance(id);
            previous = Some(id);
        }
        let ((min_x, min_y), (max_x, max_y)) = style.layout_box(text).map_err(font_error)?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        let (w, h) = self.get_size();
        for glyph in glyphs {
            let Some(outline) = font.outline_glyph(glyph) else {
                continue; // a space
            };
            let bounds = outline.px_bounds();
            let mut coverage = Vec::new();
            outline.draw(|x, y, c| coverage.push((x as i32, y as i32, c)));
            for (x, y, c) in coverage {
                let (x, y) = (bounds.min.x as i32 + x, bounds.min.y as i32 + y);
                let (x, y) = transform.transform(x + dx - min_x, y + dy - min_y);
                let (x, y) = (at.0 + x, at.1 + y);
                if (0..w as i32).contains(&x) && (0..h as i32).contains(&y) {
                    self.0.draw_pixel((x, y), colour.mix(f64::from(c)))?;
                }
            }
        }
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<DB::ErrorType>> {
        self.0.estimate_text_size(text, style)
    }

    fn blit_bitmap(
        &mut self,
        position: BackendCoord,
        size: (u32, u32),
        source: &[u8],
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.0.blit_bitmap(position, size, source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;

    fn decode(file: &[u8]) -> (::png::OutputInfo, Vec<u8>, Option<::png::PixelDimensions>) {
        let mut reader = ::png::Decoder::new(std::io::Cursor::new(file))
            .read_info()
            .unwrap();
        let dims = reader.info().pixel_dims;
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        pixels.truncate(info.buffer_size());
        (info, pixels, dims)
    }

    #[test]
    fn a_drawing_is_encoded_pixel_for_pixel_with_its_physical_size() {
        let layout = Layout::new(30, 20, 2.0, Margins::SURFACE);
        let file = png(&layout, |area| {
            area.fill(&WHITE).unwrap();
            area.draw_pixel((3, 5), &RGBColor(10, 20, 30)).unwrap();
            Ok(())
        })
        .unwrap();
        let (info, pixels, dims) = decode(&file);
        assert_eq!((info.width, info.height), (30, 20));
        assert_eq!(info.color_type, ::png::ColorType::Rgb);
        let at = |x: usize, y: usize| &pixels[3 * (y * 30 + x)..3 * (y * 30 + x) + 3];
        assert_eq!(at(3, 5), [10, 20, 30]);
        assert_eq!(at(5, 3), [255, 255, 255]);
        // 192 pixels per inch at ratio 2: 192 / 0.0254 m.
        let dims = dims.unwrap();
        assert_eq!((dims.xppu, dims.yppu), (7559, 7559));
        assert_eq!(dims.unit, ::png::Unit::Meter);
    }

    /// The RGB pixels of `size` × `size` white pixels with `path` stroked on them.
    fn stroked(size: u32, path: &[(i32, i32)], style: ShapeStyle) -> Vec<[u8; 3]> {
        let mut rgb = vec![0u8; 3 * (size * size) as usize];
        {
            let backend = BitMapBackend::with_buffer(&mut rgb, (size, size));
            let area = LikeCanvas(backend).into_drawing_area();
            area.fill(&WHITE).unwrap();
            area.draw(&PathElement::new(path.to_vec(), style)).unwrap();
            area.present().unwrap();
        }
        rgb.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect()
    }

    /// The distance from `p` to the segment from `a` to `b`.
    fn distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let squared = dx * dx + dy * dy;
        let s = if squared == 0.0 {
            0.0
        } else {
            (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / squared).clamp(0.0, 1.0)
        };
        (p.0 - a.0 - s * dx).hypot(p.1 - a.1 - s * dy)
    }

    #[test]
    fn a_straight_line_w_wide_covers_w_rows_or_columns() {
        for width in 1..=7 {
            let style = Color::stroke_width(&BLACK, width);
            let across = stroked(64, &[(10, 30), (50, 30)], style);
            let down = stroked(64, &[(30, 10), (30, 50)], style);
            let rows = (0..64).filter(|y| across[y * 64 + 30] == [0, 0, 0]).count();
            let columns = (0..64).filter(|x| down[30 * 64 + x] == [0, 0, 0]).count();
            assert_eq!((rows, columns), (width as usize, width as usize));
        }
    }

    #[test]
    fn a_translucent_line_that_turns_back_is_painted_once_within_half_its_width() {
        // One blend of half-black over white, as the bitmap itself paints a run.
        let mut one = vec![255u8; 3];
        {
            let mut backend = BitMapBackend::with_buffer(&mut one, (1, 1));
            backend
                .draw_line((0, 0), (0, 0), &BLACK.mix(0.5).to_backend_color())
                .unwrap();
        }
        // The bitmap rounds a blend by one either way, by the length of the run.
        let once = |p: &[u8; 3]| p.iter().zip(&one).all(|(a, b)| a.abs_diff(*b) <= 1);
        let zigzag = [(10, 50), (90, 52), (12, 56), (88, 62), (50, 8), (52, 90)];
        for (path, width) in [(&zigzag[..], 6), (&zigzag[..], 5), (&[(40, 40)][..], 9)] {
            let pixels = stroked(100, path, Color::stroke_width(&BLACK.mix(0.5), width));
            let r = f64::from(width) / 2.0;
            let shift = if width % 2 == 1 { 0.5 } else { 0.0 };
            let at = |p: (i32, i32)| (f64::from(p.0) + shift, f64::from(p.1) + shift);
            for (i, pixel) in pixels.iter().enumerate() {
                let centre = ((i % 100) as f64 + 0.5, (i / 100) as f64 + 0.5);
                let near = (0..path.len())
                    .map(|k| distance(centre, at(path[k]), at(path[(k + 1).min(path.len() - 1)])))
                    .fold(f64::INFINITY, f64::min);
                assert!(
                    once(pixel) || *pixel == [255; 3],
                    "{centre:?} painted {pixel:?}, not once ({one:?})"
                );
                if near < r - 0.5 {
                    assert!(once(pixel), "a gap at {centre:?}, {near} from the line");
                }
                if near > r + 0.5 {
                    assert_eq!(
                        *pixel, [255; 3],
                        "a wedge at {centre:?}, {near} from the line"
                    );
                }
            }
        }
    }

    #[test]
    fn a_1280_by_720_figure_at_scale_2_is_a_whole_16_by_9_slide() {
        let layout = Layout::new(2560, 1440, 2.0, Margins::SURFACE);
        let file = png(&layout, |area| {
            area.fill(&WHITE).map_err(super::super::drawing)
        })
        .unwrap();
        let (info, _, dims) = decode(&file);
        let dims = dims.unwrap();
        let inches =
            |pixels: u32, per_metre: u32| f64::from(pixels) / f64::from(per_metre) / 0.0254;
        // PowerPoint's widescreen slide: 13⅓ × 7½ inches.
        assert!((inches(info.width, dims.xppu) - 40.0 / 3.0).abs() < 1e-3);
        assert!((inches(info.height, dims.yppu) - 7.5).abs() < 1e-3);
    }

    #[test]
    fn an_image_beyond_the_limit_is_refused_before_it_is_allocated() {
        let layout = Layout::new(8193, 8192, 1.0, Margins::SURFACE);
        let error = png(&layout, |_| unreachable!("nothing is drawn")).unwrap_err();
        assert!(error.0.contains("at most 67108864 pixels"), "{}", error.0);
    }

    #[test]
    fn an_error_while_drawing_is_passed_on() {
        let layout = Layout::new(16, 16, 1.0, Margins::SURFACE);
        let error = png(&layout, |_| Err(Error::new("no surface"))).unwrap_err();
        assert_eq!(error.0, "no surface");
    }

    /// The first column with ink of "l" written at x = 50 in 100 px type, on a bitmap
    /// as plotters draws it and as the canvas would.
    fn first_ink(like_canvas: bool) -> usize {
        let mut rgb = vec![255; 200 * 200 * 3];
        {
            let layout = crate::layout::Layout::new(200, 200, 1.0, crate::layout::Margins::SURFACE);
            let text = Text::new("l", (50, 20), super::super::font(&layout, 100.0));
            let backend = BitMapBackend::with_buffer(&mut rgb, (200, 200));
            if like_canvas {
                LikeCanvas(backend).into_drawing_area().draw(&text).unwrap();
            } else {
                backend.into_drawing_area().draw(&text).unwrap();
            }
        }
        (0..200)
            .find(|&x| (0..200).any(|y| rgb[3 * (y * 200 + x)] < 128))
            .unwrap()
    }

    #[test]
    fn a_letter_starts_its_side_bearing_after_the_pen() {
        // DejaVu Sans's "l" begins 8 px right of the pen in 100 px type.
        let font = FontRef::try_from_slice(dejavu::sans::regular()).unwrap();
        let bearing = font
            .as_scaled(PxScale::from(100.0))
            .h_side_bearing(font.glyph_id('l'));
        assert!(bearing > 5.0, "{bearing}");
        let start = 50.0 + f64::from(bearing);
        assert!(
            (first_ink(true) as f64 - start).abs() <= 1.0,
            "{}",
            first_ink(true)
        );
        // plotters puts the ink at the pen.
        assert!(first_ink(false) <= 51, "{}", first_ink(false));
    }
}
