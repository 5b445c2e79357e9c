import multiprocessing
import time
import signal
import sys

def cleanup_task():

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:

        while True:
            print("Daemon running cleanup task...")
            time.sleep(1)

    finally:
        print("This may not print if process is daemon and program ends.")


if __name__ == "__main__":

    p = multiprocessing.Process(target=cleanup_task)
    p.daemon = True
    p.start()

    time.sleep(2)

    print("Main program exiting.")
