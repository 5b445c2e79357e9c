import threading

counter = 0
lock = threading.Lock()


def add(times):
    global counter
    for _ in range(times):
        with lock:  # one thread at a time in here
            counter += 1


workers = [threading.Thread(target=add, args=(1000,)) for _ in range(4)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(f"counter = {counter}")

print(f"acquire(blocking=False) on a free lock -> {lock.acquire(blocking=False)}")
print(f"locked() -> {lock.locked()}")
print(f"acquire(blocking=False) again -> {lock.acquire(blocking=False)}")
print(f"acquire(timeout=0.1) -> {lock.acquire(timeout=0.1)}")
lock.release()
print(f"after release(): locked() -> {lock.locked()}")
try:
    lock.release()
except Exception as e:
    print(f"release() of a free lock -> {type(e).__name__}: {e}")
