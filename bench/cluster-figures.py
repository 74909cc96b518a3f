#!/usr/bin/env python3
"""Figures per reading of one bench/cluster-load.sh run, from the files it saved.

usage: bench/cluster-figures.py <out dir> <silos>

Between the /metrics snapshots taken before and after `citytwin load` (warm-up included), summed over the silos:
readings accepted (citytwin_ingest_readings_total), silo-to-silo messages and bytes sent (Orleans'
orleans_messaging_sent_messages_size_bytes, ConnectionDirection="SiloToSilo"), and PostgreSQL commits and rows
written (pg_stat_database, the run's database); each silo's RSS at the end and the activations it hosted; and the CPU time
per reading of the silos, of PostgreSQL and of the rest of the machine (the load client), from /proc.
"""
import json
import re
import sys
from pathlib import Path

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$')


def metrics(path):
    values = {}
    for line in Path(path).read_text().splitlines():
        m = LINE.match(line)
        if m:
            values[(m.group(1), m.group(2) or '')] = float(m.group(3))
    return values


def total(values, name, label=''):
    return sum(v for (n, labels), v in values.items() if n == name and label in labels)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    out, silos = Path(sys.argv[1]), int(sys.argv[2])
    readings = messages = size = 0.0
    activations = []
    for i in range(1, silos + 1):
        before = metrics(out / f'metrics-before-silo{i}-{silos}.txt')
        after = metrics(out / f'metrics-after-silo{i}-{silos}.txt')
        readings += total(after, 'citytwin_ingest_readings_total') - total(before, 'citytwin_ingest_readings_total')
        cross = 'ConnectionDirection="SiloToSilo"'
        messages += total(after, 'orleans_messaging_sent_messages_size_bytes_count', cross) - total(before, 'orleans_messaging_sent_messages_size_bytes_count', cross)
        size += total(after, 'orleans_messaging_sent_messages_size_bytes_sum', cross) - total(before, 'orleans_messaging_sent_messages_size_bytes_sum', cross)
        health = json.loads((out / f'health-after-silo{i}-{silos}.json').read_text())
        activations.append(health['silo']['activations'])
    pg_before = [int(x) for x in (out / f'pg-before-{silos}.txt').read_text().split('|')]
    pg_after = [int(x) for x in (out / f'pg-after-{silos}.txt').read_text().split('|')]
    commits, inserted, updated = (pg_after[k] - pg_before[k] for k in range(3))
    report = json.loads((out / f'load-{silos}.json').read_text())
    rate = report['ingest']['achievedRate']
    per = max(readings, 1)
    print(f'{silos} silo(s): {rate:,.0f} readings/s measured; over the run and its warm-up {readings:,.0f} readings accepted')
    print(f'  silo-to-silo: {messages / per:.2f} messages and {size / per:,.0f} bytes per reading ({messages:,.0f} messages, {size / 1e6:,.1f} MB)')
    print(f'  PostgreSQL: {commits / per * 1000:.2f} commits per 1,000 readings; {inserted / per:.3f} rows inserted and {updated / per:.4f} updated per reading')
    print(f'  activations per silo at the end: {", ".join(f"{a:,}" for a in activations)}')
    cpu_before, cpu_after = out / f'cpu-before-{silos}.txt', out / f'cpu-after-{silos}.txt'
    if cpu_before.exists() and cpu_after.exists():
        def ticks(path):
            words = path.read_text().split()
            return {words[k]: int(words[k + 1]) for k in range(0, len(words), 2)}
        b, a = ticks(cpu_before), ticks(cpu_after)
        used = {k: (a[k] - b[k]) * 10_000 / per for k in a}  # ticks of 10 ms -> microseconds per reading
        silo_us = sum(v for k, v in used.items() if k.startswith('silo'))
        rest = used['machine'] - silo_us - used['postgres']
        print(f'  CPU per reading: silos {silo_us:.0f} us ({", ".join(format(used["silo" + str(i)], ".0f") for i in range(1, silos + 1))}), '
              f'PostgreSQL {used["postgres"]:.0f} us, the rest (load client, OS) {rest:.0f} us; machine {used["machine"]:.0f} us')


if __name__ == '__main__':
    main()
