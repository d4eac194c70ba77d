//! A layer's values on a batch of samples (zˡ, hˡ or ∇zˡ l), two samples at a time:
//! pair p holds every unit's values on samples 2p and 2p + 1, one per SIMD lane, so that
//! each operation of the passes serves both. An odd batch leaves the last lane spare.

use std::ops::Range;
use wide::f64x2;

#[derive(Clone, Debug, Default)]
pub struct LayerValues {
    units: usize,
    samples: usize,
    /// Unit u on samples 2p and 2p + 1 at `lanes[p · units + u]`.
    lanes: Vec<f64x2>,
}

impl LayerValues {
    pub fn units(&self) -> usize {
        self.units
    }

    pub fn samples(&self) -> usize {
        self.samples
    }

    /// Unit `u`'s value on sample `i`.
    #[inline]
    pub fn get(&self, i: usize, u: usize) -> f64 {
        bytemuck::cast_slice(&self.lanes)[self.index(i, u)]
    }

    /// Where unit `u`'s value on sample `i` is among the lanes' values.
    #[inline]
    fn index(&self, i: usize, u: usize) -> usize {
        (i / 2 * self.units + u) * 2 + i % 2
    }

    pub(super) fn get_mut(&mut self, i: usize, u: usize) -> &mut f64 {
        let index = self.index(i, u);
        &mut bytemuck::cast_slice_mut(&mut self.lanes)[index]
    }

    /// The units' values on sample `i`.
    pub fn sample(&self, i: usize) -> Vec<f64> {
        (0..self.units).map(|u| self.get(i, u)).collect()
    }

    /// Unit `u`'s values on the samples.
    pub fn unit(&self, u: usize) -> Vec<f64> {
        (0..self.samples).map(|i| self.get(i, u)).collect()
    }

    /// Every value, sample by sample.
    pub fn iter(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.samples).flat_map(move |i| (0..self.units).map(move |u| self.get(i, u)))
    }

    /// Gives the values the shape `samples` × `units`, reallocating only when it differs.
    pub(super) fn reshape(&mut self, samples: usize, units: usize) {
        if (self.samples, self.units) != (samples, units) {
            *self = LayerValues {
                units,
                samples,
                lanes: vec![f64x2::ZERO; samples.div_ceil(2) * units],
            };
        }
    }

    /// Every unit's values on the pairs of samples `pairs`, pair after pair.
    #[inline]
    pub(super) fn pairs(&self, pairs: Range<usize>) -> &[f64x2] {
        &self.lanes[pairs.start * self.units..pairs.end * self.units]
    }

    #[inline]
    pub(super) fn pairs_mut(&mut self, pairs: Range<usize>) -> &mut [f64x2] {
        &mut self.lanes[pairs.start * self.units..pairs.end * self.units]
    }
}
