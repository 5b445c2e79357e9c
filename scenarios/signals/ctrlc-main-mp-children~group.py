import multiprocessing
import time


def daemon_task():
    k = 0
    while True:
        print(f"[daemon] tick {k}")
        k += 1
        time.sleep(0.5)


def nondaemon_task():
    time.sleep(0.25)  # tick half-way between the daemon's ticks
    try:
        for k in range(6):
            print(f"[nondaemon] tick {k}")
            time.sleep(0.5)
        print("[nondaemon] done")
    finally:
        print("[nondaemon] finally")


if __name__ == "__main__":
    d = multiprocessing.Process(target=daemon_task, daemon=True)
    n = multiprocessing.Process(target=nondaemon_task)
    d.start()
    n.start()
    try:
        n.join()
    finally:
        print(f"[parent] finally after join: n.exitcode={n.exitcode} d.exitcode={d.exitcode}")
    print("[parent] main ends")
