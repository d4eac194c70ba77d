//! Every preset's caption is a claim about the numbers; each is checked here on the
//! preset's own settings, so a caption cannot drift from what the lab shows.

use gradscape::lab::landscape::{Landscape, LandscapeSettings};
use gradscape::lab::network::NetworkLab;
use gradscape::lab::optimizers::{OptimizerLab, Settings};
use gradscape::lab::runs::Runs;
use gradscape::lab::{network_presets, optimizer_presets, Preset};
use gradscape::nn::setup::Setup;
use gradscape::nn::train::{EpochRecord, Stop, Trainer};
use gradscape::run::{Outcome, OutcomeKind, Status, Trajectory};

fn preset<S: Clone>(presets: &[Preset<S>], title: &str) -> S {
    presets
        .iter()
        .find(|p| p.title == title)
        .unwrap_or_else(|| panic!("no preset {title}"))
        .settings
        .clone()
}

/// The runs of an optimizer preset, in its order.
fn runs(title: &str) -> Vec<Trajectory> {
    let settings: Settings = preset(&optimizer_presets(), title);
    let (lab, problems) = OptimizerLab::open(&settings);
    assert!(problems.is_empty(), "{title}: {problems:?}");
    (0..settings.optimizers.len())
        .map(|i| lab.run(i).unwrap().clone())
        .collect()
}

/// What the status line says of each run of an optimizer preset, in its order.
fn outcomes(title: &str) -> Vec<Outcome> {
    let settings: Settings = preset(&optimizer_presets(), title);
    OptimizerLab::open(&settings).0.statuses()
}

fn kinds(outcomes: &[Outcome]) -> Vec<OutcomeKind> {
    outcomes.iter().map(|o| o.kind).collect()
}

use OutcomeKind::{Converged, Diverged, Running};

fn last_loss(t: &Trajectory) -> f64 {
    *t.losses.last().unwrap()
}

/// How many times consecutive values change sign.
fn sign_changes(values: impl Iterator<Item = f64>) -> usize {
    let values: Vec<f64> = values.collect();
    values.windows(2).filter(|w| w[0] * w[1] < 0.0).count()
}

#[test]
fn why_momentum_really_works() {
    let [sgd, momentum] = &runs("Why momentum really works")[..] else {
        panic!("two runs")
    };
    // Gradient descent crawls along the valley: after 150 steps its loss is still ~1;
    // momentum with the same step races down, overshooting (its loss rises on many
    // steps).
    assert!(last_loss(sgd) > 0.5, "{}", last_loss(sgd));
    assert!(last_loss(momentum) < 1e-4, "{}", last_loss(momentum));
    assert!(momentum.losses.windows(2).filter(|w| w[1] > w[0]).count() > 10);
    // The status line: gradient descent still running, momentum converged.
    assert_eq!(
        kinds(&outcomes("Why momentum really works")),
        [Running, Converged]
    );
}

#[test]
fn ill_conditioned_quadratic() {
    let [sgd, momentum, adam] = &runs("Ill-conditioned quadratic")[..] else {
        panic!("three runs")
    };
    let (eta, kappa) = (0.035, 50.0_f64);
    assert!(eta < 2.0 / 50.0);
    // The steep direction v = −x sin 30° + y cos 30°: the sign flips every step.
    let angle = 30f64.to_radians();
    let across = |p: &[f64; 2]| -p[0] * angle.sin() + p[1] * angle.cos();
    let along = |p: &[f64; 2]| p[0] * angle.cos() + p[1] * angle.sin();
    assert_eq!(sign_changes(sgd.points[..20].iter().map(across)), 19);
    // Along the floor (λ₁ = 1) the error shrinks by exactly 1 − η a step.
    for k in [20, 40, 80] {
        let ratio = along(&sgd.points[k]) / along(&sgd.points[k - 1]);
        assert!((ratio - (1.0 - eta)).abs() < 1e-9, "step {k}: {ratio}");
    }
    // Distill's optimal heavy ball for κ = 50, as the preset rounds it...
    let (optimal_rate, optimal_momentum) = (
        (2.0 / (1.0 + kappa.sqrt())).powi(2),
        ((kappa.sqrt() - 1.0) / (kappa.sqrt() + 1.0)).powi(2),
    );
    assert!((optimal_rate - 0.0614).abs() < 5e-5 && (optimal_momentum - 0.566).abs() < 5e-4);
    // ...gets below a loss of 1e-4 three times sooner.
    let below = |t: &Trajectory| {
        t.losses
            .iter()
            .position(|&l| l < 1e-4)
            .unwrap_or(usize::MAX)
    };
    assert!(
        3 * below(momentum) <= below(sgd),
        "{} {}",
        below(momentum),
        below(sgd)
    );
    // Adam ends far behind both.
    assert!(last_loss(adam) > 100.0 * last_loss(sgd).max(last_loss(momentum)));
    // The status line: both converge, momentum three times sooner; Adam does not.
    let o = outcomes("Ill-conditioned quadratic");
    assert_eq!(kinds(&o), [Converged, Converged, Running]);
    assert!(3 * o[1].step <= o[0].step, "{} {}", o[1].step, o[0].step);
}

#[test]
fn saddle_point_race() {
    let runs = runs("Saddle point race");
    // Left the ridge: |y| > 0.5.
    let escape = |t: &Trajectory| t.points.iter().position(|p| p[1].abs() > 0.5);
    // Gradient descent is still near the saddle at the end of the race...
    assert_eq!(escape(&runs[0]), None);
    assert!(
        runs[0].points.last().unwrap()[1].abs() > 100.0 * 1e-4,
        "but its offset grows"
    );
    // ...which every other method has left within half of it.
    for t in &runs[1..] {
        assert!(escape(t).is_some_and(|k| k <= 60), "{:?}", escape(t));
    }
    // x² − y² has no minimum: no run converges, and none has a distance to show.
    for o in outcomes("Saddle point race") {
        assert_eq!((o.kind, o.distance), (Running, None));
    }
}

#[test]
fn beale_race() {
    // sgd, momentum, adagrad, rmsprop, adam, adadelta: four find the minimum at (3, ½)
    // and stay there; the other two are still a tenth and more away, and crawl.
    let o = outcomes("Beale race");
    assert_eq!(
        kinds(&o),
        [Running, Converged, Converged, Converged, Converged, Running]
    );
    for stalled in [&o[0], &o[5]] {
        assert_eq!(stalled.minimum, Some([3.0, 0.5]));
        assert!(stalled.distance.unwrap() > 0.1, "{stalled}");
    }
    let [sgd, .., adadelta] = &runs("Beale race")[..] else {
        panic!("six runs")
    };
    for t in [sgd, adadelta] {
        let n = t.points.len();
        let moved = (t.points[n - 1][0] - t.points[n - 101][0])
            .hypot(t.points[n - 1][1] - t.points[n - 101][1]);
        assert!(moved < 0.05, "the last 100 steps moved {moved}");
    }
}

