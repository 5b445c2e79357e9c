import multiprocessing
import time


def worker(lock):
    print("child: acquire(timeout=0.2) ->", lock.acquire(timeout=0.2))
    print("child: waiting in acquire()")
    lock.acquire()
    print("child: got the lock")
    lock.release()


if __name__ == "__main__":
    lock = multiprocessing.Lock()
    lock.acquire()
    p = multiprocessing.Process(target=worker, args=(lock,))
    p.start()
    time.sleep(0.6)
    print("parent: releasing the lock")
    lock.release()
    p.join()
    with lock:
        print("parent: holding it again in a with block")
    try:
        lock.release()
    except ValueError as e:
        print("release() when not held -> ValueError:", e)
