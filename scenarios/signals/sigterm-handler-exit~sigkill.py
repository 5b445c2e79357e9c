import atexit
import signal
import sys
import time


def on_term(signum, frame):
    print("handler: got", signal.Signals(signum).name)
    sys.exit(128 + signum)  # 143, what a shell would report for SIGTERM


atexit.register(lambda: print("atexit handler ran"))
signal.signal(signal.SIGTERM, on_term)
try:
    print("main: sleeping until SIGTERM comes")
    time.sleep(3)
    print("sleep finished")
finally:
    print("finally ran")
