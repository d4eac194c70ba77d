//! The runs whose every bit must agree natively and in the browser, and their fixture.
//!
//! `tests/golden/native-bits.txt` holds, per run, the number of iterates, the IEEE-754
//! bits of the last x, y and loss, and an FNV-1a digest of the bits of every x, y and
//! loss, as computed natively. `tests/native_bits.rs` checks the native build against
//! it (and rewrites it with GRADSCAPE_BLESS=1); `tests/web.rs` checks Chromium.

use gradscape::run::trace;

/// Every optimizer on surfaces that use each transcendental function of the core
/// (cos and sin, tanh, exp and log1p), with and without gradient noise.
pub fn runs() -> Vec<(String, String)> {
    let surfaces = [
        "rosenbrock:b=5",
        "rastrigin",
        "long-valley",
        "quadratic:angle=33",
    ];
    let mut runs = Vec::new();
    for surface in surfaces {
        for entry in gradscape::optim::CATALOGUE {
            runs.push((surface.to_string(), entry.id.to_string()));
            runs.push((
                surface.to_string(),
                format!("{}:noise=0.7,seed=11", entry.id),
            ));
        }
    }
    runs
}

/// FNV-1a over the bytes of the values' bits.
fn digest(values: &[f64]) -> u64 {
    values
        .iter()
        .flat_map(|v| v.to_bits().to_le_bytes())
        .fold(0xcbf29ce484222325, |h, byte| {
            (h ^ byte as u64).wrapping_mul(0x100000001b3)
        })
}

/// One line per run: `surface optimizer iterates last-x last-y last-loss digest`.
pub fn lines() -> Vec<String> {
    runs()
        .into_iter()
        .map(|(surface, optimizer)| {
            let t = trace(&surface, &optimizer, [-1.3, 1.7], 60).unwrap();
            let diverged = matches!(t.status, gradscape::run::Status::Diverged { .. });
            assert!(!diverged, "{surface} {optimizer} must not diverge");
            let values: Vec<f64> = t
                .points
                .iter()
                .zip(&t.losses)
                .flat_map(|(p, loss)| [p[0], p[1], *loss])
                .collect();
            let last: Vec<String> = values[values.len() - 3..]
                .iter()
                .map(|v| format!("{:016x}", v.to_bits()))
                .collect();
            format!(
                "{surface} {optimizer} {} {} {:016x}",
                t.points.len(),
                last.join(" "),
                digest(&values)
            )
        })
        .collect()
}

pub const FIXTURE: &str = include_str!("../golden/native-bits.txt");
