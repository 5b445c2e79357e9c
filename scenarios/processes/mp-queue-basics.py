import multiprocessing
import queue


def producer(q):
    for i in range(4):
        q.put(i * i)
    q.put(None)  # "no more items"


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=producer, args=(q,))
    p.start()
    while True:
        item = q.get()
        if item is None:
            break
        print("got", item)
    p.join()
    print("producer exitcode =", p.exitcode)
    try:
        q.get(timeout=0.2)
    except queue.Empty:
        print("get(timeout=0.2) on an empty queue -> queue.Empty")
    data = {"a": [1, 2]}
    q.put(data)
    back = q.get()
    print("a put object comes back equal:", back == data, "but not the same object:", back is not data)