#[test]
fn long_valley() {
    let [sgd, momentum, rmsprop, adam] = &runs("Long valley")[..] else {
        panic!("four runs")
    };
    let step = |t: &Trajectory, k: usize| t.points[k][0] - t.points[k - 1][0];
    // η = 0.15 < 2/10: gradient descent bounces between the walls (y changes sign),
    // then crawls along the floor at η·½ a step.
    assert!(sign_changes(sgd.points[..10].iter().map(|p| p[1])) == 9);
    for k in [1, 50, 150] {
        assert!((step(sgd, k) - 0.15 * 0.5).abs() < 1e-4);
    }
    // Momentum builds up to η·½/(1 − γ) = 0.15 a step, and arrives first.
    assert!((step(momentum, 60) - 0.03 * 0.5 / 0.1).abs() < 0.005);
    let arrival = |t: &Trajectory| t.points.iter().position(|p| p[0] > 7.0).unwrap();
    for other in [sgd, rmsprop, adam] {
        assert!(arrival(momentum) < arrival(other));
    }
    // Adam moves η a step from the start; RMSprop starts at η/√(1 − α) = 10η.
    for k in [1, 100] {
        assert!((step(adam, k) - 0.1).abs() < 0.002);
    }
    assert!((step(rmsprop, 1) - 0.5).abs() < 1e-6);
    assert!(step(rmsprop, 150) < 1.2 * 0.05);
    // Every one converges at the valley's end, momentum first.
    let o = outcomes("Long valley");
    assert_eq!(kinds(&o), [Converged; 4]);
    assert!(o[2..]
        .iter()
        .chain([&o[0]])
        .all(|other| o[1].step < other.step));
}

#[test]
fn learning_rate_too_high_diverges() {
    let [slow, inwards, outwards] = &runs("Learning rate too high diverges")[..] else {
        panic!("three runs")
    };
    assert!(slow.status != Status::Diverged { step: 0 });
    // λ₂ = 10: η = 0.19 < 2/10 zig-zags inwards, η = 0.21 > 2/10 overshoots more and
    // more, until it leaves the plane.
    let y = |t: &Trajectory| t.points.iter().map(|p| p[1]).collect::<Vec<_>>();
    let (yi, yo) = (y(inwards), y(outwards));
    assert!(yi
        .windows(2)
        .take(50)
        .all(|w| w[0] * w[1] < 0.0 && w[1].abs() < w[0].abs()));
    assert!(yo
        .windows(2)
        .all(|w| w[0] * w[1] < 0.0 && w[1].abs() > w[0].abs()));
    assert!(matches!(outwards.status, Status::Diverged { .. }));
    assert!(!matches!(inwards.status, Status::Diverged { .. }));
    assert_eq!(
        kinds(&outcomes("Learning rate too high diverges")),
        [Converged, Converged, Diverged]
    );
}

#[test]
fn momentum_overshoots() {
    let [settles, spirals] = &runs("Momentum overshoots")[..] else {
        panic!("two runs")
    };
    let distance = |t: &Trajectory, k: usize| t.points[k][0].hypot(t.points[k][1]);
    // γ = 0.99 overshoots the minimum again and again (x changes sign) and is still
    // far from it after 300 steps, where γ = 0.9 has settled.
    assert!(sign_changes(spirals.points.iter().map(|p| p[0])) >= 5);
    assert!(distance(spirals, 300) > 0.1);
    assert!(distance(settles, 300) < 1e-2);
    assert_eq!(
        kinds(&outcomes("Momentum overshoots")),
        [Converged, Running]
    );
}

#[test]
fn adam_with_and_without_bias_correction() {
    let [corrected, uncorrected] = &runs("Adam with and without bias correction")[..] else {
        panic!("two runs")
    };
    let first_step = |t: &Trajectory| (t.points[1][0] - t.points[0][0]).abs();
    // Without 1 − βᵗ the first step is (1 − β₁)/√(1 − β₂) = 3.16 times Adam's.
    let ratio = first_step(uncorrected) / first_step(corrected);
    assert!((ratio - 0.1 / 0.001f64.sqrt()).abs() < 0.01, "{ratio}");
}

#[test]
fn adam_at_3e_4() {
    let [slow, fast] = &runs("Adam at 3e-4")[..] else {
        panic!("two runs")
    };
    // Each coordinate moves about η per step...
    for k in 1..20 {
        let step = (slow.points[k][0] - slow.points[k - 1][0]).abs();
        assert!((step - 3e-4).abs() < 0.01 * 3e-4, "step {k}: {step}");
    }
    // ...so after 5000 steps it is still crossing the valley, where η = 0.01 is close
    // to the minimum at (1, 1).
    let distance = |t: &Trajectory| {
        let p = t.points.last().unwrap();
        (p[0] - 1.0).hypot(p[1] - 1.0)
    };
    assert!(
        distance(slow) > 1.0 && distance(fast) < 0.05,
        "{} {}",
        distance(slow),
        distance(fast)
    );
    // Close, not yet converged: the status line shows both distances.
    let o = outcomes("Adam at 3e-4");
    assert_eq!(kinds(&o), [Running, Running]);
    assert_eq!(o[1].distance, Some(distance(fast)));
}

/// The network preset's trainer, trained for `epochs` epochs (or until it stops).
fn trained(title: &str, epochs: usize) -> Trainer {
    let setup: Setup = preset(&network_presets(), title);
    let mut trainer = setup.build().unwrap().trainer;
    for _ in 0..epochs {
        trainer.run_epoch();
        if trainer.stopped.is_some() {
            break;
        }
    }
    trainer
}

fn accuracy(t: &Trainer) -> f64 {
    t.history.last().unwrap().train.accuracy.unwrap()
}

#[test]
fn xor_needs_a_hidden_layer() {
    // Linear, it cannot do better than three points in four.
    assert!(accuracy(&trained("XOR needs a hidden layer", 50)) <= 0.76);
    // With a hidden layer, as the caption suggests, it can.
    let mut setup: Setup = preset(&network_presets(), "XOR needs a hidden layer");
    setup.hidden = vec![4];
    let mut t = setup.build().unwrap().trainer;
    (0..50).for_each(|_| t.run_epoch());
    assert!(accuracy(&t) > 0.95);
}

#[test]
fn zero_init_does_not_learn() {
    let t = trained("Zero init doesn't learn", 20);
    let arch = &t.network.architecture;
    // No gradient reaches a weight: every W stays zero, only the output biases move.
    for l in 0..arch.layers.len() {
        assert!(
            arch.weights(&t.theta, l).iter().all(|&w| w == 0.0),
            "layer {l}"
        );
    }
    assert!(arch.biases(&t.theta, 0).iter().all(|&b| b == 0.0));
    assert!(arch.biases(&t.theta, 1).iter().any(|&b| b != 0.0));
}

#[test]
fn constant_init_collapses_by_symmetry() {
    let t = trained("Constant init collapses by symmetry", 20);
    let w = t.network.architecture.weights(&t.theta, 0);
    // Every hidden unit is still a copy of the first.
    for row in 1..w.nrows() {
        assert_eq!(w.row(row), w.row(0));
    }
}

