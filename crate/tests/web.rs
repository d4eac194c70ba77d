//! The wasm boundary in headless Chromium: the same numbers as native, bit for bit,
//! and errors as JS exceptions with the core's message.
#![cfg(all(
    target_arch = "wasm32",
    feature = "optimizer-views",
    feature = "network-lab"
))]

mod determinism;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn browser_runs_match_native_runs_bit_for_bit() {
    let lines = determinism::lines();
    let fixture: Vec<&str> = determinism::FIXTURE.lines().collect();
    assert_eq!(lines.len(), fixture.len());
    for (got, want) in lines.iter().zip(fixture) {
        assert_eq!(got, want);
    }
}

#[wasm_bindgen_test]
fn the_boundary_returns_flat_points_and_a_status() {
    // Booth's Hessian has eigenvalues 2 and 18: η = 0.05 contracts every direction, and
    // the iterates are within the default tolerance 0.01 of (1, 3) from step 4 on.
    let t = gradscape::web::trace("booth", "sgd:lr=0.05", -8.0, -6.0, 10).unwrap();
    let points = t.points();
    assert_eq!(points.len(), 33);
    let distance = |k: usize| (points[3 * k] - 1.0).hypot(points[3 * k + 1] - 3.0);
    assert!(distance(3) > 0.01 && (4..=10).all(|k| distance(k) <= 0.01));
    assert_eq!((t.status(), t.step()), ("converged".to_string(), 4));
    let t = gradscape::web::trace("booth", "sgd:lr=0.05", -8.0, -6.0, 2).unwrap();
    assert_eq!((t.status(), t.step()), ("running".to_string(), 2));
    let t = gradscape::web::trace("saddle", "sgd:lr=10", 0.5, 0.5, 100).unwrap();
    assert_eq!(t.status(), "diverged");
    assert!(t.points().iter().all(|v| v.is_finite()));
}

#[wasm_bindgen_test]
fn bad_specs_become_errors_not_panics() {
    assert!(gradscape::web::trace("booth", "sgd:lr=-1", 0.0, 0.0, 10).is_err());
    assert!(gradscape::web::trace("nowhere", "sgd", 0.0, 0.0, 10).is_err());
    assert!(gradscape::web::trace("booth", "sgd", f64::NAN, 0.0, 10).is_err());
}

/// A canvas of `width` × `height` pixels, not in the page.
fn canvas(width: u32, height: u32) -> web_sys::HtmlCanvasElement {
    use wasm_bindgen::JsCast;
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(width);
    canvas.set_height(height);
    canvas
}

fn json(text: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(text).unwrap()
}

/// Sizes a canvas may have while the page lays out, or in a collapsed embed.
const SIZES: [(u32, u32); 4] = [(0, 0), (1, 1), (3, 200), (640, 2)];

