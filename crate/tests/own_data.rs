//! Data of one's own in the network lab: points loaded from CSV, removed one by one or
//! all at once, and the lab training, drawing and inspecting whatever is left.

use gradscape::lab::network::{DataPoint, NetworkLab};
use gradscape::layout::{Layout, Margins};
use gradscape::nn::setup::Setup;
use gradscape::nn::train::Work;
use gradscape::render;
use plotters::prelude::*;

fn lab(setup: &str) -> NetworkLab {
    NetworkLab::open(&serde_json::from_str::<Setup>(setup).unwrap())
}

/// Everything the page draws of the lab, as SVG: the map's frame and each regression
/// output's fit or the classes' colours, the points, the network, the curves.
fn draw_everything(lab: &NetworkLab) {
    let layout = Layout::new(300, 240, 1.0, Margins::SURFACE);
    let view = lab.view(&layout);
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, (300, 240)).into_drawing_area();
        render::frame(&area, &layout, &view).unwrap();
        let t = lab.trainer();
        if lab.planar() {
            let grid = lab.grid(&view, 8);
            let f = t.network.forward(&t.theta, &grid);
            assert_eq!(render::network::decision_rgba(f.output()).len(), 4 * 64);
        } else {
            lab.fit(&view, 8);
        }
        render::network::data_points(&area, &layout, &view, &lab.points(), Some(0)).unwrap();
        let diagram = render::network::Diagram::new(&t.network.architecture, &layout);
        render::network::network_edges(&area, &layout, &diagram, &t.network.architecture, &t.theta)
            .unwrap();
        let classification = t.task().values().is_none();
        render::network::training_curves(&area, &layout, &t.history, classification, None).unwrap();
        area.present().unwrap();
    }
    assert!(text.contains("<svg"));
}

fn positions(points: &[DataPoint]) -> Vec<((f64, f64), Option<usize>, bool)> {
    points
        .iter()
        .map(|p| (p.at, p.class, p.validation))
        .collect()
}

