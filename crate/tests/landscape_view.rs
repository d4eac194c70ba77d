//! The network lab's landscape view: its cells are the plane's loss at the weights of the
//! run, the coarse pass comes first, training starts a new fill at the new weights while
//! the last complete one is shown, and bad settings are clear errors.

use gradscape::lab::landscape::{
    least_squares, Landscape, LandscapeSettings, INTERPOLATION_STEPS, LEAST_SIDE, MOST_SIDE,
};
use gradscape::lab::network::NetworkLab;
use gradscape::nn::landscape::{interpolate, Direction, Plane, PlaneLoss};
use gradscape::nn::setup::Setup;
use gradscape::rates::{coarse_stride, progressive_order};
use gradscape::Spec;

/// A 2-16-16-3 tanh network on three spiral arms, with an L2 term, after `epochs`.
fn lab(epochs: usize) -> NetworkLab {
    let setup = Setup {
        dataset: Spec::parse("spirals:k=3,n=150,seed=2").unwrap(),
        hidden: vec![16, 16],
        l2: 0.001,
        optimizer: Spec::parse("adam:lr=0.01").unwrap(),
        seed: 4,
        ..Setup::default()
    };
    let mut lab = NetworkLab::open(&setup);
    while lab.trainer().epoch < epochs {
        lab.train(1);
    }
    lab
}

fn settings(d1: &str, d2: &str, span: [f64; 2], side: usize) -> LandscapeSettings {
    LandscapeSettings {
        directions: [Direction::parse(d1).unwrap(), Direction::parse(d2).unwrap()],
        span,
        side,
    }
}

/// g at (a, b) as the slice code does not compute it: the plane of the same directions
/// through the run's θ now, and A's loss on it.
fn independent(lab: &NetworkLab, s: &LandscapeSettings) -> PlaneLoss {
    let t = lab.trainer();
    let plane = Plane::through(&t.network, &t.theta, s.directions, Some(lab.trajectory()));
    PlaneLoss::new(
        t.network.clone(),
        t.data.train.x.clone(),
        t.train_targets().clone(),
        plane.unwrap(),
    )
    .unwrap()
}

#[test]
fn every_cell_is_the_plane_s_loss_at_its_point() {
    let lab = lab(3);
    for (d1, d2) in [
        ("W1[3,5]", "b0[7]"),
        ("random:seed=1", "random:seed=2"),
        ("pca:1", "pca:2"),
    ] {
        let s = settings(d1, d2, [1.5, 0.75], LEAST_SIDE);
        let mut view = Landscape::new(&lab, s).unwrap();
        assert!(view.refine(&lab, usize::MAX), "{d1} {d2}");
        let mut g = independent(&lab, &s);
        for j in 0..s.side {
            for i in 0..s.side {
                let point = view.point(i, j);
                assert_eq!(view.cell(i, j), Some(g.loss(point)), "{d1} {d2} ({i}, {j})");
            }
        }
        // The grid's corners are the span's, both ends included.
        assert_eq!(view.point(0, 0), [-1.5, -0.75]);
        assert_eq!(view.point(s.side - 1, s.side - 1), [1.5, 0.75]);
        // Shifted weights by hand: the two weights' plane is the loss with them moved.
        if d1.starts_with('W') {
            let t = lab.trainer();
            let (w, b) = (16 * 2 + 16 + 5 * 16 + 3, 16 * 2 + 7);
            let [a, bb] = view.point(2, 11);
            let mut shifted = t.theta.clone();
            shifted[w] += a;
            shifted[b] += bb;
            let expected = t
                .network
                .loss(&shifted, &t.data.train.x, t.train_targets())
                .total();
            assert_eq!(view.cell(2, 11), Some(expected));
        }
    }
}

#[test]
fn the_coarse_pass_comes_first_and_is_a_whole_picture() {
    let lab = lab(2);
    let side = MOST_SIDE;
    let s = settings("random:seed=3", "random:seed=4", [1.0, 1.0], side);
    let mut view = Landscape::new(&lab, s).unwrap();
    assert!(view.picture().is_none(), "no cell yet");
    // The line from θ₀ through θ comes with the view, before any cell.
    let line = view.interpolation();
    assert_eq!(line.len(), INTERPOLATION_STEPS);
    assert_eq!((line[0].t, line[INTERPOLATION_STEPS - 1].t), (-0.5, 1.5));
    let stride = coarse_stride(side, side);
    let coarse = side.div_ceil(stride).pow(2);
    assert_eq!(coarse, 16 * 16);
    assert!(!view.refine(&lab, coarse - 1));
    assert!(view.picture().is_none(), "the coarse pass is not done");
    assert!(!view.refine(&lab, 1));
    for j in 0..side {
        for i in 0..side {
            let on_coarse = i % stride == 0 && j % stride == 0;
            assert_eq!(view.cell(i, j).is_some(), on_coarse, "({i}, {j})");
        }
    }
    let picture = view.picture().unwrap();
    assert_eq!(picture.field.values.len(), side * side);
    assert!(picture.field.values.iter().all(|v| v.is_finite()));
    // The rest in the progressive order, then complete.
    let order = progressive_order(side, side);
    assert!(!view.refine(&lab, 100));
    for &k in &order[..coarse + 100] {
        let k = k as usize;
        assert!(view.cell(k % side, k / side).is_some());
    }
    let status = view.status(&lab);
    assert_eq!(
        (status.filled, status.cells, status.side, status.complete),
        (coarse + 100, side * side, side, false)
    );
    assert!(view.refine(&lab, usize::MAX));
    assert!(view.status(&lab).complete);
    assert_eq!(
        (view.cell(side, 0), view.cell(0, side)),
        (None, None),
        "off the grid"
    );
}