/// The landscape a network preset opens, on `lab`'s run, filled in on `side` × `side`
/// points.
fn landscape_of(title: &str, lab: &NetworkLab, side: usize) -> Landscape {
    let presets = network_presets();
    let preset = presets.iter().find(|p| p.title == title).unwrap();
    let page = preset.page.landscape.as_ref().unwrap();
    let settings = LandscapeSettings {
        directions: [page.d1, page.d2],
        span: page.span,
        side,
    };
    let mut view = Landscape::new(lab, settings).unwrap();
    assert!(view.refine(lab, usize::MAX));
    view
}

/// The network preset's lab, trained for `epochs` epochs.
fn lab_trained(title: &str, epochs: usize) -> NetworkLab {
    let mut lab = NetworkLab::open(&preset(&network_presets(), title));
    assert_eq!(lab.problems(), []);
    while lab.trainer().epoch < epochs {
        lab.train(1);
    }
    lab
}

#[test]
fn the_landscape_of_xor() {
    let title = "The landscape of XOR";
    let lab = lab_trained(title, 20);
    let t = lab.trainer();
    assert_eq!(accuracy(t), 1.0);
    // Along W1[0,0] and W1[1,0] (equal spans, so a diagonal step moves both equally)
    // the loss is constant on every diagonal; along the one through θ (the centre of an
    // odd grid) it is θ's.
    let view = landscape_of(title, &lab, 33);
    let at_theta = t
        .network
        .loss(&t.theta, &t.data.train.x, t.train_targets())
        .total();
    for j in 0..32 {
        for i in 0..32 {
            let (here, along) = (view.cell(i, j).unwrap(), view.cell(i + 1, j + 1).unwrap());
            assert!((here - along).abs() <= 1e-12 * here.max(1e-3), "({i}, {j})");
        }
        assert!((view.cell(j, j).unwrap() - at_theta).abs() <= 1e-12, "{j}");
    }
    // Not a flat picture: across the diagonals, in both corners, the loss is over ten
    // times θ's.
    assert!(view.cell(0, 32).unwrap().min(view.cell(32, 0).unwrap()) > 10.0 * at_theta);
    // Other minima: a hidden unit's signs flipped in and out, two units swapped.
    let arch = &t.network.architecture;
    let ((w0, b0), (w1, _)) = (arch.offsets(0), arch.offsets(1));
    let (hidden, inputs, outputs) = (4, 2, 2);
    let loss = |theta: &[f64]| {
        t.network
            .loss(theta, &t.data.train.x, t.train_targets())
            .total()
    };
    for unit in 0..hidden {
        let mut flipped = t.theta.clone();
        (0..inputs).for_each(|j| flipped[w0 + j * hidden + unit] *= -1.0);
        flipped[b0 + unit] *= -1.0;
        (0..outputs).for_each(|i| flipped[w1 + unit * outputs + i] *= -1.0);
        assert_ne!(flipped, t.theta);
        assert!((loss(&flipped) - at_theta).abs() <= 1e-12, "unit {unit}");
    }
    let mut swapped = t.theta.clone();
    for j in 0..inputs {
        swapped.swap(w0 + j * hidden, w0 + j * hidden + 1);
    }
    swapped.swap(b0, b0 + 1);
    for i in 0..outputs {
        swapped.swap(w1 + i, w1 + outputs + i);
    }
    assert!((loss(&swapped) - at_theta).abs() <= 1e-12);
}

#[test]
fn zero_init_sits_on_a_saddle() {
    let title = "Zero init sits on a saddle";
    let lab = lab_trained(title, 5);
    let t = lab.trainer();
    let arch = &t.network.architecture;
    for l in 0..arch.layers.len() {
        assert!(arch.weights(&t.theta, l).iter().all(|&w| w == 0.0));
    }
    // Only the output biases moved.
    assert!(arch.biases(&t.theta, 0).iter().all(|&b| b == 0.0));
    assert!(arch.biases(&t.theta, 1).iter().any(|&b| b != 0.0));
    // The slice on an odd grid, its centre θ: central differences of its cells.
    let n = 41;
    let view = landscape_of(title, &lab, n);
    let g = |i: usize, j: usize| view.cell(i, j).unwrap();
    let c = n / 2;
    let h = view.point(c + 1, c)[0] - view.point(c, c)[0];
    assert_eq!(view.point(c, c), [0.0, 0.0]);
    let gradient = [
        (g(c + 1, c) - g(c - 1, c)) / (2.0 * h),
        (g(c, c + 1) - g(c, c - 1)) / (2.0 * h),
    ];
    assert_eq!(gradient, [0.0, 0.0]);
    let gaa = (g(c + 1, c) - 2.0 * g(c, c) + g(c - 1, c)) / (h * h);
    let gbb = (g(c, c + 1) - 2.0 * g(c, c) + g(c, c - 1)) / (h * h);
    let gab =
        (g(c + 1, c + 1) - g(c + 1, c - 1) - g(c - 1, c + 1) + g(c - 1, c - 1)) / (4.0 * h * h);
    // A saddle: the 2×2 Hessian's determinant is negative (eigenvalues of opposite
    // signs), and the curvature along one diagonal is the other's negative.
    let determinant = gaa * gbb - gab * gab;
    assert!(determinant < -1e-3, "{gaa} {gab} {gbb}");
    let along = |s: f64| (g(c + 1, c + 1) + g(c - 1, c - 1) - 2.0 * g(c, c)) * s;
    let across = g(c + 1, c - 1) + g(c - 1, c + 1) - 2.0 * g(c, c);
    assert!(along(1.0) * across < 0.0, "{} {across}", along(1.0));
    // tanh is odd: g(a, b) = g(−a, −b), and the lowest point has its mirror image.
    let mut lowest = (f64::INFINITY, 0, 0);
    for j in 0..n {
        for i in 0..n {
            assert!(
                (g(i, j) - g(n - 1 - i, n - 1 - j)).abs() <= 1e-12,
                "({i}, {j})"
            );
            if g(i, j) < lowest.0 {
                lowest = (g(i, j), i, j);
            }
        }
    }
    let (low, i, j) = lowest;
    assert!(low < g(c, c) - 0.05, "{low} vs {}", g(c, c));
    assert!((i, j) != (c, c) && (g(n - 1 - i, n - 1 - j) - low).abs() <= 1e-12);
}

