import threading
import time


def finish_later():
    time.sleep(0.5)
    print("worker: still finished, after main's traceback")


threading.Thread(target=finish_later, daemon=True).start()
print("main: about to fail")
raise ValueError("main failed")
