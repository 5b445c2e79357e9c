import sys
import threading
import time


def finish_later():
    time.sleep(1)
    print("worker: finished after 1 s")


worker = threading.Thread(target=finish_later, daemon=True)
worker.start()
print("main: calling sys.exit(3)")
sys.exit(3)  # the exit code is decided now, but shutdown still waits for the worker