#[test]
fn sharp_vs_wide_batch_10_vs_full_batch() {
    let title = "Sharp vs wide: batch 10 vs full batch";
    let setups = preset_setups(title);
    let mut runs = Runs::open(&setups, 0).unwrap();
    assert_eq!(runs.problems(), []);
    let train = runs.lab(0).unwrap().trainer().data.train.len();
    assert_eq!((setups[0].batch, setups[1].batch, train), (10, 400, 400));
    runs.train(2000);
    let small = runs.lab(0).unwrap();
    let full = runs.lab(1).unwrap();
    assert_eq!((small.trainer().epoch, full.trainer().epoch), (50, 2000));
    let loss = |lab: &NetworkLab| lab.trainer().history.last().unwrap().train.loss();
    assert!(loss(full) < loss(small), "{} {}", loss(full), loss(small));
    // The mean rise of g above θ's loss on the cells at distance 0.5 (within half a
    // step) of the centre, on the preset's plane.
    let rise = |lab: &NetworkLab| {
        let n = 33;
        let view = landscape_of(title, lab, n);
        let (centre, step) = (
            view.cell(16, 16).unwrap(),
            view.point(1, 0)[0] - view.point(0, 0)[0],
        );
        let ring: Vec<f64> = (0..n * n)
            .filter(|k| {
                let [a, b] = view.point(k % n, k / n);
                (a.hypot(b) - 0.5).abs() <= step / 2.0
            })
            .map(|k| view.cell(k % n, k / n).unwrap() - centre)
            .collect();
        assert!(ring.len() > 20);
        ring.iter().sum::<f64>() / ring.len() as f64
    };
    let (sharp, wide) = (rise(full), rise(small));
    assert!(wide > 0.0 && sharp > 2.0 * wide, "{sharp} {wide}");
}

#[test]
fn sigmoid_saturates_with_large_init() {
    let title = "Sigmoid saturates with large init";
    let start = trained(title, 0);
    let forward = start.network.forward(&start.theta, &start.data.train.x);
    // Most units of every hidden layer sit within 0.01 of 0 or 1, where sigm' < 0.01...
    for l in 1..start.network.architecture.layers.len() {
        let h = &forward.post[l];
        let saturated = h.iter().filter(|&v| !(0.01..=0.99).contains(&v)).count();
        assert!(
            saturated as f64 > 0.5 * (h.units() * h.samples()) as f64,
            "layer {l}"
        );
    }
    // ...and training stalls, where N(0, 1) reaches over 99% in 30 epochs.
    assert!(accuracy(&trained(title, 30)) < 0.8);
    let mut smaller: Setup = preset(&network_presets(), title);
    smaller.init = "normal:1".into();
    let mut t = smaller.build().unwrap().trainer;
    (0..30).for_each(|_| t.run_epoch());
    assert!(accuracy(&t) > 0.99);
}

/// ‖∇Wˡ‖ / ‖Wˡ‖ of every layer in epoch `epoch`.
fn ratios(t: &Trainer, epoch: usize) -> Vec<f64> {
    t.layer_history[epoch]
        .layers
        .iter()
        .map(|r| r.ratio.unwrap())
        .collect()
}

#[test]
fn vanishing_gradients_deep_sigmoid_from_normal_1() {
    let title = "Vanishing gradients: deep sigmoid from N(0, 1)";
    let t = trained(title, 5);
    let arch = &t.network.architecture;
    assert_eq!(arch.layers.len(), 6);
    assert!(arch.layers[..5]
        .iter()
        .all(|l| l.activation == gradscape::nn::Activation::Sigmoid));
    // After the first epoch the ratio grows layer by layer towards the output, the
    // first layer's under a hundredth of the output layer's...
    let first = ratios(&t, 1);
    assert!(first.windows(2).all(|w| w[0] < w[1]), "{first:?}");
    assert!(first[0] < first[5] / 100.0, "{first:?}");
    // ...and for 5 epochs the accuracy stays under 75%.
    assert_eq!(t.epoch, 5);
    assert!(t.history.iter().all(|r| r.train.accuracy.unwrap() < 0.75));
    // tanh with Glorot's init: every ratio within 3 times the output layer's, and over
    // 85% within 3 epochs.
    let mut tanh: Setup = preset(&network_presets(), title);
    tanh.activation = "tanh".into();
    tanh.init = "glorot-uniform".into();
    let mut t = tanh.build().unwrap().trainer;
    (0..3).for_each(|_| t.run_epoch());
    let first = ratios(&t, 1);
    let output = first[5];
    assert!(
        first
            .iter()
            .all(|r| (output / 3.0..=3.0 * output).contains(r)),
        "{first:?}"
    );
    assert!(accuracy(&t) > 0.85);
}

/// The share of all hidden units dead in epoch `epoch`.
fn dead(t: &Trainer, epoch: usize) -> f64 {
    let arch = &t.network.architecture;
    let hidden = &arch.layers[..arch.layers.len() - 1];
    let dead: f64 = t.layer_history[epoch].layers[..hidden.len()]
        .iter()
        .zip(hidden)
        .map(|(r, l)| r.dead.unwrap() * l.outputs as f64)
        .sum();
    dead / hidden.iter().map(|l| l.outputs as f64).sum::<f64>()
}

#[test]
fn dead_relus_at_a_large_learning_rate() {
    let title = "Dead ReLUs at a large learning rate";
    let setup: Setup = preset(&network_presets(), title);
    let mut t = setup.build().unwrap().trainer;
    // A first-layer unit dead at the end of an epoch is dead at the end of every later
    // one: the set only grows.
    let dead_units = |t: &Trainer| -> Vec<usize> {
        let h = &t.network.forward(&t.theta, &t.data.train.x).post[1];
        (0..h.units())
            .filter(|&u| h.unit(u).iter().all(|&v| v <= 0.0))
            .collect()
    };
    let mut before = dead_units(&t);
    for _ in 0..10 {
        t.run_epoch();
        let now = dead_units(&t);
        assert!(before.iter().all(|u| now.contains(u)), "{before:?} {now:?}");
        before = now;
    }
    assert_eq!((t.epoch, t.stopped), (10, None));
    // After 10 epochs over 60% of the hidden units are dead, and the accuracy stays
    // under 85%...
    assert!(dead(&t, 10) > 0.6, "{}", dead(&t, 10));
    assert!(t.history.iter().all(|r| r.train.accuracy.unwrap() < 0.85));
    // ...where at η = 0.1 under 10% are, and the accuracy passes 95%.
    let mut smaller = setup.clone();
    smaller.optimizer = gradscape::Spec::parse("sgd:lr=0.1").unwrap();
    let mut t = smaller.build().unwrap().trainer;
    (0..10).for_each(|_| t.run_epoch());
    assert!(dead(&t, 10) < 0.1, "{}", dead(&t, 10));
    assert!(accuracy(&t) > 0.95);
}

#[test]
fn learning_rate_too_high() {
    let title = "Learning rate too high";
    let mut t = trained(title, 0);
    let targets = t.data.train.targets_for(t.task()).unwrap();
    let loss = |t: &Trainer| t.evaluate(&t.data.train.x, &targets).data_loss;
    let mut losses = vec![loss(&t)];
    while t.stopped.is_none() && t.updates < 20 {
        t.update();
        losses.push(loss(&t));
    }
    // Within 20 updates the weights escape and training stops, diverged; the update
    // that escaped is not applied...
    assert_eq!(t.stopped, Some(Stop::Diverged { update: t.updates }));
    // ...after the loss grew by orders of magnitude.
    let last = *losses.last().unwrap();
    assert!(last > 1e3 * losses[0], "{losses:?}");
    // η = 0.1 fits the curve instead.
    let mut sensible: Setup = preset(&network_presets(), title);
    sensible.optimizer = gradscape::Spec::parse("sgd:lr=0.1").unwrap();
    let mut s = sensible.build().unwrap().trainer;
    (0..30).for_each(|_| s.run_epoch());
    assert_eq!(s.stopped, None);
    assert!(s.history.last().unwrap().train.data_loss < 0.02);
}

