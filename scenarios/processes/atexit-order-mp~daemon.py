import atexit
import multiprocessing
import sys
import time


def nd():
    time.sleep(1.0)
    print("[nondaemon proc] done")


if __name__ == "__main__":
    print("after import: multiprocessing.util loaded:", "multiprocessing.util" in sys.modules)
    atexit.register(lambda: print("[atexit] registered BEFORE start()"))
    p = multiprocessing.Process(target=nd, daemon=True)
    p.start()
    print("after start(): multiprocessing.util loaded:", "multiprocessing.util" in sys.modules)
    atexit.register(lambda: print("[atexit] registered AFTER start()"))
    print("[main] module ends")
