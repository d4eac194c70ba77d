//! The optimizer lab's `slice` surface: its definition trains the network again to the
//! page's bits; g is the network's loss at the shifted weights; ∇g and ∇²g are g's
//! derivatives; bad definitions are clear errors, never panics.

use gradscape::lab::network::NetworkLab;
use gradscape::lab::runs::Runs;
use gradscape::lab::slice::{self, SliceDefinition, MOST_POINTS, MOST_UPDATES};
use gradscape::nn::landscape::Direction;
use gradscape::nn::setup::Setup;
use gradscape::nn::train::Work;
use gradscape::surface::{from_spec, CriticalKind, Slice, Surface};
use gradscape::Spec;
use proptest::prelude::*;

fn setup(json: &str) -> Setup {
    serde_json::from_str(json).unwrap()
}

/// The slice a definition's text makes.
fn slice_of(text: &str) -> Result<Slice, String> {
    slice::surface(&[(slice::KEY.to_string(), text.to_string())]).map_err(|e| e.0)
}

fn direction(text: &str) -> Direction {
    Direction::parse(text).unwrap()
}

/// The page's way of training: one unit of work a call, until every run has made
/// `updates` more updates and every evaluation is done.
fn work(runs: &mut Runs, updates: usize) {
    let mut done = 0;
    while done < updates {
        if let Work::Updated { .. } = runs.work() {
            done += 1;
        }
    }
    while runs.labs().any(|l| l.trainer().evaluating()) {
        runs.work();
    }
}

const SPIRALS: &str =
    r#"{"dataset": "spirals:k=3,n=120,seed=2", "hidden": [16, 16], "l2": 0.001, "seed": 4}"#;
const SPIRALS_SGD: &str = r#"{"dataset": "spirals:k=3,n=120,seed=2", "hidden": [16, 16], "l2": 0.001, "seed": 9, "optimizer": "momentum:lr=0.05", "batch": 32}"#;

#[test]
fn a_definition_trains_the_run_again_to_the_page_s_bits() {
    let mut runs = Runs::open(&[setup(SPIRALS), setup(SPIRALS_SGD)], 1).unwrap();
    work(&mut runs, 230);
    for (run, (d1, d2)) in [(0, ("pca:1", "pca:2")), (1, ("random:seed=5", "W1[3,4]"))] {
        let definition =
            SliceDefinition::of_run(&runs, run, (direction(d1), direction(d2)), [2.0, 1.5])
                .unwrap();
        assert_eq!(definition.updates, 230);
        assert_eq!(definition.runs.len(), run + 1);
        // The link's text reads back as the same definition, each setup naming only what
        // differs from the default.
        let text = definition.text();
        assert_eq!(SliceDefinition::parse(&text).unwrap(), definition);
        assert!(!text.contains("restore_best") && text.contains("\"hidden\":[16,16]"));
        assert!(definition.spec().starts_with("slice:{"));
        let slice = slice_of(&text).unwrap();
        let page = runs.lab(run).unwrap().trainer();
        assert_eq!(slice.landscape().plane().origin(), page.theta.as_slice());
        // Where training started: θ₀, which the path recorded first, projected.
        let theta0 = runs.lab(run).unwrap().trajectory().points().next().unwrap();
        let expected = slice.landscape().plane().project(theta0).unwrap();
        let view = slice.view();
        assert_eq!((view.x, view.y), ((-2.0, 2.0), (-1.5, 1.5)));
        // A tenth of the view in from its edges, as the lab computes it.
        let inner = |v: f64, s: f64| v.clamp(-s + 0.1 * (2.0 * s), s - 0.1 * (2.0 * s));
        assert_eq!(
            slice.start(),
            [inner(expected[0], 2.0), inner(expected[1], 1.5)]
        );
    }
    // With principal directions θ₀ lies along d₁, at the positive end: far out, so the
    // start is on the inner box's edge.
    let definition = SliceDefinition::of_run(
        &runs,
        0,
        (direction("pca:1"), direction("pca:2")),
        [2.0, 1.5],
    )
    .unwrap();
    let start = slice_of(&definition.text()).unwrap().start();
    assert_eq!(start[0], 2.0 - 0.1 * 4.0, "{start:?}");
}

