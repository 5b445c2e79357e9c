import multiprocessing


def producer(q):
    q.put("x" * 100_000)  # more than a pipe holds (64 KiB)
    print("child: put() returned, target ends")


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=producer, args=(q,))
    print("parent: starting the child, then joining before reading the queue")
    p.start()
    p.join(1)  # give up after 1 s
    print("parent: joined")
    print("parent: got", len(q.get()), "characters")
