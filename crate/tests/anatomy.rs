//! A step taken apart: the anatomy of every method reproduces its run bit for bit and
//! its terms recombine to the step; the local geometry; the error along the
//! eigenvectors of a quadratic.

use gradscape::anatomy::{self, Anatomy, Definiteness, Role};
use gradscape::lab::optimizers::{OptimizerLab, Settings};
use gradscape::optim::CATALOGUE;
use gradscape::surface;
use gradscape::Spec;
use nalgebra::{Matrix2, Vector2};

fn lab(json: &str) -> OptimizerLab {
    let settings: Settings = serde_json::from_str(json).unwrap();
    let (lab, problems) = OptimizerLab::open(&settings);
    assert!(problems.is_empty(), "{problems:?}");
    lab
}

/// Every method with a learning rate at work on Rosenbrock's valley from (−1.2, 1),
/// and the variants whose anatomy differs: momentum in RMSprop, centred RMSprop, AMSGrad,
/// no bias correction, a decaying Adagrad, Lion's weight decay. η is each one's last
/// parameter, so the recombinations below can read it.
const CONTENDERS: &[&str] = &[
    "sgd:lr=0.001",
    "momentum:momentum=0.9,lr=0.0005",
    "nesterov:momentum=0.9,lr=0.0005",
    "adagrad:lr=0.3",
    "adagrad:lr_decay=0.1,lr=0.3",
    "rmsprop:lr=0.01",
    "rmsprop:centered=true,momentum=0.5,lr=0.005",
    "adadelta:lr=1",
    "adam:lr=0.03",
    "adam:amsgrad=true,lr=0.03",
    "adam:bias_correction=false,lr=0.03",
    "adamw:weight_decay=0.1,lr=0.03",
    "nadam:lr=0.03",
    "lion:weight_decay=0.1,lr=0.01",
    "newton:lr=0.5",
];

fn learning_rate(spec: &str) -> f64 {
    let value = spec.rsplit("lr=").next().unwrap();
    value
        .parse()
        .unwrap_or_else(|_| panic!("{spec}: no learning rate in {value}"))
}

fn norm(v: [f64; 2]) -> f64 {
    v[0].hypot(v[1])
}

/// `a` is `b` to 1e-12 of `scale`.
fn close(a: [f64; 2], b: [f64; 2], scale: f64) -> bool {
    (a[0] - b[0]).abs() <= 1e-12 * scale && (a[1] - b[1]).abs() <= 1e-12 * scale
}

fn term(a: &Anatomy, name: &str) -> [f64; 2] {
    a.term(name)
        .unwrap_or_else(|| panic!("{}: no term {name}", a.method))
}

fn times(s: [f64; 2], v: [f64; 2]) -> [f64; 2] {
    [s[0] * v[0], s[1] * v[1]]
}

/// −(a + b).
fn minus_sum(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    [-(a[0] + b[0]), -(a[1] + b[1])]
}

/// The step as each method's terms make it, in the lecture's formulas, and the size of
/// its largest part (what rounding is relative to).
fn recombined(a: &Anatomy, spec: &str) -> ([f64; 2], f64) {
    let eta = learning_rate(spec);
    let scaled = |v: [f64; 2]| {
        let step = times(a.scale.unwrap(), v);
        ([-step[0], -step[1]], norm(step))
    };
    match a.method.as_str() {
        "sgd" => {
            let t = term(a, "η∇L(θ)");
            ([-t[0], -t[1]], norm(t))
        }
        "momentum" | "nesterov" => {
            let gradient = if a.method == "momentum" {
                "η∇L(θ)"
            } else {
                "η∇L(θ − γm)"
            };
            let (kept, pushed, m) = (term(a, "γm"), term(a, gradient), term(a, "m"));
            let scale = norm(kept) + norm(pushed);
            assert!(close(m, minus_sum(kept, pushed).map(|v| -v), scale));
            ([-m[0], -m[1]], scale)
        }
        "rmsprop" if a.term("b").is_some() => {
            let b = term(a, "b");
            ([-eta * b[0], -eta * b[1]], eta * norm(b))
        }
        "adagrad" | "rmsprop" | "adadelta" => scaled(a.gradient),
        "adam" | "nadam" => scaled(term(a, "m̂")),
        "adamw" => {
            let (step, size) = scaled(term(a, "m̂"));
            let decay = term(a, "ηλθ");
            ([step[0] - decay[0], step[1] - decay[1]], size + norm(decay))
        }
        "lion" => {
            let (direction, decay) = (term(a, "sign(c)"), term(a, "ηλθ"));
            let moved = [eta * direction[0], eta * direction[1]];
            (minus_sum(moved, decay), norm(moved) + norm(decay))
        }
        "newton" => {
            let d = term(a, "[∇²L(θ)]⁻¹∇L(θ)");
            ([-eta * d[0], -eta * d[1]], eta * norm(d))
        }
        other => panic!("no recombination for {other}"),
    }
}

