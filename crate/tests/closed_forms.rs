//! Runs whose every iterate is known in closed form.

use gradscape::run::{trace, Status, DIVERGENCE_BOUND};
use nalgebra::Matrix2;

/// f = ½λx² is the quadratic with λ₁ = λ seen along y = 0.
fn along_x(lambda: f64) -> String {
    format!("quadratic:lambda1={lambda},lambda2=1")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1e-300)
}

#[test]
fn gradient_descent_on_a_quadratic_contracts_by_one_minus_eta_lambda() {
    let (lambda, eta, x0) = (3.0, 0.1, 2.0);
    let t = trace(&along_x(lambda), &format!("sgd:lr={eta}"), [x0, 0.0], 60).unwrap();
    for (k, p) in t.points.iter().enumerate() {
        let expected = (1.0 - eta * lambda).powi(k as i32) * x0;
        assert!(close(p[0], expected), "step {k}: {} vs {expected}", p[0]);
        assert_eq!(p[1], 0.0);
    }
}

#[test]
fn gradient_descent_diverges_exactly_above_two_over_lambda() {
    let lambda = 4.0;
    let stable = trace(&along_x(lambda), "sgd:lr=0.499", [1.0, 0.0], 5000).unwrap();
    assert!(!matches!(stable.status, Status::Diverged { .. }));
    let unstable = trace(&along_x(lambda), "sgd:lr=0.501", [1.0, 0.0], 100_000).unwrap();
    // |1 − ηλ| = 1.004: |x| passes the bound after ln(1e8)/ln(1.004) ≈ 4614 steps.
    let expected = (DIVERGENCE_BOUND.ln() / 1.004f64.ln()).ceil() as usize;
    assert_eq!(unstable.status, Status::Diverged { step: expected });
    assert_eq!(unstable.points.len(), expected);
    assert!(unstable
        .points
        .iter()
        .all(|p| p[0].abs() <= DIVERGENCE_BOUND));
}

/// Heavy ball on ½λx²: (xₖ, mₖ) = Mᵏ (x₀, 0) with M = [[1 − ηλ, −γ], [ηλ, γ]],
/// since mₖ = γmₖ₋₁ + ηλxₖ₋₁ and xₖ = xₖ₋₁ − mₖ.
#[test]
fn heavy_ball_is_a_matrix_power() {
    let (lambda, eta, gamma, x0) = (2.0, 0.3, 0.7, 1.5);
    let spec = format!("momentum:lr={eta},momentum={gamma}");
    let t = trace(&along_x(lambda), &spec, [x0, 0.0], 40).unwrap();
    let m = Matrix2::new(1.0 - eta * lambda, -gamma, eta * lambda, gamma);
    for (k, p) in t.points.iter().enumerate() {
        let expected = m.pow(k as u32) * nalgebra::Vector2::new(x0, 0.0);
        assert!((p[0] - expected[0]).abs() < 1e-12, "step {k}");
    }
}

#[test]
fn newton_minimizes_a_quadratic_in_one_step_and_jumps_onto_a_saddle() {
    let t = trace(
        "quadratic:lambda1=1,lambda2=50,angle=30",
        "newton",
        [2.0, -1.0],
        1,
    )
    .unwrap();
    assert!(t.points[1][0].abs() < 1e-12 && t.points[1][1].abs() < 1e-12);
    let t = trace("saddle", "newton", [1.0, 0.5], 3).unwrap();
    assert!(t.points[1][0].abs() < 1e-15 && t.points[1][1].abs() < 1e-15);
    assert_eq!(t.status, Status::Stationary { step: 1 });
    let half = trace("booth", "newton:lr=0.5", [-8.0, -6.0], 1).unwrap();
    assert!(close(half.points[1][0], 0.5 * (-8.0 + 1.0)));
    assert!(close(half.points[1][1], 0.5 * (-6.0 + 3.0)));
}

#[test]
fn newton_survives_a_singular_hessian() {
    // The monkey saddle's Hessian vanishes at the origin and is singular on its axes.
    let t = trace("monkey-saddle", "newton", [0.0, 1e-3], 50).unwrap();
    assert!(t.points.iter().flatten().all(|c| c.is_finite()));
    let t = trace("monkey-saddle", "newton", [1e-200, 0.0], 5).unwrap();
    assert!(t.points.iter().flatten().all(|c| c.is_finite()));
}

#[test]
fn adam_first_step_has_the_size_of_the_learning_rate() {
    let lr = 0.01;
    let t = trace("rosenbrock", &format!("adam:lr={lr}"), [-1.5, 1.5], 1).unwrap();
    // m̂₁/√v̂₁ = g/|g| = ±1 in each coordinate (up to ε).
    for i in 0..2 {
        assert!(((t.points[1][i] - t.points[0][i]).abs() - lr).abs() < 1e-9);
    }
    // Without bias correction the first step is (1 − β₁)/√(1 − β₂) ≈ 3.16 times larger.
    let raw = trace(
        "rosenbrock",
        &format!("adam:lr={lr},bias_correction=false"),
        [-1.5, 1.5],
        1,
    )
    .unwrap();
    let factor = 0.1 / 0.001f64.sqrt();
    assert!(((raw.points[1][0] - raw.points[0][0]).abs() - factor * lr).abs() < 1e-9);
}

#[test]
fn lion_moves_every_coordinate_by_exactly_the_learning_rate() {
    let t = trace("himmelblau", "lion:lr=0.05", [0.3, -0.4], 30).unwrap();
    for w in t.points.windows(2) {
        for (after, before) in w[1].iter().zip(&w[0]) {
            assert!(((after - before).abs() - 0.05).abs() < 1e-12);
        }
    }
}

#[test]
fn adamw_without_decay_is_adam() {
    let adam = trace("beale", "adam:lr=0.02,amsgrad=true", [1.0, 1.5], 100).unwrap();
    let adamw = trace(
        "beale",
        "adamw:lr=0.02,amsgrad=true,weight_decay=0",
        [1.0, 1.5],
        100,
    )
    .unwrap();
    assert_eq!(adam, adamw);
    let decayed = trace("beale", "adamw:lr=0.02,weight_decay=0.5", [1.0, 1.5], 100).unwrap();
    assert_ne!(adam.points, decayed.points);
}

#[test]
fn a_run_that_reaches_a_minimum_stops_there_stationary() {
    let t = trace("booth", "sgd:lr=0.05", [-8.0, -6.0], 5000).unwrap();
    let Status::Stationary { step } = t.status else {
        panic!("{:?}", t.status)
    };
    assert_eq!(step + 1, t.points.len());
    let [x, y] = t.points[step];
    assert!((x - 1.0).abs() < 1e-9 && (y - 3.0).abs() < 1e-9);
}

#[test]
fn gradient_noise_is_seeded() {
    let run = |spec: &str| trace("rosenbrock", spec, [-1.5, 1.5], 200).unwrap();
    let a = run("momentum:lr=0.001,noise=5,seed=7");
    assert_eq!(a, run("momentum:lr=0.001,noise=5,seed=7"));
    assert_ne!(a.points, run("momentum:lr=0.001,noise=5,seed=8").points);
    assert_ne!(a.points, run("momentum:lr=0.001").points);
    assert_eq!(
        run("momentum:lr=0.001,noise=0,seed=3"),
        run("momentum:lr=0.001")
    );
}
