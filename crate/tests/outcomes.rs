//! What a run comes to: converged, stationary, diverged or still running, judged with a
//! tolerance on the distance to the surface's known minima — each checked against the
//! iterates themselves.

use gradscape::run::{trace, Outcome, OutcomeKind, Status, Trajectory, DEFAULT_TOLERANCE};
use gradscape::surface::{self, Point};
use gradscape::Spec;

fn judged(
    surface: &str,
    optimizer: &str,
    start: Point,
    steps: usize,
    tolerance: f64,
) -> (Trajectory, Outcome) {
    let t = trace(surface, optimizer, start, steps).unwrap();
    let s = surface::from_spec(&Spec::parse(surface).unwrap()).unwrap();
    let outcome = Outcome::of(s.as_ref(), &t, tolerance);
    (t, outcome)
}

fn distance(p: Point, q: Point) -> f64 {
    ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
}

/// The first k from which every iterate is within `tolerance` of `target`, counted
/// forwards: k is the start of the last run of iterates inside.
fn stays_from(points: &[Point], target: Point, tolerance: f64) -> Option<usize> {
    let mut from = None;
    for (k, p) in points.iter().enumerate() {
        match (distance(*p, target) <= tolerance, from) {
            (true, None) => from = Some(k),
            (false, _) => from = None,
            _ => {}
        }
    }
    from
}

#[test]
fn gradient_descent_on_a_bowl_converges_where_it_first_comes_within_the_tolerance() {
    // On ½(x² + 10y²) with η = 0.1, x shrinks by 0.9 a step and y is 0 after one: the
    // distance to the minimum only falls, so the first iterate within 1e-3 is the
    // step.
    let (t, outcome) = judged("quadratic", "sgd:lr=0.1", [-2.5, 2.0], 200, 1e-3);
    let first = t
        .points
        .iter()
        .position(|p| p[0].hypot(p[1]) <= 1e-3)
        .unwrap();
    assert_eq!(outcome.kind, OutcomeKind::Converged);
    assert_eq!(outcome.step, first);
    // 2.5 · 0.9ᵏ ≤ 1e-3 first at k = ⌈ln(1e-3/2.5) / ln 0.9⌉ = 75.
    assert_eq!(first, 75);
    assert_eq!(outcome.iterates, 201);
    assert_eq!(outcome.minimum, Some([0.0, 0.0]));
    let last = *t.points.last().unwrap();
    assert_eq!(outcome.distance, Some(last[0].hypot(last[1])));
    assert_eq!(
        outcome.loss,
        0.5 * (last[0].powi(2) + 10.0 * last[1].powi(2))
    );
}

#[test]
fn a_run_that_overshoots_converges_only_once_it_stays() {
    // Heavy ball on ½(x² + 4y²): it passes within the tolerance, swings out, and
    // settles later.
    let (t, outcome) = judged(
        "quadratic:lambda2=4",
        "momentum:lr=0.01",
        [-2.5, 2.0],
        300,
        DEFAULT_TOLERANCE,
    );
    let first = t
        .points
        .iter()
        .position(|p| p[0].hypot(p[1]) <= DEFAULT_TOLERANCE)
        .unwrap();
    let stays = stays_from(&t.points, [0.0, 0.0], DEFAULT_TOLERANCE).unwrap();
    assert!(first < stays, "{first} {stays}");
    assert_eq!(
        (outcome.kind, outcome.step),
        (OutcomeKind::Converged, stays)
    );
}

#[test]
fn the_nearest_of_several_minima_is_the_one_judged() {
    let (t, outcome) = judged(
        "himmelblau",
        "sgd:lr=0.01",
        [-2.0, 2.0],
        300,
        DEFAULT_TOLERANCE,
    );
    let [x, y] = outcome.minimum.unwrap();
    assert!((x + 2.805).abs() < 1e-3 && (y - 3.131).abs() < 1e-3);
    assert_eq!(outcome.kind, OutcomeKind::Converged);
    assert_eq!(
        Some(outcome.step),
        stays_from(&t.points, [x, y], DEFAULT_TOLERANCE)
    );
}

#[test]
fn a_surface_without_minima_gives_no_distance() {
    // Off the ridge of x² − y², gradient descent slides down towards −∞.
    let (t, outcome) = judged(
        "saddle",
        "sgd:lr=0.03",
        [-1.8, 1e-4],
        120,
        DEFAULT_TOLERANCE,
    );
    assert_eq!((outcome.distance, outcome.minimum), (None, None));
    assert_eq!((outcome.kind, outcome.step), (OutcomeKind::Running, 120));
    assert_eq!(outcome.loss, *t.losses.last().unwrap());
    // On the ridge itself, y = 0, it slides into the saddle: x ← (1 − 2η)x, within the
    // tolerance from the first k with 0.8ᵏ ≤ 0.01, k = 21, and there it stays.
    let (t, outcome) = judged("saddle", "sgd:lr=0.1", [1.0, 0.0], 50, DEFAULT_TOLERANCE);
    assert_eq!(outcome.kind, OutcomeKind::Stationary);
    assert_eq!(
        Some(outcome.step),
        stays_from(&t.points, [0.0, 0.0], DEFAULT_TOLERANCE)
    );
    assert_eq!(outcome.step, 21);
    assert_eq!(outcome.distance, None);
}

