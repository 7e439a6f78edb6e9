"""The command line: the schedule core without a window, for scripts and CI."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

import numpy as np

from . import __version__
from .logs import records
from .logs.errors import LogError
from .schedule import designfile
from .schedule.design import Design
from .schedule.errors import DesignError

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """A command-line value that cannot be used."""


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _read_design(path: str) -> Design:
    if path == "-":
        return designfile.loads(sys.stdin.read(), "<stdin>")
    return designfile.load(path)


def _write(text: str, out: str | None) -> None:
    if out and out != "-":
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def _steps(args) -> np.ndarray:
    if args.steps is not None:
        try:
            values = [int(s) for s in args.steps.split(",") if s.strip()]
        except ValueError:
            raise UsageError(f"--steps: expected comma-separated integers, got {args.steps!r}") from None
        return np.array(values, dtype=np.int64)
    parts = args.range.split(":")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        raise UsageError(f"--range: expected START:STOP[:STEP], got {args.range!r}") from None
    if len(nums) not in (2, 3) or (len(nums) == 3 and nums[2] <= 0):
        raise UsageError(f"--range: expected START:STOP[:STEP] with STEP > 0, got {args.range!r}")
    return np.arange(*nums, dtype=np.int64)


def cmd_preset(args) -> int:
    from .schedule.presets import PRESETS, get_preset

    if args.list:
        for p in PRESETS.values():
            print(f"{p.name}\n    {p.summary}\n    after total_steps: {p.after_end}")
            for q in p.params:
                print(f"    --set {q.name}={json.dumps(q.default)}  ({q.kind}) {q.help}")
        return 0
    if not args.name:
        raise UsageError("preset: give a preset NAME or --list")
    values = {}
    for item in args.set or []:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--set: expected KEY=VALUE, got {item!r}")
        values[key] = _parse_value(raw)
    design = get_preset(args.name).build(name=args.design_name, **values)
    _write(designfile.dumps(design), args.output)
    return 0


def cmd_eval(args) -> int:
    steps = _steps(args)
    design = _read_design(args.design)
    lrs = design.evaluate(steps)
    if args.format == "json":
        print(json.dumps({"steps": steps.tolist(), "lr": lrs.tolist()}))
    else:
        lines = ["step,lr"] + [f"{s},{v!r}" for s, v in zip(steps.tolist(), lrs.tolist())]
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_check(args) -> int:
    _print_check(_read_design(args.design))
    return 0


def _print_check(design: Design) -> None:
    from .schedule.advice import check
    from .schedule.metrics import metrics

    m = metrics(design)
    print(
        f"{design.name}: {len(design.segments)} segments, {m.total_steps} steps, peak {m.peak_lr:g} "
        f"at step {m.peak_step}, final {m.final_lr:g}, mean {m.mean_lr:g}"
    )
    advice = check(design)
    for a in advice:
        where = f" (step {a.step})" if a.step is not None else ""
        print(f"{a.severity}: [{a.id}] {a.message}{where}")
    if not advice:
        print("no advice: the design looks sound")


def _read_metric(path: str) -> list[float]:
    src = "<stdin>" if path == "-" else path
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except OSError as exc:
        raise DesignError(exc.strerror or str(exc), src) from None
    except UnicodeDecodeError as exc:
        raise DesignError(f"not UTF-8 text (byte {exc.start})", src) from None
    values = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            values.append(float(line))
        except ValueError:
            raise DesignError(f"not a number: {line[:40]!r}", f"{src}: line {n}") from None
    if not values:
        raise DesignError("no metric values", src)
    return values


def cmd_plateau(args) -> int:
    from .schedule.plateau import PlateauPolicy, simulate_plateau

    design = _read_design(args.design)
    base = design.plateau or PlateauPolicy(semantics=args.semantics or "keras")
    overrides = {
        k: v
        for k, v in (
            ("semantics", args.semantics),
            ("mode", args.mode),
            ("factor", args.factor),
            ("patience", args.patience),
            ("min_delta", args.min_delta),
            ("threshold_mode", args.threshold_mode),
            ("cooldown", args.cooldown),
            ("min_lr", args.min_lr),
            ("every", args.every),
        )
        if v is not None
    }
    from dataclasses import replace

    policy = replace(base, **overrides)
    values = _read_metric(args.metric)
    result = simulate_plateau(values, policy, design=design)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "policy": policy.__dict__,
                    "rows": [
                        {"epoch": i + 1, "step": int(s), "metric": v, "multiplier": m, "lr": lr}
                        for i, (s, v, m, lr) in enumerate(
                            zip(result.steps, values, result.multipliers, result.lrs)
                        )
                    ],
                    "cuts": [c.__dict__ for c in result.cuts],
                }
            )
        )
        return 0
    rows = ["epoch,step,metric,multiplier,lr"]
    for i, (s, v, m, lr) in enumerate(
        zip(result.steps.tolist(), values, result.multipliers.tolist(), result.lrs.tolist())
    ):
        rows.append(f"{i + 1},{s},{v!r},{m!r},{lr!r}")
    sys.stdout.write("\n".join(rows) + "\n")
    return 0


def cmd_export(args) -> int:
    from .export import ExportOptions, export, module_name_for

    module = args.module_name or (module_name_for(args.output) if args.output and args.output != "-" else None)
    options = ExportOptions(
        module_name=module, float32=args.float32, plateau=not args.no_plateau, all_shapes=args.all_shapes
    )
    _write(export(_read_design(args.design), args.target, args.class_name, options=options), args.output)
    return 0


def cmd_verify(args) -> int:
    from .export.verify import EXIT_NO_FRAMEWORK, FrameworkMissing, verify

    design = _read_design(args.design)
    if args.steps < 0:
        raise UsageError(f"--steps must be >= 0, got {args.steps}")
    try:
        report = verify(design, args.target, n=args.steps, seed=args.seed)
    except FrameworkMissing as exc:
        if args.json:
            print(
                json.dumps(
                    {
                        "verdict": "framework not installed",
                        "steps_checked": 0,
                        "largest_error": 0.0,
                        "message": str(exc),
                    }
                )
            )
        print(f"lrdesigner verify: {exc}", file=sys.stderr)
        return EXIT_NO_FRAMEWORK
    except RuntimeError as exc:
        if args.json:
            print(
                json.dumps({"verdict": "error", "steps_checked": 0, "largest_error": 0.0, "message": str(exc)})
            )
        print(f"lrdesigner verify: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(
            json.dumps(
                {
                    "verdict": "pass" if report.ok else "fail",
                    "steps_checked": max((c.count for c in report.checks), default=0),
                    "largest_error": max((c.max_rel for c in report.checks), default=0.0),
                    "message": f"{args.target} {report.version}",
                }
            )
        )
        return 0 if report.ok else 1
    from .export import get_target

    rule = get_target(args.target).rule
    print(f"{design.name}: {args.target} ({report.version}), {rule}")
    for c in report.checks:
        status = "ok" if c.failures == 0 else f"FAIL ({c.failures} outside tolerance)"
        print(
            f"  {c.name:<14} {c.count:>6} steps  max abs error {c.max_abs:.3g}  "
            f"max rel error {c.max_rel:.3g} (step {c.worst_step})  {status}"
        )
    return 0 if report.ok else 1


def cmd_gui(args) -> int:
    if (args.screenshot or args.state) and not re.fullmatch(r"\d+x\d+", args.size):
        raise UsageError(f"--size: expected WIDTHxHEIGHT, got {args.size!r}")
    from .ui.app import run

    logs = {
        "paths": args.log or [],
        "tags": args.tag or [],
        "run": args.run,
        "smooth": args.smooth,
        "plateau_on": args.plateau_on,
    }
    if args.smooth is not None and not 0.0 <= args.smooth < 1.0:
        raise UsageError(f"--smooth must be in [0, 1), got {args.smooth}")
    return run(
        args.design,
        args.screenshot,
        args.size,
        args.log_scale,
        args.dark,
        args.epochs,
        args.state,
        args.compare or [],
        logs,
        args.example,
    )


def cmd_compare(args) -> int:
    from .compare_cli import format_table, table

    _write(format_table(table(_read_design(args.design), args.compare), args.format), None)
    return 0


def cmd_plot(args) -> int:
    from .compare_cli import plot

    plot(
        _read_design(args.design),
        args.compare or [],
        args.output,
        args.size,
        args.log_scale,
        args.epochs,
        args.dark,
    )
    return 0


def _logs_against_design(runs, design: Design, steps_per_epoch: int | None) -> int:
    """Each logged LR against the design (where each writer's convention places it), then the
    log advice. Exit 1 when a logged LR differs from the design."""
    from .logs import check_logs, compare_lr, is_lr_tag
    from .logs.alignment import is_epoch_indexed

    spe = steps_per_epoch or design.steps_per_epoch
    differs = False
    for run in runs:
        for tag, s in run.series.items():
            if not is_lr_tag(tag) or not len(s):
                continue
            if is_epoch_indexed(s, run.writer) and not spe:
                print(f"{run.name}/{tag}: logged per epoch; give --steps-per-epoch to compare")
                continue
            c = compare_lr(s, design, spe, writer=run.writer)
            differs |= not c.exact
            print(f"{run.name}/{tag}: {c.message()}  [{c.rule}]")
    for a in check_logs(design, runs, spe):
        where = f" (step {a.step:,})" if a.step is not None else ""
        print(f"{a.severity}: {a.message}{where}")
    return 1 if differs else 0


def cmd_logs(args) -> int:
    from .logs import read

    runs = read(args.path)
    if args.design:
        return _logs_against_design(runs, _read_design(args.design), args.steps_per_epoch)
    if args.list or not args.tag:
        for run in runs:
            print(f"{run.name}  ({run.path})")
            for tag, s in run.series.items():
                rng = f"{s.x_kind}s {int(s.steps.min())}..{int(s.steps.max())}" if len(s) else "empty"
                bad = f", {s.nonfinite_count} non-finite" if s.nonfinite_count else ""
                print(f"  {tag}  {len(s)} points, {rng}{bad}")
            for w in run.warnings:
                print(f"  note: {w}")
        for w in runs.warnings:
            print(f"note: {w}")
        return 0
    matches = [r for r in _select_runs(runs, args.run) if args.tag in r.series]
    if not matches:
        names = sorted({t for r in runs for t in r.series if args.run is None or r.name == args.run})
        import difflib

        close = difflib.get_close_matches(args.tag, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; tags: {', '.join(names[:20])}"
        where = f" in run {args.run!r}" if args.run else ""
        raise UsageError(f"no tag {args.tag!r}{where}{hint}")
    if len(matches) > 1:
        raise UsageError(
            f"tag {args.tag!r} is in several runs ({', '.join(r.name for r in matches)}); choose one with --run"
        )
    s = matches[0].series[args.tag]
    smoothed = None
    if args.smooth is not None:
        from .logs import smooth

        smoothed = smooth(s.values, args.smooth)
    x = s.x_kind
    if args.format == "json":
        out = {"run": s.run, "tag": s.tag, x: s.steps.tolist(), "value": _json_floats(s.values)}
        if smoothed is not None:
            out["smoothed"] = _json_floats(smoothed)
        if s.wall_times is not None:
            out["wall_time"] = s.wall_times.tolist()
        print(json.dumps(out))
        return 0
    cols = [s.steps.tolist(), s.values.tolist()]
    head = [x, "value"]
    if smoothed is not None:
        cols.append(smoothed.tolist())
        head.append("smoothed")
    if s.wall_times is not None:
        cols.append(s.wall_times.tolist())
        head.append("wall_time")
    lines = [",".join(head)]
    lines += [",".join(repr(v) for v in row) for row in zip(*cols)]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _select_runs(runs, run_name: str | None):
    """The runs named `run_name` (all without one): an exact name wins over names that only
    contain it."""
    if run_name is None:
        return list(runs)
    exact = [r for r in runs if r.name == run_name]
    if exact:
        return exact
    near = [r for r in runs if run_name in (r.name, r.path) or r.name.startswith(run_name + "/")]
    if near:
        return near
    raise UsageError(f"no run {run_name!r}; runs: {', '.join(r.name for r in runs)}")


def _design_file_name(tag: str) -> str:
    """A file name for a tag's design: `lr/pg0` -> `lr_pg0.json`."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", tag).strip("_.") + ".json"


def cmd_fit(args) -> int:
    import os

    from .logs import is_lr_tag, read
    from .logs.fit import fit_series

    if args.steps_per_epoch is not None and args.steps_per_epoch < 1:
        raise UsageError(f"--steps-per-epoch must be >= 1, got {args.steps_per_epoch}")
    runs = _select_runs(read(args.path), args.run)
    wanted = args.tag or []
    picked = []
    for run in runs:
        for tag, s in run.series.items():
            if (tag in wanted if wanted else is_lr_tag(tag)) and len(s):
                picked.append((run, tag, s))
    missing = [t for t in wanted if not any(tag == t for _, tag, _ in picked)]
    if missing:
        tags = sorted({t for r in runs for t in r.series})
        raise UsageError(f"no tag {', '.join(map(repr, missing))}; tags: {', '.join(tags[:30])}")
    if not picked:
        raise UsageError("no learning-rate series in the log (name one with --tag)")
    fits = []
    for run, _tag, s in picked:
        try:
            fits.extend(fit_series(s, run.writer, args.steps_per_epoch, run=run.name))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if args.output:
        named = {}
        for f in fits:
            key = f.tag if f.run == fits[0].run or len({x.run for x in fits}) == 1 else f"{f.run}_{f.tag}"
            while key in named:
                key += "_"
            named[key] = f
        if len(named) == 1:
            (f,) = named.values()
            _write_design(f, args.output)
        else:
            os.makedirs(args.output, exist_ok=True)
            for key, f in named.items():
                _write_design(f, os.path.join(args.output, _design_file_name(key)))
    if args.format == "json":
        print(json.dumps({"fits": [f.to_json() for f in fits]}, indent=1))
    else:
        for f in fits:
            print(f"{f.run}/{f.tag}: {f.summary()}")
            for line in f.inferred:
                print(f"  inferred: {line}")
            for line in f.notes:
                print(f"  note: {line}")
    return 0


def _write_design(fit, path: str) -> None:
    design = fit.design.replace(name=f"{fit.run} {fit.tag}"[:200], description=fit.summary()[:2000])
    if path == "-":
        sys.stdout.write(designfile.dumps(design))
    else:
        designfile.save(design, path)
        print(f"wrote {path}", file=sys.stderr)


def cmd_install_desktop(args) -> int:
    from pathlib import Path

    from .desktop import data_home, install

    target = Path(args.prefix) if args.prefix else data_home()
    try:
        written = install(target)
    except OSError as exc:
        raise UsageError(f"cannot write into {target}: {exc.strerror or exc}") from None
    for path in written:
        print(path)
    return 0


def _json_floats(values) -> list:
    """Floats for JSON: NaN and infinities as the strings "NaN", "Infinity", "-Infinity"."""
    out = values.tolist()
    if not np.isfinite(values).all():
        out = [
            v if np.isfinite(v) else ("NaN" if np.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))
            for v in out
        ]
    return out


