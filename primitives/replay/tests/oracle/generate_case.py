#!/usr/bin/env python3
"""Generates a simulator-layout CSV of another shape with the independent oracle.

Usage: generate_case.py ORACLE_DIR NI NF NR ROWS SEED > case.csv

Row 1 holds random inputs and a random state (every regret family, the latest network loss,
listening coefficients, smoothed fractions, scores, tau); rows 2.. hold random inputs and the
outputs that ../shared/oracle/verify_sim.py (an independent 40-digit decimal implementation
of spec sections 4-6) computes from them and the previous row. The replay tool must reproduce
them with --state-from-first-row.

The oracle's score window needs 10 stored scores per role, so NI and NF must be >= 5; NR >= 2
(the oracle has no single-reputer entropy rule).
"""
import random
import sys
from decimal import Decimal as D


def main():
    oracle_dir, ni, nf, nr, nrows, seed = sys.argv[1], *map(int, sys.argv[2:7])
    assert ni >= 5 and nf >= 5 and nr >= 2 and nrows >= 2
    sys.path.insert(0, oracle_dir)
    import verify_sim as V

    V.NI, V.NF, V.NR = ni, nf, nr
    V.LOSS_KEYS = (["network_inference", "naive_network_inference"] +
                   [f"inference_{j}" for j in range(ni)] +
                   [f"forecast_implied_inference_{k}" for k in range(nf)] +
                   [f"forecast_implied_inference_{k}_oneout_{j}" for k in range(nf) for j in range(ni)] +
                   [f"network_inference_oneout_{l}" for l in range(ni + nf)] +
                   [f"naive_network_inference_onein_{k}" for k in range(nf)])
    rng = random.Random(seed)

    def u(lo, hi):
        return D(repr(rng.uniform(lo, hi)))

    nw = ni + nf

    def inputs(row):
        row["target"] = u(0, 0.3)
        for j in range(ni):
            row[f"inference_{j}"] = u(0, 0.3)
        for k in range(nf):
            for j in range(ni):
                row[f"forecasted_loss_{k}_for_{j}"] = u(-7, -4)
        truth = {key: u(-7, -5) for key in V.LOSS_KEYS}
        for m in range(nr):
            row[f"reputer_stake_{m}"] = u(1000, 500000)
            for key in V.LOSS_KEYS:
                row[f"reputer_{m}_loss_{key}"] = truth[key] + u(-0.05, 0.05)
        row["topic_rewards"] = u(100, 1000)

    def fractions(n):
        x = [u(0.1, 1) for _ in range(n)]
        return [v / sum(x) for v in x]

    first = {}
    inputs(first)
    for w in range(nw):
        first[f"inference_regret_worker_{w}"] = u(-1, 1)
        for o in range(nw):
            first[f"inference_regret_worker_{w}_oneout_{o}"] = u(-1, 1)
    for j in range(ni):
        first[f"naive_inference_regret_worker_{j}"] = u(-1, 1)
    for w in range(ni + 1):
        for k in range(nf):
            first[f"inference_regret_worker_{w}_onein_{k}"] = u(-1, 1)
    first["network_loss"] = u(-7, -5)
    for m in range(nr):
        first[f"reputer_listening_coefficient_{m}"] = D(1) if m % 2 == 0 else u(0.5, 1)
    for name, n in [("inferer", ni), ("forecaster", nf), ("reputer", nr)]:
        for i, f in enumerate(fractions(n)):
            first[f"{name}_reward_fraction_smooth_{i}"] = f
    for j in range(ni):
        first[f"inferer_score_{j}"] = u(-0.01, 0.01)
    for k in range(nf):
        first[f"forecaster_score_{k}"] = u(-0.01, 0.01)
    first["forecaster_score_ratio"] = u(0, 0.5)

    rows = {0: first}
    for e in range(1, nrows):
        row, prev = {}, rows[e - 1]
        inputs(row)
        rows[e] = row
        row.update(V.synthesis(row, prev))
        row.update(V.network_losses(row))
        row.update(V.regrets(row, prev))
        L = [V.loss_vector(row, m) for m in range(nr)]
        st = [row[f"reputer_stake_{m}"] for m in range(nr)]
        sc, co, adj = V.reputer_output(L, st, [prev[f"reputer_listening_coefficient_{m}"] for m in range(nr)])
        for m in range(nr):
            row[f"reputer_score_{m}"] = sc[m]
            row[f"reputer_listening_coefficient_{m}"] = co[m]
            row[f"reputer_adjusted_stake_{m}"] = adj[m]
        # The reward step reads this round's scores from the row (the score window).
        for j in range(ni):
            row[f"inferer_score_{j}"] = row[f"network_loss_oneout_{j}"] - row["network_loss"]
        fplus = 1 / D(2) ** (nf - 1)
        for k in range(nf):
            row[f"forecaster_score_{k}"] = (fplus * (row["network_naive_loss"] - row[f"network_naive_loss_onein_{k}"]) +
                                            (1 - fplus) * (row[f"network_loss_oneout_{k + ni}"] - row["network_loss"]))
        row.update(V.rewards(rows, e))

    columns = ["epoch"] + sorted({c for r in rows.values() for c in r}, key=lambda c: (c.split("_")[0], c))
    print(",".join(columns))
    for e in range(nrows):
        print(",".join([str(e + 1)] + [str(rows[e][c]) if c in rows[e] else "" for c in columns[1:]]))


if __name__ == "__main__":
    main()
