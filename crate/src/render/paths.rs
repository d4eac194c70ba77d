use super::clip::{clip_polyline, decimate, inside};
use super::legend::{legend, LegendStyle, Sample};
use super::overlap::{beside, Occupied};
use super::{chart, drawing, font, marker, Chart, Layout, Shape};
use crate::config::Error;
use crate::surface::{Point, ViewBox};
use plotters::coord::Shift;
use plotters::element::IntoDynElement;
use plotters::prelude::*;

/// The optimizers' colours, one per method (see [`super::style_of`]): the Okabe–Ito
/// palette, distinguishable with every common colour-vision deficiency, without its
/// yellow (invisible on the heatmap's light end), then dark wine, olive, indigo and grey
/// from Paul Tol's schemes.
pub const PALETTE: [RGBColor; 11] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(136, 34, 85),
    RGBColor(153, 153, 51),
    RGBColor(51, 34, 136),
    RGBColor(136, 136, 136),
];

/// The ring and cross at a diverged run's last finite iterate.
pub const DIVERGED: RGBColor = RGBColor(200, 0, 0);

/// One optimizer's path as drawn: its iterates, colour, marker shape, legend label and
/// whether it diverged after its last point.
pub struct PathStyle<'a> {
    pub points: &'a [Point],
    pub colour: RGBColor,
    pub shape: Shape,
    pub label: &'a str,
    pub diverged: bool,
}

/// An iterate to mark: step k of every path, or of one path only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub step: usize,
    pub path: Option<usize>,
}

/// Each path up to iterate `upto`, where it lies on paths drawn before it moved beside
/// them (see [`super::overlap`]): a polyline over a white halo with a dot at every
/// iterate (dots closer than a dot's width to the last one drawn are skipped, since they
/// would be hidden by it), the start as a ring, a divergence as a red-ringed cross at
/// the last finite point; then, above every path, each path's head in its method's
/// shape — large while a race is under way, small at the end of a whole run — then the
/// highlighted iterates and a legend.
pub fn paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    paths: &[PathStyle],
    upto: usize,
    highlight: Option<Highlight>,
) -> Result<(), Error> {
    draw_paths(area, layout, view, paths, upto, highlight, SCREEN_SPACING)
}

/// On a screen, points of a path closer than half a device pixel are one: a stroke
/// cannot show them apart.
const SCREEN_SPACING: f64 = 0.5;

/// Paths are moved beside the ones they coincide with (see [`super::overlap`]) while all
/// of them together have at most this many iterates shown: a few clean runs that share
/// a line, as on the saddle. Thousands of noisy zig-zags never share one, and finding
/// where they cross would cost more than drawing them.
const SEPARATED_ITERATES: usize = 20_000;

/// Whether the paths, up to iterate `upto`, are few enough to separate.
fn separated(paths: &[PathStyle], upto: usize) -> bool {
    let shown: usize = paths
        .iter()
        .map(|p| p.points.len().min(upto.saturating_add(1)))
        .sum();
    shown <= SEPARATED_ITERATES
}

/// Every path with every iterate, for a vector figure that may be enlarged.
pub fn vector_paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    paths: &[PathStyle],
) -> Result<(), Error> {
    draw_paths(area, layout, view, paths, usize::MAX, None, 0.0)
}

