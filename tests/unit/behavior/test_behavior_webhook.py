import numpy as np
import pytest
from pydantic import ValidationError

from simulators.behavior import WebhookDelivery


def test_a_reliable_webhook_is_delivered_once_immediately() -> None:
    assert WebhookDelivery().deliveries(10.0, np.random.default_rng(1)) == [10.0]


def test_failed_attempts_are_retried_with_exponential_backoff() -> None:
    webhook = WebhookDelivery(failure_rate=0.5, backoff=1.0, max_attempts=5)
    rng = np.random.default_rng(3)
    runs = [webhook.deliveries(0.0, rng) for _ in range(2_000)]
    first_seen = {run[0] for run in runs if run}
    assert first_seen <= {0.0, 1.0, 3.0, 7.0, 15.0}
    assert {0.0, 1.0, 3.0, 7.0} <= first_seen


def test_a_webhook_whose_attempts_all_fail_is_never_seen() -> None:
    webhook = WebhookDelivery(failure_rate=1.0, max_attempts=3)
    assert webhook.deliveries(0.0, np.random.default_rng(1)) == []


def test_loss_rate_is_the_failure_rate_to_the_power_of_attempts() -> None:
    webhook = WebhookDelivery(failure_rate=0.5, max_attempts=3)
    rng = np.random.default_rng(4)
    lost = sum(not webhook.deliveries(0.0, rng) for _ in range(20_000)) / 20_000
    assert lost == pytest.approx(0.125, abs=0.01)


def test_duplicates_appear_at_about_the_configured_rate_after_the_first_delivery() -> None:
    webhook = WebhookDelivery(duplicate_rate=0.1, backoff=2.0)
    rng = np.random.default_rng(8)
    runs = [webhook.deliveries(100.0, rng) for _ in range(20_000)]
    duplicated = [r for r in runs if len(r) == 2]
    assert len(duplicated) / len(runs) == pytest.approx(0.1, abs=0.008)
    assert {tuple(r) for r in duplicated} == {(100.0, 102.0)}


def test_bad_webhook_specs_name_the_field() -> None:
    with pytest.raises(ValidationError, match="duplicate_rate"):
        WebhookDelivery(duplicate_rate=1.5)
    with pytest.raises(ValidationError, match="max_attempts"):
        WebhookDelivery(max_attempts=0)
