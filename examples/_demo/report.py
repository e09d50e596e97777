"""How the demo runs its steps and reports them: each step on its own, one line per result, a summary table.

A failed step says what failed and what to check, and the next step still runs; the demo's exit code is 0 only
when no step failed. Nothing here prints an apiKey: a step hands the key to the app, and reports the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

ANSWER_WIDTH = 24  # the table's answer column; the step's own line shows the whole answer


@dataclass(frozen=True)
class Handoff:
    """What a step handed to the next one, and what the served model answered the next one."""

    service_id: str
    model: str
    url: str
    answer: str


@dataclass(frozen=True)
class Step:
    surface: str
    title: str  # what the step shows, in a line
    did: str  # a few words for the summary table
    check: str  # where to look when it fails
    run: Callable[[], Handoff]  # prints what it does and, once it has it, ``handed_on(the handoff)``


@dataclass(frozen=True)
class Row:
    surface: str
    did: str
    result: str  # "ok", "FAILED" or "skipped"
    handoff: Handoff | None = None


class StepSkipped(Exception):
    """A step whose tool is not there (and is not built by the demo): skipped with the one line saying how."""


class StepFailed(Exception):
    """A step did not get its outputs or its answer; ``details`` are the tool's last lines, shown under it."""

    def __init__(self, message: str, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.details = list(details)


def say(line: str = "") -> None:
    print(line, flush=True)


def run_step(number: int, step: Step) -> Row:
    say(f"\n[{number}] {step.surface}: {step.title}")
    try:
        got = step.run()
    except StepSkipped as exc:
        say(f"    skipped, {exc}")
        return Row(step.surface, step.did, "skipped")
    except StepFailed as exc:
        return _failed(step, str(exc), exc.details)
    except Exception as exc:  # one line, never a traceback, and the next step still runs
        return _failed(step, f"{type(exc).__name__}: {exc}", [])
    return Row(step.surface, step.did, "ok", got)


def handed_on(got: Handoff) -> Handoff:
    """The step's two result lines: what the next step got (the apiKey too, never shown) and the answer."""
    say(f"    -> serviceId={got.service_id} model={got.model} url={got.url} apiKey=(handed on, not shown)")
    say(f'    -> {got.model} answered: "{got.answer}"')
    return got


def skip(number: int, step: Step, why: str) -> Row:
    say(f"\n[{number}] {step.surface}: skipped, {why}")
    return Row(step.surface, step.did, "skipped")


def _failed(step: Step, message: str, details: list[str]) -> Row:
    say(f"    FAILED: {message}")
    for line in details:
        say(f"      | {line}")
    say(f"    check: {step.check}")
    return Row(step.surface, step.did, "FAILED")


def summary(rows: list[Row]) -> list[str]:
    """The table: surface, result, what it did, serviceId, model, answer."""
    table = [("surface", "result", "what it did", "serviceId", "model", "answer")]
    for row in rows:
        got = row.handoff
        table.append((row.surface, row.result, row.did, got.service_id if got else "-", got.model if got else "-",
                      _shorten(got.answer) if got else "-"))
    widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in table]


def exit_code(rows: list[Row]) -> int:
    return 1 if any(row.result == "FAILED" for row in rows) else 0


def _shorten(text: str) -> str:
    return text if len(text) <= ANSWER_WIDTH else text[: ANSWER_WIDTH - 1].rstrip() + "…"