fn draw_paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    paths: &[PathStyle],
    upto: usize,
    highlight: Option<Highlight>,
    spacing: f64,
) -> Result<(), Error> {
    let mut chart = chart(area, layout, view)?;
    let mut heads = Vec::new();
    let mut occupied = Occupied::new(layout);
    let separate = separated(paths, upto);
    for (index, path) in paths.iter().enumerate() {
        let shown = &path.points[..path.points.len().min(upto.saturating_add(1))];
        let complete = shown.len() == path.points.len();
        let line: Vec<(f64, f64)> = shown.iter().map(|p| (p[0], p[1])).collect();
        let line = if separate {
            beside(&line, layout, view, &mut occupied, (index, layout.px(3.0)))
        } else {
            line
        };
        draw_path(
            &mut chart,
            layout,
            view,
            path,
            (&line, spacing),
            complete && path.diverged,
        )?;
        // The head where the iterate is: its marker covers the line's few pixels aside.
        let Some(head) = shown.last().map(|p| (p[0], p[1])) else {
            continue;
        };
        if inside(view, head) && !(complete && path.diverged) {
            let (r, edge) = if complete { (4.5, 1.5) } else { (7.0, 2.0) };
            heads.push(marker(
                head,
                path.shape,
                layout.px(r),
                layout.px(edge),
                path.colour,
            ));
        }
    }
    chart.draw_series(heads).map_err(drawing)?;
    if let Some(h) = highlight {
        for (i, path) in paths.iter().enumerate() {
            let Some(p) = path.points.get(h.step) else {
                continue;
            };
            if h.step > upto || h.path.is_some_and(|only| only != i) || !inside(view, (p[0], p[1]))
            {
                continue;
            }
            let at = (p[0], p[1]);
            let r = layout.px(6.0).round() as i32;
            chart
                .draw_series([
                    Circle::new(at, r, WHITE.filled()),
                    Circle::new(at, r, path.colour.stroke_width(layout.px(3.0) as u32)),
                ])
                .map_err(drawing)?;
        }
    }
    let entries = labelled(paths, layout);
    if !entries.is_empty() {
        let style = LegendStyle {
            position: SeriesLabelPosition::UpperRight,
            // plotters' defaults (30 and 10), in CSS pixels like the font and the sample.
            sample_width: layout.px(30.0).round() as u32,
            margin: layout.px(10.0).round() as u32,
            font: font(layout, 12.0),
            background: WHITE.mix(0.85).into(),
            border: BLACK.mix(0.4).into(),
        };
        legend(&chart.plotting_area().strip_coord_spec(), &entries, &style)?;
    }
    Ok(())
}

/// Each labelled path's legend entry: its label, and a stretch of line in its colour
/// with its marker on it. The 3-D view's legend shows the same.
pub(super) fn labelled<'a, DB: DrawingBackend + 'a>(
    paths: &'a [PathStyle],
    layout: &Layout,
) -> Vec<(&'a str, Sample<'a, DB>)> {
    let px = |css: f64| layout.px(css).round().max(1.0);
    let (w, stroke) = (px(18.0) as i32, px(2.0) as u32);
    let (r, edge) = (layout.px(4.5), layout.px(1.5));
    paths
        .iter()
        .filter(|p| !p.label.is_empty())
        .map(|path| {
            let (shape, colour) = (path.shape, path.colour);
            let sample: Sample<DB> = Box::new(move |at| {
                let centre = (w / 2, 0);
                (EmptyElement::at(at)
                    + PathElement::new(vec![(0, 0), (w, 0)], colour.stroke_width(stroke))
                    + Polygon::new(shape.vertices(r + edge, centre), WHITE.filled())
                    + Polygon::new(shape.vertices(r, centre), colour.filled()))
                .into_dyn()
            });
            (path.label, sample)
        })
        .collect()
}

