//! The native CLI as a user runs it.

use gradscape::layout::{Layout, Margins};
use std::process::Output;

mod support;

use support::{backprop, gradscape};

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The standard output of a run that must succeed (its standard error says why not).
fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout(output)
}

mod reference;

/// The SVG that `gradscape render ARGS --out FILE` writes (the run must succeed); `name`
/// keeps the files of tests running at once apart.
fn rendered_svg(name: &str, args: &[&str]) -> String {
    let out = std::env::temp_dir().join(format!("gradscape-{name}-{}.svg", std::process::id()));
    let out_text = out.to_str().unwrap();
    let output = gradscape(&[&["render"], args, &["--out", out_text]].concat());
    succeeded(&output);
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    text
}

#[test]
fn trace_reproduces_the_reference_file_as_csv() {
    for case in reference::cases() {
        let start = format!("{},{}", case.start[0], case.start[1]);
        let steps = case.steps.to_string();
        let output = gradscape(&[
            "trace",
            "--surface",
            &case.surface,
            "--optimizer",
            &case.optimizer,
            "--start",
            &start,
            "--steps",
            &steps,
        ]);
        assert!(output.status.success());
        let text = stdout(&output);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("step,x,y,loss"));
        let rows: Vec<Vec<f64>> = lines
            .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
            .collect();
        assert_eq!(rows.len(), case.points.len());
        for (k, (row, expected)) in rows.iter().zip(&case.points).enumerate() {
            assert_eq!(row[0], k as f64);
            for (got, want) in row[1..].iter().zip(expected) {
                assert!(reference::close(*got, *want), "{}", case.optimizer);
            }
        }
    }
}

