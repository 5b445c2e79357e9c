import threading
from concurrent.futures import ThreadPoolExecutor


def square(n):
    return n * n


def fail(n):
    raise ValueError(f"bad input {n}")


def where():
    return threading.current_thread().name.startswith("pool_")


with ThreadPoolExecutor(max_workers=2, thread_name_prefix="pool") as pool:
    futures = [pool.submit(square, n) for n in range(1, 6)]
    print(f"results in submission order: {[f.result() for f in futures]}")
    print(f"map(): {list(pool.map(square, [6, 7, 8]))}")
    bad = pool.submit(fail, 3)
    try:
        bad.result()
    except ValueError as e:
        print(f"result() re-raises -> {type(e).__name__}: {e}")
    print(f"done() = {bad.done()}, exception() = {bad.exception()}")
    print(f"task ran in a pool thread: {pool.submit(where).result()}")
print("after the with block every task has finished")