#[test]
fn the_exported_data_load_back_with_their_points_and_split() {
    for setup in [
        r#"{"dataset": "spirals:n=90,k=3", "validation": 0.3}"#,
        r#"{"dataset": "curve:n=40"}"#,
    ] {
        let mut source = lab(setup);
        if source.planar() {
            source.add_point(0.5, -0.25, 2).unwrap();
        }
        let csv = source.data_csv();
        // Into a lab of other data and another seed: the file's points and sets rule.
        let mut other = lab(r#"{"dataset": "moons:n=20", "seed": 5}"#);
        assert_eq!(other.load_csv(&csv).unwrap(), []);
        assert_eq!(
            positions(&other.points()),
            positions(&source.points()),
            "{setup}"
        );
        assert_eq!(other.data_csv(), csv);
        let (status, before) = (other.status(), source.status());
        assert_eq!(
            (status.train, status.validation, status.task, status.classes),
            (before.train, before.validation, before.task, before.classes)
        );
        assert!(status.own_data && !before.own_data);
        assert_eq!((status.epoch, status.updates), (0, 0));
        // The network starts again: the setup's init from its seed, for the new task.
        let t = other.trainer();
        let initial = other
            .setup()
            .initial_parameters(&t.network.architecture)
            .unwrap();
        assert_eq!(t.theta, initial);
    }
}

#[test]
fn a_file_without_sets_is_split_by_the_setup_and_an_output_that_does_not_fit_goes_back_to_auto() {
    let mut lab = lab(r#"{"output": "sigmoid", "validation": 0.25, "hidden": [3]}"#);
    let csv: String = (0..40)
        .map(|i| format!("{},{},{}\n", i as f64 / 10.0, (i % 7) as f64, i % 3))
        .collect();
    let repairs = lab.load_csv(&csv).unwrap();
    assert_eq!(repairs.len(), 1);
    assert_eq!(repairs[0].field, "output");
    assert!(repairs[0].message.contains("use softmax"), "{repairs:?}");
    assert_eq!(lab.problems(), repairs);
    assert_eq!(lab.setup().output, "auto");
    let status = lab.status();
    assert_eq!((status.output, status.classes), ("softmax", 3));
    assert_eq!((status.train, status.validation), (30, 10));
    // A curve where a sigmoid and a distortion of two inputs were set: identity, and no
    // distortion.
    let mut distorted = self::lab(r#"{"distort": [[2, 0], [1, 1]], "output": "sigmoid"}"#);
    let fields: Vec<_> = distorted
        .load_csv("x,y\n0,1\n0.5,2\n1,0\n")
        .unwrap()
        .iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(fields, ["distort", "output"]);
    assert!(distorted.setup().distort.is_empty());
    assert_eq!(distorted.status().output, "identity");
}

#[test]
fn extreme_coordinates_train_and_draw_without_a_panic() {
    for csv in [
        "1e15,-1e15,0\n-1e15,1e15,1\n0,0,1\n",
        "5e-324,0,0\n0,5e-324,1\n",
        "1e15,-1e15\n-1e15,1e15\n",
        "0,0,0\n0,0,1\n",
    ] {
        for normalize in ["none", "standard", "quantile-normal"] {
            let mut lab = lab(&format!(r#"{{"normalize": "{normalize}", "hidden": [3]}}"#));
            lab.load_csv(csv).unwrap();
            lab.train(20);
            draw_everything(&lab);
            let _ = lab.inspect(0);
            let _ = lab.gradient_check();
            let range = gradscape::nn::lr_range::RangeSettings::new(0.1, 10.0, 2, 5).unwrap();
            lab.start_lr_range(range).unwrap();
            lab.lr_range_step(2).unwrap();
        }
    }
}

#[test]
fn a_bad_file_changes_nothing() {
    let mut lab = lab(r#"{"dataset": "xor:n=30"}"#);
    lab.train(5);
    let (points, theta, setup) = (
        lab.points(),
        lab.trainer().theta.clone(),
        lab.setup().clone(),
    );
    let message = lab
        .load_csv("x1,x2,label\n1,2,0\n1,2,zero\n")
        .unwrap_err()
        .0;
    assert_eq!(message, "line 3, column 3: `zero` is not a number");
    assert_eq!(lab.points(), points);
    assert_eq!(lab.trainer().theta, theta);
    assert_eq!(lab.setup(), &setup);
    assert!(!lab.status().own_data);
}

#[test]
fn loaded_points_are_points_even_where_the_setup_names_the_digits() {
    let mut digits = lab(r#"{"dataset": "digits", "hidden": [4]}"#);
    assert!(digits.image().is_some());
    digits.load_csv("0,0,0\n1,1,1\n0,1,1\n1,0,0\n").unwrap();
    assert_eq!(digits.image(), None);
    assert!(digits.planar());
    assert_eq!(digits.points().len(), 4);
    draw_everything(&digits);
}

#[test]
fn a_removed_point_leaves_the_data_and_training_goes_on_from_the_same_weights() {
    let mut lab = lab(r#"{"dataset": "blobs:n=40", "validation": 0.25}"#);
    lab.train(7);
    let (before, theta) = (lab.points(), lab.trainer().theta.clone());
    let updates = lab.trainer().updates;
    // A training point, then a validation point (numbered after the training points).
    lab.remove_point(4).unwrap();
    let validation = lab.status().train + 2;
    lab.remove_point(validation).unwrap();
    let mut expected = before.clone();
    expected.remove(4);
    expected.remove(validation);
    assert_eq!(lab.points(), expected);
    assert_eq!((lab.status().train, lab.status().validation), (29, 9));
    assert_eq!(lab.trainer().theta, theta);
    assert_eq!(lab.trainer().updates, updates);
    assert!(!lab.data_csv().contains(&format!(
        "{},{}",
        gradscape::text::number(before[4].at.0),
        gradscape::text::number(before[4].at.1)
    )));
    lab.train(40);
    let last = lab.status().last.unwrap();
    assert!(last.validation.is_some() && last.train.data_loss.is_finite());
    // The inspector numbers what is left; beyond it there is no point.
    assert!(lab.inspect(37).is_ok());
    assert_eq!(lab.inspect(38).unwrap_err().0, "there is no point 38");
    assert_eq!(lab.remove_point(38).unwrap_err().0, "there is no point 38");
    draw_everything(&lab);
}

#[test]
fn a_curve_loses_a_point_in_the_mixture_and_in_its_companion() {
    let mut lab = lab(r#"{"dataset": "two-branches:n=30", "output": "mdn:k=2", "hidden": [4]}"#);
    lab.remove_point(3).unwrap();
    lab.remove_point(25).unwrap();
    let companion = lab.companion().unwrap();
    assert_eq!(companion.data, lab.trainer().data);
    lab.train(12);
    assert_eq!(lab.companion().unwrap().updates, lab.trainer().updates);
    draw_everything(&lab);
}

#[test]
fn with_every_point_cleared_training_waits_and_every_view_still_works() {
    for setup in [
        r#"{"dataset": "moons:n=30"}"#,
        r#"{"dataset": "curve:n=20", "output": "mdn:k=2"}"#,
    ] {
        let mut lab = lab(setup);
        lab.train(5);
        lab.clear_points().unwrap();
        let theta = lab.trainer().theta.clone();
        assert!(lab.points().is_empty());
        assert_eq!((lab.status().train, lab.status().validation), (0, 0));
        assert_eq!(lab.work(), Work::Stopped);
        assert_eq!(lab.train(10), 0);
        assert_eq!(lab.trainer().theta, theta);
        assert!(lab.inspect(0).is_err());
        assert!(lab.remove_point(0).is_err());
        assert!(lab.gradient_check().is_err());
        let layout = Layout::new(300, 240, 1.0, Margins::SURFACE);
        let view = lab.view(&layout);
        assert_eq!(lab.nearest_point(&layout, &view, (150.0, 120.0), 1e9), None);
        assert_eq!(lab.data_csv().lines().count(), 1);
        assert!(lab
            .start_lr_range(gradscape::nn::lr_range::DEFAULT_RANGE)
            .is_err());
        draw_everything(&lab);
    }
    // On the plane a click brings training back.
    let mut lab = lab(r#"{"dataset": "moons:n=30"}"#);
    lab.clear_points().unwrap();
    lab.add_point(0.5, 0.5, 0).unwrap();
    lab.add_point(-0.5, 0.5, 1).unwrap();
    assert_eq!(lab.work(), Work::Updated { epoch_done: true });
    while lab.trainer().epoch < 3 {
        lab.train(1);
    }
    assert_eq!(lab.status().last.unwrap().validation, None);
    assert!(lab.inspect(1).is_ok() && lab.gradient_check().is_ok());
    draw_everything(&lab);
}

#[test]
fn the_digits_cannot_lose_single_images() {
    let mut digits = lab(r#"{"dataset": "digits", "hidden": [4]}"#);
    assert!(digits.remove_point(0).is_err());
    assert!(digits.clear_points().is_err());
    assert_eq!(digits.status().train + digits.status().validation, 1797);
}
