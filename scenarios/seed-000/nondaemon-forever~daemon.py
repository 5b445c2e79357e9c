import threading
import time


def long_running_task():
    while True:  # nothing ever tells this loop to stop
        time.sleep(1)
        print("Long-running task still active...")


if __name__ == "__main__":
    worker = threading.Thread(target=long_running_task, daemon=True)
    worker.start()
    print("Main thread completing...")
