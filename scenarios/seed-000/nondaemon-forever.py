import threading
import time


def long_running_task():
    while True:
        print("Long-running task still active...")
        time.sleep(1)


worker = threading.Thread(target=long_running_task)
worker.start()
print("Main thread completing...")
