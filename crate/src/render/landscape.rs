//! The loss landscape of the network being trained (Li et al. 2018, "Visualizing the
//! Loss Landscape of Neural Nets"): the training loss g(a, b) = L_S(θ + a d₁ + b d₂) on
//! a plane through the weights θ, drawn as the optimizer lab draws a surface — a heatmap
//! and contours on the log scale of [`Field`], axes named by the two directions — with
//! θ, the plane's centre, as the current point, and the weights recorded at each epoch
//! projected onto the plane as a path with a dot per epoch, in the optimizer's colour
//! and shape.
//!
//! Drawn in layers like the surface: [`landscape_frame`] (white, axes and their names),
//! the heatmap (an RGBA image put by the page, or [`super::filled_contours`] in vector
//! form), then [`landscape_overlay`].

use super::axis::{Axis, Scale};
use super::chart::axes;
use super::clip::inside;
use super::{builder, drawing, font, overlay, paths, Layout, PathStyle, Style};
use crate::config::Error;
use crate::field::Field;
use crate::layout::Margins;
use crate::surface::{Point, ViewBox};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Tick labels and the directions' names on the left and below, the title above.
pub const LANDSCAPE_MARGINS: Margins = Margins {
    left: 64.0,
    top: 24.0,
    right: 12.0,
    bottom: 40.0,
};

/// Contour levels, as many as the optimizer lab's surfaces have.
pub const LEVELS: usize = 15;

/// What the picture shows.
pub struct Slice<'a> {
    /// g over the view [−A, A] × [−B, B].
    pub field: &'a Field,
    /// The axes' names: what a and b multiply ("a · PC1 (62%)", "b · W0[1,0]").
    pub names: [&'a str; 2],
    /// The weights recorded at the start (epoch 0) and after epochs, projected onto the
    /// plane: each point's epoch and (a, b), in the order of the epochs. The path goes on
    /// from the last of them to θ, at (0, 0).
    pub epochs: &'a [(usize, Point)],
    /// Whether the directions are not orthonormal, so that the path's coordinates are
    /// least-squares ones (random directions) rather than dot products.
    pub least_squares: bool,
    /// The optimizer's colour and shape, as its paths have in the optimizer lab.
    pub style: Style,
}

fn axes_of(view: &ViewBox) -> Result<(Axis, Axis), Error> {
    Ok((
        Axis::new(Scale::Linear, view.x.0, view.x.1)?,
        Axis::new(Scale::Linear, view.y.0, view.y.1)?,
    ))
}

/// White background, ticks, and the directions' names along the axes.
pub fn landscape_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    names: [&str; 2],
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let (x, y) = axes_of(view)?;
    let mut chart = builder(area, layout)
        .build_cartesian_2d(x, y)
        .map_err(drawing)?;
    axes(&mut chart, layout, names[0], names[1])
}

/// What goes over the heatmap: the contour lines and the border, the path of the epochs
/// ending at θ in the centre, a few epochs' numbers beside their dots, and the title,
/// which says that the path is a projection.
pub fn landscape_overlay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    slice: &Slice,
) -> Result<(), Error> {
    let field = slice.field;
    let view = field.view;
    overlay(
        area,
        layout,
        &view,
        &field.contours(&field.levels(LEVELS)),
        &[],
    )?;
    let mut points: Vec<Point> = slice.epochs.iter().map(|e| e.1).collect();
    points.push([0.0, 0.0]);
    let path = PathStyle {
        points: &points,
        colour: slice.style.colour,
        shape: slice.style.shape,
        label: "",
        diverged: false,
    };
    paths(area, layout, &view, &[path], usize::MAX, None)?;
    epoch_labels(area, layout, &view, slice.epochs)?;
    let title = title(slice.epochs, slice.least_squares);
    let style = font(layout, 12.0).pos(Pos::new(HPos::Left, VPos::Center));
    // From the canvas's left edge: the plot alone is narrower than the title beside a map.
    let at = (layout.px(4.0) as i32, layout.plot[1] / 2);
    area.draw_text(&title, &style, at).map_err(drawing)
}

/// The title, short enough for a panel beside the map: what is drawn, and that the path
/// is a projection.
fn title(epochs: &[(usize, Point)], least_squares: bool) -> String {
    let what = "L_S(θ + a d₁ + b d₂)";
    let how = if least_squares {
        "least-squares projected"
    } else {
        "projected"
    };
    match epochs {
        [] => format!("{what}; θ at the centre"),
        [_] => format!("{what}; θ₀ and θ {how}"),
        [first, .., last] => format!("{what}; epochs {}–{} {how}", first.0, last.0),
    }
}

/// The step between labelled epochs: 1, 2 or 5 times a power of ten, so that at most
/// five multiples of it are at most `epochs`.
fn label_step(epochs: usize) -> usize {
    let mut decade = 1;
    loop {
        for step in [decade, 2 * decade, 5 * decade] {
            if epochs <= 5 * step {
                return step;
            }
        }
        decade *= 10;
    }
}

