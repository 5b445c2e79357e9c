import multiprocessing
import os


def task(x):
    if x == 3:
        os._exit(1)  # the worker process dies on the spot
    return x * x


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print("calling map()")
        print(pool.map_async(task, range(6)).get(timeout=2))  # gives up after 2 s
    print("after the with block")
