import multiprocessing


def producer(q):
    print("child: putting 100000 characters")
    q.put("x" * 100_000)  # more than a pipe holds (64 KiB)


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=producer, args=(q,))
    print("parent: starting the child, then reading the queue before joining")
    p.start()
    print("parent: got", len(q.get()), "characters")
    p.join()
    print("parent: joined, exitcode =", p.exitcode)