#[test]
fn reduce_on_plateau() {
    let t = trained("Reduce on plateau", 80);
    let rates: Vec<f64> = t.history.iter().map(|r| r.learning_rate).collect();
    // η is halved, more than once, each time after 3 epochs without improvement.
    let halvings = rates.windows(2).filter(|w| w[1] == 0.5 * w[0]).count();
    assert!(halvings >= 2, "{rates:?}");
    assert!(rates.windows(2).all(|w| w[1] == w[0] || w[1] == 0.5 * w[0]));
}

#[test]
fn early_stopping() {
    let t = trained("Early stopping", 1000);
    let Some(Stop::EarlyStopped { epoch, best_epoch }) = t.stopped else {
        panic!("it stops early: {:?}", t.stopped)
    };
    assert_eq!(epoch, best_epoch + 10);
    let at = |e: usize| t.history[e - 1];
    let validation = |e: usize| at(e).validation.unwrap().data_loss;
    // It overfits: after the best epoch the validation loss turns up while the
    // training loss keeps falling...
    assert!(validation(epoch) > validation(best_epoch));
    assert!(at(epoch).train.data_loss < at(best_epoch).train.data_loss);
    // ...and the best epoch's weights are back.
    let targets = t.data.validation.targets_for(t.task()).unwrap();
    let restored = t.evaluate(&t.data.validation.x, &targets).data_loss;
    assert_eq!(restored, validation(best_epoch));
}

#[test]
fn predict_the_noise_too() {
    use gradscape::lab::network::{Fit, NetworkLab};
    let setup: Setup = preset(
        &network_presets(),
        "Predict the noise too (heteroscedastic)",
    );
    let mut lab = NetworkLab::open(&setup);
    assert_eq!(lab.status().output, "gaussian");
    while lab.trainer().epoch < 30 {
        lab.train(1);
    }
    assert_eq!(lab.trainer().stopped, None);
    // x = −1, 0 and 1 are cell centres of a grid of 201 over [−1.005, 1.005].
    let view = gradscape::surface::ViewBox::new(-1.005, 1.005, -2.0, 2.0);
    let Fit::Bands { x, deviation, .. } = lab.fit(&view, 201) else {
        panic!("a gaussian draws bands")
    };
    let at = |v: f64| deviation[x.iter().position(|&a| (a - v).abs() < 1e-9).unwrap()];
    for end in [-1.0, 1.0] {
        assert!(
            at(end) > 3.0 * at(0.0),
            "σ({end}) = {} vs σ(0) = {}",
            at(end),
            at(0.0)
        );
    }
}

#[test]
fn two_branches_the_squared_loss_averages_them_a_mixture_does_not() {
    use gradscape::lab::network::NetworkLab;
    use gradscape::nn::density::mixture_density;
    let title = "Two branches: the squared loss averages them, a mixture does not";
    let setup: Setup = preset(&network_presets(), title);
    let mut lab = NetworkLab::open(&setup);
    assert_eq!(lab.status().output, "mdn");
    while lab.trainer().epoch < 30 {
        lab.train(1);
    }
    let x = nalgebra::DMatrix::from_vec(1, 1, vec![0.5]);
    let at = |t: &Trainer| t.network.forward(&t.theta, &x).output().sample(0);
    // The squared error's f(0.5) is near the mean of y there, 0, between the branches.
    let squared_error = at(lab.companion().unwrap())[0];
    assert!(squared_error.abs() < 0.3, "{squared_error}");
    // The mixture's p(y | 0.5), integrated by the midpoint rule over [−4, 4] (where all
    // but a negligible part of it lies): its mass within 0.3 of each branch ±√1.5.
    let f = at(lab.trainer());
    assert_eq!(f.len(), 9, "3 components");
    let branch = 1.5f64.sqrt();
    let (cells, dy) = (40_000, 8.0 / 40_000.0);
    let (mut upper, mut lower, mut total) = (0.0, 0.0, 0.0);
    for i in 0..cells {
        let y = -4.0 + (i as f64 + 0.5) * dy;
        let p = mixture_density(&f, y) * dy;
        total += p;
        if (y - branch).abs() < 0.3 {
            upper += p;
        }
        if (y + branch).abs() < 0.3 {
            lower += p;
        }
    }
    assert!((total - 1.0).abs() < 1e-3, "{total}");
    assert!(upper + lower > 0.8, "{upper} + {lower}");
    assert!(upper > 1.0 / 3.0 && lower > 1.0 / 3.0, "{upper}, {lower}");
}

#[test]
fn standardize_your_inputs() {
    let title = "Standardize your inputs";
    let start = trained(title, 0);
    // x₁ spread over hundreds, x₂ over a few units; x₁'s mean square over 10⁴ times
    // x₂'s...
    let x = &start.data.train.x;
    let mean_square = |j: usize| x.row(j).iter().map(|v| v * v).sum::<f64>() / x.ncols() as f64;
    assert!(mean_square(0) > 1e4 * mean_square(1));
    assert!(x.row(0).max() - x.row(0).min() > 200.0);
    assert!(x.row(1).max() - x.row(1).min() < 3.0);
    // ...most tanh units saturated from the start...
    let saturated = |t: &Trainer| {
        let h = &t.network.forward(&t.theta, &t.data.train.x).post[1];
        h.iter().filter(|v| v.abs() > 0.99).count() as f64 / (h.units() * h.samples()) as f64
    };
    assert!(saturated(&start) > 0.5);
    // ...and below 70% training accuracy for 30 epochs, at η = 0.3 as at η = 0.001.
    let stalls = |t: &Trainer| {
        assert_eq!((t.epoch, t.stopped), (30, None));
        t.history.iter().all(|r| r.train.accuracy.unwrap() < 0.7)
    };
    assert!(stalls(&trained(title, 30)));
    let mut slower: Setup = preset(&network_presets(), title);
    slower.optimizer = gradscape::Spec::parse("sgd:lr=0.001").unwrap();
    let mut t = slower.build().unwrap().trainer;
    (0..30).for_each(|_| t.run_epoch());
    assert!(stalls(&t));
    // Standardized, the same network at the same η reaches 99%, no unit saturated.
    let mut standard: Setup = preset(&network_presets(), title);
    standard.normalize = "standard".into();
    let mut t = standard.build().unwrap().trainer;
    assert_eq!(saturated(&t), 0.0);
    (0..30).for_each(|_| t.run_epoch());
    assert!(accuracy(&t) >= 0.99);
}

