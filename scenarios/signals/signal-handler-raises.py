import signal
import time


def handler(signum, frame):
    print("handler: got", signal.Signals(signum).name)
    raise RuntimeError("raised in the handler")


signal.signal(signal.SIGINT, handler)
try:
    time.sleep(3)
    print("first sleep finished")
except RuntimeError as e:
    print("main caught RuntimeError:", e)
print("second sleep, nothing catches this time")
time.sleep(3)
print("second sleep finished")
