import atexit
import threading
import time


def registered_first():
    print("atexit: registered first, runs last")


def registered_second():
    print("atexit: registered second, runs first")


def worker():
    time.sleep(0.5)
    print("worker: done")


atexit.register(registered_first)
atexit.register(registered_second)
threading.Thread(target=worker, daemon=True).start()
print("main: module ends")