#[test]
fn g_is_the_network_s_loss_at_the_shifted_weights() {
    let text = r#"{"runs":[{"dataset":"spirals:k=3,n=120,seed=2","hidden":[16,16],"l2":0.001,"seed":4}],"updates":150,"d1":"random:seed=1","d2":"b1[2]","span":[1,1]}"#;
    let slice = slice_of(text).unwrap();
    // Independently: a lab alone, trained as many updates, its weights moved by hand.
    let mut lab = NetworkLab::open(&setup(SPIRALS));
    lab.train(150);
    let t = lab.trainer();
    let arch = &t.network.architecture;
    let d1 = Direction::Random { seed: 1 }
        .vector(arch, &t.theta, None)
        .unwrap();
    let bias = arch.offsets(1).1 + 2;
    for [a, b] in [[0.0, 0.0], [0.3, -0.8], [-1.0, 1.0], [0.77, 0.1]] {
        let mut shifted: Vec<f64> = t.theta.iter().zip(&d1).map(|(t, d)| t + a * d).collect();
        shifted[bias] += b;
        let expected = t
            .network
            .loss(&shifted, &t.data.train.x, t.train_targets())
            .total();
        let value = slice.value([a, b]);
        assert!(
            (value - expected).abs() <= 1e-12 * expected,
            "({a}, {b}): {value} against {expected}"
        );
    }
    // At θ, the training loss its last epoch recorded.
    assert_eq!(
        slice.value([0.0, 0.0]),
        t.history.last().unwrap().train.loss()
    );
}

/// ∂g/∂aᵢ against (g(p + h eᵢ) − g(p − h eᵢ)) / 2h with h = 10⁻⁵: the difference errs by
/// h² g‴/6 ≈ 10⁻¹⁰ and rounds by ε g / h ≈ 10⁻¹¹, so 10⁻⁷ of the scale. ∂²g/∂aᵢ∂aⱼ
/// against g's second differences with h = 10⁻⁴: h² g⁗/12 ≈ 10⁻⁹ and ε g / h² ≈ 10⁻⁸,
/// so 10⁻⁵ of the scale. Smooth activations only: relu's kinks would break the
/// differences, not the derivatives.
#[test]
fn the_gradient_and_hessian_are_g_s_derivatives() {
    let definitions = [
        // softmax over three classes, tanh, with λ
        r#"{"runs":[{"dataset":"spirals:k=3,n=120,seed=2","hidden":[16,16],"l2":0.001,"seed":4}],"updates":150,"d1":"random:seed=1","d2":"random:seed=2","span":[1,1]}"#,
        // a sigmoid unit, sigmoid hidden layer, principal directions
        r#"{"runs":[{"dataset":"xor:n=60","hidden":[5],"activation":"sigmoid","output":"sigmoid"}],"updates":200,"d1":"pca:1","d2":"pca:2","span":[1,1]}"#,
        // a Gaussian's NLL on a noisy curve, one weight and one bias
        r#"{"runs":[{"dataset":"noisy-curve:n=80","hidden":[6],"output":"gaussian"}],"updates":120,"d1":"W0[2,0]","d2":"b1[1]","span":[1,1]}"#,
        // a mixture's NLL
        r#"{"runs":[{"dataset":"two-branches:n=80","hidden":[6],"output":"mdn:k=2"}],"updates":120,"d1":"random:seed=3","d2":"random:seed=4","span":[1,1]}"#,
    ];
    for text in definitions {
        let slice = slice_of(text).unwrap();
        for p in [[0.0, 0.0], [0.31, -0.47], [-0.6, 0.25]] {
            let g = |q: [f64; 2]| slice.value(q);
            let at = |da: f64, db: f64| g([p[0] + da, p[1] + db]);
            let gradient = slice.gradient(p);
            let h = 1e-5;
            let numeric = [
                (at(h, 0.0) - at(-h, 0.0)) / (2.0 * h),
                (at(0.0, h) - at(0.0, -h)) / (2.0 * h),
            ];
            let scale = 1.0 + g(p).abs() + gradient[0].abs() + gradient[1].abs();
            for i in 0..2 {
                assert!(
                    (gradient[i] - numeric[i]).abs() < 1e-7 * scale,
                    "{text} at {p:?}: ∂{i} {} against {}",
                    gradient[i],
                    numeric[i]
                );
            }
            let hessian = slice.hessian(p);
            assert_eq!(hessian[0][1], hessian[1][0]);
            let h = 1e-4;
            let centre = g(p);
            let numeric = [
                [
                    (at(h, 0.0) - 2.0 * centre + at(-h, 0.0)) / (h * h),
                    (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4.0 * h * h),
                ],
                [0.0, (at(0.0, h) - 2.0 * centre + at(0.0, -h)) / (h * h)],
            ];
            let scale = 1.0 + hessian.iter().flatten().map(|v| v.abs()).sum::<f64>();
            for (i, j) in [(0, 0), (0, 1), (1, 1)] {
                assert!(
                    (hessian[i][j] - numeric[i][j]).abs() < 1e-5 * scale,
                    "{text} at {p:?}: ∂²{i}{j} {} against {}",
                    hessian[i][j],
                    numeric[i][j]
                );
            }
        }
    }
}

