//! The charts' axes: linear, logarithmic, or symmetric-logarithmic — for a loss that
//! crosses zero and falls many decades below it, as on the saddle x² − y² — as plotters
//! coordinates, so the mesh, the lines, the markers and the pointer all map through the
//! same t(v). Ticks fall on 1-2-5 steps, at least [`MIN_TICKS`] and at most
//! [`MAX_TICKS`] of them, labelled by [`crate::text::tick`].

use crate::config::Error;
use crate::text::tick;
use plotters::coord::ranged1d::{
    KeyPointHint, NoDefaultFormatting, Ranged, ReversibleRanged, ValueFormatter,
};
use std::f64::consts::LN_10;
use std::ops::Range;

/// Labelled ticks on every axis, whatever its range: at least …
pub const MIN_TICKS: usize = 3;
/// … and at most.
pub const MAX_TICKS: usize = 8;

/// Where a value v sits along an axis: at t(v), with t spaced evenly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// t = v.
    Linear,
    /// t = log₁₀ v, for v > 0.
    Log,
    /// t = sign(v) log₁₀(1 + |v|/c): linear in v for |v| ≪ c, logarithmic in |v| for
    /// |v| ≫ c, so one axis shows a loss that barely leaves zero and one at −10¹⁵
    /// (J. B. W. Webber, "A bi-symmetric log transformation for wide-range data",
    /// Meas. Sci. Technol. 24, 2013). c is the linear threshold.
    SymLog { threshold: f64 },
}

impl Scale {
    fn t(self, v: f64) -> f64 {
        match self {
            Scale::Linear => v,
            Scale::Log => libm::log10(v),
            Scale::SymLog { threshold } => (libm::log1p(v.abs() / threshold) / LN_10).copysign(v),
        }
    }

    /// The inverse of t: v = sign(t) c (10^|t| − 1) on the symmetric-log scale.
    fn value(self, t: f64) -> f64 {
        match self {
            Scale::Linear => t,
            Scale::Log => libm::exp10(t),
            Scale::SymLog { threshold } => (threshold * libm::expm1(t.abs() * LN_10)).copysign(t),
        }
    }
}

/// An axis over [lo, hi] on a [`Scale`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    scale: Scale,
    range: (f64, f64),
    t_range: (f64, f64),
    /// Ticks only at whole numbers: iterations, epochs.
    integers: bool,
}

impl Axis {
    /// An axis over [lo, hi]: finite, lo < hi, positive on a log scale, with a positive
    /// finite threshold on a symmetric-log one.
    pub fn new(scale: Scale, lo: f64, hi: f64) -> Result<Axis, Error> {
        let scale_valid = match scale {
            Scale::Linear => true,
            Scale::Log => lo > 0.0,
            Scale::SymLog { threshold } => threshold.is_finite() && threshold > 0.0,
        };
        let t_range = (scale.t(lo), scale.t(hi));
        if !(scale_valid && lo.is_finite() && hi.is_finite() && t_range.0 < t_range.1) {
            return Err(Error::new(format!(
                "an axis from {lo} to {hi} on the scale {scale:?} cannot be drawn"
            )));
        }
        Ok(Axis {
            scale,
            range: (lo, hi),
            t_range,
            integers: false,
        })
    }

    /// The y axis of losses within [min, max] from starting losses of size `start`
    /// (the largest |f(θ₀)|): logarithmic when every loss is positive, as on every
    /// surface bounded below by 0; symmetric-logarithmic otherwise (the saddles, a loss
    /// reaching exactly 0), with c three decades below the start, so that the lines that
    /// settle near zero stay apart while another falls to −10¹⁵. A run diverging upwards
    /// on a log axis would squash every other line: it shows at most a thousand times
    /// the start, and lines leave through the top.
    pub fn for_losses(min: f64, max: f64, start: f64) -> Axis {
        let fallback = Axis {
            scale: Scale::Linear,
            range: (-1.0, 1.0),
            t_range: (-1.0, 1.0),
            integers: false,
        };
        if !(min.is_finite() && max.is_finite() && min <= max) {
            return fallback;
        }
        let largest = min.abs().max(max.abs());
        let start = if start.is_finite() && start > 0.0 {
            start
        } else {
            largest
        };
        let axis = if min > 0.0 {
            let hi = max.min(start * 1e3).max(min);
            // At most twenty decades, and room around a flat line.
            let lo = min.max(hi * 1e-20);
            let (lo, hi) = if hi < 1.2 * lo {
                (lo / 1.2, hi * 1.2)
            } else {
                (lo, hi)
            };
            Axis::new(Scale::Log, lo, hi)
        } else {
            let threshold = libm::exp10(libm::log10(start).floor() - 3.0);
            let far = start * 1e20;
            let (lo, hi) = (min.max(-far), max.min(far));
            let (lo, hi) = if hi - lo < 2.0 * threshold {
                (lo - threshold, hi + threshold)
            } else {
                (lo, hi)
            };
            Axis::new(Scale::SymLog { threshold }, lo, hi)
        };
        axis.unwrap_or(fallback)
    }

