import threading
import time


def myfunc():
    try:
        print("daemon: in try, sleeping 10 s")
        time.sleep(10)
    finally:
        print("daemon: finally ran")


if __name__ == "__main__":
    t = threading.Thread(target=myfunc)
    t.start()
    time.sleep(0.5)  # the daemon is surely inside its try block by now
    print("main ended")
