import multiprocessing
import threading
import time

def background_task():

    while True:
        print("Daemon process is running...")
        time.sleep(1)


if __name__ == "__main__":

    p = multiprocessing.Process(target=background_task)
    p.daemon = True  # Set process as daemon
    p.start()
    threading.Thread(target=time.sleep, args=(4.5,)).start()  # a non-daemon thread

    time.sleep(3)

    print("Main program ends, daemon process will stop automatically.")
