import threading
import time


def interrupted():
    raise KeyboardInterrupt


t = threading.Thread(target=interrupted)
t.start()
t.join()
print("main: the thread raised KeyboardInterrupt, main carries on")
time.sleep(0.2)
print("main: ends normally")
