import sys

from parley.eval import EVALUATIONS, run

if len(sys.argv) < 2 or sys.argv[1] in {"-h", "--help"}:
    print("usage: python -m parley.eval {" + ",".join(sorted(EVALUATIONS)) + "} PATH [options]")
    raise SystemExit(0 if len(sys.argv) >= 2 else 2)
raise SystemExit(run(sys.argv[1], sys.argv[2:]))
