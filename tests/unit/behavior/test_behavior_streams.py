import numpy as np
import pytest

from simulators.behavior import keyed_uniform, spawn_stream, spawn_streams
from simulators.behavior.streams import uniforms


def test_the_same_seed_gives_the_same_draws() -> None:
    a = spawn_streams(7, ["erp", "wms"])
    b = spawn_streams(7, ["erp", "wms"])
    assert a["erp"].random(5).tolist() == b["erp"].random(5).tolist()
    assert a["wms"].random(5).tolist() == b["wms"].random(5).tolist()


def test_a_different_seed_gives_different_draws() -> None:
    assert spawn_stream(7, "erp").random() != spawn_stream(8, "erp").random()


def test_adding_a_system_or_reordering_names_leaves_other_streams_alone() -> None:
    before = spawn_streams(7, ["erp", "wms"])["erp"].random(5).tolist()
    after = spawn_streams(7, ["tms", "wms", "erp"])["erp"].random(5).tolist()
    assert before == after


def test_streams_for_different_names_are_uncorrelated() -> None:
    streams = spawn_streams(7, ["erp", "wms"])
    x, y = streams["erp"].random(20_000), streams["wms"].random(20_000)
    assert abs(np.corrcoef(x, y)[0, 1]) < 0.03
    assert x.tolist()[:5] != y.tolist()[:5]


def test_duplicate_names_and_negative_seeds_are_rejected() -> None:
    with pytest.raises(ValueError, match="erp"):
        spawn_streams(7, ["erp", "erp"])
    with pytest.raises(ValueError, match=r"seed\(=-1\)"):
        spawn_streams(-1, ["erp"])


def test_keyed_uniform_gives_the_same_answer_whatever_order_it_is_asked_in() -> None:
    forwards = [keyed_uniform(42, 1042, line) for line in range(10)]
    backwards = [keyed_uniform(42, 1042, line) for line in reversed(range(10))]
    assert forwards == list(reversed(backwards))


def test_keyed_uniform_depends_on_seed_keys_and_key_types() -> None:
    assert keyed_uniform(42, 1042, 3) != keyed_uniform(43, 1042, 3)
    assert keyed_uniform(42, 1042, 3) != keyed_uniform(42, 1042, 4)
    assert keyed_uniform(42, 1042, 3) != keyed_uniform(42, 10423)
    assert keyed_uniform(42, 3) != keyed_uniform(42, "3")
    assert keyed_uniform(42, np.int64(3)) == keyed_uniform(42, 3)  # type: ignore[arg-type]


def test_keyed_uniform_is_roughly_uniform_on_the_unit_interval() -> None:
    draws = np.array([keyed_uniform(1, "short-pick", order) for order in range(20_000)])
    assert draws.min() >= 0.0
    assert draws.max() < 1.0
    counts, _ = np.histogram(draws, bins=10, range=(0.0, 1.0))
    assert all(abs(c - 2_000) < 200 for c in counts)
    assert abs(draws.mean() - 0.5) < 0.01


def test_uniforms_are_the_streams_own_draws_across_block_boundaries() -> None:
    draws = uniforms(spawn_stream(7, "stock:DC-ATL"), block=16)
    taken = [draws() for _ in range(40)]
    reference = spawn_stream(7, "stock:DC-ATL")
    expected = [*reference.random(16), *reference.random(16), *reference.random(16)][:40]
    assert taken == expected
    assert all(0.0 <= u < 1.0 for u in taken)
    again = uniforms(spawn_stream(7, "stock:DC-ATL"), block=16)
    assert [again() for _ in range(40)] == taken
    other = uniforms(spawn_stream(8, "stock:DC-ATL"), block=16)
    assert [other() for _ in range(40)] != taken
