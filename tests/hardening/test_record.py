"""The reliability tally goes into the running test's report, never into a file."""

from __future__ import annotations

import pytest

from tests.hardening.record import record_checks, record_faults, record_inputs, recording


def test_records_become_user_properties_of_the_running_test(
    request: pytest.FixtureRequest,
) -> None:
    before = len(request.node.user_properties)
    record_faults("killed builds", 2)
    assert request.node.user_properties[before:] == [("reliability.faults", '["killed builds", 2]')]
    del request.node.user_properties[before:]  # not a fault injected: kept out of the tally


def test_records_go_where_they_are_pointed_and_nowhere_outside_a_test() -> None:
    mine: list[tuple[str, object]] = []
    with recording(mine):
        record_inputs("hostile slugs", 3)
        record_checks("store whole after a fault", 1)
    with recording([]):
        pass
    assert mine == [
        ("reliability.inputs", '["hostile slugs", 3]'),
        ("reliability.checks", '["store whole after a fault", 1]'),
    ]
