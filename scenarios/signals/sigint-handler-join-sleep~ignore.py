import signal
import threading
import time


def handler(signum, frame):
    print("handler:", signal.Signals(signum).name, "in", threading.current_thread().name)


signal.signal(signal.SIGINT, signal.SIG_IGN)
th = threading.Thread(target=time.sleep, args=(1.5,))
th.start()
th.join()  # the first Ctrl-C comes here
print("join returned; is_alive =", th.is_alive())
t0 = time.monotonic()
time.sleep(2.0)  # the second Ctrl-C comes here
print("sleep(2.0) returned; slept the full 2 s:", time.monotonic() - t0 >= 2.0)
