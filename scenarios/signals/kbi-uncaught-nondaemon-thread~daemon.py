import threading
import time


def later():
    time.sleep(1.0)
    print("non-daemon thread done")


threading.Thread(target=later, daemon=True).start()
print("main: raising KeyboardInterrupt")
raise KeyboardInterrupt
