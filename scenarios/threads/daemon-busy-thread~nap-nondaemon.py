import threading
import time


def spin():
    n = 0
    while True:  # never sleeps: keeps the CPU busy
        n += 1


def nap():
    time.sleep(10)
    print("nap: woke up")


threading.Thread(target=spin, daemon=True).start()
threading.Thread(target=nap).start()
print(f"main: {threading.active_count()} threads alive, both workers are daemons")
print("main: done")
