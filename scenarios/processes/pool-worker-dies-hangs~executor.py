from concurrent.futures import ProcessPoolExecutor
import os


def task(x):
    if x == 3:
        os._exit(1)  # the worker process dies on the spot
    return x * x


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as pool:
        print("calling map()")
        print(list(pool.map(task, range(6))))
    print("after the with block")
