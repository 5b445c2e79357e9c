import multiprocessing
import time


def setter(ev):
    time.sleep(0.5)
    print("child: setting the event")
    ev.set()


if __name__ == "__main__":
    ev = multiprocessing.Event()
    print("is_set() at start:", ev.is_set())
    print("wait(0.2) ->", ev.wait(0.2))
    p = multiprocessing.Process(target=setter, args=(ev,))
    p.start()
    print("wait() ->", ev.wait())
    print("is_set() after the child set it:", ev.is_set())
    p.join()
    ev.clear()
    print("after clear(): is_set() =", ev.is_set(), "| wait(0) ->", ev.wait(0))