#[test]
fn a_converged_run_s_slice_lists_the_minimum_newton_finds_by_theta() {
    let slice = slice_of(slice::DEFAULT).unwrap();
    let critical = slice.critical_points();
    assert_eq!(critical.len(), 1);
    let c = critical[0];
    assert_eq!(c.kind, CriticalKind::Minimum);
    let [gx, gy] = slice.gradient(c.point);
    assert!(gx.hypot(gy) < 1e-10);
    // Lower than θ and than any point around it.
    let least = slice.value(c.point);
    assert!(least <= slice.value([0.0, 0.0]));
    for (dx, dy) in [(1e-3, 0.0), (-1e-3, 0.0), (0.0, 1e-3), (0.0, -1e-3)] {
        assert!(least < slice.value([c.point[0] + dx, c.point[1] + dy]));
    }
}

#[test]
fn the_same_definition_shares_its_network_whatever_the_view() {
    let a = slice_of(slice::DEFAULT).unwrap();
    let wider = slice::DEFAULT.replace("\"span\":[1,1]", "\"span\":[3,0.5]");
    let b = slice_of(&wider).unwrap();
    assert!(std::ptr::eq(a.landscape(), b.landscape()));
    assert_eq!(b.view().x, (-3.0, 3.0));
    // Through the catalogue, as the lab builds it: `slice` alone is the default.
    let bare = from_spec(&Spec::parse("slice").unwrap()).unwrap();
    assert_eq!(bare.value([0.2, 0.1]), a.value([0.2, 0.1]));
    let spec = Spec::parse(&format!("slice:{wider}")).unwrap();
    assert_eq!(spec.params[0].1, wider);
    assert_eq!(spec.to_string(), format!("slice:{wider}"));
}

