//! The slide "Element-wise activation functions": g in blue and its derivative g′ in
//! green, for the hidden layers' activation, over a grey histogram of one hidden
//! layer's pre-activations zˡ on the training points (counted on the right-hand axis),
//! with the share of them where g′ is (nearly) zero written above.

use super::axis::{Axis, Scale};
use super::chart::axes;
use super::network::quiet_corner;
use super::{drawing, font, legend, Layout, LegendStyle, Margins, Sample, PALETTE};
use crate::config::Error;
use crate::nn::pre_activation::PreActivations;
use crate::nn::Activation;
use plotters::coord::Shift;
use plotters::element::IntoDynElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Room for the note above, the counts on the right, ticks and names on the left and
/// below.
pub const PANEL_MARGINS: Margins = Margins {
    left: 56.0,
    top: 26.0,
    right: 56.0,
    bottom: 40.0,
};

/// The slide's colours: the activation blue, its derivative green.
const G: RGBColor = PALETTE[0];
const G_PRIME: RGBColor = PALETTE[2];

/// The z axis covers at least [−5, 5], as the slide's plots do, and every finite zˡ.
const LEAST_Z: f64 = 5.0;

/// Bins of the histogram, and points along each curve.
const BINS: usize = 40;
const CURVE_POINTS: usize = 401;