    /// The same axis, ticked only at whole numbers.
    pub fn integers(self) -> Axis {
        Axis {
            integers: true,
            ..self
        }
    }

    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// [lo, hi].
    pub fn bounds(&self) -> (f64, f64) {
        self.range
    }

    /// Where v sits, from 0 at lo to 1 at hi (outside for values beyond them).
    pub fn fraction(&self, v: f64) -> f64 {
        (self.scale.t(v) - self.t_range.0) / (self.t_range.1 - self.t_range.0)
    }

    /// The value at fraction u: the inverse of [`Axis::fraction`].
    pub fn value_at(&self, u: f64) -> f64 {
        let (t0, t1) = self.t_range;
        self.scale.value(t0 + u * (t1 - t0))
    }

    /// The labelled ticks: the finest of the first family of 1-2-5 ticks (decades, then
    /// 1, 2, 5 × 10ᵏ, then evenly spaced) that labels the range with [`MIN_TICKS`] to
    /// `most` ticks (`most` within [`MIN_TICKS`, `MAX_TICKS`]); failing that, the fewest
    /// that reach [`MIN_TICKS`], or else as many as the range holds.
    pub fn ticks(&self, most: usize) -> Vec<f64> {
        let most = most.clamp(MIN_TICKS, MAX_TICKS);
        let families = self.families();
        let fitting = families.iter().find_map(|family| {
            family
                .iter()
                .rfind(|ticks| (MIN_TICKS..=most).contains(&ticks.len()))
        });
        let enough = || {
            families
                .iter()
                .flatten()
                .filter(|ticks| ticks.len() >= MIN_TICKS)
                .min_by_key(|ticks| ticks.len())
        };
        let most_there = || families.iter().flatten().max_by_key(|ticks| ticks.len());
        fitting
            .or_else(enough)
            .or_else(most_there)
            .cloned()
            .unwrap_or_default()
    }

    /// Candidate tick sets, in families whose sets grow finer, nicest family first.
    fn families(&self) -> Vec<Vec<Vec<f64>>> {
        let (lo, hi) = self.range;
        let even = even_steps(lo, hi, self.integers);
        // On a log or symmetric-log scale even steps bunch up where the scale compresses
        // (2e30, 4e30, 6e30 a pixel apart): keep only sets whose neighbours stay apart.
        let apart = |ticks: &Vec<f64>| {
            ticks
                .windows(2)
                .all(|w| self.fraction(w[1]) - self.fraction(w[0]) >= 1.0 / (4 * MAX_TICKS) as f64)
        };
        let spread = || even.iter().filter(|ticks| apart(ticks)).cloned().collect();
        match self.scale {
            Scale::Linear => vec![even],
            Scale::Log => {
                // Even steps only where decades cannot label the range: on a narrow plot
                // they would crowd into the last decade (0.001, 0.002, 0.003).
                let decades = decades(lo, hi, decade_steps(lo, hi));
                if decades.iter().any(|ticks| ticks.len() >= MIN_TICKS) {
                    vec![decades]
                } else {
                    vec![decades, spread()]
                }
            }
            Scale::SymLog { threshold } => {
                // Powers of ten from ten times c: below, the scale is nearly linear and
                // their labels would crowd the zero. Both sides step alike.
                let floor = 10.0 * threshold;
                let (positive, negative) = ((floor.max(lo), hi), (floor.max(-hi), -lo));
                let steps =
                    decade_steps(positive.0, positive.1).max(decade_steps(negative.0, negative.1));
                let positive = decades(positive.0, positive.1, steps);
                let negative = decades(negative.0, negative.1, steps);
                let zero = (lo <= 0.0 && 0.0 <= hi).then_some(0.0);
                let symmetric = negative
                    .iter()
                    .zip(&positive)
                    .map(|(negative, positive)| {
                        let mut ticks: Vec<f64> = negative
                            .iter()
                            .map(|m| -m)
                            .chain(zero)
                            .chain(positive.iter().copied())
                            .collect();
                        ticks.sort_by(f64::total_cmp);
                        ticks
                    })
                    .collect();
                vec![symmetric, spread()]
            }
        }
    }
}

