#!/usr/bin/env python3
"""Record what real CPython does with a scenario script.

Threadline's simulator is checked against recordings of real CPython.  This
tool runs a scenario script under a real interpreter, possibly several times,
optionally sends it signals at fixed times, and writes what it observed to
``<script-stem>.cpython-<major.minor>.json`` beside the script.

Usage::

    tools/record_cpython.py [--python 3.13] [--runs N] [--limit SECONDS]
                            [--signal T:SIG[:main]]... [--jobs J] SCRIPT.py...
    tools/record_cpython.py --all [--python 3.12] [--jobs J]

``--all`` records every ``scenarios/**/*.py`` that has ``<stem>.json``
(scenario metadata) beside it, and every variation ``<id>~<var>.py`` listed
in a ``try_this`` entry (recorded with its scenario's metadata and the entry's
own ``signals`` and ``until``).  For every script, whether given by name or
found by ``--all``, settings left off the command line come from its
metadata: ``until`` is the time limit, and the optional keys ``runs`` (int),
``signals`` (list of ``{"t": 3.3, "sig": "INT", "target": "group"|"main"}``)
and ``pythons`` (list of versions, default ``["3.13"]``) are honoured.  An
explicit ``--python`` replaces ``pythons``.

How a script is run
-------------------
* Interpreter: ``--python 3.14``/``3.15`` resolve ``python3.14``/``python3.15`` on PATH
  (Debian's builds; the recorder runs ../shared/cpython/install-python-3.14-3.15.sh
  when they are missing); ``--python 3.13`` resolves ``~/.pyenv/versions/3.13*/bin/python3``
  (the newest match); a path to an executable is used as it is.
* ``python3 <basename>`` with the script's directory as working directory,
  stdin from ``/dev/null``, in a new session and so its own process group
  (``start_new_session``).  ``PYTHON*`` variables (``PYTHONUNBUFFERED``,
  ``PYTHONPATH``, ...) and ``FORCE_COLOR`` are removed from the environment.
* SIGINT and SIGQUIT are reset to ``SIG_DFL`` in the child before ``exec``
  (``preexec_fn``).  A process started from a non-interactive shell with
  ``&`` inherits SIGINT as ``SIG_IGN``, and CPython then never installs its
  KeyboardInterrupt handler, so Ctrl-C would silently do nothing.  Before
  recording, each interpreter is started once in exactly the same way and
  must report ``signal.getsignal(SIGINT) is signal.default_int_handler``;
  otherwise the tool stops.
* **stdout is a pseudo-terminal, stderr a pipe.**  A user watching a program
  in a terminal sees line-buffered stdout, and buffering changes thread
  scheduling races (an unbuffered ``print()`` makes two ``write()`` calls,
  each releasing the GIL; a block-buffered pipe hides ordering altogether).
  Giving the child a real pty for stdout lets CPython make its own choice
  exactly as it does in a terminal (``isatty()`` is True, so
  ``line_buffering`` is True), with no extra module imported at start-up and
  no change to ``sys.path``; a ``sitecustomize`` calling
  ``sys.stdout.reconfigure(line_buffering=True)`` would get the same buffer
  mode but leave ``isatty()`` False and add an import to start-up.  The pty
  is put in raw output mode (``OPOST`` off) so ``\\n`` is not turned into
  ``\\r\\n``; it is not the child's controlling terminal, so closing it sends
  no SIGHUP.  stderr stays a separate pipe, so the two streams remain
  distinguishable (stderr is line-buffered by CPython in any case, and on a
  terminal 3.13 would colour its tracebacks).  Checked
  with ``strace -f -e trace=write`` (four threads printing 200 lines): every
  ``write()`` to fd 1 ended with ``\\n`` and no line was ever split across two
  writes; a line printed alone goes out in one ``write()`` of its own, and
  only when threads print at the same moment may one ``write()`` carry two
  complete lines.
  The start-up check above also requires ``sys.stdout.isatty()`` and
  ``sys.stdout.line_buffering`` to be True.
* **Priority.**  ``preexec_fn`` also sets the new session's scheduler
  autogroup nice value (``/proc/self/autogroup``) and the process's own nice
  value to ``SESSION_NICE`` (-10) when it may (as root).  With autogroups
  (Linux's default), every session shares the CPU equally with every other
  busy session, so on a 2-core machine busy with builds a script's start-up
  took 100-300 ms instead of the 30-60 ms of an idle machine, and every
  wake-up was late; at -10 it was back to about 50 ms.  The script's own
  processes stay in its session and keep equal priority among themselves.
  The start-up check reports the values the child really got.
* Signals given as ``T:SIG`` go to the whole process group at T seconds
  after spawn with ``os.killpg`` (what a terminal Ctrl-C does); ``T:SIG:main``
  goes to the main process only with ``os.kill``.  A signal for the main
  process is skipped once it has exited.
* At the time limit the whole group is killed with SIGKILL.  "Still running"
  means the main process was alive at the limit; its exit code and exit time
  are then ``null``.  The group is also SIGKILLed after a normal exit, to
  clean up anything the script left behind.

What is recorded
----------------
Every line of stdout and stderr with its read time, in seconds since spawn
(time of the ``read()`` that completed the line; a last line without a
newline is kept too), the exit code as ``subprocess`` reports it (``-N``:
killed by signal N) and the exit time (when ``waitpid`` returned).

stderr is normalized: the interpreter's library folder becomes ``<stdlib>/``,
hexadecimal addresses become ``0x…``, and the script's absolute path becomes
its basename.  stdout is kept as printed.

Runs are grouped into outcomes by (stdout lines, non-indented stderr lines,
exit code, still running): tracebacks' indented source and caret lines, which
differ between versions, do not split outcomes.  Each outcome keeps the
stdout times, full stderr and exit time of the first run that had it.

The file (sorted keys, indent 1, UTF-8, trailing newline; times rounded to
1 ms; outcomes sorted by count, most frequent first, then by content)::

    {"recorder": 1, "python": "3.13.0", "limit_s": 8.0, "runs": 20,
     "signals": [{"sig": "INT", "t": 3.3, "target": "group"}],
     "outcomes": [{"count": 20, "stdout": [...], "stdout_t": [...],
                   "stderr": [...], "exit_code": 0, "exit_t": 0.041,
                   "still_running": false}]}
"""