fn draw_path<'c, DB: DrawingBackend + 'c>(
    chart: &mut Chart<'c, DB>,
    layout: &Layout,
    view: &ViewBox,
    path: &PathStyle,
    (line, spacing): (&[(f64, f64)], f64),
    diverged: bool,
) -> Result<(), Error> {
    let px = |css: f64| layout.px(css).round().max(1.0);
    let colour = path.colour;
    let pixel = |p: (f64, f64)| layout.pixel_of(view, [p.0, p.1]);
    let runs = clip_polyline(view, &decimate(line, pixel, spacing));
    chart
        .draw_series(
            runs.iter().map(|run| {
                PathElement::new(run.clone(), WHITE.mix(0.8).stroke_width(px(4.0) as u32))
            }),
        )
        .map_err(drawing)?;
    chart
        .draw_series(
            runs.iter()
                .map(|run| PathElement::new(run.clone(), colour.stroke_width(px(2.0) as u32))),
        )
        .map_err(drawing)?;
    let dot = px(2.0);
    let mut last_dot: Option<(f64, f64)> = None;
    let dots: Vec<(f64, f64)> = line
        .iter()
        .copied()
        .filter(|&p| inside(view, p))
        .filter(|&p| {
            let here = layout.pixel_of(view, [p.0, p.1]);
            let apart = last_dot.is_none_or(|l| (l.0 - here.0).hypot(l.1 - here.1) >= 2.0 * dot);
            if apart {
                last_dot = Some(here);
            }
            apart
        })
        .collect();
    chart
        .draw_series(
            dots.into_iter()
                .map(|p| Circle::new(p, dot as i32, colour.filled())),
        )
        .map_err(drawing)?;
    if let Some(&first) = line.first().filter(|p| inside(view, **p)) {
        chart
            .draw_series([Circle::new(
                first,
                px(5.0) as i32,
                colour.stroke_width(px(2.0) as u32),
            )])
            .map_err(drawing)?;
    }
    if let Some(&last) = line.last().filter(|p| diverged && inside(view, **p)) {
        let red = DIVERGED;
        let (ring, cross) = (px(7.0) as i32, px(4.0) as i32);
        chart
            .draw_series([
                Circle::new(last, ring, WHITE.filled()),
                Circle::new(last, ring, red.stroke_width(px(2.0) as u32)),
            ])
            .map_err(drawing)?;
        chart
            .draw_series([Cross::new(last, cross, red.stroke_width(px(2.0) as u32))])
            .map_err(drawing)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::optimizer_presets;
    use crate::lab::optimizers::OptimizerLab;
    use crate::layout::Margins;

    pub(super) fn lab(title: &str) -> OptimizerLab {
        let preset = optimizer_presets()
            .into_iter()
            .find(|p| p.title == title)
            .unwrap();
        OptimizerLab::open(&preset.settings).0
    }

    pub(super) fn draw(lab: &OptimizerLab, layout: &Layout, upto: usize) -> String {
        let styles = lab.styles();
        let paths: Vec<PathStyle> = lab
            .shown()
            .map(|(i, t)| PathStyle {
                points: &t.points,
                colour: styles[i].colour,
                shape: styles[i].shape,
                label: "",
                diverged: false,
            })
            .collect();
        super::super::svg((layout.width, layout.height), |area| {
            super::paths(area, layout, &lab.view(), &paths, upto, None)
        })
    }

    /// Every filled polygon: its fill and the mean of its vertices.
    fn polygons(svg: &str) -> Vec<(String, (f64, f64))> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polygon"))
            .map(|n| {
                let points = super::super::svg_points(n.attribute("points").unwrap());
                let n_points = points.len() as f64;
                let mean = points.iter().fold((0.0, 0.0), |a, p| {
                    (a.0 + p.0 / n_points, a.1 + p.1 / n_points)
                });
                (n.attribute("fill").unwrap_or("").to_string(), mean)
            })
            .collect()
    }

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    #[test]
    fn racing_paths_carry_their_method_s_marker_at_their_head() {
        let lab = lab("Beale race");
        let layout = Layout::new(600, 450, 1.0, Margins::SURFACE);
        let upto = 12;
        let svg = draw(&lab, &layout, upto);
        let polygons = polygons(&svg);
        let styles = lab.styles();
        for (i, t) in lab.shown() {
            let head = layout.pixel_of(&lab.view(), t.points[upto]);
            let colour = hex(styles[i].colour);
            let found = polygons.iter().any(|(fill, at)| {
                fill.eq_ignore_ascii_case(&colour) && (at.0 - head.0).hypot(at.1 - head.1) < 2.0
            });
            assert!(found, "no {colour} marker at {head:?}");
        }
        // Heads lie above every path: the last polygons drawn, after the last polyline.
        let last_line = svg.rfind("<polyline").unwrap();
        assert!(svg.find("<polygon").unwrap() > last_line);
    }

    #[test]
    fn the_legend_grows_with_the_pixel_ratio_as_a_whole() {
        let lab = lab("Beale race");
        let (_, t) = lab.shown().next().unwrap();
        // The legend's box (its translucent white background) and its sample line, at a
        // pixel ratio of 1 and of 2.
        let legend = |ratio: f64| {
            let layout = Layout::new(
                (600.0 * ratio) as u32,
                (450.0 * ratio) as u32,
                ratio,
                Margins::SURFACE,
            );
            let path = PathStyle {
                points: &t.points,
                colour: PALETTE[1],
                shape: super::super::Shape::Square,
                label: "momentum",
                diverged: false,
            };
            let svg = super::super::svg((layout.width, layout.height), |area| {
                vector_paths(area, &layout, &lab.view(), &[path])
            });
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let number = |n: &roxmltree::Node, key: &str| -> f64 {
                n.attribute(key).unwrap().parse().unwrap()
            };
            let boxed = doc
                .descendants()
                .find(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#FFFFFF"))
                .map(|n| (number(&n, "x"), number(&n, "width")))
                .unwrap();
            // The sample: the last line, two points long.
            let sample = doc
                .descendants()
                .rfind(|n| n.has_tag_name("polyline"))
                .map(|n| super::super::svg_points(n.attribute("points").unwrap()))
                .unwrap();
            (boxed, (sample[0].0, sample[1].0))
        };
        let ((x1, width1), _) = legend(1.0);
        let ((x2, width2), (start, end)) = legend(2.0);
        // Text, sample area and margins all double: the box is twice as wide, up to the
        // rounding of the type's width.
        assert!(
            (width2 - 2.0 * width1).abs() <= 4.0,
            "{width1} and {width2}"
        );
        // At ratio 2 the sample lies inside the box, left of the text's margin.
        assert!(x2 < start && end < x2 + width2, "{x2} {start} {end}");
        assert!((x2 - 2.0 * x1).abs() <= 4.0, "{x1} and {x2}");
    }
}

#[cfg(test)]
mod overlapping {
    use super::tests::{draw, lab};
    use crate::layout::{Layout, Margins};
    use crate::render::svg_points;

    /// The rows of the polylines stroked in `colour` (as SVG writes it), by column.
    fn rows(svg: &str, colour: &str) -> Vec<(i64, i64)> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(colour))
            // plotters writes whole pixels.
            .flat_map(|n| svg_points(n.attribute("points").unwrap()))
            .map(|(x, y)| (x as i64, y as i64))
            .collect()
    }

    #[test]
    fn paths_along_one_line_are_drawn_side_by_side() {
        // SGD and Nesterov start on the saddle's ridge y = 0 and stay on it for a while.
        let mut settings = lab("Saddle point race").settings().clone();
        settings
            .optimizers
            .retain(|o| ["sgd", "nesterov"].contains(&o.id.as_str()));
        let lab = crate::lab::optimizers::OptimizerLab::open(&settings).0;
        let layout = Layout::new(600, 450, 1.0, Margins::SURFACE);
        let svg = draw(&lab, &layout, 20);
        let ridge = layout.pixel_of(&lab.view(), [0.0, 0.0]).1.round() as i64;
        let styles = lab.styles();
        let colour = |i: usize| {
            let c = styles[i].colour;
            format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
        };
        let (sgd, nesterov) = (rows(&svg, &colour(0)), rows(&svg, &colour(1)));
        assert!(sgd.iter().all(|p| (p.1 - ridge).abs() <= 1), "{sgd:?}");
        // Nesterov's line, where it runs along SGD's, is drawn beside it.
        let (first, last) = (sgd[1].0, sgd[sgd.len() - 1].0);
        let along: Vec<_> = nesterov
            .iter()
            .filter(|p| first < p.0 && p.0 < last)
            .collect();
        assert!(along.len() >= 3, "{nesterov:?}");
        assert!(along.iter().all(|p| (p.1 - ridge).abs() >= 2), "{along:?}");
    }

    #[test]
    fn only_a_few_thousand_iterates_are_separated() {
        use super::{PathStyle, Shape};
        use plotters::style::BLACK;
        let mut settings = lab("Saddle point race").settings().clone();
        let few = crate::lab::optimizers::OptimizerLab::open(&settings).0;
        fn styles(lab: &crate::lab::optimizers::OptimizerLab) -> Vec<PathStyle<'_>> {
            lab.shown()
                .map(|(_, t)| PathStyle {
                    points: &t.points,
                    colour: BLACK,
                    shape: Shape::Circle,
                    label: "",
                    diverged: false,
                })
                .collect()
        }
        assert!(super::separated(&styles(&few), usize::MAX));
        settings.steps = 5000;
        settings.noise = 2.0;
        let many = crate::lab::optimizers::OptimizerLab::open(&settings).0;
        assert!(!super::separated(&styles(&many), usize::MAX));
        // In a race, what counts is what is shown so far.
        assert!(super::separated(&styles(&many), 100));
    }
}