/// m × 10ᵉ, correctly rounded: a tick's value, whose shortest text is its decimal.
pub(super) fn decimal(m: i64, e: i32) -> f64 {
    format!("{m}e{e}").parse().unwrap_or(f64::NAN)
}

/// The 1-2-5 steps from 10^top down to 10^bottom, as (mantissa, exponent).
pub(super) fn steps_down(top: i32, bottom: i32) -> impl Iterator<Item = (i64, i32)> {
    std::iter::once((1, top)).chain((bottom..top).rev().flat_map(|e| [(5, e), (2, e), (1, e)]))
}

/// Multiples of 1-2-5 steps in [lo, hi], from one step as wide as the range to the
/// first that gives more than [`MAX_TICKS`] ticks; steps of at least 1 for `integers`.
fn even_steps(lo: f64, hi: f64, integers: bool) -> Vec<Vec<f64>> {
    let top = libm::log10(hi - lo).ceil() as i32;
    let bottom = if integers { 0 } else { top - 3 };
    let mut sets = Vec::new();
    for (m, e) in steps_down(top, bottom.min(top)) {
        let step = decimal(m, e);
        let (first, last) = ((lo / step).ceil(), (hi / step).floor());
        // Beyond 2⁵³ the multiples are no longer whole numbers of steps.
        if !(first.abs() < 1e15 && last.abs() < 1e15) {
            break;
        }
        // One more on each side: lo / step may round either way.
        let ticks: Vec<f64> = (first as i64 - 1..=last as i64 + 1)
            .map(|k| decimal(k * m, e))
            .filter(|v| (lo..=hi).contains(v))
            .collect();
        let many = ticks.len() > MAX_TICKS;
        sets.push(ticks);
        if many {
            break;
        }
    }
    sets
}

/// The decades of [a, b]: ⌊log₁₀ a⌋ to ⌈log₁₀ b⌉, or none if the range is empty.
fn exponents(a: f64, b: f64) -> Option<(i32, i32)> {
    (a > 0.0 && a <= b && b.is_finite())
        .then(|| (libm::log10(a).floor() as i32, libm::log10(b).ceil() as i32))
}

/// How many 1-2-5 exponent steps [`decades`] tries over [a, b]: from 10^n ≥ the
/// number of decades.
fn decade_steps(a: f64, b: f64) -> i32 {
    exponents(a, b).map_or(0, |(low, high)| {
        libm::log10((high - low).max(1) as f64).ceil() as i32
    })
}

/// Tick sets over magnitudes in [a, b] (empty sets if b < a): powers of ten 10^(k·s)
/// for exponent steps s from 10^`steps` down to 1, then 1, 2 and 5 × 10ᵏ.
fn decades(a: f64, b: f64, steps: i32) -> Vec<Vec<f64>> {
    let (low, high) = exponents(a, b).unwrap_or((1, 0));
    let within = |v: &f64| (a..=b).contains(v);
    let mut sets: Vec<Vec<f64>> = steps_down(steps, 0)
        .map(|(m, e)| {
            let s = m * 10_i64.pow(e as u32);
            (low..=high)
                .filter(|x| i64::from(*x).rem_euclid(s) == 0)
                .map(|x| decimal(1, x))
                .filter(within)
                .collect()
        })
        .collect();
    sets.push(
        (low..=high)
            .flat_map(|x| [1, 2, 5].map(|m| decimal(m, x)))
            .filter(within)
            .collect(),
    );
    sets
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let pixel = f64::from(limit.0) + self.fraction(*v) * f64::from(limit.1 - limit.0);
        if pixel.is_nan() {
            limit.0
        } else {
            // Far off the plot stays far off, without overflowing.
            pixel.round().clamp(-1e7, 1e7) as i32
        }
    }

    /// The labelled ticks; no light mesh lines between them.
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() || hint.max_num_points() == 0 {
            return Vec::new();
        }
        self.ticks(hint.max_num_points())
    }

    fn range(&self) -> Range<f64> {
        self.range.0..self.range.1
    }
}

