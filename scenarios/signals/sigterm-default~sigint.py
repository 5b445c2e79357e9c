import atexit
import time

atexit.register(lambda: print("atexit handler ran"))
try:
    print("main: sleeping until SIGTERM comes")
    time.sleep(3)
    print("sleep finished")
finally:
    print("finally ran")
