//! Inside training, per epoch ([`crate::nn::diagnostics`]): above, each layer's
//! ‖∇Wˡ‖ / ‖Wˡ‖ on a log axis, where a vanishing gradient shows as the first layers'
//! lines falling decades below the last's; below, each hidden layer's share of
//! saturated (sigmoid, tanh) or dead (ReLU) units, 0 to 100%, from the initial weights
//! on. One colour per layer in both panels, named as the lecture names its weights.

use super::axis::{Axis, Scale, MAX_TICKS, MIN_TICKS};
use super::chart::{axes, iterations};
use super::{builder, drawing, font, Layout, Margins, PALETTE};
use crate::config::Error;
use crate::nn::diagnostics::{LayerEpoch, LayerRecord};
use crate::nn::network::Architecture;
use crate::nn::notation::layer_names;
use crate::nn::Activation;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The ratio panel's share of the height; the units' panel has the rest.
const RATIO_SHARE: f64 = 0.55;

/// The ratio panel: room above for the key, none below (the units' panel has the
/// epochs).
const RATIO_MARGINS: Margins = Margins {
    left: 64.0,
    top: 22.0,
    right: 12.0,
    bottom: 6.0,
};

/// The units' panel: the epochs below.
const UNIT_MARGINS: Margins = Margins {
    left: 64.0,
    top: 6.0,
    right: 12.0,
    bottom: 40.0,
};

/// Layer l's colour, in both panels and the key.
pub fn layer_colour(l: usize) -> RGBColor {
    PALETTE[l % PALETTE.len()]
}

/// The ratio panel above, the units' panel below, and a key over both naming each
/// layer's weights in its colour (with "‖W‖ = 0" for a layer whose weights are all
/// zero, which has no ratio). Only finite values are drawn: a ratio of 0 (no gradient
/// at all) sits on the bottom edge.
pub fn inside_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    architecture: &Architecture,
    history: &[LayerEpoch],
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let split = (f64::from(layout.height) * RATIO_SHARE).round() as u32;
    let (top, bottom) = area.split_vertically(split);
    let ratio_layout = Layout::new(layout.width, split, layout.pixel_ratio, RATIO_MARGINS);
    let unit_layout = Layout::new(
        layout.width,
        layout.height.saturating_sub(split),
        layout.pixel_ratio,
        UNIT_MARGINS,
    );
    let epochs = history.last().map_or(1, |e| e.epoch).max(1);
    let series = |l: usize, pick: fn(&LayerRecord) -> Option<f64>| -> Vec<(f64, f64)> {
        history
            .iter()
            .filter_map(|e| Some((e.epoch as f64, pick(e.layers.get(l)?)?)))
            .filter(|(_, v)| v.is_finite())
            .collect()
    };
    let layers = architecture.layers.len();
    let ratios: Vec<Vec<(f64, f64)>> = (0..layers).map(|l| series(l, |r| r.ratio)).collect();
    ratio_panel(&top, &ratio_layout, epochs, &ratios)?;
    let inactive: Vec<Vec<(f64, f64)>> = (0..layers)
        .map(|l| series(l, |r| r.saturated.or(r.dead).map(|share| 100.0 * share)))
        .collect();
    unit_panel(&bottom, &unit_layout, epochs, architecture, &inactive)?;
    key(area, &ratio_layout, architecture, history)
}

/// ‖∇Wˡ‖ / ‖Wˡ‖ per layer, on a log axis over the positive ratios (at most twelve
/// decades); a note while there is none yet.
fn ratio_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    epochs: usize,
    ratios: &[Vec<(f64, f64)>],
) -> Result<(), Error> {
    let positive = ratios.iter().flatten().map(|p| p.1).filter(|v| *v > 0.0);
    let (lo, hi) = positive.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let name = "‖∇W‖ / ‖W‖";
    if !(lo.is_finite() && hi.is_finite()) {
        return note(
            area,
            layout,
            name,
            "‖∇W‖ / ‖W‖ appears after the first epoch",
        );
    }
    let lo = lo.max(hi * 1e-12);
    let (lo, hi) = if hi < 1.5 * lo {
        (lo / 1.5, hi * 1.5)
    } else {
        (lo, hi)
    };
    let y = Axis::new(Scale::Log, lo, hi)?;
    let mut chart = builder(area, layout)
        .build_cartesian_2d(iterations(epochs)?, y)
        .map_err(drawing)?;
    let label = font(layout, 12.0);
    let up = (layout.plot_height() as f64 / layout.px(28.0)) as usize;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.1))
        .x_labels(0)
        .y_desc(name)
        .label_style(label.clone())
        .axis_desc_style(label)
        .y_labels(up.clamp(MIN_TICKS, MAX_TICKS))
        .draw()
        .map_err(drawing)?;
    let stroke = layout.px(2.0).round() as u32;
    for (l, points) in ratios.iter().enumerate() {
        let pinned = points.iter().map(|&(x, v)| (x, v.clamp(lo, hi)));
        chart
            .draw_series(LineSeries::new(
                pinned,
                layer_colour(l).stroke_width(stroke),
            ))
            .map_err(drawing)?;
    }
    if ratios.iter().flatten().any(|p| p.1 == 0.0) {
        // A ratio of 0 has no place on a log axis: it lies on the bottom edge, and says so.
        let [_, _, right, bottom] = layout.plot;
        let grey = BLACK.mix(0.6);
        let style = font(layout, 11.0)
            .color(&grey)
            .pos(Pos::new(HPos::Right, VPos::Bottom));
        let inset = layout.px(4.0) as i32;
        area.draw_text(
            "on the bottom edge: ‖∇W‖ = 0",
            &style,
            (right - inset, bottom - inset),
        )
        .map_err(drawing)?;
    }
    Ok(())
}

