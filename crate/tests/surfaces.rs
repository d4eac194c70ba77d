//! Every surface's gradient and Hessian against central finite differences, and every
//! listed minimum checked for its value and a zero gradient.

use gradscape::surface::{from_spec, CriticalKind, Surface, CATALOGUE};
use gradscape::Spec;

fn all_surfaces() -> Vec<(String, Box<dyn Surface>)> {
    let mut specs: Vec<String> = CATALOGUE.iter().map(|e| e.id.to_string()).collect();
    specs.push("quadratic:lambda1=0.5,lambda2=20,angle=35".into());
    specs.push("rosenbrock:a=-0.5,b=10".into());
    specs
        .into_iter()
        .map(|s| {
            let surface = from_spec(&Spec::parse(&s).unwrap()).unwrap();
            (s, surface)
        })
        .collect()
}

/// Points spread over the view box (a fixed lattice, off the axes of symmetry).
fn sample_points(surface: &dyn Surface) -> Vec<[f64; 2]> {
    let v = surface.view();
    let mut points = vec![surface.start()];
    for i in 0..7 {
        for j in 0..7 {
            let (u, w) = ((i as f64 + 0.37) / 7.0, (j as f64 + 0.61) / 7.0);
            points.push([v.x.0 + u * v.width(), v.y.0 + w * v.height()]);
        }
    }
    points
}

/// Central difference (f(p + h eᵢ) − f(p − h eᵢ)) / 2h, with h scaled to p.
fn central<F: Fn([f64; 2]) -> f64>(f: F, p: [f64; 2], i: usize) -> f64 {
    let h = 1e-5 * p[i].abs().max(1.0);
    let (mut plus, mut minus) = (p, p);
    plus[i] += h;
    minus[i] -= h;
    (f(plus) - f(minus)) / (2.0 * h)
}

fn assert_close(analytic: f64, numeric: f64, scale: f64, what: &str) {
    let tolerance = 1e-6 * scale.max(1.0);
    assert!(
        (analytic - numeric).abs() <= tolerance,
        "{what}: analytic {analytic} vs finite difference {numeric}"
    );
}

#[test]
fn gradients_match_finite_differences() {
    for (name, s) in all_surfaces() {
        for p in sample_points(s.as_ref()) {
            let g = s.gradient(p);
            let scale = s.value(p).abs() + g[0].abs() + g[1].abs();
            for (i, analytic) in g.iter().enumerate() {
                let numeric = central(|q| s.value(q), p, i);
                assert_close(*analytic, numeric, scale, &format!("{name} ∂{i} at {p:?}"));
            }
        }
    }
}

#[test]
fn hessians_match_finite_differences_of_the_gradient() {
    for (name, s) in all_surfaces() {
        for p in sample_points(s.as_ref()) {
            let h = s.hessian(p);
            assert_eq!(h[0][1], h[1][0], "{name}: Hessian must be symmetric");
            let scale = h.iter().flatten().map(|v| v.abs()).sum::<f64>();
            for (i, row) in h.iter().enumerate() {
                for (j, analytic) in row.iter().enumerate() {
                    let numeric = central(|q| s.gradient(q)[i], p, j);
                    let what = format!("{name} ∂²{i}{j} at {p:?}");
                    assert_close(*analytic, numeric, scale, &what);
                }
            }
        }
    }
}

#[test]
fn critical_points_are_stationary_and_minima_are_minimal() {
    for (name, s) in all_surfaces() {
        let points = s.critical_points();
        assert!(!points.is_empty(), "{name} lists no critical point");
        for c in points {
            let g = s.gradient(c.point);
            assert!(
                g[0].abs() < 1e-9 && g[1].abs() < 1e-9,
                "{name}: ∇f{:?} = {g:?}",
                c.point
            );
            let [[a, b], [_, d]] = s.hessian(c.point);
            let (trace, det) = (a + d, a * d - b * b);
            match c.kind {
                CriticalKind::Minimum => {
                    // A slice's minimum is where its network's loss is least, above 0;
                    // every other surface's is at 0.
                    if name != "slice" {
                        assert!(s.value(c.point).abs() < 1e-12, "{name}: f(min) = 0");
                    }
                    assert!(det > 0.0 && trace > 0.0, "{name}: ∇²f ≻ 0 at a minimum");
                }
                CriticalKind::Saddle => assert!(det <= 0.0, "{name}: a saddle is not convex"),
            }
        }
    }
}

#[test]
fn every_surface_has_a_sensible_view_and_start() {
    for (name, s) in all_surfaces() {
        let v = s.view().validated().unwrap();
        let [x, y] = s.start();
        assert!(
            v.x.0 <= x && x <= v.x.1 && v.y.0 <= y && y <= v.y.1,
            "{name}"
        );
        assert!(s.value(s.start()).is_finite());
    }
}

#[test]
fn bad_surface_specs_name_the_problem() {
    let error = |s: &str| from_spec(&Spec::parse(s).unwrap()).err().unwrap().0;
    assert!(error("bogus").contains("unknown surface `bogus`"));
    assert!(error("quadratic:lambda1=-1").contains("lambda1 = -1.0 is out of range"));
    assert!(error("quadratic:lambda9=1").contains("expected one of: lambda1, lambda2, angle"));
    assert!(error("rosenbrock:b=abc").contains("`abc` is not a number"));
    assert!(error("saddle:a=1").contains("it takes no parameters"));
}
