import queue
import threading

jobs = queue.Queue()
done = []
CONSUMERS = 2


def producer():
    for n in range(4):
        jobs.put(n)
    jobs.put(None)  # only one sentinel for two consumers


def consumer():
    while True:
        job = jobs.get()  # waits until there is a job or a sentinel
        if job is None:
            break
        done.append(job)


threads = [threading.Thread(target=producer)]
threads += [threading.Thread(target=consumer) for _ in range(CONSUMERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"jobs done: {sorted(done)}")
