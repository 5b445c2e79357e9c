import threading
import time


def slow_task():
    time.sleep(2)
    print("worker: finished")


t = threading.Thread(target=slow_task, daemon=True)
t.start()
result = t.join(0.5)  # gives up waiting after 0.5 s
print(f"join(0.5) returned {result}; is_alive() = {t.is_alive()}")
pass  # no second join()
print(f"main ends; is_alive() = {t.is_alive()}")
