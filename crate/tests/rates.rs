//! The rate map: the closed form against nalgebra and against the lab's own runs, the
//! stability limit from both sides, the optimum, the progressive order, and the CLI.

use gradscape::optim::NoiseConfig;
use gradscape::rates::{
    closed_form_rate, coarse_stride, critical_damping, empirical_rate, iteration_matrix, optimum,
    progressive_order, spectral_radius, stability_limit, Accelerated, Curvatures, Grid, Rate,
    RateMap, RateSetup, Run,
};
use gradscape::run::{trace, Status};
use gradscape::surface::from_spec;
use gradscape::Spec;
use nalgebra::Matrix2;
use proptest::prelude::*;

mod support;

const METHODS: [Accelerated; 2] = [Accelerated::Momentum, Accelerated::Nesterov];

fn optimizer(method: Accelerated, lr: f64, momentum: f64) -> String {
    format!("{}:lr={lr},momentum={momentum}", method.name())
}

fn run(start: [f64; 2], steps: usize) -> Run {
    Run {
        start,
        steps,
        noise: NoiseConfig::default(),
    }
}

proptest! {
    #[test]
    fn the_spectral_radius_is_the_largest_eigenvalue_modulus_nalgebra_finds(
        lambda in 1e-3..1e3f64,
        step in 1e-4..5.0f64,
        momentum in 0.0..0.999f64,
        nesterov in any::<bool>(),
    ) {
        let method = if nesterov { Accelerated::Nesterov } else { Accelerated::Momentum };
        let a = iteration_matrix(method, step / lambda, momentum, lambda);
        let expected = Matrix2::new(a[0][0], a[0][1], a[1][0], a[1][1])
            .complex_eigenvalues()
            .iter()
            .map(|z| z.norm())
            .fold(0.0, f64::max);
        // Near a double eigenvalue each is only known to √ε of the matrix's size.
        prop_assert!((spectral_radius(a) - expected).abs() <= 1e-6, "{} vs {expected}", spectral_radius(a));
    }
}

#[test]
fn the_iteration_matrix_reproduces_the_labs_runs_exactly() {
    // Along the axes of an unrotated quadratic, x and y are the two eigendirections.
    let (l1, l2) = (0.7, 9.0);
    let surface = format!("quadratic:lambda1={l1},lambda2={l2}");
    for method in METHODS {
        for (lr, momentum) in [(0.05, 0.9), (0.2, 0.3), (0.01, 0.99)] {
            let start = [1.5, -2.0];
            let t = trace(&surface, &optimizer(method, lr, momentum), start, 80).unwrap();
            for (axis, lambda) in [(0, l1), (1, l2)] {
                let a = iteration_matrix(method, lr, momentum, lambda);
                let a = Matrix2::new(a[0][0], a[0][1], a[1][0], a[1][1]);
                let mut state = nalgebra::Vector2::new(0.0, start[axis]);
                for (k, p) in t.points.iter().enumerate().skip(1) {
                    state = a * state;
                    let x = p[axis];
                    assert!(
                        (x - state[1]).abs() <= 1e-12 * (1.0 + state[1].abs()),
                        "{method:?} η={lr} γ={momentum} axis {axis} step {k}: {x} vs {}",
                        state[1]
                    );
                }
            }
        }
    }
}

#[test]
fn long_runs_contract_at_the_closed_form_rate() {
    let spec = "quadratic:lambda1=1,lambda2=10,angle=30";
    let surface = from_spec(&Spec::parse(spec).unwrap()).unwrap();
    let curvatures = Curvatures {
        min: 1.0,
        max: 10.0,
    };
    let mut checked = 0;
    // Summed |r − ρ| of 20-step and of long runs: the measure converges to ρ.
    let mut deviation = (0.0, 0.0);
    for method in METHODS {
        for lr in [0.003, 0.02, 0.08, 0.15] {
            for momentum in [0.0, 0.5, 0.8, 0.95] {
                let closed = closed_form_rate(method, lr, momentum, curvatures);
                if !(0.3..0.999).contains(&closed) {
                    continue;
                }
                let short = empirical_rate(
                    surface.as_ref(),
                    method,
                    lr,
                    momentum,
                    &run([-2.5, 2.0], 20),
                );
                let long = empirical_rate(
                    surface.as_ref(),
                    method,
                    lr,
                    momentum,
                    &run([-2.5, 2.0], 100_000),
                );
                let (Rate::Contraction(short), Rate::Contraction(long)) = (short, long) else {
                    panic!("{method:?} η={lr} γ={momentum} diverged");
                };
                assert!(
                    (long - closed).abs() <= 0.0025,
                    "{method:?} η={lr} γ={momentum}: {long} vs {closed}"
                );
                deviation.0 += (short - closed).abs();
                deviation.1 += (long - closed).abs();
                checked += 1;
            }
        }
    }
    assert!(checked >= 12, "{checked}");
    assert!(deviation.1 < 0.1 * deviation.0, "{deviation:?}");
}

