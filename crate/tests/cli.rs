//! The native CLI as a user runs it.

use std::process::Output;

mod support;

use support::{backprop, gradscape};

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

mod reference;

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

#[test]
fn list_names_every_surface_and_optimizer() {
    let text = stdout(&gradscape(&["list"]));
    for id in [
        "quadratic",
        "long-valley",
        "rastrigin",
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
    let out = std::env::temp_dir().join(format!("gradscape-{}.svg", std::process::id()));
    let output = gradscape(&[
        "render",
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
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
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
fn render_with_a_camera_draws_the_surface_in_3d_with_the_paths_on_it() {
    let out = std::env::temp_dir().join(format!("gradscape-3d-{}.svg", std::process::id()));
    let output = gradscape(&[
        "render",
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
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
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
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
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
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
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