/// "epoch 0" beside θ₀, the numbers of the epochs that are multiples of [`label_step`]
/// and of the last
/// beside their dots (those inside the view, none closer than a label's height to the
/// last one written; right of the dot, left of it in the plot's right quarter), in dark
/// grey.
fn epoch_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &ViewBox,
    epochs: &[(usize, Point)],
) -> Result<(), Error> {
    let Some(&(last, _)) = epochs.last() else {
        return Ok(());
    };
    let step = label_step(last);
    let grey = BLACK.mix(0.75);
    let [left, _, right, _] = layout.plot.map(f64::from);
    let (gap, apart) = (layout.px(5.0), layout.px(14.0));
    let mut written: Option<(f64, f64)> = None;
    for (n, &(k, p)) in epochs.iter().enumerate() {
        if !(n == 0 || k == last || k.is_multiple_of(step)) || !inside(view, (p[0], p[1])) {
            continue;
        }
        let (u, v) = layout.pixel_of(view, p);
        if written.is_some_and(|w| (w.0 - u).hypot(w.1 - v) < apart) {
            continue;
        }
        written = Some((u, v));
        let text = if n == 0 {
            format!("epoch {k}")
        } else {
            k.to_string()
        };
        // Right of the dot, or in the plot's right quarter left of it.
        let (side, along) = if u < left + 0.75 * (right - left) {
            (HPos::Left, gap)
        } else {
            (HPos::Right, -gap)
        };
        let style = font(layout, 10.0)
            .color(&grey)
            .pos(Pos::new(side, VPos::Bottom));
        area.draw_text(&text, &style, ((u + along) as i32, (v - gap) as i32))
            .map_err(drawing)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{filled_contours, style_of, svg, svg_texts};

    /// g(a, b) = (a − 0.3)² + 4 b² + 0.1 on 32 × 32 cell centres over [−1, 1]²: a bowl
    /// whose floor is right of the centre.
    fn bowl() -> Field {
        let view = ViewBox::new(-1.0, 1.0, -1.0, 1.0);
        let n = 32;
        let cells: Vec<Option<f64>> = (0..n * n)
            .map(|k| {
                let a = -1.0 + (((k % n) as f64) + 0.5) * 2.0 / n as f64;
                let b = -1.0 + (((k / n) as f64) + 0.5) * 2.0 / n as f64;
                Some((a - 0.3) * (a - 0.3) + 4.0 * b * b + 0.1)
            })
            .collect();
        Field::of_cells(view, n, n, &cells).unwrap()
    }

    fn draw(slice: &Slice, layout: &Layout) -> String {
        svg((layout.width, layout.height), |area| {
            let field = slice.field;
            landscape_frame(area, layout, &field.view, slice.names)?;
            let regions = field.filled_contours(&field.levels(LEVELS));
            filled_contours(area, layout, &field.view, &regions)?;
            landscape_overlay(area, layout, slice)
        })
    }

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    /// Every polyline stroked in `colour`, as (x, y) pairs.
    fn polylines(svg: &str, colour: &str) -> Vec<Vec<(f64, f64)>> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(colour))
            .map(|n| crate::render::svg_points(n.attribute("points").unwrap()))
            .collect()
    }

    #[test]
    fn the_axes_carry_the_directions_and_the_title_says_the_path_is_projected() {
        let field = bowl();
        let epochs = [(0, [0.8, 0.7]), (1, [0.5, 0.3]), (2, [0.2, 0.1])];
        let layout = Layout::new(480, 400, 1.0, LANDSCAPE_MARGINS);
        for least_squares in [false, true] {
            let slice = Slice {
                field: &field,
                names: ["a · PC1 (62%)", "b · W0[1,0]"],
                epochs: &epochs,
                least_squares,
                style: style_of("sgd", 0),
            };
            let texts = svg_texts(&draw(&slice, &layout));
            for name in slice.names {
                assert_eq!(texts.iter().filter(|t| *t == name).count(), 1, "{texts:?}");
            }
            let title = texts
                .iter()
                .find(|t| t.starts_with("L_S(θ + a d₁ + b d₂)"))
                .unwrap();
            assert!(
                title.contains("epochs 0–2") && title.ends_with("projected"),
                "{title}"
            );
            assert_eq!(title.contains("least-squares"), least_squares, "{title}");
            // θ₀ is named, and the other two epochs are numbered.
            for label in ["epoch 0", "1", "2"] {
                assert!(texts.iter().any(|t| t == label), "{label}: {texts:?}");
            }
        }
    }

    #[test]
    fn the_path_runs_through_the_epochs_to_the_centre_in_the_optimizer_s_colour() {
        let field = bowl();
        let epochs = [(0, [0.8, 0.7]), (1, [0.5, 0.3]), (2, [0.2, 0.1])];
        let layout = Layout::new(480, 400, 1.0, LANDSCAPE_MARGINS);
        let style = style_of("adam", 0);
        let slice = Slice {
            field: &field,
            names: ["a", "b"],
            epochs: &epochs,
            least_squares: false,
            style,
        };
        let svg = draw(&slice, &layout);
        let lines = polylines(&svg, &hex(style.colour));
        assert_eq!(lines.len(), 1, "{svg}");
        let line = &lines[0];
        let expected: Vec<(f64, f64)> = epochs
            .iter()
            .map(|e| e.1)
            .chain([[0.0, 0.0]])
            .map(|p| layout.pixel_of(&field.view, p))
            .collect();
        assert_eq!(line.len(), expected.len());
        for (drawn, want) in line.iter().zip(&expected) {
            let near = (drawn.0 - want.0).abs() <= 2.0 && (drawn.1 - want.1).abs() <= 2.0;
            assert!(near, "{line:?} {expected:?}");
        }
        // The start ring at θ₀ and a dot at each epoch, in the optimizer's colour.
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let circles: Vec<(f64, f64)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .filter(|n| {
                [n.attribute("fill"), n.attribute("stroke")].contains(&Some(&hex(style.colour)))
            })
            .map(|n| {
                let at = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
                (at("cx"), at("cy"))
            })
            .collect();
        for want in &expected[..3] {
            let near = circles
                .iter()
                .filter(|c| (c.0 - want.0).abs() <= 2.0 && (c.1 - want.1).abs() <= 2.0)
                .count();
            assert!(near >= 1, "no dot at {want:?}: {circles:?}");
        }
    }

    #[test]
    fn a_path_leaving_the_view_is_clipped_to_it_and_its_labels_stay_inside() {
        let field = bowl();
        // Epoch 0 far outside [−1, 1]² (a least-squares projection may be anywhere).
        let epochs = [(0, [-6.0, 5.0]), (1, [-0.5, 0.4]), (2, [-0.2, 0.1])];
        let layout = Layout::new(480, 400, 1.0, LANDSCAPE_MARGINS);
        let style = style_of("momentum", 0);
        let slice = Slice {
            field: &field,
            names: ["a", "b"],
            epochs: &epochs,
            least_squares: true,
            style,
        };
        let svg = draw(&slice, &layout);
        let [left, top, right, bottom] = layout.plot.map(f64::from);
        for line in polylines(&svg, &hex(style.colour)) {
            for (x, y) in line {
                assert!((left - 1.0..=right + 1.0).contains(&x), "{x}");
                assert!((top - 1.0..=bottom + 1.0).contains(&y), "{y}");
            }
        }
        let texts = svg_texts(&svg);
        assert!(!texts.iter().any(|t| t == "epoch 0"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "2"), "{texts:?}");
    }

    #[test]
    fn the_heatmap_is_darkest_at_the_floor_of_the_bowl() {
        // The vector heatmap's lowest band (the darkest colour) holds the floor (0.3, 0).
        let field = bowl();
        let regions = field.filled_contours(&field.levels(LEVELS));
        let lowest = regions.iter().map(|r| r.unit).fold(f64::INFINITY, f64::min);
        let floor = regions
            .iter()
            .filter(|r| r.unit == lowest)
            .flat_map(|r| r.ring.iter())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p[0]), hi.max(p[0]))
            });
        assert!(floor.0 < 0.3 && 0.3 < floor.1, "{floor:?}");
    }

    #[test]
    fn a_thinned_path_is_numbered_by_its_epochs() {
        // Every fourth epoch kept, from 0 to 40, along a line inside the view.
        let field = bowl();
        let epochs: Vec<(usize, Point)> = (0..=10)
            .map(|k| (4 * k, [0.9 - 0.08 * k as f64, 0.9 - 0.08 * k as f64]))
            .collect();
        let layout = Layout::new(480, 400, 1.0, LANDSCAPE_MARGINS);
        let slice = Slice {
            field: &field,
            names: ["a", "b"],
            epochs: &epochs,
            least_squares: false,
            style: style_of("nesterov", 0),
        };
        let texts = svg_texts(&draw(&slice, &layout));
        assert!(texts.iter().any(|t| t.contains("epochs 0–40")), "{texts:?}");
        for label in ["epoch 0", "20", "40"] {
            assert!(texts.iter().any(|t| t == label), "{label}: {texts:?}");
        }
        assert!(!texts.iter().any(|t| t == "4" || t == "10"), "{texts:?}");
    }

    #[test]
    fn at_most_five_epochs_are_numbered_between_the_ends() {
        for (epochs, step) in [(1, 1), (5, 1), (6, 2), (10, 2), (11, 5), (25, 5), (26, 10)] {
            assert_eq!(label_step(epochs), step, "{epochs}");
        }
        for epochs in 1..400 {
            assert!(epochs <= 5 * label_step(epochs), "{epochs}");
        }
    }
}
