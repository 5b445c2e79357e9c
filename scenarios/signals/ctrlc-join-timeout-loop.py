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
while th.is_alive():
    th.join(0.2)  # the usual workaround: wake up every 0.2 s
print("main after loop")
