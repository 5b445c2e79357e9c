import multiprocessing
import os


def task(x):
    if x == 3:
        os._exit(1)  # the worker process dies on the spot
    return x * x


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print("calling map()")
        print(pool.map(task, range(6)))  # waits for a result that never comes
    print("after the with block")
