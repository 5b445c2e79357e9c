import threading
import time


def myfunc(name):
    print(f"myfunc started with {name}")
    time.sleep(10)
    print("myfunc ended")


if __name__ == "__main__":
    print("main started")
    t = threading.Thread(target=myfunc, args=["realpython"], daemon=True)
    t.start()
    t.join(2)  # wait at most 2 s
    print("main ended")
