//! The PyTorch reference trajectories in `tests/golden/optimizer-trajectories.json`:
//! real `torch.optim` in float64 stepping each surface's exact gradient from `start`,
//! with (x, y, loss) after every step (the file's `generator` field names the script).
//! `nesterov` there is the lecture's formula, which torch does not have.

#[derive(serde::Deserialize)]
pub struct Reference {
    pub cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
pub struct Case {
    pub surface: String,
    pub optimizer: String,
    pub start: [f64; 2],
    pub steps: usize,
    pub points: Vec<[f64; 3]>,
}

pub fn cases() -> Vec<Case> {
    let reference: Reference =
        serde_json::from_str(include_str!("../golden/optimizer-trajectories.json")).unwrap();
    reference.cases
}

/// Agreement to ~1e-9 relative: the same maths, possibly in another order.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-3)
}