/// The share of each hidden layer's units saturated or dead, in percent; a note when no
/// hidden layer has either.
fn unit_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    epochs: usize,
    architecture: &Architecture,
    shares: &[Vec<(f64, f64)>],
) -> Result<(), Error> {
    let hidden = &architecture.layers[..architecture.layers.len() - 1];
    let bounded = hidden
        .iter()
        .any(|l| matches!(l.activation, Activation::Sigmoid | Activation::Tanh));
    let rectified = hidden.iter().any(|l| l.activation == Activation::Relu);
    let name = match (bounded, rectified) {
        (true, true) => "sat. or dead %",
        (true, false) => "saturated %",
        (false, true) => "dead %",
        (false, false) => {
            let why = if hidden.is_empty() {
                "no hidden layer: no unit to saturate or die"
            } else {
                "identity units neither saturate nor die"
            };
            return note(area, layout, "units %", why);
        }
    };
    let mut chart = builder(area, layout)
        .build_cartesian_2d(iterations(epochs)?, Axis::new(Scale::Linear, 0.0, 100.0)?)
        .map_err(drawing)?;
    axes(&mut chart, layout, "epoch", name)?;
    let stroke = layout.px(2.0).round() as u32;
    for (l, points) in shares.iter().enumerate() {
        let clamped = points.iter().map(|&(x, v)| (x, v.clamp(0.0, 100.0)));
        chart
            .draw_series(LineSeries::new(
                clamped,
                layer_colour(l).stroke_width(stroke),
            ))
            .map_err(drawing)?;
    }
    Ok(())
}

/// A panel's y axis name and, in its plot, why it has no line.
fn note<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    name: &str,
    why: &str,
) -> Result<(), Error> {
    let [left, top, right, bottom] = layout.plot;
    let grey = BLACK.mix(0.6);
    let style = font(layout, 12.0)
        .color(&grey)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(why, &style, ((left + right) / 2, (top + bottom) / 2))
        .map_err(drawing)?;
    let vertical = font(layout, 12.0)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top));
    area.draw_text(name, &vertical, (0, (top + bottom) / 2))
        .map_err(drawing)
}

