import atexit
import multiprocessing
import threading
import time


def daemon_proc():
    k = 0
    while True:
        print(f"[daemon proc] tick {k}")
        k += 1
        time.sleep(0.5)


def nondaemon_proc():
    time.sleep(2.6)
    print("[nondaemon proc] done")


def nondaemon_thread():
    time.sleep(1.6)
    print("[nondaemon thread] done")


if __name__ == "__main__":
    atexit.register(lambda: print("[atexit] user handler"))
    d = multiprocessing.Process(target=daemon_proc, daemon=True)
    n = multiprocessing.Process(target=nondaemon_proc)
    d.start()
    n.start()
    threading.Thread(target=nondaemon_thread).start()
    time.sleep(0.3)
    print("[main] module ends")
