//! The exponential behind the activations and the softmax, two values at a time (one
//! per SIMD lane), within a few ulps of the exact functions: at most 2 from libm's exp,
//! 3 from its tanh and 4 from a sigmoid built on libm's exp (libm is within 1 of
//! exact). Only +, −, ×, ÷, comparisons and bit moves, all exact or exactly rounded by
//! IEEE 754, so every platform computes the same bits.
//!
//! With y = n ln 2 + r, n an integer and |r| ≤ ½ ln 2: e^y = 2ⁿ e^r, and
//! e^r − 1 = r + r² q(r) with q the polynomial of degree 9 closest to (e^r − 1 − r)/r²
//! in the Chebyshev sense (`mpmath.chebyfit`), which leaves a relative error below
//! 4.1·10⁻¹⁷ in e^r − 1: 0.4 ulp, where the Taylor series needs degree 11.

use wide::{f64x2, u64x2};

/// The constants of the functions below, each in both lanes.
struct Constants {
    log2_e: f64x2,
    /// ln 2 to 32 significant bits, so that n · ln2_hi is exact for |n| < 2²¹ (fdlibm's
    /// split), and the rest of ln 2.
    ln2_hi: f64x2,
    ln2_lo: f64x2,
    /// 1.5 · 2⁵² + 1023: adding it rounds a value below 2⁵⁰ to an integer n (ties to
    /// even) and leaves n + 1023, the exponent field of 2ⁿ, in the low bits of the sum,
    /// above bits that a shift by 52 drops.
    round: f64x2,
    /// q's coefficients, from r⁰ up.
    q: [f64x2; 10],
    /// 1/n! for n = 2 … 6: the Taylor series for pictures.
    taylor: [f64x2; 5],
    sign: u64x2,
    one: f64x2,
    two: f64x2,
    /// Where e^y stops: e^−708 ≈ 3·10⁻³⁰⁸ and e^709 ≈ 8·10³⁰⁷ are the last normal
    /// numbers before it would underflow and overflow.
    exp_min: f64x2,
    exp_max: f64x2,
    /// Beyond |x| = 20 tanh x rounds to ±1.
    tanh_max: f64x2,
}

static CONSTANTS: Constants = Constants {
    log2_e: f64x2::splat(core::f64::consts::LOG2_E),
    ln2_hi: f64x2::splat(f64::from_bits(0x3FE6_2E42_FEE0_0000)),
    ln2_lo: f64x2::splat(f64::from_bits(0x3DEA_39EF_3579_3C76)),
    round: f64x2::splat(6_755_399_441_055_744.0 + 1023.0),
    q: [
        f64x2::splat(0.500_000_000_000_000_1),
        f64x2::splat(0.166_666_666_666_666_69),
        f64x2::splat(0.041_666_666_666_624_164),
        f64x2::splat(0.008_333_333_333_330_065),
        f64x2::splat(0.001_388_888_891_719_671_9),
        f64x2::splat(0.000_198_412_698_630_405_45),
        f64x2::splat(2.480_152_132_236_793e-5),
        f64x2::splat(2.755_726_848_030_944e-6),
        f64x2::splat(2.762_007_588_034_591e-7),
        f64x2::splat(2.510_037_583_284_003_4e-8),
    ],
    taylor: [
        f64x2::splat(1.0 / 2.0),
        f64x2::splat(1.0 / 6.0),
        f64x2::splat(1.0 / 24.0),
        f64x2::splat(1.0 / 120.0),
        f64x2::splat(1.0 / 720.0),
    ],
    sign: u64x2::splat(1 << 63),
    one: f64x2::splat(1.0),
    two: f64x2::splat(2.0),
    exp_min: f64x2::splat(-708.0),
    exp_max: f64x2::splat(709.0),
    tanh_max: f64x2::splat(20.0),
};

/// The constants, read from memory: V8 rebuilds a 128-bit constant written into the
/// code from immediates at every use, which costs more than loading it (a fifth of
/// tanh's time in Chromium), and `black_box` keeps the compiler from writing them in.
#[inline(always)]
fn constants() -> &'static Constants {
    core::hint::black_box(&CONSTANTS)
}

