//! The wasm boundary in headless Chromium: the same numbers as native, bit for bit,
//! and errors as JS exceptions with the core's message.
#![cfg(target_arch = "wasm32")]

mod determinism;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn browser_runs_match_native_runs_bit_for_bit() {
    let lines = determinism::lines();
    let fixture: Vec<&str> = determinism::FIXTURE.lines().collect();
    assert_eq!(lines.len(), fixture.len());
    for (got, want) in lines.iter().zip(fixture) {
        assert_eq!(got, want);
    }
}

#[wasm_bindgen_test]
fn the_boundary_returns_flat_points_and_a_status() {
    let t = gradscape::web::trace("booth", "sgd:lr=0.05", -8.0, -6.0, 10).unwrap();
    assert_eq!(t.points().len(), 33);
    assert_eq!(t.status(), "running");
    assert_eq!(t.step(), 10);
    let t = gradscape::web::trace("saddle", "sgd:lr=10", 0.5, 0.5, 100).unwrap();
    assert_eq!(t.status(), "diverged");
    assert!(t.points().iter().all(|v| v.is_finite()));
}

#[wasm_bindgen_test]
fn bad_specs_become_errors_not_panics() {
    assert!(gradscape::web::trace("booth", "sgd:lr=-1", 0.0, 0.0, 10).is_err());
    assert!(gradscape::web::trace("nowhere", "sgd", 0.0, 0.0, 10).is_err());
    assert!(gradscape::web::trace("booth", "sgd", f64::NAN, 0.0, 10).is_err());
}
