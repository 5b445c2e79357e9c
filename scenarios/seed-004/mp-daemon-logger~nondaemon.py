import multiprocessing
import time

def logger():

    while True:
        print("Logging info in background...")
        time.sleep(2)



if __name__ == "__main__":

    log_process = multiprocessing.Process(target=logger)
    # log_process.daemon = True removed
    log_process.start()

    print("Main program running main tasks...")

    time.sleep(5)

    print("Main program finished.")
