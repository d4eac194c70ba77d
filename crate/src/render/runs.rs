//! Runs side by side on the network lab's charts: every run's loss and accuracy per
//! epoch on the shared curves (training solid, validation dashed, a colour per run, a
//! legend naming each run by its difference from the first), and η per epoch on a
//! small chart of its own, on a log scale, so that step and plateau schedules show as
//! stairs.

use super::axis::{Axis, Scale};
use super::chart::{axes, iterations};
use super::clip::decimate;
use super::network::{loss_axis, quiet_corner, training_curves};
use super::{builder, drawing, font, legend, Layout, LegendStyle, Margins, Sample, PALETTE};
use crate::config::Error;
use crate::lab::runs::MOST_RUNS;
use crate::nn::train::{EpochRecord, Watched};
use plotters::coord::Shift;
use plotters::element::{DashedPathElement, IntoDynElement};
use plotters::prelude::*;

/// One colour per run, the optimizer lab's palette (Okabe–Ito, distinguishable with
/// every common colour-vision deficiency) in an order whose first six all stand at
/// least 3 : 1 against white: black (a run alone draws its training curve black),
/// blue, vermillion, bluish green, reddish purple, and Paul Tol's wine.
pub const RUN_COLOURS: [RGBColor; MOST_RUNS] = [
    PALETTE[6], PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[7],
];

/// One run as the charts draw it: its finished epochs, its label, its colour, its η now
/// (which the η chart's axis covers before any epoch has finished), and the loss early
/// stopping or reduce-on-plateau watches (which a run alone names in its legend).
pub struct RunCurves<'a> {
    pub history: &'a [EpochRecord],
    pub label: &'a str,
    pub colour: RGBColor,
    pub learning_rate: f64,
    pub watched: Option<Watched>,
}

/// The points (epoch, value) of a history where `pick` has a finite value.
fn series(history: &[EpochRecord], pick: fn(&EpochRecord) -> Option<f64>) -> Vec<(f64, f64)> {
    history
        .iter()
        .filter_map(|r| Some((r.epoch as f64, pick(r)?)))
        .filter(|p| p.1.is_finite())
        .collect()
}

/// A run's two lines on one panel, and its colour.
struct Lines {
    training: Vec<(f64, f64)>,
    validation: Vec<(f64, f64)>,
    colour: RGBColor,
}

/// Loss (log scale) and accuracy per epoch of every run: training solid, validation
/// dashed, each run in its colour, with a legend of the runs' labels and one of the two
/// line styles. A run alone is drawn as [`training_curves`] draws it.
pub fn runs_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    runs: &[RunCurves],
    classification: bool,
) -> Result<(), Error> {
    if let [run] = runs {
        return training_curves(
            area,
            layout,
            run.history,
            classification,
            run.watched.as_ref(),
        );
    }
    area.fill(&WHITE).map_err(drawing)?;
    let (loss_area, accuracy_area) = if classification {
        area.split_horizontally(layout.width as i32 / 2)
    } else {
        (area.clone(), area.clone())
    };
    let epochs = last_epoch(runs);
    let losses: Vec<Lines> = runs
        .iter()
        .map(|r| Lines {
            training: series(r.history, |r| {
                Some(r.train.data_loss + r.train.regularization)
            }),
            validation: series(r.history, |r| {
                r.validation.map(|v| v.data_loss + v.regularization)
            }),
            colour: r.colour,
        })
        .collect();
    let (lo, hi) = losses
        .iter()
        .flat_map(|l| l.training.iter().chain(&l.validation))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    let start = losses
        .iter()
        .filter_map(|l| l.training.first())
        .fold(f64::NAN, |a, p| a.max(p.1));
    let start = if start.is_nan() { hi } else { start };
    let half = Layout::new(
        if classification {
            layout.width / 2
        } else {
            layout.width
        },
        layout.height,
        layout.pixel_ratio,
        Margins::CHART,
    );
    let loss_axis = loss_axis(lo, hi, start);
    let name = match loss_axis.scale() {
        Scale::Log => "loss (log scale)",
        Scale::SymLog { .. } => "loss (symmetric log)",
        Scale::Linear => "loss",
    };
    let labels: Vec<&str> = runs.iter().map(|r| r.label).collect();
    let legends = if classification {
        [Legend::Runs(&labels), Legend::Styles]
    } else {
        [Legend::Both(&labels), Legend::Both(&labels)]
    };
    panel(
        &loss_area,
        &half,
        (epochs, loss_axis, name),
        &losses,
        &legends[0],
    )?;
    if classification {
        let accuracies: Vec<Lines> = runs
            .iter()
            .map(|r| Lines {
                training: series(r.history, |r| r.train.accuracy),
                validation: series(r.history, |r| r.validation.and_then(|v| v.accuracy)),
                colour: r.colour,
            })
            .collect();
        panel(
            &accuracy_area,
            &half,
            (epochs, Axis::new(Scale::Linear, 0.0, 1.0)?, "accuracy"),
            &accuracies,
            &legends[1],
        )?;
    }
    Ok(())
}