#[test]
fn runs_just_inside_the_stability_limit_converge_and_just_outside_diverge() {
    let (l1, l2) = (0.5, 8.0);
    let spec = format!("quadratic:lambda1={l1},lambda2={l2},angle=20");
    let surface = from_spec(&Spec::parse(&spec).unwrap()).unwrap();
    let curvatures = Curvatures { min: l1, max: l2 };
    let start = [-2.5, 2.0];
    for method in METHODS {
        for momentum in [0.0, 0.5, 0.9] {
            let limit = stability_limit(method, momentum, l2);
            let inside = 0.98 * limit;
            let outside = 1.02 * limit;
            assert!(closed_form_rate(method, inside, momentum, curvatures) < 1.0);
            assert!(closed_form_rate(method, outside, momentum, curvatures) > 1.0);
            let stable = trace(&spec, &optimizer(method, inside, momentum), start, 20_000).unwrap();
            assert!(
                !matches!(stable.status, Status::Diverged { .. }),
                "{method:?} γ={momentum} η={inside}"
            );
            let last = stable.points.last().unwrap();
            assert!(
                last[0].hypot(last[1]) < 1e-6,
                "{method:?} γ={momentum}: {last:?}"
            );
            let unstable =
                trace(&spec, &optimizer(method, outside, momentum), start, 20_000).unwrap();
            assert!(
                matches!(unstable.status, Status::Diverged { .. }),
                "{method:?} γ={momentum} η={outside}"
            );
            let cell =
                |lr| empirical_rate(surface.as_ref(), method, lr, momentum, &run(start, 20_000));
            assert!(matches!(cell(inside), Rate::Contraction(r) if r < 1.0));
            assert_eq!(cell(outside), Rate::Diverged);
        }
    }
}

#[test]
fn critical_damping_is_where_the_eigenvalues_meet() {
    for method in METHODS {
        for lr_lambda in [0.01, 0.1, 0.5, 0.9] {
            let gamma = critical_damping(method, lr_lambda, 1.0).unwrap();
            let a = iteration_matrix(method, lr_lambda, gamma, 1.0);
            let trace = a[0][0] + a[1][1];
            let determinant = a[0][0] * a[1][1] - a[0][1] * a[1][0];
            assert!(
                (trace * trace - 4.0 * determinant).abs() < 1e-12,
                "{method:?} {lr_lambda}"
            );
        }
    }
    assert_eq!(critical_damping(Accelerated::Nesterov, 1.5, 1.0), None);
}

/// The smallest closed-form rate on a fine grid of (η, γ) around `at`.
fn best_nearby(method: Accelerated, c: Curvatures, at: (f64, f64)) -> f64 {
    let mut best = f64::INFINITY;
    for i in 0..=300 {
        let lr = at.0 * (0.7 + 0.6 * i as f64 / 300.0);
        for j in 0..=300 {
            let momentum = (at.1 - 0.15 + 0.3 * j as f64 / 300.0).clamp(0.0, 0.9999);
            best = best.min(closed_form_rate(method, lr, momentum, c));
        }
    }
    best
}

