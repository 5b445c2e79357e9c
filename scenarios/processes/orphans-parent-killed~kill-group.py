import multiprocessing
import os
import time


def daemon_task(parent):
    k = 0
    while True:
        print(f"[daemon] tick {k} orphaned={os.getppid() != parent}")
        k += 1
        time.sleep(0.5)


def nondaemon_task(parent):
    time.sleep(0.25)  # tick half-way between the daemon's ticks
    for k in range(6):
        print(f"[nondaemon] tick {k} orphaned={os.getppid() != parent}")
        time.sleep(0.5)
    print("[nondaemon] done")


if __name__ == "__main__":
    me = os.getpid()
    multiprocessing.Process(target=daemon_task, args=(me,), daemon=True).start()
    multiprocessing.Process(target=nondaemon_task, args=(me,)).start()
    time.sleep(10)  # killed from outside before this ends
    print("[parent] main ends")
