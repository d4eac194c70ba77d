//! A legend box in a corner of a plot: each entry's sample (a stretch of line, a
//! marker) beside its label. Laid out exactly as plotters' series labels are
//! (`SeriesLabelStyle::draw`), so the pictures are the same, but drawn here: plotters
//! names its default legend font by a string, and reading that name brings
//! `str::to_lowercase` and its Unicode tables, a tenth of each page's wasm gzipped.

use super::{drawing, Error};
use crate::layout::Layout;
use plotters::coord::Shift;
use plotters::element::{DynElement, MultiLineText};
use plotters::prelude::*;

/// A pixel of the drawing area, as plotters' backends take it.
type BackendCoord = (i32, i32);

/// What draws one entry's sample with its left end at a point.
pub type Sample<'a, DB> = Box<dyn Fn(BackendCoord) -> DynElement<'a, DB, BackendCoord> + 'a>;

/// How a legend looks, as plotters' `SeriesLabelStyle` says it: where in the plot, the
/// width kept for the samples, the margin inside the box, the labels' font, the box's
/// fill and border.
pub struct LegendStyle<'a> {
    pub position: SeriesLabelPosition,
    pub sample_width: u32,
    pub margin: u32,
    pub font: TextStyle<'a>,
    pub background: ShapeStyle,
    pub border: ShapeStyle,
}

impl<'a> LegendStyle<'a> {
    /// A chart's legend at `position`: samples 28 pixels wide, a 4-pixel margin, `font`,
    /// on a white box a little see-through with a faint border.
    pub fn chart(layout: &Layout, position: SeriesLabelPosition, font: TextStyle<'a>) -> Self {
        LegendStyle {
            position,
            sample_width: layout.px(28.0) as u32,
            margin: layout.px(4.0) as u32,
            font,
            background: WHITE.mix(0.85).into(),
            border: BLACK.mix(0.3).into(),
        }
    }
}

/// `entries`, each a label and its sample, in a box in `plot` (a chart's plotting area):
/// the box sized to the labels' lines plus the samples' width and the margins, 5 pixels
/// in from the plot's edges at `style.position`, each sample centred on its line.
pub fn legend<'a, DB: DrawingBackend + 'a>(
    plot: &DrawingArea<DB, Shift>,
    entries: &[(&str, Sample<'a, DB>)],
    style: &LegendStyle,
) -> Result<(), Error> {
    let mut labels = MultiLineText::<_, &str>::new((0, 0), &style.font);
    for (label, _) in entries {
        labels.push_line(*label);
    }
    let (w, h) = labels.estimate_dimension().map_err(drawing)?;
    let margin = style.margin as i32;
    let (w, h) = (w + style.sample_width as i32 + 2 * margin, h + 2 * margin);
    let (x, y) = corner(&style.position, (w, h), plot.dim_in_pixel());
    labels.relocate((x + style.sample_width as i32 + margin, y + margin));
    let edges = [(x, y), (x + w, y + h)];
    plot.draw(&Rectangle::new(edges, style.background.filled()))
        .map_err(drawing)?;
    plot.draw(&Rectangle::new(edges, style.border))
        .map_err(drawing)?;
    plot.draw(&labels).map_err(drawing)?;
    let lines = labels.compute_line_layout().map_err(drawing)?;
    for (((_, top), (_, bottom)), (_, sample)) in lines.into_iter().zip(entries) {
        plot.draw(&sample((x + margin, (top + bottom) / 2)))
            .map_err(drawing)?;
    }
    Ok(())
}

/// The top-left corner of a box of `size` at `position` in an area of `area` pixels.
fn corner(position: &SeriesLabelPosition, (w, h): (i32, i32), area: (u32, u32)) -> (i32, i32) {
    use SeriesLabelPosition::*;
    let (area_w, area_h) = (area.0 as i32, area.1 as i32);
    let x = match position {
        UpperLeft | MiddleLeft | LowerLeft => 5,
        UpperMiddle | MiddleMiddle | LowerMiddle => (area_w - w) / 2,
        UpperRight | MiddleRight | LowerRight => area_w - w - 5,
        Coordinate(x, _) => *x,
    };
    let y = match position {
        UpperLeft | UpperMiddle | UpperRight => 5,
        MiddleLeft | MiddleMiddle | MiddleRight => (area_h - h) / 2,
        LowerLeft | LowerMiddle | LowerRight => area_h - h - 5,
        Coordinate(_, y) => *y,
    };
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{font, svg, Layout, Margins};
    use plotters::element::IntoDynElement;

    /// The same entries through plotters' own series labels and through [`legend`].
    fn both(position: SeriesLabelPosition) -> (String, String) {
        let layout = Layout::new(400, 300, 1.0, Margins::CHART);
        let style = || LegendStyle {
            position: position.clone(),
            sample_width: 30,
            margin: 10,
            font: font(&layout, 12.0),
            background: WHITE.mix(0.85).into(),
            border: BLACK.mix(0.4).into(),
        };
        let theirs = svg((400, 300), |area| {
            let mut chart = ChartBuilder::on(area)
                .build_cartesian_2d(0.0..1.0, 0.0..1.0)
                .unwrap();
            for (label, colour) in [("sgd η=0.02", RED), ("adam", BLUE)] {
                chart
                    .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                    .unwrap()
                    .label(label)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour));
            }
            let s = style();
            chart
                .configure_series_labels()
                .position(s.position)
                .legend_area_size(s.sample_width)
                .margin(s.margin)
                .label_font(s.font)
                .background_style(s.background)
                .border_style(s.border)
                .draw()
                .unwrap();
            Ok(())
        });
        let ours = svg((400, 300), |area| {
            let chart = ChartBuilder::on(area)
                .build_cartesian_2d(0.0..1.0, 0.0..1.0)
                .unwrap();
            let sample = |colour: RGBColor| -> Sample<SVGBackend> {
                Box::new(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colour).into_dyn()
                })
            };
            let entries = [("sgd η=0.02", sample(RED)), ("adam", sample(BLUE))];
            legend(
                &chart.plotting_area().strip_coord_spec(),
                &entries,
                &style(),
            )
        });
        (theirs, ours)
    }

    #[test]
    fn the_legend_is_the_one_plotters_draws() {
        for position in [
            SeriesLabelPosition::UpperRight,
            SeriesLabelPosition::LowerLeft,
            SeriesLabelPosition::MiddleMiddle,
            SeriesLabelPosition::Coordinate(40, 60),
        ] {
            let (theirs, ours) = both(position);
            assert!(ours.contains("sgd η=0.02") && ours.contains("<rect"));
            assert_eq!(theirs, ours);
        }
    }
}