#[test]
fn the_optimum_is_the_formula_and_nothing_nearby_beats_it() {
    for (min, max) in [(1.0, 10.0), (0.5, 100.0), (2.0, 3.0)] {
        let c = Curvatures { min, max };
        let kappa: f64 = max / min;
        let heavy = optimum(Accelerated::Momentum, c);
        let expected_lr = (2.0 / (min.sqrt() + max.sqrt())).powi(2);
        let expected_rate = (kappa.sqrt() - 1.0) / (kappa.sqrt() + 1.0);
        assert!((heavy.lr - expected_lr).abs() <= 1e-15 * expected_lr);
        assert!((heavy.momentum - expected_rate * expected_rate).abs() <= 1e-15);
        assert!((heavy.rate - expected_rate).abs() <= 1e-15);
        let at = closed_form_rate(Accelerated::Momentum, heavy.lr, heavy.momentum, c);
        assert!(
            (at - expected_rate).abs() <= 1e-6,
            "{at} vs {expected_rate}"
        );
        let best = best_nearby(Accelerated::Momentum, c, (heavy.lr, heavy.momentum));
        assert!(best >= expected_rate - 1e-6, "{best} < {expected_rate}");
        let nesterov = optimum(Accelerated::Nesterov, c);
        let at = closed_form_rate(Accelerated::Nesterov, nesterov.lr, nesterov.momentum, c);
        assert!(
            (at - nesterov.rate).abs() <= 1e-6,
            "{at} vs {}",
            nesterov.rate
        );
        let best = best_nearby(Accelerated::Nesterov, c, (nesterov.lr, nesterov.momentum));
        assert!(best >= nesterov.rate - 1e-6, "{best} < {}", nesterov.rate);
        // Nesterov's best is no faster than heavy ball's on a quadratic.
        assert!(nesterov.rate >= heavy.rate);
    }
}

fn setup(surface: &str, empirical: bool, columns: usize, rows: usize) -> RateSetup {
    let s = from_spec(&Spec::parse(surface).unwrap()).unwrap();
    RateSetup {
        surface: Spec::parse(surface).unwrap(),
        method: Accelerated::Momentum,
        empirical,
        run: run(s.start(), 200),
        columns,
        rows,
        lr: None,
        momentum: None,
    }
}

#[test]
fn the_progressive_order_lists_every_cell_once_and_its_prefix_covers_the_map() {
    for (columns, rows) in [(2, 2), (3, 7), (64, 64), (100, 37), (512, 3), (512, 512)] {
        let order = progressive_order(columns, rows);
        let mut seen = vec![false; columns * rows];
        for &k in &order {
            assert!(!seen[k as usize], "{columns}×{rows}: {k} twice");
            seen[k as usize] = true;
        }
        assert!(seen.iter().all(|s| *s), "{columns}×{rows}");
        let stride = coarse_stride(columns, rows);
        let coarse = columns.div_ceil(stride) * rows.div_ceil(stride);
        assert!(coarse <= 256, "{columns}×{rows}: {coarse}");
        let mut map = RateMap::new(setup("quadratic", false, columns, rows)).unwrap();
        assert!(!map.refine(coarse - 1) || coarse == columns * rows);
        assert!((0..columns).any(|i| (0..rows).any(|j| map.shown(i, j).is_none())) || coarse == 1);
        map.refine(1);
        for i in 0..columns {
            for j in 0..rows {
                assert!(map.shown(i, j).is_some(), "{columns}×{rows}: ({i}, {j})");
            }
        }
        assert!(map.refine(usize::MAX));
        assert!(map.done());
        assert_eq!(map.computed(), columns * rows);
    }
    assert_eq!(coarse_stride(64, 64), 4);
    assert_eq!(coarse_stride(256, 256), 16);
}

#[test]
fn bad_grids_and_ranges_are_errors_that_give_the_valid_range() {
    for (columns, rows) in [(0, 0), (1, 4), (513, 2), (1000, 1000)] {
        let e = RateMap::new(setup("quadratic", false, columns, rows))
            .err()
            .unwrap();
        assert!(e.0.contains("2 to 512"), "{}", e.0);
    }
    for lr in [
        (0.1, 0.1),
        (0.2, 0.1),
        (f64::NAN, 1.0),
        (0.0, 1.0),
        (0.1, f64::INFINITY),
    ] {
        let e = Grid::new(4, 4, lr, (0.0, 0.9)).err().unwrap();
        assert!(e.0.contains("0 < min < max < ∞"), "{}", e.0);
    }
    for momentum in [
        (0.5, 0.5),
        (0.9, 0.1),
        (f64::NAN, 0.5),
        (-0.1, 0.5),
        (0.0, 1.0),
    ] {
        let e = Grid::new(4, 4, (0.1, 1.0), momentum).err().unwrap();
        assert!(e.0.contains("0 ≤ min < max < 1"), "{}", e.0);
    }
    let mut bad = setup("booth", true, 4, 4);
    bad.run.steps = 0;
    assert!(RateMap::new(bad).err().unwrap().0.contains("1 to"));
    assert!(Accelerated::parse("adam").is_err());
}

