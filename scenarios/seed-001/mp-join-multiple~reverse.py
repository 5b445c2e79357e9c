import multiprocessing
import time


def work(name, t):
    time.sleep(t)
    print(name, "done")


if __name__ == '__main__':
    t0 = time.monotonic()
    p1 = multiprocessing.Process(target=work, args=("p1", 1.5))
    p2 = multiprocessing.Process(target=work, args=("p2", 0.5))
    p3 = multiprocessing.Process(target=work, args=("p3", 1.0))
    p1.start(); p2.start(); p3.start()
    p3.join()
    p2.join()
    p1.join()
    print("all joined after %.1f s" % (time.monotonic() - t0))
    t1 = time.monotonic()
    p2.join(); p2.join(); p1.join(5)
    print("re-joining finished processes took %.1f s" % (time.monotonic() - t1))
    print("exitcodes", p1.exitcode, p2.exitcode, p3.exitcode)
