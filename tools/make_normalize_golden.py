"""Regenerates crate/tests/golden/normalize.json from scikit-learn and scipy.

For each case, a training set (rows are points, columns features) with ties, constant
features and outliers, and points to transform: training points, then points between,
on and beyond its values, and within 1e-7 of its extremes. The file holds
what scikit-learn fits and outputs for
- StandardScaler(): mean_, scale_ and the transformed points;
- QuantileTransformer(n_quantiles=min(1000, n), output_distribution='uniform' and
  'normal', subsample large enough to never subsample): quantiles_ and the transformed
  points;
and scipy.stats.norm.ppf at probabilities across every branch of the normal quantile
function. The Rust normalization is tested against them (crate/tests/normalize.rs);
Python is not needed for the tests.

    python3 -m venv .venv
    .venv/bin/pip install -r tools/requirements.txt
    .venv/bin/python tools/make_normalize_golden.py > crate/tests/golden/normalize.json

or give the output path as the only argument instead of redirecting.
"""

import json
import sys

import numpy as np
import scipy
import sklearn
from scipy.stats import norm
from sklearn.preprocessing import QuantileTransformer, StandardScaler


def cases():
    rng = np.random.default_rng(7)
    out = []

    # Two features: small integers (many ties) and a constant.
    ties = np.column_stack([rng.integers(0, 5, 40).astype(float), np.full(40, 3.0)])
    out.append(("ties and a constant feature", ties))

    # Normal values with outliers far out on both sides.
    body = rng.normal(0.0, 1.0, 60)
    body[[3, 17, 41]] = [1e4, -350.0, 77.0]
    other = rng.standard_t(2.0, 60)
    out.append(("outliers", np.column_stack([body, other])))

    # The lab's distorted moons: x1 × 100 + 50, more points than quantiles (1000).
    n = 1200
    t = rng.uniform(0.0, np.pi, n)
    upper = rng.integers(0, 2, n) == 1
    x1 = np.where(upper, np.cos(t), 1.0 - np.cos(t)) + rng.normal(0, 0.1, n)
    x2 = np.where(upper, np.sin(t), 0.5 - np.sin(t)) + rng.normal(0, 0.1, n)
    # Rounded to 6 decimals, to keep the file small.
    moons = np.round(np.column_stack([100.0 * x1 + 50.0, x2]), 6)
    out.append(("distorted moons, 1200 points", moons))

    # The smallest training sets: one point, and two.
    out.append(("one point", np.array([[2.5, -1.0]])))
    out.append(("two points", np.array([[1.0, 4.0], [3.0, 4.0]])))
    return out


def probes(train):
    """The training points (every tenth of a large set), then per feature points
    between and on its values, beyond its extremes, and within 1e-7 of them."""
    lo, hi = train.min(axis=0), train.max(axis=0)
    mid = 0.5 * (lo + hi)
    extra = [
        lo - 1.0,
        lo,
        lo + 5e-8,
        lo + 2e-7,
        mid,
        np.median(train, axis=0),
        hi - 2e-7,
        hi - 5e-8,
        hi,
        hi + 1.0,
        lo - 1e6,
        hi + 1e6,
    ]
    step = max(1, len(train) // 100)
    return np.vstack([train[::step], np.array(extra)])


def fitted(name, train):
    n = train.shape[0]
    x = probes(train)
    scaler = StandardScaler().fit(train)
    case = {
        "name": name,
        "train": train.tolist(),
        "points": x.tolist(),
        "standard": {
            "mean": scaler.mean_.tolist(),
            "std": scaler.scale_.tolist(),
            "output": scaler.transform(x).tolist(),
        },
    }
    for marginal in ["uniform", "normal"]:
        qt = QuantileTransformer(
            n_quantiles=min(1000, n),
            output_distribution=marginal,
            subsample=10**9,
        ).fit(train)
        case[f"quantile-{marginal}"] = {
            "quantiles": qt.quantiles_.T.tolist(),
            "output": qt.transform(x).tolist(),
        }
    return case


def normal_quantiles():
    p = [1e-300, 1e-100, 1e-30, 1e-12, 1.3887943864964021e-11, 1e-10, 1e-7, 1e-7 - np.spacing(1),
         1e-4, 0.001, 0.02425, 0.07, 0.075, 0.0750000001, 0.1, 0.25, 0.4, 0.5 - 1e-12,
         0.5, 0.5 + 1e-12, 0.6, 0.9, 0.925, 0.95, 0.975, 0.999, 1 - 1e-7, 1 - 1e-10,
         1 - 1e-15, 1 - np.spacing(1) / 2]
    return [[v, float(norm.ppf(v))] for v in p]


def main():
    reference = {
        "generator": "tools/make_normalize_golden.py",
        "versions": {
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__,
        },
        "normal_quantile": normal_quantiles(),
        "cases": [fitted(name, train) for name, train in cases()],
    }
    text = json.dumps(reference, separators=(",", ":")) + "\n"
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
