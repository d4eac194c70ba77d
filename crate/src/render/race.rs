//! A race's still background, computed once for a layout and drawn under every frame:
//! the heatmap's pixels over the plot, its contour lines and the critical points. The
//! page puts the pixels on its background canvas and strokes the lines through the
//! canvas itself; a recording made natively paints all of it on a bitmap with
//! [`backdrop`], then draws each frame's [`super::paths`] over a copy.

use super::Layout;
use crate::field::{Contour, Field};
use crate::surface::{CriticalPoint, Surface, ViewBox};

/// Contour lines are traced on a grid of at most this many cells a side: finer than the
/// eye can tell once smoothed, and cheap to recompute.
const CONTOUR_GRID: usize = 200;

/// Contour levels drawn over the heatmap.
const CONTOUR_LEVELS: usize = 15;

/// What the background shows, for one layout.
pub struct Backdrop {
    /// The heatmap as RGBA rows from the top, one pixel per device pixel of the plot
    /// (`layout.plot_width()` × `layout.plot_height()`).
    pub heatmap: Vec<u8>,
    pub contours: Vec<Contour>,
    pub critical: Vec<CriticalPoint>,
}

impl Backdrop {
    /// The heatmap sampled at every pixel of the plot; contours at [`CONTOUR_LEVELS`]
    /// levels of its scale (log or linear, see [`crate::field::Scale`]), traced on a grid of at most [`CONTOUR_GRID`] cells a
    /// side. A surface that affords fewer samples ([`Surface::samples`]) is sampled
    /// that many a side, the heatmap interpolated between them and the contours traced
    /// on them.
    pub fn new(surface: &dyn Surface, view: ViewBox, layout: &Layout) -> Backdrop {
        let (w, h) = (layout.plot_width() as usize, layout.plot_height() as usize);
        let shrunk = |most: usize| {
            let scale = (most as f64 / w.max(h) as f64).min(1.0);
            ((w as f64 * scale) as usize, (h as f64 * scale) as usize)
        };
        let (heat, coarse) = match surface.samples() {
            Some(most) if most < w.max(h) => {
                let (cw, ch) = shrunk(most);
                let coarse = Field::sample(surface, view, cw, ch);
                (coarse.resampled(w, h), coarse)
            }
            _ => {
                let (cw, ch) = shrunk(CONTOUR_GRID);
                let heat = Field::sample(surface, view, w, h);
                (heat, Field::sample(surface, view, cw, ch))
            }
        };
        Backdrop {
            heatmap: heat.rgba(),
            contours: coarse.contours(&heat.levels(CONTOUR_LEVELS)),
            critical: surface.critical_points(),
        }
    }
}

/// The background on a bitmap: frame and axes, the heatmap's pixels, contour lines and
/// critical points.
#[cfg(not(target_arch = "wasm32"))]
pub fn backdrop<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    layout: &Layout,
    view: &ViewBox,
    backdrop: &Backdrop,
) -> Result<(), crate::config::Error> {
    use super::{frame, overlay};
    use plotters::element::BitMapElement;
    frame(area, layout, view)?;
    let rgb: Vec<u8> = backdrop
        .heatmap
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let at = (layout.plot[0], layout.plot[1]);
    let size = (layout.plot_width(), layout.plot_height());
    let image = BitMapElement::with_owned_buffer(at, size, rgb)
        .ok_or_else(|| crate::config::Error::new("the heatmap does not fit its plot"))?;
    area.draw(&image).map_err(super::drawing)?;
    overlay(area, layout, view, &backdrop.contours, &backdrop.critical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Margins;
    use crate::surface::{Hessian, Point};
    use plotters::prelude::*;
    use std::cell::Cell;

    /// Booth's function, counting its values and affording `samples` a side.
    struct Costly {
        booth: Box<dyn Surface>,
        samples: usize,
        values: Cell<usize>,
    }

    impl Surface for Costly {
        fn value(&self, p: Point) -> f64 {
            self.values.set(self.values.get() + 1);
            self.booth.value(p)
        }
        fn gradient(&self, p: Point) -> Point {
            self.booth.gradient(p)
        }
        fn hessian(&self, p: Point) -> Hessian {
            self.booth.hessian(p)
        }
        fn view(&self) -> ViewBox {
            self.booth.view()
        }
        fn start(&self) -> Point {
            self.booth.start()
        }
        fn critical_points(&self) -> Vec<CriticalPoint> {
            self.booth.critical_points()
        }
        fn samples(&self) -> Option<usize> {
            Some(self.samples)
        }
    }

    #[test]
    fn a_costly_surface_is_sampled_as_often_as_it_affords_and_drawn_at_every_pixel() {
        let booth = crate::surface::from_spec(&crate::Spec::parse("booth").unwrap()).unwrap();
        let costly = Costly {
            booth,
            samples: 30,
            values: Cell::new(0),
        };
        let layout = Layout::new(400, 300, 2.0, Margins::SURFACE);
        let b = Backdrop::new(&costly, costly.view(), &layout);
        let (w, h) = (layout.plot_width() as usize, layout.plot_height() as usize);
        assert_eq!(b.heatmap.len(), w * h * 4);
        // 30 along the longer side, as many fewer along the other as it is shorter.
        let (long, short) = (w.max(h), w.min(h));
        assert_eq!(costly.values.get(), 30 * (30 * short / long));
        assert!(!b.contours.is_empty());
        // The heatmap is still darkest at the minimum, (1, 3), and lightest far from it.
        let view = costly.view();
        let luminance = |[x, y]: Point| {
            let column = ((x - view.x.0) / view.width() * w as f64) as usize;
            let row = ((view.y.1 - y) / view.height() * h as f64) as usize;
            let i = 4 * (row * w + column);
            b.heatmap[i..i + 3]
                .iter()
                .map(|&c| u32::from(c))
                .sum::<u32>()
        };
        assert!(luminance([1.0, 3.0]) < luminance([-8.0, -8.0]));
    }

    #[test]
    fn the_bitmap_shows_the_heatmap_inside_the_plot_and_white_margins() {
        let surface = crate::surface::from_spec(&crate::Spec::parse("booth").unwrap()).unwrap();
        let view = surface.view();
        let layout = Layout::new(160, 120, 1.0, Margins::SURFACE);
        let b = Backdrop::new(surface.as_ref(), view, &layout);
        let (w, h) = (layout.plot_width() as usize, layout.plot_height() as usize);
        assert_eq!(b.heatmap.len(), w * h * 4);
        let mut rgb = vec![0; 160 * 120 * 3];
        {
            let area = BitMapBackend::with_buffer(&mut rgb, (160, 120)).into_drawing_area();
            backdrop(&area, &layout, &view, &b).unwrap();
            area.present().unwrap();
        }
        let pixel = |x: usize, y: usize| &rgb[3 * (y * 160 + x)..3 * (y * 160 + x) + 3];
        // Top-left corner of the canvas: the margin, white.
        assert_eq!(pixel(1, 1), [255, 255, 255]);
        // Inside the plot, the heatmap's own colours but where the contour lines, the
        // border and the minimum are drawn over it.
        let (left, top) = (layout.plot[0] as usize, layout.plot[1] as usize);
        let same = (0..h)
            .flat_map(|row| (0..w).map(move |column| (row, column)))
            .filter(|&(row, column)| {
                let i = 4 * (row * w + column);
                pixel(left + column, top + row) == &b.heatmap[i..i + 3]
            })
            .count();
        assert!(same > w * h * 3 / 4, "{same} of {}", w * h);
    }
}