#[test]
fn trace_prints_shortest_round_trip_numbers_and_json() {
    let output = gradscape(&[
        "trace",
        "--surface",
        "booth",
        "--optimizer",
        "sgd:lr=0.1",
        "--start",
        "0.1,-2",
        "--steps",
        "1",
    ]);
    let text = stdout(&output);
    assert!(text.contains("\n0,0.1,-2,"), "{text}");
    let output = gradscape(&[
        "trace",
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
        "--steps",
        "2",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["points"].as_array().unwrap().len(), 3);
    assert_eq!(json["status"]["kind"], "running");
}

#[test]
fn a_diverged_trace_stops_at_its_last_finite_row_and_says_so() {
    let output = gradscape(&[
        "trace",
        "--surface",
        "quadratic",
        "--optimizer",
        "sgd:lr=1",
        "--start",
        "1,1",
        "--steps",
        "1000",
    ]);
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    let step: usize = stderr
        .trim()
        .strip_prefix("diverged at step ")
        .unwrap()
        .parse()
        .unwrap();
    let text = stdout(&output);
    assert_eq!(text.lines().count(), step + 1, "header and rows 0..step-1");
    assert!(!text.contains("NaN") && !text.contains("inf"));
}

#[test]
fn a_trace_ends_by_saying_its_outcome_with_the_tolerance_given() {
    // Gradient descent on ½(x² + 10y²) with η = 0.1: the distance to the minimum is
    // 2.5 · 0.9ᵏ from k = 1 on, first within 1e-3 at k = 75 and within 0.01 at k = 53.
    let args = |tolerance: &'static str| {
        [
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd:lr=0.1",
            "--start",
            "-2.5,2",
            "--steps",
            "200",
            "--tolerance",
            tolerance,
        ]
    };
    for (tolerance, step) in [("0.001", 75), ("0.01", 53)] {
        let output = gradscape(&args(tolerance));
        assert!(output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("converged at step {step} · f = ")),
            "{stderr}"
        );
        assert!(stderr.trim_end().ends_with(" from (0, 0)"), "{stderr}");
    }
    let output = gradscape(&[&args("0.001")[..], &["--format", "json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["outcome"]["kind"], "converged");
    assert_eq!(json["outcome"]["step"], 75);
    assert_eq!(json["outcome"]["iterates"], 201);
    assert_eq!(json["outcome"]["minimum"], serde_json::json!([0, 0]));
    assert_eq!(json["status"]["kind"], "running");
}

#[test]
fn bad_input_exits_2_with_one_line() {
    for args in [
        &["trace", "--surface", "nowhere", "--optimizer", "sgd"][..],
        &["trace", "--surface", "booth", "--optimizer", "adam:lr=-1"],
        &[
            "trace",
            "--surface",
            "booth",
            "--optimizer",
            "sgd",
            "--start",
            "1;2",
        ],
        &[
            "trace",
            "--surface",
            "booth",
            "--optimizer",
            "sgd",
            "--start",
            "nan,1",
        ],
        &[
            "render",
            "--surface",
            "booth",
            "--out",
            "/nonexistent/dir/f.svg",
        ],
    ] {
        let output = gradscape(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error"), "{args:?}: {stderr}");
    }
}

/// `trace`'s CSV rows: step, x, y, loss.
fn trace_rows(args: &[&str]) -> Vec<Vec<f64>> {
    let output = gradscape(&[&["trace"][..], args].concat());
    assert!(output.status.success(), "{args:?}");
    stdout(&output)
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect()
}

#[test]
fn a_typed_formula_traces_as_the_built_in_it_spells() {
    let run = |surface: &str| {
        let args = [
            "--surface",
            surface,
            "--optimizer",
            "adam:lr=0.02",
            "--start",
            "-1.5,1.5",
            "--steps",
            "300",
        ];
        trace_rows(&args)
    };
    let typed = run("formula:(1-x)^2+100*(y-x^2)^2");
    let built_in = run("rosenbrock");
    assert_eq!(typed.len(), 301);
    assert_eq!(typed.len(), built_in.len());
    let start_loss = built_in[0][3];
    for (a, b) in typed.iter().zip(&built_in) {
        assert_eq!(a[0], b[0]);
        for i in 1..4 {
            let floor = if i == 3 { 1e-6 * start_loss } else { 0.0 };
            let scale = a[i].abs().max(b[i].abs()).max(floor);
            assert!((a[i] - b[i]).abs() <= 1e-12 * scale, "{a:?} vs {b:?}");
        }
    }
}

#[test]
fn a_formula_s_minima_are_looked_for_in_the_view_given() {
    let args = |view: &'static str| {
        let mut args = vec![
            "trace",
            "--surface",
            "formula:(x-5)^2 + (y-5)^2",
            "--optimizer",
            "sgd:lr=0.1",
            "--start",
            "4,4",
            "--steps",
            "60",
        ];
        if !view.is_empty() {
            args.extend(["--view", view]);
        }
        args
    };
    let stderr = |args: &[&str]| String::from_utf8(gradscape(args).stderr).unwrap();
    // (5, 5) is outside the default view [-3, 3]²: no minimum to have converged to.
    let outside = stderr(&args(""));
    assert!(
        outside.starts_with("running at step 60 · f = "),
        "{outside}"
    );
    let inside = stderr(&args("0,10,0,10"));
    assert!(inside.starts_with("converged at step "), "{inside}");
    assert!(inside.trim_end().ends_with(" from (5, 5)"), "{inside}");
    // The picture shows the view given.
    let text = rendered_svg(
        "formula",
        &[
            "--surface",
            "formula:(x-5)^2 + (y-5)^2",
            "--view",
            "-10,20,0,10",
        ],
    );
    let svg = roxmltree::Document::parse(&text).unwrap();
    let labels: Vec<_> = svg
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(
        labels.contains(&"-10") && labels.contains(&"20"),
        "{labels:?}"
    );
}

#[test]
fn rates_on_a_formula_measure_the_contraction_to_its_minimum_in_the_view() {
    // Gradient descent (γ = 0) on (x − 5)² + (y − 5)², curvature 2: the distance to
    // (5, 5) shrinks by |1 − 2η| a step, 0.8 at η = 0.1 and 0.6 at η = 0.2.
    let output = gradscape(&[
        "rates",
        "--surface",
        "formula:(x-5)^2 + (y-5)^2",
        "--optimizer",
        "momentum",
        "--lr",
        "0.1..0.2",
        "--momentum",
        "0..0.5",
        "--grid",
        "2",
        "--start",
        "4,3",
        "--view",
        "0,10,0,10",
        "--steps",
        "20",
    ]);
    assert!(output.status.success());
    let text = stdout(&output);
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 4, "{text}");
    for (lr, rate) in [(0.1, 0.8), (0.2, 0.6)] {
        let row = rows.iter().find(|r| r[0] == lr && r[1] == 0.0).unwrap();
        assert!((row[2] - rate).abs() < 1e-9, "{text}");
    }
}

#[test]
fn list_names_every_surface_and_optimizer() {
    let text = stdout(&gradscape(&["list"]));
    for id in [
        "quadratic",
        "long-valley",
        "rastrigin",
        "formula",
        "nadam",
        "lion",
        "newton",
    ] {
        assert!(text.contains(id), "{id}");
    }
    assert!(text.contains("bias_correction"));
}

#[test]
fn render_writes_an_svg_with_filled_contours_lines_and_paths() {
    let text = rendered_svg(
        "paths",
        &[
            "--surface",
            "himmelblau",
            "--optimizer",
            "sgd:lr=0.01",
            "--optimizer",
            "adam:lr=0.1",
            "--steps",
            "60",
            "--start",
            "0,0",
        ],
    );
    let svg = roxmltree::Document::parse(&text).unwrap();
    // Lines join and end round, as on the page's canvas.
    let root = svg.root_element();
    assert_eq!(root.attribute("stroke-linejoin"), Some("round"));
    assert_eq!(root.attribute("stroke-linecap"), Some("round"));
    let elements = |tag: &'static str| svg.descendants().filter(move |n| n.has_tag_name(tag));
    let stroked = |colour: &str| {
        elements("polyline")
            .filter(|n| n.attribute("stroke") == Some(colour))
            .count()
    };
    // Filled contours: 16 bands, around four minima.
    let fills: std::collections::HashSet<_> = elements("polygon")
        .filter_map(|n| n.attribute("fill"))
        .collect();
    assert!(fills.len() >= 12, "{} fill colours", fills.len());
    // Contour lines, drawn in a dark grey.
    assert!(
        stroked("#28283C") >= 15,
        "{} contour lines",
        stroked("#28283C")
    );
    // One path per optimizer, in its method's colour (SGD black, Adam blue), with 61
    // points each.
    for colour in ["#000000", "#0072B2"] {
        let points = |n: &roxmltree::Node| {
            n.attribute("points")
                .map_or(0, |p| p.split_whitespace().count())
        };
        assert!(
            elements("polyline").any(|n| n.attribute("stroke") == Some(colour) && points(&n) == 61),
            "no path of 61 points in {colour}"
        );
    }
    // The legend names both.
    let texts: String = elements("text").filter_map(|n| n.text()).collect();
    assert!(texts.contains("sgd:lr=0.01") && texts.contains("adam:lr=0.1"));
}

#[test]
fn render_width_and_height_set_one_side_each() {
    for (option, value, size) in [
        ("--width", "500", ("500", "600")),
        ("--height", "200", ("800", "200")),
    ] {
        let text = rendered_svg("side", &["--surface", "booth", option, value]);
        let svg = roxmltree::Document::parse(&text).unwrap();
        let root = svg.root_element();
        assert_eq!(
            (root.attribute("width"), root.attribute("height")),
            (Some(size.0), Some(size.1))
        );
    }
}

/// A PNG file's width, height, RGB pixels and pixels per metre.
fn decode_png(file: &[u8]) -> (u32, u32, Vec<[u8; 3]>, Option<png::PixelDimensions>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(file))
        .read_info()
        .unwrap();
    let dims = reader.info().pixel_dims;
    let mut bytes = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut bytes).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels = bytes[..info.buffer_size()]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, pixels, dims)
}

