"""`crossdock serve --backorder-policy`: each spelling is the policy it says, or an error that
names what would be right."""

from __future__ import annotations

import pytest
import typer

from crossdock.commands.serve import backorder_policy
from reference.hub import BackorderPolicy


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("wait", BackorderPolicy(wait=True, max_age=14 * 86400.0)),
        ("wait:36h", BackorderPolicy(max_age=129_600.0)),
        ("wait:90m", BackorderPolicy(max_age=5_400.0)),
        ("wait:7d", BackorderPolicy(max_age=604_800.0)),
        ("wait:0.5s", BackorderPolicy(max_age=0.5)),
        ("wait:forever", BackorderPolicy(max_age=None)),
        ("ship-and-cancel", BackorderPolicy(wait=False)),
    ],
)
def test_a_policy_reads_as_it_is_written(text: str, policy: BackorderPolicy) -> None:
    assert backorder_policy(text) == policy


@pytest.mark.parametrize(
    "text", ["", "wait:", "wait:3x", "wait:0h", "wait:-1d", "cancel", "ship-and-cancel:1d"]
)
def test_anything_else_is_refused_with_the_spellings_that_work(text: str) -> None:
    with pytest.raises(typer.BadParameter, match=r"ship-and-cancel, wait, wait:AGE"):
        backorder_policy(text)
