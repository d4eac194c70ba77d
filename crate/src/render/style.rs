//! How an optimizer is drawn, the same on every picture and preset: one colour and one
//! marker shape per method (so colour is never the only cue), and shades of the colour
//! for several runs of one method (momentum with γ = 0.5 and γ = 0.9).

use super::PALETTE;
use plotters::element::ComposedElement;
use plotters::prelude::*;
/// A device pixel.
type BackendCoord = (i32, i32);
use serde::Serialize;
use std::f64::consts::PI;

/// A marker's outline, drawn as a polygon of unit size around its centre.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Pentagon,
    Star,
    Hexagon,
    Plus,
    Cross,
    TriangleLeft,
}

/// A method's colour (from [`PALETTE`]) and shape, by its id in `optim::CATALOGUE`:
/// SGD, the baseline, in black; the momentum family in warm colours, the adaptive
/// methods in blues and purples.
const METHODS: [(&str, RGBColor, Shape); 11] = [
    ("sgd", PALETTE[6], Shape::Circle),
    ("momentum", PALETTE[1], Shape::Square),
    ("nesterov", PALETTE[2], Shape::Triangle),
    ("adagrad", PALETTE[5], Shape::Diamond),
    ("rmsprop", PALETTE[3], Shape::TriangleDown),
    ("adadelta", PALETTE[8], Shape::Pentagon),
    ("adam", PALETTE[0], Shape::Star),
    ("adamw", PALETTE[9], Shape::Hexagon),
    ("nadam", PALETTE[7], Shape::Plus),
    ("lion", PALETTE[4], Shape::Cross),
    ("newton", PALETTE[10], Shape::TriangleLeft),
];

/// How one optimizer is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    pub colour: RGBColor,
    pub shape: Shape,
}

/// The `nth` run (from 0) of method `id`: the method's colour, mixed for later runs
/// alternately towards black and towards white (colours too dark to darken only
/// lighten), by about 40 %, then by about 70 %: five shades that stay apart and, with
/// the paths' white halo, visible on the heatmap; a sixth run repeats the first. An
/// unknown id is drawn grey, as a circle.
pub fn style_of(id: &str, nth: usize) -> Style {
    let (colour, shape) = METHODS
        .iter()
        .find(|(method, _, _)| *method == id)
        .map_or((PALETTE[10], Shape::Circle), |&(_, colour, shape)| {
            (colour, shape)
        });
    Style {
        colour: shade(colour, nth),
        shape,
    }
}

/// One style per optimizer of `ids`, in order, the nth run of a method in its nth shade.
pub fn styles_of<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<Style> {
    let mut seen: Vec<&str> = Vec::new();
    ids.into_iter()
        .map(|id| {
            let nth = seen.iter().filter(|s| **s == id).count();
            seen.push(id);
            style_of(id, nth)
        })
        .collect()
}

/// How many shades of a method's colour [`style_of`] gives before it repeats them.
const SHADES: usize = 5;

/// Every colour [`style_of`] draws a method in: each method's colour in each of its
/// shades (an unknown id's grey is Newton's colour).
pub fn method_colours() -> impl Iterator<Item = RGBColor> {
    METHODS
        .iter()
        .flat_map(|&(_, colour, _)| (0..SHADES).map(move |nth| shade(colour, nth)))
}