/// `#RRGGBB`, as SVG writes a colour, as bytes.
fn rgb(hex: &str) -> [u8; 3] {
    let channel = |i: usize| u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap();
    [channel(0), channel(1), channel(2)]
}

#[test]
fn render_draws_the_same_figure_as_png_at_size_times_scale() {
    let dir = std::env::temp_dir();
    let svg = dir.join(format!("gradscape-{}-figure.svg", std::process::id()));
    // Upper case and no extension: the format comes from the extension, any case, or from
    // --format.
    let pngs = [
        (
            dir.join(format!("gradscape-{}-figure.PNG", std::process::id())),
            None,
        ),
        (
            dir.join(format!("gradscape-{}-figure", std::process::id())),
            Some("png"),
        ),
    ];
    let render = |out: &std::path::Path, more: &[&str]| {
        let args = [
            &[
                "render",
                "--surface",
                "himmelblau",
                "--optimizer",
                "momentum:lr=0.005",
                "--steps",
                "40",
                "--start",
                "0,0",
                "--size",
                "400x300",
                "--out",
                out.to_str().unwrap(),
            ][..],
            more,
        ]
        .concat();
        let output = gradscape(&args);
        succeeded(&output);
        let bytes = std::fs::read(out).unwrap();
        std::fs::remove_file(out).unwrap();
        bytes
    };
    let text = String::from_utf8(render(&svg, &[])).unwrap();
    let svg = roxmltree::Document::parse(&text).unwrap();
    let root = svg.root_element();
    assert_eq!(
        (root.attribute("width"), root.attribute("height")),
        (Some("400"), Some("300"))
    );
    let bands: std::collections::HashSet<[u8; 3]> = svg
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .filter_map(|n| n.attribute("fill"))
        .map(rgb)
        .collect();
    assert!(bands.len() >= 12, "{} band colours", bands.len());
    // The path's colour: the line drawn over its white halo.
    let polylines: Vec<_> = svg
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .collect();
    let halo = polylines
        .iter()
        .find(|n| n.attribute("stroke") == Some("#FFFFFF"))
        .unwrap();
    let path = polylines
        .iter()
        .find(|n| n.attribute("points") == halo.attribute("points") && n != &halo)
        .and_then(|n| n.attribute("stroke"))
        .map(rgb)
        .unwrap();

    for (out, format) in pngs {
        let more: Vec<&str> = format.map_or(vec![], |f| vec!["--format", f]);
        let file = render(&out, &[&more[..], &["--scale", "2"]].concat());
        let (width, height, pixels, dims) = decode_png(&file);
        assert_eq!((width, height), (800, 600), "400x300 at scale 2");
        // 96 pixels of the figure to the inch: 192 dpi, 7559 per metre.
        let dims = dims.unwrap();
        assert_eq!(
            (dims.xppu, dims.yppu, dims.unit),
            (7559, 7559, png::Unit::Meter)
        );
        let [left, top, right, bottom] = Layout::new(800, 600, 2.0, Margins::SURFACE).plot;
        let plot: Vec<[u8; 3]> = (top..bottom)
            .flat_map(|y| (left..right).map(move |x| (x, y)))
            .map(|(x, y)| pixels[(y * 800 + x) as usize])
            .collect();
        // The heatmap: most of the plot is painted in the SVG's band colours (lighter
        // viridis), and most bands show (the innermost rings lie under the minima's
        // markers).
        let painted = plot.iter().filter(|p| bands.contains(*p)).count();
        assert!(
            painted * 10 >= plot.len() * 7,
            "{painted} of {} pixels in band colours",
            plot.len()
        );
        let shown: std::collections::HashSet<_> =
            plot.iter().filter(|p| bands.contains(*p)).collect();
        assert!(
            shown.len() * 4 >= bands.len() * 3,
            "{} of {} bands",
            shown.len(),
            bands.len()
        );
        // The path, 2 pixels wide at scale 1, 4 here, along its run of 40 steps.
        let stroked = plot.iter().filter(|p| **p == path).count();
        assert!(stroked >= 1000, "{stroked} pixels of the path");
        // Outside the plot, the white background and the black axes.
        assert_eq!(pixels[0], [255, 255, 255]);
        assert!(pixels.contains(&[0, 0, 0]));
    }
}

