"""Runs the PyTorch export: walked one optimizer step at a time, and in closed form."""


def require() -> None:
    import torch  # noqa: F401


def run(module, steps: list[int], walk: int):
    import torch

    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.123)
    sched = module.make_schedule(opt)
    walked = []
    for _ in range(walk):
        walked.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    runs = {"stepped": (list(range(walk)), walked), "closed form": [sched.lr_at(s) for s in steps]}
    return torch.__version__, runs
