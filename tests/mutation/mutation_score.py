"""`make mutate`: mutation testing of the coaching engine, module by module, with a trustworthy score.

For each module it runs ``mutmut run`` (configured in pyproject.toml's ``[tool.mutmut]``), then re-runs
every mutant that mutmut reports as surviving in a *fresh* Python process (``MUTANT_UNDER_TEST`` set,
only the tests that cover it), so a survivor is never an artefact of state left behind by an earlier
mutant in mutmut's forked workers. Mutants listed in ``tests/mutation/mutation_equivalents.txt`` (with the
reason each cannot change behaviour) are taken out of the denominator. Prints one line per module:

    module        mutants  killed  equivalent  survived  score
    money             412     410           2         0  100.0 %

The score is killed / (mutants − equivalent): the share of behaviour-changing mutants the tests catch.
Usage: ``python tests/mutation/mutation_score.py [--children N] [--target 97] [module ...]``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
EQUIVALENTS = ROOT / "tests" / "mutation" / "mutation_equivalents.txt"
DEFAULT_MODULES = ("money", "debrief", "trades", "commitments", "parsing", "worktime")
BIN = Path(sys.executable).parent
OWN_TESTS = (
    {
        module: (f"tests/coaching/test_{module}.py", "tests/coaching/test_boundaries.py")
        for module in ("money", "debrief", "trades", "commitments", "parsing")
    }
    | {"worktime": ("tests/coaching/test_worktime_transitions.py", "tests/coaching/test_commitments.py")}
    | {
        "quantities": ("tests/coaching/test_quantities.py", "tests/coaching/test_constraints.py"),
        "constraints": ("tests/coaching/test_constraints.py", "tests/coaching/test_quantities.py"),
        "asks": ("tests/coaching/test_asks.py", "tests/coaching/test_moves.py"),
        "direction": ("tests/coaching/test_form_rules.py", "tests/coaching/test_prep.py"),
        "trade_form": ("tests/coaching/test_form_rules.py", "tests/coaching/test_form_fields.py"),
        "commitment_form": ("tests/coaching/test_form_rules.py", "tests/coaching/test_form_fields.py"),
    }
)
"""Each module's own tests: a survivor is re-run against these first (fast); only if they don't
notice it is it re-run against every test mutmut says covers it (or all of tests/coaching)."""
PYTEST = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--hypothesis-profile=mutate"]
_RESULT = re.compile(r"^\s+(coaching\.\S+): (.+)$")


def mutmut(*args: str) -> str:
    done = subprocess.run([str(BIN / "mutmut"), *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"mutmut {' '.join(args)} failed ({done.returncode})")
    return done.stdout


def results() -> dict[str, str]:
    """Every mutant mutmut knows, with its status (killed, survived, no tests, timeout, …)."""
    found = {}
    for line in mutmut("results", "--all", "true").splitlines():
        match = _RESULT.match(line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def equivalents() -> dict[str, str]:
    """``mutant name → why it cannot change behaviour`` from tests/mutation/mutation_equivalents.txt."""
    found = {}
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        name, _, why = line.partition("#")
        if name.strip():
            found[name.strip()] = why.strip()
    return found


def fails_in_a_fresh_process(mutant: str, tests: list[str]) -> bool:
    """Whether the tests that cover ``mutant`` fail when run alone against it in a new interpreter."""
    env = {**os.environ, "MUTANT_UNDER_TEST": mutant, "PYTHONPATH": str(MUTANTS)}
    try:
        done = subprocess.run(
            [*PYTEST, *tests], cwd=MUTANTS, env=env, capture_output=True, text=True, timeout=600
        )
    except subprocess.TimeoutExpired:
        return True  # it hangs: noticed, like mutmut's timeouts
    return done.returncode != 0


def recheck(mutant: str) -> bool:
    """Whether ``mutant`` is killed: by its module's own tests, else by the tests mutmut says cover
    it (all of tests/coaching if mutmut knows none). Any failing test is a kill, so trying the
    module's own tests first changes no result, only the time it takes."""
    own = OWN_TESTS.get(module_of(mutant))
    if own and fails_in_a_fresh_process(mutant, list(own)):
        return True
    tests = [line for line in mutmut("tests-for-mutant", mutant).splitlines() if line.strip()]
    return fails_in_a_fresh_process(
        mutant, tests or ["tests/coaching", "--ignore=tests/coaching/test_purity.py"]
    )


