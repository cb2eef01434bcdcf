#!/usr/bin/env python3
"""Minimal QMP client for the qemu-system-ia64 tests and bench.

usage: qmp.py SOCKET STEP...
  STEP is a command name ("inject-nmi"), a command with JSON arguments
  ('dump-guest-memory={"paging": false, "protocol": "file:/x"}'),
  "hmp:COMMAND LINE" (human-monitor-command, its text printed), or
  "sleep:SECONDS", or "time" (prints "time: <monotonic seconds>"), or
  "cpu:PID" (prints "cpu: <seconds all of PID's threads ran on a CPU>"). Prints each command's return value as JSON on one line;
  exits 1 with the error on stderr when a command fails, 2 when the socket
  does not answer within 10 s.
"""
import json
import os
import socket
import sys
import time


def connect(path):
    deadline = time.monotonic() + 10
    while True:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                sys.exit(f"qmp.py: no QMP server at {path}") or 2
            time.sleep(0.05)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    f = connect(sys.argv[1]).makefile("rw")
    json.loads(f.readline())  # greeting

    def execute(name, args=None):
        msg = {"execute": name}
        if args is not None:
            msg["arguments"] = args
        f.write(json.dumps(msg) + "\n")
        f.flush()
        while True:
            line = f.readline()
            if not line:
                sys.exit(f"qmp.py: connection closed during {name}")
            r = json.loads(line)
            if "error" in r:
                print(f"qmp.py: {name}: {r['error'].get('desc')}", file=sys.stderr)
                sys.exit(1)
            if "return" in r:
                return r["return"]

    execute("qmp_capabilities")
    for step in sys.argv[2:]:
        if step == "time":
            print(f"time: {time.monotonic():.6f}")
        elif step.startswith("cpu:"):
            # every thread's time on a CPU, in ns (schedstat's first field)
            pid, ns = int(step[4:]), 0
            for tid in os.listdir(f"/proc/{pid}/task"):
                try:
                    with open(f"/proc/{pid}/task/{tid}/schedstat") as st:
                        ns += int(st.read().split()[0])
                except OSError:
                    pass  # a thread that just ended
            print(f"cpu: {ns / 1e9:.6f}")
        elif step.startswith("sleep:"):
            time.sleep(float(step[6:]))
        elif step.startswith("hmp:"):
            print(execute("human-monitor-command", {"command-line": step[4:]}))
        elif "=" in step:
            name, args = step.split("=", 1)
            print(json.dumps(execute(name, json.loads(args))))
        else:
            print(json.dumps(execute(step)))


if __name__ == "__main__":
    main()
