import threading
import time


def myfunc(name):
    print(f"myfunc started with {name}")
    time.sleep(1)  # 1 s instead of 10, so that it can be run many times
    print("myfunc ended")


if __name__ == "__main__":
    print("main started")
    t = threading.Thread(target=myfunc, args=["realpython"], daemon=True)
    t.start()
    print("main ended")
