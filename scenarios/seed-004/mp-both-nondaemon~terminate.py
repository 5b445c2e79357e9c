import multiprocessing
import time

def background_task():

    while True:
        print("Daemon process is running...")
        time.sleep(1)


def non_daemon_task():

    for i in range(5):
        print("Non-daemon process working...")
        time.sleep(1)


if __name__ == "__main__":

    daemon_process = multiprocessing.Process(target=background_task)
    daemon_process.daemon = False  # the article: "Try changing this to False"
    daemon_process.start()

    non_daemon_process = multiprocessing.Process(target=non_daemon_task)
    non_daemon_process.daemon = False
    non_daemon_process.start()

    non_daemon_process.join()
    print("Main program ends.")
    daemon_process.terminate()  # stop the endless child by hand