#[test]
fn a_run_stopped_where_the_gradient_vanished_is_stationary_unless_at_a_minimum() {
    // Newton jumps onto the saddle of x² − y² in one step, where ∇f = 0.
    let (t, outcome) = judged("saddle", "newton", [1.0, 0.5], 3, DEFAULT_TOLERANCE);
    assert_eq!(t.status, Status::Stationary { step: 1 });
    assert_eq!((outcome.kind, outcome.step), (OutcomeKind::Stationary, 1));
    // Rastrigin's bowl is dented near every integer point; the dent near (1, 1) is a
    // local minimum it lists not, a unit and more from the one it lists.
    let (t, outcome) = judged(
        "rastrigin",
        "sgd:lr=0.002",
        [1.2, 0.8],
        5000,
        DEFAULT_TOLERANCE,
    );
    let Status::Stationary { step } = t.status else {
        panic!("{:?}", t.status)
    };
    let last = t.points[step];
    assert!((last[0] - 0.995).abs() < 0.01 && (last[1] - 0.995).abs() < 0.01);
    assert_eq!(outcome.kind, OutcomeKind::Stationary);
    assert_eq!(
        Some(outcome.step),
        stays_from(&t.points, last, DEFAULT_TOLERANCE)
    );
    assert_eq!(outcome.minimum, Some([0.0, 0.0]));
    assert!(outcome.distance.unwrap() > 1.4);
}

#[test]
fn a_diverged_run_is_diverged_at_the_update_that_failed() {
    // η = 0.21 > 2/10 on ½(x² + 10y²): y grows by 1.1 a step until it leaves the plane.
    let (t, outcome) = judged(
        "quadratic",
        "sgd:lr=0.21",
        [-2.5, 2.0],
        400,
        DEFAULT_TOLERANCE,
    );
    let Status::Diverged { step } = t.status else {
        panic!("{:?}", t.status)
    };
    assert_eq!((outcome.kind, outcome.step), (OutcomeKind::Diverged, step));
    assert_eq!(outcome.loss, *t.losses.last().unwrap());
    assert_eq!(outcome.to_string(), format!("diverged at step {step}"));
}

#[test]
fn the_status_line_says_the_step_the_loss_and_the_distance() {
    let (_, outcome) = judged(
        "banana",
        "momentum:lr=0.003",
        [-1.2, 1.0],
        150,
        DEFAULT_TOLERANCE,
    );
    let line = outcome.to_string();
    assert!(
        line.starts_with(&format!("converged at step {} · f = ", outcome.step)),
        "{line}"
    );
    assert!(line.ends_with(" from (1, 0.333)"), "{line}");
    let (_, outcome) = judged(
        "saddle",
        "sgd:lr=0.03",
        [-1.8, 1e-4],
        120,
        DEFAULT_TOLERANCE,
    );
    assert!(!outcome.to_string().contains("from"));
}

#[test]
fn outcomes_cross_to_json_with_every_field() {
    // Booth's bowl shrinks the error along (1, 1) by 1 − 18η = 0.1 a step: 0.13 after
    // two.
    let (_, outcome) = judged("booth", "sgd:lr=0.05", [-8.0, -6.0], 2, DEFAULT_TOLERANCE);
    let json = serde_json::to_value(outcome).unwrap();
    assert_eq!(json["kind"], "running");
    assert_eq!(json["step"], 2);
    assert_eq!(json["iterates"], 3);
    assert_eq!(json["minimum"], serde_json::json!([1.0, 3.0]));
    let distance = json["distance"].as_f64().unwrap();
    assert!(
        (distance - 0.01 * 9.0 * 2f64.sqrt()).abs() < 1e-9,
        "{distance}"
    );
    assert!(json["loss"].as_f64().unwrap() > 0.0);
    let (_, outcome) = judged("saddle", "sgd", [1.0, 1.0], 3, DEFAULT_TOLERANCE);
    let json = serde_json::to_value(outcome).unwrap();
    assert!(json["distance"].is_null() && json["minimum"].is_null());
    assert!(json.as_object().unwrap().contains_key("distance"));
}

#[test]
fn a_run_that_starts_on_a_minimum_is_converged_at_step_0() {
    // Rosenbrock with a = 0 has its minimum at (0, 0), where ∇f = 0: the run stops
    // before its first update, already there.
    for steps in [0, 10] {
        let (t, outcome) = judged("rosenbrock:a=0", "sgd", [0.0, 0.0], steps, 1e-6);
        assert_eq!(t.status, Status::Stationary { step: 0 });
        assert_eq!((outcome.kind, outcome.step), (OutcomeKind::Converged, 0));
        assert_eq!((outcome.iterates, outcome.distance), (1, Some(0.0)));
    }
}