fn rosenbrock_lab(noise: f64) -> OptimizerLab {
    let list: Vec<String> = CONTENDERS.iter().map(|c| format!("\"{c}\"")).collect();
    lab(&format!(
        r#"{{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 40, "noise": {noise},
            "seed": 7, "optimizers": [{}]}}"#,
        list.join(",")
    ))
}

#[test]
fn every_method_s_anatomy_reproduces_its_run_and_recombines_to_its_step() {
    let covered: Vec<&str> = CONTENDERS
        .iter()
        .map(|c| c.split(':').next().unwrap())
        .collect();
    for entry in CATALOGUE {
        assert!(covered.contains(&entry.id), "{} untested", entry.id);
    }
    for noise in [0.0, 0.5] {
        let lab = rosenbrock_lab(noise);
        for (i, spec) in CONTENDERS.iter().enumerate() {
            let run = lab.run(i).unwrap();
            assert_eq!(run.points.len(), 41, "{spec} stopped early");
            for k in [0, 1, 2, 17, 39] {
                let a = lab.anatomy(i, k).unwrap();
                assert_eq!(a.step, k);
                // The very iterates of the run, bit for bit: the same update, the same
                // noisy gradient.
                assert_eq!(a.theta.map(f64::to_bits), run.points[k].map(f64::to_bits));
                assert_eq!(
                    a.next.map(f64::to_bits),
                    run.points[k + 1].map(f64::to_bits)
                );
                let step = a.step_vector();
                assert_eq!(
                    [a.theta[0] + step[0], a.theta[1] + step[1]].map(f64::to_bits),
                    a.next.map(f64::to_bits),
                    "{spec} at {k}"
                );
                let (made, size) = recombined(&a, spec);
                assert!(
                    close(made, step, size.max(norm(step))),
                    "{spec} at {k}: {made:?} vs {step:?}"
                );
                assert!(!a.narration.is_empty());
            }
        }
    }
}

#[test]
fn the_gradient_is_the_one_the_method_saw() {
    let surface = surface::from_spec(&Spec::named("rosenbrock")).unwrap();
    for noise in [0.0, 0.5] {
        let lab = rosenbrock_lab(noise);
        for (i, spec) in CONTENDERS.iter().enumerate() {
            let a = lab.anatomy(i, 5).unwrap();
            let at = a.look_ahead.unwrap_or(a.theta);
            let exact = surface.gradient(at);
            if noise == 0.0 {
                assert_eq!(a.gradient, exact, "{spec}");
            } else {
                assert_ne!(a.gradient, exact, "{spec}");
            }
            assert_eq!(a.look_ahead.is_some(), spec.starts_with("nesterov"));
        }
        // Gradient descent's step is −η times that gradient, to the bit.
        let a = lab.anatomy(0, 5).unwrap();
        let eta = learning_rate(CONTENDERS[0]);
        assert_eq!(
            a.next,
            [
                a.theta[0] - eta * a.gradient[0],
                a.theta[1] - eta * a.gradient[1]
            ]
        );
    }
}

