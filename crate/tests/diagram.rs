//! The network diagram names its columns as the lecture does — x, each hidden layer's
//! h, f(x) — in a band above the units, where no name covers a unit.

use gradscape::layout::{Layout, Margins};
use gradscape::nn::network::{Architecture, Task};
use gradscape::nn::Activation;
use gradscape::render::network::{network_edges, Diagram};
use plotters::prelude::*;

/// The diagram of a 2-input network with these hidden layers, as SVG.
fn svg(hidden: &[usize], width: u32, height: u32) -> (Diagram, String) {
    let architecture = Architecture::mlp(2, hidden, Activation::Tanh, Task::Classes(3)).unwrap();
    let layout = Layout::new(width, height, 1.0, Margins::SURFACE);
    let diagram = Diagram::new(&architecture, &layout);
    let theta = vec![0.5; architecture.parameter_count()];
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
        network_edges(&area, &layout, &diagram, &architecture, &theta).unwrap();
        area.present().unwrap();
    }
    (diagram, text)
}

/// The value of attribute `name` in an SVG element's text.
fn attribute(element: &str, name: &str) -> f64 {
    let start = element.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let end = start + element[start..].find('"').unwrap();
    element[start..end].parse().unwrap()
}

/// Each `<text>`'s content, its centre x and its baseline y.
fn texts(svg: &str) -> Vec<(String, f64, f64)> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let content = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
            (
                content.trim().to_string(),
                attribute(t, "x"),
                attribute(t, "y"),
            )
        })
        .collect()
}

#[test]
fn the_columns_are_named_x_h_and_f_of_x() {
    let names = |hidden: &[usize]| -> Vec<String> {
        texts(&svg(hidden, 400, 300).1)
            .into_iter()
            .map(|t| t.0)
            .collect()
    };
    assert_eq!(names(&[]), ["x", "f(x)"]);
    assert_eq!(names(&[6]), ["x", "h", "f(x)"]);
    assert_eq!(names(&[4, 4]), ["x", "h⁽¹⁾", "h⁽²⁾", "f(x)"]);
}

#[test]
fn the_names_sit_above_their_columns_and_cover_no_unit() {
    for (hidden, width, height) in [
        (&[6][..], 400, 300),
        (&[12, 12, 12][..], 600, 240),
        (&[64][..], 300, 400),
    ] {
        let (diagram, svg) = svg(hidden, width, height);
        let texts = texts(&svg);
        assert_eq!(texts.len(), diagram.columns.len());
        for (l, (name, x, y)) in texts.iter().enumerate() {
            let (cx, _) = diagram.centre(l, 0);
            assert!((x - cx).abs() <= 1.0, "{name} at {x}, its column at {cx}");
            // The name's box, 13 px high about y, ends above the band's edge...
            assert!(y - 7.0 >= 0.0 && y + 7.0 <= diagram.band, "{name} at {y}");
        }
        // ...and every unit starts below it.
        for (l, &count) in diagram.columns.iter().enumerate() {
            for j in 0..count {
                let (_, cy) = diagram.centre(l, j);
                assert!(
                    cy - diagram.unit / 2.0 >= diagram.band,
                    "{hidden:?}: unit {j} of {l}"
                );
                assert!(
                    cy + diagram.unit / 2.0 <= f64::from(height),
                    "{hidden:?}: unit {j} of {l}"
                );
            }
        }
    }
}
