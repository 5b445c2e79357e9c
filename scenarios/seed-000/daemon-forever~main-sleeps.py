import threading
import time


def daemon_task():
    while True:  # same endless loop, but in a daemon thread
        time.sleep(1)
        print("Daemon task running...")


if __name__ == "__main__":
    worker = threading.Thread(target=daemon_task, daemon=True)
    worker.start()
    time.sleep(3.5)  # main stays busy for a while
    print("Main thread completing...")
