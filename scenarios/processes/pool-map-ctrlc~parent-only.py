import multiprocessing
import time


def task(x):
    time.sleep(1)
    return x * x


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print("calling map()")
        print(pool.map(task, range(8)))  # Ctrl-C comes while this waits
    print("after the with block")
