#!/usr/bin/env bash
# plot.sh STAGES_MD PNG: a grouped bar chart of per-stage seconds, host against ci, from bench/ci.sh's stages table.
# matplotlib comes from PyPI into a virtualenv kept beside the PNG, so later runs reuse it.
set -euo pipefail
table=$1 png=$2
venv=$(dirname "$png")/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import matplotlib' 2>/dev/null || "$venv/bin/pip" install --quiet matplotlib
"$venv/bin/python" - "$table" "$png" <<'PY'
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

table, png = sys.argv[1:3]
lines = open(table).read().splitlines()
title = lines[0]
rows = [
    [cell.strip() for cell in line.strip("|").split("|")]
    for line in lines
    if line.startswith("| ") and not line.startswith("| stage") and not line.startswith("| ---")
]
def number(text):
    try:
        return float(text)
    except ValueError:
        return 0.0
stages = [row[0] for row in rows]
host = [number(row[1]) for row in rows]
ci = [number(row[2]) for row in rows]
x = range(len(stages))
figure, axis = plt.subplots(figsize=(8, 4))
axis.bar([i - 0.2 for i in x], host, width=0.4, label="host, by hand")
axis.bar([i + 0.2 for i in x], ci, width=0.4, label="ci (concurrent stages)")
axis.set_xticks(list(x), stages)
axis.set_ylabel("seconds")
axis.set_title(title, fontsize=9)
axis.legend()
figure.tight_layout()
figure.savefig(png, dpi=120)
PY