/// (2ⁿ, e^r − 1) with y = n ln 2 + r, for y in [−708, 709] (n in [−1021, 1023]); for a
/// `PICTURE`, e^r − 1 only to r⁶ (the rest is below r⁷/7! < 1.2·10⁻⁷).
#[inline(always)]
fn reduce<const PICTURE: bool>(y: f64x2) -> (f64x2, f64x2) {
    let k = constants();
    let shifted = y * k.log2_e + k.round;
    let n = shifted - k.round;
    let r = (y - n * k.ln2_hi) - n * k.ln2_lo;
    // e^r − 1 = r + r² q(r), by Estrin's scheme: pairs of terms, then pairs of pairs,
    // so that few operations wait on each other.
    let (r2, pair) = (r * r, |c: &[f64x2], j: usize| c[j] + c[j + 1] * r);
    let r4 = r2 * r2;
    let q = if PICTURE {
        let c = &k.taylor;
        pair(c, 0) + pair(c, 2) * r2 + c[4] * r4
    } else {
        let c = &k.q;
        let low = pair(c, 0) + pair(c, 2) * r2;
        let middle = pair(c, 4) + pair(c, 6) * r2;
        low + (middle + pair(c, 8) * r4) * r4
    };
    let expm1_r = r + r2 * q;
    // 2^n, from its exponent field n + 1023 in the low bits of `shifted`.
    let scale = f64x2::from_bits(shifted.to_bits() << 52);
    (scale, expm1_r)
}

/// y limited to at most `hi`; NaN stays NaN.
#[inline(always)]
fn at_most(y: f64x2, hi: f64x2) -> f64x2 {
    y.simd_gt(hi).select(hi, y)
}

/// y limited to at least `lo`; NaN stays NaN.
#[inline(always)]
fn at_least(y: f64x2, lo: f64x2) -> f64x2 {
    y.simd_lt(lo).select(lo, y)
}

/// |t| with the sign of x, for t ≥ 0.
#[inline(always)]
fn with_sign_of(t: f64x2, x: f64x2) -> f64x2 {
    f64x2::from_bits(t.to_bits() | (x.to_bits() & constants().sign))
}

/// e^y. Below −708 it gives e^−708 ≈ 3·10⁻³⁰⁸ (instead of a smaller or subnormal
/// number), and above 709 it gives e^709 ≈ 8·10³⁰⁷ (instead of overflowing).
#[inline(always)]
pub fn exp(y: f64x2) -> f64x2 {
    exp_to::<false>(y)
}

/// tanh x = (e^{2x} − 1) / (e^{2x} + 1), from e^{2|x|} − 1 = 2ⁿ (e^r − 1) + (2ⁿ − 1),
/// which keeps its precision near 0.
#[inline(always)]
pub fn tanh(x: f64x2) -> f64x2 {
    let k = constants();
    let (scale, expm1_r) = reduce::<false>(k.two * at_most(x.abs(), k.tanh_max));
    let t = scale * expm1_r + (scale - k.one);
    with_sign_of(t / (t + k.two), x)
}

/// sigm(z) = 1 / (1 + e^{−z}), never 0/0: for z < −709 it is below 10⁻³⁰⁷.
#[inline(always)]
pub fn sigmoid(z: f64x2) -> f64x2 {
    let one = constants().one;
    one / (one + exp(-z))
}

/// The same three for pictures of a network (its decision map, its units' maps), which
/// show tens of thousands of points a frame in 8-bit colours that cannot tell 2·10⁻³
/// apart: a polynomial of degree 4 instead of 9, and tanh as 1 − 2 / (e^{2|x|} + 1)
/// without care for its precision near 0; a fifth faster in Chromium, within 2·10⁻⁷
/// relatively (exp) or absolutely (tanh and the sigmoid).
pub mod picture {
    use super::*;

    #[inline(always)]
    pub fn exp(y: f64x2) -> f64x2 {
        exp_to::<true>(y)
    }

    #[inline(always)]
    pub fn tanh(x: f64x2) -> f64x2 {
        let k = constants();
        let e = exp(k.two * at_most(x.abs(), k.tanh_max));
        with_sign_of(k.one - k.two / (e + k.one), x)
    }

    #[inline(always)]
    pub fn sigmoid(z: f64x2) -> f64x2 {
        let one = constants().one;
        one / (one + exp(-z))
    }
}

