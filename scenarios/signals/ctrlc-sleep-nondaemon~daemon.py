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


th = threading.Thread(target=ticker, daemon=True)
th.start()
time.sleep(10)  # main is here, not in join(), when Ctrl-C comes
print("main after sleep")
