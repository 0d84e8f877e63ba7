"""The cyclic collector held off while the server reads in bulk (serving.collector): off
while any thread is inside, back on when the last one leaves."""

from __future__ import annotations

import gc
import threading

import pytest

from serving.collector import held_off


def test_the_collector_is_back_on_only_when_the_last_thread_leaves() -> None:
    assert gc.isenabled()
    entered, leave = threading.Event(), threading.Event()

    def other_lane() -> None:
        with held_off():
            entered.set()
            leave.wait()

    lane = threading.Thread(target=other_lane)
    lane.start()
    entered.wait()
    with held_off():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other lane is still inside
    leave.set()
    lane.join()
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    try:
        with held_off():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_inside_turns_the_collector_back_on() -> None:
    with pytest.raises(ValueError, match="a step failed"), held_off():
        raise ValueError("a step failed")
    assert gc.isenabled()
