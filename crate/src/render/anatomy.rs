//! A step taken apart, drawn over the paths: its arrows (the whole step, and for
//! momentum and Nesterov the velocity kept and the gradient term, which meet at the
//! look-ahead point), an adaptive method's box of per-coordinate step sizes and the next
//! iterate; and the local geometry at a point, the quadratic model's level set with its
//! axes along the Hessian's eigenvectors. Everything is clipped to the plot, and the
//! arrowheads have a fixed size in pixels, so they show at any zoom.

use super::clip::{clip_polyline, inside};
use super::{drawing, Layout};
use crate::anatomy::{Anatomy, Definiteness, Geometry, Role};
use crate::config::Error;
use crate::surface::{Point, ViewBox};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// Arrowheads: length and half-width in CSS pixels.
const HEAD: (f64, f64) = (9.0, 4.0);

/// The model's level set: its longest half-axis as a fraction of the view's width.
pub const ELLIPSE_SIZE: f64 = 0.12;

type Pixel = (i32, i32);

/// Maps the plane to device pixels and keeps drawings within the plot.
struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    layout: &'a Layout,
    view: &'a ViewBox,
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    fn pixel(&self, p: (f64, f64)) -> Pixel {
        let (u, v) = self.layout.pixel_of(self.view, [p.0, p.1]);
        (u.round() as i32, v.round() as i32)
    }

    fn px(&self, css: f64) -> f64 {
        self.layout.px(css)
    }

    fn within_plot(&self, p: Pixel) -> bool {
        let [left, top, right, bottom] = self.layout.plot;
        (left..=right).contains(&p.0) && (top..=bottom).contains(&p.1)
    }

    /// The visible runs of a polyline of the plane, in pixels.
    fn runs(&self, points: &[Point]) -> Vec<Vec<Pixel>> {
        let line: Vec<(f64, f64)> = points.iter().map(|p| (p[0], p[1])).collect();
        clip_polyline(self.view, &line)
            .into_iter()
            .map(|run| run.into_iter().map(|p| self.pixel(p)).collect())
            .collect()
    }

    /// A polyline of the plane over a white halo, dashed when `dash` is set.
    fn line(&self, points: &[Point], style: ShapeStyle, dash: bool) -> Result<(), Error> {
        let halo = WHITE
            .mix(0.8)
            .stroke_width(style.stroke_width + self.px(2.0) as u32);
        let (size, gap) = (self.px(6.0) as i32, self.px(4.0) as i32);
        for run in self.runs(points) {
            self.area
                .draw(&PathElement::new(run.clone(), halo))
                .map_err(drawing)?;
            if dash {
                self.area
                    .draw(&DashedPathElement::new(run, size, gap, style))
                    .map_err(drawing)?;
            } else {
                self.area
                    .draw(&PathElement::new(run, style))
                    .map_err(drawing)?;
            }
        }
        Ok(())
    }

    /// An arrow from `from` to `to`: its shaft clipped to the plot, and a head of fixed
    /// size at `to` when the whole head fits in the plot.
    fn arrow(&self, from: Point, to: Point, style: ShapeStyle, dash: bool) -> Result<(), Error> {
        let (a, b) = (
            self.layout.pixel_of(self.view, from),
            self.layout.pixel_of(self.view, to),
        );
        let length = (b.0 - a.0).hypot(b.1 - a.1);
        if !(length.is_finite() && length > 0.0) {
            return Ok(());
        }
        let (along, across) = ((b.0 - a.0) / length, (b.1 - a.1) / length);
        let (head, half) = (self.px(HEAD.0), self.px(HEAD.1));
        // The shaft stops where the head begins, so its end does not blunt the tip.
        let back = (length - head).max(0.0) / length;
        let neck = [
            from[0] + (to[0] - from[0]) * back,
            from[1] + (to[1] - from[1]) * back,
        ];
        if back > 0.0 {
            self.line(&[from, neck], style, dash)?;
        }
        let base = (b.0 - along * head, b.1 - across * head);
        let corner = |side: f64| {
            (
                (base.0 - across * half * side).round() as i32,
                (base.1 + along * half * side).round() as i32,
            )
        };
        let tip = (b.0.round() as i32, b.1.round() as i32);
        let head = vec![tip, corner(1.0), corner(-1.0)];
        if inside(self.view, (to[0], to[1])) && head.iter().all(|p| self.within_plot(*p)) {
            self.area
                .draw(&Polygon::new(head.clone(), WHITE.mix(0.8)))
                .map_err(drawing)?;
            let outline = [head.clone(), vec![tip]].concat();
            self.area
                .draw(&PathElement::new(
                    outline,
                    WHITE.stroke_width(self.px(2.0) as u32),
                ))
                .map_err(drawing)?;
            self.area
                .draw(&Polygon::new(head, style.color.filled()))
                .map_err(drawing)?;
        }
        Ok(())
    }

    /// A dot of `radius` CSS pixels, when it fits in the plot.
    fn dot(&self, at: Point, radius: f64, fill: ShapeStyle, ring: ShapeStyle) -> Result<(), Error> {
        let centre = self.pixel((at[0], at[1]));
        let r = self.px(radius).round() as i32;
        let fits = [(-r, 0), (r, 0), (0, -r), (0, r)]
            .iter()
            .all(|d| self.within_plot((centre.0 + d.0, centre.1 + d.1)));
        if inside(self.view, (at[0], at[1])) && fits {
            self.area
                .draw(&Circle::new(centre, r, fill))
                .map_err(drawing)?;
            self.area
                .draw(&Circle::new(centre, r, ring))
                .map_err(drawing)?;
        }
        Ok(())
    }
}

