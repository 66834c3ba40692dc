import math

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from simulators.behavior import LatencySpec

ADAPTER: TypeAdapter[LatencySpec] = TypeAdapter(LatencySpec)
N = 20_000


def parse(data: dict[str, object]) -> LatencySpec:
    return ADAPTER.validate_python(data)


def draws(data: dict[str, object], seed: int = 11) -> np.ndarray:
    latency = parse(data).build()
    rng = np.random.default_rng(seed)
    return np.array([latency.sample(rng) for _ in range(N)])


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "fixed", "seconds": 0.05},
        {"kind": "uniform", "low": 0.1, "high": 0.5},
        {"kind": "exponential", "mean": 0.2},
        {"kind": "lognormal", "median": 0.1, "p99": 0.8},
        {"kind": "empirical", "samples": [0.01, 0.02, 0.05, 0.5]},
    ],
    ids=lambda d: d["kind"],
)
def test_sample_mean_matches_the_analytic_mean(data: dict[str, object]) -> None:
    latency = parse(data).build()
    samples = draws(data)
    assert samples.min() >= 0.0
    assert samples.mean() == pytest.approx(latency.mean(), rel=0.03)


def test_analytic_means_are_the_textbook_ones() -> None:
    assert parse({"kind": "uniform", "low": 1, "high": 3}).build().mean() == 2.0
    assert parse({"kind": "exponential", "mean": 0.2}).build().mean() == 0.2
    lognormal = parse({"kind": "lognormal", "median": 1.0, "p99": math.e}).build()
    sigma = 1 / 2.3263478740408408
    assert lognormal.mean() == pytest.approx(math.exp(sigma**2 / 2))


def test_lognormal_median_and_p99_come_out_as_specified() -> None:
    samples = draws({"kind": "lognormal", "median": 0.1, "p99": 0.8})
    assert np.median(samples) == pytest.approx(0.1, rel=0.05)
    assert np.quantile(samples, 0.99) == pytest.approx(0.8, rel=0.10)


def test_empirical_only_returns_observed_values() -> None:
    assert set(draws({"kind": "empirical", "samples": [0.1, 0.3]}).tolist()) == {0.1, 0.3}


def test_a_fixed_latency_draws_no_random_numbers() -> None:
    rng = np.random.default_rng(3)
    parse({"kind": "fixed", "seconds": 1.0}).build().sample(rng)
    assert rng.random() == np.random.default_rng(3).random()


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"kind": "fixed", "seconds": -1}, "seconds"),
        ({"kind": "uniform", "low": -0.1, "high": 1}, "low"),
        ({"kind": "uniform", "low": 2, "high": 1}, "high(=1.0) must be >= low(=2.0)"),
        ({"kind": "exponential", "mean": 0}, "mean"),
        ({"kind": "lognormal", "median": 0, "p99": 1}, "median"),
        ({"kind": "lognormal", "median": 2, "p99": 1}, "p99(=1.0) must be > median(=2.0)"),
        ({"kind": "empirical", "samples": []}, "samples"),
        ({"kind": "empirical", "samples": [0.1, -2]}, "samples.1"),
        ({"kind": "gamma", "shape": 2}, "kind"),
        ({"kind": "fixed", "seconds": 1, "jitter": 2}, "jitter"),
    ],
)
def test_bad_specs_raise_errors_naming_the_field(data: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse(data)
    assert named in str(caught.value)