#[test]
fn nesterov_s_look_ahead_step_by_step() {
    let [momentum, nesterov] = &runs("Nesterov's look-ahead, step by step")[..] else {
        panic!("two runs")
    };
    // Over 500 times lower after 60 steps, with the same η and γ.
    assert!(
        last_loss(nesterov) * 500.0 < last_loss(momentum),
        "{} vs {}",
        last_loss(nesterov),
        last_loss(momentum)
    );
    // Its swings across the valley die out where momentum's keep going: the largest
    // distance along the steep direction (curvature 10, at 30° + 90°) over the last 20
    // steps.
    let (s, c) = (120f64.to_radians().sin(), 120f64.to_radians().cos());
    let swing = |t: &Trajectory| {
        t.points[40..]
            .iter()
            .map(|p| (c * p[0] + s * p[1]).abs())
            .fold(0.0, f64::max)
    };
    assert!(
        swing(nesterov) * 10.0 < swing(momentum),
        "{} vs {}",
        swing(nesterov),
        swing(momentum)
    );
    // The page explains Nesterov's step, in race mode.
    let page = &optimizer_presets()
        .into_iter()
        .find(|p| p.title == "Nesterov's look-ahead, step by step")
        .unwrap()
        .page;
    assert_eq!(
        (page.explain, page.mode.as_deref()),
        (Some(1), Some("race"))
    );
}

#[test]
fn critical_damping() {
    let outcomes = outcomes("Critical damping");
    let runs = runs("Critical damping");
    // γ = (1 − √(ηλ))² with η = 0.01, λ = 1.
    assert!(((1.0 - 0.01f64.sqrt()).powi(2) - 0.81).abs() < 1e-12);
    assert_eq!(kinds(&outcomes), [Running, Converged, Running]);
    assert_eq!(outcomes[1].step, 76);
    // Critically damped and overdamped runs never cross the minimum; the underdamped
    // one rings around it.
    let crossings = |t: &Trajectory| sign_changes(t.points.iter().map(|p| p[0]));
    assert_eq!((crossings(&runs[0]), crossings(&runs[1])), (0, 0));
    assert!(crossings(&runs[2]) >= 2, "{}", crossings(&runs[2]));
    assert!(last_loss(&runs[1]) < last_loss(&runs[0]) && last_loss(&runs[1]) < last_loss(&runs[2]));
}

#[test]
fn noisy_sgd_the_cloud() {
    let settings: Settings = preset(&optimizer_presets(), "Noisy SGD: the cloud");
    let (mut lab, problems) = OptimizerLab::open(&settings);
    assert!(problems.is_empty(), "{problems:?}");
    while !lab.cloud_refine(1000).unwrap() {}
    let summaries: Vec<_> = lab
        .cloud()
        .map(|(_, runs, summary)| (runs.len(), summary.clone()))
        .collect();
    let [(n_large, large), (n_small, small)] = &summaries[..] else {
        panic!("two clouds")
    };
    assert_eq!((*n_large, *n_small), (50, 50));
    // Down sooner: at step 10 the larger step's median is lower...
    assert!(
        large.median[10] < small.median[10],
        "{} vs {}",
        large.median[10],
        small.median[10]
    );
    // ...then it jitters: at the end its band is wider and its median higher.
    let last = |v: &Vec<f64>| *v.last().unwrap();
    let width = |s: &gradscape::lab::cloud::Summary| last(&s.upper) - last(&s.lower);
    assert!(
        width(large) > width(small),
        "{} vs {}",
        width(large),
        width(small)
    );
    assert!(
        last(&large.median) > last(&small.median),
        "{} vs {}",
        last(&large.median),
        last(&small.median)
    );
}

#[test]
fn tuned_sgd_momentum_and_adam_on_rosenbrock() {
    let title = "Tuned SGD, momentum and Adam on Rosenbrock";
    let settings: Settings = preset(&optimizer_presets(), title);
    let (lab, problems) = OptimizerLab::open(&settings);
    assert!(problems.is_empty(), "{problems:?}");
    // Each η is the tune button's pick, to the three digits the page applies.
    let tuned = lab.tune(&gradscape::tune::DEFAULT_GRID).unwrap();
    for ((i, t), contender) in tuned.iter().zip(&settings.optimizers) {
        let (lr, _) = t.best.unwrap();
        let written = contender
            .spec()
            .params
            .iter()
            .find(|(k, _)| k == "lr")
            .unwrap()
            .1
            .clone();
        assert_eq!(
            written.parse::<f64>().unwrap(),
            format!("{lr:.2e}").parse::<f64>().unwrap(),
            "optimizer {i}"
        );
    }
    // Tuned, Adam ends lowest, then momentum, then SGD.
    let runs = runs(title);
    let losses: Vec<f64> = runs.iter().map(last_loss).collect();
    assert!(losses[2] < losses[1] && losses[1] < losses[0], "{losses:?}");
}

#[test]
fn distill_s_rate_map() {
    use gradscape::rates::{self, Accelerated, RateMap, RateSetup};
    let title = "Distill's rate map";
    let settings: Settings = preset(&optimizer_presets(), title);
    let map = RateMap::new(RateSetup {
        surface: settings.surface.clone(),
        method: Accelerated::Momentum,
        empirical: false,
        run: rates::Run {
            start: settings.start.unwrap(),
            steps: settings.steps,
            noise: Default::default(),
        },
        columns: 16,
        rows: 16,
        lr: None,
        momentum: None,
    })
    .unwrap();
    // The caption's optimum, to the digits it gives, and the preset runs there.
    let optimum = map.optimum().unwrap();
    let three = |v: f64| format!("{v:.3}");
    assert_eq!(
        (
            format!("{:.4}", optimum.lr),
            three(optimum.momentum),
            three(optimum.rate)
        ),
        ("0.0614".into(), "0.566".into(), "0.752".into())
    );
    let curvatures = map.curvatures().unwrap();
    assert!((curvatures.min - 1.0).abs() < 1e-12 && (curvatures.max - 50.0).abs() < 1e-12);
    let spec = settings.optimizers[0].spec();
    let param = |k: &str| {
        spec.params
            .iter()
            .find(|(key, _)| key == k)
            .unwrap()
            .1
            .parse::<f64>()
            .unwrap()
    };
    let at = rates::closed_form_rate(
        Accelerated::Momentum,
        param("lr"),
        param("momentum"),
        curvatures,
    );
    assert!((at - optimum.rate).abs() < 1e-3, "{at}");
    // Past the stability line η λ_max = 2(1 + γ) the rate passes 1.
    let limit = rates::stability_limit(Accelerated::Momentum, optimum.momentum, curvatures.max);
    assert!(
        rates::closed_form_rate(
            Accelerated::Momentum,
            limit * 1.01,
            optimum.momentum,
            curvatures
        ) > 1.0
    );
    assert!(
        rates::closed_form_rate(
            Accelerated::Momentum,
            limit * 0.99,
            optimum.momentum,
            curvatures
        ) < 1.0
    );
}

