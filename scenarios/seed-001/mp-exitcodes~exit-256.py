import multiprocessing
import sys
import time


def ok():
    time.sleep(0.5)


def ret42():
    return 42


def exit3():
    time.sleep(0.2)
    sys.exit(256)  # exit codes only have 8 bits


def exit_str():
    sys.exit("bye")


def exit_none():
    sys.exit()


def boom():
    raise ValueError("boom")


if __name__ == '__main__':
    p = multiprocessing.Process(target=ok)
    print("before start: exitcode =", p.exitcode, "is_alive =", p.is_alive())
    p.start()
    print("running: exitcode =", p.exitcode, "is_alive =", p.is_alive())
    p.join()
    print("after join: exitcode =", p.exitcode, "is_alive =", p.is_alive())
    for f in (ret42, exit3, exit_str, exit_none, boom):
        q = multiprocessing.Process(target=f)
        q.start()
        q.join()
        print(f"{f.__name__}: name = {q.name} exitcode = {q.exitcode}")