/// The z range of the panel: [−5, 5], widened to every finite value.
fn z_range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .filter(|v| v.is_finite())
        .fold((-LEAST_Z, LEAST_Z), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

/// How many of `values` fall in each of `bins` equal bins over [lo, hi] (the last bin
/// closed); non-finite values are left out.
fn histogram(values: &[f64], (lo, hi): (f64, f64), bins: usize) -> Vec<usize> {
    let mut counts = vec![0; bins];
    let width = (hi - lo) / bins as f64;
    for &v in values.iter().filter(|v| v.is_finite()) {
        let bin = ((v - lo) / width).floor();
        if bin >= 0.0 {
            counts[(bin as usize).min(bins - 1)] += 1;
        }
    }
    counts
}

/// g and g′ of `activation` (an element-wise one: a hidden layer's), over the z range
/// of `pre`'s values with their histogram under them, or alone when the network has no
/// hidden layer (`pre` None).
pub fn activation_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    activation: Activation,
    pre: Option<&PreActivations>,
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let values = pre.map_or(&[][..], |p| &p.values[..]);
    let (lo, hi) = z_range(values);
    let z: Vec<f64> = (0..CURVE_POINTS)
        .map(|k| lo + (hi - lo) * k as f64 / (CURVE_POINTS - 1) as f64)
        .collect();
    let Some((g, slope)) = activation.curve(&z) else {
        return Err(Error::new(format!(
            "{} is not an element-wise activation: it has no curve g(z)",
            activation.name()
        )));
    };
    let (y_lo, y_hi) = g
        .iter()
        .chain(&slope)
        .filter(|v| v.is_finite())
        .fold((0.0_f64, 1.0_f64), |(a, b), &v| (a.min(v), b.max(v)));
    let pad = 0.05 * (y_hi - y_lo);
    let x_axis = Axis::new(Scale::Linear, lo, hi)?;
    let y_axis = Axis::new(Scale::Linear, y_lo - pad, y_hi + pad)?;
    let counts = histogram(values, (lo, hi), BINS);
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let count_axis = Axis::new(Scale::Linear, 0.0, 1.1 * most as f64)?.integers();
    let [left, top, right, bottom] = layout.plot;
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .y_label_area_size(left)
        .right_y_label_area_size(layout.width as i32 - right)
        .x_label_area_size(layout.height as i32 - bottom)
        .build_cartesian_2d(x_axis, y_axis)
        .map_err(drawing)?
        .set_secondary_coord(x_axis, count_axis);
    let z_name = pre.map_or("z".to_string(), |p| format!("pre-activation {}", p.name));
    axes(&mut chart, layout, &z_name, "g(z), g′(z)")?;
    let label = font(layout, 12.0);
    let grey = BLACK.mix(0.25);
    if let Some(pre) = pre {
        let up = (layout.plot_height() as f64 / layout.px(28.0)) as usize;
        chart
            .configure_secondary_axes()
            .y_desc(format!("count of {}", pre.name))
            .label_style(label.clone())
            .axis_desc_style(label)
            .y_labels(up.max(2))
            .draw()
            .map_err(drawing)?;
        let width = (hi - lo) / BINS as f64;
        chart
            .draw_secondary_series(counts.iter().enumerate().filter(|(_, &c)| c > 0).map(
                |(b, &c)| {
                    let x0 = lo + b as f64 * width;
                    Rectangle::new([(x0, 0.0), (x0 + width, c as f64)], grey.filled())
                },
            ))
            .map_err(drawing)?;
    }
    let stroke = layout.px(2.5).round() as u32;
    let (g_style, slope_style) = (G.stroke_width(stroke), G_PRIME.stroke_width(stroke));
    let line = |values: &[f64]| -> Vec<(f64, f64)> {
        z.iter()
            .copied()
            .zip(values.iter().copied())
            .filter(|p| p.1.is_finite())
            .collect()
    };
    let (g_line, slope_line) = (line(&g), line(&slope));
    chart
        .draw_series(LineSeries::new(slope_line.clone(), slope_style))
        .map_err(drawing)?;
    chart
        .draw_series(LineSeries::new(g_line.clone(), g_style))
        .map_err(drawing)?;
    let (formula, derivative) = activation.formulas();
    let w = layout.px(24.0) as i32;
    let swatch = layout.px(5.0) as i32;
    let g_label = format!("g: {formula}");
    let slope_label = format!("g′: {derivative}");
    let histogram_label = pre.map(|p| format!("{}: count (right)", p.name));
    let mut entries: Vec<(&str, Sample<DB>)> = vec![
        (
            &g_label,
            Box::new(move |(x, y)| PathElement::new(vec![(x, y), (x + w, y)], g_style).into_dyn()),
        ),
        (
            &slope_label,
            Box::new(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + w, y)], slope_style).into_dyn()
            }),
        ),
    ];
    if let Some(text) = &histogram_label {
        entries.push((
            text,
            Box::new(move |(x, y)| {
                Rectangle::new([(x, y - swatch), (x + w, y + swatch)], grey.filled()).into_dyn()
            }),
        ));
    }
    // The legend's corner is the one the curves and the bars leave freest.
    let fraction = |&(x, v): &(f64, f64)| (x_axis.fraction(x), y_axis.fraction(v));
    let width = (hi - lo) / BINS as f64;
    let bars = counts.iter().enumerate().flat_map(|(b, &c)| {
        let x = x_axis.fraction(lo + (b as f64 + 0.5) * width);
        let top = count_axis.fraction(c as f64);
        (0..=10).map(move |k| (x, top * f64::from(k) / 10.0))
    });
    let corner = quiet_corner(g_line.iter().chain(&slope_line).map(fraction).chain(bars));
    let style = LegendStyle::chart(layout, corner, font(layout, 11.0));
    legend(&chart.plotting_area().strip_coord_spec(), &entries, &style)?;
    let note = pre.map_or_else(
        || "this network has no hidden layer: no zˡ to count".to_string(),
        |p| p.note.clone(),
    );
    let room = f64::from(layout.width) - f64::from(left) - layout.px(4.0);
    let size = layout
        .px(12.0)
        .min(room / (0.6 * note.chars().count().max(1) as f64));
    let style = font(layout, size / layout.pixel_ratio).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw_text(&note, &style, (left, top / 2))
        .map_err(drawing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::network::{Architecture, Network, Task};
    use crate::nn::pre_activation::pre_activations;
    use nalgebra::DMatrix;

    fn pre(activation: Activation) -> PreActivations {
        let architecture = Architecture::mlp(2, &[6], activation, Task::Classes(2)).unwrap();
        let theta: Vec<f64> = (0..architecture.parameter_count())
            .map(|i| 4.0 * libm::sin(1.3 * i as f64))
            .collect();
        let network = Network {
            architecture,
            l2: 0.0,
        };
        let x = DMatrix::from_fn(2, 300, |r, c| libm::sin(0.7 * c as f64 + 2.0 * r as f64));
        pre_activations(&network, &theta, &x, 1).unwrap()
    }

    /// The SVG's texts, and how many polylines of each colour it draws.
    fn draw(activation: Activation, pre: Option<&PreActivations>) -> (Vec<String>, String) {
        let layout = Layout::new(640, 320, 1.0, PANEL_MARGINS);
        let svg = super::super::svg((640, 320), |area| {
            activation_panel(area, &layout, activation, pre)
        });
        let texts = roxmltree::Document::parse(&svg)
            .unwrap()
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect();
        (texts, svg)
    }

    #[test]
    fn g_is_blue_g_prime_green_over_the_histogram_of_z() {
        for activation in Activation::HIDDEN {
            let pre = pre(activation);
            let (texts, svg) = draw(activation, Some(&pre));
            let (formula, derivative) = activation.formulas();
            for text in [
                format!("g: {formula}"),
                format!("g′: {derivative}"),
                "zʰ: count (right)".to_string(),
                "count of zʰ".to_string(),
                "pre-activation zʰ".to_string(),
                pre.note.clone(),
            ] {
                assert!(
                    texts.contains(&text),
                    "{activation:?}: {text} not in {texts:?}"
                );
            }
            // One blue curve, one green, each as a 2.5-pixel polyline (the legend's
            // samples are lines of two points).
            for colour in ["#0072B2", "#009E73"] {
                let curves = svg
                    .split("<polyline")
                    .skip(1)
                    .filter(|p| p.contains(&format!("stroke=\"{colour}\"")))
                    .filter(|p| p.split(' ').filter(|t| t.contains(',')).count() > 100)
                    .count();
                assert_eq!(curves, 1, "{activation:?} {colour}");
            }
            // A bar per non-empty bin.
            let (lo, hi) = z_range(&pre.values);
            let bins = histogram(&pre.values, (lo, hi), BINS);
            let bars = svg.matches("fill-opacity=\"0.25\"").count()
                + svg.matches("opacity=\"0.25\"").count();
            assert!(
                bars >= bins.iter().filter(|&&c| c > 0).count(),
                "{activation:?}: {bars}"
            );
            assert_eq!(bins.iter().sum::<usize>(), pre.values.len());
            assert!(lo <= -LEAST_Z && hi >= LEAST_Z);
        }
    }

    #[test]
    fn without_a_hidden_layer_the_curves_come_with_a_note() {
        let (texts, _) = draw(Activation::Sigmoid, None);
        assert!(
            texts.iter().any(|t| t.contains("no hidden layer")),
            "{texts:?}"
        );
        assert!(!texts.iter().any(|t| t.contains("count of")), "{texts:?}");
        let layout = Layout::new(100, 100, 1.0, PANEL_MARGINS);
        let mut text = String::new();
        let area = SVGBackend::with_string(&mut text, (100, 100)).into_drawing_area();
        assert!(activation_panel(&area, &layout, Activation::Softmax, None).is_err());
    }

    #[test]
    fn the_histogram_counts_every_finite_value_once() {
        let values = [-5.0, -4.9, 0.0, 0.1, 4.99, 5.0, f64::NAN, f64::INFINITY];
        let counts = histogram(&values, (-5.0, 5.0), 10);
        assert_eq!(counts, [2, 0, 0, 0, 0, 2, 0, 0, 0, 2]);
        assert_eq!(z_range(&values), (-5.0, 5.0));
        assert_eq!(z_range(&[-12.0, 3.0, f64::NEG_INFINITY]), (-12.0, 5.0));
    }
}
