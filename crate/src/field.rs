//! A surface sampled on a grid: log-scaled values, contour lines and an RGBA heatmap.
//! Data, not pixels: [`crate::render`] and the page decide where it goes.

use crate::surface::{Point, Surface, ViewBox};

/// f sampled at the centres of a `width` × `height` grid of cells over `view`;
/// row 0 is the bottom (y = y_min), as on the axes: the contour crate keeps ring
/// orientation (outer rings against holes) only with positive steps.
pub struct Field {
    pub view: ViewBox,
    pub width: usize,
    pub height: usize,
    pub values: Vec<f64>,
    scale: LogScale,
}

/// t(f) = ln(f − f_min + δ), normalized to [0, 1] over the grid: losses span many orders
/// of magnitude, and a log scale shows the floor of a valley as well as its walls.
/// δ = 10⁻⁴ (f_max − f_min) keeps the minimum itself finite.
#[derive(Clone, Copy, Debug)]
struct LogScale {
    floor: f64,
    delta: f64,
    t_min: f64,
    t_max: f64,
}

impl LogScale {
    fn fit(values: &[f64]) -> Self {
        let (min, max) = values
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let (min, max) = if min <= max { (min, max) } else { (0.0, 1.0) };
        let delta = ((max - min) * 1e-4).max(f64::MIN_POSITIVE);
        let mut scale = LogScale {
            floor: min,
            delta,
            t_min: 0.0,
            t_max: 1.0,
        };
        scale.t_min = scale.raw(min);
        scale.t_max = scale.raw(max).max(scale.t_min + f64::EPSILON);
        scale
    }

    fn raw(&self, f: f64) -> f64 {
        libm::log(f - self.floor + self.delta)
    }

    /// f ↦ [0, 1]; non-finite values count as the top of the scale.
    fn unit(&self, f: f64) -> f64 {
        if !f.is_finite() {
            return 1.0;
        }
        ((self.raw(f) - self.t_min) / (self.t_max - self.t_min)).clamp(0.0, 1.0)
    }

    /// [`LogScale::unit`] with a faster logarithm, for colouring every pixel.
    fn unit_approx(&self, f: f64, ln: &FastLn) -> f64 {
        if !f.is_finite() {
            return 1.0;
        }
        let t = ln.ln(f - self.floor + self.delta);
        ((t - self.t_min) / (self.t_max - self.t_min)).clamp(0.0, 1.0)
    }

    /// The inverse of `unit`.
    fn value_at(&self, u: f64) -> f64 {
        libm::exp(self.t_min + u * (self.t_max - self.t_min)) - self.delta + self.floor
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
        let scale = LogScale::fit(&values);
        Field {
            view,
            width,
            height,
            values,
            scale,
        }
    }

    /// `count` levels evenly spaced on the log scale (so geometrically in f − f_min),
    /// strictly between the lowest and highest sampled values.
    pub fn levels(&self, count: usize) -> Vec<f64> {
        (1..=count)
            .map(|i| self.scale.value_at(i as f64 / (count + 1) as f64))
            .collect()
    }

    /// Where f sits on the map's log scale, in [0, 1]: the heatmap's colour is
    /// [`colour`] of it, and the 3-D view's height (see [`crate::render::surface3d`]).
    /// Non-finite values count as the top of the scale.
    pub fn unit(&self, f: f64) -> f64 {
        self.scale.unit(f)
    }

    /// Grid values on the unit log scale, where contouring is well conditioned.
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
        let units: Vec<f64> = levels.iter().map(|&l| self.scale.unit(l)).collect();
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
        thresholds.extend(levels.iter().map(|&l| self.scale.unit(l)));
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
        const ENTRIES: usize = 1024;
        let table: Vec<[u8; 4]> = (0..ENTRIES)
            .map(|i| {
                let [r, g, b] = colour(i as f64 / (ENTRIES - 1) as f64);
                [r, g, b, 255]
            })
            .collect();
        let ln = FastLn::new();
        let mut pixels = vec![0; self.values.len() * 4];
        let rows_out = pixels.chunks_exact_mut(self.width * 4);
        for (out, row) in rows_out.zip(self.values.chunks_exact(self.width).rev()) {
            for (pixel, &v) in out.chunks_exact_mut(4).zip(row) {
                let unit = self.scale.unit_approx(v, &ln);
                pixel.copy_from_slice(&table[(unit * (ENTRIES - 1) as f64).round() as usize]);
            }
        }
        pixels
    }
}

/// The heatmap's colour for a position u ∈ [0, 1] of the log scale: viridis
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
