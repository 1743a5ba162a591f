"""UUID version 7 for appended rows (RFC 9562 §5.7)."""

from __future__ import annotations

import time
import uuid

from hypothesis import given
from hypothesis import strategies as st

from yakuba.platform.ids import compose, uuid7, uuid7_millis


def test_version_variant_and_time():
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert before <= uuid7_millis(value) <= after
    assert uuid.UUID(str(value)) == value


def test_ids_of_later_milliseconds_sort_after():
    first = uuid7()
    time.sleep(0.002)
    assert str(uuid7()) > str(first)  # text order = byte order = index order


@given(st.integers(min_value=0, max_value=(1 << 48) - 1), st.integers(min_value=0, max_value=(1 << 80) - 1))
def test_layout_keeps_the_timestamp_and_the_random_bits(millis, random):
    value = compose(millis, random)
    assert uuid7_millis(value) == millis
    assert value.version == 7 and value.variant == uuid.RFC_4122
    assert (value.int >> 64) & 0xFFF == (random >> 64) & 0xFFF
    assert value.int & ((1 << 62) - 1) == random & ((1 << 62) - 1)


def test_unique_in_a_burst():
    assert len({uuid7() for _ in range(10_000)}) == 10_000
