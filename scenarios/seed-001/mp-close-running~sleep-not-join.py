import multiprocessing
import time


def worker():
    time.sleep(1.0)
    print("worker finished normally")


if __name__ == '__main__':
    p = multiprocessing.Process(target=worker)
    p.start()
    try:
        p.close()
    except ValueError as e:
        print("close() while running ->", type(e).__name__ + ":", e)
    print("still alive after failed close():", p.is_alive())
    time.sleep(1.5)  # the child ends meanwhile, but nobody joins it
    p.close()
    print("close() after the child ended, without join(): ok")
    for what, f in (("is_alive()", lambda: p.is_alive()), ("join()", lambda: p.join()),
                    ("exitcode", lambda: p.exitcode), ("pid", lambda: p.pid),
                    ("start()", lambda: p.start()), ("close() again", lambda: p.close())):
        try:
            r = f()
            print(f"{what} on closed process -> returned {r!r}")
        except Exception as e:
            print(f"{what} on closed process ->", type(e).__name__ + ":", e)
