"""Regenerates crate/tests/golden/optimizer-trajectories.json from torch.optim.

Each case runs a real torch.optim optimizer in float64 on Rosenbrock's function
f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 from `start` for `steps` steps, and records
[x, y, f] at the start and after every step. The Rust optimizers are tested against
these trajectories (crate/tests/golden.rs). torch is not needed for CI.

    python3 -m venv .venv
    .venv/bin/pip install -r tools/requirements.txt
    .venv/bin/python tools/make_goldens.py > crate/tests/golden/optimizer-trajectories.json

or give the output path as the only argument instead of redirecting.
"""

import json
import sys

import torch

# Float64 throughout, the optimizers' scalar state included: torch keeps the step count
# and NAdam's product of momenta in tensors of the default dtype, and a float32 product
# moves NAdam's iterates by ~1e-10 relatively.
torch.set_default_dtype(torch.float64)

START = [-1.5, 1.5]
STEPS = 20

# The optimizers as the lab writes them (`name:key=value,...`).
CASES = [
    "sgd:lr=0.001",
    "momentum:lr=0.001,momentum=0.9",
    "nesterov:lr=0.001,momentum=0.9",
    "adagrad:lr=0.1",
    "rmsprop:lr=0.01",
    "rmsprop:lr=0.01,centered=true,momentum=0.9",
    "adadelta:lr=1.0",
    "adam:lr=0.01",
    "adam:lr=0.01,beta1=0.8,beta2=0.99,amsgrad=true",
    "adamw:lr=0.01,weight_decay=0.01",
    "nadam:lr=0.002",
]

# The lab's defaults (crate/src/optim), for keys that a spec leaves out. They are
# torch's, except the learning rate of sgd, momentum and nesterov (torch's SGD has
# lr=1e-3, momentum=0); adam's and adamw's `bias_correction` is left out, as torch
# always corrects.
_ADAM = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "amsgrad": False}
DEFAULTS = {
    "sgd": {"lr": 0.01},
    "momentum": {"lr": 0.01, "momentum": 0.9},
    "nesterov": {"lr": 0.01, "momentum": 0.9},
    "adagrad": {"lr": 0.01, "eps": 1e-10, "lr_decay": 0.0, "initial_accumulator_value": 0.0},
    "rmsprop": {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": False},
    "adadelta": {"lr": 1.0, "rho": 0.9, "eps": 1e-6},
    "adam": _ADAM,
    "adamw": {**_ADAM, "weight_decay": 1e-2},
    "nadam": {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "momentum_decay": 4e-3},
}


def parse(spec):
    """`adam:lr=0.01,amsgrad=true` -> ("adam", every hyperparameter of adam)."""
    name, _, rest = spec.partition(":")
    values = dict(DEFAULTS[name])
    for item in filter(None, rest.split(",")):
        key, value = item.split("=")
        if key not in values:
            raise ValueError(f"{spec}: {name} has no {key}")
        if isinstance(values[key], bool):
            if value not in ("true", "false"):
                raise ValueError(f"{spec}: {key} is true or false")
            values[key] = value == "true"
        else:
            values[key] = float(value)
    return name, values


def rosenbrock(theta):
    x, y = theta[0], theta[1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def torch_optimizer(name, p, params):
    """The torch.optim optimizer for a spec; foreach=False keeps the single-tensor path."""
    optim = torch.optim
    if name in ("sgd", "momentum"):
        return optim.SGD(params, lr=p["lr"], momentum=p.get("momentum", 0.0), foreach=False)
    if name == "adagrad":
        return optim.Adagrad(
            params,
            lr=p["lr"],
            lr_decay=p["lr_decay"],
            initial_accumulator_value=p["initial_accumulator_value"],
            eps=p["eps"],
            foreach=False,
        )
    if name == "rmsprop":
        return optim.RMSprop(
            params,
            lr=p["lr"],
            alpha=p["alpha"],
            eps=p["eps"],
            momentum=p["momentum"],
            centered=p["centered"],
            foreach=False,
        )
    if name == "adadelta":
        return optim.Adadelta(params, lr=p["lr"], rho=p["rho"], eps=p["eps"], foreach=False)
    if name in ("adam", "adamw"):
        extra = {"weight_decay": p["weight_decay"]} if name == "adamw" else {}
        adam = optim.AdamW if name == "adamw" else optim.Adam
        return adam(
            params,
            lr=p["lr"],
            betas=(p["beta1"], p["beta2"]),
            eps=p["eps"],
            amsgrad=p["amsgrad"],
            foreach=False,
            **extra,
        )
    if name == "nadam":
        return optim.NAdam(
            params,
            lr=p["lr"],
            betas=(p["beta1"], p["beta2"]),
            eps=p["eps"],
            momentum_decay=p["momentum_decay"],
            foreach=False,
        )
    raise ValueError(f"no torch optimizer for {name}")


def point(theta):
    with torch.no_grad():
        return [theta[0].item(), theta[1].item(), rosenbrock(theta).item()]


def run_torch(name, p):
    theta = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    optimizer = torch_optimizer(name, p, [theta])
    points = [point(theta)]
    for _ in range(STEPS):
        optimizer.zero_grad()
        rosenbrock(theta).backward()
        optimizer.step()
        points.append(point(theta))
    return points, f"torch {torch.__version__} {type(optimizer).__name__}"


def run_nesterov(p):
    """Nesterov's accelerated gradient as the lecture (and the lab) write it:

        m <- gamma m + eta grad L(theta - gamma m),  theta <- theta - m,  m_0 = 0.

    torch's SGD(nesterov=True) is Sutskever et al.'s reformulation, whose iterates are
    the look-ahead points of these, so this one is computed by hand with float64
    tensors, the gradient taken by autograd at the look-ahead point."""
    lr, gamma = p["lr"], p["momentum"]
    theta = torch.tensor(START, dtype=torch.float64)
    m = torch.zeros_like(theta)
    points = [point(theta)]
    for _ in range(STEPS):
        ahead = (theta - gamma * m).requires_grad_()
        rosenbrock(ahead).backward()
        m = gamma * m + lr * ahead.grad
        theta = theta - m
        points.append(point(theta))
    return points, "lecture formula"


def main():
    cases = []
    for spec in CASES:
        name, p = parse(spec)
        points, source = run_nesterov(p) if name == "nesterov" else run_torch(name, p)
        cases.append(
            {
                "surface": "rosenbrock",
                "optimizer": spec,
                "start": START,
                "steps": STEPS,
                "points": points,
                "source": source,
            }
        )
    text = json.dumps({"generator": "tools/make_goldens.py", "cases": cases}, indent=1)
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