#[test]
fn a_preset_in_3d_has_a_camera_the_page_and_the_link_accept() {
    let shown: Vec<_> = optimizer_presets()
        .into_iter()
        .filter_map(|p| p.page.camera.map(|c| (p.title, c)))
        .collect();
    assert!(
        shown.iter().any(|(title, _)| title == "Saddle point race"),
        "the saddle race is shown in 3-D, as in Radford's animation"
    );
    for (title, [yaw, pitch]) in shown {
        let [low, high] = gradscape::render::CAMERA_DEGREES.pitch_range;
        assert!((low..=high).contains(&pitch), "{title}: pitch {pitch}");
        assert!((-180.0..180.0).contains(&yaw), "{title}: yaw {yaw}");
        assert!(gradscape::render::Camera::from_degrees(yaw, pitch).is_ok());
    }
}

/// The validation accuracy after epoch `epoch`.
fn validation_accuracy(t: &Trainer, epoch: usize) -> f64 {
    t.history[epoch - 1].validation.unwrap().accuracy.unwrap()
}

#[test]
fn digits_with_32_hidden_tanh_units() {
    let title = "Digits with 32 hidden tanh units";
    let t = trained(title, 30);
    let arch = &t.network.architecture;
    let sizes: Vec<usize> = arch.layers.iter().map(|l| l.outputs).collect();
    assert_eq!((arch.inputs(), sizes), (64, vec![32, 10]));
    assert_eq!(t.data.train.len() + t.data.validation.len(), 1797);
    assert!(validation_accuracy(&t, 3) > 0.97);
    assert!(validation_accuracy(&t, 30) > 0.98);
}

#[test]
fn digits_sigmoid_with_normal_1_init_saturates() {
    let title = "Digits: sigmoid with N(0, 1) init saturates";
    let start = trained(title, 0);
    // Glorot's σ for the first layer, √(2 / (64 + 32)), is about a seventh of 1.
    let glorot = (2.0_f64 / (64.0 + 32.0)).sqrt();
    assert!((6.5..7.5).contains(&(1.0 / glorot)));
    // Half of the hidden outputs on the training digits are within 0.05 of 0 or 1...
    let forward = start.network.forward(&start.theta, &start.data.train.x);
    let hidden = &forward.post[1..start.network.architecture.layers.len()];
    let all: Vec<f64> = hidden.iter().flat_map(|h| h.iter()).collect();
    let saturated: Vec<f64> = all
        .iter()
        .copied()
        .filter(|h| !(0.05..=0.95).contains(h))
        .collect();
    let fraction = saturated.len() as f64 / all.len() as f64;
    assert!((0.45..0.55).contains(&fraction), "{fraction}");
    // ...where sigm'(z) = h(1 − h) < 0.05...
    assert!(saturated.iter().all(|h| h * (1.0 - h) < 0.05));
    // ...and after 3 epochs it gets under 70% of the validation digits right, where
    // tanh with Glorot's init gets over 95%.
    assert!(validation_accuracy(&trained(title, 3), 3) < 0.7);
    let mut tanh: Setup = preset(&network_presets(), title);
    tanh.activation = "tanh".into();
    tanh.init = "glorot-uniform".into();
    let mut t = tanh.build().unwrap().trainer;
    (0..3).for_each(|_| t.run_epoch());
    assert!(validation_accuracy(&t, 3) > 0.95);
}

/// A network preset's runs side by side, as the page opens them, trained in lockstep
/// until the first run has finished `epochs` epochs.
fn runs_trained(title: &str, epochs: usize) -> Runs {
    runs_of(&preset_setups(title), epochs)
}

/// A network preset's setups, one per run.
fn preset_setups(title: &str) -> Vec<Setup> {
    let presets = network_presets();
    presets
        .iter()
        .find(|p| p.title == title)
        .unwrap()
        .setups()
        .unwrap()
}

/// Runs of `setups` trained in lockstep until the first has finished `epochs` epochs.
fn runs_of(setups: &[Setup], epochs: usize) -> Runs {
    let mut runs = Runs::open(setups, 0).unwrap();
    assert_eq!(runs.problems(), []);
    while runs.lab(0).unwrap().trainer().epoch < epochs {
        runs.train(1);
    }
    runs
}

/// Each run's history.
fn histories(runs: &Runs) -> Vec<Vec<EpochRecord>> {
    runs.labs().map(|l| l.trainer().history.clone()).collect()
}

fn validation_loss(r: &EpochRecord) -> f64 {
    r.validation.unwrap().data_loss
}

#[test]
fn sgd_with_a_schedule_vs_adam() {
    let title = "SGD + schedule vs Adam";
    let runs = runs_trained(title, 60);
    let [sgd, adam] = &histories(&runs)[..] else {
        panic!("two runs")
    };
    let (s, a) = (sgd[59], adam[59]);
    // SGD's η is cut ×0.2 after epochs 20 and 40; Adam's stays.
    let rates = |h: &[EpochRecord]| [h[0], h[20], h[40]].map(|r| r.learning_rate);
    let cut = rates(sgd);
    assert!(
        (cut[1] - 0.01).abs() < 1e-12 && (cut[2] - 0.002).abs() < 1e-12,
        "{cut:?}"
    );
    assert_eq!(rates(adam), [0.01; 3]);
    // After 60 epochs Adam fits the training points closer...
    assert!(a.train.data_loss < 0.13 && s.train.data_loss > 0.15);
    // ...but its validation loss has wandered up above 0.3, while SGD's has settled
    // under 0.2, within 0.01 over the last 20 epochs...
    assert!(validation_loss(&a) > 0.3 && validation_loss(&s) < 0.2);
    let last = |h: &[EpochRecord]| h[40..].iter().map(validation_loss).collect::<Vec<_>>();
    let settled = last(sgd);
    let spread = settled.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        - settled.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(spread < 0.01, "{settled:?}");
    // ...and the validation accuracies are within two points.
    let accuracy = |r: &EpochRecord| r.validation.unwrap().accuracy.unwrap();
    assert!((accuracy(&s) - accuracy(&a)).abs() <= 0.02 + 1e-12);
    // Not this split only: with seeds 0 to 9, SGD ends with the lower validation loss
    // every time.
    for seed in 0..10 {
        let setups: Vec<Setup> = preset_setups(title)
            .into_iter()
            .map(|s| Setup { seed, ..s })
            .collect();
        let h = histories(&runs_of(&setups, 60));
        let (s, a) = (validation_loss(&h[0][59]), validation_loss(&h[1][59]));
        assert!(s < a, "seed {seed}: {s} vs {a}");
    }
}

#[test]
fn adam_at_three_learning_rates() {
    let title = "Adam at 3e-4 vs 1e-2 vs 1e-4";
    let runs = runs_trained(title, 30);
    assert_eq!(runs.labels(), ["Adam, η = 3e-4", "η = 0.01", "η = 1e-4"]);
    let last: Vec<EpochRecord> = histories(&runs).iter().map(|h| h[29]).collect();
    let accuracy = |r: &EpochRecord| r.train.accuracy.unwrap();
    // After 30 epochs η = 0.01 has a training loss under 0.01 and every point right...
    assert!(last[1].train.data_loss < 0.01 && accuracy(&last[1]) == 1.0);
    // ...3e-4 is still above 0.3, with 85% right, and 1e-4 above 0.45, under 80%.
    assert!(last[0].train.data_loss > 0.3 && (accuracy(&last[0]) - 0.85).abs() < 0.01);
    assert!(last[2].train.data_loss > 0.45 && accuracy(&last[2]) < 0.8);
    // Adam's step is about η per weight whatever the gradient: over the 960 updates no
    // weight of any run moved more than 1.2 × 960 η.
    let start = Runs::open(&preset_setups(title), 0).unwrap();
    for (before, after) in start.labs().zip(runs.labs()) {
        let t = after.trainer();
        assert_eq!(t.updates, 960);
        let moved = before
            .trainer()
            .theta
            .iter()
            .zip(&t.theta)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(moved <= 1.2 * 960.0 * t.learning_rate(), "{moved}");
    }
}