#[inline(always)]
fn exp_to<const PICTURE: bool>(y: f64x2) -> f64x2 {
    let k = constants();
    let (scale, expm1_r) = reduce::<PICTURE>(at_most(at_least(y, k.exp_min), k.exp_max));
    scale + scale * expm1_r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many doubles lie between a and b.
    fn ulps(a: f64, b: f64) -> u64 {
        let key = |v: f64| {
            let bits = v.to_bits() as i64;
            if bits < 0 {
                i64::MIN - bits
            } else {
                bits
            }
        };
        key(a).abs_diff(key(b))
    }

    /// Points spread over every binade from 10⁻³⁰⁰ to 10³, both signs, and a fine grid
    /// where the functions bend.
    fn points() -> impl Iterator<Item = f64> {
        let spread = (0..200_000).map(|i| 10f64.powf(-300.0 + i as f64 * 303.0 / 200_000.0));
        let fine = (0..400_000).map(|i| i as f64 / 10_000.0 + 1.234_567e-6);
        spread.chain(fine).flat_map(|x| [x, -x])
    }

    /// f at x in each lane, beside another value, which must not change the result.
    fn lanes(f: fn(f64x2) -> f64x2, x: f64) -> f64 {
        let [a, b] = f(f64x2::new([x, 0.5])).to_array();
        let [c, d] = f(f64x2::new([-3.0, x])).to_array();
        assert_eq!(a.to_bits(), d.to_bits(), "lanes agree at {x:e}");
        assert_eq!(
            (b, c),
            (
                f(f64x2::splat(0.5)).to_array()[0],
                f(f64x2::splat(-3.0)).to_array()[0]
            )
        );
        a
    }

    #[test]
    fn exp_is_within_two_ulps_of_libm() {
        for x in points().filter(|x| x.abs() <= 700.0) {
            assert!(ulps(lanes(exp, x), libm::exp(x)) <= 2, "exp({x:e})");
        }
        assert_eq!(lanes(exp, 0.0), 1.0);
        assert_eq!(lanes(exp, -1000.0), lanes(exp, -708.0));
        assert!(lanes(exp, 1000.0).is_finite());
        assert!(lanes(exp, f64::NAN).is_nan());
    }

    #[test]
    fn tanh_is_within_three_ulps_of_libm() {
        for x in points() {
            assert!(ulps(lanes(tanh, x), libm::tanh(x)) <= 3, "tanh({x:e})");
        }
        assert_eq!(lanes(tanh, 0.0).to_bits(), 0f64.to_bits());
        assert_eq!(lanes(tanh, -0.0).to_bits(), (-0f64).to_bits());
        assert_eq!(lanes(tanh, f64::INFINITY), 1.0);
        assert_eq!(lanes(tanh, f64::NEG_INFINITY), -1.0);
        assert!(lanes(tanh, f64::NAN).is_nan());
    }

    #[test]
    fn picture_functions_are_within_2e7_of_libm() {
        for x in points().filter(|x| x.abs() <= 700.0) {
            let e = lanes(picture::exp, x);
            assert!(
                (e - libm::exp(x)).abs() <= 2e-7 * libm::exp(x),
                "exp({x:e})"
            );
            let t = lanes(picture::tanh, x);
            assert!((t - libm::tanh(x)).abs() <= 2e-7, "tanh({x:e})");
            let s = lanes(picture::sigmoid, x);
            assert!(
                (s - 1.0 / (1.0 + libm::exp(-x))).abs() <= 2e-7,
                "sigmoid({x:e})"
            );
        }
        assert!(lanes(picture::tanh, f64::NAN).is_nan());
        assert_eq!(lanes(picture::tanh, f64::NEG_INFINITY), -1.0);
    }

    #[test]
    fn sigmoid_is_within_four_ulps_of_libm() {
        let exact = |z: f64| 1.0 / (1.0 + libm::exp(-z));
        for z in points().filter(|z| z.abs() <= 700.0) {
            assert!(ulps(lanes(sigmoid, z), exact(z)) <= 4, "sigmoid({z:e})");
        }
        assert_eq!(lanes(sigmoid, 800.0), 1.0);
        assert!(lanes(sigmoid, -800.0) < 1e-307);
        assert!(lanes(sigmoid, f64::NAN).is_nan());
    }
}
