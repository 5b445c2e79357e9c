import multiprocessing


def producer(q):
    q.put("x" * 1000)  # fits in the pipe
    print("child: put() returned, target ends")


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=producer, args=(q,))
    print("parent: starting the child, then joining before reading the queue")
    p.start()
    p.join()  # the child can't exit until its data is read, and nobody reads it
    print("parent: joined")
    print("parent: got", len(q.get()), "characters")
