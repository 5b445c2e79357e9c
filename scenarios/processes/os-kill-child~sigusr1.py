import multiprocessing
import os
import signal
import time


def sleeper():
    time.sleep(10)


if __name__ == "__main__":
    for sig in (signal.SIGTERM, signal.SIGKILL, signal.SIGINT, signal.SIGUSR1):
        p = multiprocessing.Process(target=sleeper)
        p.start()
        time.sleep(0.3)
        os.kill(p.pid, sig)
        p.join()
        print(f"child sent {sig.name} with os.kill(): exitcode = {p.exitcode}")
