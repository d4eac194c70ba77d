//! A surface sampled on a grid: values on the map's height scale (log or linear),
//! contour lines and an RGBA heatmap. Data, not pixels: [`crate::render`] and the page
//! decide where it goes.

use crate::rates;
use crate::surface::{CriticalKind, Point, Surface, ViewBox};

/// f sampled at the centres of a `width` × `height` grid of cells over `view`;
/// row 0 is the bottom (y = y_min), as on the axes: the contour crate keeps ring
/// orientation (outer rings against holes) only with positive steps.
pub struct Field {
    pub view: ViewBox,
    pub width: usize,
    pub height: usize,
    pub values: Vec<f64>,
    fit: Fit,
}

/// How the map puts f on [0, 1]: the heatmap's colour, the spacing of its contour
/// levels and the 3-D view's height all follow it.
///
/// The rule ([`Scale::chosen`]): **linear** where f is unbounded below in the view —
/// the grid's lowest sample lies on the view's boundary and the surface lists no
/// minimum inside the view (the saddle x² − y², the monkey saddle x³ − 3xy², a typed
/// `x*y`); **log** otherwise, wherever f has a floor in the view (every surface with a
/// minimum there). On a saddle the log scale spends most of its range on the last
/// stretch down to the lowest corner, and the surface drawn on it is a plateau falling
/// into funnels at the edges; on the linear scale it keeps its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// t(f) = ln(f − f_min + δ): losses span many orders of magnitude above their
    /// minimum, and a log scale shows the floor of a valley as well as its walls.
    /// δ = 10⁻⁴ (f_max − f_min) keeps the minimum itself finite.
    Log,
    /// t(f) = f: equal steps of f are equal steps of colour and height.
    Linear,
}

impl Scale {
    /// The scale for f sampled on a `width` × `height` grid over `view` whose lowest
    /// finite sample is number `lowest` (row by row): linear if that sample is in the
    /// grid's outer ring of cells and no [`CriticalKind::Minimum`] of `surface` lies in
    /// `view`, else log. Both conditions: a minimum the surface knows may sit between
    /// samples near the edge, and a typed formula's search lists no degenerate minimum
    /// (x⁴ + y⁴), whose lowest sample is inside.
    fn chosen(
        surface: &dyn Surface,
        view: ViewBox,
        lowest: Option<usize>,
        (width, height): (usize, usize),
    ) -> Scale {
        let on_boundary = lowest.is_some_and(|i| {
            let (column, row) = (i % width, i / width);
            column == 0 || row == 0 || column == width - 1 || row == height - 1
        });
        let inside =
            |[x, y]: Point| view.x.0 <= x && x <= view.x.1 && view.y.0 <= y && y <= view.y.1;
        let minimum_inside = surface
            .critical_points()
            .iter()
            .any(|c| c.kind == CriticalKind::Minimum && inside(c.point));
        if on_boundary && !minimum_inside {
            Scale::Linear
        } else {
            Scale::Log
        }
    }
}

/// A [`Scale`] fitted to a grid: t normalized to [0, 1] between its lowest and highest
/// finite samples, u(f) = (t(f) − t(f_min)) / (t(f_max) − t(f_min)). On the linear
/// scale that is (f − f_min) / (f_max − f_min), with t(f) = f/2 so that f_max − f_min
/// cannot overflow (halving is exact).
#[derive(Clone, Copy, Debug)]
struct Fit {
    scale: Scale,
    floor: f64,
    delta: f64,
    t_min: f64,
    t_max: f64,
}

/// The lowest and highest finite samples of a grid, and the index of the lowest (the
/// first, on a tie).
struct Extremes {
    lowest: usize,
    min: f64,
    max: f64,
}

impl Extremes {
    /// One pass over `values`; `None` if none is finite.
    fn of(values: &[f64]) -> Option<Extremes> {
        let mut found: Option<Extremes> = None;
        for (i, &v) in values.iter().enumerate().filter(|(_, v)| v.is_finite()) {
            match &mut found {
                None => {
                    found = Some(Extremes {
                        lowest: i,
                        min: v,
                        max: v,
                    })
                }
                Some(e) => {
                    if v < e.min {
                        (e.lowest, e.min) = (i, v);
                    }
                    e.max = e.max.max(v);
                }
            }
        }
        found
    }
}

