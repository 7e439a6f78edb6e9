"""Hypothesis strategies for random valid designs."""

from hypothesis import strategies as st
from lrdesigner.schedule import Design, Segment

LR = st.floats(1e-7, 1e-1)


#: The shapes whose curve never turns back inside a segment.
MONOTONE_SHAPES = [
    "constant",
    "linear",
    "cosine",
    "exponential",
    "polynomial",
    "inverse_power",
    "one_minus_sqrt",
    "sqrt_warmup",
    "staircase",
]


@st.composite
def segments(draw, max_steps=5000, shapes=(*MONOTONE_SHAPES, "cyclic", "cosine_restarts")):
    shape = draw(st.sampled_from(list(shapes)))
    steps = draw(st.integers(1, max_steps))
    a, b = draw(LR), draw(LR)
    params = {}
    if shape == "cosine":
        params["exponent"] = draw(st.sampled_from([1.0, 0.5, 2.0]))
    elif shape == "exponential":
        params.update(rate=draw(st.floats(0.1, 1.0)), every=draw(st.integers(1, 2000)))
    elif shape == "polynomial":
        params["power"] = draw(st.floats(0.3, 4.0))
    elif shape == "inverse_power":
        params.update(
            tau=draw(st.floats(1.0, 5000.0)),
            power=draw(st.sampled_from([0.5, 1.0, 2.0])),
            every=draw(st.sampled_from([0, 0, 7, 100])),
        )
    elif shape == "staircase":
        params.update(factor=draw(st.floats(0.05, 1.0)), every=draw(st.integers(1, 2000)))
    elif shape == "cyclic":
        mode = draw(st.sampled_from(["triangular", "triangular2", "exp_range"]))
        params.update(
            max_lr=draw(LR),
            step_size_up=draw(st.integers(1, 300)),
            step_size_down=draw(st.integers(1, 300)),
            mode=mode,
            gamma=draw(st.floats(0.99, 1.0)) if mode == "exp_range" else 1.0,
        )
    elif shape == "cosine_restarts":
        params.update(
            period=draw(st.floats(2.0, 500.0)),
            t_mul=draw(st.sampled_from([1.0, 2.0, 1.5])),
            m_mul=draw(st.floats(0.3, 1.0)),
            lr_min=draw(st.floats(0, 1e-7)),
        )
    return Segment.create(shape, steps, a, b, **params)


@st.composite
def designs(draw, max_segments=6, max_steps=5000, monotone=False):
    """Random valid designs; `monotone`: of monotone shapes only, held or zero after the end."""
    shapes = MONOTONE_SHAPES if monotone else (*MONOTONE_SHAPES, "cyclic", "cosine_restarts")
    segs = draw(st.lists(segments(max_steps, shapes), min_size=1, max_size=max_segments))
    return Design(
        tuple(segs),
        name=draw(st.text(max_size=20)),
        description=draw(st.text(max_size=40)),
        steps_per_epoch=draw(st.one_of(st.none(), st.integers(1, 1000))),
        after_end=draw(st.sampled_from(["hold", "zero"] if monotone else ["hold", "continue", "zero"])),
    )
