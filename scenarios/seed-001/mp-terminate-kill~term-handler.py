import multiprocessing
import time
import signal
import sys


def worker(tag, stop):
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(15))
    try:
        print(f"[{tag}] worker started")
        while not stop.is_set():
            time.sleep(0.1)
    finally:
        print(f"[{tag}] finally ran")


if __name__ == '__main__':
    stop = multiprocessing.Event()
    p = multiprocessing.Process(target=worker, args=("term", stop))
    p.start()
    time.sleep(0.5)
    p.terminate()  # SIGTERM
    p.join()
    print("terminate(): exitcode =", p.exitcode, "is_alive =", p.is_alive())

    k = multiprocessing.Process(target=worker, args=("kill", stop))
    k.start()
    time.sleep(0.5)
    k.kill()  # SIGKILL
    k.join()
    print("kill(): exitcode =", k.exitcode, "is_alive =", k.is_alive())

    c = multiprocessing.Process(target=worker, args=("control", stop))
    c.start()
    time.sleep(0.5)
    stop.set()  # asked to stop: leaves the loop normally
    c.join()
    print("control (stopped by Event): exitcode =", c.exitcode)

    p.terminate()
    k.kill()
    print("terminate()/kill() after exit: no error, exitcodes", p.exitcode, k.exitcode)
