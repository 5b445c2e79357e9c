import threading

ev = threading.Event()  # nobody ever sets it
try:
    print("waiting in ev.wait()")
    r = ev.wait()
    print("wait() returned", r)
except KeyboardInterrupt:
    print("KeyboardInterrupt in ev.wait()")
try:
    print("waiting in ev.wait(5)")
    r = ev.wait(5)
    print("wait(5) returned", r)
except KeyboardInterrupt:
    print("KeyboardInterrupt in ev.wait(5)")
print("is_set:", ev.is_set())