/// Step `a` of one optimizer, in its colour: the box of per-coordinate step sizes
/// (adaptive methods: half-sides ηᵢ|gᵢ| around θₖ, see [`Anatomy::step_box`]) lightly
/// filled; the velocity kept −γm dashed; the gradient term −η∇L thin; the whole step
/// θₖ → θₖ₊₁ thick; the look-ahead point (Nesterov) as a hollow ring and the next
/// iterate as a dot.
pub fn anatomy<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    a: &Anatomy,
    colour: RGBColor,
) -> Result<(), Error> {
    let canvas = Canvas { area, layout, view };
    let width = |css: f64| canvas.px(css).round().max(1.0) as u32;
    if let Some((c, half)) = a.step_box() {
        let corners = [
            [c[0] - half[0], c[1] - half[1]],
            [c[0] + half[0], c[1] - half[1]],
            [c[0] + half[0], c[1] + half[1]],
            [c[0] - half[0], c[1] + half[1]],
        ];
        let pixels = corners.map(|p| canvas.pixel((p[0], p[1])));
        let [left, top, right, bottom] = layout.plot;
        let (u0, u1) = (pixels[0].0.max(left), pixels[1].0.min(right));
        let (v0, v1) = (pixels[2].1.max(top), pixels[0].1.min(bottom));
        if u0 <= u1 && v0 <= v1 {
            area.draw(&Rectangle::new(
                [(u0, v0), (u1, v1)],
                colour.mix(0.15).filled(),
            ))
            .map_err(drawing)?;
        }
        let outline = [corners.as_slice(), &corners[..1]].concat();
        canvas.line(&outline, colour.stroke_width(width(1.5)), false)?;
    }
    for arrow in a.arrows() {
        let (style, dash) = match arrow.role {
            Role::Step => (colour.stroke_width(width(3.0)), false),
            Role::Velocity => (colour.stroke_width(width(2.0)), true),
            Role::Gradient => (colour.stroke_width(width(2.0)), false),
        };
        canvas.arrow(arrow.from, arrow.to, style, dash)?;
    }
    if let Some(p) = a.look_ahead {
        canvas.dot(p, 4.5, WHITE.filled(), colour.stroke_width(width(2.0)))?;
    }
    canvas.dot(a.next, 4.0, colour.filled(), WHITE.stroke_width(width(1.5)))
}

