import multiprocessing
import os
import time


def grandchild(parent_pid):
    for k in range(6):
        print(f"[grandchild] tick {k} orphaned={os.getppid() != parent_pid}")
        time.sleep(0.5)
    print("[grandchild] done")


def child():
    g = multiprocessing.Process(target=grandchild, args=(os.getpid(),), daemon=True)
    g.start()
    try:
        g.join()
    finally:
        print("[child] finally")  # skipped: terminate() gives it no chance


if __name__ == "__main__":
    c = multiprocessing.Process(target=child)
    c.start()
    time.sleep(1.2)
    c.terminate()  # SIGTERM to the child only
    c.join()
    print("[parent] child exitcode =", c.exitcode)
