import multiprocessing
import time


def worker_process():
    time.sleep(5)
    print("Worker process completing...")


if __name__ == "__main__":
    process = multiprocessing.Process(target=worker_process)
    process.start()
    print("Main process completing...")
    # no join(): multiprocessing's exit handler joins the child anyway