/// The local geometry at `at`: the level set ½δᵀHδ = c of the quadratic model whose
/// longest half-axis is [`ELLIPSE_SIZE`] of the view's width, and its two axes along the
/// eigenvectors; for an indefinite or singular Hessian the axes only, the one of
/// negative curvature dashed.
pub fn geometry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    at: Point,
    g: &Geometry,
) -> Result<(), Error> {
    let canvas = Canvas { area, layout, view };
    let longest = ELLIPSE_SIZE * view.width();
    let style = BLACK
        .mix(0.75)
        .stroke_width(canvas.px(1.5).round().max(1.0) as u32);
    if matches!(g.definite, Definiteness::Positive | Definiteness::Negative) {
        canvas.line(&g.ellipse(at, longest, 96), style, false)?;
    }
    for ((r, u), l) in g
        .half_axes(longest)
        .iter()
        .zip(g.eigenvectors)
        .zip(g.eigenvalues)
    {
        let ends = [
            [at[0] - r * u[0], at[1] - r * u[1]],
            [at[0] + r * u[0], at[1] + r * u[1]],
        ];
        canvas.line(&ends, style, l < 0.0)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::optimizers::{OptimizerLab, Settings};
    use crate::layout::Margins;

    fn lab(json: &str) -> OptimizerLab {
        let settings: Settings = serde_json::from_str(json).unwrap();
        OptimizerLab::open(&settings).0
    }

    /// A polyline or polygon: its tag, its stroke or fill, its points.
    type Shape = (String, String, Vec<(f64, f64)>);

    /// Every polyline and polygon.
    fn shapes(svg: &str) -> Vec<Shape> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline") || n.has_tag_name("polygon"))
            .map(|n| {
                let colour = n
                    .attribute("stroke")
                    .or(n.attribute("fill"))
                    .unwrap_or("")
                    .to_string();
                let points = crate::render::svg_points(n.attribute("points").unwrap());
                (n.tag_name().name().to_string(), colour, points)
            })
            .collect()
    }

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    fn near(a: (f64, f64), b: (f64, f64), tolerance: f64) -> bool {
        (a.0 - b.0).hypot(a.1 - b.1) <= tolerance
    }

    fn draw(lab: &OptimizerLab, index: usize, step: usize, layout: &Layout) -> String {
        let a = lab.anatomy(index, step).unwrap();
        let colour = lab.styles()[index].colour;
        super::super::svg((layout.width, layout.height), |area| {
            anatomy(area, layout, &lab.view(), &a, colour)
        })
    }

    /// Zoomed in on the start, where each step is tens of pixels long.
    const RACE: &str = r#"{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 40,
        "view": {"x": [-1.3, -0.7], "y": [0.75, 1.25]},
        "optimizers": ["sgd:lr=0.002", "nesterov:lr=0.001", "adagrad:lr=0.3", "adam:lr=0.3"]}"#;

    #[test]
    fn the_arrows_run_from_the_iterate_to_the_next_with_their_heads_at_the_tip() {
        let lab = lab(RACE);
        let layout = Layout::new(600, 450, 1.0, Margins::SURFACE);
        let view = lab.view();
        for (index, step) in [(0, 3), (1, 3), (2, 2)] {
            let a = lab.anatomy(index, step).unwrap();
            let colour = hex(lab.styles()[index].colour);
            let shapes = shapes(&draw(&lab, index, step, &layout));
            let from = layout.pixel_of(&view, a.theta);
            let to = layout.pixel_of(&view, a.next);
            let length = (to.0 - from.0).hypot(to.1 - from.1);
            assert!(length > 3.0 * HEAD.0, "{} moves {length} pixels", a.method);
            assert!(
                shapes.iter().any(|(tag, c, p)| tag == "polyline"
                    && c.eq_ignore_ascii_case(&colour)
                    && near(p[0], from, 1.0)),
                "no shaft from {from:?} for {}",
                a.method
            );
            assert!(
                shapes.iter().any(|(tag, c, p)| tag == "polygon"
                    && c.eq_ignore_ascii_case(&colour)
                    && p.iter().any(|q| near(*q, to, 1.0))),
                "no head at {to:?} for {}",
                a.method
            );
        }
    }

    #[test]
    fn nesterov_s_look_ahead_point_is_a_ring_where_its_two_arrows_meet() {
        let lab = lab(RACE);
        let layout = Layout::new(600, 450, 1.0, Margins::SURFACE);
        let a = lab.anatomy(1, 3).unwrap();
        let svg = draw(&lab, 1, 3, &layout);
        let ahead = layout.pixel_of(&lab.view(), a.look_ahead.unwrap());
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let ring = doc.descendants().any(|n| {
            n.has_tag_name("circle")
                && n.attribute("fill") == Some("none")
                && near(
                    (
                        n.attribute("cx").unwrap().parse().unwrap(),
                        n.attribute("cy").unwrap().parse().unwrap(),
                    ),
                    ahead,
                    1.0,
                )
        });
        assert!(ring, "no ring at {ahead:?}");
        // The dashed velocity arrow starts at θ, the gradient arrow at the look-ahead.
        let colour = hex(lab.styles()[1].colour);
        let lines = shapes(&svg);
        assert!(lines
            .iter()
            .any(|(tag, c, p)| tag == "polyline" && *c == colour && near(p[0], ahead, 1.0)));
    }

    #[test]
    fn adaptive_methods_draw_their_box_and_others_none() {
        let lab = lab(RACE);
        let layout = Layout::new(600, 450, 1.0, Margins::SURFACE);
        let view = lab.view();
        let boxes = |index: usize, step: usize| {
            let svg = draw(&lab, index, step, &layout);
            let doc = roxmltree::Document::parse(&svg).unwrap();
            doc.descendants()
                .filter(|n| n.has_tag_name("rect"))
                .map(|n| {
                    let get = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
                    (get("x"), get("y"), get("width"), get("height"))
                })
                .collect::<Vec<_>>()
        };
        assert!(boxes(0, 3).is_empty() && boxes(1, 3).is_empty());
        let a = lab.anatomy(2, 2).unwrap();
        let (centre, half) = a.step_box().unwrap();
        let (c, corner) = (
            layout.pixel_of(&view, centre),
            layout.pixel_of(&view, [centre[0] + half[0], centre[1] + half[1]]),
        );
        let found = boxes(2, 2);
        assert_eq!(found.len(), 1);
        let (x, y, w, h) = found[0];
        assert!((x + w / 2.0 - c.0).abs() <= 1.5 && (y + h / 2.0 - c.1).abs() <= 1.5);
        assert!(
            (w / 2.0 - (corner.0 - c.0)).abs() <= 1.5,
            "{w} vs {corner:?}"
        );
        assert!(
            (h / 2.0 - (c.1 - corner.1)).abs() <= 1.5,
            "{h} vs {corner:?}"
        );
    }

    #[test]
    fn nothing_is_drawn_outside_the_plot() {
        // Zoomed in on the start: the step leaves the view.
        let lab = lab(r#"{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 5,
                "view": {"x": [-1.21, -1.19], "y": [0.99, 1.01]},
                "optimizers": ["sgd:lr=0.002", "adagrad:lr=0.3"]}"#);
        let layout = Layout::new(600, 450, 1.0, Margins::SURFACE);
        let [left, top, right, bottom] = layout.plot.map(f64::from);
        for index in 0..2 {
            for (_, _, points) in shapes(&draw(&lab, index, 0, &layout)) {
                for (x, y) in points {
                    assert!((left - 3.0..=right + 3.0).contains(&x), "{x}");
                    assert!((top - 3.0..=bottom + 3.0).contains(&y), "{y}");
                }
            }
        }
    }

    #[test]
    fn the_ellipse_s_axes_lie_along_the_eigenvectors() {
        let lab = lab(r#"{"surface": "quadratic:lambda1=1,lambda2=9,angle=30"}"#);
        let view = lab.view();
        let layout = Layout::new(500, 500, 1.0, Margins::SURFACE);
        let at = [0.5, -0.5];
        let g = lab.geometry_at(at).unwrap();
        let svg = super::super::svg((500, 500), |area| geometry(area, &layout, &view, at, &g));
        let lines: Vec<_> = shapes(&svg)
            .into_iter()
            .filter(|(_, c, p)| c == "#000000" && p.len() == 2)
            .map(|(_, _, p)| p)
            .collect();
        assert_eq!(lines.len(), 2);
        let [r1, r2] = g.half_axes(ELLIPSE_SIZE * view.width());
        for ((line, u), r) in lines.iter().zip(g.eigenvectors).zip([r1, r2]) {
            let ends = [-1.0, 1.0]
                .map(|s| layout.pixel_of(&view, [at[0] + s * r * u[0], at[1] + s * r * u[1]]));
            assert!(
                near(line[0], ends[0], 1.0) && near(line[1], ends[1], 1.0),
                "{line:?} vs {ends:?}"
            );
        }
        // The longest axis is 12 % of the view's width, along the flatter u₁.
        assert!((r1 - 0.12 * view.width()).abs() < 1e-12 && r2 < r1);
        let ellipse = shapes(&svg).into_iter().any(|(_, _, p)| p.len() > 50);
        assert!(ellipse);
        // A saddle: its axes only, the negative one dashed (plotters draws dashes as
        // many short lines).
        let saddle = self::lab(r#"{"surface": "saddle"}"#);
        let g = saddle.geometry_at([0.3, 0.2]).unwrap();
        let svg = super::super::svg((500, 500), |area| {
            geometry(area, &layout, &saddle.view(), [0.3, 0.2], &g)
        });
        let black = shapes(&svg)
            .into_iter()
            .filter(|(_, c, _)| c == "#000000")
            .count();
        assert!(black > 3, "{black}");
        assert!(shapes(&svg).iter().all(|(_, _, p)| p.len() < 50));
    }
}