impl Fit {
    /// `scale` fitted to finite samples from `min` to `max`.
    fn new(scale: Scale, (min, max): (f64, f64)) -> Self {
        let delta = ((max - min) * 1e-4).max(f64::MIN_POSITIVE);
        let mut fit = Fit {
            scale,
            floor: min,
            delta,
            t_min: 0.0,
            t_max: 1.0,
        };
        fit.t_min = fit.raw(min);
        fit.t_max = fit.raw(max);
        if fit.t_max <= fit.t_min {
            // A flat grid, f_max = f_min: at the bottom of the scale, not at 0/0.
            fit.t_max = fit.t_min + 1.0;
        }
        fit
    }

    fn raw(&self, f: f64) -> f64 {
        match self.scale {
            Scale::Log => libm::log(f - self.floor + self.delta),
            Scale::Linear => f / 2.0,
        }
    }

    /// f ↦ [0, 1]; non-finite values count as the top of the scale.
    fn unit(&self, f: f64) -> f64 {
        if !f.is_finite() {
            return 1.0;
        }
        ((self.raw(f) - self.t_min) / (self.t_max - self.t_min)).clamp(0.0, 1.0)
    }

    /// [`Fit::unit`] with a faster logarithm, for colouring every pixel.
    fn unit_approx(&self, f: f64, ln: &FastLn) -> f64 {
        if !f.is_finite() || self.scale == Scale::Linear {
            return self.unit(f);
        }
        let t = ln.ln(f - self.floor + self.delta);
        ((t - self.t_min) / (self.t_max - self.t_min)).clamp(0.0, 1.0)
    }

    /// The inverse of `unit`.
    fn value_at(&self, u: f64) -> f64 {
        let t = self.t_min + u * (self.t_max - self.t_min);
        match self.scale {
            Scale::Log => libm::exp(t) - self.delta + self.floor,
            Scale::Linear => 2.0 * t,
        }
    }
}

/// ln x for x > 0, to within 3e-6 and several times faster than `libm::log`: with
/// x = 2ᵉ·m, m ∈ [1, 2) read from the bits, ln x = (e + log₂ m)·ln 2, and log₂ m is
/// interpolated linearly between 257 exact values (error ≤ h²/8 · max|(log₂ m)''| =
/// 2.8e-6 for h = 1/256). Only the heatmap's colours use it: an error of 3e-6 moves no
/// pixel by a shade.
struct FastLn {
    log2: [f64; 257],
}

impl FastLn {
    fn new() -> Self {
        FastLn {
            log2: core::array::from_fn(|i| libm::log2(1.0 + i as f64 / 256.0)),
        }
    }

    fn ln(&self, x: f64) -> f64 {
        let bits = x.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i64;
        if x <= 0.0 || exponent == 0 || exponent == 0x7ff {
            return libm::log(x); // zero, subnormal, infinite or NaN: rare, exact
        }
        let mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
        let position = (mantissa - 1.0) * 256.0;
        let i = (position as usize).min(255);
        let fraction = position - i as f64;
        let log2_m = self.log2[i] + fraction * (self.log2[i + 1] - self.log2[i]);
        ((exponent - 1023) as f64 + log2_m) * core::f64::consts::LN_2
    }
}

/// The lines of one contour level, in surface coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Contour {
    pub level: f64,
    /// Position of the level on the colour scale, in [0, 1].
    pub unit: f64,
    pub lines: Vec<Vec<Point>>,
}

/// A closed contour ring and the colour of the region just inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// Position of the inside's band on the colour scale, in [0, 1].
    pub unit: f64,
    pub ring: Vec<Point>,
}

/// |shoelace area| of a closed ring.
fn ring_area(ring: &[Point]) -> f64 {
    let twice: f64 = ring
        .iter()
        .zip(ring.iter().cycle().skip(1))
        .map(|(a, b)| a[0] * b[1] - b[0] * a[1])
        .sum();
    0.5 * twice.abs()
}

