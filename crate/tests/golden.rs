//! Trajectories against real `torch.optim` in float64 (see `reference/mod.rs`).

use gradscape::run::{trace, Status};

mod reference;

use reference::close;

#[test]
fn every_optimizer_matches_pytorch() {
    let cases = reference::cases();
    assert!(cases.len() >= 11);
    for case in &cases {
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
