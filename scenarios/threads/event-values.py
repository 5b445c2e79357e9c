import threading
import time

start = time.monotonic()


def now():
    return f"t={time.monotonic() - start:.1f}"


def set_later():
    time.sleep(0.4)
    ev.set()


ev = threading.Event()
print(f"is_set() at first: {ev.is_set()}")
print(f"wait(0.3) while unset -> {ev.wait(0.3)} at {now()}")
print(f"wait(0) while unset -> {ev.wait(0)} at {now()}")
threading.Thread(target=set_later).start()
print(f"wait(2), set by a thread 0.4 s later -> {ev.wait(2)} at {now()}")
print(f"wait() while set -> {ev.wait()}; wait(0) while set -> {ev.wait(0)}")
print(f"set() returns {ev.set()}; clear() returns {ev.clear()}; is_set() -> {ev.is_set()}")