/// What a panel's legend says: the runs' labels, the two line styles, or both.
enum Legend<'a> {
    Runs(&'a [&'a str]),
    Styles,
    Both(&'a [&'a str]),
}

/// The line styles' sample colour: neither black nor any run's.
const STYLE_SAMPLE: RGBColor = PALETTE[10];

/// One panel: every run's training line solid and validation line dashed, in its
/// colour, and `legend` in the corner the lines leave free.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    (epochs, y, name): (usize, Axis, &str),
    lines: &[Lines],
    legend_of: &Legend,
) -> Result<(), Error> {
    let mut chart = builder(area, layout)
        .build_cartesian_2d(iterations(epochs)?, y)
        .map_err(drawing)?;
    axes(&mut chart, layout, "epoch", name)?;
    let (lo, hi) = y.bounds();
    // Thousands of epochs of six runs share a few hundred pixel columns: keep at most
    // four points a column as wide as a line, which look the same, and the canvas
    // draws a point at a time.
    let spacing = layout.px(2.0);
    let pixel = |p: (f64, f64)| {
        let (u, v) = chart.backend_coord(&p);
        (f64::from(u), f64::from(v))
    };
    let pinned = |points: &[(f64, f64)]| -> Vec<(f64, f64)> {
        let clamped: Vec<(f64, f64)> = points.iter().map(|&(x, v)| (x, v.clamp(lo, hi))).collect();
        columns(&decimate(&clamped, pixel, spacing), pixel, spacing)
    };
    let pattern = (layout.px(6.0), layout.px(4.0));
    let drawn: Vec<_> = lines
        .iter()
        .map(|l| {
            let validation = pinned(&l.validation);
            let pixels: Vec<(f64, f64)> = validation.iter().map(|&p| pixel(p)).collect();
            let dashes = dashes(&pixels, pattern);
            (pinned(&l.training), validation, dashes, l.colour)
        })
        .collect();
    let stroke = layout.px(2.0).round() as u32;
    for (training, validation, (dash, gap), colour) in drawn {
        let style = colour.stroke_width(stroke);
        chart
            .draw_series(LineSeries::new(training, style))
            .map_err(drawing)?;
        chart
            .draw_series(DashedLineSeries::new(validation, dash, gap, style))
            .map_err(drawing)?;
    }
    let corner = quiet_corner(lines.iter().flat_map(|l| {
        l.training
            .iter()
            .chain(&l.validation)
            .map(|&(x, v)| (x / epochs.max(1) as f64, y.fraction(v.clamp(lo, hi))))
    }));
    let w = layout.px(24.0) as i32;
    let solid = move |colour: RGBColor| -> Sample<DB> {
        Box::new(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + w, y)], colour.stroke_width(stroke)).into_dyn()
        })
    };
    let font = font(layout, 11.0);
    let plot = chart.plotting_area().strip_coord_spec();
    // A label wider than the plot leaves is cut short: the page's list of runs has it
    // whole.
    let room = ((layout.plot_width() as f64 * 0.9) as u32).saturating_sub(layout.px(40.0) as u32);
    let fitted: Vec<String> = match legend_of {
        Legend::Runs(labels) | Legend::Both(labels) => labels
            .iter()
            .map(|label| shortened(label, room, |text| plot.estimate_text_size(text, &font)))
            .collect(),
        Legend::Styles => Vec::new(),
    };
    let mut entries: Vec<(&str, Sample<DB>)> = fitted
        .iter()
        .zip(lines)
        .map(|(label, line)| (label.as_str(), solid(line.colour)))
        .collect();
    let has_validation = lines.iter().any(|l| !l.validation.is_empty());
    if matches!(legend_of, Legend::Styles | Legend::Both(_)) {
        entries.push(("training", solid(STYLE_SAMPLE)));
        if has_validation {
            let dashed = STYLE_SAMPLE.stroke_width(stroke);
            entries.push((
                "validation",
                Box::new(move |(x, y)| {
                    let (dash, gap) = (pattern.0 as u32, pattern.1 as u32);
                    DashedPathElement::new(vec![(x, y), (x + w, y)], dash, gap, dashed).into_dyn()
                }),
            ));
        }
    }
    let style = LegendStyle::chart(layout, corner, font.clone());
    legend(&plot, &entries, &style)?;
    Ok(())
}

