import threading
import time

slots = threading.Semaphore(4)
guard = threading.Lock()
inside = 0
most = 0


def job():
    global inside, most
    with slots:
        with guard:
            inside += 1
            most = max(most, inside)
        time.sleep(0.3)
        with guard:
            inside -= 1


start = time.monotonic()
workers = [threading.Thread(target=job) for _ in range(4)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(f"4 jobs of 0.3 s, at most {most} at once, took {time.monotonic() - start:.1f} s")

bounded = threading.BoundedSemaphore(1)
print(f"acquire() -> {bounded.acquire()}; acquire(blocking=False) -> {bounded.acquire(blocking=False)}")
bounded.release()
try:
    bounded.release()
except Exception as e:
    print(f"one release() too many -> {type(e).__name__}: {e}")
