import multiprocessing
import time

def cleanup_task():

    try:

        while True:
            print("Daemon running cleanup task...")
            time.sleep(1)

    finally:
        print("This may not print if process is daemon and program ends.")


if __name__ == "__main__":

    p = multiprocessing.Process(target=cleanup_task)
    # p.daemon = True removed
    p.start()

    time.sleep(2)

    print("Main program exiting.")