def check_the_fresh_runner_sees_mutants() -> None:
    """``fail`` is mutmut's always-failing mutant: if tests pass under it, re-runs would prove nothing."""
    if not fails_in_a_fresh_process("fail", ["tests/coaching/test_money.py"]):
        raise SystemExit(
            "a fresh pytest run does not see mutmut's mutants; re-checking survivors is not possible"
        )


def module_of(mutant: str) -> str:
    return mutant.split(".")[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("modules", nargs="*", default=list(DEFAULT_MODULES))
    parser.add_argument("--children", type=int, default=1, help="mutmut worker processes (default 1)")
    parser.add_argument("--target", type=float, default=97.0, help="fail below this score (per cent)")
    parser.add_argument("--no-run", action="store_true", help="only report on the last run's results")
    options = parser.parse_args()

    if not options.no_run:
        for module in options.modules:
            print(f"== mutmut: coaching/{module}.py", flush=True)
            mutmut("run", "--max-children", str(options.children), f"coaching.{module}.*")
    status = results()
    known = equivalents()
    check_the_fresh_runner_sees_mutants()

    # Re-check against the tests as they are now (mutmut copied them when its run started).
    shutil.copytree(ROOT / "tests", MUTANTS / "tests", dirs_exist_ok=True)
    to_recheck = sorted(
        name
        for name, state in status.items()
        if module_of(name) in options.modules and state not in ("killed", "timeout") and name not in known
    )
    print(f"== re-checking {len(to_recheck)} surviving mutants, each in a fresh process", flush=True)
    with ThreadPoolExecutor(max_workers=max(1, options.children)) as pool:
        fresh_kills = dict(zip(to_recheck, pool.map(recheck, to_recheck), strict=True))

    rows = []
    survivors: list[tuple[str, str]] = []
    for module in options.modules:
        mine = {name: state for name, state in status.items() if module_of(name) == module}
        counts: Counter[str] = Counter()
        for name, state in sorted(mine.items()):
            if name in known:
                counts["equivalent"] += 1
                if state == "killed":
                    print(f"   note: {name} is listed as equivalent but was killed; take it off the list")
                continue
            if state in (
                "killed",
                "timeout",
            ):  # a timeout is a hang the tests notice (a loop that never ends)
                counts["killed"] += 1
                continue
            if fresh_kills[name]:
                counts["killed"] += 1
                print(f"   note: {name} ({state} under mutmut) is killed in a fresh process")
                continue
            counts["survived"] += 1
            survivors.append((name, state))
        behaviour_changing = len(mine) - counts["equivalent"]
        score = 100.0 * counts["killed"] / behaviour_changing if behaviour_changing else 100.0
        rows.append((module, len(mine), counts["killed"], counts["equivalent"], counts["survived"], score))

    print(f"\n{'module':<12} {'mutants':>7} {'killed':>7} {'equivalent':>10} {'survived':>8} {'score':>8}")
    for module, total, killed, equivalent, survived, score in rows:
        print(f"{module:<12} {total:>7} {killed:>7} {equivalent:>10} {survived:>8} {score:>7.1f} %")
    if survivors:
        print("\nSurvivors (see each with `.venv/bin/mutmut show NAME`):")
        for name, state in survivors:
            print(f"  {name} ({state})")
    below = [row[0] for row in rows if row[1] and row[5] < options.target]
    if below:
        print(f"\nBelow the {options.target:g} % target: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
