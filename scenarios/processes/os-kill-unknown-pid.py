import multiprocessing
import os
import signal


def quick():
    pass


if __name__ == "__main__":
    print("os.kill(own pid, 0) ->", os.kill(os.getpid(), 0))
    p = multiprocessing.Process(target=quick)
    p.start()
    p.join()  # the child has exited and been reaped: its pid is gone
    for name, sig in (("SIGTERM", signal.SIGTERM), ("0", 0)):
        try:
            os.kill(p.pid, sig)
            print("no error")
        except ProcessLookupError as e:
            print(f"os.kill(finished child's pid, {name}) -> {type(e).__name__}: {e}")