/// The points of a line (along x) a screen shows, at most four per column of `width`
/// device pixels (through `pixel`): in each, its first and last points and its lowest
/// and highest, in their order — the line's whole extent there, as drawn (the M4
/// aggregation of Jugel et al., "M4: a visualization-oriented time series data
/// aggregation", VLDB 2014).
fn columns(
    points: &[(f64, f64)],
    pixel: impl Fn((f64, f64)) -> (f64, f64),
    width: f64,
) -> Vec<(f64, f64)> {
    let column = |p: (f64, f64)| (pixel(p).0 / width.max(1.0)).floor();
    let mut kept = Vec::with_capacity(points.len().min(4096));
    let mut start = 0;
    while start < points.len() {
        let here = column(points[start]);
        let end = start
            + points[start..]
                .iter()
                .take_while(|&&p| column(p) == here)
                .count();
        let part = &points[start..end];
        let extreme = |better: fn(f64, f64) -> bool| {
            (0..part.len())
                .reduce(|a, b| if better(part[b].1, part[a].1) { b } else { a })
                .unwrap_or(0)
        };
        let mut chosen = [
            0,
            extreme(|a, b| a < b),
            extreme(|a, b| a > b),
            part.len() - 1,
        ];
        chosen.sort_unstable();
        let mut last = None;
        for i in chosen {
            if last != Some(i) {
                kept.push(part[i]);
                last = Some(i);
            }
        }
        start = end;
    }
    kept
}

/// A dashed line has at most about this many dashes: each is a path of its own on the
/// canvas, and a validation curve that jitters over hundreds of epochs is long.
const MOST_DASHES: f64 = 80.0;

/// The dash and the gap, in device pixels, of a dashed line through `pixels`: `pattern`,
/// both stretched alike when the line is too long for [`MOST_DASHES`] of them.
fn dashes(pixels: &[(f64, f64)], (dash, gap): (f64, f64)) -> (u32, u32) {
    let length: f64 = pixels
        .windows(2)
        .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
        .sum();
    let stretch = (length / (MOST_DASHES * (dash + gap))).max(1.0);
    ((dash * stretch) as u32, (gap * stretch) as u32)
}