impl Field {
    pub fn sample(surface: &dyn Surface, view: ViewBox, width: usize, height: usize) -> Field {
        let (width, height) = (width.max(2), height.max(2));
        let (dx, dy) = (view.width() / width as f64, view.height() / height as f64);
        let mut values = vec![0.0; width * height];
        let mut points = Vec::with_capacity(width);
        for (row, out) in values.chunks_mut(width).enumerate() {
            let y = view.y.0 + (row as f64 + 0.5) * dy;
            points.clear();
            points.extend((0..width).map(|column| [view.x.0 + (column as f64 + 0.5) * dx, y]));
            surface.values(&points, out);
        }
        let extremes = Extremes::of(&values);
        let lowest = extremes.as_ref().map(|e| e.lowest);
        let scale = Scale::chosen(surface, view, lowest, (width, height));
        // With no finite sample, any range will do: every value is the top of the scale.
        let fit = Fit::new(scale, extremes.map_or((0.0, 1.0), |e| (e.min, e.max)));
        Field {
            view,
            width,
            height,
            values,
            fit,
        }
    }

    /// f over `view` from values already computed at the centres of a `width` ×
    /// `height` grid of cells (row by row, row 0 the bottom), some perhaps still
    /// pending: a grid filled coarse to fine in [`rates::progressive_order`], whose
    /// pending cells show the value of the computed cell covering them
    /// ([`rates::shown_cell`]). On the log scale: these are losses, which have a floor.
    /// None when the cells do not make a grid of at least 2 × 2, or until the coarse
    /// pass has reached every cell.
    pub fn of_cells(
        view: ViewBox,
        width: usize,
        height: usize,
        cells: &[Option<f64>],
    ) -> Option<Field> {
        if width < 2 || height < 2 || cells.len() != width * height {
            return None;
        }
        let values = (0..cells.len())
            .map(|k| {
                let shown =
                    rates::shown_cell(width, height, k % width, k / width, |c| cells[c].is_some())?;
                cells[shown]
            })
            .collect::<Option<Vec<f64>>>()?;
        let extremes = Extremes::of(&values);
        let fit = Fit::new(Scale::Log, extremes.map_or((0.0, 1.0), |e| (e.min, e.max)));
        Some(Field {
            view,
            width,
            height,
            values,
            fit,
        })
    }

    /// The same f on a finer `width` × `height` grid over the same view, each value
    /// interpolated bilinearly between the four cell centres around it (held constant
    /// beyond the outer centres), on the same scale: a coarse grid's heatmap at the
    /// plot's own size, smooth rather than in blocks.
    pub fn resampled(&self, width: usize, height: usize) -> Field {
        let (width, height) = (width.max(1), height.max(1));
        let mut values = Vec::with_capacity(width * height);
        bilinear(
            &self.values,
            (self.width, self.height),
            (width, height),
            |_, value| values.push(value),
        );
        Field {
            view: self.view,
            width,
            height,
            values,
            fit: self.fit,
        }
    }

    /// The map's scale, chosen for this surface and view by the rule of [`Scale`].
    pub fn scale(&self) -> Scale {
        self.fit.scale
    }

    /// `count` levels evenly spaced on the map's scale, strictly between the lowest and
    /// highest sampled values: geometrically in f − f_min on the log scale, evenly in f
    /// on the linear one.
    pub fn levels(&self, count: usize) -> Vec<f64> {
        (1..=count)
            .map(|i| self.fit.value_at(i as f64 / (count + 1) as f64))
            .collect()
    }

    /// Where f sits on the map's scale, in [0, 1]: the heatmap's colour is [`colour`]
    /// of it, and the 3-D view's height (see [`crate::render::surface3d`]).
    /// Non-finite values count as the top of the scale.
    pub fn unit(&self, f: f64) -> f64 {
        self.fit.unit(f)
    }

    /// Grid values on the unit scale, where contouring is well conditioned.
    fn units(&self) -> Vec<f64> {
        self.values.iter().map(|&v| self.unit(v)).collect()
    }

