import threading
import time


def ticker():
    try:
        for k in range(8):
            print(f"tick {k}")
            time.sleep(0.5)
        print("ticker done")
    finally:
        print("ticker finally")


th = threading.Thread(target=ticker)
th.start()
try:
    th.join()
except KeyboardInterrupt:
    print("main caught KeyboardInterrupt; th.is_alive() =", th.is_alive())
time.sleep(1.0)
print("main ends; th.is_alive() =", th.is_alive())
