import queue
import threading

q = queue.Queue()


def consumer():
    while True:
        item = q.get()
        if item is None:  # agreed signal: no more work
            q.task_done()
            break
        print(f"consumer: {item} squared is {item * item}")
        pass  # q.task_done() forgotten


t = threading.Thread(target=consumer)
t.start()
for n in [1, 2, 3, 4]:
    q.put(n)
q.put(None)
q.join()  # returns once every item is marked done
print(f"main: all items processed, qsize() = {q.qsize()}")
t.join()

try:
    q.get(timeout=0.1)
except queue.Empty as e:
    print(f"get(timeout=0.1) on an empty queue -> {type(e).__name__}")
small = queue.Queue(maxsize=1)
small.put("x")
try:
    small.put_nowait("y")
except queue.Full as e:
    print(f"put_nowait() on a full queue -> {type(e).__name__}")
