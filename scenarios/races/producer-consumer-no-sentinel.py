import queue
import threading

jobs = queue.Queue()
done = []


def producer():
    for n in range(4):
        jobs.put(n)


def consumer():
    # No sentinel: a consumer stops as soon as the queue looks empty.
    while not jobs.empty():
        job = jobs.get()  # waits forever if the other consumer took the last job
        done.append(job)


threads = [threading.Thread(target=producer)]
threads += [threading.Thread(target=consumer) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"jobs done: {sorted(done)}")