/// Each layer's name in its colour, a short line before it, in a row above the ratio
/// panel's plot: from the plot's left edge, or from the canvas's when it needs the
/// room, in a smaller font when even that is too narrow (seven layers at 360 CSS
/// pixels).
fn key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    architecture: &Architecture,
    history: &[LayerEpoch],
) -> Result<(), Error> {
    let texts: Vec<String> = layer_names(architecture)
        .into_iter()
        .enumerate()
        .map(|(l, names)| {
            // A layer none of whose updates had a ratio: its weights stayed zero.
            let zero = history.len() > 1
                && history
                    .iter()
                    .skip(1)
                    .all(|e| e.layers.get(l).is_some_and(|r| r.ratio.is_none()));
            if zero {
                format!("{} (‖W‖ = 0)", names.w)
            } else {
                names.w
            }
        })
        .collect();
    let (line, gap, space) = (layout.px(12.0), layout.px(3.0), layout.px(10.0));
    let width = |size: f64| -> Result<f64, Error> {
        let style = font(layout, size);
        let mut total = 0.0;
        for text in &texts {
            let (w, _) = area.estimate_text_size(text, &style).map_err(drawing)?;
            total += line + gap + f64::from(w) + space;
        }
        Ok(total)
    };
    let edge = layout.px(4.0);
    let size = if width(11.0)? <= f64::from(layout.width) - edge {
        11.0
    } else {
        9.0
    };
    let needed = width(size)?;
    let mut x = f64::from(layout.plot[0]);
    if x + needed > f64::from(layout.width) {
        x = edge;
    }
    let style = font(layout, size).pos(Pos::new(HPos::Left, VPos::Center));
    let y = (layout.px(RATIO_MARGINS.top) / 2.0).round() as i32;
    for (l, text) in texts.iter().enumerate() {
        let stroke = layer_colour(l).stroke_width(layout.px(2.0).round() as u32);
        area.draw(&PathElement::new(
            vec![(x as i32, y), ((x + line) as i32, y)],
            stroke,
        ))
        .map_err(drawing)?;
        x += line + gap;
        area.draw_text(text, &style, (x as i32, y))
            .map_err(drawing)?;
        let (w, _) = area.estimate_text_size(text, &style).map_err(drawing)?;
        x += f64::from(w) + space;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::network::Task;
    use crate::render::svg_texts as texts;

    fn record(ratio: Option<f64>, saturated: Option<f64>, dead: Option<f64>) -> LayerRecord {
        LayerRecord {
            gradient_norm: ratio,
            weight_norm: 1.0,
            ratio,
            saturated,
            dead,
        }
    }

    /// A deep sigmoid network's history: the first layer's ratio falls a decade an
    /// epoch below the last's, and a third of its units saturate.
    fn history(epochs: usize) -> Vec<LayerEpoch> {
        (0..=epochs)
            .map(|epoch| {
                let ratio = |l: i32| (epoch > 0).then(|| 10f64.powi(l - 4) * 0.5);
                LayerEpoch {
                    epoch,
                    layers: vec![
                        record(ratio(0), Some(0.3), None),
                        record(ratio(1), Some(0.2), None),
                        record(ratio(2), Some(0.1), None),
                        record(ratio(3), None, None),
                    ],
                }
            })
            .collect()
    }

    /// The stroke colours of the drawing's polylines, as `#rrggbb`.
    fn line_colours(svg: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .filter_map(|n| n.attribute("stroke").map(str::to_lowercase))
            .collect()
    }

    fn hex(c: RGBColor) -> String {
        format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
    }

    #[test]
    fn each_layer_has_a_ratio_line_a_units_line_and_its_name_in_its_colour() {
        let arch = Architecture::mlp(2, &[8, 8, 8], Activation::Sigmoid, Task::Classes(2)).unwrap();
        // 360 × 220 CSS pixels, as the page shows it, at a pixel ratio of 2.
        let layout = Layout::new(720, 440, 2.0, Margins::CHART);
        let svg = super::super::svg((720, 440), |area| {
            inside_chart(area, &layout, &arch, &history(12))
        });
        let labels = texts(&svg);
        for name in ["W⁽¹⁾", "W⁽²⁾", "W⁽³⁾", "Wᵒ", "epoch", "saturated %"] {
            assert!(labels.iter().any(|t| t == name), "{name}: {labels:?}");
        }
        assert!(labels.iter().any(|t| t.starts_with("‖∇W‖ / ‖W‖")));
        // Four ratio lines and three units' lines (the output has none), coloured by
        // layer, with the key's four samples.
        let colours = line_colours(&svg);
        for l in 0..4 {
            let expected = if l < 3 { 3 } else { 2 };
            let count = colours
                .iter()
                .filter(|c| **c == hex(layer_colour(l)))
                .count();
            assert_eq!(count, expected, "layer {l}: {colours:?}");
        }
        // The log axis spans the three decades between the first and last layers.
        let decades = ["1e-4", "0.001", "0.01"];
        assert!(
            decades.iter().all(|d| labels.iter().any(|t| t == d)),
            "{labels:?}"
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn a_layer_without_a_ratio_and_a_chart_without_updates_say_why() {
        let arch = Architecture::mlp(2, &[4], Activation::Relu, Task::Classes(2)).unwrap();
        let layout = Layout::new(360, 220, 1.0, Margins::CHART);
        // Zero init: ‖W‖ = 0 in every layer, so no ratio; the dead units are drawn.
        let zero: Vec<LayerEpoch> = (0..3)
            .map(|epoch| LayerEpoch {
                epoch,
                layers: vec![record(None, None, Some(1.0)), record(None, None, None)],
            })
            .collect();
        let svg = super::super::svg((360, 220), |area| inside_chart(area, &layout, &arch, &zero));
        let labels = texts(&svg);
        for text in [
            "Wʰ (‖W‖ = 0)",
            "‖∇W‖ / ‖W‖ appears after the first epoch",
            "dead %",
        ] {
            assert!(labels.iter().any(|t| t == text), "{text}: {labels:?}");
        }
        assert!(!svg.contains("NaN"));
        // An identity network, before its first epoch.
        let identity = Architecture::mlp(2, &[4], Activation::Identity, Task::Binary).unwrap();
        let start = &zero[..1];
        let svg = super::super::svg((360, 220), |area| {
            inside_chart(area, &layout, &identity, start)
        });
        let labels = texts(&svg);
        assert!(labels
            .iter()
            .any(|t| t == "identity units neither saturate nor die"));
        assert!(!labels.iter().any(|t| t.contains("‖W‖ = 0")), "{labels:?}");
    }
}
