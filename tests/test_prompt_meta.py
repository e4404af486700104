"""PromptMeta: JSON form, validation of what comes back."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.prompt.meta import PromptMeta


@settings(max_examples=100, deadline=None)
@given(
    st.builds(
        PromptMeta,
        no_sep=st.lists(st.integers(0, 50), max_size=5),
        system_raw=st.sampled_from(["", " ", "\n\t"]),
        leading_marker=st.sampled_from(["\n\nHuman:", "Human:", "\nHuman:", "\n\n\nHuman:"]),
        final_slot=st.booleans(),
        final_suffix=st.sampled_from(["", " ", "\n"]),
    )
)
def test_json_round_trip(meta: PromptMeta) -> None:
    """from_json(to_json(m)) == m with no problems."""
    again, problems = PromptMeta.from_json(meta.to_json())
    assert again == meta and problems == []


def test_malformed_meta_is_reported_piece_by_piece() -> None:
    """Each bad member is named and replaced by its default."""
    meta, problems = PromptMeta.from_json(
        {"version": 1, "no_sep": [True], "system_raw": "text", "leading_marker": "Hello:", "final_suffix": 3, "final_slot": "yes"}
    )
    assert meta == PromptMeta()
    assert len(problems) == 5


def test_not_an_object_or_wrong_version() -> None:
    assert PromptMeta.from_json([1])[0] is None
    assert PromptMeta.from_json({"version": 2})[0] is None
