import pytest
from pydantic import ValidationError

from simulators.behavior import RateLimitSpec, TokenBucket


def test_a_full_bucket_allows_a_burst_then_throttles_with_the_right_retry_after() -> None:
    bucket = TokenBucket(rate_per_s=2.0, burst=3)
    assert [bucket.try_take(10.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.try_take(10.0) == pytest.approx(0.5)
    assert bucket.try_take(10.2) == pytest.approx(0.3)


def test_waiting_exactly_the_retry_after_gets_a_token() -> None:
    bucket = TokenBucket(rate_per_s=3.0, burst=1)
    assert bucket.try_take(0.0) == 0.0
    retry_after = bucket.try_take(0.1)
    assert bucket.try_take(0.1 + retry_after) == 0.0


def test_tokens_refill_over_time_but_never_beyond_the_burst() -> None:
    bucket = TokenBucket(rate_per_s=1.0, burst=2)
    bucket.try_take(0.0)
    bucket.try_take(0.0)
    assert bucket.try_take(0.5) > 0
    assert bucket.try_take(1000.0) == 0.0
    assert bucket.try_take(1000.0) == 0.0
    assert bucket.try_take(1000.0) == pytest.approx(1.0)


def test_sustained_throughput_is_the_rate() -> None:
    bucket = TokenBucket(rate_per_s=5.0, burst=1)
    taken = sum(bucket.try_take(t / 100) == 0.0 for t in range(10_000))  # 100 s at 100 calls/s
    assert taken == pytest.approx(500, abs=2)


def test_bad_buckets_are_rejected_naming_the_value() -> None:
    with pytest.raises(ValueError, match=r"rate_per_s\(=0\)"):
        TokenBucket(0, 1)
    with pytest.raises(ValueError, match=r"burst\(=0\)"):
        TokenBucket(1.0, 0)
    with pytest.raises(ValidationError, match="rate_per_s"):
        RateLimitSpec.model_validate({"rate_per_s": -1})


def test_a_spec_builds_a_fresh_full_bucket() -> None:
    spec = RateLimitSpec(rate_per_s=1.0, burst=2)
    first = spec.build()
    first.try_take(0.0)
    first.try_take(0.0)
    assert spec.build().try_take(0.0) == 0.0