#[test]
fn a_quadratics_map_is_in_closed_form_and_shows_its_optimum() {
    let mut map = RateMap::new(setup("quadratic:lambda1=1,lambda2=10", false, 32, 24)).unwrap();
    let info = map.info();
    assert!(!info.empirical && !info.done && info.computed == 0);
    let best = info.optimum.unwrap();
    // The default range holds the optimum: η* λ_max lies in [1, 4).
    assert!(info.lr[0] < best.lr && best.lr < info.lr[1]);
    assert!(info.momentum[0] <= best.momentum && best.momentum <= info.momentum[1]);
    assert!(map.refine(usize::MAX));
    let grid = *map.grid();
    let c = map.curvatures().unwrap();
    assert_eq!((c.min, c.max), (1.0, 10.0));
    for i in 0..grid.columns {
        for j in 0..grid.rows {
            let expected =
                closed_form_rate(Accelerated::Momentum, grid.lr_of(i), grid.momentum_of(j), c);
            assert_eq!(map.cell(i, j), Some(Rate::Contraction(expected)));
            // No cell beats the optimum.
            assert!(expected >= best.rate - 1e-9);
        }
    }
    assert_eq!(map.csv().lines().count(), 32 * 24 + 1);
    let forced = RateMap::new(setup("rosenbrock", false, 4, 4)).unwrap();
    assert!(forced.info().empirical && forced.info().optimum.is_none());
    let saddle = RateMap::new(setup("saddle", false, 4, 4)).unwrap();
    assert!(saddle.measure().contains("‖∇f"));
}

#[test]
fn the_heatmap_is_drawn_from_the_cells_largest_momentum_on_top() {
    let mut map = RateMap::new(setup("quadratic", false, 8, 8)).unwrap();
    assert!(map.rgba(16, 16).iter().all(|&b| b == 0));
    map.refine(usize::MAX);
    let rgba = map.rgba(16, 16);
    let pixel = |u: usize, v: usize| rgba[4 * (v * 16 + u)..4 * (v * 16 + u) + 4].to_vec();
    let colour = |i, j| gradscape::rates::rate_colour(map.cell(i, j)).to_vec();
    assert_eq!(pixel(0, 0), colour(0, 7));
    assert_eq!(pixel(15, 15), colour(7, 0));
    assert_eq!(pixel(15, 0), colour(7, 7));
}

fn cli(args: &[&str]) -> (String, String, Option<i32>) {
    let output = support::gradscape(args);
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code(),
    )
}

