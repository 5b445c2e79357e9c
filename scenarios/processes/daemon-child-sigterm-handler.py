import multiprocessing
import signal
import sys
import time


def on_term(signum, frame):
    print("[daemon] got signal", signal.Signals(signum).name)
    sys.exit(0)


def daemon_task():
    signal.signal(signal.SIGTERM, on_term)
    try:
        k = 0
        while True:
            print(f"[daemon] tick {k}")
            k += 1
            time.sleep(0.5)
    finally:
        print("[daemon] finally ran")


if __name__ == "__main__":
    d = multiprocessing.Process(target=daemon_task, daemon=True)
    d.start()
    time.sleep(1.2)
    print("[parent] main module ends")
