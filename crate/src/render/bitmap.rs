//! A bitmap drawn as the page's canvas draws: wide lines joined round where they turn
//! sharply, and text with every glyph where the font puts it. [`LikeCanvas`] wraps a
//! backend (plotters' `BitMapBackend`) and changes only those two.
//!
//! plotters' bitmap outlines a wide polyline as one polygon through the corners where
//! the edges of consecutive segments meet, and on the inner side of a turn by an angle
//! θ that corner lies w/(2 sin(θ/2)) from the vertex, w the line's width: where a
//! zig-zag of short steps turns sharply, the corner lies beyond the segments' far ends,
//! and the white halo under a path sticks out there in long spikes. The page's canvas
//! and the SVG figures join lines round ([`super::round_joins`]); [`LikeCanvas`] does
//! the same where it matters: it cuts a wide line where that distance passes SVG's
//! default mitre limit (stroke-miterlimit 4: θ below 2 asin(1/4) ≈ 29°) and puts a
//! disc of the line's width there.
//!
//! plotters (0.3.7) rasterizes text with ab_glyph at each glyph's advance but drops the
//! glyph's left side bearing, so letters stand unevenly apart ("ada m"). [`LikeCanvas`]
//! lays the glyphs out as plotters measures them (advances and kerning, the baseline
//! half the font size below the top) and draws each at its own position, subpixel and
//! bearing included. Natively the one font is DejaVu Sans (see `super::font`).

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// A backend that draws as `DB` does, but wide lines with round joins at sharp turns
/// and text with each glyph at its place.
pub struct LikeCanvas<DB>(pub DB);

/// SVG's default stroke-miterlimit: a turn is sharp when its corner, 1/sin(θ/2) half
/// widths from the vertex, is further than 4, that is when sin²(θ/2) < 1/16.
const MITRE_LIMIT: f64 = 4.0;

/// Whether the line turns sharply at `b`, coming from `a` and going to `c`: with u and
/// v the segments from b, cos θ = u·v / (|u| |v|) and sin²(θ/2) = (1 − cos θ) / 2.
fn sharp(a: BackendCoord, b: BackendCoord, c: BackendCoord) -> bool {
    let u = (f64::from(a.0 - b.0), f64::from(a.1 - b.1));
    let v = (f64::from(c.0 - b.0), f64::from(c.1 - b.1));
    let lengths = u.0.hypot(u.1) * v.0.hypot(v.1);
    if lengths == 0.0 {
        return false;
    }
    let cos = (u.0 * v.0 + u.1 * v.1) / lengths;
    (1.0 - cos) / 2.0 < 1.0 / (MITRE_LIMIT * MITRE_LIMIT)
}

type Drawn<DB> = Result<(), DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn font_error<E, F: std::error::Error + Send + Sync + 'static>(error: F) -> DrawingErrorKind<E>
where
    E: std::error::Error + Send + Sync,
{
    DrawingErrorKind::FontError(Box::new(error))
}

impl<DB: DrawingBackend> DrawingBackend for LikeCanvas<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Drawn<DB> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Drawn<DB> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, colour: BackendColor) -> Drawn<DB> {
        self.0.draw_pixel(point, colour)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn<DB> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn<DB> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<DB> {
        let width = style.stroke_width();
        if width <= 1 {
            return self.0.draw_path(path, style);
        }
        let points: Vec<BackendCoord> = path.into_iter().collect();
        let mut start = 0;
        for i in 1..points.len().saturating_sub(1) {
            if sharp(points[i - 1], points[i], points[i + 1]) {
                self.0.draw_path(points[start..=i].iter().copied(), style)?;
                self.0.draw_circle(points[i], width / 2, style, true)?;
                start = i;
            }
        }
        self.0.draw_path(points[start..].iter().copied(), style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        centre: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn<DB> {
        self.0.draw_circle(centre, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Drawn<DB> {
        self.0.fill_polygon(vertices, style)
    }

    /// As plotters' own `draw_text` places the text (its anchor, its rotation), but
    /// each glyph at its position.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        at: BackendCoord,
    ) -> Drawn<DB> {
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

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.0.estimate_text_size(text, style)
    }

    fn blit_bitmap(&mut self, at: BackendCoord, size: (u32, u32), rgb: &[u8]) -> Drawn<DB> {
        self.0.blit_bitmap(at, size, rgb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    /// Pixels of a halo drawn over black, down and back up 10 pixels with a turn of
    /// 11°, with and without round joins, above where it starts and ends less its half
    /// width: what sticks out.
    fn halo(round: bool) -> usize {
        let mut rgb = vec![0; 200 * 200 * 3];
        {
            let backend = BitMapBackend::with_buffer(&mut rgb, (200, 200));
            let zigzag = vec![(100, 100), (101, 110), (102, 100)];
            let style = Color::stroke_width(&WHITE.mix(0.8), 4);
            if round {
                let area = LikeCanvas(backend).into_drawing_area();
                area.draw(&PathElement::new(zigzag, style)).unwrap();
            } else {
                let area = backend.into_drawing_area();
                area.draw(&PathElement::new(zigzag, style)).unwrap();
            }
        }
        (0..98)
            .flat_map(|y| (0..200).map(move |x| (x, y)))
            .filter(|&(x, y)| rgb[3 * (y * 200 + x)] > 0)
            .count()
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

    #[test]
    fn a_sharp_turn_ends_round_instead_of_in_a_spike() {
        assert!(halo(false) >= 5, "plotters' corner: {}", halo(false));
        assert_eq!(halo(true), 0);
        assert!(sharp((100, 100), (101, 110), (102, 100)));
        assert!(!sharp((0, 0), (10, 0), (20, 5)));
        assert!(!sharp((0, 0), (0, 0), (20, 5)));
    }
}
