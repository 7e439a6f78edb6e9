"""A design described in one sentence, as the app writes it ("Linear warmup over 8% of training to
5e-4, cosine decay to 1e-5."), and whether a description is one the app wrote."""

from __future__ import annotations

from .design import Design


def _lr(value: float) -> str:
    """An LR as people write it: 5e-4, 1e-5, 3.5e-4, 0.1."""
    if value == 0 or 0.01 <= abs(value) < 1000:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def describe(design: Design) -> str:
    """One sentence: the warmup (a first segment that rises), then each segment after it."""
    parts = []
    total = design.total_steps
    segments = list(design.segments)
    first = segments[0]
    if len(segments) > 1 and first.lr_end > first.lr_start:
        share = first.duration / total if total else 0
        parts.append(f"{first.shape.capitalize()} warmup over {share:.0%} of training to {_lr(first.lr_end)}")
        segments = segments[1:]
    for seg in segments:
        if seg.lr_end == seg.lr_start:
            parts.append(f"{seg.shape} at {_lr(seg.lr_start)} for {seg.duration:,} steps")
        elif seg.lr_end < seg.lr_start:
            parts.append(f"{seg.shape} decay to {_lr(seg.lr_end)}")
        else:
            parts.append(f"{seg.shape} rise to {_lr(seg.lr_end)}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:] + "."


def is_generated(design: Design) -> bool:
    """Whether the design's description is one the app wrote for it: its `describe`, or exactly
    the call a preset writes when built (`noam(d_model=512, warmup_steps=4000, ...)`: every one of
    the preset's parameters, in order, as literals). A description typed by the user is neither,
    and is kept through edits. Nothing in the description is evaluated or built."""
    text = design.description.strip()
    if not text:
        return True
    if text == describe(design):
        return True
    return _is_preset_call(text)


def _is_preset_call(text: str) -> bool:
    import ast

    from .presets import PRESETS

    name, paren, _rest = text.partition("(")
    preset = PRESETS.get(name)
    if preset is None or not paren or not text.endswith(")") or len(text) > 4000:
        return False
    try:
        call = ast.parse(text, mode="eval").body
        if not isinstance(call, ast.Call) or call.args:
            return False
        values = [(kw.arg, ast.literal_eval(kw.value)) for kw in call.keywords]
    except Exception:  # noqa: BLE001 - any text that is not a plain call of literals is the user's
        return False
    if [key for key, _ in values] != [p.name for p in preset.params]:
        return False
    return text == f"{name}(" + ", ".join(f"{key}={value!r}" for key, value in values) + ")"
