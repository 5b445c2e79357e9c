import multiprocessing
import time

def background_task():

    while True:
        print("Daemon process is running...")
        time.sleep(1)


if __name__ == "__main__":

    p = multiprocessing.Process(target=background_task)
    print(f"Is daemon? {p.daemon}")  # Check before setting daemon (default is False)

    p.start()
    print(f"Is daemon now? {p.daemon}")

    p.daemon = True  # too late: the process is running
    time.sleep(3)

    print("Main program ends, daemon process will stop automatically.")
