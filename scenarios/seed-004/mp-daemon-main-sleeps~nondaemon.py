import multiprocessing
import time

def background_task():

    while True:
        print("Daemon process is running...")
        time.sleep(1)


if __name__ == "__main__":

    p = multiprocessing.Process(target=background_task)
    # p.daemon = True removed
    p.start()

    time.sleep(3)

    print("Main program ends, daemon process will stop automatically.")
