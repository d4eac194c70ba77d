//! Trajectories against real `torch.optim` in float64.
//!
//! `golden/optimizer-trajectories.json` is the project's reference file (its
//! `generator` field names the script that made it): for each case, torch's optimizer
//! stepped the surface's exact gradient from `start`, recording (x, y, loss) after
//! every step. `nesterov` there is the lecture's formula, which torch does not have.

use gradscape::run::{trace, Status};

#[derive(serde::Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    surface: String,
    optimizer: String,
    start: [f64; 2],
    steps: usize,
    points: Vec<[f64; 3]>,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("golden/optimizer-trajectories.json")).unwrap()
}

/// Agreement to ~1e-9 relative: the same maths, possibly in another order.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-3)
}

#[test]
fn every_optimizer_matches_pytorch() {
    let reference = reference();
    assert!(reference.cases.len() >= 11);
    for case in &reference.cases {
        let t = trace(&case.surface, &case.optimizer, case.start, case.steps).unwrap();
        assert_eq!(t.status, Status::Running, "{}", case.optimizer);
        assert_eq!(t.points.len(), case.points.len(), "{}", case.optimizer);
        for (k, (([x, y], loss), expected)) in
            t.points.iter().zip(&t.losses).zip(&case.points).enumerate()
        {
            for (got, want) in [(x, expected[0]), (y, expected[1]), (loss, expected[2])] {
                assert!(
                    close(*got, want),
                    "{} on {}, step {k}: {got} != {want}",
                    case.optimizer,
                    case.surface
                );
            }
        }
    }
}

/// The lecture's momentum m ← γm + ηg, θ ← θ − m against torch's SGD form
/// b ← γb + g, θ ← θ − ηb written out here, on several surfaces.
#[test]
fn momentum_is_torch_sgd_with_momentum() {
    let (lr, gamma) = (0.002, 0.8);
    for name in ["rosenbrock", "beale", "himmelblau", "quadratic:angle=30"] {
        let surface =
            gradscape::surface::from_spec(&gradscape::Spec::parse(name).unwrap()).unwrap();
        let start = surface.start();
        let ours = trace(
            name,
            &format!("momentum:lr={lr},momentum={gamma}"),
            start,
            50,
        )
        .unwrap();
        let (mut theta, mut buffer) = (start, [0.0; 2]);
        for (k, point) in ours.points.iter().enumerate().skip(1) {
            let g = surface.gradient(theta);
            for i in 0..2 {
                buffer[i] = if k == 1 {
                    g[i]
                } else {
                    gamma * buffer[i] + g[i]
                };
                theta[i] -= lr * buffer[i];
            }
            assert!(
                close(point[0], theta[0]) && close(point[1], theta[1]),
                "{name} {k}"
            );
        }
    }
}