    fn builder(&self) -> contour::ContourBuilder {
        // The contour crate puts sample i at i + ½, which is where we sampled: the cell
        // centre.
        contour::ContourBuilder::new(self.width, self.height, true)
            .x_origin(self.view.x.0)
            .x_step(self.view.width() / self.width as f64)
            .y_origin(self.view.y.0)
            .y_step(self.view.height() / self.height as f64)
    }

    /// Contour lines at `levels` (marching squares from the `contour` crate).
    pub fn contours(&self, levels: &[f64]) -> Vec<Contour> {
        let units: Vec<f64> = levels.iter().map(|&l| self.unit(l)).collect();
        let lines = self
            .builder()
            .lines(&self.units(), &units)
            .unwrap_or_default();
        lines
            .into_iter()
            .zip(levels)
            .zip(&units)
            .map(|((line, &level), &unit)| Contour {
                level,
                unit,
                lines: line
                    .geometry()
                    .0
                    .iter()
                    .map(|l| l.0.iter().map(|c| [c.x, c.y]).collect())
                    .collect(),
            })
            .collect()
    }

    /// Filled contours as rings to paint in order, each filled with its own colour:
    /// a vector heatmap with one colour per band between consecutive `levels`.
    ///
    /// Every ring of {f ≥ level} (from the `contour` crate) encloses the band just above
    /// the level if it is an outer ring, just below it if it is a hole. Contour lines
    /// never cross, so a ring inside another is smaller: painting rings from the largest
    /// to the smallest leaves every point in the colour of the innermost ring around it,
    /// which is its band. The first ring is the whole grid, in the lowest band.
    pub fn filled_contours(&self, levels: &[f64]) -> Vec<Region> {
        let mut thresholds = vec![f64::NEG_INFINITY];
        thresholds.extend(levels.iter().map(|&l| self.unit(l)));
        let middle = |band: usize| {
            let low = thresholds[band].max(0.0);
            let high = thresholds.get(band + 1).copied().unwrap_or(1.0);
            0.5 * (low + high)
        };
        let units = self.units();
        let mut regions: Vec<(f64, Region)> = Vec::new();
        let builder = self.builder();
        for (band, &threshold) in thresholds.iter().enumerate() {
            let at = if band == 0 { -1.0 } else { threshold };
            let Ok(contours) = builder.contours(&units, &[at]) else {
                continue;
            };
            for polygon in contours.iter().flat_map(|c| c.geometry().0.iter()) {
                let outer: Vec<Point> = polygon.exterior().0.iter().map(|c| [c.x, c.y]).collect();
                regions.push((
                    ring_area(&outer),
                    Region {
                        unit: middle(band),
                        ring: outer,
                    },
                ));
                for hole in polygon.interiors() {
                    let inner: Vec<Point> = hole.0.iter().map(|c| [c.x, c.y]).collect();
                    let below = middle(band.saturating_sub(1));
                    regions.push((
                        ring_area(&inner),
                        Region {
                            unit: below,
                            ring: inner,
                        },
                    ));
                }
            }
        }
        regions.sort_by(|a, b| b.0.total_cmp(&a.0));
        regions.into_iter().map(|(_, region)| region).collect()
    }

    /// The heatmap as RGBA bytes, row by row from the top as an image is, coloured by
    /// [`colour`] (through a table of 1024 entries: finer than 8-bit colour can show).
    pub fn rgba(&self) -> Vec<u8> {
        let table = colour_table();
        let ln = FastLn::new();
        let mut pixels = vec![0; self.values.len() * 4];
        let rows_out = pixels.chunks_exact_mut(self.width * 4);
        for (out, row) in rows_out.zip(self.values.chunks_exact(self.width).rev()) {
            for (pixel, &v) in out.chunks_exact_mut(4).zip(row) {
                let unit = self.fit.unit_approx(v, &ln);
                pixel.copy_from_slice(&table[(unit * (ENTRIES - 1) as f64).round() as usize]);
            }
        }
        pixels
    }

