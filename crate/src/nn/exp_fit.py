"""The coefficients of q in exp.rs, where e^r - 1 = r + r^2 q(r) for |r| <= ln(2)/2.

q is the polynomial of degree 9 closest to (e^r - 1 - r)/r^2 in the Chebyshev sense,
as fitted by mpmath.chebyfit, each coefficient then rounded to the nearest double.
The script prints the ten coefficients, from r^0 up, as the Rust lines of the `q` table
in `static CONSTANTS` of exp.rs (ready to paste), then the largest relative error of
r + r^2 q(r) against e^r - 1 over a dense grid, in exact arithmetic with the rounded
coefficients (the bound that exp.rs's doc comment quotes).

    pip install mpmath==1.4.1
    python3 crate/src/nn/exp_fit.py
"""

from mpmath import chebyfit, expm1, linspace, log, mp, mpf

# Working precision: far beyond the 53 bits of the result, so that only the final
# rounding to double matters.
mp.dps = 50

DEGREE = 9
# The reduction in exp.rs leaves |r| <= ln(2)/2 up to rounding; the fit reaches 1e-9
# beyond that, so that an r just past the bound is still inside the fitted interval.
HALF_WIDTH = log(2) / 2 + mpf("1e-9")
GRID = 20_001


def target(r):
    """(e^r - 1 - r)/r^2, whose limit at r = 0 is 1/2."""
    return (expm1(r) - r) / r**2 if r else mpf(1) / 2


def rust_literal(x):
    """A double as Rust prints it in exp.rs: shortest round-trip digits, those after
    the point grouped by three, and a bare exponent (2.48e-5, not 2.48e-05)."""
    mantissa, _, exponent = repr(x).partition("e")
    whole, _, fraction = mantissa.partition(".")
    fraction = "_".join(fraction[i : i + 3] for i in range(0, len(fraction), 3))
    literal = f"{whole}.{fraction}"
    if exponent:
        literal += f"e{int(exponent)}"
    return literal


def main():
    # chebyfit takes the number of coefficients, degree + 1; asc=True lists them from
    # r^0 up (its default order is the highest degree first).
    fitted = chebyfit(target, [-HALF_WIDTH, HALF_WIDTH], DEGREE + 1, asc=True)
    q = [float(c) for c in fitted]

    print("    q: [")
    for c in q:
        print(f"        f64x2::splat({rust_literal(c)}),")
    print("    ],")

    # The relative error in e^r - 1 of what exp.rs evaluates (up to its own roundings),
    # with the doubles above taken exactly.
    def expm1_approx(r):
        return r + r**2 * sum(mpf(c) * r**k for k, c in enumerate(q))

    grid = (r for r in linspace(-log(2) / 2, log(2) / 2, GRID) if r)
    error = max(abs(expm1_approx(r) / expm1(r) - 1) for r in grid)
    print(f"// max relative error in e^r - 1 over {GRID} points: {mp.nstr(error, 3)}")


if __name__ == "__main__":
    main()