#[test]
fn render_with_a_camera_draws_the_surface_in_3d_with_the_paths_on_it() {
    let text = rendered_svg(
        "3d",
        &[
            "--surface",
            "himmelblau",
            "--optimizer",
            "sgd:lr=0.01",
            "--steps",
            "60",
            "--start",
            "0,0",
            "--camera",
            "-30,40",
        ],
    );
    let svg = roxmltree::Document::parse(&text).unwrap();
    let elements = |tag: &'static str| svg.descendants().filter(move |n| n.has_tag_name(tag));
    // The mesh: up to 40 × 40 four-cornered faces (those turned away from the camera
    // are hidden, and left out) in the heatmap's colours, shaded.
    let faces: Vec<_> = elements("polygon")
        .filter(|n| n.attribute("points").unwrap().split_whitespace().count() == 4)
        .collect();
    assert!(
        (1200..=1600 + 3).contains(&faces.len()),
        "{} faces",
        faces.len()
    );
    let fills: std::collections::HashSet<_> =
        faces.iter().filter_map(|n| n.attribute("fill")).collect();
    assert!(fills.len() > 100, "{} fill colours", fills.len());
    // The path, in SGD's black, on the surface; no contour lines, as on the map.
    assert!(elements("polyline").any(|n| n.attribute("stroke") == Some("#000000")));
    assert!(!elements("polyline").any(|n| n.attribute("stroke") == Some("#28283C")));
    let texts: String = elements("text").filter_map(|n| n.text()).collect();
    assert!(texts.contains("sgd:lr=0.01"));
}