    /// The heatmap at `width` × `height` pixels (row by row from the top), each pixel
    /// the colour of the position on the colour scale interpolated bilinearly between
    /// the four cell centres around it (held beyond the outer centres): a coarse grid's
    /// picture at the plot's own size, smooth rather than in blocks, with one
    /// logarithm per cell rather than per pixel.
    pub fn rgba_resampled(&self, width: usize, height: usize) -> Vec<u8> {
        let (width, height) = (width.max(1), height.max(1));
        let table = colour_table();
        let units = self.units();
        let mut pixels = vec![0; width * height * 4];
        bilinear(
            &units,
            (self.width, self.height),
            (width, height),
            |(u, v), unit| {
                let at = 4 * ((height - 1 - v) * width + u);
                let entry = (unit.clamp(0.0, 1.0) * (ENTRIES - 1) as f64).round() as usize;
                pixels[at..at + 4].copy_from_slice(&table[entry]);
            },
        );
        pixels
    }
}

/// Entries of the heatmap's colour table.
const ENTRIES: usize = 1024;

/// [`colour`] at `ENTRIES` evenly spaced positions from 0 to 1, as RGBA.
fn colour_table() -> Vec<[u8; 4]> {
    (0..ENTRIES)
        .map(|i| {
            let [r, g, b] = colour(i as f64 / (ENTRIES - 1) as f64);
            [r, g, b, 255]
        })
        .collect()
}

/// Where the centre of cell `k` of `fine` cells along a side falls among the centres of
/// `coarse` cells along the same side: the centre below it (at most the last but one)
/// and the weight of the one above, clamped to the outer centres.
fn between(k: usize, fine: usize, coarse: usize) -> (usize, f64) {
    let x = ((k as f64 + 0.5) * coarse as f64 / fine as f64 - 0.5).clamp(0.0, (coarse - 1) as f64);
    let below = (x.floor() as usize).min(coarse.saturating_sub(2));
    (below, x - below as f64)
}

/// `values` at the cell centres of a `width` × `height` grid (row by row from the
/// bottom, 2 × 2 at least), interpolated bilinearly at the centres of a `fine` grid over
/// the same view: `out((column, row), value)` for each, row by row from the bottom.
fn bilinear(
    values: &[f64],
    (width, height): (usize, usize),
    (fine_width, fine_height): (usize, usize),
    mut out: impl FnMut((usize, usize), f64),
) {
    let columns: Vec<(usize, f64)> = (0..fine_width)
        .map(|u| between(u, fine_width, width))
        .collect();
    for v in 0..fine_height {
        let (row, t) = between(v, fine_height, height);
        let (lower, upper) = (row * width, (row + 1) * width);
        for (u, &(column, s)) in columns.iter().enumerate() {
            let at = |start: usize| {
                let a = values[start + column];
                a + s * (values[start + column + 1] - a)
            };
            let (a, b) = (at(lower), at(upper));
            out((u, v), a + t * (b - a));
        }
    }
}