#[test]
fn training_starts_a_new_fill_at_the_new_weights_and_the_old_one_stays_shown() {
    let mut lab = lab(2);
    let s = settings("pca:1", "pca:2", [2.0, 2.0], 32);
    let mut view = Landscape::new(&lab, s).unwrap();
    assert!(view.refine(&lab, usize::MAX));
    let before = view.picture().unwrap().field.values.clone();
    let old_line = view.interpolation().to_vec();
    let old_theta = view.plane().origin().to_vec();
    lab.train(150);
    assert!(lab.trainer().epoch >= 3);
    // Complete, but θ has moved: not up to date, and the next refine starts anew.
    assert!(!view.status(&lab).complete);
    assert!(!view.refine(&lab, INTERPOLATION_STEPS + 10));
    assert_eq!(view.plane().origin(), &lab.trainer().theta[..]);
    assert_ne!(view.plane().origin(), &old_theta[..]);
    assert_eq!(view.status(&lab).filled, 10, "the line took its share");
    // Until its coarse pass, the picture and the line are the last complete fill's.
    assert_eq!(view.picture().unwrap().field.values, before);
    assert_eq!(view.interpolation(), &old_line[..]);
    let coarse = (32_usize - 1).div_ceil(coarse_stride(32, 32)).pow(2) + 1;
    view.refine(&lab, coarse);
    let picture = view.picture().unwrap();
    assert_ne!(picture.field.values, before);
    // The new picture's cells are the new plane's (the principal directions of the
    // longer path), and its path ends at the last epoch recorded.
    let mut g = independent(&lab, &s);
    assert_eq!(view.cell(0, 0), Some(g.loss(view.point(0, 0))));
    let last = picture.path.last().unwrap();
    assert_eq!(last.0, lab.trainer().epoch);
    // The line from θ₀ through θ is the one at the snapshot.
    let t = lab.trainer();
    let start = lab.trajectory().points().next().unwrap();
    let line = interpolate(
        &t.network,
        &t.data.train.x,
        t.train_targets(),
        [start, &t.theta],
        INTERPOLATION_STEPS,
    )
    .unwrap();
    assert_eq!(view.interpolation(), &line[..]);
    assert!(view.refine(&lab, usize::MAX));
    assert!(view.status(&lab).complete);
}

#[test]
fn the_axes_name_the_directions_and_the_share_of_variance() {
    let lab = lab(4);
    let mut view = Landscape::new(&lab, settings("pca:1", "W0[1,0]", [1.0, 1.0], 16)).unwrap();
    view.refine(&lab, usize::MAX);
    let picture = view.picture().unwrap();
    let share = view.plane().explained()[0].unwrap();
    assert_eq!(
        picture.names,
        [
            format!("a · PC1 ({}%)", (100.0 * share).round()),
            "b · W0[1,0]".to_string()
        ]
    );
    // A principal direction and a weight are not orthonormal: least squares.
    assert!(picture.least_squares);
    let kinds = |a: &str, b: &str| least_squares(&settings(a, b, [1.0, 1.0], 16).directions);
    assert!(!kinds("W0[1,0]", "b1[2]"));
    assert!(!kinds("pca:2", "pca:1"));
    assert!(kinds("random:seed=1", "random:seed=2"));
    assert!(kinds("random:seed=1", "W0[0,0]"));
    // The view reaches half a step beyond the span: the grid's points are the centres
    // of the field's cells.
    let view_box = picture.field.view;
    assert!(
        (view_box.x.1 - (1.0 + 1.0 / 15.0)).abs() < 1e-12,
        "{view_box:?}"
    );
}

#[test]
fn bad_settings_are_clear_errors() {
    let early = lab(0);
    let error = |lab: &NetworkLab, s: LandscapeSettings| match Landscape::new(lab, s) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.0,
    };
    let e = error(&early, settings("pca:1", "pca:2", [1.0, 1.0], 32));
    assert!(e.contains("train an epoch or two first"), "{e}");
    let trained = lab(2);
    for (d1, d2, span, side, says) in [
        ("W3[0,0]", "b0[0]", [1.0, 1.0], 32, "W3[0,0] does not exist"),
        ("W0[0,2]", "b0[0]", [1.0, 1.0], 32, "W0[0,2] does not exist"),
        ("b1[16]", "b0[0]", [1.0, 1.0], 32, "b1[16] does not exist"),
        ("W0[0,0]", "b0[0]", [0.0, 1.0], 32, "span of a"),
        ("W0[0,0]", "b0[0]", [1.0, -2.0], 32, "span of b"),
        ("W0[0,0]", "b0[0]", [1.0, f64::NAN], 32, "span of b"),
        (
            "W0[0,0]",
            "b0[0]",
            [1.0, 1.0],
            15,
            "the side must be 16 to 64",
        ),
        (
            "W0[0,0]",
            "b0[0]",
            [1.0, 1.0],
            65,
            "the side must be 16 to 64",
        ),
        (
            "W0[0,0]",
            "W0[0,0]",
            [1.0, 1.0],
            32,
            "two different directions",
        ),
    ] {
        let e = error(&trained, settings(d1, d2, span, side));
        assert!(e.contains(says), "{d1} {d2} {span:?} {side}: {e}");
    }
    // A model of zeros: a filter-normalized direction is zero, no plane.
    let zero = NetworkLab::open(&Setup {
        init: "zero".into(),
        ..Setup::default()
    });
    let e = error(&zero, settings("random:seed=1", "b0[0]", [1.0, 1.0], 16));
    assert!(e.contains("is zero"), "{e}");
}