#[test]
fn points_of_one_s_own_travel_when_they_trained_from_the_start() {
    let xor = r#"{"dataset": "xor:n=40", "hidden": [4], "batch": 5}"#;
    // Clicked before the first update: the definition carries the data.
    let mut runs = Runs::open(&[setup(xor)], 0).unwrap();
    runs.add_point(0.5, -0.4, 1).unwrap();
    runs.add_point(-0.2, 0.9, 0).unwrap();
    work(&mut runs, 60);
    let definition = SliceDefinition::of_run(
        &runs,
        0,
        (direction("pca:1"), direction("pca:2")),
        [1.0, 1.0],
    )
    .unwrap();
    assert_eq!(definition.points.len(), 34);
    assert_eq!(definition.validation.len(), 8);
    assert_eq!(definition.points[33], [-0.2, 0.9, 0.0]);
    let slice = slice_of(&definition.text()).unwrap();
    assert_eq!(
        slice.landscape().plane().origin(),
        runs.lab(0).unwrap().trainer().theta.as_slice()
    );
    // Clicked while it trained: no definition reproduces that.
    runs.add_point(0.1, 0.1, 1).unwrap();
    work(&mut runs, 10);
    let error = SliceDefinition::of_run(
        &runs,
        0,
        (direction("pca:1"), direction("pca:2")),
        [1.0, 1.0],
    )
    .unwrap_err()
    .0;
    assert!(error.contains("cannot travel in a link"), "{error}");
    // Loaded from CSV, then trained: they travel, with their sets.
    let mut runs = Runs::open(&[setup(xor)], 0).unwrap();
    runs.load_csv("x,y\n0,0.5\n1,1.5\n2,2.0\n3,2.1\n4,1.0\n5,0.2\n6,0.7\n7,1.9\n")
        .unwrap();
    work(&mut runs, 25);
    let definition = SliceDefinition::of_run(
        &runs,
        0,
        (direction("W0[1,0]"), direction("b1[0]")),
        [1.0, 1.0],
    )
    .unwrap();
    assert_eq!(definition.points.len() + definition.validation.len(), 8);
    assert!(definition.points.iter().all(|p| p.len() == 2));
    let slice = slice_of(&definition.text()).unwrap();
    assert_eq!(
        slice.landscape().plane().origin(),
        runs.lab(0).unwrap().trainer().theta.as_slice()
    );
}