import argparse
import concurrent.futures
import glob
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import threading
import time

RECORDER_VERSION = 1
DEFAULT_PYTHON = "3.13"
DEFAULT_LIMIT = 10.0
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "scenarios")

STARTUP_CHECK = (
    "import os, signal, sys, sysconfig\n"
    "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler,"
    " sys.stdout.isatty(), sys.stdout.line_buffering)\n"
    "print(sysconfig.get_paths()['stdlib'])\n"
    "print('%d.%d.%d' % sys.version_info[:3])\n"
    "try:\n"
    "    ag = open('/proc/self/autogroup').read().split()[-1]\n"
    "except OSError:\n"
    "    ag = '-'\n"
    "print(ag, os.getpriority(os.PRIO_PROCESS, 0))\n"
)

# Scheduling priority of the script's session (see "How a script is run").
SESSION_NICE = -10


class RecorderError(Exception):
    pass


# ---------------------------------------------------------------- settings

def parse_signal(text):
    """Parse ``T:SIG[:main]`` (SIG: INT, SIGINT or a number)."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in ("main", "group")):
        raise argparse.ArgumentTypeError(f"bad signal spec {text!r}: want T:SIG[:main]")
    try:
        t = float(parts[0])
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad time in signal spec {text!r}")
    sig = signal_name(parts[1])
    return {"t": t, "sig": sig, "target": parts[2] if len(parts) == 3 else "group"}


def signal_name(sig):
    """Normalize a signal given as INT / SIGINT / 2 to its short name (INT)."""
    s = str(sig).strip().upper()
    if s.isdigit():
        return signal.Signals(int(s)).name[3:]
    if s.startswith("SIG"):
        s = s[3:]
    try:
        signal.Signals["SIG" + s]
    except KeyError:
        raise argparse.ArgumentTypeError(f"unknown signal {sig!r}")
    return s


def signal_number(name):
    return signal.Signals["SIG" + name].value


def load_meta(script):
    """The scenario metadata for ``script``: its own ``<id>.json``, or for a
    variation ``<id>~<var>.py`` the scenario's, with the matching
    ``try_this`` entry's ``signals`` and ``until`` in place of the scenario's."""
    path = os.path.splitext(script)[0] + ".json"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    base, sep, _ = os.path.basename(script).partition("~")
    parent = os.path.join(os.path.dirname(script), base + ".json")
    if not sep or not os.path.exists(parent):
        return None
    with open(parent, encoding="utf-8") as f:
        meta = json.load(f)
    for entry in meta.get("try_this", []):
        if entry.get("script") == os.path.basename(script):
            meta = dict(meta)
            meta["signals"] = entry.get("signals", meta.get("signals", []))
            if "until" in entry:
                meta["until"] = entry["until"]
            return meta
    return None


# Versions pyenv cannot build here: Debian's own builds, put on PATH as
# ``python3.14``/``python3.15`` by this installer (run once per machine).
DEBIAN_PYTHONS = ("3.14", "3.15")
DEBIAN_INSTALLER = os.path.join(ROOT, "..", "shared", "cpython", "install-python-3.14-3.15.sh")


def debian_python(spec):
    """``python3.14``/``python3.15`` on PATH, installing them first when missing."""
    found = shutil.which(f"python{spec}")
    if found:
        return found
    if not os.path.exists(DEBIAN_INSTALLER):
        raise RecorderError(f"python{spec} is not installed and {DEBIAN_INSTALLER} is missing")
    print(f"installing CPython {spec} with {DEBIAN_INSTALLER}", flush=True)
    subprocess.run(["bash", DEBIAN_INSTALLER], check=True)
    found = shutil.which(f"python{spec}")
    if not found:
        raise RecorderError(f"python{spec} is still missing after {DEBIAN_INSTALLER}")
    return found


def resolve_python(spec):
    """Return the interpreter path for ``3.13`` (pyenv glob), ``3.14``/``3.15``
    (Debian's builds, see ``debian_python``) or a path."""
    if os.sep in spec and os.access(spec, os.X_OK):
        return os.path.abspath(spec)
    if spec in DEBIAN_PYTHONS:
        return debian_python(spec)
    pattern = os.path.expanduser(f"~/.pyenv/versions/{spec}*/bin/python3")
    found = [p for p in glob.glob(pattern) if re.fullmatch(
        re.escape(spec) + r"(\.\d+)*", p.split(os.sep)[-3])]
    if not found:
        raise RecorderError(f"no interpreter matches {pattern}")

    def key(p):
        return [int(x) for x in re.findall(r"\d+", p.split(os.sep)[-3])]
    return max(found, key=key)


def short_version(full):
    return ".".join(full.split(".")[:2])


# ---------------------------------------------------------------- running

def child_env():
    # PYTHON* settings (PYTHONUNBUFFERED, PYTHONPATH, ...) and FORCE_COLOR would
    # change buffering, imports or traceback colouring.
    return {k: v for k, v in os.environ.items()
            if not k.startswith("PYTHON") and k != "FORCE_COLOR"}


def reset_signals():
    # Runs in the child between fork and exec (after setsid()).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)
    raise_priority()


def raise_priority():
    # The new session is a new scheduler autogroup: its nice value sets its share
    # of the CPU against other sessions (builds, tests).  Without autogroups the
    # per-process nice value does that.  Both need privileges to go below 0; the
    # start-up check reports what the child really got.
    if not SESSION_NICE:
        return
    try:
        with open("/proc/self/autogroup", "w") as f:
            f.write(str(SESSION_NICE))
    except OSError:
        pass
    try:
        os.setpriority(os.PRIO_PROCESS, 0, SESSION_NICE)
    except OSError:
        pass


def open_pty():
    master, slave = os.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST                      # no \n -> \r\n
    attrs[3] &= ~(termios.ECHO | termios.ICANON)    # nothing is typed anyway
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    return master, slave


def run_once(python, script, limit, signals, argv_extra=()):
    """Run ``script`` once; return the raw observations of that run."""
    script = os.path.abspath(script)
    master, slave = open_pty()
    t0 = time.monotonic()
    try:
        proc = subprocess.Popen(
            [python, os.path.basename(script), *argv_extra],
            cwd=os.path.dirname(script), env=child_env(),
            stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE,
            start_new_session=True, preexec_fn=reset_signals, close_fds=True)
    finally:
        os.close(slave)
    pgid = proc.pid
    exited = threading.Event()
    exit_info = {}

    def waiter():
        code = proc.wait()
        exit_info["t"] = time.monotonic() - t0
        exit_info["code"] = code
        exited.set()

    threading.Thread(target=waiter, daemon=True).start()

    streams = {master: ("stdout", bytearray()), proc.stderr.fileno(): ("stderr", bytearray())}
    lines = {"stdout": [], "stderr": []}
    pending = sorted(signals, key=lambda s: s["t"])
    deadline = t0 + limit
    still_running = False

    def take_lines(name, buf, now, final=False):
        while True:
            i = buf.find(b"\n")
            if i < 0:
                break
            lines[name].append((buf[:i].decode("utf-8", "replace"), now - t0))
            del buf[:i + 1]
        if final and buf:
            lines[name].append((buf.decode("utf-8", "replace"), now - t0))
            buf.clear()

    while True:
        now = time.monotonic()
        while pending and t0 + pending[0]["t"] <= now:
            s = pending.pop(0)
            try:
                if s["target"] == "main":
                    if not exited.is_set():
                        os.kill(proc.pid, signal_number(s["sig"]))
                else:
                    os.killpg(pgid, signal_number(s["sig"]))
            except ProcessLookupError:
                pass
        if now >= deadline:
            still_running = not exited.is_set()
            break
        if not streams and exited.is_set():
            break
        wake = deadline
        if pending:
            wake = min(wake, t0 + pending[0]["t"])
        timeout = max(0.0, min(wake - now, 0.02 if not streams or exited.is_set() else 0.05))
        if streams:
            ready = select.select(list(streams), [], [], timeout)[0]
        else:
            exited.wait(timeout)
            ready = []
        now = time.monotonic()
        for fd in ready:
            name, buf = streams[fd]
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the pty has no writer left
                data = b""
            if data:
                buf.extend(data)
                take_lines(name, buf, now)
            else:
                take_lines(name, buf, now, final=True)
                del streams[fd]

    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    exited.wait(5)
    # Whatever is still buffered was written before the kill.
    now = time.monotonic()
    for fd, (name, buf) in list(streams.items()):
        while True:
            r = select.select([fd], [], [], 0)[0]
            if not r:
                break
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                break
            buf.extend(data)
        take_lines(name, buf, now, final=True)
    os.close(master)
    proc.stderr.close()
    return {
        "stdout": lines["stdout"],
        "stderr": lines["stderr"],
        "exit_code": None if still_running else exit_info.get("code"),
        "exit_t": None if still_running else exit_info.get("t"),
        "still_running": still_running,
    }


def check_interpreter(python):
    """Start ``python`` exactly as a scenario would be started and check the set-up."""
    with tempfile.TemporaryDirectory() as tmpdir:
        probe = os.path.join(tmpdir, "startup_check.py")
        with open(probe, "w") as f:
            f.write(STARTUP_CHECK)
        run = run_once(python, probe, 10.0, [])
    out = [line for line, _ in run["stdout"]]
    if run["exit_code"] != 0 or len(out) != 4:
        raise RecorderError(f"{python}: start-up check failed: {run}")
    if out[0] != "True True True":
        raise RecorderError(
            f"{python}: start-up check: SIGINT-is-default, isatty, line_buffering = {out[0]}")
    autogroup, nice = out[3].split()
    return {"stdlib": out[1], "version": out[2], "autogroup_nice": autogroup, "nice": nice}


# ---------------------------------------------------------------- results

ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
ANY_STDLIB = re.compile(r"/[^\s\"']*/lib/python3\.\d+/")


def normalize_stderr(line, stdlib, script):
    line = line.replace(script, os.path.basename(script))
    line = line.replace(stdlib.rstrip("/") + "/", "<stdlib>/")
    line = ANY_STDLIB.sub("<stdlib>/", line)
    return ADDRESS.sub("0x…", line)


def outcome_key(o):
    return (tuple(o["stdout"]), tuple(l for l in o["stderr"] if l[:1] not in (" ", "\t")),
            o["exit_code"], o["still_running"])


def summarize(runs, stdlib, script):
    script = os.path.abspath(script)
    groups = {}
    for run in runs:
        o = {
            "stdout": [line for line, _ in run["stdout"]],
            "stdout_t": [round(t, 3) for _, t in run["stdout"]],
            "stderr": [normalize_stderr(line, stdlib, script) for line, _ in run["stderr"]],
            "exit_code": run["exit_code"],
            "exit_t": None if run["exit_t"] is None else round(run["exit_t"], 3),
            "still_running": run["still_running"],
        }
        k = outcome_key(o)
        if k in groups:
            groups[k]["count"] += 1
        else:
            o["count"] = 1
            groups[k] = o
    return sorted(groups.values(), key=lambda o: (
        -o["count"], json.dumps([o["stdout"], o["stderr"], o["exit_code"], o["still_running"]],
                                ensure_ascii=False)))


def write_json(path, data):
    text = json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------- jobs

class Job:
    def __init__(self, script, python_spec, limit, runs, signals):
        self.script = os.path.abspath(script)
        self.python_spec = python_spec
        self.limit = float(limit)
        self.runs = int(runs)
        self.signals = [dict(s, t=float(s["t"]), sig=signal_name(s["sig"]),
                             target=s.get("target", "group")) for s in signals]

    def label(self):
        return f"{os.path.relpath(self.script, ROOT)} [{self.python_spec}]"


def make_jobs(args, scripts):
    jobs = []
    for script in scripts:
        meta = load_meta(script) or {}
        limit = args.limit if args.limit is not None else meta.get("until", DEFAULT_LIMIT)
        runs = args.runs if args.runs is not None else meta.get("runs", 1)
        signals = args.signal if args.signal else meta.get("signals", [])
        pythons = args.python or meta.get("pythons", [DEFAULT_PYTHON])
        for py in pythons:
            jobs.append(Job(script, py, limit, runs, signals))
    return jobs


def find_all():
    found = []
    for py in sorted(glob.glob(os.path.join(SCENARIOS, "**", "*.py"), recursive=True)):
        if load_meta(py) is not None:
            found.append(py)
    return found


def record(job, interp, log):
    runs = []
    for i in range(job.runs):
        runs.append(run_once(interp["path"], job.script, job.limit, job.signals))
    outcomes = summarize(runs, interp["stdlib"], job.script)
    data = {
        "recorder": RECORDER_VERSION,
        "python": interp["version"],
        "limit_s": job.limit,
        "runs": job.runs,
        "signals": job.signals,
        "outcomes": outcomes,
    }
    out = os.path.splitext(job.script)[0] + f".cpython-{short_version(interp['version'])}.json"
    write_json(out, data)
    summary = "; ".join(
        f"{o['count']}x exit={o['exit_code']}" + (" RUNNING" if o["still_running"] else "")
        + f" out={len(o['stdout'])} err={len(o['stderr'])}" for o in outcomes)
    log(f"{job.label()}: {len(outcomes)} outcome(s): {summary} -> {os.path.relpath(out, ROOT)}")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="record_cpython.py",
        description="Record what real CPython does with Threadline scenario scripts "
                    "(stdout through a pty, stderr through a pipe, own process group). "
                    "Writes <stem>.cpython-<X.Y>.json beside each script.",
        epilog="Settings not given here come from <stem>.json beside the script: "
               "until (limit), runs, signals, pythons.")
    ap.add_argument("scripts", nargs="*", metavar="SCRIPT.py")
    ap.add_argument("--all", action="store_true",
                    help="record every scenarios/**/*.py that has a .json beside it")
    ap.add_argument("--python", action="append", metavar="VERSION",
                    help="interpreter: 3.13 (~/.pyenv/versions/3.13*/bin/python3) or a path; "
                         "repeatable (default: metadata 'pythons', else 3.13)")
    ap.add_argument("--runs", type=int, help="number of runs (default: metadata 'runs', else 1)")
    ap.add_argument("--limit", type=float, metavar="SECONDS",
                    help="time limit per run; the group is SIGKILLed then "
                         "(default: metadata 'until', else 10)")
    ap.add_argument("--signal", action="append", type=parse_signal, metavar="T:SIG[:main]",
                    help="send SIG at T s after spawn to the process group, or to the main "
                         "process with :main; repeatable (default: metadata 'signals')")
    ap.add_argument("--jobs", type=int, default=1,
                    help="record this many scripts at once (timing-sensitive: keep it at "
                         "most 2-3 on a 2-core machine; default 1)")
    args = ap.parse_args(argv)

    scripts = list(args.scripts)
    if args.all:
        scripts += find_all()
    if not scripts:
        ap.error("give SCRIPT.py files or --all")
    for s in scripts:
        if not os.path.isfile(s):
            ap.error(f"no such script: {s}")

    jobs = make_jobs(args, scripts)
    interps = {}
    for spec in sorted({j.python_spec for j in jobs}):
        path = resolve_python(spec)
        info = check_interpreter(path)
        info["path"] = path
        interps[spec] = info
        print(f"{spec}: {path} ({info['version']}): SIGINT default, stdout a line-buffered tty, "
              f"session autogroup nice {info['autogroup_nice']}, nice {info['nice']}", flush=True)

    lock = threading.Lock()

    def log(msg):
        with lock:
            print(msg, flush=True)

    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(record, j, interps[j.python_spec], log): j for j in jobs}
        for fut in concurrent.futures.as_completed(futures):
            try:
                fut.result()
            except Exception as e:  # report and go on with the others
                failures += 1
                log(f"{futures[fut].label()}: FAILED: {e!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RecorderError as e:
        sys.exit(f"record_cpython.py: {e}")
