"""A library's own recipe, unchanged, is not warned about: its warnings become information naming
the library; once edited (or described by the user), the warnings come back."""

from lrdesigner.schedule import edits
from lrdesigner.schedule.advice import check, recipe
from lrdesigner.schedule.presets import get_preset


def test_the_noam_recipe_gets_information_not_warnings():
    noam = get_preset("noam").build()
    assert recipe(noam) == "noam"
    advice = check(noam)
    assert {a.id for a in advice} >= {"zero-start", "warmup-short"}
    assert all(a.severity == "info" for a in advice)
    assert all("as in noam" in a.message for a in advice if a.id in ("zero-start", "warmup-short"))


def test_an_edited_or_redescribed_recipe_is_warned_about_again():
    noam = get_preset("noam").build()
    edited = edits.move_knot(noam, 1, lr=noam.knots[1].lr * 1.5)
    assert recipe(edited) is None  # the description no longer builds these segments
    assert any(a.severity == "warning" for a in check(edited))
    mine = noam.replace(description="my schedule")
    assert recipe(mine) is None and any(a.severity == "warning" for a in check(mine))


def test_a_description_that_is_not_a_preset_call_is_never_run():
    noam = get_preset("noam").build()
    for text in ("__import__('os').system('true')", "noam(d_model=__import__('os'))", "noam(" * 500, "nope()"):
        assert recipe(noam.replace(description=text)) is None
