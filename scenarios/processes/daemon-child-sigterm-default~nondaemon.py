import multiprocessing
import time


def daemon_task():
    try:
        k = 0
        while True:
            print(f"[daemon] tick {k}")
            k += 1
            time.sleep(0.5)
    finally:
        print("[daemon] finally ran")


if __name__ == "__main__":
    d = multiprocessing.Process(target=daemon_task)
    d.start()
    time.sleep(1.2)
    print("[parent] main module ends")