impl ReversibleRanged for Axis {
    /// The value at a pixel within the axis: what a pointer over the chart reads.
    fn unmap(&self, pixel: i32, limit: (i32, i32)) -> Option<f64> {
        if limit.0 == limit.1 {
            return None;
        }
        let u = f64::from(pixel - limit.0) / f64::from(limit.1 - limit.0);
        (0.0..=1.0).contains(&u).then(|| self.value_at(u))
    }
}

impl ValueFormatter<f64> for Axis {
    fn format(value: &f64) -> String {
        tick(*value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn axis(scale: Scale, lo: f64, hi: f64) -> Axis {
        Axis::new(scale, lo, hi).unwrap()
    }

    const SAMPLE: Scale = Scale::SymLog { threshold: 1e-3 };

    #[test]
    fn values_and_pixels_map_back_and_forth() {
        for a in [
            axis(Scale::Linear, -3.0, 7.0),
            axis(Scale::Log, 1e-9, 50.0),
            axis(SAMPLE, -1e15, 3.24),
        ] {
            for u in [0.0, 0.13, 0.5, 0.77, 1.0] {
                let v = a.value_at(u);
                assert!((a.fraction(v) - u).abs() < 1e-12, "{a:?} {u}");
            }
            let limit = (400, 0); // a y axis: up is a smaller pixel
            for pixel in [0, 1, 133, 399, 400] {
                let v = a.unmap(pixel, limit).unwrap();
                assert_eq!(a.map(&v, limit), pixel, "{a:?}");
            }
            assert_eq!(a.unmap(401, limit), None);
        }
    }

    #[test]
    fn the_symmetric_log_scale_is_linear_near_zero_and_logarithmic_far_from_it() {
        let c = 1e-3;
        let s = Scale::SymLog { threshold: c };
        // t(v) ≈ v/(c ln 10) for |v| ≪ c; a decade per unit of t for |v| ≫ c.
        assert!((s.t(1e-7) / (1e-7 / (c * LN_10)) - 1.0).abs() < 1e-4);
        assert!((s.t(-1e12) - s.t(-1e11) + 1.0).abs() < 1e-12);
        assert_eq!(s.t(0.0), 0.0);
        assert_eq!(s.t(-2.0), -s.t(2.0));
    }

    #[test]
    fn the_saddles_ticks_run_from_its_start_to_minus_a_quadrillion() {
        let ticks = axis(SAMPLE, -1e15, 3.24).ticks(6);
        assert_eq!(ticks, [-1e15, -1e10, -1e5, -1.0, 0.0, 1.0]);
        let labels: Vec<String> = ticks.iter().map(Axis::format).collect();
        assert_eq!(labels, ["-1e15", "-1e10", "-1e5", "-1", "0", "1"]);
    }

    #[test]
    fn a_log_axis_under_a_decade_has_three_labels() {
        // Adam with and without bias correction: losses from 62.5 down to 2.1.
        assert_eq!(
            axis(Scale::Log, 2.09, 62.5).ticks(5),
            [5.0, 10.0, 20.0, 50.0]
        );
        assert_eq!(
            axis(Scale::Log, 0.31, 0.52).ticks(5),
            [0.35, 0.4, 0.45, 0.5]
        );
        assert_eq!(
            axis(Scale::Log, 1e-12, 1e8).ticks(6),
            [1e-10, 1e-5, 1.0, 1e5]
        );
    }

    #[test]
    fn ticks_are_decimals_whose_labels_are_short() {
        let ticks = axis(Scale::Linear, 0.1, 0.7).ticks(8);
        assert_eq!(ticks, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
        assert_eq!(Axis::format(&ticks[2]), "0.3");
        let iterations = axis(Scale::Linear, 0.0, 3.0).integers();
        assert_eq!(iterations.ticks(6), [0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn losses_pick_their_scale() {
        // Every loss positive: logarithmic, a diverging run cut at a thousand times the start.
        let bowl = Axis::for_losses(1e-9, 1e30, 4.0);
        assert_eq!(bowl.scale(), Scale::Log);
        assert_eq!(bowl.bounds(), (1e-9, 4000.0));
        // The saddle: from 3.24 down to −8e14, c three decades below the start.
        let saddle = Axis::for_losses(-8e14, 3.24, 3.24);
        assert_eq!(saddle.scale(), Scale::SymLog { threshold: 1e-3 });
        assert_eq!(saddle.bounds(), (-8e14, 3.24));
        // A loss reaching exactly 0 is no log axis's, and a flat line gets room.
        assert!(matches!(
            Axis::for_losses(0.0, 2.0, 2.0).scale(),
            Scale::SymLog { .. }
        ));
        let flat = Axis::for_losses(5.0, 5.0, 5.0);
        assert!(flat.bounds().0 < 5.0 && 5.0 < flat.bounds().1);
        assert!(flat.ticks(5).len() >= MIN_TICKS);
        // Nothing to show: still an axis.
        assert_eq!(Axis::for_losses(f64::NAN, 1.0, 1.0).bounds(), (-1.0, 1.0));
        assert_eq!(Axis::for_losses(0.0, 0.0, 0.0).bounds(), (-1.0, 1.0));
    }

    #[test]
    fn ranges_that_cannot_be_drawn_are_refused() {
        assert!(Axis::new(Scale::Log, 0.0, 1.0).is_err());
        assert!(Axis::new(Scale::Linear, 1.0, 1.0).is_err());
        assert!(Axis::new(Scale::Linear, 0.0, f64::INFINITY).is_err());
        assert!(Axis::new(Scale::SymLog { threshold: 0.0 }, -1.0, 1.0).is_err());
    }

    /// A range drawn from decades 10^a to 10^b on either side of zero.
    fn range() -> impl Strategy<Value = (f64, f64)> {
        (
            -12.0..15.0_f64,
            1e-6..20.0_f64,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(a, span, lo_negative, hi_negative)| {
                let (small, large) = (libm::exp10(a), libm::exp10(a + span));
                match (lo_negative, hi_negative) {
                    (true, true) => (-large, -small),
                    (true, false) => (-small, large),
                    (false, _) => (small, large),
                }
            })
    }

    proptest! {
        #[test]
        fn every_axis_has_three_to_eight_ordered_ticks_inside_it(
            (lo, hi) in range(),
            most in 0..20_usize,
            threshold in -10.0..3.0_f64,
        ) {
            let mut scales = vec![Scale::Linear, Scale::SymLog { threshold: libm::exp10(threshold) }];
            if lo > 0.0 {
                scales.push(Scale::Log);
            }
            for scale in scales {
                let a = axis(scale, lo, hi);
                let ticks = a.ticks(most);
                prop_assert!(
                    (MIN_TICKS..=MAX_TICKS).contains(&ticks.len()),
                    "{a:?}: {ticks:?}"
                );
                prop_assert!(ticks.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(ticks.iter().all(|v| (lo..=hi).contains(v)));
                // Their pixels are distinct: no two labels on one spot.
                let pixels: Vec<i32> = ticks.iter().map(|v| a.map(v, (0, 200))).collect();
                prop_assert!(pixels.windows(2).all(|w| w[0] < w[1]), "{a:?}: {ticks:?}");
            }
        }
    }

    #[test]
    fn a_narrow_log_axis_keeps_its_decades() {
        // Four decades where only three ticks fit: the decades, not 0.001, 0.002, 0.003.
        let axis = Axis::new(Scale::Log, 1e-6, 3.5e-3).unwrap();
        assert_eq!(axis.ticks(3), [1e-6, 1e-5, 1e-4, 1e-3]);
    }
}