/// The heatmap's colour for a position u ∈ [0, 1] of the map's scale: viridis
/// (perceptually uniform, readable with colour-blindness), lightened by mixing 35%
/// white so that paths and contour lines stand out on it.
pub fn colour(unit: f64) -> [u8; 3] {
    let c = colorous::VIRIDIS.eval_continuous(unit.clamp(0.0, 1.0));
    let lighten = |v: u8| (v as f64 + 0.35 * (255.0 - v as f64)).round() as u8;
    [lighten(c.r), lighten(c.g), lighten(c.b)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::{formula, from_spec, CATALOGUE};
    use crate::Spec;

    fn surface(text: &str) -> Box<dyn Surface> {
        from_spec(&Spec::parse(text).unwrap()).unwrap()
    }

    /// The grids the pictures sample: the SVG figure's, the 3-D mesh's, a page's
    /// heatmap and its contour grid.
    const GRIDS: [(usize, usize); 4] = [(160, 160), (160, 160), (677, 431), (200, 127)];

    #[test]
    fn the_saddles_are_drawn_on_a_linear_scale_every_other_surface_on_a_log_one() {
        let unbounded_below = ["saddle", "monkey-saddle"];
        assert!(unbounded_below
            .iter()
            .all(|id| CATALOGUE.iter().any(|e| e.id == *id)));
        for entry in CATALOGUE {
            let s = surface(entry.id);
            let expected = if unbounded_below.contains(&entry.id) {
                Scale::Linear
            } else {
                Scale::Log
            };
            for (w, h) in GRIDS {
                let field = Field::sample(s.as_ref(), s.view(), w, h);
                assert_eq!(field.scale(), expected, "{} on {w} × {h}", entry.id);
            }
        }
        // Typed: unbounded below in the view, or with a minimum there (listed, or
        // degenerate and found by the lowest sample alone).
        for (text, expected) in [
            ("x^2-y^2", Scale::Linear),
            ("x*y", Scale::Linear),
            ("x+2*y", Scale::Linear),
            ("x^2+y^2", Scale::Log),
            ("x^4+y^4", Scale::Log),
            ("(x-2.9)^2+(y+2.9)^2", Scale::Log),
        ] {
            let s = surface(&format!("{}:{text}", formula::ID));
            for (w, h) in GRIDS {
                let field = Field::sample(s.as_ref(), s.view(), w, h);
                assert_eq!(field.scale(), expected, "{text} on {w} × {h}");
            }
        }
    }

    #[test]
    fn a_view_that_leaves_the_minimum_out_is_linear() {
        // The quadratic's minimum (0, 0) is outside [1, 3]²: f falls towards the
        // corner (1, 1), which the view cuts off.
        let quadratic = surface("quadratic");
        let inside = Field::sample(quadratic.as_ref(), quadratic.view(), 60, 60);
        let beside = Field::sample(quadratic.as_ref(), ViewBox::new(1.0, 3.0, 1.0, 3.0), 60, 60);
        assert_eq!(
            (inside.scale(), beside.scale()),
            (Scale::Log, Scale::Linear)
        );
    }

    #[test]
    fn the_linear_scale_is_affine_in_f_with_evenly_spaced_levels() {
        let saddle = surface("saddle");
        let field = Field::sample(saddle.as_ref(), saddle.view(), 160, 160);
        assert_eq!(field.scale(), Scale::Linear);
        let (lo, hi) = field
            .values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        assert_eq!((field.unit(lo), field.unit(hi)), (0.0, 1.0));
        // unit(f) − unit(g) = (f − g) / (f_max − f_min) for every pair.
        let fs = [lo, -3.0, -1.25, 0.0, 0.1, 2.0, 3.5, hi];
        for &f in &fs {
            for &g in &fs {
                let slope = (field.unit(f) - field.unit(g)) - (f - g) / (hi - lo);
                assert!(slope.abs() < 1e-15, "{f}, {g}");
            }
        }
        // Levels step evenly in f from f_min to f_max: the middle one is 0, the
        // saddle's own level, through the saddle point.
        let levels = field.levels(15);
        let step = (hi - lo) / 16.0;
        let mut previous = lo;
        for &level in &levels {
            assert!((level - previous - step).abs() < 1e-12, "{levels:?}");
            previous = level;
        }
        assert!((hi - previous - step).abs() < 1e-12);
        assert!(levels[7].abs() < 1e-12, "{levels:?}");
        // The log scale's levels, on the banana, crowd towards its floor instead.
        let banana = surface("banana");
        let log = Field::sample(banana.as_ref(), banana.view(), 160, 160);
        let levels = log.levels(15);
        assert!(levels[1] - levels[0] < (levels[14] - levels[13]) / 100.0);
    }

    #[test]
    fn the_heatmap_of_a_saddle_is_coloured_evenly_in_f() {
        // On the linear scale every pixel's colour is exactly `colour(unit(f))`: no
        // approximate logarithm.
        let saddle = surface("monkey-saddle");
        let field = Field::sample(saddle.as_ref(), saddle.view(), 31, 17);
        assert_eq!(field.scale(), Scale::Linear);
        let rgba = field.rgba();
        for (row, values) in field.values.chunks_exact(31).rev().enumerate() {
            for (column, &f) in values.iter().enumerate() {
                let i = 4 * (row * 31 + column);
                let table = (field.unit(f) * 1023.0).round() / 1023.0;
                assert_eq!(rgba[i..i + 3], colour(table), "({row}, {column})");
            }
        }
    }

    #[test]
    fn a_flat_or_vast_grid_stays_finite_on_either_scale() {
        // f = 1 everywhere: both scales put it at the bottom, not at 0/0.
        for scale in [Scale::Log, Scale::Linear] {
            let fit = Fit::new(scale, (1.0, 1.0));
            assert_eq!(fit.unit(1.0), 0.0, "{scale:?}");
            assert!(fit.unit(2.0) > 0.0, "{scale:?}");
            assert!(fit.value_at(0.5).is_finite(), "{scale:?}");
        }
        let flat = surface(&format!("{}:1", formula::ID));
        let field = Field::sample(flat.as_ref(), flat.view(), 20, 20);
        assert_eq!(field.unit(1.0), 0.0);
        assert!(field.levels(15).iter().all(|l| l.is_finite()));
        // f from −1.7e308 to 1.7e308: f_max − f_min overflows, the scale does not.
        let vast = surface(&format!("{}:x*1.7e308", formula::ID));
        let field = Field::sample(vast.as_ref(), ViewBox::new(-1.0, 1.0, -1.0, 1.0), 20, 20);
        assert_eq!(field.scale(), Scale::Linear);
        assert!((field.unit(0.0) - 0.5).abs() < 1e-12);
        let levels = field.levels(15);
        assert!(levels.iter().all(|l| l.is_finite()), "{levels:?}");
        assert!(field
            .values
            .iter()
            .all(|&f| (0.0..=1.0).contains(&field.unit(f))));
    }

    #[test]
    fn fast_ln_is_within_its_bound_everywhere() {
        let ln = FastLn::new();
        let mut x = 1e-300;
        while x < 1e300 {
            for m in [1.0, 1.0009, 1.37, 1.5, 1.99999] {
                let v = x * m;
                assert!((ln.ln(v) - libm::log(v)).abs() < 3e-6, "ln {v}");
            }
            x *= 7.3;
        }
        assert_eq!(ln.ln(1.0), 0.0);
        assert!(ln.ln(f64::MIN_POSITIVE / 4.0).is_finite());
    }

    #[test]
    fn a_grid_filled_coarse_to_fine_shows_its_coarse_cells_until_the_fine_ones_come() {
        let view = ViewBox::new(-2.0, 2.0, -1.0, 1.0);
        let (w, h) = (40, 24);
        let value = |k: usize| (k % w) as f64 + 100.0 * (k / w) as f64;
        let order = rates::progressive_order(w, h);
        let coarse = order
            .iter()
            .filter(|&&k| {
                let s = rates::coarse_stride(w, h);
                (k as usize % w).is_multiple_of(s) && (k as usize / w).is_multiple_of(s)
            })
            .count();
        let mut cells = vec![None; w * h];
        for (n, &k) in order.iter().enumerate() {
            if n + 1 < coarse {
                cells[k as usize] = Some(value(k as usize));
                // Until the coarse pass is done, some cell has nothing to show.
                assert!(Field::of_cells(view, w, h, &cells).is_none());
                continue;
            }
            cells[k as usize] = Some(value(k as usize));
            let field = Field::of_cells(view, w, h, &cells).unwrap();
            for (c, &v) in field.values.iter().enumerate() {
                match cells[c] {
                    Some(own) => assert_eq!(v, own),
                    // A pending cell shows a computed one near it: within a block.
                    None => {
                        let s = rates::coarse_stride(w, h) as f64;
                        let shown = cells.iter().position(|x| *x == Some(v)).unwrap();
                        assert!(((shown % w) as f64 - (c % w) as f64).abs() <= s);
                        assert!(((shown / w) as f64 - (c / w) as f64).abs() <= s);
                    }
                }
            }
            if n + 1 == order.len() {
                assert_eq!(field.values, (0..w * h).map(value).collect::<Vec<_>>());
                assert_eq!(field.scale(), Scale::Log);
            }
        }
        // Not a grid of these sides, or too small to contour.
        assert!(Field::of_cells(view, w, h, &cells[1..]).is_none());
        assert!(Field::of_cells(view, 1, 4, &[Some(1.0); 4]).is_none());
    }

    #[test]
    fn resampling_is_exact_on_a_plane_and_keeps_the_colour_scale() {
        // f = 3 + x − 2y at 10 × 6 cell centres of [0, 10] × [0, 6]: bilinear
        // interpolation reproduces it between the outer centres, and holds the value of
        // the nearest outer centre beyond them.
        let view = ViewBox::new(0.0, 10.0, 0.0, 6.0);
        let f = |x: f64, y: f64| 3.0 + x - 2.0 * y;
        let cells: Vec<Option<f64>> = (0..60)
            .map(|k| Some(f((k % 10) as f64 + 0.5, (k / 10) as f64 + 0.5)))
            .collect();
        let coarse = Field::of_cells(view, 10, 6, &cells).unwrap();
        let (w, h) = (37, 23);
        let fine = coarse.resampled(w, h);
        assert_eq!((fine.width, fine.height), (w, h));
        for (k, &v) in fine.values.iter().enumerate() {
            let x = ((k % w) as f64 + 0.5) * 10.0 / w as f64;
            let y = ((k / w) as f64 + 0.5) * 6.0 / h as f64;
            let expected = f(x.clamp(0.5, 9.5), y.clamp(0.5, 5.5));
            assert!(
                (v - expected).abs() < 1e-12,
                "({x}, {y}): {v} vs {expected}"
            );
        }
        for v in [-7.0, 0.0, 2.5, 12.0] {
            assert_eq!(fine.unit(v), coarse.unit(v));
        }
        // At the grid's own size nothing moves.
        assert_eq!(coarse.resampled(10, 6).values, coarse.values);
    }

    #[test]
    fn a_resampled_heatmap_is_the_grid_s_at_its_own_size_and_its_corners_beyond() {
        let view = ViewBox::new(-1.0, 1.0, -1.0, 1.0);
        let (w, h) = (9, 6);
        let cells: Vec<Option<f64>> = (0..w * h)
            .map(|k| Some(0.01 + ((k % w) as f64 - 3.0).powi(2) + 0.5 * (k / w) as f64))
            .collect();
        let field = Field::of_cells(view, w, h, &cells).unwrap();
        let table = colour_table();
        let entry = |f: f64| table[(field.unit(f) * (ENTRIES - 1) as f64).round() as usize];
        // At its own size: each pixel is its cell's colour, the top row first.
        let own = field.rgba_resampled(w, h);
        for (k, pixel) in own.chunks_exact(4).enumerate() {
            let (column, row) = (k % w, h - 1 - k / w);
            assert_eq!(
                pixel,
                entry(field.values[row * w + column]),
                "({column}, {row})"
            );
        }
        // Larger: the corner pixels lie beyond the outer centres and take their colours,
        // and every pixel is a colour of the scale.
        let (big_w, big_h) = (50, 31);
        let big = field.rgba_resampled(big_w, big_h);
        assert_eq!(big.len(), big_w * big_h * 4);
        let pixel = |u: usize, v: usize| &big[4 * (v * big_w + u)..4 * (v * big_w + u) + 4];
        assert_eq!(pixel(0, 0), entry(field.values[(h - 1) * w]));
        assert_eq!(pixel(big_w - 1, big_h - 1), entry(field.values[w - 1]));
        assert!(big
            .chunks_exact(4)
            .all(|p| table.contains(&[p[0], p[1], p[2], p[3]])));
    }

    #[test]
    fn heatmap_is_top_down_and_darkest_at_the_minimum() {
        let s = crate::surface::from_spec(&crate::Spec::parse("booth").unwrap()).unwrap();
        let view = ViewBox::new(0.0, 2.0, 2.0, 4.0); // minimum (1, 3) in the middle
        let field = Field::sample(s.as_ref(), view, 21, 21);
        let rgba = field.rgba();
        let luminance = |row: usize, column: usize| {
            let i = 4 * (row * 21 + column);
            rgba[i] as u32 + rgba[i + 1] as u32 + rgba[i + 2] as u32
        };
        let centre = luminance(10, 10);
        assert!((0..21).all(|r| (0..21).all(|c| luminance(r, c) >= centre)));
        // f grows faster towards the bottom-left (x + y small) than towards the top-left.
        assert!(luminance(20, 0) > luminance(0, 0));
    }
}
