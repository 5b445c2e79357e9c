import threading
import time


def worker():
    try:
        for k in range(6):
            print(f"worker: step {k}")
            time.sleep(0.5)
        print("worker: finished all steps")
    except KeyboardInterrupt:
        print("worker: got KeyboardInterrupt")  # never printed


t = threading.Thread(target=worker)
t.start()
try:
    while t.is_alive():
        time.sleep(0.1)  # main waits in short naps
except KeyboardInterrupt:
    print(f"KeyboardInterrupt raised in {threading.current_thread().name}")
t.join()
print("main: done")
