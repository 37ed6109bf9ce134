#!/usr/bin/env bash
# Print the pytest options for the test order: random (pytest-randomly) with a seed chosen
# here and shown, so a failing order can be repeated with `make test SEED=N`.
# Usage: scripts/test_order.sh "SEED" "PYTEST_ARGS"  (no options when PYTEST_ARGS has -p no:randomly)
set -euo pipefail
seed="${1:-}"
args="${2:-}"
if [[ "$args" == *"no:randomly"* ]]; then
    echo "test order: as written (-p no:randomly)" >&2
    exit 0
fi
if [[ -z "$seed" ]]; then
    seed=$(( (RANDOM << 15) | RANDOM ))
fi
echo "test order: random, seed $seed (repeat with: make test SEED=$seed)" >&2
echo "-p randomly --randomly-seed=$seed"
