import threading
import time
import queue

lock = threading.Lock()
total = 0


def add(n):
    global total
    for _ in range(n):
        with lock:
            total += 1


threads = [threading.Thread(target=add, args=(1000,)) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("total", total, lock.locked())

q = queue.Queue(maxsize=2)


def producer():
    for i in range(5):
        q.put(i)
        print("put", i)
    q.put(None)


def consumer():
    while True:
        item = q.get()
        if item is None:
            break
        print("got", item)
        time.sleep(0.1)


p = threading.Thread(target=producer)
c = threading.Thread(target=consumer)
c.start()
p.start()
p.join()
c.join()
try:
    q.get(timeout=0.05)
except queue.Empty:
    print("empty after timeout")

ev = threading.Event()


def waiter(name):
    print(name, "waiting")
    ok = ev.wait(1)
    print(name, "woke", ok)


ws = [threading.Thread(target=waiter, args=(f"w{i}",)) for i in range(2)]
for w in ws:
    w.start()
time.sleep(0.2)
ev.set()
for w in ws:
    w.join()
sem = threading.Semaphore(2)
print(sem.acquire(), sem.acquire(), sem.acquire(blocking=False))
r = threading.RLock()
with r:
    with r:
        print("rlock reentered")
print(threading.current_thread().name, threading.active_count(), len(threading.enumerate()))
