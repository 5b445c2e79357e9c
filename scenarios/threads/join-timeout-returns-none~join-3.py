import threading
import time


def slow_task():
    time.sleep(2)
    print("worker: finished")


t = threading.Thread(target=slow_task)
t.start()
result = t.join(3)  # returns as soon as the thread ends
print(f"join(3) returned {result}; is_alive() = {t.is_alive()}")
t.join()  # no timeout: waits until the thread has finished
print(f"join() returned; is_alive() = {t.is_alive()}")
