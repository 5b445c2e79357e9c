# ProcessPoolExecutor when a worker process dies: BrokenProcessPool.
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor, BrokenExecutor, wait
from concurrent.futures.process import BrokenProcessPool


def square(x):
    return x * x


def fail(x):
    raise ValueError("bad %d" % x)


def die(how):
    if how == "exit":
        os._exit(3)
    os.kill(os.getpid(), signal.SIGKILL)


def slow(x):
    time.sleep(1)
    return x


if __name__ == "__main__":
    print(BrokenProcessPool, BrokenProcessPool.__mro__[1], issubclass(BrokenExecutor, RuntimeError))
    for how in ["exit", "kill"]:
        pool = ProcessPoolExecutor(2)
        print(how, pool.submit(square, 7).result())
        try:
            pool.submit(fail, 1).result()
        except ValueError as e:
            print(how, "task error:", e)
        pending = pool.submit(slow, 1)
        doomed = pool.submit(die, how)
        done, not_done = wait([pending, doomed])
        print(how, len(done), len(not_done))
        for f in [pending, doomed]:
            e = f.exception()
            print(how, type(e).__name__, isinstance(e, BrokenExecutor), e)
        try:
            pool.submit(square, 2)
        except BrokenProcessPool as e:
            print(how, "submit:", e)
        pool.shutdown()
    with ProcessPoolExecutor(2) as pool:
        print("a new pool works:", list(pool.map(square, range(4))))
    print("end")
