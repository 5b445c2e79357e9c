import atexit
import multiprocessing
import threading
import time


def child():
    def nd():
        time.sleep(1.0)
        print("[child non-daemon thread] done")

    def dm():
        time.sleep(3.0)
        print("[child daemon thread] done")

    atexit.register(lambda: print("[child] atexit handler"))
    threading.Thread(target=nd).start()
    threading.Thread(target=dm, daemon=True).start()
    print("[child] target returns")


if __name__ == "__main__":
    atexit.register(lambda: print("[parent] atexit handler"))
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
    print("[parent] joined, exitcode =", p.exitcode)