#[test]
fn nesterov_in_the_lecture_s_form_is_pytorch_s_form_seen_at_the_look_ahead_point() {
    // torch.optim.SGD(nesterov=True): b ← μb + ∇L(φ), φ ← φ − η(∇L(φ) + μb). With
    // b = m/η its iterates are the lecture's look-ahead points φ = θ − γm.
    let (eta, gamma) = (0.0005, 0.9);
    let lab = lab(&format!(
        r#"{{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 200,
            "optimizers": ["nesterov:lr={eta},momentum={gamma}"]}}"#
    ));
    let surface = surface::from_spec(&Spec::named("rosenbrock")).unwrap();
    let (mut phi, mut b) = ([-1.2, 1.0], [0.0, 0.0]);
    for k in 0..200 {
        let a = lab.anatomy(0, k).unwrap();
        let look_ahead = a.look_ahead.unwrap();
        assert!(
            close(phi, look_ahead, 1.0),
            "{k}: {phi:?} vs {look_ahead:?}"
        );
        let g = surface.gradient(phi);
        for i in 0..2 {
            b[i] = gamma * b[i] + g[i];
            phi[i] -= eta * (g[i] + gamma * b[i]);
        }
    }
}

#[test]
fn momentum_draws_its_velocity_then_its_gradient_term_and_adaptive_methods_a_box() {
    let lab = rosenbrock_lab(0.0);
    let momentum = lab.anatomy(1, 3).unwrap();
    let arrows = momentum.arrows();
    let roles: Vec<Role> = arrows.iter().map(|a| a.role).collect();
    assert_eq!(roles, [Role::Velocity, Role::Gradient, Role::Step]);
    assert_eq!(arrows[0].to, arrows[1].from);
    assert!(close(arrows[1].to, momentum.next, 1.0));
    let nesterov = lab.anatomy(2, 3).unwrap();
    assert_eq!(nesterov.arrows()[0].to, nesterov.look_ahead.unwrap());
    let sgd = lab.anatomy(0, 3).unwrap();
    assert_eq!(sgd.arrows().len(), 1);
    assert_eq!(sgd.arrows()[0].role, Role::Gradient);
    assert!(sgd.step_box().is_none() && momentum.step_box().is_none());
    // Adagrad steps to a corner of its box.
    let adagrad = lab.anatomy(3, 3).unwrap();
    let (centre, half) = adagrad.step_box().unwrap();
    let step = adagrad.step_vector();
    assert_eq!(centre, adagrad.theta);
    for i in 0..2 {
        assert!((step[i].abs() - half[i]).abs() <= 1e-12 * half[i]);
    }
}

#[test]
fn narrations_use_the_catalogue_s_formulas_and_this_step_s_numbers() {
    let lab = rosenbrock_lab(0.0);
    for (i, spec) in CONTENDERS.iter().enumerate() {
        let a = lab.anatomy(i, 4).unwrap();
        let entry = CATALOGUE.iter().find(|e| e.id == a.method).unwrap();
        let plain =
            !spec.contains("centered") && !spec.contains("amsgrad=") && !spec.contains("bias_");
        for clause in entry.update.split("; ").filter(|c| c.contains('←')) {
            let formula = clause.split(',').next().unwrap();
            if plain {
                assert!(
                    a.narration.contains(formula),
                    "{spec}: {formula} not in {}",
                    a.narration
                );
            }
        }
        let next = format!(
            "({}, {})",
            gradscape::optim::explain::scalar(a.next[0]),
            gradscape::optim::explain::scalar(a.next[1])
        );
        assert!(
            a.narration.contains(&next),
            "{spec}: {next} not in {}",
            a.narration
        );
    }
    let momentum = lab.anatomy(1, 4).unwrap();
    assert!(
        momentum.narration.starts_with("m ← γm + η∇L(θ) = 0.9·("),
        "{}",
        momentum.narration
    );
}

#[test]
fn steps_beyond_the_run_and_hidden_optimizers_are_errors() {
    let lab = lab(r#"{"surface": "booth", "steps": 10,
            "optimizers": ["sgd:lr=0.01", {"id": "adam", "enabled": false}]}"#);
    assert!(lab.anatomy(0, 9).is_ok());
    let e = lab.anatomy(0, 10).unwrap_err();
    assert!(e.0.contains("0 to 9"), "{}", e.0);
    assert!(lab.anatomy(1, 0).unwrap_err().0.contains("not shown"));
    assert!(lab.anatomy(2, 0).is_err());
}

