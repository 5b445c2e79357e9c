import threading
import time

arrivals = {}


def all_here():
    print(f"action: run by {threading.current_thread().name}")


barrier = threading.Barrier(4, action=all_here)


def runner(delay):
    time.sleep(delay)
    arrivals[threading.current_thread().name] = barrier.wait()


names = ["slow", "fast", "middle"]
delays = [0.3, 0.1, 0.2]
threads = [threading.Thread(target=runner, args=(d,), name=n) for n, d in zip(names, delays)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for name in sorted(arrivals):
    print(f"{name}: wait() returned {arrivals[name]}")

lonely = threading.Barrier(2, timeout=0.2)
try:
    lonely.wait()
except threading.BrokenBarrierError as e:
    print(f"waiting alone -> {type(e).__name__}; broken = {lonely.broken}")