def cmd_import(args) -> int:
    from .schedule.runconfig import load_run_schedule

    try:
        run = load_run_schedule(args.path, steps_per_epoch=args.steps_per_epoch, total_steps=args.total_steps)
    except OSError as exc:
        raise UsageError(f"{args.path}: {exc.strerror or exc}") from None
    for note in run.notes:
        print(f"lrdesigner import: {note}", file=sys.stderr)
    _write(designfile.dumps(run.design), args.output)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lrdesigner", description="Design, check and export learning-rate schedules."
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"lrdesigner {__version__} (event-file reader: {records.reader()})",
    )
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("preset", help="build a design from a library schedule")
    p.add_argument("name", nargs="?", help="preset name (see --list)")
    p.add_argument("--list", action="store_true", help="list presets with parameters and defaults")
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="set a parameter; VALUE is JSON when it parses, else a string",
    )
    p.add_argument("--name", dest="design_name", help="the design's name")
    p.add_argument("-o", "--output", help="write the design file here (default: stdout)")
    p.set_defaults(func=cmd_preset)

    p = sub.add_parser("eval", help="evaluate a design at steps")
    p.add_argument("design", help="design file, or - for stdin")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--steps", help="comma-separated steps")
    g.add_argument("--range", help="START:STOP[:STEP]")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("check", help="validate a design and print advice")
    p.add_argument("design", help="design file, or - for stdin")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("plateau", help="simulate ReduceLROnPlateau on a metric series")
    p.add_argument("design", help="design file, or - for stdin")
    p.add_argument("--metric", required=True, help="file with one metric value per line, or -")
    p.add_argument("--every", type=int, help="steps per evaluation (default steps_per_epoch)")
    p.add_argument("--semantics", choices=("keras", "tf.keras", "torch"))
    p.add_argument("--mode", choices=("min", "max", "auto"))
    p.add_argument("--factor", type=float)
    p.add_argument("--patience", type=int)
    p.add_argument("--min-delta", type=float, help="Keras min_delta / torch threshold")
    p.add_argument("--threshold-mode", choices=("rel", "abs"))
    p.add_argument("--cooldown", type=int)
    p.add_argument("--min-lr", type=float)
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_plateau)

    from .export import TARGETS

    p = sub.add_parser("export", help="write the design as code for a framework")
    p.add_argument("design", help="design file, or - for stdin")
    p.add_argument("--target", required=True, choices=list(TARGETS))
    p.add_argument(
        "--class-name",
        help="name of the generated class (default: DesignedSchedule, or "
        "DesignedScheduler for torch; never derived from the design's name)",
    )
    p.add_argument("-o", "--output", help="write here (default: stdout)")
    p.add_argument("--module-name", help="module name in the usage line (default: the output file's name)")
    p.add_argument("--float32", action="store_true", help="Keras: compute in float32 (TPUs)")
    p.add_argument("--no-plateau", action="store_true", help="leave out the design's plateau policy")
    p.add_argument(
        "--all-shapes", action="store_true", help="include every shape, so saved configs using any shape load"
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify", help="run the exported code in its framework and compare")
    p.add_argument("design", help="design file, or - for stdin")
    from .export.verify import verifiable

    p.add_argument("--target", required=True, choices=verifiable())
    p.add_argument("--steps", type=int, default=1000, help="random steps besides the boundaries")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: verdict, steps_checked, largest_error, message",
    )
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("gui", help="open the editor window (the default without a command)")
    p.add_argument("design", nargs="?", help="a design or workspace file to open")
    p.add_argument("--screenshot", metavar="PNG", help="render the window offscreen to PNG and exit")
    p.add_argument("--size", default="1280x800", metavar="WxH", help="window size for --screenshot/--state")
    p.add_argument(
        "--state",
        metavar="JSON",
        help="write what is on screen (layers, knots in window pixels, "
        "axes, metrics, advice, undo) once drawn; keeps running "
        "unless --screenshot is given",
    )
    p.add_argument("--log-scale", action="store_true", help="start with a log-scale LR axis")
    p.add_argument("--epochs", action="store_true", help="start with epochs on the x axis")
    p.add_argument("--dark", action="store_true", help="start with the dark palette")
    p.add_argument(
        "--compare",
        action="append",
        metavar="PRESET_OR_FILE",
        help="draw a preset (its defaults, with the design's total steps) or a design file beside "
        "the design; repeatable",
    )
    p.add_argument(
        "--log", action="append", metavar="PATH", help="draw a training log (file or folder); repeatable"
    )
    p.add_argument(
        "--tag",
        action="append",
        metavar="TAG",
        help="the log series to draw (default: every loss-like and LR-like tag); repeatable",
    )
    p.add_argument("--run", help="only this run of the logs")
    p.add_argument("--smooth", type=float, metavar="W", help="TensorBoard smoothing weight for the logs (0..1)")
    p.add_argument("--plateau-on", metavar="TAG", help="simulate ReduceLROnPlateau on this logged series")
    p.add_argument(
        "--example",
        action="store_true",
        help="open the example design with the logs of the real training run that used it",
    )
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("compare", help="metrics of the design beside presets or other designs")
    p.add_argument("design", help="a design file (- for stdin)")
    p.add_argument("compare", nargs="+", metavar="PRESET_OR_FILE")
    p.add_argument("--format", choices=("csv", "json", "markdown"), default="markdown")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("plot", help="draw the design (and comparisons) to PNG or SVG, without a window")
    p.add_argument("design", help="a design file (- for stdin)")
    p.add_argument("--compare", action="append", metavar="PRESET_OR_FILE")
    p.add_argument("--log-scale", action="store_true")
    p.add_argument("--epochs", action="store_true", help="epochs on the x axis (needs steps per epoch)")
    p.add_argument("--dark", action="store_true")
    p.add_argument("--size", default="1200x700", metavar="WxH")
    p.add_argument("-o", "--output", required=True, metavar="OUT.png|svg")
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("logs", help="list or print the series of a training log")
    p.add_argument(
        "path", help="a log file or folder (TensorBoard, CSV, trainer_state.json, MLflow, JSON lines)"
    )
    p.add_argument("--list", action="store_true", help="runs and tags with point counts and step ranges")
    p.add_argument("--tag", help="print this series")
    p.add_argument("--run", help="the run holding --tag, when several do")
    p.add_argument("--smooth", type=float, metavar="W", help="add TensorBoard's smoothing with weight W (0..1)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument(
        "--design",
        metavar="DESIGN",
        help="compare each logged LR with this design and print the log advice (exit 1 when an LR differs)",
    )
    p.add_argument(
        "--steps-per-epoch",
        type=int,
        metavar="N",
        help="steps per epoch for epoch-indexed logs (default: the design's)",
    )
    p.set_defaults(func=cmd_logs)

    p = sub.add_parser("fit", help="recover the schedule behind a logged learning rate")
    p.add_argument("path", help="a log file or folder (trainer_state.json, results.csv, TensorBoard, CSV ...)")
    p.add_argument("--run", help="only this run of the log")
    p.add_argument(
        "--tag",
        action="append",
        metavar="TAG",
        help="the LR series to fit (default: every learning-rate series); repeatable",
    )
    p.add_argument(
        "--steps-per-epoch",
        type=int,
        metavar="N",
        help="steps per epoch for epoch-indexed logs (else the design counts epochs)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write the design file here; with several LR series, a folder with one design "
        "per series, named after its tag",
    )
    p.set_defaults(func=cmd_fit)

    p = sub.add_parser("import", help="the schedule a run used, from its saved model or training config")
    p.add_argument(
        "path",
        help="a .keras model, a Keras schedule/optimizer config (JSON), Hugging Face "
        "training arguments (JSON/YAML) or a timm args.yaml; nothing is executed",
    )
    p.add_argument(
        "--steps-per-epoch",
        type=int,
        help="optimizer updates per epoch, when the run's length is given in epochs",
    )
    p.add_argument(
        "--total-steps", type=int, help="draw schedules with no end of their own over this many steps"
    )
    p.add_argument("-o", "--output", help="write the design file here (default: stdout)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "install-desktop", help="add LR Designer to the desktop's application menu (entry, metadata, icons)"
    )
    p.add_argument("--prefix", help="data folder to write into (default: $XDG_DATA_HOME or ~/.local/share)")
    p.set_defaults(func=cmd_install_desktop)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        from .ui.app import run

        return run()
    try:
        return args.func(args)
    except (DesignError, UsageError, LogError) as exc:
        print(f"lrdesigner {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