/// `label`, or as much of it as fits in `room` pixels followed by "…", by the width
/// `measure` gives a text: whole parts of it (up to a ", " or a "; ") if one fits,
/// else as many characters as fit.
fn shortened<E>(label: &str, room: u32, measure: impl Fn(&str) -> Result<(u32, u32), E>) -> String {
    let fits = |text: &str| measure(text).is_ok_and(|(w, _)| w <= room);
    if fits(label) {
        return label.to_string();
    }
    let cut = |end: usize| format!("{}…", label[..end].trim_end());
    let parts = label
        .match_indices([',', ';'])
        .map(|(end, _)| cut(end))
        .rev();
    let characters = label
        .char_indices()
        .rev()
        .filter(|(end, _)| *end > 0)
        .map(|(end, _)| cut(end));
    parts
        .chain(characters)
        .find(|text| fits(text))
        .unwrap_or_else(|| "…".into())
}

/// η per epoch of every run, on a log scale: each epoch's η (as its record has it) as a
/// step from the epoch before to it, in the run's colour, so that a step schedule's
/// drops and a plateau's show as stairs. Before any epoch has ended, the axis covers
/// the runs' η now.
pub fn learning_rates<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    runs: &[RunCurves],
) -> Result<(), Error> {
    area.fill(&WHITE).map_err(drawing)?;
    let epochs = last_epoch(runs);
    let recorded = runs.iter().any(|r| !r.history.is_empty());
    let rates = runs
        .iter()
        .flat_map(|r| r.history.iter().map(|e| e.learning_rate))
        .chain(runs.iter().filter(|_| !recorded).map(|r| r.learning_rate))
        .filter(|&v| v.is_finite() && v > 0.0);
    let (lo, hi) = rates.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let y = rate_axis(lo, hi)?;
    let mut chart = builder(area, layout)
        .build_cartesian_2d(iterations(epochs)?, y)
        .map_err(drawing)?;
    axes(&mut chart, layout, "epoch", "η (log)")?;
    let stroke = layout.px(2.0).round() as u32;
    let pixel = |p: (f64, f64)| {
        let (u, v) = chart.backend_coord(&p);
        (f64::from(u), f64::from(v))
    };
    let lines: Vec<Vec<(f64, f64)>> = runs
        .iter()
        .map(|run| decimate(&stairs(run.history, y.bounds()), pixel, 1.0))
        .collect();
    for (line, run) in lines.into_iter().zip(runs) {
        chart
            .draw_series(LineSeries::new(line, run.colour.stroke_width(stroke)))
            .map_err(drawing)?;
    }
    Ok(())
}

/// η as stairs: each epoch's η from the epoch before to it, epochs of the same η as one
/// step; within `(lo, hi)`.
fn stairs(history: &[EpochRecord], (lo, hi): (f64, f64)) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = Vec::new();
    for e in history
        .iter()
        .filter(|e| e.learning_rate.is_finite() && e.learning_rate > 0.0)
    {
        let (start, end, rate) = (
            e.epoch as f64 - 1.0,
            e.epoch as f64,
            e.learning_rate.clamp(lo, hi),
        );
        match points.as_mut_slice() {
            [.., (_, a), last] if *a == rate && last.1 == rate => last.0 = end,
            _ => points.extend([(start, rate), (end, rate)]),
        }
    }
    points
}

/// A log axis from the decade at or below `lo` to the one at or above `hi`, at least two
/// decades (the extra one below, where schedules take η), so that it is ticked at
/// decades alone; around 0.01 when there is no η to show.
fn rate_axis(lo: f64, hi: f64) -> Result<Axis, Error> {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && lo > 0.0 {
        (lo, hi)
    } else {
        (0.01, 0.01)
    };
    let bottom = libm::floor(libm::log10(lo));
    let top = libm::ceil(libm::log10(hi));
    let (bottom, top) = match top - bottom {
        0.0 => (bottom - 1.0, top + 1.0),
        1.0 => (bottom - 1.0, top),
        _ => (bottom, top),
    };
    Axis::new(Scale::Log, libm::exp10(bottom), libm::exp10(top))
}

