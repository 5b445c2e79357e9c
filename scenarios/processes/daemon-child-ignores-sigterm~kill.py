import multiprocessing
import signal
import time


def daemon_task():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
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
    d.kill()  # SIGKILL cannot be ignored
    print("[parent] main module ends")