#[test]
fn backprop_gives_the_lectures_loss_and_exact_gradients() {
    // One softmax layer, W = (1, 2, 3)ᵀ, b = 0, and two samples x = 1, y = 0 and x = −1,
    // y = 2: l = −log softmax(Wx)_y, ∇W = mean (f − e(y)) xᵀ, ∇b = mean (f − e(y)),
    // plus the L2 term λ‖W‖² and its gradient 2λW.
    let model = r#"{"layers": [{"W": [[1], [2], [3]], "b": [0, 0, 0], "activation": "softmax"}], "l2": 0.1}"#;
    let output = backprop(model.as_bytes(), br#"{"X": [[1], [-1]], "y": [0, 2]}"#);
    succeeded(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let softmax = |z: [f64; 3]| {
        let e = z.map(f64::exp);
        let s: f64 = e.iter().sum();
        e.map(|v| v / s)
    };
    let (f1, f2) = (softmax([1.0, 2.0, 3.0]), softmax([-1.0, -2.0, -3.0]));
    let loss = -(f1[0].ln() + f2[2].ln()) / 2.0 + 0.1 * 14.0;
    assert!((json["loss"].as_f64().unwrap() - loss).abs() < 1e-12);
    let w = [1.0, 2.0, 3.0];
    for c in 0..3 {
        let e1 = f64::from(u8::from(c == 0));
        let e2 = f64::from(u8::from(c == 2));
        let grad_b = ((f1[c] - e1) + (f2[c] - e2)) / 2.0;
        // x₁ = 1 and x₂ = −1.
        let grad_w = ((f1[c] - e1) - (f2[c] - e2)) / 2.0 + 2.0 * 0.1 * w[c];
        assert!((json["grads"][0]["b"][c].as_f64().unwrap() - grad_b).abs() < 1e-12);
        assert!((json["grads"][0]["W"][c][0].as_f64().unwrap() - grad_w).abs() < 1e-12);
    }
    // The linear model of the slides: f(x) = softmax(W x + b).
    assert_eq!(
        json["grads"][0]["names"],
        serde_json::json!({"z": "z", "h": "f(x)", "w": "W", "b": "b", "input": "x"})
    );
}

#[test]
fn backprop_names_each_layers_gradients_as_the_lecture_does() {
    let model = r#"{"layers": [{"W": [[1], [-1]], "b": [0, 0], "activation": "tanh"}, {"W": [[1, 2], [3, 4]], "b": [0, 0], "activation": "softmax"}]}"#;
    let output = backprop(model.as_bytes(), br#"{"X": [[1]], "y": [0]}"#);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names = |l: usize, key: &str| json["grads"][l]["names"][key].as_str().unwrap().to_owned();
    // zʰ = Wʰ x + bʰ, h = g(zʰ); zᵒ = Wᵒ h + bᵒ, f(x) = softmax(zᵒ).
    assert_eq!(
        [
            names(0, "z"),
            names(0, "h"),
            names(0, "w"),
            names(0, "b"),
            names(0, "input")
        ],
        ["zʰ", "h", "Wʰ", "bʰ", "x"]
    );
    assert_eq!(
        [
            names(1, "z"),
            names(1, "h"),
            names(1, "w"),
            names(1, "b"),
            names(1, "input")
        ],
        ["zᵒ", "f(x)", "Wᵒ", "bᵒ", "h"]
    );
}

#[test]
fn backprop_names_the_layer_and_shapes_that_do_not_fit() {
    for (model, message) in [
        (
            r#"{"layers": [{"W": [[1, 2], [3, 4]], "b": [0, 0], "activation": "tanh"}, {"W": [[1, 2, 3], [4, 5, 6]], "b": [0, 0], "activation": "softmax"}]}"#,
            "layer 0 has 2 outputs but layer 1 takes 3 inputs",
        ),
        (
            r#"{"layers": [{"W": [[1, 2], [3]], "b": [0, 0], "activation": "softmax"}]}"#,
            "layer 0: row 1 of W has 1 entries, row 0 has 2",
        ),
        (
            r#"{"layers": [{"W": [[1, 2], [3, 4]], "b": [0], "activation": "softmax"}]}"#,
            "layer 0: W is [2, 2] but b has 1 entries",
        ),
        (
            r#"{"layers": [{"W": [[1, 2, 3], [4, 5, 6]], "b": [0, 0], "activation": "softmax"}]}"#,
            "row 0 of X has 2 values but layer 0 takes 3 inputs",
        ),
        (
            r#"{"layers": [{"W": [[1, 2]], "b": [0], "activation": "swish"}]}"#,
            "layer 0: unknown activation `swish`",
        ),
        (r#"{"layers": "#, "EOF while parsing"),
    ] {
        let output = backprop(model.as_bytes(), br#"{"X": [[1, 2]], "y": [0]}"#);
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(message), "{stderr}");
        assert_eq!(stderr.lines().count(), 1);
    }
}

#[test]
fn backprop_gives_a_gaussian_output_s_nll_and_gradients() {
    // One gaussian layer: μ = x, log σ² = x/2 − 1, on x = 1, y = 0.5 and x = −1, y = −2.
    let model = r#"{"layers": [{"W": [[1], [0.5]], "b": [0, -1], "activation": "gaussian"}]}"#;
    let output = backprop(model.as_bytes(), br#"{"X": [[1], [-1]], "y": [0.5, -2]}"#);
    succeeded(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ln_2pi = (2.0 * std::f64::consts::PI).ln();
    let (mut loss, mut grad_b, mut grad_w) = (0.0, [0.0; 2], [0.0; 2]);
    for (x, y) in [(1.0_f64, 0.5_f64), (-1.0, -2.0)] {
        let (mu, s) = (x, 0.5 * x - 1.0);
        loss += 0.5 * (ln_2pi + s + (y - mu).powi(2) * (-s).exp()) / 2.0;
        // ∂l/∂μ = (μ − y)e^(−s), ∂l/∂s = ½(1 − (y − μ)² e^(−s)), averaged over the two.
        let delta = [
            (mu - y) * (-s).exp(),
            0.5 * (1.0 - (y - mu).powi(2) * (-s).exp()),
        ];
        for u in 0..2 {
            grad_b[u] += delta[u] / 2.0;
            grad_w[u] += delta[u] * x / 2.0;
        }
    }
    assert!((json["loss"].as_f64().unwrap() - loss).abs() < 1e-12);
    for u in 0..2 {
        assert!((json["grads"][0]["b"][u].as_f64().unwrap() - grad_b[u]).abs() < 1e-12);
        assert!((json["grads"][0]["W"][u][0].as_f64().unwrap() - grad_w[u]).abs() < 1e-12);
    }
}

#[test]
fn train_fits_a_mixture_and_backprop_reads_the_model_it_saves() {
    let path = std::env::temp_dir().join(format!("gradscape-mdn-{}.json", std::process::id()));
    let output = gradscape(&[
        "train",
        "--dataset",
        "two-branches:n=60",
        "--output",
        "mdn:k=2",
        "--hidden",
        "4",
        "--epochs",
        "3",
        "--save",
        path.to_str().unwrap(),
    ]);
    let text = succeeded(&output);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 4);
    // No accuracy for numbers; the NLL of a density may be any real number.
    let last: Vec<&str> = rows[3].split(',').collect();
    assert_eq!(last[5], "");
    assert!(last[3].parse::<f64>().unwrap().is_finite());
    let saved = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let model: serde_json::Value = serde_json::from_slice(&saved).unwrap();
    let output_layer = &model["layers"][1];
    assert_eq!(output_layer["activation"], "mdn");
    assert_eq!(output_layer["k"], 2);
    assert_eq!(output_layer["W"].as_array().unwrap().len(), 6);
    assert_eq!(model["layers"][0].get("k"), None, "only the mdn names k");
    let output = backprop(&saved, br#"{"X": [[0.5], [-0.2]], "y": [1.2, -0.9]}"#);
    succeeded(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["loss"].as_f64().unwrap().is_finite());
    assert_eq!(json["grads"][1]["b"].as_array().unwrap().len(), 6);
}

#[test]
fn train_prints_every_epoch_as_csv() {
    let args = [
        "train",
        "--dataset",
        "spirals:k=3,n=300",
        "--hidden",
        "16,16",
        "--activation",
        "tanh",
        "--optimizer",
        "adam:lr=0.01",
        "--epochs",
        "30",
        "--seed",
        "1",
    ];
    let output = gradscape(&args);
    let text = succeeded(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "epoch,updates,lr,train_loss,train_l2,train_accuracy,val_loss,val_accuracy"
    );
    assert_eq!(lines.len(), 31);
    let first: Vec<f64> = lines[1].split(',').map(|v| v.parse().unwrap()).collect();
    let last: Vec<f64> = lines[30].split(',').map(|v| v.parse().unwrap()).collect();
    assert_eq!(first[1], 24.0, "240 training points in batches of 10");
    assert!(
        last[3] < first[3] && last[5] > 0.7,
        "it learns: {}",
        lines[30]
    );
    // The same seed gives the same run.
    let again = gradscape(&args);
    assert_eq!(stdout(&again), text);
}

/// The training set of `data.csv` as `backprop`'s data: `{"X": [[x1, x2], …], "y": […]}`.
fn training_rows(csv: &str) -> String {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for line in csv.lines().skip(1).filter(|l| l.ends_with(",train")) {
        let v: Vec<&str> = line.split(',').collect();
        x.push(format!("[{},{}]", v[0], v[1]));
        y.push(v[2].to_string());
    }
    format!(r#"{{"X": [{}], "y": [{}]}}"#, x.join(","), y.join(","))
}

#[test]
fn a_model_with_its_data_csv_gives_backprop_the_loss_the_lab_shows() {
    use gradscape::lab::network::NetworkLab;
    for normalize in ["none", "standard", "quantile-uniform", "quantile-normal"] {
        let setup = format!(
            r#"{{"dataset": "moons:n=80", "distort": [[100, 50], [1, 0]], "normalize": "{normalize}",
                "hidden": [4], "l2": 0.001, "validation": 0.25}}"#
        );
        let mut lab = NetworkLab::open(&serde_json::from_str(&setup).unwrap());
        while lab.trainer().epoch < 3 {
            lab.train(1);
        }
        let shown = lab.trainer().history.last().unwrap().train;
        let model = lab.model().to_text();
        assert_eq!(model.contains(r#""normalize""#), normalize != "none");
        let output = backprop(model.as_bytes(), training_rows(&lab.data_csv()).as_bytes());
        succeeded(&output);
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        let loss = json["loss"].as_f64().unwrap();
        let want = shown.data_loss + shown.regularization;
        assert!(
            (loss - want).abs() <= 1e-12 * want,
            "{normalize}: {loss} against {want}"
        );
    }
}

#[test]
fn train_saves_the_fitted_normalization_with_the_model() {
    let path =
        std::env::temp_dir().join(format!("gradscape-normalized-{}.json", std::process::id()));
    let output = gradscape(&[
        "train",
        "--dataset",
        "blobs:n=60",
        "--distort",
        "100,50,-1,0",
        "--normalize",
        "standard",
        "--epochs",
        "2",
        "--save",
        path.to_str().unwrap(),
    ]);
    succeeded(&output);
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).unwrap();
    // The mean and std of the distorted training split (48 of the 60 points).
    let normalize = &model["normalize"];
    assert_eq!(normalize["kind"], "standard");
    let setup: gradscape::nn::setup::Setup =
        serde_json::from_str(r#"{"dataset": "blobs:n=60", "distort": [[100, 50], [-1, 0]]}"#)
            .unwrap();
    let built = setup.build().unwrap();
    let x = built.preprocessing.distorted(&built.split.train.x);
    assert_eq!(x.ncols(), 48);
    for j in 0..2 {
        let mean = normalize["mean"][j].as_f64().unwrap();
        let std = normalize["std"][j].as_f64().unwrap();
        let variance = x.row(j).iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 48.0;
        assert!(
            (mean - x.row(j).mean()).abs() < 1e-12 * mean.abs().max(1.0),
            "{j}"
        );
        assert!((std - variance.sqrt()).abs() < 1e-12 * std, "{j}");
    }
}

#[test]
fn tune_prints_each_optimizer_s_best_rate_and_its_final_loss() {
    let args = |more: &[&'static str]| {
        [
            &[
                "tune",
                "--surface",
                "quadratic",
                "--optimizer",
                "sgd",
                "--optimizer",
                "momentum:momentum=0.5",
                "--steps",
                "50",
            ][..],
            more,
        ]
        .concat()
    };
    let output = gradscape(&args(&[]));
    assert!(output.status.success());
    let text = stdout(&output);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0], ["optimizer", "lr", "loss"]);
    assert_eq!((rows.len(), rows[1][0], rows[2][0]), (3, "sgd", "momentum"));
    // The best is the curve's lowest loss.
    let output = gradscape(&args(&["--curve"]));
    let curve = stdout(&output);
    let mut lines = curve.lines();
    assert_eq!(lines.next(), Some("optimizer,lr,loss"));
    let points: Vec<(String, f64, f64)> = lines
        .map(|l| {
            let v: Vec<_> = l.split(',').collect();
            (
                v[0].to_string(),
                v[1].parse().unwrap(),
                v[2].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(points.len(), 50, "25 rates for each optimizer");
    assert!(
        points.iter().any(|p| p.2 == f64::INFINITY),
        "a large lr diverges"
    );
    for row in &rows[1..] {
        let lowest = points
            .iter()
            .filter(|p| p.0 == row[0])
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .unwrap();
        assert_eq!(
            (
                row[1].parse::<f64>().unwrap(),
                row[2].parse::<f64>().unwrap()
            ),
            (lowest.1, lowest.2)
        );
    }
    let output = gradscape(&args(&["--points", "3", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json[0]["optimizer"], "sgd");
    assert_eq!(json[0]["curve"].as_array().unwrap().len(), 3);
    assert_eq!(json[0]["curve"][2], serde_json::json!([10, null]));
}

/// The issue's command line on the digits: over 95% of the validation digits right
/// after 30 epochs, and the README shows exactly what it prints.
#[test]
fn train_reads_the_digits_as_the_readme_shows() {
    let args = [
        "train",
        "--dataset",
        "digits",
        "--hidden",
        "32",
        "--activation",
        "tanh",
        "--optimizer",
        "adam:lr=0.003",
        "--epochs",
        "30",
        "--seed",
        "0",
    ];
    let output = gradscape(&args);
    let text = succeeded(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 31);
    let last: Vec<f64> = lines[30].split(',').map(|v| v.parse().unwrap()).collect();
    assert!(last[7] >= 0.95, "validation accuracy {}", last[7]);
    // 1797 digits, a fifth held out: 1438 to train on in batches of 10.
    assert_eq!(lines[1].split(',').nth(1), Some("144"));
    // The README's CSV under the same command: its header, first epochs and last one.
    let readme = include_str!("../../README.md");
    let command = readme
        .find("train --dataset digits --hidden 32")
        .expect("the README shows the digits' command");
    let block = &readme[command..];
    let start = block.find("```csv\n").expect("and its CSV") + "```csv\n".len();
    let shown: Vec<&str> = block[start..]
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .filter(|l| *l != "…")
        .collect();
    assert!(shown.len() >= 3 && shown[0] == lines[0]);
    for row in &shown[1..] {
        let epoch: usize = row.split(',').next().unwrap().parse().unwrap();
        assert_eq!(*row, lines[epoch], "epoch {epoch}");
    }
    assert_eq!(shown.last(), lines.last());
}

/// `lr-range` as the README shows it: one row per rate, the loss after the updates
/// from the same initial weights, `inf` for the run that diverged; each row the core's
/// range test at that rate, and the README's block exactly what it prints.
#[test]
fn lr_range_prints_each_rate_s_loss_as_the_readme_shows() {
    let args = [
        "lr-range",
        "--dataset",
        "curve",
        "--activation",
        "relu",
        "--optimizer",
        "sgd",
        "--from",
        "0.001",
        "--to",
        "10",
        "--points",
        "5",
    ];
    let text = succeeded(&gradscape(&args));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "lr,loss");
    assert_eq!(lines.len(), 6);
    let setup: gradscape::nn::setup::Setup =
        serde_json::from_str(r#"{"dataset": "curve", "activation": "relu", "optimizer": "sgd"}"#)
            .unwrap();
    let runs = gradscape::nn::lr_range::RangeRuns::of_setup(&setup).unwrap();
    for (line, rate) in lines[1..].iter().zip([1e-3, 1e-2, 0.1, 1.0, 10.0]) {
        let (lr, loss) = line.split_once(',').unwrap();
        assert_eq!(lr.parse::<f64>().unwrap(), rate);
        let expected = runs.loss_at(rate, 300).unwrap();
        if expected.is_finite() {
            assert_eq!(loss.parse::<f64>().unwrap(), expected, "{line}");
        } else {
            assert_eq!(loss, "inf");
        }
    }
    assert_eq!(lines[5], "10,inf");
    let readme = include_str!("../../README.md");
    let command = readme
        .find("lr-range --dataset curve --activation relu")
        .expect("the README shows the command");
    let block = &readme[command..];
    let start = block.find("```csv\n").expect("and its CSV") + "```csv\n".len();
    let shown: Vec<&str> = block[start..]
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .collect();
    assert_eq!(shown, lines);
}

/// The JSON block of the README that follows `` `name`: ``.
fn readme_json(name: &str) -> &'static str {
    let readme = include_str!("../../README.md");
    let at = readme
        .find(&format!("`{name}`:\n\n```json\n"))
        .unwrap_or_else(|| panic!("the README shows {name}"));
    let block = &readme[at..];
    let start = block.find("```json\n").unwrap() + "```json\n".len();
    let end = start + block[start..].find("```").unwrap();
    &block[start..end]
}

/// The CSV block of the README after the command that contains `command`.
fn readme_csv(command: &str) -> Vec<&'static str> {
    let readme = include_str!("../../README.md");
    let at = readme
        .find(command)
        .unwrap_or_else(|| panic!("the README shows {command}"));
    let block = &readme[at..];
    let start = block.find("```csv\n").expect("and its CSV") + "```csv\n".len();
    block[start..]
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .collect()
}

/// The `loss` that `backprop` prints for a model and data given as JSON text.
fn backprop_loss(model: &str, data: &str) -> f64 {
    let output = backprop(model.as_bytes(), data.as_bytes());
    let json: serde_json::Value = serde_json::from_str(&succeeded(&output)).unwrap();
    json["loss"].as_f64().unwrap()
}

/// `slice` as the README shows it, each row the loss `backprop` prints for the model
/// whose weight W⁰[0,0] and bias b¹[0] were moved by a and b in its JSON.
#[test]
fn slice_prints_the_loss_backprop_reports_at_the_shifted_weights() {
    let (model, data) = (readme_json("xor.json"), readme_json("xor-data.json"));
    let files = [
        support::temp("xor.json", model.as_bytes()),
        support::temp("xor-data.json", data.as_bytes()),
    ];
    let [model_path, data_path] = files.each_ref().map(|f| f.to_str().unwrap());
    let args = [
        "slice", "--model", model_path, "--data", data_path, "--dir1", "W0[0,0]", "--dir2",
        "b1[0]", "--span", "2", "--grid", "3",
    ];
    let text = succeeded(&gradscape(&args));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10);
    assert_eq!(lines[0], "a,b,loss");
    let json: serde_json::Value = serde_json::from_str(model).unwrap();
    for line in &lines[1..] {
        let row: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        let (a, b, loss) = (row[0], row[1], row[2]);
        let mut moved = json.clone();
        let w = &mut moved["layers"][0]["W"][0][0];
        *w = (w.as_f64().unwrap() + a).into();
        let bias = &mut moved["layers"][1]["b"][0];
        *bias = (bias.as_f64().unwrap() + b).into();
        assert_eq!(loss, backprop_loss(&moved.to_string(), data), "{line}");
    }
    // a varying fastest, b from −span up, the model itself at the centre
    let points: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.rsplit_once(',').unwrap().0)
        .collect();
    assert_eq!(
        points,
        ["-2,-2", "0,-2", "2,-2", "-2,0", "0,0", "2,0", "-2,2", "0,2", "2,2"]
    );
    assert_eq!(readme_csv("slice --model xor.json"), lines);
    // a random direction's plane has the model at its centre too
    let random = [
        "slice",
        "--model",
        model_path,
        "--data",
        data_path,
        "--dir1",
        "random:seed=1",
        "--dir2",
        "random:seed=2",
        "--span",
        "1,0.5",
        "--grid",
        "5",
    ];
    let text = succeeded(&gradscape(&random));
    let centre = text.lines().nth(13).unwrap();
    assert_eq!(
        centre,
        format!(
            "0,0,{}",
            gradscape::text::number(backprop_loss(model, data))
        )
    );
    for file in files {
        std::fs::remove_file(file).unwrap();
    }
}

/// `interpolate` as the README shows it: t = 0 and t = 1 are the two models, each row
/// the loss of its weights (1 − t)θ₀ + tθ₁.
#[test]
fn interpolate_prints_the_loss_and_accuracy_along_the_line() {
    let (to, from, data) = (
        readme_json("xor.json"),
        readme_json("zero.json"),
        readme_json("xor-data.json"),
    );
    let files = [
        support::temp("zero.json", from.as_bytes()),
        support::temp("xor.json", to.as_bytes()),
        support::temp("xor-data.json", data.as_bytes()),
    ];
    let [from_path, to_path, data_path] = files.each_ref().map(|f| f.to_str().unwrap());
    let args = [
        "interpolate",
        "--from",
        from_path,
        "--to",
        to_path,
        "--data",
        data_path,
        "--steps",
        "5",
    ];
    let text = succeeded(&gradscape(&args));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "t,loss,accuracy");
    let ts: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ts, ["-0.5", "0", "0.5", "1", "1.5"]);
    let loss = |line: &str| line.split(',').nth(1).unwrap().parse::<f64>().unwrap();
    assert_eq!(loss(lines[2]), backprop_loss(from, data));
    assert_eq!(loss(lines[4]), backprop_loss(to, data));
    // t = 1.5: every weight 1.5 times the trained one (the zero model adds nothing)
    let json: serde_json::Value = serde_json::from_str(to).unwrap();
    let mut scaled = json.clone();
    for layer in scaled["layers"].as_array_mut().unwrap() {
        for key in ["W", "b"] {
            let values = scale(&layer[key], 1.5);
            layer[key] = values;
        }
    }
    assert_eq!(loss(lines[5]), backprop_loss(&scaled.to_string(), data));
    assert_eq!(readme_csv("interpolate --from zero.json"), lines);
    for file in files {
        std::fs::remove_file(file).unwrap();
    }
}

/// Every number of a JSON array (of arrays) times `factor`.
fn scale(value: &serde_json::Value, factor: f64) -> serde_json::Value {
    match value {
        serde_json::Value::Array(items) => items.iter().map(|v| scale(v, factor)).collect(),
        v => (v.as_f64().unwrap() * factor).into(),
    }
}

#[test]
fn interpolate_leaves_the_accuracy_of_a_regression_empty() {
    let model = r#"{"layers": [{"W": [[1.5]], "b": [0.5], "activation": "identity"}]}"#;
    let data = r#"{"X": [[0], [1], [2]], "y": [1, 2, 2.5]}"#;
    let files = [
        support::temp("line.json", model.as_bytes()),
        support::temp("points.json", data.as_bytes()),
    ];
    let [model_path, data_path] = files.each_ref().map(|f| f.to_str().unwrap());
    let args = [
        "interpolate",
        "--from",
        model_path,
        "--to",
        model_path,
        "--data",
        data_path,
        "--steps",
        "2",
    ];
    let text = succeeded(&gradscape(&args));
    let loss = backprop_loss(model, data);
    let row = |t: &str| format!("{t},{},", gradscape::text::number(loss));
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        ["t,loss,accuracy", &row("-0.5"), &row("1.5")]
    );
    for file in files {
        std::fs::remove_file(file).unwrap();
    }
}
