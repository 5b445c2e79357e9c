# ProcessPoolExecutor.terminate_workers() (new in 3.14): the workers get
# SIGTERM, pending futures are cancelled, running ones break the pool.
from concurrent.futures import ProcessPoolExecutor
import time


def slow(n):
    time.sleep(5)
    return n


if __name__ == "__main__":
    ex = ProcessPoolExecutor(2)
    fs = [ex.submit(slow, i) for i in range(4)]
    time.sleep(0.5)
    ex.terminate_workers()
    print("cancelled:", [f.cancelled() for f in fs])
    try:
        fs[0].result()
    except Exception as e:
        print(type(e).__name__)
    print("done")
