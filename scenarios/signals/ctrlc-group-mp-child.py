import multiprocessing
import time


def child_task():
    try:
        for k in range(6):
            print(f"[child] tick {k}")
            time.sleep(0.5)
        print("[child] done")
    finally:
        print("[child] finally")


if __name__ == "__main__":
    c = multiprocessing.Process(target=child_task)
    c.start()
    c.join()  # Ctrl-C comes here
    print("[parent] main ends")
