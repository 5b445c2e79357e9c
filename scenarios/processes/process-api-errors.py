import multiprocessing
import time


def show(what, f):
    try:
        print(f"{what} -> returned {f()!r}")
    except BaseException as e:
        print(f"{what} -> {type(e).__name__}: {e}")


def sleeper(t):
    time.sleep(t)


if __name__ == "__main__":
    p = multiprocessing.Process(target=sleeper, args=(1.0,))
    show("name", lambda: p.name)
    show("daemon (default)", lambda: p.daemon)
    show("pid before start", lambda: p.pid)
    show("exitcode before start", lambda: p.exitcode)
    show("is_alive() before start", p.is_alive)
    show("join() before start", p.join)
    show("terminate() before start", p.terminate)
    show("kill() before start", p.kill)
    p.start()
    show("set daemon=True after start", lambda: setattr(p, "daemon", True))
    show("start() twice", p.start)
    show("close() while running", p.close)
    show("join(0.2) while running", lambda: p.join(0.2))
    show("exitcode while running", lambda: p.exitcode)
    show("join()", p.join)
    show("exitcode after join", lambda: p.exitcode)
    show("join() again", p.join)
    show("close()", p.close)
    show("is_alive() after close", p.is_alive)
    show("exitcode after close", lambda: p.exitcode)
    show("join() after close", p.join)
    show("start() after close", p.start)
    show("terminate() after close", p.terminate)
    q = multiprocessing.Process(target=sleeper, args=(0,))
    show("close() on never-started process", q.close)
    show("start() on closed never-started process", q.start)
