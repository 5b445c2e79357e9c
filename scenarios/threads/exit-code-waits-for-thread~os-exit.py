import os
import threading
import time


def finish_later():
    time.sleep(1)
    print("worker: finished after 1 s")


worker = threading.Thread(target=finish_later)
worker.start()
print("main: calling os._exit(3)")
os._exit(3)  # ends the process on the spot: no shutdown, no waiting