/// Shade `nth` of `colour`: a mix t of it with black (t < 0) or white (t > 0).
fn shade(colour: RGBColor, nth: usize) -> RGBColor {
    const DARKER_AND_LIGHTER: [f64; SHADES] = [0.0, -0.4, 0.4, -0.7, 0.7];
    const LIGHTER: [f64; SHADES] = [0.0, 0.3, 0.5, 0.62, 0.72];
    let dark = colour.0.max(colour.1).max(colour.2) < 64;
    let steps = if dark { LIGHTER } else { DARKER_AND_LIGHTER };
    let t = steps[nth % steps.len()];
    let mix = |c: u8| {
        let c = f64::from(c);
        let target = if t < 0.0 { 0.0 } else { 255.0 };
        (c + t.abs() * (target - c)).round() as u8
    };
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

impl Shape {
    /// The outline's vertices around (0, 0), y down, within the unit circle; a circle
    /// as 24 of them.
    pub fn outline(self) -> Vec<(f64, f64)> {
        // n vertices on a circle of radius r, the first at angle `turn` (in turns) from up.
        let regular = |n: usize, r: f64, turn: f64| -> Vec<(f64, f64)> {
            (0..n)
                .map(|k| {
                    let a = 2.0 * PI * (turn + k as f64 / n as f64);
                    (r * a.sin(), -r * a.cos())
                })
                .collect()
        };
        // A plus of arms w wide, turned by `turn`.
        let plus = |turn: f64| -> Vec<(f64, f64)> {
            let (w, l) = (0.3, 0.95);
            let arm = [(w, -l), (w, -w), (l, -w), (l, w), (w, w), (w, l)];
            let (s, c) = (2.0 * PI * turn).sin_cos();
            [(1.0, 1.0), (-1.0, -1.0)]
                .into_iter()
                .flat_map(|(sx, sy)| arm.map(|(x, y)| (sx * x, sy * y)))
                .map(|(x, y)| (x * c - y * s, x * s + y * c))
                .collect()
        };
        match self {
            Shape::Circle => regular(24, 1.0, 0.0),
            Shape::Square => regular(4, 1.0, 0.125),
            Shape::Triangle => regular(3, 1.0, 0.0),
            Shape::Diamond => regular(4, 1.0, 0.0),
            Shape::TriangleDown => regular(3, 1.0, 0.5),
            Shape::Pentagon => regular(5, 1.0, 0.0),
            Shape::Hexagon => regular(6, 1.0, 0.0),
            Shape::TriangleLeft => regular(3, 1.0, 0.75),
            Shape::Star => regular(10, 1.0, 0.0)
                .into_iter()
                .enumerate()
                .map(|(k, (x, y))| {
                    if k % 2 == 1 {
                        (0.45 * x, 0.45 * y)
                    } else {
                        (x, y)
                    }
                })
                .collect(),
            Shape::Plus => plus(0.0),
            Shape::Cross => plus(0.125),
        }
    }

    /// The outline scaled to radius `r` pixels around pixel `centre`.
    pub fn vertices(self, r: f64, centre: BackendCoord) -> Vec<BackendCoord> {
        self.outline()
            .iter()
            .map(|(x, y)| {
                let pixel = |c: i32, v: f64| c + (v * r).round() as i32;
                (pixel(centre.0, *x), pixel(centre.1, *y))
            })
            .collect()
    }

    /// The outline as an SVG path in a box from −1 to 1, for a legend drawn elsewhere.
    pub fn svg_path(self) -> String {
        let points: Vec<String> = self
            .outline()
            .iter()
            .map(|(x, y)| format!("{},{}", round3(*x), round3(*y)))
            .collect();
        format!("M{}Z", points.join("L"))
    }
}

/// x to three decimals, as its shortest text.
fn round3(x: f64) -> String {
    crate::text::number((x * 1000.0).round() / 1000.0 + 0.0)
}

/// A marker of `shape` with radius `r` device pixels at `at`, filled with `colour`
/// within a white edge `edge` pixels wide, so that it reads on any background.
pub fn marker<C, DB: DrawingBackend>(
    at: C,
    shape: Shape,
    r: f64,
    edge: f64,
    colour: RGBColor,
) -> Marker<C, DB> {
    EmptyElement::at(at)
        + Polygon::new(shape.vertices(r + edge, (0, 0)), WHITE.filled())
        + Polygon::new(shape.vertices(r, (0, 0)), colour.filled())
}

/// What [`marker`] draws: two polygons in pixels around a point.
pub type Marker<C, DB> = ComposedElement<C, DB, Polygon<BackendCoord>, Polygon<BackendCoord>>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::CATALOGUE;

    fn distance(a: RGBColor, b: RGBColor) -> f64 {
        let d = |x: u8, y: u8| f64::from(x) - f64::from(y);
        (d(a.0, b.0).powi(2) + d(a.1, b.1).powi(2) + d(a.2, b.2).powi(2)).sqrt()
    }

    #[test]
    fn every_method_has_its_own_colour_and_shape() {
        let styles: Vec<Style> = CATALOGUE.iter().map(|e| style_of(e.id, 0)).collect();
        assert_eq!(styles.len(), METHODS.len());
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a.colour, b.colour);
                assert_ne!(a.shape, b.shape);
            }
        }
        // The same method is drawn alike whatever its slot.
        let one = styles_of(["sgd", "momentum", "adam"]);
        let other = styles_of(["adam", "newton", "momentum"]);
        assert_eq!(one[1], other[2]);
        assert_eq!(one[2], other[0]);
    }

    #[test]
    fn method_colours_are_every_shade_style_of_draws() {
        let all: Vec<RGBColor> = method_colours().collect();
        for entry in CATALOGUE {
            for nth in 0..2 * SHADES {
                assert!(
                    all.contains(&style_of(entry.id, nth).colour),
                    "{}",
                    entry.id
                );
            }
        }
        assert!(all.contains(&style_of("unknown", 0).colour));
    }

    #[test]
    fn runs_of_one_method_get_shades_apart() {
        for entry in CATALOGUE {
            let styles = styles_of([entry.id; 5]);
            for (i, a) in styles.iter().enumerate() {
                assert_eq!(a.shape, styles[0].shape);
                for b in &styles[i + 1..] {
                    let apart = distance(a.colour, b.colour);
                    assert!(apart > 40.0, "{}: {a:?} {b:?}", entry.id);
                }
            }
        }
        let shades = styles_of(["momentum", "sgd", "momentum"]);
        assert_eq!(shades[0].colour, style_of("momentum", 0).colour);
        assert_eq!(shades[2].colour, style_of("momentum", 1).colour);
    }

    #[test]
    fn outlines_fit_the_unit_circle_and_their_paths_are_svg() {
        for (_, _, shape) in METHODS {
            let outline = shape.outline();
            assert!(outline.len() >= 3);
            assert!(outline.iter().all(|(x, y)| x.hypot(*y) <= 1.0 + 1e-12));
            let path = shape.svg_path();
            assert!(path.starts_with('M') && path.ends_with('Z'), "{path}");
            assert_eq!(path.matches('L').count(), outline.len() - 1);
        }
        assert_eq!(Shape::Diamond.svg_path(), "M0,-1L1,0L0,1L-1,0Z");
    }
}