#[test]
fn the_cli_writes_one_row_per_cell_with_the_librarys_numbers() {
    let (out, err, code) = cli(&[
        "rates",
        "--surface",
        "quadratic:lambda1=1,lambda2=10",
        "--optimizer",
        "nesterov",
        "--lr",
        "0.001..0.4",
        "--momentum",
        "0..0.99",
        "--grid",
        "7x5",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "lr,momentum,rate");
    assert_eq!(lines.len(), 7 * 5 + 1);
    let grid = Grid::new(7, 5, (0.001, 0.4), (0.0, 0.99)).unwrap();
    let c = Curvatures {
        min: 1.0,
        max: 10.0,
    };
    for (k, line) in lines[1..].iter().enumerate() {
        let (i, j) = (k % 7, k / 7);
        let values: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        assert_eq!(values[0], grid.lr_of(i), "{line}");
        assert_eq!(values[1], grid.momentum_of(j), "{line}");
        let expected = closed_form_rate(Accelerated::Nesterov, values[0], values[1], c);
        assert_eq!(values[2], expected, "{line}");
    }
    // Empirically, on Rosenbrock, with diverged cells written `inf`.
    let (out, err, code) = cli(&[
        "rates",
        "--surface",
        "rosenbrock",
        "--optimizer",
        "momentum",
        "--lr",
        "1e-4..0.01",
        "--grid",
        "4",
        "--steps",
        "300",
        "--start",
        "-1,1",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 17);
    let surface = from_spec(&Spec::parse("rosenbrock").unwrap()).unwrap();
    let grid = Grid::new(4, 4, (1e-4, 0.01), (0.0, 0.99)).unwrap();
    let mut diverged = 0;
    for (k, line) in lines[1..].iter().enumerate() {
        let (i, j) = (k % 4, k / 4);
        let rate = empirical_rate(
            surface.as_ref(),
            Accelerated::Momentum,
            grid.lr_of(i),
            grid.momentum_of(j),
            &run([-1.0, 1.0], 300),
        );
        assert_eq!(line.rsplit(',').next().unwrap(), rate.text(), "{line}");
        diverged += usize::from(rate == Rate::Diverged);
    }
    assert!(diverged > 0 && diverged < 16, "{out}");
}

#[test]
fn the_cli_refuses_bad_maps_with_the_valid_range() {
    let base = ["rates", "--surface", "quadratic", "--optimizer", "momentum"];
    for (more, named) in [
        (&["--grid", "0"][..], "2 to 512"),
        (&["--grid", "1000x1000"][..], "2 to 512"),
        (&["--grid", "4xz"][..], "--grid"),
        (&["--lr", "1..0.1"][..], "0 < min < max"),
        (&["--lr", "NaN..1"][..], "0 < min < max"),
        (&["--lr", "0.1"][..], "--lr"),
        (&["--momentum", "0.5..0.5"][..], "0 ≤ min < max < 1"),
        (&["--steps", "0"][..], "steps"),
    ] {
        let args = [&base[..], more].concat();
        let (out, err, code) = cli(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(named), "{args:?}: {err}");
    }
    let (_, err, code) = cli(&["rates", "--surface", "quadratic", "--optimizer", "adam"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("nesterov"), "{err}");
}

#[test]
fn the_colour_scale_puts_each_tenfold_slower_rate_a_quarter_further() {
    use gradscape::rates::{rate_colour, rate_unit, DIVERGED, STALLED};
    for (k, rate) in [0.0, 0.9, 0.99, 0.999, 0.9999].into_iter().enumerate() {
        assert!((rate_unit(rate) - k as f64 / 4.0).abs() < 1e-12, "{rate}");
    }
    assert_eq!(rate_colour(Some(Rate::Contraction(1.0))), STALLED);
    assert_eq!(rate_colour(Some(Rate::Diverged)), DIVERGED);
    assert_eq!(rate_colour(None)[3], 0);
    let (fast, slow) = (
        rate_colour(Some(Rate::Contraction(0.1))),
        rate_colour(Some(Rate::Contraction(0.999))),
    );
    // Viridis: bright yellow for fast, dark for slow.
    let light = |c: [u8; 4]| c[0] as u32 + c[1] as u32 + c[2] as u32;
    assert!(light(fast) > light(slow) + 200);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// No setup makes a map panic: it is refused with a message, or it fills and draws.
    #[test]
    fn no_setup_makes_a_map_panic(
        columns in 0usize..600,
        rows in 0usize..600,
        lr in (prop_oneof![Just(f64::NAN), Just(0.0), -1.0..10.0f64], -1.0..10.0f64),
        momentum in (-0.5..1.5f64, -0.5..1.5f64),
        default_ranges in any::<bool>(),
        start in (-1e9..1e9f64, -1e9..1e9f64),
        steps in 0usize..40,
        surface in prop::sample::select(vec!["quadratic", "rosenbrock", "saddle", "himmelblau", "rastrigin"]),
        empirical in any::<bool>(),
        nesterov in any::<bool>(),
    ) {
        let setup = RateSetup {
            surface: Spec::parse(surface).unwrap(),
            method: if nesterov { Accelerated::Nesterov } else { Accelerated::Momentum },
            empirical,
            run: run([start.0, start.1], steps),
            columns,
            rows,
            lr: (!default_ranges).then_some(lr),
            momentum: (!default_ranges).then_some(momentum),
        };
        if let Ok(mut map) = RateMap::new(setup) {
            map.refine(40);
            let rgba = map.rgba(7, 5);
            prop_assert_eq!(rgba.len(), 7 * 5 * 4);
            prop_assert!(map.csv().lines().count() <= 41);
            let info = map.info();
            prop_assert!(info.computed <= 40);
        }
    }
}
