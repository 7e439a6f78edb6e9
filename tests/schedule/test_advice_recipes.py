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


def test_a_hostile_description_is_neither_run_nor_built():
    import time

    from lrdesigner.schedule.describe import is_generated

    noam = get_preset("noam").build()
    hostile = [
        "__import__('os').system('true')",
        "noam(d_model=__import__('os'))",
        "noam(" * 500 + ")" * 500,
        "noam(d_model=" + "9" * 400 + ")",  # OverflowError if it were built
        "hf.warmup_stable_decay(num_cycles=-1)",  # hangs if it were built
        "hf.cosine(num_cycles=2147483648)",
        "torch.OneCycleLR(div_factor=0)",  # ZeroDivisionError if it were built
        "nope()",
    ]
    for text in hostile:
        started = time.perf_counter()
        design = noam.replace(description=text)
        assert recipe(design) is None
        assert check(design)  # advice as for any design, without an exception
        is_generated(design)
        assert time.perf_counter() - started < 1.0, text


def test_only_a_presets_exact_call_counts_as_written_by_the_app():
    from lrdesigner.schedule.describe import is_generated

    noam = get_preset("noam").build()
    assert is_generated(noam)
    for mine in (
        "noam(d_model=512) with the warmup doubled (run 7)",
        "noam(d_model=512), tuned by hand (see wiki)",
        "constant(lr=1e-3) then I edit it (draft)",
        "noam(d_model=512)",  # not every parameter: typed by a person
    ):
        assert not is_generated(noam.replace(description=mine)), mine