#[test]
fn a_loaded_model_cannot_travel() {
    let xor = setup(r#"{"dataset": "xor:n=40", "hidden": [3]}"#);
    let mut runs = Runs::open(std::slice::from_ref(&xor), 0).unwrap();
    let mut other = NetworkLab::open(&Setup { seed: 8, ..xor });
    other.train(30);
    runs.current_mut()
        .load_model(&other.model().to_json())
        .unwrap();
    let error = SliceDefinition::of_run(
        &runs,
        0,
        (direction("W0[0,0]"), direction("W0[1,1]")),
        [1.0, 1.0],
    )
    .unwrap_err()
    .0;
    assert!(error.contains("a model was loaded"), "{error}");
}

#[test]
fn bad_definitions_say_what_is_wrong() {
    let base = r#""runs":[{"dataset":"xor:n=40","hidden":[3]}],"updates":40,"d1":"random:seed=1","d2":"random:seed=2""#;
    let with = |more: &str| format!("{{{base}{more}}}");
    let huge_points = format!(
        r#","points":[{}]"#,
        vec!["[0,0,1]"; MOST_POINTS + 1].join(",")
    );
    let cases: Vec<(String, &str)> = vec![
        ("not json".into(), "not a definition"),
        ("".into(), "not a definition"),
        (with(r#","colour":1"#), "unknown field `colour`"),
        (
            r#"{"runs":[],"updates":1,"d1":"pca:1","d2":"pca:2"}"#.into(),
            "runs are 1 to 6, not 0",
        ),
        (with(r#","run":1"#), "there is no run 1"),
        (
            with(&format!(r#","updates":{}"#, MOST_UPDATES + 1)).replace(r#""updates":40,"#, ""),
            "at most 200000",
        ),
        (with(r#","span":[0,1]"#), "span"),
        (with(r#","span":[1,-1]"#), "span"),
        (with(r#","span":[1,1e9]"#), "span"),
        (
            with("").replace("random:seed=2", "W5[0,0]"),
            "W5[0,0] does not exist",
        ),
        (
            with("").replace("random:seed=2", "W0[3,0]"),
            "W0[3,0] does not exist",
        ),
        (
            with("").replace("random:seed=2", "random:seed=1"),
            "parallel",
        ),
        (with("").replace("random:seed=2", "pca:7"), "pca:1 or pca:2"),
        (
            with("")
                .replace(r#""updates":40"#, r#""updates":3"#)
                .replace("random:seed=1", "pca:1"),
            "3 epochs or more",
        ),
        (with(&huge_points), "at most 300"),
        (with(r#","points":[[0,0,1],[1,1]]"#), "every point is"),
        (with(r#","points":[[0,0,1,5]]"#), "every point is"),
        (with(r#","validation":[[0,0,1]]"#), "need training points"),
        (with(r#","points":[[0,0,1],[1,1,9]]"#), "label 9"),
        (
            with("").replace(r#""hidden":[3]"#, r#""hidden":[3000]"#),
            "run 0's hidden",
        ),
        (
            with("").replace(r#""hidden":[3]"#, r#""activation":"swish""#),
            "run 0's activation",
        ),
        (
            with("").replace(r#""updates":40"#, r#""updates":-4"#),
            "not a definition",
        ),
        ("x".repeat(slice::MOST_TEXT + 1), "at most 40000"),
        (
            r#"{"runs":[{"dataset":"spirals:n=100","hidden":[64,64,64]}],"updates":150000,"d1":"pca:1","d2":"pca:2"}"#
                .to_string(),
            "more than a link may ask",
        ),
        (
            r#"{"runs":[{"dataset":"digits","hidden":[32]}],"updates":10,"d1":"pca:1","d2":"pca:2"}"#
                .to_string(),
            "the optimizer lab slices at most",
        ),
    ];
    for (text, says) in cases {
        let error = slice_of(&text)
            .err()
            .unwrap_or_else(|| panic!("{text} was taken"));
        assert!(
            error.contains(says),
            "{}: {error}",
            &text[..text.len().min(120)]
        );
    }
    // Through the catalogue, an unknown parameter is named.
    let error = from_spec(&Spec {
        id: "slice".into(),
        params: vec![("d".into(), "{}".into())],
    })
    .err()
    .unwrap()
    .0;
    assert!(error.contains("unknown parameter `d`"), "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_text_makes_a_slice_panic(text in "\\PC{0,80}") {
        let _ = slice_of(&text);
        let _ = slice_of(&format!("{{{text}}}"));
    }

    #[test]
    fn no_definition_of_small_numbers_makes_a_slice_panic(
        runs in 0usize..3,
        run in 0usize..3,
        updates in 0usize..40,
        d1 in prop::sample::select(vec!["pca:1", "pca:2", "random:seed=3", "W0[1,1]", "b1[0]", "W1[0,2]", "b0[9]"]),
        d2 in prop::sample::select(vec!["pca:2", "random:seed=4", "W0[0,0]", "b0[1]", "W2[0,0]"]),
        span in prop::array::uniform2(-1.0f64..3.0),
        hidden in prop::collection::vec(0usize..5, 0..3),
        points in prop::collection::vec(prop::collection::vec(-2.0f64..3.0, 1..4), 0..6),
    ) {
        let setup = serde_json::json!({"dataset": "xor:n=24", "hidden": hidden});
        let text = serde_json::json!({
            "runs": vec![setup; runs], "run": run, "updates": updates, "d1": d1, "d2": d2,
            "span": span, "points": points,
        })
        .to_string();
        if let Ok(slice) = slice_of(&text) {
            let p = slice.start();
            prop_assert!(slice.view().validated().is_ok());
            prop_assert!(!slice.value(p).is_nan());
            let _ = (slice.gradient(p), slice.hessian(p), slice.critical_points());
        }
    }
}
