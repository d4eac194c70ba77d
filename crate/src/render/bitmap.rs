//! A drawing as a PNG image, for slides: plotters' bitmap backend draws it in RGB, the
//! `png` crate encodes it. Natively only; the page draws on its canvas and exports that.
//!
//! The encoder is `png` itself rather than plotters' `bitmap_encoder` feature, which
//! goes through the `image` crate with its JPEG and BMP codecs: only PNG is written.

use super::Layout;
use crate::config::Error;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The most device pixels an image may have: 8192² (64 Mi), 192 MiB of RGB to draw in.
pub const MAX_PIXELS: u64 = 8192 * 8192;

/// CSS pixels per inch: a figure laid out at W CSS pixels is W/96 inches wide.
const CSS_PIXELS_PER_INCH: f64 = 96.0;
const METRES_PER_INCH: f64 = 0.0254;

/// The PNG file of a drawing on `layout.width` × `layout.height` device pixels.
///
/// The file records its physical size (PNG's pHYs chunk) as the figure's size in CSS
/// pixels at 96 per inch, i.e. 96 × `layout.pixel_ratio` device pixels per inch, so
/// that Beamer and PowerPoint place a figure drawn at any ratio at the same size: a
/// 1280 × 720 figure is 13⅓ × 7½ inches, a whole 16:9 slide.
pub fn png(
    layout: &Layout,
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), Error>,
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
        let area = backend.into_drawing_area();
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
}