#[test]
fn the_geometry_is_the_hessian_s_eigen_decomposition() {
    let cases = [
        (
            "quadratic:lambda1=2,lambda2=50,angle=30",
            [0.3, -0.7],
            Definiteness::Positive,
        ),
        ("saddle", [0.5, 0.5], Definiteness::Indefinite),
        ("rosenbrock", [1.0, 1.0], Definiteness::Positive),
        // Rastrigin's local maximum: both curvatures 2 − 40π² < 0.
        ("rastrigin", [0.5, 0.5], Definiteness::Negative),
        ("monkey-saddle", [0.0, 0.0], Definiteness::Singular),
    ];
    for (spec, at, definite) in cases {
        let surface = surface::from_spec(&Spec::parse(spec).unwrap()).unwrap();
        let h = surface.hessian(at);
        let g = anatomy::geometry(h).unwrap();
        assert_eq!(g.definite, definite, "{spec}");
        assert!(g.eigenvalues[0] <= g.eigenvalues[1]);
        let m = Matrix2::new(h[0][0], h[0][1], h[1][0], h[1][1]);
        for (l, u) in g.eigenvalues.iter().zip(g.eigenvectors) {
            let u = Vector2::new(u[0], u[1]);
            assert!((u.norm() - 1.0).abs() < 1e-12);
            assert!(
                (m * u - *l * u).norm() <= 1e-12 * m.norm().max(1.0),
                "{spec}"
            );
        }
        let [a, b] = g.eigenvalues.map(f64::abs);
        match g.condition {
            Some(k) => assert!((k - a.max(b) / a.min(b)).abs() <= 1e-12 * k),
            None => assert_eq!(a.min(b), 0.0),
        }
    }
    let quadratic =
        surface::from_spec(&Spec::parse("quadratic:lambda1=2,lambda2=50").unwrap()).unwrap();
    let g = anatomy::geometry(quadratic.hessian([0.0, 0.0])).unwrap();
    assert!((g.eigenvalues[0] - 2.0).abs() < 1e-12 && (g.eigenvalues[1] - 50.0).abs() < 1e-12);
    assert!((g.condition.unwrap() - 25.0).abs() < 1e-12);
    // The ellipse's longest half-axis lies along the flattest direction u₁.
    let [r1, r2] = g.half_axes(1.2);
    assert_eq!(r1, 1.2);
    assert!((r2 - 1.2 * (2.0_f64 / 50.0).sqrt()).abs() < 1e-12);
    assert!(anatomy::geometry([[f64::NAN, 0.0], [0.0, 1.0]]).is_err());
    let lab = lab(r#"{"surface": "booth"}"#);
    assert!(lab.geometry_at([f64::INFINITY, 0.0]).is_err());
}

#[test]
fn the_error_along_the_eigenvectors_splits_the_distance_and_contracts_as_for_gd() {
    let (l1, l2, eta) = (1.0, 10.0, 0.15);
    let lab = lab(&format!(
        r#"{{"surface": "quadratic:lambda1={l1},lambda2={l2},angle=30", "start": [-2.5, 2],
            "steps": 40, "optimizers": ["sgd:lr={eta}", "momentum:lr=0.02"]}}"#
    ));
    let (geometry, errors) = lab.eigen_errors().unwrap();
    assert_eq!(errors.len(), 2);
    let (i, sgd) = &errors[0];
    assert_eq!(*i, 0);
    let run = lab.run(0).unwrap();
    for (k, [e1, e2]) in sgd.iter().enumerate() {
        let p = run.points[k];
        let squared = p[0] * p[0] + p[1] * p[1];
        assert!((e1 * e1 + e2 * e2 - squared).abs() <= 1e-12 * squared);
        // Each component contracts by |1 − ηλᵢ| while it is above the rounding of
        // the other (θₖ is stored to 1e-16 of its size).
        if k > 0 {
            let rates = geometry.eigenvalues.map(|l| (1.0 - eta * l).abs());
            for (i, e) in [e1, e2].into_iter().enumerate() {
                let previous = sgd[k - 1][i];
                if previous > 1e-6 * squared.sqrt() {
                    assert!(
                        (e / previous - rates[i]).abs() < 1e-9,
                        "{k}: {}",
                        e / previous
                    );
                }
            }
        }
    }
    let csv = lab.eigen_error_csv();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "optimizer,step,u1,u2");
    assert_eq!(rows.len(), 1 + 2 * 41);
    assert!(rows[1].starts_with("sgd,0,"));
    let booth = self::lab(r#"{"surface": "booth"}"#);
    assert!(booth.eigen_errors().is_none());
    assert_eq!(booth.eigen_error_csv(), "optimizer,step,u1,u2\n");
}