/// The last epoch any run has recorded, at least 1: where the epoch axis ends.
fn last_epoch(runs: &[RunCurves]) -> usize {
    runs.iter()
        .filter_map(|r| r.history.last())
        .map(|r| r.epoch)
        .max()
        .unwrap_or(1)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::train::Metrics;
    use crate::render::svg_texts as texts;

    /// A history of 30 epochs whose losses fall from `start` and whose η halves every
    /// 10 epochs.
    fn history(start: f64) -> Vec<EpochRecord> {
        (1..=30)
            .map(|epoch| {
                let t = epoch as f64 / 30.0;
                let metrics = |lag: f64| Metrics {
                    data_loss: start * (1.0 - 0.6 * t) + lag,
                    regularization: 0.0,
                    accuracy: Some(0.5 + 0.4 * t - lag),
                };
                EpochRecord {
                    epoch,
                    updates: epoch * 10,
                    learning_rate: 0.1 * 0.5f64.powi(((epoch - 1) / 10) as i32),
                    train: metrics(0.0),
                    validation: Some(metrics(0.02)),
                }
            })
            .collect()
    }

    fn svg(
        size: (u32, u32),
        draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>, &Layout) -> Result<(), Error>,
    ) -> String {
        let layout = Layout::new(size.0, size.1, 1.0, Margins::CHART);
        super::super::svg(size, |area| draw(area, &layout))
    }

    /// The stroke colours of a drawing's lines, as `#RRGGBB`.
    fn strokes(svg: &str) -> Vec<String> {
        roxmltree::Document::parse(svg)
            .unwrap()
            .descendants()
            .filter(|n| n.has_tag_name("polyline") || n.has_tag_name("path"))
            .filter_map(|n| n.attribute("stroke").map(str::to_string))
            .collect()
    }

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    fn runs<'a>(histories: &'a [Vec<EpochRecord>], labels: &'a [String]) -> Vec<RunCurves<'a>> {
        histories
            .iter()
            .zip(labels)
            .enumerate()
            .map(|(i, (history, label))| RunCurves {
                history,
                label,
                colour: RUN_COLOURS[i],
                learning_rate: 0.1,
                watched: None,
            })
            .collect()
    }

    #[test]
    fn one_run_is_drawn_as_the_lab_alone_draws_it() {
        let histories = [history(0.7)];
        let labels = ["Adam, η = 0.01".to_string()];
        let ours = svg((640, 240), |area, layout| {
            runs_curves(area, layout, &runs(&histories, &labels), true)
        });
        let alone = svg((640, 240), |area, layout| {
            training_curves(area, layout, &histories[0], true, None)
        });
        assert_eq!(ours, alone);
        assert!(!ours.contains("Adam"));
        // With the loss early stopping watches named, as the lab alone names it.
        let watched = Watched {
            loss: "NLL".into(),
            by: "early stopping",
            validation: true,
        };
        let mut one = runs(&histories, &labels);
        one[0].watched = Some(watched.clone());
        let ours = svg((640, 240), |area, layout| {
            runs_curves(area, layout, &one, true)
        });
        let alone = svg((640, 240), |area, layout| {
            training_curves(area, layout, &histories[0], true, Some(&watched))
        });
        assert_eq!(ours, alone);
    }

    #[test]
    fn six_runs_each_draw_both_lines_in_their_colour_under_a_legend_of_their_labels() {
        let histories: Vec<_> = (0..6).map(|i| history(0.4 + 0.1 * i as f64)).collect();
        let labels: Vec<String> = (0..6).map(|i| format!("run label {i}")).collect();
        let drawn = svg((800, 260), |area, layout| {
            runs_curves(area, layout, &runs(&histories, &labels), true)
        });
        let words = texts(&drawn);
        for label in &labels {
            assert_eq!(words.iter().filter(|t| *t == label).count(), 1, "{words:?}");
        }
        for style in ["training", "validation"] {
            assert_eq!(words.iter().filter(|t| *t == style).count(), 1, "{words:?}");
        }
        // Each run's colour strokes its training and validation lines on both panels
        // (the validation line in dashes), and its legend sample.
        let strokes = strokes(&drawn);
        for colour in RUN_COLOURS {
            let count = strokes.iter().filter(|s| **s == hex(colour)).count();
            assert!(count >= 5, "{}: {count}", hex(colour));
        }
        // A regression has one panel, whose legend holds both.
        let regression = svg((800, 260), |area, layout| {
            runs_curves(area, layout, &runs(&histories, &labels), false)
        });
        let words = texts(&regression);
        assert!(words.iter().any(|t| t == "run label 5"));
        assert!(words.iter().any(|t| t == "validation"));
        assert!(!words.iter().any(|t| t == "accuracy"));
    }

    #[test]
    fn a_column_keeps_its_first_last_lowest_and_highest_points() {
        // Columns 10 units wide, pixels as the points' own coordinates.
        let points: Vec<(f64, f64)> = (0..40).map(|i| (i as f64, ((i * 7) % 11) as f64)).collect();
        let kept = columns(&points, |p| p, 10.0);
        let expected: Vec<(f64, f64)> = (0..4)
            .flat_map(|c| {
                let part = &points[10 * c..10 * c + 10];
                let low = part
                    .iter()
                    .copied()
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .unwrap();
                let high = part
                    .iter()
                    .copied()
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .unwrap();
                let mut four = vec![part[0], low, high, part[9]];
                four.sort_by(|a, b| a.0.total_cmp(&b.0));
                four.dedup();
                four
            })
            .collect();
        assert_eq!(kept, expected);
        assert!(kept.len() <= 16);
        // A column of one point keeps it; none, nothing.
        assert_eq!(columns(&[(3.0, 1.0)], |p| p, 10.0), [(3.0, 1.0)]);
        assert!(columns(&[], |p| p, 10.0).is_empty());
    }

    #[test]
    fn a_jittery_validation_line_gets_longer_dashes_not_more() {
        // Validation losses that jump up and down every epoch, for 900 epochs.
        let jittery: Vec<EpochRecord> = history(0.5)
            .into_iter()
            .cycle()
            .take(900)
            .enumerate()
            .map(|(i, r)| {
                let validation = r.validation.map(|v| Metrics {
                    data_loss: v.data_loss * if i % 2 == 0 { 1.5 } else { 0.7 },
                    ..v
                });
                EpochRecord {
                    epoch: i + 1,
                    validation,
                    ..r
                }
            })
            .collect();
        let histories = vec![jittery; 6];
        let labels: Vec<String> = (0..6).map(|i| format!("run {i}")).collect();
        let drawn = svg((640, 240), |area, layout| {
            runs_curves(area, layout, &runs(&histories, &labels), true)
        });
        // A path per dash: at most about 80 on each of the 12 validation lines.
        let paths = drawn.matches("<polyline").count();
        assert!(paths < 12 * 90 + 100, "{paths}");
        assert_eq!(dashes(&[(0.0, 0.0), (100.0, 0.0)], (6.0, 4.0)), (6, 4));
        assert_eq!(dashes(&[(0.0, 0.0), (0.0, 1600.0)], (6.0, 4.0)), (12, 8));
    }

    #[test]
    fn a_label_too_long_for_the_plot_is_cut_short() {
        let histories = [history(0.7), history(0.5)];
        let long = "momentum, η = 0.05, γ = 0.9; step schedule every 20 ×0.2; init He; batch 100";
        let labels = ["Adam, η = 0.01".to_string(), long.to_string()];
        let drawn = svg((500, 240), |area, layout| {
            runs_curves(area, layout, &runs(&histories, &labels), true)
        });
        let words = texts(&drawn);
        let cut = words.iter().find(|t| t.starts_with("momentum")).unwrap();
        assert_eq!(cut, "momentum, η = 0.05…");
        assert!(long.starts_with(cut.trim_end_matches('…')));
        assert!(words.iter().any(|t| t == "Adam, η = 0.01"));
        // Measured by a rule of thumb here: 6 pixels a character.
        let measure = |text: &str| Ok::<_, ()>((6 * text.chars().count() as u32, 10));
        assert_eq!(shortened("abcdef", 36, measure), "abcdef");
        assert_eq!(shortened("abc defgh", 36, measure), "abc d…");
        assert_eq!(shortened("abc  defgh", 30, measure), "abc…");
        assert_eq!(shortened("ab, c; defgh", 60, measure), "ab, c…");
        assert_eq!(shortened("abcdef", 3, measure), "…");
    }

    #[test]
    fn the_learning_rates_step_down_on_a_log_axis() {
        let histories: Vec<_> = (0..2).map(|_| history(0.5)).collect();
        let labels = ["a".to_string(), "b".to_string()];
        let drawn = svg((600, 140), |area, layout| {
            learning_rates(area, layout, &runs(&histories, &labels))
        });
        let words = texts(&drawn);
        assert!(words.iter().any(|t| t == "η (log)"), "{words:?}");
        let doc = roxmltree::Document::parse(&drawn).unwrap();
        let line = doc
            .descendants()
            .find(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some("#0072B2"))
            .unwrap();
        // η halves twice, each drop as high on the log axis.
        let points: Vec<(f64, f64)> = crate::render::svg_points(line.attribute("points").unwrap());
        // Three steps of ten epochs, each as its two ends.
        assert_eq!(points.len(), 6, "{points:?}");
        let levels: Vec<f64> = points.iter().step_by(2).map(|p| p.1).collect();
        let drops: Vec<f64> = levels.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(
            drops[0] > 0.0 && (drops[0] - drops[1]).abs() <= 1.0,
            "{levels:?}"
        );
        assert!(points.chunks(2).all(|step| step[0].1 == step[1].1));
        assert_eq!(points[1].0, points[2].0);
        // A step per epoch when η changes at every one.
        let decaying: Vec<EpochRecord> = history(0.5)
            .into_iter()
            .map(|e| EpochRecord {
                learning_rate: 0.999f64.powi(e.epoch as i32),
                ..e
            })
            .collect();
        assert_eq!(stairs(&decaying, (1e-3, 1.0)).len(), 60);
        // Whole decades, at least two: a flat η in the middle, a decay's extra decade
        // below; without any η, around 0.01.
        let decades = |lo, hi| rate_axis(lo, hi).unwrap().bounds();
        assert_eq!(decades(0.01, 0.01), (0.001, 0.1));
        assert_eq!(decades(0.02, 0.05), (0.001, 0.1));
        assert_eq!(decades(0.002, 0.05), (0.001, 0.1));
        assert_eq!(decades(3e-4, 0.01), (1e-4, 0.01));
        assert_eq!(decades(f64::INFINITY, f64::NEG_INFINITY), (0.001, 0.1));
        assert_eq!(decades(0.0, 0.1), (0.001, 0.1));
    }

    /// The contrast ratio of a colour against white, as WCAG 2 defines it.
    fn contrast_with_white(c: RGBColor) -> f64 {
        let linear = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let luminance = 0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2);
        1.05 / (luminance + 0.05)
    }

    #[test]
    fn run_colours_stand_out_on_white_and_from_each_other() {
        for (i, a) in RUN_COLOURS.iter().enumerate() {
            assert!(contrast_with_white(*a) >= 3.0, "{a:?}");
            for b in &RUN_COLOURS[i + 1..] {
                let d = |x: u8, y: u8| f64::from(x) - f64::from(y);
                let apart =
                    (d(a.0, b.0).powi(2) + d(a.1, b.1).powi(2) + d(a.2, b.2).powi(2)).sqrt();
                assert!(apart > 75.0, "{a:?} {b:?}");
            }
        }
    }
}