#[test]
fn init_zoo() {
    let title = "Init zoo: zero, N(0, 0.01), Glorot, He";
    let start = Runs::open(&preset_setups(title), 0).unwrap();
    let runs = runs_trained(title, 30);
    assert_eq!(
        runs.labels(),
        [
            "SGD, η = 0.1; init zero",
            "init N(0, 0.01²)",
            "init Glorot uniform",
            "init He"
        ]
    );
    let h = histories(&runs);
    let loss = |run: usize, epoch: usize| h[run][epoch - 1].train.data_loss;
    let ln2 = std::f64::consts::LN_2;
    // Zero: every weight stays 0, and the loss at ln 2 with half the points wrong.
    let zero = runs.lab(0).unwrap().trainer();
    let arch = &zero.network.architecture;
    for l in 0..arch.layers.len() {
        assert!(arch.weights(&zero.theta, l).iter().all(|&w| w == 0.0));
    }
    assert!((loss(0, 30) - ln2).abs() < 1e-3);
    assert!((h[0][29].train.accuracy.unwrap() - 0.5).abs() < 0.01);
    // N(0, 0.01²): the second layer's outputs start within 0.003 of 0, the gradient's
    // largest entry is 0.003 against Glorot's 0.16...
    let first_look = |run: usize| {
        let t = start.lab(run).unwrap().trainer();
        let targets = t.data.train.targets_for(t.task()).unwrap();
        let h2 = t.network.forward(&t.theta, &t.data.train.x).post[2]
            .iter()
            .map(f64::abs)
            .fold(0.0, f64::max);
        let (_, gradient) = t
            .network
            .loss_and_gradient(&t.theta, &t.data.train.x, &targets);
        (h2, gradient.iter().map(|g| g.abs()).fold(0.0, f64::max))
    };
    let (h2, small) = first_look(1);
    assert!(h2 < 0.003 && small < 0.004, "{h2} {small}");
    assert!(first_look(2).1 > 0.15);
    // ...so the loss stays at ln 2 for 10 epochs and is still above 0.3 after 30.
    assert!((loss(1, 10) - ln2).abs() < 1e-3 && loss(1, 30) > 0.3);
    // Glorot and He: under 0.25 after 10 epochs, under 0.02 after 30, every training
    // point right.
    for run in [2, 3] {
        assert!(loss(run, 10) < 0.25 && loss(run, 30) < 0.02);
        assert_eq!(h[run][29].train.accuracy, Some(1.0));
    }
}

#[test]
fn optimizers_on_a_real_network_s_slice() {
    use gradscape::lab::network::NetworkLab;
    use gradscape::lab::slice::{self, SliceDefinition};
    use gradscape::run::GRADIENT_TOLERANCE;
    use gradscape::surface::CriticalKind;
    let title = "Optimizers on a real network's slice";
    let settings: Settings = preset(&optimizer_presets(), title);
    let definition = SliceDefinition::parse(&settings.surface.params[0].1).unwrap();
    // A 2-4-2 tanh network trained 1200 updates on XOR with λ = 0.01, on the plane of
    // its path's top two principal directions.
    let setup = &definition.runs[0];
    assert_eq!(setup.dataset.id, "xor");
    assert_eq!(
        (setup.hidden.as_slice(), setup.activation.as_str()),
        (&[4][..], "tanh")
    );
    assert_eq!((definition.updates, setup.l2), (1200, 0.01));
    assert_eq!(
        (definition.d1.to_string(), definition.d2.to_string()),
        ("pca:1".into(), "pca:2".into())
    );
    let slice = slice::surface(&settings.surface.params).unwrap();
    let arch = &slice.landscape().network().architecture;
    let sizes: Vec<usize> = arch.layers.iter().map(|l| l.outputs).collect();
    assert_eq!((arch.inputs(), sizes), (2, vec![4, 2]));
    // The trained weights at the centre; the start by where training started: θ₀, the
    // first point of the path of the same network trained alone, projected, at the
    // caption's (3.83, 0.58), is the start, inside the view.
    let mut alone = NetworkLab::open(setup);
    alone.train(1200);
    assert_eq!(
        slice.landscape().plane().origin(),
        alone.trainer().theta.as_slice()
    );
    let theta0 = alone.trajectory().points().next().unwrap();
    let start = slice.landscape().plane().project(theta0).unwrap();
    let (lab, problems) = OptimizerLab::open(&settings);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(start.map(|v| format!("{v:.2}")), ["3.83", "0.58"]);
    assert_eq!(lab.start(), start);
    let view = lab.view();
    assert!(
        view.x.0 < start[0] && start[0] < view.x.1 && view.y.0 < start[1] && start[1] < view.y.1
    );
    // The minimum by the trained weights.
    let minima = lab.surface().critical_points();
    assert_eq!(minima.len(), 1);
    assert_eq!(minima[0].kind, CriticalKind::Minimum);
    let minimum = minima[0].point;
    assert!(minimum[0].hypot(minimum[1]) < 0.1, "{minimum:?}");
    let [sgd, momentum, adam, newton, damped] = &runs(title)[..] else {
        panic!("five runs")
    };
    let outcomes = outcomes(title);
    // Momentum and Adam reach it within the 300 steps, as does damped Newton; gradient
    // descent with the same η as momentum is on its way down but still far from it.
    assert_eq!(
        kinds(&outcomes),
        [
            Running,
            Converged,
            Converged,
            OutcomeKind::Stationary,
            Converged
        ]
    );
    assert_eq!(settings.steps, 300);
    let far = |t: &Trajectory| {
        let [x, y] = *t.points.last().unwrap();
        (x - minimum[0]).hypot(y - minimum[1])
    };
    assert!(far(sgd) > 1.0, "{}", far(sgd));
    assert!(last_loss(sgd) < sgd.losses[0]);
    assert!(far(momentum) < 0.01 && far(adam) < 0.01 && far(damped) < 0.01);
    // Newton's full step climbs to where the gradient vanishes: higher than it started,
    // off the map.
    assert!(matches!(newton.status, Status::Stationary { .. }));
    assert!(last_loss(newton) > newton.losses[0]);
    let [x, y] = *newton.points.last().unwrap();
    assert!(!(view.x.0..=view.x.1).contains(&x) || !(view.y.0..=view.y.1).contains(&y));
    let [gx, gy] = lab.surface().gradient([x, y]);
    assert!(gx.hypot(gy) < GRADIENT_TOLERANCE);
}
