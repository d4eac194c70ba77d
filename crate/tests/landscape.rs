//! The loss landscape: the plane's values against the loss computed at weights shifted by
//! hand, projections, the trajectory a run records, and the line between two weights.

use gradscape::lab::network::NetworkLab;
use gradscape::nn::landscape::trajectory::MOST;
use gradscape::nn::landscape::{interpolate, Direction, Grid, Plane, PlaneLoss};
use gradscape::nn::network::{classify, Targets};
use gradscape::nn::setup::Setup;
use gradscape::nn::train::Trainer;
use gradscape::Spec;

/// A 2-16-16-3 tanh network on three spiral arms, with an L2 term, trained `epochs`.
fn spirals(epochs: usize) -> Trainer {
    let setup = Setup {
        dataset: Spec::parse("spirals:k=3,n=150,seed=2").unwrap(),
        hidden: vec![16, 16],
        l2: 0.01,
        seed: 4,
        ..Setup::default()
    };
    let mut trainer = setup.build().unwrap().trainer;
    for _ in 0..epochs {
        trainer.run_epoch();
    }
    trainer
}

fn plane_loss(trainer: &Trainer, plane: Plane) -> PlaneLoss {
    PlaneLoss::new(
        trainer.network.clone(),
        trainer.data.train.x.clone(),
        trainer.train_targets().clone(),
        plane,
    )
    .unwrap()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn the_plane_of_two_weights_is_the_loss_with_those_weights_moved() {
    let trainer = spirals(3);
    let (network, theta) = (&trainer.network, &trainer.theta);
    let directions = [
        Direction::parse("W1[3,5]").unwrap(),
        Direction::parse("b0[7]").unwrap(),
    ];
    let plane = Plane::through(network, theta, directions, None).unwrap();
    let mut g = plane_loss(&trainer, plane);
    // W1 is layer 1's, 16 × 16, after layer 0's 16 × 2 weights and 16 biases, column by
    // column; b0[7] follows layer 0's 32 weights
    let (w, b) = (16 * 2 + 16 + 5 * 16 + 3, 16 * 2 + 7);
    let grid = Grid::new([1.5, 0.5], 5).unwrap();
    for [a, bb] in grid.points() {
        let mut shifted = theta.clone();
        shifted[w] += a;
        shifted[b] += bb;
        let (x, y) = (&trainer.data.train.x, trainer.train_targets());
        let expected = network.loss(&shifted, x, y).total();
        assert_eq!(g.loss([a, bb]), expected, "({a}, {bb})");
    }
    // the centre is θ, whose loss the last epoch recorded
    let recorded = trainer.history.last().unwrap().train.loss();
    assert_eq!(g.loss([0.0, 0.0]), recorded);
}

#[test]
fn the_plane_of_random_directions_is_the_loss_at_the_shifted_weights() {
    let trainer = spirals(2);
    let (network, theta) = (&trainer.network, &trainer.theta);
    let arch = &network.architecture;
    let d1 = Direction::Random { seed: 1 }
        .vector(arch, theta, None)
        .unwrap();
    let d2 = Direction::Random { seed: 2 }
        .vector(arch, theta, None)
        .unwrap();
    let plane = Plane::new(theta.clone(), [d1.clone(), d2.clone()]).unwrap();
    let mut g = plane_loss(&trainer, plane);
    let points = [[0.0, 0.0], [-0.7, 0.2], [1.0, -1.0], [0.05, 0.9]];
    let mut values = Vec::new();
    g.losses(&points, &mut values);
    for ([a, b], value) in points.into_iter().zip(values) {
        let shifted: Vec<f64> = (0..theta.len())
            .map(|i| theta[i] + a * d1[i] + b * d2[i])
            .collect();
        let (x, y) = (&trainer.data.train.x, trainer.train_targets());
        let expected = network.loss(&shifted, x, y).total();
        assert!(
            (value - expected).abs() <= 1e-12 * expected,
            "({a}, {b}): {value} vs {expected}"
        );
    }
    // the directions are as large as the weights: one step along d1 moves the loss
    assert!((g.loss([1.0, 0.0]) - g.loss([0.0, 0.0])).abs() > 1e-3);
}

#[test]
fn projections_are_exact_for_orthonormal_directions_and_least_squares_otherwise() {
    let trainer = spirals(4);
    let (network, theta) = (&trainer.network, &trainer.theta);
    let at = |plane: &Plane, a: f64, b: f64| {
        let mut point = vec![0.0; theta.len()];
        plane.point_into([a, b], &mut point);
        point
    };
    // principal directions: orthonormal, so the coordinates are dot products
    let pca = Plane::through(
        network,
        theta,
        [
            Direction::Pca { component: 1 },
            Direction::Pca { component: 2 },
        ],
        Some(&trainer.trajectory),
    )
    .unwrap();
    let [e1, e2] = pca.explained();
    assert!(e1.unwrap() >= e2.unwrap() && e1.unwrap() + e2.unwrap() <= 1.0);
    let [p, q] = pca.project(&at(&pca, 0.3, -1.25)).unwrap();
    assert!(
        (p - 0.3).abs() < 1e-12 && (q + 1.25).abs() < 1e-12,
        "{p} {q}"
    );
    // the recorded path ends at θ, the centre
    let path = pca.path(&trainer.trajectory).unwrap();
    assert_eq!(path.len(), 5);
    let (epoch, end) = *path.last().unwrap();
    assert_eq!(epoch, 4);
    assert!(end[0].abs() < 1e-12 && end[1].abs() < 1e-12, "{end:?}");
    // random directions are not orthogonal: least squares
    let random = Plane::through(
        network,
        theta,
        [Direction::Random { seed: 3 }, Direction::Random { seed: 4 }],
        None,
    )
    .unwrap();
    let [d1, d2] = random.directions();
    assert!(dot(d1, d2).abs() > 1e-3);
    let [p, q] = random.project(&at(&random, -0.4, 2.0)).unwrap();
    assert!(
        (p + 0.4).abs() < 1e-12 && (q - 2.0).abs() < 1e-12,
        "{p} {q}"
    );
    // a point off the plane: what is left over is orthogonal to both directions
    let off = &trainer.trajectory.points().next().unwrap();
    let [p, q] = random.project(off).unwrap();
    let left: Vec<f64> = (0..theta.len())
        .map(|i| off[i] - theta[i] - p * d1[i] - q * d2[i])
        .collect();
    let scale = dot(&left, &left).sqrt() * dot(d1, d1).sqrt();
    assert!(dot(&left, d1).abs() < 1e-10 * scale);
    assert!(dot(&left, d2).abs() < 1e-10 * scale);
}

#[test]
fn degenerate_planes_are_errors_not_nan() {
    let trainer = spirals(0);
    let network = &trainer.network;
    let zero = vec![0.0; trainer.theta.len()];
    let random = [Direction::Random { seed: 1 }, Direction::Random { seed: 2 }];
    let error = Plane::through(network, &zero, random, None).unwrap_err();
    assert!(error.to_string().contains("d1 is zero"), "{error}");
    let same = [Direction::parse("W0[0,0]").unwrap(); 2];
    let error = Plane::through(network, &trainer.theta, same, None).unwrap_err();
    assert!(error.to_string().contains("parallel"), "{error}");
    // a trajectory of θ₀ alone has no principal directions yet
    let pca = [
        Direction::Pca { component: 1 },
        Direction::Pca { component: 2 },
    ];
    let error = Plane::through(network, &trainer.theta, pca, Some(&trainer.trajectory));
    assert!(error.unwrap_err().to_string().contains("3 epochs"));
    for (span, side) in [
        ([0.0, 1.0], 9),
        ([1.0, f64::NAN], 9),
        ([1.0, 1.0], 0),
        ([1.0, 1.0], 258),
    ] {
        assert!(Grid::new(span, side).is_err(), "{span:?} {side}");
    }
}

#[test]
fn the_grid_runs_from_minus_span_to_span_through_the_centre() {
    let grid = Grid::new([2.0, 0.5], 5).unwrap();
    let points = grid.points();
    assert_eq!(points.len(), 25);
    assert_eq!(points[0], [-2.0, -0.5]);
    assert_eq!(points[12], [0.0, 0.0]);
    assert_eq!(points[24], [2.0, 0.5]);
    assert_eq!(points[1], [-1.0, -0.5]);
    assert_eq!(points[5], [-2.0, -0.25]);
}

#[test]
fn every_run_records_its_weights_once_per_epoch() {
    let setup = Setup {
        dataset: Spec::parse("xor:n=40,seed=1").unwrap(),
        batch: 8,
        ..Setup::default()
    };
    let mut trainer = setup.build().unwrap().trainer;
    let start = trainer.theta.clone();
    let mut after = Vec::new();
    for _ in 0..6 {
        trainer.run_epoch();
        after.push(trainer.theta.clone());
    }
    let trajectory = &trainer.trajectory;
    assert_eq!(trajectory.epochs(), &[0, 1, 2, 3, 4, 5, 6]);
    let points: Vec<&[f64]> = trajectory.points().collect();
    assert_eq!(points[0], &start[..]);
    for (k, theta) in after.iter().enumerate() {
        assert_eq!(points[k + 1], &theta[..], "epoch {}", k + 1);
    }
    // and a long run keeps at most MOST points, θ₀ first
    for _ in 0..MOST {
        trainer.run_epoch();
    }
    let trajectory = &trainer.trajectory;
    assert!(trajectory.len() <= MOST && trajectory.len() > MOST / 2);
    assert_eq!(trajectory.points().next().unwrap(), &start[..]);
    assert_eq!(trajectory.epochs()[0], 0);
}

#[test]
fn the_lab_shows_its_trajectory_and_starts_anew_from_a_loaded_model() {
    let mut lab = NetworkLab::open(&Setup::default());
    lab.train(200);
    let epoch = lab.trainer().epoch;
    assert!(epoch >= 2);
    assert_eq!(lab.trajectory().len(), epoch + 1);
    let model = lab.model().to_json();
    lab.load_model(&model).unwrap();
    assert_eq!(lab.trajectory().epochs(), &[epoch]);
}

#[test]
fn the_line_between_two_weights_has_the_loss_and_accuracy_of_its_points() {
    let trainer = spirals(5);
    let start = trainer.trajectory.points().next().unwrap().to_vec();
    let (network, end) = (&trainer.network, &trainer.theta);
    let (x, y) = (&trainer.data.train.x, trainer.train_targets());
    let line = interpolate(network, x, y, [&start, end], 9).unwrap();
    assert_eq!(line.len(), 9);
    assert_eq!(line[0].t, -0.5);
    assert_eq!(line[8].t, 1.5);
    for point in &line {
        let t = point.t;
        let theta: Vec<f64> = start
            .iter()
            .zip(end)
            .map(|(a, b)| (1.0 - t) * a + t * b)
            .collect();
        let expected = network.loss(&theta, x, y).total();
        assert!((point.loss - expected).abs() <= 1e-12 * expected, "t = {t}");
        let Targets::Classes(labels) = y else {
            panic!("spirals are classes")
        };
        let predicted = classify(&network.forward(&theta, x));
        let right = predicted.iter().zip(labels).filter(|(p, y)| p == y).count();
        assert_eq!(
            point.accuracy,
            Some(right as f64 / labels.len() as f64),
            "t = {t}"
        );
    }
    // at t = 1 the trained weights: the loss the last epoch recorded
    assert_eq!(line[6].t, 1.0);
    assert_eq!(line[6].loss, trainer.history.last().unwrap().train.loss());
    // a regression has no accuracy
    let setup = Setup {
        dataset: Spec::parse("curve:n=30").unwrap(),
        ..Setup::default()
    };
    let curve = setup.build().unwrap().trainer;
    let (x, y) = (&curve.data.train.x, curve.train_targets());
    let theta = &curve.theta;
    let line = interpolate(&curve.network, x, y, [theta, theta], 2).unwrap();
    assert_eq!(line[0].accuracy, None);
    // bad input
    for steps in [0, 1, 1002] {
        assert!(interpolate(&curve.network, x, y, [theta, theta], steps).is_err());
    }
    let error = interpolate(&curve.network, x, y, [&theta[1..], theta], 5).unwrap_err();
    assert!(error.to_string().contains("parameters"), "{error}");
}