/// Every entry point of the optimizer lab with nothing to draw, nothing shown, and
/// degenerate numbers: errors where the input is bad, never a panic.
#[wasm_bindgen_test]
fn the_optimizer_lab_never_panics() {
    use gradscape::web::OptimizerLab;
    let mut lab = OptimizerLab::new();
    for settings in [
        r#"{"optimizers": []}"#,
        r#"{"optimizers": [{"id": "sgd", "enabled": false}]}"#,
        r#"{"surface": {"id": "saddle"}, "steps": 1, "optimizers": [{"id": "sgd", "params": {"lr": 10}}]}"#,
    ] {
        lab.set_state(json(settings)).unwrap();
        for (width, height) in SIZES {
            let (background, paths, chart) = (
                canvas(width, height),
                canvas(width, height),
                canvas(width, height),
            );
            for ratio in [0.0, 1.0, f64::NAN, 1e9] {
                lab.draw_background(&background, ratio).unwrap();
                lab.draw_chart(&chart, ratio, usize::MAX, i32::MAX).unwrap();
                lab.draw_chart(&chart, ratio, 0, -1).unwrap();
            }
            lab.draw_paths(&paths, usize::MAX, 0, 0, vec![]).unwrap();
            lab.draw_paths(&paths, 0, i32::MAX, i32::MAX, vec!["a".into(); 40])
                .unwrap();
            for ratio in [0.0, 1.0, f64::NAN, 1e9] {
                lab.draw_surface3d(&paths, ratio, usize::MAX, 1e300, -1e300, vec![])
                    .unwrap();
                lab.draw_surface3d(&paths, ratio, 0, -35.0, 35.0, vec!["a".into(); 40])
                    .unwrap();
            }
            assert!(lab
                .draw_surface3d(&paths, 1.0, 0, f64::NAN, 35.0, vec![])
                .is_err());
            assert!(lab.nearest(f64::NAN, f64::INFINITY, 1e9, usize::MAX).len() <= 2);
            let _ = lab.point_at(f64::NAN, -1e300);
            assert_eq!(lab.chart_step_at(f64::NAN), -1);
        }
        let _ = lab.svg(0, u32::MAX, vec![]).unwrap();
        let _ = lab.svg3d(0, u32::MAX, 400.0, 90.0, vec![]).unwrap();
        assert!(lab.svg3d(100, 100, 0.0, f64::INFINITY, vec![]).is_err());
        let _ = lab.csv(vec![]);
        let _ = lab.export(vec![], "").unwrap();
        assert!(lab.iterates(9999).is_empty());
        let _ = lab.longest();
        let _ = lab.statuses().unwrap();
    }
    assert!(lab.set_optimizer(9999, json(r#"{"id": "sgd"}"#)).is_err());
    assert!(lab
        .set_optimizer(0, json(r#"{"id": "sgd", "params": {"lr": "x"}}"#))
        .is_err());
    assert!(lab.set_optimizers(json(r#"[{"id": "nowhere"}]"#)).is_err());
    assert!(lab.set_optimizers(json("null")).is_err());
    assert!(lab.set_state(json(r#"{"surface": 3}"#)).is_err());
    assert!(lab
        .set_surface(json(r#"{"id": "quadratic", "params": {"lambda1": 0}}"#))
        .is_err());
    assert!(lab.set_view(f64::NAN, 1.0, 0.0, 1.0).is_err());
    assert!(lab.set_start(f64::INFINITY, 0.0).is_err());
    assert!(lab.set_steps(0).is_err());
    assert!(lab.set_noise(-1.0, u64::MAX).is_err());
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e300] {
        assert!(lab.set_tolerance(bad).is_err());
    }
}

/// Tuning crosses as `[{index, id, best, curve}]` with a diverged run's loss `null`, the
/// same numbers as native; a bad grid is an error naming the valid range.
#[wasm_bindgen_test]
fn tune_crosses_with_null_for_a_diverged_run() {
    use gradscape::web::OptimizerLab;
    let mut lab = OptimizerLab::new();
    lab.set_state(json(
        r#"{"surface": "quadratic", "steps": 100,
            "optimizers": ["sgd", {"id": "adam", "enabled": false}, "momentum"]}"#,
    ))
    .unwrap();
    let tuned: serde_json::Value =
        serde_wasm_bindgen::from_value(lab.tune(1e-3, 10.0, 9).unwrap()).unwrap();
    let rows = tuned.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (&rows[0]["index"], &rows[0]["id"]),
        (&0.into(), &"sgd".into())
    );
    assert_eq!(
        (&rows[1]["index"], &rows[1]["id"]),
        (&2.into(), &"momentum".into())
    );
    let curve = rows[0]["curve"].as_array().unwrap();
    assert_eq!(curve.len(), 9);
    assert!(curve[8][1].is_null(), "η = 10 diverges on ½(x² + 10y²)");
    let surface = gradscape::surface::from_spec(&gradscape::Spec::named("quadratic")).unwrap();
    let grid = gradscape::tune::Grid::new(1e-3, 10.0, 9).unwrap();
    let native = gradscape::tune::tune(
        surface.as_ref(),
        &gradscape::Spec::named("sgd"),
        surface.start(),
        100,
        &grid,
    )
    .unwrap();
    let (lr, loss) = native.best.unwrap();
    assert_eq!(rows[0]["best"], serde_json::json!({"lr": lr, "loss": loss}));
    let chart = canvas(400, 240);
    lab.draw_tune_chart(&chart, 1.0, 1e-3, 10.0, 9).unwrap();
    for (from, to, points) in [
        (1.0, 1.0, 9),
        (f64::NAN, 1.0, 9),
        (1e-3, 1.0, 0),
        (1e-3, 1.0, 1_000_000),
    ] {
        assert!(lab.tune(from, to, points).is_err());
        assert!(lab.draw_tune_chart(&chart, 1.0, from, to, points).is_err());
    }
}

/// A cloud fills in over calls, its run 0 is the main run, and it draws and exports.
#[wasm_bindgen_test]
fn a_cloud_fills_in_and_draws() {
    use gradscape::web::OptimizerLab;
    let info = |lab: &OptimizerLab| -> serde_json::Value {
        serde_wasm_bindgen::from_value(lab.cloud_info().unwrap()).unwrap()
    };
    let mut lab = OptimizerLab::new();
    let opened = lab
        .set_state(json(
            r#"{"surface": "banana", "steps": 50, "noise": 1, "seed": 3, "cloud": 4,
                "optimizers": ["sgd:lr=0.002", "adam:lr=0.03"]}"#,
        ))
        .unwrap();
    let opened: serde_json::Value = serde_wasm_bindgen::from_value(opened).unwrap();
    assert_eq!(opened["settings"]["cloud"], 4);
    assert_eq!(
        info(&lab),
        serde_json::json!({"runs": 4, "computed": 0, "done": false})
    );
    assert!(!lab.cloud_refine(3).unwrap());
    assert!(lab.cloud_refine(100).unwrap());
    assert_eq!(
        info(&lab),
        serde_json::json!({"runs": 4, "computed": 4, "done": true})
    );
    let csv = lab.cloud_csv();
    assert_eq!(csv.lines().count(), 1 + 2 * 4 * 51);
    // Run 0 of sgd, row by row, is the main run's CSV.
    let main: Vec<String> = lab
        .csv(vec![])
        .lines()
        .skip(1)
        .take(51)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            format!("{},0,{}", cells[0], cells[2..].join(","))
        })
        .collect();
    let run0: Vec<&str> = csv.lines().skip(1).take(51).collect();
    assert_eq!(run0, main);
    let (background, paths, chart) = (canvas(300, 200), canvas(300, 200), canvas(300, 200));
    lab.draw_background(&background, 1.0).unwrap();
    lab.draw_paths(&paths, usize::MAX, -1, -1, vec![]).unwrap();
    lab.draw_paths(&paths, 10, -1, -1, vec![]).unwrap();
    lab.draw_chart(&chart, 1.0, usize::MAX, -1).unwrap();
    assert!(lab.set_cloud(101).is_err());
    lab.set_cloud(0).unwrap();
    assert_eq!(
        info(&lab),
        serde_json::json!({"runs": 0, "computed": 0, "done": true})
    );
}

/// Each run's outcome crosses with its loss, distance and minimum, judged with the
/// tolerance of the link or of `set_tolerance`.
#[wasm_bindgen_test]
fn statuses_say_each_outcome_with_the_tolerance_set() {
    use gradscape::web::OptimizerLab;
    let status = |lab: &OptimizerLab| -> serde_json::Value {
        serde_wasm_bindgen::from_value(lab.statuses().unwrap()).unwrap()
    };
    let mut lab = OptimizerLab::new();
    let opened = lab
        .set_state(json(
            r#"{"surface": "quadratic", "start": [-2.5, 2], "steps": 200, "tolerance": 0.001,
                "optimizers": ["sgd:lr=0.1"]}"#,
        ))
        .unwrap();
    let opened: serde_json::Value = serde_wasm_bindgen::from_value(opened).unwrap();
    assert_eq!(opened["settings"]["tolerance"], 0.001);
    let s = &status(&lab)[0];
    assert_eq!((&s["kind"], &s["step"]), (&"converged".into(), &75.into()));
    assert_eq!(s["iterates"], 201);
    // JavaScript's numbers cross back as integers where they are whole.
    assert_eq!(s["minimum"], serde_json::json!([0, 0]));
    assert!(s["distance"].as_f64().unwrap() < 1e-3 && s["loss"].as_f64().unwrap() < 1e-6);
    lab.set_tolerance(0.01).unwrap();
    assert_eq!(status(&lab)[0]["step"], 53);
    lab.set_state(json(
        r#"{"surface": "saddle", "optimizers": ["sgd:lr=0.01"]}"#,
    ))
    .unwrap();
    let s = &status(&lab)[0];
    assert!(s["distance"].is_null() && s["minimum"].is_null());
    // null, not undefined: the page can tell "no minimum" from a missing field.
    let first = js_sys::Reflect::get(&lab.statuses().unwrap(), &0.into()).unwrap();
    for key in ["distance", "minimum"] {
        assert!(js_sys::Reflect::get(&first, &key.into()).unwrap().is_null());
    }
}

/// The rate map through the boundary: the info object, coarse-to-fine refinement, the
/// same numbers as native, a restart when the lab changes, and errors for bad input.
#[wasm_bindgen_test]
fn the_rate_map_fills_coarse_to_fine_with_the_native_numbers() {
    use gradscape::rates::{Accelerated, RateMap, RateSetup, Run};
    use gradscape::web::OptimizerLab;
    let value = |v: wasm_bindgen::JsValue| -> serde_json::Value {
        serde_wasm_bindgen::from_value(v).unwrap()
    };
    let mut lab = OptimizerLab::new();
    assert!(lab.rate_map_refine(1).is_err());
    assert!(lab.rate_map_info().is_err());
    assert!(lab.rate_map_at(10.0, 10.0).is_empty());
    lab.set_state(json(
        r#"{"surface": "quadratic", "steps": 100, "optimizers": []}"#,
    ))
    .unwrap();
    let info = value(lab.rate_map_start("momentum", false, 32, 24).unwrap());
    assert_eq!(info["method"], "momentum");
    assert_eq!(
        (&info["empirical"], &info["done"]),
        (&false.into(), &false.into())
    );
    assert_eq!(
        (&info["columns"], &info["rows"], &info["computed"]),
        (&32.into(), &24.into(), &0.into())
    );
    assert_eq!(info["momentum"], serde_json::json!([0, 0.99]));
    assert!(info["measure"]
        .as_str()
        .unwrap()
        .contains("spectral radius"));
    let rate = info["optimum"]["rate"].as_f64().unwrap();
    // κ = 10: (√κ − 1)/(√κ + 1).
    assert!((rate - (10f64.sqrt() - 1.0) / (10f64.sqrt() + 1.0)).abs() < 1e-12);
    // 32 × 24 cells: a stride of 2 gives 16 × 12 coarse cells.
    assert!(!lab.rate_map_refine(16 * 12).unwrap());
    let map = canvas(480, 320);
    lab.draw_rate_map(&map, 1.0).unwrap();
    lab.draw_rate_marker(&canvas(480, 320), 0.05, 0.5).unwrap();
    let context: web_sys::CanvasRenderingContext2d = {
        use wasm_bindgen::JsCast;
        map.get_context("2d").unwrap().unwrap().dyn_into().unwrap()
    };
    // Every pixel of the plot is painted by the coarse cells.
    let pixels = context
        .get_image_data(70.0, 20.0, 300.0, 200.0)
        .unwrap()
        .data();
    assert!(pixels.chunks_exact(4).all(|p| p[3] == 255));
    assert!(lab.rate_map_refine(10_000).unwrap());
    let native = {
        let mut m = RateMap::new(RateSetup {
            surface: gradscape::Spec::named("quadratic"),
            method: Accelerated::Momentum,
            empirical: false,
            run: Run {
                start: [-2.5, 2.0],
                steps: 100,
                noise: Default::default(),
            },
            columns: 32,
            rows: 24,
            lr: None,
            momentum: None,
        })
        .unwrap();
        m.refine(usize::MAX);
        m.csv()
    };
    assert_eq!(lab.rate_map_csv(), native);
    let point = lab.rate_map_at(200.0, 100.0);
    assert_eq!(point.len(), 2);
    assert!(lab.rate_map_at(1.0, 1.0).is_empty());
    assert!(lab
        .rate_map_svg(480, 320, 0.05, 0.5)
        .unwrap()
        .contains("learning rate η"));
    // The lab changes: the next refine starts over, measured from runs off a quadratic.
    lab.set_surface(json(r#"{"id": "rosenbrock"}"#)).unwrap();
    assert!(!lab.rate_map_refine(1).unwrap());
    let info = value(lab.rate_map_info().unwrap());
    assert_eq!(
        (&info["empirical"], &info["computed"]),
        (&true.into(), &1.into())
    );
    assert!(info["optimum"].is_null());
    for (width, height) in SIZES {
        lab.draw_rate_map(&canvas(width, height), f64::NAN).unwrap();
        lab.draw_rate_marker(&canvas(width, height), f64::NAN, f64::INFINITY)
            .unwrap();
    }
    assert!(lab.rate_map_start("adam", false, 8, 8).is_err());
    for (columns, rows) in [(0, 0), (1000, 1000), (1, 8)] {
        assert!(lab
            .rate_map_start("nesterov", false, columns, rows)
            .is_err());
    }
}

/// A typed formula through `set_surface`: its critical points come back, a mistake is
/// thrown with its position and changes nothing, the link holds the formula as text,
/// and nesting that would overflow a recursive parser is refused on wasm's stack.
#[wasm_bindgen_test]
fn a_formula_crosses_as_text_and_a_mistake_as_its_position() {
    use gradscape::web::OptimizerLab;
    let value = |v: wasm_bindgen::JsValue| -> serde_json::Value {
        serde_wasm_bindgen::from_value(v).unwrap()
    };
    let message = |e: wasm_bindgen::JsError| {
        js_sys::Error::from(wasm_bindgen::JsValue::from(e))
            .message()
            .as_string()
            .unwrap()
    };
    let mut lab = OptimizerLab::new();
    let info = value(
        lab.set_surface(json(
            r#"{"id": "formula", "params": {"f": "(1-x)^2+100*(y-x^2)^2"}}"#,
        ))
        .unwrap(),
    );
    assert_eq!(
        info["critical_points"][0]["point"],
        serde_json::json!([1, 1])
    );
    assert_eq!(info["start"], serde_json::json!([-2, 2]));
    let before = value(lab.settings().unwrap());
    assert_eq!(
        before["surface"],
        serde_json::json!({"id": "formula", "params": {"f": "(1-x)^2+100*(y-x^2)^2"}})
    );
    let error = lab
        .set_surface(json(r#"{"id": "formula", "params": {"f": "(1-x"}}"#))
        .unwrap_err();
    assert_eq!(message(error), "at 5: expected ')' to close the '(' at 1");
    assert_eq!(value(lab.settings().unwrap()), before);
    let deep = format!("{}x{}", "(".repeat(1000), ")".repeat(1000));
    let spec = serde_json::json!({"id": "formula", "params": {"f": deep}});
    let error = lab.set_surface(json(&spec.to_string())).unwrap_err();
    assert_eq!(
        message(error),
        "the formula nests more than 200 levels deep"
    );
    for (width, height) in SIZES {
        lab.draw_background(&canvas(width, height), 1.0).unwrap();
    }
}

/// The same for the network lab.
#[wasm_bindgen_test]
fn the_network_lab_never_panics() {
    use gradscape::web::{check_setup, NetworkLab};
    assert!(NetworkLab::open(json("null")).is_err());
    assert!(check_setup(json("7")).is_err());
    for setup in [
        "{}",
        r#"{"dataset": "curve:n=4"}"#,
        r#"{"dataset": "blobs:n=4,k=8", "hidden": [], "batch": 500, "validation": 0.5}"#,
        r#"{"dataset": "xor:n=9999999", "hidden": [0, 99], "l2": -1, "init": "zero"}"#,
        r#"{"dataset": "noisy-curve:n=5", "output": "gaussian", "hidden": []}"#,
        r#"{"dataset": "two-branches:n=7", "output": "mdn:k=8", "batch": 500}"#,
        r#"{"dataset": "two-branches", "output": "mdn:k=0", "init": "normal:20"}"#,
        r#"{"dataset": "moons:n=40", "distort": [[1e6, -1e6], [-1e-6, 1e6]], "normalize": "quantile-normal"}"#,
        r#"{"dataset": "curve:n=9", "distort": [[-3, 1]], "normalize": "standard"}"#,
        r#"{"distort": [[0, 1]], "normalize": "minmax"}"#,
    ] {
        let mut lab = NetworkLab::open(json(setup)).unwrap();
        for _ in 0..50 {
            lab.work();
        }
        lab.train(3);
        for (width, height) in SIZES {
            let (map, points, scratch) =
                (canvas(width, height), canvas(width, height), canvas(0, 0));
            for ratio in [0.0, 1.0, f64::NAN, 1e9] {
                lab.draw_map(&map, &scratch, ratio).unwrap();
                lab.draw_network(&map, &scratch, ratio).unwrap();
                lab.draw_curves(&map, ratio).unwrap();
                lab.draw_activation(&map, ratio, 1).unwrap();
                lab.draw_softmax(&map, ratio, 0).unwrap();
                lab.draw_pass(&map, ratio, 0, 0).unwrap();
                lab.draw_inside(&map, ratio).unwrap();
            }
            lab.draw_points(&points, i32::MAX).unwrap();
            lab.draw_points(&points, 0).unwrap();
            assert!(lab.nearest_point(f64::NAN, 0.0, f64::INFINITY) >= -1);
            let _ = lab.point_at(f64::NAN, f64::NEG_INFINITY);
            assert!(lab.pixel_of_point(usize::MAX).is_empty());
        }
        assert!(lab.add_point(f64::NAN, 0.0, 0).is_err());
        assert!(lab.add_point(0.0, 0.0, 99).is_err());
        assert!(lab.inspect(usize::MAX).is_err());
        let _ = lab.inspect(0).unwrap();
        // The slides' panels: every stage of backprop draws, one past the last is an
        // error, as is a point that does not exist or a layer that is not hidden.
        let panel = canvas(300, 200);
        let stages: Vec<String> =
            serde_wasm_bindgen::from_value(lab.pass_stages(0).unwrap()).unwrap();
        for stage in 0..stages.len() {
            lab.draw_pass(&panel, 1.0, 0, stage).unwrap();
        }
        assert!(lab.draw_pass(&panel, 1.0, 0, stages.len()).is_err());
        assert!(lab.draw_pass(&panel, 1.0, usize::MAX, 0).is_err());
        assert!(lab.pass_stages(usize::MAX).is_err());
        assert!(lab.draw_softmax(&panel, 1.0, usize::MAX).is_err());
        let hidden = !lab.pre_activations(1).unwrap().is_undefined();
        assert_eq!(lab.draw_activation(&panel, 1.0, 0).is_err(), hidden);
        assert_eq!(lab.pre_activations(usize::MAX).is_err(), hidden);
        // Epoch 0 has no ratio yet: null, not undefined.
        let history: serde_json::Value =
            serde_wasm_bindgen::from_value(lab.layer_history().unwrap()).unwrap();
        let initial = &history["epochs"][0]["layers"][0];
        assert_eq!(initial.get("ratio"), Some(&serde_json::Value::Null));
        assert!(history["layers"][0]["weights"].is_string());
        assert!(lab.watched().unwrap().is_null());
        let _ = lab.gradient_check().unwrap();
        let _ = lab.status().unwrap();
        let _ = lab.history().unwrap();
        let _ = lab.data_csv();
        assert!(lab.load_model(json(r#"{"layers": []}"#)).is_err());
        assert!(lab.load_model(json("7")).is_err());
        let model = lab.model().unwrap();
        lab.load_model(model).unwrap();
        let _ = lab.setup().unwrap();
        let _ = lab.problems().unwrap();
    }
}

/// Runs side by side through the boundary: opened from an array, listed with their
/// labels, colours and statuses, trained in lockstep, drawn at every size; bad numbers
/// are errors, never a panic.
#[wasm_bindgen_test]
fn runs_side_by_side_never_panic() {
    use gradscape::web::{run_colours, NetworkLab};
    assert!(NetworkLab::open_runs(json("[]"), 0).is_err());
    assert!(NetworkLab::open_runs(json("[{}, {}, {}, {}, {}, {}, {}]"), 0).is_err());
    assert!(NetworkLab::open_runs(json("[{}]"), 1).is_err());
    assert!(NetworkLab::open_runs(json("{}"), 0).is_err());
    let setups = r#"[{"dataset": "moons:n=60", "hidden": [4]},
        {"dataset": "moons:n=60", "hidden": [4], "seed": 2},
        {"dataset": "circles", "hidden": [4], "optimizer": "sgd:lr=0.3", "schedule": "step:every=2"}]"#;
    let mut lab = NetworkLab::open_runs(json(setups), 2).unwrap();
    let problems: serde_json::Value =
        serde_wasm_bindgen::from_value(lab.run_problems().unwrap()).unwrap();
    assert_eq!(problems[0]["run"], 2);
    assert_eq!(problems[0]["field"], "dataset");
    let current: serde_json::Value =
        serde_wasm_bindgen::from_value(lab.problems().unwrap()).unwrap();
    assert_eq!(current[0]["field"], "dataset");
    lab.set_paused(1, true).unwrap();
    for _ in 0..50 {
        lab.work();
    }
    // 50 steps: a slice of the initial weights' evaluation, then 7 epochs of 5 updates
    // and 2 slices of evaluation; the next 12 updates end the current run's 8th and 9th.
    assert_eq!(lab.train(12), 2);
    let runs: serde_json::Value = serde_wasm_bindgen::from_value(lab.runs().unwrap()).unwrap();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[0]["label"], "Adam, η = 0.01; constant η; seed 0");
    assert_eq!(runs[2]["label"], "SGD, η = 0.3; step schedule every 2 ×0.5");
    assert_eq!(runs[1]["colour"], run_colours()[1].as_str());
    assert_eq!(
        (&runs[1]["paused"], &runs[2]["current"]),
        (&true.into(), &true.into())
    );
    assert_eq!(runs[1]["status"]["updates"], 0);
    assert!(runs[0]["status"]["updates"].as_u64().unwrap() > 12);
    let setups: serde_json::Value =
        serde_wasm_bindgen::from_value(lab.run_setups().unwrap()).unwrap();
    assert_eq!(setups[2]["dataset"]["id"], "moons");
    for (width, height) in SIZES {
        let (chart, map, scratch) = (canvas(width, height), canvas(width, height), canvas(0, 0));
        for ratio in [0.0, 1.0, f64::NAN, 1e9] {
            lab.draw_curves(&chart, ratio).unwrap();
            lab.draw_learning_rates(&chart, ratio).unwrap();
            lab.draw_map(&map, &scratch, ratio).unwrap();
        }
    }
    assert!(lab.set_current(3).is_err() && lab.set_paused(3, false).is_err());
    assert!(lab.remove_run(3).is_err());
    lab.set_current(0).unwrap();
    lab.remove_run(0).unwrap();
    lab.remove_run(1).unwrap();
    assert!(lab.remove_run(0).is_err());
    lab.add_point(0.0, 0.0, 1).unwrap();
    let _ = lab.status().unwrap();
}

/// The digits: a setup with them has a problem until the page loads the file; then
/// every view draws at every size without a panic, a click finds its digit, the
/// inspector takes it, and a malformed file is an error saying what is wrong.
#[wasm_bindgen_test]
fn the_digits_load_then_draw_and_answer_clicks() {
    use gradscape::web::{check_setup, load_digits, NetworkLab};
    let setup = json(r#"{"dataset": "digits", "hidden": [12], "batch": 32}"#);
    let problems: serde_json::Value =
        serde_wasm_bindgen::from_value(check_setup(setup.clone()).unwrap()).unwrap();
    assert_eq!(problems[0]["field"], "dataset");
    assert!(problems[0]["message"]
        .as_str()
        .unwrap()
        .contains("not loaded"));
    let file = include_bytes!("../data/digits.bin");
    assert!(load_digits(&file[..100]).is_err());
    load_digits(file).unwrap();
    load_digits(file).unwrap();
    let mut lab = NetworkLab::open(setup).unwrap();
    let status: serde_json::Value = serde_wasm_bindgen::from_value(lab.status().unwrap()).unwrap();
    assert_eq!(status["image"], serde_json::json!([8, 8]));
    assert_eq!(status["classes"], 10);
    lab.train(50);
    for (width, height) in SIZES {
        let (view, scratch) = (canvas(width, height), canvas(0, 0));
        for ratio in [0.0, 1.0, f64::NAN, 1e9] {
            lab.draw_digits(&view, &scratch, ratio, i32::MAX).unwrap();
            lab.draw_confusion(&view, ratio).unwrap();
            lab.draw_filters(&view, &scratch, ratio).unwrap();
            lab.draw_map(&view, &scratch, ratio).unwrap();
            lab.draw_network(&view, &scratch, ratio).unwrap();
        }
        lab.draw_points(&view, 0).unwrap();
        assert_eq!(lab.nearest_point(0.0, 0.0, f64::INFINITY), -1);
        assert_eq!(lab.digit_at(f64::NAN, 0.0), -1);
    }
    let (view, scratch) = (canvas(600, 400), canvas(0, 0));
    lab.draw_digits(&view, &scratch, 1.0, -1).unwrap();
    let train = status["train"].as_u64().unwrap() as i32;
    // The title band, then the first digit's cell.
    assert_eq!(lab.digit_at(300.0, 5.0), -1);
    assert_eq!(lab.digit_at(20.0, 40.0), train);
    let inspection: serde_json::Value =
        serde_wasm_bindgen::from_value(lab.inspect(train as usize).unwrap()).unwrap();
    assert_eq!(inspection["x"].as_array().unwrap().len(), 64);
    assert!(lab.inspect(1797).is_err());
    lab.draw_pass(&view, 1.0, train as usize, 3).unwrap();
    lab.draw_softmax(&view, 1.0, train as usize).unwrap();
    lab.draw_activation(&view, 1.0, 1).unwrap();
    assert!(lab.add_point(0.0, 0.0, 0).is_err());
    // Loaded weights are predicted anew, though no update was made: all zero, every
    // digit is class 0 at 10%, and the grid says so.
    let grid = || {
        use wasm_bindgen::JsCast;
        let context: web_sys::CanvasRenderingContext2d =
            view.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
        context
            .get_image_data(0.0, 0.0, 600.0, 400.0)
            .unwrap()
            .data()
            .0
    };
    let trained = grid();
    let mut model: serde_json::Value =
        serde_wasm_bindgen::from_value(lab.model().unwrap()).unwrap();
    for layer in model["layers"].as_array_mut().unwrap() {
        for row in layer["W"].as_array_mut().unwrap() {
            row.as_array_mut()
                .unwrap()
                .iter_mut()
                .for_each(|w| *w = 0.into());
        }
        layer["b"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(|b| *b = 0.into());
    }
    lab.load_model(json(&model.to_string())).unwrap();
    lab.draw_digits(&view, &scratch, 1.0, -1).unwrap();
    assert_ne!(
        grid(),
        trained,
        "the grid shows the loaded weights' predictions"
    );
    // Other digits are refused once these are in use.
    let mut other = file.to_vec();
    other[16] = (other[16] + 1) % 10;
    assert!(load_digits(&other).is_err());
}

/// A step's anatomy, the local geometry and the eigen-error chart cross the boundary as
/// the page reads them: `null` where a method has no box or look-ahead, the same numbers
/// as native, errors for steps and optimizers that are not there.
#[wasm_bindgen_test]
fn a_step_s_anatomy_and_the_local_geometry_cross_with_nulls_and_errors() {
    use gradscape::web::OptimizerLab;
    let settings = r#"{"surface": "quadratic:lambda1=1,lambda2=10,angle=30", "start": [-2.5, 2],
        "steps": 30, "optimizers": ["nesterov:lr=0.02", "adam:lr=0.1", "sgd:lr=0.15",
        {"id": "momentum", "enabled": false}]}"#;
    let mut lab = OptimizerLab::new();
    lab.set_state(json(settings)).unwrap();
    let native =
        gradscape::lab::optimizers::OptimizerLab::open(&serde_json::from_str(settings).unwrap()).0;
    let get = |v: &wasm_bindgen::JsValue, key: &str| js_sys::Reflect::get(v, &key.into()).unwrap();
    let nesterov = lab.anatomy(0, 4).unwrap();
    let value: serde_json::Value = serde_wasm_bindgen::from_value(nesterov.clone()).unwrap();
    let expected = native.anatomy(0, 4).unwrap();
    assert_eq!(value["method"], "nesterov");
    assert_eq!(value["step"], 4);
    assert_eq!(value["theta"][0].as_f64().unwrap(), expected.theta[0]);
    assert_eq!(value["next"][1].as_f64().unwrap(), expected.next[1]);
    assert_eq!(
        value["look_ahead"][0].as_f64().unwrap(),
        expected.look_ahead.unwrap()[0]
    );
    assert_eq!(value["narration"], expected.narration.as_str());
    let names: Vec<&str> = value["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["∇L(θ − γm)", "γm", "η∇L(θ − γm)", "m"]);
    assert_eq!(value["terms"][3]["label"], "velocity m");
    assert!(get(&nesterov, "scale").is_null());
    let adam = lab.anatomy(1, 4).unwrap();
    assert!(get(&adam, "look_ahead").is_null());
    let adam: serde_json::Value = serde_wasm_bindgen::from_value(adam).unwrap();
    assert_eq!(adam["scale"].as_array().unwrap().len(), 2);
    assert!(lab.anatomy(0, 30).is_err());
    assert!(lab.anatomy(3, 0).is_err(), "momentum is not shown");
    assert!(lab.anatomy(9, 0).is_err());

    let geometry: serde_json::Value =
        serde_wasm_bindgen::from_value(lab.geometry_at(0.5, 0.5).unwrap()).unwrap();
    assert_eq!(geometry["definite"], "positive");
    assert!((geometry["condition"].as_f64().unwrap() - 10.0).abs() < 1e-12);
    assert_eq!(geometry["eigenvectors"].as_array().unwrap().len(), 2);
    assert!(lab.geometry_at(f64::NAN, 0.0).is_err());
    lab.set_surface(json(r#"{"id": "monkey-saddle"}"#)).unwrap();
    let flat = lab.geometry_at(0.0, 0.0).unwrap();
    assert!(get(&flat, "condition").is_null());
    assert_eq!(lab.eigen_error_csv(), "optimizer,step,u1,u2\n");

    lab.set_state(json(settings)).unwrap();
    assert_eq!(lab.eigen_error_csv(), native.eigen_error_csv());
    for (width, height) in SIZES.into_iter().chain([(600, 450)]) {
        let (surface, chart) = (canvas(width, height), canvas(width, height));
        lab.draw_background(&surface, 1.0).unwrap();
        lab.draw_paths(&surface, usize::MAX, -1, -1, vec![])
            .unwrap();
        for index in 0..3 {
            lab.draw_anatomy(&surface, index, 4).unwrap();
        }
        assert!(lab.draw_anatomy(&surface, 3, 4).is_err());
        lab.draw_geometry(&surface, 0.5, -0.5).unwrap();
        assert!(lab.draw_geometry(&surface, f64::NAN, 0.0).is_err());
        lab.draw_eigen_error(&chart, 1.0, usize::MAX).unwrap();
        lab.draw_eigen_error(&chart, f64::NAN, 0).unwrap();
    }
}

/// The range test and data of one's own through the boundary: errors thrown with the
/// core's words, the report's JSON, the chart and the map at every size with nothing,
/// part or all of a test, and after every point is gone.
#[wasm_bindgen_test]
fn the_range_test_and_one_s_own_data_cross_the_boundary() {
    use gradscape::web::NetworkLab;
    let report = |lab: &NetworkLab| -> serde_json::Value {
        serde_wasm_bindgen::from_value(lab.lr_range().unwrap()).unwrap()
    };
    let mut lab = NetworkLab::open(json(r#"{"dataset": "moons:n=60", "hidden": [4]}"#)).unwrap();
    assert_eq!(report(&lab), serde_json::Value::Null);
    assert!(lab.lr_range_step(1).is_err());
    assert!(lab.start_lr_range(1.0, 0.5, 10, 10).is_err());
    assert!(lab.start_lr_range(1e-3, 1e3, 10, 10).is_err());
    assert!(lab.start_lr_range(f64::NAN, 1.0, 10, 10).is_err());
    assert!(lab.start_lr_range(1e-3, 1.0, 10, usize::MAX).is_err());
    let sizes = |lab: &NetworkLab| {
        for (width, height) in SIZES {
            for ratio in [0.0, 1.0, f64::NAN, 1e9] {
                lab.draw_lr_range(&canvas(width, height), ratio).unwrap();
            }
        }
    };
    sizes(&lab);
    lab.start_lr_range(1e-3, 10.0, 4, 20).unwrap();
    sizes(&lab);
    assert!(!lab.lr_range_step(3).unwrap());
    let partial = report(&lab);
    assert_eq!(partial["computed"].as_array().unwrap().len(), 3);
    assert_eq!(
        (&partial["points"], &partial["done"]),
        (&4.into(), &false.into())
    );
    sizes(&lab);
    assert!(lab.lr_range_step(5).unwrap());
    let done = report(&lab);
    assert_eq!(done["computed"][3]["lr"], 10.0);
    // A lab opened anew with another η keeps the test; one with other layers does not.
    let mut faster = NetworkLab::open(json(
        r#"{"dataset": "moons:n=60", "hidden": [4], "optimizer": "adam:lr=0.5"}"#,
    ))
    .unwrap();
    assert!(faster.keep_lr_range(&lab));
    assert_eq!(report(&faster), done);
    let mut wider = NetworkLab::open(json(r#"{"dataset": "moons:n=60", "hidden": [5]}"#)).unwrap();
    assert!(!wider.keep_lr_range(&lab));
    // A bad file is thrown and changes nothing; a good one replaces the data.
    let before = lab.data_csv();
    assert!(lab.load_csv("x1,x2,label\n1,2,three\n").is_err());
    assert!(lab.load_csv("").is_err());
    assert_eq!(lab.data_csv(), before);
    let repairs: serde_json::Value =
        serde_wasm_bindgen::from_value(lab.load_csv("0,0,0\n1,1,1\n1,0,2\n0,1,1\n").unwrap())
            .unwrap();
    assert_eq!(repairs, serde_json::json!([]));
    let status: serde_json::Value = serde_wasm_bindgen::from_value(lab.status().unwrap()).unwrap();
    assert_eq!(
        (&status["classes"], &status["own_data"]),
        (&3.into(), &true.into())
    );
    assert!(lab.remove_point(99).is_err());
    lab.remove_point(0).unwrap();
    lab.clear_points().unwrap();
    assert_eq!(lab.work(), 0);
    for (width, height) in SIZES {
        let (map, points, scratch) = (canvas(width, height), canvas(width, height), canvas(0, 0));
        lab.draw_map(&map, &scratch, 1.0).unwrap();
        lab.draw_network(&map, &scratch, 1.0).unwrap();
        lab.draw_curves(&map, 1.0).unwrap();
        lab.draw_points(&points, 0).unwrap();
    }
    assert!(lab.inspect(0).is_err());
    assert!(lab.gradient_check().is_err());
    assert!(lab.start_lr_range(1e-3, 1.0, 4, 10).is_err());
    lab.add_point(0.5, 0.5, 2).unwrap();
    assert_eq!(lab.work(), 2);
}
